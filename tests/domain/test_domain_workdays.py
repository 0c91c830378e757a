from datetime import date, timedelta
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.workdays import HolidayCalendar, WorkdayResult

OFFICIAL = HolidayCalendar.load_official()


def span(a: date, b: date) -> set[date]:
    return {a + timedelta(days=i) for i in range((b - a).days + 1)}


def off_days(cal: HolidayCalendar, year: int) -> set[date]:
    return {date.fromisoformat(s) for s in cal.years[year]["holidays"]}


def test_official_calendar_coverage():
    assert OFFICIAL.covers(2025) and OFFICIAL.covers(2026)
    assert not OFFICIAL.covers(2024) and not OFFICIAL.covers(2027)


def test_official_2025_matches_notice():
    expected = (
        {date(2025, 1, 1)}
        | span(date(2025, 1, 28), date(2025, 2, 4))
        | span(date(2025, 4, 4), date(2025, 4, 6))
        | span(date(2025, 5, 1), date(2025, 5, 5))
        | span(date(2025, 5, 31), date(2025, 6, 2))
        | span(date(2025, 10, 1), date(2025, 10, 8))
    )
    assert off_days(OFFICIAL, 2025) == expected
    assert OFFICIAL.years[2025]["workdays"] == [
        "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
    ]


def test_official_2026_matches_notice():
    expected = (
        span(date(2026, 1, 1), date(2026, 1, 3))
        | span(date(2026, 2, 15), date(2026, 2, 23))
        | span(date(2026, 4, 4), date(2026, 4, 6))
        | span(date(2026, 5, 1), date(2026, 5, 5))
        | span(date(2026, 6, 19), date(2026, 6, 21))
        | span(date(2026, 9, 25), date(2026, 9, 27))
        | span(date(2026, 10, 1), date(2026, 10, 7))
    )
    assert off_days(OFFICIAL, 2026) == expected
    assert OFFICIAL.years[2026]["workdays"] == [
        "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
    ]


def test_shipped_file_is_canonical():
    text = resources.files("fx_desktop.domain").joinpath("data/holidays.json").read_text("utf-8")
    assert OFFICIAL.to_json() == text


def test_2025_spring_festival():
    for d in span(date(2025, 1, 28), date(2025, 2, 4)):
        assert not OFFICIAL.is_working_day(d), d
    assert OFFICIAL.is_working_day(date(2025, 1, 26))  # Sunday, make-up
    assert OFFICIAL.is_working_day(date(2025, 2, 8))  # Saturday, make-up
    assert OFFICIAL.is_working_day(date(2025, 1, 27))
    assert OFFICIAL.is_working_day(date(2025, 2, 5))
    assert not OFFICIAL.is_working_day(date(2025, 2, 9))  # ordinary Sunday


def test_2026_national_day():
    for d in span(date(2026, 10, 1), date(2026, 10, 7)):
        assert not OFFICIAL.is_working_day(d), d
    assert OFFICIAL.is_working_day(date(2026, 9, 20))  # Sunday, make-up
    assert OFFICIAL.is_working_day(date(2026, 10, 10))  # Saturday, make-up
    assert not OFFICIAL.is_working_day(date(2026, 10, 11))


def test_five_working_days_from_2026_09_30():
    # 10-1..10-7 off; 10-8 Thu (1), 10-9 Fri (2), 10-10 Sat make-up (3), 10-11 Sun off,
    # 10-12 Mon (4), 10-13 Tue (5).
    result = OFFICIAL.add_working_days(date(2026, 9, 30), 5)
    assert result == WorkdayResult(date(2026, 10, 13), False)
    assert OFFICIAL.working_days_between(date(2026, 9, 30), date(2026, 10, 13)) == 5
    assert OFFICIAL.working_days_between(date(2026, 10, 13), date(2026, 9, 30)) == -5


def test_start_day_not_counted():
    assert OFFICIAL.add_working_days(date(2025, 3, 3), 1).date == date(2025, 3, 4)
    assert OFFICIAL.add_working_days(date(2025, 3, 3), 0) == WorkdayResult(date(2025, 3, 3), False)
    assert OFFICIAL.working_days_between(date(2025, 3, 3), date(2025, 3, 3)) == 0


