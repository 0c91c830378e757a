"""sync: server versions of cases, per-owner outbox numbering and outcomes, conflicts, sync history

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

Existing outbox rows (made before accounts existed) are numbered 1..n for their owner '' (the local profile);
the first account that logs in on this database adopts them (sync/session.py).
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("server_version", sa.Integer(), nullable=True))
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("owner", sa.String(length=64), nullable=False, server_default=""))
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("case_id", sa.String(length=36), nullable=True))
        batch.add_column(sa.Column("done_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE outbox SET seq = mutation_id, case_id = json_extract(args, '$.case_id')")
    op.create_index("ix_outbox_owner_state", "outbox", ["owner", "state", "seq"])
    op.create_index("ix_outbox_case_id", "outbox", ["case_id"])
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("base", sa.JSON(), nullable=True),
        sa.Column("mine", sa.JSON(), nullable=True),
        sa.Column("theirs", sa.JSON(), nullable=True),
        sa.Column("mine_by", sa.String(length=64), nullable=False),
        sa.Column("mine_client", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("resolution", sa.JSON(), nullable=True),
        sa.Column("resolved_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_sync_conflicts_case_id", "sync_conflicts", ["case_id"])
    op.create_table(
        "sync_runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("ok", sa.Integer(), nullable=False),
        sa.Column("pushed", sa.Integer(), nullable=False),
        sa.Column("pulled", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("conflicts", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("sync_runs")
    op.drop_table("sync_conflicts")
    op.drop_index("ix_outbox_case_id", "outbox")
    op.drop_index("ix_outbox_owner_state", "outbox")
    with op.batch_alter_table("outbox") as batch:
        for name in ("done_at", "case_id", "reason", "seq", "owner"):
            batch.drop_column(name)
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("server_version")
