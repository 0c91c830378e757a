"""shared records: organisations, record kinds, referrals

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29

Organisations become reference data (towns keep their codes, so a case's town is its owner organisation); every
user belongs to one. The outbox, the conflicts and the audit trail name the kind of record they concern, so one
sync serves every kind (SYNC.md "Shared records"): `outbox.record_id` is the record a mutation acts on, its
`case_id` still the case concerned. `referrals` holds case referrals to departments, owned by the referring town
and shared with the receiving department; `next_due` is the day the clock now running falls due (for sorting).
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("code", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("short_name", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("parent", sa.String(32)),
    )
    op.execute("INSERT INTO organisations (code, name, short_name, kind) "
               "SELECT code, name, agency_code, 'town' FROM towns")
    op.execute("INSERT OR IGNORE INTO organisations (code, name, short_name, kind) "
               "SELECT code, name, name, CASE code WHEN 'cgzf' THEN 'bureau' ELSE 'department' END FROM departments")
    with op.batch_alter_table("users", recreate="never") as batch:
        batch.add_column(sa.Column("org_code", sa.String(32)))
    op.execute("UPDATE users SET org_code = COALESCE(town_code, 'cgzf')")
    with op.batch_alter_table("outbox", recreate="never") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="case"))
        batch.add_column(sa.Column("record_id", sa.String(36)))
    op.execute("UPDATE outbox SET record_id = case_id")
    op.create_index("ix_outbox_record", "outbox", ["kind", "record_id"])
    with op.batch_alter_table("sync_conflicts", recreate="never") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="case"))
    with op.batch_alter_table("audit_log", recreate="never") as batch:
        batch.add_column(sa.Column("kind", sa.String(16)))
        batch.add_column(sa.Column("record_id", sa.String(36)))
    op.create_table(
        "referrals",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), index=True),  # no foreign key: the receiving side has no case row
        sa.Column("owner_org", sa.String(32), nullable=False),
        sa.Column("receiving_org", sa.String(32), nullable=False),
        sa.Column("number", sa.String(64), nullable=False, index=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("server_version", sa.Integer()),
        sa.Column("next_due", sa.Date(), index=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("referrals")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("record_id")
        batch.drop_column("kind")
    with op.batch_alter_table("sync_conflicts") as batch:
        batch.drop_column("kind")
    op.drop_index("ix_outbox_record", "outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("record_id")
        batch.drop_column("kind")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("org_code")
    op.drop_table("organisations")
