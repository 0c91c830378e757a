"""One police assistance request (公安协助): what was asked and of whom, the case summary behind it, the fields
still to complete (补录) with a form to complete them, and the police's steps with who entered each (the station's
liaison, or the squad on its behalf and why). The buttons are the steps the user may take now
(services.police_requests.available_steps); each police step asks its few fields in a small dialog. An identity the
police verified is offered to the case's party fields."""
from __future__ import annotations

import html
from typing import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton,
    QScrollArea, QSpinBox, QVBoxLayout, QWidget,
)

from sqlalchemy.exc import SQLAlchemyError

from ..domain import police_request as pr
from ..domain.errors import DomainError
from ..domain.identifiers import mask_citizen_id
from ..services import police_requests as service
from ..services import storage_errors
from .field_widgets import LimitedTextEdit, limit_line
from .police_request_dialog import iso, time_edit
from .style import ERROR_STYLE, MUTED_STYLE, mark_primary


def _line(name: str, key: str = "police_short") -> QLineEdit:
    edit = limit_line(QLineEdit(), key)
    edit.setObjectName(name)
    return edit


def _text(name: str, lines: int = 3) -> LimitedTextEdit:
    edit = LimitedTextEdit("police_text")
    edit.setObjectName(name)
    edit.setTabChangesFocus(True)
    edit.setMaximumHeight(edit.fontMetrics().lineSpacing() * lines + 12)
    return edit


