"""The history of sync runs on the sync page. The retries of one failing sync (until the next success) are one
row, “失败（已重试 3 次）”, showing the latest attempt's time and message, not one row per retry."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from ..store.models import SyncRun
from . import style
from .style import EmptyState


@dataclass(frozen=True)
class RunRow:
    """One row: a run, or a failed run and its retries (`attempts` > 1). Counts add up over the attempts."""

    last_at: datetime
    first_at: datetime
    ok: bool
    attempts: int
    pushed: int
    pulled: int
    rejected: int
    conflicts: int
    message: str


def group_runs(runs: list[SyncRun], limit: int) -> list[RunRow]:
    """`runs` newest first; consecutive failures fold into the newest of them."""
    rows: list[RunRow] = []
    for run in runs:
        last = rows[-1] if rows else None
        if last is not None and not last.ok and not run.ok:
            rows[-1] = RunRow(last.last_at, run.started_at, False, last.attempts + 1, last.pushed + run.pushed,
                              last.pulled + run.pulled, last.rejected + run.rejected,
                              last.conflicts + run.conflicts, last.message)
            continue
        if len(rows) == limit:
            break
        rows.append(RunRow(run.started_at, run.started_at, bool(run.ok), 1, run.pushed, run.pulled, run.rejected,
                           run.conflicts, run.message or ""))
    return rows


class SyncHistory(QTableWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, 7, parent)
        self.setHorizontalHeaderLabels([self.tr("Time"), self.tr("Result"), self.tr("Sent"), self.tr("Received"),
                                        self.tr("Rejected"), self.tr("Conflicts"), self.tr("Message")])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setTabKeyNavigation(False)  # Tab leaves the table
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.setWordWrap(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.empty = EmptyState.over(self, self.tr("No sync has run yet. Log in to the server above; the desk then "
                                                   "syncs every few minutes, or at once with “Sync now”."))
        self.empty.setObjectName("sync_history_empty")
        self.empty.show_when(True)

    def result_text(self, row: RunRow) -> str:
        if row.ok:
            return self.tr("OK")
        if row.attempts == 1:
            return self.tr("Failed")
        return self.tr("Failed (retried %1 times)").replace("%1", str(row.attempts - 1))

    def show_runs(self, rows: list[RunRow]) -> None:
        self.setRowCount(len(rows))
        for index, row in enumerate(rows):
            cells = [row.last_at.strftime("%Y-%m-%d %H:%M:%S"), self.result_text(row), str(row.pushed),
                     str(row.pulled), str(row.rejected), str(row.conflicts), row.message]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 6:
                    item.setToolTip(text)
                if column <= 1 and row.attempts > 1:
                    item.setToolTip(self.tr("First attempt %1, last attempt %2")
                                    .replace("%1", row.first_at.strftime("%Y-%m-%d %H:%M:%S"))
                                    .replace("%2", row.last_at.strftime("%Y-%m-%d %H:%M:%S")))
                if 2 <= column <= 5:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if column == 1 and not row.ok:
                    item.setForeground(QColor(style.OVERDUE))
                self.setItem(index, column, item)
        self.empty.show_when(not rows)
