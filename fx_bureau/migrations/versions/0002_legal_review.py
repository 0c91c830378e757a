"""legal review rounds on cases

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26

Every round of a case's legal review travels with the case (like its evidence), so a pulled case always brings
its review history and a device can never hold a case without the reviews that decide what it may do.
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("reviews", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("reviews")
