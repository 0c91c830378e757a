"""The case list's cell painter, looked at pixel by pixel: text drawn inside its cell, an overdue deadline in red,
the selected row highlighted, and text that does not fit elided to its cell."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPalette
from PySide6.QtWidgets import QTableView

from fx_desktop.services.demo import generate
from fx_desktop.store.case_queries import CaseFilter, CaseQueries
from fx_desktop.views.case_cell_delegate import CaseCellDelegate
from fx_desktop.views.case_table_model import KEYS, OVERDUE, CaseTableModel

TODAY = date(2026, 11, 26)
DUE = KEYS.index("decision_due")


@pytest.fixture
def table(qtbot, store):
    generate(store, 120, seed=9, as_of=TODAY)
    model = CaseTableModel(CaseQueries(store.engine), {}, today=lambda: TODAY)
    view = QTableView()
    view.setModel(model)
    view.setItemDelegate(CaseCellDelegate(model, view))
    view.resize(1400, 500)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    return model, view


def _cell_image(view: QTableView, row: int, column: int) -> QImage:
    rect = view.visualRect(view.model().index(row, column))
    return view.viewport().grab(rect).toImage()


def _count(image: QImage, wanted) -> int:
    return sum(1 for y in range(image.height()) for x in range(image.width()) if wanted(image.pixelColor(x, y)))


def _reddish(c: QColor) -> bool:
    return c.red() > 120 and c.green() < 90 and c.blue() < 90


def test_overdue_deadline_is_red_and_others_are_not(table):
    model, view = table
    model.set_filter(CaseFilter(overdue_on=TODAY))
    assert model.rowCount() > 0
    assert model.cell(0, DUE) == (model.index(0, DUE).data(), OVERDUE)
    assert _count(_cell_image(view, 0, DUE), _reddish) > 5
    assert _count(_cell_image(view, 0, 0), _reddish) == 0  # the case number beside it is in the normal colour
    model.set_filter(CaseFilter(status="closed"))
    assert model.rowCount() > 0 and model.cell(0, DUE)[1] is None
    assert _count(_cell_image(view, 0, DUE), _reddish) == 0


def test_text_is_drawn_inside_its_cell_and_the_selection_is_highlighted(table, qtbot):
    model, view = table
    model.set_filter(CaseFilter())
    base = view.palette().color(QPalette.ColorRole.Base)
    before = _cell_image(view, 0, 0)
    inked = _count(before, lambda c: c.lightness() < base.lightness() - 60)
    assert inked > 30  # the case number's strokes
    view.selectRow(0)
    highlight = view.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
    after = _cell_image(view, 0, 0)
    filled = _count(after, lambda c: c == highlight)
    assert filled > after.width() * after.height() // 2
    assert _count(_cell_image(view, 1, 0), lambda c: c == highlight) == 0


def test_text_that_does_not_fit_is_elided_to_its_cell(table):
    model, view = table
    delegate = view.itemDelegate()
    metrics = QFontMetrics(view.font())
    long_text = "奉贤区南桥镇解放东路八十八号二楼东侧违法搭建彩钢板房屋"
    fitted = delegate._fitted(long_text, 80, metrics)
    assert fitted.endswith("…") and metrics.horizontalAdvance(fitted) <= 80
    assert delegate._fitted("违建", 80, metrics) == "违建"
    assert delegate._fitted(long_text, 80, metrics) is fitted  # measured once, then remembered


def test_a_new_palette_or_font_is_taken_up(table):
    model, view = table
    model.set_filter(CaseFilter())
    view.selectRow(0)
    palette = view.palette()
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#00a000"))
    view.setPalette(palette)
    green = _cell_image(view, 0, 0)
    assert _count(green, lambda c: c == QColor("#00a000")) > green.width() * green.height() // 2
    small = view.itemDelegate()._fitted("奉贤区南桥镇解放东路八十八号", 120, QFontMetrics(view.font()))
    font = view.font()
    font.setPointSizeF(font.pointSizeF() * 2)
    view.setFont(font)
    view.viewport().repaint()
    assert view.itemDelegate()._look.metrics.height() == QFontMetrics(font).height()
    assert view.itemDelegate()._fitted("奉贤区南桥镇解放东路八十八号", 120, QFontMetrics(font)) != small
