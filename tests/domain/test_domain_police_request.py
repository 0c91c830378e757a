"""The police assistance request's rules (domain/police_request.py): who files and who drafts, what each situation
needs before it is sent, the police steps and who entered them."""
from datetime import datetime

import pytest

from fx_desktop.domain import police_request as pr
from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.organisations import OrgDirectory
from fx_desktop.store.reference import shipped

ORGS = OrgDirectory.from_reference(shipped())
AT = datetime(2026, 11, 27, 10, 0)
LEADER = pr.Actor("王队长", "squad_leader", "nanqiao")
OFFICER = pr.Actor("赵队员", "officer", "nanqiao")
LIAISON = pr.Actor("陈静", "police_liaison", "pcs_nanqiao")
OTHER_STATION = pr.Actor("周警官", "police_liaison", "pcs_fengcheng")
DISPATCHER = pr.Actor("调度", "bureau_dispatcher", "cgzf")
CASE = {"id": "c1", "number": "奉南桥综执立〔2026〕0001号", "town_code": "nanqiao", "cause": "违法搭建",
        "party_name": "张三", "place": "南桥镇某路1号"}
EMERGENCY = {"request_id": "p1", "situation": "emergency", "place": "南桥镇某路1号", "asks": ["keep_order"],
             "case_id": "c1", "file": True}


def created(args=None, *, actor=LEADER, case=CASE, owner="nanqiao", station="pcs_nanqiao"):
    return pr.create(args or dict(EMERGENCY), case=case, owner=ORGS.require(owner), station=ORGS.require(station),
                     actor=actor, at=AT)


def step(name, state, args, *, actor=LIAISON, has_account=True, minutes=30):
    at = AT.replace(minute=minutes)
    return pr.apply_step(name, state, args, actor=actor, at=at, station_has_account=has_account)


def test_an_emergency_request_saves_with_only_the_four_fields_and_is_sent_at_once():
    s = created()
    assert s["status"] == "sent" and s["situation"] == "emergency"
    assert s["call_time"] == "2026-11-27T10:00" and s["party"] == "张三"  # the call was just made; party from the case
    assert s["case_snapshot"] == {"number": CASE["number"], "cause": "违法搭建", "party_name": "张三",
                                  "place": "南桥镇某路1号", "occurred_at": None}
    assert "警情编号" in pr.still_to_complete(s) and "风险评估" in pr.still_to_complete(s)
    completed = pr.update(s, {"incident_number": "J2026-1", "urgency": "urgent", "risk": {"people_expected": 5},
                              "details": "当事人阻挠拆除", "contact": {"name": "王队长", "phone": "1"}},
                          actor=LEADER, at=AT.replace(hour=15))
    assert completed["completed"][0]["fields"] == ["contact", "details", "incident_number", "risk", "urgency"]
    assert completed["completed"][0]["by"] == "王队长" and pr.still_to_complete(completed) == []


@pytest.mark.parametrize("over, field", [
    ({"place": ""}, "place"), ({"asks": []}, "asks"), ({"case_id": None, "party": ""}, "party"),
    ({"asks": ["fly"]}, "asks"), ({"situation": "riot"}, "situation"),
    ({"call_time": "2026-11-28T10:00"}, "call_time"),  # a call in the future
])
def test_a_request_without_what_the_police_need_is_refused_naming_the_field(over, field):
    args = {**EMERGENCY, **over}
    with pytest.raises(DomainError) as err:
        created(args, case=CASE if args.get("case_id") else None)
    assert err.value.field == field and err.value.message


def test_officers_only_draft_and_the_squad_leader_files():
    with pytest.raises(DomainError, match="只能起草"):
        created(actor=OFFICER)
    draft = created({**EMERGENCY, "file": False, "place": ""}, actor=OFFICER)  # a draft may be incomplete
    assert draft["status"] == "draft" and draft["filed"] is None
    with pytest.raises(DomainError, match="中队长"):
        pr.file_request(draft, {}, actor=OFFICER, at=AT)
    with pytest.raises(DomainError, match="地点"):
        pr.file_request(draft, {}, actor=LEADER, at=AT)
    sent = pr.file_request(pr.update(draft, {"place": "某路"}, actor=OFFICER, at=AT), {}, actor=LEADER, at=AT)
    assert sent["status"] == "sent" and sent["filed"]["by"] == "王队长"


