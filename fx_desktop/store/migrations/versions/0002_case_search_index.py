"""full-text case search: bigram and trigram FTS5 indexes kept in sync by triggers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

See store/search_text.py for why two indexes. Both are contentless (the text lives in `cases`); triggers call the
deterministic SQL functions fx_bigrams() and fx_norm() that store.db registers on every connection, so each
'delete' command receives exactly the tokens that were inserted.
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

COLUMNS = ("number", "party_name", "party_id_number", "place", "cause", "facts")
_names = ", ".join(COLUMNS)
INDEXES = (  # table, tokenizer, SQL function that makes its text
    ("case_search", "unicode61 remove_diacritics 0", "fx_bigrams"),
    ("case_trigrams", "trigram", "fx_norm"),
)


def _values(fn: str, prefix: str) -> str:
    return ", ".join(f"{fn}({prefix}.{c})" for c in COLUMNS)


def upgrade() -> None:
    for table, tokenizer, fn in INDEXES:
        op.execute(f"CREATE VIRTUAL TABLE {table} USING fts5({_names}, content='', tokenize='{tokenizer}')")
        delete = f"INSERT INTO {table}({table}, rowid, {_names}) VALUES ('delete', old.row_id, {_values(fn, 'old')});"
        insert = f"INSERT INTO {table}(rowid, {_names}) VALUES (new.row_id, {_values(fn, 'new')});"
        op.execute(f"CREATE TRIGGER {table}_ai AFTER INSERT ON cases BEGIN {insert} END")
        op.execute(f"CREATE TRIGGER {table}_ad AFTER DELETE ON cases BEGIN {delete} END")
        op.execute(f"CREATE TRIGGER {table}_au AFTER UPDATE OF {_names} ON cases BEGIN {delete} {insert} END")
        op.execute(f"INSERT INTO {table}(rowid, {_names}) SELECT row_id, {_values(fn, 'cases')} FROM cases")


def downgrade() -> None:
    for table, _tokenizer, _fn in INDEXES:
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {table}")
