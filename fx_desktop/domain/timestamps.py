"""Reading a time value that came from outside (a pushed mutation, a request, a pulled row), in one place.

Times are kept as naive local datetimes on both sides. ISO 8601 with or without a UTC offset is accepted; an
offset is converted to this machine's local time. Anything else raises BadTime with a Chinese message that names
the value, never a crash further down (an overflow, an aware datetime compared with a naive one)."""
from __future__ import annotations

from datetime import datetime

from .errors import DomainError, kind_of
from .text_cleaning import clean_text, without_lone_surrogates

EXAMPLE = "2026-11-29T10:30:00+08:00"


class BadTime(DomainError):
    """Not an ISO 8601 time, or one that cannot be placed on this machine's calendar."""


def parse_time(raw: object, what: str = "时间") -> datetime:
    """`raw` as a naive local datetime. `what` names the value in the message (e.g. "变更时间").

    A time with an offset is converted to this machine's local zone; a naive time is taken as given, i.e. in the
    sender's local zone. On fx-bureau these agree only because the clients and the server all run in China Standard
    Time (UTC+8), as they do in practice; a sender in another zone must send an offset."""
    if not isinstance(raw, str) or not raw.strip():
        raise BadTime(f"{what}应为 ISO 8601 格式的文本（如 {EXAMPLE}），收到的是{kind_of(raw.strip() if isinstance(raw, str) else raw)}。")
    try:
        at = datetime.fromisoformat(raw.strip())
        if at.tzinfo is not None:
            at = at.astimezone().replace(tzinfo=None)  # near year 1 or 9999 this overflows: OverflowError
    except (ValueError, OverflowError, OSError):
        shown = clean_text(without_lone_surrogates(raw[:40], "?"), multiline=False)  # quotable in any answer
        raise BadTime(f"{what}“{shown}”不是有效的 ISO 8601 时间（如 {EXAMPLE}）。") from None
    return at

