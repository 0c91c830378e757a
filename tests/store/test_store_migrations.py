"""Schema upgrades: an old database keeps its rows, gains the search index, and is backed up first."""
import json
import sqlite3
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from fx_desktop.store import audit, backups, migrate, open_store
from fx_desktop.store.case_queries import CaseFilter, CaseQueries
from fx_desktop.store.db import make_engine

OLD_TOWNS = [
    ("nanqiao", "南桥镇", "镇", "奉南桥"),
    ("fengcheng", "奉城镇", "镇", "奉奉城"),
]
OLD_CASES = [
    # id, number, town, cause, category, status, party_name, party_id_number, place, facts
    ("00000000-0000-4000-8000-000000000001", "奉南桥综执立〔2025〕0001号", "nanqiao", "擅自搭建建筑物、构筑物",
     "违法建筑", "clue", "欧阳娜", "34052419800101001X", "奉贤区解放东路12号",
     "当事人在解放东路12号屋顶擅自搭建彩钢板违建约40平方米。"),
    ("00000000-0000-4000-8000-000000000002", "奉南桥综执立〔2025〕0002号", "nanqiao", "擅自占用道路从事经营活动",
     "市容环境", "filed", "王小明", None, "奉贤区江海路88号门前",
     "当事人在人行道上擅自设摊经营水果，占地约6平方米。"),
    ("00000000-0000-4000-8000-000000000003", "奉奉城综执立〔2025〕0001号", "fengcheng", "餐饮油烟超标排放",
     "环境保护", "closed", "上海鑫盛餐饮管理有限公司", "91350100M000100Y43", "奉贤区奉城大街300号",
     "油烟净化设施未正常使用，油烟直排，周边居民多次投诉。"),
]


def _build_0001_database(paths) -> None:
    paths.ensure()
    engine = make_engine(paths.database)
    try:
        migrate.upgrade(engine, "0001")
        assert migrate.current_revision(engine) == "0001"
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO towns (code, name, kind, agency_code) VALUES (:c, :n, :k, :a)"),
                         [dict(c=c, n=n, k=k, a=a) for c, n, k, a in OLD_TOWNS])
            for cid, number, town, cause, cat, status, name, pid, place, facts in OLD_CASES:
                conn.execute(text(
                    "INSERT INTO cases (id, number, town_code, source, cause, category, status, party_kind, "
                    "party_name, party_id_number, place, occurred_at, facts, legal_basis, opened_on, created_by, "
                    "updated_at, version) VALUES (:id, :number, :town, '巡查发现', :cause, :cat, :status, "
                    ":kind, :name, :pid, :place, '2025-03-01 09:30:00.000000', :facts, '', '2025-03-02', "
                    "'张伟', '2025-03-02 10:00:00.000000', 1)"),
                    dict(id=cid, number=number, town=town, cause=cause, cat=cat, status=status,
                         kind="org" if name.startswith("上海") else "person", name=name, pid=pid, place=place,
                         facts=facts))
                conn.execute(text("INSERT INTO case_officers (case_id, position, name, cert_no) "
                                  "VALUES (:c, 0, '王磊', '31200001'), (:c, 1, '陈静', '31200002')"), {"c": cid})
        with engine.begin() as conn:  # as the 0001 schema stored them (no record kind columns)
            prev = audit.GENESIS
            for i, (cid, number, *_rest) in enumerate(OLD_CASES):
                at, detail = datetime(2025, 3, 2, 10, i), {"number": number}
                entry = audit.digest(prev, at, "张伟", "squad_leader", cid, "create", detail)
                conn.execute(text("INSERT INTO audit_log (at, actor, role, case_id, action, detail, prev_hash, hash) "
                                  "VALUES (:at, '张伟', 'squad_leader', :c, 'create', :d, :p, :h)"),
                             dict(at=at.isoformat(sep=" ", timespec="microseconds"), c=cid,
                                  d=json.dumps(detail), p=prev, h=entry))
                prev = entry
    finally:
        engine.dispose()


def _dump(db_path, table: str, order: str) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
    finally:
        conn.close()


def test_head_constant_matches_alembic_scripts():
    assert migrate.HEAD == migrate.alembic_head()


