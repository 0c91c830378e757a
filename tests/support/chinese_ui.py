"""The Chinese UI for a test: the application's translators installed, then removed with the locale as it was."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from PySide6.QtCore import QLocale

from fx_desktop.i18n import install_translators


@contextmanager
def chinese_ui(app) -> Iterator[None]:
    previous = QLocale()
    installed = install_translators(app, "zh_CN")
    try:
        yield
    finally:
        for translator in installed:
            app.removeTranslator(translator)
            translator.deleteLater()
        QLocale.setDefault(previous)
