"""Case use cases. Each action commits, in one transaction, the changed rows, an audit entry and an outbox
mutation stating the intent (SYNC.md)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.case_changes import review_passed_after, status_effects, withdraws_review
from ..domain.case_draft import CaseDraft, CleanCase, Officer, clean_to_json, to_json_value, validate
from ..domain.case_fields import EDITABLE_COLUMNS, TEXT_FIELDS
from ..domain.case_fields import label as field_label
from ..domain.errors import DomainError
from ..domain.legal_review import workflow_step
from ..domain.lifecycle import CaseStatus, Transition, allowed_transitions, require_no_pending_criminal_referral
from ..domain.review_effects import withdraw_pending
from ..domain.roles import CASE_HANDLERS, Role, require_case_handler, require_case_registrar
from ..store import Store, audit, outbox
from ..store.models import AuditEntry, Case, CaseOfficer, Evidence, Town
from .calendar import current_calendar
from .numbering import next_number
from .profile import Profile
from .review_rules import major_reasons, review_rules, rules_in

@dataclass(frozen=True)
class EvidenceRecord:
    id: str
    kind: str
    name: str
    sha256: str
    size: int
    captured_at: datetime | None
    added_at: datetime
    added_by: str


@dataclass(frozen=True)
class CaseRecord:
    """A case as plain data, safe to hand to another thread or the UI."""

    id: str
    number: str
    town_code: str
    status: CaseStatus
    version: int
    values: dict
    officers: list[Officer]
    evidence: list[EvidenceRecord] = field(default_factory=list)
    opened_on: date | None = None
    filed_on: date | None = None
    decision_due: date | None = None
    review_passed: bool = False

    def draft(self) -> CaseDraft:
        v = self.values
        amount = v.get("proposed_amount")
        return CaseDraft(
            **{k: (v.get(k) or "") for k in TEXT_FIELDS if k != "proposed_amount"},
            party_kind=v.get("party_kind") or "person", occurred_at=v.get("occurred_at"),
            proposed_amount="" if amount is None else f"{amount}", officers=list(self.officers),
            circumstances=list(v.get("circumstances") or []),
        )


def to_record(case: Case) -> CaseRecord:
    return CaseRecord(
        id=case.id, number=case.number, town_code=case.town_code, status=CaseStatus(case.status),
        version=case.version, values={k: getattr(case, k) for k in EDITABLE_COLUMNS},
        officers=[Officer(o.name, o.cert_no) for o in case.officers],
        evidence=[EvidenceRecord(e.id, e.kind, e.name, e.sha256, e.size, e.captured_at, e.added_at, e.added_by)
                  for e in case.evidence],
        opened_on=case.opened_on, filed_on=case.filed_on, decision_due=case.decision_due,
        review_passed=bool(case.review_passed),
    )


def load_case(session: Session, case_id: str) -> Case:
    case = session.execute(select(Case).where(Case.id == case_id)).scalar_one_or_none()
    if case is None:
        raise DomainError("找不到该案件，可能已被删除。")
    return case


def outside_town(town_code: str, actor: Profile) -> bool:
    """A town's people act on their own town's cases, the bureau on all; a department, the police or the
    procuratorate on none (they work on what is shared with them, e.g. a referral)."""
    return not actor.sees_town(town_code)


def no_cases_reason(actor: Profile) -> str:
    """Why a user of an organisation that is neither a town nor the bureau may not touch a town's case."""
    return (f"您所在的单位（{actor.org_kind.label}）不办理街镇的案件，只能办理移送或抄送给本单位的事项。"
            "如需查看案件，请联系案件所在街镇的执法中队。")


def ensure_same_town(case: Case, actor: Profile) -> None:
    if outside_town(case.town_code, actor):
        raise DomainError(no_cases_reason(actor) if not actor.in_town else "该案件不属于您所在的街镇，无权修改。")


def register_towns(actor: Profile) -> tuple[str, ...] | None:
    """Which towns' cases the case register lists for `actor` (CaseFilter.owner_towns): None for every case in
    this store (the bureau; a town's client, whose store holds what the server lets it see, plus demo cases of
    other towns shown read-only); none at all for other organisations."""
    return None if actor.sees_all or actor.in_town else ()


