"""One audit entry as the sentence a colleague would write in the case's 办案记录: “张伟 将案件状态由“立案”改为
“调查取证””. Every action the application writes to the audit trail has a template in SENTENCES (a test collects
the action names from the code); an unknown action still reads as Chinese. Field names, status keys, dicts and
server versions never reach the text: fields by their catalogue label, values made readable, ID numbers masked."""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation

from ..domain import meeting as mt
from ..domain.case_fields import BY_NAME, CHOICE, DATE, DATETIME, DECIMAL, LIST, OFFICERS
from ..domain.evidence import EVIDENCE_KINDS
from ..domain.identifiers import mask_party_id
from ..domain.legal_review import DEFAULT_CIRCUMSTANCES, MATERIAL_LABELS, Outcome
from ..domain.lifecycle import CaseStatus
from ..domain.police_request import IDENTITY_RESULTS, OUTCOMES, RequestStatus, Situation
from ..domain.referral import ReferralResult, ReferralStatus
from ..domain.roles import Role
from .cases import TimelineEntry

SYNC_ROLE = "sync"
_MAX_VALUE = 30  # characters of a value quoted in a sentence; the tooltip shows the whole sentence
_CIRCUMSTANCES = {c.key: c.label for c in DEFAULT_CIRCUMSTANCES}
_PARTY_KINDS = {"person": "个人", "org": "单位"}
_MASKED = frozenset({"party_id_number"})  # personal data: the timeline does not need the whole number


def sentence(entry: TimelineEntry) -> str:
    """The entry in words, without its time (the list shows the time in a column of its own)."""
    template = SENTENCES.get(entry.action, _unknown)
    try:
        return template(entry.actor, entry.detail or {})
    except (AttributeError, TypeError, ValueError, KeyError, IndexError):
        return _unknown(entry.actor, {})  # an entry written by an older or newer version than this one


def who(entry: TimelineEntry) -> str:
    """The actor and their role, for a tooltip: “张伟（中队长）”."""
    if entry.role == SYNC_ROLE:
        return f"{entry.actor}（同步）"
    try:
        return f"{entry.actor}（{Role(entry.role).label}）"
    except ValueError:
        return entry.actor


# --- values -------------------------------------------------------------------------------------------------------

def quoted(value) -> str:
    return f"“{value}”"


