"""The record kinds the client syncs, registered once (SYNC.md "Shared records"): how a pulled change of each
`type` is applied, how a tombstone of each entity deletes, which local rows the digest covers, which rows a full
resync may drop, and what a push answer adds. Adding a kind adds entries here, not branches in the engine.

- APPLIERS: pulled change `type` -> applier(ctx, changes), run in this order within one page's transaction.
- KINDS: record kind -> RecordKind (its table, its tombstone, its visibility, its push-answer hook, the evidence
  files its local rows name, which the download queue fetches)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .apply import PageContext, apply_cases, apply_conflicts, apply_reference, delete_case
from .apply_referral import apply_referrals, delete_referral, drop_refused, record_number
from . import apply_police_request as police
from .apply_review import apply_reviews, delete_review
from .apply_criminal_referral import apply_criminal_referrals, delete_criminal_referral
from .apply_criminal_referral import drop_refused as drop_refused_crime
from .apply_criminal_referral import record_number as record_crime_number
from . import apply_meeting as meetings
from . import apply_supervision as supervision
from . import apply_roster as roster


@dataclass(frozen=True)
class RecordKind:
    """`visible`: SQL condition on the kind's table for rows an organisation (`:org`) may see, as fx-bureau's
    `visible` decides (owner or party); `pending`: SQL condition for rows a pending outbox entry acts on;
    `digest_scope`: extra condition on the digest's rows, given the towns whose cases the user sees;
    `on_applied(session, args, detail)`: what an applied push answer's detail changes here; `files`: SQL
    selecting columns sha256, size, name, changed of the evidence files the kind's local rows name, which the download
    queue fetches when the blob store lacks them (sync/downloads.py); `drop_refused(session)`: remove the local rows
    of records whose creation the server refused (run with the rejection's transaction)."""

    name: str
    table: str
    delete: Callable[[PageContext, str], bool]
    visible: str
    pending: str
    digest_scope: Callable[[str | None], tuple[str, dict]] | None = None
    on_applied: Callable[[object, dict, dict], None] | None = None
    files: str | None = None
    drop_refused: Callable[[object], None] | None = None


def _town_scope(column: str) -> Callable[[tuple[str, ...] | str | None], tuple[str, dict]]:
    """Rows of the cases the user sees, by the town in `column`: of one town (a code), of these towns (a tuple;
    () none: a department), or every case (None: the bureau)."""
    def scope(towns):
        if towns is None or towns == "":
            return "", {}
        towns = (towns,) if isinstance(towns, str) else tuple(towns)
        if not towns:
            return "0", {}
        return (f"{column} IN ({', '.join(f':t{i}' for i in range(len(towns)))})",
                {f"t{i}": t for i, t in enumerate(towns)})
    return scope


_case_scope = _town_scope("town_code")


CASE_FILES = ("SELECT e.sha256 AS sha256, e.size AS size, e.name AS name, c.updated_at AS changed "
              "FROM evidence e JOIN cases c ON c.id = e.case_id")
# A department has no cases: the files of a referral are those its case snapshot names (the server lets the
# receiving organisation read them)
REFERRAL_FILES = (
    "SELECT json_extract(f.value, '$.sha256') AS sha256, CAST(json_extract(f.value, '$.size') AS INTEGER) AS size, "
    "json_extract(f.value, '$.name') AS name, r.updated_at AS changed "
    "FROM referrals r, json_each(r.data, '$.case_snapshot.evidence') f WHERE json_type(f.value, '$.sha256') = 'text'")

# the police and the procuratorate have no cases: the files are those the record's case snapshot names
CRIME_FILES = REFERRAL_FILES.replace("FROM referrals r", "FROM criminal_referrals r")

KINDS: dict[str, RecordKind] = {
    "case": RecordKind(
        "case", "cases", delete_case, visible="town_code = :org",
        pending="id IN (SELECT case_id FROM outbox WHERE state = 'pending' AND case_id IS NOT NULL)",
        digest_scope=_case_scope, files=CASE_FILES),
    "legal_review": RecordKind(
        "legal_review", "legal_reviews", delete_review, visible="owner_org = :org",
        pending="id IN (SELECT record_id FROM outbox WHERE state = 'pending' AND kind = 'legal_review')",
        digest_scope=_town_scope("owner_org")),
    "referral": RecordKind(
        "referral", "referrals", delete_referral, visible="(owner_org = :org OR receiving_org = :org)",
        pending="id IN (SELECT record_id FROM outbox WHERE state = 'pending' AND kind = 'referral')",
        on_applied=lambda session, args, detail: record_number(session, args, detail), files=REFERRAL_FILES,
        drop_refused=drop_refused),
    "police_request": RecordKind(
        "police_request", "police_requests", police.delete_police_request,
        visible="(owner_org = :org OR station_org = :org)",
        pending="id IN (SELECT record_id FROM outbox WHERE state = 'pending' AND kind = 'police_request')",
        on_applied=lambda session, args, detail: police.record_number(session, args, detail),
        drop_refused=police.drop_refused),
    "criminal_referral": RecordKind(
        "criminal_referral", "criminal_referrals", delete_criminal_referral,
        visible="(owner_org = :org OR party_orgs LIKE '%,' || :org || ',%')",
        pending="id IN (SELECT record_id FROM outbox WHERE state = 'pending' AND kind = 'criminal_referral')",
        on_applied=lambda session, args, detail: record_crime_number(session, args, detail), files=CRIME_FILES,
        drop_refused=drop_refused_crime),
    "meeting": RecordKind(
        "meeting", "meetings", meetings.delete_meeting,
        visible="(owner_org = :org OR party_orgs LIKE '%,' || :org || ',%')",
        pending="id IN (SELECT record_id FROM outbox WHERE state = 'pending' AND kind = 'meeting')",
        on_applied=lambda session, args, detail: meetings.record_number(session, args, detail),
        drop_refused=meetings.drop_refused),
    "consultation_item": RecordKind(
        "consultation_item", "consultation_items", meetings.delete_consultation_item,
        visible="(owner_org = :org OR party_orgs LIKE '%,' || :org || ',%')",
        pending="id IN (SELECT record_id FROM outbox WHERE state = 'pending' AND kind = 'consultation_item')",
        drop_refused=meetings.drop_refused_item),
    "supervision": RecordKind(
        "supervision", "supervisions", supervision.delete_supervision,
        visible="(owner_org = :org OR responsible_org = :org)",
        pending="id IN (SELECT record_id FROM outbox WHERE state = 'pending' AND kind = 'supervision')",
        on_applied=lambda session, args, detail: supervision.record_number(session, args, detail),
        drop_refused=supervision.drop_refused),
    "roster_entry": RecordKind(
        "roster_entry", "roster_entries", roster.delete_roster_entry, visible="owner_org = :org",
        pending="id IN (SELECT record_id FROM outbox WHERE state = 'pending' AND kind = 'roster_entry')",
        digest_scope=_town_scope("owner_org"), drop_refused=roster.drop_refused),
}


def apply_tombstones(ctx: PageContext, changes: list[dict]) -> None:
    for change in changes:
        kind = KINDS.get(change.get("entity"))
        if kind is not None and kind.delete(ctx, change["id"]):
            ctx.result.deleted += 1


APPLIERS: dict[str, Callable[[PageContext, list[dict]], None]] = {
    "case": apply_cases,
    "legal_review": apply_reviews,
    "referral": apply_referrals,
    "police_request": police.apply_police_requests,
    "criminal_referral": apply_criminal_referrals,
    "meeting": meetings.apply_meetings,
    "consultation_item": meetings.apply_consultation_items,
    "supervision": supervision.apply_supervisions,
    "roster_entry": roster.apply_roster_entries,
    "conflict": apply_conflicts,
    "tombstone": apply_tombstones,
    "reference": apply_reference,
}


def holds_no_records(session) -> bool:
    """Whether the local database holds no record of any kind (a first pull: see apply.inserted_as_new)."""
    conn = session.connection()
    return not any(conn.exec_driver_sql(f"SELECT EXISTS (SELECT 1 FROM {kind.table})").scalar()
                   for kind in KINDS.values())


def kind_of_mutation(kind: str | None) -> RecordKind | None:
    return KINDS.get(kind or "case")
