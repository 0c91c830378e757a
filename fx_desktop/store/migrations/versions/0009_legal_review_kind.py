"""legal review rounds become their own record kind

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29

fx-bureau now syncs each legal review round as a record of its own (kind "legal_review", server migration 0005)
instead of inside the case row. Here `legal_reviews` gains what every synced kind has: its owner organisation
(the case's town), a local `version` and the `server_version` last pulled. It loses its foreign key to `cases`: a
round is pulled at its own place in the change sequence, so on a first pull it may arrive before its case (the
case's last change came later), as referrals do. SQLite cannot drop a foreign key, so the table is rebuilt.

Rounds already here came from the server inside their case (or were made here and wait to be pushed): a round of a
case the server knows is taken as the server's version 1, which the server gave every round it moved, unless a
submission of it still waits in the outbox. A round that changed on the server since comes again in the next pull
(the server gave every moved round a new sequence number), and the digest check catches any other difference.
Pending review mutations in the outbox now act on the round: kind legal_review, record_id the round's id.
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_COLUMNS = ("id", "case_id", "round_no", "status", "submitted_at", "submitted_by", "materials", "report",
            "accepted_on", "due_on", "extension_reason", "criteria", "outcome", "opinion", "reviewer", "reviewed_at",
            "opinion_number")
_REVIEW_MUTATIONS = "('submit_review', 'record_review', 'extend_review')"


def _table(name: str, *, case_fk: bool, kind_columns: bool) -> None:
    case_id = (sa.Column("case_id", sa.String(36), sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False)
               if case_fk else sa.Column("case_id", sa.String(36), nullable=False))
    extra = [sa.Column("owner_org", sa.String(32), nullable=False, server_default=""),
             sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
             sa.Column("server_version", sa.Integer())] if kind_columns else []
    op.create_table(
        name,
        sa.Column("id", sa.String(36), primary_key=True),
        case_id,
        sa.Column("round_no", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
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
        *extra,
    )


def _indexes() -> None:
    op.create_index("ix_legal_reviews_case_id", "legal_reviews", ["case_id"])
    op.create_index("ix_legal_reviews_status", "legal_reviews", ["status"])


def upgrade() -> None:
    columns = ", ".join(_COLUMNS)
    _table("legal_reviews_new", case_fk=False, kind_columns=True)
    op.execute(f"INSERT INTO legal_reviews_new ({columns}, owner_org, version, server_version) "
               f"SELECT {', '.join('r.' + c for c in _COLUMNS)}, c.town_code, 1, "
               "CASE WHEN c.server_version IS NOT NULL AND r.id NOT IN ("
               "  SELECT json_extract(args, '$.review_id') FROM outbox "
               "  WHERE state = 'pending' AND name = 'submit_review' AND json_extract(args, '$.review_id') IS NOT NULL"
               ") THEN 1 END "
               "FROM legal_reviews r JOIN cases c ON c.id = r.case_id")
    op.drop_table("legal_reviews")
    op.rename_table("legal_reviews_new", "legal_reviews")
    _indexes()
    op.execute("UPDATE outbox SET kind = 'legal_review', record_id = json_extract(args, '$.review_id') "
               f"WHERE name IN {_REVIEW_MUTATIONS} AND json_extract(args, '$.review_id') IS NOT NULL")


def downgrade() -> None:
    columns = ", ".join(_COLUMNS)
    op.execute("UPDATE outbox SET kind = 'case', record_id = case_id "
               f"WHERE name IN {_REVIEW_MUTATIONS}")
    _table("legal_reviews_old", case_fk=True, kind_columns=False)
    op.execute(f"INSERT INTO legal_reviews_old ({columns}) SELECT {columns} FROM legal_reviews "
               "WHERE case_id IN (SELECT id FROM cases)")
    op.drop_table("legal_reviews")
    op.rename_table("legal_reviews_old", "legal_reviews")
    _indexes()
