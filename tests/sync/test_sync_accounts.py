"""Accounts on a device: offline login, another user on the same database, logout, reference data from the
server, and the headless commands (login, sync, status, logout) as an administrator's script runs them."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fx_desktop.services import cases
from fx_desktop.store import meta, outbox
from fx_desktop.sync import account
from fx_desktop.sync.credentials import MemoryCredentials, token_key
from fx_desktop.sync.transport import AuthRequired, BureauClient
from tests.conftest import case_draft
from tests.support.bureau import PASSWORD, run_cli

ROOT = Path(__file__).resolve().parents[2]


def test_offline_login_uses_the_verifier_of_the_last_online_login(bureau, device):
    a = device(bureau, "zhang")
    with a.store.sessions() as s:
        stored = meta.get(s, "sync.verifier:zhang")
    assert PASSWORD not in stored and "scrypt$" in stored  # a salted verifier, never the password
    account.logout(a.store, None, a.creds)
    assert account.offline_login(a.store, "zhang", PASSWORD).town_code == "nanqiao"
    with pytest.raises(AuthRequired, match="用户名或密码不正确"):
        account.offline_login(a.store, "zhang", "wrong-one-1")
    with pytest.raises(AuthRequired, match="尚未在本机联网登录"):
        account.offline_login(a.store, "li", PASSWORD)


def test_another_user_on_the_same_device_never_pushes_the_previous_users_outbox(bureau, device):
    a = device(bureau, "zhang")
    mine = cases.create_case(a.store, a.profile, case_draft(party_name="张的案件"))
    account.logout(a.store, a.client, a.creds)
    li_client = BureauClient(bureau.url)
    li = account.login(a.store, li_client, MemoryCredentials(), username="li", password=PASSWORD)
    assert li.client_id != a.account.client_id
    theirs = cases.create_case(a.store, li.profile, case_draft(party_name="李的案件"))
    from fx_desktop.sync.engine import SyncEngine

    report = SyncEngine(a.store, li_client, li).run()
    assert report.ok and report.pushed == 1
    assert bureau.sql("SELECT count(*) FROM cases WHERE id = :i", {"i": mine.id})[0][0] == 0
    assert bureau.sql("SELECT count(*) FROM cases WHERE id = :i", {"i": theirs.id})[0][0] == 1
    with a.store.sessions() as s:
        assert outbox.pending_count(s, "zhang") == 1
    a.account = account.login(a.store, a.client, a.creds, username="zhang", password=PASSWORD)
    assert a.sync().pushed == 1
    assert bureau.sql("SELECT count(*) FROM cases WHERE id = :i", {"i": mine.id})[0][0] == 1


def test_work_done_before_the_first_login_is_adopted_by_that_account(bureau, tmp_path):
    from fx_desktop.paths import DataPaths
    from fx_desktop.services.profile import save_profile
    from fx_desktop.store import open_store

    store = open_store(DataPaths.at(tmp_path / "standalone"))
    try:
        local = save_profile(store, name="张伟", role="squad_leader", town_code="nanqiao")
        before = cases.create_case(store, local, case_draft())
        client = BureauClient(bureau.url)
        acc = account.login(store, client, MemoryCredentials(), username="zhang", password=PASSWORD)
        from fx_desktop.sync.engine import SyncEngine

        assert SyncEngine(store, client, acc).run().ok
        number = bureau.sql("SELECT number FROM cases WHERE id = :i", {"i": before.id})[0][0]
        assert cases.get_case(store, before.id).number == number  # the official number replaced the local one
    finally:
        store.close()


def test_logout_forgets_tokens_and_the_server_revokes_them(bureau, device):
    a = device(bureau, "zhang")
    key = token_key(bureau.url, "zhang", a.account.client_id)
    refresh = a.creds.get(key)
    assert refresh
    assert account.logout(a.store, a.client, a.creds)  # confirmed by the server
    assert a.creds.get(key) is None
    assert account.current(a.store) is None
    stale = BureauClient(bureau.url)
    stale.tokens.refresh = refresh
    with pytest.raises(AuthRequired):
        stale.refresh_access()


def test_reference_data_administered_on_the_server_reaches_clients(bureau, device, tmp_path):
    from fx_bureau.schema import default_reference

    a = device(bureau, "zhang")
    a.sync()
    data = default_reference()
    data["version"] += 1  # newer than what the server and the client were shipped with
    data["categories"] = [*data["categories"], "测试类别"]
    data["holidays"]["2026"]["holidays"] = [*data["holidays"]["2026"]["holidays"], "2026-12-01"]
    path = tmp_path / "reference.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    done = run_cli("init", "--db", bureau.db_url, "--reference", str(path))
    assert done.returncode == 0, done.stderr
    assert a.sync().ok
    from fx_desktop.services.calendar import current_calendar
    from fx_desktop.store import reference

    with a.store.sessions() as s:
        assert "测试类别" in reference.current(s)["categories"]
        from datetime import date

        assert not current_calendar(s).is_working_day(date(2026, 12, 1))


def _cli(*args: str, stdin: str = "", env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fx_desktop", *args], input=stdin, capture_output=True,
                          text=True, timeout=120, cwd=ROOT, env=env)


def test_headless_login_sync_status_logout(bureau, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring.TestFileKeyring",
           "FX_TEST_KEYRING_FILE": str(tmp_path / "keyring.json")}
    data = str(tmp_path / "cli")
    from tests.support.faulty_proxy import Proxy

    link = Proxy(bureau.port).start()  # the network between this client and the server; cut later
    done = _cli("login", "--data-dir", data, "--server", link.url, "--username", "li", stdin=PASSWORD + "\n",
                env=env)
    assert done.returncode == 0, done.stderr
    assert "已登录" in done.stdout and "李娜" in done.stdout
    assert PASSWORD not in (tmp_path / "keyring.json").read_text()
    from fx_desktop.paths import DataPaths
    from fx_desktop.store import open_store

    store = open_store(DataPaths.at(data))
    made = cases.create_case(store, account.current(store).profile, case_draft())
    store.close()
    status = _cli("status", "--data-dir", data, env=env)
    assert "待推送变更：1" in status.stdout and "从未同步" in status.stdout
    done = _cli("sync", "--data-dir", data, env=env)
    assert done.returncode == 0, done.stderr
    assert "同步完成" in done.stdout and "推送 1 条" in done.stdout
    assert bureau.sql("SELECT count(*) FROM cases WHERE id = :i", {"i": made.id})[0][0] == 1
    status = _cli("status", "--data-dir", data, env=env)
    assert "待推送变更：0" in status.stdout and "从未同步" not in status.stdout
    link.stop()
    done = _cli("sync", "--data-dir", data, env=env)
    assert done.returncode == 1 and "无法连接服务器" in done.stdout + done.stderr
    done = _cli("logout", "--data-dir", data, env=env)
    assert done.returncode == 0 and "已退出登录" in done.stdout
    done = _cli("sync", "--data-dir", data, env=env)
    assert done.returncode == 1 and "尚未登录" in done.stderr


def test_headless_login_without_a_keyring_says_what_to_do(bureau, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    done = _cli("login", "--data-dir", str(tmp_path / "d"), "--server", bureau.url, "--username", "li",
                stdin=PASSWORD + "\n", env=env)
    assert done.returncode == 1
    assert "密钥环" in done.stderr and "--password-stdin" in done.stderr
