"""meetings (会商) and the consultation item list (协调会商事项清单)

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30

Two new synced record kinds (sync/kinds.py): "meeting", convened by a town or the bureau, seen by the organisations
invited and those its agreed items name (party_orgs); "consultation_item", the list a town or the bureau keeps,
seen by the units concerned. The list of meetings is read by organisation and time. Nothing existing changes.
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if not inspector.has_table("meetings"):  # a database marked older than it is (tests do)
        op.create_table(
            "meetings",
            sa.Column("id", sa.String(36), primary_key=True),
            sa.Column("owner_org", sa.String(32), nullable=False),
            sa.Column("party_orgs", sa.Text(), nullable=False, server_default=""),
            sa.Column("kind", sa.String(16), nullable=False),
            sa.Column("number", sa.String(64), nullable=False),
            sa.Column("title", sa.String(200), nullable=False),
            sa.Column("starts_at", sa.String(32), nullable=False),
            sa.Column("status", sa.String(16), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
            sa.Column("server_version", sa.Integer()),
            sa.Column("data", sa.JSON(), nullable=False),
            sa.Column("updated_at", sa.DateTime(), nullable=False),
        )
        op.execute("CREATE INDEX IF NOT EXISTS ix_meetings_owner_starts ON meetings (owner_org, starts_at)")
    if not inspector.has_table("consultation_items"):
        op.create_table(
            "consultation_items",
            sa.Column("id", sa.String(36), primary_key=True),
            sa.Column("owner_org", sa.String(32), nullable=False, index=True),
            sa.Column("party_orgs", sa.Text(), nullable=False, server_default=""),
            sa.Column("case_id", sa.String(36), index=True),
            sa.Column("status", sa.String(16), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
            sa.Column("server_version", sa.Integer()),
            sa.Column("data", sa.JSON(), nullable=False),
            sa.Column("updated_at", sa.DateTime(), nullable=False),
        )


def downgrade() -> None:
    op.drop_table("consultation_items")
    op.drop_table("meetings")
