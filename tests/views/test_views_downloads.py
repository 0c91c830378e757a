"""Evidence attached on another computer, seen in the main window against a real fx-bureau: the evidence tab says
why a file is not here, its row changes when the file arrives, opening a missing file fetches it with a progress
dialog, and offline the user is told so and nothing changes. The Chinese translation is installed."""
from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices, QImage
from PySide6.QtWidgets import QMessageBox

from fx_desktop.services import cases, evidence
from fx_desktop.store.settings import DOWNLOAD_AUTO_MAX_MB
from fx_desktop.sync.downloads import MB, OFFLINE_ON_OPEN, DownloadProgress
from fx_desktop.sync.worker import SYNCED, SyncState
from fx_desktop.views.sync_indicator import headline
from tests.conftest import case_draft
from tests.support.bureau import standard
from tests.views.test_views_sync import WAIT, OtherDevice, chinese, logged_in, make_window  # noqa: F401

pytestmark = pytest.mark.usefixtures("chinese")


@pytest.fixture
def server(tmp_path):
    """A server of each test's own: one test stops it."""
    made = standard("sqlite", tmp_path / "bureau").start()
    yield made
    made.close()


def _photo_from_elsewhere(server, tmp_path) -> tuple[str, str, bytes]:
    """A colleague of the same town attaches a photo on their computer and syncs: (case id, sha256, bytes)."""
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkGreen)
    path = tmp_path / "现场照片.png"
    assert image.save(str(path))
    other = OtherDevice(tmp_path / "li", server, "li")
    try:
        made = cases.create_case(other.store, other.account.profile, case_draft())
        record = evidence.add_evidence(other.store, other.account.profile, made.id, path)
        assert other.sync().ok
    finally:
        other.store.close()
    return made.id, record.evidence[0].sha256, path.read_bytes()


def _evidence_row(window):
    panel = window.detail.evidence
    window.detail.tabs.setCurrentWidget(panel)
    panel.list.setCurrentRow(0)
    return panel, panel.list.item(0)


def test_the_row_of_a_file_from_another_computer_changes_when_the_file_arrives(qtbot, make_window, server, store,
                                                                               tmp_path):
    case_id, sha, data = _photo_from_elsewhere(server, tmp_path)
    DOWNLOAD_AUTO_MAX_MB.put(store, 0)  # nothing in the background for now
    window = logged_in(qtbot, make_window(), server)
    window.show_case(case_id)
    panel, item = _evidence_row(window)
    assert item.text().endswith("打开时下载")
    assert panel.hint.text() == "该证据文件（1 KB）超过自动下载上限，打开时才下载。"
    assert item.icon().pixmap(16, 16).toImage().pixelColor(8, 8) != Qt.GlobalColor.darkGreen

    window.show_sync_page()
    spin = window.sync_page.download_limit
    assert spin.value() == 0
    spin.setValue(50)  # the user raises the automatic download limit on the 同步 page
    with qtbot.waitSignal(window.sync.downloads.fileArrived, timeout=WAIT) as arrived:
        spin.editingFinished.emit()
    assert arrived.args == [sha] and DOWNLOAD_AUTO_MAX_MB.get(store) == 50
    assert store.blobs.path_for(sha).read_bytes() == data
    window.show_section(window.splitter)  # back to the case on the register (the workbench is row 0)
    assert item.text() == "现场照片.png\n照片" and panel.hint.text() == ""
    qtbot.waitUntil(lambda: item.icon().pixmap(64, 48).toImage().pixelColor(32, 24) == Qt.GlobalColor.darkGreen,
                    timeout=WAIT)  # the thumbnail of the photo that came in


def test_opening_a_file_that_is_not_here_fetches_it_with_progress_then_opens_it(qtbot, make_window, server, store,
                                                                                tmp_path, monkeypatch):
    case_id, sha, data = _photo_from_elsewhere(server, tmp_path)
    DOWNLOAD_AUTO_MAX_MB.put(store, 0)
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile())))
    window = logged_in(qtbot, make_window(), server)
    window.show_case(case_id)
    panel, item = _evidence_row(window)
    with qtbot.waitSignal(window.sync.downloads.fileArrived, timeout=WAIT):
        qtbot.keyClick(panel.list, Qt.Key.Key_Return)  # Enter on the row, like a double-click
        assert panel.fetching is not None and panel.fetching.labelText() == "正在从服务器下载“现场照片.png”…"
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=WAIT)
    assert panel.fetching is None and opened[0].endswith("现场照片.png")
    with open(opened[0], "rb") as fh:
        assert fh.read() == data
    assert store.blobs.path_for(sha).read_bytes() == data and item.text() == "现场照片.png\n照片"


def test_opening_a_missing_file_offline_says_so_and_changes_nothing(qtbot, make_window, server, store, tmp_path,
                                                                    monkeypatch):
    case_id, sha, _data = _photo_from_elsewhere(server, tmp_path)
    DOWNLOAD_AUTO_MAX_MB.put(store, 0)
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _p, title, text, *a, **k: warned.append(text)))
    window = logged_in(qtbot, make_window(), server)
    window.show_case(case_id)
    panel, item = _evidence_row(window)
    label = item.text()
    server.stop()
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(warned), timeout=WAIT)
    assert warned == [OFFLINE_ON_OPEN] == ["该证据文件尚未下载到本机，且目前无法连接服务器。连接后会自动下载，或稍后再试。"]
    assert panel.fetching is None and not store.blobs.has(sha) and window.detail.record.id == case_id
    assert item.text() == label.replace("打开时下载", "尚未下载")  # the row now says the server is out of reach
    assert panel.hint.text() == "该证据文件尚未下载到本机，目前无法连接服务器；连接后会自动下载。"
    assert not window.sync.downloads.running


