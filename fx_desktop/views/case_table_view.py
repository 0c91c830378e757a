"""The case list: a QTableView that paints a screen of cases in one pass, from the texts its model made once per
row (CaseTableModel.row_cells).

QTableView paints cell by cell: for each it makes an index (two calls into the Python model: rowCount and
columnCount) and calls the item delegate (a third, with a painter, an option and an index wrapped for Python). A
screen of cases is ~200 cells; at 1,000,000 cases those calls took 3.4 of the 4.7 ms of CPU a search took on the GUI
thread. Here paintEvent() asks the model for each visible row once and draws its texts itself, pixel for pixel the
picture QTableView drew (the style's alternate-row panel, the selection, the grid, the focus frame). Each text is
laid out once (QStaticText) for the width of its column, elided at the right if it does not fit, and kept; colours
and metrics are looked up once per font, palette or style. Tooltips, size hints and accessibility still come from
the model's data(). Rows are never hidden or moved in the register; columns may be (the header's saved state).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Protocol

from PySide6.QtCore import QEvent, QLineF, QPointF, QRect, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem, QTableView, QWidget

_SELECTED = QStyle.StateFlag.State_Selected
_HAS_FOCUS = QStyle.StateFlag.State_HasFocus
_ENABLED = QStyle.StateFlag.State_Enabled.value
_ACTIVE = QStyle.StateFlag.State_Active.value
_ALTERNATE = QStyleOptionViewItem.ViewItemFeature.Alternate
_GROUPS = (QPalette.ColorGroup.Disabled, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Normal)
_RELOOK = {QEvent.Type.FontChange, QEvent.Type.PaletteChange, QEvent.Type.StyleChange}
_CACHE_LIMIT = 5_000  # laid-out texts kept (~0.5 kB each); a screen of cases has ~200, many repeat (status, town)
_WHOLE_ROW = None  # in the selected-rows map: every column of the row is selected


class RowSource(Protocol):
    """The model the view paints (CaseTableModel)."""

    def rowCount(self) -> int: ...

    def columnCount(self) -> int: ...

    def row_cells(self, row: int) -> tuple[tuple[str, ...], tuple[QColor | None, ...] | None]:
        """The row's texts by column, and their colours where the palette's text colour is not meant (None: no
        such column in the row)."""


class _Column(NamedTuple):
    column: int  # logical
    x: int
    width: int
    room: int  # for the text
    texts: dict[str, QStaticText]  # laid out for this room


@dataclass(frozen=True)
class _Look:
    """What every cell is painted with, by colour group (_GROUPS order)."""

    font: QFont
    metrics: QFontMetrics
    height: int
    margin: int
    set_font: bool  # the painter does not already carry the cells' font
    text: tuple[QColor, ...]
    highlight: tuple[QBrush, ...]
    highlighted_text: tuple[QColor, ...]


def _group(state: int) -> int:
    if not state & _ENABLED:
        return 0
    return 2 if state & _ACTIVE else 1


class CaseTableView(QTableView):
    def __init__(self, model: RowSource, parent: QWidget | None = None):
        super().__init__(parent)
        self.setModel(model)  # type: ignore[arg-type]  # a QAbstractItemModel with row_cells()
        self.setTabKeyNavigation(False)  # Tab leaves the list (arrow keys move in it)
        self._source = model
        self._look: _Look | None = None
        self._texts: dict[int, dict[str, QStaticText]] = {}  # by room: texts laid out for cells that wide
        self._kept = 0  # how many texts are kept

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in _RELOOK:
            self._look = None
        super().changeEvent(event)

    # --- painting -----------------------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        header, rows = self.horizontalHeader(), self._source.rowCount()
        area = event.rect()  # the painter clips to the event's region
        area.setRight(min(area.right(), header.length() - header.offset() - 1))  # no cells right of the last column
        area.setBottom(min(area.bottom(), self.verticalHeader().length() - self.verticalHeader().offset() - 1))
        if not rows or not header.count() or not area.isValid():
            return
        first = max(self.rowAt(area.top()), 0)
        last = self.rowAt(area.bottom())
        last = rows - 1 if last < 0 else last
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)  # the state Qt gives each cell: enabled, active (window and focus), ...
        look = self._look or self._look_of(option)
        grid = 1 if self.showGrid() else 0
        columns = self._columns(area, grid, look.margin)
        painter = QPainter(self.viewport())
        try:
            if look.set_font:
                painter.setFont(option.font)
            self._paint_rows(painter, option, look, range(first, last + 1), columns, grid)
            if grid:
                self._paint_grid(painter, option, area, first, last, columns)
            self._paint_focus(painter, option, first, last, columns, grid)
        finally:
            painter.end()

    def _columns(self, area: QRect, grid: int, margin: int) -> list[_Column]:
        """The columns that `area` crosses, left to right."""
        header = self.horizontalHeader()
        left, right = header.visualIndexAt(area.left()), header.visualIndexAt(area.right())
        left = 0 if left < 0 else left
        right = header.count() - 1 if right < 0 else right
        out = []
        for visual in range(left, right + 1):
            column = header.logicalIndex(visual)
            if not header.isSectionHidden(column):
                x, width = self.columnViewportPosition(column), self.columnWidth(column)
                room = width - grid - 2 * margin
                out.append(_Column(column, x, width, room, self._texts.setdefault(room, {})))
        return out

    def _paint_rows(self, painter: QPainter, option: QStyleOptionViewItem, look: _Look, rows: range,
                    columns: list[_Column], grid: int) -> None:
        """Each row: the style's panel under an alternate row, the selection's highlight, then each text in its
        colour, elided to its cell."""
        group = _group(option.state.value)
        normal, highlight, highlighted = look.text[group], look.highlight[group], look.highlighted_text[group]
        alternate = QStyleOptionViewItem(option) if self.alternatingRowColors() and columns else None
        if alternate is not None:
            alternate.features |= _ALTERNATE
            left, right = columns[0].x, columns[-1].x + columns[-1].width - grid
        style, panel = self.style(), QStyle.PrimitiveElement.PE_PanelItemViewRow
        selected = self._selected_rows(rows.start, rows.stop - 1)
        source, margin, line = self._source, look.margin, look.height
        pen = None
        for row in rows:
            y, height = self.rowViewportPosition(row), self.rowHeight(row) - grid
            if alternate is not None and row & 1:  # QTableView has the style draw it under each cell
                alternate.rect = QRect(left, y, right - left, height)
                style.drawPrimitive(panel, alternate, painter, self)
            texts, colours = source.row_cells(row)
            chosen = selected.get(row, ())
            top = y + (height - line) // 2
            for column, x, width, room, cache in columns:
                if chosen is _WHOLE_ROW or column in chosen:
                    painter.fillRect(x, y, width - grid, height, highlight)
                    colour = highlighted
                elif colours is None or colours[column] is None:
                    colour = normal
                else:
                    colour = colours[column]
                text = texts[column]
                if not text:
                    continue
                if colour is not pen:
                    painter.setPen(colour)
                    pen = colour
                painter.drawStaticText(x + margin, top, cache.get(text) or self._laid_out(text, room, cache, look))

    def _selected_rows(self, first: int, last: int) -> dict[int, frozenset[int] | None]:
        """Selected rows among first..last: None for a whole row, else its selected columns."""
        selection = self.selectionModel()
        if selection is None or not selection.hasSelection():
            return {}
        full = self._source.columnCount() - 1
        out: dict[int, frozenset[int] | None] = {}
        for span in selection.selection():
            if span.parent().isValid():
                continue
            cols = _WHOLE_ROW if span.left() == 0 and span.right() >= full else frozenset(
                range(span.left(), span.right() + 1))
            for row in range(max(span.top(), first), min(span.bottom(), last) + 1):
                before = out.get(row, frozenset())
                out[row] = _WHOLE_ROW if cols is _WHOLE_ROW or before is _WHOLE_ROW else before | cols
        return out

    def _paint_grid(self, painter: QPainter, option: QStyleOptionViewItem, area: QRect, first: int, last: int,
                    columns: list[_Column]) -> None:
        """The grid as QTableView draws it: a line under each row and right of each column, in the style's
        colour; the left one too where the style asks for it and there is no row header. A solid grid is filled
        as one-pixel rectangles (the same pixels as QTableView's lines; stroking them took an eighth of a
        search's time)."""
        colour = QColor.fromRgba(self.style().styleHint(QStyle.StyleHint.SH_Table_GridLineColor, option, self)
                                 & 0xFFFFFFFF)
        rects = [QRect(area.left(), self.rowViewportPosition(row) + self.rowHeight(row) - 1, area.width(), 1)
                 for row in range(first, last + 1)]
        rects += [QRect(c.x + c.width - 1, area.top(), 1, area.height()) for c in columns]
        if (columns and self.verticalHeader().isHidden() and columns[0].x == area.left()
                and self.style().styleHint(QStyle.StyleHint.SH_Table_AlwaysDrawLeftTopGridLines, option, self)):
            rects.append(QRect(area.left(), area.top(), 1, area.height()))
        if self.gridStyle() == Qt.PenStyle.SolidLine:
            for rect in rects:
                painter.fillRect(rect, colour)
            return
        painter.setPen(QPen(colour, 1, self.gridStyle()))
        painter.drawLines([QLineF(QPointF(r.left() + 0.5, r.top() + 0.5), QPointF(r.right() + 0.5, r.bottom() + 0.5))
                           for r in rects])  # through pixel centres, as QTableView

    def _paint_focus(self, painter: QPainter, option: QStyleOptionViewItem, first: int, last: int,
                     columns: list[_Column], grid: int) -> None:
        """The current cell's focus frame while the list has the keyboard focus."""
        current = self.currentIndex()
        if not current.isValid() or not (self.hasFocus() or self.viewport().hasFocus()):
            return
        if not first <= current.row() <= last or current.column() not in {c.column for c in columns}:
            return
        option.rect = self.visualRect(current).adjusted(0, 0, -grid, -grid) if grid else self.visualRect(current)
        option.state |= _HAS_FOCUS
        if self.selectionModel().isSelected(current):
            option.state |= _SELECTED
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, option, painter, self)

    def _look_of(self, option: QStyleOptionViewItem) -> _Look:
        """Metrics of the cells' font, the style's text margin (where QCommonStyle places item text) and the
        palette's colours; the texts laid out are forgotten with them."""
        palette = option.palette
        self._texts.clear()
        self._kept = 0
        metrics = QFontMetrics(option.font)
        self._look = _Look(
            font=QFont(option.font), metrics=metrics, height=metrics.height(),
            margin=self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1,
            set_font=self.viewport().font() != option.font,
            text=tuple(palette.color(g, QPalette.ColorRole.Text) for g in _GROUPS),
            highlight=tuple(palette.brush(g, QPalette.ColorRole.Highlight) for g in _GROUPS),
            highlighted_text=tuple(palette.color(g, QPalette.ColorRole.HighlightedText) for g in _GROUPS),
        )
        return self._look

    def _laid_out(self, text: str, room: int, cache: dict[str, QStaticText], look: _Look) -> QStaticText:
        """`text` laid out for cells with `room` pixels for it, elided at the right if it does not fit (measured
        as QFontMetrics measures, like Qt's delegates), and kept in `cache`, the texts of cells that wide."""
        if self._kept >= _CACHE_LIMIT:  # many searches since: start again
            for kept in self._texts.values():
                kept.clear()
            self._kept = 0
        if look.metrics.horizontalAdvance(text) > room:
            shown = look.metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(room, 0))
        else:
            shown = text
        laid = QStaticText(shown)
        laid.setTextFormat(Qt.TextFormat.PlainText)
        laid.prepare(QTransform(), look.font)
        cache[text] = laid
        self._kept += 1
        return laid
