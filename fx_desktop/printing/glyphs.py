"""Glyph check: every string a form will print is looked up in its font's cmap before the PDF is built, so a
character the font lacks stops the build with a message naming it, instead of printing an empty box."""
from __future__ import annotations

from typing import Iterable

from fx_desktop.domain.errors import DomainError

from .fonts import Face

_IGNORED = frozenset("\n\r\t")  # turned into line breaks / spaces before drawing


class MissingGlyphs(DomainError):
    """`missing`: (field label, characters) in the order met; `field` is the first field at fault."""

    def __init__(self, missing: list[tuple[str, str]], font_names: list[str]) -> None:
        parts = []
        for label, chars in missing:
            shown = "、".join(f"“{c}”(U+{ord(c):04X})" for c in chars)
            parts.append(f"{label}：{shown}")
        message = (f"以下字符在打印字体（{'、'.join(font_names)}）中没有字形，打印出来会是空框，已停止生成："
                   f"{'；'.join(parts)}。请修改这些内容（例如改用常用字），或通过环境变量 FX_PRINT_FONT "
                   "指定一个包含这些字符的 TrueType 字体。")
        super().__init__(message, field=missing[0][0] if missing else None)
        self.missing = missing


def check_glyphs(texts: Iterable[tuple[str, str, Face]]) -> None:
    """`texts`: (field label, text, face that will draw it). Raises MissingGlyphs listing every uncovered
    character once per field."""
    missing: dict[str, dict[str, None]] = {}
    fonts: dict[str, None] = {}
    for label, text, face in texts:
        covered = face.covered
        bad = [ch for ch in dict.fromkeys(text) if ord(ch) not in covered and ch not in _IGNORED]
        if bad:
            missing.setdefault(label, {}).update(dict.fromkeys(bad))
            fonts[face.family] = None
    if missing:
        raise MissingGlyphs([(label, "".join(chars)) for label, chars in missing.items()], list(fonts))
