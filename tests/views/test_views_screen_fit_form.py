"""Issue 12, the desk fits office screens: at 1366×728 (a maximised window above a taskbar) and 1920×1080, and at
the logical sizes of those screens at 150 % scaling (911×485, 1280×720), the case form never scrolls sideways and
every label stays in sight (also after Tab through every field and after a refused save); the window's minimum
size fits a logical 900×480 area; a date-time field is one Tab stop and Tab leaves the case list; the case list
shows the columns that matter for the role, a column chooser gives the rest, and the choice is remembered."""
from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from fx_desktop.domain import case_fields
from fx_desktop.domain.roles import Role
from fx_desktop.services import cases
from fx_desktop.services.profile import save_profile
from fx_desktop.store import reference
from fx_desktop.tasks import TaskRunner
from fx_desktop.views.case_table_model import KEYS
from fx_desktop.views.column_chooser import default_hidden
from fx_desktop.views.field_widgets import DateTimeField
from fx_desktop.views.main_window import MainWindow
from fx_desktop.views.screen_fit import FRAME
from tests.views.test_views_sync import chinese  # noqa: F401 - fixture: the Chinese UI

# available areas: a maximised window above a taskbar, full HD, and both at 150 % scaling (logical pixels)
SCREENS = {"1366x728": QRect(0, 0, 1366, 728), "1920x1080": QRect(0, 0, 1920, 1080),
           "911x485@150%": QRect(0, 0, 911, 485), "1280x720@150%": QRect(0, 0, 1280, 720)}
NOW = datetime(2026, 3, 10, 9, 0)


@pytest.fixture(autouse=True)
def discard_on_close(monkeypatch):
    """A window closed with typing in its form discards it (no question box to wait for)."""
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, chinese, store, profile, settings):  # noqa: F811 - the imported fixture
    tasks = TaskRunner()

    def make(available: QRect = SCREENS["1366x728"], who=None) -> MainWindow:
        with store.sessions() as session:
            ref = reference.current(session)
        w = MainWindow(store, who or profile, ref, tasks, settings, available=lambda: available)
        qtbot.addWidget(w)
        with qtbot.waitActive(w):
            w.show()
            w.activateWindow()
        return w

    yield make
    tasks.wait()


@pytest.fixture
def case_id(store, profile, make_draft) -> str:
    draft = make_draft(place="奉贤区南桥镇解放东路100号北侧空地，靠近人行道的绿化带内侧",
                       party_address="奉贤区南桥镇江海路88弄3号楼2单元501室（近百齐路口）")
    return cases.create_case(store, profile, draft, now=NOW).id


def _open(qtbot, window: MainWindow, case_id: str):
    window.show_case(case_id)
    form = window.detail.form
    qtbot.waitUntil(lambda: form.isVisible() and form.viewport().width() > 0)
    QApplication.processEvents()  # the layouts settle
    return form


def _x_inside(widget: QWidget, viewport: QWidget) -> bool:
    left = widget.mapTo(viewport, QPoint(0, 0)).x()
    return left >= 0 and left + widget.width() <= viewport.width()


def _whole(label: QLabel) -> bool:
    """The label's text is not cut: as wide as its text, or (word-wrapped) as tall as its lines need."""
    if label.wordWrap():
        return label.height() >= label.heightForWidth(label.width())
    return label.width() >= label.sizeHint().width()


def _assert_fits(form) -> None:
    viewport, body = form.viewport(), form.widget()
    assert form.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    assert body.width() <= viewport.width(), (body.width(), viewport.width())
    assert body.minimumSizeHint().width() <= viewport.width()
    assert form.horizontalScrollBar().maximum() == 0 and form.horizontalScrollBar().value() == 0
    for name, label in form.labels.items():
        assert label.isVisible(), name
        assert _x_inside(label, viewport), (name, label.geometry(), viewport.width())
        assert _whole(label), (name, label.width(), label.sizeHint())
        box = form.boxes[name]
        assert _x_inside(box, viewport), (name, box.geometry(), viewport.width())


