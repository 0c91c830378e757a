"""the workbench reads a town's running clocks from one index

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30

The workbench (services/workbench.py) counts and lists a town's cases by status with their decision deadline or
decision date. Through ix_cases_town SQLite read every case row of the town (about 8,000 at 100,000 cases, each on
its own page) for each count: 1 s for the squad leader's first screen. ix_cases_clocks holds the town, the status
and both dates, so the counts are read from the index alone and only the rows listed are fetched. An officer's own
cases are found by their name on the case (ix_case_officers_name) instead of a scan of every officer row.
"""
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS ix_cases_clocks ON cases (town_code, status, decision_due, decided_on)")
    op.execute("CREATE INDEX IF NOT EXISTS ix_case_officers_name ON case_officers (name, case_id)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_case_officers_name")
    op.execute("DROP INDEX IF EXISTS ix_cases_clocks")
