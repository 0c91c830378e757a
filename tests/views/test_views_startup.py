"""Start-up paths: first-run questions, a damaged database, a second instance, no display."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from fx_desktop import app as fx_app
from fx_desktop.domain.roles import Role
from fx_desktop.instance_lock import acquire
from fx_desktop.services.organisations import directory
from fx_desktop.services.profile import load_profile, save_profile
from fx_desktop.store import backups, open_store
from fx_desktop.views.first_run import FirstRunDialog
from fx_desktop.views.recovery_dialog import ask_restore


def test_first_run_names_missing_fields_then_saves_the_profile(qtbot, store):
    dialog = FirstRunDialog(directory(store), lambda n, r, o: save_profile(store, name=n, role=r, org_code=o))
    qtbot.addWidget(dialog)
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "姓名" in dialog.error.text() and dialog.name.property("invalid") is True
    dialog.name.setText("李娜")
    dialog.accept()
    assert "单位" in dialog.error.text() and dialog.org.property("invalid") is True
    dialog.org.setCurrentIndex(dialog.org.findData("jinhui"))
    dialog.role.setCurrentIndex(dialog.role.findData(Role.LEGAL_REVIEWER))
    dialog.demo.setChecked(True)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.demo_cases == 2000
    saved = load_profile(store)
    assert (saved.name, saved.role, saved.town_code) == ("李娜", Role.LEGAL_REVIEWER, "jinhui")


def _click_when_shown(button_text_part: str) -> list[str]:
    """Click a button of the modal message box as soon as it is shown; returns the box's text when done."""
    seen: list[str] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        for b in box.buttons():
            if button_text_part in b.text():
                b.click()
                return
        box.reject()  # never leave a modal box open: the test would hang instead of failing
        seen.append(f"no button with {button_text_part!r}: {[b.text() for b in box.buttons()]}")

    QTimer.singleShot(0, click)
    return seen


def test_damaged_database_offers_latest_backup_and_keeps_the_damaged_file(qtbot, data_paths, monkeypatch):
    good = open_store(data_paths)
    save_profile(good, name="张伟", role=Role.OFFICER, town_code="nanqiao")
    good.close()
    backup = backups.backup_database(data_paths.database, data_paths.backups)
    damaged = b"this is not a database" * 100
    data_paths.database.write_bytes(damaged)

    seen = _click_when_shown("Restore backup")
    store = fx_app.open_store_interactive(data_paths)
    try:
        assert store is not None
        assert str(data_paths.database) in seen[0] and backup.name in seen[0]
        assert load_profile(store).name == "张伟"
        aside = [p for p in data_paths.root.iterdir() if ".damaged-" in p.name and not p.name.endswith(("-wal", "-shm"))]
        assert len(aside) == 1 and aside[0].read_bytes() == damaged
    finally:
        store.close()


def test_damaged_database_without_backup_changes_nothing(qtbot, data_paths):
    data_paths.ensure()
    data_paths.database.write_bytes(b"garbage" * 500)
    seen = _click_when_shown("Close")
    assert ask_restore(data_paths.database, "file is not a database", None) is False
    assert "No backup" in seen[0] or "没有" in seen[0]
    assert data_paths.database.read_bytes() == b"garbage" * 500


def test_second_instance_is_told_and_does_not_open_the_database(qtbot, data_paths, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _p, _t, text, *a, **k: shown.append(text)))
    lock = acquire(data_paths.lock)
    try:
        assert fx_app.run_gui(data_paths.root) == 1
    finally:
        lock.release()
    assert "已在使用数据目录" in shown[0]
    assert not data_paths.database.exists()


def test_without_a_display_it_says_how_to_run(monkeypatch, capsys):
    for var in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(fx_app.sys, "platform", "linux")
    assert fx_app.run_gui(None) == 2
    assert "xvfb-run" in capsys.readouterr().err


@pytest.mark.parametrize("count", [120])
def test_first_run_demo_data_loads_with_progress(qtbot, store, count):
    from fx_desktop.store.case_queries import CaseFilter, CaseQueries
    from fx_desktop.tasks import TaskRunner

    tasks = TaskRunner()
    fx_app._load_demo(QApplication.instance(), store, tasks, count)
    assert CaseQueries(store.engine).prepare(CaseFilter())[1] == count


def test_start_opens_the_window_and_makes_the_daily_backup_in_the_background(qtbot, store, profile, monkeypatch,
                                                                             tmp_path):
    from PySide6.QtCore import QSettings

    monkeypatch.setattr(fx_app, "BACKUP_DELAY_MS", 0)
    window = fx_app.start(QApplication.instance(), store,
                          QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert window.windowTitle()
    qtbot.waitUntil(lambda: len(backups.list_backups(store.paths.backups)) == 1, timeout=30_000)
    window.tasks.wait()


def test_ui_font_has_chinese_glyphs(qapp):
    from PySide6.QtGui import QFontMetrics

    from fx_desktop.views.fonts import apply_cjk_font

    before = qapp.font()
    try:
        family = apply_cjk_font(qapp)
        assert family is not None, "make test installs fonts-wqy-zenhei; no CJK font was found"
        assert QFontMetrics(qapp.font()).inFontUcs4(ord("案"))
    finally:
        qapp.setFont(before)


def test_demo_data_is_offered_only_for_an_empty_database(qtbot, store):
    shown = FirstRunDialog([], lambda *a: None)
    hidden = FirstRunDialog([], lambda *a: None, offer_demo=False)
    qtbot.addWidget(shown)
    qtbot.addWidget(hidden)
    shown.show()
    hidden.show()
    assert shown.demo.isVisible() and not hidden.demo.isVisible()
    assert hidden.demo_cases == 0


def test_a_failed_daily_check_is_reported_to_the_user(qtbot, store, profile, monkeypatch, tmp_path):
    from PySide6.QtCore import QSettings

    import fx_desktop.store as store_module
    from fx_desktop.store import DatabaseDamaged

    # Damaging pages of the open database under the running test would break the test itself; the check's
    # verdict is what matters here (store tests cover quick_check on a really damaged file).
    def damaged(paths, now=None):
        raise DatabaseDamaged(paths.database, "database disk image is malformed")

    monkeypatch.setattr(store_module, "daily_backup", damaged)
    monkeypatch.setattr(fx_app, "BACKUP_DELAY_MS", 0)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _p, _t, text, *a, **k: warnings.append(text)))
    window = fx_app.start(QApplication.instance(), store,
                          QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(warnings), timeout=30_000)
    assert "malformed" in warnings[0] and str(store.paths.database) in warnings[0]


