"""Applying one pushed mutation on the server, re-validated with the same `domain` rules the client uses, against
the user's role and town. A DomainError rejects the mutation (its reason is stored and returned); MissingBlob
stops the push without advancing, because the client must upload first."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, Callable

from pydantic import Field, StringConstraints
from sqlalchemy import select
from sqlalchemy.orm import Session

from fx_desktop.domain.criminal_referral import pending as crime_pending
from fx_desktop.domain.case_changes import change_fields, status_effects, withdraws_review
from fx_desktop.domain.case_draft import DraftInvalid, clean_to_json, draft_from_json, validate
from fx_desktop.domain.case_fields import EDITABLE, TEXT_FIELDS
from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.evidence import EvidenceKind
from fx_desktop.domain.legal_review import workflow_step
from fx_desktop.domain.lifecycle import ENDED_BY_PENALTY, CaseStatus, require_no_pending_criminal_referral
from fx_desktop.domain.roles import Role, require_case_handler, require_case_registrar
from fx_desktop.domain.text_cleaning import clean_json, clean_name, clean_text
from fx_desktop.domain.text_limits import TEXT_LIMITS, checked_text
from fx_desktop.domain.timestamps import parse_time
from fx_desktop.domain.workdays import HolidayCalendar

from . import batch_cases, reviews
from .arguments import Args, Officer, OptionalTime, Sha256, Uuid
from .blobs import may_read
from .models import Blob, BlobRef, Case, Conflict, CriminalReferral, Tombstone, Town
from .numbering import official_number
from .principal import Principal
from .schema import from_reference, next_seq, reference_data

EDITABLE_KEYS = frozenset(EDITABLE)
DELETED = "__deleted__"  # the `field` of a conflict between an edit and a deleted case


class OutsideTown(DomainError):
    """A mutation that reaches into another town: no honest client sends one (its UI does not allow it), so the
    whole request is refused with 403 and nothing is applied or advanced."""


class MissingBlob(Exception):
    def __init__(self, sha256: str):
        super().__init__(sha256)
        self.sha256 = sha256


@dataclass
class Outcome:
    result: str  # applied / conflict
    case_id: str | None = None  # the id of the record acted on, of `kind`
    conflicts: list[dict] = field(default_factory=list)
    detail: dict = field(default_factory=dict)
    kind: str = "case"  # fx_bureau.kinds


@dataclass(frozen=True)
class Context:
    at: datetime  # when the user acted: the client's time, never later than the server's
    mutation_id: int


def _require_handler(p: Principal) -> None:
    require_case_handler(p.role)


def _locked_case(session: Session, case_id: str) -> Case | None:
    """The case, its row locked until commit (PostgreSQL): from the push's read of the cases it names
    (fx_bureau.batch_cases) when it has it, else queried."""
    batch = batch_cases.of(session)
    if batch is not None and batch.covers(case_id):
        return batch.case(case_id)
    return session.execute(select(Case).where(Case.id == case_id).with_for_update()).scalar_one_or_none()


def _tombstone(session: Session, case_id: str) -> Tombstone | None:
    batch = batch_cases.of(session)
    if batch is not None and batch.covers(case_id):
        return batch.tombstone(case_id)
    return session.get(Tombstone, ("case", case_id))


def _registered(session: Session, case_id: str) -> bool:
    """Whether the server has, or had and deleted, a case with this id."""
    batch = batch_cases.of(session)
    if batch is not None and batch.covers(case_id):
        return batch.case(case_id) is not None or batch.tombstone(case_id) is not None
    known = select(Case.id).where(Case.id == case_id).union_all(
        select(Tombstone.id).where(Tombstone.entity == "case", Tombstone.id == case_id))
    return session.execute(known.limit(1)).first() is not None


def _case_for_update(session: Session, p: Principal, case_id: str) -> Case:
    case = _locked_case(session, case_id)
    if case is None:
        raise DomainError("服务器上没有该案件。")
    if not p.sees_town(case.town_code):
        raise OutsideTown("该案件不属于您所在的街镇，无权修改。")
    return case


def _clean(session: Session, values: dict, officers: list) -> tuple[dict, list]:
    try:
        return clean_to_json(validate(draft_from_json(values, officers), rules=reviews.rules(session)))
    except DraftInvalid as exc:
        raise DomainError(f"案件数据未通过校验：{exc.message}") from exc


def _calendar(session: Session) -> HolidayCalendar:
    """The official calendar of the reference (read only, like everything schema.from_reference keeps)."""
    return from_reference(session, "calendar", _make_calendar)


def _make_calendar(session: Session) -> HolidayCalendar:
    data = reference_data(session)
    if data and data.get("holidays"):
        return HolidayCalendar(data["holidays"])
    return HolidayCalendar.load_official()


def _touch(session: Session, case: Case, at: datetime) -> None:
    case.version += 1
    case.seq = next_seq(session)
    case.updated_at = at


class CreateCaseArgs(Args):
    case_id: Uuid
    town_code: str
    fields: dict[str, Any]
    officers: list[Officer] = []
    number: str | None = None  # the client's provisional number, echoed back


def create_case(session: Session, p: Principal, args: dict, ctx: Context) -> Outcome:
    """Town staff register cases in their own town; the bureau's dispatcher in the town a clue is routed to."""
    require_case_registrar(p.role)
    town = args["town_code"]
    if not p.sees_town(town):
        raise OutsideTown("只能为您所在的街镇登记案件。")
    if town not in from_reference(session, "towns", _town_codes):
        raise DomainError(f"街镇代码“{town}”不在街镇名单中。")
    case_id = args["case_id"]
    if _registered(session, case_id):
        raise DomainError("该案件已在服务器上登记过（案件标识重复）。")
    values, officers = _clean(session, args["fields"], args["officers"])
    opened = ctx.at.date()
    case = Case(id=case_id, number=official_number(session, town, ctx.at.year), town_code=town,
                status=str(CaseStatus.CLUE), version=1, seq=next_seq(session), review_passed=False, opened_on=opened,
                created_by=p.name, created_at=ctx.at, updated_at=ctx.at, fields=values, officers=officers,
                evidence=[])
    session.add(case)
    if (batch := batch_cases.of(session)) is not None:
        batch.created(case)
    return Outcome("applied", case_id, detail={"number": case.number, "provisional": args.get("number")})


