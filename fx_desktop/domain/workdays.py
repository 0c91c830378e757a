"""Working days under the official holiday calendar (DOMAIN.md section 8).

The State Council publishes each year's arrangement in November, including make-up working
days (调休上班) on weekends. The calendar is data an administrator updates; for a year it
does not cover, plain Monday-Friday is assumed and results are marked ``provisional``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from .errors import DomainError

_FIELD = "holidays"
_WEEKDAYS = "一二三四五六日"
_KEYS = ("notice", "holidays", "workdays")


@dataclass(frozen=True)
class WorkdayResult:
    date: dt.date
    provisional: bool  # some day counted fell in a year the calendar does not cover


@dataclass
class HolidayCalendar:
    """Official off days and make-up working days, per year.

    Built from ``{year: {"holidays": [iso dates], "workdays": [iso dates], "notice": str}}``
    ("notice", naming the State Council notice, is optional). ``years`` is normalised to
    int keys and sorted ISO strings; treat an instance as read-only and build a new one to
    change it.
    """

    years: dict[int, dict[str, Any]] = field(default_factory=dict)
    _holidays: frozenset[dt.date] = field(init=False, repr=False, compare=False)
    _workdays: frozenset[dt.date] = field(init=False, repr=False, compare=False)
    # sorted, for counting by bisection: holidays that fall on a weekday, make-up working days (weekends)
    _off_weekdays: tuple[dt.date, ...] = field(init=False, repr=False, compare=False)
    _on_weekends: tuple[dt.date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        years: dict[int, dict[str, Any]] = {}
        holidays: set[dt.date] = set()
        workdays: set[dt.date] = set()
        for raw_year, entry in dict(self.years).items():
            year = _parse_year(raw_year)
            if not isinstance(entry, Mapping):
                raise DomainError(
                    f"{year} 年的节假日安排格式不正确，应包含放假日（holidays）和调休上班日（workdays）两个列表。",
                    field=_FIELD,
                )
            unknown = [k for k in entry if k not in _KEYS]
            if unknown:
                raise DomainError(
                    f"{year} 年的节假日安排中有无法识别的项目“{unknown[0]}”，"
                    "只能填写 notice、holidays、workdays。",
                    field=_FIELD,
                )
            off = _parse_dates(year, entry.get("holidays", ()))
            on = _parse_dates(year, entry.get("workdays", ()))
            if clash := sorted(off & on):
                raise DomainError(
                    f"{clash[0].isoformat()} 不能既是放假日又是调休上班日，请删去其中一处。",
                    field=_FIELD,
                )
            for d in sorted(on):
                if d.weekday() < 5:
                    raise DomainError(
                        f"调休上班日 {d.isoformat()} 是星期{_WEEKDAYS[d.weekday()]}，"
                        "调休上班日只会是周六或周日，请核对日期。",
                        field=_FIELD,
                    )
            normalised: dict[str, Any] = {}
            if entry.get("notice"):
                normalised["notice"] = str(entry["notice"])
            normalised["holidays"] = [d.isoformat() for d in sorted(off)]
            normalised["workdays"] = [d.isoformat() for d in sorted(on)]
            years[year] = normalised
            holidays |= off
            workdays |= on
        self.years = dict(sorted(years.items()))
        self._holidays = frozenset(holidays)
        self._workdays = frozenset(workdays)
        self._off_weekdays = tuple(sorted(d for d in holidays if d.weekday() < 5))
        self._on_weekends = tuple(sorted(workdays))

    # --- persistence --------------------------------------------------------------------

    @classmethod
    def from_json(cls, text: str) -> HolidayCalendar:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DomainError(
                f"节假日表不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列），请检查文件内容。",
                field=_FIELD,
            ) from None
        if not isinstance(data, dict):
            raise DomainError("节假日表应按年份列出，例如 {\"2026\": {...}}。", field=_FIELD)
        return cls(data)

    def to_json(self) -> str:
        data = {str(year): entry for year, entry in self.years.items()}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def load_official(cls) -> HolidayCalendar:
        """The calendar shipped with the application (``data/holidays.json``)."""
        text = resources.files(__package__).joinpath("data/holidays.json").read_text("utf-8")
        return cls.from_json(text)

    # --- queries ------------------------------------------------------------------------

    def covers(self, year: int) -> bool:
        return year in self.years

    def is_working_day(self, d: dt.date) -> bool:
        if d in self._workdays:
            return True
        return d not in self._holidays and d.weekday() < 5

    def first_working_day_from(self, d: dt.date) -> dt.date:
        """``d`` itself if it is a working day, else the next working day."""
        while not self.is_working_day(d):
            d += dt.timedelta(days=1)
        return d

    def add_working_days(self, start: dt.date, n: int) -> WorkdayResult:
        """The ``n``-th working day after ``start`` (``start`` itself is not counted)."""
        if n < 0:
            raise DomainError("工作日天数不能为负数。", field="days")
        d, provisional = start, False
        while n:
            d += dt.timedelta(days=1)
            provisional |= not self.covers(d.year)
            if self.is_working_day(d):
                n -= 1
        return WorkdayResult(d, provisional)

    def working_days_before(self, day: dt.date, n: int) -> dt.date:
        """The working day ``n`` working days before ``day`` (0: ``day`` itself, or the last working day before it
        when it is not one): when a clock that is ``n`` working days old started."""
        d = day
        while not self.is_working_day(d):
            d -= dt.timedelta(days=1)
        for _ in range(n):
            d -= dt.timedelta(days=1)
            while not self.is_working_day(d):
                d -= dt.timedelta(days=1)
        return d

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days after ``a`` up to and including ``b``; negative if ``b < a``."""
        if b < a:
            return -self.working_days_between(b, a)
        span = (b - a).days
        weeks, rest = divmod(span, 7)
        weekdays = 5 * weeks + sum((a + dt.timedelta(days=weeks * 7 + i)).weekday() < 5 for i in range(1, rest + 1))
        # counted arithmetically (a clock overdue for years is as quick as one due tomorrow): a holiday on a
        # weekday is off, a make-up day (always a weekend) is on; no day is both
        return (weekdays - _within(self._off_weekdays, a, b) + _within(self._on_weekends, a, b))


def _within(days: tuple[dt.date, ...], a: dt.date, b: dt.date) -> int:
    """How many of the sorted `days` fall after `a` up to and including `b`."""
    return bisect.bisect_right(days, b) - bisect.bisect_right(days, a)


def _parse_year(raw: object) -> int:
    try:
        year = int(str(raw))
    except ValueError:
        year = 0
    if not 1900 <= year <= 9999:
        raise DomainError(f"年份“{raw}”无效，应为四位数字，例如 2026。", field=_FIELD)
    return year


def _parse_dates(year: int, values: Iterable[object]) -> set[dt.date]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise DomainError(f"{year} 年的日期应写成列表，例如 [\"{year}-10-01\"]。", field=_FIELD)
    out: set[dt.date] = set()
    for v in values:
        try:
            d = v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))
        except ValueError:
            raise DomainError(
                f"{year} 年节假日表中的日期“{v}”无效，应写成 {year}-10-01 这样的格式。", field=_FIELD
            ) from None
        if d.year != year:
            raise DomainError(f"日期 {d.isoformat()} 不在 {year} 年内，请放到对应年份下。",
                              field=_FIELD)
        out.add(d)
    return out