def test_data_page_reads_the_folder_when_shown(qtbot, store, profile, make_draft):
    from fx_desktop.services import cases
    from fx_desktop.tasks import TaskRunner
    from fx_desktop.views.data_page import DataPage

    page = DataPage(store, TaskRunner())
    qtbot.addWidget(page)
    cases.create_case(store, profile, make_draft())
    page.show()
    assert page.pending.text() == "1" and page.location.text() == str(store.paths.root)


def test_qt_is_prepared_before_the_application_starts(qtbot, data_paths, monkeypatch):
    """Qt's painting is kept on the GUI thread (no pool of helper threads to wait for); a user's own setting of
    the variable is left alone; run_gui() prepares Qt before it makes or finds the QApplication."""
    from fx_desktop import qt_environment

    environ: dict[str, str] = {}
    qt_environment.prepare_qt(environ)
    assert environ == {"QT_NO_GUI_THREADPOOL": "1"}
    environ = {"QT_NO_GUI_THREADPOOL": "yes"}
    qt_environment.prepare_qt(environ)
    assert environ == {"QT_NO_GUI_THREADPOOL": "yes"}

    calls: list[str] = []
    running = QApplication.instance()
    monkeypatch.setattr(qt_environment, "prepare_qt", lambda: calls.append("prepare_qt"))
    monkeypatch.setattr(QApplication, "instance", staticmethod(lambda: calls.append("QApplication") or running))
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a, **k: None))
    lock = acquire(data_paths.lock)
    try:
        assert fx_app.run_gui(data_paths.root) == 1  # a second instance: stops before opening anything
    finally:
        lock.release()
    assert calls[:2] == ["prepare_qt", "QApplication"]


def test_a_first_start_asks_who_works_here_and_a_cancelled_one_opens_nothing(qtbot, store, monkeypatch, tmp_path):
    from PySide6.QtCore import QSettings

    answers = iter([None, ("李娜", "jinhui", Role.SQUAD_LEADER)])

    def answer(dialog: FirstRunDialog) -> int:
        given = next(answers)
        if given is None:
            dialog.reject()
        else:
            dialog.name.setText(given[0])
            dialog.org.setCurrentIndex(dialog.org.findData(given[1]))
            dialog.role.setCurrentIndex(dialog.role.findData(given[2]))
            dialog.accept()
        return dialog.result()

    monkeypatch.setattr(FirstRunDialog, "exec", answer)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    assert fx_app.start(QApplication.instance(), store, settings) is None
    assert load_profile(store) is None
    window = fx_app.start(QApplication.instance(), store, settings)
    qtbot.addWidget(window)
    assert (window.profile.name, window.profile.town_code) == ("李娜", "jinhui") == (
        load_profile(store).name, load_profile(store).town_code)
    window.sync.stop()
    window.tasks.wait()


@pytest.fixture
def zh_cn(qapp):
    """The Chinese UI for one test (the other tests here click English button texts)."""
    from tests.support.chinese_ui import chinese_ui

    with chinese_ui(qapp):
        yield


def test_an_upgrade_that_rebuilds_the_search_index_shows_its_progress_then_opens(qtbot, data_paths, monkeypatch,
                                                                                 zh_cn):
    """Migration 0008 marks the search index for a rebuild; open_store_interactive() runs it off the GUI thread
    with a progress dialog (its event loop running), then returns the opened store and closes the dialog."""
    import threading

    from fx_desktop.store import search_index
    from fx_desktop.store.case_queries import CaseFilter, CaseQueries
    from tests.store.test_store_migrations import _build_0001_database

    _build_0001_database(data_paths)
    monkeypatch.setattr(search_index, "REBUILD_CHUNK", 1)
    looked = threading.Event()
    real = search_index._documents

    def held(rows):  # the rebuild waits (at most 30 s) until the test has seen the dialog, so it is not missed
        looked.wait(30)
        return real(rows)

    monkeypatch.setattr(search_index, "_documents", held)
    seen: list[tuple[str, str, int]] = []

    def look() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets()
                       if w.objectName() == "index_rebuild_progress" and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(10, look)
            return
        seen.append((dialog.windowTitle(), dialog.labelText(), dialog.maximum()))
        looked.set()

    QTimer.singleShot(0, look)
    store = fx_app.open_store_interactive(data_paths)
    try:
        assert store is not None and seen
        title, label, maximum = seen[0]
        assert (title, maximum) == ("正在升级数据库", 3) and label.startswith("正在重建搜索索引…") and "共 3 件" in label
        assert CaseQueries(store.engine).prepare(CaseFilter(text="油烟"))[1] == 1
    finally:
        store.close()
    assert not any(w.objectName() == "index_rebuild_progress" and w.isVisible() for w in QApplication.topLevelWidgets())
