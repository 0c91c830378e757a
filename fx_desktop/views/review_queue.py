"""The 法制审核 section: for the town's legal reviewers, the queue of submitted cases by deadline (working days left,
overdue in red); for everyone, all rounds of the town with their outcome. Double-click or Enter opens the case."""
from __future__ import annotations

from datetime import date
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain.roles import Role
from ..services import legal_review
from ..services.profile import Profile
from ..store import Store
from . import style
from .icons import icon
from .style import EmptyState

OVERDUE = QColor(style.OVERDUE)


class ReviewQueue(QWidget):
    caseRequested = Signal(str)
    pendingChanged = Signal(int, int)  # rounds waiting for review, of which overdue (after each refresh)

    def __init__(self, store: Store, profile: Profile, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.profile, self.today = store, profile, today
        self.title = QLabel()
        self.pending_only = QCheckBox(self.tr("Waiting for review only"))
        self.pending_only.setObjectName("queue_pending_only")
        self.pending_only.toggled.connect(self.refresh)
        refresh = QPushButton(icon("refresh"), self.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        self.table = QTableWidget(0, 8)
        self.table.setObjectName("review_queue")
        self.table.setHorizontalHeaderLabels([
            self.tr("Case number"), self.tr("Party"), self.tr("Cause"), self.tr("Proposed decision"),
            self.tr("Round"), self.tr("Submitted by"), self.tr("Due"), self.tr("Status")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.cellDoubleClicked.connect(lambda row, _col: self._open(row))
        self.empty = EmptyState.over(self.table)
        self.empty.setObjectName("review_queue_empty")
        self.empty.nextStep.connect(lambda: self.pending_only.setChecked(False))
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.pending_only)
        top.addWidget(refresh)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        self._case_ids: list[str] = []
        self._opened_row = 0
        self.pending = self.overdue = 0
        self.set_profile(profile)

    def set_profile(self, profile: Profile) -> None:
        self.profile = profile
        self.pending_only.blockSignals(True)
        self.pending_only.setChecked(profile.role == Role.LEGAL_REVIEWER)
        self.pending_only.blockSignals(False)
        self.refresh()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.currentRow() >= 0:
            self._open(self.table.currentRow())
            return
        super().keyPressEvent(event)

    def refresh(self) -> None:
        items = legal_review.queue(self.store, self.profile, today=self.today(),
                                   pending_only=self.pending_only.isChecked())
        pending = [i for i in items if i.review.status.value == "pending"]
        overdue = sum(i.overdue for i in pending)
        if (len(pending), overdue) != (self.pending, self.overdue):
            self.pending, self.overdue = len(pending), overdue
            self.pendingChanged.emit(self.pending, self.overdue)
        self.title.setText(self.tr("%1 waiting for review, %2 overdue").replace("%1", str(len(pending)))
                           .replace("%2", str(overdue)) if self.pending_only.isChecked()
                           else self.tr("%1 review rounds").replace("%1", str(len(items))))
        self.table.setRowCount(len(items))
        self._show_empty(not items)
        self._case_ids = [i.review.case_id for i in items]
        for row, i in enumerate(items):
            r = i.review
            if r.status.value != "pending":
                state = r.outcome.label if r.outcome else r.status.label
            elif i.overdue:
                state = self.tr("Overdue by %1 working days").replace("%1", str(-i.working_days_left))
            else:
                state = self.tr("%1 working days left").replace("%1", str(i.working_days_left))
            if i.provisional and r.status.value == "pending":
                state += self.tr(" (provisional: no holiday calendar for that year)")
            cells = [i.case_number, i.party_name, i.cause, i.proposed, str(r.round_no), r.submitted_by,
                     str(r.due_on) + (self.tr(" (extended)") if r.extension_reason else ""), state]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if i.overdue and r.status.value == "pending":
                    item.setForeground(QBrush(OVERDUE))
                self.table.setItem(row, col, item)

    def case_ids(self) -> list[str]:
        """The cases of the rows, in the table's order (a case once)."""
        return list(dict.fromkeys(self._case_ids))

    def select_case(self, case_id: str | None) -> None:
        """Back from the review desk: the row of `case_id` (its first), else the row opened last (or the one now
        in its place), selected with the keyboard on the table."""
        rows = self.table.rowCount()
        if not rows:
            return
        row = self._case_ids.index(case_id) if case_id in self._case_ids else min(self._opened_row, rows - 1)
        self.table.setCurrentCell(row, 0)
        self.table.selectRow(row)
        self.table.setFocus()

    def _show_empty(self, empty: bool) -> None:
        if self.pending_only.isChecked():
            self.empty.set_text(self.tr("No case is waiting for legal review. Cases the town submits for review "
                                        "appear here, the nearest deadline first."), self.tr("Show every round"))
        else:
            self.empty.set_text(self.tr("No legal review yet. A case is submitted from its “Legal review” tab "
                                        "(“Submit for legal review…”); its rounds then appear here."))
        self.empty.show_when(empty)

    def _open(self, row: int) -> None:
        if 0 <= row < len(self._case_ids):
            self._opened_row = row
            self.caseRequested.emit(self._case_ids[row])
