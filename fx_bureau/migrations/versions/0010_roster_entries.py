"""the roster of officers and their enforcement certificates (人员与执法证) becomes a record kind

Revision ID: 0010
Revises: 0007
Create Date: 2026-11-30

`roster_entries` holds each town's officers with their enforcement certificates (record kind "roster_entry" in
fx_bureau.kinds): the state made by fx_desktop.domain.roster in `data`, the owner (the town), name, certificate
number, expiry and whether the officer is active, version and seq. Not shared: the town and the bureau see it.
The revision chains from 0007 on this branch; the lead re-chains it after 0008 and 0009 at merge.
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "roster_entries",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_org", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("cert_no", sa.String(length=32), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_roster_entries_owner_seq", "roster_entries", ["owner_org", "seq"])
    op.create_index("ix_roster_entries_seq", "roster_entries", ["seq"])
    op.create_index("ix_roster_entries_owner_cert", "roster_entries", ["owner_org", "cert_no"])


def downgrade() -> None:
    op.drop_table("roster_entries")
