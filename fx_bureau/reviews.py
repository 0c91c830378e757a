"""Legal review mutations on the server: the same `domain.legal_review` rules as the client, enforced again with
the user's role and town as the server knows them. The rounds live on the case (`Case.reviews`, oldest first), so
a pulled case always brings its review history."""
from __future__ import annotations

import copy
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from fx_desktop.domain import legal_review as lr
from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.lifecycle import CaseStatus, apply_transition
from fx_desktop.domain.review_effects import apply_verdict, submit_effect, withdraw_pending
from fx_desktop.domain.roles import Role, require_case_handler

from .arguments import Args, Uuid
from .models import Case, Reference
from .principal import Principal


class _Row:
    """Attribute access over one review dict, so domain.review_effects runs on the server's JSON rounds."""

    def __init__(self, data: dict):
        object.__setattr__(self, "_data", data)

    def __getattr__(self, key):
        return self._data.get(key)

    def __setattr__(self, key, value):
        self._data[key] = value.isoformat() if isinstance(value, (date, datetime)) else value


def rules(session: Session) -> lr.ReviewRules:
    cache = session.info.setdefault("fx_review_rules", {})
    if "rules" not in cache:
        ref = session.get(Reference, "reference")
        cache["rules"] = lr.ReviewRules.from_reference(ref.data if ref is not None else None)
    return cache["rules"]


def is_major(session: Session, case: Case) -> bool:
    f = case.fields
    return bool(rules(session).major_reasons(party_kind=f.get("party_kind") or "person",
                                             penalty=f.get("proposed_penalty"), amount=f.get("proposed_amount"),
                                             circumstances=f.get("circumstances") or []))


def _pending(case: Case, review_id) -> tuple[list[dict], dict]:
    reviews = copy.deepcopy(case.reviews or [])
    current = next((r for r in reversed(reviews) if r.get("status") == lr.ReviewStatus.PENDING), None)
    if current is None:
        raise DomainError("该案件没有待审核的送审记录（尚未提交法制审核，或已审核、已撤回）。")
    if review_id != current["id"]:
        raise DomainError("该送审记录已不是本案当前待审核的一轮，未执行。")
    return reviews, current


class SubmitReviewArgs(Args):
    case_id: Uuid
    review_id: Uuid
    expected_state: str
    materials: list[str]
    report: str


def submit_review(session: Session, p: Principal, args: dict, ctx, case: Case, env) -> dict:
    require_case_handler(p.role)
    current = CaseStatus(case.status)
    if args["expected_state"] != str(current):
        raise DomainError(f"案件状态已变为“{current.label}”，提交法制审核未执行。")
    target = apply_transition(current, "submit_review", p.role)
    materials = lr.check_submission(args["materials"], case.fields.get("circumstances") or [], args["report"])
    review_id = args["review_id"]
    if any(r["id"] == review_id for r in case.reviews or []):
        raise DomainError("该送审记录已经提交过。")
    accepted = ctx.at.date()
    entry = {"id": review_id, "round_no": len(case.reviews or []) + 1, "status": str(lr.ReviewStatus.PENDING),
             "submitted_at": ctx.at.isoformat(), "submitted_by": p.name, "materials": materials,
             "report": lr.check_report(args["report"]), "accepted_on": accepted.isoformat(),
             "due_on": lr.review_due(accepted, env.calendar(), rules(session).time_limit_days).isoformat(),
             "extension_reason": None, "criteria": None, "outcome": None, "opinion": None, "reviewer": None,
             "reviewed_at": None, "opinion_number": None}
    case.reviews = [*(case.reviews or []), entry]
    for column, value in submit_effect().items():  # target: legal_review
        setattr(case, column, value)
    return {"round_no": entry["round_no"], "due_on": entry["due_on"]}


def _require_reviewer(p: Principal, case: Case) -> None:
    if p.role != Role.LEGAL_REVIEWER:
        raise DomainError(f"您的角色“{p.role.label}”不能进行法制审核，该工作由本街镇的法制审核员办理。")
    if case.status != str(CaseStatus.LEGAL_REVIEW):
        raise DomainError(f"案件处于“{CaseStatus(case.status).label}”状态，未提交法制审核，不能审核。")


class RecordReviewArgs(Args):
    case_id: Uuid
    review_id: Uuid
    outcome: str
    opinion: str = ""
    criteria: dict[str, Any]  # criterion key -> {"passed": bool, "note": str}, checked by domain.legal_review


def record_review(session: Session, p: Principal, args: dict, ctx, case: Case, env) -> dict:
    _require_reviewer(p, case)
    reviews, current = _pending(case, args["review_id"])
    lr.check_not_handler(p.name, officers=case.officers, created_by=case.created_by,
                         submitted_by=current["submitted_by"])
    verdict = lr.check_verdict(args["outcome"], args["opinion"], args["criteria"])
    apply_verdict(_Row(current), case, verdict, reviewer=p.name, at=ctx.at)
    current["opinion_number"] = env.number("review_opinion")
    case.reviews = reviews
    return {"status": case.status, "opinion_number": current["opinion_number"]}


class ExtendReviewArgs(Args):
    case_id: Uuid
    review_id: Uuid
    reason: str


def extend_review(session: Session, p: Principal, args: dict, ctx, case: Case, env) -> dict:
    _require_reviewer(p, case)
    reviews, current = _pending(case, args["review_id"])
    current["extension_reason"] = lr.check_extension(bool(current.get("extension_reason")), args["reason"])
    due = date.fromisoformat(current["due_on"])
    current["due_on"] = lr.review_due(due, env.calendar(), rules(session).extension_days).isoformat()
    case.reviews = reviews
    return {"due_on": current["due_on"]}


def withdraw(case: Case) -> None:
    """return_review by the squad leader: the open round ends as withdrawn."""
    reviews = copy.deepcopy(case.reviews or [])
    withdraw_pending([_Row(r) for r in reviews])
    case.reviews = reviews
