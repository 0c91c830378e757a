"""督办 of a meeting's agreed item through the GUI against a real fx-bureau: the town's office staff sign the minutes,
select the agreed item on the minutes tab and press 督办…: the issue dialog opens in the 督办 section with the item's
source, matter, lead unit and deadline filled in. The department signs and reports from its own client, the office
closes the sheet; after the syncs the meeting's item shows 已办结 with the sheet's number, the 督办… action opens the
sheet, the department's workbench no longer asks it to carry the item out, and the meeting pack printed from the
meeting page holds the real 督办单 (its number). Screenshots under /tmp/shots-meet."""
from __future__ import annotations

import io
from datetime import date, timedelta

from pypdf import PdfReader
from PySide6.QtCore import Qt

from fx_desktop.services import meetings, supervisions
from fx_desktop.views.supervision_dialogs import IssueDialog
from tests.support.printing import CapturedPreview
from tests.views.test_views_legal_review import sync, window_for  # noqa: F401 - fixture
from tests.views.test_views_meetings import SHOTS, bureau, shot  # noqa: F401 - fixture: wangfang (nanqiao), zhou (sthj)
from tests.views.test_views_sync import chinese  # noqa: F401 - fixture: the Chinese UI


def _pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_an_agreed_item_is_supervised_from_the_minutes_and_shows_the_sheet_to_its_closure(
        qtbot, window_for, bureau, chinese):  # noqa: F811 - the imported fixtures
    staff, dept = window_for("wangfang"), window_for("zhou")
    due = date.today() + timedelta(days=20)
    me = staff.profile
    m = meetings.create(staff.store, me, {
        "kind": "regular", "title": "南桥镇综合行政执法协调会议", "starts_at": f"{date.today().isoformat()}T09:30",
        "place": "镇政府3楼会议室",
        "invitees": [{"org": "sthj", "name": "周敏", "title": "科长"}]})
    meetings.notify(staff.store, me, m.id)
    meetings.write_minutes(staff.store, me, m.id, intro="会议议定：", items=[
        {"matter": "对夜间施工噪声开展联合执法", "lead_org": "sthj", "supporting_orgs": ["nanqiao"],
         "deadline": due.isoformat()}])
    meetings.circulate(staff.store, me, m.id)
    sync(qtbot, staff)

    staff.show_meeting(m.id)
    page = staff.meetings.page
    page.tabs.setCurrentIndex(2)
    page.items.setCurrentCell(0, 1)
    assert not page.supervise_button.isEnabled()  # circulated, not signed: nothing to supervise yet
    page.confirm = lambda title, text: True
    page.sign()
    assert page.record.minutes["status"] == "signed"
    page.items.setCurrentCell(0, 1)
    assert page.supervise_button.isEnabled() and page.supervise_button.text() == "督办…"
    number = page.record.number
    assert number.startswith("〔") and number.endswith("期")  # the server's, after the sync

    qtbot.mouseClick(page.supervise_button, Qt.MouseButton.LeftButton)
    sup = staff.supervision_page
    assert staff.sections.currentWidget() is sup
    dialog = sup.dialog
    assert isinstance(dialog, IssueDialog) and dialog.isVisible()
    assert dialog.source_label.text() == f"{number}纪要议定事项第一项"
    assert dialog.source == {"source_kind": "meeting", "source_id": m.id, "source_item": 1,
                             "source_text": f"{number}纪要议定事项第一项"}
    assert dialog.matter.toPlainText() == "对夜间施工噪声开展联合执法"
    assert dialog.responsible.currentData() == "sthj"
    assert dialog.deadline.date().toString("yyyy-MM-dd") == due.isoformat()
    dialog.leader.setText("沈副镇长")
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "meeting-item-issue-dialog.png"))
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible(), dialog.error.text()
    sheet = supervisions.for_source(staff.store, "meeting", m.id)[0]
    assert (sheet.data["source"], sheet.responsible_org) == ({"kind": "meeting", "id": m.id, "item": 1}, "sthj")
    sync(qtbot, staff)
    sheet = supervisions.get(staff.store, sheet.id)
    assert not sheet.number.startswith("临时")

    # back on the meeting: the item shows the sheet's number and status; 督办… opens that sheet now
    staff.show_section(staff.meetings)
    assert page.items.item(0, 5).text() == "待签收" and page.items.item(0, 6).text() == sheet.number
    page.items.setCurrentCell(0, 1)
    assert page.supervise_button.text() == "查看督办单"
    shot(staff, "meeting-item-supervised")
    page.items.setFocus()
    qtbot.keyClick(page.items, Qt.Key.Key_Return)  # Enter on the item of signed minutes: its sheet
    assert staff.sections.currentWidget() is sup and sup.view.record.id == sheet.id
    assert sup.dialog is None or not sup.dialog.isVisible()  # no second sheet offered

    # the department signs and reports from its own client; the office closes the sheet
    sync(qtbot, dept)
    assert any(i.kind == "meeting" and i.task.startswith("落实议定事项第1项") for i in
               (dept.workbench.refresh() or dept.workbench.model.items))
    supervisions.sign(dept.store, dept.profile, sheet.id, handler="周敏")
    supervisions.report(dept.store, dept.profile, sheet.id, text="已开展两次夜间联合执法，处罚2家工地",
                        expected_status="in_progress")
    sync(qtbot, dept)
    sync(qtbot, staff)
    staff.show_meeting(m.id)
    page.tabs.setCurrentIndex(2)
    assert page.items.item(0, 5).text() == "已反馈"
    staff.show_section(staff.workbench)
    supervisions.close(staff.store, staff.profile, sheet.id, note="办结")
    sync(qtbot, staff)
    staff.show_section(staff.meetings)  # back on the meeting: the item as its sheet is now
    assert page.items.item(0, 5).text() == "已办结" and page.items.item(0, 6).text() == sheet.number
    shot(staff, "meeting-item-closed")

    # the department after its sync: the item is done (off its workbench), its meeting page says 已办结
    sync(qtbot, dept)
    dept.workbench.refresh()
    assert not any(i.kind == "meeting" and i.task.startswith("落实议定事项") for i in dept.workbench.model.items)
    dept.show_meeting(m.id)
    assert dept.meetings.page.items.item(0, 5).text() == "已办结"
    dept.meetings.page.items.setCurrentCell(0, 1)  # the department opens the sheet from the item too
    assert dept.meetings.page.supervise_button.text() == "查看督办单" and dept.meetings.page.supervise_button.isEnabled()

    # the meeting pack printed from the meeting page holds the real 督办单
    printed = staff.printer.open_preview = CapturedPreview()
    action = next(a for a in page.print_menu.actions() if a.objectName() == "print_meeting-pack")
    action.trigger()
    qtbot.waitUntil(lambda: len(printed.documents) == 1, timeout=30000)
    pdf, name = printed.documents[0]
    text = _pdf_text(pdf)
    assert sheet.number in text and "已办结" in text
    (SHOTS / "meeting-pack-supervised.pdf").write_bytes(pdf)


