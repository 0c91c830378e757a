"""The conflicts inbox: open sync conflicts and changes the server rejected, in one list. A conflict shows the
field side by side (original, mine, theirs) and is settled by keeping one value or an edited merge; the decision is
queued as a mutation by services.conflicts and pushed at once."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QMessageBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from ..domain.case_fields import TEXT_FIELDS
from ..domain.errors import DomainError
from ..services import storage_errors
from ..services.conflicts import (
    DELETED,
    ConflictRecord,
    RejectedRecord,
    open_conflicts_for,
    own_client_id,
    rejected_entries,
    resolve_conflict,
    text_to_value,
    value_to_text,
)
from ..services.profile import Profile
from ..store import Store
from .field_widgets import ERROR_STYLE, LimitedTextEdit
from .style import OK_STYLE, EmptyState, mark_destructive

RECORD = Qt.ItemDataRole.UserRole


def _text_box() -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setReadOnly(True)
    box.setMinimumHeight(60)
    return box


class ConflictView(QWidget):
    """One conflict: the three values side by side and the three ways to settle it."""

    keep = Signal(object)  # the chosen value
    mergeRequested = Signal()
    openCase = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold;")
        self.base, self.mine, self.theirs = _text_box(), _text_box(), _text_box()
        self.base_label = QLabel(self.tr("Original"))
        self.mine_label = QLabel(self.tr("My change"))
        self.theirs_label = QLabel(self.tr("Their change"))
        grid = QGridLayout()
        for column, (label, box) in enumerate(((self.base_label, self.base), (self.mine_label, self.mine),
                                               (self.theirs_label, self.theirs))):
            grid.addWidget(label, 0, column)
            grid.addWidget(box, 1, column)
            grid.setColumnStretch(column, 1)
        self.keep_mine = QPushButton(self.tr("Keep mine"))
        self.keep_theirs = QPushButton(self.tr("Keep theirs"))
        self.merge = QPushButton(self.tr("Edit merge…"))
        self.open_case = QPushButton(self.tr("Open case"))
        self.keep_mine.clicked.connect(lambda: self.keep.emit(self._mine))
        self.keep_theirs.clicked.connect(self._keep_theirs)
        mark_destructive(self.keep_theirs)  # my change is dropped for good: asks first
        self.merge.clicked.connect(self.mergeRequested)
        self.open_case.clicked.connect(self.openCase)
        buttons = QHBoxLayout()
        for b in (self.keep_mine, self.keep_theirs, self.merge):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.open_case)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.title)
        lay.addLayout(grid, 1)
        lay.addLayout(buttons)
        self._mine = self._theirs = None

    def show_conflict(self, c: ConflictRecord, viewer: str, viewer_client: str | None = None) -> None:
        self._mine, self._theirs = c.sides(viewer, viewer_client)
        theirs_by_other = not c.pushed_here(viewer, viewer_client)
        number = c.case_number or c.case_id[:8]
        empty = self.tr("(empty)")
        if c.field == DELETED:
            self.title.setText(self.tr("Case %1 was deleted on the server while it was changed here.")
                               .replace("%1", number))
        else:
            self.title.setText(self.tr("Case %1: the field “%2” has two different values.")
                               .replace("%1", number).replace("%2", c.label))
        for box, value in ((self.base, c.base), (self.mine, self._mine), (self.theirs, self._theirs)):
            box.setPlainText(value_to_text(c.field, value) or empty)
        if c.field == DELETED:
            (self.mine if self._mine is None else self.theirs).setPlainText(self.tr("(case deleted)"))
        other = c.mine_by if theirs_by_other else ""
        self.theirs_label.setText(self.tr("Their change (%1)").replace("%1", other) if other
                                  else self.tr("Their change"))
        deleted = c.field == DELETED
        self.keep_mine.setEnabled(not deleted)
        self.merge.setEnabled(not deleted)
        self.keep_mine.setToolTip(self.tr("A deleted case cannot be restored here; ask your squad leader to "
                                          "register it again.") if deleted else "")
        self.keep_theirs.setText(self.tr("Accept the deletion") if deleted else self.tr("Keep theirs"))
        self.open_case.setEnabled(not deleted)

    def _keep_theirs(self) -> None:
        """Dropping my change cannot be undone: asked first (No by default), naming both values."""
        question = (self.tr("Drop your change “%1” and keep “%2”? Your change cannot be recovered afterwards.")
                    .replace("%1", self.mine.toPlainText()).replace("%2", self.theirs.toPlainText()))
        answer = QMessageBox.question(self, self.keep_theirs.text(), question,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.keep.emit(self._theirs)

    @property
    def mine_value(self):
        return self._mine


class RejectedView(QWidget):
    openCase = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel(self.tr("The server rejected this change"))
        self.title.setStyleSheet("font-weight: bold;")
        self.what, self.case, self.when = QLabel(), QLabel(), QLabel()
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet(ERROR_STYLE)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint = hint = QLabel()
        hint.setWordWrap(True)
        self.open_case = QPushButton(self.tr("Open case"))
        self.open_case.clicked.connect(self.openCase)
        grid = QGridLayout()
        for row, (label, widget) in enumerate(((self.tr("Change"), self.what), (self.tr("Case"), self.case),
                                               (self.tr("Made at"), self.when), (self.tr("Reason"), self.reason))):
            grid.addWidget(QLabel(label), row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(widget, row, 1)
        grid.setColumnStretch(1, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.title)
        lay.addLayout(grid)
        lay.addWidget(hint)
        lay.addStretch(1)
        lay.addWidget(self.open_case, 0, Qt.AlignmentFlag.AlignRight)

    def show_rejected(self, r: RejectedRecord) -> None:
        self.what.setText(r.what)
        self.case.setText(r.case_number or (r.case_id or "")[:8] or "—")
        self.when.setText(r.created_at.strftime("%Y-%m-%d %H:%M"))
        self.reason.setText(r.reason)
        self.hint.setText(
            self.tr("The case stays on this computer only, marked as not accepted. Open it, correct it as the reason "
                    "says and press “Resubmit”, or discard it.") if r.name == "create_case" else
            self.tr("The change stays on this computer only. Open the case, check it against the reason, and make "
                    "the change again if it is still needed."))
        self.open_case.setEnabled(bool(r.case_number))


class MergeDialog(QDialog):
    """An editable copy of my value; `submit` settles the conflict or raises DomainError, which is shown here."""

    def __init__(self, conflict: ConflictRecord, mine, submit, parent: QWidget | None = None):
        super().__init__(parent)
        self.conflict, self.submit = conflict, submit
        self.setWindowTitle(self.tr("Edit merge: %1").replace("%1", conflict.label))
        limited = conflict.field in TEXT_FIELDS
        self.editor = LimitedTextEdit(conflict.field) if limited else QPlainTextEdit()
        self.editor.setPlainText(value_to_text(conflict.field, mine))
        hint = {"officers": self.tr("One officer per line: name, a space, certificate number."),
                "occurred_at": self.tr("Date and time as 2025-12-01 10:30.")}.get(conflict.field, "")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Write the value the case should have; the other values stay visible on the "
                                     "“Sync” page until this is sent.")))
        lay.addWidget(self.editor, 1)
        if limited:
            lay.addWidget(self.editor.counter)
        if hint:
            lay.addWidget(QLabel(hint))
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.resize(520, 300)

    def accept(self) -> None:
        try:
            self.submit(text_to_value(self.conflict.field, self.editor.toPlainText()))
        except DomainError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        super().accept()


class ConflictInbox(QWidget):
    resolved = Signal(str)  # case id: a resolution was queued
    openCaseRequested = Signal(str)

    def __init__(self, store: Store, profile: Profile, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.profile = store, profile
        self.merge_dialog: MergeDialog | None = None
        self.list = QListWidget()
        self.list.setMinimumWidth(self.fontMetrics().horizontalAdvance("奉南桥综执立〔2026〕0001号") + 32)
        self.list.setAlternatingRowColors(True)
        self.list.currentItemChanged.connect(self._selected)
        self.empty = EmptyState(self.tr("No conflicts and no rejected changes. When someone else changed a field you "
                                        "changed too, or the server refused a change, it is shown here to settle."))
        self.empty.setObjectName("conflicts_empty")
        self.conflict_view = ConflictView()
        self.conflict_view.keep.connect(self._resolve_current)
        self.conflict_view.mergeRequested.connect(self.edit_merge)
        self.conflict_view.openCase.connect(self._open_current)
        self.rejected_view = RejectedView()
        self.rejected_view.openCase.connect(self._open_current)
        self.detail = QStackedWidget()
        for page in (self.empty, self.conflict_view, self.rejected_view):
            self.detail.addWidget(page)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        right = QWidget()
        right_lay = QVBoxLayout(right)
        right_lay.setContentsMargins(0, 0, 0, 0)
        right_lay.addWidget(self.detail, 1)
        right_lay.addWidget(self.message)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(splitter)

    def set_profile(self, profile: Profile) -> None:
        self.profile = profile
        self.refresh()

    def refresh(self) -> None:
        """Reload both lists, keeping the selection where it still exists."""
        key = self._key(self.current())
        self.list.blockSignals(True)
        self.list.clear()
        try:
            conflicts, rejected = open_conflicts_for(self.store), rejected_entries(self.store)
        except SQLAlchemyError as exc:
            self.show_message(self.tr("The list could not be read: %1.").replace("%1", storage_errors.describe(exc)))
            conflicts, rejected = [], []
        for c in conflicts:
            self._add(self.tr("Conflict: %1").replace("%1", c.label), c.case_number or c.case_id[:8], c)
        for r in rejected:
            self._add(self.tr("Rejected: %1").replace("%1", r.what), r.case_number or "—", r)
        self.list.blockSignals(False)
        row = next((i for i in range(self.list.count()) if self._key(self.list.item(i).data(RECORD)) == key), 0)
        if self.list.count():
            self.list.setCurrentRow(row)
        self.list.setVisible(self.list.count() > 0)  # no blank list beside the “nothing here” line
        self._selected(self.list.currentItem())

    def is_empty(self) -> bool:
        return self.list.count() == 0

    def _add(self, what: str, case_number: str, record) -> None:
        text = f"{what}\n{case_number}"
        item = QListWidgetItem(text)
        item.setData(RECORD, record)
        item.setToolTip(text)
        self.list.addItem(item)

    @staticmethod
    def _key(record) -> tuple:
        return type(record).__name__, getattr(record, "id", getattr(record, "mutation_id", None))

    def current(self):
        item = self.list.currentItem()
        return item.data(RECORD) if item else None

    def _selected(self, item, _previous=None) -> None:
        record = item.data(RECORD) if item else None
        if isinstance(record, ConflictRecord):
            self.conflict_view.show_conflict(record, self.profile.name, own_client_id(self.store, self.profile))
            self.detail.setCurrentWidget(self.conflict_view)
        elif isinstance(record, RejectedRecord):
            self.rejected_view.show_rejected(record)
            self.detail.setCurrentWidget(self.rejected_view)
        else:
            self.detail.setCurrentWidget(self.empty)

    def show_message(self, text: str | None, *, error: bool = True) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else OK_STYLE)
        self.message.setText(text or "")
        self.message.setVisible(bool(text))

    # --- actions --------------------------------------------------------------------------------------------

    def resolve(self, conflict: ConflictRecord, value) -> None:
        """Settle `conflict` with `value`; DomainError goes to the caller (the merge dialog shows it)."""
        try:
            resolve_conflict(self.store, self.profile, conflict.id, value)
        except (SQLAlchemyError, OSError) as exc:
            text = self.tr("The decision was not saved: %1.").replace("%1", storage_errors.describe(exc))
            raise DomainError(text) from exc
        self.show_message(self.tr("Decision saved; it is being sent to the server."), error=False)
        self.refresh()
        self.resolved.emit(conflict.case_id)

    def _resolve_current(self, value) -> None:
        conflict = self.current()
        if not isinstance(conflict, ConflictRecord):
            return
        try:
            self.resolve(conflict, value)
        except DomainError as exc:
            self.show_message(exc.message)

    def edit_merge(self) -> None:
        conflict = self.current()
        if not isinstance(conflict, ConflictRecord):
            return
        self.merge_dialog = MergeDialog(conflict, self.conflict_view.mine_value,
                                        lambda value: self.resolve(conflict, value), self)
        self.merge_dialog.open()

    def _open_current(self) -> None:
        record = self.current()
        if record is not None and record.case_id:
            self.openCaseRequested.emit(record.case_id)
