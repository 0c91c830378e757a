"""Case referral to a department (案件移送, seed 四(四)1, DOMAIN.md section 5) as pure functions over plain data.

A referral is a shared record: the town that refers owns it, the receiving department is a party. Each step is a
command checked against the current state and the actor's organisation, never last-writer-wins. The client's
services, fx-bureau's handlers and the sync rebase all call these functions, so the rules are one copy.

    submitted --sign--> received --accept--> accepted --record_result--> concluded
        |                  |  \\--return--> returned (the case goes back to the squad)
        |                  \\------------record_result (立案/不予立案 straight after the receipt)--> concluded
        +--return--> returned            +--withdraw (the town, before the receipt)--> withdrawn

State: a dict with the keys made by `submit` (JSON values only: dates and times as ISO text)."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from .errors import DomainError, kind_of
from .lifecycle import CaseStatus, apply_transition
from .organisations import Organisation, OrgKind
from .roles import Role
from .text_limits import checked_text
from .workdays import HolidayCalendar


class ReferralStatus(StrEnum):
    SUBMITTED = "submitted"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    CONCLUDED = "concluded"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self in (ReferralStatus.SUBMITTED, ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED)


_STATUS_LABELS = {
    ReferralStatus.SUBMITTED: "已移送，待签收",
    ReferralStatus.RECEIVED: "已签收",
    ReferralStatus.ACCEPTED: "已受理",
    ReferralStatus.RETURNED: "已退回",
    ReferralStatus.CONCLUDED: "已办结",
    ReferralStatus.WITHDRAWN: "已撤回",
}


class ReferralResult(StrEnum):
    FILED = "filed"
    NOT_FILED = "not_filed"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"filed": "立案", "not_filed": "不予立案", "other": "其他"}[self.value]


STEP_LABELS = {
    "submit_referral": "移送", "withdraw_referral": "撤回移送", "sign_referral": "签收（回执）",
    "accept_referral": "受理", "return_referral": "退回", "record_referral_result": "反馈处理结果",
}
MAX_MATERIALS = 200
MAX_ITEMS = 500


@dataclass(frozen=True)
class ReferralRules:
    """Deadlines in working days on the official calendar (configurable, reference key `referral`)."""

    receipt_working_days: int = 3
    result_working_days: int = 15

    @classmethod
    def from_reference(cls, data: dict | None) -> ReferralRules:
        raw = (data or {}).get("referral") or {}
        try:
            rules = cls(int(raw.get("receipt_working_days", 3)), int(raw.get("result_working_days", 15)))
        except (TypeError, ValueError):
            raise DomainError("参考数据中移送期限（referral）应为整数天数。", "referral") from None
        if not (1 <= rules.receipt_working_days <= 60 and 1 <= rules.result_working_days <= 120):
            raise DomainError("参考数据中移送期限不合理：签收 1–60 个工作日，反馈结果 1–120 个工作日。", "referral")
        return rules


@dataclass(frozen=True)
class Actor:
    name: str
    role: Role | str
    org_code: str


# The case statuses a referral may leave from: the lifecycle's `refer` transition decides, so the two agree.
def _check_case(case: dict, actor: Actor) -> CaseStatus:
    try:
        status = CaseStatus(case.get("status"))
    except ValueError:
        raise DomainError("案件状态无法识别，不能移送。") from None
    if status.is_terminal:
        raise DomainError(f"案件已处于“{status.label}”状态，不能再移送；已结案、已移送或已撤销的案件请勿重复办理。")
    if case.get("town_code") != actor.org_code:
        raise DomainError("只能移送本单位的案件。")
    apply_transition(status, "refer", Role(actor.role))  # the squad leader, from 线索 up to 已告知
    return status


def _text(key: str, value, *, required: str | None = None) -> str:
    if value is not None and not isinstance(value, str):
        raise DomainError(f"{required or key} 应为文本，收到的是{kind_of(value)}。", key)
    text = checked_text(key, value or "")
    if required and not text:
        raise DomainError(f"请填写{required}。", {"referral_reason": "reason", "referral_legal_basis": "legal_basis",
                                              "referral_summary": "summary"}.get(key, key))
    return text


def _materials(raw, evidence_ids: set[str]) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        raise DomainError("请至少列出一项移送的材料（名称和页数）。", "materials")
    if len(raw) > MAX_MATERIALS:
        raise DomainError(f"移送材料不能超过 {MAX_MATERIALS} 项。", "materials")
    out = []
    for i, m in enumerate(raw, start=1):
        m = m if isinstance(m, dict) else {}
        title = _text("material_title", m.get("title"))
        if not title:
            raise DomainError(f"第 {i} 项材料没有名称，请填写或删除该行。", "materials")
        pages = m.get("pages")
        if isinstance(pages, bool) or not isinstance(pages, int) or not 1 <= pages <= 9999:
            raise DomainError(f"第 {i} 项材料“{title}”的页数应为 1–9999 的整数。", "materials")
        evidence_id = m.get("evidence_id") or None
        if evidence_id is not None and evidence_id not in evidence_ids:
            raise DomainError(f"第 {i} 项材料“{title}”所附的证据文件不属于本案。", "materials")
        out.append({"no": i, "title": title, "pages": pages, "evidence_id": evidence_id})
    return out


_ITEM_KEYS = ("name", "spec", "quantity", "unit", "condition", "kept_at")


def _items(raw) -> list[dict]:
    if raw in (None, []):
        return []
    if not isinstance(raw, list) or len(raw) > MAX_ITEMS:
        raise DomainError(f"移送物品应为不超过 {MAX_ITEMS} 项的清单。", "items")
    out = []
    for i, it in enumerate(raw, start=1):
        it = it if isinstance(it, dict) else {}
        row = {k: _text("item_text", str(it.get(k)) if isinstance(it.get(k), (int, float)) else it.get(k))
               for k in _ITEM_KEYS}
        if not row["name"]:
            raise DomainError(f"第 {i} 项物品没有名称，请填写或删除该行。", "items")
        try:
            quantity = Decimal(row["quantity"])
        except InvalidOperation:
            quantity = None
        if quantity is None or not quantity.is_finite() or quantity <= 0:
            raise DomainError(f"第 {i} 项物品“{row['name']}”的数量应为大于 0 的数字。", "items")
        if not row["unit"] or not row["kept_at"]:
            raise DomainError(f"第 {i} 项物品“{row['name']}”须填写单位和存放地点。", "items")
        out.append({"no": i, **row})
    return out


def _contact(raw) -> dict:
    raw = raw if isinstance(raw, dict) else {}
    contact = {"name": _text("contact_name", raw.get("name")), "phone": _text("contact_phone", raw.get("phone"))}
    if not contact["name"] or not contact["phone"]:
        raise DomainError("请填写联系人和联系电话，接收单位有疑问时找得到人。", "contact")
    return contact


def case_snapshot(case: dict, materials: list[dict]) -> dict:
    """What the receiving department sees of the case: its summary and the evidence files referred, nothing else
    (the party's ID number is part of the file a department needs to act on)."""
    referred = {m["evidence_id"] for m in materials if m.get("evidence_id")}
    return {
        "number": case.get("number"), "cause": case.get("cause"), "category": case.get("category"),
        "party_kind": case.get("party_kind"), "party_name": case.get("party_name"),
        "party_id_number": case.get("party_id_number"), "party_address": case.get("party_address"),
        "place": case.get("place"), "occurred_at": case.get("occurred_at"), "facts": case.get("facts"),
        "evidence": [dict(e) for e in case.get("evidence") or [] if e.get("id") in referred],
    }


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, (date, datetime)) else str(value)


