"""Supervision sheets (督办单) between a town's office and a department against a real fx-bureau over raw HTTP, on
SQLite and PostgreSQL: the whole way (issue, sign, extension, report, send back, report again, close) and what each
side's pull shows; another organisation sees nothing and its steps are refused with 403 and nothing changed; a
step by the wrong side is refused; bad arguments are answered with a Chinese reason."""
from __future__ import annotations

import json
import re
import uuid
from datetime import date, timedelta

import pytest

from tests.sync.test_sync_referrals import Api, _of

NUMBER = re.compile(r"^奉南桥督办〔\d{4}〕\d+号$")


@pytest.fixture(scope="module")
def server(bureau):
    bureau.add_user("fang", "office_staff", "nanqiao", "王芳")
    bureau.add_user("gh", "department_liaison", "ghzy", "李规划")
    bureau.add_user("hb", "department_liaison", "sthj", "周环保")
    return bureau


def _in(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def _sheet(**over) -> dict:
    return {"supervision_id": str(uuid.uuid4()), "responsible_org": "ghzy", "matter": "拆除某路1号违法搭建",
            "deadline": _in(10), "leader": "张副镇长", "source_kind": "meeting", "source_id": str(uuid.uuid4()),
            "source_item": 1, "source_text": "〔2026〕第3期纪要议定事项第一项", "number": "临时编号2026-ab12-0001",
            **over}


def _state(server, sheet_id: str) -> tuple[dict, int]:
    data, version = server.sql("SELECT data, version FROM supervisions WHERE id = :i", {"i": sheet_id})[0]
    return (data if isinstance(data, dict) else json.loads(data)), version


def test_the_office_chases_the_departments_sheet_to_closure(server):
    fang, gh = Api(server, "fang"), Api(server, "gh")
    args = _sheet()
    sid = args["supervision_id"]
    done = fang.push("issue_supervision", args)
    assert done["result"] == "applied" and done["kind"] == "supervision", done
    assert NUMBER.match(done["detail"]["number"]) and done["detail"]["provisional"] == args["number"]

    row = _of(gh.pull()["changes"], "supervision")[sid]
    assert (row["owner_org"], row["responsible_org"], row["status"], row["source_kind"], row["source_item"]) == \
        ("nanqiao", "ghzy", "issued", "meeting", 1)
    assert row["deadline"] == args["deadline"] and row["data"]["source_text"] == args["source_text"]

    steps = (
        (gh, "sign_supervision", {"handler": "李工", "expected_status": "issued"}, "in_progress"),
        (gh, "ask_supervision_extension", {"reason": "需规划复核", "new_deadline": _in(20)}, "extension_asked"),
        (fang, "decide_supervision_extension", {"approved": True}, "in_progress"),
        (gh, "report_supervision", {"text": "已拆除一半", "attachments": ["照片.jpg"]}, "reported"),
        (fang, "send_back_supervision", {"reason": "尚未拆除完毕"}, "sent_back"),
        (gh, "report_supervision", {"text": "已全部拆除"}, "reported"),
        (fang, "close_supervision", {"note": "办结"}, "closed"),
    )
    for api, name, step, status in steps:
        answer = api.push(name, {"supervision_id": sid, **step})
        assert answer["result"] == "applied" and answer["detail"]["status"] == status, (name, answer)

    office_sees = _of(fang.pull()["changes"], "supervision")[sid]
    assert office_sees["status"] == "closed" and office_sees["version"] == 8 and office_sees["deadline"] == _in(20)
    assert [h["by"] for h in office_sees["data"]["history"]] == ["王芳", "李规划", "李规划", "王芳", "李规划", "王芳",
                                                                 "李规划", "王芳"]
    assert _of(gh.pull()["changes"], "supervision")[sid]["status"] == "closed"


def test_another_organisation_sees_nothing_and_cannot_act(server):
    fang, hb, wang = Api(server, "fang"), Api(server, "hb"), Api(server, "wang")
    args = _sheet()
    assert fang.push("issue_supervision", args)["result"] == "applied"
    assert args["supervision_id"] not in _of(hb.pull()["changes"], "supervision")
    assert args["supervision_id"] not in _of(wang.pull()["changes"], "supervision")
    before = _state(server, args["supervision_id"])
    for api in (hb, wang):
        for name, step in (("sign_supervision", {}), ("close_supervision", {}),
                           ("withdraw_supervision", {"reason": "x"})):
            refused = api.refused(name, {"supervision_id": args["supervision_id"], **step})
            assert refused.status == 403 and "无权" in str(refused)
    assert _state(server, args["supervision_id"]) == before


def test_each_side_takes_only_its_own_steps(server):
    fang, gh, li = Api(server, "fang"), Api(server, "gh"), Api(server, "li")
    args = _sheet()
    sid = args["supervision_id"]
    assert fang.push("issue_supervision", args)["result"] == "applied"
    before = _state(server, sid)
    refused = gh.refused("withdraw_supervision", {"supervision_id": sid, "reason": "不想办"})
    assert refused.status == 403 and "督办单位" in str(refused)
    refused = fang.refused("sign_supervision", {"supervision_id": sid})
    assert refused.status == 403 and "责任单位" in str(refused)
    assert _state(server, sid) == before
    rejected = li.push("close_supervision", {"supervision_id": sid})  # the office's organisation, the wrong role
    assert rejected["result"] == "rejected" and "执法队员" in rejected["reason"], rejected
    rejected = gh.push("issue_supervision", _sheet(responsible_org="nanqiao"))
    assert rejected["result"] == "rejected" and "督办单" in rejected["reason"], rejected


def test_bad_arguments_are_answered_in_chinese(server):
    fang = Api(server, "fang")
    for bad, words in ((_sheet(matter=""), "督办事项"), (_sheet(deadline="下周"), "日期"),
                       (_sheet(deadline=_in(-2)), "已经过去"), (_sheet(responsible_org="fengcheng"), "其他街镇"),
                       (_sheet(responsible_org="nowhere"), "责任单位"), (_sheet(source_item="一"), "第几项"),
                       (_sheet(supervision_id="not-a-uuid"), "supervision_id")):
        rejected = fang.push("issue_supervision", bad)
        assert rejected["result"] == "rejected" and words in rejected["reason"], (bad, rejected)
    args = _sheet()
    assert fang.push("issue_supervision", args)["result"] == "applied"
    rejected = fang.push("urge_supervision", {"supervision_id": args["supervision_id"]})
    assert rejected["result"] == "rejected" and "不需要催办" in rejected["reason"]
    rejected = fang.push("send_back_supervision", {"supervision_id": args["supervision_id"], "reason": "x"})
    assert rejected["result"] == "rejected" and "待签收" in rejected["reason"]
    near = _sheet(deadline=_in(1))
    assert fang.push("issue_supervision", near)["result"] == "applied"
    urged = fang.push("urge_supervision", {"supervision_id": near["supervision_id"], "note": "请抓紧"})
    assert urged["result"] == "applied", urged
    assert _state(server, near["supervision_id"])[0]["urged"] == [date.today().isoformat()]


def test_the_bureau_supervises_a_town_whose_staff_answer(server):
    diao, li, wang = Api(server, "diao"), Api(server, "li"), Api(server, "wang")
    args = _sheet(responsible_org="nanqiao", source_kind=None, source_id=None, source_item=None,
                  source_text="区联席会议交办事项")
    done = diao.push("issue_supervision", args)
    assert done["result"] == "applied" and done["detail"]["number"].startswith("奉城管督办〔"), done
    row = _of(li.pull()["changes"], "supervision")[args["supervision_id"]]
    assert row["owner_org"] == "cgzf" and row["data"]["source_text"] == "区联席会议交办事项"
    assert li.push("sign_supervision", {"supervision_id": args["supervision_id"]})["result"] == "applied"
    assert args["supervision_id"] not in _of(wang.pull()["changes"], "supervision")  # another town: nothing
    refused = wang.refused("report_supervision", {"supervision_id": args["supervision_id"], "text": "x"})
    assert refused.status == 403
    done = li.push("report_supervision", {"supervision_id": args["supervision_id"], "text": "已整改"})
    assert done["result"] == "applied" and done["detail"]["status"] == "reported", done
    refused = li.refused("close_supervision", {"supervision_id": args["supervision_id"]})
    assert refused.status == 403 and "督办单位" in str(refused)
    assert diao.push("close_supervision", {"supervision_id": args["supervision_id"]})["detail"]["status"] == "closed"


def test_an_agreed_item_is_supervised_only_by_the_convener_once_its_minutes_are_signed(server):
    """The sheet names a meeting on the server: it must be the supervising office's own, its minutes signed and the
    item on them; another organisation's meeting is a 403 with nothing applied."""
    fang, wang = Api(server, "fang"), Api(server, "wang")
    meeting_id = str(uuid.uuid4())
    item = {"matter": "拆除江海路违法搭建", "lead_org": "ghzy", "supporting_orgs": [], "deadline": _in(30)}
    steps = (("create_meeting", {"meeting_id": meeting_id, "kind": "regular", "title": "协调会",
                                 "starts_at": "2026-12-02T09:30", "place": "镇政府3楼会议室"}),
             ("write_minutes", {"meeting_id": meeting_id, "intro": "会议议定：", "items": [item]}))
    for name, args in steps:
        assert fang.push(name, args)["result"] == "applied", name
    of_meeting = {"source_kind": "meeting", "source_id": meeting_id, "source_item": 1}
    rejected = fang.push("issue_supervision", _sheet(**of_meeting))
    assert rejected["result"] == "rejected" and "尚未签发" in rejected["reason"], rejected
    for name, args in (("circulate_minutes", {"meeting_id": meeting_id}),
                       ("sign_minutes", {"meeting_id": meeting_id, "expected_version": 1})):
        assert fang.push(name, args)["result"] == "applied", name
    rejected = fang.push("issue_supervision", _sheet(**{**of_meeting, "source_item": 2}))
    assert rejected["result"] == "rejected" and "没有第2项" in rejected["reason"], rejected
    other = _sheet(**of_meeting, responsible_org="fengcheng")  # 奉城's squad leader names 南桥's meeting
    refused = wang.refused("issue_supervision", other)
    assert refused.status == 403 and "召集会议的单位" in str(refused)
    assert server.sql("SELECT count(*) FROM supervisions WHERE id = :i", {"i": other["supervision_id"]})[0][0] == 0
    done = fang.push("issue_supervision", _sheet(**of_meeting))
    assert done["result"] == "applied", done
