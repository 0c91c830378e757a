"""CJK fonts for printing: found and registered with reportlab once per process, always embedded (TrueType subsets).

Four roles (GB/T 9704): body 仿宋, title 小标宋, heading 黑体, kai 楷体. A configured font (argument or
FX_PRINT_FONT; "path.ttc#2" picks a subfont) serves every role: the user asked for it, and an unusable one is an
error, not a silent fallback. Otherwise each role takes the first usable file among the official fonts installed on
Windows or Linux, then the free TrueType fonts AR PL UMing and WenQuanYi Zen Hei; a role with none of its own
borrows the body font. reportlab cannot embed CFF-outline fonts (.otf, Noto CJK .ttc): those files are skipped.
Nothing is read or registered at import time; `load_fonts` caches its answer (parsing a CJK font costs ~50 ms).
"""
from __future__ import annotations

import hashlib
import os
import struct
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fx_desktop.domain.errors import DomainError

ENV_VAR = "FX_PRINT_FONT"
ROLES = ("body", "title", "heading", "kai")

# (file name, subfont: index or PostScript name) per role, best first; names are matched case-insensitively.
_SIMSUN = ("simsun.ttc", 0)
_UMING = ("uming.ttc", "UMingCN")  # the simplified-Chinese face of AR PL UMing
_WQY = ("wqy-zenhei.ttc", 0)
_OFFICIAL = {
    "body": [("仿宋_gb2312.ttf", 0), ("fangsong_gb2312.ttf", 0), ("simfang.ttf", 0), _SIMSUN],
    "title": [("方正小标宋简体.ttf", 0), ("fzxbsjw.ttf", 0), ("fzxbsjw--gb1-0.ttf", 0), ("方正小标宋_gbk.ttf", 0),
              _SIMSUN],
    "heading": [("simhei.ttf", 0), ("黑体.ttf", 0)],
    "kai": [("楷体_gb2312.ttf", 0), ("kaiti_gb2312.ttf", 0), ("simkai.ttf", 0)],
}
_FREE = {"body": [_UMING, _WQY], "title": [_UMING, _WQY], "heading": [_WQY, _UMING], "kai": [_UMING, _WQY]}

INSTALL_HINT = ("未找到可用于打印的中文字体。请安装仿宋_GB2312/方正小标宋简体（Windows 或 Linux 字体目录），"
                "或在 Debian/Ubuntu 上执行 sudo apt install fonts-arphic-uming fonts-wqy-zenhei，"
                f"或通过环境变量 {ENV_VAR} 指定一个 TrueType 字体文件。")


class FontMissing(DomainError):
    """No usable CJK font, or the configured one cannot be used; the message says what to install or change."""

    def __init__(self, message: str = INSTALL_HINT) -> None:
        super().__init__(message, field=ENV_VAR)


@dataclass(frozen=True)
class Face:
    """One registered font: `name` is what reportlab styles use; `covered` the code points its cmap maps."""

    name: str
    path: str
    subfont: int | str
    family: str
    covered: frozenset[int]

    def covers(self, char: str) -> bool:
        return ord(char) in self.covered


@dataclass(frozen=True)
class FontSet:
    body: Face
    title: Face
    heading: Face
    kai: Face

    def role(self, role: str) -> Face:
        return getattr(self, role)

    def faces(self) -> list[Face]:
        return list(dict.fromkeys(self.role(r) for r in ROLES))


def default_search_dirs() -> tuple[str, ...]:
    """Where installed fonts live on Windows (system and per-user), Linux and macOS; searched recursively."""
    home = Path.home()
    if sys.platform == "win32":
        dirs = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
        if os.environ.get("LOCALAPPDATA"):
            dirs.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs = [Path("/Library/Fonts"), Path("/System/Library/Fonts"), home / "Library" / "Fonts"]
    else:
        dirs = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".local/share/fonts", home / ".fonts"]
    return tuple(str(d) for d in dirs)


_office_font: str | None = None  # the font chosen in the settings dialog (store.settings.PRINT_FONT)


def set_office_font(path: str | None) -> None:
    """The font the office chose for printing (settings dialog, kept in the database): used when neither the caller
    nor $FX_PRINT_FONT names one. None or "": the installed official fonts, then the free ones."""
    global _office_font
    _office_font = path or None


def load_fonts(config_path: str | None = None, *, search_dirs=None) -> FontSet:
    """The fonts to print with, registered with reportlab. `config_path` (else $FX_PRINT_FONT, else the office's
    setting) wins; `search_dirs` replaces the system font directories (tests). Raises FontMissing."""
    configured = config_path or os.environ.get(ENV_VAR) or _office_font or None
    dirs = tuple(str(d) for d in search_dirs) if search_dirs is not None else default_search_dirs()
    return _load(configured, dirs)


