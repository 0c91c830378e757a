"""The one parser for time values from outside: ISO 8601 with or without an offset, nonsense named in Chinese."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.timestamps import BadTime, parse_time


def test_local_times_are_kept_and_offsets_become_local_time():
    assert parse_time("2026-11-29T10:30:00") == datetime(2026, 11, 29, 10, 30)
    assert parse_time("2026-11-29") == datetime(2026, 11, 29)
    shanghai = datetime(2026, 11, 29, 10, 30, tzinfo=timezone(timedelta(hours=8)))
    expected = shanghai.astimezone().replace(tzinfo=None)
    assert parse_time("2026-11-29T10:30:00+08:00") == expected
    assert parse_time("2026-11-29T02:30:00Z") == expected
    assert parse_time(" 2026-11-29T02:30:00.123456+00:00 ") == expected.replace(microsecond=123456)
    assert parse_time("2026-11-29T10:30:00+08:00").tzinfo is None


@pytest.mark.parametrize("raw, words", [
    ("yesterday", "“yesterday”不是有效的 ISO 8601 时间"),
    ("2026-02-30T00:00:00", "不是有效的 ISO 8601 时间"),
    ("0001-01-01T00:00:00+14:00", "不是有效的 ISO 8601 时间"),  # before year 1 in local time: an overflow
    ("9999-12-31T23:59:59-14:00", "不是有效的 ISO 8601 时间"),
    ("\ud800x\x00", "“?x”不是有效的 ISO 8601 时间"),  # quoted without what no answer can carry
    ("", "收到的是空文本"), ("  ", "收到的是空文本"), (None, "收到的是空值"), (1732870000, "收到的是整数"), ({"t": 1}, "收到的是对象"),
])
def test_nonsense_is_refused_with_a_chinese_reason_naming_the_value(raw, words):
    with pytest.raises(BadTime) as err:
        parse_time(raw, "变更时间")
    assert isinstance(err.value, DomainError)
    assert err.value.message.startswith("变更时间") and words in err.value.message


@given(st.text(max_size=40) | st.datetimes(timezones=st.none() | st.just(timezone(timedelta(hours=-12))))
       .map(datetime.isoformat))
def test_any_text_is_a_naive_time_or_bad_time(raw):
    try:
        at = parse_time(raw)
    except BadTime as exc:
        assert exc.message
    else:
        assert isinstance(at, datetime) and at.tzinfo is None
