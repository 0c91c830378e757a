"""Evidence reaches every computer of the town: the download queue against a real fx-bureau (two clients of one
town), newest cases first, the size setting, resuming with Range after a cut connection, a damaged download
discarded, a refused file held back instead of asked for in a loop, the urgent request jumping the queue, and
the headless `fx-desktop sync` leaving a complete folder. The server is shared by the module, and each test's
new device also receives the cases earlier tests made: assertions look at the test's own files."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from fx_desktop.services import cases, evidence
from fx_desktop.store import meta
from fx_desktop.store.settings import DOWNLOAD_AUTO_MAX_MB
from fx_desktop.sync import downloads
from fx_desktop.sync.downloads import DownloadQueue, Events, Wanted
from tests.conftest import case_draft
from tests.support.bureau import PASSWORD
from tests.support.faulty_proxy import Proxy

MB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]


def _file(tmp_path, name: str, size: int, seed: int) -> tuple[Path, str]:
    block = hashlib.sha256(str(seed).encode()).digest() * 2048  # 64 KiB
    data = (block * (size // len(block) + 1))[:size]
    path = tmp_path / name
    path.write_bytes(data)
    return path, hashlib.sha256(data).hexdigest()


class Recorded(Events):
    def __init__(self):
        self.arrivals, self.failures, self.progress_seen = [], [], []

    def arrived(self, sha256):
        self.arrivals.append(sha256)

    def failed(self, failure):
        self.failures.append(failure)

    def progress(self, state):
        self.progress_seen.append(state)


def ours(shas, mine) -> list[str]:
    return [s for s in shas if s in mine]


def _attached(device, tmp_path, files: list[tuple[str, int, int]]) -> list[tuple[str, str]]:
    """One case per file on `device`, synced; returns [(case id, sha256)] in creation order."""
    made = []
    for name, size, seed in files:
        path, sha = _file(tmp_path, name, size, seed)
        record = cases.create_case(device.store, device.profile, case_draft(party_name=f"当事人{seed}"))
        evidence.add_evidence(device.store, device.profile, record.id, path)
        made.append((record.id, sha))
    assert device.sync().ok
    return made


def test_a_file_attached_on_one_computer_reaches_the_other_after_it_syncs(bureau, device, tmp_path):
    a, b = device(bureau, "zhang"), device(bureau, "li")
    [(_case, sha)] = _attached(a, tmp_path, [("现场照片.jpg", 300_000, 1)])
    assert b.sync().ok and not b.store.blobs.has(sha)
    events = Recorded()
    report = DownloadQueue(b.store).run(b.client, events=events)
    assert report.fetched >= 1 and report.complete and sha in events.arrivals
    assert b.store.blobs.path_for(sha).read_bytes() == a.store.blobs.path_for(sha).read_bytes()
    assert not b.store.blobs.path_for(sha).with_suffix(".part").exists()
    last = events.progress_seen[-1]
    assert last.done_bytes == last.total_bytes and last.file_no == last.files == report.fetched
    again = DownloadQueue(b.store).run(b.client)
    assert again.fetched == 0 and again.summary() == "证据文件都已在本机，无需下载。"


def test_the_most_recently_changed_cases_come_first(bureau, device, tmp_path):
    a, b = device(bureau, "zhang"), device(bureau, "li")
    made = _attached(a, tmp_path, [("一.jpg", 1000, 11), ("二.jpg", 1000, 12), ("三.jpg", 1000, 13)])
    first_id = made[0][0]
    current = cases.get_case(a.store, first_id)
    cases.update_case(a.store, a.profile, first_id, case_draft(party_name="当事人11", place="后来改的地点"),
                      base_version=current.version)
    assert a.sync().ok and b.sync().ok
    mine = {sha for _case, sha in made}
    plan = DownloadQueue(b.store).plan()
    assert [w.sha256 for w in plan.background][:3] == [made[0][1], made[2][1], made[1][1]]
    events = Recorded()
    DownloadQueue(b.store).run(b.client, events=events)
    assert ours(events.arrivals, mine) == [made[0][1], made[2][1], made[1][1]]


def test_a_file_above_the_size_setting_waits_until_it_is_opened(bureau, device, tmp_path):
    a, b = device(bureau, "zhang"), device(bureau, "li")
    (_c1, small), (_c2, big) = _attached(a, tmp_path, [("小.jpg", 1000, 21), ("大.mp4", 2 * MB, 22)])
    assert b.sync().ok
    DOWNLOAD_AUTO_MAX_MB.put(b.store, 1)
    queue = DownloadQueue(b.store)
    assert queue.status(big, 2 * MB) == downloads.ON_OPEN and queue.status(small, 1000) == downloads.QUEUED
    assert big in [w.sha256 for w in queue.plan().on_open]
    report = queue.run(b.client)
    assert report.on_open >= 1 and "个较大的附件" in report.summary()
    assert b.store.blobs.has(small) and not b.store.blobs.has(big)
    queue.request(Wanted(big, 2 * MB, "大.mp4"))  # opened
    events = Recorded()
    assert queue.run(b.client, background=False, events=events).fetched == 1
    assert events.arrivals == [big] and b.store.blobs.has(big)


def test_a_cut_download_resumes_from_the_part_file_with_range(bureau, device, tmp_path):
    a, b = device(bureau, "zhang"), device(bureau, "li")
    [(_case, sha)] = _attached(a, tmp_path, [("执法记录.mp4", 6 * MB, 31)])
    assert b.sync().ok
    proxy = Proxy(bureau.port).start()
    try:
        b.client.base_url = proxy.url
        proxy.add("cut_body", f"/blobs/{sha}", at=5 * MB)  # the connection drops after 5 MB of 6
        first = DownloadQueue(b.store).run(b.client)
        assert first.problem is not None and first.problem.kind == downloads.OFFLINE
        assert "中断" in first.problem.message and not b.store.blobs.has(sha)
        part = b.store.blobs.path_for(sha).with_suffix(".part")
        kept = part.stat().st_size
        assert 0 < kept <= 5 * MB
        second = DownloadQueue(b.store).run(b.client)
        assert second.complete and b.store.blobs.has(sha), second.summary()
        ranges = [h.get("Range") for method, path, h in proxy.headers if method == "GET" and sha in path]
        assert ranges == [None, f"bytes={kept}-"]  # the second request asks only for what is missing
        assert b.store.blobs.path_for(sha).read_bytes() == a.store.blobs.path_for(sha).read_bytes()
        assert not part.exists()
    finally:
        proxy.stop()


def test_a_damaged_download_is_discarded_held_back_and_fetched_again_when_opened(bureau, device, tmp_path):
    a, b = device(bureau, "zhang"), device(bureau, "li")
    [(_case, sha)] = _attached(a, tmp_path, [("笔录.pdf", 3 * MB, 41)])
    assert b.sync().ok
    part = b.store.blobs.path_for(sha).with_suffix(".part")
    part.parent.mkdir(parents=True, exist_ok=True)
    part.write_bytes(b"\0" * MB)  # an earlier download left bytes that are not the file's
    queue = DownloadQueue(b.store)
    events = Recorded()
    report = queue.run(b.client, events=events)
    [failure] = [f for f in report.failures if f.sha256 == sha]
    assert failure.kind == downloads.DAMAGED and "校验失败" in failure.message
    assert not b.store.blobs.has(sha) and not part.exists()
    assert queue.status(sha, 3 * MB) == downloads.DAMAGED
    again = DownloadQueue(b.store)  # a later run, even after a restart, does not fetch it again by itself
    assert sha not in [w.sha256 for w in again.plan().background] and again.run(b.client).fetched == 0
    again.request(Wanted(sha, 3 * MB))  # opening it asks once more
    assert again.run(b.client, background=False).fetched == 1
    assert hashlib.sha256(b.store.blobs.path_for(sha).read_bytes()).hexdigest() == sha
    with b.store.sessions() as session:  # no longer held back
        assert sha not in json.loads(meta.get(session, downloads.HELD_BACK_KEY) or "{}")


def test_a_file_the_server_refuses_is_held_back_not_asked_for_in_a_loop(bureau, device, tmp_path):
    b = device(bureau, "li")
    record = cases.create_case(b.store, b.profile, case_draft())
    assert b.sync().ok
    missing = hashlib.sha256(b"never on the server").hexdigest()
    with b.store.writes.begin() as session:  # a record pointing at a file the server does not give
        session.execute(text("INSERT INTO evidence (id, case_id, kind, name, sha256, size, added_at, added_by) "
                             "VALUES ('e-404', :c, 'photo', 'x.jpg', :s, 10, '2026-01-01 00:00:00', 'li')"),
                        {"c": record.id, "s": missing})
    proxy = Proxy(bureau.port).start()
    try:
        b.client.base_url = proxy.url
        now = datetime(2026, 11, 29, 9, 0)
        queue = DownloadQueue(b.store, now=lambda: now)
        events = Recorded()
        report = queue.run(b.client, events=events)
        assert report.complete and [(f.sha256, f.kind) for f in events.failures] == [(missing, downloads.REFUSED)]
        assert "无权查看" in events.failures[0].message and "1 个服务器上没有或无权查看" in report.summary()
        assert queue.status(missing, 10) == downloads.REFUSED
        gets = lambda: sum(1 for m, p, _h in proxy.headers if m == "GET" and missing in p)  # noqa: E731
        assert gets() == 1
        for _ in range(3):  # the syncs of the next hours
            assert DownloadQueue(b.store, now=lambda: now + timedelta(hours=1)).run(b.client).failures == []
        assert gets() == 1
        later = DownloadQueue(b.store, now=lambda: now + downloads.ASK_AGAIN_AFTER + timedelta(minutes=1))
        assert [f.kind for f in later.run(b.client).failures] == [downloads.REFUSED]  # asked again, once
        assert gets() == 2
    finally:
        proxy.stop()


def test_an_opened_file_goes_before_the_background_file_which_then_resumes(bureau, device, tmp_path):
    a, b = device(bureau, "zhang"), device(bureau, "li")
    (_c1, wanted), (_c2, background) = _attached(a, tmp_path, [("急用.jpg", 1000, 51), ("视频.mp4", 12 * MB, 52)])
    assert b.sync().ok
    DOWNLOAD_AUTO_MAX_MB.put(b.store, 100)
    queue = DownloadQueue(b.store)
    assert [w.sha256 for w in queue.plan().background][:2] == [background, wanted]  # the video's case is newer

    class OpensOneMidway(Recorded):
        def progress(self, state):
            super().progress(state)
            if state.sha256 == background and 0 < state.file_done < state.file_size and len(self.arrivals) == 0:
                queue.request(Wanted(wanted, 1000, "急用.jpg"))

    events = OpensOneMidway()
    queue.progress_every = 0  # every block reports (the GUI gets a few a second)
    report = queue.run(b.client, events=events)
    assert events.arrivals[:2] == [wanted, background] and report.complete
    resumed = [s for s in events.progress_seen if s.sha256 == background]
    assert any(s.file_done == 0 for s in resumed) and resumed[-1].file_done == 12 * MB
    assert len({s.files for s in events.progress_seen}) == 1  # the opened file was already counted


def test_cancel_stops_at_the_next_block_and_the_next_run_continues(bureau, device, tmp_path):
    a, b = device(bureau, "zhang"), device(bureau, "li")
    [(_case, sha)] = _attached(a, tmp_path, [("长视频.mp4", 12 * MB, 61)])
    assert b.sync().ok
    queue = DownloadQueue(b.store, progress_every=0)

    class ClosesMidway(Recorded):
        def progress(self, state):
            super().progress(state)
            if state.sha256 == sha and state.file_done:
                queue.cancel()  # the window closes

    report = queue.run(b.client, events=ClosesMidway())
    part = b.store.blobs.path_for(sha).with_suffix(".part")
    assert report.cancelled and not b.store.blobs.has(sha) and 0 < part.stat().st_size < 12 * MB
    assert queue.run(b.client).cancelled  # stays stopped until whoever starts the next run resets it
    queue.reset()
    assert queue.run(b.client).complete
    assert hashlib.sha256(b.store.blobs.path_for(sha).read_bytes()).hexdigest() == sha


def test_the_headless_sync_leaves_a_complete_folder(bureau, device, tmp_path):
    a = device(bureau, "zhang")
    (_c1, small), (_c2, big) = _attached(a, tmp_path, [("照片.jpg", 5000, 71), ("视频.mp4", 2 * MB, 72)])
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring.TestFileKeyring",
           "FX_TEST_KEYRING_FILE": str(tmp_path / "keyring.json")}
    data = tmp_path / "headless"

    def cli(*args, stdin=""):
        return subprocess.run([sys.executable, "-m", "fx_desktop", *args, "--data-dir", str(data)], input=stdin,
                              capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)

    assert cli("login", "--server", bureau.url, "--username", "li", stdin=PASSWORD + "\n").returncode == 0
    from fx_desktop.paths import DataPaths
    from fx_desktop.store import open_store

    store = open_store(DataPaths.at(data))
    try:
        DOWNLOAD_AUTO_MAX_MB.put(store, 1)
    finally:
        store.close()
    done = cli("sync")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "下载附件" in done.stdout and "个较大的附件" in done.stdout, done.stdout
    blobs = data / "blobs"
    assert (blobs / small[:2] / small).is_file() and not (blobs / big[:2] / big).exists()
    done = cli("sync", "--all-files")
    assert done.returncode == 0 and "下载附件" in done.stdout and "较大" not in done.stdout, done.stdout
    assert hashlib.sha256((blobs / big[:2] / big).read_bytes()).hexdigest() == big


def test_a_file_the_server_fails_on_does_not_hold_up_the_others(bureau, device, tmp_path):
    a, b = device(bureau, "zhang"), device(bureau, "li")
    (_c1, third), (_c2, later), (_c3, sick) = _attached(a, tmp_path, [("照片丙.jpg", 2000, 80),
                                                                      ("照片甲.jpg", 2000, 81),
                                                                      ("照片乙.jpg", 2000, 82)])
    assert b.sync().ok
    proxy = Proxy(bureau.port).start()
    try:
        b.client.base_url = proxy.url
        proxy.add("500", f"/blobs/{sick}")  # the server cannot read this one file just now
        report = DownloadQueue(b.store).run(b.client)
        assert report.complete and b.store.blobs.has(later) and not b.store.blobs.has(sick)
        assert [f.kind for f in report.failures if f.sha256 == sick] == [downloads.SERVER]
        assert DownloadQueue(b.store).run(b.client).complete and b.store.blobs.has(sick)  # the next sync
        proxy.add("500", "/blobs/", times=10)  # every file fails: the server itself is unwell, the run stops
        for sha in (third, later, sick):
            b.store.blobs.path_for(sha).unlink()
        stopped = DownloadQueue(b.store).run(b.client)
        assert stopped.problem is not None and stopped.problem.kind == downloads.SERVER
        assert len(stopped.failures) == downloads.SERVER_FAILURES_IN_A_ROW - 1 and stopped.fetched == 0
    finally:
        proxy.stop()


def test_a_part_file_that_does_not_fit_the_servers_file_starts_over(bureau, device, tmp_path):
    """416 Range Not Satisfiable: the record says the file is bigger than the server's copy, and an earlier try
    left a part file as long as the whole real file."""
    a, b = device(bureau, "zhang"), device(bureau, "li")
    [(case_id, sha)] = _attached(a, tmp_path, [("记录.pdf", 100_000, 91)])
    assert b.sync().ok
    with b.store.writes.begin() as session:
        session.execute(text("UPDATE evidence SET size = 100100 WHERE sha256 = :s"), {"s": sha})
    part = b.store.blobs.path_for(sha).with_suffix(".part")
    part.parent.mkdir(parents=True, exist_ok=True)
    part.write_bytes(b"x" * 100_000)
    report = DownloadQueue(b.store).run(b.client)
    assert report.complete and not part.exists()
    assert b.store.blobs.path_for(sha).read_bytes() == a.store.blobs.path_for(sha).read_bytes()


def test_a_file_that_breaks_the_download_fails_alone_and_the_others_come_in(bureau, device, tmp_path):
    """An error no download rule expects (here a record whose digest the blob store rejects) is that file's
    Failure, in Chinese: the files behind it still come in, now and after every later sync."""
    a, b = device(bureau, "zhang"), device(bureau, "li")
    [(case_id, sha)] = _attached(a, tmp_path, [("照片丁.jpg", 2000, 96)])
    assert b.sync().ok
    broken = "0" * 63 + "Z"  # not a hex digest: BlobStore.path_for raises
    with b.store.writes.begin() as session:
        session.execute(text("INSERT INTO evidence (id, case_id, kind, name, sha256, size, added_at, added_by) "
                             "VALUES ('e-broken', :c, 'photo', '坏.jpg', :s, 10, '2099-01-01 00:00:00', 'li')"),
                        {"c": case_id, "s": broken})
        session.execute(text("UPDATE cases SET updated_at = '2099-01-01 00:00:00' WHERE id = :c"), {"c": case_id})
    queue = DownloadQueue(b.store)
    assert queue.plan().background[0].sha256 == broken  # first in line
    events = Recorded()
    report = queue.run(b.client, events=events)
    [failure] = [f for f in events.failures if f.sha256 == broken]
    assert failure.kind == downloads.SERVER and "附件“坏.jpg”下载出错" in failure.message
    assert report.complete and b.store.blobs.has(sha) and sha in events.arrivals


class Deferred:
    """A task runner that keeps the jobs until the test runs them: the pool has not started them yet."""

    def __init__(self):
        self.jobs = []

    def run(self, fn, on_done=None, on_error=None):
        self.jobs.append((fn, on_done, on_error))

    def next(self):
        import traceback

        fn, on_done, on_error = self.jobs.pop(0)
        try:
            result = fn()
        except Exception as exc:
            on_error(exc, traceback.format_exc())
            return exc
        on_done(result)
        return result


def test_a_stop_before_the_queued_run_starts_still_stops_it(qapp, bureau, device, tmp_path):
    from fx_desktop.sync.download_worker import DownloadController

    a, b = device(bureau, "zhang"), device(bureau, "li")
    [(_case, sha)] = _attached(a, tmp_path, [("照片戊.jpg", 2000, 97)])
    assert b.sync().ok
    tasks = Deferred()
    controller = DownloadController(b.store, tasks)
    controller.set_client(b.client)
    controller.start_background()  # queued behind other work in the task runner
    controller.set_client(None)  # the user logs out before it starts
    report = tasks.next()
    assert report.cancelled and report.fetched == 0 and not b.store.blobs.has(sha)
    assert tasks.jobs == [] and not controller.running


def test_a_file_opened_while_a_stopped_run_ends_comes_with_the_next_run(qapp, bureau, device, tmp_path):
    """Logout, then a quick login again while the stopped run is still ending: the file opened meanwhile is
    fetched by the next run (not failed as cancelled with no word); after a logout the user is told to log in."""
    from fx_desktop.sync.download_worker import NOT_LOGGED_IN, DownloadController

    a, b = device(bureau, "zhang"), device(bureau, "li")
    (_c1, first), (_c2, second) = _attached(a, tmp_path, [("照片己.jpg", 2000, 98), ("照片庚.jpg", 2000, 99)])
    assert b.sync().ok
    DOWNLOAD_AUTO_MAX_MB.put(b.store, 0)
    tasks = Deferred()
    controller = DownloadController(b.store, tasks)
    arrived, failed = [], []
    controller.fileArrived.connect(arrived.append)
    controller.fileFailed.connect(failed.append)
    controller.set_client(b.client)
    controller.start_background()
    controller.set_client(None)
    controller.set_client(b.client)
    assert controller.fetch_now(Wanted(first, 2000, "照片己.jpg")) is None  # the stopped run has not ended
    assert tasks.next().cancelled and failed == [] and arrived == []
    assert not tasks.next().cancelled  # the next run, started for the waiting file
    assert arrived == [first] and failed == [] and b.store.blobs.has(first)

    controller.start_background()
    controller.set_client(None)
    assert controller.fetch_now(Wanted(second, 2000, "照片庚.jpg")) is not None  # logged out: told at once
    controller.set_client(b.client)
    assert controller.fetch_now(Wanted(second, 2000, "照片庚.jpg")) is None
    controller.set_client(None)  # and out again before the run ended
    assert tasks.next().cancelled and tasks.jobs == []
    assert [(f.sha256, f.kind, f.message) for f in failed] == [(second, downloads.LOGGED_OUT, NOT_LOGGED_IN)]
    assert not b.store.blobs.has(second)


def test_the_headless_sync_fails_while_a_file_is_missing_for_a_server_error(bureau, device, tmp_path):
    from fx_desktop.sync_cli import _download_files

    a, b = device(bureau, "zhang"), device(bureau, "li")
    [(_case, sick)] = _attached(a, tmp_path, [("照片辛.jpg", 2000, 100)])
    assert b.sync().ok
    proxy = Proxy(bureau.port).start()
    try:
        b.client.base_url = proxy.url
        proxy.add("500", f"/blobs/{sick}")  # once: the other files come, this one is missing
        assert _download_files(b.store, b.client, everything=False) is False and not b.store.blobs.has(sick)
        assert _download_files(b.store, b.client, everything=False) is True and b.store.blobs.has(sick)
    finally:
        proxy.stop()


def test_a_run_that_breaks_tells_the_user_waiting_for_a_file(qapp, bureau, device, tmp_path):
    """Not a download problem: the run itself fails (here the local database, while the opened file was being
    fetched). The progress dialog must not wait for ever: the file gets a Chinese failure."""
    from fx_desktop.sync.download_worker import RUN_FAILED, DownloadController

    a, b = device(bureau, "zhang"), device(bureau, "li")
    [(_case, sha)] = _attached(a, tmp_path, [("照片壬.jpg", 2000, 101)])
    assert b.sync().ok

    class Breaks(DownloadQueue):
        def _take(self, todo, totals):
            taken = super()._take(todo, totals)
            if taken[0] is not None:
                raise RuntimeError("a bug after the request was taken")
            return taken

    tasks = Deferred()
    controller = DownloadController(b.store, tasks, queue=Breaks(b.store))
    failed = []
    controller.fileFailed.connect(failed.append)
    controller.set_client(b.client)
    assert controller.fetch_now(Wanted(sha, 2000, "照片壬.jpg")) is None
    assert isinstance(tasks.next(), RuntimeError)
    assert [(f.sha256, f.message) for f in failed] == [(sha, RUN_FAILED)] and not controller.running
