"""Documents printed before the server gave their official number. A device that syncs numbers cases and opinions
provisionally (临时编号…) until the next sync brings the official number; a form printed in between must not look
final: every page carries a 草稿 watermark and a banner above the text, the number reads 待分配（临时编号…）, the
footer says 草稿 next to the verification code, and the preview and `fx-desktop print` say why."""
from __future__ import annotations

from typing import Iterable

from ..domain.docnumbers import is_provisional

WATERMARK = "草稿"
WATERMARK_NOTE = "编号为临时编号，待同步后确定"
BANNER = "草稿 — 编号为临时编号，正式编号待同步后确定，不作正式文书使用"
FOOTER_MARK = "草稿"
NOTICE = "本文书编号为临时编号，服务器分配正式编号前打印的文书标注为草稿。同步后重新打印即为正式文书。"


def is_draft(numbers: Iterable[str | None]) -> bool:
    """Whether any of the numbers a document prints is still provisional."""
    return any(is_provisional(n) for n in numbers)


def shown(number: str | None) -> str | None:
    """The number as printed: a provisional one says the official number is still to come."""
    return f"待分配（{number.strip()}）" if is_provisional(number) else number
