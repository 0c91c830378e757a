"""The 人员与执法证 section of a town (and of the bureau, read only): the roster of officers with their enforcement
certificates, soonest expiry first; a certificate expiring within the warning days shows 即将到期 in amber with the
days left, an expired one 已过期 in red. The town's office staff and squad leader add (Insert), edit (Enter or a
double-click) and retire (Delete, after a confirmation whose default is No) officers; everyone else reads. Below
the table, the selected officer's certificate and their training record (培训记录: the trainings they attended)."""
from __future__ import annotations

from datetime import date
from html import escape
from typing import Callable

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHeaderView, QLabel, QLineEdit,
    QMessageBox, QPushButton, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from ..domain import roster as ro
from ..domain.errors import DomainError
from ..services import roster as service
from ..services import storage_errors
from .field_widgets import DateField, mark_invalid
from .flow_layout import FlowLayout
from .icons import icon
from .style import ERROR_STYLE, MUTED, MUTED_STYLE, OVERDUE, WARN, EmptyState, heading, mark_destructive, mark_primary

NAME, CERT_NO, ISSUER, EXPIRES, STATE, POST, PHONE, TOWN = range(8)  # 街镇: shown to the bureau only


class RosterTable(QTableWidget):
    """Enter opens the current row (as a double-click does), Insert adds an officer, Delete asks to retire the
    current one; Tab leaves the table."""

    activatedRow = Signal(int)
    deleteRequested = Signal()
    insertRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 8, parent)
        self.setTabKeyNavigation(False)
        self.doubleClicked.connect(lambda index: self.activatedRow.emit(index.row()))

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.activatedRow.emit(self.currentRow())
            return
        if event.key() == Qt.Key.Key_Insert:
            self.insertRequested.emit()
            return
        if event.key() == Qt.Key.Key_Delete and self.currentRow() >= 0:
            self.deleteRequested.emit()
            return
        super().keyPressEvent(event)


class RosterDialog(QDialog):
    """Add or edit an officer. `save(form)` stores it (a service call bound to the store and the user); a refusal
    is shown in the dialog with its field marked, and everything typed stays."""

    def __init__(self, save: Callable[[dict], object], entry: dict | None = None, *, today: date,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.save = save
        self.setWindowTitle(self.tr("Edit officer") if entry else self.tr("Add officer"))
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 32)  # the reasons read on two lines
        entry = entry or {}
        self.fields: dict[str, QWidget] = {}
        form = QFormLayout()
        for key, label in (("name", self.tr("Name *")), ("cert_no", self.tr("Certificate no. *")),
                           ("issuer", self.tr("Issuing body *"))):
            edit = QLineEdit(entry.get(key) or "")
            edit.setMaxLength(ro.FIELDS[key][1])
            self.fields[key] = edit
            form.addRow(label, edit)
        self.fields["cert_no"].setPlaceholderText(self.tr("As printed on the certificate"))
        if not entry:
            self.fields["issuer"].setText(self.tr("Shanghai Municipal People's Government"))
        for key, label, default in (("issued_on", self.tr("Issued on"), date(today.year - 1, 1, 1)),
                                    ("expires_on", self.tr("Valid until *"), date(today.year + 3, 12, 31))):
            edit = DateField()
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            value = entry.get(key)
            edit.setDate(QDate(date.fromisoformat(value) if value else default))
            self.fields[key] = edit
            form.addRow(label, edit)
        for key, label in (("post", self.tr("Post")), ("phone", self.tr("Phone")),
                           ("username", self.tr("User name (optional)"))):
            edit = QLineEdit(entry.get(key) or "")
            edit.setMaxLength(ro.FIELDS[key][1])
            self.fields[key] = edit
            form.addRow(label, edit)
        for key, widget in self.fields.items():
            widget.setObjectName(f"roster_{key}")
        self.reinstate = QCheckBox(self.tr("Back on duty (reinstate this retired officer)"))
        self.reinstate.setObjectName("roster_reinstate")
        if entry and not entry.get("active", True):
            form.addRow("", self.reinstate)
        else:
            self.reinstate.hide()
        self.message = QLabel()
        self.message.setObjectName("roster_message")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        mark_primary(buttons.button(QDialogButtonBox.StandardButton.Save))
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.accept_form)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(buttons)
        self.fields["name"].setFocus()

    def form(self) -> dict:
        out = {}
        for key, widget in self.fields.items():
            out[key] = widget.date().toPython().isoformat() if isinstance(widget, DateField) else widget.text()
        if self.reinstate.isChecked():
            out["active"] = True
        return out

    def accept_form(self) -> None:
        for widget in self.fields.values():
            mark_invalid(widget, False)
        try:
            self.save(self.form())
        except DomainError as exc:
            self._refused(exc.message, exc.field)
            return
        except (SQLAlchemyError, OSError) as exc:
            self._refused(self.tr("The officer was not saved: %1.").replace("%1", storage_errors.describe(exc)), None)
            return
        self.accept()

    def _refused(self, message: str, field: str | None) -> None:
        self.message.setText(message)
        self.message.show()
        widget = self.fields.get(field or "")
        if widget is not None:
            mark_invalid(widget, True)
            widget.setFocus()