@pytest.mark.parametrize("screen", SCREENS.values(), ids=SCREENS.keys())
def test_the_case_form_fits_its_pane_and_shows_every_label(qtbot, make_window, case_id, screen):
    window = make_window(screen)
    assert screen.contains(window.geometry().marginsAdded(FRAME)), (window.geometry(), screen)
    form = _open(qtbot, window, case_id)
    _assert_fits(form)
    if screen.width() >= 1366:  # a maximised window: beside, the longest label on two lines
        assert not form.labels_above()
        assert form.labels["party_id_number"].text() == "证件号码/\n统一社会信用代码"
    for name, label in form.labels.items():  # beside: on the field's line, left of it; above: over it
        box = form.boxes[name]
        if form.labels_above():
            assert label.geometry().bottom() < box.geometry().top(), name
        else:
            assert label.geometry().right() < box.geometry().left(), name


def test_labels_stand_beside_the_fields_in_a_wide_pane_and_above_them_in_a_narrow_one(qtbot, make_window, case_id):
    window = make_window(SCREENS["1920x1080"])
    form = _open(qtbot, window, case_id)
    window.splitter.setSizes([500, 800])
    qtbot.waitUntil(lambda: not form.labels_above())
    _assert_fits(form)
    window.splitter.setSizes([1000, 300])
    qtbot.waitUntil(form.labels_above)
    QApplication.processEvents()
    _assert_fits(form)


@pytest.mark.parametrize("screen", SCREENS.values(), ids=SCREENS.keys())
def test_tab_through_the_form_and_a_refused_save_never_scroll_it_sideways(qtbot, make_window, case_id, screen):
    window = make_window(screen)
    form = _open(qtbot, window, case_id)
    form.source.setFocus()
    for _ in range(40):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert form.horizontalScrollBar().value() == 0
    _assert_fits(form)
    form.cause.clear()
    form.party_id_number.setText("31012019850615123")  # one character short
    form.facts.setPlainText("")
    window.save_case()
    assert len(form.error_messages()) >= 2  # refused, with the reasons under the fields
    assert window.detail.message.isVisible()  # and above the case
    for _ in range(3):  # the layouts settle (posted layout requests): the window does not grow out of the screen
        QApplication.processEvents()
    room = screen.marginsRemoved(FRAME)
    assert window.minimumSize().height() <= room.height(), (window.minimumSize(), room)
    assert screen.contains(window.geometry().marginsAdded(FRAME)), (window.geometry(), screen)
    assert form.horizontalScrollBar().value() == 0
    _assert_fits(form)
    for name in ("cause", "party_id_number"):
        error = form.boxes[name].error
        assert error.isVisible() and _x_inside(error, form.viewport()) and _whole(error), name


def test_the_window_minimum_fits_900x480_logical(qtbot, make_window, case_id):
    room = QSize(900 - FRAME.left() - FRAME.right(), 480 - FRAME.top() - FRAME.bottom())
    window = make_window(SCREENS["911x485@150%"])
    _open(qtbot, window, case_id)
    for page in range(window.nav.count()):  # every section's page, the register with a case open
        window.nav.setCurrentRow(page)
        QApplication.processEvents()
        hint = window.minimumSizeHint()
        assert hint.width() <= room.width() and hint.height() <= room.height(), (window.nav.item(page).text(), hint)
    assert QRect(0, 0, 911, 485).contains(window.geometry().marginsAdded(FRAME))


def _focus_field(form) -> str | None:
    focus = QApplication.focusWidget()
    return next((name for name, box in form.boxes.items() if focus is not None and box.isAncestorOf(focus)), None)