def test_the_action_is_the_conveners_and_the_sheet_opens_only_where_the_user_has_the_section(qtbot, store):
    from fx_desktop.domain.roles import Role
    from fx_desktop.services.profile import Profile
    from fx_desktop.views.meetings_page import MeetingPage

    staff = Profile("u-staff", "王芳", Role.OFFICE_STAFF, "nanqiao")
    officer = Profile("u-officer", "李娜", Role.OFFICER, "nanqiao")
    m = meetings.create(store, staff, {"kind": "regular", "title": "例会", "starts_at": "2026-12-02T09:30",
                                       "place": "会议室", "invitees": [{"org": "ghzy", "name": "刘科长"}]})
    meetings.notify(store, staff, m.id)
    item = {"matter": "拆除违法搭建", "lead_org": "ghzy", "supporting_orgs": [], "deadline": "2026-12-31"}
    meetings.write_minutes(store, staff, m.id, intro="会议议定：", items=[item, {**item, "matter": "第二项"}])
    meetings.circulate(store, staff, m.id)
    m = meetings.sign(store, staff, m.id, expected_version=1)
    asked, opened = [], []
    page = MeetingPage(store, lambda: staff)
    qtbot.addWidget(page)
    page.superviseRequested.connect(lambda *a: asked.append(a))
    page.sheetRequested.connect(opened.append)
    page.open_meeting(m.id)
    page.show()
    page.tabs.setCurrentIndex(2)
    page.items.setCurrentCell(1, 1)
    page.items.setFocus()
    qtbot.keyClick(page.items, Qt.Key.Key_Return)
    assert asked == [({"source_kind": "meeting", "source_id": m.id, "source_item": 2,
                       "source_text": f"{m.number}纪要议定事项第二项"}, "第二项", "ghzy", "2026-12-31")]
    sheet = supervisions.issue(store, staff, {**asked[0][0], "matter": "第二项", "responsible_org": "ghzy",
                                              "deadline": "2026-12-31"})
    page.show_follow_ups()
    assert [page.items.item(r, 5).text() for r in (0, 1)] == ["未启动", "待签收"]
    assert page.items.item(1, 6).text() == sheet.number
    page.items.setCurrentCell(1, 1)
    page.supervise()
    assert opened == [sheet.id] and len(asked) == 1
    page.opens_sheets = lambda: False  # a user without the 督办 section: the table says it, no button
    page.show_follow_ups()
    assert page.supervise_button.isHidden()
    # an officer of the town sees the statuses but has no 督办 action
    theirs = MeetingPage(store, lambda: officer)
    qtbot.addWidget(theirs)
    theirs.open_meeting(m.id)
    theirs.items.setCurrentCell(0, 1)
    assert theirs.supervise_button.isHidden() and theirs.items.item(1, 5).text() == "待签收"
