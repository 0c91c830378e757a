"""The two search indexes' document keys, and pausing their triggers for a bulk load then rebuilding both in one
pass (migrations 0004, 0006).

A document's rowid is the case's place in the register's default order, newest first: ((2**22 - day number of
opened_on) << 40) + (2**40 - 1 - row_id). FTS5 returns matches in rowid order, fastest ascending, so a search
lists its newest cases without collecting every match; `row_id_of()` turns a key back into the case's row_id."""
from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from sqlalchemy.orm import Session

from . import meta
from .search_text import bigrams_of_normalized, normalize

PAUSED = "search_paused"
COLUMNS = ("number", "party_name", "party_id_number", "place", "cause", "facts")
INDEXES = (("case_search", "fx_bigrams"), ("case_trigrams", "fx_norm"))
ROW_BITS = 40  # row_ids below 2**40; julianday numbers (below 2**22) above them: the key stays a positive int64
_ROWS, _DAYS = (1 << ROW_BITS) - 1, 1 << 22


def key_sql(table: str) -> str:
    """SQL for the index key of `table`'s row (the same expression as the triggers of migration 0006)."""
    return (f"((({_DAYS} - coalesce(CAST(julianday({table}.opened_on) AS INTEGER), 0)) << {ROW_BITS}) "
            f"+ ({_ROWS} - {table}.row_id))")


def row_id_of(key_expr: str) -> str:
    """SQL turning an index key back into cases.row_id."""
    return f"({_ROWS} - ({key_expr} & {_ROWS}))"


def pause(session: Session) -> None:
    meta.put(session, PAUSED, "1")


def paused(session: Session) -> bool:
    return meta.get(session, PAUSED) is not None


REBUILD_CHUNK = 2000  # cases read, tokenised and written at a time by rebuild()


def _documents(rows: list[tuple]) -> dict[str, list[tuple]]:
    """Each case's row of both indexes (by the SQL function of INDEXES that makes its text), from (key,
    *COLUMNS): the fields normalised once for both, into what the triggers' fx_bigrams and fx_norm make of them,
    so both ways of filling an index give the same documents."""
    normalized = [(key, *map(normalize, values)) for key, *values in rows]
    return {"fx_norm": normalized,
            "fx_bigrams": [(key, *map(bigrams_of_normalized, values)) for key, *values in normalized]}


Progress = Callable[[int, int], None]  # (cases indexed so far, cases in all)


def rebuild(session: Session, progress: Progress | None = None) -> None:
    """Empty both indexes and fill them from `cases`, merged into one segment each, then let the triggers run
    again (one transaction). The cases are read in key order, the opening-date index walked backwards: FTS5
    writes ascending keys straight into its segments, where descending ones make it flush at every row (measured
    at 100,000 cases: 12 s, not 28 s). Each chunk's text is tokenised on a thread of its own while the chunk
    before is written, which SQLite does without holding Python's lock. `progress(done, total)` is called once
    before the first chunk (0, total) and after each chunk is written, done rising to total (then the indexes
    are merged into one segment each, ~2 s at 100,000 cases)."""
    names = ", ".join(COLUMNS)
    session.flush()  # what the session holds goes first: the work below is done on its connection directly
    cur = session.connection().connection.cursor()
    for table, _fn in INDEXES:
        cur.execute(f"INSERT INTO {table}({table}) VALUES ('delete-all')")
    inserts = [(f"INSERT INTO {table}(rowid, {names}) VALUES ({', '.join('?' * (len(COLUMNS) + 1))})", fn)
               for table, fn in INDEXES]
    reader = session.connection().connection.cursor()
    total = reader.execute("SELECT count(*) FROM cases").fetchone()[0] if progress else 0
    done = 0
    if progress:
        progress(0, total)
    reader.execute(f"SELECT {key_sql('cases')}, {names} FROM cases ORDER BY opened_on DESC, row_id DESC")
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="fx-index") as pool:
        made = None
        while True:
            rows = reader.fetchmany(REBUILD_CHUNK)
            ahead = pool.submit(_documents, rows) if rows else None
            if made is not None:
                documents = made.result()
                for sql, fn in inserts:
                    cur.executemany(sql, documents[fn])
                if progress:
                    done += len(documents["fx_norm"])
                    progress(min(done, total), total)
            if ahead is None:
                break
            made = ahead
    for table, _fn in INDEXES:
        cur.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")  # one segment: reads ~2x faster
    cur.execute("DELETE FROM meta WHERE key = ?", (PAUSED,))


def merge_segments(conn: sqlite3.Connection, *, pages: int = 500) -> int:
    """Merge each index's segments into one, `pages` leaf pages per transaction, so a writer waits at most a step
    (~0.1 s at 100,000 cases) rather than the ~2 s an 'optimize' takes. Cases saved one at a time leave many
    small segments behind; a search reads every segment, so merged indexes answer about twice as fast.
    Returns the number of steps that merged something."""
    steps = 0
    for table, _fn in INDEXES:
        while True:
            before = conn.total_changes
            conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('merge', ?)", (-pages,))
            conn.commit()
            if conn.total_changes - before < 2:  # FTS5's sign that there was nothing left to merge
                break
            steps += 1
    return steps
