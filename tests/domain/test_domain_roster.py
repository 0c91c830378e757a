"""The roster of officers (domain/roster.py): entries and their validation, the certificate's state, who maintains
the roster, and the rule that an expired certificate cannot be one of a case's officers on the filing day."""
from datetime import date, datetime

import pytest

from fx_desktop.domain import roster as ro
from fx_desktop.domain.case_draft import Officer
from fx_desktop.domain.errors import DomainError

AT = datetime(2026, 11, 30, 9, 0)
TODAY = AT.date()
STAFF = ro.Actor("李内勤", "office_staff", "nanqiao")
LEADER = ro.Actor("王队长", "squad_leader", "nanqiao")
OFFICER = ro.Actor("赵队员", "officer", "nanqiao")
OTHER_TOWN = ro.Actor("钱内勤", "office_staff", "fengcheng")
ENTRY = {"name": "张伟", "cert_no": "31200001", "issuer": "上海市人民政府", "issued_on": "2023-01-05",
         "expires_on": "2028-01-04", "post": "执法队员", "phone": "13812345678", "username": "zhangwei"}


def entry(**changes):
    return ro.create({**ENTRY, **changes}, owner_org="nanqiao", actor=STAFF, at=AT)


def test_create_cleans_and_stamps():
    state = entry(cert_no=" 3120-ab01 ", name=" 张伟 ")
    assert state["cert_no"] == "3120-AB01" and state["name"] == "张伟"
    assert state["active"] is True and state["retired"] is None and state["owner_org"] == "nanqiao"
    assert state["created"] == {"at": "2026-11-30T09:00:00", "by": "李内勤"}


@pytest.mark.parametrize("changes, field, words", [
    ({"name": ""}, "name", "请填写“姓名”"),
    ({"cert_no": ""}, "cert_no", "请填写“执法证号”"),
    ({"cert_no": "31/2"}, "cert_no", "4–32 位"),
    ({"issuer": "  "}, "issuer", "发证机关"),
    ({"expires_on": ""}, "expires_on", "有效期至"),
    ({"expires_on": "2027-02-30"}, "expires_on", "不是有效日期"),
    ({"expires_on": 20270101}, "expires_on", "收到的是整数"),
    ({"issued_on": "2029-01-01"}, "issued_on", "发证日期应早于"),
    ({"phone": "call me"}, "phone", "联系电话"),
    ({"name": "张" * 33}, "name", "不能超过 32 个字"),
    ({"active": "yes"}, "active", "在岗"),
])
def test_validation_names_the_field(changes, field, words):
    with pytest.raises(DomainError) as exc:
        entry(**changes)
    assert exc.value.field == field and words in exc.value.message


def test_only_office_staff_and_squad_leader_of_the_town_edit():
    assert ro.create(ENTRY, owner_org="nanqiao", actor=LEADER, at=AT)["name"] == "张伟"
    with pytest.raises(DomainError, match="内勤或中队长"):
        ro.create(ENTRY, owner_org="nanqiao", actor=OFFICER, at=AT)
    with pytest.raises(DomainError, match="不属于您所在的街镇"):
        ro.update(entry(), {"phone": "13900000000"}, actor=OTHER_TOWN, at=AT)


def test_update_keeps_what_is_not_given_and_retire_then_reinstate():
    state = entry()
    new = ro.apply_step("update_roster_entry", state, {"expires_on": "2031-01-04", "phone": None},
                        actor=LEADER, at=AT)
    assert new["expires_on"] == "2031-01-04" and new["phone"] == "13812345678" and state["expires_on"] == "2028-01-04"
    assert new["updated"]["by"] == "王队长"
    retired = ro.apply_step("retire_roster_entry", new, {"reason": "调离"}, actor=STAFF, at=AT)
    assert retired["active"] is False and retired["retired"]["reason"] == "调离"
    with pytest.raises(DomainError, match="已不在岗"):
        ro.retire(retired, {}, actor=STAFF, at=AT)
    back = ro.update(retired, {"active": True}, actor=STAFF, at=AT)
    assert back["active"] is True and back["retired"] is None
    with pytest.raises(DomainError, match="未知"):
        ro.apply_step("delete_roster_entry", state, {}, actor=STAFF, at=AT)


def test_certificate_state_at_the_edges():
    rules = ro.RosterRules()
    assert ro.certificate_state({"expires_on": "2027-01-29"}, TODAY, rules) is ro.CertState.EXPIRING  # 60 days
    assert ro.certificate_state({"expires_on": "2027-01-30"}, TODAY, rules) is ro.CertState.VALID  # 61 days
    assert ro.certificate_state({"expires_on": "2026-11-30"}, TODAY) is ro.CertState.EXPIRING  # last valid day
    assert ro.certificate_state({"expires_on": "2026-11-29"}, TODAY) is ro.CertState.EXPIRED
    assert ro.days_left({"expires_on": "2026-11-29"}, TODAY) == -1
    assert ro.certificate_state({"expires_on": "2027-01-30"}, TODAY, ro.RosterRules(90)) is ro.CertState.EXPIRING
    assert ro.CertState.EXPIRING.label == "即将到期" and ro.CertState.EXPIRED.label == "已过期"


def test_rules_from_reference_data():
    assert ro.RosterRules.from_reference(None).warn_days == 60
    assert ro.RosterRules.from_reference({"roster": {"warn_days": 30}}).warn_days == 30
    with pytest.raises(DomainError, match="整数"):
        ro.RosterRules.from_reference({"roster": {"warn_days": "soon"}})
    with pytest.raises(DomainError, match="1–365"):
        ro.RosterRules.from_reference({"roster": {"warn_days": 0}})


def test_unique_certificate_number_among_active_entries():
    others = [("a", "31200001", True), ("b", "31200002", False)]
    with pytest.raises(DomainError, match="已在人员名单中") as exc:
        ro.check_unique("31200001", "new", others)
    assert exc.value.field == "cert_no"
    ro.check_unique("31200001", "a", others)  # the entry itself
    ro.check_unique("31200002", "new", others)  # a retired holder's number


def test_case_officers_with_an_expired_certificate_are_refused_naming_officer_number_and_date():
    roster = [entry(), entry(name="李强", cert_no="31200002", issued_on="2020-01-01", expires_on="2026-11-29")]
    officers = [Officer("张伟", "31200001"), Officer("李强", "31200002")]
    with pytest.raises(DomainError) as exc:
        ro.check_case_officers(officers, roster, TODAY)
    message = exc.value.message
    assert "李强" in message and "31200002" in message and "2026-11-29" in message and "请改由" in message
    assert exc.value.field == "officers"
    ro.check_case_officers(officers, roster, date(2026, 11, 29))  # the last valid day: allowed
    ro.check_case_officers([["张伟", "31200001"], {"name": "王五", "cert_no": "99999999"}], roster, TODAY)


def test_officers_not_on_the_roster_are_allowed():
    ro.check_case_officers([Officer("无名", "11112222"), Officer("某人", "33334444")], [], TODAY)
    ro.check_case_officers([], [entry(expires_on="2020-01-01", issued_on="")], TODAY)
