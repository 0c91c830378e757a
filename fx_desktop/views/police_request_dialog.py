"""公安协助: the one dialog that logs a police assistance request from the case page. An emergency (应急处置) needs
only the situation, the police station, the place, the party and what is asked — the leader has just phoned the
station's command room — and saves here at once (the sync pushes it later, nothing waits for the network); a
planned joint operation (专项协作) or public-opinion case (舆情应对) shows the fields it needs besides. An officer
saves a draft for the squad leader to file. A refusal is shown in the dialog and everything typed stays."""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from PySide6.QtCore import QCoreApplication, QDateTime, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout,
    QWidget,
)

from sqlalchemy.exc import SQLAlchemyError

from ..domain import police_request as pr
from ..domain.errors import DomainError
from ..domain.roles import Role
from ..services import storage_errors
from .field_widgets import DateTimeField, LimitedTextEdit, limit_line, mark_invalid
from .style import ERROR_STYLE, mark_primary


def asks_boxes(parent: QWidget) -> dict[str, QCheckBox]:
    """One check box per thing the police may be asked to do (domain.police_request.ASKS)."""
    texts = {"keep_order": QCoreApplication.translate("PoliceAsks", "Keep order on site"),
             "verify_identity": QCoreApplication.translate("PoliceAsks", "Verify the party's identity"),
             "obstruction": QCoreApplication.translate("PoliceAsks", "Deal with obstruction of officers")}
    boxes = {}
    for key in pr.ASKS:
        box = QCheckBox(texts[key])
        box.setObjectName(f"ask_{key}")
        boxes[key] = box
    return boxes


def time_edit(name: str, value: datetime | None = None) -> DateTimeField:
    edit = DateTimeField()
    edit.setObjectName(name)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setCalendarPopup(True)
    edit.setDateTime(QDateTime(value or datetime.now().replace(second=0, microsecond=0)))
    return edit


def iso(edit: DateTimeField) -> str:
    return edit.dateTime().toPython().replace(second=0, microsecond=0).isoformat(timespec="minutes")


class PoliceRequestDialog(QDialog):
    """`create(form, file)` saves (services.police_requests.create bound to the store and the user); `stations`:
    (code, name) of the police organisations; `case`: the case's place and party to start from."""

    def __init__(self, create: Callable[[dict, bool], object], stations: list[tuple[str, str]], *,
                 role: Role, case_id: str | None, place: str = "", party: str = "",
                 station: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Request police assistance"))
        self.create, self.case_id, self.saved = create, case_id, None
        self.situation = QComboBox()
        self.situation.setObjectName("situation")
        labels = {"emergency": self.tr("Emergency on site (应急处置)"),
                  "joint_operation": self.tr("Planned joint operation (专项协作)"),
                  "public_opinion": self.tr("Public opinion (舆情应对)")}
        for s in pr.Situation:
            self.situation.addItem(labels[s.value], s.value)
        self.station = QComboBox()
        self.station.setObjectName("station_org")
        for code, name in stations:
            self.station.addItem(name, code)
        if station is not None and self.station.findData(station) >= 0:
            self.station.setCurrentIndex(self.station.findData(station))
        self.place = limit_line(QLineEdit(place), "police_place")
        self.place.setObjectName("place")
        self.party = limit_line(QLineEdit(party), "police_short")
        self.party.setObjectName("party")
        self.asks = asks_boxes(self)
        self.asks["keep_order"].setChecked(True)
        self.call_time = time_edit("call_time")
        # the planned situations' fields
        self.window_start, self.window_end = time_edit("window_start"), time_edit("window_end")
        self.officers_needed = QSpinBox()
        self.officers_needed.setObjectName("officers_needed")
        self.officers_needed.setRange(0, 500)
        self.people_expected = QSpinBox()
        self.people_expected.setObjectName("people_expected")
        self.people_expected.setRange(0, 10000)
        self.details = LimitedTextEdit("police_text")
        self.details.setObjectName("details")
        self.details.setTabChangesFocus(True)
        self.details.setMaximumHeight(self.details.fontMetrics().lineSpacing() * 4 + 12)

        form = QFormLayout()
        form.addRow(self.tr("Situation"), self.situation)
        form.addRow(self.tr("Police station"), self.station)
        form.addRow(self.tr("Place"), self.place)
        form.addRow(self.tr("Party"), self.party)
        asks = QVBoxLayout()
        for box in self.asks.values():
            asks.addWidget(box)
        form.addRow(self.tr("Asked of the police"), asks)
        form.addRow(self.tr("Called at"), self.call_time)
        self.planned = QWidget()
        planned = QFormLayout(self.planned)
        planned.setContentsMargins(0, 0, 0, 0)
        planned.addRow(self.tr("Planned start"), self.window_start)
        planned.addRow(self.tr("Planned end"), self.window_end)
        planned.addRow(self.tr("Police officers needed"), self.officers_needed)
        planned.addRow(self.tr("People expected on site"), self.people_expected)
        planned.addRow(self.tr("Situation and risks"), self.details)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.send = mark_primary(QPushButton(self.tr("Save and send to the police")))
        self.send.setObjectName("send")
        self.draft = QPushButton(self.tr("Save as draft"))
        self.draft.setObjectName("draft")
        cancel = QPushButton(self.tr("Cancel"))
        self.send.setVisible(role in (Role.SQUAD_LEADER, Role.BUREAU_DISPATCHER))
        self.send.clicked.connect(lambda: self._save(True))
        self.draft.clicked.connect(lambda: self._save(False))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.draft)
        buttons.addWidget(self.send)
        hint = QLabel(self.tr("Only the situation, place, party and what is asked are needed now; the rest can be "
                              "completed later on the request's page. Saved on this computer at once."))
        hint.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(hint)
        lay.addLayout(form)
        lay.addWidget(self.planned)
        lay.addWidget(self.error)
        lay.addLayout(buttons)
        self.situation.currentIndexChanged.connect(self._situation_changed)
        self._situation_changed()
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=lambda: self._save(self.send.isVisible()))
        self.place.setFocus(Qt.FocusReason.OtherFocusReason)

    def _situation_changed(self) -> None:
        emergency = self.situation.currentData() == "emergency"
        self.planned.setVisible(not emergency)
        self.call_time.setEnabled(emergency)
        self.adjustSize()

    def form(self) -> dict:
        situation = self.situation.currentData()
        data = {"situation": situation, "station_org": self.station.currentData(), "case_id": self.case_id,
                "place": self.place.text(), "party": self.party.text(),
                "asks": [k for k, box in self.asks.items() if box.isChecked()]}
        if situation == "emergency":
            data["call_time"] = iso(self.call_time)
        else:
            data.update(window_start=iso(self.window_start), window_end=iso(self.window_end),
                        officers_needed=self.officers_needed.value() or None, details=self.details.toPlainText(),
                        risk={"people_expected": self.people_expected.value() or None})
        return data

    def _save(self, file: bool) -> None:
        for widget in (self.place, self.party, self.station):
            mark_invalid(widget, False)
        try:
            self.saved = self.create(self.form(), file)
        except DomainError as exc:
            self.error.setText(exc.message)
            self.error.show()
            target = {"place": self.place, "party": self.party, "station_org": self.station}.get(exc.field or "")
            if target is not None:
                mark_invalid(target, True)
                target.setFocus()
            return
        except (SQLAlchemyError, OSError) as exc:
            self.error.setText(self.tr("The request could not be saved: %1.").replace(
                "%1", storage_errors.describe(exc)))
            self.error.show()
            return
        self.accept()
