"""The circumstances that can make a decision major (hearing held, demolition, ...), as tick boxes, with a live
line saying whether the proposed decision needs legal review and why. The boxes stand in two columns where the
pane has room, else in one (views.flow_layout): the box never makes the case form wider than its pane."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from ..domain.legal_review import ReviewRules
from . import style
from .flow_layout import FlowLayout


class CircumstancesBox(QWidget):
    changed = Signal()

    def __init__(self, rules: ReviewRules, parent: QWidget | None = None):
        super().__init__(parent)
        self.rules = rules
        self.boxes: dict[str, QCheckBox] = {}
        grid = FlowLayout(uniform=True)
        for c in rules.circumstances:
            box = QCheckBox(c.label)
            box.toggled.connect(self.changed)
            self.boxes[c.key] = box
            grid.addWidget(box)
        self.verdict = QLabel()
        self.verdict.setObjectName("major_verdict")
        self.verdict.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(grid)
        lay.addWidget(self.verdict)

    def keys(self) -> list[str]:
        return [k for k, box in self.boxes.items() if box.isChecked()]

    def set_keys(self, keys) -> None:
        for k, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(k in (keys or []))
            box.blockSignals(False)

    def set_read_only(self, read_only: bool) -> None:
        for box in self.boxes.values():
            box.setEnabled(not read_only)

    def show_major(self, *, party_kind: str, penalty: str, amount: str) -> None:
        try:
            reasons = self.rules.major_reasons(party_kind=party_kind, penalty=penalty,
                                               amount=amount.replace(",", "").strip() or None,
                                               circumstances=self.keys())
        except ArithmeticError:  # an amount still being typed
            reasons = self.rules.major_reasons(party_kind=party_kind, penalty=penalty, amount=None,
                                               circumstances=self.keys())
        if reasons:
            self.verdict.setStyleSheet(f"color: {style.WARN};")
            self.verdict.setText(self.tr("Major enforcement decision: legal review is required before the "
                                         "decision (%1).").replace("%1", "；".join(reasons)))
        else:
            self.verdict.setStyleSheet(style.MUTED_STYLE)
            self.verdict.setText(self.tr("Not a major enforcement decision by the current rules."))
