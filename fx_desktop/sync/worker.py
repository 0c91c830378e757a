"""Sync for the GUI: runs `SyncEngine.run` through the TaskRunner (never on the GUI thread, never two at once)
on demand, on a timer, soon after a local save, and again with backoff after a failure. Reachability is judged
from real request outcomes (SYNC.md), so the retry is what notices that the server is back; the OS's network
state only brings a retry forward. The only Qt module in sync/; the engine (and requests) are imported when the
first sync starts, not at start-up."""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from sqlalchemy import func, select

from ..store import Store, meta, outbox
from ..store.models import SyncConflict
from .download_worker import DownloadController

DEFAULT_INTERVAL_MS = 5 * 60_000
DEBOUNCE_MS = 3_000  # after a save: long enough to batch a few quick edits
MAX_RETRY_S = 300.0

# SyncState.kind
LOGGED_OUT = "logged_out"  # no account: the application works purely locally
RESUMING = "resuming"  # at start-up, an account is stored: its login is being restored (never shown as logged out)
NEEDS_LOGIN = "needs_login"  # an account, but its tokens are gone or were never restored
IDLE = "idle"  # logged in, no sync finished in this run yet
SYNCING = "syncing"
SYNCED = "synced"
OFFLINE = "offline"
ERROR = "error"


@dataclass(frozen=True)
class SyncState:
    """What the indicator and the sync page show. `message` is the engine's Chinese text, if any."""

    kind: str
    phase: str = ""  # push / pull while syncing
    done: int = 0
    total: int = 0
    last_synced: datetime | None = None
    pending: int = 0
    conflicts: int = 0
    message: str = ""
    download: object = None  # downloads.DownloadProgress while evidence files are being fetched


class _Progress(QObject):
    """Lives on the GUI thread; the worker emits, the slot runs here (queued)."""

    changed = Signal(str, int, int)


def _backoff(attempt: int) -> float:
    from .engine import backoff

    return backoff(attempt)


