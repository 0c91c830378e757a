"""legal review of major decisions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26

Cases gain the circumstances that can make a decision major (hearing held, demolition, ...) and the server's
`review_passed` flag; `legal_reviews` keeps every round of submission and its answer (a returned case is
resubmitted as a new round, so the history stays).
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", recreate="never") as batch:
        batch.add_column(sa.Column("circumstances", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("review_passed", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "legal_reviews",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("round_no", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_by", sa.String(64), nullable=False),
        sa.Column("materials", sa.JSON(), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("accepted_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("extension_reason", sa.Text()),
        sa.Column("criteria", sa.JSON()),
        sa.Column("outcome", sa.String(16)),
        sa.Column("opinion", sa.Text()),
        sa.Column("reviewer", sa.String(64)),
        sa.Column("reviewed_at", sa.DateTime()),
        sa.Column("opinion_number", sa.String(64)),
    )


def downgrade() -> None:
    op.drop_table("legal_reviews")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("review_passed")
        batch.drop_column("circumstances")
