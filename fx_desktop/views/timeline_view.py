"""The case's audit trail, newest last, as sentences (services/audit_text.py)."""
from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QHeaderView, QStyledItemDelegate, QTreeWidget, QTreeWidgetItem, QWidget

from ..services.audit_text import sentence, who
from ..services.cases import TimelineEntry
from .style import EmptyState


class _Wrapping(QStyledItemDelegate):
    """Row heights for sentences wrapped at the column's width (QTreeView measures one line otherwise)."""

    MARGIN = 8

    def __init__(self, view: QTreeWidget):
        super().__init__(view)
        self.view = view

    def sizeHint(self, option, index):  # noqa: N802 - Qt override
        hint = super().sizeHint(option, index)
        width = self.view.columnWidth(index.column()) - self.MARGIN
        if index.column() != 1 or width <= 0:
            return hint
        text = str(index.data() or "")
        rect = option.fontMetrics.boundingRect(QRect(0, 0, width, 10**6), Qt.TextFlag.TextWordWrap, text)
        return QSize(hint.width(), max(hint.height(), rect.height() + self.MARGIN // 2))


class TimelineView(QTreeWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setHeaderLabels([self.tr("Time"), self.tr("What happened")])
        self.setRootIsDecorated(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)  # a long sentence wraps onto more lines instead of being cut with “…”
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setItemDelegate(_Wrapping(self))
        self.setUniformRowHeights(False)
        self.header().setStretchLastSection(True)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.header().sectionResized.connect(lambda *_args: self.scheduleDelayedItemsLayout())
        self.empty = EmptyState.over(self, self.tr("No history yet. It starts when the case is first saved: "
                                                   "every change is then recorded here with who made it and when."))
        self.empty.setObjectName("timeline_empty")

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()  # row heights follow the width the sentences wrap at

    def show_entries(self, entries: list[TimelineEntry]) -> None:
        self.clear()
        for e in entries:
            text = sentence(e)
            item = QTreeWidgetItem([e.at.strftime("%Y-%m-%d %H:%M"), text])
            item.setToolTip(1, f"{text}\n{who(e)}，{e.at:%Y-%m-%d %H:%M:%S}")
            item.setTextAlignment(0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self.addTopLevelItem(item)
        self.empty.show_when(not entries)

    def sentences(self) -> list[str]:
        """What the list shows, row by row (for tests and copying)."""
        return [self.topLevelItem(i).text(1) for i in range(self.topLevelItemCount())]
