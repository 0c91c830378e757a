"""Case referral mutations (移送, record kind "referral"): each one calls the same `fx_desktop.domain.referral`
function the client and its rebase call, with the referral's state (Referral.data) and an Actor built from the
principal as the server knows it. A DomainError is a rejection with its Chinese reason (push); a step by an
organisation it does not belong to is refused with 403 and nothing applied (OutsideTown), before the domain's own
check of the actor's organisation, which stays as the second line.

Submitting takes an official number (template `referral`, serial per owner organisation), puts the case in
已移送, makes the receiving department a party of the referral and lets it read the evidence files referred.
A return or a withdrawal puts the case back where it was, so the town's next pull reopens it."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fx_desktop.domain import referral as rf
from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.lifecycle import CaseStatus

from . import organisations
from .arguments import Args, Uuid
from .blobs import _insert_once
from .kinds import KINDS, add_party, sees
from .models import BlobRef, Case, Referral
from .mutations import MUTATIONS, Context, MutationSpec, Outcome, OutsideTown, _calendar, _case_for_update, _touch
from .numbering import official_number
from .principal import Principal
from .schema import from_reference, next_seq, reference_data

KIND = "referral"


def actor(p: Principal) -> rf.Actor:
    return rf.Actor(p.name, p.role, p.org_code)


def rules(session: Session) -> rf.ReferralRules:
    return from_reference(session, "referral_rules", lambda s: rf.ReferralRules.from_reference(reference_data(s)))


class Material(Args):
    no: int | None = None  # renumbered by the domain
    title: str = ""
    pages: Any = None  # checked by the domain (an integer 1–9999), so its reason names the material
    evidence_id: str | None = None


class Item(Args):
    name: str = ""
    spec: str = ""
    quantity: str | int | float = ""
    unit: str = ""
    condition: str = ""
    kept_at: str = ""


class Contact(Args):
    name: str = ""
    phone: str = ""


class SubmitReferralArgs(Args):
    referral_id: Uuid
    case_id: Uuid
    receiving_org: str
    expected_case_state: str
    number: str | None = None  # the client's provisional number, echoed back
    reason: str = ""
    legal_basis: str = ""
    summary: str = ""
    materials: list[Material] = []
    items: list[Item] = []
    contact: Contact = Contact()


class WithdrawReferralArgs(Args):
    referral_id: Uuid
    expected_status: str
    reason: str = ""


class SignReferralArgs(Args):
    referral_id: Uuid
    expected_status: str
    received_on: str
    signed_by: str = ""
    materials_match: bool
    missing: str = ""


class AcceptReferralArgs(Args):
    referral_id: Uuid
    expected_status: str
    their_number: str = ""


class ReturnReferralArgs(Args):
    referral_id: Uuid
    expected_status: str
    reason: str = ""


class RecordReferralResultArgs(Args):
    referral_id: Uuid
    expected_status: str
    result: str
    reasons: str = ""


def _case_data(case: Case) -> dict:
    """The case as the domain reads it: its fields, status, number, owner and evidence."""
    return {**case.fields, "id": case.id, "status": case.status, "number": case.number,
            "town_code": case.town_code, "evidence": list(case.evidence or [])}


def submit_referral(session: Session, p: Principal, args: dict, ctx: Context) -> Outcome:
    case = _case_for_update(session, p, args["case_id"])  # another organisation's case: 403
    referral_id = args["referral_id"]
    if session.get(Referral, referral_id) is not None:
        raise DomainError("该移送已经提交过（移送标识重复），未重复办理。")
    orgs = organisations.directory(session)
    owner = orgs.require(case.town_code, "案件所属单位")
    receiving = orgs.require(args["receiving_org"], "接收单位")
    state = rf.submit(args, case=_case_data(case), owner=owner, receiving=receiving, actor=actor(p), at=ctx.at,
                      calendar=_calendar(session), rules=rules(session))
    # every rule passed: only now take the official number (a rejection must not use up a serial)
    state["number"] = official_number(session, owner.code, ctx.at.year, KIND)
    case.status = rf.case_effect("submit_referral", state)
    _touch(session, case, ctx.at)
    session.add(Referral(id=referral_id, owner_org=owner.code, receiving_org=receiving.code, case_id=case.id,
                         number=state["number"], status=state["status"], version=1, seq=next_seq(session),
                         data=state, created_at=ctx.at, updated_at=ctx.at))
    add_party(session, KIND, referral_id, receiving.code)
    referred = {m["evidence_id"] for m in state["materials"] if m.get("evidence_id")}
    for sha in sorted({e["sha256"] for e in case.evidence or [] if e.get("id") in referred}):
        _insert_once(session, BlobRef, sha256=sha, town_code=receiving.code)  # the department may read it
    return Outcome("applied", referral_id, kind=KIND,
                   detail={"number": state["number"], "provisional": args.get("number"), "status": state["status"]})


# Which organisation of the referral each step belongs to.
STEP_ORG = {"sign_referral": "receiving_org", "accept_referral": "receiving_org", "return_referral": "receiving_org",
            "record_referral_result": "receiving_org", "withdraw_referral": "owner_org"}


def _referral_for_update(session: Session, p: Principal, referral_id: str) -> Referral:
    found = session.execute(select(Referral).where(Referral.id == referral_id).with_for_update()).scalar_one_or_none()
    if found is None:
        raise DomainError("服务器上没有该移送记录。")
    if not sees(session, p, KINDS[KIND], found):
        raise OutsideTown("该移送与您所在的单位无关，无权查看或办理。")
    return found


def _step(name: str):
    def handler(session: Session, p: Principal, args: dict, ctx: Context) -> Outcome:
        referral = _referral_for_update(session, p, args["referral_id"])
        acting = getattr(referral, STEP_ORG[name])
        if p.org_code != acting:
            who = organisations.directory(session).name(acting)
            raise OutsideTown(f"“{rf.STEP_LABELS[name]}”须由{who}办理，您所在的单位不能代为办理。")
        new = rf.apply_step(name, referral.data, args, actor=actor(p), at=ctx.at, calendar=_calendar(session),
                            rules=rules(session))
        effect = rf.case_effect(name, new)
        case = None
        if effect is not None:
            case = session.execute(select(Case).where(Case.id == referral.case_id).with_for_update()).scalar_one_or_none()
            if case is None or case.status != str(CaseStatus.REFERRED):
                now = CaseStatus(case.status).label if case is not None else "已删除"
                raise DomainError(f"案件已不在“已移送”状态（现为“{now}”），{rf.STEP_LABELS[name]}未执行，"
                                  "请与移送单位核对案件情况。")
        if case is not None:
            case.status = effect
            _touch(session, case, ctx.at)
        referral.data, referral.status = new, new["status"]
        referral.version += 1
        referral.seq = next_seq(session)
        referral.updated_at = ctx.at
        return Outcome("applied", referral.id, kind=KIND, detail={"status": referral.status})
    handler.__name__ = name
    return handler


REFERRAL_MUTATIONS: dict[str, MutationSpec] = {
    "submit_referral": MutationSpec(SubmitReferralArgs, submit_referral, KIND),
    "withdraw_referral": MutationSpec(WithdrawReferralArgs, _step("withdraw_referral"), KIND),
    "sign_referral": MutationSpec(SignReferralArgs, _step("sign_referral"), KIND),
    "accept_referral": MutationSpec(AcceptReferralArgs, _step("accept_referral"), KIND),
    "return_referral": MutationSpec(ReturnReferralArgs, _step("return_referral"), KIND),
    "record_referral_result": MutationSpec(RecordReferralResultArgs, _step("record_referral_result"), KIND),
}
MUTATIONS.update(REFERRAL_MUTATIONS)
