"""Criminal referral (涉嫌犯罪案件移送, 行刑衔接; 国务院令310 as revised by 730, DOMAIN.md section 5) as pure functions
over plain data, called alike by the client's services, fx-bureau's handlers and the sync rebase.

The town that holds the case owns the record. Once sent, the police organisation it goes to is a party, and the
procuratorate (区人民检察院) receives a copy (a read-only party). Steps and their clocks:

    reported --decide(approve)--> approved --send--> sent --receipt--> received --police_decide--> filed --hand_over--> handed_over
        \\--decide(refuse)--> refused                 ^                   |  \\--pass_on--> passed_on --receipt--/
                                                      |                   \\--police_decide--> not_filed
    not_filed --request_reconsideration--> reconsidering --decide_reconsideration--> filed / upheld
    upheld --request_supervision--> supervision (立案监督 by the procuratorate)

    the head decides            within 3 days of receiving the report (art. 5)
    the referral reaches police within 24 hours of the approval (art. 5): a clock in hours
    the police sign the receipt on receiving it; this system gives that 24 hours (a local rule, configurable)
    passing on to the competent organ within 24 hours of the receipt, with a written notice (art. 8)
    the police decide 立案 / 不予立案 within 3 days of the receipt (art. 8)
    reconsideration may be asked within 3 days of the 不予立案 decision; the police decide it within 3 days (art. 9)
    supervision (立案监督) may be asked within 3 days of the reconsideration decision (art. 9)
    items and remaining materials are handed over within 3 days of the 立案 (art. 10)

A step taken after its clock needs a reason for the delay (kept on record). Police steps are entered by the police
organisation's liaison, or by the squad when that organisation has no account (when it has one the squad must say
why); every step records who entered it and for which side. State: a dict of JSON values (times as ISO text)."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from .errors import DomainError, kind_of
from .lifecycle import CaseStatus
from .organisations import Organisation, OrgKind
from .referral import case_snapshot
from .roles import Role
from .text_limits import TEXT_LIMITS, checked_text

KIND = "criminal_referral"
MIN_TEAM = 2
MAX_ITEMS = 500
MAX_ATTACHMENTS = 200
POLICE_KINDS = (OrgKind.POLICE_BUREAU, OrgKind.POLICE_STATION)


class CrimeStatus(StrEnum):
    REPORTED = "reported"
    REFUSED = "refused"
    APPROVED = "approved"
    SENT = "sent"
    RECEIVED = "received"
    PASSED_ON = "passed_on"
    FILED = "filed"
    NOT_FILED = "not_filed"
    RECONSIDERING = "reconsidering"
    UPHELD = "upheld"
    SUPERVISION = "supervision"
    HANDED_OVER = "handed_over"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def pending(self) -> bool:
        """Whether the case still waits on the criminal route: it may not be closed by a penalty decision alone.
        Refused, 不予立案 (unchallenged or upheld) and handed over leave the case to the squad again."""
        return self in _PENDING


_LABELS = {
    CrimeStatus.REPORTED: "待负责人审批", CrimeStatus.REFUSED: "不批准移送", CrimeStatus.APPROVED: "已批准，待移送",
    CrimeStatus.SENT: "已移送，待回执", CrimeStatus.RECEIVED: "已签收，待立案决定",
    CrimeStatus.PASSED_ON: "已转主管机关，待签收", CrimeStatus.FILED: "已立案，待移交",
    CrimeStatus.NOT_FILED: "不予立案", CrimeStatus.RECONSIDERING: "复议中",
    CrimeStatus.UPHELD: "复议维持不予立案", CrimeStatus.SUPERVISION: "已提请立案监督",
    CrimeStatus.HANDED_OVER: "已移交，办结",
}
_PENDING = frozenset({CrimeStatus.REPORTED, CrimeStatus.APPROVED, CrimeStatus.SENT, CrimeStatus.RECEIVED,
                      CrimeStatus.PASSED_ON, CrimeStatus.FILED, CrimeStatus.RECONSIDERING,
                      CrimeStatus.SUPERVISION})

STEP_LABELS = {
    "report_criminal_referral": "提交移送报告", "decide_criminal_referral": "负责人审批",
    "send_criminal_referral": "移送公安机关", "receipt_criminal_referral": "签收回执",
    "pass_on_criminal_referral": "转交主管机关", "police_decide_criminal_referral": "立案决定",
    "request_crime_reconsideration": "提请复议", "decide_crime_reconsideration": "复议决定",
    "request_crime_supervision": "提请立案监督", "hand_over_criminal_referral": "移交涉案物品和材料",
}
STEPS = tuple(STEP_LABELS)
# the steps of the police organisation (the squad may enter them for a police organisation without an account)
POLICE_STEPS = frozenset({"receipt_criminal_referral", "pass_on_criminal_referral",
                          "police_decide_criminal_referral", "decide_crime_reconsideration"})
MEASURES = ("查封", "扣押", "先行登记保存", "抽样取证", "其他")


@dataclass(frozen=True)
class CrimeRules:
    """Deadlines (reference key `criminal_referral`): the law's, and the hours this system gives the receipt."""

    decision_days: int = 3
    send_hours: int = 24
    receipt_hours: int = 24
    pass_on_hours: int = 24
    police_decision_days: int = 3
    reconsideration_days: int = 3
    supervision_days: int = 3
    handover_days: int = 3

    @classmethod
    def from_reference(cls, data: dict | None) -> CrimeRules:
        raw = (data or {}).get(KIND) or {}
        try:
            return cls(**{k: int(v) for k, v in raw.items() if k in cls.__dataclass_fields__})
        except (TypeError, ValueError):
            raise DomainError("参考数据中涉嫌犯罪案件移送的期限（criminal_referral）应为整数。", KIND) from None


