"""Criminal referral mutations (涉嫌犯罪案件移送, record kind "criminal_referral"): each calls the same
`fx_desktop.domain.criminal_referral` function the client and its rebase call, with the record's state and an
Actor built from the principal as the server knows it. A DomainError is a rejection with its Chinese reason; a step
by an organisation that neither owns the record nor is the police organisation it is addressed to is refused with
403 and nothing applied (OutsideTown), before the domain's own check.

The report takes the official number of the 移送书 (template `criminal_referral`, serial per town). Sending makes
the police organisation and the procuratorate parties (they see the record and the case summary inside it, and
may read the attached evidence files); passing on adds the competent organ. Whether the police organisation has
an account is the server's to say: the squad entering a police step for one that has must give its reason."""
from __future__ import annotations

import uuid
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from fx_desktop.domain import criminal_referral as cr
from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.domain.organisations import OrgKind
from fx_desktop.domain.text_cleaning import clean_name

from . import organisations
from . import batch_cases
from .arguments import Args, Sha256, Uuid
from .blobs import _insert_once, may_read
from .kinds import KINDS, add_party, is_party, sees
from .models import Blob, BlobRef, Case, CriminalReferral, User
from .mutations import (MUTATIONS, Context, MissingBlob, MutationSpec, Outcome, OutsideTown, _case_for_update, _clean,
                        _registered)
from .numbering import official_number
from .principal import Principal
from .referrals import Contact, _case_data
from .schema import from_reference, next_seq, reference_data

KIND = cr.KIND


def actor(p: Principal) -> cr.Actor:
    return cr.Actor(p.name, p.role, p.org_code)


def rules(session: Session) -> cr.CrimeRules:
    return from_reference(session, "criminal_referral_rules", lambda s: cr.CrimeRules.from_reference(reference_data(s)))


class CrimeTeamMember(Args):
    name: str = ""
    cert_no: str = ""


class CrimeAttachment(Args):
    no: int | None = None
    evidence_id: str | None = None
    title: str = ""
    kind: str = ""


class CrimeSeizedItem(Args):
    no: int | None = None
    name: str = ""
    quantity: str | int | float = ""
    unit: str = ""
    features: str = ""
    kept_at: str = ""
    measure: str = ""


class CrimeFinePaid(Args):
    amount: str | int | float = ""
    paid_on: str = ""
    receipt_no: str = ""


class CrimeReportArgs(Args):
    criminal_referral_id: Uuid
    case_id: Uuid
    receiving_org: str
    copy_org: str | None = None
    number: str | None = None  # the client's provisional number, echoed back
    team: list[CrimeTeamMember] = []
    suspicion: str = ""
    report: str = ""
    attachments: list[CrimeAttachment] = []
    items: list[CrimeSeizedItem] = []
    fine_paid: CrimeFinePaid | None = None
    contact: Contact = Contact()


class CrimeStepArgs(Args):
    criminal_referral_id: Uuid
    expected_status: str
    when: str | None = None
    delay_reason: str = ""
    on_behalf_reason: str = ""


class CrimeDecideArgs(CrimeStepArgs):
    approve: bool
    reasons: str = ""
    head: str = ""


class CrimeSendArgs(CrimeStepArgs):
    how: str = ""


class CrimeReceiptArgs(CrimeStepArgs):
    signed_by: str = ""


class CrimePassOnArgs(CrimeStepArgs):
    to_org: str
    notice: str = ""


class CrimePoliceDecideArgs(CrimeStepArgs):
    result: str
    reasons: str = ""
    their_number: str = ""


class CrimeRequestArgs(CrimeStepArgs):
    reasons: str = ""


class CrimeHandOverArgs(CrimeStepArgs):
    items_handed: list[int] | None = None
    materials: str = ""
    handed_by: str = ""
    received_by: str = ""
    note: str = ""


