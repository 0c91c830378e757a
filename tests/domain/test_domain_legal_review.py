"""Legal review rules: what makes a decision major (as editable data), materials, verdicts, deadlines, extension,
recusal, and the art. 58 block on deciding."""
from datetime import date
from decimal import Decimal

import pytest

from fx_desktop.domain import legal_review as lr
from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.domain.roles import Role
from fx_desktop.domain.workdays import HolidayCalendar

RULES = lr.ReviewRules()
ALL_MET = {k: {"passed": True, "note": ""} for k, _ in lr.CRITERIA}


@pytest.mark.parametrize("kind, penalty, amount, major", [
    ("person", "罚款", "4999.99", False),
    ("person", "罚款", "5000", True),
    ("org", "罚款", "49999", False),
    ("org", "罚款", "50000.00", True),
    ("org", "没收违法所得", "60000", True),
    ("person", "警告", None, False),
    ("person", "责令停产停业", None, True),
    ("org", "吊销许可证件", "", True),
    ("person", "限期拆除", None, False),
])
def test_thresholds_and_kinds(kind, penalty, amount, major):
    assert bool(RULES.major_reasons(party_kind=kind, penalty=penalty, amount=amount)) is major


def test_circumstances_make_it_major_and_reasons_read_as_words():
    reasons = RULES.major_reasons(party_kind="person", penalty="限期拆除", amount=None,
                                  circumstances=["demolition", "hearing_held"])
    assert reasons == ["已举行听证", "拟责令拆除已建成的违法建筑物、构筑物"]  # in the rules' order
    fine = RULES.major_reasons(party_kind="person", penalty="罚款", amount=Decimal("20000"))
    assert fine == ["对个人“罚款”20,000元，达到5,000元的标准"]


def test_rules_come_from_reference_data():
    rules = lr.ReviewRules.from_reference({"legal_review": {
        "person_threshold": "1000", "time_limit_days": 3,
        "circumstances": [{"key": "demolition", "label": "拆除", "major": False}]}})
    assert rules.major_reasons(party_kind="person", penalty="罚款", amount="1000")
    assert rules.major_reasons(party_kind="person", penalty="限期拆除", amount=None, circumstances=["demolition"]) == []
    assert rules.time_limit_days == 3 and rules.org_threshold == Decimal("50000")
    with pytest.raises(DomainError, match="没有这些重大执法情形"):
        rules.check_circumstances(["hearing_held"])
    with pytest.raises(DomainError, match="格式不正确"):
        lr.ReviewRules.from_reference({"legal_review": {"person_threshold": "很多"}})


def test_missing_materials_are_named():
    with pytest.raises(DomainError) as err:
        lr.check_submission(["case_file", "officer_opinion"], ["hearing_held"], "请审核")
    assert "行政处罚决定书（草案）" in err.value.message and "听证笔录" in err.value.message
    assert "法制审核申请报告" in err.value.message and "案卷材料" not in err.value.message
    # no hearing held: the hearing record is not required
    given = ["case_file", "officer_opinion", "draft_decision", "request_report"]
    assert lr.check_submission(given, [], "请审核") == given
    with pytest.raises(DomainError, match="申请报告"):
        lr.check_submission(given, [], "   ")


def test_verdict_rules():
    with pytest.raises(DomainError, match="请选择审核结论"):
        lr.check_verdict(None, "意见", ALL_MET)
    for outcome in ("revise", "disagree"):
        with pytest.raises(DomainError, match="须写明审核意见") as err:
            lr.check_verdict(outcome, "  ", ALL_MET)
        assert err.value.field == "opinion"
    assert lr.check_verdict("agree", "", ALL_MET).outcome is lr.Outcome.AGREE
    partial = dict(ALL_MET)
    partial.pop("evidence")
    with pytest.raises(DomainError, match="证据确凿充分"):
        lr.check_verdict("agree", "", partial)
    failed = {**ALL_MET, "discretion": {"passed": False, "note": "罚款偏高"}}
    with pytest.raises(DomainError, match="不能作出“同意”"):
        lr.check_verdict("agree", "", failed)
    assert lr.check_verdict("revise", "罚款金额偏高，请调整。", failed).criteria["discretion"]["passed"] is False


