"""What the three referral forms print (案件移送函, 移送物品清单, 回执), as plain data made from a referral's state
dict (the `data` of a pulled referral row, contract section 4). Organisations appear in the state by code; the
caller passes `org_name(code) -> str` for the names to print, so this module needs neither the store nor Qt.

A value the state lacks prints as a blank to fill in by hand; a receipt not signed yet (`receipt` None) prints as
an empty 回执 with lines to write on, which is how a paper receipt travels with the letter."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Callable, Mapping

from ..domain.errors import DomainError
from ..domain.timestamps import parse_time


@dataclass(frozen=True)
class CaseSnapshot:
    """The case as the receiving department may see it."""

    number: str | None
    cause: str
    party_kind: str  # "person" / "org"
    party_name: str
    place: str
    occurred_at: datetime | None
    facts: str


@dataclass(frozen=True)
class ReferralMaterial:
    no: int
    title: str
    pages: int | None  # None: page count not given, printed as a blank


@dataclass(frozen=True)
class ReferralItem:
    name: str
    spec: str
    quantity: str  # as printed: "3", "2.5"
    unit: str
    condition: str
    kept_at: str


@dataclass(frozen=True)
class Receipt:
    received_on: date | None
    signed_by: str
    materials_match: bool | None
    missing: str


@dataclass(frozen=True)
class ReferralPrint:
    """Everything the referral forms print. `number` may be provisional (临时编号…): the forms then print a draft."""

    number: str | None
    owner_name: str  # the referring organisation: issues the letter, seals it
    receiving_name: str  # the department it goes to: the letter's addressee, signs the receipt
    case: CaseSnapshot
    reason: str
    legal_basis: str
    summary: str
    materials: tuple[ReferralMaterial, ...]
    items: tuple[ReferralItem, ...]
    contact_name: str
    contact_phone: str
    submitted_at: datetime | None
    receipt: Receipt | None = None

    @classmethod
    def from_state(cls, state: Mapping, org_name: Callable[[str], str]) -> "ReferralPrint":
        """The printable view of a referral state dict; `org_name` turns the state's organisation codes into the
        names printed (e.g. 南桥镇, 区规划资源局)."""
        if not isinstance(state, Mapping):
            raise DomainError("移送记录的数据不完整，无法打印。请同步后重试。")
        snap = _mapping(state.get("case_snapshot"))
        case = CaseSnapshot(number=_text(snap.get("number")) or None, cause=_text(snap.get("cause")),
                            party_kind=_text(snap.get("party_kind")) or "person",
                            party_name=_text(snap.get("party_name")), place=_text(snap.get("place")),
                            occurred_at=_time(snap.get("occurred_at"), "案发时间"), facts=_text(snap.get("facts")))
        materials = tuple(ReferralMaterial(_int(m.get("no")) or i, _text(m.get("title")), _int(m.get("pages")))
                          for i, m in enumerate(map(_mapping, state.get("materials") or ()), 1))
        items = tuple(ReferralItem(_text(it.get("name")), _text(it.get("spec")), _quantity(it.get("quantity")),
                                   _text(it.get("unit")), _text(it.get("condition")), _text(it.get("kept_at")))
                      for it in map(_mapping, state.get("items") or ()))
        contact = _mapping(state.get("contact"))
        raw_receipt = state.get("receipt")
        receipt = None
        if raw_receipt:
            r = _mapping(raw_receipt)
            match = r.get("materials_match")
            receipt = Receipt(received_on=_day(r.get("received_on")), signed_by=_text(r.get("signed_by")),
                              materials_match=None if match is None else bool(match), missing=_text(r.get("missing")))
        return cls(number=_text(state.get("number")) or None, owner_name=_org(state.get("owner_org"), org_name),
                   receiving_name=_org(state.get("receiving_org"), org_name), case=case,
                   reason=_text(state.get("reason")), legal_basis=_text(state.get("legal_basis")),
                   summary=_text(state.get("summary")), materials=materials, items=items,
                   contact_name=_text(contact.get("name")), contact_phone=_text(contact.get("phone")),
                   submitted_at=_time(_mapping(state.get("submitted")).get("at") or state.get("submitted_at"), "移送时间"), receipt=receipt)


def _mapping(value) -> Mapping:
    return value if isinstance(value, Mapping) else {}


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _org(code, org_name: Callable[[str], str]) -> str:
    return _text(org_name(code)) if code else ""


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _quantity(value) -> str:
    """3 -> "3", 2.50 -> "2.5", "约10" stays as written."""
    if value is None or isinstance(value, bool):
        return ""
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return _text(value)
    return format(number.normalize(), "f") if number.is_finite() else _text(value)


def _time(value, what: str) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return parse_time(value, what)


def _day(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    try:
        return date.fromisoformat(text[:10]) if len(text) >= 10 else date.fromisoformat(text)
    except ValueError:
        raise DomainError(f"回执的收到日期“{text[:20]}”不是有效的日期（如 2026-03-05）。") from None