def get_case(store: Store, case_id: str) -> CaseRecord:
    with store.sessions() as session:
        return to_record(load_case(session, case_id))


def create_case(store: Store, actor: Profile, draft: CaseDraft, *, town_code: str | None = None,
                now: datetime | None = None) -> CaseRecord:
    now = now or datetime.now()
    require_case_registrar(actor.role)
    clean = validate(draft, today=now.date(), rules=review_rules(store))
    town = town_code or actor.town_code
    if not actor.sees_all and not actor.in_town:
        raise DomainError(no_cases_reason(actor), "town")
    if not town:
        raise DomainError("案件须属于一个街镇：区局调度员暂不能在本机登记案件，请由街镇执法队登记。", "town")
    if outside_town(town, actor):
        raise DomainError("只能为您所在的街镇登记案件。", "town")
    with store.writes.begin() as session:
        if session.get(Town, town) is None:
            raise DomainError(f"街镇代码“{town}”不在街镇名单中。", "town")
        case = Case(id=str(uuid.uuid4()), number=next_number(session, "case", town, now.year), town_code=town,
                    status=str(CaseStatus.CLUE), opened_on=now.date(), created_by=actor.name, updated_at=now,
                    version=1, **clean.columns)
        case.officers = [CaseOfficer(position=i, name=o.name, cert_no=o.cert_no) for i, o in enumerate(clean.officers)]
        session.add(case)
        values, officers = clean_to_json(clean)
        audit.append(session, actor=actor.name, role=str(actor.role), case_id=case.id, action="create",
                     detail={"number": case.number, "values": values, "officers": officers}, at=now)
        outbox.enqueue(session, "create_case", {"case_id": case.id, "number": case.number, "town_code": town,
                                                "fields": values, "officers": officers}, owner=actor.user_id, at=now)
        session.flush()
        return to_record(case)


def update_case(store: Store, actor: Profile, case_id: str, draft: CaseDraft, *, base_version: int,
                loaded: CaseRecord | None = None, now: datetime | None = None) -> CaseRecord:
    """Save the fields that changed. `base_version` is the version the editor loaded. When the case changed
    meanwhile (a sync landed) and the editor passes what it `loaded`, the user's own changes are applied on top
    of the newer case unless one of them touches a field that changed meanwhile too; without `loaded` the user
    must reload."""
    now = now or datetime.now()
    require_case_handler(actor.role)
    clean = validate(draft, today=now.date(), rules=review_rules(store))
    with store.writes.begin() as session:
        case = load_case(session, case_id)
        ensure_same_town(case, actor)
        if CaseStatus(case.status).is_terminal:
            raise DomainError(f"案件已处于“{CaseStatus(case.status).label}”状态，不能再修改。")
        if case.version != base_version:
            if loaded is None:
                raise DomainError("该案件在您编辑期间已被更新，请重新打开后再修改。")
            clean = _onto_current(case, loaded, clean)
        changes = diff_case(case, clean)
        if not changes:
            return to_record(case)
        if "officers" in changes:  # an officer put on a filed case holds a valid certificate (domain.roster)
            from . import roster

            roster.check_officers_change(session, case.town_code, case.officers, clean.officers, now.date(),
                                         filed=case.status != str(CaseStatus.CLUE))
        shown = write_changes(case, clean, changes, now)
        audit.append(session, actor=actor.name, role=str(actor.role), case_id=case.id, action="update",
                     detail={"changes": shown}, at=now)
        if outbox.creation_refused(session, case.id) is None:  # else kept here: the resend carries the whole case
            outbox.enqueue(session, "update_case", {
                "case_id": case.id, "base_version": base_version,
                "changed_fields": {k: v[1] for k, v in shown.items()}, "base": {k: v[0] for k, v in shown.items()},
            }, owner=actor.user_id, at=now)
        session.flush()
        return to_record(case)


def _same(old, new) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        return (old is None and new is None) or (old is not None and new is not None and Decimal(old) == Decimal(new))
    return old == new


