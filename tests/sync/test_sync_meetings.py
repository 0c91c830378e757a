"""Meetings (会商) and consultation items against a real fx-bureau over raw HTTP, on SQLite and PostgreSQL: a
town's office staff prepares a meeting (its number taken when the notice goes out), the invited department pulls it
and comments on the circulated minutes from its own client, the signed minutes refuse edits and an amendment is a
new version; an organisation that takes no part sees nothing and is refused with 403, nothing changed."""
from __future__ import annotations

import json
import re
import uuid

import pytest

from tests.sync.test_sync_referrals import Api, _case, _of

NUMBER = re.compile(r"^〔\d{4}〕第\d+期$")


@pytest.fixture(scope="module")
def server(bureau):
    bureau.add_user("wangfang", "office_staff", "nanqiao", "王芳")
    bureau.add_user("liu", "department_liaison", "ghzy", "刘科长")
    bureau.add_user("shui", "department_liaison", "sw", "水务联络员")
    bureau.add_user("fcstaff", "office_staff", "fengcheng", "奉城内勤")
    return bureau


def _meeting(**over) -> dict:
    return {"meeting_id": str(uuid.uuid4()), "kind": "regular", "title": "南桥镇综合行政执法协调会议",
            "starts_at": "2026-12-02T09:30", "place": "镇政府3楼会议室", "chair": "张副镇长", "minute_taker": "王芳",
            "invitees": [{"key": "p1", "org": "ghzy", "name": "刘科长", "title": "科长", "phone": "57420001"},
                         {"key": "p2", "org": "nanqiao", "name": "张伟", "title": "中队长", "phone": ""}], **over}


ITEM = {"matter": "拆除江海路违法搭建", "lead_org": "ghzy", "supporting_orgs": ["nanqiao"], "deadline": "2026-12-31"}


def _state(server, meeting_id: str) -> tuple[dict, int]:
    data, version = server.sql("SELECT data, version FROM meetings WHERE id = :i", {"i": meeting_id})[0]
    return (data if isinstance(data, dict) else json.loads(data)), version


def test_a_meeting_is_numbered_when_notified_and_the_department_comments_on_the_circulated_minutes(server):
    staff, liu = Api(server, "wangfang"), Api(server, "liu")
    args = _meeting()
    done = staff.push("create_meeting", args)
    assert done["result"] == "applied" and done["kind"] == "meeting" and done["detail"]["number"] == "", done
    notified = staff.push("notify_meeting", {"meeting_id": args["meeting_id"], "expected_status": "draft"})
    assert notified["result"] == "applied" and NUMBER.match(notified["detail"]["number"]), notified
    row = _of(liu.pull()["changes"], "meeting")[args["meeting_id"]]
    assert row["number"] == notified["detail"]["number"] and row["status"] == "notified"
    assert row["data"]["invitees"][0]["name"] == "刘科长"

    for name, step in (("record_attendance", {"attendance": {"p1": "出席", "p2": "列席"}}),
                       ("write_minutes", {"intro": "会议议定：", "items": [ITEM]}),
                       ("circulate_minutes", {})):
        answer = staff.push(name, {"meeting_id": args["meeting_id"], **step})
        assert answer["result"] == "applied", answer
    comment = liu.push("comment_minutes", {"meeting_id": args["meeting_id"], "text": "时限请放宽至明年1月"})
    assert comment["result"] == "applied", comment
    # the department cannot take the convener's steps
    refused = liu.refused("sign_minutes", {"meeting_id": args["meeting_id"]})
    assert refused.status == 403 and "召集会议的单位" in str(refused)
    signed = staff.push("sign_minutes", {"meeting_id": args["meeting_id"], "expected_version": 1})
    assert signed["result"] == "applied" and signed["detail"]["minutes_status"] == "signed", signed

    seen = _of(staff.pull()["changes"], "meeting")[args["meeting_id"]]["data"]["minutes"]
    assert seen["comments"][0]["org"] == "ghzy" and seen["comments"][0]["by"] == "刘科长"

    # signed minutes refuse edits; an amendment is version 2 with version 1 kept
    before = _state(server, args["meeting_id"])
    rejected = staff.push("write_minutes", {"meeting_id": args["meeting_id"], "intro": "改"})
    assert rejected["result"] == "rejected" and "签发锁定" in rejected["reason"], rejected
    assert _state(server, args["meeting_id"]) == before
    amended = staff.push("amend_minutes", {"meeting_id": args["meeting_id"], "reason": "配合单位调整",
                                           "items": [{**ITEM, "supporting_orgs": ["nanqiao", "sw"]}]})
    assert amended["result"] == "applied" and amended["detail"]["minutes_version"] == 2, amended
    state, _v = _state(server, args["meeting_id"])
    assert state["minutes"]["previous"][0]["version"] == 1 and state["minutes"]["previous"][0]["status"] == "signed"
    # the new supporting unit is a party now and sees the meeting
    assert args["meeting_id"] in _of(Api(server, "shui").pull()["changes"], "meeting")


def test_an_organisation_taking_no_part_sees_nothing_and_is_refused(server):
    staff = Api(server, "wangfang")
    args = _meeting()
    assert staff.push("create_meeting", args)["result"] == "applied"
    before = _state(server, args["meeting_id"])
    for username in ("shui", "fcstaff"):
        other = Api(server, username)
        assert args["meeting_id"] not in _of(other.pull()["changes"], "meeting")
        for name, step in (("comment_minutes", {"text": "x"}), ("update_meeting", {"place": "别处"}),
                           ("notify_meeting", {})):
            refused = other.refused(name, {"meeting_id": args["meeting_id"], **step})
            assert refused.status == 403, (username, name)
    assert _state(server, args["meeting_id"]) == before


def test_bad_arguments_are_a_chinese_reason(server):
    staff = Api(server, "wangfang")
    rejected = staff.push("create_meeting", _meeting(kind="banquet"))
    assert rejected["result"] == "rejected" and "会议类型" in rejected["reason"], rejected
    rejected = staff.push("create_meeting", _meeting(invitees="all"))
    assert rejected["result"] == "rejected" and "清单" in rejected["reason"], rejected
    liu = Api(server, "liu")
    rejected = liu.push("create_meeting", _meeting())
    assert rejected["result"] == "rejected" and "不召集" in rejected["reason"], rejected


def test_a_squad_puts_a_case_on_the_consultation_list_and_the_unit_concerned_sees_it(server):
    zhang, liu, shui = Api(server, "zhang"), Api(server, "liu"), Api(server, "shui")
    case_id = _case(zhang, party_name="某公司")
    item_id = str(uuid.uuid4())
    done = zhang.push("create_consultation_item", {"item_id": item_id, "matter": "规划认定意见迟迟未出",
                                                   "units": ["ghzy"], "case_id": case_id})
    assert done["result"] == "applied" and done["kind"] == "consultation_item", done
    row = _of(liu.pull()["changes"], "consultation_item")[item_id]
    assert row["case_id"] == case_id and row["data"]["case_number"] and row["status"] == "open"
    assert item_id not in _of(shui.pull()["changes"], "consultation_item")
    refused = liu.refused("update_consultation_item", {"item_id": item_id, "status": "resolved"})
    assert refused.status == 403
    wang = Api(server, "wang")  # another town cannot put our case on its list
    refused = wang.refused("create_consultation_item", {"item_id": str(uuid.uuid4()), "matter": "x",
                                                        "case_id": case_id})
    assert refused.status == 403
