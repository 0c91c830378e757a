"""Screenshots a GUI test takes to be looked at (1366×728 and 1920×1080), into FX_SHOTS or a folder of its own."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from PySide6.QtWidgets import QApplication

SIZES = ((1366, 728), (1920, 1080))


def shots_folder(default: str) -> Path:
    return Path(os.environ.get("FX_SHOTS", default))


def take(widget, folder: Path, name: str, before: Callable[[], None] | None = None) -> None:
    """`widget` at each size, saved as <name>-<width>.png; `before()` runs once the layout has settled at a size."""
    folder.mkdir(parents=True, exist_ok=True)
    for w, h in SIZES:
        widget.resize(w, h)
        QApplication.processEvents()  # buttons just made are shown, the layout settled
        if before is not None:
            before()
        widget.grab().save(str(folder / f"{name}-{w}.png"))
