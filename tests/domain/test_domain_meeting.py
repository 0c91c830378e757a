"""The meeting's rules (domain/meeting.py): who prepares a meeting and who signs the minutes off, the minutes'
draft -> circulated -> signed path with comments from the parties, amendments as new versions with the old one
kept, the agenda proposed from open problems, and the consultation item list."""
from datetime import datetime

import pytest

from fx_desktop.domain import meeting as mt
from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.organisations import OrgDirectory
from fx_desktop.store.reference import shipped

ORGS = OrgDirectory.from_reference(shipped())
AT = datetime(2026, 11, 27, 10, 0)
STAFF = mt.Actor("王芳", "office_staff", "nanqiao")
LEADER = mt.Actor("张伟", "squad_leader", "nanqiao")
OFFICER = mt.Actor("李娜", "officer", "nanqiao")
PLANNING = mt.Actor("规划联络员", "department_liaison", "ghzy")
WATER = mt.Actor("水务联络员", "department_liaison", "sw")
OTHER_TOWN = mt.Actor("奉城内勤", "office_staff", "fengcheng")
INVITEES = [{"key": "p1", "org": "ghzy", "name": "刘科长", "title": "科长", "phone": "57420001"},
            {"key": "p2", "org": "nanqiao", "name": "张伟", "title": "中队长", "phone": "57420002"},
            {"key": "p3", "org": None, "unit": "南桥镇某村委", "name": "陈书记", "title": "书记", "phone": ""}]
ITEM = {"matter": "拆除某路违法搭建", "lead_org": "ghzy", "supporting_orgs": ["nanqiao", "ghzy"],
        "deadline": "2026-12-31"}


def created(actor=STAFF, **over):
    args = {"kind": "regular", "title": "南桥镇综合行政执法协调会议", "starts_at": "2026-11-30T09:30",
            "place": "镇政府3楼会议室", "chair": "张副镇长", "minute_taker": "王芳", "invitees": INVITEES, **over}
    return mt.create(args, owner=ORGS.require(actor.org_code), actor=actor, at=AT, known=ORGS.get)


def step(name, state, args=None, actor=STAFF):
    return mt.apply_step(name, state, args or {}, actor=actor, at=AT, known=ORGS.get)


def signed():
    s = step("write_minutes", created(), {"intro": "会议议定：", "items": [ITEM]})
    s = step("circulate_minutes", s)
    return step("sign_minutes", s, {"expected_version": 1})


def test_office_staff_prepares_a_meeting_and_the_invited_are_its_parties():
    s = created()
    assert s["status"] == "draft" and s["kind"] == "regular" and s["starts_at"] == "2026-11-30T09:30"
    assert [i["key"] for i in s["invitees"]] == ["p1", "p2", "p3"] and s["invitees"][2]["unit"] == "南桥镇某村委"
    assert mt.parties_of(s) == ["ghzy"]  # the convener itself and typed-in people are no parties
    fewer = step("update_meeting", s, {"invitees": INVITEES[1:]})
    assert mt.parties_of(fewer) == ["ghzy"]  # once invited, still a party (as fx-bureau's record_parties)
    with pytest.raises(DomainError, match="不能登记会议"):
        created(actor=OFFICER)
    with pytest.raises(DomainError, match="不召集"):
        mt.create({"kind": "regular", "title": "x"}, owner=ORGS.require("ghzy"), actor=PLANNING, at=AT,
                  known=ORGS.get)
    with pytest.raises(DomainError, match="会议类型"):
        created(kind="party")
    with pytest.raises(DomainError, match="单位名单"):
        created(invitees=[{"org": "nowhere", "name": "某"}])


def test_notify_needs_time_place_and_invitees_and_only_the_convener_acts():
    with pytest.raises(DomainError, match="会议时间"):
        step("notify_meeting", created(starts_at=""))
    s = step("notify_meeting", created())
    assert s["status"] == "notified" and s["notified"]["by"] == "王芳"
    with pytest.raises(DomainError, match="召集会议的单位"):
        step("update_meeting", s, {"place": "别处"}, actor=PLANNING)
    with pytest.raises(DomainError, match="已变为"):
        step("update_meeting", s, {"place": "别处", "expected_status": "draft"})


