"""the workbench at scale (issue 14): indexes its providers read from alone

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30

With 100,000 cases and 50,000 other records (bench/other_records.py) the workbench's providers scanned whole tables
and read each row's JSON to count an organisation's open records. These indexes hold what they filter, count and
sort by, so the counts read the index alone and only the first screenful's rows are read:
referrals and criminal referrals by organisation (owner or receiving), status and running clock; police requests
by owner and status (drafts, joint operations to approve) and those still to be completed (补录) by owner and call
time, a partial index whose condition is the service's own
(services.police_requests._TO_COMPLETE, written out here as it is there: SQLite uses a partial index only for a
query that states the same terms); meetings that may give someone an item (in preparation, minutes not signed, an
agreed item open), a partial index too, so that the years of meetings held and done are not read; sheets by their
source and status (the meetings whose agreed items a sheet still follows up).
(Chained after 0017, the roster.)
"""
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

TO_COMPLETE = ("situation = 'emergency' AND status != 'withdrawn' AND (json_extract(data, '$.urgency') = '' "
               "OR json_extract(data, '$.call_time') = '' OR json_extract(data, '$.incident_number') = '' "
               "OR json_extract(data, '$.details') = '' OR json_extract(data, '$.contact.name') = '' "
               "OR (json_extract(data, '$.risk.people_expected') IS NULL "
               "AND json_extract(data, '$.risk.notes') = ''))")

# services.workbench.MAY_GIVE_WORK as it is today (a meeting that may give someone a workbench item): written out,
# a migration does not change with the code; a test checks the workbench's query uses the index
MAY_GIVE_WORK = ("(status IN ('draft', 'notified') OR json_extract(data, '$.minutes.status') IS NOT 'signed' OR "
                 + " OR ".join(f"instr(json_extract(data, '$.minutes.items'), '\"status\":\"{s}\"') > 0"
                               for s in ("未启动", "待签收", "办理中", "延期申请中", "已反馈", "退回重办")) + ")")

INDEXES = (
    ("ix_referrals_owner_open", "referrals (owner_org, status, next_due)"),
    ("ix_referrals_receiving_open", "referrals (receiving_org, status, next_due)"),
    ("ix_criminal_referrals_owner_status", "criminal_referrals (owner_org, status, due_at)"),
    ("ix_criminal_referrals_receiving_status", "criminal_referrals (receiving_org, status, due_at)"),
    ("ix_supervisions_source_status", "supervisions (source_kind, status, source_id)"),
    ("ix_police_requests_owner_status", "police_requests (owner_org, status, call_at)"),
)


def upgrade() -> None:
    for name, what in INDEXES:
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {what}")
    op.execute(f"CREATE INDEX IF NOT EXISTS ix_meetings_open_work ON meetings (owner_org, starts_at) "
               f"WHERE {MAY_GIVE_WORK}")
    op.execute("CREATE INDEX IF NOT EXISTS ix_police_requests_to_complete ON police_requests (owner_org, call_at) "
               f"WHERE {TO_COMPLETE}")


def downgrade() -> None:
    for name, _what in (*INDEXES, ("ix_police_requests_to_complete", ""), ("ix_meetings_open_work", "")):
        op.execute(f"DROP INDEX IF EXISTS {name}")
