"""UI language: Simplified Chinese unless FX_DESKTOP_LANG says otherwise. Our strings and Qt's own (standard
buttons, dialogs) are both translated through QTranslator."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

I18N_DIR = Path(__file__).with_name("resources") / "i18n"
DEFAULT_LANGUAGE = "zh_CN"


def install_translators(app: QApplication, language: str | None = None) -> list[QTranslator]:
    language = language or os.environ.get("FX_DESKTOP_LANG") or DEFAULT_LANGUAGE
    QLocale.setDefault(QLocale(language))
    installed = []
    if language.startswith("en"):
        return installed
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in ((f"qtbase_{language}", qt_dir), (f"fx_desktop_{language}", str(I18N_DIR))):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed
