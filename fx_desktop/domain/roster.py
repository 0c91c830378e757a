"""The roster of officers (人员与执法证, seed 四(八)) as pure functions over plain data.

A roster entry is a town's officer with their enforcement certificate (执法证): its number, the issuing body, when it
was issued and when it expires. Record kind "roster_entry": the town owns its entries (not shared); the bureau sees
every town's. The town's office staff (内勤) and squad leader (中队长) add, update and retire entries; the client's
services, fx-bureau's handlers and the sync rebase call these functions, so the rules are one copy.

A certificate expiring within `RosterRules.warn_days` (60 by default, reference data key "roster") is flagged; an
expired one cannot be one of the officers a case is filed with (行政处罚法 art. 42: 具有行政执法资格的执法人员):
`check_case_officers`. The roster is light: an officer whose certificate number is not on it is allowed (the roster
may not be complete yet, and the case's two-officer rule still asks for a number); only a certificate the roster
knows as expired on the filing day is refused.

State: a dict with the keys made by `create` (JSON values only: dates as ISO text)."""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Iterable

from .errors import DomainError, kind_of
from .roles import Role
from .text_cleaning import clean_text

KIND = "roster_entry"
WARN_DAYS = 60
EDITORS = frozenset({Role.OFFICE_STAFF, Role.SQUAD_LEADER})

# field -> (label, max characters, required)
FIELDS: dict[str, tuple[str, int, bool]] = {
    "name": ("姓名", 32, True),
    "cert_no": ("执法证号", 32, True),
    "issuer": ("发证机关", 64, True),
    "post": ("岗位/职务", 32, False),
    "phone": ("联系电话", 20, False),
    "username": ("系统账号", 64, False),
}
DATE_FIELDS = {"issued_on": "发证日期", "expires_on": "有效期至"}
CERT_NO = re.compile(r"^[0-9A-Za-z\-]{4,32}$")
PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")


