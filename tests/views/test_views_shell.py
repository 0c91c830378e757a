"""The application shell in Chinese: the menu bar with every action and its shortcut, Ctrl+1…n for the sections,
the sidebar's icons and live counts, F1's user guide (shipped in the package, offline), the About box with the
version, and a window that opens inside the screen's available area at 1366×728 and 1920×1080."""
from __future__ import annotations

import tomllib
from datetime import datetime
from fnmatch import fnmatch
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QToolBar

import fx_desktop
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.services import cases, legal_review
from fx_desktop.store import reference
from fx_desktop.tasks import TaskRunner
from fx_desktop.views import help_dialogs
from fx_desktop.views.main_window import MainWindow
from fx_desktop.views.screen_fit import fitted
from tests.views.test_views_sync import chinese  # noqa: F401 - fixture: the Chinese UI

PROJECT = Path(__file__).resolve().parents[2]
SCREENS = [QRect(0, 0, 1366, 728), QRect(0, 0, 1920, 1080), QRect(0, 40, 1366, 728)]  # the last: taskbar on top
NOW = datetime(2026, 3, 10, 9, 0)
MATERIALS = ["case_file", "officer_opinion", "draft_decision", "request_report"]


@pytest.fixture
def make_window(qtbot, chinese, store, profile, tmp_path):  # noqa: F811 - the imported fixture
    tasks = TaskRunner()
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)

    def make(available: QRect = SCREENS[0], **kw) -> MainWindow:
        with store.sessions() as session:
            ref = reference.current(session)
        w = MainWindow(store, kw.pop("profile", profile), ref, tasks, settings, available=lambda: available, **kw)
        qtbot.addWidget(w)
        with qtbot.waitActive(w):  # shortcuts go to the active window, as on a desktop after start
            w.show()
            w.activateWindow()
        return w

    yield make
    tasks.wait()


def _menus(window) -> dict[str, list]:
    return {a.text().replace("&", ""): a.menu().actions() for a in window.menuBar().actions() if a.menu()}


def test_the_menu_bar_holds_every_action_with_its_shortcut(make_window):
    window = make_window()
    menus = _menus(window)
    assert list(menus) == ["文件(F)", "编辑(E)", "视图(V)", "帮助(H)"]
    in_menus = {a for actions in menus.values() for a in actions}
    toolbar = window.findChild(QToolBar, "case_toolbar").actions()
    assert toolbar and set(toolbar) <= in_menus  # nothing only on the toolbar
    shortcuts = {a.text(): a.shortcut() for a in in_menus if not a.isSeparator()}
    assert shortcuts["新建案件"] == QKeySequence("Ctrl+N")
    assert shortcuts["保存"] == QKeySequence("Ctrl+S")
    assert shortcuts["查找"] == QKeySequence("Ctrl+F")
    assert shortcuts["刷新"].matches(QKeySequence("F5")) or QKeySequence("F5") in window.refresh_action.shortcuts()
    assert shortcuts["用户指南"] == QKeySequence("F1")
    assert shortcuts["退出"] == QKeySequence("Ctrl+Q")
    assert {"立即同步", "关于", "显示工具栏"} <= set(shortcuts)
    sections = [window.nav.item(r).text() for r in range(window.nav.count())]
    assert sections == ["工作台", "案件登记", "法制审核", "移送", "公安协助", "刑事移送", "会议", "督办", "执法人员",
                        "数据与备份", "同步"]
    assert shortcuts["返回"] == QKeySequence("Alt+Left")  # back to the workbench
    for row, title in enumerate(sections[:9]):  # the first nine in 视图 with Ctrl+<its place in the sidebar>
        assert shortcuts[title] == QKeySequence(f"Ctrl+{row + 1}")
    assert shortcuts.get("同步", QKeySequence()).isEmpty()  # the eleventh: no Ctrl+n