def _copy_org(session: Session, code: str | None):
    """The procuratorate that receives the copy: the one named, else the district's (the only one listed)."""
    orgs = organisations.directory(session)
    if code:
        return orgs.require(code, "抄送单位")
    found = orgs.of_kind(OrgKind.PROCURATORATE)
    return found[0] if found else None


def report_criminal_referral(session: Session, p: Principal, args: dict, ctx: Context) -> Outcome:
    case = _case_for_update(session, p, args["case_id"])  # another town's case: 403
    record_id = args["criminal_referral_id"]
    if session.get(CriminalReferral, record_id) is not None:
        raise DomainError("该移送报告已经提交过（标识重复），未重复办理。")
    orgs = organisations.directory(session)
    owner = orgs.require(case.town_code, "案件所属单位")
    receiving = orgs.require(args["receiving_org"], "接收的公安机关")
    state = cr.report(args, case={**_case_data(case), "officers": list(case.officers or [])}, owner=owner,
                      receiving=receiving, copy_to=_copy_org(session, args.get("copy_org")), actor=actor(p),
                      at=ctx.at, rules=rules(session))
    state["number"] = official_number(session, owner.code, ctx.at.year, KIND)  # every rule passed
    session.add(CriminalReferral(id=record_id, owner_org=owner.code, receiving_org=receiving.code, case_id=case.id,
                                 number=state["number"], status=state["status"], version=1, seq=next_seq(session),
                                 data=state, created_at=ctx.at, updated_at=ctx.at))
    return Outcome("applied", record_id, kind=KIND,
                   detail={"number": state["number"], "provisional": args.get("number"), "status": state["status"]})


def _for_update(session: Session, p: Principal, record_id: str) -> CriminalReferral:
    found = session.execute(select(CriminalReferral).where(CriminalReferral.id == record_id)
                            .with_for_update()).scalar_one_or_none()
    if found is None:
        raise DomainError("服务器上没有该涉嫌犯罪案件移送记录。")
    if not sees(session, p, KINDS[KIND], found):
        raise OutsideTown("该移送与您所在的单位无关，无权查看或办理。")
    return found


def has_account(session: Session, org_code: str) -> bool:
    """Whether anyone of the organisation can sign in (an active account with a role)."""
    return session.execute(select(exists().where(User.org_code == org_code, User.active.is_(True),
                                                 User.role.is_not(None)))).scalar()


def _share(session: Session, record: CriminalReferral, state: dict) -> None:
    """Each new party sees the record and may read the evidence files attached to it."""
    shas = sorted({e["sha256"] for e in state["case_snapshot"].get("evidence") or [] if e.get("sha256")})
    for org in cr.parties_of(state):
        if not is_party(session, KIND, record.id, org):
            add_party(session, KIND, record.id, org)
            for sha in shas:
                _insert_once(session, BlobRef, sha256=sha, town_code=org)


def _step(name: str):
    def handler(session: Session, p: Principal, args: dict, ctx: Context) -> Outcome:
        record = _for_update(session, p, args["criminal_referral_id"])
        if cr.acting_org(name, record.data, p.org_code) is None:
            raise OutsideTown(f"“{cr.STEP_LABELS[name]}”不能由您所在的单位办理。")
        orgs = organisations.directory(session)
        new = cr.apply_step(name, record.data, args, actor=actor(p), at=ctx.at, rules=rules(session),
                            police_has_account=has_account(session, record.receiving_org),
                            to=orgs.get(args.get("to_org")))
        _share(session, record, new)
        record.data, record.status, record.receiving_org = new, new["status"], new["receiving_org"]
        record.version += 1
        record.seq = next_seq(session)
        record.updated_at = ctx.at
        return Outcome("applied", record.id, kind=KIND, detail={"status": record.status})
    handler.__name__ = name
    return handler


class PoliceMaterial(Args):
    name: str = ""
    sha256: Sha256
    size: Annotated[int, Field(ge=0)]


