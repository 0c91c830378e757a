"""six-digit grams in the bigram search index

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29

A query of six digits or more (a birth date, an ID-number or case-number fragment) matched a phrase of trigrams
that each occur in a large share of the cases ("202", "198", "012"): at 1,000,000 cases one such search took
~50 ms. fx_bigrams() now also writes the overlapping six-digit grams of every long digit run into the bigram index
(store/search_text.py), where those queries find their few documents in well under a millisecond. The index is a
contentless FTS5 table: a document can only be deleted with the tokens it was written with, so it is rebuilt here
with the new function: the upgrade marks the indexes for a rebuild (the pause of a bulk load) and open_store()
rebuilds both right after the upgrades, reporting its progress to the window that waits for it
(store/search_index.rebuild()); done here in one SQL statement it took ~15 s at 100,000 cases, silently.
"""
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLE = "case_search"
COLUMNS = ("number", "party_name", "party_id_number", "place", "cause", "facts")
ACTIVE = "NOT EXISTS (SELECT 1 FROM meta WHERE key = 'search_paused')"
NEEDS_REBUILD = "INSERT OR REPLACE INTO meta (key, value) VALUES ('search_paused', '1')"  # search_index.PAUSED
KEY = ("(((4194304 - coalesce(CAST(julianday(opened_on) AS INTEGER), 0)) << 40) "
       "+ (1099511627775 - row_id))")


def _rebuild(fn: str) -> None:
    names = ", ".join(COLUMNS)
    values = ", ".join(f"{fn}({c})" for c in COLUMNS)
    op.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('delete-all')")
    op.execute(f"INSERT INTO {TABLE}(rowid, {names}) SELECT {KEY}, {values} FROM cases WHERE {ACTIVE} "
               "ORDER BY opened_on DESC, row_id DESC")
    op.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")


def upgrade() -> None:
    op.execute(NEEDS_REBUILD)


def _bigrams_0007(text: str | None) -> str:
    """fx_bigrams() as it was before this revision: the bigrams and the last character, no digit grams."""
    from fx_desktop.store.search_text import normalize

    n = normalize(text)
    return n if len(n) < 2 else " ".join(a + b for a, b in zip(n, n[1:])) + " " + n[-1]


def downgrade() -> None:
    op.get_bind().connection.driver_connection.create_function("fx_bigrams_0007", 1, _bigrams_0007,
                                                               deterministic=True)
    _rebuild("fx_bigrams_0007")