class CertState(StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return {"valid": "有效", "expiring": "即将到期", "expired": "已过期"}[self.value]


@dataclass(frozen=True)
class RosterRules:
    warn_days: int = WARN_DAYS  # a certificate expiring within this many days is flagged

    @classmethod
    def from_reference(cls, data: dict | None) -> RosterRules:
        raw = (data or {}).get("roster") or {}
        try:
            rules = cls(int(raw.get("warn_days", WARN_DAYS)))
        except (TypeError, ValueError):
            raise DomainError("参考数据中执法证到期提醒天数（roster.warn_days）应为整数。", "roster") from None
        if not 1 <= rules.warn_days <= 365:
            raise DomainError("参考数据中执法证到期提醒天数应在 1–365 天之间。", "roster")
        return rules


@dataclass(frozen=True)
class Actor:
    name: str
    role: Role | str
    org_code: str


def _day(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _clean_date(key: str, value) -> str | None:
    label = DATE_FIELDS[key]
    if value in (None, ""):
        return None
    if isinstance(value, (date, datetime)):
        return _day(value).isoformat()
    if not isinstance(value, str):
        raise DomainError(f"“{label}”应为日期（年-月-日），收到的是{kind_of(value)}。", key)
    try:
        return date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        raise DomainError(f"“{label}”不是有效日期，请按“年-月-日”填写，例如 2027-06-30。", key) from None


def _clean_text(key: str, value) -> str:
    label, limit, required = FIELDS[key]
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DomainError(f"“{label}”应为文本，收到的是{kind_of(value)}。", key)
    value = clean_text(value, multiline=False)
    if required and not value:
        raise DomainError(f"请填写“{label}”。", key)
    if len(value) > limit:
        raise DomainError(f"“{label}”不能超过 {limit} 个字，现有 {len(value)} 个字，请精简后再保存。", key)
    return value


def clean(args: dict) -> dict:
    """The entry's fields cleaned and checked (every field of FIELDS and DATE_FIELDS, `active`); the first problem
    as a DomainError naming its field."""
    out = {key: _clean_text(key, args.get(key)) for key in FIELDS}
    out["cert_no"] = out["cert_no"].upper()
    if not CERT_NO.match(out["cert_no"]):
        raise DomainError("执法证号应为 4–32 位数字或字母（可含“-”），请按执法证上的号码填写。", "cert_no")
    if out["phone"] and not PHONE.match(out["phone"]):
        raise DomainError("联系电话只能包含数字、空格和“-”，7–20 位，例如 021-12345678 或 13812345678。", "phone")
    for key in DATE_FIELDS:
        out[key] = _clean_date(key, args.get(key))
    if out["expires_on"] is None:
        raise DomainError("请填写执法证“有效期至”日期。", "expires_on")
    if out["issued_on"] and out["issued_on"] >= out["expires_on"]:
        raise DomainError("发证日期应早于有效期截止日期，请核对执法证。", "issued_on")
    active = args.get("active", True)
    if not isinstance(active, bool):
        raise DomainError(f"“在岗”应为是或否，收到的是{kind_of(active)}。", "active")
    out["active"] = active
    return out


def require_editor(actor: Actor, owner_org: str) -> None:
    if actor.org_code != owner_org:
        raise DomainError("该人员不属于您所在的街镇，不能修改其执法证信息。")
    if Role(actor.role) not in EDITORS:
        raise DomainError(f"您的角色“{Role(actor.role).label}”不能维护人员与执法证名单，该工作由内勤或中队长办理。")


def check_unique(cert_no: str, entry_id: str | None, others: Iterable[tuple[str, str, bool]]) -> None:
    """`others`: (id, cert_no, active) of the town's entries. A certificate number is on the roster once while
    its holder is active."""
    for other_id, number, active in others:
        if other_id != entry_id and active and (number or "").upper() == cert_no.upper():
            raise DomainError(f"执法证号 {cert_no} 已在人员名单中，请核对号码；如是同一人员，请修改原有记录。",
                              "cert_no")


def create(args: dict, *, owner_org: str, actor: Actor, at: datetime) -> dict:
    require_editor(actor, owner_org)
    state = clean(args)
    stamp = {"at": at.isoformat(timespec="seconds"), "by": actor.name}
    return {**state, "owner_org": owner_org, "created": stamp, "updated": stamp, "retired": None}


def update(state: dict, args: dict, *, actor: Actor, at: datetime) -> dict:
    """Given fields (None: left as it is) replace the entry's; a retired entry is reinstated only by `active`."""
    require_editor(actor, state["owner_org"])
    merged = {key: state.get(key) for key in (*FIELDS, *DATE_FIELDS, "active")}
    merged.update({k: v for k, v in args.items() if k in merged and v is not None})
    new = copy.deepcopy(state)
    new.update(clean(merged))
    if new["active"]:
        new["retired"] = None
    new["updated"] = {"at": at.isoformat(timespec="seconds"), "by": actor.name}
    return new


def retire(state: dict, args: dict, *, actor: Actor, at: datetime) -> dict:
    require_editor(actor, state["owner_org"])
    if not state.get("active", True):
        raise DomainError(f"{state['name']}已不在岗（已停用），无需重复操作。")
    reason = args.get("reason") or ""
    if not isinstance(reason, str):
        raise DomainError(f"停用原因应为文本，收到的是{kind_of(reason)}。", "reason")
    new = copy.deepcopy(state)
    new["active"] = False
    new["retired"] = {"at": at.isoformat(timespec="seconds"), "by": actor.name,
                      "reason": clean_text(reason, multiline=False)[:200]}
    new["updated"] = {"at": new["retired"]["at"], "by": actor.name}
    return new


STEPS = {"update_roster_entry": update, "retire_roster_entry": retire}


def apply_step(name: str, state: dict, args: dict, *, actor: Actor, at: datetime) -> dict:
    try:
        step = STEPS[name]
    except KeyError:
        raise DomainError(f"未知的人员名单操作“{name}”。") from None
    return step(state, args, actor=actor, at=at)


# --- certificates -------------------------------------------------------------------------------------------------

def days_left(entry: dict, today: date) -> int:
    """Days until the certificate expires (0: it expires today, the last valid day; negative: expired)."""
    return (_day(entry["expires_on"]) - today).days


def certificate_state(entry: dict, today: date, rules: RosterRules | None = None) -> CertState:
    left = days_left(entry, today)
    if left < 0:
        return CertState.EXPIRED
    if left <= (rules or RosterRules()).warn_days:
        return CertState.EXPIRING
    return CertState.VALID


def _officer(o) -> tuple[str, str]:
    if isinstance(o, dict):
        return str(o.get("name") or ""), str(o.get("cert_no") or "")
    if isinstance(o, (list, tuple)):
        return str(o[0] or ""), str(o[1] or "")
    return str(getattr(o, "name", "") or ""), str(getattr(o, "cert_no", "") or "")


def expired_officer(officers, roster: Iterable[dict], on: date) -> tuple[str, dict] | None:
    """(officer's name, roster entry) of the first officer whose certificate the roster knows as expired on `on`."""
    by_number = {}
    for entry in roster:
        by_number.setdefault(str(entry.get("cert_no") or "").upper(), []).append(entry)
    for o in officers or []:
        name, cert_no = _officer(o)
        for entry in by_number.get(cert_no.strip().upper(), []):
            if entry.get("expires_on") and days_left(entry, on) < 0:
                return name or entry.get("name") or "", entry
    return None


def check_case_officers(officers, roster: Iterable[dict], on: date) -> None:
    """A case is filed with officers whose certificates are valid on the filing day `on`. `officers`: Officer
    objects, [name, cert_no] pairs or dicts; `roster`: the town's entries (states). An officer whose certificate
    number is not on the roster is allowed (the roster is light)."""
    found = expired_officer(officers, roster, on)
    if found is None:
        return
    name, entry = found
    raise DomainError(
        f"承办人员{name}的执法证（证号 {entry['cert_no']}）已于 {entry['expires_on']} 到期，不能作为本案的承办人员。"
        "请改由持有效执法证的人员承办；如证件已换发，请先在“执法人员”页更新证号和有效期。", "officers")


def check_officers_change(before, after, roster: Iterable[dict], on: date, *, filed: bool) -> None:
    """Officers put on a case that is already filed are held to the filing rule on the day they are put on it;
    those already on the case are not checked again (a certificate that expired since blocks nothing else of the
    case: renew it, or change the officer). A clue (not filed) is checked when it is filed."""
    if not filed:
        return
    known = {_officer(o)[1].strip().upper() for o in before or []}
    check_case_officers([o for o in after or [] if _officer(o)[1].strip().upper() not in known], roster, on)
