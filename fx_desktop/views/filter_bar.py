"""Search box and filters above the case list; emits a CaseFilter after typing pauses. The filters wrap onto a
second line where the list is narrow (views.flow_layout)."""
from __future__ import annotations

from datetime import date
from typing import Callable

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ..domain.lifecycle import CaseStatus
from ..store.case_queries import CaseFilter
from .field_widgets import DateField
from .flow_layout import FlowLayout

DEBOUNCE_MS = 150


class FilterBar(QWidget):
    filterChanged = Signal(object)  # CaseFilter

    def __init__(self, towns: dict[str, str], categories: list[str], *, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.today = today
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search number, party, ID number, place or facts (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.addItem(self.tr("All statuses"), None)
        for s in CaseStatus:
            self.status.addItem(s.label, s.value)
        self.town = QComboBox()
        self.town.addItem(self.tr("All towns"), None)
        for code, name in towns.items():
            self.town.addItem(name, code)
        self.category = QComboBox()
        self.category.addItem(self.tr("All categories"), None)
        for c in categories:
            self.category.addItem(c, c)
        self.use_dates = QCheckBox(self.tr("Opened"))
        self.date_from = DateField(QDate.currentDate().addMonths(-3))
        self.date_to = DateField(QDate.currentDate())
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.setEnabled(False)
        self.overdue = QCheckBox(self.tr("Overdue only"))
        dates = QWidget()  # the period wraps as one piece
        period = QHBoxLayout(dates)
        period.setContentsMargins(0, 0, 0, 0)
        for w in (self.use_dates, self.date_from, QLabel("—"), self.date_to):
            period.addWidget(w)
        filters = FlowLayout()  # wraps onto a second line where the list is narrow
        for w in (self.status, self.town, self.category, dates):
            filters.addWidget(w)
        top = QHBoxLayout()  # 仅显示超期 beside the search: the row of filters fits a 1366-pixel screen at 10.5 pt
        top.addWidget(self.search, 1)
        top.addWidget(self.overdue)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addLayout(filters)
        chain = (self.search, self.overdue, self.status, self.town, self.category, self.use_dates, self.date_from,
                 self.date_to)  # Tab: as they stand, the search's line first
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.emit_filter)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        for combo in (self.status, self.town, self.category):
            combo.currentIndexChanged.connect(self.emit_filter)
        self.use_dates.toggled.connect(self._dates_toggled)
        self.date_from.dateChanged.connect(self.emit_filter)
        self.date_to.dateChanged.connect(self.emit_filter)
        self.overdue.toggled.connect(self.emit_filter)

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.emit_filter()

    def current(self) -> CaseFilter:
        dates = self.use_dates.isChecked()
        return CaseFilter(
            text=self.search.text(), status=self.status.currentData(), town_code=self.town.currentData(),
            category=self.category.currentData(),
            opened_from=self.date_from.date().toPython() if dates else None,
            opened_to=self.date_to.date().toPython() if dates else None,
            overdue_on=self.today() if self.overdue.isChecked() else None,
        )

    def emit_filter(self) -> None:
        self._timer.stop()
        self.filterChanged.emit(self.current())

    def show_only(self, text: str) -> None:
        """Every filter cleared and `text` searched for, as one change (a case opened from elsewhere, by its
        number, when the list as it was does not hold it: the clear button of the search box lists all again)."""
        widgets = (self.search, self.status, self.town, self.category, self.use_dates, self.overdue)
        for w in widgets:
            w.blockSignals(True)
        try:
            for combo in (self.status, self.town, self.category):
                combo.setCurrentIndex(0)
            self.use_dates.setChecked(False)
            self.date_from.setEnabled(False)
            self.date_to.setEnabled(False)
            self.overdue.setChecked(False)
            self.search.setText(text)
        finally:
            for w in widgets:
                w.blockSignals(False)
        self.emit_filter()