def test_ctrl_2_switches_to_the_second_section_and_ctrl_1_back(qtbot, make_window):
    window = make_window()
    assert window.sections.currentWidget() is window.workbench  # the start page
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.sections.currentWidget() is window.splitter and window.nav.currentRow() == 1
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.sections.currentWidget() is window.review_queue and window.nav.currentRow() == 2
    qtbot.keyClick(window, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
    assert window.nav.currentRow() == 8  # the ninth; later sections have no Ctrl+n
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.sections.currentWidget() is window.workbench


def test_icons_on_the_toolbar_menus_and_sidebar(make_window):
    window = make_window()
    actions = [a for actions in _menus(window).values() for a in actions if not a.isSeparator()]
    missing = [a.text() for a in actions if a.icon().isNull() and not a.isCheckable()]
    assert not missing
    assert all(not window.nav.item(r).icon().isNull() for r in range(window.nav.count()))


def test_f1_opens_the_chinese_guide_with_its_contents(qtbot, make_window):
    window = make_window()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    guide = window.guide
    assert guide is not None and guide.isVisible()
    assert guide.windowTitle() == "用户指南"
    assert guide.chapters() == ["工作台", "登录与同步", "登记和编辑案件", "法制审核", "案件移送", "会议与督办",
                                "执法人员", "打印文书", "离线工作与冲突处理", "常见问题"]
    text = guide.text.toPlainText()
    assert "fx-desktop 用户指南" in text and "Ctrl+N" in text and "提交法制审核…" in text
    assert guide.text.verticalScrollBar().value() == 0  # opens at the title
    guide.contents.setCurrentRow(4)  # 案件移送: the text scrolls to its heading
    qtbot.waitUntil(lambda: guide.text.verticalScrollBar().value() > 0)
    top = guide.text.cursorForPosition(QPoint(4, 4)).block()
    assert top.text() == "案件移送"
    assert QRect(0, 0, 1366, 728).contains(guide.frameGeometry())
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.guide is guide  # F1 again brings the same one forward


def test_the_guide_ships_as_package_data():
    data = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = data["tool"]["setuptools"]["package-data"]["fx_desktop"]
    shipped = help_dialogs.GUIDE.relative_to(PROJECT / "fx_desktop").as_posix()
    assert any(fnmatch(shipped, p) for p in patterns), f"{shipped} is not in fx_desktop's package-data"


def test_about_shows_the_version(make_window):
    window = make_window()
    window.about_action.trigger()
    box = window.about
    assert box.isVisible() and box.windowTitle() == "关于 fx-desktop"
    assert f"fx-desktop 版本 {fx_desktop.__version__}" in box.text()
    assert fx_desktop.__version__ not in ("", "0+unknown")  # the installed distribution's metadata was read
    assert "QtAwesome" in box.informativeText()
    box.accept()


@pytest.mark.parametrize("screen", SCREENS, ids=lambda r: f"{r.width()}x{r.height()}+{r.y()}")
def test_the_window_and_its_status_bar_open_inside_the_available_area(make_window, screen):
    window = make_window(screen)
    assert screen.contains(window.frameGeometry()), (window.frameGeometry(), screen)
    bar = window.statusBar()
    bottom_right = bar.mapToGlobal(QPoint(bar.width() - 1, bar.height() - 1))
    assert bar.isVisible() and screen.contains(bottom_right)
    if screen.height() >= 1000:
        assert (window.width(), window.height()) == (1360, 820)  # the preferred size where there is room


def test_a_saved_geometry_is_restored_only_where_it_fits(qtbot, make_window):
    big = QRect(0, 0, 1920, 1080)
    first = make_window(big)
    first.setGeometry(40, 60, 1250, 700)
    first.close()
    again = make_window(big)  # fits: the saved one is taken (offscreen restoreGeometry keeps within 800 px wide)
    assert again.height() == 700 and again.geometry().top() == 60
    again.setGeometry(10, 30, 1800, 1000)
    again.close()
    small = QRect(0, 0, 1366, 728)
    laptop = make_window(small)  # 1000 px tall does not fit a 728 px area: fitted instead
    assert small.contains(laptop.frameGeometry())
    assert laptop.geometry() == fitted(small, QSize(1360, 820)) == QRect(8, 32, 1350, 688)


def _submitted_case(store, profile, make_draft) -> str:
    made = cases.create_case(store, profile, make_draft(proposed_penalty="罚款", proposed_amount="20000"), now=NOW)
    status = CaseStatus.CLUE
    for action in ("file", "start_investigation", "close_investigation", "notify"):
        status = cases.change_status(store, profile, made.id, action, expected_status=status, now=NOW).status
    legal_review.submit(store, profile, made.id, materials=MATERIALS, report="提请审核。", now=NOW)
    return made.id


def test_the_sidebar_counts_rounds_waiting_for_review_and_unsynced_changes(make_window, store, make_draft, profile):
    _submitted_case(store, profile, make_draft)
    window = make_window()
    review_row = window.sections.indexOf(window.review_queue)
    assert window.nav.count_of(review_row) == 1
    assert window.nav.item(review_row).toolTip() == "1 件待审核，1 件已逾期"  # due in March 2026: long past

    second = _submitted_case(store, profile, make_draft)
    window.detail.saved.emit(second)  # what the case form announces after a save: the count follows
    assert window.nav.count_of(review_row) == 2
    window.sync.schedule()  # the changes waiting in the outbox are counted on the 同步 section
    sync_row = window.sections.indexOf(window.sync_page)
    pending = window.sync.state.pending
    assert pending > 0 and window.nav.count_of(sync_row) == pending
    assert window.nav.item(sync_row).toolTip() == f"{pending} 条变更待同步"
    assert window.nav.count_of(window.sections.indexOf(window.splitter)) is None  # no count where none is kept


def test_the_section_shortcuts_follow_the_sections_after_a_login_as_a_department(qtbot, make_window):
    from fx_desktop.domain.organisations import OrgKind
    from fx_desktop.domain.roles import Role
    from fx_desktop.services.profile import Profile

    window = make_window()
    window.set_profile(Profile("u-liaison", "周敏", Role.DEPARTMENT_LIAISON, None, org_code="ghzy",
                               org_kind=OrgKind.DEPARTMENT))
    view = _menus(window)["视图(V)"]
    sections = [(a.text(), a.shortcut().toString()) for a in view if a.shortcut().toString().startswith("Ctrl+")]
    assert sections == [("工作台", "Ctrl+1"), ("移送收件", "Ctrl+2"), ("会议", "Ctrl+3"), ("督办", "Ctrl+4"),
                        ("数据与备份", "Ctrl+5"), ("同步", "Ctrl+6")]  # none left over
    assert not window.new_action.isEnabled() and not window.find_action.isEnabled()  # no cases here
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.sections.currentWidget() is window.sync_page
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.sections.currentWidget() is window.referral_inbox
