"""Statutory deadlines of the penalty procedure (行政处罚法 2021).

All periods start the day after the triggering event (民法典 art. 201: 开始的当日不计入).

* Decision: 90 calendar days from filing (art. 60), plus any approved extension. If the
  last day is a rest day (statutory holiday or weekend not worked), the deadline moves to
  the next working day (民法典 art. 203).
* Service of the decision (7 days, art. 61) and a hearing request (5 days, art. 64) are
  counted in working days: art. 85 says the law's "二日、三日、五日、七日" mean working days
  excluding statutory holidays.

``calendar=None`` means no holiday calendar is known: only weekends are rest days. Pass the
administrator-maintained calendar (newer than the bundled one) in real use. When
``calendar.covers(deadline.year)`` is false the result is provisional.
"""

from __future__ import annotations

from datetime import date, timedelta

from .errors import DomainError
from .workdays import HolidayCalendar

DECISION_DAYS = 90
SERVICE_WORKING_DAYS = 7
HEARING_REQUEST_WORKING_DAYS = 5

_NO_CALENDAR = HolidayCalendar()


def _cal(calendar: HolidayCalendar | None) -> HolidayCalendar:
    return _NO_CALENDAR if calendar is None else calendar


def decision_deadline(filed_on: date, extended_days: int = 0, *,
                      calendar: HolidayCalendar | None = None) -> date:
    """Last day to make the decision: 90 days after filing plus an approved extension."""
    if extended_days < 0:
        raise DomainError("延长天数不能为负数。", field="extended_days")
    last = filed_on + timedelta(days=DECISION_DAYS + extended_days)
    return _cal(calendar).first_working_day_from(last)


def service_deadline(decided_on: date, *, calendar: HolidayCalendar | None = None) -> date:
    """Last day to serve the decision: 7 working days after it was made."""
    return _cal(calendar).add_working_days(decided_on, SERVICE_WORKING_DAYS).date


def hearing_request_deadline(notified_on: date, *,
                             calendar: HolidayCalendar | None = None) -> date:
    """Last day for the party to ask for a hearing: 5 working days after notification."""
    return _cal(calendar).add_working_days(notified_on, HEARING_REQUEST_WORKING_DAYS).date


def days_remaining(deadline: date, today: date) -> int:
    """Calendar days left until ``deadline``: 0 on the day itself, negative once overdue."""
    return (deadline - today).days


def is_overdue(deadline: date, today: date) -> bool:
    """True from the day after ``deadline`` (the last day itself is still in time)."""
    return today > deadline
