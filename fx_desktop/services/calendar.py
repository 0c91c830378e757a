"""The holiday calendar deadlines are computed with: the one the bureau server distributes as reference data
(pulled into the local store) when there is one, else the official calendars shipped with the application."""
from __future__ import annotations

import json
from functools import lru_cache

from sqlalchemy.orm import Session

from ..domain.workdays import HolidayCalendar
from ..store import meta


@lru_cache(maxsize=1)
def official_calendar() -> HolidayCalendar:
    return HolidayCalendar.load_official()


@lru_cache(maxsize=4)
def _from_reference(text: str) -> HolidayCalendar:
    return HolidayCalendar(json.loads(text))


def current_calendar(session: Session) -> HolidayCalendar:
    raw = meta.get(session, "reference")
    holidays = json.loads(raw).get("holidays") if raw else None
    if not holidays:
        return official_calendar()
    return _from_reference(json.dumps(holidays, sort_keys=True))