@dataclass(frozen=True)
class Actor:
    name: str
    role: Role | str
    org_code: str


@dataclass(frozen=True)
class Clock:
    """The clock running now: the step it waits for, whose it is ("town" / "police"), its end, whether it counts
    hours, and whether missing it is a duty missed (False: a window the squad may use, e.g. reconsideration)."""

    step: str
    side: str
    due: datetime
    hours: bool
    duty: bool = True

    def left(self, now: datetime) -> timedelta:
        return self.due - now

    def overdue(self, now: datetime) -> bool:
        return self.duty and now > self.due

    def shown(self, now: datetime) -> str:
        """"还剩 5 小时" / "已超期 2 天" (hours for an hours clock, days otherwise)."""
        left = self.left(now)
        late = left < timedelta(0)
        span = -left if late else left
        if self.hours:
            amount = f"{int(span.total_seconds() // 3600)} 小时"
        else:  # a day clock ends at the end of its day: count calendar days between the two days
            amount = f"{abs((self.due.date() - now.date()).days)} 天"
        return f"已超期 {amount}" if late else f"还剩 {amount}"


# --- reading arguments -------------------------------------------------------------------------------------------

def _text(key: str, value, *, required: str | None = None, field: str | None = None) -> str:
    field = field or TEXT_LIMITS[key].field or key
    if value is not None and not isinstance(value, str):
        raise DomainError(f"{required or '该项'}应为文本，收到的是{kind_of(value)}。", field or key)
    text = checked_text(key, value or "", label=f"“{required}”" if required else None)
    if required and not text:
        raise DomainError(f"请填写{required}。", field or key)
    return text


def _team(raw) -> list[dict]:
    """At least two officers, each with an enforcement certificate number (art. 5: 指定2名或者2名以上行政执法人员)."""
    if not isinstance(raw, list):
        raw = []
    team, names = [], set()
    for i, m in enumerate(raw, start=1):
        m = m if isinstance(m, dict) else {}
        name = _text("officer_name", m.get("name"), field="team")
        cert = _text("officer_cert_no", m.get("cert_no"), field="team")
        if not name and not cert:
            continue
        if not name:
            raise DomainError(f"移送小组第 {i} 名成员没有姓名，请填写或删除该行。", "team")
        if not cert:
            raise DomainError(f"移送小组成员“{name}”没有执法证号：小组成员须持有行政执法证件，请填写证号或换人。",
                              "team")
        if name in names:
            raise DomainError(f"移送小组中“{name}”出现了两次，请指定两名不同的执法人员。", "team")
        names.add(name)
        team.append({"name": name, "cert_no": cert})
    if len(team) < MIN_TEAM:
        raise DomainError(f"移送小组须有至少两名持有执法证的执法人员（现有 {len(team)} 名），请补足后再提交报告。",
                          "team")
    return team


def _attachments(raw, evidence: dict[str, dict]) -> list[dict]:
    """The inspection or appraisal reports and other materials sent along: evidence files of the case."""
    if raw in (None, []):
        return []
    if not isinstance(raw, list) or len(raw) > MAX_ATTACHMENTS:
        raise DomainError(f"随附材料应为不超过 {MAX_ATTACHMENTS} 项的清单。", "attachments")
    out = []
    for i, a in enumerate(raw, start=1):
        a = a if isinstance(a, dict) else {}
        evidence_id = a.get("evidence_id")
        if evidence_id not in evidence:
            raise DomainError(f"第 {i} 项随附材料不是本案的证据文件，请从本案证据中选择。", "attachments")
        title = _text("crime_short", a.get("title")) or evidence[evidence_id].get("name") or ""
        kind = _text("crime_short", a.get("kind")) or "其他材料"
        out.append({"no": i, "evidence_id": evidence_id, "title": title, "kind": kind})
    return out


