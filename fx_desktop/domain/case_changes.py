"""What a change makes of a case, as plain data: the same functions run in the client's services, in fx-bureau's
handlers and in the client's rebase of pending changes over a pulled case, so the three cannot drift apart.

A case's fields here are its JSON values as a mutation carries them (officers as [[姓名, 执法证号], ...] under
"officers"); a status change's effects are column values."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .case_fields import DECISION_FIELDS
from .deadlines import decision_deadline
from .lifecycle import CaseStatus
from .workdays import HolidayCalendar


def reopens_review(changed) -> bool:
    """Whether changing the fields `changed` takes a passed legal review back (the case must be resubmitted)."""
    return bool(DECISION_FIELDS & set(changed))


def review_passed_after(review_passed: bool, changed) -> bool:
    """The case's review pass once the fields `changed` have changed: the reviewer agreed to something else."""
    return bool(review_passed) and not reopens_review(changed)


@dataclass(frozen=True)
class FieldChange:
    values: dict  # every field after the change, officers included
    changed: frozenset[str]  # the fields whose value is now different
    review_passed: bool


def change_fields(current: dict, changes: dict, *, review_passed: bool) -> FieldChange:
    """`changes` (field -> new value) laid over the case's `current` fields: update_case's merged fields, a
    resolved conflict's chosen value, a pending edit replayed over a pulled case."""
    values = dict(current)
    values.update(changes)
    changed = frozenset(k for k in changes if current.get(k) != values[k])
    return FieldChange(values, changed, review_passed_after(review_passed, changed))


def status_effects(action: str, target: CaseStatus, day: date, calendar: HolidayCalendar | None) -> dict:
    """The case's columns after the workflow step `action` led to `target` on `day`: filing starts the decision
    clock (90 days, `calendar`'s rest days), deciding dates the decision."""
    effects: dict = {"status": str(target)}
    if target == CaseStatus.FILED:
        effects.update(filed_on=day, decision_due=decision_deadline(day, calendar=calendar))
    if target == CaseStatus.DECIDED:
        effects["decided_on"] = day
    return effects


def withdraws_review(action: str) -> bool:
    """return_review by the squad leader takes the case back from the reviewer: its open round ends withdrawn."""
    return action == "return_review"
