"""legal review rounds become their own record kind

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29

Until now every round of a case's legal review lived in the case row (`cases.reviews`, a JSON list) and travelled
inside it. Now each round is a row of `legal_reviews` (record kind "legal_review" in fx_bureau.kinds): the round's
fields in `data`, its case, its owner organisation (the case's town), round number, status, version and seq. Every
round of every case becomes a row with version 1 and a fresh sequence number (above every number handed out so
far), so each client pulls the rounds once as rows at its next sync; `cases.reviews` is dropped. The case keeps
`review_passed` and its status.

Wire compatibility: fx-bureau has no way to turn away a client of the previous version (no version handshake), so
for one version the pulled case row still carries `reviews` (built from the rows, fx_bureau.kinds.case_json) and a
digest asked without `kinds` covers the kinds that client knows (case, referral): a client of the previous version
keeps working unchanged, and pushes the same review mutations with the same arguments. Clients and server of a
district are meant to be upgraded together; the next version drops both.
"""
import json
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _time(value, default):
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else default
    except ValueError:
        return default


def upgrade() -> None:
    reviews = op.create_table(
        "legal_reviews",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("owner_org", sa.String(length=32), nullable=False),
        sa.Column("round_no", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_legal_reviews_case_id", "legal_reviews", ["case_id"])
    op.create_index("ix_legal_reviews_seq", "legal_reviews", ["seq"])
    op.create_index("ix_legal_reviews_owner_seq", "legal_reviews", ["owner_org", "seq"])

    conn = op.get_bind()
    seq = conn.execute(sa.text("SELECT value FROM counters WHERE name = 'seq'")).scalar() or 0
    found = conn.execute(sa.text(
        "SELECT id, town_code, updated_at, reviews FROM cases WHERE CAST(reviews AS TEXT) NOT IN ('[]', '', 'null') "
        "ORDER BY seq"))
    rows = []
    for case_id, town, updated_at, raw in found:
        updated_at = updated_at if isinstance(updated_at, datetime) else _time(str(updated_at), datetime.now())
        for r in _json(raw) or []:
            seq += 1
            submitted = _time(r.get("submitted_at"), updated_at)
            rows.append({"id": r["id"], "case_id": case_id, "owner_org": town, "round_no": int(r["round_no"]),
                         "status": r["status"], "version": 1, "seq": seq, "data": r, "created_at": submitted,
                         "updated_at": _time(r.get("reviewed_at"), submitted)})
    if rows:
        op.bulk_insert(reviews, rows)
        conn.execute(sa.text("UPDATE counters SET value = :v WHERE name = 'seq'"), {"v": seq})
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("reviews")


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("reviews", sa.JSON(), nullable=False, server_default="[]"))
    conn = op.get_bind()
    by_case: dict[str, list] = {}
    for case_id, data in conn.execute(sa.text("SELECT case_id, data FROM legal_reviews ORDER BY case_id, round_no")):
        by_case.setdefault(case_id, []).append(_json(data))
    cases = sa.table("cases", sa.column("id", sa.String), sa.column("reviews", sa.JSON))
    for case_id, rounds in by_case.items():
        conn.execute(cases.update().where(cases.c.id == case_id).values(reviews=rounds))
    op.drop_table("legal_reviews")