def _items(raw) -> list[dict]:
    """涉案物品清单: name, quantity, features, storage place and the measure taken, each required."""
    if raw in (None, []):
        return []
    if not isinstance(raw, list) or len(raw) > MAX_ITEMS:
        raise DomainError(f"涉案物品应为不超过 {MAX_ITEMS} 项的清单。", "items")
    out = []
    for i, it in enumerate(raw, start=1):
        it = it if isinstance(it, dict) else {}
        row = {k: _text("item_text", str(it.get(k)) if isinstance(it.get(k), (int, float)) else it.get(k),
                        field="items") for k in ("name", "quantity", "unit", "features", "kept_at", "measure")}
        if not row["name"]:
            raise DomainError(f"第 {i} 项涉案物品没有名称，请填写或删除该行。", "items")
        try:
            quantity = Decimal(row["quantity"])
        except InvalidOperation:
            quantity = None
        if quantity is None or not quantity.is_finite() or quantity <= 0:
            raise DomainError(f"第 {i} 项涉案物品“{row['name']}”的数量应为大于 0 的数字。", "items")
        missing = [label for key, label in (("unit", "单位"), ("features", "特征"), ("kept_at", "存放地点"),
                                            ("measure", "采取的措施")) if not row[key]]
        if missing:
            raise DomainError(f"第 {i} 项涉案物品“{row['name']}”须填写{'、'.join(missing)}。", "items")
        out.append({"no": i, **row})
    return out


def _fine_paid(raw) -> dict | None:
    """A fine already paid: the court offsets it against a criminal fine (art. 11), so it is kept with the referral."""
    if not raw:
        return None
    raw = raw if isinstance(raw, dict) else {}
    try:
        amount = Decimal(str(raw.get("amount")))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0:
        raise DomainError("已缴纳的罚款金额应为大于 0 的数字（元）；没有缴纳罚款请留空。", "fine_paid")
    paid_on = _date(raw.get("paid_on"), "fine_paid", "罚款缴纳日期")
    return {"amount": f"{amount:.2f}", "paid_on": paid_on.isoformat(),
            "receipt_no": _text("crime_short", raw.get("receipt_no"), field="fine_paid")}


def _date(value, field: str, what: str) -> date:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None  # type: ignore[return-value]
    except ValueError:
        pass
    raise DomainError(f"{what}应为日期（如 2026-11-30）。", field)


def _when(args: dict, at: datetime, *, not_before: str | None) -> datetime:
    """When the step happened: `when` (an ISO time or day, for a step entered afterwards) or now; never in the
    future, never before the step it follows."""
    raw = args.get("when")
    if raw in (None, ""):
        when = at
    else:
        try:
            when = datetime.fromisoformat(raw) if isinstance(raw, str) else None
        except ValueError:
            when = None
        if when is None:
            raise DomainError("办理时间应为日期或时间（如 2026-11-30 或 2026-11-30T09:30）。", "when")
        when = when.replace(tzinfo=None)
    if when > at:
        raise DomainError("办理时间不能晚于现在。", "when")
    if not_before and when < datetime.fromisoformat(not_before):
        raise DomainError(f"办理时间不能早于上一步（{not_before[:16].replace('T', ' ')}）。", "when")
    return when


def _iso(value) -> str:
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else value.isoformat()


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time.max).replace(microsecond=0)


def _days_from(start: datetime, days: int) -> str:
    """The last moment of the `days`-th day after `start`'s day (3日内: by the end of that day)."""
    return _iso(_end_of(start.date() + timedelta(days=days)))


def _hours_from(start: datetime, hours: int) -> str:
    return _iso(start + timedelta(hours=hours))


def _late(due: str | None, when: datetime, args: dict, what: str) -> str:
    """The reason for the delay when `when` is past the clock ending at `due`; refused without one."""
    reason = _text("crime_text", args.get("delay_reason"), field="delay_reason")
    if due and when > datetime.fromisoformat(due) and not reason:
        shown = due[:16].replace("T", " ")
        raise DomainError(f"{what}已超过期限（应在 {shown} 前办理），请填写逾期原因后再保存。", "delay_reason")
    return reason


# --- actors ------------------------------------------------------------------------------------------------------

def _squad(state_owner: str, actor: Actor, step: str) -> None:
    if actor.org_code != state_owner:
        raise DomainError(f"只有移送案件的街镇可以{STEP_LABELS[step]}。")
    if Role(actor.role) != Role.SQUAD_LEADER:
        raise DomainError(f"您的角色“{Role(actor.role).label}”不能{STEP_LABELS[step]}，由中队长办理。")


