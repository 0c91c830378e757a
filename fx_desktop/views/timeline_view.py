"""The case's audit trail, newest last, as sentences (services/audit_text.py)."""
from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from ..services.audit_text import sentence, who
from ..services.cases import TimelineEntry


class TimelineView(QTreeWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setHeaderLabels([self.tr("Time"), self.tr("What happened")])
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.header().setStretchLastSection(True)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)

    def show_entries(self, entries: list[TimelineEntry]) -> None:
        self.clear()
        for e in entries:
            text = sentence(e)
            item = QTreeWidgetItem([e.at.strftime("%Y-%m-%d %H:%M"), text])
            item.setToolTip(1, f"{text}\n{who(e)}，{e.at:%Y-%m-%d %H:%M:%S}")
            self.addTopLevelItem(item)

    def sentences(self) -> list[str]:
        """What the list shows, row by row (for tests and copying)."""
        return [self.topLevelItem(i).text(1) for i in range(self.topLevelItemCount())]
