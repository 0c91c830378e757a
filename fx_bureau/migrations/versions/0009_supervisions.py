"""supervision sheets (督办单)

Revision ID: 0009
Revises: 0007
Create Date: 2026-11-30

A new shared record kind, "supervision" (fx_bureau.kinds): a supervising office's (a town's, or the bureau's) sheet
following up an agreed item, a referral, a police request, a criminal referral or a free matter; the responsible
unit is a party (record_parties) once it is issued. The state lives in `data` (fx_desktop.domain.supervision); the
columns are what lists and filters need. Nothing existing changes: no data to move. (Revises 0007 on its branch;
re-chained after the meeting kind's 0008 at merge.)
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "supervisions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_org", sa.String(length=32), nullable=False),
        sa.Column("responsible_org", sa.String(length=32), nullable=False),
        sa.Column("source_kind", sa.String(length=20), nullable=True),
        sa.Column("source_id", sa.String(length=36), nullable=True),
        sa.Column("source_item", sa.Integer(), nullable=True),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("matter", sa.Text(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_supervisions_seq", "supervisions", ["seq"])
    op.create_index("ix_supervisions_owner_seq", "supervisions", ["owner_org", "seq"])
    op.create_index("ix_supervisions_responsible_org", "supervisions", ["responsible_org"])
    op.create_index("ix_supervisions_source_id", "supervisions", ["source_id"])


def downgrade() -> None:
    op.drop_table("supervisions")
