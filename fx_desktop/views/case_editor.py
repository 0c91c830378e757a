"""The case form: inline validation, officers, and the status actions the state machine allows.

The form scrolls only up and down: its width follows its pane, fields shrink, long drop-downs and tick boxes wrap,
and where the pane is too narrow for a label beside its field the labels stand above the fields. Every label stays
in sight; an error message wraps under its field instead of widening the form."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape
from datetime import datetime

from PySide6.QtCore import QDateTime, QEvent, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain import case_fields
from ..domain.case_draft import ORG, PERSON, CaseDraft, DraftInvalid, Officer, validate
from ..domain.errors import DomainError
from ..domain.identifiers import validate_citizen_id, validate_credit_code
from ..domain.legal_review import ReviewRules
from ..services.cases import CaseRecord
from ..store.case_queries import OPEN_BEFORE_DECISION
from .circumstances_box import CircumstancesBox
from .style import ERROR_STYLE, OVERDUE, WARN, heading, mark_destructive, mark_primary
from .flow_layout import FlowLayout
from .field_widgets import (
    DateTimeField,
    FieldBox,
    FormTable,
    LimitedCellDelegate,
    LimitedTextEdit,
    limit_line,
    narrow_combo,
    set_limited_text,
)

FIELD_ROOM_EM = 16  # a field beside its label gets at least this many characters' width, else labels go above
LABEL_EM = 9  # beside their fields, labels are at most this many characters wide (a longer one wraps)
BREAK_AFTER = "/、，,"
BREAK_BEFORE = "（("


def _broken(text: str, metrics, width: int) -> str:
    """`text` on lines no wider than `width`, broken after a slash or comma or before a bracket where one is
    near the end of a line, else where the line is full."""
    lines = []
    while text and metrics.horizontalAdvance(text) > width:
        end = max(1, max((i for i in range(1, len(text) + 1) if metrics.horizontalAdvance(text[:i]) <= width),
                         default=1))
        marks = [i + 1 for i in range(end) if text[i] in BREAK_AFTER] + [i for i in range(1, end + 1)
                                                                          if i < len(text) and text[i] in BREAK_BEFORE]
        cut = max((i for i in marks if i * 3 >= end), default=end)  # a mark in the last two thirds
        lines.append(text[:cut])
        text = text[cut:]
    return "\n".join(lines + [text] if text else lines)


@dataclass(frozen=True)
class RosterOfficer:
    """An officer of the town's roster as the case form offers it: state "valid", "expiring" or "expired"."""

    name: str
    cert_no: str
    state: str
    expires_on: str
    days_left: int
    active: bool = True  # a retired officer is not offered, but their expired certificate is still named


class RosterCellDelegate(LimitedCellDelegate):
    """The officers' cells: the name column completes from the town's roster."""

    def __init__(self, keys: dict[int, str], parent=None):
        super().__init__(keys, parent)
        self.names: list[str] = []

    def set_names(self, names: list[str]) -> None:
        self.names = names

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt override
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit) and index.column() == 0 and self.names:
            completer = QCompleter(self.names, editor)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            editor.setCompleter(completer)
        return editor


