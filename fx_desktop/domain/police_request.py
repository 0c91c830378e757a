"""Police assistance requests (公安协助, seed 四(六)1, DOMAIN.md section 5) as pure functions over plain data.

A request is a shared record: the applying squad (a town, or the bureau for a district operation) owns it, the
police organisation it is addressed to (a station, or the sub-bureau's command centre) is a party. The client's
services, fx-bureau's handlers and the sync rebase all call these functions, so the rules are one copy.

    draft --file--> sent                     (应急处置, 舆情应对: the squad leader files)
    draft --file--> awaiting_approval --approve--> sent      (专项协作: the squad's head approves before it goes)
    sent --acknowledge--> acknowledged --arrival--> arrived --outcome--> concluded
    (arrival and outcome may follow `sent` directly; identity results are recorded while the police are on it)
    draft / awaiting_approval / sent --withdraw (the squad leader, with a reason)--> withdrawn

An emergency request (应急处置) is logged in seconds with the situation, the place, the case or party and what is
asked; everything else is completed later (补录, `update`). The police steps are entered by the police
organisation's liaison, or by the squad when the station has no account of its own; a squad entering a step for a
station that has an account must give a reason. Every police step says who entered it (`on_behalf`).

State: a dict with the keys made by `create` (JSON values only: times as ISO text)."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .errors import DomainError, kind_of
from .identifiers import validate_citizen_id
from .organisations import Organisation, OrgKind
from .roles import Role
from .text_limits import checked_text
from .timestamps import parse_time

KIND = "police_request"


class Situation(StrEnum):
    EMERGENCY = "emergency"
    JOINT_OPERATION = "joint_operation"
    PUBLIC_OPINION = "public_opinion"

    @property
    def label(self) -> str:
        return {"emergency": "应急处置", "joint_operation": "专项协作", "public_opinion": "舆情应对"}[self.value]


class RequestStatus(StrEnum):
    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting_approval"
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    ARRIVED = "arrived"
    CONCLUDED = "concluded"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self not in (RequestStatus.CONCLUDED, RequestStatus.WITHDRAWN)


_STATUS_LABELS = {
    RequestStatus.DRAFT: "草稿",
    RequestStatus.AWAITING_APPROVAL: "待审批",
    RequestStatus.SENT: "已提请，待公安回应",
    RequestStatus.ACKNOWLEDGED: "公安已接警",
    RequestStatus.ARRIVED: "民警已到场",
    RequestStatus.CONCLUDED: "已办结",
    RequestStatus.WITHDRAWN: "已撤回",
}

URGENCY = {"normal": "一般", "urgent": "紧急", "critical": "特急"}
ASKS = {"keep_order": "维持现场秩序", "verify_identity": "核实当事人身份", "obstruction": "处置妨碍执行职务"}
IDENTITY_RESULTS = {"verified": "已核实身份", "refused": "当事人拒不配合", "unverifiable": "无法核实"}
OUTCOMES = {"settled": "现场处置完毕", "public_order_penalty": "治安管理处罚",
            "obstruction_case": "以妨害公务（刑法第277条）立案", "other": "其他"}

STEP_LABELS = {
    "create_police_request": "登记公安协助申请", "update_police_request": "补录公安协助申请",
    "file_police_request": "提请公安协助", "approve_police_request": "审批专项协作申请",
    "withdraw_police_request": "撤回公安协助申请", "acknowledge_police_request": "接警确认",
    "record_police_arrival": "登记民警到场", "record_police_identity": "登记身份核实结果",
    "record_police_outcome": "登记处置结果",
}
POLICE_STEPS = ("acknowledge_police_request", "record_police_arrival", "record_police_identity",
                "record_police_outcome")
STEPS = tuple(STEP_LABELS)
MAX_LIST = 50  # officers arriving, body-camera files


@dataclass(frozen=True)
class Actor:
    name: str
    role: Role | str
    org_code: str


# --- values -------------------------------------------------------------------------------------------------------

def _text(value, label: str, field: str, *, key: str = "police_short") -> str:
    if value is not None and not isinstance(value, str):
        raise DomainError(f"{label}应为文本，收到的是{kind_of(value)}。", field)
    text = checked_text(key, value or "", label=f"“{label}”")
    return text


def _time(value, label: str, field: str, *, at: datetime) -> str:
    if value in (None, ""):
        return ""
    when = parse_time(value, label)
    if when > at:
        raise DomainError(f"{label}不能晚于现在（{at:%Y-%m-%d %H:%M}），请核对。", field)
    return when.isoformat(timespec="minutes")


def _window(value, label: str, field: str) -> str:
    """A planned time (may lie in the future)."""
    if value in (None, ""):
        return ""
    return parse_time(value, label).isoformat(timespec="minutes")


def _count(value, label: str, field: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10_000:
        raise DomainError(f"{label}应为 0–10000 的整数。", field)
    return value


def _flag(value, label: str, field: str) -> bool:
    if value in (None, ""):
        return False
    if not isinstance(value, bool):
        raise DomainError(f"{label}应为“是”或“否”。", field)
    return value


def _asks(raw) -> list[str]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or any(not isinstance(a, str) or a not in ASKS for a in raw):
        names = "、".join(ASKS.values())
        raise DomainError(f"请求协助的事项只能从以下选择：{names}。", "asks")
    return [a for a in ASKS if a in raw]


def _risk(raw) -> dict:
    if raw in (None, ""):
        raw = {}
    if not isinstance(raw, dict):
        raise DomainError("风险评估应包括预计人数、是否曾有阻挠、是否有犬只或器械、是否有群体性事件风险。", "risk")
    return {"people_expected": _count(raw.get("people_expected"), "预计现场人数", "risk"),
            "earlier_obstruction": _flag(raw.get("earlier_obstruction"), "此前是否有阻挠", "risk"),
            "dogs_or_tools": _flag(raw.get("dogs_or_tools"), "是否有犬只或器械", "risk"),
            "group_risk": _flag(raw.get("group_risk"), "是否有群体性事件风险", "risk"),
            "notes": _text(raw.get("notes"), "风险说明", "risk", key="police_text")}


def _texts(raw, label: str, field: str) -> list[str]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or len(raw) > MAX_LIST:
        raise DomainError(f"{label}应为不超过 {MAX_LIST} 项的清单。", field)
    return [t for t in (_text(v, label, field) for v in raw) if t]


def _contact(raw) -> dict:
    raw = raw if isinstance(raw, dict) else {}
    return {"name": _text(raw.get("name"), "联系人", "contact"), "phone": _text(raw.get("phone"), "联系电话", "contact")}


# The fields the squad writes (on creation and when completing the record, 补录), each checked by its function.
def _squad_fields(args: dict, at: datetime) -> dict:
    fields = {}
    checks = {
        "urgency": lambda v: _choice(v, URGENCY, "紧急程度", "urgency"),
        "window_start": lambda v: _window(v, "计划开始时间", "window_start"),
        "window_end": lambda v: _window(v, "计划结束时间", "window_end"),
        "place": lambda v: _text(v, "地点", "place", key="police_place"),
        "party": lambda v: _text(v, "当事人", "party"),
        "risk": _risk,
        "asks": _asks,
        "asks_other": lambda v: _text(v, "其他协助事项", "asks"),
        "officers_needed": lambda v: _count(v, "需要警力（人）", "officers_needed"),
        "call_time": lambda v: _time(v, "报警时间", "call_time", at=at),
        "incident_number": lambda v: _text(v, "警情编号", "incident_number"),
        "body_cam_ids": lambda v: _texts(v, "执法记录仪文件编号", "body_cam_ids"),
        "injuries": lambda v: _text(v, "人员受伤或财物损坏情况", "injuries", key="police_text"),
        "follow_up": lambda v: _text(v, "后续移送或处理", "follow_up", key="police_text"),
        "details": lambda v: _text(v, "情况说明", "details", key="police_text"),
        "contact": _contact,
    }
    for key, check in checks.items():
        if key in args:
            fields[key] = check(args[key])
    return fields


def _choice(value, choices: dict, label: str, field: str) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or value not in choices:
        raise DomainError(f"{label}只能选择：{'、'.join(choices.values())}。", field)
    return value


EMPTY_FIELDS = {"urgency": "", "window_start": "", "window_end": "", "place": "", "party": "",
                "risk": _risk({}), "asks": [], "asks_other": "", "officers_needed": None, "call_time": "",
                "incident_number": "", "body_cam_ids": [], "injuries": "", "follow_up": "", "details": "",
                "contact": {"name": "", "phone": ""}}


def check_complete_enough(state: dict) -> None:
    """What a request must hold to be sent to the police (an emergency: only the situation, place, case or party and
    what is asked; the others more)."""
    if not state["place"]:
        raise DomainError("请填写地点，公安机关要知道去哪里。", "place")
    if not state["case_id"] and not state["party"]:
        raise DomainError("请关联案件或填写当事人。", "party")
    if not state["asks"] and not state["asks_other"]:
        raise DomainError("请选择请求协助的事项（维持秩序、核实身份、处置妨碍执行职务）。", "asks")
    situation = Situation(state["situation"])
    if situation == Situation.JOINT_OPERATION:
        if not state["window_start"] or not state["window_end"]:
            raise DomainError("专项协作须填写计划的开始和结束时间。", "window_start")
        if state["officers_needed"] is None or state["officers_needed"] < 1:
            raise DomainError("专项协作须写明需要的警力（人数）。", "officers_needed")
        if state["risk"]["people_expected"] is None and not state["risk"]["notes"]:
            raise DomainError("专项协作须做风险评估：至少填写预计现场人数或风险说明。", "risk")
    if situation == Situation.PUBLIC_OPINION and not state["details"]:
        raise DomainError("舆情应对须写明情况说明（舆情内容和需要公安配合的事项）。", "details")
    if state["window_start"] and state["window_end"] and state["window_end"] < state["window_start"]:
        raise DomainError("计划结束时间不能早于开始时间。", "window_end")


def still_to_complete(state: dict) -> list[str]:
    """The fields of DOMAIN.md's list still empty on a request filed without them (补录), as labels."""
    missing = []
    for key, label in (("urgency", "紧急程度"), ("call_time", "报警时间"), ("incident_number", "警情编号"),
                       ("details", "情况说明"), ("contact", "联系人")):
        value = state.get(key)
        if not value or (key == "contact" and not value.get("name")):
            missing.append(label)
    if state["risk"]["people_expected"] is None and not state["risk"]["notes"]:
        missing.append("风险评估")
    return missing


