"""Police assistance requests (公安协助) between a town squad and a police station against a real fx-bureau over
raw HTTP, on SQLite and PostgreSQL: the emergency flow and what each side's pull shows, the security list of issue
13 (another station sees and does nothing: 403 and nothing changed; a town entering a police step for a station
with an account must say why) and bad input answered with a Chinese reason."""
from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timedelta

import pytest

from tests.sync.test_sync_referrals import Api, _case, _of

NUMBER = re.compile(r"^奉南桥综执协〔\d{4}〕\d{4}号$")


@pytest.fixture(scope="module")
def server(bureau):
    bureau.add_user("chen", "police_liaison", "pcs_nanqiao", "陈静")
    bureau.add_user("zhou", "police_liaison", "pcs_fengcheng", "周警官")
    return bureau


def _minutes_ago(minutes: int) -> str:
    return (datetime.now() - timedelta(minutes=minutes)).isoformat(timespec="minutes")


def _emergency(case_id: str | None, station: str = "pcs_nanqiao", **over) -> dict:
    return {"request_id": str(uuid.uuid4()), "situation": "emergency", "station_org": station, "case_id": case_id,
            "place": "南桥镇江海路 8 号", "asks": ["keep_order", "verify_identity"], "file": True,
            "call_time": _minutes_ago(30), "number": "临时编号2026-ab12-0001", **over}


def _state(server, request_id: str) -> tuple[dict, int]:
    data, version = server.sql("SELECT data, version FROM police_requests WHERE id = :i", {"i": request_id})[0]
    return (data if isinstance(data, dict) else json.loads(data)), version


def test_an_emergency_request_goes_to_the_station_which_acknowledges_and_records_arrival(server):
    zhang, chen = Api(server, "zhang"), Api(server, "chen")
    case_id = _case(zhang, party_name="吴阻挠")
    args = _emergency(case_id)
    done = zhang.push("create_police_request", args)
    assert done["result"] == "applied" and done["kind"] == "police_request", done
    assert NUMBER.match(done["detail"]["number"]) and done["detail"]["status"] == "sent"

    first = chen.pull()
    assert {c["type"] for c in first["changes"]} <= {"police_request", "reference"}  # no case of the town
    row = _of(first["changes"], "police_request")[args["request_id"]]
    assert (row["owner_org"], row["station_org"], row["situation"], row["status"]) == \
        ("nanqiao", "pcs_nanqiao", "emergency", "sent")
    assert row["data"]["case_snapshot"]["party_name"] == "吴阻挠" and "facts" not in row["data"]["case_snapshot"]

    ack = chen.push("acknowledge_police_request", {"request_id": args["request_id"], "expected_status": "sent",
                                                   "incident_number": "J2026113000123"})
    assert ack["result"] == "applied" and ack["detail"]["status"] == "acknowledged", ack
    arrival = chen.push("record_police_arrival", {"request_id": args["request_id"], "arrived_at": _minutes_ago(18),
                                                  "officers": [{"name": "顾民警", "number": "031245"}]})
    assert arrival["result"] == "applied", arrival

    town_sees = _of(zhang.pull()["changes"], "police_request")[args["request_id"]]
    assert town_sees["status"] == "arrived" and town_sees["version"] == 3
    police = town_sees["data"]["police"]
    assert police["acknowledged"]["by"] == "陈静" and police["acknowledged"]["on_behalf"] is False
    assert police["arrival"]["officers"] == [{"name": "顾民警", "number": "031245"}]
    assert town_sees["data"]["incident_number"] == "J2026113000123"

    # completed later (补录) by the town: the police see it at their next pull
    later = zhang.push("update_police_request", {"request_id": args["request_id"], "urgency": "urgent",
                                                 "details": "当事人阻挠拆除违法搭建"})
    assert later["result"] == "applied", later
    assert _of(chen.pull()["changes"], "police_request")[args["request_id"]]["data"]["urgency"] == "urgent"


def test_another_station_sees_nothing_and_cannot_act(server):
    zhang, zhou = Api(server, "zhang"), Api(server, "zhou")
    args = _emergency(None, party="陈某某")
    assert zhang.push("create_police_request", args)["result"] == "applied"
    assert args["request_id"] not in _of(zhou.pull()["changes"], "police_request")
    before = _state(server, args["request_id"])
    for name, step in (("acknowledge_police_request", {}), ("record_police_outcome", {"outcome": "settled"}),
                       ("update_police_request", {"place": "别处"})):
        refused = zhou.refused(name, {"request_id": args["request_id"], **step})
        assert refused.status == 403 and "无权" in str(refused)
    assert _state(server, args["request_id"]) == before


def test_the_station_cannot_take_the_squads_steps(server):
    zhang, chen = Api(server, "zhang"), Api(server, "chen")
    args = _emergency(None, party="陈某某")
    assert zhang.push("create_police_request", args)["result"] == "applied"
    refused = chen.refused("withdraw_police_request", {"request_id": args["request_id"], "reason": "x"})
    assert refused.status == 403 and "提请单位" in str(refused)
    rejected = chen.push("create_police_request", _emergency(None, party="某"))
    assert rejected["result"] == "rejected" and "不能提请公安协助" in rejected["reason"], rejected


