"""full-text case search: bigram FTS5 index kept in sync by triggers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

See store/search_text.py for why bigrams. The table is contentless (the text lives in `cases`); triggers call the
deterministic SQL function fx_bigrams() that store.db registers on every connection, so the 'delete' command
receives exactly the tokens that were inserted.
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

COLUMNS = ("number", "party_name", "party_id_number", "place", "cause", "facts")
_values = lambda prefix: ", ".join(f"fx_bigrams({prefix}.{c})" for c in COLUMNS)  # noqa: E731
_names = ", ".join(COLUMNS)


def upgrade() -> None:
    op.execute(
        f"CREATE VIRTUAL TABLE case_search USING fts5({_names}, content='', "
        "tokenize='unicode61 remove_diacritics 0')"
    )
    op.execute(
        f"CREATE TRIGGER cases_search_ai AFTER INSERT ON cases BEGIN "
        f"INSERT INTO case_search(rowid, {_names}) VALUES (new.row_id, {_values('new')}); END"
    )
    op.execute(
        f"CREATE TRIGGER cases_search_ad AFTER DELETE ON cases BEGIN "
        f"INSERT INTO case_search(case_search, rowid, {_names}) VALUES ('delete', old.row_id, {_values('old')}); END"
    )
    op.execute(
        f"CREATE TRIGGER cases_search_au AFTER UPDATE OF {_names} ON cases BEGIN "
        f"INSERT INTO case_search(case_search, rowid, {_names}) VALUES ('delete', old.row_id, {_values('old')}); "
        f"INSERT INTO case_search(rowid, {_names}) VALUES (new.row_id, {_values('new')}); END"
    )
    op.execute(f"INSERT INTO case_search(rowid, {_names}) SELECT row_id, {_values('cases')} FROM cases")


def downgrade() -> None:
    for trigger in ("cases_search_ai", "cases_search_ad", "cases_search_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS case_search")