def test_deadline_crossing_into_uncovered_year_is_provisional():
    # 12-29 Tue, 12-30, 12-31, then 2027 (no calendar): 1-1 Fri counts as a weekday, 1-4 Mon.
    result = OFFICIAL.add_working_days(date(2026, 12, 28), 5)
    assert result == WorkdayResult(date(2027, 1, 4), True)


def test_empty_calendar_uses_plain_weekdays():
    cal = HolidayCalendar()
    assert cal.add_working_days(date(2025, 10, 1), 1) == WorkdayResult(date(2025, 10, 2), True)
    assert cal.is_working_day(date(2025, 10, 1)) and not cal.is_working_day(date(2025, 10, 4))


def test_negative_days_rejected():
    with pytest.raises(DomainError, match="不能为负数"):
        OFFICIAL.add_working_days(date(2025, 1, 1), -1)


@given(st.dates(date(2024, 11, 1), date(2027, 3, 1)), st.integers(0, 60))
def test_add_and_between_agree(start, n):
    result = OFFICIAL.add_working_days(start, n)
    assert OFFICIAL.working_days_between(start, result.date) == n
    assert n == 0 or OFFICIAL.is_working_day(result.date)
    days = span(start + timedelta(days=1), result.date) if n else set()
    assert result.provisional == any(not OFFICIAL.covers(d.year) for d in days)


@given(st.dates(date(2023, 6, 1), date(2028, 6, 1)), st.dates(date(2023, 6, 1), date(2028, 6, 1)))
def test_between_counts_as_checking_each_day_would(a, b):
    """working_days_between is counted arithmetically; it equals checking each day after `a` up to `b`."""
    lo, hi = min(a, b), max(a, b)
    each = sum(OFFICIAL.is_working_day(lo + timedelta(days=i)) for i in range(1, (hi - lo).days + 1))
    assert OFFICIAL.working_days_between(a, b) == (each if b >= a else -each)


def test_mapping_with_int_keys_and_dates_round_trips():
    cal = HolidayCalendar({2030: {"holidays": [date(2030, 1, 1)], "workdays": ["2030-01-05"]}})
    assert cal.years == {2030: {"holidays": ["2030-01-01"], "workdays": ["2030-01-05"]}}
    assert HolidayCalendar.from_json(cal.to_json()) == cal
    assert HolidayCalendar.from_json(OFFICIAL.to_json()) == OFFICIAL


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{", "不是有效的 JSON"),
        ("[]", "应按年份列出"),
        ('{"二〇二五": {}}', "年份“二〇二五”无效"),
        ('{"2025": []}', "格式不正确"),
        ('{"2025": {"holiday": []}}', "无法识别的项目“holiday”"),
        ('{"2025": {"holidays": "2025-01-01"}}', "应写成列表"),
        ('{"2025": {"holidays": ["2025-13-01"]}}', "日期“2025-13-01”无效"),
        ('{"2025": {"holidays": ["2024-12-31"]}}', "日期 2024-12-31 不在 2025 年内"),
        ('{"2025": {"holidays": ["2025-01-26"], "workdays": ["2025-01-26"]}}',
         "2025-01-26 不能既是放假日又是调休上班日"),
        ('{"2025": {"workdays": ["2025-01-27"]}}', "调休上班日 2025-01-27 是星期一"),
    ],
)
def test_bad_calendar_data(text, expected):
    with pytest.raises(DomainError) as exc:
        HolidayCalendar.from_json(text)
    assert expected in exc.value.message
    assert exc.value.field == "holidays"


def test_working_days_before_walks_back_over_holidays():
    assert OFFICIAL.working_days_before(date(2026, 10, 9), 0) == date(2026, 10, 9)  # a Friday: itself
    assert OFFICIAL.working_days_before(date(2026, 10, 4), 0) == date(2026, 9, 30)  # in the holiday: the last day before
    assert OFFICIAL.working_days_before(date(2026, 10, 9), 2) == date(2026, 9, 30)  # Thu 10-08, then back over 10-01..07
    assert OFFICIAL.working_days_before(date(2026, 9, 21), 1) == date(2026, 9, 20)  # Sunday 9-20 is a make-up day


@given(st.dates(date(2025, 1, 1), date(2026, 12, 20)), st.integers(0, 40))
def test_working_days_before_undoes_adding_them(day, n):
    start = OFFICIAL.working_days_before(day, n)
    assert OFFICIAL.is_working_day(start)
    assert OFFICIAL.add_working_days(start, n).date == OFFICIAL.working_days_before(day, 0)
