"""The case register as a lazily fetched table: filtering and sorting happen in SQL, rows arrive a page at a time
as the view scrolls (canFetchMore/fetchMore), and only the loaded page rows are held. A text search's first page
is shown before its matches are counted: the count follows once the list has been painted (totalChanged), or, given
a BackgroundCount, from its worker thread while the list is being painted."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QModelRoleDataSpan, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor

from ..domain.case_draft import ORG
from ..domain.identifiers import mask_citizen_id
from ..domain.lifecycle import CaseStatus
from ..store.case_queries import COLUMNS, OPEN_BEFORE_DECISION, CaseFilter, CaseQueries, ListQuery
from .background_count import BackgroundCount

KEYS = [key for key, _ in COLUMNS]
OVERDUE = QColor("#b3261e")
_DUE, _STATUS = KEYS.index("decision_due"), KEYS.index("status")
_KIND = 1 + len(KEYS)  # position of party_kind (store.case_queries.EXTRA) in a fetched row
_DISPLAY, _USER = int(Qt.ItemDataRole.DisplayRole.value), int(Qt.ItemDataRole.UserRole.value)
_FOREGROUND, _TOOLTIP = int(Qt.ItemDataRole.ForegroundRole.value), int(Qt.ItemDataRole.ToolTipRole.value)
_ROLES = frozenset({_DISPLAY, _USER, _FOREGROUND, _TOOLTIP})


class CaseTableModel(QAbstractTableModel):
    totalChanged = Signal(int)

    def __init__(self, queries: CaseQueries, town_names: dict[str, str], *, page_size: int = 60,
                 today: Callable[[], date] = date.today, owner_towns: tuple[str, ...] | None = None,
                 counter: BackgroundCount | None = None, parent: QObject | None = None):
        """`owner_towns`: whose cases the user may list at all (services.cases.register_towns). `counter`: counts
        a text search's matches off the GUI thread (without it: on the GUI thread, once the event loop has painted
        the list)."""
        super().__init__(parent)
        self._owner_towns = owner_towns
        self.queries = queries
        self.town_names = town_names
        self.page_size = page_size
        self.today = today
        self._filter = CaseFilter()
        self._sort, self._descending = "opened_on", True
        self._query: ListQuery | None = None
        self._rows: list[tuple[str, tuple[str, ...], bool]] = []  # (case id, display texts, overdue)
        self._fetching = False
        self._total: int | None = 0  # None: not counted yet
        self._more = False  # while not counted: whether the last page read was full
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.timeout.connect(self._announce_total)
        self._counter = counter
        self._ticket: int | None = None  # the background count this list waits for
        if counter is not None:
            counter.counted.connect(self._counted)
        self.headers = {
            "number": self.tr("Case number"), "status": self.tr("Status"), "town_code": self.tr("Town"),
            "cause": self.tr("Cause"), "category": self.tr("Category"), "party_name": self.tr("Party"),
            "party_id_number": self.tr("ID number"), "place": self.tr("Place"),
            "opened_on": self.tr("Opened"), "decision_due": self.tr("Decision due"),
        }

    # --- queries -----------------------------------------------------------------------------------------------
    @property
    def filter(self) -> CaseFilter:
        return self._filter

    def set_filter(self, flt: CaseFilter) -> None:
        self._filter = flt
        self.reload()

    def set_owner_towns(self, owner_towns: tuple[str, ...] | None) -> None:
        """After a login as another user: the towns whose cases they may list (None: all, (): none)."""
        if owner_towns != self._owner_towns:
            self._owner_towns = owner_towns
            self.reload()

    @property
    def total(self) -> int:
        """How many cases the list holds (counted now if the count was deferred)."""
        if self._total is None:
            self._total = self.queries.count(self._query)
        return self._total

    def reload(self) -> None:
        self._fetching = True  # no fetchMore() while the reset is being announced (listeners may ask for it)
        try:
            self.beginResetModel()
            flt = replace(self._filter, owner_towns=self._owner_towns)
            self._query = self.queries.plan(flt, sort=self._sort, descending=self._descending)
            self._rows = self._shape(self.queries.page(self._query, offset=0, limit=self.page_size))
            self._more = len(self._rows) == self.page_size
            if self._query.total is not None or not self._more:  # known, or this page holds them all
                self._total = len(self._rows) if self._query.total is None else self._query.total
            elif self._query.in_key_order:
                self._total = None  # a text search: counted after painting
            else:
                self._total = self.queries.count(self._query)
            self.endResetModel()
        finally:
            self._fetching = False
        if self._total is None:
            if self._counter is not None:
                self._ticket = self._counter.request(self._query)
            else:
                self._count_timer.start(0)  # after the list has been painted
        else:
            self._stop_counting()
            self.totalChanged.emit(self._total)

    def _stop_counting(self) -> None:
        self._count_timer.stop()
        if self._ticket is not None:
            self._ticket = None
            self._counter.cancel()

    def _announce_total(self) -> None:
        self.totalChanged.emit(self.total)

    def _counted(self, ticket: int, total: int) -> None:
        if ticket != self._ticket:
            return  # an older search's count
        self._ticket = None
        if self._total is None:  # not read (and counted) meanwhile
            self._total = total
        self.totalChanged.emit(self._total)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key, descending = KEYS[column], order == Qt.SortOrder.DescendingOrder
        if self._query is not None and (key, descending) == (self._sort, self._descending):
            return  # already so (the header sorts again when its saved state is restored: a count of every case)
        self._sort, self._descending = key, descending
        self.reload()

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008 - Qt signature
        if parent.isValid() or self._query is None or self._fetching:
            return False
        return self._more if self._total is None else len(self._rows) < self._total

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._query is None or self._fetching:
            return  # asked again from inside beginInsertRows() or a reset: one change at a time
        more = self._shape(self.queries.page(self._query, offset=len(self._rows), limit=self.page_size))
        self._more = len(more) == self.page_size
        if not more:
            self._total = len(self._rows)  # the data shrank meanwhile
            return
        first = len(self._rows)
        self._fetching = True
        try:
            self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()
        finally:
            self._fetching = False

    # --- model interface -----------------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(KEYS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < len(KEYS):
            return self.headers[KEYS[section]]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in _ROLES or not index.isValid():
            return None
        r, c = index.row(), index.column()
        if not (0 <= r < len(self._rows) and 0 <= c < len(KEYS)):
            return None
        return self._value(self._rows[r], c, role)

    def multiData(self, index: QModelIndex, span: QModelRoleDataSpan) -> None:
        """What item delegates call when they paint: all the roles of a cell in one call instead of seven calls to
        data() (measured: a quarter less time to paint a screen of cases). Same answers as data()."""
        r, c = index.row(), index.column()
        if not (index.isValid() and 0 <= r < len(self._rows) and 0 <= c < len(KEYS)):
            return
        row = self._rows[r]
        flagged = c == _DUE and row[2]
        for i in range(len(span)):
            slot = span[i]
            role = slot.role()
            if role == _DISPLAY:
                slot.setData(row[1][c])
            elif flagged and role in _ROLES:
                slot.setData(self._value(row, c, role))
            elif role == _USER:
                slot.setData(row[0])

    def _value(self, row: tuple[str, tuple[str, ...], bool], c: int, role: int):
        # Called for every visible cell and role on each repaint: the texts were made when the page was fetched.
        case_id, texts, overdue = row
        if role == _DISPLAY:
            return texts[c]
        if role == _USER:
            return case_id
        if c == _DUE and overdue:
            return QBrush(OVERDUE) if role == _FOREGROUND else self.tr("Past the 90-day decision deadline")
        return None

    def _shape(self, raw: list[tuple]) -> list[tuple[str, tuple[str, ...], bool]]:
        today = self.today().isoformat()  # asked at every fetch: the app may run past midnight
        return [(row[0], tuple(self._display(key, value, row[_KIND]) for key, value in zip(KEYS, row[1:])),
                 bool(row[1 + _DUE]) and str(row[1 + _DUE]) < today and row[1 + _STATUS] in OPEN_BEFORE_DECISION)
                for row in raw]

    def _display(self, key: str, value, party_kind: str) -> str:
        if value is None:
            return ""
        if key == "status":
            return CaseStatus(value).label
        if key == "town_code":
            return self.town_names.get(value, value)
        if key == "party_id_number":  # a person's ID is masked; an organisation's credit code is public
            return value if party_kind == ORG else mask_citizen_id(value)
        return str(value)

    def cell(self, row: int, column: int) -> tuple[str, QColor | None]:
        """What CaseCellDelegate paints: the cell's text, and red for a decision deadline that has passed."""
        if not (0 <= row < len(self._rows) and 0 <= column < len(KEYS)):
            return "", None
        _case_id, texts, overdue = self._rows[row]
        return texts[column], (OVERDUE if overdue and column == _DUE else None)

    def case_id(self, row: int) -> str | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def row_of(self, case_id: str) -> int | None:
        for i, r in enumerate(self._rows):
            if r[0] == case_id:
                return i
        return None
