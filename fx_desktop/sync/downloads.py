"""Evidence files that this computer's cases reference but its blob store lacks, fetched one at a time: in the
background after each successful sync (the files of the most recently changed cases first; files above the size
setting are left until someone opens them), and at once, ahead of the rest, when a user opens one.

No Qt: the application runs `DownloadQueue.run` through its task runner (sync/download_worker.py) and
`fx-desktop sync` calls it directly. `request`, `withdraw`, `cancel` and `status` may be called from another
thread while `run` works; one `run` at a time, so two downloads never write the same `.part` file.

A file the server will not give (404: not there, or not for this user) or that arrives damaged is held back for
ASK_AGAIN_AFTER, so the queue never asks for it in a loop; opening it asks once more. The transport (requests)
is imported when a run starts, so the application's start-up does not pay for it."""
from __future__ import annotations

import json
import sys
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import text

from ..services.storage_errors import describe
from ..store import Store, meta
from ..store.settings import DOWNLOAD_AUTO_MAX_MB

MB = 1024 * 1024
HELD_BACK_KEY = "downloads.held_back"  # {sha256: [iso time, REFUSED | DAMAGED]}
ASK_AGAIN_AFTER = timedelta(hours=12)
SAVE_HELD_BACK_EVERY = 100
SERVER_FAILURES_IN_A_ROW = 3
PROGRESS_EVERY_S = 0.25  # at most four progress reports a second reach the GUI

# status of one file (DownloadQueue.status), and the kind of a Failure
HERE = "here"
DOWNLOADING = "downloading"
QUEUED = "queued"
ON_OPEN = "on_open"  # above the size setting: fetched when opened
REFUSED = "refused"  # the server has no such file, or not for this user
DAMAGED = "damaged"  # arrived with the wrong hash (discarded)
OFFLINE = "offline"
RETRY = "retry"  # a refusal another try soon would not change (a withdrawn role, too many requests)
SERVER = "server"  # the server answered this file badly (5xx, not a file): the others are tried, the next sync
# tries it again; SERVER_FAILURES_IN_A_ROW such answers end the run (the server itself is unwell)
LOGIN = "login"
DISK = "disk"
CANCELLED = "cancelled"
LOGGED_OUT = "logged_out"  # status only: no server to ask

NOT_AVAILABLE = "服务器上没有该证据文件，或您无权查看。如确需查看，请联系添加该证据的同事或系统管理员。"
OFFLINE_ON_OPEN = "该证据文件尚未下载到本机，且目前无法连接服务器。连接后会自动下载，或稍后再试。"


@dataclass(frozen=True)
class Wanted:
    sha256: str
    size: int
    name: str = ""


@dataclass(frozen=True)
class Plan:
    background: list[Wanted]  # newest cases first
    on_open: list[Wanted]  # above the size setting (files refused or damaged lately are in neither)


@dataclass(frozen=True)
class DownloadProgress:
    """`file_no` of `files` is being fetched; `done_bytes` of `total_bytes` of this run are on disk."""

    file_no: int
    files: int
    done_bytes: int
    total_bytes: int
    sha256: str
    name: str
    file_done: int
    file_size: int


@dataclass(frozen=True)
class Failure:
    sha256: str
    kind: str
    message: str


class Events:
    """What a run reports, from the thread it runs on; subclasses override what they need."""

    def progress(self, state: DownloadProgress) -> None:
        pass

    def arrived(self, sha256: str) -> None:
        pass

    def failed(self, failure: Failure) -> None:
        pass


@dataclass
class DownloadReport:
    fetched: int = 0
    fetched_bytes: int = 0
    on_open: int = 0  # left until opened (above the size setting)
    on_open_bytes: int = 0
    failures: list[Failure] = field(default_factory=list)
    problem: Failure | None = None  # what ended the run early (offline, a server error, the login)
    cancelled: bool = False

    @property
    def complete(self) -> bool:
        """Nothing that should be here is missing for a reason a later try could change."""
        return self.problem is None and not self.cancelled

    def summary(self) -> str:
        if not (self.fetched or self.on_open or self.failures or self.problem or self.cancelled):
            return "证据文件都已在本机，无需下载。"
        parts = [f"下载附件 {self.fetched} 个（{_mb(self.fetched_bytes)}）"]
        if self.on_open:
            parts.append(f"{self.on_open} 个较大的附件（共 {_mb(self.on_open_bytes)}）在打开时下载")
        refused = sum(f.kind == REFUSED for f in self.failures)
        damaged = sum(f.kind == DAMAGED for f in self.failures)
        if refused:
            parts.append(f"{refused} 个服务器上没有或无权查看")
        if damaged:
            parts.append(f"{damaged} 个校验失败已丢弃")
        text = "，".join(parts)
        if self.problem is not None:
            return f"{text}；下载未完成：{self.problem.message}"
        return f"{text}；已取消。" if self.cancelled else f"{text}。"


