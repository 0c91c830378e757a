"""Pausing the search-index triggers for a bulk load and rebuilding both indexes in one pass (migration 0004)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from . import meta

PAUSED = "search_paused"
COLUMNS = ("number", "party_name", "party_id_number", "place", "cause", "facts")
INDEXES = (("case_search", "fx_bigrams"), ("case_trigrams", "fx_norm"))


def pause(session: Session) -> None:
    meta.put(session, PAUSED, "1")


def paused(session: Session) -> bool:
    return meta.get(session, PAUSED) is not None


def rebuild(session: Session) -> None:
    """Empty both indexes and fill them from `cases`, then let the triggers run again (one transaction)."""
    names = ", ".join(COLUMNS)
    conn = session.connection()
    for table, fn in INDEXES:
        conn.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES ('delete-all')")
        values = ", ".join(f"{fn}({c})" for c in COLUMNS)
        conn.exec_driver_sql(f"INSERT INTO {table}(rowid, {names}) SELECT row_id, {values} FROM cases")
    conn.exec_driver_sql("DELETE FROM meta WHERE key = ?", (PAUSED,))