def _police_side(state: dict, actor: Actor, step: str, args: dict, police_has_account: bool | None) -> dict:
    """Who enters a police step: the receiving organisation's liaison, or the squad on its behalf (with a reason when
    that organisation has an account; `police_has_account` None: not known here, fx-bureau checks it)."""
    if actor.org_code == state["receiving_org"]:
        if Role(actor.role) != Role.POLICE_LIAISON:
            raise DomainError(f"您的角色“{Role(actor.role).label}”不能{STEP_LABELS[step]}，由公安联络员办理。")
        return {"entered_by": "police"}
    if actor.org_code == state["owner_org"] and Role(actor.role) in (Role.SQUAD_LEADER, Role.OFFICER):
        reason = _text("crime_text", args.get("on_behalf_reason"), field="on_behalf_reason")
        if police_has_account and not reason:
            raise DomainError(f"接收的公安机关已开通账号，应由其联络员{STEP_LABELS[step]}；如确需代为录入，"
                              "请写明代录原因（如电话确认、书面回执已收到）。", "on_behalf_reason")
        return {"entered_by": "squad", "on_behalf_reason": reason}
    raise DomainError(f"“{STEP_LABELS[step]}”须由接收移送的公安机关办理，您所在的单位不能办理。")


def _record(actor: Actor, at: datetime, when: datetime, **extra) -> dict:
    return {"by": actor.name, "org": actor.org_code, "at": _iso(at), "when": _iso(when), **extra}


def _current(state: dict, args: dict, step: str, *allowed: CrimeStatus) -> dict:
    status = CrimeStatus(state["status"])
    expected = args.get("expected_status")
    if expected is not None and expected != str(status):
        try:
            was = CrimeStatus(expected).label
        except ValueError:
            was = str(expected)
        raise DomainError(f"该移送已变为“{status.label}”（您办理时为“{was}”），{STEP_LABELS[step]}未执行，"
                          "请查看最新情况后再办理。")
    if status not in allowed:
        if step == "hand_over_criminal_referral" and status in _BEFORE_FILING:
            raise DomainError("公安机关尚未立案：涉案物品和其余材料在立案后移交（立案之日起3日内），现在不能办理移交。")
        raise DomainError(f"该移送处于“{status.label}”状态，不能{STEP_LABELS[step]}。")
    return copy.deepcopy(state)


_BEFORE_FILING = frozenset({CrimeStatus.REPORTED, CrimeStatus.APPROVED, CrimeStatus.SENT, CrimeStatus.RECEIVED,
                            CrimeStatus.PASSED_ON, CrimeStatus.NOT_FILED, CrimeStatus.RECONSIDERING,
                            CrimeStatus.UPHELD, CrimeStatus.SUPERVISION})


# --- the steps ---------------------------------------------------------------------------------------------------

def report(args: dict, *, case: dict, owner: Organisation, receiving: Organisation, copy_to: Organisation | None,
           actor: Actor, at: datetime, rules: CrimeRules) -> dict:
    """The squad's written report to the head (移送涉嫌犯罪案件的书面报告): the team, the report, the attached
    reports, the seized items, a fine already paid. The head's 3-day clock starts now."""
    if actor.org_code != owner.code or owner.kind != OrgKind.TOWN or case.get("town_code") != owner.code:
        raise DomainError("只有案件所属街镇可以移送本案。")
    if Role(actor.role) != Role.SQUAD_LEADER:
        raise DomainError(f"您的角色“{Role(actor.role).label}”不能提交涉嫌犯罪案件移送报告，由中队长组织办理。")
    if receiving.kind not in POLICE_KINDS:
        raise DomainError(f"“{receiving.name}”不是公安机关：涉嫌犯罪的案件移送公安分局或派出所。", "receiving_org")
    if copy_to is not None and copy_to.kind != OrgKind.PROCURATORATE:
        raise DomainError(f"“{copy_to.name}”不是检察院，移送书抄送区人民检察院。", "copy_org")
    try:
        case_status = CaseStatus(case.get("status"))
    except ValueError:
        raise DomainError("案件状态无法识别，不能移送。") from None
    if case_status == CaseStatus.CLUE:
        raise DomainError("线索尚未立案：请先立案调查，查明涉嫌犯罪的事实后再提交移送报告。")
    if case_status in (CaseStatus.REFERRED, CaseStatus.NOT_FILED, CaseStatus.REVOKED):
        raise DomainError(f"案件已处于“{case_status.label}”状态，不能再移送公安机关。")
    evidence = {e.get("id"): e for e in case.get("evidence") or []}
    attachments = _attachments(args.get("attachments"), evidence)
    team = _team(args.get("team"))
    state = {
        "id": args["criminal_referral_id"], "case_id": case["id"], "owner_org": owner.code,
        "receiving_org": receiving.code, "copy_org": copy_to.code if copy_to else None,
        "number": args.get("number") or "", "status": str(CrimeStatus.REPORTED),
        "team": team,
        "suspicion": _text("crime_suspicion", args.get("suspicion"), required="涉嫌罪名及移送依据"),
        "report": _text("crime_report", args.get("report"), required="涉嫌犯罪案件情况的调查报告"),
        "attachments": attachments, "items": _items(args.get("items")),
        "fine_paid": _fine_paid(args.get("fine_paid")),
        "contact": {"name": _text("contact_name", (args.get("contact") or {}).get("name")) or actor.name,
                    "phone": _text("contact_phone", (args.get("contact") or {}).get("phone"))},
        "case_snapshot": case_snapshot(case, attachments),
        "reported": _record(actor, at, at), "decision_due": _days_from(at, rules.decision_days),
        "decision": None, "send_due": None, "sent": None, "receipt_due": None, "receipt": None, "passed_on": [],
        "police_decision_due": None, "police_decision": None, "reconsideration": None, "supervision": None,
        "handover_due": None, "handover": None, "party_orgs": [],
    }
    return state


