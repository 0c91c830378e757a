"""The 公安协助 section: the squad's requests (a police station's: those addressed to it), filtered by situation,
station, status and period in SQL (services.police_requests.where), read a screen at a time as the table scrolls
(fetchMore), newest call first; below, the figures the squad is asked for: requests per station and month, and the
median time from the call to the police's arrival. Enter or a double-click opens a request."""
from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QHeaderView, QLabel, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from ..domain import police_request as pr
from ..domain.organisations import OrgKind
from ..services import police_requests as service
from .activating_table import ActivatingTable
from .field_widgets import DateField
from .flow_layout import FlowLayout
from .icons import icon
from .style import MUTED_STYLE

PAGE = 200  # rows read at a time: more than a screen
NUMBER, SITUATION, STATUS, STATION, PARTY, PLACE, CALLED, MINUTES = range(8)


class PoliceRequestTableModel(QAbstractTableModel):
    """Rows of the filtered list, read PAGE at a time from the store; the count comes first (one query)."""

    def __init__(self, store, profile, names, parent=None):
        super().__init__(parent)
        self.store, self.profile, self.names = store, profile, names
        self.filter = service.RequestFilter()
        self.total = 0
        self._rows: list[tuple] = []
        self.headers = [self.tr("Number"), self.tr("Situation"), self.tr("Status"), self.tr("Police"),
                        self.tr("Party"), self.tr("Place"), self.tr("Called at"), self.tr("Minutes to arrive")]

    def load(self, f: service.RequestFilter | None = None) -> None:
        self.beginResetModel()
        self.filter = f or self.filter
        self.total = service.count(self.store, self.profile(), self.filter)
        self._rows = service.page(self.store, self.profile(), self.filter, 0, PAGE) if self.total else []
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and len(self._rows) < self.total

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: B008, N802
        more = service.page(self.store, self.profile(), self.filter, len(self._rows), PAGE)
        if not more:
            self.total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows += more
        self.endInsertRows()

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def request_id(self, row: int) -> str | None:
        return self._rows[row][0] if 0 <= row < len(self._rows) else None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        rid, number, situation, status, station, _owner, called, minutes, party, place = self._rows[index.row()]
        column = index.column()
        if column == NUMBER:
            return number or self.tr("(draft)")
        if column == SITUATION:
            return pr.Situation(situation).label
        if column == STATUS:
            return pr.RequestStatus(status).label
        if column == STATION:
            return self.names(station)
        if column == PARTY:
            return party or ""
        if column == PLACE:
            return place or ""
        if column == CALLED:
            return str(called or "")[:16]
        return "" if minutes is None else str(minutes)