class SyncController(QObject):
    stateChanged = Signal(object)  # SyncState
    conflictsChanged = Signal(int)  # open conflicts
    finished = Signal(object)  # SyncReport
    accountChanged = Signal(object)  # Account, or None after logout

    def __init__(self, store: Store, tasks, client=None, account=None, creds=None, *,
                 interval_ms: int = DEFAULT_INTERVAL_MS, debounce_ms: int = DEBOUNCE_MS,
                 retry_delay: Callable[[int], float] = _backoff, now: Callable[[], datetime] = datetime.now,
                 downloads: DownloadController | None = None, parent: QObject | None = None):
        """`downloads` fetches the evidence files after each sync (app.py passes the application's; tests that
        build a controller alone get one of its own)."""
        super().__init__(parent)
        self.store, self.tasks, self.now, self.retry_delay = store, tasks, now, retry_delay
        self.client = self.account = self.creds = None
        self._running = self._again = self._logout_after = self._login_needed = False
        self._attempt = 0
        self._timer = self._make_timer(interval_ms, single=False)
        self._debounce = self._make_timer(debounce_ms, single=True)
        self._retry = self._make_timer(0, single=True)
        self._progress = _Progress(self)
        self._progress.changed.connect(self._on_progress)
        self._network = None
        self.stored = self._stored_account()
        self.state = SyncState(RESUMING if self.stored else LOGGED_OUT, last_synced=self._last_synced(),
                               pending=self._count_pending(), conflicts=self._count_conflicts())
        self.downloads = downloads or DownloadController(store, tasks, parent=self)
        self.downloads.progressChanged.connect(lambda progress: self._set(self.state.kind, download=progress))
        if account is not None:
            self.attach(client, account, creds)

    def _make_timer(self, ms: int, *, single: bool) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(single)
        timer.setInterval(ms)
        timer.timeout.connect(self.sync_now)
        return timer

    # --- session --------------------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._running

    def attach(self, client, account, creds, *, message: str = "") -> None:
        """Sync as `account` from now on (after a login, or at start-up with tokens restored)."""
        self.client, self.account, self.creds = client, account, creds
        self.stored = account.to_json() if account is not None else None
        self._attempt, self._logout_after, self._login_needed = 0, False, False
        self.downloads.set_client(client)
        last = self._last_synced()
        self._timer.start()
        self._watch_network()
        self.accountChanged.emit(account)
        if client is None or not client.tokens.refresh:
            self._set(NEEDS_LOGIN, last_synced=last, message=message)
            return
        self._set(IDLE, last_synced=last, message=message)
        self.sync_now()

    def need_login(self, account, message: str = "") -> None:
        """An account whose tokens could not be restored (no keyring, none saved): shown, not synced."""
        self.attach(None, account, None, message=message)

    def sign_out(self) -> None:
        """Forget the tokens (here and, if reachable, on the server); waits for a running sync to end."""
        if self.account is None:
            return
        for timer in (self._timer, self._debounce, self._retry):
            timer.stop()
        if self._running:
            self._logout_after = True
            return
        client, creds, store = self.client, self.creds, self.store
        self.client = self.account = self.creds = self.stored = None
        self.downloads.set_client(None)
        self._set(LOGGED_OUT, message="", pending=self._count_pending())
        self.accountChanged.emit(None)

        def work() -> None:
            from . import account

            account.logout(store, client, creds)

        def failed(exc, _trace) -> None:  # e.g. the keyring refused: the tokens may still be stored there
            self._set(LOGGED_OUT, message=getattr(exc, "message", None) or str(exc))

        self.tasks.run(work, on_error=failed)

    def set_interval(self, ms: int) -> None:
        self._timer.setInterval(ms)

    def stop(self) -> None:
        """On close: no new syncs start, and one already running is cancelled: its request in flight is cut off
        (instead of waiting up to the read timeout) and what it committed stays. The client is not used again."""
        for timer in (self._timer, self._debounce, self._retry):
            timer.stop()
        self.account = None
        self.downloads.stop()
        if self.client is not None:  # shared with the downloads: a file being fetched is cut off too
            self.client.cancel()

    # --- triggers -------------------------------------------------------------------------------------------

    def schedule(self) -> None:
        """Something was saved: show the new pending count now, sync shortly (quick edits share one sync)."""
        self._set(self.state.kind, pending=self._count_pending())
        if self._can_sync():
            self._debounce.start()

    def local_conflicts_changed(self) -> None:
        """A conflict was settled here: the inbox and banners update now, the resolution is pushed now."""
        self._set(self.state.kind, pending=self._count_pending())
        self._emit_conflicts()
        self.sync_now()

    def sync_now(self) -> bool:
        """Start a sync unless one is running (then one more follows it). False when not logged in."""
        if not self._can_sync():
            return False
        if self._running:
            self._again = True
            return True
        self._debounce.stop()
        self._retry.stop()
        self._running, self._again = True, False
        self._set(SYNCING, phase="", done=0, total=0, message="")
        store, client, account, creds = self.store, self.client, self.account, self.creds
        emit = self._progress.changed.emit  # called on the worker thread; delivered here, queued

        def work():
            from .engine import SyncEngine

            engine = SyncEngine(store, client, account, creds)
            return engine.run(emit), engine.account  # a client reset continues under a new client id

        self.tasks.run(work, on_done=self._done, on_error=self._failed)
        return True

    # --- outcomes (GUI thread) ------------------------------------------------------------------------------

    def _on_progress(self, phase: str, done: int, total: int) -> None:
        if self._running:
            self._set(SYNCING, phase=phase, done=done, total=total)

    def _done(self, result) -> None:
        self._running = False
        report, account = result
        outcome = report.outcome
        moved = False
        if self.account is not None and account is not None:
            moved = account.profile != self.account.profile  # the server moved the user to another organisation
            self.account = account  # ... or a client reset renumbered the outbox under a new client id
        message = report.error or report.notice
        self.downloads.set_offline(outcome == "offline")
        if outcome == "ok":
            self._attempt = 0
            self._set(SYNCED, last_synced=self.now(), pending=report.pending_after, message=report.notice)
        elif outcome == "login":  # the refresh token was refused: only a new login helps
            self._login_needed = True
            self._timer.stop()
            self._set(NEEDS_LOGIN, pending=report.pending_after, message=message)
        elif outcome in ("offline", "retry"):
            self._attempt += 1
            self._set(OFFLINE if outcome == "offline" else ERROR, pending=report.pending_after, message=message)
            self._schedule_retry(report.retry_after)
        else:  # refused, or an incompatible server: retrying soon would not change the answer
            self._set(ERROR, pending=report.pending_after, message=message)
        if moved:
            self.accountChanged.emit(account)  # the window follows: sections, actions and the user shown
        self.finished.emit(report)
        self._emit_conflicts()
        if report.error is None and self.account is not None and not self._logout_after:
            # after the report was recorded and shown: a slow file delays nothing of the sync
            self.downloads.start_background()
        self._after_run()

    def _failed(self, exc: BaseException, trace: str) -> None:
        """Not a sync problem: the local database or disk failed. Shown, retried later like a server error."""
        print(f"fx-desktop: sync failed: {exc!r}\n{trace}", file=sys.stderr)
        self._running = False
        self._attempt += 1
        self._set(ERROR, pending=self._count_pending(),
                  message=getattr(exc, "message", "") or str(exc) or type(exc).__name__)
        self._schedule_retry(None)
        self._after_run()

    def _after_run(self) -> None:
        if self._logout_after:
            self._logout_after = False
            self.sign_out()
        elif self._again and self.account is not None:
            self.sync_now()

    def _schedule_retry(self, retry_after: float | None) -> None:
        if self.account is None:
            return
        delay = min(MAX_RETRY_S, max(self.retry_delay(self._attempt), retry_after or 0.0))
        self._retry.start(int(delay * 1000))

    # --- helpers --------------------------------------------------------------------------------------------

    def _can_sync(self) -> bool:
        return (self.account is not None and self.client is not None and bool(self.client.tokens.refresh)
                and not self._login_needed and not self._logout_after)

    def _set(self, kind: str, **changes) -> None:
        self.state = replace(self.state, kind=kind, **changes)
        self.stateChanged.emit(self.state)

    def _emit_conflicts(self) -> None:
        count = self._count_conflicts()
        if count != self.state.conflicts:
            self._set(self.state.kind, conflicts=count)
        self.conflictsChanged.emit(count)

    def _stored_account(self) -> dict | None:
        """The account this database last synced as, read without the sync modules (and requests) at start-up:
        until its login is restored the user is shown as connecting, not as logged out."""
        with self.store.sessions() as session:
            raw = meta.get(session, "sync.account")
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            return None

    def _last_synced(self) -> datetime | None:
        with self.store.sessions() as session:
            raw = meta.get(session, "sync.last_synced")
        return datetime.fromisoformat(raw) if raw else None

    def _count_pending(self) -> int:
        with self.store.sessions() as session:
            return outbox.pending_count(session, self.account.username if self.account else None)

    def _count_conflicts(self) -> int:
        with self.store.sessions() as session:
            return session.execute(select(func.count()).select_from(SyncConflict)
                                   .where(SyncConflict.status == "open")).scalar_one()

    def _watch_network(self) -> None:
        """The OS's idea of connectivity, as a hint only: coming online brings a pending retry forward."""
        if self._network is not None:
            return
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if QNetworkInformation.instance() is None and not QNetworkInformation.loadDefaultBackend():
                return
            self._network = QNetworkInformation.instance()
        except Exception:  # noqa: BLE001 - no backend on this platform: the retries alone will do
            return
        self._network.reachabilityChanged.connect(self._reachability_changed)

    def _reachability_changed(self, reachability) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability == QNetworkInformation.Reachability.Online and self.state.kind == OFFLINE:
            self._retry.start(1000)
