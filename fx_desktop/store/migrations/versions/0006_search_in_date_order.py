"""search indexes keyed in the register's order

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26

The register lists cases newest first (opened_on, then row_id). Until now each index document's rowid was the
case's row_id, so a search that matched thousands of cases had to collect all of them before it could show the
newest 60. Now the rowid is the sort key itself, newest first: ((2**22 - day number of opened_on) << 40) +
(2**40 - 1 - row_id), so FTS5 hands out matches already in the register's order (ascending, its fast direction)
and a first page stops after 60 (store/search_index.py). Both indexes are rebuilt once; the triggers also re-key
a case whose opening date changes.
"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = ("number", "party_name", "party_id_number", "place", "cause", "facts")
_names = ", ".join(COLUMNS)
INDEXES = (  # table, tokenizer, SQL function that makes its text
    ("case_search", "unicode61 remove_diacritics 0", "fx_bigrams"),
    ("case_trigrams", "trigram", "fx_norm"),
)
ACTIVE = "NOT EXISTS (SELECT 1 FROM meta WHERE key = 'search_paused')"


def _key(prefix: str) -> str:
    return (f"(((4194304 - coalesce(CAST(julianday({prefix}.opened_on) AS INTEGER), 0)) << 40) "
            f"+ (1099511627775 - {prefix}.row_id))")


def _by_row_id(prefix: str) -> str:
    return f"{prefix}.row_id"


def _values(fn: str, prefix: str) -> str:
    return ", ".join(f"{fn}({prefix}.{c})" for c in COLUMNS)


def _rebuild(key, order: str | None) -> None:
    """Both indexes and their triggers made again; filled in `order`, or (None) left for open_store() to fill
    with store/search_index.rebuild(), which reports its progress."""
    for table, tokenizer, fn in INDEXES:
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {table}")
        op.execute(f"CREATE VIRTUAL TABLE {table} USING fts5({_names}, content='', tokenize='{tokenizer}')")
        delete = f"INSERT INTO {table}({table}, rowid, {_names}) VALUES ('delete', {key('old')}, {_values(fn, 'old')});"
        insert = f"INSERT INTO {table}(rowid, {_names}) VALUES ({key('new')}, {_values(fn, 'new')});"
        when = f"WHEN {ACTIVE}"
        op.execute(f"CREATE TRIGGER {table}_ai AFTER INSERT ON cases {when} BEGIN {insert} END")
        op.execute(f"CREATE TRIGGER {table}_ad AFTER DELETE ON cases {when} BEGIN {delete} END")
        op.execute(f"CREATE TRIGGER {table}_au AFTER UPDATE OF {_names}, opened_on ON cases {when} "
                   f"BEGIN {delete} {insert} END")
        # While a bulk pull has the triggers paused, store/search_index.rebuild() fills the index at its end.
        if order is None:
            continue
        op.execute(f"INSERT INTO {table}(rowid, {_names}) SELECT {key('cases')}, {_values(fn, 'cases')} FROM cases "
                   f"WHERE {ACTIVE} ORDER BY {order}")  # in key order: FTS5 writes ascending keys fastest
        op.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")


def upgrade() -> None:
    _rebuild(_key, None)
    op.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('search_paused', '1')")  # rebuilt by open_store()


def downgrade() -> None:
    _rebuild(_by_row_id, "row_id")
