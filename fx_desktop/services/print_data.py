"""The data a printed form shows, read from the store as plain `printing.data` objects (no Qt, no reportlab)."""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from sqlalchemy import select

from ..domain import legal_review as lr
from ..domain.errors import DomainError
from ..domain.evidence import EVIDENCE_KINDS
from ..domain.lifecycle import CaseStatus
from ..domain.organisations import official_names
from ..printing import data as pd
from ..printing.referral_data import ReferralPrint
from ..store import Store, reference
from ..store.models import Case, LegalReview, Referral, Town
from .review_rules import major_reasons, rules_in


_BODIES = {"街道": "上海市奉贤区人民政府{name}办事处", "管委会": "上海市奉贤区{name}管理委员会"}


def agency_of(town: Town) -> tuple[str, str]:
    """(issuing body, handling unit) of a town: the town government (a 街道's office, a 管委会) decides (乡镇综合执法),
    its squad handles."""
    body = _BODIES.get(town.kind, "上海市奉贤区{name}人民政府").format(name=town.name)
    return body, f"{town.name}城市管理综合行政执法队"


def case_sheet(case: Case, town: Town, rules: lr.ReviewRules) -> pd.CaseSheet:
    agency, unit = agency_of(town)
    party = pd.Party(kind=case.party_kind, name=case.party_name, id_number=case.party_id_number, sex=case.party_sex,
                     birth_date=case.party_birth_date, legal_rep=case.party_legal_rep, address=case.party_address,
                     phone=case.party_phone)
    labels = [c.label for c in rules.circumstances if c.key in (case.circumstances or [])]
    return pd.CaseSheet(
        number=case.number, agency=agency, town_name=town.name, unit=unit, cause=case.cause, category=case.category,
        source=case.source, party=party, place=case.place, occurred_at=case.occurred_at, facts=case.facts or "",
        legal_basis=case.legal_basis or "", proposed_penalty=case.proposed_penalty,
        proposed_amount=case.proposed_amount, circumstances=tuple(labels),
        major_reasons=tuple(major_reasons(case, rules)),
        officers=tuple((o.name, o.cert_no) for o in case.officers), status=CaseStatus(case.status).label,
        opened_on=case.opened_on, filed_on=case.filed_on, decision_due=case.decision_due,
        evidence=tuple((EVIDENCE_KINDS.get(e.kind, e.kind), e.name, e.captured_at) for e in case.evidence))


def _submission(row: LegalReview, circumstances) -> pd.Submission:
    """The round as submitted: the materials it gave, and any the case requires that it lacks (never one it was not
    asked for, such as the hearing record when no hearing was held)."""
    given = set(row.materials or [])
    required = set(lr.required_materials(circumstances))
    materials = tuple(pd.Material(label, key in given, "" if key in given else "未随本轮提交")
                      for key, label in lr.MATERIALS if key in given or key in required)
    return pd.Submission(round_no=row.round_no, submitted_at=row.submitted_at, submitted_by=row.submitted_by,
                         materials=materials, report=row.report, accepted_on=row.accepted_on, due_on=row.due_on,
                         extension_reason=row.extension_reason)


def _opinion(row: LegalReview) -> pd.Opinion:
    if not row.outcome:
        return pd.Opinion(number=row.opinion_number)
    criteria = tuple(pd.Criterion(label, (row.criteria or {}).get(key, {}).get("passed"),
                                  (row.criteria or {}).get(key, {}).get("note", "")) for key, label in lr.CRITERIA)
    return pd.Opinion(number=row.opinion_number, criteria=criteria, outcome=lr.Outcome(row.outcome).label,
                      text=row.opinion or "", reviewer=row.reviewer, reviewed_at=row.reviewed_at)