def test_deadline_in_working_days_and_one_extension():
    cal = HolidayCalendar.load_official()
    # submitted Wed 2026-09-30: 10-1..10-7 off, Sat 10-10 worked -> 5 working days: 10-8, 10-9, 10-10, 10-12, 10-13
    assert lr.review_due(date(2026, 9, 30), cal, 5) == date(2026, 10, 13)
    assert lr.check_extension(False, " 案情复杂 ") == "案情复杂"
    with pytest.raises(DomainError, match="只能延长一次"):
        lr.check_extension(True, "再延长")
    with pytest.raises(DomainError, match="理由"):
        lr.check_extension(False, "")


def test_reviewer_who_handled_the_case_must_step_aside():
    with pytest.raises(DomainError, match="回避"):
        lr.check_not_handler("王磊", officers=[["王磊", "31200001"]], created_by="张伟", submitted_by="李娜")
    with pytest.raises(DomainError, match="回避"):
        lr.check_not_handler("李娜", officers=[], created_by="张伟", submitted_by="李娜")
    lr.check_not_handler("赵敏", officers=[["王磊", "31200001"]], created_by="张伟", submitted_by="李娜")


def test_workflow_step_blocks_a_major_decision_without_a_passed_review():
    S = CaseStatus
    with pytest.raises(DomainError, match="法制审核"):
        lr.workflow_step(S.NOTIFIED, "decide", Role.SQUAD_LEADER, major=True, review_passed=False, officer_count=2)
    with pytest.raises(DomainError, match="请等待审核结果"):
        lr.workflow_step(S.LEGAL_REVIEW, "decide", Role.SQUAD_LEADER, major=True, review_passed=False,
                         officer_count=2)
    assert lr.workflow_step(S.LEGAL_REVIEW, "decide", Role.SQUAD_LEADER, major=True, review_passed=True,
                            officer_count=2) is S.DECIDED
    assert lr.workflow_step(S.NOTIFIED, "decide", Role.SQUAD_LEADER, major=False, review_passed=False,
                            officer_count=2) is S.DECIDED
    with pytest.raises(DomainError, match="勾选送审材料"):
        lr.workflow_step(S.NOTIFIED, "submit_review", Role.OFFICER, major=True, review_passed=False, officer_count=2)
    with pytest.raises(DomainError, match="审核意见"):
        lr.workflow_step(S.LEGAL_REVIEW, "return_review", Role.LEGAL_REVIEWER, major=True, review_passed=False,
                         officer_count=2)
    assert lr.workflow_step(S.LEGAL_REVIEW, "return_review", Role.SQUAD_LEADER, major=True, review_passed=False,
                            officer_count=2) is S.INVESTIGATION_CLOSED


def test_the_referral_criterion_keeps_its_key_and_stored_shape_with_answers_in_words():
    """Stored verdicts ({"crime": {"passed": bool}}) stay valid; the words say what passed means."""
    assert dict(lr.CRITERIA)["crime"] == "是否涉嫌犯罪需移送司法机关"
    assert lr.criterion_answers("crime") == ("未发现涉嫌犯罪", "涉嫌犯罪需移送")
    assert lr.criterion_answers("facts") == ("符合", "不符合")
    stored = {**ALL_MET, "crime": {"passed": False, "note": "达到追诉标准"}}
    assert lr.check_verdict("disagree", "涉嫌犯罪，应移送公安机关。", stored).criteria["crime"] == stored["crime"]
    with pytest.raises(DomainError) as err:
        lr.check_verdict("agree", "", stored)
    assert err.value.message == "审核项“是否涉嫌犯罪需移送司法机关”评定为“涉嫌犯罪需移送”，不能作出“同意”的结论。"
    two = {**stored, "discretion": {"passed": False, "note": ""}}
    with pytest.raises(DomainError, match="“裁量适当”评定为“不符合”、“是否涉嫌犯罪需移送司法机关”评定为“涉嫌犯罪需移送”"):
        lr.check_verdict("agree", "", two)
