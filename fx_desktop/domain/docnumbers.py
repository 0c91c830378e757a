"""Document-number templates such as ``{机关代字}〔{年}〕{序号}号``.

Placeholders: ``{机关代字}``/``{agency}`` (optional), ``{年}``/``{year}`` and
``{序号}``/``{serial}`` (both required, since serials restart every year), each at most once.
Allocating serials (per year, without gaps, never colliding across devices) is the
store's job, not this module's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import DomainError

_PLACEHOLDERS = {
    "机关代字": "agency", "agency": "agency",
    "年": "year", "year": "year",
    "序号": "serial", "serial": "serial",
}
_CHINESE = {"agency": "{机关代字}", "year": "{年}", "serial": "{序号}"}
_TOKEN = re.compile(r"\{([^{}]*)\}")
# Brackets clerks type instead of the 〔〕 required by GB/T 9704.
_BRACKETS = str.maketrans({"[": "〔", "【": "〔", "［": "〔", "]": "〕", "】": "〕", "］": "〕"})

_FIELD = "pattern"

# A device that syncs numbers its documents 临时编号2026-ab12-0001 (services.numbering), or 临时-1a2b3c4d when a
# local number clashed with one the server gave (sync.apply), until the server's official number arrives.
PROVISIONAL_PREFIX = "临时"


def is_provisional(number: str | None) -> bool:
    """Whether `number` is a provisional document number, not yet replaced by the server's official one."""
    return (number or "").strip().startswith(PROVISIONAL_PREFIX)


@dataclass(frozen=True)
class DocNumberTemplate:
    kind: str  # document kind, e.g. "行政处罚决定书"
    pattern: str
    serial_width: int = 0  # zero-pad the serial to this many digits (0: no padding)
    _parts: tuple[tuple[str, str], ...] = field(init=False, repr=False, compare=False)
    _regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.serial_width < 0:
            raise DomainError("序号位数不能为负数。", field="serial_width")
        parts: list[tuple[str, str]] = []  # ("text", literal) or ("slot", name)
        seen: set[str] = set()
        pos = 0
        for m in _TOKEN.finditer(self.pattern):
            parts.append(("text", self.pattern[pos:m.start()]))
            name = _PLACEHOLDERS.get(m.group(1).strip())
            if name is None:
                raise DomainError(
                    f"文号模板中的占位符“{m.group(0)}”无法识别，可用的占位符有 {{机关代字}}、{{年}}、{{序号}}。",
                    field=_FIELD,
                )
            if name in seen:
                raise DomainError(f"文号模板中 {_CHINESE[name]} 只能出现一次。", field=_FIELD)
            seen.add(name)
            parts.append(("slot", name))
            pos = m.end()
        parts.append(("text", self.pattern[pos:]))
        if any(kind == "text" and ("{" in s or "}" in s) for kind, s in parts):
            raise DomainError("文号模板中的花括号不成对，占位符应写成 {年} 这样的形式。", field=_FIELD)
        for name in ("year", "serial"):
            if name not in seen:
                raise DomainError(f"文号模板必须包含 {_CHINESE[name]}。", field=_FIELD)
        object.__setattr__(self, "_parts", tuple(p for p in parts if p != ("text", "")))
        regex = "".join(self._regex_part(p) for p in self._parts)
        object.__setattr__(self, "_regex", re.compile(regex))

    @staticmethod
    def _regex_part(part: tuple[str, str]) -> str:
        kind, value = part
        if kind == "text":
            return re.escape(value.translate(_BRACKETS))
        return {"agency": r"(?P<agency>.+?)", "year": r"(?P<year>\d{4})",
                "serial": r"(?P<serial>\d+)"}[value]

    @property
    def has_agency(self) -> bool:
        return ("slot", "agency") in self._parts

    def format(self, agency_code: str, year: int, serial: int) -> str:
        """The document number, e.g. ``奉城执〔2025〕第12号``."""
        if serial < 1:
            raise DomainError(f"文号序号应从 1 开始，不能是 {serial}。", field="serial")
        if not 1000 <= year <= 9999:
            raise DomainError(f"文号中的年份应为四位数字，不能是 {year}。", field="year")
        agency_code = (agency_code or "").strip()
        if self.has_agency and not agency_code:
            raise DomainError("请填写机关代字，例如“奉城执”。", field="agency_code")
        values = {"agency": agency_code, "year": str(year),
                  "serial": str(serial).zfill(self.serial_width)}
        text = "".join(values[v] if k == "slot" else v for k, v in self._parts)
        if self.has_agency and self.parse(text) != (agency_code, year, serial):
            raise DomainError(
                f"机关代字“{agency_code}”与文号模板“{self.pattern}”冲突，生成的文号无法被正确识别，"
                "请去掉其中的数字或括号。",
                field="agency_code",
            )
        return text

    def parse(self, text: str) -> tuple[str, int, int] | None:
        """``(agency_code, year, serial)`` if ``text`` matches, else ``None``.

        Agency code is ``""`` when the pattern has no ``{机关代字}``. Surrounding spaces,
        ``[]``/``【】`` instead of ``〔〕`` and serials without zero padding are accepted.
        """
        m = self._regex.fullmatch((text or "").strip().translate(_BRACKETS))
        if m is None:
            return None
        serial = int(m.group("serial"))
        if serial < 1:
            return None
        agency = m.group("agency") if self.has_agency else ""
        return agency, int(m.group("year")), serial
