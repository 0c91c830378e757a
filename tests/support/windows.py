"""Main windows for the UI tests: made on a real store, shown and active, with their own settings file, a fixed
today and the screen area they must fit; every modal question refused (a test that expects one answers it)."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QRect, QSettings
from PySide6.QtWidgets import QMessageBox

from fx_desktop.store import reference
from fx_desktop.tasks import TaskRunner
from fx_desktop.views.main_window import MainWindow


def refuse_questions(monkeypatch) -> None:
    def refuse(*_a, **_k):
        raise AssertionError("a modal question was asked")

    monkeypatch.setattr(QMessageBox, "question", staticmethod(refuse))


def window_maker(qtbot, folder: Path, today: date) -> tuple[Callable[..., MainWindow], list[MainWindow]]:
    """make(store, profile, size=None, name=None): a shown, active MainWindow (settings in folder/<name or the
    user's id>.ini; `size`: the available screen area, else the real screen's), and the list of those made, for the
    fixture to wait for their tasks."""
    made: list[MainWindow] = []

    def make(store, profile, size: tuple[int, int] | None = None, name: str | None = None) -> MainWindow:
        with store.sessions() as session:
            ref = reference.current(session)
        settings = QSettings(str(folder / f"{name or profile.user_id}.ini"), QSettings.Format.IniFormat)
        window = MainWindow(store, profile, ref, TaskRunner(), settings, today=lambda: today,
                            available=(lambda: QRect(0, 0, *size)) if size else None)
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        made.append(window)
        return window

    return make, made
