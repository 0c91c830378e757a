"""The GUI side of sync against a real fx-bureau process: logging in through the dialog, working offline until
the server is back, settling a conflict side by side; plus the inbox on its own and resuming at start-up.
The Chinese translation is installed, as users see it."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from fx_desktop import app as fx_app
from fx_desktop.paths import DataPaths
from fx_desktop.services import cases
from fx_desktop.services.conflicts import open_conflicts_for
from fx_desktop.store import open_store, outbox, reference
from fx_desktop.store.models import SyncConflict, SyncRun
from fx_desktop.sync import account
from fx_desktop.sync.credentials import MemoryCredentials, NoSecureStorage, token_key
from fx_desktop.sync.engine import SyncEngine
from fx_desktop.sync.transport import AuthRequired, BureauClient
from fx_desktop.sync.worker import SyncController
from fx_desktop.tasks import TaskRunner
from fx_desktop.views.main_window import MainWindow
from tests.conftest import case_draft
from tests.support.bureau import PASSWORD, standard
from tests.support.chinese_ui import chinese_ui
from tests.views.test_views_startup import _click_when_shown

WAIT = 20_000  # ms: a sync makes a few HTTP requests to a local server


@pytest.fixture(autouse=True)
def chinese(qapp):
    with chinese_ui(qapp):
        yield


@pytest.fixture(scope="module")
def bureau(tmp_path_factory):
    server = standard("sqlite", tmp_path_factory.mktemp("bureau")).start()
    yield server
    server.close()


@pytest.fixture
def own_bureau(tmp_path):
    """A server of its own, for the test that stops and restarts it."""
    server = standard("sqlite", tmp_path / "bureau").start()
    yield server
    server.close()


def no_keyring():
    raise NoSecureStorage()


@pytest.fixture
def make_window(qtbot, store, profile, tmp_path):
    made = []

    def make(credentials=no_keyring) -> MainWindow:
        tasks = TaskRunner()
        controller = SyncController(store, tasks, debounce_ms=50, retry_delay=lambda _attempt: 0.2)
        with store.sessions() as session:
            ref = reference.current(session)
        window = MainWindow(store, profile, ref, tasks, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
                            sync=controller, credentials=credentials)
        qtbot.addWidget(window)
        window.show()
        made.append(window)
        return window

    yield make
    for window in made:
        window.sync.stop()
        window.tasks.wait()


def logged_in(qtbot, window, server, username="zhang"):
    """Log in without the dialog (test (a) covers it) and wait for the first sync."""
    client, creds = BureauClient(server.url), MemoryCredentials()
    acc = account.login(window.store, client, creds, username=username, password=PASSWORD)
    with qtbot.waitSignal(window.sync.finished, timeout=WAIT):
        window.sync.attach(client, acc, creds)
    assert window.sync_indicator.text().startswith("已同步"), window.sync_indicator.toolTip()
    return window


def sync(qtbot, window):
    with qtbot.waitSignal(window.sync.finished, timeout=WAIT) as blocker:
        assert window.sync.sync_now()
    return blocker.args[0]


class OtherDevice:
    """A second computer of the same town, headless."""

    def __init__(self, root, server, username: str):
        self.store = open_store(DataPaths.at(root))
        self.client, self.creds = BureauClient(server.url), MemoryCredentials()
        self.account = account.login(self.store, self.client, self.creds, username=username, password=PASSWORD)

    def sync(self):
        engine = SyncEngine(self.store, self.client, self.account, self.creds)
        report = engine.run()
        self.account = engine.account
        return report


def test_login_through_the_dialog_then_synced_then_logout(qtbot, make_window, bureau, store, monkeypatch):
    window = make_window()
    assert window.sync_indicator.text() == "仅本机" and not window.sync_indicator.icon().isNull()
    window.sync_indicator.click()
    page = window.sync_page
    assert window.sections.currentWidget() is page and page.login_button.isVisible()
    page.login_button.click()
    dialog = page.login_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.server.setText(bureau.url)
    qtbot.keyClicks(dialog.username, "zhang")
    qtbot.keyClicks(dialog.password, "wrong-password")
    seen = _click_when_shown("本次")  # no keyring here: stay logged in for this run only
    dialog.login_button.click()
    qtbot.waitUntil(lambda: dialog.message.isVisible() and dialog.login_button.isEnabled(), timeout=WAIT)
    assert "密钥环" in seen[0]
    assert "密码" in dialog.message.text()  # the server's own Chinese reason
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, PASSWORD)
    seen = _click_when_shown("本次")
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT):
        dialog.login_button.click()
    qtbot.waitUntil(lambda: window.sync_indicator.text().startswith("已同步"), timeout=WAIT)
    assert dialog.password.text() == "" and dialog.creds.kind == "memory"
    assert account.current(store).username == "zhang"
    assert window.profile.user_id == "zhang" and "张伟" in window.user_label.text()
    assert page.server.text() == bureau.url and "zhang" in page.user.text()
    assert page.logout_button.isVisible() and not page.login_button.isVisible()
    assert page.history.rowCount() == 1 and page.history.item(0, 1).text() == "成功"
    assert QSettings(str(window.settings.fileName()), QSettings.Format.IniFormat).value("sync/server_url") == bureau.url
    token = window.sync.client.tokens.refresh
    on_disk = [p for p in store.paths.root.rglob("*") if p.is_file() and token.encode() in p.read_bytes()]
    assert on_disk == []  # the refresh token was kept in memory only, as chosen
    client_id = account.current(store).client_id
    assert dialog.creds.get(token_key(bureau.url, "zhang", client_id)) == token
    access = window.sync.client.tokens.access
    assert BureauClient(bureau.url).request("GET", "/me", auth=False, headers={
        "Authorization": f"Bearer {access}"})["client_id"] == client_id

    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    page.logout_button.click()
    assert window.sync_indicator.text() == "仅本机" and page.login_button.isVisible()
    qtbot.waitUntil(lambda: account.current(store) is None, timeout=WAIT)
    assert dialog.creds.get(token_key(bureau.url, "zhang", client_id)) is None
    with pytest.raises(AuthRequired) as ended:  # the server refuses this login's access token at once
        BureauClient(bureau.url).request("GET", "/me", auth=False, headers={"Authorization": f"Bearer {access}"})
    assert ended.value.code == "logged_out" and "退出登录" in ended.value.message
    assert not window.sync.sync_now()


def test_sync_requests_while_one_runs_make_one_more_run_never_two_at_once(qtbot, make_window, bureau, store):
    window = logged_in(qtbot, make_window(), bureau)
    finished = []
    window.sync.finished.connect(finished.append)
    with store.sessions() as session:
        before = session.query(SyncRun).count()
    assert window.sync.sync_now() and window.sync.sync_now() and window.sync.sync_now()
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=WAIT)
    assert not window.sync.running  # the two extra requests were folded into one
    with store.sessions() as session:
        assert session.query(SyncRun).count() == before + 2


def test_offline_work_is_sent_when_the_server_is_back(qtbot, make_window, own_bureau, store):
    window = logged_in(qtbot, make_window(), own_bureau)
    made = cases.create_case(store, window.profile, case_draft(place="原地址1号"))
    assert sync(qtbot, window).pushed == 1
    window.show_case(made.id)
    assert window.detail.record.id == made.id

    own_bureau.stop()
    window.detail.form.place.setText("奉贤区南桥镇新建路9号")
    with qtbot.waitSignal(window.sync.finished, timeout=WAIT):
        window.save_case()  # a save starts a sync shortly after; it finds no server
    qtbot.waitUntil(lambda: window.sync_indicator.text().startswith("离线"), timeout=WAIT)
    assert "1 条变更待同步" in window.sync_indicator.text()
    window.show_sync_page()
    assert window.sync_page.pending.text() == "1"
    assert "无法连接服务器" in window.sync_page.detail.text()

    own_bureau.start()  # the retries (backoff) notice that the server answers again
    qtbot.waitUntil(lambda: window.sync_indicator.text().startswith("已同步"), timeout=WAIT)
    assert window.sync_page.pending.text() == "0"
    [(fields,)] = own_bureau.sql("SELECT fields FROM cases WHERE id = :id", {"id": made.id})
    fields = json.loads(fields) if isinstance(fields, str) else fields
    assert fields["place"] == "奉贤区南桥镇新建路9号"
    with store.sessions() as session:
        assert outbox.pending_count(session) == 0


def test_a_conflict_is_shown_side_by_side_and_settled(qtbot, make_window, bureau, store, tmp_path, monkeypatch):
    window = logged_in(qtbot, make_window(), bureau)
    other = OtherDevice(tmp_path / "li", bureau, "li")
    try:
        made = cases.create_case(store, window.profile, case_draft(place="原地址1号"))
        sync(qtbot, window)
        other.sync()
        mine = cases.get_case(store, made.id)
        cases.update_case(store, window.profile, made.id, case_draft(place="甲地址2号"), base_version=mine.version)
        assert sync(qtbot, window).pushed == 1
        theirs = cases.get_case(other.store, made.id)
        cases.update_case(other.store, other.account.profile, made.id, case_draft(place="乙地址3号"),
                          base_version=theirs.version)
        assert other.sync().conflicts == 1
        sync(qtbot, window)

        window.show_case(made.id)
        banner = window.detail.banner
        assert banner.isVisible()
        assert banner.text.text() == "该案件存在同步冲突：字段“案发地点”有两个不同的值，请在“同步”页处理。"
        banner.button.click()
        page, view = window.sync_page, window.sync_page.inbox.conflict_view
        assert window.sections.currentWidget() is page
        assert page.inbox.list.count() == 1 and "案发地点" in page.inbox.list.item(0).text()
        assert (view.base.toPlainText(), view.mine.toPlainText(), view.theirs.toPlainText()) == (
            "原地址1号", "甲地址2号", "乙地址3号")  # both values readable, each on its side
        assert "李娜" in view.theirs_label.text()
        assert "1 处冲突" in window.sync_indicator.text()
        indicator = window.sync_indicator
        qtbot.waitUntil(lambda: indicator.width() >= indicator.sizeHint().width())  # the status bar laid out
        window.grab().save("/tmp/sync-page.png")

        asked = []
        # QMessageBox.question replaced only as the source of the user's answer (a modal box would block the test)
        monkeypatch.setattr(QMessageBox, "question",
                            staticmethod(lambda *a, **_k: asked.append(a[2]) or QMessageBox.StandardButton.No))
        view.keep_theirs.click()  # answered No: nothing happens
        assert asked == ["放弃您的修改“甲地址2号”，保留“乙地址3号”？放弃后无法恢复。"]
        assert page.inbox.list.count() == 1 and open_conflicts_for(store)
        monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Yes))
        with qtbot.waitSignal(window.sync.finished, timeout=WAIT):
            view.keep_theirs.click()
        qtbot.waitUntil(lambda: window.sync_indicator.text().startswith("已同步"), timeout=WAIT)
        [(status, resolution, by)] = bureau.sql(
            "SELECT status, resolution, resolved_by FROM conflicts WHERE case_id = :c", {"c": made.id})
        assert (status, json.loads(resolution) if isinstance(resolution, str) else resolution, by) == (
            "resolved", "乙地址3号", "张伟")
        [(fields,)] = bureau.sql("SELECT fields FROM cases WHERE id = :id", {"id": made.id})
        assert (json.loads(fields) if isinstance(fields, str) else fields)["place"] == "乙地址3号"
        assert cases.get_case(store, made.id).values["place"] == "乙地址3号"
        assert page.inbox.list.count() == 0 and open_conflicts_for(store, include_resolving=True) == []
        assert not window.detail.banner.isVisibleTo(window.detail)

        other.sync()
        assert open_conflicts_for(other.store, include_resolving=True) == []
        assert cases.get_case(other.store, made.id).values["place"] == "乙地址3号"
    finally:
        other.store.close()


def test_merge_dialog_and_rejected_changes_share_the_inbox(qtbot, make_window, store, profile):
    from datetime import datetime

    made = cases.create_case(store, profile, case_draft())
    with store.writes.begin() as session:  # the case is on the server; a later change of it was rejected
        entry = outbox.pending(session)[0]
        outbox.mark(session, entry.owner, entry.seq, outbox.DONE)
    made = cases.update_case(store, profile, made.id, case_draft(place="另一地址"), base_version=made.version)
    with store.writes.begin() as session:
        session.add(SyncConflict(id="c1", case_id=made.id, field="officers", base=[["王磊", "31200001"]],
                                 mine=[["王磊", "31200001"], ["陈静", "31200002"]], theirs=[["周敏", "31200009"]],
                                 mine_by=profile.name, status="open", created_at=datetime(2026, 11, 26, 9, 0)))
        entry = outbox.pending(session)[0]
        outbox.mark(session, entry.owner, entry.seq, outbox.REJECTED, "该案件不属于您所在的街镇，无权修改。")
    window = make_window()
    window.show_sync_page()
    inbox = window.sync_page.inbox
    texts = [inbox.list.item(i).text() for i in range(inbox.list.count())]
    assert len(texts) == 2 and "承办人员" in texts[0] and "修改案件" in texts[1]
    assert inbox.conflict_view.mine.toPlainText() == "王磊 31200001\n陈静 31200002"

    inbox.conflict_view.merge.click()
    dialog = inbox.merge_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.editor.setPlainText("王磊")
    dialog.save_button.click()
    assert dialog.isVisible() and "执法证号" in dialog.error.text()
    dialog.editor.setPlainText("王磊 31200001\n周敏 31200009")
    dialog.save_button.click()
    assert not dialog.isVisible()
    assert [(o.name, o.cert_no) for o in cases.get_case(store, made.id).officers] == [
        ("王磊", "31200001"), ("周敏", "31200009")]

    assert inbox.list.count() == 1
    inbox.list.setCurrentRow(0)
    assert inbox.detail.currentWidget() is inbox.rejected_view
    assert inbox.rejected_view.reason.text() == "该案件不属于您所在的街镇，无权修改。"
    inbox.rejected_view.open_case.click()
    assert window.sections.currentWidget() is window.splitter and window.detail.record.id == made.id


def test_start_resumes_the_saved_login_and_syncs(qtbot, bureau, store, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QApplication

    creds = MemoryCredentials()
    account.login(store, BureauClient(bureau.url), creds, username="li", password=PASSWORD)
    monkeypatch.setattr(fx_app, "SYNC_START_MS", 0)
    monkeypatch.setattr(fx_app, "BACKUP_DELAY_MS", 10**8)
    window = fx_app.start(QApplication.instance(), store, QSettings(str(tmp_path / "ui.ini"),
                                                                    QSettings.Format.IniFormat),
                          credentials=lambda: creds)
    qtbot.addWidget(window)
    shown = [window.sync_indicator.text()]  # from the first frame on: never “not logged in” to this user
    window.sync.stateChanged.connect(lambda _state: shown.append(window.sync_indicator.text()))
    assert shown[0] == "正在连接…" and window.sync_page.user.text() == "李娜（li）"
    try:
        qtbot.waitUntil(lambda: window.sync_indicator.text().startswith("已同步"), timeout=WAIT)
        assert window.profile.user_id == "li"
        assert not [text for text in shown if "登录" in text or "仅本机" in text], shown
    finally:
        window.sync.stop()
        window.tasks.wait()


def test_without_keyring_at_start_the_user_is_asked_to_log_in(qtbot, bureau, store, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QApplication

    account.login(store, BureauClient(bureau.url), MemoryCredentials(), username="li", password=PASSWORD)
    monkeypatch.setattr(fx_app, "SYNC_START_MS", 0)
    monkeypatch.setattr(fx_app, "BACKUP_DELAY_MS", 10**8)
    window = fx_app.start(QApplication.instance(), store, QSettings(str(tmp_path / "ui.ini"),
                                                                    QSettings.Format.IniFormat),
                          credentials=no_keyring)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.sync.account is not None, timeout=WAIT)
    assert window.sync_indicator.text() == "请重新登录"
    assert "密钥环" in window.sync_indicator.toolTip()
    window.show_sync_page()
    assert window.sync_page.login_button.text() == "重新登录…"


def test_offline_login_is_offered_only_to_a_user_known_here(qtbot, make_window, bureau, store):
    from tests.support.bureau import free_port

    account.login(store, BureauClient(bureau.url), MemoryCredentials(), username="zhang", password=PASSWORD)
    account.logout(store, None, None)
    window = make_window(credentials=MemoryCredentials)
    window.sync_page.open_login()
    dialog = window.sync_page.login_dialog
    dialog.server.setText(f"http://127.0.0.1:{free_port()}")  # nobody listens there
    dialog.username.setText("li")
    dialog.password.setText(PASSWORD)
    dialog.login_button.click()
    qtbot.waitUntil(lambda: dialog.message.isVisible() and dialog.login_button.isEnabled(), timeout=WAIT)
    assert "无法连接服务器" in dialog.message.text() and not dialog.offline_button.isVisibleTo(dialog)

    dialog.username.setText("zhang")
    dialog.login_button.click()
    qtbot.waitUntil(lambda: dialog.offline_button.isVisibleTo(dialog), timeout=WAIT)
    assert dialog.offline_button.text() == "离线登录" and "离线登录" in dialog.message.text()
    dialog.password.setText("wrong-password")
    dialog.offline_button.click()
    qtbot.waitUntil(lambda: dialog.login_button.isEnabled(), timeout=WAIT)
    assert "用户名或密码不正确" in dialog.message.text()
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT):
        dialog.offline_button.click()
    assert dialog.offline and window.profile.user_id == "zhang"
    assert window.sync_indicator.text() == "请重新登录" and "已离线登录" in window.sync_indicator.toolTip()


def test_a_pulled_change_to_a_case_on_screen_shows_in_its_row(qtbot, make_window, bureau, store, tmp_path):
    """The list keeps each row's texts once made; a sync that brings another device's change reads the list again,
    so the row on screen shows the new text (the ID number still masked) and paints it."""
    from fx_desktop.views.case_table_model import KEYS

    window = logged_in(qtbot, make_window(), bureau)
    window.show_section(window.splitter)  # the register on screen
    other = OtherDevice(tmp_path / "li", bureau, "li")
    try:
        made = cases.create_case(store, window.profile, case_draft(party_name="原当事人"))
        sync(qtbot, window)
        other.sync()
        window.refresh()
        party, id_col = KEYS.index("party_name"), KEYS.index("party_id_number")
        row = window.model.row_of(made.id)
        assert window.model.row_cells(row)[0][party] == "原当事人"
        window.table.viewport().repaint()
        theirs = cases.get_case(other.store, made.id)
        cases.update_case(other.store, other.account.profile, made.id, case_draft(party_name="新当事人"),
                          base_version=theirs.version)
        assert other.sync().pushed == 1
        asked: list[int] = []
        real = window.model.row_cells
        window.model.row_cells = lambda r: asked.append(r) or real(r)
        assert sync(qtbot, window).pulled >= 1
        row = window.model.row_of(made.id)
        texts, _colours = real(row)
        assert texts[party] == "新当事人" and texts[id_col].count("*") == 8
        window.table.viewport().repaint()
        assert row in asked  # painted from the row's new texts
    finally:
        other.store.close()


def test_retries_of_a_failing_sync_are_one_history_row(qtbot, make_window, bureau, store):
    from tests.support.bureau import free_port

    window = logged_in(qtbot, make_window(), bureau)
    window.sync.client.base_url = f"http://127.0.0.1:{free_port()}"  # the server is gone: each retry fails
    failed = []
    window.sync.finished.connect(failed.append)
    window.sync.sync_now()
    qtbot.waitUntil(lambda: len(failed) >= 3, timeout=WAIT)  # the first attempt and two automatic retries
    window.sync.stop()
    window.tasks.wait()
    window.show_sync_page()
    history = window.sync_page.history
    with store.sessions() as session:
        attempts = session.query(SyncRun).filter(SyncRun.ok == 0).count()
    assert attempts >= 3
    assert history.rowCount() == 2, [history.item(r, 1).text() for r in range(history.rowCount())]
    assert history.item(0, 1).text() == f"失败（已重试 {attempts - 1} 次）" and history.item(1, 1).text() == "成功"
    assert "无法连接服务器" in history.item(0, 6).text()
