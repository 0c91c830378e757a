"""Case referral to a department (案件移送, contract section 5): the town's squad leader submits, the department's
liaison signs, accepts or returns, and records the result; the squad leader may withdraw before the receipt.

Every action commits, in one transaction, the referral row, the case's status when the step changes it
(`domain.referral.case_effect`, with its own audit entry and a new case version), an audit entry on the case's
timeline (case_id set, kind "referral", record_id the referral) and an outbox mutation of kind "referral". The rules
are `domain.referral`'s, the same functions fx-bureau's handlers and the sync rebase call."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import organisations as orgs
from ..domain import referral as rf
from ..domain.errors import DomainError
from ..domain.roles import Role
from ..store import Store, audit, meta, outbox, reference
from ..store.models import Case, Organisation, Referral
from .calendar import current_calendar
from ..domain.case_draft import to_json_value
from ..domain.case_fields import EDITABLE_COLUMNS
from .cases import load_case
from .numbering import next_number
from . import records

KIND = "referral"

# Which step may follow which status (the domain refuses the others; tests/services check the two agree), and who
# takes it: the receiving organisation or the owner.
STEPS_FROM: dict[str, tuple[rf.ReferralStatus, ...]] = {
    "sign_referral": (rf.ReferralStatus.SUBMITTED,),
    "return_referral": (rf.ReferralStatus.SUBMITTED, rf.ReferralStatus.RECEIVED),
    "accept_referral": (rf.ReferralStatus.RECEIVED,),
    "record_referral_result": (rf.ReferralStatus.RECEIVED, rf.ReferralStatus.ACCEPTED),
    "withdraw_referral": (rf.ReferralStatus.SUBMITTED,),
}
OWNER_STEPS = frozenset({"withdraw_referral"})


@dataclass(frozen=True)
class ReferralRecord:
    """A referral as plain data for the UI. `data` is the whole state (domain.referral); `overdue` names the late
    clock ("receipt" / "result") or is None; `next_due` is the day the running clock falls due."""

    id: str
    case_id: str | None
    number: str
    status: rf.ReferralStatus
    status_label: str
    owner_org: str
    receiving_org: str
    receiving_name: str
    submitted_at: datetime | None
    receipt_due: date | None
    result_due: date | None
    overdue: str | None
    data: dict
    owner_name: str = ""
    next_due: date | None = None
    synced: bool = False  # the server has this version (no step of this device waits to be pushed)

    @property
    def provisional(self) -> bool:
        from ..domain.docnumbers import is_provisional

        return is_provisional(self.number)


def _day(value) -> date | None:
    return date.fromisoformat(value) if value else None


def next_due(state: dict) -> date | None:
    clock = rf.due(state)
    return clock[1] if clock else None


def to_record(row: Referral, directory: orgs.OrgDirectory, today: date | None = None, *,
              waiting: frozenset[str] = frozenset()) -> ReferralRecord:
    """`waiting`: ids of referrals with steps of this device not yet pushed."""
    state = row.data or {}
    status = rf.ReferralStatus(row.status)
    submitted = (state.get("submitted") or {}).get("at")
    return ReferralRecord(
        id=row.id, case_id=row.case_id, number=row.number, status=status, status_label=status.label,
        owner_org=row.owner_org, receiving_org=row.receiving_org, receiving_name=directory.name(row.receiving_org),
        submitted_at=datetime.fromisoformat(submitted) if submitted else None,
        receipt_due=_day(state.get("receipt_due")), result_due=_day(state.get("result_due")),
        overdue=rf.overdue(state, today or date.today()), data=state, owner_name=directory.name(row.owner_org),
        next_due=row.next_due, synced=row.server_version is not None and row.id not in waiting)


def waiting_ids(session: Session) -> frozenset[str]:
    """Referrals with steps of this device still waiting to be pushed."""
    return records.waiting_ids(session, KIND)


# --- context: organisations, rules, the actor ---------------------------------------------------------------------

def directory_in(session: Session) -> orgs.OrgDirectory:
    """The organisations of the local store (loaded from the reference data)."""
    rows = session.execute(select(Organisation)).scalars()
    return orgs.OrgDirectory(orgs.Organisation(r.code, r.name, r.short_name, orgs.OrgKind(r.kind), r.parent)
                             for r in rows)


def rules_in(session: Session) -> rf.ReferralRules:
    return rf.ReferralRules.from_reference(reference.current(session))


def actor_org(session: Session, actor) -> str | None:
    """The actor's organisation: Profile.org_code when the profile has one, else its town, else what the last
    login stored (a department's user has no town)."""
    code = getattr(actor, "org_code", None) or actor.town_code
    if code:
        return code
    for key in ("profile", "sync.account"):
        raw = meta.get(session, key)
        if raw and json.loads(raw).get("org_code"):
            return json.loads(raw)["org_code"]
    return None


def domain_actor(session: Session, actor) -> rf.Actor:
    return rf.Actor(actor.name, Role(actor.role), actor_org(session, actor) or "")


# --- reading ------------------------------------------------------------------------------------------------------

def get(store: Store, referral_id: str, *, today: date | None = None) -> ReferralRecord:
    with store.sessions() as session:
        return to_record(_load(session, referral_id), directory_in(session), today, waiting=waiting_ids(session))


def for_case(store: Store, case_id: str, *, today: date | None = None) -> list[ReferralRecord]:
    """The case's referrals, newest first."""
    with store.sessions() as session:
        directory = directory_in(session)
        rows = session.execute(select(Referral).where(Referral.case_id == case_id)).scalars()
        waiting = waiting_ids(session)
        found = [to_record(r, directory, today, waiting=waiting) for r in rows]
    return sorted(found, key=lambda r: r.submitted_at or datetime.min, reverse=True)


def inbox(store: Store, actor, *, today: date | None = None, open_only: bool = False,
          limit: int = 2000) -> list[ReferralRecord]:
    """A department's referrals received, a town's referrals sent (the bureau: all), sorted by the day the running
    clock falls due (those without a running clock last, newest first)."""
    today = today or date.today()
    with store.sessions() as session:
        directory = directory_in(session)
        org = actor_org(session, actor)
        query = select(Referral)
        kind = directory.get(org).kind if directory.get(org) else None
        if kind is None or not orgs.sees_all(kind):
            column = Referral.owner_org if kind == orgs.OrgKind.TOWN else Referral.receiving_org
            query = query.where(column == (org or ""))
        if open_only:
            query = query.where(Referral.status.in_([str(s) for s in rf.ReferralStatus if s.is_open]))
        rows = session.execute(query.order_by(Referral.next_due.is_(None), Referral.next_due,
                                              Referral.updated_at.desc()).limit(limit)).scalars()
        waiting = waiting_ids(session)
        return [to_record(r, directory, today, waiting=waiting) for r in rows]


def available_steps(record: ReferralRecord, actor, org_code: str | None = None) -> list[str]:
    """The step names `actor` may take on `record` now (the UI's buttons); the domain checks again on save."""
    org = org_code or getattr(actor, "org_code", None) or actor.town_code
    role = Role(actor.role)
    steps = []
    for name, allowed in STEPS_FROM.items():
        if record.status not in allowed:
            continue
        if name in OWNER_STEPS:
            if org == record.owner_org and role == Role.SQUAD_LEADER:
                steps.append(name)
        elif org == record.receiving_org and role == Role.DEPARTMENT_LIAISON:
            steps.append(name)
    return steps


def refer_refusal(store: Store, actor, case_id: str) -> str | None:
    """Why `actor` may not refer this case now (None: the form may open). Asks the domain's submit itself with an
    empty form: a refusal about the form's first field (the materials) means the actor and the case are fine."""
    with store.sessions() as session:
        case = load_case(session, case_id)
        directory = directory_in(session)
        owner = directory.get(case.town_code)
        departments = directory.of_kind(orgs.OrgKind.DEPARTMENT)
        if owner is None or not departments:
            return "单位名单中没有本街镇或区级部门，请先同步参考数据。"
        try:
            rf.submit({"referral_id": ""}, case=case_data(case), owner=owner, receiving=departments[0],
                      actor=domain_actor(session, actor), at=datetime.now(), calendar=None, rules=rf.ReferralRules())
        except DomainError as exc:
            return None if exc.field == "materials" else exc.message
    return None


# --- the form -----------------------------------------------------------------------------------------------------

def _evidence_json(case: Case) -> list[dict]:
    return [{"id": e.id, "kind": e.kind, "name": e.name, "sha256": e.sha256, "size": e.size,
             "captured_at": to_json_value(e.captured_at), "added_at": to_json_value(e.added_at),
             "added_by": e.added_by} for e in case.evidence]


def case_data(case: Case) -> dict:
    """The case as the domain's plain data (status, number, town, the editable fields, evidence)."""
    return {"id": case.id, "status": case.status, "number": case.number, "town_code": case.town_code,
            **{k: to_json_value(getattr(case, k)) for k in EDITABLE_COLUMNS}, "evidence": _evidence_json(case)}


def receiving_choices(store: Store) -> list[tuple[str, str]]:
    """(code, name) of the organisations a case may be referred to: the district departments."""
    with store.sessions() as session:
        return [(o.code, o.name) for o in directory_in(session).of_kind(orgs.OrgKind.DEPARTMENT)]


def prepare(store: Store, actor, case_id: str) -> dict:
    """The form's defaults: the summary from the case's facts, one material per evidence file (1 page each, to
    correct), no items, the actor as contact (phone to fill in), and the case status the form was opened on."""
    with store.sessions() as session:
        case = load_case(session, case_id)
        return {
            "case_id": case.id, "expected_case_state": case.status, "receiving_org": None, "reason": "",
            "legal_basis": "", "summary": case.facts or "",
            "materials": [{"no": i, "title": e.name, "pages": 1, "evidence_id": e.id}
                          for i, e in enumerate(case.evidence, start=1)],
            "items": [], "contact": {"name": actor.name, "phone": ""},
        }


# --- actions ------------------------------------------------------------------------------------------------------

def _load(session: Session, referral_id: str) -> Referral:
    return records.load(session, Referral, referral_id, "移送记录", "可能尚未同步到本机或已被撤回")


def _item_args(items) -> list:
    return [{k: it.get(k) for k in ("name", "spec", "quantity", "unit", "condition", "kept_at")}
            for it in items] if isinstance(items, list) else items


def _set_case_status(session: Session, actor, case: Case, status: str, step: str, referral: Referral,
                     now: datetime) -> None:
    before = case.status
    case.status = status
    case.version += 1
    case.updated_at = now
    audit.append(session, actor=actor.name, role=str(actor.role), case_id=case.id, action="transition",
                 detail={"action": step, "from": before, "to": status, "referral_id": referral.id}, at=now)


def _write(session: Session, row: Referral, state: dict, now: datetime) -> None:
    row.data, row.status, row.number = state, state["status"], state.get("number") or row.number
    row.next_due, row.updated_at = next_due(state), now


def audit_step(session: Session, actor, org: str, name: str, row, now: datetime, *, kind: str = KIND,
               **detail) -> None:
    """A step on a shared record (a referral, a police request, a criminal referral: `row` with case_id, id,
    number and status) on the case's timeline; `org` lets the sync rebase replay it as the same actor."""
    audit.append(session, actor=actor.name, role=str(actor.role), case_id=row.case_id, action=name, kind=kind,
                 record_id=row.id, detail={"org": org, "number": row.number, "status": row.status, **detail}, at=now)


def owner_town(directory: orgs.OrgDirectory, case: Case) -> orgs.Organisation:
    """The organisation of the case's town, which owns what the case is referred or reported with."""
    owner = directory.get(case.town_code)
    if owner is None:
        raise DomainError(f"案件所属街镇“{case.town_code}”不在单位名单中，请先同步参考数据。")
    return owner


def submit(store: Store, actor, case_id: str, form: dict, *, now: datetime | None = None) -> ReferralRecord:
    """Refer the case: a new referral (number provisional when this database syncs), the case 已移送."""
    now = now or datetime.now()
    with store.writes.begin() as session:
        case = load_case(session, case_id)
        directory = directory_in(session)
        who = domain_actor(session, actor)
        owner = owner_town(directory, case)
        receiving = directory.require(form.get("receiving_org"), "接收单位")
        expected = form.get("expected_case_state") or case.status
        referral_id = str(uuid.uuid4())
        args = {"referral_id": referral_id, "case_id": case.id, "receiving_org": receiving.code,
                "expected_case_state": str(expected), "number": "", "reason": form.get("reason"),
                "legal_basis": form.get("legal_basis"), "summary": form.get("summary"),
                "materials": form.get("materials"), "items": _item_args(form.get("items")),
                "contact": form.get("contact")}
        state = rf.submit(args, case=case_data(case), owner=owner, receiving=receiving, actor=who, at=now,
                          calendar=current_calendar(session), rules=rules_in(session))
        state["number"] = args["number"] = next_number(session, KIND, owner.code, now.year)  # after the checks
        row = Referral(id=referral_id, case_id=case.id, owner_org=owner.code, receiving_org=receiving.code,
                       number=state["number"], status=state["status"], version=1, server_version=None,
                       data=state, next_due=next_due(state), updated_at=now)
        session.add(row)
        _set_case_status(session, actor, case, rf.case_effect("submit_referral", state), "refer", row, now)
        audit_step(session, actor, who.org_code, "submit_referral", row, now, receiving_org=receiving.code,
                    materials=len(state["materials"]), items=len(state["items"]))
        args.update(reason=state["reason"], legal_basis=state["legal_basis"], summary=state["summary"],
                    materials=state["materials"], items=[{k: v for k, v in it.items() if k != "no"}
                                                         for it in state["items"]], contact=state["contact"])
        outbox.enqueue(session, "submit_referral", args, owner=actor.user_id, at=now, kind=KIND,
                       record_id=referral_id, case_id=case.id)
        session.flush()
        return to_record(row, directory, now.date(), waiting=frozenset({row.id}))


def _step(store: Store, actor, referral_id: str, name: str, args: dict, now: datetime | None) -> ReferralRecord:
    now = now or datetime.now()
    with store.writes.begin() as session:
        row = _load(session, referral_id)
        who = domain_actor(session, actor)
        state = rf.apply_step(name, row.data, args, actor=who, at=now, calendar=current_calendar(session),
                              rules=rules_in(session))
        _write(session, row, state, now)
        row.version += 1
        effect = rf.case_effect(name, state)
        case = session.execute(select(Case).where(Case.id == row.case_id)).scalar_one_or_none() if row.case_id \
            else None
        if effect is not None and case is not None:  # the town's own step; a department has no case row
            _set_case_status(session, actor, case, effect, name, row, now)
        audit_step(session, actor, who.org_code, name, row, now,
                    **{k: v for k, v in args.items() if k not in ("referral_id", "expected_status")})
        outbox.enqueue(session, name, {"referral_id": row.id, **args}, owner=actor.user_id, at=now, kind=KIND,
                       record_id=row.id, case_id=case.id if case is not None else None)
        session.flush()
        return to_record(row, directory_in(session), now.date(), waiting=frozenset({row.id}))


def _expected(value) -> str:
    return str(value)  # the status the user saw; the domain says when it has changed meanwhile


def withdraw(store: Store, actor, referral_id: str, *, reason: str, expected_status,
             now: datetime | None = None) -> ReferralRecord:
    """The squad takes the referral back before the department signed for it; the case reopens."""
    return _step(store, actor, referral_id, "withdraw_referral",
                 {"expected_status": _expected(expected_status), "reason": reason}, now)


def sign(store: Store, actor, referral_id: str, *, received_on: date | str, signed_by: str, materials_match: bool,
         missing: str = "", expected_status=rf.ReferralStatus.SUBMITTED, now: datetime | None = None
         ) -> ReferralRecord:
    """The receipt (回执): when received, who signed, whether the materials match the list, what is missing."""
    received = received_on.isoformat() if isinstance(received_on, date) else received_on
    return _step(store, actor, referral_id, "sign_referral",
                 {"expected_status": _expected(expected_status), "received_on": received, "signed_by": signed_by,
                  "materials_match": materials_match, "missing": missing}, now)


def accept(store: Store, actor, referral_id: str, *, their_number: str,
           expected_status=rf.ReferralStatus.RECEIVED, now: datetime | None = None) -> ReferralRecord:
    return _step(store, actor, referral_id, "accept_referral",
                 {"expected_status": _expected(expected_status), "their_number": their_number}, now)


def return_referral(store: Store, actor, referral_id: str, *, reason: str, expected_status,
                    now: datetime | None = None) -> ReferralRecord:
    """The department sends it back with a reason (mandatory); the town's case reopens at its next sync."""
    return _step(store, actor, referral_id, "return_referral",
                 {"expected_status": _expected(expected_status), "reason": reason}, now)


def record_result(store: Store, actor, referral_id: str, *, result: str, reasons: str = "", expected_status,
                  now: datetime | None = None) -> ReferralRecord:
    """立案 / 不予立案 / 其他 (reasons required unless 立案)."""
    return _step(store, actor, referral_id, "record_referral_result",
                 {"expected_status": _expected(expected_status), "result": result, "reasons": reasons}, now)


__all__ = ["ReferralRecord", "prepare", "submit", "withdraw", "sign", "accept", "return_referral", "record_result",
           "for_case", "inbox", "get", "available_steps", "refer_refusal", "receiving_choices"]
