"""Paints the case list's cells: one line of plain text each, elided at the right, without Qt's per-cell style
layout.

QStyledItemDelegate asks the model for seven roles per cell and lays the text out four times (three to place the
cell's parts, once to draw it); a screenful of cases (~250 cells) took ~9 ms to paint, most of the time a search
takes. Here each text is measured once (the widths are kept), only what does not fit is elided, and the text is
drawn directly: ~6 ms for a screen of new rows, ~5 ms when they were shown before. Tooltips, size hints and
accessibility still come from the model's data()."""
from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

_SELECTED, _ENABLED = QStyle.StateFlag.State_Selected, QStyle.StateFlag.State_Enabled
_ACTIVE, _FOCUS = QStyle.StateFlag.State_Active, QStyle.StateFlag.State_HasFocus
_CACHE_LIMIT = 20_000  # texts and elisions kept; a page of cases has ~600 texts, most repeat (status, town, ...)


class CellSource(Protocol):
    def cell(self, row: int, column: int) -> tuple[str, QColor | None]:
        """The cell's text and its text colour when it is not the palette's."""


class CaseCellDelegate(QStyledItemDelegate):
    def __init__(self, source: CellSource, parent: QObject | None = None):
        super().__init__(parent)
        self.source = source
        self._font: QFont | None = None
        self._metrics: QFontMetrics | None = None
        self._margin = 3
        self._widths: dict[str, int] = {}
        self._elided: dict[tuple[str, int], str] = {}

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        text, colour = self.source.cell(index.row(), index.column())
        state, rect, palette = option.state, option.rect, option.palette
        group = (QPalette.ColorGroup.Disabled if not state & _ENABLED
                 else QPalette.ColorGroup.Normal if state & _ACTIVE else QPalette.ColorGroup.Inactive)
        if state & _SELECTED:
            painter.fillRect(rect, palette.brush(group, QPalette.ColorRole.Highlight))
            painter.setPen(palette.color(group, QPalette.ColorRole.HighlightedText))
        else:
            painter.setPen(colour if colour is not None else palette.color(group, QPalette.ColorRole.Text))
        if text:
            metrics = self._metrics_for(option)
            margin = self._margin
            painter.setFont(option.font)
            painter.drawText(rect.x() + margin, rect.y() + (rect.height() - metrics.height()) // 2 + metrics.ascent(),
                             self._fitted(text, rect.width() - 2 * margin, metrics))
        if state & _FOCUS:
            style = option.widget.style() if option.widget else None
            if style is not None:
                style.drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, option, painter, option.widget)

    def _metrics_for(self, option: QStyleOptionViewItem) -> QFontMetrics:
        """Metrics of the cells' font, and the style's text margin (as QCommonStyle places item text); measured
        texts are forgotten when the font changes."""
        if self._metrics is None or option.font != self._font:
            self._font, self._metrics = QFont(option.font), QFontMetrics(option.font)
            self._widths.clear()
            self._elided.clear()
            style = option.widget.style() if option.widget else None
            if style is not None:
                self._margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, option.widget) + 1
        return self._metrics

    def _fitted(self, text: str, room: int, metrics: QFontMetrics) -> str:
        width = self._widths.get(text)
        if width is None:
            if len(self._widths) > _CACHE_LIMIT:
                self._widths.clear()
            width = self._widths[text] = metrics.horizontalAdvance(text)
        if width <= room:
            return text
        key = (text, room)
        short = self._elided.get(key)
        if short is None:
            if len(self._elided) > _CACHE_LIMIT:
                self._elided.clear()
            short = self._elided[key] = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(room, 0))
        return short
