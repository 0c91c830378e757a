"""Coordination meetings (会商, seed 四(一), 四(八), DOMAIN.md section 6) and the consultation item list
(协调会商事项清单) as pure functions over plain data.

A meeting is a shared record: the convening organisation (a town, or the bureau as the office of the joint meeting)
owns it; the organisations invited, and those an agreed item names as lead or supporting unit, are parties. The
client's services, fx-bureau's handlers and the sync rebase all call these functions, so the rules are one copy.

    draft --notify (the number is taken)--> notified --attendance / minutes--> held
    draft / notified --cancel (with a reason)--> cancelled

    minutes: draft --circulate--> circulated --sign--> signed (locked)
             circulated: the parties comment from their own clients; the convening office may still edit
             signed --amend--> a new version, a draft again; the signed one kept in minutes["previous"]

State: a dict with the keys made by `create` (JSON values only: times as ISO text, days as YYYY-MM-DD).
Invitees and agenda items carry a `key` (given by the client, else made from their place) so that a step replayed
on a changed list (the sync rebase) still finds the same row."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, datetime

from .errors import DomainError, kind_of
from .organisations import Organisation, OrgKind
from .roles import Role
from .text_limits import checked_text
from .timestamps import parse_time

KIND = "meeting"
ITEM_KIND = "consultation_item"

KINDS = {"regular": "定期例会", "topic": "专题会议", "survey": "联合调研", "training": "专题授课/培训"}
ATTENDANCE = ("出席", "请假", "列席")
STATUS_LABELS = {"draft": "筹备中", "notified": "已通知", "held": "已召开", "cancelled": "已取消"}
MINUTES_LABELS = {"draft": "草稿", "circulated": "传阅中", "signed": "已签发"}
ITEM_STATUS = ("未启动", "待签收", "办理中", "延期申请中", "已反馈", "已办结", "退回重办", "已撤销")
DONE_ITEM_STATUS = ("已办结", "已撤销")

# where an agenda item comes from (propose_agenda's order), as printed
SOURCES = {
    "carried_over": "以往会议议定事项",
    "consultation": "协调会商事项",
    "case": "需协调的案件",
    "overdue_referral": "逾期未答复的移送",
    "overdue_police_request": "逾期未办结的公安协助",
    "overdue_criminal_referral": "逾期未办的涉嫌犯罪案件移送",
    "disputed_clue": "争议线索",
    "manual": "手工添加",
}

STEP_LABELS = {
    "create_meeting": "登记会议", "update_meeting": "修改会议信息", "set_meeting_agenda": "确定议程",
    "notify_meeting": "发出会议通知", "record_attendance": "登记出席情况", "write_minutes": "编写会议纪要",
    "circulate_minutes": "传阅会议纪要", "comment_minutes": "对会议纪要提出意见", "sign_minutes": "签发会议纪要",
    "amend_minutes": "修订已签发的会议纪要", "cancel_meeting": "取消会议",
}
STEPS = tuple(STEP_LABELS)
ITEM_STEP_LABELS = {"create_consultation_item": "登记协调会商事项", "update_consultation_item": "修改协调会商事项"}
ITEM_STATUS_LABELS = {"open": "待会商", "scheduled": "已列入议程", "resolved": "已解决", "withdrawn": "已撤销"}

CONVENERS = (Role.OFFICE_STAFF, Role.SQUAD_LEADER, Role.BUREAU_DISPATCHER)  # prepare meetings, write minutes
SIGNERS = (Role.OFFICE_STAFF, Role.SQUAD_LEADER, Role.BUREAU_DISPATCHER)  # sign off the minutes
MAX_INVITEES = 200
MAX_AGENDA = 100
MAX_ITEMS = 100
MAX_UNITS = 50


@dataclass(frozen=True)
class Actor:
    name: str
    role: Role | str
    org_code: str


# --- values -------------------------------------------------------------------------------------------------------

def _text(value, label: str, field: str, *, key: str = "meeting_short") -> str:
    if value is not None and not isinstance(value, str):
        raise DomainError(f"{label}应为文本，收到的是{kind_of(value)}。", field)
    return checked_text(key, value or "", label=f"“{label}”")


def _day(value, label: str, field: str) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise DomainError(f"{label}应为日期（如 2026-12-31），收到的是{kind_of(value)}。", field)
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise DomainError(f"{label}“{value[:20]}”不是有效的日期，请写成 2026-12-31 这样的形式。", field) from None


def _when(value, label: str, field: str) -> str:
    if value in (None, ""):
        return ""
    return parse_time(value, label).isoformat(timespec="minutes")


def _list(raw, label: str, field: str, most: int) -> list:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or len(raw) > most:
        raise DomainError(f"{label}应为不超过 {most} 项的清单。", field)
    return raw


def _one_of(value, choices) -> bool:
    """Whether `value` is one of the keys of `choices` (any JSON value may arrive: a list is never one)."""
    return isinstance(value, str) and value in choices


def _key(raw, fallback: str) -> str:
    if isinstance(raw, str) and raw.strip() and len(raw) <= 40:
        return raw.strip()
    return fallback


def _org_code(value, label: str, field: str, known) -> str:
    """An organisation's code from the directory (`known(code) -> Organisation | None`)."""
    if not isinstance(value, str) or not value or known(value) is None:
        raise DomainError(f"{label}不在单位名单中，请从名单中选择。", field)
    return value


