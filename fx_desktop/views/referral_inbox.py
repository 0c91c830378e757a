"""The 移送 section. For a department (or the procuratorate, the police) it is the home page: the organisation's
inbox of referrals received. For a town it lists the referrals the town sent. Sorted by the running deadline,
overdue rows red and marked 【已逾期】 in words too; filter by status; Enter or a double-click opens the detail."""
from __future__ import annotations

from datetime import date
from typing import Callable

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget
)

from sqlalchemy.exc import SQLAlchemyError

from ..domain.errors import DomainError
from ..domain.referral import ReferralStatus, due
from ..services import storage_errors
from .activating_table import ActivatingTable
from .field_widgets import ERROR_STYLE
from . import style
from .icons import icon
from .referral_actions import ReferralActions, status_of
from .referral_view import ReferralView, deadline_text
from .rows_model import RowsModel
from .style import EmptyState

OVERDUE = QColor(style.OVERDUE)
NUMBER, ORG, CAUSE, PARTY, STATUS, DEADLINE = range(6)
OPEN = "__open__"  # the status filter "open ones": submitted, received, accepted
ALL = 1  # the filter's row "all referrals"


class ReferralTableModel(RowsModel):
    """Referrals as rows of texts made once per load; `records` come in deadline order from the service."""

    def __init__(self, org_name: Callable[[str], str], *, receiving_side: bool,
                 today: Callable[[], date] = date.today, parent: QObject | None = None):
        """`receiving_side`: the second column names who referred (a department's inbox) instead of the receiver
        (a town's list)."""
        super().__init__(parent)
        self.org_name, self.receiving_side, self.today = org_name, receiving_side, today
        self._all: list = []
        self._rows: list[tuple[object, tuple[str, ...], bool]] = []
        self._status: str | None = None
        self._sort: tuple[int, bool] | None = None
        self.headers = [self.tr("Referral number"), "", self.tr("Cause"), self.tr("Party"), self.tr("Status"),
                        self.tr("Deadline")]
        self.set_receiving_side(receiving_side)

    def set_receiving_side(self, receiving_side: bool) -> None:
        self.receiving_side = receiving_side
        self.headers[ORG] = self.tr("Referred by") if receiving_side else self.tr("Referred to")
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, ORG, ORG)
        self._rebuild()

    # --- data in ------------------------------------------------------------------------------------------------
    def set_records(self, records: list) -> None:
        self._all = list(records)
        self._rebuild()

    def set_status(self, status: str | None) -> None:
        """None: every referral; OPEN: those still running; else one ReferralStatus value."""
        self._status = status
        self._rebuild()

    def _wanted(self, record) -> bool:
        if self._status is None:
            return True
        status = status_of(record)
        return status.is_open if self._status == OPEN else str(status) == self._status

    def _rebuild(self) -> None:
        today = self.today()
        self.beginResetModel()
        rows = [self._shape(r, today) for r in self._all if self._wanted(r)]
        if self._sort is not None:
            column, descending = self._sort
            rows.sort(key=lambda row: self._key(row, column), reverse=descending)
        self._rows = rows
        self.endResetModel()

    def _shape(self, record, today: date) -> tuple[object, tuple[str, ...], bool]:
        state = record.data or {}
        snap = state.get("case_snapshot") or {}
        deadline, late = deadline_text(state, today)
        other = record.owner_org if self.receiving_side else record.receiving_org
        texts = (record.number or "", self.org_name(other), str(snap.get("cause") or ""),
                 str(snap.get("party_name") or ""), status_of(record).label, deadline)
        return record, texts, late

    @staticmethod
    def _key(row, column: int):
        if column == DEADLINE:
            clock = due(row[0].data or {})
            return (clock is None, clock[1].isoformat() if clock else "")
        return row[1][column]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order == Qt.SortOrder.DescendingOrder)
        self._rebuild()

    def open_and_late(self) -> tuple[int, int]:
        """Referrals still running and how many of them are overdue, whatever the status filter shows."""
        today = self.today()
        running = [r for r in self._all if status_of(r).is_open]
        return len(running), sum(1 for r in running if deadline_text(r.data or {}, today)[1])

    # --- model interface ----------------------------------------------------------------------------------------
    def rows(self) -> list:
        return self._rows

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) \
                or not (0 <= index.column() < len(self.headers)):
            return None
        record, texts, late = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return texts[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return record.id
        if late and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(OVERDUE)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("Overdue: %1").replace("%1", texts[DEADLINE]) if late else texts[index.column()]
        return None

    def record(self, row: int):
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def is_overdue(self, row: int) -> bool:
        return 0 <= row < len(self._rows) and self._rows[row][2]

    def row_of(self, referral_id: str | None) -> int | None:
        for i, (record, _texts, _late) in enumerate(self._rows):
            if record.id == referral_id:
                return i
        return None


class ReferralInbox(QWidget):
    """List and detail side by side. `load()` returns the referrals to list (services.referrals.inbox for this
    user); after a step (`actions.changed`) or a sync that pulled changes the list is read again."""

    caseRequested = Signal(str)  # the town opens its case from a referral

    def __init__(self, store, tasks, actions: ReferralActions, load: Callable[[], list], *, receiving_side: bool,
                 today: Callable[[], date] = date.today, parent: QWidget | None = None):
        super().__init__(parent)
        self.actions, self.load, self.today = actions, load, today
        self.title = QLabel()
        self.title.setObjectName("referral_inbox_title")
        self.status = QComboBox()
        self.status.setObjectName("referral_status_filter")
        self.status.addItem(self.tr("Open referrals"), OPEN)
        self.status.addItem(self.tr("All referrals"), None)
        for s in ReferralStatus:
            self.status.addItem(s.label, s.value)
        self.status.currentIndexChanged.connect(lambda _i: self.model.set_status(self.status.currentData()))
        refresh = QPushButton(icon("refresh"), self.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        self.open_case = QPushButton(icon("open_case"), self.tr("Open the case"))
        self.open_case.setObjectName("referral_open_case")
        self.open_case.clicked.connect(self._open_case)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()

        self.model = ReferralTableModel(actions.orgs.name, receiving_side=receiving_side, today=today, parent=self)
        self.model.set_status(OPEN)
        self.table = ActivatingTable()
        self.table.setObjectName("referral_inbox")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CAUSE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PARTY, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(PARTY, self.fontMetrics().horizontalAdvance("中") * 7)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header.setSortIndicator(DEADLINE, Qt.SortOrder.AscendingOrder)  # the nearest deadline first
        self.table.setSortingEnabled(True)
        self.table.activatedRow.connect(self._activate)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _prev: self._open_row(current.row()))
        self.detail = ReferralView(store, tasks, actions, show_case=True, today=today)
        self.empty = EmptyState.over(self.table, width_chars=26)
        self.empty.setObjectName("referral_inbox_empty")
        self.empty.nextStep.connect(lambda: self.status.setCurrentIndex(ALL))
        self.model.modelReset.connect(self._show_empty)
        self.set_receiving_side(receiving_side)

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(QLabel(self.tr("Status")))
        top.addWidget(self.status)
        top.addWidget(self.open_case)
        top.addWidget(refresh)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addLayout(top)
        ll.addWidget(self.message)
        ll.addWidget(self.table, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 11)
        self.splitter.setStretchFactor(1, 9)
        self.splitter.setSizes([1100, 900])  # the list a little wider: six columns
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.splitter)
        self._selected: str | None = None
        self.model.modelReset.connect(self._reselect)
        actions.changed.connect(lambda rid, _case: self.refresh(select=rid))
        self.refresh()

    def set_receiving_side(self, receiving_side: bool) -> None:
        """A department's inbox (who referred) or a town's list (to whom, with a way to its case)."""
        self.model.set_receiving_side(receiving_side)
        self.open_case.setVisible(not receiving_side)

    def refresh(self, select: str | None = None) -> None:
        """Read the list again, keeping (or moving to) the referral shown."""
        if select:
            self._selected = select
        try:
            records = self.load()
        except (DomainError, SQLAlchemyError, OSError) as exc:
            text = exc.message if isinstance(exc, DomainError) else storage_errors.describe(exc)
            self.message.setText(self.tr("The referrals could not be read: %1").replace("%1", text))
            self.message.show()
            return
        self.message.hide()
        self.model.set_records(records)
        late = sum(1 for r in range(self.model.rowCount()) if self.model.is_overdue(r))
        self.title.setText(self.tr("%1 shown, %2 overdue").replace("%1", str(self.model.rowCount()))
                           .replace("%2", str(late)))

    def _show_empty(self) -> None:
        """Over an empty list: what would be here, and where it comes from; a filter that hides some offers
        to show them all."""
        if self.model.receiving_side:
            text = self.tr("No referral here. Referrals the towns send to your organisation arrive with each "
                           "sync; sign for them, accept or return them, and report the result here.")
        else:
            text = self.tr("No referral here. A squad leader refers a case that is not within the town's remit "
                           "with “Refer” above the case; it then appears here until the department reports.")
        filtered = self.status.currentData() is not None
        self.empty.set_text(text, self.tr("Show all referrals") if filtered else None)
        self.empty.show_when(self.model.rowCount() == 0)

    def _reselect(self) -> None:
        row = self.model.row_of(self._selected)
        if row is None:
            self.table.clearSelection()
            self.detail.show_referral(None, empty_text=self.tr("Choose a referral in the list to see it here."))
        else:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.detail.show_referral(self.model.record(row))
        self.open_case.setEnabled(self.detail.record is not None)

    def _open_row(self, row: int) -> None:
        record = self.model.record(row)
        if record is None:
            return
        self._selected = record.id
        if self.detail.record != record:
            self.detail.show_referral(record)
        self.open_case.setEnabled(True)

    def _activate(self, row: int) -> None:
        """Enter or a double-click: the referral in the detail, the keyboard there too."""
        self._open_row(row)
        self.detail.tabs.setFocus()

    def _open_case(self) -> None:
        if self.detail.record is not None and self.detail.record.case_id:
            self.caseRequested.emit(self.detail.record.case_id)

    def open_referral(self, referral_id: str) -> None:
        self._selected = referral_id
        if self.model.row_of(referral_id) is None and self.status.currentData() is not None:
            self.status.setCurrentIndex(ALL)  # shown whatever its status
        self._reselect()
