"""The criminal referral's rules (domain/criminal_referral.py): the team, the report, every clock (days and the
24-hour ones), who enters each step, and the refusals the issue names."""
from datetime import datetime, timedelta

import pytest

from fx_desktop.domain import criminal_referral as cr
from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.lifecycle import require_no_pending_criminal_referral
from fx_desktop.domain.organisations import OrgDirectory
from fx_desktop.store.reference import shipped

ORGS = OrgDirectory.from_reference(shipped())
RULES = cr.CrimeRules.from_reference(shipped())
AT = datetime(2026, 11, 27, 10, 0)
LEADER = cr.Actor("王队长", "squad_leader", "nanqiao")
OFFICER = cr.Actor("赵队员", "officer", "nanqiao")
POLICE = cr.Actor("孙浩", "police_liaison", "pcs_nanqiao")
BUREAU_POLICE = cr.Actor("周警官", "police_liaison", "gafj")
OTHER_POLICE = cr.Actor("吴警官", "police_liaison", "pcs_fengcheng")
CASE = {"id": "c1", "status": "investigating", "number": "奉南桥综执立〔2026〕0001号", "town_code": "nanqiao",
        "cause": "非法倾倒危险废物", "party_kind": "company", "party_name": "某化工公司", "facts": "倾倒废酸 5 吨。",
        "evidence": [{"id": "e1", "sha256": "a" * 64, "name": "检测报告.pdf"}, {"id": "e2", "sha256": "b" * 64}]}
TEAM = [{"name": "王队长", "cert_no": "31001"}, {"name": "赵队员", "cert_no": "31002"}]


def report_args(**over):
    base = {"criminal_referral_id": "k1", "number": "临时编号", "team": TEAM, "suspicion": "涉嫌污染环境罪（刑法第338条）",
            "report": "经调查，当事人非法倾倒废酸约 5 吨……", "attachments": [{"evidence_id": "e1", "kind": "检验报告"}],
            "items": [{"name": "废酸桶", "quantity": "20", "unit": "只", "features": "蓝色塑料桶 200L",
                       "kept_at": "南桥中队暂扣仓库", "measure": "扣押"}],
            "fine_paid": {"amount": "5000", "paid_on": "2026-11-20", "receipt_no": "FK001"},
            "contact": {"name": "王队长", "phone": "021-1234"}}
    return {**base, **over}


def reported(**over):
    return cr.report(report_args(**over), case=CASE, owner=ORGS.require("nanqiao"),
                     receiving=ORGS.require("pcs_nanqiao"), copy_to=ORGS.require("jcy"), actor=LEADER, at=AT,
                     rules=RULES)


def step(name, state, actor, at, **args):
    return cr.apply_step(name, state, args, actor=actor, at=at, rules=RULES,
                         to=ORGS.get(args.get("to_org")), police_has_account=True)


def sent(hours_after_approval=2):
    s = step("decide_criminal_referral", reported(), LEADER, AT + timedelta(days=1), approve=True)
    return step("send_criminal_referral", s, LEADER, AT + timedelta(days=1, hours=hours_after_approval))


def received():
    return step("receipt_criminal_referral", sent(), POLICE, AT + timedelta(days=1, hours=4), signed_by="孙浩")


def test_report_keeps_team_items_fine_and_starts_the_heads_three_day_clock():
    s = reported()
    assert s["status"] == "reported" and [m["name"] for m in s["team"]] == ["王队长", "赵队员"]
    assert s["items"][0]["measure"] == "扣押" and s["fine_paid"]["amount"] == "5000.00"
    assert [e["id"] for e in s["case_snapshot"]["evidence"]] == ["e1"]
    assert s["party_orgs"] == []  # the police see nothing before it is sent
    c = cr.clock(s)
    assert c.step == "decide_criminal_referral" and not c.hours
    assert c.due == datetime(2026, 11, 30, 23, 59, 59)
    assert not c.overdue(datetime(2026, 11, 30, 23, 0)) and c.overdue(datetime(2026, 12, 1, 0, 0))


@pytest.mark.parametrize("team", [
    [TEAM[0]], [TEAM[0], {"name": "赵队员", "cert_no": ""}], [TEAM[0], {"name": "王队长", "cert_no": "9"}], []])
def test_fewer_than_two_certified_officers_is_refused(team):
    with pytest.raises(DomainError) as err:
        reported(team=team)
    assert err.value.field == "team" and ("至少两名" in err.value.message or "执法证" in err.value.message
                                          or "两次" in err.value.message)


