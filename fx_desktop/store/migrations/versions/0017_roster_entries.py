"""the roster of officers and their enforcement certificates (人员与执法证)

Revision ID: 0017
Revises: 0014
Create Date: 2026-11-30

A new synced record kind, "roster_entry" (sync/kinds.py): a town's officers with their certificates. The page, the
workbench and the filing check read a town's active entries by expiry, hence the index. Nothing existing changes.
The revision chains from 0014 on this branch; the lead re-chains it after 0015 and 0016 at merge.
"""
import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("roster_entries"):  # a database marked older than it is (tests do)
        return
    op.create_table(
        "roster_entries",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("owner_org", sa.String(32), nullable=False),
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("cert_no", sa.String(32), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("server_version", sa.Integer()),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.execute("CREATE INDEX IF NOT EXISTS ix_roster_entries_cert_no ON roster_entries (cert_no)")
    op.execute("CREATE INDEX IF NOT EXISTS ix_roster_entries_owner_expires "
               "ON roster_entries (owner_org, active, expires_on)")


def downgrade() -> None:
    op.drop_table("roster_entries")