def test_a_town_enters_a_police_step_for_a_station_with_an_account_only_with_a_reason(server):
    zhang = Api(server, "zhang")
    args = _emergency(None, party="陈某某")
    assert zhang.push("create_police_request", args)["result"] == "applied"
    rejected = zhang.push("acknowledge_police_request", {"request_id": args["request_id"]})
    assert rejected["result"] == "rejected" and "写明原因" in rejected["reason"], rejected
    done = zhang.push("acknowledge_police_request", {"request_id": args["request_id"],
                                                     "on_behalf_reason": "民警到场后口头告知，公安端暂未录入"})
    assert done["result"] == "applied", done
    state, _version = _state(server, args["request_id"])
    assert state["police"]["acknowledged"]["on_behalf"] is True and state["police"]["acknowledged"]["org"] == "nanqiao"

    # a station with no account: the squad records the police's answer itself, no reason needed
    no_account = _emergency(None, station="pcs_zhelin", party="某")
    assert zhang.push("create_police_request", no_account)["result"] == "applied"
    done = zhang.push("record_police_arrival", {"request_id": no_account["request_id"], "arrived_at": _minutes_ago(5),
                                                "officers": [{"name": "柘林民警", "number": "0001"}]})
    assert done["result"] == "applied", done
    assert _state(server, no_account["request_id"])[0]["police"]["arrival"]["on_behalf"] is True


def test_officers_only_draft_and_bad_input_is_answered_in_chinese(server):
    li, zhang = Api(server, "li"), Api(server, "zhang")
    rejected = li.push("create_police_request", _emergency(None, party="某"))
    assert rejected["result"] == "rejected" and "只能起草" in rejected["reason"]
    draft = _emergency(None, party="某", file=False, place="")
    done = li.push("create_police_request", draft)
    assert done["result"] == "applied" and done["detail"]["status"] == "draft" and done["detail"]["number"] == ""
    filed = zhang.push("file_police_request", {"request_id": draft["request_id"]})
    assert filed["result"] == "rejected" and "地点" in filed["reason"]
    assert zhang.push("update_police_request", {"request_id": draft["request_id"], "place": "某路"})["result"] \
        == "applied"
    filed = zhang.push("file_police_request", {"request_id": draft["request_id"]})
    assert filed["result"] == "applied" and NUMBER.match(filed["detail"]["number"])

    for bad, words in ((_emergency(None, party="某", asks="all"), "协助的事项"),
                       (_emergency(None, party="某", situation="riot"), "情形"),
                       (_emergency(None, party="某", station_org="scjg"), "不是公安机关"),
                       (_emergency(None, party="某", file="yes"), "file"),
                       ({"request_id": "not-a-uuid", "situation": "emergency", "station_org": "pcs_nanqiao"},
                        "request_id")):
        rejected = zhang.push("create_police_request", bad)
        assert rejected["result"] == "rejected" and words in rejected["reason"], (bad, rejected)
    arrival = zhang.push("record_police_arrival", {"request_id": draft["request_id"], "arrived_at": _minutes_ago(1),
                                                   "officers": [], "on_behalf_reason": "口头告知"})
    assert arrival["result"] == "rejected" and "到场民警" in arrival["reason"]
    assert _state(server, draft["request_id"])[0]["police"]["arrival"] is None


def test_a_joint_operation_reaches_the_station_only_once_approved_and_the_bureau_files_district_ones(server):
    zhang, chen, diao = Api(server, "zhang"), Api(server, "chen"), Api(server, "diao")
    chen.pull()
    plan = {"request_id": str(uuid.uuid4()), "situation": "joint_operation", "station_org": "pcs_nanqiao",
            "place": "南桥镇工业园区", "party": "沿街经营户", "asks": ["keep_order"], "officers_needed": 4,
            "window_start": "2026-12-03T08:30", "window_end": "2026-12-03T11:30", "risk": {"people_expected": 30},
            "file": True}
    done = zhang.push("create_police_request", plan)
    assert done["result"] == "applied" and done["detail"]["status"] == "awaiting_approval", done
    assert plan["request_id"] not in _of(chen.pull()["changes"], "police_request")  # not sent yet
    refused = chen.refused("acknowledge_police_request", {"request_id": plan["request_id"]})
    assert refused.status == 403
    approved = zhang.push("approve_police_request", {"request_id": plan["request_id"], "note": "同意"})
    assert approved["result"] == "applied" and approved["detail"]["status"] == "sent", approved
    row = _of(chen.pull()["changes"], "police_request")[plan["request_id"]]
    assert row["status"] == "sent" and row["data"]["approved"]["by"] == "张伟"

    district = {**plan, "request_id": str(uuid.uuid4()), "station_org": "gafj", "place": "奉贤区全域"}
    done = diao.push("create_police_request", district)
    assert done["result"] == "applied" and done["detail"]["status"] == "awaiting_approval", done
    emergency = diao.push("create_police_request", _emergency(None, party="某", station="gafj"))
    assert emergency["result"] == "rejected" and "专项协作" in emergency["reason"]
