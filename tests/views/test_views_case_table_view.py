"""The case list's view, looked at pixel by pixel: it paints the rows on screen from the model's per-row texts (also
after scrolling), text inside its cell, an overdue deadline in red, the selected row highlighted, alternate rows and
the grid in the style's colours, text that does not fit elided to its cell, a new palette or font taken up."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPalette
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from fx_desktop.services.demo import generate
from fx_desktop.store.case_queries import CaseFilter, CaseQueries
from fx_desktop.views.case_table_model import KEYS, OVERDUE, CaseTableModel
from fx_desktop.views.case_table_view import CaseTableView

TODAY = date(2026, 11, 26)
DUE = KEYS.index("decision_due")


@pytest.fixture
def table(qtbot, store):
    generate(store, 120, seed=9, as_of=TODAY)
    model = CaseTableModel(CaseQueries(store.engine), {}, page_size=40, today=lambda: TODAY)
    view = CaseTableView(model)
    view.setAlternatingRowColors(True)
    view.resize(1400, 500)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    return model, view


def _cell_image(view: CaseTableView, row: int, column: int) -> QImage:
    rect = view.visualRect(view.model().index(row, column))
    return view.viewport().grab(rect).toImage()


def _count(image: QImage, wanted) -> int:
    return sum(1 for y in range(image.height()) for x in range(image.width()) if wanted(image.pixelColor(x, y)))


def _reddish(c: QColor) -> bool:
    return c.red() > 120 and c.green() < 90 and c.blue() < 90


def _visible_rows(view: CaseTableView) -> range:
    bottom = view.rowAt(view.viewport().height() - 1)
    return range(view.rowAt(0), (bottom if bottom >= 0 else view.model().rowCount() - 1) + 1)


def test_the_rows_on_screen_are_painted_from_the_model_also_after_scrolling(qtbot, table, monkeypatch):
    model, view = table
    model.set_filter(CaseFilter())
    asked: list[int] = []
    real = model.row_cells
    monkeypatch.setattr(model, "row_cells", lambda row: asked.append(row) or real(row))
    view.viewport().repaint()
    assert asked == list(_visible_rows(view)) and asked[0] == 0
    while model.rowCount() < 100:
        model.fetchMore()
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 60)  # the view has laid the new rows out
    view.scrollTo(model.index(90, 0))
    asked.clear()
    view.viewport().repaint()
    shown = _visible_rows(view)
    assert shown.start > 40 and asked == list(shown)  # rows of the second and third pages
    base = view.palette().color(QPalette.ColorRole.Base)
    for row in (shown.start, shown.stop - 1):
        texts, _colours = model.row_cells(row)
        assert texts[0] == model.index(row, 0).data() and texts[0].startswith("奉")
        for column in range(4):  # the columns on screen: ink where there is text
            inked = _count(_cell_image(view, row, column), lambda c: c.lightness() < base.lightness() - 60)
            assert (inked > 20) == bool(texts[column]), (row, column, texts[column])


def test_overdue_deadline_is_red_and_others_are_not(table):
    model, view = table
    model.set_filter(CaseFilter(overdue_on=TODAY))
    assert model.rowCount() > 0
    texts, colours = model.row_cells(0)
    assert texts[DUE] == model.index(0, DUE).data() and colours[DUE] == OVERDUE
    assert _count(_cell_image(view, 0, DUE), _reddish) > 5
    assert _count(_cell_image(view, 0, 0), _reddish) == 0  # the case number beside it is in the normal colour
    model.set_filter(CaseFilter(status="closed"))
    assert model.rowCount() > 0 and model.row_cells(0)[1] is None
    assert _count(_cell_image(view, 0, DUE), _reddish) == 0


def test_text_is_drawn_inside_its_cell_and_the_selection_is_highlighted(table):
    model, view = table
    model.set_filter(CaseFilter())
    base = view.palette().color(QPalette.ColorRole.Base)
    before = _cell_image(view, 0, 0)
    inked = _count(before, lambda c: c.lightness() < base.lightness() - 60)
    assert inked > 30  # the case number's strokes
    view.setFocus()
    view.selectRow(0)
    highlight = view.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
    after = _cell_image(view, 0, 0)
    filled = _count(after, lambda c: c == highlight)
    assert filled > after.width() * after.height() // 2
    assert _count(_cell_image(view, 1, 0), lambda c: c == highlight) == 0


def test_alternate_rows_and_the_grid_have_the_styles_colours(table):
    model, view = table
    model.set_filter(CaseFilter())
    view.viewport().repaint()
    image = view.viewport().grab().toImage()
    palette = view.palette()
    option = QStyleOptionViewItem()
    grid = QColor.fromRgba(view.style().styleHint(QStyle.StyleHint.SH_Table_GridLineColor, option, view) & 0xFFFFFFFF)
    column = KEYS.index("decision_due") - 1  # a narrow column whose text leaves its right end empty
    x = view.columnViewportPosition(column) + view.columnWidth(column) - 4
    for row, role in ((0, QPalette.ColorRole.Base), (1, QPalette.ColorRole.AlternateBase)):
        y = view.rowViewportPosition(row) + 2
        assert image.pixelColor(x, y) == palette.color(QPalette.ColorGroup.Inactive, role), row
        below = view.rowViewportPosition(row) + view.rowHeight(row) - 1
        assert image.pixelColor(x, below) == grid  # the line under the row
    right = view.columnViewportPosition(column) + view.columnWidth(column) - 1
    assert image.pixelColor(right, view.rowViewportPosition(0) + 2) == grid  # the line right of the column


def test_text_that_does_not_fit_is_elided_to_its_cell(table):
    model, view = table
    model.set_filter(CaseFilter())
    view.viewport().repaint()
    metrics = QFontMetrics(view.font())
    cache: dict = {}
    long_text = "奉贤区南桥镇解放东路八十八号二楼东侧违法搭建彩钢板房屋"
    look = view._look
    fitted = view._laid_out(long_text, 80, cache, look)
    assert fitted.text().endswith("…") and metrics.horizontalAdvance(fitted.text()) <= 80
    assert view._laid_out("违建", 80, cache, look).text() == "违建"
    assert cache[long_text] is fitted  # laid out once, then kept for cells this wide


def test_a_new_palette_or_font_is_taken_up(table):
    model, view = table
    model.set_filter(CaseFilter())
    view.setFocus()
    view.selectRow(0)
    palette = view.palette()
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#00a000"))
    view.setPalette(palette)
    green = _cell_image(view, 0, 0)  # grab() paints
    assert _count(green, lambda c: c == QColor("#00a000")) > green.width() * green.height() // 2
    kept = view._laid_out("奉贤区南桥镇解放东路八十八号", 120, {}, view._look)
    font = view.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    view.setFont(font)
    view.viewport().repaint()
    assert view._look.metrics.height() == QFontMetrics(font).height()
    assert view._laid_out("奉贤区南桥镇解放东路八十八号", 120, {}, view._look).text() != kept.text()