def _onto_current(case: Case, loaded: CaseRecord, clean: CleanCase) -> CleanCase:
    """The user's edits (what differs from what the editor loaded) laid over the case as it is now."""
    mine = {k: v for k, v in clean.columns.items() if not _same(loaded.values.get(k), v)}
    for name, new in mine.items():
        now_value = getattr(case, name)
        if not _same(now_value, loaded.values.get(name)) and not _same(now_value, new):
            raise DomainError(f"“{field_label(name)}”在您编辑期间已被他人改为“{to_json_value(now_value)}”，"
                              "请核对后重新填写该项再保存。", name)
    columns = {k: getattr(case, k) for k in clean.columns}
    columns.update(mine)
    loaded_officers = [(o.name, o.cert_no) for o in loaded.officers]
    now_officers = [(o.name, o.cert_no) for o in case.officers]
    officers = [Officer(o.name, o.cert_no) for o in case.officers]
    if [(o.name, o.cert_no) for o in clean.officers] != loaded_officers:
        if now_officers != loaded_officers:
            raise DomainError("承办人员在您编辑期间已被他人修改，请核对后再保存。", "officers")
        officers = clean.officers
    return CleanCase(columns, officers)


def write_changes(case: Case, clean: CleanCase, changes: dict[str, tuple], now: datetime) -> dict[str, list]:
    """Put the `changes` (diff_case) of `clean` into the case, version + 1; returns them as [old, new] JSON values."""
    for name, (_, new) in changes.items():
        if name != "officers":
            setattr(case, name, new)
    if "officers" in changes:
        case.officers = [CaseOfficer(position=i, name=o.name, cert_no=o.cert_no) for i, o in enumerate(clean.officers)]
    case.version += 1
    case.updated_at = now
    case.review_passed = review_passed_after(case.review_passed, changes)
    return {k: [to_json_value(a), to_json_value(b)] for k, (a, b) in changes.items()}


def diff_case(case: Case, clean: CleanCase) -> dict[str, tuple]:
    changes = {}
    for name, new in clean.columns.items():
        old = getattr(case, name)
        if not _same(old, new):
            changes[name] = (old, new)
    old_officers = [(o.name, o.cert_no) for o in case.officers]
    new_officers = [(o.name, o.cert_no) for o in clean.officers]
    if old_officers != new_officers:
        changes["officers"] = ([list(o) for o in old_officers], [list(o) for o in new_officers])
    return changes


def read_only_reason(record: CaseRecord, actor: Profile) -> str | None:
    """Why `actor` may only look at this case, or None when they may change it."""
    if record.status.is_terminal:
        return f"案件已处于“{record.status.label}”状态，仅可查看。"
    if outside_town(record.town_code, actor):
        return "该案件不属于您所在的街镇，仅可查看。" if actor.in_town else no_cases_reason(actor)
    if actor.role not in CASE_HANDLERS:
        return f"您的角色“{actor.role.label}”可查看案件，登记和修改由执法队员或中队长办理。"
    return None


def record_major_reasons(record: CaseRecord, rules) -> list[str]:
    v = record.values
    return rules.major_reasons(party_kind=v.get("party_kind") or "person", penalty=v.get("proposed_penalty"),
                               amount=v.get("proposed_amount"), circumstances=v.get("circumstances") or [])


def is_major(record: CaseRecord, rules) -> bool:
    return bool(record_major_reasons(record, rules))


def available_actions(record: CaseRecord, actor: Profile, rules) -> list[Transition]:
    """The workflow steps to offer under the legal-review `rules`. `submit_review` is among them (the UI opens the
    submission form for it); a reviewer answers through the review form, not with a bare return."""
    if outside_town(record.town_code, actor):
        return []
    steps = allowed_transitions(record.status, actor.role, major=is_major(record, rules),
                                review_passed=record.review_passed)
    if actor.role == Role.LEGAL_REVIEWER:
        steps = [t for t in steps if t.action != "return_review"]
    return steps


def load_for_step(session: Session, actor: Profile, case_id: str, expected: CaseStatus) -> tuple[Case, CaseStatus]:
    """The case a workflow step acts on, of the actor's town, still in the status the user saw."""
    case = load_case(session, case_id)
    ensure_same_town(case, actor)
    current = CaseStatus(case.status)
    if current != expected:
        raise DomainError(f"案件状态已变为“{current.label}”，请刷新后再操作。")
    return case, current