def decide(state: dict, args: dict, *, actor: Actor, at: datetime, rules: CrimeRules) -> dict:
    """The head approves or refuses within 3 days of receiving the report; a refusal keeps its reasons."""
    _squad(state["owner_org"], actor, "decide_criminal_referral")
    new = _current(state, args, "decide_criminal_referral", CrimeStatus.REPORTED)
    approve = args.get("approve")
    if not isinstance(approve, bool):
        raise DomainError("请选择批准移送或不批准。", "approve")
    when = _when(args, at, not_before=state["reported"]["when"])
    delay = _late(state.get("decision_due"), when, args, "负责人审批")
    reasons = _text("crime_text", args.get("reasons"), field="reasons")
    if not approve and not reasons:
        raise DomainError("不批准移送须写明理由，理由将存档备查。", "reasons")
    new["decision"] = _record(actor, at, when, approved=approve, reasons=reasons, delay_reason=delay,
                              head=_text("contact_name", args.get("head")) or actor.name)
    if approve:
        new["status"] = str(CrimeStatus.APPROVED)
        new["send_due"] = _hours_from(when, rules.send_hours)
    else:
        new["status"] = str(CrimeStatus.REFUSED)
    return new


def parties_of(state: dict) -> list[str]:
    """The organisations that see the record besides its owner: each police organisation it went to, and the
    procuratorate that receives the copy."""
    return list(state.get("party_orgs") or [])


def _add_party(state: dict, code: str | None) -> None:
    if code and code not in state["party_orgs"]:
        state["party_orgs"] = [*state["party_orgs"], code]


def send(state: dict, args: dict, *, actor: Actor, at: datetime, rules: CrimeRules) -> dict:
    """The package reaches the police within 24 hours of the approval; the procuratorate gets the copy (抄送)."""
    _squad(state["owner_org"], actor, "send_criminal_referral")
    new = _current(state, args, "send_criminal_referral", CrimeStatus.APPROVED)
    when = _when(args, at, not_before=state["decision"]["when"])
    delay = _late(state.get("send_due"), when, args, "移送公安机关")
    new["sent"] = _record(actor, at, when, delay_reason=delay, how=_text("crime_short", args.get("how")) or "当面递交")
    new["status"] = str(CrimeStatus.SENT)
    new["receipt_due"] = _hours_from(when, rules.receipt_hours)
    _add_party(new, new["receiving_org"])
    _add_party(new, new.get("copy_org"))
    return new


def receipt(state: dict, args: dict, *, actor: Actor, at: datetime, rules: CrimeRules,
            police_has_account: bool | None = None) -> dict:
    """The receipt (回执) on the 移送书: when received and who signed. The 3-day decision clock starts."""
    new = _current(state, args, "receipt_criminal_referral", CrimeStatus.SENT, CrimeStatus.PASSED_ON)
    side = _police_side(state, actor, "receipt_criminal_referral", args, police_has_account)
    previous = state["passed_on"][-1]["when"] if state["passed_on"] else state["sent"]["when"]
    when = _when(args, at, not_before=previous)
    delay = _late(state.get("receipt_due"), when, args, "签收回执")
    signed_by = _text("contact_name", args.get("signed_by"), required="签收人")
    new["receipt"] = _record(actor, at, when, org_received=state["receiving_org"], signed_by=signed_by,
                             delay_reason=delay, **side)
    new["status"] = str(CrimeStatus.RECEIVED)
    new["police_decision_due"] = _days_from(when, rules.police_decision_days)
    new["pass_on_due"] = _hours_from(when, rules.pass_on_hours)
    return new


