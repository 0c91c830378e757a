"""The UI font: a family that has Chinese glyphs, so text is not drawn through per-character font fallback
(slower, and mixes typefaces within a line). Official Windows fonts first, then free Linux ones."""
from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

PREFERRED = ("Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC",
             "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "AR PL UMing CN", "SimSun")


def apply_cjk_font(app: QApplication) -> str | None:
    """Switch the application font to the first installed family of PREFERRED, keeping its size; the family
    chosen, or None when none is installed (Qt's fallback then still finds glyphs where it can)."""
    installed = set(QFontDatabase.families())
    for family in PREFERRED:
        if family in installed:
            font = QFont(app.font())
            font.setFamilies([family])
            app.setFont(font)
            return family
    return None
