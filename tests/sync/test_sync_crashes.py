"""Guarantees 3 (server killed mid-push), 7 (client killed during offline edits and during sync) and 8 (an
interrupted pull resumes from its cursor and ends with the server's digest). Processes are killed with SIGKILL."""
from __future__ import annotations

import json
import random
import threading
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

from fx_desktop.services import cases
from fx_desktop.store import meta
from fx_desktop.store.models import AuditEntry, Case, OutboxEntry
from fx_desktop.sync.digest import local_digest
from fx_desktop.sync.engine import SyncEngine, SyncReport
from fx_desktop.sync.transport import SyncProblem
from tests.conftest import case_draft
from tests.support.bureau import PASSWORD
from tests.support.children import LIMIT_S, Lines, python, sigkill
from tests.support.faulty_proxy import Proxy


def test_3_killing_the_server_mid_push_leaves_effect_and_counter_together(fresh_bureau, device):
    fresh_bureau.start()
    proxy = Proxy(fresh_bureau.port).start()  # tells where the push is, so the kill lands at a chosen point
    try:
        a = device(SimpleNamespace(url=proxy.url), "zhang")
        for i in range(400):
            cases.create_case(a.store, a.profile, case_draft(party_name=f"钱{i}"))
        # The server is killed while the push waits at the proxy, inside the server's transaction (which cannot
        # commit while the test holds a row it must write), or after the server committed and answered.
        points = ["before", "inside", "answered"]
        random.Random(3).shuffle(points)
        for point in points:
            (before,), = fresh_bureau.sql("SELECT last_mutation_id FROM clients WHERE id = :c",
                                          {"c": a.account.client_id})
            fault = proxy.add("hold_before" if point == "before" else "hold_after", "/sync/push")
            engine = SyncEngine(a.store, a.client, a.account, a.creds, push_batch=200)
            worker = threading.Thread(target=_push_until_the_server_dies, args=(engine,), daemon=True)
            if point == "inside":
                with _holding_a_row_the_push_writes(fresh_bureau, a.account.client_id, before + 1):
                    worker.start()
                    assert fault.forwarded.wait(LIMIT_S)
                    _until(lambda: _waits_for_a_lock(fresh_bureau), "the push waits for the row the test holds")
                    fresh_bureau.kill()
            else:
                worker.start()
                assert fault.held.wait(LIMIT_S)
                fresh_bureau.kill()
            fault.release.set()
            worker.join(LIMIT_S)
            assert not worker.is_alive()
            (last,), = fresh_bureau.sql("SELECT last_mutation_id FROM clients WHERE id = :c",
                                        {"c": a.account.client_id})
            assert last == (before + 200 if point == "answered" else before)
            logged = fresh_bureau.sql("SELECT count(*), coalesce(max(mutation_id), 0) FROM mutation_log")[0]
            made = fresh_bureau.sql("SELECT count(*) FROM cases")[0][0]
            assert logged == (last, last) and made == last  # both or neither, for every mutation
            fresh_bureau.start()
        assert a.sync().ok
        assert fresh_bureau.sql("SELECT count(*), count(DISTINCT id) FROM cases")[0] == (400, 400)
    finally:
        proxy.stop()


def _push_until_the_server_dies(engine: SyncEngine) -> None:
    try:
        engine.push(SyncReport())
    except SyncProblem:
        pass  # the server died under it: expected


@contextmanager
def _holding_a_row_the_push_writes(bureau, client_id: str, mutation_id: int):
    """An uncommitted mutation_log row under an id the push is about to log. PostgreSQL makes the push's insert
    wait for this transaction (the push has written its effects by then); SQLite makes its whole write transaction
    wait for the file's one write lock. Either way the push cannot commit until the test lets go."""
    from sqlalchemy import text

    from fx_bureau.db import make_engine

    engine = make_engine(bureau.db_url)
    try:
        with engine.connect() as conn:
            holding = conn.begin()
            conn.execute(text("INSERT INTO mutation_log (client_id, mutation_id, name, digest, result, user_id, "
                              "received_at) VALUES (:c, :m, 'held', 'held', 'held', 0, :t)"),
                         {"c": client_id, "m": mutation_id, "t": datetime.now()})
            try:
                yield
            finally:
                holding.rollback()
    finally:
        engine.dispose()


def _waits_for_a_lock(bureau) -> bool:
    """PostgreSQL shows the server's connection waiting for a lock; SQLite's busy wait cannot be seen from
    outside, there the request having reached the server (the proxy's event) is the evidence."""
    if bureau.backend != "postgresql":
        return True
    return bureau.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                      "AND wait_event_type = 'Lock'")[0][0] >= 1


