"""Police assistance request mutations (公安协助, record kind "police_request"): each calls the same
`fx_desktop.domain.police_request` function the client and its rebase call, with the request's state
(PoliceRequest.data) and an Actor built from the principal as the server knows it. A DomainError is a rejection
with its Chinese reason; a step on a request the user's organisation neither owns nor receives is refused with 403
and nothing applied (OutsideTown), before the domain's own check of the actor, which stays as the second line.

Once the request is sent (filed; a joint operation approved) the police organisation becomes a party, so its liaison
pulls the request and the case summary in it (never the case itself); a draft stays the squad's own. The official number is taken when the request is filed (a draft has none). Whether the police
organisation has an account of its own (an active user) is the server's to say: a squad entering a police step for
one that has must give a reason."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from fx_desktop.domain import police_request as pr
from fx_desktop.domain.errors import DomainError

from . import organisations
from .arguments import Args, Uuid
from .kinds import KINDS, add_party, is_party, sees
from .models import Case, PoliceRequest, User
from .mutations import MUTATIONS, Context, MutationSpec, Outcome, OutsideTown, _case_for_update
from .numbering import official_number
from .principal import Principal
from .schema import next_seq

KIND = pr.KIND


def actor(p: Principal) -> pr.Actor:
    return pr.Actor(p.name, p.role, p.org_code)


class SquadFields(Args):
    """The squad's fields (checked by the domain, whose reasons name them); None: not given, left as it is."""

    urgency: Any = None
    window_start: Any = None
    window_end: Any = None
    place: Any = None
    party: Any = None
    risk: Any = None
    asks: Any = None
    asks_other: Any = None
    officers_needed: Any = None
    call_time: Any = None
    incident_number: Any = None
    body_cam_ids: Any = None
    injuries: Any = None
    follow_up: Any = None
    details: Any = None
    contact: Any = None


class CreatePoliceRequestArgs(SquadFields):
    request_id: Uuid
    situation: str
    station_org: str
    case_id: Uuid | None = None
    file: bool = False
    number: str | None = None  # the client's provisional number, echoed back


class UpdatePoliceRequestArgs(SquadFields):
    request_id: Uuid
    expected_status: str | None = None
    station_org: str | None = None


class StepArgs(Args):
    request_id: Uuid
    expected_status: str | None = None
    note: Any = None


class WithdrawPoliceRequestArgs(StepArgs):
    reason: Any = None


class PoliceStepArgs(StepArgs):
    on_behalf_reason: Any = None


class AcknowledgeArgs(PoliceStepArgs):
    incident_number: Any = None


class ArrivalArgs(PoliceStepArgs):
    arrived_at: Any = None
    officers: Any = None


class IdentityArgs(PoliceStepArgs):
    result: Any = None
    name: Any = None
    id_number: Any = None


class OutcomeArgs(PoliceStepArgs):
    outcome: Any = None


def given(args: dict) -> dict:
    """The arguments the client sent (the schema fills the others with None)."""
    return {k: v for k, v in args.items() if v is not None}


def has_account(session: Session, org_code: str) -> bool:
    """Whether the police organisation has an active account of its own here."""
    return session.execute(select(exists().where(User.org_code == org_code, User.active.is_(True),
                                                 User.role.is_not(None)))).scalar()


def _case_data(case: Case) -> dict:
    return {**case.fields, "id": case.id, "number": case.number, "town_code": case.town_code}


def _call_at(state: dict) -> datetime | None:
    when = state.get("call_time") or ((state.get("filed") or {}).get("at") or "")[:16]
    return datetime.fromisoformat(when) if when else None


def _number_when_filed(session: Session, state: dict, at: datetime) -> None:
    """Every rule passed: only now take the official number (a rejection or a draft must not use up a serial)."""
    if state["filed"] is not None and (not state["number"] or state["number"].startswith("临时编号")):
        state["number"] = official_number(session, state["owner_org"], at.year, KIND)