def _town_codes(session: Session) -> frozenset[str]:
    """Every town's code (read without flushing: a handler of the push's fast path must not write early)."""
    return frozenset(session.connection().execute(select(Town.__table__.c.code)).scalars())


class UpdateCaseArgs(Args):
    case_id: Uuid
    changed_fields: dict[str, Any]
    base: dict[str, Any] = {}
    # the version the client's editor loaded: declared (the client sends it) but not read, the merge is field by
    # field; bounded like a version column
    base_version: Annotated[int, Field(ge=1, le=2**63 - 1)] | None = None


def update_case(session: Session, p: Principal, args: dict, ctx: Context) -> Outcome:
    """Field-level merge: a field whose server value still equals the client's base takes the new value; one that
    already holds the new value is left alone; any other makes a conflict with base, mine and theirs."""
    _require_handler(p)
    case_id = args["case_id"]
    changed: dict = _checked_values(args["changed_fields"])
    base = {key: _comparable(key, value) for key, value in clean_json(args["base"]).items()}
    unknown = set(changed) - EDITABLE_KEYS
    if unknown:
        raise DomainError(f"不能修改这些字段：{'、'.join(sorted(unknown))}。")
    case = _locked_case(session, case_id)
    if case is None:
        tomb = _tombstone(session, case_id)
        if tomb is None:
            raise DomainError("服务器上没有该案件。")
        if not p.sees_town(tomb.town_code):
            raise OutsideTown("该案件不属于您所在的街镇，无权修改。")
        conflict = _conflict(session, p, tomb.town_code, case_id, DELETED, None, changed, None, ctx)
        return Outcome("conflict", case_id, conflicts=[conflict])
    if not p.sees_town(case.town_code):
        raise OutsideTown("该案件不属于您所在的街镇，无权修改。")
    if CaseStatus(case.status).is_terminal:
        raise DomainError(f"案件已处于“{CaseStatus(case.status).label}”状态，不能再修改。")
    current = {**case.fields, "officers": case.officers}
    merged = dict(current)
    clashes = []
    for key, new in changed.items():
        theirs = _comparable(key, current.get(key))  # a value stored before cleaning existed equals its clean form
        if theirs == new:
            continue
        if theirs == base.get(key):
            merged[key] = new
        else:
            clashes.append((key, base.get(key), new, theirs))
    change = change_fields(current, {k: merged.get(k) for k in changed}, review_passed=case.review_passed)
    applied = change.changed
    if "officers" in applied:  # an officer put on a filed case holds a valid certificate (domain.roster)
        roster.check_officers_change(session, case, change.values["officers"], ctx.at.date())
    if applied:
        _store_fields(session, case, change)
        _touch(session, case, ctx.at)
    elif clashes:
        case.seq = next_seq(session)  # the pusher's copy holds its own value: its next pull brings the server's
    conflicts = [_conflict(session, p, case.town_code, case.id, k, b, m, t, ctx) for k, b, m, t in clashes]
    return Outcome("conflict" if conflicts else "applied", case.id, conflicts=conflicts,
                   detail={"merged_fields": sorted(applied)})


