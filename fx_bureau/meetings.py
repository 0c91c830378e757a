"""Meeting and consultation item mutations (会商, record kinds "meeting" and "consultation_item"): each calls the
same `fx_desktop.domain.meeting` function the client and its rebase call, with the record's state and an Actor built
from the principal as the server knows it. A DomainError is a rejection with its Chinese reason; a step on a record
the user's organisation neither convenes nor takes part in is refused with 403 and nothing applied (OutsideTown),
before the domain's own check of the actor, which stays as the second line.

The organisations invited, and those an agreed item names as lead or supporting unit, become parties (they pull the
meeting and comment on circulated minutes from their own clients); a party is never removed, so a unit once
invited keeps what it was sent. The meeting's official number (template "meeting", per organisation and year,
"〔2026〕第3期") is taken when the notice goes out, after every rule passed."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fx_desktop.domain import meeting as mt
from fx_desktop.domain.docnumbers import is_provisional
from fx_desktop.domain.errors import DomainError

from . import organisations
from .arguments import Args, Uuid
from .kinds import KINDS, add_party, is_party, sees
from .models import ConsultationItem, Meeting
from .mutations import MUTATIONS, Context, MutationSpec, Outcome, OutsideTown
from .numbering import PLACEHOLDER, official_number
from .principal import Principal
from .schema import next_seq

KIND = mt.KIND
ITEM_KIND = mt.ITEM_KIND
# the steps a party organisation (not the convener) may take; every other one is the convener's
PARTY_STEPS = ("comment_minutes",)


def actor(p: Principal) -> mt.Actor:
    return mt.Actor(p.name, p.role, p.org_code or "")


class MeetingFields(Args):
    """The meeting's fields (checked by the domain, whose reasons name them); None: not given, left as it is."""

    kind: Any = None
    title: Any = None
    starts_at: Any = None
    place: Any = None
    chair: Any = None
    minute_taker: Any = None
    notice_body: Any = None
    contact: Any = None
    invitees: Any = None
    agenda: Any = None


class CreateMeetingArgs(MeetingFields):
    meeting_id: Uuid
    number: str | None = None  # the client's provisional number, echoed back


class UpdateMeetingArgs(MeetingFields):
    meeting_id: Uuid
    expected_status: str | None = None


class MeetingStepArgs(Args):
    meeting_id: Uuid
    expected_status: str | None = None
    expected_version: int | None = None


class MeetingAgendaArgs(MeetingStepArgs):
    agenda: Any = None


class MeetingAttendanceArgs(MeetingStepArgs):
    attendance: Any = None


class WriteMinutesArgs(MeetingStepArgs):
    intro: Any = None
    items: Any = None


class CommentMinutesArgs(MeetingStepArgs):
    text: Any = None


class AmendMinutesArgs(WriteMinutesArgs):
    reason: Any = None


class CancelMeetingArgs(MeetingStepArgs):
    reason: Any = None


class CreateConsultationItemArgs(Args):
    item_id: Uuid
    matter: Any = None
    units: Any = None
    case_id: Uuid | None = None
    case_number: Any = None
    note: Any = None


class UpdateConsultationItemArgs(Args):
    item_id: Uuid
    matter: Any = None
    units: Any = None
    note: Any = None
    status: Any = None


def given(args: dict) -> dict:
    return {k: v for k, v in args.items() if v is not None}


def _starts_at(state: dict) -> datetime | None:
    return datetime.fromisoformat(state["starts_at"]) if state.get("starts_at") else None


def _number_when_notified(session: Session, state: dict, at: datetime) -> None:
    """Every rule passed: only now take the official number (a rejection or a draft must not use up a serial)."""
    if state["notified"] is not None and (not state["number"] or is_provisional(state["number"])):
        state["number"] = official_number(session, state["owner_org"], at.year, KIND)


def _share(session: Session, kind: str, record_id: str, parties: list[str]) -> None:
    for org in parties:
        if not is_party(session, kind, record_id, org):
            add_party(session, kind, record_id, org)


def create_meeting(session: Session, p: Principal, args: dict, ctx: Context) -> Outcome:
    args = given(args)
    meeting_id = args["meeting_id"]
    if session.get(Meeting, meeting_id) is not None:
        raise DomainError("该会议已经登记过（标识重复），未重复办理。")
    orgs = organisations.directory(session)
    owner = orgs.require(p.org_code, "召集单位")
    state = mt.create(args, owner=owner, actor=actor(p), at=ctx.at, known=orgs.get)
    session.add(Meeting(id=meeting_id, owner_org=owner.code, kind=state["kind"], number="", title=state["title"],
                        starts_at=_starts_at(state), status=state["status"], version=1, seq=next_seq(session),
                        data=state, created_at=ctx.at, updated_at=ctx.at))
    _share(session, KIND, meeting_id, mt.parties_of(state))
    return Outcome("applied", meeting_id, kind=KIND,
                   detail={"number": "", "provisional": args.get("number"), "status": state["status"]})


