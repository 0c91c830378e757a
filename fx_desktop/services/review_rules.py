"""The legal-review rules as the store holds them (what a review does to a case is domain.review_effects)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..domain import legal_review as lr
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

