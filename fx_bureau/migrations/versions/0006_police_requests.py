"""police assistance requests (公安协助)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30

A new shared record kind, "police_request" (fx_bureau.kinds): a town squad's (or the bureau's) request for police
help, owned by the applying organisation, the police station or sub-bureau it is addressed to a party
(record_parties). The state lives in `data` (fx_desktop.domain.police_request); the columns are what lists and
filters need. Nothing existing changes: no data to move.
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "police_requests",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_org", sa.String(length=32), nullable=False),
        sa.Column("station_org", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=True),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("situation", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("call_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_police_requests_seq", "police_requests", ["seq"])
    op.create_index("ix_police_requests_owner_seq", "police_requests", ["owner_org", "seq"])
    op.create_index("ix_police_requests_station_org", "police_requests", ["station_org"])
    op.create_index("ix_police_requests_case_id", "police_requests", ["case_id"])


def downgrade() -> None:
    op.drop_table("police_requests")