# --- who ----------------------------------------------------------------------------------------------------------

def _entry(actor: Actor, at: datetime, **extra) -> dict:
    return {"by": actor.name, "role": str(actor.role), "org": actor.org_code,
            "at": at.isoformat(timespec="seconds"), **extra}


def _files(actor: Actor, owner: Organisation, situation: Situation) -> bool:
    """Whether the actor may file (send) for `owner`; False: may only draft. Raises for someone who may not even
    draft."""
    role = Role(actor.role)
    if actor.org_code != owner.code:
        raise DomainError("只能以本单位名义提请公安协助。")
    if owner.kind == OrgKind.BUREAU:
        if role != Role.BUREAU_DISPATCHER:
            raise DomainError(f"您的角色“{role.label}”不能提请公安协助。")
        if situation != Situation.JOINT_OPERATION:
            raise DomainError("区城管执法局只为区级专项行动提请公安协助（专项协作）；现场应急和舆情应对由街镇中队长提请。",
                              "situation")
        return True
    if owner.kind != OrgKind.TOWN:
        raise DomainError(f"{owner.name}（{owner.kind.label}）不能提请公安协助，由街镇执法中队或区城管执法局提请。")
    if role == Role.SQUAD_LEADER:
        return True
    if role == Role.OFFICER:
        return False
    raise DomainError(f"您的角色“{role.label}”不能提请公安协助，由中队长提请，执法队员可以起草。")