def test_upgrade_from_0001_keeps_rows_indexes_them_and_backs_up_first(data_paths):
    _build_0001_database(data_paths)
    before = {t: _dump(data_paths.database, t, o) for t, o in
              (("cases", "row_id"), ("case_officers", "id"), ("audit_log", "seq"), ("towns", "code"))}
    assert len(before["cases"]) == 3

    store = open_store(data_paths, now=datetime(2026, 5, 1, 8, 0, 0))
    try:
        assert migrate.current_revision(store.engine) == migrate.HEAD
        for table, order in (("cases", "row_id"), ("case_officers", "id"), ("audit_log", "seq")):
            after = _dump(data_paths.database, table, order)
            width = len(before[table][0])  # later revisions may add columns (0003: cases.server_version)
            assert [row[:width] for row in after] == before[table], table
        # towns from 0001 are still there (reference data only adds to them)
        assert set(before["towns"]) <= set(_dump(data_paths.database, "towns", "code"))

        queries = CaseQueries(store.engine)

        def found(q: str) -> set[str]:
            lq, total = queries.prepare(CaseFilter(text=q))
            ids = {row[0] for row in queries.page(lq, limit=100)}
            assert total == len(ids)
            return ids

        assert found("欧阳") == {OLD_CASES[0][0]}
        assert found("违建") == {OLD_CASES[0][0]}
        assert found("江海路") == {OLD_CASES[1][0]}
        assert found("001x") == {OLD_CASES[0][0]}
        assert found("〔2025〕0001") == {OLD_CASES[0][0], OLD_CASES[2][0]}
        assert found("油烟") == {OLD_CASES[2][0]}
        assert found("奉") == {c[0] for c in OLD_CASES}

        with store.sessions() as session:
            report = audit.verify_chain(session)
        assert report.ok and report.checked == 3
    finally:
        store.close()

    made = backups.list_backups(data_paths.backups)
    assert [p.name for p in made] == [f"fx-desktop-20260501-080000-before-{migrate.HEAD}.sqlite"]
    conn = sqlite3.connect(made[0])
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'case_search'").fetchone()[0] == 0
        assert conn.execute("SELECT * FROM cases ORDER BY row_id").fetchall() == before["cases"]
    finally:
        conn.close()

    # Opening again at HEAD makes no further backup.
    open_store(data_paths, now=datetime(2026, 5, 2, 8, 0, 0)).close()
    assert backups.list_backups(data_paths.backups) == made


def test_new_database_is_created_at_head_without_backup(data_paths):
    store = open_store(data_paths)
    try:
        assert migrate.current_revision(store.engine) == migrate.HEAD
        with store.engine.connect() as conn:
            names = set(conn.execute(text("SELECT name FROM sqlite_master")).scalars())
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert {"cases", "audit_log", "outbox", "case_search", "case_trigrams", "audit_log_no_update",
                "audit_log_no_delete", "case_search_ai", "case_search_au", "case_search_ad", "case_trigrams_ai",
                "case_trigrams_au", "case_trigrams_ad"} <= names
    finally:
        store.close()
    assert backups.list_backups(data_paths.backups) == []


def test_a_newer_shipped_reference_keeps_the_servers_holiday_calendar(data_paths):
    """The application's own reference document (towns, templates, review rules) replaces an older stored one, but
    the holiday calendars only the bureau server distributes stay until the server sends a newer document."""
    import json

    from fx_desktop.store import meta, reference

    store = open_store(data_paths)
    try:
        with store.writes.begin() as session:
            old = {**reference.shipped(), "version": 1, "holidays": {"2027": {"holidays": ["2027-01-01"]}}}
            meta.put(session, "reference", json.dumps(old, ensure_ascii=False))
            meta.put(session, "reference_version", "1")
            assert reference.load(session)
            now = reference.current(session)
        assert now["version"] == reference.shipped()["version"] and "legal_review" in now
        assert now["holidays"] == {"2027": {"holidays": ["2027-01-01"]}}
    finally:
        store.close()


def test_an_upgrade_that_changes_the_search_index_rebuilds_it_reporting_progress(data_paths, monkeypatch):
    """Migrations 0006 and 0008 change the search indexes: the upgrade marks them for a rebuild, which open_store()
    does after the upgrades with progress (done, total) for the window that waits for it — rising to total —
    and the search then finds what the upgraded database holds."""
    from fx_desktop.store import search_index

    _build_0001_database(data_paths)
    monkeypatch.setattr(search_index, "REBUILD_CHUNK", 1)  # one report per case
    reports: list[tuple[int, int]] = []
    store = open_store(data_paths, progress=lambda done, total: reports.append((done, total)))
    try:
        assert reports == [(0, 3), (1, 3), (2, 3), (3, 3)]
        with store.sessions() as session:
            assert not search_index.paused(session)
        lq, total = CaseQueries(store.engine).prepare(CaseFilter(text="江海路"))
        assert total == 1
    finally:
        store.close()
    reports.clear()
    open_store(data_paths, progress=lambda done, total: reports.append((done, total))).close()
    assert reports == []  # at HEAD with its index built: nothing to rebuild, nothing reported
