"""search index triggers can be paused during a first pull

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

A first pull brings every case of a town (100,000 for the bureau). Updating both search indexes row by row from
the triggers costs more than the rest of the pull; instead the triggers stand still while meta holds
`search_paused` and store/search_index.rebuild() builds both indexes once at the end (or at the next start if the
pull was interrupted). Nothing is deleted from an index while paused, so a contentless index never receives a
'delete' for a row it does not hold.
"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = ("number", "party_name", "party_id_number", "place", "cause", "facts")
_names = ", ".join(COLUMNS)
INDEXES = (("case_search", "fx_bigrams"), ("case_trigrams", "fx_norm"))
ACTIVE = "NOT EXISTS (SELECT 1 FROM meta WHERE key = 'search_paused')"


def _values(fn: str, prefix: str) -> str:
    return ", ".join(f"{fn}({prefix}.{c})" for c in COLUMNS)


def _triggers(when: str) -> None:
    for table, fn in INDEXES:
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_{suffix}")
        delete = f"INSERT INTO {table}({table}, rowid, {_names}) VALUES ('delete', old.row_id, {_values(fn, 'old')});"
        insert = f"INSERT INTO {table}(rowid, {_names}) VALUES (new.row_id, {_values(fn, 'new')});"
        op.execute(f"CREATE TRIGGER {table}_ai AFTER INSERT ON cases {when} BEGIN {insert} END")
        op.execute(f"CREATE TRIGGER {table}_ad AFTER DELETE ON cases {when} BEGIN {delete} END")
        op.execute(f"CREATE TRIGGER {table}_au AFTER UPDATE OF {_names} ON cases {when} BEGIN {delete} {insert} END")


def upgrade() -> None:
    _triggers(f"WHEN {ACTIVE}")


def downgrade() -> None:
    _triggers("")
