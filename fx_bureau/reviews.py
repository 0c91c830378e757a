"""Legal review mutations on the server (record kind "legal_review"): the same `domain.legal_review` and
`domain.review_effects` rules as the client and its rebase, enforced again with the user's role and town as the
server knows them. Each round is a LegalReview row (its fields in `data`); a step writes the round (version + 1,
a new seq) and the case it acts on (status, review_passed), which the handler in mutations.py touches."""
from __future__ import annotations

import copy
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fx_desktop.domain import legal_review as lr
from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.lifecycle import CaseStatus, apply_transition
from fx_desktop.domain.review_effects import apply_verdict, extend_round, submit_effect, withdraw_pending
from fx_desktop.domain.roles import Role, require_case_handler

from .arguments import Args, Uuid
from .models import Case, LegalReview
from .principal import Principal
from .schema import from_reference, next_seq, reference_data

KIND = "legal_review"
_DATES = frozenset({"accepted_on", "due_on"})


class _Row:
    """Attribute access over one round's data, so domain.review_effects runs on the server's JSON rounds."""

    def __init__(self, data: dict):
        object.__setattr__(self, "_data", data)

    def __getattr__(self, key):
        value = self._data.get(key)
        return date.fromisoformat(value) if key in _DATES and isinstance(value, str) else value

    def __setattr__(self, key, value):
        self._data[key] = value.isoformat() if isinstance(value, (date, datetime)) else value


def rules(session: Session) -> lr.ReviewRules:
    return from_reference(session, "review_rules", lambda s: lr.ReviewRules.from_reference(reference_data(s)))


def is_major(session: Session, case: Case) -> bool:
    f = case.fields
    return bool(rules(session).major_reasons(party_kind=f.get("party_kind") or "person",
                                             penalty=f.get("proposed_penalty"), amount=f.get("proposed_amount"),
                                             circumstances=f.get("circumstances") or []))


def _rounds(session: Session, case: Case) -> list[LegalReview]:
    return list(session.execute(select(LegalReview).where(LegalReview.case_id == case.id)
                                .order_by(LegalReview.round_no)).scalars())


def _pending(session: Session, case: Case, review_id) -> LegalReview:
    current = next((r for r in reversed(_rounds(session, case)) if r.status == lr.ReviewStatus.PENDING), None)
    if current is None:
        raise DomainError("该案件没有待审核的送审记录（尚未提交法制审核，或已审核、已撤回）。")
    if review_id != current.id:
        raise DomainError("该送审记录已不是本案当前待审核的一轮，未执行。")
    return current


def _save(session: Session, row: LegalReview, data: dict, at: datetime) -> None:
    """A round changed by a step: a new version, moved forward in the change sequence."""
    row.data, row.status = data, data["status"]
    row.version += 1
    row.seq = next_seq(session)
    row.updated_at = at


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
    apply_transition(current, "submit_review", p.role)  # target: legal_review (submit_effect)
    materials = lr.check_submission(args["materials"], case.fields.get("circumstances") or [], args["report"])
    review_id = args["review_id"]
    if session.get(LegalReview, review_id) is not None:
        raise DomainError("该送审记录已经提交过。")
    accepted = ctx.at.date()
    entry = {"id": review_id, "round_no": len(_rounds(session, case)) + 1, "status": str(lr.ReviewStatus.PENDING),
             "submitted_at": ctx.at.isoformat(), "submitted_by": p.name, "materials": materials,
             "report": lr.check_report(args["report"]), "accepted_on": accepted.isoformat(),
             "due_on": lr.review_due(accepted, env.calendar(), rules(session).time_limit_days).isoformat(),
             "extension_reason": None, "criteria": None, "outcome": None, "opinion": None, "reviewer": None,
             "reviewed_at": None, "opinion_number": None}
    session.add(LegalReview(id=review_id, case_id=case.id, owner_org=case.town_code, round_no=entry["round_no"],
                            status=entry["status"], version=1, seq=next_seq(session), data=entry,
                            created_at=ctx.at, updated_at=ctx.at))
    for column, value in submit_effect().items():
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
    row = _pending(session, case, args["review_id"])
    data = copy.deepcopy(row.data)
    lr.check_not_handler(p.name, officers=case.officers, created_by=case.created_by,
                         submitted_by=data["submitted_by"])
    verdict = lr.check_verdict(args["outcome"], args["opinion"], args["criteria"])
    apply_verdict(_Row(data), case, verdict, reviewer=p.name, at=ctx.at)
    data["opinion_number"] = env.number("review_opinion")
    _save(session, row, data, ctx.at)
    return {"status": case.status, "opinion_number": data["opinion_number"]}


class ExtendReviewArgs(Args):
    case_id: Uuid
    review_id: Uuid
    reason: str


def extend_review(session: Session, p: Principal, args: dict, ctx, case: Case, env) -> dict:
    _require_reviewer(p, case)
    row = _pending(session, case, args["review_id"])
    data = copy.deepcopy(row.data)
    extend_round(_Row(data), args["reason"], calendar=env.calendar(), days=rules(session).extension_days)
    _save(session, row, data, ctx.at)
    return {"due_on": data["due_on"]}


def withdraw(session: Session, case: Case, at: datetime) -> None:
    """return_review by the squad leader: the open round ends as withdrawn."""
    for row in _rounds(session, case):
        if row.status == lr.ReviewStatus.PENDING:
            data = copy.deepcopy(row.data)
            withdraw_pending([_Row(data)])
            _save(session, row, data, at)