def test_attendance_is_taken_by_invitee_and_kept_when_the_list_is_edited():
    s = step("record_attendance", created(), {"attendance": {"p1": "出席", "p2": "请假", "p3": "列席"}})
    assert [i["attendance"] for i in s["invitees"]] == ["出席", "请假", "列席"] and s["status"] == "held"
    with pytest.raises(DomainError, match="只能是"):
        step("record_attendance", s, {"attendance": {"p1": "迟到"}})
    with pytest.raises(DomainError, match="不在参会名单"):
        step("record_attendance", s, {"attendance": {"zz": "出席"}})
    edited = step("update_meeting", s, {"invitees": [{k: v for k, v in i.items() if k != "attendance"}
                                                     for i in INVITEES]})
    assert [i["attendance"] for i in edited["invitees"]] == ["出席", "请假", "列席"]


def test_minutes_draft_circulated_commented_by_a_party_and_signed_off():
    s = step("write_minutes", created(), {"intro": "会议议定：", "items": [ITEM]})
    item = s["minutes"]["items"][0]
    assert item == {"no": 1, "matter": "拆除某路违法搭建", "lead_org": "ghzy", "supporting_orgs": ["nanqiao"],
                    "deadline": "2026-12-31", "status": "未启动"}
    with pytest.raises(DomainError, match="不在传阅中"):
        step("comment_minutes", s, {"text": "同意"}, actor=PLANNING)
    with pytest.raises(DomainError, match="先传阅"):
        step("sign_minutes", s)
    s = step("circulate_minutes", s)
    s = step("comment_minutes", s, {"text": "时限请改为明年1月"}, actor=PLANNING)
    assert s["minutes"]["comments"][0]["org"] == "ghzy" and s["minutes"]["comments"][0]["version"] == 1
    with pytest.raises(DomainError, match="没有参加"):
        step("comment_minutes", s, {"text": "x"}, actor=WATER)
    with pytest.raises(DomainError, match="召集会议的单位"):
        step("sign_minutes", s, actor=PLANNING)
    with pytest.raises(DomainError, match="不能签发"):
        step("sign_minutes", s, actor=OFFICER)
    s = step("sign_minutes", s, {"expected_version": 1}, actor=LEADER)
    assert s["minutes"]["status"] == "signed" and s["minutes"]["signed"]["by"] == "张伟"
    assert mt.agreed_open(s) == [s["minutes"]["items"][0]]


def test_signed_minutes_are_locked_and_an_amendment_is_a_new_version_keeping_the_old():
    s = signed()
    with pytest.raises(DomainError, match="签发锁定"):
        step("write_minutes", s, {"intro": "改"})
    with pytest.raises(DomainError, match="理由"):
        step("amend_minutes", s, {"intro": "改"})
    s2 = step("amend_minutes", s, {"reason": "牵头单位调整", "items": [{**ITEM, "lead_org": "sw"}]})
    minutes = s2["minutes"]
    assert minutes["version"] == 2 and minutes["status"] == "draft" and minutes["items"][0]["lead_org"] == "sw"
    assert [m["version"] for m in minutes["previous"]] == [1]
    assert minutes["previous"][0]["status"] == "signed" and minutes["previous"][0]["items"][0]["lead_org"] == "ghzy"
    assert set(mt.parties_of(s2)) == {"ghzy", "sw"}  # the earlier lead unit still sees its version
    assert mt.agreed_open(s2)[0]["lead_org"] == "ghzy"  # until version 2 is signed, version 1 stands
    with pytest.raises(DomainError, match="不能取消"):
        step("cancel_meeting", s2, {"reason": "x"})


def test_items_need_a_lead_unit_and_a_valid_deadline():
    with pytest.raises(DomainError, match="牵头单位"):
        step("write_minutes", created(), {"items": [{"matter": "x", "lead_org": None}]})
    with pytest.raises(DomainError, match="完成时限"):
        step("write_minutes", created(), {"items": [{**ITEM, "deadline": "明年"}]})


def test_cancel_needs_a_reason_and_stops_every_step():
    s = step("cancel_meeting", created(), {"reason": "主持人出差"})
    assert s["status"] == "cancelled"
    with pytest.raises(DomainError, match="已取消"):
        step("notify_meeting", s)


