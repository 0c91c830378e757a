"""The audit trail: written by every action, append-only in SQL, and a hash chain that exposes edits made around
the triggers."""
import sqlite3
from datetime import datetime

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import func, select, text

from fx_desktop.cli import main
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.services import cases
from fx_desktop.store import audit, open_store
from fx_desktop.store.models import AuditEntry

NOW = datetime(2026, 3, 10, 9, 0, 0, 123456)


@pytest.fixture
def worked_case(store, profile, make_draft):
    """A case created, edited and filed: three audit entries."""
    rec = cases.create_case(store, profile, make_draft(), now=NOW)
    rec = cases.update_case(store, profile, rec.id, make_draft(facts="当事人在解放东路100号擅自搭建违建约35平方米。"),
                            base_version=rec.version, now=NOW.replace(hour=10))
    rec = cases.change_status(store, profile, rec.id, "file", expected_status=CaseStatus.CLUE,
                              now=NOW.replace(hour=11))
    return rec


def _chain(store):
    with store.sessions() as session:
        return audit.verify_chain(session)


def _tamper(db_path, *statements):
    """Change the audit log behind the application's back: drop the guards first, as an attacker with the file
    would."""
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("DROP TRIGGER audit_log_no_delete")
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def test_actions_write_chained_entries(store, profile, worked_case):
    entries = cases.timeline(store, worked_case.id)
    assert [e.action for e in entries] == ["create", "update", "transition"]
    assert all(e.actor == "张伟" and e.role == "squad_leader" for e in entries)
    assert entries[0].detail["number"] == worked_case.number
    assert entries[1].detail["changes"]["facts"][1].endswith("约35平方米。")
    assert entries[2].detail == {"action": "file", "from": "clue", "to": "filed"}
    with store.sessions() as session:
        rows = session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars().all()
    assert rows[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:]))
    report = _chain(store)
    assert report.ok and report.checked == 3 and report.broken_at is None
    assert "共校验 3 条" in report.message


def test_chain_verifies_after_reopening(store, data_paths, worked_case):
    store.close()
    reopened = open_store(data_paths)
    try:
        assert _chain(reopened).ok and _chain(reopened).checked == 3
    finally:
        reopened.close()


def test_verify_in_small_batches(store, worked_case):
    with store.sessions() as session:
        report = audit.verify_chain(session, batch=1)
    assert report.ok and report.checked == 3


def test_edited_entry_breaks_chain_at_that_seq(store, data_paths, worked_case):
    _tamper(data_paths.database, """UPDATE audit_log SET detail = '{"action":"file","from":"clue","to":"closed"}'
                                     WHERE seq = 3""")
    report = _chain(store)
    assert not report.ok and report.broken_at == 3 and report.checked == 2
    assert "第 3 条校验失败" in report.message


def test_edited_earlier_entry_breaks_chain_there(store, data_paths, worked_case):
    _tamper(data_paths.database, "UPDATE audit_log SET actor = '李四' WHERE seq = 1")
    report = _chain(store)
    assert not report.ok and report.broken_at == 1 and report.checked == 0


def test_rehashed_entry_still_breaks_the_next_link(store, data_paths, worked_case):
    """Editing an entry and recomputing its own hash is caught by the following entry's prev_hash."""
    with store.sessions() as session:
        e = session.get(AuditEntry, 2)
        detail = {"changes": {"facts": ["甲", "乙"]}}
        forged = audit.digest(e.prev_hash, e.at, e.actor, e.role, e.case_id, e.action, detail)
    conn = sqlite3.connect(data_paths.database)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET detail = ?, hash = ? WHERE seq = 2",
                 ('{"changes":{"facts":["甲","乙"]}}', forged))
    conn.commit()
    conn.close()
    report = _chain(store)
    assert not report.ok and report.broken_at == 3


def test_deleted_entry_breaks_chain_at_next_seq(store, data_paths, worked_case):
    _tamper(data_paths.database, "DELETE FROM audit_log WHERE seq = 2")
    report = _chain(store)
    assert not report.ok and report.broken_at == 3 and report.checked == 1


def test_triggers_refuse_update_and_delete(store, worked_case):
    for sql in ("UPDATE audit_log SET actor = '李四' WHERE seq = 1", "DELETE FROM audit_log WHERE seq = 1",
                "DELETE FROM audit_log"):
        with pytest.raises(sa_exc.DBAPIError, match="append-only"):
            with store.engine.begin() as conn:
                conn.execute(text(sql))
    # the ORM path is refused too
    with pytest.raises(sa_exc.DBAPIError, match="append-only"):
        with store.sessions.begin() as session:
            session.get(AuditEntry, 2).detail = {"forged": True}
    with store.sessions() as session:
        assert session.execute(select(func.count()).select_from(AuditEntry)).scalar_one() == 3
        assert session.get(AuditEntry, 1).actor == "张伟"
    assert _chain(store).ok


def test_cli_verify_audit_exit_codes(store, data_paths, worked_case, capsys):
    store.close()
    assert main(["verify-audit", "--data-dir", str(data_paths.root)]) == 0
    assert "审计记录完整" in capsys.readouterr().out
    assert main(["--data-dir", str(data_paths.root), "verify-audit"]) == 0
    capsys.readouterr()

    _tamper(data_paths.database, "UPDATE audit_log SET role = 'admin' WHERE seq = 2")
    assert main(["verify-audit", "--data-dir", str(data_paths.root)]) == 1
    assert "第 2 条校验失败" in capsys.readouterr().out


def test_cli_verify_audit_refuses_while_another_instance_runs(data_paths, capsys):
    from fx_desktop.instance_lock import acquire

    lock = acquire(data_paths.lock)
    try:
        with pytest.raises(SystemExit) as exc:
            main(["verify-audit", "--data-dir", str(data_paths.root)])
        assert exc.value.code == 1
        assert "已在使用数据目录" in capsys.readouterr().err
    finally:
        lock.release()