def _codes(raw, label: str, field: str, known) -> list[str]:
    codes = []
    for value in _list(raw, label, field, MAX_UNITS):
        code = _org_code(value, label, field, known)
        if code not in codes:
            codes.append(code)
    return codes


def _invitees(raw, known) -> list[dict]:
    out, keys = [], set()
    for n, item in enumerate(_list(raw, "参会单位和人员", "invitees", MAX_INVITEES), start=1):
        if not isinstance(item, dict):
            raise DomainError("参会人员的每一项应包括单位、姓名、职务和电话。", "invitees")
        org = item.get("org") or None
        if org is not None:
            _org_code(org, f"第{n}位参会人员的单位", "invitees", known)
        unit = _text(item.get("unit"), "参会单位", "invitees")
        if org is None and not unit:
            raise DomainError(f"第{n}位参会人员没有单位：请从单位名单中选择，或填写单位名称。", "invitees")
        name = _text(item.get("name"), "姓名", "invitees")
        if not name and org is None:
            raise DomainError(f"第{n}位参会人员请填写姓名。", "invitees")
        attendance = item.get("attendance") or None
        if attendance is not None and not _one_of(attendance, ATTENDANCE):
            raise DomainError("出席情况只能是“出席”“请假”或“列席”。", "invitees")
        key = _key(item.get("key"), f"i{n}")
        if key in keys:
            key = f"{key}-{n}"
        keys.add(key)
        out.append({"key": key, "org": org, "unit": unit if org is None else "",
                    "user": _text(item.get("user"), "用户名", "invitees") or None, "name": name,
                    "title": _text(item.get("title"), "职务", "invitees"),
                    "phone": _text(item.get("phone"), "电话", "invitees"), "attendance": attendance})
    return out


def _agenda(raw) -> list[dict]:
    out = []
    for n, item in enumerate(_list(raw, "议程", "agenda", MAX_AGENDA), start=1):
        if not isinstance(item, dict):
            raise DomainError("议程的每一项应包括议题和来源。", "agenda")
        title = _text(item.get("title"), f"第{n}项议题", "agenda", key="meeting_matter")
        if not title:
            raise DomainError(f"第{n}项议题没有内容，请填写或删除该项。", "agenda")
        source = item.get("source") or "manual"
        if not _one_of(source, SOURCES):
            raise DomainError(f"第{n}项议题的来源不可识别。", "agenda")
        ref = item.get("ref")
        if ref is not None and not (isinstance(ref, dict) and all(isinstance(k, str) for k in ref)
                                    and all(isinstance(v, (str, int)) or v is None for v in ref.values())):
            raise DomainError(f"第{n}项议题所指的记录格式不对。", "agenda")
        out.append({"no": n, "key": _key(item.get("key"), f"a{n}"), "title": title, "source": source, "ref": ref,
                    "carried_over_from": _text(item.get("carried_over_from"), "原会议期号", "agenda") or None,
                    "presenter": _text(item.get("presenter"), "汇报单位或人员", "agenda")})
    return out


