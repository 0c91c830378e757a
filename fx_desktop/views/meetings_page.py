"""会议 (coordination meetings, DOMAIN.md section 6): the list of the meetings the user's organisation convenes or is
invited to, with filters; one meeting's page with tabs for its details and invitees (attendance taken in the table:
keys 1 / 2 / 3 mark 出席 / 请假 / 列席, 0 clears), its agenda (proposed from the open problems the store knows, each
with its source, then added to, removed and reordered by hand), and its minutes (the body, the agreed items with lead
unit, supporting units and deadline; circulate, the parties' comments, sign off with a confirmation, earlier
versions); and the consultation item list (协调会商事项清单).

The convening organisation's office staff and squad leader edit; everyone else reads, and a party organisation
comments on circulated minutes. Every action goes through services.meetings (row, audit and outbox at once)."""
from __future__ import annotations

from datetime import date
from typing import Callable

from PySide6.QtCore import QDate, QDateTime, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QCompleter, QDialog, QFormLayout, QFrame, QHBoxLayout, QHeaderView, QInputDialog,
    QLabel, QLineEdit, QListWidget, QListWidgetItem, QMenu, QMessageBox, QPlainTextEdit, QPushButton, QScrollArea,
    QSizePolicy, QStackedWidget, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from ..domain import meeting as mt
from ..domain.errors import DomainError
from ..printing.forms.meeting_common import cn_numeral
from ..services import agreed_items, meeting_agenda
from ..services import meetings as service
from ..services import storage_errors
from .field_widgets import DateField, DateTimeField
from .style import MUTED_STYLE, mark_primary

ATTENDANCE_KEYS = {Qt.Key.Key_1: "出席", Qt.Key.Key_2: "请假", Qt.Key.Key_3: "列席"}
MINUTES_STATUS = {"draft": "草稿", "circulated": "传阅中", "signed": "已签发"}