class RosterPage(QWidget):
    """`profile()`: the user now; `today()`: the day the states are counted from."""

    changed = Signal()

    def __init__(self, store, profile: Callable[[], object], *, today: Callable[[], date] = date.today,
                 town_name: Callable[[str], str] = str, parent: QWidget | None = None):
        """`town_name(code)`: a town's name, for the bureau's view of every town's roster."""
        super().__init__(parent)
        self.store, self.profile, self.today, self.town_name = store, profile, today, town_name
        self.records: list[service.EntryRecord] = []
        title = heading(QLabel(self.tr("Officers and certificates")))
        self.retired = QCheckBox(self.tr("Show retired officers"))
        self.retired.setObjectName("roster_show_retired")
        self.retired.toggled.connect(lambda _on: self.refresh())
        self.add = QPushButton(icon("new_case"), self.tr("Add officer…"))
        self.add.setObjectName("roster_add")
        self.add.setToolTip(self.tr("Insert"))
        self.add.clicked.connect(self.add_entry)
        self.edit = QPushButton(self.tr("Edit…"))
        self.edit.setObjectName("roster_edit")
        self.edit.clicked.connect(self.edit_entry)
        self.retire = mark_destructive(QPushButton(self.tr("Retire…")))
        self.retire.setObjectName("roster_retire")
        self.retire.clicked.connect(self.retire_entry)
        bar = FlowLayout()
        for w in (self.retired, self.add, self.edit, self.retire):
            bar.addWidget(w)
        self.table = RosterTable()
        self.table.setObjectName("roster_table")
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Certificate no."), self.tr("Issuing body"),
                                              self.tr("Valid until"), self.tr("State"), self.tr("Post"),
                                              self.tr("Phone"), self.tr("Town")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        metrics = self.table.fontMetrics()
        for column, sample in ((NAME, "欧阳建国"), (CERT_NO, "31200001234"), (ISSUER, "上海市人民政府法制办"),
                               (EXPIRES, "2026-11-30"), (STATE, "即将到期（剩 60 天）"), (POST, "执法队员")):
            self.table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 24)
        self.table.activatedRow.connect(lambda _row: self.edit_entry())
        self.table.deleteRequested.connect(self.retire_entry)
        self.table.insertRequested.connect(self.add_entry)
        self.table.itemSelectionChanged.connect(self._selected)
        self.empty = EmptyState.over(self.table)
        self.empty.nextStep.connect(self.add_entry)
        self.count = QLabel()
        self.count.setObjectName("roster_count")
        self.count.setStyleSheet(MUTED_STYLE)
        self.details = QLabel()
        self.details.setObjectName("roster_details")
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.trainings = QTableWidget(0, 3)
        self.trainings.setObjectName("roster_trainings")
        self.trainings.setHorizontalHeaderLabels([self.tr("Date"), self.tr("Training"), self.tr("Number")])
        self.trainings.verticalHeader().hide()
        self.trainings.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.trainings.setTabKeyNavigation(False)
        self.trainings.horizontalHeader().setStretchLastSection(True)
        self.trainings.setColumnWidth(0, metrics.horizontalAdvance("2026-11-30 09:00") + 24)
        self.trainings.setColumnWidth(1, metrics.horizontalAdvance("城管执法规范化培训（第一期）") + 24)
        self.trainings_empty = EmptyState.over(self.trainings, width_chars=24)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("roster_tabs")
        self.tabs.addTab(self.details, self.tr("Certificate"))
        self.tabs.addTab(self.trainings, self.tr("Training record"))
        self.tabs.setMaximumHeight(metrics.lineSpacing() * 11)
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addLayout(bar)
        lay.addWidget(self.table, 3)
        lay.addWidget(self.count)
        lay.addWidget(self.tabs, 1)
        shortcut = QShortcut(QKeySequence(Qt.Key.Key_Insert), self, self.add_entry)  # Ctrl+N is 新建案件
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    # --- reading ---------------------------------------------------------------------------------------------------
    def can_edit(self) -> bool:
        return service.may_edit(self.profile())

    def refresh(self, select: str | None = None) -> None:
        current = select or self._current_id()
        try:
            self.records = service.entries(self.store, self.profile(), today=self.today(),
                                           include_retired=self.retired.isChecked())
        except (SQLAlchemyError, OSError) as exc:
            self.records = []
            self.count.setText(self.tr("The roster could not be read: %1.").replace("%1", storage_errors.describe(exc)))
        editor = self.can_edit()
        for w in (self.add, self.edit, self.retire):
            w.setVisible(editor)
        self.table.setColumnHidden(TOWN, not getattr(self.profile(), "sees_all", False))
        self.table.setRowCount(len(self.records))
        for row, record in enumerate(self.records):
            self._fill(row, record)
        expiring = sum(1 for r in self.records if r.active and r.state is ro.CertState.EXPIRING)
        expired = sum(1 for r in self.records if r.active and r.state is ro.CertState.EXPIRED)
        self.count.setText(self.tr("%1 officers; %2 certificates expiring soon, %3 expired")
                           .replace("%1", str(sum(1 for r in self.records if r.active)))
                           .replace("%2", str(expiring)).replace("%3", str(expired)))
        if editor:
            self.empty.set_text(self.tr("No officers on the roster yet. Add the town's officers with their "
                                        "enforcement certificates."), self.tr("Add officer…"))
        else:
            self.empty.set_text(self.tr("No officers on the roster yet. The office staff or the squad leader "
                                        "keeps it."))
        self.empty.show_when(not self.records)
        rows = [i for i, r in enumerate(self.records) if r.id == current]
        if rows or self.records:
            self.table.selectRow(rows[0] if rows else 0)
        self._selected()

    def _fill(self, row: int, record: service.EntryRecord) -> None:
        state = self._state_text(record)
        values = (record.name, record.cert_no, record.issuer, record.expires_on, state,
                  record.data.get("post") or "", record.data.get("phone") or "", self.town_name(record.owner_org))
        for column, value in enumerate(values):
            item = QTableWidgetItem(value)
            if column == STATE and record.active and record.state is not ro.CertState.VALID:
                item.setForeground(QColor(OVERDUE if record.state is ro.CertState.EXPIRED else WARN))
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            if not record.active:
                item.setForeground(QColor(MUTED))
            self.table.setItem(row, column, item)

    def _state_text(self, record: service.EntryRecord) -> str:
        if not record.active:
            return self.tr("Retired")
        if record.state is ro.CertState.EXPIRED:
            return self.tr("Expired (%1 days ago)").replace("%1", str(-record.days_left))
        if record.state is ro.CertState.EXPIRING:
            return self.tr("Expiring soon (%1 days left)").replace("%1", str(record.days_left))
        return self.tr("Valid")

    def _current_id(self) -> str | None:
        record = self.current()
        return record.id if record else None

    def current(self) -> service.EntryRecord | None:
        row = self.table.currentRow()
        return self.records[row] if 0 <= row < len(self.records) else None

    def select(self, entry_id: str) -> None:
        """Show the entry (the workbench opens it)."""
        self.refresh(select=entry_id)
        self.table.setFocus()

    def _selected(self) -> None:
        record = self.current()
        self.edit.setEnabled(record is not None)
        self.retire.setEnabled(record is not None and record.active)
        if record is None:
            self.details.setText("")
            self.trainings.setRowCount(0)
            self.trainings_empty.set_text(self.tr("Choose an officer to see their training record."))
            self.trainings_empty.show_when(True)
            return
        d = record.data
        lines = [
            (self.tr("Name"), record.name), (self.tr("Certificate no."), record.cert_no),
            (self.tr("Issuing body"), record.issuer), (self.tr("Issued on"), d.get("issued_on") or "—"),
            (self.tr("Valid until"), record.expires_on), (self.tr("State"), self._state_text(record)),
            (self.tr("Post"), d.get("post") or "—"), (self.tr("Phone"), d.get("phone") or "—"),
            (self.tr("User name"), d.get("username") or "—"),
        ]
        if d.get("retired"):
            lines.append((self.tr("Retired"), f"{d['retired'].get('at', '')[:10]} {d['retired'].get('reason') or ''}"))
        cells = [f"<td style='padding: 2px 8px 2px 0; color: {MUTED};'>{escape(label)}</td>"
                 f"<td style='padding: 2px 24px 2px 0;'>{escape(str(value))}</td>" for label, value in lines]
        rows = ["".join(cells[i:i + 3]) for i in range(0, len(cells), 3)]  # three to a line: fits a low screen
        self.details.setText(f"<table>{''.join(f'<tr>{r}</tr>' for r in rows)}</table>")
        try:
            found = service.trainings(self.store, record.name)
        except (SQLAlchemyError, OSError):
            found = []
        self.trainings.setRowCount(len(found))
        for row, t in enumerate(found):
            for column, value in enumerate((t.starts_at[:16].replace("T", " "), t.title, t.number)):
                self.trainings.setItem(row, column, QTableWidgetItem(value))
        self.trainings_empty.set_text(self.tr("%1 has attended no training recorded here yet.")
                                      .replace("%1", record.name))
        self.trainings_empty.show_when(not found)

    # --- actions ---------------------------------------------------------------------------------------------------
    def add_entry(self) -> None:
        if not self.can_edit():
            return
        made: list = []
        dialog = RosterDialog(lambda form: made.append(service.add(self.store, self.profile(), form)),
                              today=self.today(), parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and made:
            self.refresh(select=made[0].id)
            self.changed.emit()

    def edit_entry(self) -> None:
        record = self.current()
        if record is None or not self.can_edit():
            return
        dialog = RosterDialog(lambda form: service.update(self.store, self.profile(), record.id, form),
                              record.data, today=self.today(), parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh(select=record.id)
            self.changed.emit()

    def retire_entry(self) -> None:
        record = self.current()
        if record is None or not record.active or not self.can_edit():
            return
        answer = QMessageBox.question(
            self, self.tr("Retire officer"),
            self.tr("Retire %1 (certificate %2)? They are no longer offered for new cases; the record stays and can "
                    "be reinstated by editing it.").replace("%1", record.name).replace("%2", record.cert_no),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            service.retire(self.store, self.profile(), record.id, "")
        except DomainError as exc:
            QMessageBox.warning(self, self.tr("Retire officer"), exc.message)
            return
        except (SQLAlchemyError, OSError) as exc:
            QMessageBox.warning(self, self.tr("Retire officer"), self.tr("The officer was not retired: %1.")
                                .replace("%1", storage_errors.describe(exc)))
            return
        self.refresh(select=record.id)
        self.changed.emit()
