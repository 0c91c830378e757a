"""会议 through the GUI against a real fx-bureau: the town's office staff prepare a meeting whose proposed agenda holds
a real open problem (a referral the squad leader made, its department now late to sign), record attendance in the
invitees table with the keyboard, write minutes with an agreed item led by the department, circulate them; the
department comments from its own client after a sync; the office staff sign off (after a confirmation); an edit after
sign-off makes version 2 with version 1 kept. Screenshots of the meeting page are saved under /tmp/shots-meet."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QInputDialog, QPushButton

from fx_desktop.services import cases, meetings, referrals
from tests.conftest import case_draft
from tests.support.bureau import standard
from tests.sync.test_sync_referral_clients import referable_case
from tests.views.test_views_legal_review import sync, when_modal, window_for  # noqa: F401 - fixture
from tests.views.test_views_referrals import windows  # noqa: F401 - fixture: windows whose tasks are waited for
from tests.views.test_views_sync import chinese  # noqa: F401 - fixture: the Chinese UI
from tests.support.shots import shots_folder, take

SHOTS = shots_folder("/tmp/shots-meet")


@pytest.fixture
def bureau(tmp_path):
    server = standard("sqlite", tmp_path / "bureau")
    server.add_user("wangfang", "office_staff", "nanqiao", "王芳")
    server.add_user("zhou", "department_liaison", "sthj", "周敏")
    server.start()
    yield server
    server.close()


def shot(widget, name: str) -> None:
    take(widget, SHOTS, name)


class Town:
    """Stand-ins for the page's dialogs: what the office staff would type, and Yes to the confirmation."""

    def __init__(self):
        self.texts: list[str] = []
        self.confirmed: list[str] = []

    def ask_text(self, title: str, label: str) -> str | None:
        return self.texts.pop(0) if self.texts else None

    def confirm(self, title: str, text: str) -> bool:
        self.confirmed.append(text)
        return True


