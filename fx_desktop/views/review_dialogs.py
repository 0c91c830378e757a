"""The two legal-review forms people fill in: the squad's submission (materials ticked off, request report) and the
reviewer's answer (eight criteria, outcome, written opinion: VerdictForm, shown in the review desk beside the case).
Each dialog calls its service on OK and stays open with the reason when a rule refuses it, so nothing typed is
lost."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from sqlalchemy.exc import SQLAlchemyError

from ..domain import legal_review as lr
from ..domain.errors import DomainError
from ..services import storage_errors
from .field_widgets import LimitedTextEdit, limit_line
from .style import ERROR_STYLE, mark_destructive, mark_primary


class _ServiceDialog(QDialog):
    """OK runs `self.submit()`; a DomainError (or a failure of disk or database) is shown in the dialog, which
    stays open. OK is the primary action; a dialog whose OK cannot be taken back marks it destructive and says
    what follows in `confirm_text()`, asked (No by default) before anything is stored."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.result_record = None
        self.error = QLabel()
        self.error.setObjectName("dialog_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.field_boxes: dict = {}  # DomainError.field -> the FieldBox that shows its message
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        mark_primary(self.ok_button)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)

    def irreversible(self) -> None:
        """OK in the destructive colour; confirm_text() is then asked before it acts."""
        mark_destructive(self.ok_button)

    def confirm_text(self) -> str | None:
        """The question asked before an irreversible OK; None: nothing to ask (yet: e.g. a required field is
        empty, which the service will refuse with its reason)."""
        return None

    def precheck(self) -> None:
        """What the service would refuse, checked before the question of an irreversible OK is asked (a
        DomainError is shown like the service's own)."""

    def _ok(self) -> None:
        try:
            self.precheck()
        except DomainError as exc:
            self.show_refusal(exc.message, exc.field)
            return
        question = self.confirm_text()
        if question is not None and QMessageBox.question(
                self, self.windowTitle(), question, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No) != QMessageBox.StandardButton.Yes:
            return
        try:
            self.result_record = self.submit()
        except DomainError as exc:
            self.show_refusal(exc.message, exc.field)
            return
        except (SQLAlchemyError, OSError) as exc:  # the disk or the database: said here, the typing kept
            self.error.setText(self.tr("Not saved: %1.").replace("%1", storage_errors.describe(exc)))
            self.error.show()
            return
        self.accept()

    def show_refusal(self, message: str, field: str | None = None) -> None:
        """Next to the field the message names, when the dialog shows it; otherwise above the buttons."""
        for box in self.field_boxes.values():
            box.set_error(None)
        box = self.field_boxes.get(field)
        if box is not None:
            self.error.hide()
            box.set_error(message)
            box.editor.setFocus()
        else:
            self.error.setText(message)
            self.error.show()

    def submit(self):  # pragma: no cover - overridden
        raise NotImplementedError


class SubmitReviewDialog(_ServiceDialog):
    """提交法制审核: which materials go with the case, and the request report."""

    def __init__(self, case_number: str, circumstances: list[str], reasons: list[str], submit, parent=None):
        super().__init__(self.tr("Submit for legal review"), parent)
        self._submit = submit
        required = set(lr.required_materials(circumstances))
        intro = QLabel(self.tr("Case %1. Reasons for review: %2").replace("%1", case_number)
                       .replace("%2", "；".join(reasons) or self.tr("submitted voluntarily (not a major decision)")))
        intro.setWordWrap(True)
        box = QGroupBox(self.tr("Materials submitted (required ones marked *)"))
        grid = QVBoxLayout(box)
        self.materials: dict[str, QCheckBox] = {}
        for key, label in lr.MATERIALS:
            check = QCheckBox(label + (" *" if key in required else self.tr(" (not required: no hearing held)")))
            check.setObjectName(f"material_{key}")
            self.materials[key] = check
            grid.addWidget(check)
        self.report = LimitedTextEdit("review_report")
        self.report.setObjectName("review_report")
        self.report.setTabChangesFocus(True)
        self.report.setPlaceholderText(self.tr("What is asked and why: the proposed decision, its basis, the "
                                               "points for the reviewer's attention."))
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(box)
        lay.addWidget(QLabel(self.tr("Review request report *")))
        lay.addWidget(self.report, 1)
        lay.addWidget(self.report.counter)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.resize(560, 460)

    def submit(self):
        chosen = [k for k, box in self.materials.items() if box.isChecked()]
        return self._submit(chosen, self.report.toPlainText())


