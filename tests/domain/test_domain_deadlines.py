from datetime import date

import pytest

from fx_desktop.domain.deadlines import (
    days_remaining,
    decision_deadline,
    hearing_request_deadline,
    is_overdue,
    service_deadline,
)
from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.workdays import HolidayCalendar

CAL = HolidayCalendar.load_official()


def test_decision_deadline_is_90_days_after_filing():
    assert decision_deadline(date(2025, 3, 1)) == date(2025, 5, 30)
    assert decision_deadline(date(2025, 3, 1), calendar=CAL) == date(2025, 5, 30)


def test_decision_deadline_last_day_in_holiday_moves_to_next_working_day():
    # 2025-07-03 + 90 = 2025-10-01, inside the National Day holiday (10-1..10-8).
    assert decision_deadline(date(2025, 7, 3), calendar=CAL) == date(2025, 10, 9)
    assert decision_deadline(date(2025, 7, 3)) == date(2025, 10, 1)  # no calendar known


def test_decision_deadline_on_weekend_and_make_up_day():
    # + 90 = 2025-06-01, a Sunday; 6-2 is the Dragon Boat holiday.
    assert decision_deadline(date(2025, 3, 3)) == date(2025, 6, 2)
    assert decision_deadline(date(2025, 3, 3), calendar=CAL) == date(2025, 6, 3)
    # + 90 = 2025-10-11, a Saturday worked as a make-up day: stays.
    assert decision_deadline(date(2025, 7, 13), calendar=CAL) == date(2025, 10, 11)
    assert decision_deadline(date(2025, 7, 13)) == date(2025, 10, 13)


def test_decision_deadline_extension():
    # 90 + 30 days -> 2025-06-29, a Sunday.
    assert decision_deadline(date(2025, 3, 1), 30, calendar=CAL) == date(2025, 6, 30)
    with pytest.raises(DomainError, match="延长天数不能为负数"):
        decision_deadline(date(2025, 3, 1), -1)


def test_service_deadline_counts_working_days():
    # 9-28 Sun make-up (1), 9-29 (2), 9-30 (3), 10-1..10-8 off, 10-9 (4), 10-10 (5),
    # 10-11 Sat make-up (6), 10-13 Mon (7).
    assert service_deadline(date(2025, 9, 26), calendar=CAL) == date(2025, 10, 13)
    assert service_deadline(date(2025, 9, 26)) == date(2025, 10, 7)


def test_hearing_request_deadline_counts_working_days():
    # 2-13 Fri (1), 2-14 Sat make-up (2), 2-15..2-23 off, 2-24 (3), 2-25 (4), 2-26 (5).
    assert hearing_request_deadline(date(2026, 2, 12), calendar=CAL) == date(2026, 2, 26)
    assert hearing_request_deadline(date(2026, 3, 2)) == date(2026, 3, 9)


def test_days_remaining_and_overdue():
    deadline = date(2025, 5, 30)
    assert days_remaining(deadline, date(2025, 5, 27)) == 3
    assert days_remaining(deadline, deadline) == 0
    assert days_remaining(deadline, date(2025, 6, 2)) == -3
    assert not is_overdue(deadline, deadline)
    assert is_overdue(deadline, date(2025, 5, 31))