def dossier(store: Store, case_id: str, *, now: datetime | None = None) -> pd.ReviewDossier:
    """The case with its latest review round (blank parts where a step has not happened) and earlier rounds."""
    with store.sessions() as session:
        case = session.execute(select(Case).where(Case.id == case_id)).scalar_one_or_none()
        if case is None:
            raise DomainError("找不到该案件，可能已被删除。")
        sheet = case_sheet(case, session.get(Town, case.town_code), rules_in(session))
        rounds = list(case.reviews)
        latest = rounds[-1] if rounds else None
        history = tuple(pd.PastRound(r.round_no, r.submitted_at, lr.Outcome(r.outcome).label if r.outcome else
                                     lr.ReviewStatus(r.status).label, r.reviewer, r.reviewed_at, r.opinion or "")
                        for r in rounds[:-1])
        circumstances = case.circumstances or []
        expected = tuple(lr.MATERIAL_LABELS[k] for k in lr.required_materials(circumstances))
        return pd.ReviewDossier(case=sheet, submission=_submission(latest, circumstances) if latest else None,
                                opinion=_opinion(latest) if latest else pd.Opinion(), history=history,
                                printed_at=now or datetime.now(), expected_materials=expected)


def find_case_id(store: Store, number: str) -> str:
    """The id of the case with this number (official or provisional); a clear message when there is none."""
    with store.sessions() as session:
        found = session.execute(select(Case.id).where(Case.number == number.strip())).scalar_one_or_none()
    if found is None:
        raise DomainError(f"本机没有编号为“{number}”的案件，请核对案件编号（可在案件登记列表中复制）。")
    return found


def referral_print(state: dict, org_name: Callable[[str], str]) -> ReferralPrint:
    """What the referral forms print, from a referral's state dict (its `data`, contract section 4);
    `org_name(code)` gives the name printed for an organisation code (e.g. from the store's organisations)."""
    return ReferralPrint.from_state(state, org_name)


def referral_names(store: Store) -> Callable[[str], str]:
    """`org_name(code)` for the referral forms, always the full official name (GB/T 9704: the addressee 主送机关, the
    issuer and the seal are named in full; the short name is only the 机关代字 of document numbers): a town's
    issuing body as the case forms print it (上海市奉贤区南桥镇人民政府), any other organisation by the reference's
    `full_name` (上海市奉贤区规划和自然资源局), its name where the reference gives none."""
    from .organisations import directory_in

    with store.sessions() as session:
        towns = {t.code: agency_of(t)[0] for t in session.execute(select(Town)).scalars()}
        official = official_names(reference.current(session))
        orgs = directory_in(session)
    return lambda code: towns.get(code) or official.get(code) or orgs.name(code)


def find_referral_id(store: Store, key: str) -> str:
    """The id of the referral with this number (official or provisional) or id; a clear message when there is
    none (a department's store has the referrals sent to it, a town's those it sent)."""
    key = key.strip()
    with store.sessions() as session:
        found = session.execute(select(Referral.id).where((Referral.number == key) | (Referral.id == key))
                                .limit(1)).scalar_one_or_none()
    if found is None:
        raise DomainError(f"本机没有编号为“{key}”的移送记录，请核对移送函文号（可在移送列表中复制），"
                          "或先同步以取得最新的移送记录。")
    return found


def latest_referral_id(store: Store, case_number: str) -> str:
    """The id of the case's latest referral (by submission time); a clear message when it has none."""
    from .referrals import for_case

    found = for_case(store, find_case_id(store, case_number))
    if not found:
        raise DomainError(f"案件“{case_number.strip()}”还没有移送记录，无法打印移送文书。"
                          "请先在案件页面移送该案件，或用 --referral 指定移送函文号。")
    return found[0].id


def police_print(state: dict, org_name: Callable[[str], str]):
    """What the police assistance forms print, from a request's state dict (its `data`)."""
    from ..printing.police_data import PolicePrint

    return PolicePrint.from_state(state, org_name)


def find_police_request_id(store: Store, key: str) -> str:
    """The id of the police assistance request with this number (official or provisional) or id."""
    from ..store.models import PoliceRequest

    key = key.strip()
    with store.sessions() as session:
        query = select(PoliceRequest.id).where((PoliceRequest.number == key) | (PoliceRequest.id == key)).limit(1)
        found = session.execute(query).scalar_one_or_none()
    if found is None:
        raise DomainError(f"本机没有编号为“{key}”的公安协助申请，请核对编号（可在公安协助列表中复制），或先同步。")
    return found


def latest_police_request_id(store: Store, case_number: str) -> str:
    from .police_requests import for_case

    found = for_case(store, find_case_id(store, case_number))
    if not found:
        raise DomainError(f"案件“{case_number.strip()}”还没有公安协助申请，无法打印公安协助文书。"
                          "请先在案件页面提请公安协助，或用 --police-request 指定申请编号。")
    return found[0].id
