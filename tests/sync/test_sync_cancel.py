"""Closing the application during a sync cancels it at once: a request the server (here a proxy holding the
answer) never answers is cut off instead of waiting for the 60 s read timeout, and what was done stays."""
from __future__ import annotations

import time

import pytest

from fx_desktop.services import cases
from fx_desktop.store import outbox
from fx_desktop.sync.transport import READ_TIMEOUT, Cancelled
from fx_desktop.sync.worker import SyncController
from fx_desktop.tasks import TaskRunner
from tests.conftest import case_draft
from tests.support.faulty_proxy import Proxy


@pytest.fixture
def proxy(bureau):
    p = Proxy(bureau.port).start()
    yield p
    p.stop()


def test_closing_during_a_stalled_pull_cancels_the_sync_at_once(qtbot, bureau, device, proxy):
    a = device(bureau, "zhang")
    a.client.base_url = proxy.url
    cases.create_case(a.store, a.profile, case_draft())
    stalled = proxy.add("hold_after", "/sync/pull")  # the server answered; the answer never arrives
    tasks = TaskRunner()
    controller = SyncController(a.store, tasks)
    controller.attach(a.client, a.account, a.creds)  # starts a sync: push, then the pull that stalls
    assert stalled.held.wait(30)
    assert controller.running
    started = time.monotonic()
    with qtbot.waitSignal(controller.finished, timeout=10_000) as finished:
        controller.stop()  # what MainWindow.closeEvent does
    assert tasks.wait(5_000)
    elapsed = time.monotonic() - started
    stalled.release.set()
    report = finished.args[0]
    assert isinstance(report.problem, Cancelled) and "关闭程序时中止" in report.error
    print(f"sync cancelled {elapsed:.3f} s after close")
    assert elapsed < READ_TIMEOUT / 6, elapsed  # cut off, not timed out
    with a.store.sessions() as s:
        assert outbox.pending_count(s) == 0  # the push before the stalled pull was kept


def test_a_cancelled_client_sends_nothing_more(bureau, device, proxy):
    a = device(bureau, "zhang")
    a.client.base_url = proxy.url
    a.client.cancel()
    sent = len(proxy.log)
    report = a.sync()
    assert isinstance(report.problem, Cancelled) and len(proxy.log) == sent