@pytest.mark.parametrize("over, field", [
    ({"report": ""}, "report"), ({"suspicion": " "}, "suspicion"),
    ({"attachments": [{"evidence_id": "nope"}]}, "attachments"),
    ({"items": [{"name": "桶", "quantity": "2", "unit": "只", "features": "", "kept_at": "仓库", "measure": "扣押"}]},
     "items"),
    ({"items": [{"name": "桶", "quantity": "0", "unit": "只", "features": "蓝", "kept_at": "仓库", "measure": "扣押"}]},
     "items"),
    ({"fine_paid": {"amount": "-1", "paid_on": "2026-11-20"}}, "fine_paid"),
])
def test_report_refuses_incomplete_forms_naming_the_field(over, field):
    with pytest.raises(DomainError) as err:
        reported(**over)
    assert err.value.field == field


def test_report_only_by_the_squad_leader_to_a_police_organisation():
    with pytest.raises(DomainError, match="中队长"):
        cr.report(report_args(), case=CASE, owner=ORGS.require("nanqiao"), receiving=ORGS.require("pcs_nanqiao"),
                  copy_to=None, actor=OFFICER, at=AT, rules=RULES)
    with pytest.raises(DomainError, match="不是公安机关"):
        cr.report(report_args(), case=CASE, owner=ORGS.require("nanqiao"), receiving=ORGS.require("scjg"),
                  copy_to=None, actor=LEADER, at=AT, rules=RULES)


def test_head_refusal_needs_reasons_and_keeps_them():
    with pytest.raises(DomainError, match="理由"):
        step("decide_criminal_referral", reported(), LEADER, AT, approve=False)
    s = step("decide_criminal_referral", reported(), LEADER, AT, approve=False, reasons="证据不足，补充调查")
    assert s["status"] == "refused" and s["decision"]["reasons"] == "证据不足，补充调查"
    assert not cr.CrimeStatus(s["status"]).pending and cr.clock(s) is None


def test_head_decision_past_three_days_needs_a_reason_for_the_delay():
    late = AT + timedelta(days=4)
    with pytest.raises(DomainError) as err:
        step("decide_criminal_referral", reported(), LEADER, late, approve=True)
    assert err.value.field == "delay_reason" and "逾期原因" in err.value.message
    s = step("decide_criminal_referral", reported(), LEADER, late, approve=True, delay_reason="负责人出差")
    assert s["decision"]["delay_reason"] == "负责人出差"


def test_approval_starts_a_24_hour_clock_counted_in_hours():
    approved_at = AT + timedelta(hours=3)
    s = step("decide_criminal_referral", reported(), LEADER, approved_at, approve=True)
    c = cr.clock(s)
    assert c.hours and c.due == approved_at + timedelta(hours=24)
    assert c.shown(approved_at + timedelta(hours=5)) == "还剩 19 小时"
    assert c.shown(approved_at + timedelta(hours=27)) == "已超期 3 小时"
    assert cr.overdue(s, approved_at + timedelta(hours=25)) == "send_criminal_referral"
    with pytest.raises(DomainError, match="逾期原因"):
        step("send_criminal_referral", s, LEADER, approved_at + timedelta(hours=25))
    on_time = step("send_criminal_referral", s, LEADER, approved_at + timedelta(hours=23))
    assert on_time["status"] == "sent" and on_time["party_orgs"] == ["pcs_nanqiao", "jcy"]


def test_receipt_then_three_day_decision_clock_and_24_hour_pass_on():
    s = received()
    assert s["status"] == "received" and s["receipt"]["entered_by"] == "police"
    c = cr.clock(s)
    assert c.side == "police" and not c.hours and c.due.date() == (AT + timedelta(days=4)).date()
    with pytest.raises(DomainError, match="转交主管机关已超过期限"):
        step("pass_on_criminal_referral", s, POLICE, AT + timedelta(days=2, hours=6), to_org="gafj", notice="已转")
    passed = step("pass_on_criminal_referral", s, POLICE, AT + timedelta(days=1, hours=6), to_org="gafj",
                  notice="本案由分局治安支队管辖，已转交")
    assert passed["receiving_org"] == "gafj" and passed["party_orgs"] == ["pcs_nanqiao", "jcy", "gafj"]
    assert cr.clock(passed).hours and passed["status"] == "passed_on"
    with pytest.raises(DomainError):  # the first station has passed it on: no longer its step
        step("receipt_criminal_referral", passed, POLICE, AT + timedelta(days=1, hours=7), signed_by="孙浩")
    again = step("receipt_criminal_referral", passed, BUREAU_POLICE, AT + timedelta(days=1, hours=8), signed_by="周")
    assert [n for n, _ in cr.steps_taken(again)][-3:] == [
        "receipt_criminal_referral", "pass_on_criminal_referral", "receipt_criminal_referral"]


def test_police_decision_past_three_days_needs_a_reason():
    late = AT + timedelta(days=6)
    with pytest.raises(DomainError, match="立案决定已超过期限"):
        step("police_decide_criminal_referral", received(), POLICE, late, result="filed")
    s = step("police_decide_criminal_referral", received(), POLICE, late, result="filed", delay_reason="需鉴定")
    assert s["status"] == "filed" and cr.clock(s).step == "hand_over_criminal_referral"


