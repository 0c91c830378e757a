"""The case page's 公安协助 tab: the case's police assistance requests (newest first; Enter or a double-click opens
one) and the button that logs a new one in a single dialog (views/police_request_dialog.py), which saves here at
once and never waits for the network."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget,
)

from ..services import police_requests as service
from .icons import icon
from .police_request_dialog import PoliceRequestDialog
from .style import MUTED_STYLE, mark_primary

ID_ROLE = Qt.ItemDataRole.UserRole


class CasePolice(QWidget):
    openRequested = Signal(str)
    created = Signal(str)

    def __init__(self, store, profile: Callable[[], object], *,
                 ask: Callable[[QDialog], bool] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.profile = store, profile
        self.ask = ask or (lambda dialog: dialog.exec() == QDialog.DialogCode.Accepted)
        self.case = None
        self.request = mark_primary(QPushButton(icon("police_requests"), self.tr("Request police assistance…")))
        self.request.setObjectName("request_police")
        self.request.clicked.connect(self.open_dialog)
        self.list = QListWidget()
        self.list.setObjectName("case_police_requests")
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.itemActivated.connect(lambda item: self.openRequested.emit(item.data(ID_ROLE)))
        self.empty = QLabel(self.tr("No police assistance was requested for this case."))
        self.empty.setStyleSheet(MUTED_STYLE)
        top = QHBoxLayout()
        top.addWidget(self.request)
        top.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.empty)
        lay.addWidget(self.list, 1)

    def show_case(self, record, editable: bool) -> None:
        """`record`: the case shown (None: a new one, not saved yet); `editable`: the user may act on it."""
        self.case = record
        self.request.setEnabled(record is not None and editable)
        self.list.clear()
        records = service.for_case(self.store, record.id) if record is not None else []
        for r in records:
            draft = self.tr("(draft)")
            item = QListWidgetItem(f"{r.number or draft}　{r.situation_label}\n"
                                   f"{r.station_name}　{r.status_label}　{str(r.call_at or '')[:16]}")
            item.setData(ID_ROLE, r.id)
            self.list.addItem(item)
        self.empty.setVisible(not records)
        self.list.setVisible(bool(records))

    def open_dialog(self) -> None:
        if self.case is None:
            return
        profile = self.profile()
        values = self.case.values
        dialog = PoliceRequestDialog(
            lambda form, file: service.create(self.store, profile, form, file=file), service.police_choices(self.store),
            role=profile.role, case_id=self.case.id, place=values.get("place") or "",
            party=values.get("party_name") or "", station=service.default_station(self.store, self.case.town_code),
            parent=self)
        if self.ask(dialog) and dialog.saved is not None:
            self.show_case(self.case, True)
            self.created.emit(dialog.saved.id)