def create_police_request(session: Session, p: Principal, args: dict, ctx: Context) -> Outcome:
    args = given(args)
    request_id = args["request_id"]
    if session.get(PoliceRequest, request_id) is not None:
        raise DomainError("该公安协助申请已经登记过（标识重复），未重复办理。")
    case = _case_for_update(session, p, args["case_id"]) if args.get("case_id") else None  # another town's: 403
    orgs = organisations.directory(session)
    owner = orgs.require(p.org_code, "提请单位")
    station = orgs.require(args["station_org"], "接收的公安机关")
    state = pr.create(args, case=_case_data(case) if case else None, owner=owner, station=station, actor=actor(p),
                      at=ctx.at)
    state["number"] = ""
    state["station_has_account"] = has_account(session, station.code)  # what the squad's client asks a reason by
    _number_when_filed(session, state, ctx.at)
    session.add(PoliceRequest(id=request_id, owner_org=owner.code, station_org=station.code, case_id=state["case_id"],
                              number=state["number"], situation=state["situation"], status=state["status"],
                              call_at=_call_at(state), version=1, seq=next_seq(session), data=state,
                              created_at=ctx.at, updated_at=ctx.at))
    _share_when_sent(session, request_id, state)
    return Outcome("applied", request_id, kind=KIND,
                   detail={"number": state["number"], "provisional": args.get("number"), "status": state["status"]})


UNSENT = (str(pr.RequestStatus.DRAFT), str(pr.RequestStatus.AWAITING_APPROVAL))


def _share_when_sent(session: Session, request_id: str, state: dict) -> None:
    """The police organisation becomes a party once the request is sent to it: a draft, or a joint operation
    waiting for the head's approval, stays the squad's own."""
    if state["status"] not in UNSENT and not is_party(session, KIND, request_id, state["station_org"]):
        add_party(session, KIND, request_id, state["station_org"])


def _request_for_update(session: Session, p: Principal, request_id: str) -> PoliceRequest:
    found = session.execute(select(PoliceRequest).where(PoliceRequest.id == request_id)
                            .with_for_update()).scalar_one_or_none()
    if found is None:
        raise DomainError("服务器上没有该公安协助申请。")
    if not sees(session, p, KINDS[KIND], found):
        raise OutsideTown("该公安协助申请与您所在的单位无关，无权查看或办理。")
    return found


def _step(name: str):
    def handler(session: Session, p: Principal, args: dict, ctx: Context) -> Outcome:
        args = given(args)
        request = _request_for_update(session, p, args["request_id"])
        if name not in pr.POLICE_STEPS and p.org_code != request.owner_org:
            raise OutsideTown(f"“{pr.STEP_LABELS[name]}”须由提请单位办理，公安机关不能代为办理。")
        station = None
        if args.get("station_org"):
            station = organisations.directory(session).require(args["station_org"], "接收的公安机关")
        new = pr.apply_step(name, request.data, args, actor=actor(p), at=ctx.at, station=station,
                            station_has_account=has_account(session, request.station_org))
        _number_when_filed(session, new, ctx.at)
        new["station_has_account"] = has_account(session, new["station_org"])
        _share_when_sent(session, request.id, new)
        request.data, request.status, request.number = new, new["status"], new["number"]
        request.station_org, request.call_at = new["station_org"], _call_at(new)
        request.version += 1
        request.seq = next_seq(session)
        request.updated_at = ctx.at
        return Outcome("applied", request.id, kind=KIND, detail={"status": request.status, "number": request.number})
    handler.__name__ = name
    return handler


POLICE_REQUEST_MUTATIONS: dict[str, MutationSpec] = {
    "create_police_request": MutationSpec(CreatePoliceRequestArgs, create_police_request, KIND),
    "update_police_request": MutationSpec(UpdatePoliceRequestArgs, _step("update_police_request"), KIND),
    "file_police_request": MutationSpec(StepArgs, _step("file_police_request"), KIND),
    "approve_police_request": MutationSpec(StepArgs, _step("approve_police_request"), KIND),
    "withdraw_police_request": MutationSpec(WithdrawPoliceRequestArgs, _step("withdraw_police_request"), KIND),
    "acknowledge_police_request": MutationSpec(AcknowledgeArgs, _step("acknowledge_police_request"), KIND),
    "record_police_arrival": MutationSpec(ArrivalArgs, _step("record_police_arrival"), KIND),
    "record_police_identity": MutationSpec(IdentityArgs, _step("record_police_identity"), KIND),
    "record_police_outcome": MutationSpec(OutcomeArgs, _step("record_police_outcome"), KIND),
}
MUTATIONS.update(POLICE_REQUEST_MUTATIONS)
