"""Store migration 0012: a database at 0011 with cases gets the workbench's indexes, keeps its rows, and the
workbench's counts of a town's clocks are read from ix_cases_clocks alone (no case row)."""
from datetime import date

from sqlalchemy import text

from fx_desktop.services.demo import generate
from fx_desktop.store import migrate, open_store


def test_upgrade_from_0011_adds_the_workbench_indexes_and_the_counts_use_them(data_paths):
    store = open_store(data_paths)
    try:
        generate(store, 300, seed=3, as_of=date(2026, 7, 31))
        with store.engine.begin() as conn:
            conn.execute(text("DROP INDEX ix_cases_clocks"))
            conn.execute(text("DROP INDEX ix_case_officers_name"))
            conn.execute(text("UPDATE alembic_version SET version_num = '0011'"))
            before = conn.execute(text("SELECT * FROM cases ORDER BY row_id")).all()
    finally:
        store.close()
    store = open_store(data_paths)
    try:
        assert migrate.current_revision(store.engine) == migrate.HEAD
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT * FROM cases ORDER BY row_id")).all() == before
            names = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'")).scalars())
            assert {"ix_cases_clocks", "ix_case_officers_name"} <= names
            plan = " ".join(str(r[-1]) for r in conn.execute(text(
                "EXPLAIN QUERY PLAN SELECT count(*), sum(c.decision_due < '2026-07-31') FROM cases c "
                "WHERE c.town_code = 'nanqiao' AND c.status IN ('filed', 'investigating') "
                "AND c.decision_due IS NOT NULL")))
            assert "COVERING INDEX ix_cases_clocks" in plan
            officer = " ".join(str(r[-1]) for r in conn.execute(text(
                "EXPLAIN QUERY PLAN SELECT case_id FROM case_officers WHERE name = '王磊'")))
            assert "ix_case_officers_name" in officer
    finally:
        store.close()
