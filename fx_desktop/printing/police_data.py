"""What the two police assistance forms print (提请公安机关协助函, 公安协助登记表), as plain data made from a
request's state dict (domain.police_request). Organisations appear in the state by code; the caller passes
`org_name(code) -> str` for the names printed, so this module needs neither the store nor Qt. A value the state
lacks prints as a blank to fill in by hand."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Mapping

from ..domain import police_request as pr
from ..domain.errors import DomainError
from .blocks import cn_date
from .referral_data import _mapping, _org, _text, _time


@dataclass(frozen=True)
class PoliceStep:
    """One police step as printed: what was recorded and who entered it (the police, or the squad for them)."""

    text: str
    by: str
    at: datetime | None
    on_behalf: bool
    reason: str


@dataclass(frozen=True)
class PolicePrint:
    number: str | None
    situation: str  # its label
    urgency: str
    owner_name: str  # the applying squad's organisation: issues the letter, seals it
    station_name: str  # the police organisation: the letter's addressee
    applicant: str
    approver: str
    filed_at: datetime | None
    window_start: datetime | None
    window_end: datetime | None
    place: str
    party: str
    case_number: str
    case_cause: str
    risk: str
    asks: str
    officers_needed: int | None
    call_time: datetime | None
    incident_number: str
    details: str
    contact_name: str
    contact_phone: str
    body_cams: str
    injuries: str
    follow_up: str
    acknowledged: PoliceStep | None
    arrival: PoliceStep | None
    identity: PoliceStep | None
    outcome: PoliceStep | None

    @classmethod
    def from_state(cls, state: Mapping, org_name: Callable[[str], str]) -> "PolicePrint":
        if not isinstance(state, Mapping) or state.get("situation") not in set(pr.Situation):
            raise DomainError("公安协助申请的数据不完整，无法打印。请同步后重试。")
        snap, risk = _mapping(state.get("case_snapshot")), _mapping(state.get("risk"))
        police, contact = _mapping(state.get("police")), _mapping(state.get("contact"))
        needed = state.get("officers_needed")
        return cls(
            number=_text(state.get("number")) or None, situation=pr.Situation(state["situation"]).label,
            urgency=pr.URGENCY.get(state.get("urgency") or "", ""), owner_name=_org(state.get("owner_org"), org_name),
            station_name=_org(state.get("station_org"), org_name),
            applicant=_text(_mapping(state.get("applicant")).get("by")),
            approver=_text(_mapping(state.get("approved")).get("by")),
            filed_at=_time(_mapping(state.get("filed")).get("at"), "提请时间"),
            window_start=_time(state.get("window_start"), "计划开始时间"),
            window_end=_time(state.get("window_end"), "计划结束时间"),
            place=_text(state.get("place")), party=_text(state.get("party")),
            case_number=_text(snap.get("number")), case_cause=_text(snap.get("cause")), risk=risk_text(risk),
            asks="、".join([pr.ASKS[a] for a in state.get("asks") or () if a in pr.ASKS]
                          + ([_text(state.get("asks_other"))] if state.get("asks_other") else [])),
            officers_needed=needed if isinstance(needed, int) and not isinstance(needed, bool) else None,
            call_time=_time(state.get("call_time"), "报警时间"), incident_number=_text(state.get("incident_number")),
            details=_text(state.get("details")), contact_name=_text(contact.get("name")),
            contact_phone=_text(contact.get("phone")), body_cams="、".join(map(_text, state.get("body_cam_ids") or ())),
            injuries=_text(state.get("injuries")), follow_up=_text(state.get("follow_up")),
            acknowledged=_step(police.get("acknowledged"),
                               lambda e: "警情编号：" + (_text(e.get("incident_number")) or "—")),
            arrival=_step(police.get("arrival"), _arrival), identity=_step(police.get("identity"), _identity),
            outcome=_step(police.get("outcome"), lambda e: " ".join(
                t for t in (pr.OUTCOMES.get(e.get("outcome"), ""), _text(e.get("note"))) if t)))


def risk_text(risk: Mapping) -> str:
    parts = []
    if risk.get("people_expected") is not None:
        parts.append(f"预计现场{risk['people_expected']}人")
    for key, words in (("earlier_obstruction", "此前有阻挠"), ("dogs_or_tools", "有犬只或器械"),
                       ("group_risk", "有群体性事件风险")):
        if risk.get(key):
            parts.append(words)
    if risk.get("notes"):
        parts.append(_text(risk["notes"]))
    return "；".join(parts)


def _arrival(e: Mapping) -> str:
    officers = "、".join(f"{_text(o.get('name'))}（警号{_text(o.get('number'))}）"
                        for o in map(_mapping, e.get("officers") or ()))
    at = _time(e.get("arrived_at"), "到场时间")
    return f"{cn_date(at, time=True)}到场，{officers}" if at else officers


def _identity(e: Mapping) -> str:
    result = pr.IDENTITY_RESULTS.get(e.get("result"), "")
    return " ".join(t for t in (result, _text(e.get("name")), _text(e.get("id_number")), _text(e.get("note"))) if t)


def _step(raw, describe: Callable[[Mapping], str]) -> PoliceStep | None:
    if not raw:
        return None
    e = _mapping(raw)
    return PoliceStep(describe(e), _text(e.get("by")), _time(e.get("at"), "录入时间"), bool(e.get("on_behalf")),
                      _text(e.get("reason")))
