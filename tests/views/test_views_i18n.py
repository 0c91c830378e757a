"""The Chinese UI translation: the committed .qm matches the .ts, every string is translated, and
install_translators() loads both our catalogue and Qt's own (qtbase) one."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # harmless when tests/conftest.py already did it

import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QCoreApplication, QLocale  # noqa: E402

from fx_desktop.i18n import I18N_DIR, install_translators  # noqa: E402

PROJECT = Path(__file__).resolve().parents[2]
TS = I18N_DIR / "fx_desktop_zh_CN.ts"
QM = I18N_DIR / "fx_desktop_zh_CN.qm"
BIN_DIR = str(Path(sys.executable).parent)


def _tool(name: str) -> str:
    found = shutil.which(name, path=BIN_DIR) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} not found next to {sys.executable} or on PATH")
    return found


def _run(*args) -> None:
    subprocess.run(args, cwd=PROJECT, check=True, capture_output=True, text=True, timeout=120)


def _ui_sources() -> list[str]:
    """The same files the lupdate command in the project notes scans."""
    return ["fx_desktop/app.py", *sorted(str(p.relative_to(PROJECT)) for p in (PROJECT / "fx_desktop/views").glob("*.py")),
            "fx_desktop/printing/preview.py"]


@pytest.fixture
def restore_locale():
    previous = QLocale()
    yield
    QLocale.setDefault(previous)


def test_committed_qm_is_compiled_from_ts(tmp_path):
    out = tmp_path / "fx_desktop_zh_CN.qm"
    _run(_tool("pyside6-lrelease"), str(TS), "-qm", str(out))
    assert QM.is_file(), "fx_desktop_zh_CN.qm is missing: run pyside6-lrelease on the .ts"
    assert out.read_bytes() == QM.read_bytes(), "fx_desktop_zh_CN.qm is stale: re-run pyside6-lrelease on the .ts"


def test_committed_ts_has_no_unfinished_translations():
    assert 'type="unfinished"' not in TS.read_text(encoding="utf-8")


def test_lupdate_finds_no_untranslated_strings(tmp_path):
    """lupdate on a copy of the .ts marks any new or changed UI string as unfinished."""
    ts_copy = tmp_path / TS.name
    shutil.copyfile(TS, ts_copy)
    _run(_tool("pyside6-lupdate"), *_ui_sources(), "-ts", str(ts_copy),
         "-source-language", "en", "-target-language", "zh_CN")
    text = ts_copy.read_text(encoding="utf-8")
    assert text.count("<message") > 0
    assert 'type="unfinished"' not in text, (
        "untranslated UI strings: re-run lupdate on fx_desktop_zh_CN.ts, translate, then lrelease")


def test_install_translators_zh_cn(qapp, restore_locale):
    installed = install_translators(qapp, "zh_CN")
    try:
        assert len(installed) == 2  # qtbase_zh_CN and fx_desktop_zh_CN
        assert QCoreApplication.translate("MainWindow", "Case register") == "案件登记"
        assert QCoreApplication.translate("CaseTableModel", "Decision due") == "决定期限"
        assert QCoreApplication.translate("MainWindow", "%n case(s)", None, 3) == "共 3 件"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"  # Qt's own strings
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)
            translator.deleteLater()
    assert QCoreApplication.translate("MainWindow", "Case register") == "Case register"


def test_install_translators_english_installs_none(qapp, restore_locale):
    installed = install_translators(qapp, "en")
    try:
        assert installed == []
        assert QCoreApplication.translate("MainWindow", "Case register") == "Case register"
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)