def _mb(n: int) -> str:
    return f"{n / MB:.1f} MB"


class DownloadQueue:
    def __init__(self, store: Store, *, now: Callable[[], datetime] = datetime.now,
                 clock: Callable[[], float] = time.monotonic, progress_every: float = PROGRESS_EVERY_S):
        self.store, self.now, self.clock, self.progress_every = store, now, clock, progress_every
        self._lock = threading.Lock()
        self._urgent: deque[Wanted] = deque()
        self._withdrawn: set[str] = set()
        self._stop = threading.Event()
        self.current: str | None = None  # the digest being fetched
        self.offline = False  # the last request found no server; cleared by the next answer
        self.limit_bytes = DOWNLOAD_AUTO_MAX_MB.get(store) * MB
        self._held_back: dict[str, tuple[str, str]] | None = None
        self._held_back_unsaved = 0

    # --- what to fetch ------------------------------------------------------------------------------------------

    def set_limit_mb(self, mb: int) -> None:
        DOWNLOAD_AUTO_MAX_MB.put(self.store, mb)
        self.limit_bytes = mb * MB

    def plan(self) -> Plan:
        """Every digest the local records name that the blob store lacks (a case's evidence; on a department's
        computer, which has no cases, the files of the referrals it received), the most recently changed records
        first. Each record kind says which files it names (sync/kinds.py `files`)."""
        from .kinds import KINDS

        named = " UNION ALL ".join(k.files for k in KINDS.values() if k.files)
        with self.store.sessions() as session:
            rows = session.execute(text(
                f"SELECT sha256, MAX(size), MIN(name), MAX(changed) AS newest "
                f"FROM ({named}) AS named "
                "GROUP BY sha256 ORDER BY newest DESC, sha256")).all()
        have = self.store.blobs.stored()
        held = self._fresh_held_back()
        background, on_open = [], []
        for sha, size, name, _newest in rows:
            if sha in have or sha in held:
                continue
            wanted = Wanted(sha, int(size or 0), name or "")
            (on_open if wanted.size > self.limit_bytes else background).append(wanted)
        return Plan(background, on_open)

    def status(self, sha256: str, size: int, *, connected: bool = True) -> str:
        """HERE, DOWNLOADING, REFUSED / DAMAGED (held back), OFFLINE, ON_OPEN or QUEUED."""
        if self.store.blobs.has(sha256):
            return HERE
        if sha256 == self.current:
            return DOWNLOADING
        held = (self._held_back or {}).get(sha256)
        if held is not None:
            return held[1]
        if not connected or self.offline:
            return OFFLINE
        return ON_OPEN if size > self.limit_bytes else QUEUED

    # --- from other threads -------------------------------------------------------------------------------------

    def request(self, wanted: Wanted) -> None:
        """Fetch this one next, whatever its size or history; a background file in progress makes way (its
        `.part` stays and it continues afterwards)."""
        with self._lock:
            self._withdrawn.discard(wanted.sha256)
            if all(u.sha256 != wanted.sha256 for u in self._urgent):
                self._urgent.append(wanted)

    def withdraw(self, sha256: str) -> None:
        """The user no longer waits for it (cancelled the open): it stops, and stays queued as before."""
        with self._lock:
            before = len(self._urgent)
            self._urgent = deque(u for u in self._urgent if u.sha256 != sha256)
            if len(self._urgent) == before:  # not waiting any more: being fetched now
                self._withdrawn.add(sha256)

    def has_requests(self) -> bool:
        with self._lock:
            return bool(self._urgent)

    def cancel(self) -> None:
        """Stop the run at the next block (closing, logging out); what arrived stays for the next run. A run not
        started yet ends at once: the queue stays stopped until `reset()`."""
        self._stop.set()

    def reset(self) -> None:
        """Ready for the next run after a cancel. Called by whoever queues the run, on its own thread, before
        the run is queued: a cancel between then and the run's start must still stop it (a run that cleared the
        flag itself would wipe that cancel and download the whole queue after a logout)."""
        self._stop = threading.Event()

    # --- the run ------------------------------------------------------------------------------------------------

    def run(self, client, *, background: bool = True, events: Events | None = None) -> DownloadReport:
        """Requested files first, then (with `background`) the plan's. Stops at the first problem another try
        soon would not solve (offline, a server error, the login); a refused or damaged file is held back and
        the others go on."""
        events = events or Events()
        stop = self._stop  # this run's flag: a reset() for the next run does not revive this one
        report = DownloadReport()
        todo: deque[Wanted] = deque()
        if background:
            plan = self.plan()
            todo.extend(plan.background)
            report.on_open, report.on_open_bytes = len(plan.on_open), sum(w.size for w in plan.on_open)
        totals = _Totals(files=len(todo), bytes=sum(w.size for w in todo))
        sick = 0  # server failures in a row
        try:
            while not stop.is_set():
                wanted, urgent = self._take(todo, totals)
                if wanted is None:
                    break
                failure = self._fetch(client, wanted, urgent, totals, report, events, stop)
                sick = sick + 1 if failure is not None and failure.kind == SERVER else 0
                if failure is None:
                    continue
                if failure.kind == CANCELLED:
                    if urgent:
                        with self._lock:
                            withdrawn = wanted.sha256 in self._withdrawn
                            self._withdrawn.discard(wanted.sha256)
                            if not withdrawn:  # the run was stopped under it: the next run fetches it first
                                self._urgent.appendleft(wanted)
                        if withdrawn:
                            events.failed(failure)  # the user stopped waiting for it
                            if background and wanted.size <= self.limit_bytes and not stop.is_set():
                                todo.append(wanted)  # still wanted here, like the other files
                    elif not stop.is_set():
                        todo.appendleft(wanted)  # made way for a requested file; continues after it
                    continue
                events.failed(failure)
                if failure.kind in (REFUSED, DAMAGED) or 0 < sick < SERVER_FAILURES_IN_A_ROW:
                    report.failures.append(failure)  # this file only; the others go on
                    continue
                report.problem = failure
                break
        finally:
            self.current = None
            report.cancelled = stop.is_set()
            if report.problem is not None:
                self._fail_requests(report.problem, events)
            if self._held_back_unsaved:
                try:
                    self._save_held_back(self._held_back)
                except Exception as exc:  # kept in memory; written by a later run
                    _log("the list of held-back evidence files was not saved", exc)
        return report

    def _take(self, todo: deque[Wanted], totals: "_Totals") -> tuple[Wanted | None, bool]:
        with self._lock:
            if self._urgent:
                wanted = self._urgent.popleft()
                queued = next((w for w in todo if w.sha256 == wanted.sha256), None)
                if queued is not None:
                    todo.remove(queued)  # already counted in the totals
                else:
                    totals.files += 1
                    totals.bytes += wanted.size
                return wanted, True
        return (todo.popleft(), False) if todo else (None, False)

    def _fetch(self, client, wanted: Wanted, urgent: bool, totals: "_Totals", report: DownloadReport,
               events: Events, stop: threading.Event) -> Failure | None:
        """One file. An unexpected error with it (a bug, the local database) is this file's Failure, logged:
        the user waiting for it is told, and one file that fails every time does not stop the files behind it
        after every sync."""
        try:
            return self._fetch_file(client, wanted, urgent, totals, report, events, stop)
        except Exception as exc:
            self.current = None
            _log(f"evidence download of {wanted.sha256} failed", exc)
            return _unexpected(wanted, exc)

    def _fetch_file(self, client, wanted: Wanted, urgent: bool, totals: "_Totals", report: DownloadReport,
                    events: Events, stop: threading.Event) -> Failure | None:
        from .attachments import DownloadStopped, download
        from .transport import AuthRequired, IncompatibleServer, Refused, ServerProblem, SyncProblem, Unreachable

        sha = wanted.sha256
        totals.file_no += 1
        if self.store.blobs.has(sha):
            totals.done += wanted.size
            events.arrived(sha)
            return None
        self.current = sha
        last = [float("-inf")]

        def progress(have: int, size: int) -> None:
            now = self.clock()
            if have >= size or now - last[0] >= self.progress_every:
                last[0] = now
                events.progress(DownloadProgress(totals.file_no, totals.files, totals.done + have, totals.bytes, sha,
                                                 wanted.name, have, size))

        def should_stop() -> bool:
            if stop.is_set():
                return True
            with self._lock:
                return sha in self._withdrawn if urgent else bool(self._urgent)

        try:
            progress(0, wanted.size)
            download(client, self.store.blobs, sha, wanted.size, progress, should_stop)
        except DownloadStopped:
            totals.file_no -= 1
            return Failure(sha, CANCELLED, "已取消下载。")
        except Unreachable as exc:
            self.offline = True
            return Failure(sha, OFFLINE, OFFLINE_ON_OPEN if urgent else exc.message)
        except AuthRequired as exc:
            return Failure(sha, LOGIN, exc.message)
        except Refused as exc:
            self.offline = False
            if exc.status == 404:
                self._hold_back(sha, REFUSED)
                return Failure(sha, REFUSED, NOT_AVAILABLE)
            return Failure(sha, RETRY, exc.message)  # e.g. a withdrawn role: the sync says more
        except ServerProblem as exc:
            self.offline = False
            return Failure(sha, SERVER, exc.message)
        except IncompatibleServer as exc:
            return Failure(sha, RETRY, exc.message)
        except SyncProblem as exc:  # the hash did not match: the bytes were discarded
            self.offline = False
            self._hold_back(sha, DAMAGED)
            return Failure(sha, DAMAGED, exc.message)
        except OSError as exc:
            return Failure(sha, DISK, f"附件无法写入数据目录：{describe(exc)}。")
        finally:
            self.current = None
        self.offline = False
        self._forget_held_back(sha)
        totals.done += wanted.size
        report.fetched += 1
        report.fetched_bytes += wanted.size
        events.arrived(sha)
        return None

    def take_requests(self) -> list[Wanted]:
        """The requests still waiting, now no longer asked for (the caller answers the users waiting on them)."""
        with self._lock:
            left, self._urgent = list(self._urgent), deque()
        return left

    def _fail_requests(self, problem: Failure, events: Events) -> None:
        """Requests still waiting when a problem ends the run get its reason (the user is waiting for an answer).
        A run that ended because nothing was left, or was stopped (logout, then a quick login again), leaves
        them for the next run (the caller starts one when has_requests(), or answers them if it will not)."""
        for wanted in self.take_requests():
            message = OFFLINE_ON_OPEN if problem.kind == OFFLINE else problem.message
            events.failed(Failure(wanted.sha256, problem.kind, message))

    # --- held back: refused or damaged lately -------------------------------------------------------------------

    def _fresh_held_back(self) -> dict[str, tuple[str, str]]:
        """Loaded once; entries older than ASK_AGAIN_AFTER are dropped (asked again)."""
        if self._held_back is None:
            with self.store.sessions() as session:
                raw = meta.get(session, HELD_BACK_KEY)
            try:
                loaded = {k: (str(v[0]), str(v[1])) for k, v in json.loads(raw or "{}").items()}
            except (ValueError, TypeError, IndexError, AttributeError):
                loaded = {}
            self._held_back = loaded
        cutoff = (self.now() - ASK_AGAIN_AFTER).isoformat()
        fresh = {k: v for k, v in self._held_back.items() if v[0] >= cutoff}
        if len(fresh) != len(self._held_back):
            self._save_held_back(fresh)
        return fresh

    def _hold_back(self, sha256: str, kind: str) -> None:
        self._change_held_back(sha256, (self.now().isoformat(), kind))

    def _forget_held_back(self, sha256: str) -> None:
        if sha256 in (self._fresh_held_back() if self._held_back is None else self._held_back):
            self._change_held_back(sha256, None)

    def _change_held_back(self, sha256: str, entry: tuple[str, str] | None) -> None:
        """Only the run's thread changes the list (status() only looks one up). Written at the end of the run or
        every SAVE_HELD_BACK_EVERY changes: a server that lost thousands of files must not make the queue
        rewrite the list thousands of times."""
        held = self._fresh_held_back() if self._held_back is None else self._held_back
        if entry is None:
            held.pop(sha256, None)
        else:
            held[sha256] = entry
        self._held_back_unsaved += 1
        if self._held_back_unsaved >= SAVE_HELD_BACK_EVERY:
            self._save_held_back(held)

    def _save_held_back(self, held: dict[str, tuple[str, str]]) -> None:
        self._held_back, self._held_back_unsaved = held, 0
        with self.store.writes.begin() as session:
            meta.put(session, HELD_BACK_KEY, json.dumps({k: list(v) for k, v in held.items()}))


def _unexpected(wanted: Wanted, exc: Exception) -> Failure:
    """The Failure for an error no download rule expects: the local database (DISK, which ends the run: the next
    files would fail alike) or anything else (SERVER: this file only, the others are tried)."""
    from sqlalchemy.exc import SQLAlchemyError

    from ..domain.errors import DomainError

    name = f"“{wanted.name}”" if wanted.name else ""
    if isinstance(exc, SQLAlchemyError):
        return Failure(wanted.sha256, DISK, f"附件{name}下载时无法写入本机数据库：{describe(exc)}。")
    detail = exc.message if isinstance(exc, DomainError) else f"程序内部错误（{type(exc).__name__}）"
    return Failure(wanted.sha256, SERVER, f"附件{name}下载出错：{detail}。其他附件照常下载，下次同步时会再试；"
                                          "如果一直出错，请联系系统管理员。")


def _log(what: str, exc: BaseException) -> None:
    print(f"fx-desktop: {what}: {exc!r}\n{''.join(traceback.format_exception(exc))}", file=sys.stderr)


@dataclass
class _Totals:
    files: int
    bytes: int
    file_no: int = 0
    done: int = 0