def test_tab_reaches_each_field_once_in_visual_order_and_a_date_time_is_one_stop(qtbot, make_window, case_id):
    window = make_window()
    form = _open(qtbot, window, case_id)
    form.source.setFocus()
    stops, tops = [_focus_field(form)], []
    while True:
        focus = QApplication.focusWidget()
        tops.append(focus.mapTo(form.widget(), QPoint(0, 0)).y())
        qtbot.keyClick(focus, Qt.Key.Key_Tab)
        name = _focus_field(form)
        if name is None:
            break
        stops.append(name)
        assert len(stops) < 60
    assert stops.count("occurred_at") == 1  # the date and the time: one stop
    reached = [name for i, name in enumerate(stops) if i == 0 or stops[i - 1] != name]
    enabled = [n for n in case_fields.FORM_FIELDS if form.boxes[n].editor.isEnabled()]
    assert reached == enabled  # each once, in the form's order (a person has no legal representative)
    assert tops == sorted(tops)  # top to bottom, as they stand
    assert "party_legal_rep" not in enabled


def test_a_date_time_field_moves_between_its_sections_with_left_and_right(qtbot, make_window, case_id):
    window = make_window()
    form = _open(qtbot, window, case_id)
    field = form.occurred_at
    assert isinstance(field, DateTimeField)
    form.place.setFocus()
    qtbot.keyClick(form.place, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is field and field.currentSectionIndex() == 0
    qtbot.keyClick(field, Qt.Key.Key_Right)
    qtbot.keyClick(field, Qt.Key.Key_Right)
    assert field.currentSection() == DateTimeField.Section.DaySection
    before = field.dateTime()
    qtbot.keyClick(field, Qt.Key.Key_Up)
    assert field.dateTime() == before.addDays(1)
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert _focus_field(form) == "facts"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is field


def test_tab_leaves_the_case_list(qtbot, make_window, case_id):
    window = make_window()
    _open(qtbot, window, case_id)
    table = window.table
    assert not table.tabKeyNavigation()
    table.setFocus()
    table.setCurrentIndex(window.model.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not table
    assert table.currentIndex().column() == 0  # not moved to the next cell


def _visible_width(window) -> int:
    header = window.table.horizontalHeader()
    return sum(header.sectionSize(c) for c in range(header.count()) if not header.isSectionHidden(c))


def test_the_default_columns_fit_at_1366x728_with_the_number_whole(qtbot, make_window, case_id, profile):
    window = make_window(SCREENS["1366x728"])
    window.show_section(window.splitter)
    QApplication.processEvents()
    header = window.table.horizontalHeader()
    shown = window.columns.shown()
    assert set(shown) == set(KEYS) - default_hidden(profile)
    assert shown == ["number", "status", "cause", "party_name", "opened_on", "decision_due"]
    assert "town_code" not in shown  # a town's squad: its own town
    assert _visible_width(window) <= window.table.viewport().width()
    metrics = window.table.fontMetrics()
    number = window.model.index(0, KEYS.index("number")).data()
    assert header.sectionSize(KEYS.index("number")) >= metrics.horizontalAdvance(number) + 8  # not elided


def test_a_hidden_column_stays_hidden_after_a_restart_and_a_login_with_another_role(
        qtbot, make_window, case_id, store, settings):
    window = make_window()
    chooser = window.columns
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.menu() and "视图" in a.text())
    assert chooser.menu.menuAction() in view_menu.actions() and chooser.menu.title() == "列"
    status = KEYS.index("status")
    chooser.actions["status"].trigger()  # off
    assert window.table.isColumnHidden(status)
    chooser.actions["place"].trigger()  # on
    assert not window.table.isColumnHidden(KEYS.index("place"))
    window.table.setColumnWidth(KEYS.index("cause"), 150)
    window.close()
    again = make_window()
    assert again.table.isColumnHidden(status) and not again.table.isColumnHidden(KEYS.index("place"))
    assert again.table.columnWidth(KEYS.index("cause")) == 150
    again.columns.menu.aboutToShow.emit()
    assert not again.columns.actions["status"].isChecked() and again.columns.actions["place"].isChecked()
    bureau = save_profile(store, name="赵敏", role=Role.BUREAU_DISPATCHER)
    again.set_profile(bureau)  # the user's own choice outlives a login with another role
    assert again.table.isColumnHidden(status) and not again.table.isColumnHidden(KEYS.index("place"))
    again.columns.reset()  # back to the role's columns: the bureau compares towns
    assert set(again.columns.shown()) == set(KEYS) - default_hidden(bureau)
    assert "town_code" in again.columns.shown()


def test_the_defaults_follow_the_role_until_the_user_chooses(qtbot, make_window, case_id, store, profile):
    window = make_window()
    assert "town_code" not in window.columns.shown()
    bureau = save_profile(store, name="赵敏", role=Role.BUREAU_DISPATCHER)
    window.set_profile(bureau)
    assert set(window.columns.shown()) == set(KEYS) - default_hidden(bureau)
    window.close()
    again = make_window(who=bureau)  # restarted as the bureau: its defaults, widths from the saved state
    assert "town_code" in again.columns.shown()


def test_the_last_column_shown_cannot_be_hidden(qtbot, make_window, case_id):
    window = make_window()
    chooser = window.columns
    for key in list(chooser.shown())[1:]:
        chooser.actions[key].trigger()
    assert len(chooser.shown()) == 1
    assert not chooser.actions[chooser.shown()[0]].isEnabled()


def test_the_header_offers_the_column_menu_on_right_click(qtbot, make_window, monkeypatch):
    window = make_window()
    header = window.table.horizontalHeader()
    assert header.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    shown = []
    monkeypatch.setattr(window.columns.menu, "popup", lambda pos: shown.append(pos))
    header.customContextMenuRequested.emit(QPoint(10, 5))
    assert shown == [header.mapToGlobal(QPoint(10, 5))]


def test_tab_crosses_the_register_in_visual_order(qtbot, make_window, case_id):
    """The search and 仅显示超期 beside it, the filters, the list, the case's steps, its tabs, then its first
    field."""
    window = make_window()
    form = _open(qtbot, window, case_id)
    filters, detail = window.filters, window.detail
    filters.search.setFocus()
    order = [QApplication.focusWidget()]
    for _ in range(12):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    steps = [detail.header.buttons.itemAt(i).widget() for i in range(detail.header.buttons.count())]
    assert steps  # a clue: file it, do not file it, refer it
    expected = [filters.search, filters.overdue, filters.status, filters.town, filters.category, filters.use_dates,
                window.table, *steps, detail.tabs.tabBar(), form.source]
    assert order[:len(expected)] == expected
    filters.use_dates.setChecked(True)  # the period's dates: one stop each, between its tick box and the list
    filters.use_dates.setFocus()
    qtbot.keyClick(filters.use_dates, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is filters.date_from
    qtbot.keyClick(filters.date_from, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is filters.date_to
    qtbot.keyClick(filters.date_to, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.table


def test_the_bureau_default_columns_fit_at_1366x728_too(qtbot, make_window, case_id, store):
    bureau = save_profile(store, name="赵敏", role=Role.BUREAU_DISPATCHER)
    window = make_window(SCREENS["1366x728"], who=bureau)
    window.show_section(window.splitter)
    QApplication.processEvents()
    assert window.columns.shown() == ["number", "status", "town_code", "cause", "party_name", "decision_due"]
    assert _visible_width(window) <= window.table.viewport().width()


def test_a_long_label_beside_its_field_breaks_after_a_slash_or_before_a_bracket(qapp):
    from PySide6.QtGui import QFontMetrics

    from fx_desktop.views.case_editor import _broken

    metrics = QFontMetrics(qapp.font())
    width = metrics.horizontalAdvance("中") * 9
    assert _broken("证件号码/统一社会信用代码", metrics, width) == "证件号码/\n统一社会信用代码"
    assert _broken("承办人员（立案须两名以上）", metrics, width) == "承办人员\n（立案须两名以上）"
    assert _broken("当事人姓名/名称 *", metrics, width) == "当事人姓名/名称 *"  # fits: one line
    long = _broken("甲" * 30, metrics, width)
    assert all(metrics.horizontalAdvance(line) <= width for line in long.split("\n")) and long.count("\n") >= 3
