"""Bad answers and faults: unreachable, slow, 500/503, malformed JSON, wrong content type, a newer server, a
withdrawn role, a full disk during a pull. Each ends with nothing lost and, once healthy, exactly-once."""
from __future__ import annotations

import pytest
from sqlalchemy import event

from fx_desktop.services import cases
from fx_desktop.store import meta, outbox
from fx_desktop.store.models import Case
from fx_desktop.sync.engine import SyncEngine
from fx_desktop.sync.transport import BureauClient
from tests.conftest import case_draft
from tests.support.bureau import free_port, run_cli
from tests.support.faulty_proxy import Proxy


@pytest.fixture
def proxy(bureau):
    p = Proxy(bureau.port).start()
    yield p
    p.stop()


def _pending(d) -> int:
    with d.store.sessions() as s:
        return outbox.pending_count(s)


def _server_copies(bureau, case_id) -> int:
    return bureau.sql("SELECT count(*) FROM cases WHERE id = :i", {"i": case_id})[0][0]


def test_unreachable_server_keeps_everything_and_says_offline(bureau, device):
    a = device(bureau, "zhang")
    made = cases.create_case(a.store, a.profile, case_draft())
    a.client.base_url = f"http://127.0.0.1:{free_port()}"
    report = a.sync()
    assert "无法连接服务器" in report.error and "离线" in report.error
    assert _pending(a) == 1 and cases.get_case(a.store, made.id).values["party_name"] == "李建国"
    a.client.base_url = bureau.url
    assert a.sync().ok and _server_copies(bureau, made.id) == 1


@pytest.mark.parametrize("fault, words", [
    ("500", "HTTP 500"), ("malformed", "无法识别"), ("html", "无法识别"), ("hold_after", "超时"),
])
def test_bad_answers_to_a_push_lose_nothing_and_apply_once(bureau, device, proxy, fault, words):
    a = device(bureau, "zhang")
    a.client.base_url = proxy.url
    made = cases.create_case(a.store, a.profile, case_draft())
    if fault == "hold_after":  # the server applies the push; its answer comes too late (never, here)
        a.client.timeout = (5, 1)
    held = proxy.add(fault, "/sync/push")
    report = a.sync()
    assert report.error and words in report.error, report.error
    assert _pending(a) == 1
    if fault == "hold_after":
        assert held.held.wait(300)  # the server has answered the push the client gave up on
        held.release.set()
        a.client.timeout = (5, 60)
    assert a.sync().ok
    assert _pending(a) == 0 and _server_copies(bureau, made.id) == 1


def test_a_newer_server_protocol_is_named_and_nothing_is_sent(bureau, device, proxy):
    a = device(bureau, "zhang")
    a.client.base_url = proxy.url
    cases.create_case(a.store, a.profile, case_draft())
    proxy.add("protocol", "/sync/push")
    report = a.sync()
    assert "请升级 fx-desktop" in report.error
    assert _pending(a) == 1


