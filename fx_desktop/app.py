"""The one place where the application's objects are created and wired together."""
from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

from .paths import DataPaths

BACKUP_DELAY_MS = 20_000  # the daily backup waits this long after start-up
SYNC_START_MS = 1_000  # sync (and the import of requests and keyring) waits until the window is up
SYNC_INTERVAL_KEY, SYNC_INTERVAL_MINUTES = "sync/interval_minutes", 5


def _has_display() -> bool:
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _import_before_qt() -> None:
    """Load the non-Qt half first: once PySide6 is imported its import hook makes every later import (SQLAlchemy
    above all) markedly slower, which start-up time would pay for."""
    from .services import cases, conflicts, drafts, evidence, profile  # noqa: F401
    from .store import audit, case_queries, open_store  # noqa: F401


def run_gui(data_dir: str | Path | None = None, *, credentials=None) -> int:
    """`credentials`: a callable giving the store for refresh tokens (default: the system keyring); `make demo`
    passes one that already holds its login."""
    if not _has_display():
        print("没有可用的图形显示（DISPLAY 未设置）。请在桌面环境中运行，或在虚拟显示中运行：\n"
              f"  xvfb-run -a {sys.argv[0] or 'fx-desktop'} --data-dir 数据目录", file=sys.stderr)
        return 2
    _import_before_qt()
    from .qt_environment import prepare_qt

    prepare_qt()
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtWidgets import QApplication, QMessageBox

    from .heap import freeze_startup_objects
    from .i18n import install_translators
    from .instance_lock import AlreadyRunning, acquire
    from .views.fonts import apply_cjk_font
    from .views.style import apply as apply_style

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("fx-desktop")
    app.setOrganizationName("Fengxian")
    install_translators(app)
    apply_cjk_font(app)
    apply_style(app)  # body size and the style sheet of views/style.py, before the first dialog
    paths = DataPaths.at(data_dir)
    try:
        lock = acquire(paths.lock)
    except AlreadyRunning as exc:
        QMessageBox.warning(None, QCoreApplication.translate("App", "fx-desktop is already running"), str(exc))
        return 1
    except OSError as exc:
        text = QCoreApplication.translate("App", "The data folder %1 cannot be used: %2")
        QMessageBox.critical(None, QCoreApplication.translate("App", "Database cannot be opened"),
                             text.replace("%1", str(paths.root)).replace("%2", exc.strerror or str(exc)))
        return 1
    store = None
    try:
        store = open_store_interactive(paths)
        if store is None:
            return 1
        window = start(app, store, QSettings(str(paths.root / "ui.ini"), QSettings.Format.IniFormat),
                       credentials=credentials)
        if window is None:
            return 0
        freeze_startup_objects()
        window.show()
        if os.environ.get("FX_DESKTOP_EXIT_WHEN_SHOWN"):  # used by bench/: time to a shown window, memory then
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, lambda: (_report_shown(), app.quit()))
        code = app.exec()
        window.tasks.wait(-1)  # an evidence copy or backup still running finishes before the lock is released
        return code
    finally:
        if store is not None:
            store.close()
        lock.release()


def _report_shown() -> None:
    rss_kb = next((int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines()
                   if line.startswith("VmRSS:")), 0) if Path("/proc/self/status").exists() else 0
    print(f"fx-desktop: window shown rss_kb={rss_kb}", flush=True)