def _check_station(station: Organisation) -> None:
    if station.kind not in (OrgKind.POLICE_STATION, OrgKind.POLICE_BUREAU):
        raise DomainError(f"“{station.name}”不是公安机关，请选择派出所或区公安分局（指挥中心）。", "station_org")


# --- steps --------------------------------------------------------------------------------------------------------

def create(args: dict, *, case: dict | None, owner: Organisation, station: Organisation, actor: Actor,
           at: datetime) -> dict:
    """A new request. `case`: the case's plain data (id, number, town_code, cause, party_name, place) or None.
    `args["file"]` True files it at once (the squad leader); False keeps a draft (an officer may only draft)."""
    try:
        situation = Situation(args.get("situation"))
    except (ValueError, TypeError):
        raise DomainError("请选择情形：应急处置、专项协作或舆情应对。", "situation") from None
    may_file = _files(actor, owner, situation)
    file_now = _flag(args.get("file"), "是否立即提请", "file")
    if file_now and not may_file:
        raise DomainError("执法队员只能起草公安协助申请，请保存为草稿，由中队长提请。", "file")
    _check_station(station)
    if case is not None and owner.kind == OrgKind.TOWN and case.get("town_code") != owner.code:
        raise DomainError("只能为本街镇的案件提请公安协助。", "case_id")
    if args.get("case_id") and case is None:
        raise DomainError("没有找到所关联的案件，请先同步或改为填写当事人。", "case_id")
    state = {
        "id": args["request_id"], "number": args.get("number") or "", "situation": str(situation),
        "status": str(RequestStatus.DRAFT), "owner_org": owner.code, "station_org": station.code,
        "case_id": case["id"] if case else None, "case_snapshot": case_snapshot(case) if case else None,
        **copy.deepcopy(EMPTY_FIELDS), **_squad_fields(args, at),
        "applicant": _entry(actor, at), "filed": None, "approved": None, "withdrawn": None,
        "completed": [],  # each 补录: who, when, which fields
        "police": {"acknowledged": None, "arrival": None, "identity": None, "outcome": None},
    }
    if not state["party"] and case:
        state["party"] = case.get("party_name") or ""
    if file_now:
        state = _filed(state, actor, at)
    return state