def test_office_staff_prepare_a_meeting_from_real_open_problems_and_sign_off_the_minutes(
        qtbot, window_for, bureau, tmp_path, chinese):
    leader = window_for("zhang")
    case_id = referable_case(leader, tmp_path)
    form = referrals.prepare(leader.store, leader.profile, case_id)
    form.update(receiving_org="sthj", reason="涉及环境污染，不属于城管执法管辖。", legal_basis="《行政处罚法》第二十五条",
                contact={"name": "张伟", "phone": "021-57420000"})
    referral = referrals.submit(leader.store, leader.profile, case_id, form)
    # the squad leader puts another case on the consultation item list from the case's page
    other = cases.create_case(leader.store, leader.profile, case_draft(party_name="某建材公司")).id
    leader.show_case(other)

    def matter(dialog: QInputDialog) -> None:
        dialog.setTextValue("规划认定意见迟迟未出")
        dialog.accept()

    when_modal(QInputDialog, matter)
    qtbot.mouseClick(leader.detail.header.findChild(QPushButton, "action_coordinate"), Qt.MouseButton.LeftButton)
    assert meetings.case_on_list(leader.store, other)
    assert leader.detail.header.findChild(QPushButton, "action_coordinate") is None  # on the list once
    sync(qtbot, leader)

    staff, dept = window_for("wangfang"), window_for("zhou")
    sync(qtbot, staff)
    section, page = staff.meetings, staff.meetings.page
    page.today = lambda: date.today() + timedelta(days=20)  # the department has not signed: 3 working days passed
    said = Town()
    page.ask_text, page.confirm = said.ask_text, said.confirm

    staff.show_section(section)
    assert section.list.empty.isVisible() and section.list.new_button.isVisible()
    section.lists.setCurrentIndex(1)  # the consultation item list: the case the squad leader put on it
    assert section.consultation.table.rowCount() == 1
    assert section.consultation.table.item(0, 0).text() == "规划认定意见迟迟未出"
    official = cases.get_case(staff.store, other).number  # the case synced: its official number, not the provisional
    assert section.consultation.table.item(0, 2).text() == official and not official.startswith("临时")
    shot(staff, "consultation-list")
    section.lists.setCurrentIndex(0)
    said.texts.append("南桥镇综合行政执法协调会议")
    qtbot.mouseClick(section.list.new_button, Qt.MouseButton.LeftButton)
    assert section.stack.currentWidget() is page and page.title.text() == "南桥镇综合行政执法协调会议"
    page.place.setText("镇政府3楼会议室")
    page.chair.setText("张副镇长")
    page.minute_taker.setText("王芳")
    page.starts_at.setDateTime(QDateTime.currentDateTime().addDays(3))
    page.invitee_unit.setCurrentIndex(page.invitee_unit.findData("sthj"))
    page.invitee_name.setText("周敏")
    page.invitee_title.setText("科长")
    qtbot.keyClick(page.invitee_phone, Qt.Key.Key_Return)  # Enter in the last field adds the person
    page.invitee_unit.setCurrentIndex(0)  # a person typed in, of a unit not on the list
    page.invitee_unit.setEditText("江海村委")
    page.invitee_name.setText("陈书记")
    page.add_invitee()
    assert page.invitees.rowCount() == 2 and page.invitees.item(0, 0).text() == "区生态环境局"
    qtbot.mouseClick(page.save_details_button, Qt.MouseButton.LeftButton)
    assert page.record.data["place"] == "镇政府3楼会议室" and len(page.record.data["invitees"]) == 2

    # the agenda proposed from the store's open problems: the referral the department is late to sign
    page.tabs.setCurrentIndex(1)
    qtbot.mouseClick(page.propose_button, Qt.MouseButton.LeftButton)
    sources = [page.agenda.item(r, 2).text() for r in range(page.agenda.rowCount())]
    assert "逾期未答复的移送" in sources and "需协调的案件" in sources
    row = sources.index("逾期未答复的移送")
    assert page.agenda.item(row, 0).data(Qt.ItemDataRole.UserRole)["ref"]["id"] == referral.id
    said.texts.append("夜间施工噪声扰民的管辖分工")
    page.add_topic()
    page.agenda.setCurrentCell(page.agenda.rowCount() - 1, 1)
    page.move_topic(-1)
    assert page.agenda.item(page.agenda.rowCount() - 2, 1).text() == "夜间施工噪声扰民的管辖分工"
    qtbot.mouseClick(page.agenda_save, Qt.MouseButton.LeftButton)
    saved = page.record.data["agenda"]
    assert saved[-2]["source"] == "manual" and "overdue_referral" in [a["source"] for a in saved]
    assert [a["no"] for a in saved] == list(range(1, len(saved) + 1))
    qtbot.mouseClick(page.notify_button, Qt.MouseButton.LeftButton)
    assert page.record.status == "notified" and page.record.number.startswith("临时编号")

    # attendance taken in the table with the keyboard
    page.tabs.setCurrentIndex(0)
    page.invitees.setFocus()
    page.invitees.selectRow(0)
    qtbot.keyClick(page.invitees, Qt.Key.Key_1)
    page.invitees.selectRow(1)
    qtbot.keyClick(page.invitees, Qt.Key.Key_3)
    qtbot.mouseClick(page.save_attendance_button, Qt.MouseButton.LeftButton)
    assert [p["attendance"] for p in page.record.data["invitees"]] == ["出席", "列席"]
    assert page.record.status == "held"

    # minutes: an agreed item led by the department
    page.tabs.setCurrentIndex(2)
    page.intro.setPlainText("会议议定：")
    page.edit_item = lambda item: {"matter": "对夜间施工噪声开展联合执法", "lead_org": "sthj",
                                   "supporting_orgs": ["nanqiao"], "deadline": "2026-12-31"}
    qtbot.mouseClick(page.item_add, Qt.MouseButton.LeftButton)
    assert page.items.item(0, 2).text() == "区生态环境局"
    qtbot.mouseClick(page.minutes_save, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.circulate_button, Qt.MouseButton.LeftButton)
    assert page.record.minutes["status"] == "circulated" and page.sign_button.isEnabled()
    shot(staff, "meeting-minutes")
    page.tabs.setCurrentIndex(0)
    shot(staff, "meeting-details")
    page.tabs.setCurrentIndex(1)
    shot(staff, "meeting-agenda")
    sync(qtbot, staff)
    number = meetings.get(staff.store, page.record.id).number
    assert number.startswith("〔") and number.endswith("期")

    section.show_list()
    assert section.list.table.rowCount() == 1 and section.list.table.item(0, 5).text() == "已召开"
    shot(staff, "meeting-list")
    section.open_meeting(page.record.id)

    # the department comments from its own client, after a sync
    sync(qtbot, dept)
    dept.show_section(dept.meetings)
    assert dept.meetings.list.table.rowCount() == 1 and not dept.meetings.list.new_button.isVisible()
    dept.meetings.list.table.setFocus()
    dept.meetings.list.table.setCurrentCell(0, 0)
    qtbot.keyClick(dept.meetings.list.table, Qt.Key.Key_Return)  # Enter opens the meeting
    their = dept.meetings.page
    assert their.save_details_button.isHidden() and their.title.isReadOnly() and their.comment_button.isEnabled()
    their.tabs.setCurrentIndex(2)
    their.comment_text.setText("建议完成时限放宽至明年1月")
    qtbot.mouseClick(their.comment_button, Qt.MouseButton.LeftButton)
    assert their.comments.count() == 1 and their.comment_text.text() == ""
    sync(qtbot, dept)

    # the office staff see the comment, sign off (confirmed), then amend: version 2, version 1 kept
    sync(qtbot, staff)
    page.open_meeting(page.record.id)
    assert page.comments.count() == 1 and "区生态环境局 周敏" in page.comments.item(0).text()
    qtbot.mouseClick(page.sign_button, Qt.MouseButton.LeftButton)
    assert said.confirmed and page.record.minutes["status"] == "signed"
    assert page.intro.isReadOnly() and not page.item_add.isEnabled() and page.amend_button.isEnabled()
    said.texts.append("采纳区生态环境局意见，调整完成时限")
    qtbot.mouseClick(page.amend_button, Qt.MouseButton.LeftButton)
    minutes = page.record.minutes
    assert minutes["version"] == 2 and minutes["status"] == "draft"
    assert [m["version"] for m in minutes["previous"]] == [1] and minutes["previous"][0]["status"] == "signed"
    assert page.versions.count() == 2
    page.versions.setCurrentIndex(0)  # version 1 shown read-only
    assert page.intro.isReadOnly() and not page.circulate_button.isEnabled()
    page.versions.setCurrentIndex(1)
    assert not page.intro.isReadOnly() and page.minutes_save.isEnabled()
    sync(qtbot, staff)
    sync(qtbot, dept)
    assert meetings.get(dept.store, page.record.id).minutes["version"] == 2

    # the agreed item the department leads is on its workbench, with its deadline; it opens the meeting, Alt+Left
    # goes back to the workbench
    dept.show_section(dept.workbench)
    dept.workbench.refresh()
    item = next(i for i in dept.workbench.model.items if i.kind == "meeting")
    assert item.task.startswith("落实议定事项第1项") and item.due == date(2026, 12, 31)
    dept.open_work(item)
    assert dept.sections.currentWidget() is dept.meetings and dept.meetings.page.record.id == page.record.id
    shot(dept, "meeting-department")
    qtbot.keyClick(dept, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert dept.sections.currentWidget() is dept.workbench

    # a training's attendance is the officers' training record, shown from the list
    training = meetings.create(staff.store, staff.profile, {
        "kind": "training", "title": "新《行政处罚法》专题培训", "starts_at": "2026-11-18T14:00",
        "invitees": [{"org": "nanqiao", "name": "李娜", "title": "执法队员"}]})
    meetings.record_attendance(staff.store, staff.profile, training.id, {training.data["invitees"][0]["key"]: "出席"})
    shown = []
    section.list.ask_name = lambda default: "李娜"
    section.list.show_text = lambda title, text: shown.append((title, text))
    qtbot.mouseClick(section.list.training_button, Qt.MouseButton.LeftButton)
    assert shown == [("李娜的培训记录", "2026-11-18 新《行政处罚法》专题培训（出席）")]


class FakePrinter:
    """The window's FormPrinter as the meeting page uses it: the forms it offers, and what it was asked to print."""

    def __init__(self):
        self.printed = []

    def meeting_forms(self):
        return [("meeting_notice", "会议通知"), ("meeting_pack", "会议材料汇编")]

    def print_meeting(self, form, data, label):
        self.printed.append((form, data() if callable(data) else data, label))


def test_the_meeting_documents_print_from_what_the_store_holds(qtbot, store):
    from fx_desktop.domain.roles import Role
    from fx_desktop.services.profile import Profile
    from fx_desktop.views.meetings_page import MeetingPage

    staff = Profile("u-staff", "王芳", Role.OFFICE_STAFF, "nanqiao")
    m = meetings.create(store, staff, {"kind": "topic", "title": "专题会", "starts_at": "2026-12-02T09:30",
                                       "place": "会议室", "invitees": [{"org": "ghzy", "name": "刘科长"}]})
    m = meetings.notify(store, staff, m.id)
    printer = FakePrinter()
    page = MeetingPage(store, lambda: staff, printer=printer)
    qtbot.addWidget(page)
    page.open_meeting(m.id)
    titles = [a.text() for a in page.print_menu.actions()]
    assert titles == ["会议通知", "会议材料汇编"] and not page.print_button.isHidden()
    page.print_menu.actions()[0].trigger()
    form, data, label = printer.printed[0]
    assert (form, label) == ("meeting_notice", "〔2026〕第1期")
    assert data.number == "〔2026〕第1期" and data.attendees[0].unit == "区规划资源局" and data.place == "会议室"
    bare = MeetingPage(store, lambda: staff)  # no printer (tests, a window without one): no button
    qtbot.addWidget(bare)
    assert bare.print_button.isHidden()


def test_people_invited_before_complete_with_their_position_and_phone(qtbot, store):
    from fx_desktop.domain.roles import Role
    from fx_desktop.services.profile import Profile
    from fx_desktop.views.meetings_page import MeetingPage

    staff = Profile("u-staff", "王芳", Role.OFFICE_STAFF, "nanqiao")
    meetings.create(store, staff, {"kind": "regular", "title": "上月例会", "invitees": [
        {"org": "ghzy", "name": "刘科长", "title": "执法监督科科长", "phone": "57420001"},
        {"org": None, "unit": "江海村委", "name": "陈书记", "title": "书记", "phone": ""}]})
    now = meetings.create(store, staff, {"kind": "regular", "title": "本月例会"})
    page = MeetingPage(store, lambda: staff)
    qtbot.addWidget(page)
    page.open_meeting(now.id)
    page.invitee_unit.setCurrentIndex(page.invitee_unit.findData("ghzy"))
    assert page.name_completer.model().stringList() == ["刘科长"]
    page.name_completer.activated.emit("刘科长")
    assert (page.invitee_title.text(), page.invitee_phone.text()) == ("执法监督科科长", "57420001")
    page.invitee_unit.setCurrentIndex(page.invitee_unit.findData("sw"))
    assert page.name_completer.model().stringList() == []