def _store_fields(session: Session, case: Case, change) -> None:
    """The case's fields after `change` (domain.case_changes), validated as a whole, with the review pass the
    change leaves (a changed decision field takes it back: the reviewer agreed to something else)."""
    values = dict(change.values)
    officers = values.pop("officers")
    case.fields, case.officers = _clean(session, values, officers)
    case.review_passed = change.review_passed


def _comparable(key: str, value):
    """A value cleaned as a changed field is (a text field with its own single- or multi-line rule), so that what
    is compared with a changed field has been through the same cleaning."""
    if key in TEXT_FIELDS and isinstance(value, str):
        return clean_text(value, multiline=TEXT_LIMITS[key].multiline)
    return clean_json(value)


def _checked_values(values: dict) -> dict:
    """Changed fields cleaned and held to the text limits before anything is compared or kept: a conflict stores
    no more than a case could."""
    return {key: checked_text(key, value) if key in TEXT_FIELDS and isinstance(value, str)
            else clean_json(value) for key, value in values.items()}


def _conflict(session, p: Principal, town: str, case_id: str, key: str, base, mine, theirs, ctx: Context) -> dict:
    row = Conflict(id=str(uuid.uuid4()), case_id=case_id, town_code=town, field=key, base=base, mine=mine,
                   theirs=theirs, mine_by=p.name, client_id=p.client_id, mutation_id=ctx.mutation_id,
                   status="open", created_at=ctx.at, seq=next_seq(session))
    session.add(row)
    return conflict_json(row)


def conflict_json(c: Conflict) -> dict:
    return {"id": c.id, "case_id": c.case_id, "town_code": c.town_code, "field": c.field, "base": c.base,
            "mine": c.mine, "theirs": c.theirs, "mine_by": c.mine_by, "client_id": c.client_id, "status": c.status,
            "resolution": c.resolution, "resolved_by": c.resolved_by, "created_at": c.created_at.isoformat()}


class TransitionCaseArgs(Args):
    case_id: Uuid
    action: str
    expected_state: str


def transition_case(session: Session, p: Principal, args: dict, ctx: Context) -> Outcome:
    """A workflow command: checked against the current state, never last-writer-wins."""
    case = _case_for_update(session, p, args["case_id"])
    current = CaseStatus(case.status)
    expected = args["expected_state"]
    if expected != str(current):
        raise DomainError(f"案件状态已变为“{current.label}”，该操作基于“{_label(expected)}”状态，未执行。")
    action = args["action"]
    if action == "refer":
        raise DomainError("移送案件须填写移送函（接收部门、移送理由、法律依据、材料清单），请在案件页使用“移送”办理，"
                          "不能直接把案件改为“已移送”。")
    if action in ENDED_BY_PENALTY:
        require_no_pending_criminal_referral(action, _crime_pending(session, case.id))
    target = workflow_step(current, action, p.role, major=reviews.is_major(session, case),
                           review_passed=case.review_passed, officer_count=len(case.officers))
    if target == CaseStatus.FILED:  # an expired enforcement certificate cannot file a case (domain.roster)
        roster.check_case_officers(session, case.town_code, case.officers, ctx.at.date())
    calendar = _calendar(session) if target == CaseStatus.FILED else None
    for column, value in status_effects(action, target, ctx.at.date(), calendar).items():
        setattr(case, column, value)
    if withdraws_review(action):
        reviews.withdraw(session, case, ctx.at)
    _touch(session, case, ctx.at)
    return Outcome("applied", case.id, detail={"status": case.status})


