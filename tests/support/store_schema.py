"""What a crash test reads of a store file without opening it through open_store (which would repair it): the case
table's indexes, the bulk load's marker, the rows; and the plan of the register's status filter."""
from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from pathlib import Path

from fx_desktop.store import bulk_load
from fx_desktop.store.case_queries import CaseFilter, CaseQueries


def _read(database: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as conn:
        return conn.execute(sql, params).fetchall()


def case_indexes(database: Path) -> list[tuple[str, str | None]]:
    """Every index of the cases table, (name, sql), the unique ones SQLite made included (sql None)."""
    return _read(database, "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cases' "
                           "ORDER BY name")


def marker(database: Path) -> str | None:
    found = _read(database, "SELECT value FROM meta WHERE key = ?", (bulk_load.MARKER,))
    return found[0][0] if found else None


def cases_digest(database: Path) -> tuple[int, str]:
    """How many cases, and a hash of every column of every one of them."""
    rows = _read(database, "SELECT * FROM cases ORDER BY id")
    return len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()


def status_filter_plan(store, status: str = "filed") -> list[str]:
    """EXPLAIN QUERY PLAN of the register's first page filtered by status."""
    queries = CaseQueries(store.engine)
    try:
        sql, params = queries.page_sql(queries.plan(CaseFilter(status=status)))
        return [row[3] for row in queries._all(f"EXPLAIN QUERY PLAN {sql}", {**params, "limit": 60, "offset": 0})]
    finally:
        queries.close()


def uses_status_index(plan: list[str]) -> bool:
    return plan[0].startswith("SEARCH c USING INDEX ix_cases_status") and not any("TEMP B-TREE" in s for s in plan)