class StepDialog(QDialog):
    """The fields of one police step, and the reason for entering it on the police's behalf when one is needed."""

    def __init__(self, title: str, rows: list[tuple[str, QWidget]], *, reason: QWidget | None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout()
        for label, widget in rows:
            form.addRow(label, widget)
        if reason is not None:
            form.addRow(self.tr("Why the squad enters it"), reason)
        ok = mark_primary(QPushButton(self.tr("Save")))
        ok.setObjectName("save_step")
        ok.clicked.connect(self.accept)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(ok)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addLayout(buttons)


class PoliceRequestPage(QWidget):
    """`run(call)` runs a service call for the window (errors shown, None then); `profile()` the user now."""

    changed = Signal(str)  # a request's id, after a step was saved here
    caseRequested = Signal(str)
    superviseRequested = Signal(dict, str, str)  # the source, the matter, the responsible unit (督办)

    def __init__(self, store, profile: Callable[[], object], *, ask: Callable[[QDialog], bool] | None = None,
                 printer=None, parent: QWidget | None = None):
        """`printer`: the window's FormPrinter (the print buttons show when there is one)."""
        super().__init__(parent)
        self.store, self.profile, self.printer = store, profile, printer
        self.ask = ask or (lambda dialog: dialog.exec() == QDialog.DialogCode.Accepted)
        self.record: service.RequestRecord | None = None
        self.title = QLabel()
        self.title.setObjectName("police_title")
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.summary = QLabel()
        self.summary.setObjectName("police_summary")
        self.summary.setWordWrap(True)
        self.missing = QLabel()
        self.missing.setObjectName("police_missing")
        self.missing.setStyleSheet(ERROR_STYLE)
        self.missing.setWordWrap(True)
        self.steps = QLabel()
        self.steps.setObjectName("police_steps")
        self.steps.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("police_message")
        self.message.setWordWrap(True)
        self.message.hide()
        self.buttons: dict[str, QPushButton] = {}
        labels = {"file_police_request": self.tr("File with the police"),
                  "approve_police_request": self.tr("Approve"),
                  "withdraw_police_request": self.tr("Withdraw"),
                  "acknowledge_police_request": self.tr("Acknowledge"),
                  "record_police_arrival": self.tr("Record arrival"),
                  "record_police_identity": self.tr("Record identity check"),
                  "record_police_outcome": self.tr("Record outcome")}
        row = QHBoxLayout()
        for name, label in labels.items():
            button = QPushButton(label)
            button.setObjectName(name)
            button.clicked.connect(lambda _c=False, n=name: self.take(n))
            self.buttons[name] = button
            row.addWidget(button)
        self.use_identity = QPushButton(self.tr("Use the verified identity for the case"))
        self.use_identity.setObjectName("use_identity")
        self.use_identity.clicked.connect(self.apply_identity)
        self.open_case = QPushButton(self.tr("Open the case"))
        self.open_case.setObjectName("open_case")
        self.open_case.clicked.connect(lambda: self.record and self.record.case_id
                                       and self.caseRequested.emit(self.record.case_id))
        self.supervise = QPushButton(self.tr("Supervise…"))
        self.supervise.setObjectName("police_supervise")
        self.supervise.clicked.connect(lambda: self.record and self.superviseRequested.emit(
            {"source_kind": "police_request", "source_id": self.record.id,
             "source_text": f"{self.record.number}公安协助申请"}, "", self.record.station_org))
        row.addWidget(self.use_identity)
        row.addWidget(self.open_case)
        row.addWidget(self.supervise)
        row.addStretch(1)
        self.print_buttons: dict[str, QPushButton] = {}
        for form, label in (("police-letter", self.tr("Letter to the police")),
                            ("police-record", self.tr("Record form"))):
            button = QPushButton(label)
            button.setObjectName(f"print_{form}")
            button.clicked.connect(lambda _c=False, f=form: self.print_form(f))
            button.setVisible(printer is not None)
            self.print_buttons[form] = button
            row.addWidget(button)
        self.completion = self._completion_form()

        inner = QWidget()
        lay = QVBoxLayout(inner)
        lay.addWidget(self.title)
        lay.addWidget(self.summary)
        lay.addWidget(self.missing)
        lay.addLayout(row)
        lay.addWidget(self.message)
        police = QGroupBox(self.tr("Police steps"))
        QVBoxLayout(police).addWidget(self.steps)
        lay.addWidget(police)
        lay.addWidget(self.completion)
        lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # --- the 补录 form ----------------------------------------------------------------------------------------------
    def _completion_form(self) -> QGroupBox:
        box = QGroupBox(self.tr("Complete the record"))
        self.urgency = QComboBox()
        self.urgency.setObjectName("urgency")
        self.urgency.addItem("", "")
        for key, label in ((k, {"normal": self.tr("Normal"), "urgent": self.tr("Urgent"),
                                "critical": self.tr("Critical")}[k]) for k in pr.URGENCY):
            self.urgency.addItem(label, key)
        self.call_time = time_edit("call_time")
        self.incident_number = _line("incident_number")
        self.people_expected = QSpinBox()
        self.people_expected.setObjectName("people_expected")
        self.people_expected.setRange(0, 10000)
        self.earlier_obstruction = QCheckBox(self.tr("Obstruction before"))
        self.dogs_or_tools = QCheckBox(self.tr("Dogs or tools"))
        self.group_risk = QCheckBox(self.tr("Risk of a group incident"))
        self.risk_notes = _text("risk_notes", 2)
        self.officers_needed = QSpinBox()
        self.officers_needed.setObjectName("officers_needed")
        self.officers_needed.setRange(0, 500)
        self.details = _text("details")
        self.contact_name, self.contact_phone = _line("contact_name"), _line("contact_phone")
        self.body_cams = _line("body_cam_ids")
        self.body_cams.setPlaceholderText(self.tr("File ids, separated by commas"))
        self.injuries = _text("injuries", 2)
        self.follow_up = _text("follow_up", 2)
        risks = QHBoxLayout()
        for w in (self.people_expected, self.earlier_obstruction, self.dogs_or_tools, self.group_risk):
            risks.addWidget(w)
        contact = QHBoxLayout()
        contact.addWidget(self.contact_name)
        contact.addWidget(self.contact_phone)
        form = QFormLayout(box)
        form.addRow(self.tr("Urgency"), self.urgency)
        form.addRow(self.tr("Called at"), self.call_time)
        form.addRow(self.tr("Police incident number"), self.incident_number)
        form.addRow(self.tr("People expected, risks"), risks)
        form.addRow(self.tr("Risk assessment"), self.risk_notes)
        form.addRow(self.tr("Police officers needed"), self.officers_needed)
        form.addRow(self.tr("Situation and risks"), self.details)
        form.addRow(self.tr("Contact (name, phone)"), contact)
        form.addRow(self.tr("Body-camera files"), self.body_cams)
        form.addRow(self.tr("Injuries or damage"), self.injuries)
        form.addRow(self.tr("Follow-up"), self.follow_up)
        self.save_completion = mark_primary(QPushButton(self.tr("Save the completed record")))
        self.save_completion.setObjectName("save_completion")
        self.save_completion.clicked.connect(self.complete)
        form.addRow("", self.save_completion)
        return box

    def _fill_completion(self, d: dict) -> None:
        self.urgency.setCurrentIndex(max(0, self.urgency.findData(d.get("urgency") or "")))
        if d.get("call_time"):
            from datetime import datetime

            self.call_time.setDateTime(datetime.fromisoformat(d["call_time"]))
        self.incident_number.setText(d.get("incident_number") or "")
        risk = d.get("risk") or {}
        self.people_expected.setValue(risk.get("people_expected") or 0)
        self.earlier_obstruction.setChecked(bool(risk.get("earlier_obstruction")))
        self.dogs_or_tools.setChecked(bool(risk.get("dogs_or_tools")))
        self.group_risk.setChecked(bool(risk.get("group_risk")))
        self.risk_notes.setPlainText(risk.get("notes") or "")
        self.officers_needed.setValue(d.get("officers_needed") or 0)
        self.details.setPlainText(d.get("details") or "")
        contact = d.get("contact") or {}
        self.contact_name.setText(contact.get("name") or "")
        self.contact_phone.setText(contact.get("phone") or "")
        self.body_cams.setText("，".join(d.get("body_cam_ids") or []))
        self.injuries.setPlainText(d.get("injuries") or "")
        self.follow_up.setPlainText(d.get("follow_up") or "")

    def completion_fields(self) -> dict:
        cams = [c.strip() for c in self.body_cams.text().replace("，", ",").split(",") if c.strip()]
        return {
            "urgency": self.urgency.currentData() or "", "call_time": iso(self.call_time),
            "incident_number": self.incident_number.text(),
            "risk": {"people_expected": self.people_expected.value() or None,
                     "earlier_obstruction": self.earlier_obstruction.isChecked(),
                     "dogs_or_tools": self.dogs_or_tools.isChecked(), "group_risk": self.group_risk.isChecked(),
                     "notes": self.risk_notes.toPlainText()},
            "officers_needed": self.officers_needed.value() or None, "details": self.details.toPlainText(),
            "contact": {"name": self.contact_name.text(), "phone": self.contact_phone.text()},
            "body_cam_ids": cams, "injuries": self.injuries.toPlainText(), "follow_up": self.follow_up.toPlainText(),
        }

    # --- showing ----------------------------------------------------------------------------------------------------
    def open_request(self, request_id: str) -> None:
        record = self._run(lambda: service.get(self.store, request_id))
        if record is not None:
            self.show_record(record)

    def show_record(self, r: service.RequestRecord) -> None:
        self.record = r
        d = r.data
        draft, heading = self.tr("(draft)"), self.tr("Police assistance")
        self.title.setText(f"{heading} {r.number or draft} · {r.situation_label} · {r.status_label}")
        snap = d.get("case_snapshot") or {}
        asks = "、".join(pr.ASKS[a] for a in d.get("asks") or [])
        applicant = d.get("applicant") or {}
        labels = (self.tr("Applying squad"), self.tr("Police"), self.tr("Place"), self.tr("Party"),
                  self.tr("Asked of the police"), self.tr("Called at"), self.tr("Case"), self.tr("Logged by"))
        lines = [f"{labels[0]}：{r.owner_name}　{labels[1]}：{r.station_name}",
                 f"{labels[2]}：{d.get('place') or ''}　{labels[3]}：{r.party}",
                 f"{labels[4]}：{asks or d.get('asks_other') or ''}",
                 f"{labels[5]}：{(d.get('call_time') or '').replace('T', ' ')}"]
        if snap:
            lines.append(f"{labels[6]}：{snap.get('number') or ''} {snap.get('cause') or ''}")
        lines.append(f"{labels[7]}：{applicant.get('by', '')} {applicant.get('at', '')[:16].replace('T', ' ')}")
        self.summary.setText("\n".join(lines))
        profile = self.profile()
        org = getattr(profile, "org_code", None) or profile.town_code
        todo = r.to_complete if org == r.owner_org else []  # the squad's to complete, not the police's
        self.missing.setText(self.tr("Still to complete: %1").replace("%1", "、".join(todo)) if todo else "")
        self.missing.setVisible(bool(todo))
        self.steps.setText(self._steps_html(d))
        allowed = service.available_steps(r, profile, org)
        for name, button in self.buttons.items():
            button.setVisible(name in allowed)
        self.completion.setVisible("update_police_request" in allowed)
        self._fill_completion(d)
        self.use_identity.setVisible(bool(r.case_id and service.verified_identity(r) and org == r.owner_org))
        self.open_case.setVisible(bool(r.case_id) and org == r.owner_org)
        self.supervise.setVisible(org == r.owner_org and str(profile.role) in ("squad_leader", "office_staff",
                                                                                "bureau_dispatcher")
                                  and r.status not in (pr.RequestStatus.DRAFT, pr.RequestStatus.WITHDRAWN))
        self.print_buttons["police-letter"].setVisible(  # the letter is for planned operations
            self.printer is not None and r.situation != pr.Situation.EMERGENCY)

    def _steps_html(self, d: dict) -> str:
        police = d.get("police") or {}
        names = {"acknowledged": self.tr("Acknowledged"), "arrival": self.tr("Arrival"),
                 "identity": self.tr("Identity check"), "outcome": self.tr("Outcome")}
        rows = []
        for key, label in names.items():
            entry = police.get(key)
            if not entry:
                not_yet = self.tr("not yet")
                rows.append(f"<p style='{MUTED_STYLE}'>{label}：{not_yet}</p>")
                continue
            rows.append(f"<p><b>{label}</b>：{html.escape(self._step_text(key, entry))}<br>"
                        f"<span style='{MUTED_STYLE}'>{html.escape(self._entered_by(entry))}</span></p>")
        return "".join(rows)

    def _step_text(self, key: str, e: dict) -> str:
        if key == "acknowledged":
            number = self.tr("Incident number")
            return f"{number} {e.get('incident_number') or '—'} {e.get('note') or ''}".strip()
        if key == "arrival":
            officers = "、".join(f"{o['name']}（{o['number']}）" for o in e.get("officers") or [])
            return f"{e.get('arrived_at', '').replace('T', ' ')} {officers}"
        if key == "identity":
            found = mask_citizen_id(e["id_number"]) if e.get("id_number") else ""
            return f"{pr.IDENTITY_RESULTS.get(e.get('result'), '')} {e.get('name') or ''} {found} {e.get('note') or ''}"
        return f"{pr.OUTCOMES.get(e.get('outcome'), '')} {e.get('note') or ''}"

    def _entered_by(self, e: dict) -> str:
        r = self.record
        org = {r.owner_org: r.owner_name, r.station_org: r.station_name}.get(e.get("org"), e.get("org", ""))
        entered = self.tr("Entered by")
        who = f"{entered} {e.get('by', '')}（{org}）{e.get('at', '')[:16].replace('T', ' ')}"
        if e.get("on_behalf"):
            who += "　" + self.tr("entered by the squad for the police")
            if e.get("reason"):
                who += f"：{e['reason']}"
        return who

    # --- acting -----------------------------------------------------------------------------------------------------
    def _run(self, call):
        self.message.hide()
        try:
            return call()
        except DomainError as exc:
            self._say(exc.message)
        except (SQLAlchemyError, OSError) as exc:
            self._say(self.tr("The request could not be saved: %1.").replace("%1", storage_errors.describe(exc)))
        return None

    def _say(self, text: str, *, error: bool = True) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.show()

    def _done(self, record) -> None:
        if record is not None:
            self.show_record(record)
            self.changed.emit(record.id)

    def complete(self) -> None:
        r = self.record
        self._done(self._run(lambda: service.update(self.store, self.profile(), r.id, self.completion_fields(),
                                                    expected_status=r.status)))

    def step_fields(self, name: str) -> tuple[str, list[tuple[str, QWidget]], Callable[[], dict]]:
        """The title, the rows and the reader of one step's dialog."""
        if name == "acknowledge_police_request":
            number, note = _line("step_incident_number"), _line("step_note")
            number.setText(self.record.data.get("incident_number") or "")
            return (self.tr("Acknowledge"), [(self.tr("Police incident number"), number), (self.tr("Note"), note)],
                    lambda: {"incident_number": number.text(), "note": note.text()})
        if name == "record_police_arrival":
            arrived = time_edit("step_arrived_at")
            officers = _text("step_officers", 3)
            officers.setPlaceholderText(self.tr("One officer a line: name and police number"))
            return (self.tr("Record arrival"), [(self.tr("Arrived at"), arrived), (self.tr("Officers"), officers)],
                    lambda: {"arrived_at": iso(arrived), "officers": _officers(officers.toPlainText())})
        if name == "record_police_identity":
            result = QComboBox()
            result.setObjectName("step_result")
            for key, label in pr.IDENTITY_RESULTS.items():
                result.addItem(label, key)
            person, number = _line("step_name"), _line("step_id_number")
            return (self.tr("Record identity check"),
                    [(self.tr("Result"), result), (self.tr("Name"), person), (self.tr("ID number"), number)],
                    lambda: {"result": result.currentData(), "name": person.text(), "id_number": number.text()})
        if name == "record_police_outcome":
            outcome, note = QComboBox(), _text("step_outcome_note", 3)
            outcome.setObjectName("step_outcome")
            for key, label in pr.OUTCOMES.items():
                outcome.addItem(label, key)
            return (self.tr("Record outcome"), [(self.tr("Outcome"), outcome), (self.tr("Details"), note)],
                    lambda: {"outcome": outcome.currentData(), "note": note.toPlainText()})
        if name == "withdraw_police_request":
            reason = _text("step_reason", 2)
            return self.tr("Withdraw"), [(self.tr("Reason"), reason)], lambda: {"reason": reason.toPlainText()}
        if name == "approve_police_request":
            note = _text("step_note", 2)
            return self.tr("Approve"), [(self.tr("Opinion"), note)], lambda: {"note": note.toPlainText()}
        return self.tr("File with the police"), [], dict

    def take(self, name: str) -> None:
        r, profile = self.record, self.profile()
        org = getattr(profile, "org_code", None) or profile.town_code
        title, rows, read = self.step_fields(name)
        reason = None
        if name in pr.POLICE_STEPS and org != r.station_org:
            reason = _text("step_on_behalf_reason", 2)
            if not service.needs_reason(r, org):
                reason.setPlaceholderText(self.tr("The station has no account here: no reason needed"))
        dialog = StepDialog(title, rows, reason=reason, parent=self) if rows or reason is not None else None
        if dialog is not None and not self.ask(dialog):
            dialog.deleteLater()
            return
        args = read()
        if reason is not None:
            args["on_behalf_reason"] = reason.toPlainText()
        if dialog is not None:
            dialog.deleteLater()  # read: its fields are not needed any more
        if name in pr.POLICE_STEPS:
            args["expected_status"] = str(r.status)
            call = lambda: service.police_step(self.store, profile, r.id, name, args)  # noqa: E731
        else:
            call = {"file_police_request": lambda: service.file_request(self.store, profile, r.id),
                    "approve_police_request": lambda: service.approve(self.store, profile, r.id, note=args["note"]),
                    "withdraw_police_request": lambda: service.withdraw(self.store, profile, r.id,
                                                                        reason=args["reason"],
                                                                        expected_status=r.status)}[name]
        self._done(self._run(call))

    def print_form(self, form: str) -> None:
        """As `fx-desktop print` does: the organisations by their full official names."""
        from ..services.print_data import referral_names

        r = self.record
        self.printer.print_police(form, r.data, r.number or self.tr("(draft)"), referral_names(self.store))

    def apply_identity(self) -> None:
        r = self.record
        found = service.verified_identity(r)
        answer = QMessageBox.question(self, self.tr("Use the verified identity"), self.tr(
            "Put %1 into the case's party fields? The change is checked as usual and shown in the case's timeline.")
            .replace("%1", f"{found['party_name']} {mask_citizen_id(found['party_id_number'])}"))
        if answer != QMessageBox.StandardButton.Yes:
            return
        if self._run(lambda: service.identity_to_case(self.store, self.profile(), r)) is not None:
            self._say(self.tr("The case's party now carries the identity the police verified."), error=False)


def _officers(text: str) -> list[dict]:
    """"顾民警 031245" a line -> [{name, number}] (the last word is the number)."""
    out = []
    for line in text.splitlines():
        parts = line.replace("，", " ").replace(",", " ").split()
        if parts:
            out.append({"name": " ".join(parts[:-1]) if len(parts) > 1 else parts[0],
                        "number": parts[-1] if len(parts) > 1 else ""})
    return out
