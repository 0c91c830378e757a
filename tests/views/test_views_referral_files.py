"""A department's liaison opens an evidence file of a referral received, from the inbox's detail, in the main window
against a real fx-bureau: the file is not on this computer (a department has no cases), opening it fetches it from
the server and opens it. The Chinese translation is installed."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices, QImage

from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.services import cases, evidence, referrals
from fx_desktop.store.settings import DOWNLOAD_AUTO_MAX_MB
from tests.conftest import case_draft
from tests.support.bureau import standard
from tests.views.test_views_sync import WAIT, OtherDevice, chinese, logged_in, make_window  # noqa: F401

pytestmark = pytest.mark.usefixtures("chinese")


@pytest.fixture
def server(tmp_path):
    made = standard("sqlite", tmp_path / "bureau")
    made.add_user("zhou", "department_liaison", "sthj", "周敏")
    made.start()
    yield made
    made.close()


def referred_photo(server, tmp_path) -> tuple[str, str, bytes]:
    """The town's squad leader refers a case with a photo, on their computer, and syncs: (referral id, sha, bytes)."""
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkBlue)
    path = tmp_path / "现场照片.png"
    assert image.save(str(path))
    town = OtherDevice(tmp_path / "zhang", server, "zhang")
    try:
        profile = town.account.profile
        made = cases.create_case(town.store, profile, case_draft())
        status = CaseStatus.CLUE
        for action in ("file", "start_investigation"):
            status = cases.change_status(town.store, profile, made.id, action, expected_status=status).status
        record = evidence.add_evidence(town.store, profile, made.id, path)
        form = referrals.prepare(town.store, profile, made.id)
        form.update(receiving_org="sthj", reason="涉及环境污染，不属于城管执法管辖。", legal_basis="《行政处罚法》第二十五条",
                    contact={"name": profile.name, "phone": "021-57420000"})
        sent = referrals.submit(town.store, profile, made.id, form)
        assert town.sync().ok
    finally:
        town.store.close()
    return sent.id, record.evidence[0].sha256, path.read_bytes()


def test_the_department_opens_a_referred_file_which_is_fetched_on_demand(qtbot, make_window, server, store, tmp_path,
                                                                        monkeypatch):
    referral_id, sha, data = referred_photo(server, tmp_path)
    DOWNLOAD_AUTO_MAX_MB.put(store, 0)  # nothing in the background: the file comes when opened
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile())))
    window = logged_in(qtbot, make_window(), server, "zhou")
    inbox = window.referral_inbox
    assert window.sections.currentWidget() is window.workbench  # a department's home page: its inbox's work
    window.show_section(inbox)
    inbox.open_referral(referral_id)
    panel = inbox.detail.files
    inbox.detail.tabs.setCurrentIndex(1)
    panel.list.setCurrentRow(0)
    assert not store.blobs.has(sha) and "现场照片.png" in panel.list.item(0).text()
    with qtbot.waitSignal(window.sync.downloads.fileArrived, timeout=WAIT):
        qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=WAIT)
    with open(opened[0], "rb") as fh:
        assert fh.read() == data
    assert store.blobs.path_for(sha).read_bytes() == data
