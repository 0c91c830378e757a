"""Render the case register with demo data to a PNG (offscreen), for the README: `make screenshot`."""
from __future__ import annotations

import os
import sys
import tempfile
from datetime import date

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from fx_desktop.domain.roles import Role  # noqa: E402
from fx_desktop.i18n import install_translators  # noqa: E402
from fx_desktop.paths import DataPaths  # noqa: E402
from fx_desktop.services.demo import generate  # noqa: E402
from fx_desktop.services.profile import save_profile  # noqa: E402
from fx_desktop.store import open_store, reference  # noqa: E402
from fx_desktop.tasks import TaskRunner  # noqa: E402
from fx_desktop.views.fonts import apply_cjk_font  # noqa: E402
from fx_desktop.views.main_window import MainWindow  # noqa: E402


def main(out: str, search: str = "") -> None:
    app = QApplication(sys.argv[:1])
    install_translators(app)
    apply_cjk_font(app)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(DataPaths.at(tmp))
        generate(store, 2000, seed=11, as_of=date(2026, 11, 20))
        profile = save_profile(store, name="张伟", role=Role.SQUAD_LEADER, town_code="nanqiao")
        with store.sessions() as session:
            ref = reference.current(session)
        tasks = TaskRunner()
        window = MainWindow(store, profile, ref, tasks, QSettings(os.path.join(tmp, "ui.ini"),
                                                                  QSettings.Format.IniFormat),
                            today=lambda: date(2026, 11, 26))
        window.show()
        window.setGeometry(0, 0, 1500, 880)
        window.show_section(window.splitter)  # the register (the window opens on the workbench)
        if search:
            window.filters.search.setText(search)
            window.filters.emit_filter()
        window.table.selectRow(2)
        tasks.wait()
        app.processEvents()
        window.grab().save(out)
        store.close()
    print(out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshot-case-register.png",
         sys.argv[2] if len(sys.argv) > 2 else "")