def _crime_pending(session: Session, case_id: str) -> bool:
    """Whether a criminal referral of the case still waits (a penalty does not replace it)."""
    statuses = session.execute(select(CriminalReferral.status).where(CriminalReferral.case_id == case_id)).scalars()
    return crime_pending(list(statuses))


def _label(status) -> str:
    try:
        return CaseStatus(status).label
    except ValueError:
        return str(status)


class AddEvidenceArgs(Args):
    case_id: Uuid
    evidence_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    kind: EvidenceKind
    name: str
    sha256: Sha256
    size: Annotated[int, Field(ge=0)]
    captured_at: OptionalTime = None


def add_evidence(session: Session, p: Principal, args: dict, ctx: Context) -> Outcome:
    """A case never points at a blob the server does not hold. A user who may not read the blob (who only knows its
    hash) is answered as if the server lacked it: their client uploads the bytes, which proves possession."""
    _require_handler(p)
    case = _case_for_update(session, p, args["case_id"])
    sha = args["sha256"]
    if not may_read(session, p, sha):
        raise MissingBlob(sha)
    blob = session.get(Blob, sha)
    if blob.size != args["size"]:
        raise DomainError("附件大小与服务器保存的文件不一致。")
    if any(e["id"] == args["evidence_id"] for e in case.evidence):
        return Outcome("applied", case.id)
    entry = {"id": args["evidence_id"], "kind": args["kind"],
             "name": clean_name(args["name"]), "sha256": sha, "size": blob.size,
             "captured_at": args["captured_at"], "added_at": ctx.at.isoformat(), "added_by": p.name}
    case.evidence = [*case.evidence, entry]
    if session.get(BlobRef, (sha, case.town_code)) is None:
        session.add(BlobRef(sha256=sha, town_code=case.town_code))
    _touch(session, case, ctx.at)
    return Outcome("applied", case.id)


class ResolveConflictArgs(Args):
    conflict_id: Uuid
    value: Any = None  # the chosen or merged value of the field, checked with the whole case
    case_id: Uuid | None = None
    field: str | None = None


def resolve_conflict(session: Session, p: Principal, args: dict, ctx: Context) -> Outcome:
    """The person's decision on a conflict, itself a mutation: the chosen or merged value is written."""
    _require_handler(p)
    conflict = session.execute(
        select(Conflict).where(Conflict.id == args["conflict_id"]).with_for_update()
    ).scalar_one_or_none()
    if conflict is None or not p.sees_town(conflict.town_code):
        raise DomainError("没有找到该冲突。")
    if conflict.status != "open":
        raise DomainError(f"该冲突已由{conflict.resolved_by or '他人'}处理。")
    value = _checked_values({conflict.field: args["value"]})[conflict.field]
    if conflict.field != DELETED:
        case = _case_for_update(session, p, conflict.case_id)
        current = {**case.fields, "officers": case.officers}
        now = _comparable(conflict.field, current.get(conflict.field))
        if now not in (conflict.mine, conflict.theirs) and now != value:
            # The field changed again after the conflict arose: the person chose between two values without
            # seeing the newer one. Their decision settles this conflict; the newer value is not overwritten but
            # kept in a new conflict against the decision.
            conflict.status, conflict.resolution, conflict.resolved_by = "resolved", value, p.name
            conflict.seq = case.seq = next_seq(session)  # the resolver's copy holds its decision: pull the server's
            clash = _conflict(session, p, case.town_code, case.id, conflict.field, conflict.theirs, value, now, ctx)
            return Outcome("conflict", conflict.case_id, conflicts=[clash])
        change = change_fields(current, {conflict.field: value}, review_passed=case.review_passed)
        if "officers" in change.changed:  # as update_case: a valid certificate for an officer put on a filed case
            roster.check_officers_change(session, case, change.values["officers"], ctx.at.date())
        if change.changed:
            _store_fields(session, case, change)
            _touch(session, case, ctx.at)
    conflict.status, conflict.resolution, conflict.resolved_by = "resolved", value, p.name
    conflict.seq = next_seq(session)
    return Outcome("applied", conflict.case_id)