def _items(raw, known, old: list[dict] | None = None) -> list[dict]:
    """The agreed items; an item keeps the status it had (the supervision moves it), a new one is 未启动."""
    before = {i["no"]: i for i in old or []}
    out = []
    for n, item in enumerate(_list(raw, "议定事项", "items", MAX_ITEMS), start=1):
        if not isinstance(item, dict):
            raise DomainError("议定事项的每一项应包括事项、牵头单位、配合单位和完成时限。", "items")
        matter = _text(item.get("matter"), f"第{n}项议定事项", "items", key="meeting_matter")
        if not matter:
            raise DomainError(f"第{n}项议定事项没有内容，请填写或删除该项。", "items")
        lead = _org_code(item.get("lead_org"), f"第{n}项议定事项的牵头单位", "items", known)
        supporting = [c for c in _codes(item.get("supporting_orgs"), f"第{n}项议定事项的配合单位", "items", known)
                      if c != lead]
        status = item.get("status") or (before.get(n) or {}).get("status") or "未启动"
        if not _one_of(status, ITEM_STATUS):
            raise DomainError(f"第{n}项议定事项的状态不可识别。", "items")
        out.append({"no": n, "matter": matter, "lead_org": lead, "supporting_orgs": supporting,
                    "deadline": _day(item.get("deadline"), f"第{n}项议定事项的完成时限", "items"), "status": status})
    return out


def _entry(actor: Actor, at: datetime, **extra) -> dict:
    return {"by": actor.name, "role": str(actor.role), "org": actor.org_code,
            "at": at.isoformat(timespec="seconds"), **extra}


def _role(actor: Actor) -> Role:
    try:
        return Role(actor.role)
    except ValueError:
        raise DomainError("您的角色不可识别，请重新登录。") from None


# --- who ----------------------------------------------------------------------------------------------------------

def _convener(state: dict, actor: Actor, step: str, roles=CONVENERS) -> None:
    if actor.org_code != state["owner_org"]:
        raise DomainError(f"只有召集会议的单位可以{STEP_LABELS[step]}。")
    role = _role(actor)
    if role not in roles:
        names = "、".join(r.label for r in roles)
        raise DomainError(f"您的角色“{role.label}”不能{STEP_LABELS[step]}，由{names}办理。")


def parties_of(state: dict) -> list[str]:
    """The organisations besides the convener that see the meeting: those invited and those an agreed item names
    (of the current minutes and of every kept version)."""
    found: list[str] = []
    minutes = state.get("minutes") or {}
    versions = [minutes, *(minutes.get("previous") or [])]
    codes = [i.get("org") for i in state.get("invitees") or []]
    for m in versions:
        for item in m.get("items") or []:
            codes += [item.get("lead_org"), *(item.get("supporting_orgs") or [])]
    codes += state.get("shared_with") or []  # once a party, always one (fx-bureau never removes a party)
    for code in codes:
        if code and code != state["owner_org"] and code not in found:
            found.append(code)
    return sorted(found)


def _shared(state: dict) -> dict:
    """The state with every organisation that has been a party recorded in it, so that the client's visibility
    (owner or party_orgs) and fx-bureau's record_parties agree after an invitee is removed from the list."""
    state["shared_with"] = parties_of(state)
    return state


def is_party(state: dict, org_code: str) -> bool:
    return org_code == state["owner_org"] or org_code in parties_of(state)


def _current(state: dict, step: str, *, expected: str | None = None) -> dict:
    if state["status"] == "cancelled":
        raise DomainError(f"该会议已取消，不能{STEP_LABELS[step]}。")
    if expected is not None and expected != state["status"]:
        was, now = STATUS_LABELS.get(expected, expected) if isinstance(expected, str) else "?", \
            STATUS_LABELS[state["status"]]
        raise DomainError(f"该会议已变为“{now}”（您办理时为“{was}”），{STEP_LABELS[step]}未执行，请刷新后再办理。")
    return copy.deepcopy(state)


# --- steps --------------------------------------------------------------------------------------------------------

def create(args: dict, *, owner: Organisation, actor: Actor, at: datetime, known) -> dict:
    """A new meeting in preparation (筹备中). `known(code)` finds an organisation of the directory."""
    if actor.org_code != owner.code:
        raise DomainError("只能以本单位名义召集会议。")
    if owner.kind not in (OrgKind.TOWN, OrgKind.BUREAU):
        raise DomainError(f"{owner.name}（{owner.kind.label}）不召集协调会议，由街镇或区城管执法局召集。")
    role = _role(actor)
    if role not in CONVENERS:
        raise DomainError(f"您的角色“{role.label}”不能登记会议，由内勤或中队长办理。")
    kind = args.get("kind")
    if not _one_of(kind, KINDS):
        raise DomainError(f"请选择会议类型：{'、'.join(KINDS.values())}。", "kind")
    state = {"owner_org": owner.code, "kind": kind, "number": "", "title": "", "starts_at": "", "place": "",
             "chair": "", "minute_taker": "", "notice_body": "", "contact": "", "status": "draft",
             "invitees": [], "agenda": [], "minutes": None, "created": _entry(actor, at), "notified": None,
             "held": None, "cancelled": None}
    state.update(_fields(args, known))
    if not state["title"]:
        raise DomainError("请填写会议名称。", "title")
    return _shared(state)