def pass_on(state: dict, args: dict, *, actor: Actor, at: datetime, rules: CrimeRules, to: Organisation | None,
            police_has_account: bool | None = None) -> dict:
    """Not this organisation's to handle: passed on to the competent police organ within 24 hours of the receipt,
    with a written notice to the squad. The organ becomes a party and signs its own receipt."""
    new = _current(state, args, "pass_on_criminal_referral", CrimeStatus.RECEIVED)
    side = _police_side(state, actor, "pass_on_criminal_referral", args, police_has_account)
    if to is None or to.kind not in POLICE_KINDS:
        raise DomainError("请选择接收转交的主管公安机关（公安分局或派出所）。", "to_org")
    if to.code == state["receiving_org"]:
        raise DomainError("转交的主管机关不能是本单位。", "to_org")
    when = _when(args, at, not_before=state["receipt"]["when"])
    delay = _late(state.get("pass_on_due"), when, args, "转交主管机关")
    notice = _text("crime_text", args.get("notice"), required="书面告知移送机关的内容", field="notice")
    new["passed_on"] = [*state["passed_on"], _record(actor, at, when, from_org=state["receiving_org"],
                                                     to_org=to.code, notice=notice, delay_reason=delay,
                                                     receipt=state["receipt"], **side)]
    new["receiving_org"], new["receipt"] = to.code, None
    new["status"] = str(CrimeStatus.PASSED_ON)
    new["receipt_due"] = _hours_from(when, rules.receipt_hours)
    new["police_decision_due"] = new["pass_on_due"] = None
    _add_party(new, to.code)
    return new


def police_decide(state: dict, args: dict, *, actor: Actor, at: datetime, rules: CrimeRules,
                  police_has_account: bool | None = None) -> dict:
    """立案 or 不予立案 (with reasons) within 3 days of the receipt."""
    new = _current(state, args, "police_decide_criminal_referral", CrimeStatus.RECEIVED)
    side = _police_side(state, actor, "police_decide_criminal_referral", args, police_has_account)
    when = _when(args, at, not_before=state["receipt"]["when"])
    result = args.get("result")
    if result not in ("filed", "not_filed"):
        raise DomainError("请选择立案或不予立案。", "result")
    reasons = _text("crime_text", args.get("reasons"), field="reasons")
    if result == "not_filed" and not reasons:
        raise DomainError("不予立案须写明理由（不予立案通知书所载理由）。", "reasons")
    delay = _late(state.get("police_decision_due"), when, args, "立案决定")
    new["police_decision"] = _record(actor, at, when, result=result, reasons=reasons, delay_reason=delay,
                                     their_number=_text("crime_short", args.get("their_number")), **side)
    new["police_decision_due"] = new["pass_on_due"] = None
    _after_decision(new, result, when, rules)
    return new


def _after_decision(new: dict, result: str, when: datetime, rules: CrimeRules) -> None:
    if result == "filed":
        new["status"] = str(CrimeStatus.FILED)
        new["handover_due"] = _days_from(when, rules.handover_days)
    else:
        new["status"] = str(CrimeStatus.NOT_FILED)
        new["reconsideration_window"] = _days_from(when, rules.reconsideration_days)


def request_reconsideration(state: dict, args: dict, *, actor: Actor, at: datetime, rules: CrimeRules) -> dict:
    """After 不予立案 the squad may ask the police to reconsider within 3 days; they decide within 3 days."""
    _squad(state["owner_org"], actor, "request_crime_reconsideration")
    new = _current(state, args, "request_crime_reconsideration", CrimeStatus.NOT_FILED)
    when = _when(args, at, not_before=state["police_decision"]["when"])
    delay = _late(state.get("reconsideration_window"), when, args, "提请复议")
    reasons = _text("crime_text", args.get("reasons"), required="提请复议的理由", field="reasons")
    new["reconsideration"] = {"request": _record(actor, at, when, reasons=reasons, delay_reason=delay),
                              "due": _days_from(when, rules.reconsideration_days), "decision": None}
    new["status"] = str(CrimeStatus.RECONSIDERING)
    return new


def decide_reconsideration(state: dict, args: dict, *, actor: Actor, at: datetime, rules: CrimeRules,
                           police_has_account: bool | None = None) -> dict:
    new = _current(state, args, "decide_crime_reconsideration", CrimeStatus.RECONSIDERING)
    side = _police_side(state, actor, "decide_crime_reconsideration", args, police_has_account)
    when = _when(args, at, not_before=state["reconsideration"]["request"]["when"])
    result = args.get("result")
    if result not in ("filed", "upheld"):
        raise DomainError("请选择复议结果：立案，或维持不予立案。", "result")
    reasons = _text("crime_text", args.get("reasons"), field="reasons")
    if result == "upheld" and not reasons:
        raise DomainError("维持不予立案须写明理由。", "reasons")
    reason = _late(state["reconsideration"]["due"], when, args, "复议决定")
    new["reconsideration"]["decision"] = _record(actor, at, when, result=result, reasons=reasons,
                                                 delay_reason=reason, **side)
    if result == "filed":
        _after_decision(new, "filed", when, rules)
    else:
        new["status"] = str(CrimeStatus.UPHELD)
        new["supervision_window"] = _days_from(when, rules.supervision_days)
    return new


