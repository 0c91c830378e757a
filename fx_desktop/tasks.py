"""The one way views run work off the GUI thread: a function runs in the pool, its result (or error) comes back
through a signal, so callbacks always run on the GUI thread. Progress reports are coalesced by the receiver."""
from __future__ import annotations

import sys
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object, str)
    progress = Signal(int, int)


class _Job(QRunnable):
    def __init__(self, fn: Callable[..., Any], with_progress: bool):
        super().__init__()
        self.fn = fn
        self.with_progress = with_progress
        self.signals = _Signals()

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn(self.signals.progress.emit) if self.with_progress else self.fn()
        except BaseException as exc:  # noqa: BLE001 - reported to the GUI thread, never swallowed
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.done.emit(result)


def _report_unhandled(exc: BaseException, trace: str) -> None:
    """A job without an error handler still tells someone (the log) instead of failing silently."""
    print(f"fx-desktop: background task failed: {exc!r}\n{trace}", file=sys.stderr)


class TaskRunner(QObject):
    def __init__(self, parent: QObject | None = None, max_threads: int = 3):
        """Three threads: a long evidence download and a sync may run while a file is copied in or opened."""
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._live: set[_Job] = set()

    def run(self, fn: Callable[..., Any], *, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException, str], None] | None = None,
            on_progress: Callable[[int, int], None] | None = None) -> None:
        """Run fn() in the pool; with on_progress, fn receives a report(done, total) callable."""
        job = _Job(fn, on_progress is not None)
        job.setAutoDelete(False)
        self._live.add(job)

        def finish(*_args) -> None:
            self._live.discard(job)

        if on_done:
            job.signals.done.connect(on_done)
        job.signals.failed.connect(on_error or _report_unhandled)
        if on_progress:
            job.signals.progress.connect(on_progress)
        job.signals.done.connect(finish)
        job.signals.failed.connect(finish)
        self.pool.start(job)

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)