def _fields(args: dict, known) -> dict:
    fields = {}
    checks = {
        "kind": lambda v: v if _one_of(v, KINDS) else _bad_kind(),
        "title": lambda v: _text(v, "会议名称", "title"),
        "starts_at": lambda v: _when(v, "会议时间", "starts_at"),
        "place": lambda v: _text(v, "会议地点", "place"),
        "chair": lambda v: _text(v, "主持人", "chair"),
        "minute_taker": lambda v: _text(v, "记录人", "minute_taker"),
        "notice_body": lambda v: _text(v, "会议通知的要求", "notice_body", key="meeting_text"),
        "contact": lambda v: _text(v, "联系人及电话", "contact"),
        "invitees": lambda v: _invitees(v, known),
        "agenda": _agenda,
    }
    for key, check in checks.items():
        if key in args and args[key] is not None:
            fields[key] = check(args[key])
    return fields


def _bad_kind():
    raise DomainError(f"请选择会议类型：{'、'.join(KINDS.values())}。", "kind")


def update(state: dict, args: dict, *, actor: Actor, at: datetime, known) -> dict:
    """Details and invitees (an invitee's attendance, once taken, stays unless the new list says otherwise)."""
    new = _current(state, "update_meeting", expected=args.get("expected_status"))
    _convener(new, actor, "update_meeting")
    fields = _fields({k: v for k, v in args.items() if k != "agenda"}, known)
    if "title" in fields and not fields["title"]:
        raise DomainError("会议名称不能为空。", "title")
    if "invitees" in fields:
        taken = {i["key"]: i.get("attendance") for i in new["invitees"]}
        raw_given = {i.get("key") for i in args["invitees"]
                     if isinstance(i, dict) and "attendance" in i and isinstance(i.get("key"), str)}
        for person in fields["invitees"]:
            if person["key"] not in raw_given and person["attendance"] is None:
                person["attendance"] = taken.get(person["key"])
    new.update(fields)
    return new


def set_agenda(state: dict, args: dict, *, actor: Actor, at: datetime, known=None) -> dict:
    new = _current(state, "set_meeting_agenda")
    _convener(new, actor, "set_meeting_agenda")
    new["agenda"] = _agenda(args.get("agenda"))
    return new


def notify(state: dict, args: dict, *, actor: Actor, at: datetime, known=None) -> dict:
    """The notice goes out: time, place and the invited are needed; the number is taken now (the server's)."""
    new = _current(state, "notify_meeting", expected="draft")
    _convener(new, actor, "notify_meeting")
    if not new["starts_at"]:
        raise DomainError("请先填写会议时间，再发出通知。", "starts_at")
    if not new["place"]:
        raise DomainError("请先填写会议地点，再发出通知。", "place")
    if not new["invitees"]:
        raise DomainError("请先添加参会单位和人员，再发出通知。", "invitees")
    new["status"] = "notified"
    new["notified"] = _entry(actor, at)
    return new


def record_attendance(state: dict, args: dict, *, actor: Actor, at: datetime, known=None) -> dict:
    """`attendance`: {invitee key: "出席" | "请假" | "列席" | None}; the meeting is then held."""
    new = _current(state, "record_attendance")
    _convener(new, actor, "record_attendance")
    marks = args.get("attendance")
    if not isinstance(marks, dict) or not marks:
        raise DomainError("请为参会人员选择“出席”“请假”或“列席”。", "attendance")
    by_key = {i["key"]: i for i in new["invitees"]}
    for key, mark in marks.items():
        if key not in by_key:
            raise DomainError("出席情况中有不在参会名单中的人员，请刷新后重新登记。", "attendance")
        if mark is not None and not _one_of(mark, ATTENDANCE):
            raise DomainError("出席情况只能是“出席”“请假”或“列席”。", "attendance")
        by_key[key]["attendance"] = mark
    _held(new, actor, at)
    return new