def request_supervision(state: dict, args: dict, *, actor: Actor, at: datetime, rules: CrimeRules) -> dict:
    """After the reconsideration upheld 不予立案, the squad asks the procuratorate to supervise (立案监督)."""
    _squad(state["owner_org"], actor, "request_crime_supervision")
    new = _current(state, args, "request_crime_supervision", CrimeStatus.UPHELD)
    when = _when(args, at, not_before=state["reconsideration"]["decision"]["when"])
    delay = _late(state.get("supervision_window"), when, args, "提请立案监督")
    reasons = _text("crime_text", args.get("reasons"), required="提请立案监督的理由", field="reasons")
    new["supervision"] = _record(actor, at, when, reasons=reasons, delay_reason=delay, to_org=state.get("copy_org"))
    new["status"] = str(CrimeStatus.SUPERVISION)
    return new


def hand_over(state: dict, args: dict, *, actor: Actor, at: datetime, rules: CrimeRules,
              police_has_account: bool | None = None) -> dict:
    """After 立案, the items and remaining materials go to the police within 3 days, with a handover record; entered
    by the squad (it hands them over) or by the police (who receive them)."""
    new = _current(state, args, "hand_over_criminal_referral", CrimeStatus.FILED)
    if actor.org_code == state["owner_org"]:
        _squad(state["owner_org"], actor, "hand_over_criminal_referral")
        side = {"entered_by": "squad"}
    else:
        side = _police_side(state, actor, "hand_over_criminal_referral", args, police_has_account)
    decided = (state.get("reconsideration") or {}).get("decision") or state["police_decision"]
    when = _when(args, at, not_before=decided["when"])
    delay = _late(state.get("handover_due"), when, args, "移交涉案物品和材料")
    handed = args.get("items_handed")
    numbers = {it["no"] for it in state["items"]}
    if handed is None:
        handed = sorted(numbers)
    if not isinstance(handed, list) or any(isinstance(n, bool) or n not in numbers for n in handed):
        raise DomainError("移交的物品应从涉案物品清单中选择。", "items_handed")
    missing = sorted(numbers - set(handed))
    note = _text("crime_text", args.get("note"), field="note")
    if missing and not note:
        raise DomainError(f"清单中第 {'、'.join(map(str, missing))} 项物品未移交，请在备注中写明原因。", "note")
    new["handover"] = _record(
        actor, at, when, delay_reason=delay, note=note, items_handed=sorted(handed),
        materials=_text("crime_text", args.get("materials"), required="移交的其余材料", field="materials"),
        handed_by=_text("contact_name", args.get("handed_by"), required="移交人"),
        received_by=_text("contact_name", args.get("received_by"), required="接收人（公安机关）"), **side)
    new["status"] = str(CrimeStatus.HANDED_OVER)
    new["handover_due"] = None
    return new


def apply_step(name: str, state: dict | None, args: dict, *, actor: Actor, at: datetime, rules: CrimeRules,
               police_has_account: bool | None = None, to: Organisation | None = None, **report_context) -> dict:
    """Dispatch one step by its mutation name (the rebase replays pending steps through this)."""
    if name == "report_criminal_referral":
        return report(args, actor=actor, at=at, rules=rules, **report_context)
    if state is None:
        raise DomainError("没有找到该涉嫌犯罪案件移送记录。")
    if name in ("decide_criminal_referral", "send_criminal_referral", "request_crime_reconsideration",
                "request_crime_supervision"):
        step = {"decide_criminal_referral": decide, "send_criminal_referral": send,
                "request_crime_reconsideration": request_reconsideration,
                "request_crime_supervision": request_supervision}[name]
        return step(state, args, actor=actor, at=at, rules=rules)
    if name == "pass_on_criminal_referral":
        return pass_on(state, args, actor=actor, at=at, rules=rules, to=to, police_has_account=police_has_account)
    step = {"receipt_criminal_referral": receipt, "police_decide_criminal_referral": police_decide,
            "decide_crime_reconsideration": decide_reconsideration, "hand_over_criminal_referral": hand_over}.get(name)
    if step is None:
        raise DomainError(f"不认识的涉嫌犯罪案件移送操作“{name}”。")
    return step(state, args, actor=actor, at=at, rules=rules, police_has_account=police_has_account)


def acting_org(name: str, state: dict, actor_org: str) -> str | None:
    """The organisation a step belongs to: the owner for the squad's steps, the receiving police organisation for
    the police's (the squad may enter those too: the domain decides); None when `actor_org` is neither."""
    if actor_org == state["owner_org"]:
        return actor_org
    if name in POLICE_STEPS or name == "hand_over_criminal_referral":
        return state["receiving_org"] if actor_org == state["receiving_org"] else None
    return None


POLICE_SOURCE = "公安移送"  # the case source of a case the police referred to the town (art. 13)