class PoliceReturnArgs(Args):
    case_id: Uuid
    town_code: str
    fields: dict[str, Any]
    letter_number: str = ""
    reason: str = ""
    number: str | None = None  # the client's provisional number, echoed back
    materials: list[PoliceMaterial] = []


def police_return_case(session: Session, p: Principal, args: dict, ctx: Context) -> Outcome:
    """The reverse route (国务院令310 art. 13): the police refer a case to a town for an administrative penalty. It
    arrives there as a new clue whose source is 公安移送, with the police's materials as its evidence (files the
    police uploaded, now readable by the town). The police see nothing of the town's case afterwards."""
    orgs = organisations.directory(session)
    police = orgs.get(p.org_code)
    town = orgs.require(args["town_code"], "接收移送的街镇")
    if police is None:
        raise DomainError("只有公安机关可以将案件移送街镇作行政处罚。")
    fields = cr.police_return(args, actor=actor(p), police=police, town=town)
    if _registered(session, args["case_id"]):
        raise DomainError("该案件已经移送过（案件标识重复），未重复办理。")
    values, officers = _clean(session, fields, [])
    evidence = []
    for m in args["materials"]:
        if not may_read(session, p, m["sha256"]):
            raise MissingBlob(m["sha256"])
        blob = session.get(Blob, m["sha256"])
        if blob.size != m["size"]:
            raise DomainError(f"材料“{m['name']}”的大小与服务器保存的文件不一致，请重新选择该文件。")
        evidence.append({"id": str(uuid.uuid4()), "kind": "document", "name": clean_name(m["name"]) or "材料",
                         "sha256": m["sha256"], "size": blob.size, "captured_at": None,
                         "added_at": ctx.at.isoformat(), "added_by": f"{police.name} {p.name}"})
        _insert_once(session, BlobRef, sha256=m["sha256"], town_code=town.code)
    case = Case(id=args["case_id"], number=official_number(session, town.code, ctx.at.year), town_code=town.code,
                status=str(CaseStatus.CLUE), version=1, seq=next_seq(session), review_passed=False,
                opened_on=ctx.at.date(), created_by=f"{police.name} {p.name}", created_at=ctx.at,
                updated_at=ctx.at, fields=values, officers=officers, evidence=evidence)
    session.add(case)
    if (batch := batch_cases.of(session)) is not None:
        batch.created(case)
    return Outcome("applied", case.id, detail={"number": case.number, "provisional": args.get("number")})


CRIMINAL_REFERRAL_MUTATIONS: dict[str, MutationSpec] = {
    "report_criminal_referral": MutationSpec(CrimeReportArgs, report_criminal_referral, KIND),
    "decide_criminal_referral": MutationSpec(CrimeDecideArgs, _step("decide_criminal_referral"), KIND),
    "send_criminal_referral": MutationSpec(CrimeSendArgs, _step("send_criminal_referral"), KIND),
    "receipt_criminal_referral": MutationSpec(CrimeReceiptArgs, _step("receipt_criminal_referral"), KIND),
    "pass_on_criminal_referral": MutationSpec(CrimePassOnArgs, _step("pass_on_criminal_referral"), KIND),
    "police_decide_criminal_referral": MutationSpec(CrimePoliceDecideArgs, _step("police_decide_criminal_referral"), KIND),
    "request_crime_reconsideration": MutationSpec(CrimeRequestArgs, _step("request_crime_reconsideration"), KIND),
    "decide_crime_reconsideration": MutationSpec(CrimePoliceDecideArgs, _step("decide_crime_reconsideration"), KIND),
    "request_crime_supervision": MutationSpec(CrimeRequestArgs, _step("request_crime_supervision"), KIND),
    "hand_over_criminal_referral": MutationSpec(CrimeHandOverArgs, _step("hand_over_criminal_referral"), KIND),
    "police_return_case": MutationSpec(PoliceReturnArgs, police_return_case),
}
MUTATIONS.update(CRIMINAL_REFERRAL_MUTATIONS)