def _held(state: dict, actor: Actor, at: datetime) -> None:
    if state["status"] in ("draft", "notified"):
        state["status"] = "held"
        state["held"] = _entry(actor, at)


def _new_minutes(version: int) -> dict:
    return {"status": "draft", "version": version, "intro": "", "items": [], "comments": [], "circulated": None,
            "signed": None, "previous": []}


def write_minutes(state: dict, args: dict, *, actor: Actor, at: datetime, known) -> dict:
    """The minutes' body and agreed items, while a draft or circulated; signed minutes are locked."""
    new = _current(state, "write_minutes")
    _convener(new, actor, "write_minutes")
    minutes = new["minutes"] or _new_minutes(1)
    if minutes["status"] == "signed":
        raise DomainError("会议纪要已签发锁定，不能直接修改；如需修改，请点击“修订纪要”生成新版本（原版本保留）。")
    expected = args.get("expected_version")
    if expected is not None and expected != minutes["version"]:
        raise DomainError(f"会议纪要已是第{minutes['version']}版（您编辑的是第{expected}版），请刷新后再修改。")
    if "intro" in args and args["intro"] is not None:
        minutes["intro"] = _text(args["intro"], "纪要正文", "intro", key="meeting_text")
    if "items" in args and args["items"] is not None:
        minutes["items"] = _items(args["items"], known, minutes["items"])
    new["minutes"] = minutes
    _held(new, actor, at)
    return new


def circulate(state: dict, args: dict, *, actor: Actor, at: datetime, known=None) -> dict:
    new = _current(state, "circulate_minutes")
    _convener(new, actor, "circulate_minutes")
    minutes = new["minutes"]
    if not minutes or (not minutes["intro"] and not minutes["items"]):
        raise DomainError("会议纪要还是空的，请先编写正文或议定事项，再传阅。")
    if minutes["status"] != "draft":
        raise DomainError(f"会议纪要处于“{MINUTES_LABELS[minutes['status']]}”状态，不能再传阅。")
    minutes["status"] = "circulated"
    minutes["circulated"] = _entry(actor, at)
    return new


def comment(state: dict, args: dict, *, actor: Actor, at: datetime, known=None) -> dict:
    """A party organisation (or the convener) comments on circulated minutes."""
    new = _current(state, "comment_minutes")
    if not is_party(new, actor.org_code):
        raise DomainError("您所在的单位没有参加该会议，不能对纪要提出意见。")
    minutes = new["minutes"]
    if not minutes or minutes["status"] != "circulated":
        raise DomainError("会议纪要不在传阅中，不能提出意见；传阅时各参会单位可以提出意见。")
    text = _text(args.get("text"), "意见", "text", key="meeting_text")
    if not text:
        raise DomainError("请填写对纪要的意见。", "text")
    minutes["comments"].append(_entry(actor, at, text=text, version=minutes["version"]))
    return new


def sign(state: dict, args: dict, *, actor: Actor, at: datetime, known=None) -> dict:
    """Signed off and locked, by the convening organisation's office staff or squad leader."""
    new = _current(state, "sign_minutes")
    _convener(new, actor, "sign_minutes", SIGNERS)
    minutes = new["minutes"]
    if not minutes or minutes["status"] != "circulated":
        raise DomainError("会议纪要须先传阅征求参会单位意见，再签发。")
    expected = args.get("expected_version")
    if expected is not None and expected != minutes["version"]:
        raise DomainError(f"会议纪要已是第{minutes['version']}版（您签发的是第{expected}版），请刷新后再签发。")
    minutes["status"] = "signed"
    minutes["signed"] = _entry(actor, at)
    return new


def amend(state: dict, args: dict, *, actor: Actor, at: datetime, known) -> dict:
    """A change after sign-off: a new version (a draft again, to circulate and sign), the signed one kept."""
    new = _current(state, "amend_minutes")
    _convener(new, actor, "amend_minutes")
    minutes = new["minutes"]
    if not minutes or minutes["status"] != "signed":
        raise DomainError("只有已签发的会议纪要需要修订；草稿或传阅中的纪要可以直接修改。")
    reason = _text(args.get("reason"), "修订理由", "reason", key="meeting_matter")
    if not reason:
        raise DomainError("请写明修订纪要的理由。", "reason")
    kept = {k: v for k, v in minutes.items() if k != "previous"}
    fresh = _new_minutes(minutes["version"] + 1)
    fresh.update(intro=minutes["intro"], items=copy.deepcopy(minutes["items"]),
                 previous=[*minutes.get("previous", []), kept], amended=_entry(actor, at, reason=reason))
    new["minutes"] = fresh
    if args.get("intro") is not None or args.get("items") is not None:
        new = write_minutes(new, {"intro": args.get("intro"), "items": args.get("items")}, actor=actor, at=at,
                            known=known)
    return new