class CaseForm(QScrollArea):
    """Edits a CaseDraft. Knows nothing about storage: the owner loads drafts and saves them."""

    changed = Signal()

    def __init__(self, reference: dict, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the body is as wide as the pane
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields, which scroll into sight
        body = QWidget()
        body.setObjectName("case_form_body")
        self.setWidget(body)
        self.layout_ = form = QFormLayout(body)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.boxes: dict[str, FieldBox] = {}
        self.labels: dict[str, QLabel] = {}
        self._label_texts: dict[str, str] = {}  # as translated; a label beside its field may show it on two lines

        def combo(items: list[str], editable: bool = False) -> QComboBox:
            c = narrow_combo(QComboBox())
            c.setEditable(editable)
            c.addItem("")
            c.addItems(items)
            return c

        self.source = combo(reference.get("sources", []))
        self.category = combo(reference.get("categories", []))
        self.cause = limit_line(QLineEdit(), "cause")
        self.party_kind = narrow_combo(QComboBox())
        self.party_kind.addItem(self.tr("Person"), PERSON)
        self.party_kind.addItem(self.tr("Organisation"), ORG)
        self.party_name = limit_line(QLineEdit(), "party_name")
        self.party_id_number = limit_line(QLineEdit(), "party_id_number")
        self.party_legal_rep = limit_line(QLineEdit(), "party_legal_rep")
        self.party_address = limit_line(QLineEdit(), "party_address")
        self.party_phone = limit_line(QLineEdit(), "party_phone")
        self.place = limit_line(QLineEdit(), "place")
        self.occurred_at = DateTimeField()
        self.occurred_at.setCalendarPopup(True)
        self.occurred_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.facts = LimitedTextEdit("facts")
        self.facts.setTabChangesFocus(True)
        self.facts.setMinimumHeight(90)
        self.legal_basis = LimitedTextEdit("legal_basis")
        self.legal_basis.setTabChangesFocus(True)
        self.legal_basis.setMaximumHeight(70)
        self.proposed_penalty = combo(reference.get("penalties", []), editable=True)
        limit_line(self.proposed_penalty.lineEdit(), "proposed_penalty")
        self.proposed_amount = limit_line(QLineEdit(), "proposed_amount")
        self.proposed_amount.setPlaceholderText(self.tr("Yuan, e.g. 5000"))
        self.rules = ReviewRules.from_reference(reference)
        self.circumstances = CircumstancesBox(self.rules)
        self.officers = FormTable(2, 2)  # Tab leaves it, also while a cell is edited
        self.officers.setHorizontalHeaderLabels([self.tr("Officer"), self.tr("Certificate no.")])
        self.officers.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.officers.verticalHeader().hide()
        self.officers.setMaximumHeight(110)
        self.officers.setItemDelegate(RosterCellDelegate({0: "officer_name", 1: "officer_cert_no"}, self.officers))
        self.roster: dict[str, RosterOfficer] = {}  # the town's officers by certificate number (set_roster)
        self.officer_note = QLabel()  # certificates the roster knows as expired or expiring
        self.officer_note.setObjectName("officer_note")
        self.officer_note.setWordWrap(True)
        self.officer_note.setTextFormat(Qt.TextFormat.RichText)
        self.officer_note.hide()
        add_officer = QPushButton(self.tr("Add officer"))
        add_officer.clicked.connect(lambda: self.officers.insertRow(self.officers.rowCount()))
        officers_box = QWidget()
        ob = QVBoxLayout(officers_box)
        ob.setContentsMargins(0, 0, 0, 0)
        ob.addWidget(self.officers)
        ob.addWidget(self.officer_note)
        ob.addWidget(add_officer, 0, Qt.AlignmentFlag.AlignLeft)

        labelled = {  # the rows in the order of domain.case_fields
            "source": (self.tr("Source *"), self.source), "category": (self.tr("Category *"), self.category),
            "cause": (self.tr("Cause *"), self.cause), "party_kind": (self.tr("Party type"), self.party_kind),
            "party_name": (self.tr("Party name *"), self.party_name),
            "party_id_number": (self.tr("ID number / credit code"), self.party_id_number),
            "party_legal_rep": (self.tr("Legal representative"), self.party_legal_rep),
            "party_address": (self.tr("Party address"), self.party_address),
            "party_phone": (self.tr("Phone"), self.party_phone), "place": (self.tr("Place *"), self.place),
            "occurred_at": (self.tr("Time of conduct *"), self.occurred_at), "facts": (self.tr("Facts"), self.facts),
            "legal_basis": (self.tr("Legal basis"), self.legal_basis),
            "proposed_penalty": (self.tr("Proposed penalty"), self.proposed_penalty),
            "proposed_amount": (self.tr("Proposed fine (yuan)"), self.proposed_amount),
            "circumstances": (self.tr("Circumstances"), self.circumstances),
            "officers": (self.tr("Officers (at least two to file)"), officers_box),
        }
        for name in case_fields.FORM_FIELDS:
            text, widget = labelled[name]
            box = FieldBox(widget)
            label = QLabel(text)
            label.setObjectName(f"{name}_label")
            label.setBuddy(widget)
            self.boxes[name], self.labels[name] = box, label
            self._label_texts[name] = text
            form.addRow(label, box)
        self.boxes["officers"].editor = self.officers

        self.party_kind.currentIndexChanged.connect(self._party_kind_changed)
        self.party_id_number.editingFinished.connect(self._check_id_number)
        for w in (self.cause, self.party_name, self.party_id_number, self.party_legal_rep, self.party_address,
                  self.party_phone, self.place, self.proposed_amount):
            w.textEdited.connect(self._edited)
        for c in (self.source, self.category, self.party_kind, self.proposed_penalty):
            c.currentTextChanged.connect(self._edited)
        self.facts.textChanged.connect(self._edited)
        self.legal_basis.textChanged.connect(self._edited)
        self.occurred_at.dateTimeChanged.connect(self._edited)
        self.officers.itemChanged.connect(self._edited)
        self.officers.itemChanged.connect(self._officer_changed)
        self.circumstances.changed.connect(self._edited)
        for sig in (self.party_kind.currentIndexChanged, self.proposed_penalty.currentTextChanged,
                    self.proposed_amount.textChanged, self.circumstances.changed):
            sig.connect(self._show_major)
        self._loading = False
        self._party_kind_changed()

    # --- fitting the pane ------------------------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        self._fit_rows(event.size().width())
        super().resizeEvent(event)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        """The fields' sizes changed (a style or font applied when shown, a message): labels beside or above
        decided again."""
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self._fit_rows(self.width())
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """As narrow as the fields can be with the labels above them: the pane never gets narrower than that
        (the form would be cut at the right), and is free to get that narrow."""
        hint = super().minimumSizeHint()
        margins = self.layout_.contentsMargins()
        widest = max([box.minimumSizeHint().width() for box in self.boxes.values()]
                     + [self.fontMetrics().horizontalAdvance("中") * 4])
        width = (widest + margins.left() + margins.right() + self.verticalScrollBar().sizeHint().width()
                 + 2 * self.frameWidth())
        return QSize(max(hint.width(), width), hint.height())

    def labels_above(self) -> bool:
        return self.layout_.rowWrapPolicy() == QFormLayout.RowWrapPolicy.WrapAllRows

    def _fit_rows(self, width: int) -> None:
        """Labels beside their fields where the pane has room for the label column (LABEL_EM characters at
        most: a longer label wraps onto a second line) and a field of FIELD_ROOM_EM characters (or the widest
        field's minimum), else above them, wrapped only where the pane is narrower than the label. Decided on the
        pane's width less room for the vertical scroll bar, whether it shows or not, and on the labels' texts, not
        their wrapped sizes: the choice does not flip when the bar or a wrap comes and goes."""
        form = self.layout_
        margins = form.contentsMargins()
        room = (width - 2 * self.frameWidth() - self.verticalScrollBar().sizeHint().width()
                - margins.left() - margins.right())
        em = self.fontMetrics().horizontalAdvance("中")
        texts = {name: lb.fontMetrics().horizontalAdvance(lb.text()) + 2 * lb.margin() + 2 * lb.indent() + 2
                 for name, lb in self.labels.items()}  # each text on one line
        column = min(max(texts.values()), em * LABEL_EM)
        field = max([em * FIELD_ROOM_EM] + [box.minimumSizeHint().width() for box in self.boxes.values()])
        spacing = form.horizontalSpacing() if form.horizontalSpacing() >= 0 else 6
        above = room < column + spacing + field
        policy = QFormLayout.RowWrapPolicy.WrapAllRows if above else QFormLayout.RowWrapPolicy.DontWrapRows
        if form.rowWrapPolicy() != policy:
            form.setRowWrapPolicy(policy)
        for name, lb in self.labels.items():
            text = self._label_texts[name]
            if above:  # a line of its own: wrapped only where the pane is narrower than the label
                shown, wrap = text, texts[name] > max(room, em)
            else:  # beside: a label wider than the column on two lines
                shown, wrap = (text if texts[name] <= column else _broken(text, lb.fontMetrics(), column)), False
            if lb.wordWrap() != wrap:
                lb.setWordWrap(wrap)
            if lb.text() != shown:
                lb.setText(shown)

    # --- draft in, draft out -------------------------------------------------------------------------------------
    def set_draft(self, draft: CaseDraft) -> None:
        self._loading = True
        try:
            self.source.setCurrentText(draft.source)
            self.category.setCurrentText(draft.category)
            set_limited_text(self.cause, draft.cause)
            self.party_kind.setCurrentIndex(max(self.party_kind.findData(draft.party_kind), 0))
            for name in ("party_name", "party_id_number", "party_legal_rep", "party_address", "party_phone", "place",
                         "proposed_amount"):
                set_limited_text(getattr(self, name), getattr(draft, name) or "")
            self.occurred_at.setDateTime(QDateTime(draft.occurred_at or datetime.now().replace(second=0,
                                                                                                microsecond=0)))
            self.facts.setPlainText(draft.facts)
            self.legal_basis.setPlainText(draft.legal_basis)
            set_limited_text(self.proposed_penalty.lineEdit(), draft.proposed_penalty or "")  # never cut on loading
            self.proposed_penalty.setCurrentText(draft.proposed_penalty or "")
            self.circumstances.set_keys(draft.circumstances)
            self._show_major()
            self.officers.setRowCount(max(2, len(draft.officers)))
            for r in range(self.officers.rowCount()):
                o = draft.officers[r] if r < len(draft.officers) else Officer("", "")
                self.officers.setItem(r, 0, QTableWidgetItem(o.name))
                self.officers.setItem(r, 1, QTableWidgetItem(o.cert_no))
            self.clear_errors()
        finally:
            self._loading = False
        self.show_officer_note()

    def draft(self) -> CaseDraft:
        officers = []
        for r in range(self.officers.rowCount()):
            cells = [self.officers.item(r, c) for c in (0, 1)]
            officers.append(Officer(*(c.text() if c else "" for c in cells)))
        return CaseDraft(
            source=self.source.currentText(), cause=self.cause.text(), category=self.category.currentText(),
            party_kind=self.party_kind.currentData(), party_name=self.party_name.text(),
            party_id_number=self.party_id_number.text(), party_legal_rep=self.party_legal_rep.text(),
            party_address=self.party_address.text(), party_phone=self.party_phone.text(), place=self.place.text(),
            occurred_at=self.occurred_at.dateTime().toPython().replace(second=0, microsecond=0),
            facts=self.facts.toPlainText(), legal_basis=self.legal_basis.toPlainText(),
            proposed_penalty=self.proposed_penalty.currentText(), proposed_amount=self.proposed_amount.text(),
            officers=[o for o in officers if o.name.strip() or o.cert_no.strip()],
            circumstances=self.circumstances.keys(),
        )

    def set_read_only(self, read_only: bool) -> None:
        for w in (self.cause, self.party_name, self.party_id_number, self.party_legal_rep, self.party_address,
                  self.party_phone, self.place, self.proposed_amount):
            w.setReadOnly(read_only)
        for w in (self.facts, self.legal_basis):
            w.setReadOnly(read_only)
        for w in (self.source, self.category, self.party_kind, self.proposed_penalty, self.occurred_at):
            w.setEnabled(not read_only)
        self.circumstances.set_read_only(read_only)
        self.officers.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers if read_only
                                      else QTableWidget.EditTrigger.AllEditTriggers)

    # --- errors ----------------------------------------------------------------------------------------------------
    def clear_errors(self) -> None:
        for box in self.boxes.values():
            box.set_error(None)

    def show_errors(self, exc: DraftInvalid) -> None:
        self.clear_errors()
        first = None
        for err in exc.errors:
            box = self.boxes.get(err.field or "")
            if box:
                box.set_error(err.message)
                first = first or box.editor
        if first:
            self.ensureWidgetVisible(first)
            first.setFocus()

    def error_messages(self) -> list[str]:
        """The messages shown under the fields now, in form order."""
        return [box.error.text() for box in self.boxes.values() if box.error.text()]

    def recheck_errors(self) -> None:
        """After an edit, the fields showing a message are checked again: a message goes as soon as its field is
        valid, and says what is wrong now while it is not. No new message appears while the user types."""
        shown = [name for name, box in self.boxes.items() if box.error.text()]
        if not shown:
            return
        remaining: dict[str, str] = {}
        try:
            validate(self.draft(), rules=self.rules)
        except DraftInvalid as exc:
            for err in exc.errors:
                remaining.setdefault(err.field or "", err.message)
        for name in shown:
            self.boxes[name].set_error(remaining.get(name))

    def _check_id_number(self) -> None:
        """Inline check as soon as the user leaves the field: the reason, in words a clerk understands."""
        text = self.party_id_number.text().strip()
        box = self.boxes["party_id_number"]
        if not text:
            box.set_error(None)
            return
        try:
            if self.party_kind.currentData() == PERSON:
                validate_citizen_id(text)
            else:
                validate_credit_code(text)
            box.set_error(None)
        except DomainError as exc:
            box.set_error(exc.message)

    def _party_kind_changed(self) -> None:
        person = self.party_kind.currentData() == PERSON
        self.party_id_number.setPlaceholderText(self.tr("18-character citizen ID") if person
                                                else self.tr("18-character unified social credit code"))
        self.party_legal_rep.setEnabled(not person)
        if self.party_id_number.text():
            self._check_id_number()

    def _show_major(self, *_args) -> None:
        self.circumstances.show_major(party_kind=self.party_kind.currentData() or PERSON,
                                      penalty=self.proposed_penalty.currentText(), amount=self.proposed_amount.text())

    def _edited(self, *_args) -> None:
        if not self._loading:
            self.recheck_errors()
            self.changed.emit()

    # --- the roster (人员与执法证) -------------------------------------------------------------------------------
    def set_roster(self, officers: list[RosterOfficer]) -> None:
        """The town's officers: their names are offered in the officer column (a chosen name fills in the
        certificate number), and an officer whose certificate has expired or expires soon is named below."""
        self.roster = {o.cert_no.upper(): o for o in officers}
        self.officers.itemDelegate().set_names(sorted({o.name for o in officers if o.active}))
        self.show_officer_note()

    def _officer_changed(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        if item.column() == 0 and item.text().strip():
            cert = self.officers.item(item.row(), 1)
            if cert is None or not cert.text().strip():
                match = [o for o in self.roster.values() if o.active and o.name == item.text().strip()]
                if len(match) == 1:
                    self.officers.setItem(item.row(), 1, QTableWidgetItem(match[0].cert_no))
        self.show_officer_note()

    def show_officer_note(self) -> None:
        """Expired certificates (red: such an officer cannot file the case), then those expiring soon (amber)."""
        expired, expiring = [], []
        for r in range(self.officers.rowCount()):
            cell = self.officers.item(r, 1)
            found = self.roster.get((cell.text() if cell else "").strip().upper())
            if found is None:
                continue
            if found.state == "expired":
                expired.append(self.tr("%1's certificate (no. %2) expired on %3: they cannot file this case. "
                                       "Choose an officer with a valid certificate, or update the certificate on "
                                       "the Officers page.").replace("%1", found.name)
                               .replace("%2", found.cert_no).replace("%3", found.expires_on))
            elif found.state == "expiring" and found.active:
                expiring.append(self.tr("%1's certificate expires on %2 (%3 days left).").replace("%1", found.name)
                                .replace("%2", found.expires_on).replace("%3", str(found.days_left)))
        lines = [(OVERDUE, t) for t in expired] + [(WARN, t) for t in expiring]
        self.officer_note.setText("<br>".join(f"<span style='color: {c};'>{escape(t)}</span>" for c, t in lines))
        self.officer_note.setStyleSheet(ERROR_STYLE if expired else f"color: {WARN};")
        self.officer_note.setVisible(bool(lines))


# The case's steps in the colours of views/style.py: the next step of its ordinary course in the primary colour
# (the first of these offered), the ones that end it without a decision on the merits (撤销, 不予立案) in the
# destructive one; both kinds ask before they act (CaseDetail.run_action names the consequence).
FORWARD_ACTIONS = ("file", "start_investigation", "close_investigation", "notify", "submit_review", "decide",
                   "serve", "execute", "close")
DESTRUCTIVE_ACTIONS = frozenset({"revoke", "not_file"})


class CaseHeader(QWidget):
    """Case number, status and deadline, with one button per step the user may take now."""

    actionRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel()
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        heading(self.title, 1)
        self.title.setWordWrap(True)  # a long number and status wrap in a narrow pane
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.buttons = FlowLayout()  # the steps wrap onto a second line in a narrow pane
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.title)
        lay.addWidget(self.detail)
        lay.addLayout(self.buttons)

    def show_case(self, record: CaseRecord | None, actions: list, *, today) -> None:
        while self.buttons.count():
            widget = self.buttons.takeAt(0).widget()
            if widget:
                widget.setParent(None)  # gone from the header at once, not only at the next event loop
                widget.deleteLater()
        if record is None:
            self.title.setText(self.tr("New case"))
            self.detail.setText(self.tr("Fill in the fields marked * and press Ctrl+S to save."))
            return
        self.title.setText(f"{record.number}　{record.status.label}")
        parts = [self.tr("Opened %1").replace("%1", str(record.opened_on))]
        if record.decision_due:
            left = (record.decision_due - today).days
            if left < 0 and not record.status.is_terminal and record.status.value in OPEN_BEFORE_DECISION:
                parts.append(self.tr("Decision overdue by %1 days (due %2)").replace("%1", str(-left))
                             .replace("%2", str(record.decision_due)))
            else:
                parts.append(self.tr("Decision due %1").replace("%1", str(record.decision_due)))
        self.detail.setText("　".join(parts))
        primary = next((t.action for t in actions if t.action in FORWARD_ACTIONS), None)
        for t in actions:
            b = QPushButton(t.label)
            b.setObjectName(f"action_{t.action}")
            if t.action in DESTRUCTIVE_ACTIONS:
                mark_destructive(b)
            elif t.action == primary:
                mark_primary(b)
            b.clicked.connect(lambda _=False, a=t.action: self.actionRequested.emit(a))
            self.buttons.addWidget(b)
        self._tab_before_the_case()

    def _tab_before_the_case(self) -> None:
        """Made after the form, the steps would come last in the window's Tab chain: they are put where the
        header stands in it (after the list, before the case's tabs)."""
        previous = self.previousInFocusChain()
        for _ in range(500):  # the focusable widget before the header (the chain is a ring)
            if previous is self or previous.focusPolicy() & Qt.FocusPolicy.TabFocus:
                break
            previous = previous.previousInFocusChain()
        if previous is self:
            return
        for i in range(self.buttons.count()):
            button = self.buttons.itemAt(i).widget()
            QWidget.setTabOrder(previous, button)
            previous = button