def _item(text: str, *, editable: bool = False, data=None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
    if editable:
        flags |= Qt.ItemFlag.ItemIsEditable
    item.setFlags(flags)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


class RowsTable(QTableWidget):
    """Enter on the current row does what a double-click does (activatedRow), as views/activating_table.py."""

    activatedRow = Signal(int)

    def __init__(self, rows: int, columns: int, parent: QWidget | None = None):
        super().__init__(rows, columns, parent)
        self.doubleClicked.connect(lambda index: self.activatedRow.emit(index.row()))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0 \
                and self.state() != QAbstractItemView.State.EditingState:
            self.activatedRow.emit(self.currentRow())
            return
        super().keyPressEvent(event)


def _table(headers: list[str], name: str) -> RowsTable:
    table = RowsTable(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setTabKeyNavigation(False)  # Tab leaves the table: the keyboard moves on to the buttons
    return table


def _button(text: str, name: str, slot, *, primary: bool = False) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.clicked.connect(slot)
    return mark_primary(button) if primary else button


def _scrolling(page: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


class AttendanceTable(QTableWidget):
    """The invitees; keys 1 / 2 / 3 mark the selected rows 出席 / 请假 / 列席, 0 or Delete clears the mark."""

    marked = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = Qt.Key(event.key())
        if key in ATTENDANCE_KEYS or key in (Qt.Key.Key_0, Qt.Key.Key_Delete):
            self.mark(ATTENDANCE_KEYS.get(key))
            return
        super().keyPressEvent(event)

    def mark(self, value: str | None) -> None:
        rows = sorted({i.row() for i in self.selectedIndexes()} or ({self.currentRow()} - {-1}))
        for row in rows:
            self.item(row, 4).setText(value or "")
        if rows:
            self.marked.emit()


class AgreedItemDialog(QDialog):
    """One agreed item: the matter, the lead unit, the supporting units (checked), the deadline."""

    def __init__(self, units: list[tuple[str, str]], item: dict | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Agreed item"))
        item = item or {}
        self.matter = QPlainTextEdit(item.get("matter", ""))
        self.matter.setObjectName("item_matter")
        self.matter.setTabChangesFocus(True)
        self.matter.setMaximumHeight(self.matter.fontMetrics().lineSpacing() * 3 + 12)
        self.lead = QComboBox()
        self.lead.setObjectName("item_lead")
        self.lead.setEditable(True)
        self.lead.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for code, name in units:
            self.lead.addItem(name, code)
        if item.get("lead_org"):
            self.lead.setCurrentIndex(max(0, self.lead.findData(item["lead_org"])))
        self.supporting = QListWidget()
        self.supporting.setObjectName("item_supporting")
        for code, name in units:
            row = QListWidgetItem(name)
            row.setData(Qt.ItemDataRole.UserRole, code)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Checked if code in (item.get("supporting_orgs") or [])
                              else Qt.CheckState.Unchecked)
            self.supporting.addItem(row)
        self.deadline = DateField()
        self.deadline.setObjectName("item_deadline")
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd")
        day = item.get("deadline")
        self.deadline.setDate(QDate.fromString(day, "yyyy-MM-dd") if day else QDate.currentDate().addDays(30))
        form = QFormLayout()
        form.addRow(self.tr("Matter"), self.matter)
        form.addRow(self.tr("Lead unit"), self.lead)
        form.addRow(self.tr("Supporting units (Space ticks)"), self.supporting)
        form.addRow(self.tr("Deadline"), self.deadline)
        ok = _button(self.tr("OK"), "item_ok", self.accept, primary=True)
        cancel = _button(self.tr("Cancel"), "item_cancel", self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(ok)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addLayout(buttons)

    def values(self) -> dict:
        checked = [self.supporting.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.supporting.count())
                   if self.supporting.item(i).checkState() == Qt.CheckState.Checked]
        return {"matter": self.matter.toPlainText().strip(), "lead_org": self.lead.currentData(),
                "supporting_orgs": checked, "deadline": self.deadline.date().toString("yyyy-MM-dd")}


class MeetingPage(QWidget):
    """One meeting. `profile()`: the user now. `confirm(title, text) -> bool` (No by default) and
    `ask_text(title, label) -> str | None` are the window's dialogs (tests replace them); `edit_item(item) -> dict
    | None` asks one agreed item."""

    backRequested = Signal()
    changed = Signal(str)
    # 督办 of an agreed item: the source, the matter, the responsible unit, the deadline (YYYY-MM-DD or "")
    superviseRequested = Signal(dict, str, str, str)
    sheetRequested = Signal(str)  # the supervision sheet already following an agreed item up

    def __init__(self, store, profile: Callable[[], object], *, today: Callable[[], date] = date.today,
                 printer=None, parent: QWidget | None = None):
        """`printer`: the window's FormPrinter; the 打印 button shows when it prints meeting documents
        (`meeting_forms()`, `print_meeting(form, data, label)`)."""
        super().__init__(parent)
        self.store, self.profile, self.today, self.printer = store, profile, today, printer
        self.record: service.MeetingRecord | None = None
        self.confirm = self._confirm
        self.ask_text = self._ask_text
        self.edit_item = self._edit_item
        self._units: list[tuple[str, str]] = []
        self._follow: dict[int, agreed_items.FollowUp] = {}  # the sheets following the agreed items up, by no
        self._shown_minutes: dict = {}
        self.opens_sheets: Callable[[], bool] = lambda: True  # the window: whether the user has the 督办 section

        self.heading = QLabel()
        self.heading.setObjectName("meeting_heading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.state_label = QLabel()
        self.state_label.setObjectName("meeting_state")
        self.state_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.back = _button(self.tr("Back to the list (Esc)"), "meeting_back", self.backRequested.emit)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.backRequested.emit,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.notify_button = _button(self.tr("Send the notice"), "meeting_notify", self.notify)
        self.cancel_button = _button(self.tr("Cancel the meeting…"), "meeting_cancel", self.cancel_meeting)
        self.print_button = QPushButton(self.tr("Print…"))
        self.print_button.setObjectName("meeting_print")
        self.print_menu = QMenu(self.print_button)
        self.print_button.setMenu(self.print_menu)
        if printer is not None and hasattr(printer, "meeting_forms"):
            for name, title in printer.meeting_forms():
                action = self.print_menu.addAction(title)
                action.setObjectName(f"print_{name}")
                action.triggered.connect(lambda _checked=False, n=name: self.print_form(n))
        self.print_button.setVisible(not self.print_menu.isEmpty())
        top = QHBoxLayout()
        top.addWidget(self.back)
        top.addWidget(self.heading, 1)
        top.addWidget(self.print_button)
        top.addWidget(self.notify_button)
        top.addWidget(self.cancel_button)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("meeting_tabs")
        # each tab scrolls on a small screen (the window's minimum must fit 900×480)
        self.tabs.addTab(_scrolling(self._details_tab()), self.tr("Details and invitees"))
        self.tabs.addTab(_scrolling(self._agenda_tab()), self.tr("Agenda"))
        self.tabs.addTab(_scrolling(self._minutes_tab()), self.tr("Minutes"))
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.state_label)
        lay.addWidget(self.tabs, 1)

    # --- building ---------------------------------------------------------------------------------------------

    def _details_tab(self) -> QWidget:
        page = QWidget()
        self.kind = QComboBox()
        self.kind.setObjectName("meeting_kind")
        for key, label in mt.KINDS.items():
            self.kind.addItem(label, key)
        self.title = QLineEdit()
        self.title.setObjectName("meeting_title")
        self.starts_at = DateTimeField()
        self.starts_at.setObjectName("meeting_starts_at")
        self.starts_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.starts_at.setCalendarPopup(True)
        self.place = QLineEdit()
        self.place.setObjectName("meeting_place")
        self.chair = QLineEdit()
        self.chair.setObjectName("meeting_chair")
        self.minute_taker = QLineEdit()
        self.minute_taker.setObjectName("meeting_minute_taker")
        self.contact = QLineEdit()
        self.contact.setObjectName("meeting_contact")
        form = QFormLayout()
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Title"), self.title)
        form.addRow(self.tr("Time"), self.starts_at)
        form.addRow(self.tr("Place"), self.place)
        row = QHBoxLayout()
        row.addWidget(self.chair)
        row.addWidget(QLabel(self.tr("Minute-taker")))
        row.addWidget(self.minute_taker)
        form.addRow(self.tr("Chair"), row)
        form.addRow(self.tr("Contact"), self.contact)

        self.invitees = AttendanceTable(0, 5)
        self.invitees.setObjectName("meeting_invitees")
        self.invitees.setHorizontalHeaderLabels([self.tr("Unit"), self.tr("Name"), self.tr("Position"),
                                                 self.tr("Phone"), self.tr("Attendance")])
        self.invitees.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.invitees.verticalHeader().setVisible(False)
        self.invitees.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.invitees.setTabKeyNavigation(False)
        self.invitee_unit = QComboBox()
        self.invitee_unit.setObjectName("invitee_unit")
        self.invitee_unit.setEditable(True)
        self.invitee_unit.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.invitee_name = QLineEdit()
        self.invitee_name.setObjectName("invitee_name")
        self.invitee_name.setPlaceholderText(self.tr("Name"))
        # people the unit sent to earlier meetings: their name completes, with their position and phone
        self._people: dict = {}
        self.name_completer = QCompleter([], self.invitee_name)
        self.name_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.invitee_name.setCompleter(self.name_completer)
        self.name_completer.activated.connect(self._person_chosen)
        self.invitee_unit.currentIndexChanged.connect(lambda _i: self._offer_people())
        self.invitee_title = QLineEdit()
        self.invitee_title.setObjectName("invitee_title")
        self.invitee_title.setPlaceholderText(self.tr("Position"))
        self.invitee_phone = QLineEdit()
        self.invitee_phone.setObjectName("invitee_phone")
        self.invitee_phone.setPlaceholderText(self.tr("Phone"))
        self.invitee_phone.returnPressed.connect(self.add_invitee)
        add = QHBoxLayout()
        add.addWidget(self.invitee_unit, 2)
        add.addWidget(self.invitee_name, 1)
        add.addWidget(self.invitee_title, 1)
        add.addWidget(self.invitee_phone, 1)
        self.add_invitee_button = _button(self.tr("Add"), "invitee_add", self.add_invitee)
        add.addWidget(self.add_invitee_button)
        marks = QHBoxLayout()
        self.mark_buttons = []
        for value, label in (("出席", self.tr("Attended (1)")), ("请假", self.tr("On leave (2)")),
                             ("列席", self.tr("Observer (3)"))):
            b = _button(label, f"mark_{value}", lambda _c=False, v=value: self.invitees.mark(v))
            self.mark_buttons.append(b)
            marks.addWidget(b)
        self.remove_invitee_button = _button(self.tr("Remove"), "invitee_remove", self.remove_invitee)
        marks.addWidget(self.remove_invitee_button)
        marks.addStretch(1)
        self.save_attendance_button = _button(self.tr("Save attendance"), "attendance_save", self.save_attendance)
        self.save_details_button = _button(self.tr("Save details"), "meeting_save", self.save_details, primary=True)
        marks.addWidget(self.save_attendance_button)
        marks.addWidget(self.save_details_button)
        lay = QVBoxLayout(page)
        lay.addLayout(form)
        self.invitees_label = QLabel(self.tr("Invitees"))
        lay.addWidget(self.invitees_label)
        self.attendance_hint = QLabel(self.tr(
            "Invitees (select rows and press 1 attended, 2 on leave, 3 observer, 0 clear)"))
        self.attendance_hint.setStyleSheet(MUTED_STYLE)
        lay.addWidget(self.attendance_hint)
        lay.addWidget(self.invitees, 1)
        lay.addLayout(add)
        lay.addLayout(marks)
        return page

    def _agenda_tab(self) -> QWidget:
        page = QWidget()
        self.agenda = _table([self.tr("No."), self.tr("Topic"), self.tr("Source"), self.tr("Carried over from"),
                              self.tr("Presenter")], "meeting_agenda")
        self.agenda.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.agenda.horizontalHeader().setStretchLastSection(False)
        self.agenda_empty = QLabel(self.tr("No agenda yet: propose one from the open problems, or add topics."))
        self.agenda_empty.setStyleSheet(MUTED_STYLE)
        buttons = QHBoxLayout()
        self.propose_button = _button(self.tr("Propose from open problems"), "agenda_propose", self.propose)
        self.agenda_add = _button(self.tr("Add topic"), "agenda_add", self.add_topic)
        self.agenda_remove = _button(self.tr("Remove"), "agenda_remove", self.remove_topic)
        self.agenda_up = _button(self.tr("Move up"), "agenda_up", lambda: self.move_topic(-1))
        self.agenda_down = _button(self.tr("Move down"), "agenda_down", lambda: self.move_topic(1))
        self.agenda_save = _button(self.tr("Save agenda"), "agenda_save", self.save_agenda, primary=True)
        for b in (self.propose_button, self.agenda_add, self.agenda_remove, self.agenda_up, self.agenda_down):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.agenda_save)
        lay = QVBoxLayout(page)
        lay.addWidget(self.agenda_empty)
        lay.addWidget(self.agenda, 1)
        lay.addLayout(buttons)
        return page

    def _minutes_tab(self) -> QWidget:
        page = QWidget()
        self.minutes_state = QLabel()
        self.minutes_state.setObjectName("minutes_state")
        self.minutes_state.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.versions = QComboBox()
        self.versions.setObjectName("minutes_versions")
        self.versions.currentIndexChanged.connect(self._show_version)
        head = QHBoxLayout()
        head.addWidget(self.minutes_state, 1)
        head.addWidget(QLabel(self.tr("Version")))
        head.addWidget(self.versions)
        self.intro = QPlainTextEdit()
        self.intro.setObjectName("minutes_intro")
        self.intro.setTabChangesFocus(True)
        self.intro.setPlaceholderText(self.tr("The body before the agreed items, e.g. “On 20 November … the meeting "
                                              "agreed:”"))
        self.intro.setMaximumHeight(self.intro.fontMetrics().lineSpacing() * 5 + 12)
        self.items = _table([self.tr("No."), self.tr("Matter"), self.tr("Lead unit"), self.tr("Supporting units"),
                             self.tr("Deadline"), self.tr("Status"), self.tr("Supervision sheet")],
                            "minutes_items")
        self.items.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.items.horizontalHeader().setStretchLastSection(False)
        self.items.activatedRow.connect(self._item_activated)  # Enter or a double-click
        self.items.itemSelectionChanged.connect(self._enable_supervise)
        row = QHBoxLayout()
        self.item_add = _button(self.tr("Add agreed item…"), "minutes_item_add", self.add_item)
        self.item_edit = _button(self.tr("Edit…"), "minutes_item_edit", self.change_item)
        self.item_remove = _button(self.tr("Remove"), "minutes_item_remove", self.remove_item)
        self.supervise_button = _button(self.tr("Supervise…"), "minutes_item_supervise", self.supervise)
        self.supervise_button.setToolTip(self.tr(
            "Issue a supervision sheet for the selected agreed item of the signed minutes, or open the one "
            "already following it up"))
        self.minutes_save = _button(self.tr("Save minutes"), "minutes_save", self.save_minutes, primary=True)
        self.circulate_button = _button(self.tr("Circulate to the units"), "minutes_circulate", self.circulate)
        self.sign_button = _button(self.tr("Sign off…"), "minutes_sign", self.sign)
        self.amend_button = _button(self.tr("Amend (new version)…"), "minutes_amend", self.amend)
        for b in (self.item_add, self.item_edit, self.item_remove):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.supervise_button)
        actions = QHBoxLayout()  # a row of their own: the page never scrolls sideways at 1366 px
        actions.addStretch(1)
        for b in (self.minutes_save, self.circulate_button, self.sign_button, self.amend_button):
            actions.addWidget(b)
        self.comments = QListWidget()
        self.comments.setObjectName("minutes_comments")
        self.comments.setMaximumHeight(self.comments.fontMetrics().lineSpacing() * 4 + 12)
        self.comment_text = QLineEdit()
        self.comment_text.setObjectName("minutes_comment_text")
        self.comment_text.setPlaceholderText(self.tr("Your unit's comment on the circulated minutes"))
        self.comment_text.returnPressed.connect(self.send_comment)
        self.comment_button = _button(self.tr("Comment"), "minutes_comment", self.send_comment)
        comment_row = QHBoxLayout()
        comment_row.addWidget(self.comment_text, 1)
        comment_row.addWidget(self.comment_button)
        lay = QVBoxLayout(page)
        lay.addLayout(head)
        lay.addWidget(QLabel(self.tr("Body")))
        lay.addWidget(self.intro)
        lay.addWidget(QLabel(self.tr("Agreed items")))
        lay.addWidget(self.items, 1)
        lay.addLayout(row)
        lay.addLayout(actions)
        lay.addWidget(QLabel(self.tr("Comments of the units")))
        lay.addWidget(self.comments)
        lay.addLayout(comment_row)
        return page

    # --- showing ----------------------------------------------------------------------------------------------

    def open_meeting(self, meeting_id: str) -> None:
        self._people = service.known_people(self.store, self.profile())
        if not self._units:
            self._units = service.unit_choices(self.store)
            self.invitee_unit.clear()
            self.invitee_unit.addItem(self.tr("(a person typed in: unit below)"), None)
            for code, name in self._units:
                self.invitee_unit.addItem(name, code)
        self.show_record(service.get(self.store, meeting_id))
        self._offer_people()

    def show_follow_ups(self) -> None:
        """The agreed items' statuses and sheets again, as the store has them now (after a sheet was issued or moved
        on): only those columns change, what is being typed stays."""
        if self.record is None:
            return
        self._follow = agreed_items.for_meeting(self.store, self.record.id)
        for row in range(self.items.rowCount()):
            item = self.items.item(row, 0).data(Qt.ItemDataRole.UserRole) or {}
            follow = self._follow.get(item.get("no"))
            self.items.setItem(row, 5, _item(agreed_items.status_of(item, follow)))
            self.items.setItem(row, 6, _item(follow.number if follow else ""))
        self._enable_supervise()

    def _names(self) -> dict[str, str]:
        return dict(self._units)

    def show_record(self, record: service.MeetingRecord) -> None:
        self.record = record
        self._follow = agreed_items.for_meeting(self.store, record.id)
        data, names = record.data, self._names()
        number = record.number or self.tr("no number yet")
        self.heading.setText(f"{record.title}（{number}）")
        self.state_label.setText(self.tr("%1 · convened by %2 · %3 · minutes: %4%5")
                                 .replace("%1", record.kind_label).replace("%2", record.owner_name)
                                 .replace("%3", record.status_label).replace("%4", record.minutes_label)
                                 .replace("%5", "" if record.synced else self.tr(" · waiting to sync")))
        self.kind.setCurrentIndex(max(0, self.kind.findData(record.kind)))
        self.title.setText(record.title)
        when = data.get("starts_at") or ""
        self.starts_at.setDateTime(QDateTime.fromString(when, "yyyy-MM-ddTHH:mm") if when
                                   else QDateTime.currentDateTime())
        self.place.setText(data.get("place") or "")
        self.chair.setText(data.get("chair") or "")
        self.minute_taker.setText(data.get("minute_taker") or "")
        self.contact.setText(data.get("contact") or "")
        self.invitees.setRowCount(0)
        for person in data.get("invitees") or []:
            self._add_invitee_row(person, names)
        self._show_agenda(data.get("agenda") or [])
        self.versions.blockSignals(True)
        self.versions.clear()
        minutes = data.get("minutes") or {}
        for m in [*(minutes.get("previous") or []), *([minutes] if minutes else [])]:
            self.versions.addItem(self.tr("Version %1 (%2)").replace("%1", str(m["version"]))
                                  .replace("%2", MINUTES_STATUS.get(m["status"], "")), m["version"])
        self.versions.setCurrentIndex(self.versions.count() - 1)
        self.versions.blockSignals(False)
        self._show_minutes(minutes)
        self._enable()

    def _add_invitee_row(self, person: dict, names: dict[str, str]) -> None:
        row = self.invitees.rowCount()
        self.invitees.insertRow(row)
        unit = names.get(person.get("org"), person.get("org")) if person.get("org") else person.get("unit", "")
        self.invitees.setItem(row, 0, _item(unit or "", data=dict(person)))
        self.invitees.setItem(row, 1, _item(person.get("name") or ""))
        self.invitees.setItem(row, 2, _item(person.get("title") or ""))
        self.invitees.setItem(row, 3, _item(person.get("phone") or ""))
        self.invitees.setItem(row, 4, _item(person.get("attendance") or ""))

    def _show_agenda(self, agenda: list[dict]) -> None:
        self.agenda.setRowCount(0)
        for a in agenda:
            row = self.agenda.rowCount()
            self.agenda.insertRow(row)
            carried = a.get("carried_over_from")
            self.agenda.setItem(row, 0, _item(str(row + 1), data=dict(a)))
            self.agenda.setItem(row, 1, _item(a.get("title") or "", editable=self._editing()))
            self.agenda.setItem(row, 2, _item(mt.SOURCES.get(a.get("source"), "")))
            self.agenda.setItem(row, 3, _item(self.tr("carried over from %1").replace("%1", carried) if carried
                                              else ""))
            self.agenda.setItem(row, 4, _item(a.get("presenter") or "", editable=self._editing()))
        self.agenda_empty.setVisible(not agenda)

    def _show_minutes(self, minutes: dict) -> None:
        names = self._names()
        self._shown_minutes = minutes
        self.intro.setPlainText(minutes.get("intro") or "")
        self.items.setRowCount(0)
        for i in minutes.get("items") or []:
            row = self.items.rowCount()
            self.items.insertRow(row)
            self.items.setItem(row, 0, _item(str(i["no"]), data=dict(i)))
            self.items.setItem(row, 1, _item(i["matter"]))
            self.items.setItem(row, 2, _item(names.get(i["lead_org"], i["lead_org"])))
            self.items.setItem(row, 3, _item("、".join(names.get(c, c) for c in i.get("supporting_orgs") or [])))
            self.items.setItem(row, 4, _item(i.get("deadline") or ""))
            follow = self._follow.get(i["no"])  # an item under supervision shows its sheet's status and number
            self.items.setItem(row, 5, _item(agreed_items.status_of(i, follow)))
            self.items.setItem(row, 6, _item(follow.number if follow else ""))
        self.comments.clear()
        for c in minutes.get("comments") or []:
            self.comments.addItem(f"{names.get(c['org'], c['org'])} {c['by']}（第{c['version']}版，"
                                  f"{c['at'][:16].replace('T', ' ')}）：{c['text']}")
        if not minutes.get("version"):
            self.minutes_state.setText(self.tr("No minutes yet: write the body and the agreed items, then save."))
        else:
            state = self.tr("Minutes version %1: %2").replace("%1", str(minutes["version"])) \
                .replace("%2", MINUTES_STATUS.get(minutes["status"], ""))
            if minutes.get("status") == "signed":
                state += self.tr(" — locked; a change makes a new version")
            self.minutes_state.setText(state)

    def _show_version(self, index: int) -> None:
        if self.record is None or index < 0:
            return
        minutes = self.record.minutes or {}
        chosen = self.versions.itemData(index)
        shown = minutes if chosen == minutes.get("version") else next(
            (m for m in minutes.get("previous") or [] if m["version"] == chosen), minutes)
        self._show_minutes(shown)
        self._enable(old_version=shown is not minutes)

    def _editing(self) -> bool:
        return self.record is not None and service.may_edit(self.record, self.profile())

    def _enable(self, *, old_version: bool = False) -> None:
        edit = self._editing()
        minutes = (self.record.minutes if self.record else None) or {}
        status = minutes.get("status")
        writable = edit and status != "signed" and not old_version
        for w in (self.title, self.place, self.chair, self.minute_taker, self.contact):
            w.setReadOnly(not edit)  # readable, not greyed, for the units invited
        self.kind.setEnabled(edit)
        self.starts_at.setReadOnly(not edit)
        # what only the convener does is not shown to the others
        for w in (self.invitee_unit, self.invitee_name, self.invitee_title, self.invitee_phone,
                  self.add_invitee_button, self.remove_invitee_button, self.save_details_button,
                  self.save_attendance_button, *self.mark_buttons, self.propose_button, self.agenda_add,
                  self.agenda_remove, self.agenda_up, self.agenda_down, self.agenda_save, self.cancel_button,
                  self.item_add, self.item_edit, self.item_remove, self.minutes_save, self.circulate_button,
                  self.sign_button, self.amend_button, self.attendance_hint):
            w.setVisible(edit)
        self.invitees_label.setVisible(not edit)
        self.notify_button.setVisible(edit and self.record is not None and self.record.status == "draft")
        self.intro.setReadOnly(not writable)
        for w in (self.item_add, self.item_edit, self.item_remove, self.minutes_save):
            w.setEnabled(writable)
        self.circulate_button.setEnabled(edit and status == "draft" and not old_version)
        self.sign_button.setEnabled(edit and status == "circulated" and not old_version)
        self.amend_button.setEnabled(edit and status == "signed" and not old_version)
        can_comment = self.record is not None and service.may_comment(self.record, self.profile()) and not old_version
        self.comment_text.setEnabled(can_comment)
        self.comment_button.setEnabled(can_comment)
        self._enable_supervise()

    def _selected_item(self) -> dict | None:
        row = self.items.currentRow()
        found = self.items.item(row, 0) if row >= 0 else None
        return (found.data(Qt.ItemDataRole.UserRole) or None) if found is not None else None

    def _enable_supervise(self) -> None:
        """督办…: the convening organisation's office staff or squad leader, on an item of signed minutes; an item
        already under supervision opens its sheet instead (whoever sees it)."""
        item = self._selected_item()
        follow = self._follow.get(item.get("no")) if item else None
        if follow is not None:
            self.supervise_button.setText(self.tr("Open supervision sheet"))
            self.supervise_button.setEnabled(True)
            self.supervise_button.setVisible(self.opens_sheets())  # the status and number are in the table anyway
            return
        self.supervise_button.setText(self.tr("Supervise…"))
        may = self._editing()  # the convening organisation's office staff, squad leader (the bureau's dispatcher)
        self.supervise_button.setVisible(may)
        self.supervise_button.setEnabled(may and item is not None and self._shown_minutes.get("status") == "signed")

    def _item_activated(self, _row: int) -> None:
        """Enter on an agreed item: edit it while the minutes are written; on signed minutes, 督办 it (or open its
        sheet)."""
        if self.item_edit.isEnabled():
            self.change_item()
        elif not self.supervise_button.isHidden() and self.supervise_button.isEnabled():
            self.supervise()

    def supervise(self) -> None:
        item = self._selected_item()
        if item is None or self.record is None or not self.supervise_button.isEnabled():
            return
        follow = self._follow.get(item.get("no"))
        if follow is not None:
            if self.opens_sheets():
                self.sheetRequested.emit(follow.sheet_id)
            return
        where = self.record.number or self.record.title
        source = {"source_kind": "meeting", "source_id": self.record.id, "source_item": item["no"],
                  "source_text": f"{where}纪要议定事项第{cn_numeral(item['no'])}项"}
        self.superviseRequested.emit(source, item.get("matter") or "", item.get("lead_org") or "",
                                     item.get("deadline") or "")

    # --- acting -----------------------------------------------------------------------------------------------

    def _run(self, call) -> service.MeetingRecord | None:
        try:
            record = call()
        except DomainError as exc:
            QMessageBox.warning(self, self.tr("Not saved"), exc.message)
            return None
        except SQLAlchemyError as exc:
            QMessageBox.warning(self, self.tr("Not saved"), storage_errors.describe(exc))
            return None
        self.show_record(record)
        self.changed.emit(record.id)
        return record

    def _step(self, name: str, args: dict) -> service.MeetingRecord | None:
        meeting_id = self.record.id
        return self._run(lambda: service.step(self.store, self.profile(), meeting_id, name, args))

    def _invitee_list(self) -> list[dict]:
        out = []
        for row in range(self.invitees.rowCount()):
            person = dict(self.invitees.item(row, 0).data(Qt.ItemDataRole.UserRole) or {})
            person["attendance"] = self.invitees.item(row, 4).text() or None
            out.append(person)
        return out

    def save_details(self) -> None:
        self._step("update_meeting", {
            "kind": self.kind.currentData(), "title": self.title.text(),
            "starts_at": self.starts_at.dateTime().toString("yyyy-MM-ddTHH:mm"), "place": self.place.text(),
            "chair": self.chair.text(), "minute_taker": self.minute_taker.text(), "contact": self.contact.text(),
            "invitees": self._invitee_list()})

    def _unit_key(self) -> tuple:
        code = self.invitee_unit.currentData()
        return (code, "" if code is not None else self.invitee_unit.currentText().strip())

    def _offer_people(self) -> None:
        self.name_completer.setModel(QStringListModel(sorted(self._people.get(self._unit_key(), {})),
                                                      self.name_completer))

    def _person_chosen(self, name: str) -> None:
        known = self._people.get(self._unit_key(), {}).get(name)
        if known:
            self.invitee_title.setText(known["title"])
            self.invitee_phone.setText(known["phone"])

    def add_invitee(self) -> None:
        code = self.invitee_unit.currentData()
        typed = "" if code is not None else self.invitee_unit.currentText().strip()
        if typed == self.invitee_unit.itemText(0):
            typed = ""
        name = self.invitee_name.text().strip()
        if code is None and not (typed and name):
            QMessageBox.information(self, self.tr("Add an invitee"), self.tr(
                "Choose a unit from the list, or type the unit's name and the person's name."))
            return
        person = {"org": code, "unit": typed, "user": None, "name": name, "title": self.invitee_title.text().strip(),
                  "phone": self.invitee_phone.text().strip(), "attendance": None}
        self._add_invitee_row(person, self._names())
        for edit in (self.invitee_name, self.invitee_title, self.invitee_phone):
            edit.clear()
        self.invitee_unit.setFocus()

    def remove_invitee(self) -> None:
        for row in sorted({i.row() for i in self.invitees.selectedIndexes()}, reverse=True):
            self.invitees.removeRow(row)

    def save_attendance(self) -> None:
        marks = {}
        for row in range(self.invitees.rowCount()):
            person = self.invitees.item(row, 0).data(Qt.ItemDataRole.UserRole) or {}
            if person.get("key"):
                marks[person["key"]] = self.invitees.item(row, 4).text() or None
        if not marks:
            QMessageBox.information(self, self.tr("Attendance"), self.tr(
                "Save the invitees first (Save details), then record their attendance."))
            return
        self._step("record_attendance", {"attendance": marks})

    def print_form(self, form: str) -> None:
        """One of the meeting's documents, built off the GUI thread from what the store holds now."""
        from ..services.meeting_print import meeting_print

        meeting_id, store = self.record.id, self.store
        self.printer.print_meeting(form, lambda: meeting_print(store, meeting_id),
                                   self.record.number or self.record.title)

    def notify(self) -> None:
        self._step("notify_meeting", {"expected_status": "draft"})

    def cancel_meeting(self) -> None:
        reason = self.ask_text(self.tr("Cancel the meeting"), self.tr("Why is the meeting cancelled?"))
        if reason:
            self._step("cancel_meeting", {"reason": reason})

    # agenda

    def _agenda_list(self) -> list[dict]:
        out = []
        for row in range(self.agenda.rowCount()):
            a = dict(self.agenda.item(row, 0).data(Qt.ItemDataRole.UserRole) or {})
            a["title"] = self.agenda.item(row, 1).text()
            a["presenter"] = self.agenda.item(row, 4).text()
            out.append(a)
        return out

    def propose(self) -> None:
        """The open problems the store knows, after the topics already there (none twice)."""
        have = self._agenda_list()
        keys = {a.get("key") for a in have}
        proposed = meeting_agenda.propose(self.store, self.profile(), today=self.today(), exclude=self.record.id)
        added = [a for a in proposed if a["key"] not in keys]
        self._show_agenda(have + added)
        if not added:
            QMessageBox.information(self, self.tr("Propose the agenda"), self.tr(
                "No open problem to add: no overdue referral, disputed clue, open agreed item or consultation item."))

    def add_topic(self) -> None:
        topic = self.ask_text(self.tr("Add topic"), self.tr("Topic"))
        if topic:
            self._show_agenda(self._agenda_list() + [{"title": topic, "source": "manual", "ref": None,
                                                      "carried_over_from": None, "presenter": ""}])
            self.agenda.setCurrentCell(self.agenda.rowCount() - 1, 1)

    def remove_topic(self) -> None:
        row = self.agenda.currentRow()
        if row >= 0:
            agenda = self._agenda_list()
            del agenda[row]
            self._show_agenda(agenda)
            self.agenda.setCurrentCell(min(row, self.agenda.rowCount() - 1), 1)

    def move_topic(self, by: int) -> None:
        row = self.agenda.currentRow()
        agenda = self._agenda_list()
        if row < 0 or not 0 <= row + by < len(agenda):
            return
        agenda[row], agenda[row + by] = agenda[row + by], agenda[row]
        self._show_agenda(agenda)
        self.agenda.setCurrentCell(row + by, 1)

    def save_agenda(self) -> None:
        self._step("set_meeting_agenda", {"agenda": self._agenda_list()})

    # minutes

    def _items_list(self) -> list[dict]:
        return [dict(self.items.item(row, 0).data(Qt.ItemDataRole.UserRole) or {})
                for row in range(self.items.rowCount())]

    def _set_items(self, items: list[dict]) -> None:
        minutes = dict((self.record.minutes if self.record else None) or {})
        minutes.update(intro=self.intro.toPlainText(), items=[{**i, "no": n} for n, i in enumerate(items, 1)],
                       comments=minutes.get("comments") or [])
        self._show_minutes(minutes)

    def _edit_item(self, item: dict | None) -> dict | None:
        dialog = AgreedItemDialog(self._units, item, self)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def add_item(self) -> None:
        item = self.edit_item(None)
        if item:
            self._set_items(self._items_list() + [item])

    def change_item(self) -> None:
        row = self.items.currentRow()
        if row < 0 or not self.item_edit.isEnabled():
            return
        items = self._items_list()
        changed = self.edit_item(items[row])
        if changed:
            items[row] = {**items[row], **changed}
            self._set_items(items)

    def remove_item(self) -> None:
        row = self.items.currentRow()
        if row >= 0:
            items = self._items_list()
            del items[row]
            self._set_items(items)

    def _minutes_args(self) -> dict:
        items = [{k: i.get(k) for k in ("matter", "lead_org", "supporting_orgs", "deadline", "status")}
                 for i in self._items_list()]
        return {"intro": self.intro.toPlainText(), "items": items}

    def save_minutes(self) -> None:
        version = (self.record.minutes or {}).get("version")
        self._step("write_minutes", {**self._minutes_args(), **({"expected_version": version} if version else {})})

    def circulate(self) -> None:
        if self.minutes_save.isEnabled() and self._minutes_args() != self._saved_minutes():
            if self.save_minutes_first() is None:
                return
        self._step("circulate_minutes", {})

    def _saved_minutes(self) -> dict:
        m = (self.record.minutes if self.record else None) or {}
        return {"intro": m.get("intro") or "",
                "items": [{k: i.get(k) for k in ("matter", "lead_org", "supporting_orgs", "deadline", "status")}
                          for i in m.get("items") or []]}

    def save_minutes_first(self):
        version = (self.record.minutes or {}).get("version")
        return self._step("write_minutes", {**self._minutes_args(),
                                            **({"expected_version": version} if version else {})})

    def sign(self) -> None:
        version = (self.record.minutes or {}).get("version")
        if not self.confirm(self.tr("Sign off the minutes"), self.tr(
                "Sign off version %1 of the minutes? Signed minutes are locked: a later change makes a new version.")
                .replace("%1", str(version))):
            return
        self._step("sign_minutes", {"expected_version": version})

    def amend(self) -> None:
        reason = self.ask_text(self.tr("Amend the signed minutes"), self.tr(
            "Why are the signed minutes changed? A new version is made; the signed one is kept."))
        if reason:
            self._step("amend_minutes", {"reason": reason})

    def send_comment(self) -> None:
        text = self.comment_text.text().strip()
        if not text:
            self.comment_text.setFocus()
            return
        if self._step("comment_minutes", {"text": text}) is not None:
            self.comment_text.clear()

    # dialogs (tests replace them)

    def _confirm(self, title: str, text: str) -> bool:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        return QMessageBox.question(self, title, text, buttons, QMessageBox.StandardButton.No) == \
            QMessageBox.StandardButton.Yes

    def _ask_text(self, title: str, label: str, default: str = "") -> str | None:
        text, ok = QInputDialog.getText(self, title, label, text=default)
        return text.strip() if ok and text.strip() else None


class MeetingList(QWidget):
    """The meetings the organisation convenes or is invited to, the latest first, with filters."""

    openRequested = Signal(str)
    newRequested = Signal()

    def __init__(self, store, profile: Callable[[], object], parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.profile = store, profile
        self.kind = QComboBox()
        self.kind.setObjectName("meetings_kind")
        self.kind.addItem(self.tr("All kinds"), None)
        for key, label in mt.KINDS.items():
            self.kind.addItem(label, key)
        self.status = QComboBox()
        self.status.setObjectName("meetings_status")
        self.status.addItem(self.tr("Any status"), None)
        for key, label in mt.STATUS_LABELS.items():
            self.status.addItem(label, key)
        self.text = QLineEdit()
        self.text.setObjectName("meetings_text")
        self.text.setPlaceholderText(self.tr("Title or number"))
        self.text.setClearButtonEnabled(True)
        for w in (self.kind, self.status):
            w.currentIndexChanged.connect(lambda _i: self.refresh())
        self.text.textChanged.connect(lambda _t: self.refresh())
        self.new_button = _button(self.tr("New meeting…"), "meetings_new", self.newRequested.emit, primary=True)
        self.training_button = _button(self.tr("Training record…"), "meetings_training", self.show_training)
        self.ask_name = lambda default: MeetingPage._ask_text(self, self.tr("Training record"), self.tr(
            "Whose training record? (the name as on the sign-in sheet)"), default)
        self.show_text = lambda title, text: QMessageBox.information(self, title, text)
        bar = QHBoxLayout()
        bar.addWidget(self.kind)
        bar.addWidget(self.status)
        bar.addWidget(self.text, 1)
        bar.addWidget(self.training_button)
        bar.addWidget(self.new_button)
        self.table = _table([self.tr("Number"), self.tr("Kind"), self.tr("Title"), self.tr("Time"),
                             self.tr("Convened by"), self.tr("Status"), self.tr("Minutes")], "meetings_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.activatedRow.connect(self._open)  # Enter or a double-click
        self.empty = QLabel(self.tr("No meetings yet. Office staff and squad leaders prepare one with “New meeting”."))
        self.empty.setStyleSheet(MUTED_STYLE)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(self.empty)
        lay.addWidget(self.table, 1)
        self.records: list[service.MeetingRecord] = []

    def refresh(self) -> None:
        profile = self.profile()
        self.new_button.setVisible(service.may_convene(profile))
        self.records = service.meetings(self.store, profile, service.MeetingFilter(
            kind=self.kind.currentData(), status=self.status.currentData(), text=self.text.text()))
        self.table.setRowCount(0)
        for r in self.records:
            row = self.table.rowCount()
            self.table.insertRow(row)
            for col, value in enumerate((r.number or "—", r.kind_label, r.title, r.starts_at.replace("T", " "),
                                         r.owner_name, r.status_label, r.minutes_label)):
                self.table.setItem(row, col, _item(value, data=r.id if col == 0 else None))
        self.empty.setVisible(not self.records)
        if self.records and self.table.currentRow() < 0:
            self.table.setCurrentCell(0, 0)

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.records):
            self.openRequested.emit(self.records[row].id)

    def show_training(self) -> None:
        """An officer's training record: the trainings (meetings of that kind) where they are marked 出席."""
        name = self.ask_name(getattr(self.profile(), "name", ""))
        if not name:
            return
        with self.store.sessions() as session:
            found = service.training_record(session, name)
        lines = [f"{day or ''} {title}（{mark}）" for day, title, mark in found]
        self.show_text(self.tr("Training record of %1").replace("%1", name), "\n".join(lines) if lines else self.tr(
            "No training attended is recorded for %1.").replace("%1", name))


class ConsultationList(QWidget):
    """协调会商事项清单: item, units concerned, status; the keeping organisation adds and closes items."""

    def __init__(self, store, profile: Callable[[], object], parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.profile = store, profile
        self.ask_text = lambda title, label: MeetingPage._ask_text(self, title, label)
        self.table = _table([self.tr("Matter"), self.tr("Units concerned"), self.tr("Case"), self.tr("Kept by"),
                             self.tr("Status")], "consultation_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.units = QListWidget()
        self.units.setObjectName("consultation_units")
        self.units.setMaximumHeight(self.units.fontMetrics().lineSpacing() * 4 + 12)
        self.add_button = _button(self.tr("Add item…"), "consultation_add", self.add)
        self.resolve_button = _button(self.tr("Mark resolved"), "consultation_resolve",
                                      lambda: self.set_status("resolved"))
        self.empty = QLabel(self.tr("The consultation item list is empty."))
        self.empty.setStyleSheet(MUTED_STYLE)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Units concerned by a new item (Space ticks):")))
        bar.addWidget(self.units, 1)
        bar.addWidget(self.add_button)
        bar.addWidget(self.resolve_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.empty)
        lay.addWidget(self.table, 1)
        lay.addLayout(bar)
        self.records: list[service.ItemRecord] = []

    def refresh(self) -> None:
        names = dict(service.unit_choices(self.store))
        if not self.units.count():
            for code, name in names.items():
                row = QListWidgetItem(name)
                row.setData(Qt.ItemDataRole.UserRole, code)
                row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                row.setCheckState(Qt.CheckState.Unchecked)
                self.units.addItem(row)
        self.records = service.items(self.store, self.profile())
        self.table.setRowCount(0)
        for r in self.records:
            row = self.table.rowCount()
            self.table.insertRow(row)
            for col, value in enumerate((r.data.get("matter", ""),
                                         "、".join(names.get(c, c) for c in r.data.get("units") or []),
                                         r.case_number, r.owner_name, r.status_label)):
                self.table.setItem(row, col, _item(value))
        self.empty.setVisible(not self.records)
        can = service.may_convene(self.profile())
        self.add_button.setEnabled(can)
        self.resolve_button.setEnabled(can and bool(self.records))

    def add(self) -> None:
        matter = self.ask_text(self.tr("Add to the consultation item list"), self.tr("Matter needing coordination"))
        if not matter:
            return
        units = [self.units.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.units.count())
                 if self.units.item(i).checkState() == Qt.CheckState.Checked]
        try:
            service.create_item(self.store, self.profile(), {"matter": matter, "units": units})
        except DomainError as exc:
            QMessageBox.warning(self, self.tr("Not saved"), exc.message)
        self.refresh()

    def set_status(self, status: str) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.records):
            return
        try:
            service.update_item(self.store, self.profile(), self.records[row].id, {"status": status})
        except DomainError as exc:
            QMessageBox.warning(self, self.tr("Not saved"), exc.message)
        self.refresh()


class MeetingsSection(QWidget):
    """The 会议 section: the list (with the consultation item list beside it on a tab) and one meeting's page."""

    def __init__(self, store, profile: Callable[[], object], *, today: Callable[[], date] = date.today,
                 printer=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.profile = store, profile
        self.list = MeetingList(store, profile)
        self.consultation = ConsultationList(store, profile)
        self.page = MeetingPage(store, profile, today=today, printer=printer)
        self.lists = QTabWidget()
        self.lists.setObjectName("meetings_lists")
        self.lists.addTab(self.list, self.tr("Meetings"))
        self.lists.addTab(self.consultation, self.tr("Consultation item list"))
        self.lists.currentChanged.connect(lambda i: self.consultation.refresh() if i == 1 else None)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.lists)
        self.stack.addWidget(self.page)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.stack)
        self.list.openRequested.connect(self.open_meeting)
        self.list.newRequested.connect(self.new_meeting)
        self.page.backRequested.connect(self.show_list)

    def refresh(self) -> None:
        if self.stack.currentWidget() is self.lists:
            self.list.refresh()
            if self.lists.currentIndex() == 1:
                self.consultation.refresh()
        else:  # back on a meeting (from its 督办单, say): the agreed items' sheets as they are now
            self.page.show_follow_ups()

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.lists)
        self.list.refresh()
        self.list.table.setFocus()

    def open_meeting(self, meeting_id: str) -> None:
        self.page.open_meeting(meeting_id)
        self.stack.setCurrentWidget(self.page)
        self.page.tabs.setCurrentIndex(0)

    def new_meeting(self) -> None:
        title = self.page.ask_text(self.tr("New meeting"), self.tr("Title of the meeting"))
        if not title:
            return
        try:
            record = service.create(self.store, self.profile(), {"kind": "regular", "title": title})
        except DomainError as exc:
            QMessageBox.warning(self, self.tr("Not saved"), exc.message)
            return
        self.open_meeting(record.id)
        self.page.title.setFocus()
