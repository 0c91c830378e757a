"""What a legal review step does to the case and its rounds, shared by the client's services, fx-bureau's
handlers and the client's rebase. Rounds and cases are any objects with the attributes (store rows on the client,
attribute views of the JSON on fx-bureau)."""
from __future__ import annotations

from datetime import datetime

from . import legal_review as lr
from .lifecycle import CaseStatus


def submit_effect() -> dict:
    """A submitted case waits for the reviewer, without a pass (each round is judged afresh)."""
    return {"status": str(CaseStatus.LEGAL_REVIEW), "review_passed": False}


def verdict_effect(outcome) -> dict:
    """The case's columns a verdict changes: 同意 passes it, 建议修改后再报 sends it back to the squad (调查终结),
    不同意 leaves it without a pass (collective discussion or withdrawal follow)."""
    outcome = lr.Outcome(outcome)
    if outcome == lr.Outcome.AGREE:
        return {"review_passed": True}
    if outcome == lr.Outcome.REVISE:
        return {"status": str(CaseStatus.INVESTIGATION_CLOSED), "review_passed": False}
    return {}


def apply_verdict(row, case, verdict: lr.Verdict, *, reviewer: str, at: datetime) -> None:
    """The round closes with the outcome and the case moves as verdict_effect says."""
    row.status = str(lr.OUTCOME_STATUS[verdict.outcome])
    row.outcome, row.opinion, row.criteria = str(verdict.outcome), verdict.opinion, verdict.criteria
    row.reviewer, row.reviewed_at = reviewer, at
    for key, value in verdict_effect(verdict.outcome).items():
        setattr(case, key, value)


def extend_round(row, reason: str, *, calendar, days: int) -> None:
    """The reviewer's one extension of a round, with a reason: its due day moves `days` working days on."""
    row.extension_reason = lr.check_extension(bool(row.extension_reason), reason)
    row.due_on = lr.review_due(row.due_on, calendar, days)


def withdraw_pending(rounds) -> None:
    """The squad leader took the case back (return_review): its open round ends as withdrawn."""
    for row in rounds:
        if row.status == lr.ReviewStatus.PENDING:
            row.status = str(lr.ReviewStatus.WITHDRAWN)
