"""The case register as a lazily fetched table: filtering and sorting happen in SQL, rows arrive a page at a time
as the view scrolls (canFetchMore/fetchMore), and only the loaded page rows are held. A list's first page is shown
before its cases are counted (at 1,000,000 cases counting the whole register takes 6 - 30 ms, a search's matches up
to 60 ms): counting starts once the event loop has painted the list (a zero timer fires after Qt's paint request),
on the GUI thread or, given a BackgroundCount, on its worker thread, and the count follows (totalChanged). Started
earlier, the worker's count competed with painting for the GIL and the CPU."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor

from ..domain.case_draft import ORG
from ..domain.identifiers import mask_citizen_id
from ..domain.lifecycle import CaseStatus
from ..store.case_queries import COLUMNS, OPEN_BEFORE_DECISION, CaseFilter, CaseQueries, ListQuery
from .background_count import BackgroundCount
from . import style

KEYS = [key for key, _ in COLUMNS]
OVERDUE = QColor(style.OVERDUE)
REFUSED = QColor(style.OVERDUE)
_DUE, _STATUS = KEYS.index("decision_due"), KEYS.index("status")
_TOWN, _ID = KEYS.index("town_code"), KEYS.index("party_id_number")
_KIND = 1 + len(KEYS)  # position of party_kind (store.case_queries.EXTRA) in a fetched row
_REFUSED = _KIND + 1  # ... and of the reason the server refused to register the case
_DISPLAY, _USER = int(Qt.ItemDataRole.DisplayRole.value), int(Qt.ItemDataRole.UserRole.value)
_FOREGROUND, _TOOLTIP = int(Qt.ItemDataRole.ForegroundRole.value), int(Qt.ItemDataRole.ToolTipRole.value)
_ROLES = frozenset({_DISPLAY, _USER, _FOREGROUND, _TOOLTIP})
# Text colours of an overdue case's row by column (the passed deadline in red); other rows have none.
OVERDUE_COLOURS: tuple[QColor | None, ...] = tuple(OVERDUE if c == _DUE else None for c in range(len(KEYS)))
# A case the bureau refused to register: its number and status (which says so) in red, as is a passed deadline.
_NUMBER = KEYS.index("number")
REFUSED_COLOURS: tuple[QColor | None, ...] = tuple(REFUSED if c in (_NUMBER, _STATUS) else None
                                                  for c in range(len(KEYS)))
_BOTH_COLOURS = tuple(a or b for a, b in zip(OVERDUE_COLOURS, REFUSED_COLOURS))
_Row = tuple[str, tuple[str, ...], bool, str | None]  # (case id, display texts, overdue, why the bureau refused it)


class ShownRows:
    """The rows read so far, each made into its display texts (status label, town name, masked ID number) the
    first time it is shown or asked for, then kept until the list is read again: a screen shows ~28 rows of a
    60-row page, and each is painted many times."""

    def __init__(self, shape: Callable[[tuple, str], _Row]):
        self._shape = shape
        self._raw: list[tuple] = []
        self._shown: list[_Row | None] = []
        self._today = ""

    def reset(self, raw: list[tuple], today: date) -> None:
        self._raw, self._shown = [], []
        self.extend(raw, today)

    def extend(self, raw: list[tuple], today: date) -> None:
        """`today`: the day each fetch was made (the application may run past midnight)."""
        self._today = today.isoformat()
        self._raw.extend(raw)
        self._shown.extend([None] * len(raw))

    def __len__(self) -> int:
        return len(self._raw)

    def shown(self, row: int) -> _Row:
        made = self._shown[row]
        if made is None:
            made = self._shown[row] = self._shape(self._raw[row], self._today)
        return made

    def case_id(self, row: int) -> str:
        return self._raw[row][0]

    def row_of(self, case_id: str) -> int | None:
        return next((i for i, raw in enumerate(self._raw) if raw[0] == case_id), None)


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
        self._rows = ShownRows(self._shape)
        self._fetching = False
        self._total: int | None = 0  # None: not counted yet
        self._more = False  # while not counted: whether the last page read was full
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.timeout.connect(self._start_counting)
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
    def counted(self) -> bool:
        """Whether the number of cases is known (else totalChanged will bring it)."""
        return self._total is not None

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
            self._rows.reset(self.queries.page(self._query, offset=0, limit=self.page_size), self.today())
            self._more = len(self._rows) == self.page_size
            if self._query.total is not None or not self._more:  # known, or this page holds them all
                self._total = len(self._rows) if self._query.total is None else self._query.total
            else:
                self._total = None  # counted once the list has been painted
            self.endResetModel()
        finally:
            self._fetching = False
        self._stop_counting()  # an older search's count is of no use now
        if self._total is None:
            self._count_timer.start(0)  # once the list has been painted
        else:
            self.totalChanged.emit(self._total)

    def _stop_counting(self) -> None:
        self._count_timer.stop()
        if self._ticket is not None:
            self._ticket = None
            self._counter.cancel()

    def _start_counting(self) -> None:
        if self._total is None and self._counter is not None:
            self._ticket = self._counter.request(self._query)
        else:
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
        more = self.queries.page(self._query, offset=len(self._rows), limit=self.page_size)
        self._more = len(more) == self.page_size
        if not more:
            self._total = len(self._rows)  # the data shrank meanwhile
            return
        first = len(self._rows)
        self._fetching = True
        try:
            self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
            self._rows.extend(more, self.today())
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
        case_id, texts, overdue, refused = self._rows.shown(r)
        if role == _DISPLAY:
            return texts[c]
        if role == _USER:
            return case_id
        if c == _DUE and overdue:
            return QBrush(OVERDUE) if role == _FOREGROUND else self.tr("Past the 90-day decision deadline")
        if refused is not None and c in (_NUMBER, _STATUS):
            return QBrush(REFUSED) if role == _FOREGROUND else self.tr(
                "The bureau did not accept this case: %1 Open it to correct and resend it, or discard it.") \
                .replace("%1", refused)
        return None

    def row_cells(self, row: int) -> tuple[tuple[str, ...], tuple[QColor | None, ...] | None]:
        """What CaseTableView paints: the row's texts by column, and their colours where they are not the
        palette's (a decision deadline that has passed in red; None: no such column)."""
        _case_id, texts, overdue, refused = self._rows.shown(row)
        if refused is not None:
            return texts, (_BOTH_COLOURS if overdue else REFUSED_COLOURS)
        return texts, (OVERDUE_COLOURS if overdue else None)

    def _shape(self, row: tuple, today: str) -> _Row:
        """A fetched row as the list shows it: its texts (the status's label, the town's name, a person's ID
        number masked; an organisation's credit code is public; a case the bureau refused to register says so in
        its status), whether its decision deadline passed before `today`, and the bureau's reason if it refused."""
        texts = ["" if value is None else str(value) for value in row[1:_KIND]]
        status, town, id_number, due = texts[_STATUS], texts[_TOWN], texts[_ID], texts[_DUE]
        if status:
            texts[_STATUS] = CaseStatus(status).label
        refused = row[_REFUSED]
        if refused is not None:
            texts[_STATUS] = self.tr("%1 (not accepted by the bureau)").replace("%1", texts[_STATUS])
        if town:
            texts[_TOWN] = self.town_names.get(town, town)
        if id_number and row[_KIND] != ORG:
            texts[_ID] = mask_citizen_id(id_number)
        return (row[0], tuple(texts), bool(due) and due < today and status in OPEN_BEFORE_DECISION,
                None if refused is None else str(refused))

    def case_id(self, row: int) -> str | None:
        return self._rows.case_id(row) if 0 <= row < len(self._rows) else None

    def row_of(self, case_id: str) -> int | None:
        return self._rows.row_of(case_id)
