"""Criminal referral (涉嫌犯罪案件移送, 行刑衔接): the squad leader reports and, as the head's decision is recorded,
approves or refuses; the referral is sent to a police organisation (the procuratorate gets the copy); the police
liaison signs the receipt, passes it on or decides 立案 / 不予立案 (or the squad enters these for a police
organisation without an account); the squad may ask for reconsideration and supervision; after 立案 the items
and materials are handed over.

Every action commits, in one transaction, the record, an audit entry on the case's timeline (case_id set, kind
criminal_referral, record_id the record) and an outbox mutation of that kind. The rules are
`domain.criminal_referral`'s, the same functions fx-bureau's handlers and the sync rebase call."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..domain import criminal_referral as cr
from ..domain import organisations as orgs
from ..domain.errors import DomainError
from ..domain.roles import Role
from ..store import Store, audit, outbox, reference
from ..store.models import Case, CriminalReferral
from ..sync.apply_criminal_referral import due_at, party_text
from .cases import load_case
from .numbering import next_number
from .referrals import actor_org, audit_step, case_data, directory_in, owner_town
from . import records

KIND = cr.KIND


@dataclass(frozen=True)
class CrimeRecord:
    """A criminal referral as plain data for the UI: `clock` the one running now (None when none runs), `overdue`
    whether it is late at the time asked."""

    id: str
    case_id: str | None
    number: str
    status: cr.CrimeStatus
    owner_org: str
    owner_name: str
    receiving_org: str
    receiving_name: str
    clock: cr.Clock | None
    overdue: bool
    data: dict
    synced: bool = False

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def provisional(self) -> bool:
        from ..domain.docnumbers import is_provisional

        return is_provisional(self.number)


def rules_in(session: Session) -> cr.CrimeRules:
    return cr.CrimeRules.from_reference(reference.current(session))


def _waiting(session: Session) -> frozenset[str]:
    return records.waiting_ids(session, KIND)


def to_record(row: CriminalReferral, directory: orgs.OrgDirectory, now: datetime | None = None, *,
              waiting: frozenset[str] = frozenset()) -> CrimeRecord:
    state = row.data or {}
    running = cr.clock(state)
    return CrimeRecord(
        id=row.id, case_id=row.case_id, number=row.number, status=cr.CrimeStatus(row.status),
        owner_org=row.owner_org, owner_name=directory.name(row.owner_org), receiving_org=row.receiving_org,
        receiving_name=directory.name(row.receiving_org), clock=running,
        overdue=bool(running and running.overdue(now or datetime.now())), data=state,
        synced=row.server_version is not None and row.id not in waiting)


def pending_for_case(session: Session, case_id: str) -> bool:
    """Whether a criminal referral of the case still waits (the case may not be closed by a penalty decision)."""
    return cr.pending(list(session.execute(select(CriminalReferral.status)
                                           .where(CriminalReferral.case_id == case_id)).scalars()))


def domain_actor(session: Session, actor) -> cr.Actor:
    return cr.Actor(actor.name, Role(actor.role), actor_org(session, actor) or "")


# --- reading ------------------------------------------------------------------------------------------------------

def _load(session: Session, record_id: str) -> CriminalReferral:
    return records.load(session, CriminalReferral, record_id, "涉嫌犯罪案件移送记录")


def get(store: Store, record_id: str, *, now: datetime | None = None) -> CrimeRecord:
    with store.sessions() as session:
        return to_record(_load(session, record_id), directory_in(session), now, waiting=_waiting(session))


def for_case(store: Store, case_id: str, *, now: datetime | None = None) -> list[CrimeRecord]:
    with store.sessions() as session:
        directory, waiting = directory_in(session), _waiting(session)
        rows = session.execute(select(CriminalReferral).where(CriminalReferral.case_id == case_id)
                               .order_by(CriminalReferral.updated_at.desc())).scalars()
        return [to_record(r, directory, now, waiting=waiting) for r in rows]


@dataclass(frozen=True)
class CrimeFilter:
    status: str | None = None  # a CrimeStatus value
    org: str | None = None  # the police organisation addressed
    open_only: bool = False  # pending ones only
    overdue_only: bool = False
    text: str = ""  # in the number or the party's name


def listing(store: Store, actor, flt: CrimeFilter = CrimeFilter(), *, now: datetime | None = None,
            limit: int = 100) -> tuple[list[CrimeRecord], int]:
    """The records the actor's organisation works on (a town: those it referred; the police and the
    procuratorate: those addressed or copied to them; the bureau: all), running clock first: (first `limit`, total)."""
    now = now or datetime.now()
    with store.sessions() as session:
        directory = directory_in(session)
        query = _scoped(select(CriminalReferral), actor_org(session, actor), directory)
        if flt.status:
            query = query.where(CriminalReferral.status == flt.status)
        if flt.org:
            query = query.where(CriminalReferral.receiving_org == flt.org)
        if flt.open_only or flt.overdue_only:
            query = query.where(CriminalReferral.status.in_([str(s) for s in cr.CrimeStatus if s.pending]))
        if flt.overdue_only:
            query = query.where(CriminalReferral.due_at < now)
        if flt.text.strip():
            like = f"%{flt.text.strip()}%"
            query = query.where(or_(CriminalReferral.number.like(like),
                                    CriminalReferral.data["case_snapshot"]["party_name"].as_string().like(like)))
        total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        # running clocks first, by their end (walked in the order of ix_criminal_referrals_owner_due, no sort of
        # every row), then those without a clock, newest first
        rows = session.execute(query.where(CriminalReferral.due_at.is_not(None))
                               .order_by(CriminalReferral.due_at).limit(limit)).scalars().all()
        if len(rows) < limit:
            rows += session.execute(query.where(CriminalReferral.due_at.is_(None))
                                    .order_by(CriminalReferral.updated_at.desc())
                                    .limit(limit - len(rows))).scalars().all()
        waiting = _waiting(session)
        found = [to_record(r, directory, now, waiting=waiting) for r in rows]
        if flt.overdue_only:  # a window the squad may leave unused is not late
            found = [r for r in found if r.overdue]
        return found, total


def _scoped(query, org: str | None, directory: orgs.OrgDirectory):
    kind = directory.get(org).kind if directory.get(org) else None
    if kind is not None and orgs.sees_all(kind):
        return query
    if kind == orgs.OrgKind.TOWN:
        return query.where(CriminalReferral.owner_org == org)
    return query.where(CriminalReferral.party_orgs.like(f"%,{org or '?'},%"))


def police_choices(store: Store) -> list[tuple[str, str]]:
    """(code, name) of the police organisations a case may be referred to: the sub-bureau and its stations."""
    with store.sessions() as session:
        return [(o.code, o.name) for o in directory_in(session).of_kind(*cr.POLICE_KINDS)]


def available_steps(record: CrimeRecord, actor, org_code: str | None = None) -> list[str]:
    """The step names `actor` may take on `record` now (the page's buttons); the domain checks again on save.
    The squad sees the police's steps too: it enters them for a police organisation without an account."""
    org = org_code or getattr(actor, "org_code", None) or actor.town_code
    role = Role(actor.role)
    status = record.status
    squad = org == record.owner_org and role == Role.SQUAD_LEADER
    police = org == record.receiving_org and role == Role.POLICE_LIAISON
    by_squad_or_police = squad or police or (org == record.owner_org and role == Role.OFFICER)
    table = {
        cr.CrimeStatus.REPORTED: [("decide_criminal_referral", squad)],
        cr.CrimeStatus.APPROVED: [("send_criminal_referral", squad)],
        cr.CrimeStatus.SENT: [("receipt_criminal_referral", by_squad_or_police)],
        cr.CrimeStatus.PASSED_ON: [("receipt_criminal_referral", by_squad_or_police)],
        cr.CrimeStatus.RECEIVED: [("police_decide_criminal_referral", by_squad_or_police),
                                  ("pass_on_criminal_referral", by_squad_or_police)],
        cr.CrimeStatus.NOT_FILED: [("request_crime_reconsideration", squad)],
        cr.CrimeStatus.RECONSIDERING: [("decide_crime_reconsideration", by_squad_or_police)],
        cr.CrimeStatus.UPHELD: [("request_crime_supervision", squad)],
        cr.CrimeStatus.FILED: [("hand_over_criminal_referral", squad or police)],
    }
    return [name for name, allowed in table.get(status, []) if allowed]


def refer_refusal(store: Store, actor, case_id: str) -> str | None:
    """Why `actor` may not open a criminal referral of this case now (None: the form may open): the domain's
    report asked with an empty team (a refusal about the team means the actor and the case are fine)."""
    with store.sessions() as session:
        case = load_case(session, case_id)
        directory = directory_in(session)
        owner, police = directory.get(case.town_code), directory.of_kind(*cr.POLICE_KINDS)
        if owner is None or not police:
            return "单位名单中没有本街镇或公安机关，请先同步参考数据。"
        try:
            cr.report({"criminal_referral_id": ""}, case=case_data(case), owner=owner, receiving=police[0],
                      copy_to=None, actor=domain_actor(session, actor), at=datetime.now(), rules=cr.CrimeRules())
        except DomainError as exc:
            return None if exc.field == "team" else exc.message
    return None


def prepare(store: Store, actor, case_id: str) -> dict:
    """The form's defaults: the case's officers as the team, the facts as the start of the report, every evidence
    file offered as an attachment (none chosen), no items, the actor as contact."""
    with store.sessions() as session:
        case = load_case(session, case_id)
        return {
            "case_id": case.id, "receiving_org": None, "suspicion": "", "report": case.facts or "",
            "team": [{"name": o.name, "cert_no": o.cert_no} for o in case.officers],
            "evidence": [{"evidence_id": e.id, "title": e.name, "kind": ""} for e in case.evidence],
            "attachments": [], "items": [], "fine_paid": None, "contact": {"name": actor.name, "phone": ""},
        }


# --- actions ------------------------------------------------------------------------------------------------------

def _write(row: CriminalReferral, state: dict, now: datetime) -> None:
    row.data, row.status, row.number = state, state["status"], state.get("number") or row.number
    row.receiving_org, row.party_orgs, row.due_at, row.updated_at = (state["receiving_org"], party_text(state),
                                                                     due_at(state), now)


def report(store: Store, actor, case_id: str, form: dict, *, now: datetime | None = None) -> CrimeRecord:
    """The written report to the head; the record's number is provisional while this database syncs."""
    now = now or datetime.now()
    with store.writes.begin() as session:
        case = load_case(session, case_id)
        directory = directory_in(session)
        who = domain_actor(session, actor)
        owner = owner_town(directory, case)
        receiving = directory.require(form.get("receiving_org"), "接收的公安机关")
        procuratorates = directory.of_kind(orgs.OrgKind.PROCURATORATE)
        copy_to = procuratorates[0] if procuratorates else None
        record_id = str(uuid.uuid4())
        args = {"criminal_referral_id": record_id, "case_id": case.id, "receiving_org": receiving.code,
                "copy_org": copy_to.code if copy_to else None, "number": "",
                **{k: form.get(k) for k in ("team", "suspicion", "report", "attachments", "items", "fine_paid",
                                            "contact")}}
        state = cr.report(args, case=case_data(case), owner=owner, receiving=receiving, copy_to=copy_to, actor=who,
                          at=now, rules=rules_in(session))
        state["number"] = args["number"] = next_number(session, KIND, owner.code, now.year)  # after the checks
        row = CriminalReferral(id=record_id, case_id=case.id, owner_org=owner.code, receiving_org=receiving.code,
                               number=state["number"], status=state["status"], version=1, server_version=None,
                               data=state, updated_at=now)
        _write(row, state, now)
        session.add(row)
        audit_step(session, actor, who.org_code, "report_criminal_referral", row, now, kind=KIND,
                   receiving_org=receiving.code, team=len(state["team"]), items=len(state["items"]))
        args.update(team=state["team"], suspicion=state["suspicion"], report=state["report"],
                    attachments=state["attachments"], items=state["items"], fine_paid=state["fine_paid"],
                    contact=state["contact"])
        outbox.enqueue(session, "report_criminal_referral", args, owner=actor.user_id, at=now, kind=KIND,
                       record_id=record_id, case_id=case.id)
        session.flush()
        return to_record(row, directory, now, waiting=frozenset({row.id}))


def step(store: Store, actor, record_id: str, name: str, args: dict, *, now: datetime | None = None) -> CrimeRecord:
    """Any later step by its mutation name (domain.criminal_referral.STEP_LABELS), with the arguments the domain
    reads and `expected_status` (the status the user saw)."""
    now = now or datetime.now()
    with store.writes.begin() as session:
        row = _load(session, record_id)
        directory = directory_in(session)
        who = domain_actor(session, actor)
        args = {k: v for k, v in args.items() if v is not None}
        state = cr.apply_step(name, row.data, args, actor=who, at=now, rules=rules_in(session),
                              to=directory.get(args.get("to_org")))
        _write(row, state, now)
        row.version += 1
        case = session.execute(select(Case).where(Case.id == row.case_id)).scalar_one_or_none() if row.case_id \
            else None  # the police have no case row
        audit_step(session, actor, who.org_code, name, row, now, kind=KIND,
                   **{k: v for k, v in args.items() if k not in ("criminal_referral_id", "expected_status")})
        outbox.enqueue(session, name, {"criminal_referral_id": row.id, **args}, owner=actor.user_id, at=now,
                       kind=KIND, record_id=row.id, case_id=case.id if case is not None else None)
        session.flush()
        return to_record(row, directory, now, waiting=frozenset({row.id}))


def police_return(store: Store, actor, *, town_code: str, fields: dict, letter_number: str, reason: str,
                  files: list = (), now: datetime | None = None) -> str:
    """The reverse route (art. 13): the police refer a case to a town for an administrative penalty; it reaches the
    town as a new clue (source 公安移送) with `files` as its evidence once this device syncs. Returns the case's id.
    The fields are checked here as the town's case form would check them (a refusal names the field)."""
    from pathlib import Path

    from ..domain.case_draft import DraftInvalid, draft_from_json, validate
    from ..domain.text_cleaning import clean_name

    now = now or datetime.now()
    with store.sessions() as session:
        directory = directory_in(session)
        who = domain_actor(session, actor)
        police = directory.require(who.org_code, "本单位")
        town = directory.require(town_code, "接收移送的街镇")
    checked = cr.police_return({"fields": fields, "letter_number": letter_number, "reason": reason}, actor=who,
                               police=police, town=town)
    try:
        validate(draft_from_json(checked, []))
    except DraftInvalid as exc:
        raise DomainError(exc.message, exc.field) from exc
    blobs = [(clean_name(Path(f).name), store.blobs.put_file(Path(f))) for f in files]
    case_id = str(uuid.uuid4())
    args = {"case_id": case_id, "town_code": town.code, "fields": fields, "letter_number": letter_number,
            "reason": reason, "materials": [{"name": name, "sha256": b.sha256, "size": b.size} for name, b in blobs]}
    with store.writes.begin() as session:
        audit.append(session, actor=actor.name, role=str(actor.role), case_id=case_id, action="police_return_case",
                     detail={"org": who.org_code, "town": town.code, "letter_number": letter_number,
                             "materials": len(blobs)}, at=now)
        outbox.enqueue(session, "police_return_case", args, owner=actor.user_id, at=now, kind="case",
                       record_id=case_id, case_id=case_id)
    return case_id


__all__ = ["CrimeRecord", "CrimeFilter", "report", "step", "get", "for_case", "listing", "available_steps",
           "refer_refusal", "prepare", "police_choices", "pending_for_case", "police_return"]
