"""Every icon of the desk, by what it stands for, drawn from the Material Design icon font that qtawesome ships
(no image files to keep). Views ask `icon("save")`; changing a picture is a change of one name here.

The glyphs are drawn by a small QIconEngine of our own from qtawesome's font file, not through qtawesome itself:
importing qtawesome (and qtpy) and registering all of its nine fonts cost about 110 ms of every start. Here an
icon costs nothing until it is first painted; then the one font is registered (a few ms) and its glyph drawn."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon, QIconEngine, QPainter, QPixmap

from .style import PRIMARY

INK = "#37474f"  # the icons' default colour: dark grey-blue, readable on the light toolbar and sidebar
DISABLED = "#a0a6ad"
FONT_PREFIX = "materialdesignicons6-webfont-"  # the "mdi6." names below; the version in the file name varies

NAMES: dict[str, str] = {
    # actions
    "new_case": "mdi6.file-document-plus-outline",
    "save": "mdi6.content-save-outline",
    "find": "mdi6.magnify",
    "refresh": "mdi6.refresh",
    "sync_now": "mdi6.cloud-sync-outline",
    "settings": "mdi6.cog-outline",
    "quit": "mdi6.exit-to-app",
    "print": "mdi6.printer-outline",
    "open": "mdi6.open-in-new",
    "add_evidence": "mdi6.paperclip",
    "submit_review": "mdi6.send-check-outline",
    "review": "mdi6.gavel",
    "extend": "mdi6.calendar-clock",
    "backup": "mdi6.backup-restore",
    "verify": "mdi6.shield-check-outline",
    "open_case": "mdi6.folder-open-outline",
    "guide": "mdi6.book-open-variant",
    "about": "mdi6.information-outline",
    "toolbar": "mdi6.dock-top",
    "back": "mdi6.arrow-left",
    "columns": "mdi6.table-column",
    # sections
    "workbench": "mdi6.view-dashboard-outline",
    "case_register": "mdi6.folder-text-outline",
    "legal_review": "mdi6.scale-balance",
    "referrals": "mdi6.send-outline",
    "referrals_received": "mdi6.inbox-arrow-down-outline",
    "police_requests": "mdi6.police-badge-outline",
    "criminal_referrals": "mdi6.handcuffs",
    "meetings": "mdi6.account-group-outline",
    "consultation": "mdi6.format-list-checks",
    "supervision": "mdi6.clipboard-clock-outline",
    "roster": "mdi6.card-account-details-outline",
    "data": "mdi6.database-outline",
    "sync": "mdi6.sync",
    # sync states (views/sync_indicator.py colours them)
    "sync_synced": "mdi6.cloud-check-outline",
    "sync_syncing": "mdi6.cloud-sync-outline",
    "sync_idle": "mdi6.cloud-outline",
    "sync_offline": "mdi6.cloud-off-outline",
    "sync_error": "mdi6.cloud-alert-outline",
    "sync_conflicts": "mdi6.cloud-question-outline",
    "sync_login": "mdi6.account-key-outline",
    "sync_local": "mdi6.laptop",
}


def _fonts_dir() -> Path:
    spec = find_spec("qtawesome")  # its location only: the package itself is not imported
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("qtawesome is not installed: its icon font is needed")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


@lru_cache(maxsize=None)
def _font_files() -> tuple[Path, Path]:
    """The MDI 6 font and its charmap that qtawesome ships, the newest version if it ships several (qtawesome
    names the files by the font's version, which changes with its releases)."""
    def version(path: Path) -> tuple[int, ...]:
        text = path.stem[len(FONT_PREFIX):]
        return tuple(int(p) for p in text.split(".") if p.isdigit())

    fonts = sorted(_fonts_dir().glob(f"{FONT_PREFIX}[0-9]*.ttf"), key=version)
    if not fonts:
        raise RuntimeError(f"qtawesome ships no {FONT_PREFIX}*.ttf: the icon font is needed")
    font = fonts[-1]
    return font, font.with_name(f"{FONT_PREFIX}charmap-{font.stem[len(FONT_PREFIX):]}.json")


@lru_cache(maxsize=None)
def _font_family() -> str:
    """The icon font registered with the application (on the first icon painted)."""
    font_file = _font_files()[0]
    font_id = QFontDatabase.addApplicationFont(str(font_file))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        raise RuntimeError(f"the icon font {font_file.name} could not be loaded")
    return families[0]


@lru_cache(maxsize=None)
def _charmap() -> dict[str, str]:
    with open(_font_files()[1], encoding="utf-8") as f:
        return {name: chr(int(code, 16)) for name, code in json.load(f).items()}


def glyph(key: str) -> str:
    """The character of `key`'s picture in the icon font."""
    prefix, name = NAMES[key].split(".", 1)
    assert prefix == "mdi6", NAMES[key]
    return _charmap()[name]


class GlyphEngine(QIconEngine):
    """One glyph of the icon font, in `color`; selected items in PRIMARY, disabled ones greyed. Glyph sized as
    qtawesome does (7/8 of the icon's height, for the font's bearing)."""

    def __init__(self, key: str, color: str):
        super().__init__()
        self.key, self.color = key, color

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:  # noqa: N802
        color = {QIcon.Mode.Selected: PRIMARY, QIcon.Mode.Disabled: DISABLED}.get(mode, self.color)
        font = QFont(_font_family())
        font.setPixelSize(max(1, round(0.875 * rect.height())))
        painter.save()
        painter.setPen(QColor(color))
        painter.setFont(font)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), glyph(self.key))
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pm = QPixmap(size)
        pm.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pm)
        self.paint(painter, QRect(0, 0, size.width(), size.height()), mode, state)
        painter.end()
        return pm

    def clone(self) -> QIconEngine:
        return GlyphEngine(self.key, self.color)


@lru_cache(maxsize=None)
def icon(key: str, color: str = INK) -> QIcon:
    """The icon for `key` (one of NAMES), selected items drawn in the primary colour. Nothing is loaded until it
    is first painted."""
    if key not in NAMES:
        raise KeyError(key)
    return QIcon(GlyphEngine(key, color))


__all__ = ["DISABLED", "INK", "NAMES", "PRIMARY", "glyph", "icon"]