def _crime_pending(session: Session, case_id: str) -> bool:
    from .criminal_referrals import pending_for_case  # it reads cases through this module

    return pending_for_case(session, case_id)


def change_status(store: Store, actor: Profile, case_id: str, action: str, *, expected_status: CaseStatus,
                  now: datetime | None = None) -> CaseRecord:
    now = now or datetime.now()
    with store.writes.begin() as session:
        case, current = load_for_step(session, actor, case_id, expected_status)
        require_no_pending_criminal_referral(action, _crime_pending(session, case.id))
        target = workflow_step(current, action, actor.role, major=bool(major_reasons(case, rules_in(session))),
                               review_passed=bool(case.review_passed), officer_count=len(case.officers))
        if target == CaseStatus.FILED:  # an expired enforcement certificate cannot file a case (domain.roster)
            from . import roster

            roster.check_filing(session, case.town_code, case.officers, now.date())
        calendar = current_calendar(session) if target == CaseStatus.FILED else None
        for column, value in status_effects(action, target, now.date(), calendar).items():
            setattr(case, column, value)
        if withdraws_review(action):
            withdraw_pending(case.reviews)
        case.version += 1
        case.updated_at = now
        detail = {"action": action, "from": str(current), "to": str(target)}
        audit.append(session, actor=actor.name, role=str(actor.role), case_id=case.id, action="transition",
                     detail=detail, at=now)
        outbox.enqueue(session, "transition_case", {"case_id": case.id, "action": action,
                                                    "expected_state": str(current)}, owner=actor.user_id, at=now)
        session.flush()
        return to_record(case)


def delete_clue(store: Store, actor: Profile, case_id: str, *, expected_status: CaseStatus = CaseStatus.CLUE,
                now: datetime | None = None) -> None:
    """A clue registered by mistake, removed by the squad leader before it is filed. The audit trail keeps the
    record of it; other devices get a tombstone from the server."""
    now = now or datetime.now()
    if actor.role != Role.SQUAD_LEADER:
        raise DomainError("只有中队长可以删除误登记的线索。")
    with store.writes.begin() as session:
        case = load_case(session, case_id)
        ensure_same_town(case, actor)
        if case.status != str(CaseStatus.CLUE) or expected_status != CaseStatus.CLUE:
            raise DomainError(f"案件已处于“{CaseStatus(case.status).label}”状态，只能删除尚未立案的线索。")
        audit.append(session, actor=actor.name, role=str(actor.role), case_id=case.id, action="delete",
                     detail={"number": case.number, "party_name": case.party_name}, at=now)
        outbox.enqueue(session, "delete_case", {"case_id": case.id}, owner=actor.user_id, at=now)
        session.delete(case)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str
    role: str
    action: str
    detail: dict
    kind: str | None = None  # set when the entry is about another record of the case (a referral)
    record_id: str | None = None


def timeline(store: Store, case_id: str) -> list[TimelineEntry]:
    with store.sessions() as session:
        rows = session.execute(
            select(AuditEntry).where(AuditEntry.case_id == case_id).order_by(AuditEntry.seq)
        ).scalars()
        return [TimelineEntry(r.at, r.actor, r.role, r.action, r.detail, r.kind, r.record_id) for r in rows]


def add_evidence_row(session: Session, case: Case, actor: Profile, *, kind: str, name: str, sha256: str, size: int,
                     captured_at: datetime | None, now: datetime) -> Evidence:
    """Used by services.evidence once the blob is stored."""
    ev = Evidence(id=str(uuid.uuid4()), case_id=case.id, kind=kind, name=name, sha256=sha256, size=size,
                  captured_at=captured_at, added_at=now, added_by=actor.name)
    session.add(ev)
    case.version += 1
    case.updated_at = now
    info = {"evidence_id": ev.id, "kind": kind, "name": name, "sha256": sha256, "size": size,
            "captured_at": to_json_value(captured_at)}
    audit.append(session, actor=actor.name, role=str(actor.role), case_id=case.id, action="evidence_add",
                 detail=info, at=now)
    outbox.enqueue(session, "add_evidence", {"case_id": case.id, **info}, owner=actor.user_id, at=now)
    return ev
