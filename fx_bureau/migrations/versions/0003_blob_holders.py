"""who proved possession of a blob

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27

Knowing a blob's sha256 is no longer enough to use it: a user attaches or reads a blob only when their town's cases
already use it (blob_refs), they are bureau staff, or they uploaded its bytes themselves (this table). No backfill:
blobs stored before this change stay readable and attachable wherever blob_refs already lets them be, and a user
who uploaded a blob but never attached it uploads the bytes once more (the client does so on `missing_blob`).
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blob_holders",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("sha256", "user_id"),
    )


def downgrade() -> None:
    op.drop_table("blob_holders")