def _until(condition, what: str) -> None:
    """Waits for an event seen by polling, bounded by a generous limit (the outcome never depends on the wait)."""
    deadline = time.monotonic() + LIMIT_S
    while not condition():
        assert time.monotonic() < deadline, f"not seen within {LIMIT_S} s: {what}"
        time.sleep(0.05)


def test_7_sigkill_during_100_offline_edits_and_during_sync_loses_and_duplicates_nothing(bureau, device):
    proxy = Proxy(bureau.port).start()  # the sync child talks to the server through it
    try:
        _offline_edits_and_sync_killed(bureau, proxy, device(SimpleNamespace(url=proxy.url), "zhang", "killed"))
    finally:
        proxy.stop()


def _offline_edits_and_sync_killed(bureau, proxy, a):
    root = str(a.paths.root)
    rng = random.Random(7)
    # Offline edits, killed at points picked from the editor's own progress: inside an edit's transaction, right
    # after an edit's commit, or wherever the editor has got to when it reports edit k.
    # The editor waits for the first two kinds, so they come first and each advances at most 15 edits: all four
    # happen, whatever the speed; a "running" kill may come after the editor finished, and need not count.
    wheres = ["inside", "after"] * 2
    rng.shuffle(wheres)
    resume, kills = 0, 0
    for where in [*wheres, "running", "running", "none"]:
        editor = python("-m", "tests.support.offline_editor", root, "100", stdin=True)
        lines = Lines(editor.stdout)
        lines.until(f"resume {resume}")
        k = min(99, resume + rng.randrange(15))
        editor.stdin.write(("none" if where in ("running", "none") else f"{where} {k}") + "\n")
        editor.stdin.flush()
        if where == "none":
            lines.until("edit 99")
            assert editor.wait(LIMIT_S) == 0, editor.stderr.read()
            break
        lines.until(f"inside {k}" if where == "inside" else f"edit {k}")
        kills += sigkill(editor)
        resume = _committed_edits(a)  # none lost, none done twice, and the next editor goes on from there
        if where == "inside":
            assert resume == k  # edit k is rolled back whole, every edit before it kept
        elif where == "after":
            assert resume == k + 1
        else:
            assert resume >= k + 1
        if resume >= 100:
            break
    assert kills >= 4  # the inside and after kills cannot miss: the editor waits for them
    with a.store.sessions() as s:
        names = sorted(c.party_name for c in s.query(Case).filter(Case.party_name.like("离线%")))
        seqs = sorted(e.seq for e in s.query(OutboxEntry).filter_by(owner="zhang"))
    assert names == [f"离线{i:03d}" for i in range(50)]
    assert seqs == list(range(1, 101))  # one mutation per edit, numbered without gaps

    # Sync killed at points the proxy reports: the push held before it reaches the server, the push applied with
    # its answer held, the pull's answer held.
    holds = [("hold_before", "/sync/push"), ("hold_after", "/sync/push"), ("hold_after", "/sync/pull")]
    rng.shuffle(holds)
    applied = 0
    for kind, path in holds:
        fault = proxy.add(kind, path)
        child = python("-m", "fx_desktop", "sync", "--data-dir", root, "--password-stdin", stdin=True)
        child.stdin.write(PASSWORD + "\n")
        child.stdin.flush()
        assert fault.held.wait(LIMIT_S), child.kill() or child.communicate()[1]
        assert sigkill(child)
        fault.release.set()
        if (kind, path) != ("hold_before", "/sync/push"):  # the server applied the push (its answer lost or not)
            applied = 100
        logged = bureau.sql("SELECT count(*) FROM mutation_log WHERE client_id = :c", {"c": a.account.client_id})
        assert logged[0][0] == applied
    report = a.sync()
    assert report.ok, report.summary()
    rows = bureau.sql("SELECT fields FROM cases WHERE created_by = '张伟'")
    fields = [f if isinstance(f, dict) else json.loads(f) for (f,) in rows]
    server = sorted(f["party_name"] for f in fields if f["party_name"].startswith("离线"))
    assert server == [f"离线{i:03d}" for i in range(50)]
    client_ids = [r[0] for r in bureau.sql("SELECT id FROM clients")]
    assert a.account.client_id in client_ids
    logged = bureau.sql("SELECT count(*) FROM mutation_log WHERE client_id = :c", {"c": a.account.client_id})
    assert logged[0][0] == 100


def _committed_edits(a) -> int:
    with a.store.sessions() as s:
        return s.query(AuditEntry).filter(AuditEntry.action.in_(("create", "update"))).count()


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
