"""police assistance requests (公安协助)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30

A new synced record kind, "police_request" (sync/kinds.py): the squad's requests for police help and, on a police
station's client, the requests addressed to it. Lists filter by owner or station and period (call_at), so each has
an index led by the organisation and the call time, which also holds what the filters and the figures read.
Nothing existing changes.
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


# the list's order (call_at) after the organisation, then what its filters and figures read: covering indexes
INDEXES = {"ix_police_requests_owner_call": ("owner_org", "call_at", "station_org", "status", "situation",
                                             "arrival_minutes"),
           "ix_police_requests_station_call": ("station_org", "call_at", "owner_org", "status", "situation",
                                               "arrival_minutes")}


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("police_requests"):  # a database marked older than it is (tests do)
        return
    op.create_table(
        "police_requests",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), index=True),  # no foreign key: the station has no case row
        sa.Column("owner_org", sa.String(32), nullable=False),
        sa.Column("station_org", sa.String(32), nullable=False),
        sa.Column("number", sa.String(64), nullable=False),
        sa.Column("situation", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("call_at", sa.DateTime()),
        sa.Column("arrival_minutes", sa.Integer()),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("server_version", sa.Integer()),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    for name, columns in INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON police_requests ({', '.join(columns)})")


def downgrade() -> None:
    op.drop_table("police_requests")