def open_store_interactive(paths: DataPaths):
    """open_store(); on a damaged file the recovery dialog offers the newest backup that passes its check (then
    the next older one, should that fail too); other problems are explained. None when it cannot be opened."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

    from .store import DatabaseDamaged, StoreProblem, backups
    from .views.recovery_dialog import ask_restore

    tried: set[Path] = set()
    while True:
        try:
            return open_store_showing_progress(paths)
        except DatabaseDamaged as exc:
            candidates = [b for b in backups.usable_backups(paths.backups) if b not in tried]
            backup = candidates[0] if candidates else None
            if not ask_restore(exc.path, exc.reason, backup):
                return None
            tried.add(backup)
            try:
                backups.restore_backup(paths.database, backup)
            except OSError as err:
                text = QCoreApplication.translate("App", "The backup could not be restored: %1. The damaged file "
                                                         "was left where it is.")
                QMessageBox.critical(None, QCoreApplication.translate("App", "Restore failed"),
                                     text.replace("%1", err.strerror or str(err)))
                return None
        except StoreProblem as exc:  # locked, unwritable, newer version: explained, nothing to restore
            QMessageBox.critical(None, QCoreApplication.translate("App", "Database cannot be opened"), str(exc))
            return None


def open_store_showing_progress(paths: DataPaths):
    """open_store() off the GUI thread while the event loop runs; when it rebuilds the search indexes (after an
    upgrade that changes them: ~15 s at 100,000 cases, before any window) a progress dialog shows how far it is.
    Its exceptions are raised here, on the GUI thread."""
    from PySide6.QtCore import QCoreApplication, QEventLoop
    from PySide6.QtWidgets import QProgressDialog

    from .store import open_store
    from .tasks import TaskRunner

    runner = TaskRunner(max_threads=1)
    loop = QEventLoop()
    outcome: dict = {}
    shown: list[QProgressDialog] = []

    def progress(done: int, total: int) -> None:
        if not shown:
            dialog = QProgressDialog()
            dialog.setObjectName("index_rebuild_progress")
            dialog.setMinimumWidth(420)
            dialog.setWindowTitle(QCoreApplication.translate("App", "Upgrading the database"))
            dialog.setCancelButton(None)  # the database cannot be used half-indexed
            dialog.setMinimumDuration(0)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            shown.append(dialog)
        dialog = shown[0]
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)
        dialog.setLabelText(QCoreApplication.translate("App", "Rebuilding the search index… %1 of %2 cases")
                            .replace("%1", f"{done:,}").replace("%2", f"{total:,}"))
        dialog.show()

    def finished(key: str, value) -> None:
        outcome[key] = value
        loop.quit()

    runner.run(lambda report: open_store(paths, progress=report), on_done=lambda store: finished("store", store),
               on_error=lambda exc, _trace: finished("error", exc), on_progress=progress)
    loop.exec()
    runner.wait(-1)
    for dialog in shown:
        dialog.close()
        dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["store"]


def start(app, store, settings, *, today=None, credentials=None):
    """First-run questions if needed, then the main window (not yet shown). None when the user cancelled.
    `credentials` makes the store for refresh tokens (the system keyring by default)."""
    from PySide6.QtCore import QCoreApplication, QTimer
    from PySide6.QtWidgets import QMessageBox

    from .printing.fonts import set_office_font
    from .services.profile import load_profile
    from .store import reference
    from .store.settings import PRINT_FONT
    from .sync.credentials import system_store
    from .sync.download_worker import DownloadController
    from .sync.worker import SyncController
    from .tasks import TaskRunner
    from .views.main_window import MainWindow

    tasks = TaskRunner(app)
    with store.sessions() as session:
        ref = reference.current(session)
        print_font = PRINT_FONT.read(session)
    set_office_font(print_font)  # the office's print font (设置), unless FX_PRINT_FONT names one
    profile = load_profile(store) or _first_run(app, store, tasks)
    if profile is None:
        return None
    kwargs = {"today": today} if today else {}
    credentials = credentials or system_store
    minutes = settings.value(SYNC_INTERVAL_KEY, SYNC_INTERVAL_MINUTES, type=int)
    downloads = DownloadController(store, tasks, parent=app)  # evidence files, after each sync and when opened
    sync = SyncController(store, tasks, interval_ms=max(1, minutes) * 60_000, downloads=downloads, parent=app)
    window = MainWindow(store, profile, ref, tasks, settings, sync=sync, credentials=credentials, **kwargs)

    def backup_failed(exc, _trace) -> None:  # e.g. the integrity check found damage: say so now, not at the next start
        text = QCoreApplication.translate("App", "The daily check and backup of the database failed: %1")
        QMessageBox.warning(window, QCoreApplication.translate("App", "Daily backup"), text.replace("%1", str(exc)))

    # Later, so the check and copy of a large database do not compete with the first screens for the CPU.
    QTimer.singleShot(BACKUP_DELAY_MS, lambda: tasks.run(lambda: _daily_backup(store.paths), on_error=backup_failed))
    QTimer.singleShot(SYNC_START_MS, window, lambda: resume_sync(store, tasks, sync, credentials))
    return window


def _first_run(app, store, tasks):
    """The first-run questions (and demo data if asked for); the saved profile, or None when cancelled. Its modules
    are imported only on a first start: every later one goes straight to the main window."""
    from sqlalchemy import select

    from .services.organisations import directory
    from .services.profile import save_profile
    from .store.models import Case
    from .views.first_run import FirstRunDialog

    with store.sessions() as session:
        empty = session.execute(select(Case.row_id).limit(1)).first() is None
    dialog = FirstRunDialog(directory(store), lambda name, role, org: save_profile(store, name=name, role=role,
                                                                                   org_code=org),
                            offer_demo=empty)
    if dialog.exec() != dialog.DialogCode.Accepted:
        return None
    if dialog.demo_cases:
        _load_demo(app, store, tasks, dialog.demo_cases)
    return dialog.profile


def resume_sync(store, tasks, sync, credentials) -> None:
    """The account this database last logged in with, if any: its refresh token is read from the keyring off the
    GUI thread (a locked keyring may ask for its password), then syncing starts. Without an account the
    application works purely locally."""
    from .sync import account

    acc = account.current(store)
    if acc is None or sync.account is not None:  # never logged in here, or the user was quicker
        return

    def restore():
        from .services.office_settings import verify_for
        from .sync.transport import BureauClient

        client = BureauClient(acc.server_url, verify=verify_for(store))  # the district's CA (设置)
        creds = credentials()
        return client, creds, account.restore_tokens(client, creds, acc)

    def restored(result) -> None:
        client, creds, found = result
        if found:
            sync.attach(client, acc, creds)
        else:
            sync.need_login(acc)

    def failed(exc, _trace) -> None:  # no keyring: the last login was kept for its run only
        sync.need_login(acc, getattr(exc, "message", None) or str(exc))

    tasks.run(restore, on_done=restored, on_error=failed)


def _load_demo(app, store, tasks, count: int) -> None:
    """Demo data with a progress dialog; the event loop keeps running while it is written off the GUI thread."""
    from PySide6.QtCore import QCoreApplication, QEventLoop
    from PySide6.QtWidgets import QMessageBox, QProgressDialog

    from .services.demo import OPEN_WITHIN, generate

    progress = QProgressDialog(QCoreApplication.translate("App", "Writing demo cases…"), "", 0, count)
    progress.setCancelButton(None)
    progress.setWindowTitle(QCoreApplication.translate("App", "Demo data"))
    progress.setMinimumDuration(0)
    loop = QEventLoop()

    def failed(exc, _trace) -> None:
        QMessageBox.warning(None, QCoreApplication.translate("App", "Demo data"), str(exc))
        loop.quit()

    tasks.run(lambda report: generate(store, count, progress=report, open_within=OPEN_WITHIN),
              on_done=lambda _r: loop.quit(),
              on_error=failed, on_progress=lambda done, _total: progress.setValue(done))
    loop.exec()
    progress.close()


def _daily_backup(paths: DataPaths) -> None:
    from .store import daily_backup

    daily_backup(paths, datetime.now())