def case_snapshot(case: dict) -> dict:
    """What the police see of the case: its summary, never the whole file."""
    return {"number": case.get("number"), "cause": case.get("cause"), "party_name": case.get("party_name"),
            "place": case.get("place"), "occurred_at": case.get("occurred_at")}


def _filed(state: dict, actor: Actor, at: datetime) -> dict:
    check_complete_enough(state)
    situation = Situation(state["situation"])
    if situation == Situation.EMERGENCY and not state["call_time"]:
        state["call_time"] = at.isoformat(timespec="minutes")  # the leader has just phoned
    state["filed"] = _entry(actor, at)
    state["status"] = str(RequestStatus.AWAITING_APPROVAL if situation == Situation.JOINT_OPERATION
                          else RequestStatus.SENT)
    return state


def _current(state: dict, expected: str | None, step: str, *allowed: RequestStatus) -> dict:
    status = RequestStatus(state["status"])
    if expected not in (None, "") and expected != str(status):
        try:
            was = RequestStatus(expected).label
        except ValueError:
            was = str(expected)
        raise DomainError(f"该公安协助申请已变为“{status.label}”（您办理时为“{was}”），{STEP_LABELS[step]}未执行，"
                          "请查看最新情况后再办理。")
    if status not in allowed:
        raise DomainError(f"该公安协助申请处于“{status.label}”状态，不能{STEP_LABELS[step]}。")
    return copy.deepcopy(state)


def _owner_side(state: dict, actor: Actor, step: str, *roles: Role) -> None:
    if actor.org_code != state["owner_org"]:
        raise DomainError(f"只有提请协助的单位可以{STEP_LABELS[step]}。")
    if Role(actor.role) not in roles:
        names = "、".join(r.label for r in roles)
        raise DomainError(f"您的角色“{Role(actor.role).label}”不能{STEP_LABELS[step]}，由{names}办理。")


_LEADERS = (Role.SQUAD_LEADER, Role.BUREAU_DISPATCHER)


def update(state: dict, args: dict, *, actor: Actor, at: datetime, station: Organisation | None = None) -> dict:
    """Completing the record (补录) or editing a draft: the squad's fields; the station only while a draft."""
    _owner_side(state, actor, "update_police_request", Role.OFFICER, *_LEADERS)
    # completing fields does not depend on the police's progress meanwhile: no expected status is compared
    new = _current(state, None, "update_police_request", *[s for s in RequestStatus if s != RequestStatus.WITHDRAWN])
    fields = _squad_fields(args, at)
    if station is not None and station.code != new["station_org"]:
        if new["status"] != str(RequestStatus.DRAFT):
            raise DomainError("申请已提请公安机关，不能更换接收的公安机关；如需改派，请撤回后重新提请。", "station_org")
        _check_station(station)
        new["station_org"] = station.code
    changed = sorted(k for k, v in fields.items() if v != new.get(k))
    new.update(fields)
    if new["status"] != str(RequestStatus.DRAFT):
        check_complete_enough(new)  # filed: what was required may not be emptied
    if changed:
        new["completed"] = [*new["completed"], _entry(actor, at, fields=changed)]
    return new


def file_request(state: dict, args: dict, *, actor: Actor, at: datetime) -> dict:
    _owner_side(state, actor, "file_police_request", *_LEADERS)
    new = _current(state, args.get("expected_status"), "file_police_request", RequestStatus.DRAFT)
    return _filed(new, actor, at)