def _short(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= _MAX_VALUE else text[:_MAX_VALUE] + "…"


def field_value(name: str, value) -> str:
    """A stored value of case field `name` as the user knows it."""
    if value in (None, "", [], {}):
        return "（空）"
    field = BY_NAME.get(name)
    kind = field.kind if field else None
    if name in _MASKED:
        return quoted(mask_party_id(str(value)))
    if kind == OFFICERS and isinstance(value, list):
        return quoted("、".join(str(o[0]) if isinstance(o, (list, tuple)) and o else str(o) for o in value))
    if kind == LIST and isinstance(value, list):
        return quoted("、".join(_CIRCUMSTANCES.get(str(v), "其他情形") for v in value))
    if kind == CHOICE and name == "party_kind":
        return quoted(_PARTY_KINDS.get(str(value), str(value)))
    if kind == DATETIME:
        return quoted(_when(value))
    if kind == DATE:
        return quoted(str(value)[:10])
    if kind == DECIMAL:
        try:
            return quoted(f"{Decimal(str(value)):,.2f} 元".replace(".00 元", " 元"))
        except InvalidOperation:
            return quoted(f"{value} 元")
    return quoted(_short(str(value)))


def _when(value) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    try:
        return datetime.fromisoformat(str(value)).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(value)


def field_label(name: str) -> str:
    field = BY_NAME.get(name)
    return field.label if field else "其他信息"


def _status(value) -> str:
    try:
        return quoted(CaseStatus(value).label)
    except ValueError:
        return "（未知状态）"


def _size(size) -> str:
    size = int(size or 0)
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"


def _number(d: dict, what: str = "案件编号") -> str:
    return f"（{what} {d['number']}）" if d.get("number") else ""


def _reason(d: dict, key: str = "reason") -> str:
    return f"，理由：{_short(str(d[key]))}" if d.get(key) else ""


# --- templates ----------------------------------------------------------------------------------------------------

def _create(actor: str, d: dict) -> str:
    return f"{actor} 登记了案件{_number(d)}"


def _update(actor: str, d: dict) -> str:
    parts = _changes(d)
    return f"{actor} 修改了案件信息：" + "；".join(parts) if parts else f"{actor} 保存了案件，内容没有变化"


def _changes(d: dict) -> list[str]:
    return [f"{field_label(name)}由{field_value(name, old)}改为{field_value(name, new)}"
            for name, (old, new) in (d.get("changes") or {}).items()]


def _refusal(d: dict) -> str:
    return f"（区局未接受的原因：{_short(str(d['reason']))}）" if d.get("reason") else ""


def _resubmit(actor: str, d: dict) -> str:
    """services/refused_cases.py: a case the district refused, corrected and sent again."""
    parts = _changes(d)
    return f"{actor} 修改后重新提交区局{_refusal(d)}" + ("：" + "；".join(parts) if parts else "")


def _discard_refused(actor: str, d: dict) -> str:
    return f"{actor} 放弃了区局未接受的案件{_number(d)}{_refusal(d)}"


def _transition(actor: str, d: dict) -> str:
    return f"{actor} 将案件状态由{_status(d.get('from'))}改为{_status(d.get('to'))}"


def _delete(actor: str, d: dict) -> str:
    return f"{actor} 删除了误登记的线索{_number(d)}"


def _evidence_add(actor: str, d: dict) -> str:
    kind = EVIDENCE_KINDS.get(d.get("kind"), "证据")
    return f"{actor} 添加了{kind}{quoted(_short(str(d.get('name', ''))))}（{_size(d.get('size'))}）"


def _conflict_resolve(actor: str, d: dict) -> str:
    if d.get("field") == "__deleted__":
        return f"{actor} 处理同步冲突：同意区局删除本案"
    name, value = d.get("field", ""), d.get("value")
    if value == d.get("mine") and value != d.get("theirs"):
        choice = "保留本机的修改"
    elif value == d.get("theirs"):
        choice = "采用区局的内容"
    else:
        choice = "改为"
    return f"{actor} 处理同步冲突：{field_label(name)}{choice}{field_value(name, value)}"


def _round(d: dict) -> str:
    return f"第 {d['round']} 轮" if d.get("round") else ""


def _review_submit(actor: str, d: dict) -> str:
    materials = "、".join(MATERIAL_LABELS.get(str(m), "其他材料") for m in d.get("materials") or [])
    tail = "，".join(p for p in (_round(d), f"材料：{materials}" if materials else "") if p)
    return f"{actor} 提交法制审核" + (f"（{tail}）" if tail else "")


def _review_verdict(actor: str, d: dict) -> str:
    try:
        outcome = Outcome(d.get("outcome")).label
    except ValueError:
        outcome = "（未知意见）"
    ref = d.get("opinion_number") or _round(d)
    return f"{actor} 作出法制审核意见：{outcome}" + (f"（{ref}）" if ref else "")


def _review_extend(actor: str, d: dict) -> str:
    due = f"至 {d['due_on']}" if d.get("due_on") else ""
    return f"{actor} 延长了法制审核期限{due}{_reason(d)}"


def _submit_referral(actor: str, d: dict) -> str:
    return f"{actor} 将案件移送其他单位{_number(d, '移送编号')}{_reason(d)}"


def _withdraw_referral(actor: str, d: dict) -> str:
    return f"{actor} 撤回了移送{_number(d, '移送编号')}{_reason(d)}"


def _sign_referral(actor: str, d: dict) -> str:
    text = f"{actor} 签收了移送{_number(d, '移送编号')}"
    if d.get("received_on"):
        text += f"，收到日期 {d['received_on']}"
    if d.get("materials_match") is False:
        text += f"，材料与清单不一致，缺少：{_short(str(d.get('missing') or '未写明'))}"
    return text


def _accept_referral(actor: str, d: dict) -> str:
    their = f"，受理案号 {d['their_number']}" if d.get("their_number") else ""
    return f"{actor} 受理了移送{_number(d, '移送编号')}{their}"


def _return_referral(actor: str, d: dict) -> str:
    return f"{actor} 退回了移送{_number(d, '移送编号')}{_reason(d)}"


def _referral_result(actor: str, d: dict) -> str:
    try:
        result = ReferralResult(d.get("result")).label
    except ValueError:
        result = "（未注明）"
    return f"{actor} 反馈了移送的处理结果：{result}{_reason(d, 'reasons')}"


def _police(verb: str, extra: Callable[[dict], str] = lambda d: "") -> Template:
    """公安协助 steps: the verb, the request's number, what the step recorded, and who it was entered for."""
    def template(actor: str, d: dict) -> str:
        behalf = f"（代公安机关录入，原因：{_short(str(d['on_behalf_reason']))}）" if d.get("on_behalf_reason") else ""
        return f"{actor} {verb}{_number(d, '申请编号')}{extra(d)}{behalf}"
    return template


def _police_situation(d: dict) -> str:
    try:
        return f"，情形：{Situation(d.get('situation')).label}"
    except ValueError:
        return ""


POLICE_SENTENCES: dict[str, Callable[[str, dict], str]] = {
    "create_police_request": _police("登记了公安协助申请", _police_situation),
    "update_police_request": _police("补录了公安协助申请"),
    "file_police_request": _police("向公安机关提请了协助"),
    "approve_police_request": _police("审批同意了专项协作申请"),
    "withdraw_police_request": _police("撤回了公安协助申请", _reason),
    "acknowledge_police_request": _police("登记了公安接警确认", lambda d: f"，警情编号 {d['incident_number']}"
                                         if d.get("incident_number") else ""),
    "record_police_arrival": _police("登记了民警到场", lambda d: f"，到场民警 {len(d.get('officers') or [])} 人"),
    "record_police_identity": _police("登记了公安身份核实结果", lambda d: f"：{IDENTITY_RESULTS.get(d.get('result'), '')}"),
    "record_police_outcome": _police("登记了公安处置结果", lambda d: f"：{OUTCOMES.get(d.get('outcome'), '')}"),
}


def _sync_pull(actor: str, d: dict) -> str:
    parts = [f"收到 {int(d.get('received') or 0)} 件记录"]
    if d.get("deleted"):
        parts.append(f"删除 {int(d['deleted'])} 件")
    return "同步：" + "，".join(parts)


def _sync_update(actor: str, d: dict) -> str:
    """A pulled change of a case or (with `status` only) of its referral; entries written before this version
    name nothing but server versions, which are not shown."""
    parts = []
    number = d.get("number")
    if isinstance(number, list) and len(number) == 2 and number[0] != number[1]:
        was = f"（原为 {number[0]}）" if number[0] else ""
        parts.append(f"区局确认案件编号 {number[1]}{was}")
    status = d.get("case_status")
    if isinstance(status, list) and len(status) == 2 and status[0] != status[1]:
        parts.append(f"案件状态由{_status(status[0])}变为{_status(status[1])}")
    if isinstance(d.get("status"), str):
        try:
            parts.append(f"移送状态更新为{quoted(ReferralStatus(d['status']).label)}")
        except ValueError:
            pass
    if isinstance(d.get("police_status"), str):
        try:
            parts.append(f"公安协助申请更新为{quoted(RequestStatus(d['police_status']).label)}")
        except ValueError:
            pass
    return "同步：" + ("；".join(parts) if parts else "收到区局对本案的更新")


def _unknown(actor: str, d: dict) -> str:
    return f"{actor} 办理了本案的一项事务（本机无法显示其详情）"


Template = Callable[[str, dict], str]
SENTENCES: dict[str, Template] = {
    "create": _create, "update": _update, "transition": _transition, "delete": _delete,
    "evidence_add": _evidence_add, "conflict_resolve": _conflict_resolve,
    "review_submit": _review_submit, "review_verdict": _review_verdict, "review_extend": _review_extend,
    "submit_referral": _submit_referral, "withdraw_referral": _withdraw_referral, "sign_referral": _sign_referral,
    "accept_referral": _accept_referral, "return_referral": _return_referral,
    "record_referral_result": _referral_result,
    "sync_pull": _sync_pull, "sync_update": _sync_update,
    "resubmit": _resubmit, "discard_refused": _discard_refused,
    **POLICE_SENTENCES,
}


def _crime_step(name: str) -> Template:
    """A criminal referral's step on the case's timeline: who, which step, the 移送书 number, what was decided."""
    from ..domain.criminal_referral import STEP_LABELS as CRIME_STEPS

    def sentence(actor: str, d: dict) -> str:
        said = {"filed": "：立案", "not_filed": "：不予立案", "upheld": "：维持不予立案"}.get(str(d.get("result")), "")
        if name == "decide_criminal_referral":
            said = "：批准移送" if d.get("approve") else "：不批准"
        behalf = "（代公安机关录入）" if d.get("on_behalf_reason") else ""
        late = f"，逾期原因：{_short(str(d['delay_reason']))}" if d.get("delay_reason") else ""
        return (f"{actor} 涉嫌犯罪案件移送·{CRIME_STEPS[name]}{said}{behalf}{_number(d, '移送书文号')}"
                f"{_reason(d, 'reasons')}{late}")
    return sentence


def _police_return(actor: str, d: dict) -> str:
    return f"{actor} 将案件移送街镇作行政处罚（公安移送，文号 {d.get('letter_number') or '未注明'}）"


def _crime_sentences() -> dict[str, Template]:
    from ..domain.criminal_referral import STEPS as CRIME_STEP_NAMES

    return {name: _crime_step(name) for name in CRIME_STEP_NAMES} | {"police_return_case": _police_return}


SENTENCES.update(_crime_sentences())


# --- meetings and consultation items (services/meetings.py) ------------------------------------------------------

def _meeting(said: str, extra: Callable[[dict], str] = lambda d: "") -> Template:
    def sentence(actor: str, d: dict) -> str:
        number = f"（{d['number']}）" if d.get("number") else ""
        return f"{actor} {said}{number}{extra(d)}"
    return sentence


def _minutes_version(d: dict) -> str:
    return f"，纪要第{d['minutes_version']}版" if d.get("minutes_version") else ""


SENTENCES.update({
    "create_meeting": _meeting("登记了会议", lambda d: f"“{_short(str(d.get('title') or ''))}”"),
    "update_meeting": _meeting("修改了会议信息"),
    "set_meeting_agenda": _meeting("确定了会议议程"),
    "notify_meeting": _meeting("发出了会议通知"),
    "record_attendance": _meeting("登记了出席情况"),
    "write_minutes": _meeting("编写了会议纪要", _minutes_version),
    "circulate_minutes": _meeting("传阅了会议纪要", _minutes_version),
    "comment_minutes": _meeting("对会议纪要提出了意见", lambda d: f"：{_short(str(d.get('text') or ''))}"),
    "sign_minutes": _meeting("签发了会议纪要", _minutes_version),
    "amend_minutes": _meeting("修订了已签发的会议纪要", lambda d: _minutes_version(d) + _reason(d)),
    "cancel_meeting": _meeting("取消了会议", _reason),
    "create_consultation_item": lambda actor, d: f"{actor} 将事项列入协调会商事项清单：{_short(str(d.get('matter') or ''))}",
    "update_consultation_item": lambda actor, d: f"{actor} 修改了协调会商事项（{mt.ITEM_STATUS_LABELS.get(d.get('status'), '')}）",
})
def _roster(verb: str) -> Template:
    """人员与执法证: who, what was done to which officer's entry, the certificate number."""
    def sentence(actor: str, d: dict) -> str:
        reason = f"，原因：{_short(str(d['reason']))}" if d.get("reason") else ""
        return f"{actor} {verb}{d.get('name') or ''}（执法证号 {d.get('cert_no') or '未注明'}）{reason}"
    return sentence


SENTENCES.update({"add_roster_entry": _roster("在人员名单中添加了"),
                  "update_roster_entry": _roster("修改了人员信息："),
                  "retire_roster_entry": _roster("停用了人员：")})