def test_not_filed_needs_reasons_then_reconsideration_and_supervision_with_their_clocks():
    with pytest.raises(DomainError, match="理由"):
        step("police_decide_criminal_referral", received(), POLICE, AT + timedelta(days=2), result="not_filed")
    s = step("police_decide_criminal_referral", received(), POLICE, AT + timedelta(days=2), result="not_filed",
             reasons="未达追诉标准")
    assert not cr.CrimeStatus(s["status"]).pending
    window = cr.clock(s)
    assert window.side == "town" and not window.duty and not window.overdue(AT + timedelta(days=30))
    r = step("request_crime_reconsideration", s, LEADER, AT + timedelta(days=3), reasons="数量已达标准")
    assert r["status"] == "reconsidering" and cr.clock(r).side == "police"
    assert cr.overdue(r, AT + timedelta(days=7)) == "decide_crime_reconsideration"
    u = step("decide_crime_reconsideration", r, POLICE, AT + timedelta(days=4), result="upheld", reasons="维持")
    assert u["status"] == "upheld"
    with pytest.raises(DomainError, match="逾期原因"):
        step("request_crime_supervision", u, LEADER, AT + timedelta(days=9), reasons="请求监督")
    sup = step("request_crime_supervision", u, LEADER, AT + timedelta(days=5), reasons="请求监督")
    assert sup["status"] == "supervision" and sup["supervision"]["to_org"] == "jcy"


def test_handover_before_filing_is_refused_and_after_filing_is_recorded():
    with pytest.raises(DomainError, match="尚未立案"):
        step("hand_over_criminal_referral", received(), LEADER, AT + timedelta(days=2), materials="案卷",
             handed_by="王", received_by="孙")
    f = step("police_decide_criminal_referral", received(), POLICE, AT + timedelta(days=2), result="filed")
    with pytest.raises(DomainError, match="备注"):
        step("hand_over_criminal_referral", f, LEADER, AT + timedelta(days=3), materials="案卷", handed_by="王",
             received_by="孙", items_handed=[])
    h = step("hand_over_criminal_referral", f, LEADER, AT + timedelta(days=3), materials="案卷 1 册",
             handed_by="王队长", received_by="孙浩")
    assert h["status"] == "handed_over" and h["handover"]["items_handed"] == [1] and cr.clock(h) is None
    late = AT + timedelta(days=6)
    with pytest.raises(DomainError, match="逾期原因"):
        step("hand_over_criminal_referral", f, POLICE, late, materials="案卷", handed_by="王", received_by="孙")


def test_police_steps_by_the_squad_say_so_and_need_a_reason_where_the_police_has_an_account():
    s = sent()
    with pytest.raises(DomainError, match="代录原因"):
        step("receipt_criminal_referral", s, LEADER, AT + timedelta(days=1, hours=3), signed_by="孙浩")
    entered = step("receipt_criminal_referral", s, LEADER, AT + timedelta(days=1, hours=3), signed_by="孙浩",
                   on_behalf_reason="派出所书面回执已收到")
    assert entered["receipt"]["entered_by"] == "squad" and entered["receipt"]["by"] == "王队长"
    no_account = cr.receipt(s, {"signed_by": "孙浩"}, actor=OFFICER, at=AT + timedelta(days=1, hours=3),
                            rules=RULES, police_has_account=False)
    assert no_account["receipt"]["entered_by"] == "squad"


def test_another_station_and_the_procuratorate_cannot_act():
    for actor in (OTHER_POLICE, cr.Actor("钱宇", "department_liaison", "jcy")):
        with pytest.raises(DomainError, match="公安机关办理|不能"):
            step("receipt_criminal_referral", sent(), actor, AT + timedelta(days=1, hours=3), signed_by="x")


def test_stale_expected_status_and_unknown_steps_are_refused():
    with pytest.raises(DomainError, match="已变为"):
        step("decide_criminal_referral", reported(), LEADER, AT, approve=True, expected_status="approved")
    with pytest.raises(DomainError, match="不认识"):
        step("nonsense", reported(), LEADER, AT)
    with pytest.raises(DomainError, match="晚于现在"):
        step("decide_criminal_referral", reported(), LEADER, AT, approve=True, when="2030-01-01T00:00")


def test_a_pending_criminal_referral_keeps_the_case_from_being_closed_by_a_penalty():
    assert cr.pending([reported()]) and not cr.pending([])
    with pytest.raises(DomainError, match="行政处罚不能代替移送"):
        require_no_pending_criminal_referral("close", True)
    require_no_pending_criminal_referral("decide", True)  # the decision (a warning, a fine) itself stays possible
    require_no_pending_criminal_referral("close", False)
