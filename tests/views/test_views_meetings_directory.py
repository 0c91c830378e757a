"""The invitee row's name completion offers the organisations' people from the directory fx-bureau distributes
(issue 14): after a sync, the town's office staff choose 区规划资源局 and are offered that department's user, whose
role becomes the title; a person invited before keeps the title and phone typed then. Against a real fx-bureau,
through the GUI (the fixtures of test_views_meetings)."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from tests.views.test_views_legal_review import sync, window_for  # noqa: F401 - fixture
from tests.views.test_views_meetings import SHOTS, Town, bureau, shot  # noqa: F401 - fixture: a bureau of its own
from tests.views.test_views_sync import chinese  # noqa: F401 - fixture: the Chinese UI


def type_text(widget, text: str) -> None:
    """Key presses carrying Chinese characters (QTest.keyClicks handles only Latin-1)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


def offered(page) -> list[str]:
    model = page.name_completer.model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_the_invitee_name_offers_the_departments_user_after_a_sync(qtbot, window_for, bureau, chinese):
    staff = window_for("wangfang")
    section, page = staff.meetings, staff.meetings.page
    said = Town()
    page.ask_text, page.confirm = said.ask_text, said.confirm
    staff.show_section(section)
    said.texts.append("南桥镇违法建筑整治协调会议")
    qtbot.mouseClick(section.list.new_button, Qt.MouseButton.LeftButton)
    page.invitee_unit.setCurrentIndex(page.invitee_unit.findData("ghzy"))
    assert offered(page) == []  # nobody of 区规划资源局 known yet

    bureau.add_user("gaofeng", "department_liaison", "ghzy", "高峰")  # the administrator adds the department's user
    sync(qtbot, staff)
    page.open_meeting(page.record.id)
    page.invitee_unit.setCurrentIndex(page.invitee_unit.findData("ghzy"))
    assert page.invitee_unit.currentText() == "区规划资源局"
    assert offered(page) == ["高峰"]

    page.invitee_name.setFocus()
    type_text(page.invitee_name, "高")  # the completion pops up; Down and Enter choose it
    popup = page.name_completer.popup()
    qtbot.waitUntil(popup.isVisible)
    SHOTS.mkdir(parents=True, exist_ok=True)
    popup.grab().save(str(SHOTS / "invitee-completion-popup.png"))
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert page.invitee_name.text() == "高峰"
    assert page.invitee_title.text() == "行业管理部门联络员" and page.invitee_phone.text() == ""
    shot(staff, "invitee-from-directory")
    page.add_invitee()
    assert page.invitees.rowCount() == 1 and page.invitees.item(0, 0).text() == "区规划资源局"

    # a department user invited with a typed title and phone keeps them the next time
    page.invitee_unit.setCurrentIndex(page.invitee_unit.findData("sthj"))
    assert offered(page) == ["周敏"]
    page.invitee_name.setText("周敏")
    page.invitee_title.setText("科长")
    page.invitee_phone.setText("021-57420000")
    page.add_invitee()
    qtbot.mouseClick(page.save_details_button, Qt.MouseButton.LeftButton)
    assert [p["name"] for p in page.record.data["invitees"]] == ["高峰", "周敏"]
    page.open_meeting(page.record.id)
    page.invitee_unit.setCurrentIndex(page.invitee_unit.findData("sthj"))
    page.name_completer.activated.emit("周敏")
    assert page.invitee_title.text() == "科长" and page.invitee_phone.text() == "021-57420000"
    page.invitee_unit.setCurrentIndex(page.invitee_unit.findData("nanqiao"))
    assert "王芳" in offered(page)  # the town's own people too
