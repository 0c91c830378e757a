"""What the criminal referral's forms print (涉嫌犯罪案件移送书 with its 回执, 涉案物品清单, the investigation report
and the handover record), as plain data made from a criminal referral's state dict (domain/criminal_referral.py).
Organisations appear by code; `org_name(code)` gives the names printed. A step not taken yet prints blank, with
lines to fill in by hand (the 回执 travels on paper with the 移送书)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Mapping

from ..domain.errors import DomainError
from .referral_data import CaseSnapshot, _mapping, _org, _quantity, _text, _time


@dataclass(frozen=True)
class CrimeItem:
    no: int
    name: str
    quantity: str
    unit: str
    features: str
    kept_at: str
    measure: str


@dataclass(frozen=True)
class Signed:
    """A dated step and who signed or entered it."""

    when: datetime | None
    by: str
    note: str = ""


@dataclass(frozen=True)
class CrimePrint:
    number: str | None
    owner_name: str
    receiving_name: str
    copy_name: str
    case: CaseSnapshot
    suspicion: str
    report: str
    team: tuple[tuple[str, str], ...]  # (name, certificate number)
    attachments: tuple[tuple[str, str], ...]  # (title, kind)
    items: tuple[CrimeItem, ...]
    fine_paid: str  # "5000.00 元（2026-11-20 缴纳，收据 FK-001）" or ""
    contact_name: str
    contact_phone: str
    reported_at: datetime | None
    approved: Signed | None
    sent: Signed | None
    receipt: Signed | None
    handover: Signed | None
    handover_materials: str = ""
    handover_received_by: str = ""
    handed_items: tuple[int, ...] = ()

    @classmethod
    def from_state(cls, state: Mapping, org_name: Callable[[str], str]) -> CrimePrint:
        if not isinstance(state, Mapping) or not state.get("case_snapshot"):
            raise DomainError("涉嫌犯罪案件移送记录的数据不完整，无法打印。请同步后重试。")
        snap = _mapping(state.get("case_snapshot"))
        case = CaseSnapshot(number=_text(snap.get("number")) or None, cause=_text(snap.get("cause")),
                            party_kind=_text(snap.get("party_kind")) or "person",
                            party_name=_text(snap.get("party_name")), place=_text(snap.get("place")),
                            occurred_at=_time(snap.get("occurred_at"), "案发时间"), facts=_text(snap.get("facts")))
        items = tuple(CrimeItem(int(it.get("no") or i), _text(it.get("name")), _quantity(it.get("quantity")),
                                _text(it.get("unit")), _text(it.get("features")), _text(it.get("kept_at")),
                                _text(it.get("measure")))
                      for i, it in enumerate(map(_mapping, state.get("items") or ()), 1))
        fine = _mapping(state.get("fine_paid"))
        fine_text = ""
        if fine:
            fine_text = f"{_text(fine.get('amount'))} 元（{_text(fine.get('paid_on'))} 缴纳" + (
                f"，收据 {_text(fine.get('receipt_no'))}" if fine.get("receipt_no") else "") + "）"
        decision = _mapping(state.get("decision"))
        handover = _mapping(state.get("handover"))
        contact = _mapping(state.get("contact"))
        return cls(
            number=_text(state.get("number")) or None, owner_name=_org(state.get("owner_org"), org_name),
            receiving_name=_org(state.get("receiving_org"), org_name), copy_name=_org(state.get("copy_org"), org_name),
            case=case, suspicion=_text(state.get("suspicion")), report=_text(state.get("report")),
            team=tuple((_text(m.get("name")), _text(m.get("cert_no"))) for m in map(_mapping, state.get("team") or ())),
            attachments=tuple((_text(a.get("title")), _text(a.get("kind")))
                              for a in map(_mapping, state.get("attachments") or ())),
            items=items, fine_paid=fine_text, contact_name=_text(contact.get("name")),
            contact_phone=_text(contact.get("phone")),
            reported_at=_time(_mapping(state.get("reported")).get("when"), "报告时间"),
            approved=_signed(decision, "head") if decision.get("approved") else None,
            sent=_signed(_mapping(state.get("sent")), "by"), receipt=_signed(_mapping(state.get("receipt")), "signed_by"),
            handover=_signed(handover, "handed_by"), handover_materials=_text(handover.get("materials")),
            handover_received_by=_text(handover.get("received_by")),
            handed_items=tuple(int(n) for n in handover.get("items_handed") or () if isinstance(n, int)))


def _signed(step: Mapping, who: str) -> Signed | None:
    if not step:
        return None
    return Signed(_time(step.get("when"), "办理时间"), _text(step.get(who)) or _text(step.get("by")),
                  _text(step.get("note")))
