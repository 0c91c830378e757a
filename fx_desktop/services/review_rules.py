"""The legal-review rules as the store holds them, and the changes a review makes to a case: shared by
services.cases (plain workflow steps), services.legal_review and the sync rebase, so none imports the other."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ..domain import legal_review as lr
from ..domain.lifecycle import CaseStatus
from ..store import reference


def rules_in(session: Session) -> lr.ReviewRules:
    return lr.ReviewRules.from_reference(reference.current(session))


def review_rules(store) -> lr.ReviewRules:
    with store.sessions() as session:
        return rules_in(session)


def major_reasons(case, rules: lr.ReviewRules) -> list[str]:
    """Why `case` (a store Case row) needs legal review before its decision; empty when it does not."""
    return rules.major_reasons(party_kind=case.party_kind, penalty=case.proposed_penalty,
                               amount=case.proposed_amount, circumstances=case.circumstances or [])


def apply_verdict(row, case, verdict: lr.Verdict, *, reviewer: str, at: datetime) -> None:
    """The round closes with the outcome and the case moves accordingly: 同意 passes it, 建议修改后再报 sends it back
    to the squad (调查终结), 不同意 leaves it without a pass (collective discussion or withdrawal follow).
    `row`/`case` may be store rows or any objects with the same attributes (fx-bureau uses views of its JSON)."""
    row.status = str(lr.OUTCOME_STATUS[verdict.outcome])
    row.outcome, row.opinion, row.criteria = str(verdict.outcome), verdict.opinion, verdict.criteria
    row.reviewer, row.reviewed_at = reviewer, at
    if verdict.outcome == lr.Outcome.AGREE:
        case.review_passed = True
    elif verdict.outcome == lr.Outcome.REVISE:
        case.status, case.review_passed = str(CaseStatus.INVESTIGATION_CLOSED), False


def withdraw_pending(case) -> None:
    """The squad leader took the case back (return_review): its open round ends as withdrawn."""
    for row in case.reviews:
        if row.status == lr.ReviewStatus.PENDING:
            row.status = str(lr.ReviewStatus.WITHDRAWN)