def approve(state: dict, args: dict, *, actor: Actor, at: datetime) -> dict:
    """专项协作: the squad's head (中队长; the bureau's dispatcher for a district operation) approves before it goes."""
    _owner_side(state, actor, "approve_police_request", *_LEADERS)
    new = _current(state, args.get("expected_status"), "approve_police_request", RequestStatus.AWAITING_APPROVAL)
    new["approved"] = _entry(actor, at, note=_text(args.get("note"), "审批意见", "note", key="police_text"))
    new["status"] = str(RequestStatus.SENT)
    return new


def withdraw(state: dict, args: dict, *, actor: Actor, at: datetime) -> dict:
    _owner_side(state, actor, "withdraw_police_request", *_LEADERS)
    new = _current(state, args.get("expected_status"), "withdraw_police_request", RequestStatus.DRAFT,
                   RequestStatus.AWAITING_APPROVAL, RequestStatus.SENT)
    reason = _text(args.get("reason"), "撤回理由", "reason", key="police_text")
    if not reason:
        raise DomainError("请写明撤回的理由。", "reason")
    new["withdrawn"] = _entry(actor, at, reason=reason)
    new["status"] = str(RequestStatus.WITHDRAWN)
    return new


def _police_entry(state: dict, args: dict, actor: Actor, at: datetime, step: str, *,
                  station_has_account: bool) -> dict:
    """Who enters a police step: the police organisation's liaison, or the squad on its behalf (with a reason when
    the police organisation has an account of its own)."""
    role = Role(actor.role)
    if actor.org_code == state["station_org"]:
        if role != Role.POLICE_LIAISON:
            raise DomainError(f"您的角色“{role.label}”不能{STEP_LABELS[step]}，由公安联络员录入。")
        return _entry(actor, at, on_behalf=False, reason="")
    if actor.org_code != state["owner_org"]:
        raise DomainError(f"该公安协助申请不是发给您所在单位的，不能{STEP_LABELS[step]}。")
    if role not in (Role.OFFICER, *_LEADERS):
        raise DomainError(f"您的角色“{role.label}”不能代公安机关{STEP_LABELS[step]}。")
    reason = _text(args.get("on_behalf_reason"), "代为录入的原因", "on_behalf_reason", key="police_text")
    if station_has_account and not reason:
        raise DomainError("接收的公安机关在本系统有账号，应由其联络员录入；如确需由中队代为录入，"
                          "请写明原因（如民警现场告知、公安端暂未录入）。", "on_behalf_reason")
    return _entry(actor, at, on_behalf=True, reason=reason)


def _after(state: dict, value: str, label: str, field: str) -> None:
    start = state.get("call_time") or (state.get("filed") or {}).get("at", "")[:16]
    if start and value < start:
        raise DomainError(f"{label}不能早于报警（提请）时间 {start.replace('T', ' ')}。", field)


def acknowledge(state: dict, args: dict, *, actor: Actor, at: datetime, station_has_account: bool) -> dict:
    step = "acknowledge_police_request"
    entry = _police_entry(state, args, actor, at, step, station_has_account=station_has_account)
    new = _current(state, args.get("expected_status"), step, RequestStatus.SENT)
    number = _text(args.get("incident_number"), "警情编号", "incident_number")
    entry["incident_number"] = number
    entry["note"] = _text(args.get("note"), "说明", "note", key="police_text")
    if number:
        new["incident_number"] = number
    new["police"]["acknowledged"] = entry
    new["status"] = str(RequestStatus.ACKNOWLEDGED)
    return new


def _officers(raw) -> list[dict]:
    if not isinstance(raw, list) or not raw or len(raw) > MAX_LIST:
        raise DomainError("请填写到场民警（姓名和警号），至少一人。", "officers")
    out = []
    for i, o in enumerate(raw, start=1):
        o = o if isinstance(o, dict) else {}
        name = _text(o.get("name"), "民警姓名", "officers")
        number = _text(o.get("number"), "警号", "officers")
        if not name or not number:
            raise DomainError(f"第 {i} 位到场民警须填写姓名和警号。", "officers")
        out.append({"name": name, "number": number})
    return out