def test_a_training_attendance_is_the_training_record():
    s = step("record_attendance", created(kind="training"), {"attendance": {"p1": "出席", "p2": "请假"}})
    assert [i["name"] for i in mt.trained(s)] == ["刘科长"]
    assert mt.trained(step("record_attendance", created(), {"attendance": {"p1": "出席"}})) == []


def test_the_agenda_is_proposed_from_open_problems_once_each_carried_over_first():
    problems = [
        {"source": "overdue_referral", "title": "移送逾期未签收", "ref": {"kind": "referral", "id": "r1", "case_id": "c1"},
         "due": "2026-11-20"},
        {"source": "consultation", "title": "某路违建", "ref": {"kind": "consultation_item", "id": "k1"}},
        {"source": "case", "title": "案件 c1 需协调", "ref": {"kind": "case", "id": "c1"}},
        {"source": "carried_over", "title": "拆除某路违法搭建", "ref": {"kind": "meeting", "id": "m1", "item": 1},
         "carried_over_from": "〔2026〕第2期", "due": "2026-11-01"},
        {"source": "consultation", "title": "某路违建", "ref": {"kind": "consultation_item", "id": "k1"}},
    ]
    agenda = mt.propose_agenda(problems)
    assert [(a["no"], a["source"]) for a in agenda] == [(1, "carried_over"), (2, "consultation"), (3, "case")]
    assert agenda[0]["carried_over_from"] == "〔2026〕第2期" and agenda[0]["key"] == "meeting:m1:1"
    s = step("set_meeting_agenda", created(), {"agenda": agenda})
    assert [a["title"] for a in s["agenda"]] == ["拆除某路违法搭建", "某路违建", "案件 c1 需协调"]
    with pytest.raises(DomainError, match="没有内容"):
        step("set_meeting_agenda", s, {"agenda": [{"title": ""}]})


def test_consultation_items_are_kept_by_the_town_and_name_the_units_concerned():
    item = mt.create_item({"matter": "某路违法搭建涉及规划认定", "units": ["ghzy", "nanqiao"], "case_id": "c1"},
                          owner=ORGS.require("nanqiao"), actor=LEADER, at=AT, known=ORGS.get)
    assert item["units"] == ["ghzy"] and item["status"] == "open" and mt.item_parties(item) == ["ghzy"]
    with pytest.raises(DomainError, match="不能登记协调会商事项"):
        mt.create_item({"matter": "x"}, owner=ORGS.require("nanqiao"), actor=OFFICER, at=AT, known=ORGS.get)
    done = mt.update_item(item, {"status": "resolved"}, actor=STAFF, at=AT, known=ORGS.get)
    assert done["status"] == "resolved" and not mt.item_open(done) and done["history"][0]["was"] == "open"
    with pytest.raises(DomainError, match="登记该事项的单位"):
        mt.update_item(item, {"status": "resolved"}, actor=OTHER_TOWN, at=AT, known=ORGS.get)


def test_only_the_convener_supervises_an_item_of_signed_minutes():
    from fx_desktop.domain import meeting as mt_
    from fx_desktop.domain.errors import DomainError as Refusal

    item = {"no": 1, "matter": "拆除", "lead_org": "ghzy", "status": "未启动"}
    state = {"owner_org": "nanqiao", "status": "held",
             "minutes": {"status": "draft", "version": 2, "items": [item, {**item, "no": 2}],
                         "previous": [{"status": "signed", "version": 1, "items": [item]}]}}
    assert mt_.supervisable_item(state, 1, "nanqiao") == item  # the signed version 1 counts while 2 is drafted
    for st, no, org, words in ((state, 2, "nanqiao", "没有第2项"), (state, 1, "fengcheng", "召集会议的单位"),
                               ({**state, "status": "cancelled"}, 1, "nanqiao", "已取消"),
                               ({**state, "minutes": {"status": "circulated", "version": 1, "items": [item]}}, 1,
                                "nanqiao", "尚未签发")):
        try:
            mt_.supervisable_item(st, no, org)
        except Refusal as exc:
            assert words in exc.message
        else:
            raise AssertionError((no, org, words))
