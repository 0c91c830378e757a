"""The record kinds the server syncs (SYNC.md "Shared records"), registered once: their table, owner organisation,
wire row and whether other organisations (record_parties) see them. Pull, digest, the resend of a rejected record
and the visibility checks of every request go through this registry, so a new kind is an entry here.

A user sees a record when their organisation owns it or is a party to it; the bureau sees every record."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy import or_, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from .models import Case, LegalReview, RecordParty, Referral
from .principal import Principal


def _d(value) -> str | None:
    return value.isoformat() if value is not None else None


def case_json(c: Case) -> dict:
    return {"type": "case", "seq": c.seq, "id": c.id, "number": c.number, "town_code": c.town_code,
            "status": c.status, "version": c.version, "review_passed": c.review_passed, "opened_on": _d(c.opened_on),
            "filed_on": _d(c.filed_on), "decision_due": _d(c.decision_due), "decided_on": _d(c.decided_on),
            "created_by": c.created_by, "updated_at": _d(c.updated_at), "fields": c.fields, "officers": c.officers,
            "evidence": c.evidence,
            # for clients of the previous version only, which read the rounds here (migration 0005); drop next version
            "reviews": [r.data for r in c.rounds]}


def review_json(r: LegalReview) -> dict:
    return {"type": "legal_review", "seq": r.seq, "id": r.id, "version": r.version, "case_id": r.case_id,
            "owner_org": r.owner_org, "updated_at": _d(r.updated_at), "data": r.data}


def referral_json(r: Referral) -> dict:
    return {"type": "referral", "seq": r.seq, "id": r.id, "version": r.version, "owner_org": r.owner_org,
            "receiving_org": r.receiving_org, "case_id": r.case_id, "number": r.number, "status": r.status,
            "updated_at": _d(r.updated_at), "data": r.data}


@dataclass(frozen=True)
class RecordKind:
    name: str
    model: type
    owner: InstrumentedAttribute  # the owner organisation's code
    to_json: Callable[[object], dict]
    shared: bool  # other organisations may be parties (record_parties)
    id_arg: str  # the mutation argument that names a record of this kind
    load: tuple = ()  # loader options for reading rows to pull (what to_json reads besides the row)
    case_of: str | None = None  # the attribute naming the case a record of this kind belongs to (and may move)


KINDS: dict[str, RecordKind] = {
    "case": RecordKind("case", Case, Case.town_code, case_json, False, "case_id", (selectinload(Case.rounds),)),
    "legal_review": RecordKind("legal_review", LegalReview, LegalReview.owner_org, review_json, False, "review_id"),
    "referral": RecordKind("referral", Referral, Referral.owner_org, referral_json, True, "referral_id",
                           case_of="case_id"),
}

# The kinds a client of the previous version holds: its digest request names none, and covers only these.
PREVIOUS_CLIENT_KINDS = ("case", "referral")


def _parties(kind: str, p: Principal):
    return select(RecordParty.record_id).where(RecordParty.kind == kind, RecordParty.org_code == p.org_code)


def visible(query, kind: RecordKind, p: Principal):
    """`query` over kind.model restricted to the records `p` may see."""
    if p.sees_all:
        return query
    mine = kind.owner == p.org_code
    if not kind.shared:
        return query.where(mine)
    return query.where(or_(mine, kind.model.id.in_(_parties(kind.name, p))))


def visible_about(query, owner, kind_column, id_column, p: Principal):
    """`query` over rows about a record (conflicts, tombstones), restricted like the records themselves: the owner
    organisation (`owner`), or a party to that (kind, id)."""
    if p.sees_all:
        return query
    shared = select(RecordParty.kind, RecordParty.record_id).where(RecordParty.org_code == p.org_code)
    return query.where(or_(owner == p.org_code, tuple_(kind_column, id_column).in_(shared)))


def sees(session: Session, p: Principal, kind: RecordKind, record) -> bool:
    """Whether `p` may see this record (a loaded row of kind.model)."""
    if p.sees_all or getattr(record, kind.owner.key) == p.org_code:
        return True
    return kind.shared and session.get(RecordParty, (kind.name, record.id, p.org_code)) is not None


def is_party(session: Session, kind: str, record_id: str, org_code: str) -> bool:
    return session.get(RecordParty, (kind, record_id, org_code)) is not None


def add_party(session: Session, kind: str, record_id: str, org_code: str) -> None:
    session.add(RecordParty(kind=kind, record_id=record_id, org_code=org_code))
