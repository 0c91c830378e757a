"""The roster of officers (人员与执法证, record kind "roster_entry") against a real fx-bureau over raw HTTP, on
SQLite and PostgreSQL: the town's office staff add, update and retire entries and the town pulls them; another
town and a department get 403 and nothing changes; an officer (not an editor) is refused with the reason; bad
input a Chinese reason; a case cannot be filed with an officer whose certificate the roster knows as expired."""
from __future__ import annotations

import json
import uuid
from datetime import date, timedelta

import pytest

from fx_desktop.domain.case_draft import Officer
from tests.sync.test_sync_referrals import Api, _case, _of


@pytest.fixture(scope="module")
def server(bureau):
    bureau.add_user("nei", "office_staff", "nanqiao", "倪内勤")
    bureau.add_user("shi", "department_liaison", "scjg", "施联络")
    return bureau


def _entry(**over) -> dict:
    return {"entry_id": str(uuid.uuid4()), "name": "王磊", "cert_no": f"31{uuid.uuid4().int % 10**6:06d}",
            "issuer": "上海市人民政府", "issued_on": "2023-01-01",
            "expires_on": (date.today() + timedelta(days=400)).isoformat(), "post": "执法队员", **over}


def _row(server, entry_id: str) -> tuple:
    data, version, active = server.sql("SELECT data, version, active FROM roster_entries WHERE id = :i",
                                       {"i": entry_id})[0]
    return (data if isinstance(data, dict) else json.loads(data)), version, bool(active)


def test_office_staff_add_update_and_retire_and_the_town_pulls_them(server):
    nei, li, wang = Api(server, "nei"), Api(server, "li"), Api(server, "wang")
    args = _entry()
    done = nei.push("add_roster_entry", args)
    assert done["result"] == "applied" and done["kind"] == "roster_entry", done
    row = _of(li.pull()["changes"], "roster_entry")[args["entry_id"]]
    assert (row["owner_org"], row["name"], row["cert_no"], row["active"]) == ("nanqiao", "王磊", args["cert_no"], True)
    assert row["expires_on"] == args["expires_on"] and row["data"]["issuer"] == "上海市人民政府"
    assert args["entry_id"] not in _of(wang.pull()["changes"], "roster_entry")  # another town sees nothing

    later = (date.today() + timedelta(days=30)).isoformat()
    assert nei.push("update_roster_entry", {"entry_id": args["entry_id"], "expires_on": later})["result"] == "applied"
    state, version, _active = _row(server, args["entry_id"])
    assert state["expires_on"] == later and state["name"] == "王磊" and version == 2
    zhang = Api(server, "zhang")  # the squad leader edits too
    assert zhang.push("retire_roster_entry", {"entry_id": args["entry_id"], "reason": "调离"})["result"] == "applied"
    state, version, active = _row(server, args["entry_id"])
    assert active is False and state["retired"]["by"] == "张伟" and version == 3
    assert _of(li.pull()["changes"], "roster_entry")[args["entry_id"]]["active"] is False
    assert args["entry_id"] in _of(Api(server, "diao").pull()["changes"], "roster_entry")  # the bureau sees all


def test_another_town_and_a_department_get_403_and_nothing_changes(server):
    nei, wang, shi = Api(server, "nei"), Api(server, "wang"), Api(server, "shi")
    args = _entry()
    assert nei.push("add_roster_entry", args)["result"] == "applied"
    before = _row(server, args["entry_id"])
    for user in (wang, shi):
        for name, step in (("update_roster_entry", {"phone": "13900000000"}), ("retire_roster_entry", {})):
            refused = user.refused(name, {"entry_id": args["entry_id"], **step})
            assert refused.status == 403 and "无权" in str(refused), str(refused)
        assert args["entry_id"] not in _of(user.pull()["changes"], "roster_entry")
    assert _row(server, args["entry_id"]) == before
    refused = shi.refused("add_roster_entry", _entry())
    assert refused.status == 403 and "各街镇维护" in str(refused)


