"""The three roles' journeys of the desk issue, replayed with the first-run demo data on a real SQLite store and the
Chinese UI, in a maximised window at 1366×728 (a 1366×768 laptop above its taskbar) and at 1920×1040:

- the legal reviewer lands on their workbench (never a blank form), the overdue rounds first and in red, opens the
  first with Enter onto the review desk beside the case's facts, moves on with Ctrl+PgDown, returns with Esc to
  the same row;
- the squad leader lands on their clocks, opens a case with Enter in the register (its row selected, the form never
  wider than its pane) and goes back with Alt+Left to exactly where they were;
- office staff land on the documents to print and open one the same way.
At each step the window stays inside the screen's available area and the page shown fits it without sideways
scrolling."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QAbstractScrollArea

from fx_desktop.domain.roles import Role
from fx_desktop.paths import DataPaths
from fx_desktop.services.demo import OPEN_WITHIN, generate
from fx_desktop.services.profile import save_profile
from fx_desktop.store import open_store
from fx_desktop.views.main_window import MainWindow
from fx_desktop.views.style import OVERDUE
from tests.support.windows import refuse_questions, window_maker
from tests.views.test_views_sync import chinese  # noqa: F401 - fixture: the Chinese UI

TODAY = date(2026, 11, 26)
SIZES = [(1366, 728), (1920, 1040)]


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory):
    """One first-run demo (300 cases, its worked examples of review and referral) for every journey."""
    root = tmp_path_factory.mktemp("journeys")
    store = open_store(DataPaths.at(root))
    generate(store, 300, seed=5, as_of=TODAY, open_within=OPEN_WITHIN)
    store.close()
    return root


@pytest.fixture
def desk(qtbot, demo_folder, tmp_path, monkeypatch, chinese):  # noqa: F811
    refuse_questions(monkeypatch)
    store = open_store(DataPaths.at(demo_folder))
    maker, made = window_maker(qtbot, tmp_path, TODAY)

    def make(role: Role, size: tuple[int, int], name: str = "赵敏") -> MainWindow:
        profile = save_profile(store, name=name, role=role, town_code="nanqiao")
        return maker(store, profile, size, name=f"{role}-{size[0]}")

    yield make
    for window in made:
        window.tasks.wait()
        window.close()
    store.close()


def fits(window: MainWindow, size: tuple[int, int]) -> None:
    """Inside the available area, and no scroll area of the page shown scrolls sideways."""
    assert QRect(0, 0, *size).contains(window.frameGeometry()), (window.frameGeometry(), size)
    page = window.sections.currentWidget()
    for area in page.findChildren(QAbstractScrollArea):
        if area.isVisible() and area.objectName() not in ("workbench_table", "case_table"):
            bar = area.horizontalScrollBar()
            assert bar.maximum() == 0 or not bar.isVisible(), area.objectName() or type(area).__name__


def key(qtbot, window, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window.focusWidget() or window, k, modifier)


def enter_row(qtbot, window, row: int):
    """Enter on the workbench's row `row`, the keyboard on the list: the table."""
    table = window.workbench.table
    table.setFocus()
    table.setCurrentIndex(window.workbench.model.index(row, 0))
    key(qtbot, window, Qt.Key.Key_Return)
    return table