class PoliceRequestList(QWidget):
    openRequested = Signal(str)
    newRequested = Signal()

    def __init__(self, store, profile, orgs, parent: QWidget | None = None):
        """`profile()`: the user now; `orgs`: the organisation directory (names, the stations to filter by)."""
        super().__init__(parent)
        self.store, self.profile, self.orgs = store, profile, orgs
        self.model = PoliceRequestTableModel(store, profile, orgs.name, self)
        self.situation = QComboBox()
        self.situation.setObjectName("filter_situation")
        self.situation.addItem(self.tr("All situations"), None)
        for s in pr.Situation:
            self.situation.addItem(s.label, s.value)
        self.station = QComboBox()
        self.station.setObjectName("filter_station")
        self.station.addItem(self.tr("All police"), None)
        for org in (*orgs.of_kind(OrgKind.POLICE_STATION), *orgs.of_kind(OrgKind.POLICE_BUREAU)):
            self.station.addItem(org.name, org.code)
        self.status = QComboBox()
        self.status.setObjectName("filter_status")
        self.status.addItem(self.tr("All statuses"), None)
        for s in pr.RequestStatus:
            self.status.addItem(s.label, s.value)
        self.period = QCheckBox(self.tr("Period"))
        self.period.setObjectName("filter_period")
        self.since, self.until = DateField(), DateField()
        for edit, name, day in ((self.since, "filter_since", date.today() - timedelta(days=90)),
                                (self.until, "filter_until", date.today())):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(QDate(day))
            edit.setEnabled(False)
            edit.dateChanged.connect(lambda _d: self.refresh())
        self.period.toggled.connect(self._period_toggled)
        for combo in (self.situation, self.station, self.status):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.new = QPushButton(icon("police_requests"), self.tr("New request…"))
        self.new.setObjectName("new_police_request")
        self.new.clicked.connect(self.newRequested)
        bar = FlowLayout()  # wraps on a narrow screen instead of widening the window
        for w in (self.situation, self.station, self.status, self.period, self.since, QLabel("—"), self.until,
                  self.new):
            bar.addWidget(w)
        self.table = ActivatingTable()
        self.table.setObjectName("police_requests")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activatedRow.connect(self._open)
        metrics = self.table.fontMetrics()
        for column, sample in ((NUMBER, "奉南桥综执协〔2026〕0001号"), (SITUATION, "应急处置"),
                               (STATUS, "已提请，待公安回应"), (STATION, "海湾旅游区派出所"), (PARTY, "上海某某有限公司"),
                               (PLACE, "南桥镇江海路 888 号门口"), (CALLED, "2026-11-30 08:16")):
            self.table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 24)
        self.count = QLabel()
        self.count.setObjectName("police_count")
        self.count.setStyleSheet(MUTED_STYLE)
        self.median = QLabel()
        self.median.setObjectName("police_median")
        self.per_month = QTableWidget(0, 3)
        self.per_month.setObjectName("police_per_month")
        self.per_month.setHorizontalHeaderLabels([self.tr("Police"), self.tr("Month"), self.tr("Requests")])
        self.per_month.verticalHeader().hide()
        self.per_month.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.per_month.horizontalHeader().setStretchLastSection(True)
        self.per_month.setMaximumHeight(self.per_month.fontMetrics().lineSpacing() * 8)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.count)
        figures = QLabel(self.tr("Figures for the filter above"))
        figures.setStyleSheet("font-weight: bold;")
        lay.addWidget(figures)
        lay.addWidget(self.median)
        lay.addWidget(self.per_month)

    def _period_toggled(self, on: bool) -> None:
        self.since.setEnabled(on)
        self.until.setEnabled(on)
        self.refresh()

    def current_filter(self) -> service.RequestFilter:
        on = self.period.isChecked()
        return service.RequestFilter(self.situation.currentData(), self.station.currentData(),
                                     self.status.currentData(), self.since.date().toPython() if on else None,
                                     self.until.date().toPython() if on else None)

    def set_can_create(self, can: bool) -> None:
        self.new.setVisible(can)

    def refresh(self) -> None:
        """The list at once; the figures below it right after (they read every request of the filter)."""
        f = self.current_filter()
        self.model.load(f)
        self.count.setText(self.tr("%1 requests").replace("%1", str(self.model.total)))
        QTimer.singleShot(0, self, self.show_figures)  # not after this page is gone

    def show_figures(self) -> None:
        if not self.isVisible():  # the window went meanwhile, or another section is shown: read when shown again
            return
        f = self.model.filter
        stats = service.figures(self.store, self.profile(), f)
        median = "—" if stats.median_minutes is None else f"{stats.median_minutes:g}"
        self.median.setText(self.tr("Median time from call to arrival: %1 minutes (%2 arrivals)")
                            .replace("%1", median).replace("%2", str(stats.arrivals)))
        self.per_month.setRowCount(len(stats.per_station_month))
        for row, values in enumerate(stats.per_station_month):
            for column, value in enumerate(values):
                self.per_month.setItem(row, column, QTableWidgetItem(str(value)))

    def _open(self, row: int) -> None:
        request_id = self.model.request_id(row)
        if request_id:
            self.openRequested.emit(request_id)

    def select(self, request_id: str) -> None:
        for row in range(self.model.rowCount()):
            if self.model.request_id(row) == request_id:
                self.table.selectRow(row)
                return

