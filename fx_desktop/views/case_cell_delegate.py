"""Paints the case list's cells: one line of plain text each, elided at the right, without Qt's per-cell style
layout.

QStyledItemDelegate asks the model for seven roles per cell and lays the text out four times (three to place the
cell's parts, once to draw it); a screenful of cases (~250 cells) took ~9 ms to paint, most of the time a search
takes. Here each text is measured once (the widths are kept), only what does not fit is elided, the colours and
metrics are looked up once per font, palette or style rather than per cell, and the text is drawn directly:
~4 ms. Tooltips, size hints and accessibility still come from the model's data()."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

_SELECTED = QStyle.StateFlag.State_Selected.value
_ENABLED = QStyle.StateFlag.State_Enabled.value
_ACTIVE = QStyle.StateFlag.State_Active.value
_FOCUS = QStyle.StateFlag.State_HasFocus.value
_GROUPS = (QPalette.ColorGroup.Disabled, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Normal)
_RELOOK = {QEvent.Type.FontChange, QEvent.Type.PaletteChange, QEvent.Type.StyleChange}
_CACHE_LIMIT = 20_000  # texts and elisions kept; a page of cases has ~600 texts, most repeat (status, town, ...)


class CellSource(Protocol):
    def cell(self, row: int, column: int) -> tuple[str, QColor | None]:
        """The cell's text and its text colour when it is not the palette's."""


@dataclass(frozen=True)
class _Look:
    """What every cell is painted with, by colour group (_GROUPS order)."""

    metrics: QFontMetrics
    height: int
    ascent: int
    margin: int
    set_font: bool  # the painter does not already carry the cells' font
    text: tuple[QColor, ...]
    highlight: tuple[QBrush, ...]
    highlighted_text: tuple[QColor, ...]


def _group(state: int) -> int:
    if not state & _ENABLED:
        return 0
    return 2 if state & _ACTIVE else 1


class CaseCellDelegate(QStyledItemDelegate):
    def __init__(self, source: CellSource, view: QAbstractItemView):
        super().__init__(view)
        self.source = source
        self._view = view
        self._look: _Look | None = None
        self._widths: dict[str, int] = {}
        self._elided: dict[tuple[str, int], str] = {}
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _RELOOK:
            self._look = None
        return False

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        look = self._look or self._look_of(option)
        text, colour = self.source.cell(index.row(), index.column())
        state, rect = option.state.value, option.rect
        group = _group(state)
        if state & _SELECTED:
            painter.fillRect(rect, look.highlight[group])
            painter.setPen(look.highlighted_text[group])
        else:
            painter.setPen(colour if colour is not None else look.text[group])
        if text:
            if look.set_font:
                painter.setFont(option.font)
            painter.drawText(rect.x() + look.margin, rect.y() + (rect.height() - look.height) // 2 + look.ascent,
                             self._fitted(text, rect.width() - 2 * look.margin, look.metrics))
        if state & _FOCUS:
            self._view.style().drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, option, painter, self._view)

    def _look_of(self, option: QStyleOptionViewItem) -> _Look:
        """Metrics of the cells' font, the style's text margin (where QCommonStyle places item text) and the
        palette's colours; measured texts are forgotten with them."""
        view, palette = self._view, option.palette
        self._widths.clear()
        self._elided.clear()
        metrics = QFontMetrics(option.font)
        self._look = _Look(
            metrics=metrics, height=metrics.height(), ascent=metrics.ascent(),
            margin=view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1,
            set_font=view.viewport().font() != option.font,
            text=tuple(palette.color(g, QPalette.ColorRole.Text) for g in _GROUPS),
            highlight=tuple(palette.brush(g, QPalette.ColorRole.Highlight) for g in _GROUPS),
            highlighted_text=tuple(palette.color(g, QPalette.ColorRole.HighlightedText) for g in _GROUPS),
        )
        return self._look

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
