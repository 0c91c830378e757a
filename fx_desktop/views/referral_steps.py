"""The small forms of a referral's steps: the department's receipt (签收), acceptance (受理), return (退回) and
result (反馈结果), and the town's withdrawal (撤回). Each calls the service it is given on OK and stays open with
the domain's message next to the field it names when refused."""
from __future__ import annotations

from datetime import date
from typing import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..domain.referral import ReferralResult
from .field_widgets import DateField, FieldBox, LimitedTextEdit, limit_line
from .review_dialogs import _ServiceDialog


def _text(key: str, name: str) -> LimitedTextEdit:
    edit = LimitedTextEdit(key)
    edit.setObjectName(name)
    edit.setTabChangesFocus(True)
    return edit


def _radios(parent: QWidget, choices: list[tuple[str, object, str]]) -> tuple[QWidget, QButtonGroup]:
    """A row of radio buttons; each carries its value in the property "value"."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    group = QButtonGroup(parent)
    for label, value, name in choices:
        b = QRadioButton(label)
        b.setObjectName(name)
        b.setProperty("value", value)
        group.addButton(b)
        row.addWidget(b)
    row.addStretch(1)
    return box, group


def _chosen(group: QButtonGroup):
    b = group.checkedButton()
    return b.property("value") if b is not None else None


class SignDialog(_ServiceDialog):
    """回执: the date received (today by default), who signed (the user by default), whether the materials match
    the list, and what is missing when they do not."""

    def __init__(self, number: str, user_name: str, today: date, sign: Callable[..., object], parent=None):
        super().__init__(self.tr("Receipt for referral %1").replace("%1", number), parent)
        self._sign = sign
        self.received_on = DateField(QDate(today.year, today.month, today.day))
        self.received_on.setObjectName("sign_received_on")
        self.received_on.setCalendarPopup(True)
        self.received_on.setDisplayFormat("yyyy-MM-dd")
        self.received_on.setMaximumDate(QDate(today.year, today.month, today.day))
        self.signed_by = limit_line(QLineEdit(user_name), "contact_name")
        self.signed_by.setObjectName("sign_signed_by")
        match_box, self.match = _radios(self, [(self.tr("Yes, as listed"), True, "sign_match_yes"),
                                               (self.tr("No, something is missing or differs"), False,
                                                "sign_match_no")])
        self.missing = _text("missing_materials", "sign_missing")
        self.missing.setPlaceholderText(self.tr("Which materials are missing or differ from the list"))
        self.missing.setEnabled(False)
        self.match.buttonToggled.connect(lambda *_: self.missing.setEnabled(_chosen(self.match) is False))
        self.field_boxes = {"received_on": FieldBox(self.received_on), "signed_by": FieldBox(self.signed_by),
                            "materials_match": FieldBox(match_box), "missing": FieldBox(self.missing)}
        form = QFormLayout()
        form.addRow(self.tr("Date received *"), self.field_boxes["received_on"])
        form.addRow(self.tr("Signed by *"), self.field_boxes["signed_by"])
        form.addRow(self.tr("Materials match the list? *"), self.field_boxes["materials_match"])
        form.addRow(self.tr("Missing materials"), self.field_boxes["missing"])
        lay = QVBoxLayout(self)
        lay.addLayout(form, 1)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.resize(560, 380)

    def submit(self):
        return self._sign(received_on=self.received_on.date().toPython().isoformat(),
                          signed_by=self.signed_by.text(), materials_match=_chosen(self.match),
                          missing=self.missing.toPlainText())


class AcceptDialog(_ServiceDialog):
    """受理: the department's own case number."""

    def __init__(self, number: str, accept: Callable[[str], object], parent=None):
        super().__init__(self.tr("Accept referral %1").replace("%1", number), parent)
        self._accept = accept
        self.their_number = limit_line(QLineEdit(), "their_number")
        self.their_number.setObjectName("accept_their_number")
        self.their_number.setPlaceholderText(self.tr("As on your own filing record"))
        self.field_boxes = {"their_number": FieldBox(self.their_number)}
        form = QFormLayout()
        form.addRow(self.tr("Our case number *"), self.field_boxes["their_number"])
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.resize(480, 160)

    def submit(self):
        return self._accept(self.their_number.text())


class ReasonDialog(_ServiceDialog):
    """退回 (the department) or 撤回 (the town): a written reason, which is mandatory."""

    def __init__(self, title: str, prompt: str, act: Callable[[str], object], parent=None, *,
                 confirm: str | None = None):
        """`confirm`: the question asked before the step is taken (the step is then irreversible: OK in the
        destructive colour)."""
        super().__init__(title, parent)
        self._act = act
        self._confirm = confirm
        if confirm:
            self.irreversible()
        self.reason = _text("referral_answer", "step_reason")
        self.field_boxes = {"reason": FieldBox(self.reason)}
        prompt_label = QLabel(prompt)
        prompt_label.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(prompt_label)
        lay.addWidget(self.field_boxes["reason"], 1)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.resize(520, 300)

    def confirm_text(self) -> str | None:
        if not self._confirm or not self.reason.toPlainText().strip():
            return None  # no reason yet: the service says it is required
        return self._confirm

    def submit(self):
        return self._act(self.reason.toPlainText())


class ResultDialog(_ServiceDialog):
    """反馈结果: 立案 / 不予立案 / 其他, with the reasons (required unless 立案)."""

    def __init__(self, number: str, record: Callable[[str | None, str], object], parent=None):
        super().__init__(self.tr("Result of referral %1").replace("%1", number), parent)
        self._record = record
        result_box, self.result = _radios(self, [(r.label, r.value, f"result_{r.value}") for r in ReferralResult])
        self.reasons = _text("referral_answer", "result_reasons")
        self.reasons.setPlaceholderText(self.tr("Reasons (required for “not filed” and “other”)"))
        self.field_boxes = {"result": FieldBox(result_box), "reasons": FieldBox(self.reasons)}
        form = QFormLayout()
        form.addRow(self.tr("Result *"), self.field_boxes["result"])
        form.addRow(self.tr("Reasons"), self.field_boxes["reasons"])
        lay = QVBoxLayout(self)
        lay.addLayout(form, 1)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.resize(560, 320)

    def submit(self):
        return self._record(_chosen(self.result), self.reasons.toPlainText())
