"""The main window follows a user an administrator moved to another organisation: after the sync that tells the
client, a town officer moved to a department sees the department's inbox instead of the case register, the user
shown is the new organisation's, and the sync status says what happened, in Chinese. Real fx-bureau."""
from __future__ import annotations

import pytest

from fx_desktop.domain.organisations import OrgKind
from fx_desktop.views.sync_indicator import explanation
from tests.support.bureau import run_cli, standard
from tests.views.test_views_sync import chinese, logged_in, make_window, sync  # noqa: F401

pytestmark = pytest.mark.usefixtures("chinese")


@pytest.fixture
def server(tmp_path):
    made = standard("sqlite", tmp_path / "bureau")
    made.add_user("mover", "officer", "nanqiao", "调动人")
    made.start()
    yield made
    made.close()


def test_a_town_user_moved_to_a_department_sees_the_inbox_after_the_sync(qtbot, make_window, server):
    window = logged_in(qtbot, make_window(), server, "mover")
    assert not window.receiving and window.sections.currentWidget() is window.workbench
    assert "南桥镇" in window.user_label.text()
    moved = run_cli("set-user", "--db", server.db_url, "--username", "mover", "--org", "sw", "--role",
                    "department_liaison")
    assert moved.returncode == 0, moved.stderr
    with qtbot.waitSignal(window.sync.accountChanged, timeout=20_000):
        report = sync(qtbot, window)
    assert report.ok and report.resyncs == 1
    assert window.profile.org_code == "sw" and window.profile.org_kind == OrgKind.DEPARTMENT
    assert window.receiving and window.sections.currentWidget() is window.workbench  # the workbench stays home
    assert [window.nav.item(i).text() for i in range(window.nav.count())][:2] == ["工作台", "移送收件"]
    assert "区水务局" in window.user_label.text() and not window.case_bar.isVisible()
    notice = "您的所属单位已变更为区水务局（行业管理部门联络员），已按新单位重新同步数据。"
    assert window.sync.state.message == notice and notice in explanation(window.sync.state)
    assert notice in window.sync_indicator.toolTip() and notice in window.sync_page.detail.text()