def test_a_server_database_with_a_newer_schema_is_refused_at_start(fresh_bureau):
    from sqlalchemy import text

    from fx_bureau.db import make_engine

    engine = make_engine(fresh_bureau.db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    done = run_cli("serve", "--db", fresh_bureau.db_url, "--port", str(free_port()))
    assert done.returncode != 0
    assert "0099" in done.stderr and "升级" in done.stderr


def test_a_withdrawn_role_stops_sync_with_a_reason_and_keeps_the_work(bureau, device):
    a = device(bureau, "li")
    made = cases.create_case(a.store, a.profile, case_draft())
    assert run_cli("set-user", "--db", bureau.db_url, "--username", "li", "--role", "none").returncode == 0
    try:
        report = a.sync()
        assert "角色已被撤销" in report.error
        assert _pending(a) == 1
    finally:
        assert run_cli("set-user", "--db", bureau.db_url, "--username", "li", "--role", "officer").returncode == 0
    assert a.sync().ok and _server_copies(bureau, made.id) == 1


def test_a_disk_that_fills_during_a_pull_stops_cleanly_and_resumes(bureau, device):
    writer = device(bureau, "li", "writer")
    for i in range(150):
        cases.create_case(writer.store, writer.profile, case_draft(party_name=f"周{i}", facts="违法事实" * 40))
    assert writer.sync().ok
    b = device(bureau, "zhang", "small-disk")
    b.store.engine.dispose()
    with b.store.sessions() as s:
        pages = s.connection().exec_driver_sql("PRAGMA page_count").scalar()

    def limit(dbapi_conn, _record):  # SQLITE_FULL, the very error a full disk gives
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 60}")

    event.listen(b.store.engine, "connect", limit)
    b.store.engine.dispose()
    engine = SyncEngine(b.store, b.client, b.account, b.creds, pull_page=20)
    first = engine.run()
    assert first.error and "磁盘空间不足" in first.error and "继续" in first.error
    with b.store.sessions() as s:
        cursor = meta.get(s, b.account.cursor_key)
        have = s.query(Case).count()
    upto = int(cursor.rsplit(":", 1)[1])
    assert have == bureau.sql("SELECT count(*) FROM cases WHERE town_code = 'nanqiao' AND seq <= :s",
                              {"s": upto})[0][0]
    event.remove(b.store.engine, "connect", limit)
    b.store.engine.dispose()
    second = engine.run()
    assert second.ok and second.digest_ok is True


def test_failed_logins_are_rate_limited(bureau):
    client = BureauClient(bureau.url)
    from fx_desktop.sync.transport import Refused, SyncProblem

    import uuid

    cid = str(uuid.uuid4())
    for _ in range(5):
        with pytest.raises(SyncProblem) as err:
            client.login("reviewer", "wrong-password-1", cid, "t")
        assert "用户名或密码不正确" in err.value.message
    with pytest.raises(Refused) as err:
        client.login("reviewer", "wrong-password-1", cid, "t")
    assert err.value.status == 429 and "登录失败次数过多" in err.value.message
    from tests.support.bureau import PASSWORD

    with pytest.raises(Refused):  # even the right password waits out the window
        client.login("reviewer", PASSWORD, cid, "t")


def test_tls_is_verified_an_untrusted_certificate_is_refused(fresh_bureau, tmp_path):
    import shutil
    import subprocess
    import sys
    import time
    import uuid

    import requests

    if fresh_bureau.backend != "sqlite" or not shutil.which("openssl"):
        pytest.skip("TLS does not depend on the server's database; needs openssl")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out",
                    str(cert)], check=True, capture_output=True)
    fresh_bureau.port = free_port()
    fresh_bureau.extra_args = ["--ssl-certfile", str(cert), "--ssl-keyfile", str(key)]
    server = subprocess.Popen([sys.executable, "-m", "fx_bureau", "serve", "--db",
                               fresh_bureau.db_url, "--port", str(fresh_bureau.port), "--blob-dir",
                               str(tmp_path / "blobs"), *fresh_bureau.extra_args],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"https://127.0.0.1:{fresh_bureau.port}"
        deadline = time.monotonic() + 120  # a generous bound on the wait for the port to answer
        while True:
            try:
                requests.get(url + "/health", verify=str(cert), timeout=10)
                break
            except requests.RequestException:
                assert server.poll() is None and time.monotonic() < deadline, "fx-bureau did not start with TLS"
                time.sleep(0.1)
        from fx_desktop.sync.transport import Unreachable

        with pytest.raises(Unreachable, match="安全连接校验失败"):
            BureauClient(url).health()  # verification on by default: a self-signed certificate is refused
        trusting = BureauClient(url, verify=str(cert))  # the district's own CA bundle, configured explicitly
        from tests.support.bureau import PASSWORD

        assert trusting.login("zhang", PASSWORD, str(uuid.uuid4()), "t")["user"]["username"] == "zhang"
    finally:
        server.terminate()
        server.wait(10)