def _step(actor: Actor, at: datetime) -> dict:
    return {"by": actor.name, "org": actor.org_code, "at": _iso(at)}


def submit(args: dict, *, case: dict, owner: Organisation, receiving: Organisation, actor: Actor, at: datetime,
           calendar: HolidayCalendar | None, rules: ReferralRules) -> dict:
    """A new referral of `case` (plain data: status, number, town_code, the case fields and `evidence`) to
    `receiving`. The number is the caller's (official on fx-bureau, provisional offline)."""
    if actor.org_code != owner.code or owner.kind != OrgKind.TOWN:
        raise DomainError("只有案件所属街镇的中队长可以移送案件。")
    if Role(actor.role) != Role.SQUAD_LEADER:
        raise DomainError(f"您的角色“{Role(actor.role).label}”不能移送案件，移送由中队长签发。")
    if receiving.kind != OrgKind.DEPARTMENT:
        raise DomainError(f"“{receiving.name}”不是区级行业管理部门，案件只能移送给有管辖权的部门"
                          "（涉嫌犯罪的案件请走涉嫌犯罪案件移送）。", "receiving_org")
    status = _check_case(case, actor)
    expected = args.get("expected_case_state")
    if expected is not None and expected != str(status):
        raise DomainError(f"案件状态已变为“{status.label}”，移送未执行，请核对后重新提交。")
    evidence_ids = {e.get("id") for e in case.get("evidence") or []}
    materials = _materials(args.get("materials"), evidence_ids)
    submitted_on = at.date()
    return {
        "id": args["referral_id"], "case_id": case["id"], "owner_org": owner.code, "receiving_org": receiving.code,
        "number": args.get("number") or "", "status": str(ReferralStatus.SUBMITTED),
        "reason": _text("referral_reason", args.get("reason"), required="移送理由（不属于本单位管辖的原因）"),
        "legal_basis": _text("referral_legal_basis", args.get("legal_basis"), required="移送的法律依据"),
        "summary": _text("referral_summary", args.get("summary"), required="违法行为概要"),
        "materials": materials, "items": _items(args.get("items")), "contact": _contact(args.get("contact")),
        "case_status_before": str(status), "case_snapshot": case_snapshot(case, materials),
        "submitted": _step(actor, at), "submitted_on": submitted_on.isoformat(),
        "receipt_due": _due(submitted_on, calendar, rules.receipt_working_days),
        "result_due": None, "receipt": None, "accepted": None, "returned": None, "result": None, "withdrawn": None,
    }


