"""Supervision sheet mutations (督办单, record kind "supervision"): each calls the same `fx_desktop.domain.supervision`
function the client and its rebase call, with the sheet's state (Supervision.data) and an Actor built from the
principal as the server knows it. A DomainError is a rejection with its Chinese reason; a step by an organisation
that is not on the step's side (the supervising office for issuing, deciding, closing, sending back, chasing and
withdrawing; the responsible unit for signing, asking for time and reporting) is refused with 403 and nothing
applied (OutsideTown), before the domain's own check of the actor's role.

The responsible unit becomes a party when the sheet is issued, so its liaison pulls it. The official number
(template `supervision`, "奉南桥督办〔2026〕1号") is taken when the sheet is issued, once every rule passed."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fx_desktop.domain import meeting as mt
from fx_desktop.domain import supervision as sv
from fx_desktop.domain.errors import DomainError

from . import organisations
from .arguments import Args, Uuid
from .kinds import KINDS, add_party, is_party, sees
from .models import Meeting, Supervision
from .mutations import MUTATIONS, Context, MutationSpec, Outcome, OutsideTown, _calendar
from .numbering import official_number
from .principal import Principal
from .schema import next_seq

KIND = sv.KIND


def actor(p: Principal) -> sv.Actor:
    return sv.Actor(p.name, p.role, p.org_code)


class IssueSupervisionArgs(Args):
    supervision_id: Uuid
    responsible_org: str
    matter: Any = None
    deadline: Any = None
    leader: Any = None
    handler: Any = None
    source_kind: Any = None
    source_id: Any = None
    source_item: Any = None
    source_text: Any = None
    number: str | None = None  # the client's provisional number, echoed back


class SupervisionStepArgs(Args):
    supervision_id: Uuid
    expected_status: str | None = None
    note: Any = None


class SupervisionSignArgs(SupervisionStepArgs):
    handler: Any = None


class SupervisionReportArgs(SupervisionStepArgs):
    text: Any = None
    attachments: Any = None


class SupervisionAskExtensionArgs(SupervisionStepArgs):
    reason: Any = None
    new_deadline: Any = None


class SupervisionDecideExtensionArgs(SupervisionStepArgs):
    approved: Any = None
    reason: Any = None
    new_deadline: Any = None


class SupervisionReasonArgs(SupervisionStepArgs):
    reason: Any = None


def given(args: dict) -> dict:
    """The arguments the client sent (the schema fills the others with None)."""
    return {k: v for k, v in args.items() if v is not None}


def issue_supervision(session: Session, p: Principal, args: dict, ctx: Context) -> Outcome:
    args = given(args)
    sheet_id = args["supervision_id"]
    if session.get(Supervision, sheet_id) is not None:
        raise DomainError("该督办单已经下发过（标识重复），未重复办理。")
    orgs = organisations.directory(session)
    owner = orgs.require(p.org_code, "督办单位")
    responsible = orgs.require(args["responsible_org"], "责任单位")
    state = sv.issue(args, owner=owner, responsible=responsible, actor=actor(p), at=ctx.at)
    _check_meeting_item(session, state["source"] or {}, owner.code)
    state["number"] = official_number(session, owner.code, ctx.at.year, KIND)  # every rule passed
    source = state["source"] or {}
    session.add(Supervision(id=sheet_id, owner_org=owner.code, responsible_org=responsible.code,
                            source_kind=source.get("kind"), source_id=source.get("id"), source_item=source.get("item"),
                            number=state["number"], matter=state["matter"],
                            deadline=date.fromisoformat(state["deadline"]), status=state["status"], version=1,
                            seq=next_seq(session), data=state, created_at=ctx.at, updated_at=ctx.at))
    if responsible.code != owner.code and not is_party(session, KIND, sheet_id, responsible.code):
        add_party(session, KIND, sheet_id, responsible.code)
    return Outcome("applied", sheet_id, kind=KIND,
                   detail={"number": state["number"], "provisional": args.get("number"), "status": state["status"]})


def _check_meeting_item(session: Session, source: dict, owner: str) -> None:
    """A sheet following up an agreed item names a meeting of the supervising office, its minutes signed and the
    item on them (a meeting not on the server is not checked: the sheet only names it)."""
    if source.get("kind") != "meeting":
        return
    meeting = session.get(Meeting, source.get("id"))
    if meeting is None:
        return
    if meeting.owner_org != owner:
        raise OutsideTown("只有召集会议的单位才能督办该会议的议定事项，您所在的单位不能督办其他单位会议的事项。")
    mt.supervisable_item(meeting.data or {}, source.get("item"), owner)


def _sheet_for_update(session: Session, p: Principal, sheet_id: str) -> Supervision:
    found = session.execute(select(Supervision).where(Supervision.id == sheet_id)
                            .with_for_update()).scalar_one_or_none()
    if found is None:
        raise DomainError("服务器上没有该督办单。")
    if not sees(session, p, KINDS[KIND], found):
        raise OutsideTown("该督办单与您所在的单位无关，无权查看或办理。")
    return found


def _step(name: str):
    def handler(session: Session, p: Principal, args: dict, ctx: Context) -> Outcome:
        args = given(args)
        sheet = _sheet_for_update(session, p, args["supervision_id"])
        side = sheet.responsible_org if name in sv.UNIT_STEPS else sheet.owner_org
        if p.org_code != side:
            who = "责任单位" if name in sv.UNIT_STEPS else "督办单位"
            raise OutsideTown(f"“{sv.STEP_LABELS[name]}”须由{who}办理，您所在的单位不能代为办理。")
        calendar = _calendar(session) if name == "urge_supervision" else None
        new = sv.apply_step(name, sheet.data, args, actor=actor(p), at=ctx.at, calendar=calendar)
        sheet.data, sheet.status = new, new["status"]
        sheet.deadline = date.fromisoformat(new["deadline"])
        sheet.version += 1
        sheet.seq = next_seq(session)
        sheet.updated_at = ctx.at
        return Outcome("applied", sheet.id, kind=KIND, detail={"status": sheet.status, "number": sheet.number})
    handler.__name__ = name
    return handler


SUPERVISION_MUTATIONS: dict[str, MutationSpec] = {
    "issue_supervision": MutationSpec(IssueSupervisionArgs, issue_supervision, KIND),
    "sign_supervision": MutationSpec(SupervisionSignArgs, _step("sign_supervision"), KIND),
    "report_supervision": MutationSpec(SupervisionReportArgs, _step("report_supervision"), KIND),
    "ask_supervision_extension": MutationSpec(SupervisionAskExtensionArgs, _step("ask_supervision_extension"), KIND),
    "decide_supervision_extension": MutationSpec(SupervisionDecideExtensionArgs, _step("decide_supervision_extension"), KIND),
    "close_supervision": MutationSpec(SupervisionStepArgs, _step("close_supervision"), KIND),
    "send_back_supervision": MutationSpec(SupervisionReasonArgs, _step("send_back_supervision"), KIND),
    "urge_supervision": MutationSpec(SupervisionStepArgs, _step("urge_supervision"), KIND),
    "withdraw_supervision": MutationSpec(SupervisionReasonArgs, _step("withdraw_supervision"), KIND),
}
MUTATIONS.update(SUPERVISION_MUTATIONS)