def police_return(args: dict, *, actor: Actor, police: Organisation, town: Organisation) -> dict:
    """The reverse route (art. 13): a police organisation that finds no crime to prosecute but an administrative
    offence refers the case to the town. The case's fields as the police give them, its source 公安移送 and the
    police's letter and reason at the head of the facts; the materials travel as its evidence files."""
    if police.kind not in POLICE_KINDS or actor.org_code != police.code:
        raise DomainError("只有公安机关可以将案件移送街镇作行政处罚。")
    if Role(actor.role) != Role.POLICE_LIAISON:
        raise DomainError(f"您的角色“{Role(actor.role).label}”不能移送案件，由公安联络员办理。")
    if town.kind != OrgKind.TOWN:
        raise DomainError(f"“{town.name}”不是街镇：依法应予行政处罚的案件移送有管辖权的街镇综合行政执法队。",
                          "town_code")
    letter = _text("crime_short", args.get("letter_number"), required="公安机关移送文书的文号", field="letter_number")
    reason = _text("crime_text", args.get("reason"), required="移送理由（不需追究刑事责任、应予行政处罚的理由）")
    fields = dict(args.get("fields") if isinstance(args.get("fields"), dict) else {})
    facts = fields.get("facts") if isinstance(fields.get("facts"), str) else ""
    fields["source"] = POLICE_SOURCE
    fields["facts"] = f"【公安移送】{police.name}《{letter}》：{reason}\n{facts}".strip()
    return fields


def review_found_crime(criteria: dict | None) -> bool:
    """Whether a legal review's answer says 涉嫌犯罪需移送 (criterion 8, "crime", not passed): the case page then offers
    a criminal referral."""
    item = (criteria or {}).get("crime")
    return isinstance(item, dict) and item.get("passed") is False


# --- clocks ------------------------------------------------------------------------------------------------------

def clock(state: dict) -> Clock | None:
    """The clock that runs now, or None."""
    status = CrimeStatus(state["status"])
    at = datetime.fromisoformat

    def make(step, side, key, hours, duty=True):
        value = state.get(key)
        return Clock(step, side, at(value), hours, duty) if value else None

    if status == CrimeStatus.REPORTED:
        return make("decide_criminal_referral", "town", "decision_due", False)
    if status == CrimeStatus.APPROVED:
        return make("send_criminal_referral", "town", "send_due", True)
    if status in (CrimeStatus.SENT, CrimeStatus.PASSED_ON):
        return make("receipt_criminal_referral", "police", "receipt_due", True)
    if status == CrimeStatus.RECEIVED:
        return make("police_decide_criminal_referral", "police", "police_decision_due", False)
    if status == CrimeStatus.NOT_FILED:
        return make("request_crime_reconsideration", "town", "reconsideration_window", False, duty=False)
    if status == CrimeStatus.RECONSIDERING:
        due = (state.get("reconsideration") or {}).get("due")
        return Clock("decide_crime_reconsideration", "police", at(due), False) if due else None
    if status == CrimeStatus.UPHELD:
        return make("request_crime_supervision", "town", "supervision_window", False, duty=False)
    if status == CrimeStatus.FILED:
        return make("hand_over_criminal_referral", "town", "handover_due", False)
    return None


def overdue(state: dict, now: datetime) -> str | None:
    """The step that is late at `now`, else None."""
    running = clock(state)
    return running.step if running and running.overdue(now) else None


def pending(states) -> bool:
    """Whether any of these criminal referrals of a case still waits (see CrimeStatus.pending)."""
    return any(CrimeStatus(s if isinstance(s, str) else s["status"]).pending for s in states)


def steps_taken(state: dict) -> list[tuple[str, dict]]:
    """Every step taken, in order, as (step name, its record) for the referral page and the printed record."""
    out = [("report_criminal_referral", state["reported"])]
    for key, name in (("decision", "decide_criminal_referral"), ("sent", "send_criminal_referral")):
        if state.get(key):
            out.append((name, state[key]))
    for passed in state.get("passed_on") or []:  # each organisation's receipt, then its passing on
        out += [("receipt_criminal_referral", passed["receipt"]), ("pass_on_criminal_referral", passed)]
    if state.get("receipt"):
        out.append(("receipt_criminal_referral", state["receipt"]))
    if state.get("police_decision"):
        out.append(("police_decide_criminal_referral", state["police_decision"]))
    recon = state.get("reconsideration") or {}
    if recon.get("request"):
        out.append(("request_crime_reconsideration", recon["request"]))
    if recon.get("decision"):
        out.append(("decide_crime_reconsideration", recon["decision"]))
    if state.get("supervision"):
        out.append(("request_crime_supervision", state["supervision"]))
    if state.get("handover"):
        out.append(("hand_over_criminal_referral", state["handover"]))
    return out