def test_an_officer_is_refused_and_bad_input_gets_a_chinese_reason(server):
    li, nei = Api(server, "li"), Api(server, "nei")
    rejected = li.push("add_roster_entry", _entry())
    assert rejected["result"] == "rejected" and "内勤或中队长" in rejected["reason"], rejected
    rejected = nei.push("add_roster_entry", _entry(expires_on="2027-02-30"))
    assert rejected["result"] == "rejected" and "不是有效日期" in rejected["reason"], rejected
    rejected = nei.push("add_roster_entry", _entry(entry_id="not-a-uuid"))
    assert rejected["result"] == "rejected" and "entry_id" in rejected["reason"], rejected
    first = _entry()
    assert nei.push("add_roster_entry", first)["result"] == "applied"
    rejected = nei.push("add_roster_entry", _entry(cert_no=first["cert_no"], name="另一人"))
    assert rejected["result"] == "rejected" and "已在人员名单中" in rejected["reason"], rejected


def test_a_case_is_not_filed_with_an_expired_certificate(server):
    nei, zhang = Api(server, "nei"), Api(server, "zhang")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    expired = _entry(name="过期人", cert_no="39000001", expires_on=yesterday)
    assert nei.push("add_roster_entry", expired)["result"] == "applied"
    case_id = _case(zhang, officers=[Officer("王磊", "31200001"), Officer("过期人", "39000001")])
    rejected = zhang.push("transition_case", {"case_id": case_id, "action": "file", "expected_state": "clue"})
    assert rejected["result"] == "rejected", rejected
    assert "过期人" in rejected["reason"] and "39000001" in rejected["reason"] and yesterday in rejected["reason"]
    assert "请改由持有效执法证的人员承办" in rejected["reason"]
    assert server.sql("SELECT status FROM cases WHERE id = :i", {"i": case_id})[0][0] == "clue"

    # renewed on the roster: the same case is filed
    renewed = (date.today() + timedelta(days=700)).isoformat()
    assert nei.push("update_roster_entry", {"entry_id": expired["entry_id"], "expires_on": renewed})["result"] == \
        "applied"
    done = zhang.push("transition_case", {"case_id": case_id, "action": "file", "expected_state": "clue"})
    assert done["result"] == "applied", done


def test_an_expired_officer_is_not_put_on_a_filed_case(server):
    nei, zhang = Api(server, "nei"), Api(server, "zhang")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    assert nei.push("add_roster_entry", _entry(name="旧证", cert_no="39000002", expires_on=yesterday))["result"] == \
        "applied"
    case_id = _case(zhang)  # officers not on the roster: allowed (the roster is light)
    assert zhang.push("transition_case", {"case_id": case_id, "action": "file",
                                          "expected_state": "clue"})["result"] == "applied"
    base = [["王磊", "31200001"], ["陈静", "31200002"]]
    rejected = zhang.push("update_case", {"case_id": case_id, "base": {"officers": base},
                                          "changed_fields": {"officers": [["王磊", "31200001"], ["旧证", "39000002"]]}})
    assert rejected["result"] == "rejected" and "旧证" in rejected["reason"], rejected


def test_a_conflict_is_not_settled_with_an_expired_officer_on_a_filed_case(server):
    nei, zhang = Api(server, "nei"), Api(server, "zhang")
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    assert nei.push("add_roster_entry", _entry(name="旧证二", cert_no="39000003", expires_on=yesterday))["result"] == \
        "applied"
    case_id = _case(zhang)
    assert zhang.push("transition_case", {"case_id": case_id, "action": "file",
                                          "expected_state": "clue"})["result"] == "applied"
    stale = [["某甲", "31200005"], ["某乙", "31200006"]]  # not what the server holds: a conflict
    clash = zhang.push("update_case", {"case_id": case_id, "base": {"officers": stale},
                                       "changed_fields": {"officers": [["王磊", "31200001"], ["某丙", "31200007"]]}})
    assert clash["result"] == "conflict", clash
    conflict_id = clash["conflicts"][0]["id"]
    rejected = zhang.push("resolve_conflict", {"conflict_id": conflict_id, "case_id": case_id, "field": "officers",
                                               "value": [["王磊", "31200001"], ["旧证二", "39000003"]]})
    assert rejected["result"] == "rejected" and "旧证二" in rejected["reason"], rejected
    done = zhang.push("resolve_conflict", {"conflict_id": conflict_id, "case_id": case_id, "field": "officers",
                                           "value": [["王磊", "31200001"], ["某丙", "31200007"]]})
    assert done["result"] == "applied", done
