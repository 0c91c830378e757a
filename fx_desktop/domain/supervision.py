"""Supervision sheets (督办单, DOMAIN.md section 6) as pure functions over plain data.

A sheet follows up an agreed item of a meeting's minutes, a referral, a police request, a criminal referral or a
free matter. The supervising office (a town's office staff or squad leader; the bureau's dispatcher for the
bureau's own sheets) issues it to a responsible unit (a department, the procuratorate, the police, a town, or the
town's own squad), which becomes a party of the shared record. The client's services, fx-bureau's handlers and the
sync rebase all call these functions, so the rules are one copy.

    issued 待签收 --sign--> in_progress 办理中 --report--> reported 已反馈 --close--> closed 已办结
    in_progress / sent_back --ask_extension--> extension_asked 延期申请中 --decide_extension--> back to work
        (approved: the new deadline; refused: the old one stands, with the reason)
    reported --send_back (reason)--> sent_back 退回重办 --report--> reported ...
    any open state --withdraw (reason)--> withdrawn 已撤销
    urge (催办): by the office, logged with the day, only when the sheet is overdue or due within NEAR_DAYS days

"The lead unit reports one matter per document, in writing, by the deadline": one report is one progress entry
about this sheet's matter (its text and the names of its attachments); it marks the sheet 已反馈.

State: a dict with the keys made by `issue` (JSON values only: days as YYYY-MM-DD, times as ISO text). Every step
appends to `history` who did it, when, and what it said, so a page can show every step."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from .errors import DomainError, kind_of
from .organisations import Organisation, OrgKind
from .roles import Role
from .text_limits import checked_text

KIND = "supervision"
NEAR_DAYS = 3  # a sheet due within this many days may be chased (催办) before it is overdue
MAX_ATTACHMENTS = 20


class SheetStatus(StrEnum):
    ISSUED = "issued"
    IN_PROGRESS = "in_progress"
    EXTENSION_ASKED = "extension_asked"
    REPORTED = "reported"
    CLOSED = "closed"
    SENT_BACK = "sent_back"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.value]

    @property
    def is_open(self) -> bool:
        return self not in (SheetStatus.CLOSED, SheetStatus.WITHDRAWN)


STATUS_LABELS = {"issued": "待签收", "in_progress": "办理中", "extension_asked": "延期申请中", "reported": "已反馈",
                 "closed": "已办结", "sent_back": "退回重办", "withdrawn": "已撤销"}
WORKING = (SheetStatus.IN_PROGRESS, SheetStatus.SENT_BACK)  # the unit works on it: it may report or ask for time
# where the responsible unit still owes something by the deadline (a reported sheet waits for the office)
OWING = (SheetStatus.ISSUED, SheetStatus.IN_PROGRESS, SheetStatus.EXTENSION_ASKED, SheetStatus.SENT_BACK)

SOURCE_KINDS = {"meeting": "会议议定事项", "referral": "移送", "police_request": "公安协助",
                "criminal_referral": "刑事移送"}

STEP_LABELS = {
    "issue_supervision": "下发督办单", "sign_supervision": "签收督办单", "report_supervision": "反馈办理情况",
    "ask_supervision_extension": "申请延期", "decide_supervision_extension": "审批延期申请",
    "close_supervision": "办结督办事项", "send_back_supervision": "退回重办", "urge_supervision": "催办",
    "withdraw_supervision": "撤销督办单",
}
STEPS = tuple(STEP_LABELS)
OFFICE_STEPS = ("issue_supervision", "decide_supervision_extension", "close_supervision", "send_back_supervision",
                "urge_supervision", "withdraw_supervision")
UNIT_STEPS = ("sign_supervision", "report_supervision", "ask_supervision_extension")


@dataclass(frozen=True)
class Actor:
    name: str
    role: Role | str
    org_code: str


# --- values -------------------------------------------------------------------------------------------------------

def _text(value, label: str, field: str, key: str = "supervision_short") -> str:
    if value is not None and not isinstance(value, str):
        raise DomainError(f"{label}应为文本，收到的是{kind_of(value)}。", field)
    return checked_text(key, value or "", label=f"“{label}”")


def _required(value, label: str, field: str, key: str = "supervision_text", *, hint: str = "") -> str:
    text = _text(value, label, field, key)
    if not text:
        raise DomainError(f"请填写{label}{hint}。", field)
    return text


def parse_day(value, label: str, field: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not value.strip():
        raise DomainError(f"请填写{label}（年-月-日）。", field)
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise DomainError(f"{label}“{value[:20]}”不是有效的日期，请按 年-月-日 填写（如 2026-12-31）。", field) from None


def _attachments(raw) -> list[str]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or len(raw) > MAX_ATTACHMENTS:
        raise DomainError(f"附件应为不超过 {MAX_ATTACHMENTS} 个文件名的清单。", "attachments")
    names = [_text(v, "附件名称", "attachments") for v in raw]
    return [n for n in names if n]


def _source(args: dict) -> tuple[dict | None, str]:
    kind = args.get("source_kind") or None
    if kind is None:  # a free matter: its description, if any, is kept as given
        return None, _text(args.get("source_text"), "督办事项来源的说明", "source_text")
    if kind not in SOURCE_KINDS:
        raise DomainError(f"督办事项的来源只能是：{'、'.join(SOURCE_KINDS.values())}，或不填（其他事项）。", "source_kind")
    source_id = args.get("source_id")
    if not isinstance(source_id, str) or not source_id:
        raise DomainError(f"请指明所督办的{SOURCE_KINDS[kind]}。", "source_id")
    item = args.get("source_item")
    if kind == "meeting":
        if isinstance(item, bool) or not isinstance(item, int) or not 1 <= item <= 999:
            raise DomainError("请指明督办的是纪要的第几项议定事项。", "source_item")
    elif item not in (None, ""):
        raise DomainError("只有会议议定事项才有项次，其他来源请不要填写项次。", "source_item")
    else:
        item = None
    text = _text(args.get("source_text"), "督办事项来源的说明", "source_text")
    return {"kind": kind, "id": source_id, "item": item}, text


# --- who ----------------------------------------------------------------------------------------------------------

def _entry(step: str, actor: Actor, at: datetime, **extra) -> dict:
    return {"step": step, "by": actor.name, "role": str(actor.role), "org": actor.org_code,
            "at": at.isoformat(timespec="seconds"), **extra}


def _office_roles(kind: OrgKind) -> tuple[Role, ...]:
    if kind == OrgKind.TOWN:
        return (Role.OFFICE_STAFF, Role.SQUAD_LEADER)
    if kind == OrgKind.BUREAU:
        return (Role.BUREAU_DISPATCHER,)
    return ()


def check_office(actor: Actor, owner: Organisation | str, owner_kind: OrgKind | str | None = None,
                 step: str = "issue_supervision") -> None:
    """The supervising office: the owner organisation's office staff or squad leader (a town), or the bureau's
    dispatcher (the bureau's own sheets)."""
    code = owner.code if isinstance(owner, Organisation) else owner
    kind = OrgKind(owner.kind if isinstance(owner, Organisation) else owner_kind)
    if actor.org_code != code:
        raise DomainError(f"只有督办单位可以{STEP_LABELS[step]}。")
    roles = _office_roles(kind)
    if not roles:
        raise DomainError("督办单由街镇（内勤、中队长）或区城管执法局（调度员）下发。")
    role = Role(actor.role)
    if role not in roles:
        names = "、".join(r.label for r in roles)
        raise DomainError(f"您的角色“{role.label}”不能{STEP_LABELS[step]}，由{names}办理。")


def _unit_roles(kind: OrgKind) -> tuple[Role, ...]:
    return {OrgKind.TOWN: (Role.OFFICER, Role.SQUAD_LEADER, Role.OFFICE_STAFF),
            OrgKind.DEPARTMENT: (Role.DEPARTMENT_LIAISON,), OrgKind.PROCURATORATE: (Role.DEPARTMENT_LIAISON,),
            OrgKind.POLICE_BUREAU: (Role.POLICE_LIAISON,), OrgKind.POLICE_STATION: (Role.POLICE_LIAISON,),
            OrgKind.BUREAU: (Role.BUREAU_DISPATCHER,)}[kind]


def check_unit(state: dict, actor: Actor, step: str) -> None:
    """The responsible unit: a department's (the procuratorate's, the police's) liaison, or, for a town's own
    unit, its staff."""
    if actor.org_code != state["responsible_org"]:
        raise DomainError(f"只有责任单位可以{STEP_LABELS[step]}。")
    role = Role(actor.role)
    roles = _unit_roles(OrgKind(state["responsible_kind"]))
    if role not in roles:
        names = "、".join(r.label for r in roles)
        raise DomainError(f"您的角色“{role.label}”不能{STEP_LABELS[step]}，由{names}办理。")


def may_act(state: dict, actor: Actor, step: str) -> bool:
    """Whether `actor` is on the side that takes `step` (the views show only those actions)."""
    try:
        if step in UNIT_STEPS:
            check_unit(state, actor, step)
        else:
            check_office(actor, state["owner_org"], state["owner_kind"], step)
    except (DomainError, ValueError):
        return False
    return True


# --- deadline -----------------------------------------------------------------------------------------------------

def due_day(state: dict, calendar=None) -> date:
    """The completion deadline; one falling on a day off moves to the next working day (when a calendar is given)."""
    day = date.fromisoformat(state["deadline"])
    if calendar is not None:
        day = calendar.first_working_day_from(day)
    return day


def days_left(state: dict, today: date, calendar=None) -> int:
    """Days until the deadline (negative: overdue by that many), working days when a calendar is given."""
    due = due_day(state, calendar)
    if calendar is not None:
        return calendar.working_days_between(today, due)
    return (due - today).days


def is_overdue(state: dict, today: date, calendar=None) -> bool:
    """The responsible unit owes the sheet and the deadline has passed (a reported sheet waits for the office)."""
    return SheetStatus(state["status"]) in OWING and today > due_day(state, calendar)


def may_urge(state: dict, today: date, calendar=None) -> bool:
    return SheetStatus(state["status"]) in OWING and days_left(state, today, calendar) <= NEAR_DAYS


# --- steps --------------------------------------------------------------------------------------------------------

def issue(args: dict, *, owner: Organisation, responsible: Organisation, actor: Actor, at: datetime) -> dict:
    """A new sheet, issued at once to the responsible unit (待签收)."""
    check_office(actor, owner)
    if responsible.kind == OrgKind.BUREAU and owner.kind != OrgKind.BUREAU:
        raise DomainError("街镇不能向区城管执法局下发督办单，请选择区级部门、公安、检察院或本街镇执法中队。",
                          "responsible_org")
    if responsible.kind == OrgKind.TOWN and owner.kind == OrgKind.TOWN and responsible.code != owner.code:
        raise DomainError("街镇只能督办本街镇的执法中队，不能督办其他街镇；其他街镇的事项请报区城管执法局督办。",
                          "responsible_org")
    sheet_id = args.get("supervision_id")
    if not isinstance(sheet_id, str) or not sheet_id:
        raise DomainError("督办单缺少标识。", "supervision_id")
    matter = _required(args.get("matter"), "督办事项", "matter")
    deadline = parse_day(args.get("deadline"), "办结时限", "deadline")
    if deadline < at.date():
        raise DomainError(f"办结时限 {deadline:%Y-%m-%d} 已经过去，请选择今天（{at:%Y-%m-%d}）或以后的日期。", "deadline")
    source, source_text = _source(args)
    state = {
        "id": sheet_id, "number": args.get("number") or "", "owner_org": owner.code, "owner_kind": str(owner.kind),
        "responsible_org": responsible.code, "responsible_kind": str(responsible.kind),
        "source": source, "source_text": source_text, "matter": matter,
        "deadline": deadline.isoformat(), "first_deadline": deadline.isoformat(),
        "leader": _text(args.get("leader"), "分管领导", "leader"),
        "handler": _text(args.get("handler"), "承办人", "handler"),
        "status": str(SheetStatus.ISSUED), "before_extension": None,
        "issued": _entry("issue_supervision", actor, at), "history": [], "reports": [], "extensions": [],
        "urged": [],
    }
    state["history"].append(state["issued"])
    return state


def _current(state: dict, expected: str | None, step: str, *allowed: SheetStatus) -> dict:
    status = SheetStatus(state["status"])
    if expected not in (None, "") and expected != str(status):
        was = STATUS_LABELS.get(str(expected), str(expected))
        raise DomainError(f"该督办单已变为“{status.label}”（您办理时为“{was}”），{STEP_LABELS[step]}未执行，"
                          "请查看最新情况后再办理。")
    if status not in allowed:
        raise DomainError(f"该督办单处于“{status.label}”状态，不能{STEP_LABELS[step]}。")
    return copy.deepcopy(state)


def _log(state: dict, entry: dict) -> dict:
    state["history"].append(entry)
    return entry


def sign(state: dict, args: dict, *, actor: Actor, at: datetime) -> dict:
    step = "sign_supervision"
    check_unit(state, actor, step)
    new = _current(state, args.get("expected_status"), step, SheetStatus.ISSUED)
    handler = _text(args.get("handler"), "承办人", "handler")
    if handler:
        new["handler"] = handler
    new["signed"] = _log(new, _entry(step, actor, at, handler=handler))
    new["status"] = str(SheetStatus.IN_PROGRESS)
    return new


def report(state: dict, args: dict, *, actor: Actor, at: datetime) -> dict:
    """One matter per report: what was done about this sheet's matter, in writing, with its attachments' names."""
    step = "report_supervision"
    check_unit(state, actor, step)
    new = _current(state, args.get("expected_status"), step, *WORKING)
    text = _required(args.get("text"), "办理情况", "text", hint="（一份反馈只报告本督办事项，写明办理过程和结果）")
    entry = _log(new, _entry(step, actor, at, text=text, attachments=_attachments(args.get("attachments")),
                             on_time=at.date() <= date.fromisoformat(new["deadline"])))
    new["reports"].append(entry)
    new["status"] = str(SheetStatus.REPORTED)
    return new


def ask_extension(state: dict, args: dict, *, actor: Actor, at: datetime) -> dict:
    step = "ask_supervision_extension"
    check_unit(state, actor, step)
    new = _current(state, args.get("expected_status"), step, *WORKING)
    reason = _required(args.get("reason"), "延期理由", "reason")
    day = parse_day(args.get("new_deadline"), "申请延期至", "new_deadline")
    if day <= date.fromisoformat(new["deadline"]):
        raise DomainError(f"申请的新时限应晚于现在的办结时限 {new['deadline']}。", "new_deadline")
    entry = _log(new, _entry(step, actor, at, reason=reason, new_deadline=day.isoformat(), decision=None))
    new["extensions"].append(entry)
    new["before_extension"] = new["status"]
    new["status"] = str(SheetStatus.EXTENSION_ASKED)
    return new


def decide_extension(state: dict, args: dict, *, actor: Actor, at: datetime) -> dict:
    """Approved: the new deadline (as asked, or another later one the office sets); refused: the old one stands,
    and the reason is required."""
    step = "decide_supervision_extension"
    check_office(actor, state["owner_org"], state["owner_kind"], step)
    new = _current(state, args.get("expected_status"), step, SheetStatus.EXTENSION_ASKED)
    approved = args.get("approved")
    if not isinstance(approved, bool):
        raise DomainError("请选择同意或不同意延期。", "approved")
    asked = new["extensions"][-1]
    reason = _text(args.get("reason"), "审批意见", "reason", "supervision_text")
    if approved:
        day = parse_day(args.get("new_deadline") or asked["new_deadline"], "延期后的时限", "new_deadline")
        if day <= date.fromisoformat(new["deadline"]):
            raise DomainError(f"延期后的时限应晚于现在的办结时限 {new['deadline']}。", "new_deadline")
        new["deadline"] = day.isoformat()
    else:
        if not reason:
            raise DomainError("不同意延期时请写明理由，原办结时限不变。", "reason")
        day = None
    decision = _entry(step, actor, at, approved=approved, reason=reason, new_deadline=day.isoformat() if day else None)
    asked["decision"] = decision
    new["history"][_last_index(new, asked)]["decision"] = decision  # the same entry (apart after a JSON trip)
    _log(new, decision)
    new["status"] = new.get("before_extension") or str(SheetStatus.IN_PROGRESS)
    new["before_extension"] = None
    return new


def _last_index(state: dict, entry: dict) -> int:
    for i in range(len(state["history"]) - 1, -1, -1):
        h = state["history"][i]
        if h["step"] == entry["step"] and h["at"] == entry["at"]:
            return i
    return len(state["history"]) - 1


def close(state: dict, args: dict, *, actor: Actor, at: datetime) -> dict:
    step = "close_supervision"
    check_office(actor, state["owner_org"], state["owner_kind"], step)
    new = _current(state, args.get("expected_status"), step, SheetStatus.REPORTED)
    new["closed"] = _log(new, _entry(step, actor, at, note=_text(args.get("note"), "办结意见", "note",
                                                                 "supervision_text")))
    new["status"] = str(SheetStatus.CLOSED)
    return new


def send_back(state: dict, args: dict, *, actor: Actor, at: datetime) -> dict:
    """退回重办: the result reported does not solve the problem; the unit works on it again and reports again."""
    step = "send_back_supervision"
    check_office(actor, state["owner_org"], state["owner_kind"], step)
    new = _current(state, args.get("expected_status"), step, SheetStatus.REPORTED)
    reason = _required(args.get("reason"), "退回理由", "reason", hint="（说明反馈的结果为何没有解决问题，还需做什么）")
    _log(new, _entry(step, actor, at, reason=reason))
    new["status"] = str(SheetStatus.SENT_BACK)
    return new


def urge(state: dict, args: dict, *, actor: Actor, at: datetime, calendar=None) -> dict:
    """催办: logged with the day; only when the sheet is overdue or due within NEAR_DAYS days, once a day."""
    step = "urge_supervision"
    check_office(actor, state["owner_org"], state["owner_kind"], step)
    new = _current(state, args.get("expected_status"), step, *OWING)
    today = at.date()
    if not may_urge(new, today, calendar):
        raise DomainError(f"该督办单的办结时限是 {new['deadline']}，尚未逾期也未临近（{NEAR_DAYS} 天内），不需要催办。")
    if today.isoformat() in new["urged"]:
        raise DomainError(f"今天（{today:%Y-%m-%d}）已经催办过该督办单。")
    _log(new, _entry(step, actor, at, day=today.isoformat(), overdue=is_overdue(new, today, calendar),
                     note=_text(args.get("note"), "催办说明", "note", "supervision_text")))
    new["urged"].append(today.isoformat())
    return new


def withdraw(state: dict, args: dict, *, actor: Actor, at: datetime) -> dict:
    step = "withdraw_supervision"
    check_office(actor, state["owner_org"], state["owner_kind"], step)
    new = _current(state, args.get("expected_status"), step, *[s for s in SheetStatus if s.is_open])
    reason = _required(args.get("reason"), "撤销理由", "reason")
    new["withdrawn"] = _log(new, _entry(step, actor, at, reason=reason))
    new["status"] = str(SheetStatus.WITHDRAWN)
    return new


_STEP_FUNCTIONS = {"sign_supervision": sign, "report_supervision": report,
                   "ask_supervision_extension": ask_extension, "decide_supervision_extension": decide_extension,
                   "close_supervision": close, "send_back_supervision": send_back, "urge_supervision": urge,
                   "withdraw_supervision": withdraw}


def apply_step(name: str, state: dict | None, args: dict, *, actor: Actor, at: datetime, calendar=None,
               **issue_context) -> dict:
    """Dispatch one step by its mutation name (the rebase replays pending steps through this)."""
    if name == "issue_supervision":
        return issue(args, actor=actor, at=at, **issue_context)
    if state is None:
        raise DomainError("没有找到该督办单。")
    step = _STEP_FUNCTIONS.get(name)
    if step is None:
        raise DomainError(f"不认识的督办操作“{name}”。")
    if name == "urge_supervision":
        return urge(state, args, actor=actor, at=at, calendar=calendar)
    return step(state, args, actor=actor, at=at)


# --- words --------------------------------------------------------------------------------------------------------

def step_text(entry: dict) -> str:
    """One history entry in words (the sheet's page and its printed progress)."""
    step = entry["step"]
    if step == "issue_supervision":
        return "下发督办单"
    if step == "sign_supervision":
        return "签收" + (f"，承办人{entry['handler']}" if entry.get("handler") else "")
    if step == "report_supervision":
        files = f"（附件：{'、'.join(entry['attachments'])}）" if entry.get("attachments") else ""
        return f"反馈办理情况：{entry['text']}{files}"
    if step == "ask_supervision_extension":
        return f"申请延期至{entry['new_deadline']}，理由：{entry['reason']}"
    if step == "decide_supervision_extension":
        if entry["approved"]:
            return f"同意延期，办结时限改为{entry['new_deadline']}" + (f"（{entry['reason']}）" if entry["reason"] else "")
        return f"不同意延期，原办结时限不变，理由：{entry['reason']}"
    if step == "close_supervision":
        return "办结" + (f"：{entry['note']}" if entry.get("note") else "")
    if step == "send_back_supervision":
        return f"退回重办，理由：{entry['reason']}"
    if step == "urge_supervision":
        return ("催办（已逾期）" if entry.get("overdue") else "催办（临近时限）") + (f"：{entry['note']}" if entry.get("note") else "")
    if step == "withdraw_supervision":
        return f"撤销督办单，理由：{entry['reason']}"
    return STEP_LABELS.get(step, step)


def extension_text(state: dict) -> str:
    """The latest extension in words, as the printed sheet shows it ("申请延期至2026年12月31日，已同意")."""
    if not state.get("extensions"):
        return ""
    last = state["extensions"][-1]
    day = date.fromisoformat(last["new_deadline"])
    asked = f"申请延期至{day.year}年{day.month}月{day.day}日"
    decision = last.get("decision")
    if decision is None:
        return f"{asked}，待审批"
    if decision["approved"]:
        granted = date.fromisoformat(decision["new_deadline"])
        if granted != day:
            return f"{asked}，同意延期至{granted.year}年{granted.month}月{granted.day}日"
        return f"{asked}，已同意"
    return f"{asked}，不同意（{decision['reason']}）"
