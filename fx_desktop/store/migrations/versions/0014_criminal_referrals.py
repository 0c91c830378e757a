"""criminal referrals (涉嫌犯罪案件移送): record kind criminal_referral

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30

`criminal_referrals` holds a town's referrals of suspected crimes to the police, and on a police organisation's or
the procuratorate's device those addressed or copied to it: the state (domain/criminal_referral.py) in `data`;
`party_orgs` the organisations that see it besides the owner (",code,code,", for the sync's visibility check);
`due_at` when the running clock ends, for the lists' order (ix_criminal_referrals_owner_due: a town's list is read
in that order from the index, 20,000 records without a sort). No foreign key to the case: the police have no case row.
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("criminal_referrals"):
        return  # a database whose version row was set back by hand (tests of older revisions do so)
    op.create_table(
        "criminal_referrals",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), index=True),
        sa.Column("owner_org", sa.String(32), nullable=False, index=True),
        sa.Column("receiving_org", sa.String(32), nullable=False, index=True),
        sa.Column("party_orgs", sa.String(200), nullable=False, server_default=""),
        sa.Column("number", sa.String(64), nullable=False, index=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("server_version", sa.Integer()),
        sa.Column("due_at", sa.DateTime(), index=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_criminal_referrals_owner_due", "criminal_referrals", ["owner_org", "due_at"])


def downgrade() -> None:
    op.drop_table("criminal_referrals")