class DeleteCaseArgs(Args):
    case_id: Uuid


def delete_case(session: Session, p: Principal, args: dict, ctx: Context) -> Outcome:
    """A clue registered by mistake may be deleted by the squad leader before it is filed; clients get a tombstone."""
    case = _case_for_update(session, p, args["case_id"])
    if p.role != Role.SQUAD_LEADER:
        raise DomainError("只有中队长可以删除误登记的线索。")
    if case.status != str(CaseStatus.CLUE):
        raise DomainError(f"案件已处于“{CaseStatus(case.status).label}”状态，只能删除尚未立案的线索。")
    tomb = Tombstone(entity="case", id=case.id, town_code=case.town_code, seq=next_seq(session))
    session.add(tomb)
    session.delete(case)
    if (batch := batch_cases.of(session)) is not None:
        batch.deleted(tomb)
    return Outcome("applied", case.id)


@dataclass(frozen=True)
class ReviewEnv:
    """What a review step needs from the rest of the server: the holiday calendar and official numbers."""

    session: Session
    case: Case
    ctx: Context

    def calendar(self) -> HolidayCalendar:
        return _calendar(self.session)

    def number(self, kind: str) -> str:
        return official_number(self.session, self.case.town_code, self.ctx.at.year, kind)


def _review_step(step):
    """A legal review mutation (record kind legal_review: the round named by review_id) on a case of the user's
    town (another town: 403, nothing applied). The case is touched too: its status or review pass may change, and
    a client of the previous version reads the rounds inside the case row (fx_bureau.kinds.rounds_of)."""
    def handler(session: Session, p: Principal, args: dict, ctx: Context) -> Outcome:
        case = _case_for_update(session, p, args["case_id"])
        detail = step(session, p, args, ctx, case, ReviewEnv(session, case, ctx))
        _touch(session, case, ctx.at)
        return Outcome("applied", args["review_id"], kind=reviews.KIND, detail=detail)
    handler.__name__ = step.__name__
    return handler


Handler = Callable[[Session, Principal, dict, Context], Outcome]


@dataclass(frozen=True)
class MutationSpec:
    """A mutation the server accepts: its declared arguments and the handler that applies them."""

    schema: type[Args]
    handler: Handler
    kind: str = "case"  # the record kind it acts on (fx_bureau.kinds)


MUTATIONS: dict[str, MutationSpec] = {
    "create_case": MutationSpec(CreateCaseArgs, create_case),
    "update_case": MutationSpec(UpdateCaseArgs, update_case),
    "transition_case": MutationSpec(TransitionCaseArgs, transition_case),
    "add_evidence": MutationSpec(AddEvidenceArgs, add_evidence),
    "resolve_conflict": MutationSpec(ResolveConflictArgs, resolve_conflict),
    "delete_case": MutationSpec(DeleteCaseArgs, delete_case),
    "submit_review": MutationSpec(reviews.SubmitReviewArgs, _review_step(reviews.submit_review), reviews.KIND),
    "record_review": MutationSpec(reviews.RecordReviewArgs, _review_step(reviews.record_review), reviews.KIND),
    "extend_review": MutationSpec(reviews.ExtendReviewArgs, _review_step(reviews.extend_review), reviews.KIND),
}


def client_time(raw: object, server_now: datetime) -> datetime:
    """When the user acted, as the client says, but never in the server's future (a fast clock cannot date a
    decision ahead); ordering never uses it. No time: the server's. Nonsense: BadTime (the mutation is rejected,
    see push)."""
    at = parse_time(raw, "变更时间（at）") if raw not in (None, "") else server_now
    return min(at, server_now)


from . import referrals  # noqa: E402,F401 - registers the referral mutations in MUTATIONS (they build on the above)
from . import police_requests  # noqa: E402,F401 - registers the police request mutations in MUTATIONS
from . import criminal_referrals  # noqa: E402,F401 - registers the criminal referral mutations
from . import meetings  # noqa: E402,F401 - registers the meeting and consultation item mutations
from . import supervisions  # noqa: E402,F401 - registers the supervision sheet mutations
from . import roster  # noqa: E402 - registers the roster mutations (人员与执法证); the filing check reads it