def _due(start: date, calendar: HolidayCalendar | None, days: int) -> str:
    return (calendar or HolidayCalendar()).add_working_days(start, days).date.isoformat()


def _current(state: dict, expected: str | None, step: str, *allowed: ReferralStatus) -> dict:
    status = ReferralStatus(state["status"])
    if expected is not None and expected != str(status):
        try:
            was = ReferralStatus(expected).label
        except ValueError:
            was = str(expected)
        raise DomainError(f"该移送已变为“{status.label}”（您办理时为“{was}”），{STEP_LABELS[step]}未执行，"
                          "请查看最新情况后再办理。")
    if status not in allowed:
        raise DomainError(f"该移送处于“{status.label}”状态，不能{STEP_LABELS[step]}。")
    return copy.deepcopy(state)


def _receiver(state: dict, actor: Actor, step: str) -> None:
    if actor.org_code != state["receiving_org"]:
        raise DomainError(f"只有接收移送的单位可以{STEP_LABELS[step]}，移送单位不能代为办理。")
    if Role(actor.role) != Role.DEPARTMENT_LIAISON:
        raise DomainError(f"您的角色“{Role(actor.role).label}”不能{STEP_LABELS[step]}，由接收单位的联络员办理。")


def _reason(value, what: str) -> str:
    text = _text("referral_answer", value)
    if not text:
        raise DomainError(f"请填写{what}，必须说明理由。", "reason")
    return text


def _day(value, field: str, what: str, *, not_before: str, at: datetime) -> str:
    try:
        day = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        day = None
    if day is None:
        raise DomainError(f"{what}应为日期（如 2026-11-30）。", field)
    if day > at.date():
        raise DomainError(f"{what}不能晚于今天。", field)
    if day < date.fromisoformat(not_before):
        raise DomainError(f"{what}不能早于移送日期 {not_before}。", field)
    return day.isoformat()


def sign(state: dict, args: dict, *, actor: Actor, at: datetime, calendar: HolidayCalendar | None,
         rules: ReferralRules) -> dict:
    """The receipt (回执): date received, who signed, whether the materials match the list and what is missing."""
    _receiver(state, actor, "sign_referral")
    new = _current(state, args.get("expected_status"), "sign_referral", ReferralStatus.SUBMITTED)
    received = _day(args.get("received_on"), "received_on", "收到日期", not_before=state["submitted_on"], at=at)
    match = args.get("materials_match")
    if not isinstance(match, bool):
        raise DomainError("请选择材料是否与移送清单一致。", "materials_match")
    missing = _text("missing_materials", args.get("missing"))
    if not match and not missing:
        raise DomainError("材料与清单不一致时，请写明缺少或不符的材料。", "missing")
    signed_by = _text("contact_name", args.get("signed_by")) or actor.name
    new["receipt"] = {**_step(actor, at), "received_on": received, "signed_by": signed_by,
                      "materials_match": match, "missing": "" if match else missing}
    new["status"] = str(ReferralStatus.RECEIVED)
    new["result_due"] = _due(date.fromisoformat(received), calendar, rules.result_working_days)
    return new


