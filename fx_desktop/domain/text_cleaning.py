"""One cleaning rule for every name and free text, applied by the client where it is typed or picked and by
fx-bureau to everything it stores, so what reaches another device is what the first one showed.

Free text keeps its words (Chinese untouched, no Unicode normalisation that would swap CJK compatibility
ideographs) and loses what only hides or disguises text: control characters other than newline and tab, bidi
overrides and isolates (which make "exe.jpg" read as "gpj.exe"), zero-width spaces, lone surrogates (which no
database can store). Display names (evidence file names) additionally cannot act as a path on any system, and are
NFC-normalised: a name picked on macOS (decomposed, "e" + U+0301) is then the same as on Windows ("é"). NFC also
maps a CJK compatibility ideograph in a name to its unified form (U+F900 -> U+8C48 豈), which for a file name is
harmless; free text is never normalised."""
from __future__ import annotations

import re
import unicodedata

# Bidi embedding/override/isolate controls and marks, the Arabic letter mark, zero-width space and the BOM.
_INVISIBLE = "\u061c\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_SURROGATES = "\ud800-\udfff"  # in a Python str every surrogate is a lone one (pairs are decoded to one character)
_LONE_SURROGATE = re.compile(f"[{_SURROGATES}]")
# What clean_text drops: control characters (Unicode category Cc) but newline and tab, the invisible ones above,
# lone surrogates. A name drops newline and tab too.
_HIDDEN = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}{_SURROGATES}]")
_HIDDEN_OR_BREAK = re.compile(f"[\x00-\x1f\x7f-\x9f{_INVISIBLE}{_SURROGATES}]")
_LEADING_BLANK_LINES = re.compile(r"\A\s*\n")
_LINE_BREAKS = re.compile(r"\r\n|\r|\u2028|\u2029|\x85|\x0b|\x0c")
_WINDOWS_FORBIDDEN = str.maketrans({c: "_" for c in '<>:"|?*'})
_WINDOWS_DEVICES = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$")
MAX_NAME_BYTES = 240  # file systems allow 255 bytes per name; Chinese takes 3 bytes a character in UTF-8
UNNAMED = "未命名文件"


def has_lone_surrogate(text: str) -> bool:
    """A lone UTF-16 surrogate ("\\ud800") is not UTF-8: no database stores it and no JSON answer can carry it."""
    return bool(_LONE_SURROGATE.search(text))


def without_lone_surrogates(text: str, replacement: str = "") -> str:
    return _LONE_SURROGATE.sub(replacement, text)


def clean_text(text: str, *, multiline: bool = True) -> str:
    """Free text as it is stored: line endings made "\\n", hidden characters dropped, outer blanks trimmed. A
    single-line field (`multiline=False`) turns newlines and tabs into spaces. Multi-line text loses blank lines
    at both ends, trailing blanks and the spaces and tabs before its first line, but keeps an ideographic space
    (U+3000) there: "　　" is the indent of a Chinese paragraph, the first one's as much as the others'."""
    text = _LINE_BREAKS.sub("\n", str(text))
    if not multiline:
        text = text.replace("\n", " ").replace("\t", " ")
        return _HIDDEN_OR_BREAK.sub("", text).strip()
    text = _HIDDEN.sub("", text).rstrip()
    return _LEADING_BLANK_LINES.sub("", text).lstrip(" \t")


def clean_name(name: str) -> str:
    """A display name that cannot act as a path: the last path component only (`../../x` -> `x`, backslashes
    count as separators), no hidden or control characters, no leading dots, none of the characters Windows
    forbids in a file name, no Windows device name, NFC-normalised (see the module's docstring), at most
    MAX_NAME_BYTES in UTF-8 (shortened before the extension), never empty."""
    name = _HIDDEN_OR_BREAK.sub("", str(name))
    name = unicodedata.normalize("NFC", name).replace("\\", "/").split("/")[-1]
    name = _trim(name.translate(_WINDOWS_FORBIDDEN))
    if _WINDOWS_DEVICES.match(name):
        name = f"_{name}"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        stem, dot, ext = name.rpartition(".")
        if not dot or len(ext) > 10:
            stem, ext = name, ""
        room = MAX_NAME_BYTES - len(ext.encode("utf-8")) - (1 if ext else 0)
        stem = stem.encode("utf-8")[:room].decode("utf-8", "ignore")
        name = _trim(f"{stem}.{ext}" if ext else stem)
    return name or UNNAMED


def _trim(name: str) -> str:
    """No blanks around, no leading dot (hidden file, '..'), no trailing dot (Windows drops it)."""
    while (trimmed := name.strip().strip(".")) != name:
        name = trimmed
    return name


def clean_json(value):
    """Every string in a JSON value cleaned as free text (keys too), for values kept as they came, e.g. the sides
    of a sync conflict."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_json(v) for v in value]
    if isinstance(value, dict):
        return {clean_text(str(k)): clean_json(v) for k, v in value.items()}
    return value
