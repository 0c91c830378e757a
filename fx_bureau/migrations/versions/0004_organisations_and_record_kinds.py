"""organisations, record kinds and case referrals

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

Every user belongs to an organisation (`users.org_code`): town users to their town, bureau users (no town) to the
bureau `cgzf`. The organisations come from the stored reference (an older reference without an `organisations`
list derives them from its towns and departments); every town of the `towns` table is one. `users.sync_generation`
is raised when a user's organisation changes, which makes their pull cursors unknown (a full resync).
Conflicts and the mutation log name the record kind they are about (`kind`, 'case' for every existing row);
`record_parties` lists the organisations a shared record is shown to besides its owner; `referrals` holds case
referrals. blob_refs keeps its column name `town_code`: it now holds any organisation's code (a town's code is its
organisation code, so existing rows keep their meaning).
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BUREAU = "cgzf"


def _organisations(conn) -> list[dict]:
    """The organisations to start with: from the stored reference, plus every town of the towns table and the
    bureau, whatever that reference says (users and cases point at them)."""
    from fx_desktop.domain.errors import DomainError
    from fx_desktop.domain.organisations import organisations_from_reference

    import json

    raw = conn.execute(sa.text("SELECT data FROM reference WHERE key = 'reference'")).scalar()
    data = json.loads(raw) if isinstance(raw, str) else raw
    try:
        orgs = {o.code: o.to_json() for o in organisations_from_reference(data)} if data else {}
    except DomainError:
        orgs = {}
    for code, name, agency in conn.execute(sa.text("SELECT code, name, agency_code FROM towns")):
        orgs.setdefault(code, {"code": code, "name": name, "short_name": agency, "kind": "town", "parent": None})
    orgs.setdefault(BUREAU, {"code": BUREAU, "name": "区城管执法局", "short_name": "区城管执法局", "kind": "bureau",
                             "parent": None})
    return list(orgs.values())


def upgrade() -> None:
    organisations = op.create_table(
        "organisations",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("short_name", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("parent", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("code"),
    )
    conn = op.get_bind()
    rows = _organisations(conn)
    if rows:
        op.bulk_insert(organisations, rows)

    # '' is no organisation: a row written without org_code can do nothing (never the bureau by default)
    op.add_column("users", sa.Column("org_code", sa.String(length=32), nullable=False, server_default=""))
    op.add_column("users", sa.Column("sync_generation", sa.Integer(), nullable=False, server_default="0"))
    op.execute(sa.text("UPDATE users SET org_code = town_code WHERE town_code IS NOT NULL"))
    op.execute(sa.text(f"UPDATE users SET org_code = '{BUREAU}' WHERE town_code IS NULL"))
    if conn.dialect.name != "sqlite":  # SQLite cannot drop a default without copying the table; '' is harmless
        op.alter_column("users", "org_code", server_default=None)

    op.add_column("conflicts", sa.Column("kind", sa.String(length=16), nullable=False, server_default="case"))
    op.add_column("mutation_log", sa.Column("kind", sa.String(length=16), nullable=False, server_default="case"))

    op.create_table(
        "record_parties",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("org_code", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("kind", "record_id", "org_code"),
    )
    op.create_index("ix_record_parties_org_code", "record_parties", ["org_code"])

    op.create_table(
        "referrals",
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
    op.create_index("ix_referrals_seq", "referrals", ["seq"])
    op.create_index("ix_referrals_owner_seq", "referrals", ["owner_org", "seq"])
    op.create_index("ix_referrals_case_id", "referrals", ["case_id"])


def downgrade() -> None:
    op.drop_table("referrals")
    op.drop_table("record_parties")
    with op.batch_alter_table("mutation_log") as batch:
        batch.drop_column("kind")
    with op.batch_alter_table("conflicts") as batch:
        batch.drop_column("kind")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("sync_generation")
        batch.drop_column("org_code")
    op.drop_table("organisations")