def workbench_rows(window) -> list:
    return window.workbench.bench.items


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_reviewers_journey(qtbot, desk, size):
    window = desk(Role.LEGAL_REVIEWER, size)
    assert window.sections.currentWidget() is window.workbench  # the workbench, not a blank case form
    fits(window, size)
    items = workbench_rows(window)
    assert items and {i.kind for i in items} == {"legal_review"}
    assert [i.due for i in items] == sorted(i.due for i in items)  # what falls due first, first
    assert items[0].overdue
    model = window.workbench.model
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole).color().name() == OVERDUE
    table = enter_row(qtbot, window, 0)
    review = window.review_desk
    assert window.sections.currentWidget() is review and review.case_id == items[0].case_id
    assert items[0].number in review.facts.toPlainText()
    fits(window, size)
    if len(items) > 1:
        key(qtbot, window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
        assert review.case_id == items[1].case_id  # the next case, without going back
        key(qtbot, window, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
        assert review.case_id == items[0].case_id
    key(qtbot, window, Qt.Key.Key_Escape)  # one keystroke back to the workbench, on the same row
    assert window.sections.currentWidget() is window.workbench
    assert table.currentIndex().row() == 0 and table.hasFocus()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_squad_leaders_journey(qtbot, desk, size):
    window = desk(Role.SQUAD_LEADER, size, name="张伟")
    assert window.sections.currentWidget() is window.workbench
    items = workbench_rows(window)
    kinds = {i.kind for i in items}
    assert {"case", "legal_review", "referral"} <= kinds  # clocks, review answers, referrals to chase
    assert any(i.overdue for i in items) and not all(i.overdue for i in items)
    row = next(n for n, i in enumerate(items) if i.kind == "case")
    table = enter_row(qtbot, window, row)
    assert window.sections.currentWidget() is window.splitter
    assert window.detail.record is not None and window.detail.record.id == items[row].case_id
    selected = window.table.selectionModel().selectedRows()
    assert [window.model.case_id(i.row()) for i in selected] == [items[row].case_id]
    assert window.back_button.isVisible()
    fits(window, size)
    form = window.detail.form
    assert form.horizontalScrollBar().maximum() == 0  # the case form never wider than its pane
    key(qtbot, window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.sections.currentWidget() is window.workbench
    assert table.currentIndex().row() == row and not window.back_button.isVisible()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_office_staffs_journey(qtbot, desk, size):
    window = desk(Role.OFFICE_STAFF, size, name="刘芳")
    assert window.sections.currentWidget() is window.workbench
    fits(window, size)
    items = workbench_rows(window)
    assert {i.task for i in items} >= {"打印法制审核意见书", "打印移送函、物品清单和回执"}
    row = next(n for n, i in enumerate(items) if i.kind == "referral")
    table = enter_row(qtbot, window, row)
    assert window.sections.currentWidget() is window.referral_inbox
    fits(window, size)
    key(qtbot, window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.sections.currentWidget() is window.workbench and table.currentIndex().row() == row


@pytest.mark.parametrize("size", [(1366, 728), (911, 485)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_workbench_never_squeezes_what_is_to_be_done(qtbot, desk, size):
    """The party and cause column fills what the clock, task and number leave, but never below its minimum: at 150 %
    on a laptop (911×485 logical) the list scrolls sideways instead of showing "当…"."""
    from fx_desktop.views.workbench import TITLE

    window = desk(Role.SQUAD_LEADER, size, name="张伟")
    table = window.workbench.table
    header = table.horizontalHeader()
    minimum = table.fontMetrics().horizontalAdvance("上海锦程农业发展有限公司 · 擅自改变")
    assert header.sectionSize(TITLE) >= minimum
    widths = sum(header.sectionSize(c) for c in range(header.count()))
    if size[0] >= 1366:  # room enough: the columns fill the table exactly, nothing to scroll
        assert widths == table.viewport().width() and table.horizontalScrollBar().maximum() == 0
    else:
        assert widths > table.viewport().width() and table.horizontalScrollBar().maximum() > 0


def test_each_item_shows_its_record_kinds_icon(qtbot, desk):
    """Icons throughout, record kinds included: the task of each item has its kind's icon, one per kind."""
    from fx_desktop.services.workbench import SOURCES
    from fx_desktop.views.workbench import TASK

    window = desk(Role.SQUAD_LEADER, (1366, 728), name="张伟")
    model = window.workbench.model
    drawn = {}
    for row, item in enumerate(window.workbench.bench.items):
        decoration = model.data(model.index(row, TASK), Qt.ItemDataRole.DecorationRole)
        assert decoration is not None and not decoration.isNull() and not decoration.pixmap(20, 20).isNull()
        drawn.setdefault(item.kind, decoration.pixmap(20, 20).toImage())
    # the demo data's case clocks, review answers, referrals and certificates (the roster: 执法人员)
    assert set(drawn) == {"case", "legal_review", "referral", "roster_entry"} and all(SOURCES[k].icon for k in drawn)
    images = list(drawn.values())
    assert all(a != b for i, a in enumerate(images) for b in images[i + 1:])  # a picture of its own for each kind