@lru_cache(maxsize=8)
def _load(configured: str | None, dirs: tuple[str, ...]) -> FontSet:
    if configured:
        path, sep, sub = configured.rpartition("#")
        if not sep or Path(configured).is_file():
            path, sub = configured, ""
        face = _configured_face(path, int(sub) if sub.isdigit() else (sub or 0))
        return FontSet(face, face, face, face)
    index = _index(dirs)
    chosen: dict[str, Face | None] = {}
    for role in ROLES:
        chosen[role] = _first(index, _OFFICIAL[role]) or _first(index, _FREE[role])
    found = [f for f in chosen.values() if f is not None]
    if not found:
        raise FontMissing()
    fallback = chosen["body"] or found[0]
    return FontSet(**{role: face or fallback for role, face in chosen.items()})


def _configured_face(path: str, subfont: int | str) -> Face:
    where = f"打印字体设置（{ENV_VAR}）指定的字体文件“{path}”"
    if not Path(path).is_file():
        raise FontMissing(f"{where}不存在。请检查路径，或删除该设置以使用系统中已安装的中文字体。")
    problem = _unusable(path, subfont)
    if problem is None:
        try:
            return _register(str(Path(path).resolve()), subfont)
        except Exception as exc:  # noqa: BLE001 - reportlab raises plain Exceptions for broken files
            problem = f"无法读取（{exc}）"
    raise FontMissing(f"{where}无法用于打印：{problem}。请改用 TrueType 字体（.ttf 或 TrueType 轮廓的 .ttc），"
                      "例如仿宋_GB2312.ttf、simsun.ttc 或 AR PL UMing。")


def _first(index: dict[str, str], candidates) -> Face | None:
    for file_name, subfont in candidates:
        path = index.get(file_name.casefold())
        if path and _unusable(path, subfont) is None:
            try:
                return _register(path, subfont)
            except Exception:  # noqa: BLE001 - a damaged installed font: try the next one
                continue
    return None


def _index(dirs: tuple[str, ...]) -> dict[str, str]:
    """File name (case-folded) -> first path found, walking each directory recursively in order."""
    found: dict[str, str] = {}
    for top in dirs:
        for root, subdirs, files in os.walk(top):
            subdirs.sort()
            for name in sorted(files):
                found.setdefault(name.casefold(), os.path.join(root, name))
    return found


def _unusable(path: str, subfont: int | str) -> str | None:
    """Why reportlab could not embed this file (CFF outlines, not a font), or None; reads only the headers."""
    try:
        with open(path, "rb") as f:
            head = f.read(12)
            tags = [head[:4]]
            if head[:4] == b"ttcf":
                count = struct.unpack(">I", head[8:12])[0]
                offsets = struct.unpack(f">{count}I", f.read(4 * count))
                tags = []
                for offset in offsets:
                    f.seek(offset)
                    tags.append(f.read(4))
    except (OSError, struct.error) as exc:
        return f"无法读取（{exc}）"
    if isinstance(subfont, int) and subfont >= len(tags):
        return f"字体集合中没有第 {subfont} 个字体"
    if any(t == b"OTTO" for t in tags):
        return "这是 PostScript/CFF 轮廓的 OpenType 字体，无法嵌入 PDF"
    if any(t not in (b"\x00\x01\x00\x00", b"true") for t in tags):
        return "不是 TrueType 字体文件"
    return None


@lru_cache(maxsize=None)
def _register(path: str, subfont: int | str) -> Face:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    digest = hashlib.sha1(f"{path}#{subfont}".encode()).hexdigest()[:8]
    name = f"FX-{Path(path).stem}-{digest}"
    font = TTFont(name, path, subfontIndex=subfont)
    _lean_glyf(font.face)
    pdfmetrics.registerFont(font)
    cmap = font.face.charToGlyph or {}
    covered = frozenset(c for c, g in cmap.items() if g)
    family = font.face.familyName
    family = family.decode("utf-8", "replace") if isinstance(family, bytes) else str(family)
    return Face(name, path, subfont, family, covered)


class _GlyphSlices:
    """The glyf table as a zero-copy view whose slices are bytes (what reportlab's subsetter expects)."""

    def __init__(self, view: memoryview) -> None:
        self._view = view

    def __getitem__(self, index):
        return self._view[index].tobytes()

    def __len__(self) -> int:
        return len(self._view)


def _lean_glyf(face) -> None:
    """reportlab copies the whole glyf table (17 MB for AR PL UMing) each time it embeds a subset of 256 glyphs, a
    third of a one-page form's build time; hand it a view instead."""
    original = face.get_table
    data = memoryview(face._ttf_data)

    def get_table(tag):
        if tag == "glyf":
            pos, length = face.get_table_pos(tag)
            return _GlyphSlices(data[pos:pos + length])
        return original(tag)

    face.get_table = get_table