def test_a_joint_operation_needs_its_plan_and_the_heads_approval_before_it_is_sent():
    plan = {"request_id": "p2", "situation": "joint_operation", "place": "南桥镇工业区", "asks": ["keep_order"],
            "party": "多家违建户", "file": True}
    with pytest.raises(DomainError) as err:
        created(plan, case=None)
    assert err.value.field == "window_start"
    plan.update(window_start="2026-12-03T08:00", window_end="2026-12-03T12:00", officers_needed=6,
                risk={"people_expected": 30, "group_risk": True})
    s = created(plan, case=None)
    assert s["status"] == "awaiting_approval"
    with pytest.raises(DomainError, match="不能接警确认"):
        step("acknowledge_police_request", s, {})
    approved = pr.approve(s, {"note": "同意"}, actor=LEADER, at=AT)
    assert approved["status"] == "sent" and approved["approved"]["note"] == "同意"
    with pytest.raises(DomainError, match="结束时间"):
        pr.update(approved, {"window_end": "2026-12-02T08:00"}, actor=LEADER, at=AT)


def test_the_bureau_files_only_district_operations():
    with pytest.raises(DomainError, match="专项协作"):
        created(case=None, actor=DISPATCHER, owner="cgzf", args={**EMERGENCY, "case_id": None, "party": "某"})
    with pytest.raises(DomainError, match="不是公安机关"):
        created(station="scjg")


def test_the_station_liaison_acknowledges_and_records_arrival_identity_and_outcome():
    s = created()
    s = step("acknowledge_police_request", s, {"incident_number": "J20261127-88"})
    assert s["status"] == "acknowledged" and s["incident_number"] == "J20261127-88"
    assert s["police"]["acknowledged"]["on_behalf"] is False and s["police"]["acknowledged"]["by"] == "陈静"
    with pytest.raises(DomainError, match="警号"):
        step("record_police_arrival", s, {"arrived_at": "2026-11-27T10:12", "officers": [{"name": "李"}]})
    with pytest.raises(DomainError, match="不能早于"):
        step("record_police_arrival", s, {"arrived_at": "2026-11-27T09:00", "officers": [{"name": "李", "number": "1"}]})
    s = step("record_police_arrival", s, {"arrived_at": "2026-11-27T10:12",
                                          "officers": [{"name": "李民警", "number": "012345"}]})
    assert s["status"] == "arrived" and pr.minutes_to_arrival(s) == 12
    with pytest.raises(DomainError) as err:
        step("record_police_identity", s, {"result": "verified", "name": "张三", "id_number": "310120199001011234"})
    assert err.value.field == "party_id_number" or "身份证" in err.value.message
    s = step("record_police_identity", s, {"result": "verified", "name": "张三", "id_number": "11010519491231002X"})
    assert s["police"]["identity"]["id_number"] == "11010519491231002X"
    s = step("record_police_outcome", s, {"outcome": "public_order_penalty"})
    assert s["status"] == "concluded"


def test_another_station_cannot_act_and_a_town_needs_a_reason_for_a_station_with_an_account():
    s = created()
    with pytest.raises(DomainError, match="不是发给您所在单位"):
        step("acknowledge_police_request", s, {}, actor=OTHER_STATION)
    with pytest.raises(DomainError) as err:
        step("acknowledge_police_request", s, {}, actor=LEADER, has_account=True)
    assert err.value.field == "on_behalf_reason"
    by_town = step("acknowledge_police_request", s, {"on_behalf_reason": "民警现场口头告知"}, actor=LEADER)
    entry = by_town["police"]["acknowledged"]
    assert entry["on_behalf"] is True and entry["org"] == "nanqiao" and entry["reason"] == "民警现场口头告知"
    no_account = step("record_police_arrival", s, {"arrived_at": "2026-11-27T10:05",
                                                   "officers": [{"name": "李", "number": "1"}]},
                      actor=LEADER, has_account=False)
    assert no_account["police"]["arrival"]["on_behalf"] is True and no_account["police"]["arrival"]["reason"] == ""


def test_a_stale_step_and_a_withdrawal_say_what_happened():
    s = created()
    with pytest.raises(DomainError, match="撤回的理由"):
        pr.withdraw(s, {}, actor=LEADER, at=AT)
    gone = pr.withdraw(s, {"reason": "当事人已自行离开"}, actor=LEADER, at=AT)
    with pytest.raises(DomainError, match="已撤回"):
        step("acknowledge_police_request", gone, {"expected_status": "sent"})
    assert pr.median([12, 30, 5]) == 12 and pr.median([1, 2]) == 1.5 and pr.median([]) is None