def _for_update(session: Session, p: Principal, model, record_id: str, kind: str, missing: str):
    found = session.execute(select(model).where(model.id == record_id).with_for_update()).scalar_one_or_none()
    if found is None:
        raise DomainError(missing)
    if not sees(session, p, KINDS[kind], found):
        raise OutsideTown("该记录与您所在的单位无关，无权查看或办理。")
    return found


def _step(name: str):
    def handler(session: Session, p: Principal, args: dict, ctx: Context) -> Outcome:
        args = given(args)
        meeting = _for_update(session, p, Meeting, args["meeting_id"], KIND, "服务器上没有该会议。")
        if name not in PARTY_STEPS and p.org_code != meeting.owner_org and not p.sees_all:
            raise OutsideTown(f"“{mt.STEP_LABELS[name]}”须由召集会议的单位办理。")
        orgs = organisations.directory(session)
        new = mt.apply_step(name, meeting.data, args, actor=actor(p), at=ctx.at, known=orgs.get)
        _number_when_notified(session, new, ctx.at)
        _share(session, KIND, meeting.id, mt.parties_of(new))
        meeting.data, meeting.status, meeting.number = new, new["status"], new["number"]
        meeting.kind, meeting.title, meeting.starts_at = new["kind"], new["title"], _starts_at(new)
        meeting.version += 1
        meeting.seq = next_seq(session)
        meeting.updated_at = ctx.at
        minutes = new.get("minutes") or {}
        return Outcome("applied", meeting.id, kind=KIND,
                       detail={"status": meeting.status, "number": meeting.number,
                               "minutes_status": minutes.get("status"), "minutes_version": minutes.get("version")})
    handler.__name__ = name
    return handler


def create_consultation_item(session: Session, p: Principal, args: dict, ctx: Context) -> Outcome:
    args = given(args)
    item_id = args["item_id"]
    if session.get(ConsultationItem, item_id) is not None:
        raise DomainError("该协调会商事项已经登记过（标识重复），未重复办理。")
    if args.get("case_id"):
        from .mutations import _case_for_update

        case = _case_for_update(session, p, args["case_id"])  # another town's case: 403
        if not PLACEHOLDER.search(case.number or ""):  # a case created in this same push has no number yet
            args.setdefault("case_number", case.number)
    orgs = organisations.directory(session)
    owner = orgs.require(p.org_code, "登记单位")
    state = mt.create_item(args, owner=owner, actor=actor(p), at=ctx.at, known=orgs.get)
    session.add(ConsultationItem(id=item_id, owner_org=owner.code, case_id=state["case_id"], status=state["status"],
                                 version=1, seq=next_seq(session), data=state, created_at=ctx.at, updated_at=ctx.at))
    _share(session, ITEM_KIND, item_id, mt.item_parties(state))
    return Outcome("applied", item_id, kind=ITEM_KIND, detail={"status": state["status"]})


def update_consultation_item(session: Session, p: Principal, args: dict, ctx: Context) -> Outcome:
    args = given(args)
    item = _for_update(session, p, ConsultationItem, args["item_id"], ITEM_KIND, "服务器上没有该协调会商事项。")
    if p.org_code != item.owner_org:
        raise OutsideTown("协调会商事项须由登记该事项的单位修改。")
    orgs = organisations.directory(session)
    new = mt.update_item(item.data, args, actor=actor(p), at=ctx.at, known=orgs.get)
    _share(session, ITEM_KIND, item.id, mt.item_parties(new))
    item.data, item.status = new, new["status"]
    item.version += 1
    item.seq = next_seq(session)
    item.updated_at = ctx.at
    return Outcome("applied", item.id, kind=ITEM_KIND, detail={"status": item.status})


MEETING_MUTATIONS: dict[str, MutationSpec] = {
    "create_meeting": MutationSpec(CreateMeetingArgs, create_meeting, KIND),
    "update_meeting": MutationSpec(UpdateMeetingArgs, _step("update_meeting"), KIND),
    "set_meeting_agenda": MutationSpec(MeetingAgendaArgs, _step("set_meeting_agenda"), KIND),
    "notify_meeting": MutationSpec(MeetingStepArgs, _step("notify_meeting"), KIND),
    "record_attendance": MutationSpec(MeetingAttendanceArgs, _step("record_attendance"), KIND),
    "write_minutes": MutationSpec(WriteMinutesArgs, _step("write_minutes"), KIND),
    "circulate_minutes": MutationSpec(MeetingStepArgs, _step("circulate_minutes"), KIND),
    "comment_minutes": MutationSpec(CommentMinutesArgs, _step("comment_minutes"), KIND),
    "sign_minutes": MutationSpec(MeetingStepArgs, _step("sign_minutes"), KIND),
    "amend_minutes": MutationSpec(AmendMinutesArgs, _step("amend_minutes"), KIND),
    "cancel_meeting": MutationSpec(CancelMeetingArgs, _step("cancel_meeting"), KIND),
    "create_consultation_item": MutationSpec(CreateConsultationItemArgs, create_consultation_item, ITEM_KIND),
    "update_consultation_item": MutationSpec(UpdateConsultationItemArgs, update_consultation_item, ITEM_KIND),
}
MUTATIONS.update(MEETING_MUTATIONS)
