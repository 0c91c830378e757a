"""Bulk loads without the secondary indexes of `cases`: a first pull into an empty store and demo data insert up to
millions of cases, and keeping the register's filter and date indexes (status, town, category with the opening date
since migration 0010, opening date, decision deadline, the overdue filter's partial index of 0011) up to date row by
row made that ~45 % slower at 1,000,000 cases than building each once at the end from the finished table.

`loading()` drops them, with their DDL read from the live schema (sqlite_master) and recorded in `meta` under
MARKER in the same transaction, and builds them again from that record when the load ends, whether it succeeded or
not. Unique constraints and the primary key stay: the pull relies on them to notice a row it already has. A process
killed in between leaves the marker; open_store() calls repair() before anything else reads the store (every
program opening a data folder holds its instance lock first, so a marker found then is never a load going on)."""
from __future__ import annotations

import json
import logging
import os
import sys
from contextlib import contextmanager
from typing import Iterator

from sqlalchemy.orm import Session, sessionmaker

TABLE = "cases"
MARKER = "bulk_load.indexes"  # meta key: JSON [[name, sql], ...] of the indexes to build again
MIN_ROWS = 20_000  # into a table that holds cases: at least this many (and as many as it holds) to be worth it
HOLD = "FX_BULK_LOAD_HOLD"  # crash tests: "dropped" or "loaded" prints the point and waits for a line on stdin

log = logging.getLogger(__name__)


def _cursor(session: Session):
    return session.connection().connection.cursor()


def secondary_indexes(cur) -> list[tuple[str, str]]:
    """TABLE's indexes made by CREATE INDEX that are not UNIQUE, as (name, sql) from the live schema."""
    names = {row[1] for row in cur.execute(f"PRAGMA index_list({TABLE})") if row[2] == 0 and row[3] == "c"}
    rows = cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL "
                       "ORDER BY rowid", (TABLE,)).fetchall()
    return [(name, sql) for name, sql in rows if name in names]


def worth_it(cur, expected: int | None) -> bool:
    """Whether to drop the indexes for a load of `expected` cases (None: not known). Into an empty table always:
    building an index once from the finished table sorts its entries and writes each page once, which beats
    inserting them one by one at any size, and costs milliseconds when the load turns out small (a first pull
    does not know how many cases will come). Into a table that holds cases only for a load at least MIN_ROWS and
    at least as large as what is there, since the build reads the cases already there as well."""
    if not cur.execute(f"SELECT EXISTS (SELECT 1 FROM {TABLE})").fetchone()[0]:
        return True
    if expected is None or expected < MIN_ROWS:
        return False
    return cur.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0] <= expected


def interrupted(cur) -> bool:
    """A load dropped the indexes and did not build them again (its process was killed)."""
    if not cur.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone():
        return False  # a new database, no schema yet
    return cur.execute("SELECT 1 FROM meta WHERE key = ?", (MARKER,)).fetchone() is not None


def drop(cur) -> int:
    """Record the indexes in `meta` and drop them (in the caller's transaction). Returns how many."""
    indexes = secondary_indexes(cur)
    if not indexes:
        return 0
    cur.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (MARKER, json.dumps(indexes, ensure_ascii=False)))
    for name, _sql in indexes:
        cur.execute(f'DROP INDEX "{name}"')
    return len(indexes)


def restore(cur) -> int:
    """Build again the recorded indexes that are missing, from their recorded DDL, and clear the record (in the
    caller's transaction). Returns how many were built."""
    row = cur.execute("SELECT value FROM meta WHERE key = ?", (MARKER,)).fetchone()
    built = 0
    for name, sql in json.loads(row[0]) if row else ():
        if not cur.execute("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)).fetchone():
            cur.execute(sql)
            built += 1
    cur.execute("DELETE FROM meta WHERE key = ?", (MARKER,))
    return built


def repair(writes: sessionmaker[Session]) -> bool:
    """At start-up: build the indexes an interrupted load left dropped. True when there were some to build."""
    with writes.begin() as session:
        cur = _cursor(session)
        if not interrupted(cur):
            return False
        log.warning("上次批量导入案件时程序中断，正在重建案件表的索引……")
        built = restore(cur)
    log.warning("已重建 %d 个案件索引。", built)
    return True


def _hold(point: str) -> None:
    if os.environ.get(HOLD) == point:
        print(f"{HOLD} {point}", flush=True)
        sys.stdin.readline()  # the crash test kills the process while it waits here


@contextmanager
def loading(writes: sessionmaker[Session], *, expected: int | None = None) -> Iterator[bool]:
    """Around a load of `expected` cases (None: not known): the indexes dropped when worth_it(), then built again
    once the block ends, also when it raises (a failure to build them then is logged, the block's exception
    raised, and the marker left for the next start). Yields whether they were dropped. Build the search index
    after this block: it reads the cases in opening-date order, from ix_cases_opened."""
    with writes.begin() as session:
        cur = _cursor(session)
        if interrupted(cur):  # an earlier load here could not build them: never record an index-less schema
            restore(cur)
        dropped = worth_it(cur, expected) and drop(cur) > 0
    if not dropped:
        yield False
        return
    try:
        _hold("dropped")
        yield True
    except BaseException:
        try:
            with writes.begin() as session:
                restore(_cursor(session))
        except Exception:  # noqa: BLE001 - the load's own failure is what the caller must see
            log.exception("批量导入失败后未能重建案件索引，将在下次启动时重建。")
        _renew_pool(writes)
        raise
    _hold("loaded")
    try:
        with writes.begin() as session:
            restore(_cursor(session))
    finally:
        _renew_pool(writes)


def _renew_pool(writes: sessionmaker[Session]) -> None:
    """The engine's other pooled connections cached the schema from before the indexes were dropped and built
    again; one of them then failed a DELETE FROM cases with 'no such table: cases' (a resync after an organisation
    change). They are closed, and opened afresh when next needed (the load's own connection when it is returned)."""
    writes.kw["bind"].engine.dispose()