def accept(state: dict, args: dict, *, actor: Actor, at: datetime) -> dict:
    _receiver(state, actor, "accept_referral")
    new = _current(state, args.get("expected_status"), "accept_referral", ReferralStatus.RECEIVED)
    their = _text("their_number", args.get("their_number"))
    if not their:
        raise DomainError("请填写本单位受理后的案件编号。", "their_number")
    new["accepted"] = {**_step(actor, at), "their_number": their}
    new["status"] = str(ReferralStatus.ACCEPTED)
    return new


def return_referral(state: dict, args: dict, *, actor: Actor, at: datetime) -> dict:
    """The receiver may not refuse without a reason (DOMAIN.md section 5)."""
    _receiver(state, actor, "return_referral")
    new = _current(state, args.get("expected_status"), "return_referral",
                   ReferralStatus.SUBMITTED, ReferralStatus.RECEIVED)
    new["returned"] = {**_step(actor, at), "reason": _reason(args.get("reason"), "退回理由")}
    new["status"] = str(ReferralStatus.RETURNED)
    return new


def record_result(state: dict, args: dict, *, actor: Actor, at: datetime) -> dict:
    _receiver(state, actor, "record_referral_result")
    new = _current(state, args.get("expected_status"), "record_referral_result",
                   ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED)
    try:
        result = ReferralResult(args.get("result"))
    except ValueError:
        raise DomainError("请选择处理结果：立案、不予立案或其他。", "result") from None
    reasons = _text("referral_answer", args.get("reasons"))
    if result != ReferralResult.FILED and not reasons:
        raise DomainError(f"处理结果为“{result.label}”时须写明理由。", "reasons")
    new["result"] = {**_step(actor, at), "result": str(result), "reasons": reasons}
    new["status"] = str(ReferralStatus.CONCLUDED)
    return new


def withdraw(state: dict, args: dict, *, actor: Actor, at: datetime) -> dict:
    """The referring squad takes it back before the department has signed for it."""
    if actor.org_code != state["owner_org"] or Role(actor.role) != Role.SQUAD_LEADER:
        raise DomainError("只有移送单位的中队长可以撤回移送。")
    new = _current(state, args.get("expected_status"), "withdraw_referral", ReferralStatus.SUBMITTED)
    new["withdrawn"] = {**_step(actor, at), "reason": _reason(args.get("reason"), "撤回理由")}
    new["status"] = str(ReferralStatus.WITHDRAWN)
    return new


def case_effect(name: str, state: dict) -> str | None:
    """The case status a step leads to: 已移送 on submit, back to where it was on a return or withdrawal."""
    if name == "submit_referral":
        return str(CaseStatus.REFERRED)
    if name in ("return_referral", "withdraw_referral"):
        return state["case_status_before"]
    return None


def apply_step(name: str, state: dict | None, args: dict, *, actor: Actor, at: datetime,
               calendar: HolidayCalendar | None, rules: ReferralRules, **submit_context) -> dict:
    """Dispatch one step by its mutation name (the rebase replays pending steps through this)."""
    if name == "submit_referral":
        return submit(args, actor=actor, at=at, calendar=calendar, rules=rules, **submit_context)
    if state is None:
        raise DomainError("没有找到该移送记录。")
    if name == "sign_referral":
        return sign(state, args, actor=actor, at=at, calendar=calendar, rules=rules)
    step = {"accept_referral": accept, "return_referral": return_referral,
            "record_referral_result": record_result, "withdraw_referral": withdraw}.get(name)
    if step is None:
        raise DomainError(f"不认识的移送操作“{name}”。")
    return step(state, args, actor=actor, at=at)


STEPS = tuple(STEP_LABELS)


def due(state: dict) -> tuple[str, date] | None:
    """The clock that runs now: ("receipt", day) before the receipt, ("result", day) until the result."""
    status = ReferralStatus(state["status"])
    if status == ReferralStatus.SUBMITTED and state.get("receipt_due"):
        return "receipt", date.fromisoformat(state["receipt_due"])
    if status in (ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED) and state.get("result_due"):
        return "result", date.fromisoformat(state["result_due"])
    return None


def overdue(state: dict, today: date) -> str | None:
    """"receipt" or "result" when that step is late on `today`, else None."""
    clock = due(state)
    return clock[0] if clock and today > clock[1] else None