def cancel(state: dict, args: dict, *, actor: Actor, at: datetime, known=None) -> dict:
    new = _current(state, "cancel_meeting")
    _convener(new, actor, "cancel_meeting")
    if new["minutes"] and (new["minutes"]["status"] == "signed" or new["minutes"].get("previous")):
        raise DomainError("会议纪要已签发，会议不能取消。")
    reason = _text(args.get("reason"), "取消理由", "reason", key="meeting_matter")
    if not reason:
        raise DomainError("请写明取消会议的理由。", "reason")
    new["status"] = "cancelled"
    new["cancelled"] = _entry(actor, at, reason=reason)
    return new


_STEPS = {"update_meeting": update, "set_meeting_agenda": set_agenda, "notify_meeting": notify,
          "record_attendance": record_attendance, "write_minutes": write_minutes, "circulate_minutes": circulate,
          "comment_minutes": comment, "sign_minutes": sign, "amend_minutes": amend, "cancel_meeting": cancel}


def apply_step(name: str, state: dict, args: dict, *, actor: Actor, at: datetime, known) -> dict:
    """One step (every one but create_meeting) by name: what the service, fx-bureau and the rebase call."""
    step = _STEPS.get(name) if isinstance(name, str) else None
    if step is None:
        raise DomainError(f"不认识的会议操作“{name}”。")
    return _shared(step(state, args, actor=actor, at=at, known=known))


# --- reading ------------------------------------------------------------------------------------------------------

def agreed_open(state: dict) -> list[dict]:
    """The agreed items of the signed minutes still open (not 已办结 / 已撤销)."""
    minutes = state.get("minutes") or {}
    signed = minutes if minutes.get("status") == "signed" else next(
        (m for m in reversed(minutes.get("previous") or []) if m.get("status") == "signed"), None)
    if state.get("status") == "cancelled" or signed is None:
        return []
    return [i for i in signed.get("items") or [] if i.get("status") not in DONE_ITEM_STATUS]


def supervisable_item(state: dict, no, org_code: str) -> dict:
    """The agreed item `no` of the signed minutes that a supervision sheet of `org_code` may follow up (督办): only
    the convening organisation supervises its meeting's items, once the minutes are signed. DomainError (with the
    field "source_id" or "source_item") otherwise (fx-bureau answers another organisation's meeting with a 403
    before asking)."""
    if state.get("owner_org") != org_code:
        raise DomainError("只有召集会议的单位才能督办该会议的议定事项。", "source_id")
    if state.get("status") == "cancelled":
        raise DomainError("该会议已取消，其议定事项不能再督办。", "source_id")
    minutes = state.get("minutes") or {}
    signed = minutes if minutes.get("status") == "signed" else next(
        (m for m in reversed(minutes.get("previous") or []) if m.get("status") == "signed"), None)
    if signed is None:
        raise DomainError("会议纪要尚未签发，签发后才能督办其议定事项。", "source_item")
    found = next((i for i in signed.get("items") or [] if i.get("no") == no), None)
    if found is None:
        raise DomainError(f"签发的会议纪要中没有第{no}项议定事项，请核对项次。", "source_item")
    return found


def trained(state: dict) -> list[dict]:
    """A training's attendees marked 出席: the officers' training record."""
    if state.get("kind") != "training" or state.get("status") == "cancelled":
        return []
    return [i for i in state.get("invitees") or [] if i.get("attendance") == "出席"]


# --- agenda -------------------------------------------------------------------------------------------------------

_ORDER = {name: n for n, name in enumerate(SOURCES)}


