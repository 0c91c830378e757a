"""domain, store, services, sync (minus its Qt worker) and printing (minus its Qt preview) must import without
PySide6 (CONVENTIONS.md: Qt only where it must be)."""
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import importlib, pkgutil, sys
    sys.modules["PySide6"] = None  # any `import PySide6...` now raises ImportError
    names = []
    qt_modules = {"fx_desktop.sync.worker", "fx_desktop.sync.download_worker",  # the Qt bridges
                  "fx_desktop.printing.preview"}
    for pkg_name in ("fx_desktop.domain", "fx_desktop.store", "fx_desktop.services", "fx_desktop.sync",
                     "fx_desktop.printing"):
        pkg = importlib.import_module(pkg_name)
        names.append(pkg_name)
        for info in pkgutil.walk_packages(pkg.__path__, pkg_name + "."):
            if info.name in qt_modules:
                continue
            importlib.import_module(info.name)
            names.append(info.name)
    import fx_desktop.paths, fx_desktop.instance_lock, fx_desktop.cli
    loaded = [m for m in sys.modules if m.startswith("PySide6") and sys.modules[m] is not None]
    assert not loaded, loaded
    print("\\n".join(names))
""")


def test_core_packages_import_without_pyside6():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, encoding="utf-8",
                            timeout=120)
    assert result.returncode == 0, result.stderr
    imported = set(result.stdout.split())
    # the walk really covered the submodules
    assert {"fx_desktop.domain.lifecycle", "fx_desktop.store.case_queries", "fx_desktop.store.migrate",
            "fx_desktop.services.cases", "fx_desktop.services.demo", "fx_desktop.services.evidence",
            "fx_desktop.services.conflicts", "fx_desktop.sync.engine", "fx_desktop.sync.downloads"} <= imported
    assert {"fx_desktop.printing.fonts", "fx_desktop.printing.layout", "fx_desktop.printing.blocks",
            "fx_desktop.printing.glyphs", "fx_desktop.printing.verification", "fx_desktop.printing.forms",
            "fx_desktop.printing.forms.review_request", "fx_desktop.printing.forms.review_opinion",
            "fx_desktop.printing.forms.case_briefing"} <= imported
    assert "fx_desktop.printing.preview" not in imported


def test_blocking_pyside6_really_blocks():
    """The trick used above makes an import of PySide6 fail, so a Qt import would have been caught."""
    script = "import sys; sys.modules['PySide6'] = None\ntry:\n import PySide6.QtCore\nexcept ImportError:\n print('blocked')"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "blocked", result.stderr
