"""The 移送 tab of a case (the town's side): its referrals, newest first, each shown by ReferralView."""
from __future__ import annotations

from datetime import date
from typing import Callable

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from .referral_actions import ReferralActions, status_of
from .referral_view import ReferralView


class CaseReferrals(QWidget):
    def __init__(self, store, tasks, actions: ReferralActions, *, today: Callable[[], date] = date.today,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.records: list = []
        self.choice = QComboBox()
        self.choice.setObjectName("case_referral_choice")
        self.choice.currentIndexChanged.connect(self._show)
        self.choice_row = QWidget()
        row = QHBoxLayout(self.choice_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("Referral")))
        row.addWidget(self.choice, 1)
        self.view = ReferralView(store, tasks, actions, show_case=False, today=today)
        lay = QVBoxLayout(self)
        lay.addWidget(self.choice_row)
        lay.addWidget(self.view, 1)
        self.show_records([])

    def show_records(self, records: list) -> None:
        """`records`: the case's referrals (services.referrals.for_case), the newest shown first."""
        shown = self.view.record.id if self.view.record is not None else None
        self.records = sorted(records, key=lambda r: str(r.submitted_at or ""), reverse=True)
        self.choice.blockSignals(True)
        self.choice.clear()
        for r in self.records:
            self.choice.addItem(f"{r.number or self.tr('(number pending)')}　{r.receiving_name}　{status_of(r).label}")
        index = next((i for i, r in enumerate(self.records) if r.id == shown), 0)
        self.choice.setCurrentIndex(index if self.records else -1)
        self.choice.blockSignals(False)
        self.choice_row.setVisible(len(self.records) > 1)
        self._show(index)

    def _show(self, index: int) -> None:
        record = self.records[index] if 0 <= index < len(self.records) else None
        self.view.show_referral(record, empty_text=self.tr(
            "This case has not been referred. A squad leader refers it with the “Refer” button above the case."))