def record_arrival(state: dict, args: dict, *, actor: Actor, at: datetime, station_has_account: bool) -> dict:
    step = "record_police_arrival"
    entry = _police_entry(state, args, actor, at, step, station_has_account=station_has_account)
    new = _current(state, args.get("expected_status"), step, RequestStatus.SENT, RequestStatus.ACKNOWLEDGED)
    arrived = _time(args.get("arrived_at"), "到场时间", "arrived_at", at=at)
    if not arrived:
        raise DomainError("请填写民警到场时间。", "arrived_at")
    _after(new, arrived, "到场时间", "arrived_at")
    new["police"]["arrival"] = {**entry, "arrived_at": arrived, "officers": _officers(args.get("officers"))}
    new["status"] = str(RequestStatus.ARRIVED)
    return new


def record_identity(state: dict, args: dict, *, actor: Actor, at: datetime, station_has_account: bool) -> dict:
    """Only police may check identity cards: the result they give (verified, with the name and ID number)."""
    step = "record_police_identity"
    entry = _police_entry(state, args, actor, at, step, station_has_account=station_has_account)
    new = _current(state, args.get("expected_status"), step, RequestStatus.SENT, RequestStatus.ACKNOWLEDGED,
                   RequestStatus.ARRIVED)
    result = _choice(args.get("result"), IDENTITY_RESULTS, "身份核实结果", "result")
    if not result:
        raise DomainError(f"请选择身份核实结果：{'、'.join(IDENTITY_RESULTS.values())}。", "result")
    name = _text(args.get("name"), "核实的姓名", "name")
    id_number = _text(args.get("id_number"), "核实的身份证号码", "id_number")
    if result == "verified":
        if not name or not id_number:
            raise DomainError("身份已核实时须填写公安核实的姓名和身份证号码。", "id_number")
        id_number = validate_citizen_id(id_number)
    new["police"]["identity"] = {**entry, "result": result, "name": name, "id_number": id_number,
                                 "note": _text(args.get("note"), "说明", "note", key="police_text")}
    return new


def record_outcome(state: dict, args: dict, *, actor: Actor, at: datetime, station_has_account: bool) -> dict:
    step = "record_police_outcome"
    entry = _police_entry(state, args, actor, at, step, station_has_account=station_has_account)
    new = _current(state, args.get("expected_status"), step, RequestStatus.ACKNOWLEDGED, RequestStatus.ARRIVED)
    outcome = _choice(args.get("outcome"), OUTCOMES, "处置结果", "outcome")
    if not outcome:
        raise DomainError(f"请选择处置结果：{'、'.join(OUTCOMES.values())}。", "outcome")
    note = _text(args.get("note"), "处置情况", "note", key="police_text")
    if outcome == "other" and not note:
        raise DomainError("处置结果为“其他”时请写明处置情况。", "note")
    new["police"]["outcome"] = {**entry, "outcome": outcome, "note": note}
    new["status"] = str(RequestStatus.CONCLUDED)
    return new


def apply_step(name: str, state: dict | None, args: dict, *, actor: Actor, at: datetime,
               station_has_account: bool = False, station: Organisation | None = None, **create_context) -> dict:
    """Dispatch one step by its mutation name (the rebase replays pending steps through this)."""
    if name == "create_police_request":
        return create(args, actor=actor, at=at, station=station, **create_context)
    if state is None:
        raise DomainError("没有找到该公安协助申请。")
    if name == "update_police_request":
        return update(state, args, actor=actor, at=at, station=station)
    if name in POLICE_STEPS:
        step = {"acknowledge_police_request": acknowledge, "record_police_arrival": record_arrival,
                "record_police_identity": record_identity, "record_police_outcome": record_outcome}[name]
        return step(state, args, actor=actor, at=at, station_has_account=station_has_account)
    step = {"file_police_request": file_request, "approve_police_request": approve,
            "withdraw_police_request": withdraw}.get(name)
    if step is None:
        raise DomainError(f"不认识的公安协助操作“{name}”。")
    return step(state, args, actor=actor, at=at)


# --- figures ------------------------------------------------------------------------------------------------------

def minutes_to_arrival(state: dict) -> int | None:
    """Minutes from the call (or the filing) to the police's arrival; None before they arrived."""
    arrival = (state.get("police") or {}).get("arrival")
    start = state.get("call_time") or ((state.get("filed") or {}).get("at") or "")[:16]
    if not arrival or not start:
        return None
    delta = datetime.fromisoformat(arrival["arrived_at"]) - datetime.fromisoformat(start)
    return max(0, int(delta.total_seconds() // 60))


def median(values: list[int]) -> float | None:
    values = sorted(values)
    if not values:
        return None
    mid = len(values) // 2
    return float(values[mid]) if len(values) % 2 else (values[mid - 1] + values[mid]) / 2