def propose_agenda(open_problems: list[dict]) -> list[dict]:
    """Agenda items from open problems the data knows (plain records: {"source": a key of SOURCES, "title",
    "ref": {"kind", "id", ...} or None, "carried_over_from": the earlier meeting's number or None, "presenter",
    "due": YYYY-MM-DD or None}): one item per problem (the same record named twice counts once, a case named by a
    consultation item and by itself once), items carried over first, then by source and the oldest due first."""
    seen: set = set()
    chosen = []
    for problem in sorted(open_problems, key=lambda p: (_ORDER.get(p.get("source"), 99), p.get("due") or "9999",
                                                        p.get("title") or "")):
        ref = problem.get("ref") or None
        keys = {(ref.get("kind"), ref.get("id"), ref.get("item"))} if ref else set()
        if ref and ref.get("case_id"):
            keys.add(("case", ref["case_id"], None))
        if keys & seen:
            continue
        seen |= keys
        chosen.append(problem)
    out = []
    for n, p in enumerate(chosen, start=1):
        ref = p.get("ref") or None
        key = f"{ref.get('kind')}:{ref.get('id')}:{ref.get('item') or ''}" if ref else f"p{n}"
        out.append({"no": n, "key": key[:40], "title": p.get("title") or "", "source": p.get("source") or "manual",
                    "ref": ref, "carried_over_from": p.get("carried_over_from") or None,
                    "presenter": p.get("presenter") or ""})
    return out


# --- consultation items (协调会商事项清单) -----------------------------------------------------------------------------

ITEM_KEEPERS = (Role.OFFICE_STAFF, Role.SQUAD_LEADER, Role.BUREAU_DISPATCHER)


def create_item(args: dict, *, owner: Organisation, actor: Actor, at: datetime, known) -> dict:
    """A matter for coordination, kept by the bureau or a town: the units concerned see it too. A squad puts a case
    on the list from the case (`case_id`, with the case's number and cause as the matter)."""
    if actor.org_code != owner.code:
        raise DomainError("只能以本单位名义登记协调会商事项。")
    if owner.kind not in (OrgKind.TOWN, OrgKind.BUREAU):
        raise DomainError("协调会商事项清单由区城管执法局和街镇维护。")
    role = _role(actor)
    if role not in ITEM_KEEPERS:
        raise DomainError(f"您的角色“{role.label}”不能登记协调会商事项，由内勤、中队长或区局调度员办理。")
    matter = _text(args.get("matter"), "事项", "matter", key="meeting_matter")
    if not matter:
        raise DomainError("请填写需要协调会商的事项。", "matter")
    units = [c for c in _codes(args.get("units"), "涉及单位", "units", known) if c != owner.code]
    case_id = args.get("case_id") or None
    if case_id is not None and not isinstance(case_id, str):
        raise DomainError("所关联的案件标识不对。", "case_id")
    return {"owner_org": owner.code, "matter": matter, "units": units, "case_id": case_id,
            "case_number": _text(args.get("case_number"), "案件编号", "case_id") or "", "status": "open",
            "note": _text(args.get("note"), "说明", "note", key="meeting_matter"), "created": _entry(actor, at),
            "history": []}


def update_item(state: dict, args: dict, *, actor: Actor, at: datetime, known) -> dict:
    if actor.org_code != state["owner_org"]:
        raise DomainError("只有登记该事项的单位可以修改协调会商事项。")
    role = _role(actor)
    if role not in ITEM_KEEPERS:
        raise DomainError(f"您的角色“{role.label}”不能修改协调会商事项，由内勤、中队长或区局调度员办理。")
    new = copy.deepcopy(state)
    if args.get("matter") is not None:
        new["matter"] = _text(args["matter"], "事项", "matter", key="meeting_matter")
        if not new["matter"]:
            raise DomainError("事项不能为空。", "matter")
    if args.get("units") is not None:
        new["units"] = [c for c in _codes(args["units"], "涉及单位", "units", known) if c != state["owner_org"]]
    if args.get("note") is not None:
        new["note"] = _text(args["note"], "说明", "note", key="meeting_matter")
    status = args.get("status")
    if status is not None:
        if not _one_of(status, ITEM_STATUS_LABELS):
            raise DomainError(f"事项状态只能是：{'、'.join(ITEM_STATUS_LABELS.values())}。", "status")
        if status != new["status"]:
            new["history"].append(_entry(actor, at, status=status, was=new["status"]))
            new["status"] = status
    new["shared_with"] = item_parties(new)
    return new


def item_parties(state: dict) -> list[str]:
    """The units concerned, now or before (a party is never removed, as on fx-bureau)."""
    codes = {*(state.get("units") or []), *(state.get("shared_with") or [])}
    return sorted(c for c in codes if c != state["owner_org"])


def item_open(state: dict) -> bool:
    return state.get("status") in ("open", "scheduled")
