"""Meetings between two real clients' stores (a town's office staff, a department's liaison) through a real
fx-bureau process: a meeting prepared offline is numbered by the server when its notice reaches it, the department
pulls it, comments on the circulated minutes from its own client while the town edits them (each side's step
rebased on the other's), the town signs off, and an amendment after sign-off is version 2 on both sides with version
1 kept. After every quiet sync both sides' digests match the server's."""
from __future__ import annotations

import re

from fx_desktop.services import meetings
from tests.sync.test_sync_referral_clients import liaison, quiet

NUMBER = re.compile(r"^〔\d{4}〕第\d+期$")
ITEM = {"matter": "拆除江海路违法搭建", "lead_org": "ghzy", "supporting_orgs": ["nanqiao"], "deadline": "2026-12-31"}


def test_a_meeting_prepared_offline_commented_by_the_department_and_signed_off(fresh_bureau, device):
    fresh_bureau.add_user("wangfang", "office_staff", "nanqiao", "王芳")
    fresh_bureau.add_user("liu", "department_liaison", "ghzy", "刘科长")
    fresh_bureau.start()
    town, dept = device(fresh_bureau, "wangfang"), device(fresh_bureau, "liu")
    planning = liaison(dept, "ghzy")

    fresh_bureau.stop()  # prepared with no network: saved here, waiting in the outbox
    m = meetings.create(town.store, town.profile, {
        "kind": "topic", "title": "江海路违法搭建整治专题会", "starts_at": "2026-12-02T09:30", "place": "镇政府会议室",
        "invitees": [{"org": "ghzy", "name": "刘科长", "title": "科长"}]})
    m = meetings.notify(town.store, town.profile, m.id)
    assert m.number.startswith("临时编号") and not m.synced
    assert town.sync().outcome == "offline"

    fresh_bureau.start()
    report = town.sync()
    assert report.ok and report.pushed == 2 and report.rejected == 0, report.summary()
    m = meetings.get(town.store, m.id)
    assert NUMBER.match(m.number) and m.synced
    quiet(town)

    assert dept.sync().ok
    seen = meetings.meetings(dept.store, planning)
    assert [r.id for r in seen] == [m.id] and seen[0].number == m.number

    key = m.data["invitees"][0]["key"]
    meetings.record_attendance(town.store, town.profile, m.id, {key: "出席"})
    meetings.write_minutes(town.store, town.profile, m.id, intro="会议议定：", items=[ITEM])
    meetings.circulate(town.store, town.profile, m.id)
    assert town.sync().ok and dept.sync().ok
    meetings.comment(dept.store, planning, m.id, "时限请放宽至明年1月")
    # meanwhile the town corrects the intro: both steps travel, each side rebases the other's
    meetings.write_minutes(town.store, town.profile, m.id, intro="2026年12月2日，会议议定：")
    assert dept.sync().ok
    report = town.sync()
    assert report.ok and report.rejected == 0, report.summary()
    mine = meetings.get(town.store, m.id)
    assert mine.minutes["intro"] == "2026年12月2日，会议议定：" and mine.minutes["comments"][0]["by"] == "刘科长"

    meetings.sign(town.store, town.profile, m.id, expected_version=1)
    meetings.amend(town.store, town.profile, m.id, reason="采纳区规划资源局意见",
                   items=[{**ITEM, "deadline": "2027-01-31"}])
    assert town.sync().ok and dept.sync().ok
    theirs = meetings.get(dept.store, m.id)
    assert theirs.minutes["version"] == 2 and theirs.minutes["previous"][0]["status"] == "signed"
    assert theirs.minutes["items"][0]["deadline"] == "2027-01-31"
    quiet(town)
    quiet(dept)
