"""The holiday calendar deadlines are computed with. The official calendars ship with the application; the bureau
server will distribute newer ones as reference data (sync issue), which then take precedence."""
from __future__ import annotations

from functools import lru_cache

from ..domain.workdays import HolidayCalendar


@lru_cache(maxsize=1)
def official_calendar() -> HolidayCalendar:
    return HolidayCalendar.load_official()