class VerdictForm(QWidget):
    """The reviewer's answer, as fields: every criterion assessed (met / not met, an optional note), an outcome, a
    written opinion (required unless 同意). The review desk (review_desk.py) shows it beside the case; the service
    signs the answer with the user's name and the time. `changed` follows every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        criteria = QGroupBox(self.tr("Review criteria"))
        grid = QGridLayout(criteria)
        grid.setColumnStretch(3, 1)
        self.criteria: dict[str, tuple[QRadioButton, QRadioButton, QLineEdit]] = {}
        for row, (key, label) in enumerate(lr.CRITERIA):
            worded = key in lr.CRITERION_ANSWERS  # answered in words of its own, as on the printed form
            met, not_met = lr.criterion_answers(key) if worded else (self.tr("Met"), self.tr("Not met"))
            ok, bad = QRadioButton(met), QRadioButton(not_met)
            ok.setObjectName(f"criterion_{key}_met")
            bad.setObjectName(f"criterion_{key}_not_met")
            group = QButtonGroup(self)
            group.addButton(ok)
            group.addButton(bad)
            group.buttonToggled.connect(lambda *_: self.changed.emit())
            note = limit_line(QLineEdit(), "criterion_note")
            note.setPlaceholderText(self.tr("Note (optional)"))
            note.setMinimumWidth(60)
            note.textChanged.connect(self.changed)
            name = QLabel(label)
            name.setWordWrap(True)
            grid.addWidget(name, row, 0)
            grid.addWidget(ok, row, 1)
            grid.addWidget(bad, row, 2)
            grid.addWidget(note, row, 3)
            self.criteria[key] = (ok, bad, note)
        self.all_met = QCheckBox(self.tr("Mark all as met (no suspected crime)"))
        self.all_met.setObjectName("criteria_all_met")
        self.all_met.toggled.connect(lambda on: [pair[0].setChecked(True) for pair in self.criteria.values()]
                                     if on else None)
        outcome_box = QGroupBox(self.tr("Outcome *"))
        row = QHBoxLayout(outcome_box)
        self.outcomes = QButtonGroup(self)
        for o in lr.Outcome:
            b = QRadioButton(o.label)
            b.setObjectName(f"outcome_{o.value}")
            b.setProperty("outcome", o.value)
            self.outcomes.addButton(b)
            row.addWidget(b)
        row.addStretch(1)
        self.outcomes.buttonToggled.connect(lambda *_: self.changed.emit())
        self.opinion = LimitedTextEdit("review_opinion")
        self.opinion.setObjectName("review_opinion")
        self.opinion.setTabChangesFocus(True)
        self.opinion.setMinimumHeight(self.opinion.fontMetrics().lineSpacing() * 4)
        self.opinion.setPlaceholderText(self.tr("Detailed opinion (required for “revise and resubmit” and "
                                                "“disagree”)"))
        self.opinion.textChanged.connect(self.changed)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(criteria)
        lay.addWidget(self.all_met)
        lay.addWidget(outcome_box)
        lay.addWidget(QLabel(self.tr("Opinion")))
        lay.addWidget(self.opinion, 1)
        lay.addWidget(self.opinion.counter)

    def values(self) -> tuple[str | None, str, dict]:
        """(outcome or None, opinion, {criterion: {"passed", "note"}} of the criteria assessed)."""
        checked = self.outcomes.checkedButton()
        criteria = {}
        for key, (ok, bad, note) in self.criteria.items():
            if ok.isChecked() or bad.isChecked():
                criteria[key] = {"passed": ok.isChecked(), "note": note.text()}
        return (checked.property("outcome") if checked else None), self.opinion.toPlainText(), criteria

    def set_values(self, outcome: str | None, opinion: str, criteria: dict) -> None:
        """Fill the fields (the typing kept for a case the reviewer left and came back to; empty: a fresh form)."""
        self.blockSignals(True)
        try:
            self.all_met.setChecked(False)
            for group in {b.group() for pair in self.criteria.values() for b in pair[:2]} | {self.outcomes}:
                group.setExclusive(False)
                for b in group.buttons():
                    b.setChecked(False)
                group.setExclusive(True)
            for key, (ok, bad, note) in self.criteria.items():
                item = criteria.get(key)
                if item is not None:
                    (ok if item.get("passed") else bad).setChecked(True)
                note.setText((item or {}).get("note") or "")
            for b in self.outcomes.buttons():
                b.setChecked(b.property("outcome") == outcome)
            self.opinion.setPlainText(opinion)
        finally:
            self.blockSignals(False)

    def is_empty(self) -> bool:
        outcome, opinion, criteria = self.values()
        return outcome is None and not opinion.strip() and not criteria and not any(
            note.text() for _ok, _bad, note in self.criteria.values())

    def focus_field(self, field: str | None) -> None:
        """The keyboard to the field a refusal names (outcome, opinion, the first criterion not assessed)."""
        if field == "opinion":
            self.opinion.setFocus()
        elif field == "outcome":
            (self.outcomes.checkedButton() or self.outcomes.buttons()[0]).setFocus()
        elif field == "criteria":
            for ok, bad, _note in self.criteria.values():
                if not (ok.isChecked() or bad.isChecked()):
                    ok.setFocus()
                    break


class ExtendReviewDialog(_ServiceDialog):
    """延长审核期限: once per round, with a written reason."""

    def __init__(self, extend, parent=None):
        super().__init__(self.tr("Extend the review deadline"), parent)
        self._extend = extend
        self.reason = LimitedTextEdit("extension_reason")
        self.reason.setObjectName("extension_reason")
        self.reason.setTabChangesFocus(True)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("The deadline can be extended once. Reason:")))
        lay.addWidget(self.reason, 1)
        lay.addWidget(self.reason.counter)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.resize(480, 280)

    def submit(self):
        return self._extend(self.reason.toPlainText())
