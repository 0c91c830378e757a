"""meetings (会商) and the consultation item list (协调会商事项清单)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30

Two new shared record kinds (fx_bureau.kinds): "meeting", owned by the convening town or the bureau, the invited
organisations and the units an agreed item names its parties; and "consultation_item", owned by the town or the
bureau that keeps the list, the units concerned its parties. The state lives in `data` (fx_desktop.domain.meeting);
the columns are what lists and filters need. Nothing existing changes: no data to move.
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_org", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_meetings_seq", "meetings", ["seq"])
    op.create_index("ix_meetings_owner_seq", "meetings", ["owner_org", "seq"])
    op.create_table(
        "consultation_items",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_org", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_consultation_items_seq", "consultation_items", ["seq"])
    op.create_index("ix_consultation_items_owner_seq", "consultation_items", ["owner_org", "seq"])
    op.create_index("ix_consultation_items_case_id", "consultation_items", ["case_id"])


def downgrade() -> None:
    op.drop_table("consultation_items")
    op.drop_table("meetings")
