"""The forms of a supervision sheet (督办单): issuing one (the matter, the responsible unit, the completion deadline,
the leader in charge, the handler; its source shown when it comes from a referral, a police request, a criminal
referral or an agreed item), and one small form per later step (sign, report one matter, ask for more time, decide
an extension, send back with a reason, chase, close, withdraw). Each calls the service it is given on OK and stays
open, with the domain's message next to the field it names, when refused; what was typed is kept. Closing and
withdrawing cannot be taken back: they are asked again, No by default."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..domain import supervision as sv
from .field_widgets import FieldBox, LimitedTextEdit, limit_line
from .review_dialogs import _ServiceDialog


def _text(name: str, lines: int = 3) -> LimitedTextEdit:
    edit = LimitedTextEdit("supervision_text")
    edit.setObjectName(name)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * lines + 12)
    return edit


def _date(name: str, day: date, minimum: date | None = None) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    if minimum is not None:
        edit.setMinimumDate(QDate(minimum.year, minimum.month, minimum.day))
    return edit


def _day(edit: QDateEdit) -> str:
    return edit.date().toString("yyyy-MM-dd")


class IssueDialog(_ServiceDialog):
    """A new sheet. `choices`: (code, name) of the responsible units; `source`: the record it follows up
    ({"source_kind", "source_id", "source_item", "source_text"}) or None for a free matter; `submit(form)` runs
    the service."""

    def __init__(self, choices: list[tuple[str, str]], submit: Callable[[dict], object], *, today: date,
                 source: dict | None = None, matter: str = "", responsible: str | None = None,
                 deadline: date | None = None, parent: QWidget | None = None):
        """`deadline`: the one to offer (an agreed item's), else two weeks from today."""
        super().__init__(self.tr("Issue a supervision sheet"), parent)
        self.setObjectName("supervision_issue_dialog")
        self._submit, self.source = submit, source
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.source_label = QLabel((source or {}).get("source_text") or self.tr("Other matter (no record)"))
        self.source_label.setObjectName("supervision_source")
        self.source_label.setWordWrap(True)
        form.addRow(self.tr("Source"), self.source_label)
        self.matter = _text("supervision_matter", 4)
        self.matter.setPlainText(matter)
        self.responsible = QComboBox()
        self.responsible.setObjectName("supervision_responsible")
        for code, name in choices:
            self.responsible.addItem(name, code)
        if responsible is not None and self.responsible.findData(responsible) >= 0:
            self.responsible.setCurrentIndex(self.responsible.findData(responsible))
        self.deadline = _date("supervision_deadline", max(deadline, today) if deadline else today + timedelta(days=14),
                              today)
        self.leader = limit_line(QLineEdit(), "supervision_short")
        self.leader.setObjectName("supervision_leader")
        self.handler = limit_line(QLineEdit(), "supervision_short")
        self.handler.setObjectName("supervision_handler")
        self.handler.setPlaceholderText(self.tr("May be left to the responsible unit when it signs"))
        for key, label, widget in (("matter", self.tr("Matter *"), self.matter),
                                   ("responsible_org", self.tr("Responsible unit *"), self.responsible),
                                   ("deadline", self.tr("Completion deadline *"), self.deadline),
                                   ("leader", self.tr("Leader in charge"), self.leader),
                                   ("handler", self.tr("Handler"), self.handler)):
            self.field_boxes[key] = FieldBox(widget)
            form.addRow(label, self.field_boxes[key])
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.resize(640, self.sizeHint().height())

    def form(self) -> dict:
        return {**(self.source or {}), "matter": self.matter.toPlainText(), "deadline": _day(self.deadline),
                "responsible_org": self.responsible.currentData(), "leader": self.leader.text(),
                "handler": self.handler.text()}

    def submit(self):
        return self._submit(self.form())


class SheetStepDialog(_ServiceDialog):
    """One later step on a sheet: its fields by step; `submit(args)` runs the service with what the domain reads."""

    def __init__(self, step: str, record, submit: Callable[[dict], object], *, today: date,
                 parent: QWidget | None = None):
        super().__init__(f"{sv.STEP_LABELS[step]} · {record.number}", parent)
        self.setObjectName(f"supervision_dialog_{step}")
        self.step, self.record, self._submit = step, record, submit
        self.widgets: dict[str, QWidget] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        intro = QLabel(self._intro())
        intro.setWordWrap(True)
        form.addRow(intro)
        self.approve_group: QButtonGroup | None = None
        for key, label, widget in self._fields(step, record, today):
            self.widgets[key] = widget
            self.field_boxes[key] = FieldBox(widget)
            form.addRow(label, self.field_boxes[key])
        if step in ("close_supervision", "withdraw_supervision"):
            self.irreversible()
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.resize(600, self.sizeHint().height())

    def _intro(self) -> str:
        r = self.record
        return self.tr("%1 — responsible unit %2, deadline %3").replace("%1", r.matter[:60]).replace(
            "%2", r.responsible_name).replace("%3", r.deadline.isoformat())

    def _fields(self, step: str, record, today: date) -> list[tuple[str, str, QWidget]]:
        if step == "sign_supervision":
            handler = limit_line(QLineEdit(record.data.get("handler") or ""), "supervision_short")
            handler.setObjectName("supervision_handler")
            return [("handler", self.tr("Handler"), handler)]
        if step == "report_supervision":
            text = _text("supervision_report_text", 5)
            text.setPlaceholderText(self.tr("One matter per report: what was done about this matter and its result"))
            files = limit_line(QLineEdit(), "supervision_short")
            files.setObjectName("supervision_attachments")
            files.setPlaceholderText(self.tr("Names of the attachments, separated by 、 or commas"))
            return [("text", self.tr("What was done *"), text), ("attachments", self.tr("Attachments"), files)]
        if step == "ask_supervision_extension":
            later = max(record.deadline, today) + timedelta(days=7)
            return [("new_deadline", self.tr("New deadline asked *"),
                     _date("supervision_new_deadline", later, record.deadline + timedelta(days=1))),
                    ("reason", self.tr("Reason *"), _text("supervision_reason", 3))]
        if step == "decide_supervision_extension":
            asked = (record.data.get("extensions") or [{}])[-1]
            box = QWidget()
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            self.approve_group = QButtonGroup(box)
            for i, (label, name) in enumerate(((self.tr("Approve"), "supervision_approve"),
                                               (self.tr("Refuse (the deadline stands)"), "supervision_refuse"))):
                b = QRadioButton(label)
                b.setObjectName(name)
                self.approve_group.addButton(b, i)
                row.addWidget(b)
            self.approve_group.button(0).setChecked(True)
            asked_day = date.fromisoformat(asked.get("new_deadline") or (record.deadline + timedelta(days=7))
                                           .isoformat())
            info = QLabel(self.tr("Asked: until %1, because %2").replace("%1", asked_day.isoformat())
                          .replace("%2", asked.get("reason") or ""))
            info.setWordWrap(True)
            return [("asked", self.tr("Request"), info), ("approved", self.tr("Decision *"), box),
                    ("new_deadline", self.tr("New deadline"),
                     _date("supervision_new_deadline", asked_day, record.deadline + timedelta(days=1))),
                    ("reason", self.tr("Opinion (required when refused)"), _text("supervision_reason", 2))]
        if step == "send_back_supervision":
            reason = _text("supervision_reason", 3)
            reason.setPlaceholderText(self.tr("Why the result does not solve the problem, and what is still to do"))
            return [("reason", self.tr("Reason *"), reason)]
        if step == "urge_supervision":
            return [("note", self.tr("Note"), _text("supervision_note", 2))]
        if step == "close_supervision":
            return [("note", self.tr("Closing opinion"), _text("supervision_note", 2))]
        if step == "withdraw_supervision":
            return [("reason", self.tr("Reason *"), _text("supervision_reason", 2))]
        return []

    def args(self) -> dict:
        out = {}
        for key, w in self.widgets.items():
            if isinstance(w, LimitedTextEdit):
                out[key] = w.toPlainText()
            elif isinstance(w, QLineEdit):
                out[key] = w.text()
            elif isinstance(w, QDateEdit):
                out[key] = _day(w)
        if "attachments" in out:
            raw = out["attachments"].replace("，", ",").replace("、", ",")
            out["attachments"] = [n.strip() for n in raw.split(",") if n.strip()]
        if self.approve_group is not None:
            out["approved"] = self.approve_group.checkedId() == 0
            out.pop("asked", None)
            if not out["approved"]:
                out.pop("new_deadline", None)
        return out

    def confirm_text(self) -> str | None:
        if self.step == "close_supervision":
            return self.tr("Close supervision sheet %1? It cannot be reopened.").replace("%1", self.record.number)
        if self.step == "withdraw_supervision":
            if not self.args().get("reason", "").strip():
                return None  # the domain asks for the reason first
            return self.tr("Withdraw supervision sheet %1? The responsible unit is told at the next sync.").replace(
                "%1", self.record.number)
        return None

    def submit(self):
        return self._submit(self.args())
