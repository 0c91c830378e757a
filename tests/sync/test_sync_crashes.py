"""Guarantees 3 (server killed mid-push), 7 (client killed during offline edits and during sync) and 8 (an
interrupted pull resumes from its cursor and ends with the server's digest). Processes are killed with SIGKILL."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from fx_desktop.services import cases
from fx_desktop.store import meta
from fx_desktop.store.models import Case, OutboxEntry
from fx_desktop.sync.digest import local_digest
from fx_desktop.sync.engine import SyncEngine, SyncReport
from fx_desktop.sync.transport import SyncProblem
from tests.conftest import case_draft
from tests.support.bureau import PASSWORD
from tests.support.faulty_proxy import Proxy

ROOT = Path(__file__).resolve().parents[2]


def _python(*args: str, stdin: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.PIPE if stdin else None, text=True)


def test_3_killing_the_server_mid_push_leaves_effect_and_counter_together(fresh_bureau, device):
    fresh_bureau.start()
    a = device(fresh_bureau, "zhang")
    for i in range(400):
        cases.create_case(a.store, a.profile, case_draft(party_name=f"钱{i}"))
    rng = random.Random(3)
    for _ in range(3):
        engine = SyncEngine(a.store, a.client, a.account, a.creds, push_batch=200)
        def push():
            try:
                engine.push(SyncReport())
            except SyncProblem:
                pass  # the server died under it: expected

        worker = threading.Thread(target=push, daemon=True)
        worker.start()
        time.sleep(rng.uniform(0.05, 0.6))
        fresh_bureau.kill()
        worker.join(30)
        (last,), = fresh_bureau.sql("SELECT last_mutation_id FROM clients WHERE id = :c",
                                    {"c": a.account.client_id})
        logged = fresh_bureau.sql("SELECT count(*), coalesce(max(mutation_id), 0) FROM mutation_log")[0]
        made = fresh_bureau.sql("SELECT count(*) FROM cases")[0][0]
        assert logged == (last, last) and made == last  # both or neither, for every mutation
        fresh_bureau.start()
    assert a.sync().ok
    assert fresh_bureau.sql("SELECT count(*), count(DISTINCT id) FROM cases")[0] == (400, 400)


def test_7_sigkill_during_100_offline_edits_and_during_sync_loses_and_duplicates_nothing(bureau, device):
    a = device(bureau, "zhang", "killed")
    root = str(a.paths.root)
    rng = random.Random(7)
    kills = 0
    while True:  # offline edits, killed at random points until all 100 are done
        child = _python("-m", "tests.support.offline_editor", root, "100")
        try:
            child.wait(rng.uniform(0.3, 1.5))
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait()
            kills += 1
            continue
        assert child.returncode == 0, child.stderr.read()
        break
    assert kills >= 1
    with a.store.sessions() as s:
        names = sorted(c.party_name for c in s.query(Case).filter(Case.party_name.like("离线%")))
        seqs = sorted(e.seq for e in s.query(OutboxEntry).filter_by(owner="zhang"))
    assert names == [f"离线{i:03d}" for i in range(50)]
    assert seqs == list(range(1, 101))  # one mutation per edit, numbered without gaps
    for _ in range(3):  # sync killed at random points too
        child = _python("-m", "fx_desktop", "sync", "--data-dir", root, "--password-stdin", stdin=PASSWORD + "\n")
        child.stdin.write(PASSWORD + "\n")
        child.stdin.flush()
        time.sleep(rng.uniform(0.5, 2.0))
        child.send_signal(signal.SIGKILL)
        child.wait()
    report = a.sync()
    assert report.ok, report.summary()
    rows = bureau.sql("SELECT fields FROM cases WHERE created_by = '张伟'")
    import json

    server = sorted((f if isinstance(f, dict) else json.loads(f))["party_name"] for (f,) in rows
                    if (f if isinstance(f, dict) else json.loads(f))["party_name"].startswith("离线"))
    assert server == [f"离线{i:03d}" for i in range(50)]
    client_ids = [r[0] for r in bureau.sql("SELECT id FROM clients")]
    assert a.account.client_id in client_ids
    logged = bureau.sql("SELECT count(*) FROM mutation_log WHERE client_id = :c", {"c": a.account.client_id})
    assert logged[0][0] == 100


def test_8_an_interrupted_pull_resumes_from_its_cursor_and_ends_with_the_digest(bureau, device):
    a = device(bureau, "li", "writer")
    for i in range(120):
        cases.create_case(a.store, a.profile, case_draft(party_name=f"孙{i}"))
    assert a.sync().ok
    proxy = Proxy(bureau.port).start()
    try:
        b = device(bureau, "zhang", "reader")
        b.client.base_url = proxy.url
        engine = SyncEngine(b.store, b.client, b.account, b.creds, pull_page=25)
        pulls = {"n": 0}
        original = b.client.pull

        def counting_pull(cursor, limit):  # two pages get through, the third connection drops
            pulls["n"] += 1
            if pulls["n"] == 3:
                proxy.add("drop_after", "/sync/pull")
            return original(cursor, limit)

        b.client.pull = counting_pull
        first = engine.run()
        assert first.error is not None
        with b.store.sessions() as s:
            cursor = meta.get(s, b.account.cursor_key)
            have = s.query(Case).count()
        upto = int(cursor.rsplit(":", 1)[1])
        expected = bureau.sql("SELECT count(*) FROM cases WHERE town_code = 'nanqiao' AND seq <= :s", {"s": upto})
        assert 40 <= have == expected[0][0]  # two pages kept, exactly up to their cursor
        b.client.pull = original
        proxy.faults.clear()
        second = engine.run()
        assert second.ok and second.digest_ok is True
        assert second.pulled + have >= bureau.sql("SELECT count(*) FROM cases WHERE town_code = 'nanqiao'")[0][0]
        with b.store.sessions() as s:
            mine = local_digest(s, "nanqiao")
        server = b.client.digest()
        assert (mine["count"], mine["hash"]) == (server["count"], server["hash"])
    finally:
        proxy.stop()


def test_a_server_restored_from_an_older_backup_resets_clients_without_losing_their_work(fresh_bureau, device):
    if fresh_bureau.backend != "sqlite":
        import pytest

        pytest.skip("restoring the server's SQLite file stands for any restore; PostgreSQL is covered elsewhere")
    import shutil

    fresh_bureau.start()
    a = device(fresh_bureau, "zhang")
    kept = cases.create_case(a.store, a.profile, case_draft(party_name="备份里有"))
    assert a.sync().ok
    fresh_bureau.stop()
    db = Path(fresh_bureau.db_url.removeprefix("sqlite:///"))
    backup = db.with_name("backup.sqlite")
    import sqlite3

    source, target = sqlite3.connect(db), sqlite3.connect(backup)
    source.backup(target)  # the way to copy a live SQLite database
    source.close()
    target.close()
    fresh_bureau.start()
    lost = cases.create_case(a.store, a.profile, case_draft(party_name="备份后登记"))
    assert a.sync().ok
    fresh_bureau.stop()
    shutil.copyfile(backup, db)  # the server's database goes back to the older copy
    for side in ("-wal", "-shm"):
        Path(str(db) + side).unlink(missing_ok=True)
    fresh_bureau.start()
    pending = cases.create_case(a.store, a.profile, case_draft(party_name="恢复后登记"))
    report = a.sync()
    assert report.resyncs >= 1, report.summary()
    assert any("已保留在本机" in w for w in report.warnings)
    with a.store.sessions() as s:  # nothing disappeared here
        assert {c.id for c in s.query(Case)} >= {kept.id, lost.id, pending.id}
    assert fresh_bureau.sql("SELECT count(*) FROM cases WHERE id = :i", {"i": pending.id})[0][0] == 1
    again = a.sync()
    assert again.ok and again.digest_ok is not False


def test_a_server_restored_to_before_this_client_existed_registers_it_again(fresh_bureau, device):
    if fresh_bureau.backend != "sqlite":
        import pytest

        pytest.skip("restoring the server's SQLite file stands for any restore")
    import shutil
    import sqlite3

    db = Path(fresh_bureau.db_url.removeprefix("sqlite:///"))
    backup = db.with_name("backup.sqlite")
    source, target = sqlite3.connect(db), sqlite3.connect(backup)
    source.backup(target)  # taken before any client registered
    source.close()
    target.close()
    fresh_bureau.start()
    a = device(fresh_bureau, "zhang")
    cases.create_case(a.store, a.profile, case_draft())
    assert a.sync().ok
    old_client = a.account.client_id
    fresh_bureau.stop()
    shutil.copyfile(backup, db)
    for side in ("-wal", "-shm"):
        Path(str(db) + side).unlink(missing_ok=True)
    fresh_bureau.start()
    after = cases.create_case(a.store, a.profile, case_draft(party_name="恢复后"))
    report = a.sync()
    assert report.error is None, report.summary()
    assert report.resets == 1 and a.account.client_id != old_client
    assert fresh_bureau.sql("SELECT count(*) FROM cases WHERE id = :i", {"i": after.id})[0][0] == 1


def test_a_bulk_first_pull_builds_the_search_index_once_even_when_interrupted(bureau, device):
    from fx_desktop.store import open_store, search_index
    from fx_desktop.store.case_queries import CaseFilter, CaseQueries

    writer = device(bureau, "wang", "bulk-writer")
    for i in range(420):
        cases.create_case(writer.store, writer.profile, case_draft(party_name=f"欧阳{i:03d}号"))
    assert writer.sync().ok

    def found(store, text):
        queries = CaseQueries(store.engine)
        _query, total = queries.prepare(CaseFilter(text=text))
        return total

    whole = device(bureau, "wang", "bulk-reader")
    assert SyncEngine(whole.store, whole.client, whole.account, whole.creds, pull_page=250).run().ok
    with whole.store.sessions() as s:
        assert not search_index.paused(s)
    assert found(whole.store, "欧阳123号") == 1 and found(whole.store, "欧阳") >= 420

    proxy = Proxy(bureau.port).start()
    try:
        cut = device(bureau, "wang", "bulk-cut")
        cut.client.base_url = proxy.url
        calls = {"n": 0}
        original = cut.client.pull

        def pull(cursor, limit):
            calls["n"] += 1
            if calls["n"] == 2:
                proxy.add("drop_after", "/sync/pull")
            return original(cursor, limit)

        cut.client.pull = pull
        assert SyncEngine(cut.store, cut.client, cut.account, cut.creds, pull_page=250).run().error
        with cut.store.sessions() as s:
            assert search_index.paused(s)  # the first page is in, not yet indexed
        cut.store.close()
        cut.store = open_store(cut.paths)  # the next start indexes what the interrupted pull brought
        with cut.store.sessions() as s:
            assert not search_index.paused(s)
            have = s.query(Case).count()
        assert have >= 200 and found(cut.store, "欧阳") == have
    finally:
        proxy.stop()
