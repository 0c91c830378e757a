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


NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def test_sync_password_stdin_works_from_a_fresh_folder_without_a_keyring(bureau, device, tmp_path):
    import shlex

    env = {**os.environ, "PYTHONPATH": str(ROOT), **NO_KEYRING}
    a = device(bureau, "zhang")  # a colleague's case, for the new folder to pull
    theirs = cases.create_case(a.store, a.profile, case_draft(party_name="同事的案件"))
    assert a.sync().ok
    data = tmp_path / "fresh"
    done = _cli("login", "--data-dir", str(data), "--server", bureau.url, "--username", "li",
                stdin=PASSWORD + "\n", env=env)
    assert done.returncode == 1 and "密钥环" in done.stderr
    advised = [line.strip() for line in done.stderr.splitlines() if line.strip().startswith("fx-desktop sync")]
    assert advised == [f"fx-desktop sync --password-stdin --server {bureau.url} --username li "
                       f"--data-dir {shlex.quote(str(data.resolve()))}"]
    done = _cli(*shlex.split(advised[0])[1:], stdin=PASSWORD + "\n", env=env)  # exactly what it said
    assert done.returncode == 0, done.stdout + done.stderr
    assert "同步完成" in done.stdout
    from fx_desktop.paths import DataPaths
    from fx_desktop.store import open_store

    store = open_store(DataPaths.at(data))
    try:
        assert cases.get_case(store, theirs.id).values["party_name"] == "同事的案件"
        acc = account.current(store)
        assert (acc.server_url, acc.username) == (bureau.url, "li")  # the folder remembers the account
        made = cases.create_case(store, acc.profile, case_draft(party_name="李的新案件"))
    finally:
        store.close()
    done = _cli("sync", "--password-stdin", "--data-dir", str(data), stdin=PASSWORD + "\n", env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "推送 1 条" in done.stdout
    assert bureau.sql("SELECT count(*) FROM cases WHERE id = :i", {"i": made.id})[0][0] == 1
    live = bureau.sql("SELECT count(*) FROM refresh_tokens WHERE client_id = :c AND revoked_at IS NULL",
                      {"c": acc.client_id})[0][0]
    assert live == 0  # each run's login ended with the run
    done = _cli("sync", "--data-dir", str(data), env=env)  # without the password: says how
    assert done.returncode == 1 and "--password-stdin" in done.stderr and "--username li" in done.stderr
    done = _cli("sync", "--password-stdin", "--data-dir", str(tmp_path / "other"), stdin=PASSWORD + "\n", env=env)
    assert done.returncode == 1 and "--server" in done.stderr and "--username" in done.stderr
    done = _cli("logout", "--data-dir", str(data), env=env)
    assert done.returncode == 0 and "已退出登录" in done.stdout


def test_status_json_lists_pending_changes_last_sync_conflicts_and_rejections(bureau, device):
    from datetime import datetime

    env = {**os.environ, "PYTHONPATH": str(ROOT), **NO_KEYRING}
    a, b = device(bureau, "zhang"), device(bureau, "li")
    made = cases.create_case(a.store, a.profile, case_draft(place="原址"))
    assert a.sync().ok and b.sync().ok
    va, vb = cases.get_case(a.store, made.id).version, cases.get_case(b.store, made.id).version
    cases.update_case(a.store, a.profile, made.id, case_draft(place="甲"), base_version=va)
    cases.update_case(b.store, b.profile, made.id, case_draft(place="乙"), base_version=vb)
    with b.store.writes.begin() as s:  # a change no server accepts (the client's own checks bypassed)
        outbox.enqueue(s, "update_case", {"case_id": made.id, "changed_fields": {"party_id_number": "123"},
                                          "base": {"party_id_number": made.values["party_id_number"]}},
                       owner=b.account.username)
    assert a.sync().ok
    report = b.sync()
    assert report.conflicts == 1 and report.rejected == 1, report.summary()
    waiting = cases.create_case(b.store, b.profile, case_draft(party_name="未推送"))
    number = cases.get_case(b.store, made.id).number
    done = _cli("status", "--json", "--data-dir", str(b.paths.root), env=env)
    assert done.returncode == 0, done.stderr
    status = json.loads(done.stdout)
    assert status["server"] == bureau.url and status["client_id"] == b.account.client_id
    assert status["user"] == {"username": "li", "name": "李娜", "role": "officer", "role_label": "执法队员",
                              "town": "nanqiao", "org_code": "nanqiao", "org_name": "南桥镇", "org_kind": "town",
                              "org_kind_label": "街镇"}
    assert status["pending"] == {"total": 1, "by_mutation": {"create_case": 1}}
    assert datetime.fromisoformat(status["last_sync"]) <= datetime.now()
    (conflict,) = status["conflicts"]
    assert (conflict["case_number"], conflict["field"]) == (number, "place")
    assert (conflict["base"], conflict["mine"], conflict["theirs"]) == ("原址", "乙", "甲")
    assert conflict["state"] == "open"
    (rejected,) = status["rejected"]
    assert rejected["mutation"] == "update_case" and rejected["case_number"] == number
    assert "证件号码" in rejected["reason"] or "身份证" in rejected["reason"]
    assert datetime.fromisoformat(rejected["rejected_at"]) <= datetime.now()
    assert waiting.id  # the pending one above
    plain = _cli("status", "--data-dir", str(b.paths.root), env=env)  # the text output as before
    assert plain.returncode == 0
    assert "待推送变更：1" in plain.stdout and "未解决冲突：1" in plain.stdout and "被服务器拒绝的变更：1" in plain.stdout
    from fx_desktop.services.conflicts import resolve_conflict

    resolve_conflict(b.store, b.profile, conflict["id"], "乙")  # settled here, not pushed yet: still open there
    status = json.loads(_cli("status", "--json", "--data-dir", str(b.paths.root), env=env).stdout)
    assert [c["state"] for c in status["conflicts"]] == ["resolving"] and status["pending"]["total"] == 2
    plain = _cli("status", "--data-dir", str(b.paths.root), env=env)  # the same figures as the JSON
    assert "待推送变更：2" in plain.stdout and "未解决冲突：1" in plain.stdout and "被服务器拒绝的变更：1" in plain.stdout
    assert "用户：李娜（li，执法队员，南桥镇）" in plain.stdout and f"服务器：{bureau.url}" in plain.stdout


# -- the organisation in the login answer ----------------------------------------------------------------------

def test_a_login_answer_without_organisation_fields_derives_them(bureau, device):
    """Today's fx-bureau (in this branch) answers with `town_code` only: the town, or the bureau."""
    from fx_desktop.domain.organisations import OrgKind

    town = device(bureau, "zhang")
    assert (town.account.org_code, town.account.org_kind, town.account.org_name) == ("nanqiao", OrgKind.TOWN,
                                                                                     "南桥镇")
    assert town.profile.town_code == "nanqiao" and town.profile.org_code == "nanqiao"
    dispatcher = device(bureau, "diao")
    assert (dispatcher.account.org_code, dispatcher.account.org_kind, dispatcher.account.org_name) == (
        "cgzf", OrgKind.BUREAU, "区城管执法局")
    assert dispatcher.profile.sees_all and dispatcher.profile.town_code is None
    assert account.current(dispatcher.store) == dispatcher.account
    account.logout(town.store, None, town.creds)
    offline = account.offline_login(town.store, "zhang", PASSWORD)
    assert (offline.org_code, offline.org_name) == ("nanqiao", "南桥镇")


# An answer of fx-bureau with organisations (contract 11 section 2), recorded: a department's liaison.
RECORDED_DEPARTMENT_LOGIN = {
    "access_token": "a" * 40, "refresh_token": "r" * 40, "last_mutation_id": 0,
    "user": {"username": "sun", "name": "孙丽", "role": "department_liaison", "town_code": None,
             "org_code": "scjg", "org_name": "区市场监管局", "org_kind": "department"},
}


class RecordedLogin(BureauClient):
    """Answers the login with the recorded body (no server); everything after it is the client's real code."""

    def request(self, method, path, **kwargs):
        assert (method, path) == ("POST", "/auth/login"), path
        return json.loads(json.dumps(RECORDED_DEPARTMENT_LOGIN))


def test_a_login_answer_with_organisation_fields_is_stored_and_works_offline(store):
    from fx_desktop.domain.organisations import OrgKind
    from fx_desktop.services.profile import load_profile

    client = RecordedLogin("http://bureau.invalid")
    acc = account.login(store, client, MemoryCredentials(), username="sun", password=PASSWORD)
    assert (acc.org_code, acc.org_kind, acc.org_name, acc.town_code) == ("scjg", OrgKind.DEPARTMENT, "区市场监管局",
                                                                          None)
    assert account.current(store) == acc
    profile = load_profile(store)
    assert profile == acc.profile and (profile.org_code, profile.org_kind) == ("scjg", OrgKind.DEPARTMENT)
    assert not profile.sees_all and profile.case_towns == ()
    from fx_desktop.store.models import User

    with store.sessions() as s:
        assert s.get(User, "sun").org_code == "scjg"
    account.logout(store, None, None)
    again = account.offline_login(store, "sun", PASSWORD)
    assert again == acc  # the organisation survives the offline login


def test_an_account_stored_before_organisations_loads_with_its_organisation(store):
    from fx_desktop.domain.organisations import OrgKind

    old = {"server_url": "http://bureau.invalid", "username": "zhang", "name": "张伟", "role": "squad_leader",
           "town_code": "nanqiao", "client_id": "c1"}
    with store.writes.begin() as s:
        meta.put(s, "sync.account", json.dumps(old, ensure_ascii=False))
    acc = account.current(store)
    assert (acc.org_code, acc.org_kind, acc.town_code, acc.org_name) == ("nanqiao", OrgKind.TOWN, "nanqiao",
                                                                         "南桥镇")
    assert account.from_login("http://x", {**old, "town_code": None, "role": "bureau_dispatcher"}, "c2").org_code \
        == "cgzf"
    from fx_desktop.sync.transport import ServerProblem

    with pytest.raises(ServerProblem, match="请升级 fx-desktop"):
        account.from_login("http://x", {**old, "org_code": "x1", "org_kind": "guild"}, "c3")
    from fx_desktop.services.organisations import directory

    partial = account.from_login("http://x", {**old, "town_code": None, "role": "department_liaison",
                                              "org_code": "jcy"}, "c4", directory(store))
    assert (partial.org_kind, partial.org_name) == (OrgKind.PROCURATORATE, "区人民检察院")
