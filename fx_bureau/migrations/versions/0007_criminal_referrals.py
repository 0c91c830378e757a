"""criminal referrals (涉嫌犯罪案件移送) become a record kind

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30

`criminal_referrals` holds the cases a town refers to the police as suspected crimes (record kind
"criminal_referral" in fx_bureau.kinds): the state made by fx_desktop.domain.criminal_referral in `data`, the
owner (the case's town), the police organisation it is addressed to, the case, the official number of the 移送书
(unique), status, version and seq. The police organisation and the procuratorate see it through record_parties
from the moment it is sent.

The kind's name has 17 characters: the columns that name a record kind (mutation_log.kind, record_parties.kind,
conflicts.kind, tombstones.entity) widen from 16 to 32 characters. Only PostgreSQL holds text to its declared
length; SQLite's tables are left as they are (rebuilding mutation_log there would copy every mutation ever logged).
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


KIND_COLUMNS = (("mutation_log", "kind"), ("record_parties", "kind"), ("conflicts", "kind"), ("tombstones", "entity"))


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, column in KIND_COLUMNS:
            op.alter_column(table, column, type_=sa.String(length=32), existing_type=sa.String(length=16))
    op.create_table(
        "criminal_referrals",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_org", sa.String(length=32), nullable=False),
        sa.Column("receiving_org", sa.String(length=32), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    op.create_index("ix_criminal_referrals_case_id", "criminal_referrals", ["case_id"])
    op.create_index("ix_criminal_referrals_seq", "criminal_referrals", ["seq"])
    op.create_index("ix_criminal_referrals_owner_seq", "criminal_referrals", ["owner_org", "seq"])


def downgrade() -> None:
    op.drop_table("criminal_referrals")
    if op.get_bind().dialect.name == "postgresql":
        for table, column in KIND_COLUMNS:
            op.alter_column(table, column, type_=sa.String(length=16), existing_type=sa.String(length=32))
