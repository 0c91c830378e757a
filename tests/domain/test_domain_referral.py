"""The referral's rules (domain/referral.py): who may take each step, in which state, with which fields."""
from datetime import date, datetime

import pytest

from fx_desktop.domain import referral as rf
from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.organisations import OrgDirectory
from fx_desktop.domain.workdays import HolidayCalendar
from fx_desktop.store.reference import shipped

ORGS = OrgDirectory.from_reference(shipped())
RULES = rf.ReferralRules.from_reference(shipped())
CAL = HolidayCalendar.load_official()
AT = datetime(2026, 11, 27, 10, 0)  # a Friday
LEADER = rf.Actor("王队长", "squad_leader", "nanqiao")
LIAISON = rf.Actor("李联络", "department_liaison", "scjg")
CASE = {"id": "c1", "status": "investigating", "number": "奉南桥综执立〔2026〕0001号", "town_code": "nanqiao",
        "cause": "无证经营", "party_kind": "person", "party_name": "张三", "facts": "在某路无证经营食品。",
        "evidence": [{"id": "e1", "sha256": "a" * 64, "name": "现场.jpg"}, {"id": "e2", "sha256": "b" * 64}]}


def args(**over):
    base = {"referral_id": "r1", "number": "临时编号", "expected_case_state": "investigating",
            "reason": "属市场监管部门管辖", "legal_basis": "《行政处罚法》第二十二条", "summary": "无证经营食品",
            "materials": [{"title": "现场检查笔录", "pages": 3, "evidence_id": "e1"}, {"title": "询问笔录", "pages": 5}],
            "items": [{"name": "电子秤", "spec": "30kg", "quantity": "1", "unit": "台", "condition": "完好",
                       "kept_at": "南桥中队仓库"}],
            "contact": {"name": "王队长", "phone": "021-12345678"}}
    return {**base, **over}


def submitted(**over):
    return rf.submit(args(**over), case=CASE, owner=ORGS.require("nanqiao"), receiving=ORGS.require("scjg"),
                     actor=LEADER, at=AT, calendar=CAL, rules=RULES)


def test_submit_numbers_materials_and_snapshots_only_what_was_referred():
    s = submitted()
    assert s["status"] == "submitted" and s["case_status_before"] == "investigating"
    assert [m["no"] for m in s["materials"]] == [1, 2]
    assert [e["id"] for e in s["case_snapshot"]["evidence"]] == ["e1"]
    assert s["receipt_due"] == "2026-12-02"  # three working days after Friday 27 November
    assert rf.case_effect("submit_referral", s) == "referred"


@pytest.mark.parametrize("over, field", [
    ({"reason": ""}, "reason"), ({"legal_basis": " "}, "legal_basis"), ({"summary": ""}, "summary"),
    ({"materials": []}, "materials"), ({"materials": [{"title": "笔录", "pages": 0}]}, "materials"),
    ({"materials": [{"title": "笔录", "pages": 1, "evidence_id": "other"}]}, "materials"),
    ({"items": [{"name": "秤", "quantity": "-1", "unit": "台", "kept_at": "仓库"}]}, "items"),
    ({"contact": {"name": "王"}}, "contact"),
])
def test_submit_refuses_incomplete_forms_naming_the_field(over, field):
    with pytest.raises(DomainError) as err:
        submitted(**over)
    assert err.value.field == field and err.value.message


def test_only_a_squad_leader_refers_an_open_case_of_their_town_to_a_department():
    with pytest.raises(DomainError, match="中队长"):
        rf.submit(args(), case=CASE, owner=ORGS.require("nanqiao"), receiving=ORGS.require("scjg"),
                  actor=rf.Actor("队员", "officer", "nanqiao"), at=AT, calendar=CAL, rules=RULES)
    with pytest.raises(DomainError, match="不是区级行业管理部门"):
        rf.submit(args(), case=CASE, owner=ORGS.require("nanqiao"), receiving=ORGS.require("pcs_nanqiao"),
                  actor=LEADER, at=AT, calendar=CAL, rules=RULES)
    with pytest.raises(DomainError, match="不能再移送"):
        rf.submit(args(), case={**CASE, "status": "closed"}, owner=ORGS.require("nanqiao"),
                  receiving=ORGS.require("scjg"), actor=LEADER, at=AT, calendar=CAL, rules=RULES)
    with pytest.raises(DomainError, match="案件状态已变为"):
        submitted(expected_case_state="filed")


def test_the_department_signs_accepts_and_answers():
    s = rf.sign(submitted(), {"expected_status": "submitted", "received_on": "2026-11-27", "materials_match": False,
                              "missing": "询问笔录第5页"}, actor=LIAISON, at=AT, calendar=CAL, rules=RULES)
    assert s["status"] == "received" and s["receipt"]["missing"] == "询问笔录第5页"
    assert s["result_due"] == "2026-12-18"
    s = rf.accept(s, {"expected_status": "received", "their_number": "奉市监〔2026〕12号"}, actor=LIAISON, at=AT)
    s = rf.record_result(s, {"expected_status": "accepted", "result": "filed"}, actor=LIAISON, at=AT)
    assert s["status"] == "concluded" and s["result"]["result"] == "filed"
    assert rf.overdue(s, date(2030, 1, 1)) is None


def test_the_town_cannot_act_for_the_department_and_steps_check_the_state():
    s = submitted()
    with pytest.raises(DomainError, match="接收移送的单位"):
        rf.sign(s, {"received_on": "2026-11-27", "materials_match": True}, actor=LEADER, at=AT, calendar=CAL,
                rules=RULES)
    with pytest.raises(DomainError, match="退回理由"):
        rf.return_referral(s, {"reason": "  "}, actor=LIAISON, at=AT)
    returned = rf.return_referral(s, {"reason": "不属本部门管辖"}, actor=LIAISON, at=AT)
    assert rf.case_effect("return_referral", returned) == "investigating"
    with pytest.raises(DomainError, match="已退回"):
        rf.sign(returned, {"received_on": "2026-11-27", "materials_match": True}, actor=LIAISON, at=AT,
                calendar=CAL, rules=RULES)
    with pytest.raises(DomainError, match="已变为"):
        rf.accept(returned, {"expected_status": "received", "their_number": "1"}, actor=LIAISON, at=AT)


def test_withdrawal_before_the_receipt_and_the_clocks():
    s = submitted()
    assert rf.overdue(s, date(2026, 12, 2)) is None and rf.overdue(s, date(2026, 12, 3)) == "receipt"
    w = rf.withdraw(s, {"expected_status": "submitted", "reason": "发现属本镇管辖"}, actor=LEADER, at=AT)
    assert w["status"] == "withdrawn" and s["status"] == "submitted"  # the input is untouched
    assert rf.due(w) is None
    with pytest.raises(DomainError, match="收到日期"):
        rf.sign(s, {"received_on": "2026-11-20", "materials_match": True}, actor=LIAISON, at=AT, calendar=CAL,
                rules=RULES)
