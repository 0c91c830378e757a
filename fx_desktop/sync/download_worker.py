"""Evidence downloads for the GUI: runs `DownloadQueue.run` through the TaskRunner, one run at a time, after each
successful sync and at once when a user opens a file that is not here; tells the views through signals, on the
GUI thread. The queue's logic is in downloads.py (no Qt); this is only the bridge."""
from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from ..store import Store
from .downloads import LOGGED_OUT, MB, OFFLINE, SERVER, DownloadQueue, DownloadReport, Events, Failure, Wanted

NOT_LOGGED_IN = "该证据文件尚未下载到本机。请先在“同步”页登录服务器，登录后会自动下载。"
RUN_FAILED = "下载附件时程序出错，未能下载该证据文件。请稍后再打开一次；如果一直出错，请联系系统管理员。"


class _Bridge(QObject):
    """Lives on the GUI thread; the run emits from the pool, the slots run here (queued)."""

    progress = Signal(object)
    arrived = Signal(str)
    failed = Signal(object)


class _Emit(Events):
    def __init__(self, bridge: _Bridge):
        self.bridge = bridge

    def progress(self, state) -> None:
        self.bridge.progress.emit(state)

    def arrived(self, sha256: str) -> None:
        self.bridge.arrived.emit(sha256)

    def failed(self, failure: Failure) -> None:
        self.bridge.failed.emit(failure)


class DownloadController(QObject):
    progressChanged = Signal(object)  # DownloadProgress (at most a few a second), None when a run ends
    fileArrived = Signal(str)  # sha256, now in the blob store
    fileFailed = Signal(object)  # Failure
    statusChanged = Signal()  # what status() says may have changed (a run started or ended, connection)
    finished = Signal(object)  # DownloadReport of a run

    def __init__(self, store: Store, tasks, *, queue: DownloadQueue | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.store, self.tasks = store, tasks
        self.queue = queue or DownloadQueue(store)
        self.client = None
        self._running = self._again = False
        self._waiting: set[str] = set()  # files opened and not here yet: someone waits for an answer
        self._bridge = _Bridge(self)
        self._bridge.progress.connect(self.progressChanged)
        self._bridge.arrived.connect(self._on_arrived)
        self._bridge.failed.connect(self._on_failed)

    @property
    def running(self) -> bool:
        return self._running

    @property
    def connected(self) -> bool:
        return self.client is not None and bool(self.client.tokens.refresh)

    def set_client(self, client) -> None:
        """The logged-in user's client (None after logout): a run for the previous one is stopped."""
        if client is not self.client:
            self.stop()
        self.client = client
        self.statusChanged.emit()

    def set_offline(self, offline: bool) -> None:
        """The sync's own finding; a successful sync means the server answers."""
        if self.queue.offline != offline:
            self.queue.offline = offline
            self.statusChanged.emit()

    def status(self, sha256: str, size: int) -> str:
        if not self.connected and not self.store.blobs.has(sha256):
            return LOGGED_OUT
        return self.queue.status(sha256, size)

    def start_background(self) -> None:
        """Fetch what the local cases miss (after a sync, or when the size setting changed)."""
        if not self.connected:
            return
        if self._running:
            self._again = True
            return
        self._start(background=True)

    def fetch_now(self, wanted: Wanted) -> Failure | None:
        """Fetch this file next (the user opened it). A Failure at once when there is no server to ask; else
        fileArrived or fileFailed follows."""
        if not self.connected:
            return Failure(wanted.sha256, OFFLINE, NOT_LOGGED_IN)
        self.queue.request(wanted)
        self._waiting.add(wanted.sha256)
        if not self._running:
            self._start(background=False)
        return None

    def set_limit(self, mb: int) -> None:
        """Save the automatic download limit (a database write: call it off the GUI thread), then, on the GUI
        thread, limit_changed()."""
        self.queue.set_limit_mb(mb)

    def limit_changed(self) -> None:
        """The rows' states follow the new limit; files now under it come in, larger ones wait to be opened."""
        self.statusChanged.emit()
        self.start_background()

    @property
    def limit_mb(self) -> int:
        return self.queue.limit_bytes // MB

    def withdraw(self, sha256: str) -> None:
        self._waiting.discard(sha256)
        self.queue.withdraw(sha256)

    def stop(self) -> None:
        """On close or logout: the run stops at its next block; a started file continues next time."""
        self._again = False
        if self._running:
            self.queue.cancel()

    # --- runs -----------------------------------------------------------------------------------------------

    def _start(self, *, background: bool) -> None:
        self._running = True
        client, queue, events = self.client, self.queue, _Emit(self._bridge)
        queue.reset()  # here, not in the run: a stop() before the pool starts the run must still stop it
        self.tasks.run(lambda: queue.run(client, background=background, events=events), on_done=self._done,
                       on_error=self._failed)
        self.statusChanged.emit()

    def _done(self, report: DownloadReport) -> None:
        self._running = False
        self.progressChanged.emit(None)
        self.statusChanged.emit()
        self.finished.emit(report)
        self._next()

    def _failed(self, exc: BaseException, trace: str) -> None:
        """Not a download problem (those are reported as Failures, also for an unexpected error with one file):
        a bug in the run itself. Logged; users waiting for a file are told; the next sync tries again."""
        print(f"fx-desktop: evidence download failed: {exc!r}\n{trace}", file=sys.stderr)
        self._running = False
        self.queue.take_requests()
        for sha256 in sorted(self._waiting):  # also the one the run was inside
            self._on_failed(Failure(sha256, SERVER, RUN_FAILED))
        self.progressChanged.emit(None)
        self.statusChanged.emit()
        self._next()

    def _next(self) -> None:
        if not self.connected:  # logged out while the run was ending: nobody fetches the files still asked for
            for wanted in self.queue.take_requests():
                self._on_failed(Failure(wanted.sha256, LOGGED_OUT, NOT_LOGGED_IN))
            return
        if self._again:
            self._again = False
            self._start(background=True)
        elif self.queue.has_requests():  # asked for while the last run was ending
            self._start(background=False)

    def _on_arrived(self, sha256: str) -> None:
        self._waiting.discard(sha256)
        self.fileArrived.emit(sha256)

    def _on_failed(self, failure: Failure) -> None:
        self._waiting.discard(failure.sha256)
        self.fileFailed.emit(failure)
        self.statusChanged.emit()
