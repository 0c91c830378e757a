"""supervision sheets (督办单): record kind supervision

Revision ID: 0016
Revises: 0014
Create Date: 2026-11-30

`supervisions` holds the sheets a town's office (or the bureau) issued, and on a responsible unit's device those
addressed to it: the state (domain/supervision.py) in `data`; the columns are what the lists filter and sort by (the
deadline as YYYY-MM-DD text). (Revises 0014 on its branch; re-chained after the meeting kind's 0015 at merge.)
"""
import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("supervisions"):
        return  # a database whose version row was set back by hand (tests of older revisions do so)
    op.create_table(
        "supervisions",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("owner_org", sa.String(32), nullable=False),
        sa.Column("responsible_org", sa.String(32), nullable=False),
        sa.Column("source_kind", sa.String(20)),
        sa.Column("source_id", sa.String(36), index=True),
        sa.Column("source_item", sa.Integer()),
        sa.Column("number", sa.String(64), nullable=False),
        sa.Column("matter", sa.Text(), nullable=False),
        sa.Column("deadline", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("server_version", sa.Integer()),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_supervisions_owner_deadline", "supervisions",
                    ["owner_org", "deadline", "status", "responsible_org"])
    op.create_index("ix_supervisions_responsible_deadline", "supervisions",
                    ["responsible_org", "deadline", "status", "owner_org"])


def downgrade() -> None:
    op.drop_table("supervisions")