def test_the_status_bar_counts_files_and_megabytes():
    state = SyncState(SYNCED, last_synced=datetime.now(),
                      download=DownloadProgress(2, 3, 12 * MB, 80 * MB, "0" * 64, "视频.mp4", 4 * MB, 40 * MB))
    assert headline(state).endswith(" · 正在下载附件 2/3（12 MB / 80 MB）")
    small = DownloadProgress(1, 1, MB // 2, 3 * MB, "0" * 64, "照片.jpg", MB // 2, 3 * MB)
    assert headline(SyncState(SYNCED, last_synced=datetime.now(), download=small)).endswith("（0.5 MB / 3.0 MB）")


def test_logging_out_stops_a_download_and_keeps_what_arrived(qtbot, make_window, server, store, tmp_path,
                                                             monkeypatch):
    import threading

    from fx_desktop.sync.downloads import DownloadQueue, Events

    video = tmp_path / "执法记录.mp4"
    video.write_bytes(bytes(range(256)) * (12 * MB // 256))
    other = OtherDevice(tmp_path / "li", server, "li")
    try:
        made = cases.create_case(other.store, other.account.profile, case_draft())
        sha = evidence.add_evidence(other.store, other.account.profile, made.id, video).evidence[0].sha256
        assert other.sync().ok
    finally:
        other.store.close()
    started, go_on = threading.Event(), threading.Event()

    class Held(DownloadQueue):
        """The run is inside the file, its first block on disk, when the user logs out (after the GET: whether the
        server still answers a GET sent after the logout is not what this test is about)."""

        def _fetch(self, client, wanted, urgent, totals, report, events, stop):
            class HoldsAfterTheFirstBlock(Events):
                def progress(self, state):
                    events.progress(state)
                    if state.file_done and not started.is_set():
                        started.set()
                        go_on.wait(30)

                def arrived(self, sha256):
                    events.arrived(sha256)

                def failed(self, failure):
                    events.failed(failure)

            return super()._fetch(client, wanted, urgent, totals, report, HoldsAfterTheFirstBlock(), stop)

    window = make_window()
    window.sync.downloads.queue = Held(store, progress_every=0)
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    logged_in(qtbot, window, server)
    qtbot.waitUntil(started.is_set, timeout=WAIT)
    assert window.sync.downloads.running
    with qtbot.waitSignal(window.sync.downloads.finished, timeout=WAIT) as done:
        window.sync_page.logout_button.click()
        go_on.set()
    assert done.args[0].cancelled and not store.blobs.has(sha)
    assert 0 < store.blobs.path_for(sha).with_suffix(".part").stat().st_size < 12 * MB  # resumed after a login
    assert not window.sync.downloads.running and window.sync.state.download is None


def test_an_error_opening_a_file_stays_until_another_file_is_selected(qtbot, make_window, server, store, tmp_path,
                                                                       monkeypatch):
    import errno

    case_id, sha, _data = _photo_from_elsewhere(server, tmp_path)
    window = logged_in(qtbot, make_window(), server)
    qtbot.waitUntil(lambda: store.blobs.has(sha), timeout=WAIT)  # came in the background
    window.show_case(case_id)
    panel, _item = _evidence_row(window)

    def no_room(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(panel.blobs, "export_named", no_room)
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.hint.text().startswith("无法打开该文件："), timeout=WAIT)
    error = panel.hint.text()
    assert "磁盘空间不足" in error
    window.sync.downloads.statusChanged.emit()  # a background download's news, as during a run
    window.sync.downloads.progressChanged.emit(None)
    assert panel.hint.text() == error
    panel.list.setCurrentRow(-1)
    panel.list.setCurrentRow(0)  # the user selects a file again: the hint follows its state
    assert panel.hint.text() == ""


def test_cancelling_the_download_of_an_opened_file_closes_its_dialog_and_keeps_the_window(qtbot, make_window,
                                                                                            server, store, tmp_path):
    from fx_desktop.views.evidence_panel import FetchDialog

    case_id, sha, _data = _photo_from_elsewhere(server, tmp_path)
    DOWNLOAD_AUTO_MAX_MB.put(store, 0)
    window = logged_in(qtbot, make_window(), server)
    window.show_case(case_id)
    panel, _item = _evidence_row(window)
    downloads = window.sync.downloads
    downloads.tasks.run = lambda *a, **k: None  # the run stays queued: the user cancels before anything came
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    dialog = panel.fetching
    assert isinstance(dialog, FetchDialog) and dialog.isVisible()
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    assert dialog.windowTitle() == "证据文件" and dialog.value() == 0
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert panel.fetching is None and not dialog.isVisible() and not downloads.queue.has_requests()
    assert not store.blobs.has(sha) and window.detail.record.id == case_id


def test_a_download_limit_that_could_not_be_saved_is_explained_in_chinese(qtbot, make_window, monkeypatch):
    from sqlalchemy.exc import OperationalError

    warned = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda _p, title, text, *a, **k: warned.append(text)))
    window = make_window()
    downloads = window.sync.downloads

    def locked(_mb):
        raise OperationalError("UPDATE meta", {}, Exception("database is locked"))

    monkeypatch.setattr(downloads, "set_limit", locked)
    window.show_sync_page()
    window.sync_page.download_limit.setValue(downloads.limit_mb + 5)
    window.sync_page.download_limit.editingFinished.emit()
    qtbot.waitUntil(lambda: bool(warned), timeout=WAIT)
    assert warned[0].endswith("数据库正被其他程序占用，请稍候重试") and "database" not in warned[0]
