"""Legal review on one device: submit with materials, the reviewer's verdict, return and resubmission with the
history kept, one extension, the queue with working-day deadlines, and art. 58 (no decision without a pass)."""
from datetime import date, datetime

import pytest
from sqlalchemy import select

from fx_desktop.domain import legal_review as lr
from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.domain.roles import Role
from fx_desktop.services import cases, legal_review
from fx_desktop.services.profile import Profile
from fx_desktop.services.review_rules import review_rules
from fx_desktop.store.models import AuditEntry, OutboxEntry

NOW = datetime(2026, 3, 10, 9, 0)  # a Tuesday
LEADER = Profile("u-leader", "张伟", Role.SQUAD_LEADER, "nanqiao")
OFFICER = Profile("u-officer", "李娜", Role.OFFICER, "nanqiao")
REVIEWER = Profile("u-reviewer", "赵敏", Role.LEGAL_REVIEWER, "nanqiao")
OTHER_TOWN_REVIEWER = Profile("u-r2", "钱七", Role.LEGAL_REVIEWER, "fengcheng")
MATERIALS = ["case_file", "officer_opinion", "draft_decision", "request_report"]
ALL_MET = {k: {"passed": True, "note": ""} for k, _ in lr.CRITERIA}


def notified_case(store, make_draft, **overrides):
    draft = make_draft(proposed_penalty="罚款", proposed_amount="20000", **overrides)
    made = cases.create_case(store, LEADER, draft, now=NOW)
    status = CaseStatus.CLUE
    for action in ("file", "start_investigation", "close_investigation", "notify"):
        status = cases.change_status(store, LEADER, made.id, action, expected_status=status, now=NOW).status
    return made.id


def submit(store, case_id, **kw):
    return legal_review.submit(store, OFFICER, case_id, materials=kw.pop("materials", MATERIALS),
                               report=kw.pop("report", "拟对当事人罚款二万元，提请法制审核。"), now=NOW, **kw)


def test_major_case_cannot_be_decided_before_review_and_is_after_agreement(store, make_draft):
    case_id = notified_case(store, make_draft)
    with pytest.raises(DomainError, match="重大执法决定须经法制审核"):
        cases.change_status(store, LEADER, case_id, "decide", expected_status=CaseStatus.NOTIFIED, now=NOW)
    record = cases.get_case(store, case_id)
    assert "decide" not in [t.action for t in cases.available_actions(record, LEADER, review_rules(store))]
    review = submit(store, case_id)
    assert review.round_no == 1 and review.status is lr.ReviewStatus.PENDING
    assert review.due_on == date(2026, 3, 17)  # 5 working days after Tue 3-10
    assert cases.get_case(store, case_id).status is CaseStatus.LEGAL_REVIEW
    with pytest.raises(DomainError, match="请等待审核结果"):
        cases.change_status(store, LEADER, case_id, "decide", expected_status=CaseStatus.LEGAL_REVIEW, now=NOW)
    done = legal_review.record_verdict(store, REVIEWER, case_id, review.id, outcome="agree", opinion="",
                                       criteria=ALL_MET, now=NOW)
    assert done.status is lr.ReviewStatus.AGREED and done.reviewer == "赵敏" and done.reviewed_at == NOW
    assert done.opinion_number == "奉南桥法审〔2026〕1号"  # no server: the local register numbers it
    assert cases.get_case(store, case_id).review_passed
    decided = cases.change_status(store, LEADER, case_id, "decide", expected_status=CaseStatus.LEGAL_REVIEW, now=NOW)
    assert decided.status is CaseStatus.DECIDED


def test_return_and_resubmit_keep_the_history(store, make_draft):
    case_id = notified_case(store, make_draft)
    first = submit(store, case_id)
    legal_review.record_verdict(store, REVIEWER, case_id, first.id, outcome="revise",
                                opinion="罚款金额裁量偏高，请按裁量基准调整后再报。",
                                criteria={**ALL_MET, "discretion": {"passed": False, "note": "偏高"}}, now=NOW)
    assert cases.get_case(store, case_id).status is CaseStatus.INVESTIGATION_CLOSED
    cases.change_status(store, OFFICER, case_id, "notify", expected_status=CaseStatus.INVESTIGATION_CLOSED, now=NOW)
    second = submit(store, case_id)
    rounds = legal_review.reviews_of(store, case_id)
    assert [(r.round_no, r.status) for r in rounds] == [(1, lr.ReviewStatus.RETURNED), (2, lr.ReviewStatus.PENDING)]
    assert rounds[0].opinion.startswith("罚款金额裁量偏高") and second.round_no == 2
    with store.sessions() as s:
        names = [e.name for e in s.execute(select(OutboxEntry).order_by(OutboxEntry.mutation_id)).scalars()]
        actions = [a.action for a in s.execute(select(AuditEntry).where(AuditEntry.case_id == case_id)).scalars()]
    assert names.count("submit_review") == 2 and names.count("record_review") == 1
    assert actions.count("review_submit") == 2 and "review_verdict" in actions


def test_bad_submissions_and_verdicts_are_refused_and_nothing_changes(store, make_draft):
    case_id = notified_case(store, make_draft, circumstances=["hearing_held"])
    with pytest.raises(DomainError, match="听证笔录"):
        submit(store, case_id)  # a hearing was held: its record is required
    assert cases.get_case(store, case_id).status is CaseStatus.NOTIFIED
    with pytest.raises(DomainError, match="勾选送审材料"):
        cases.change_status(store, OFFICER, case_id, "submit_review", expected_status=CaseStatus.NOTIFIED, now=NOW)
    review = submit(store, case_id, materials=MATERIALS + ["hearing_record"])
    with pytest.raises(DomainError, match="须写明审核意见"):
        legal_review.record_verdict(store, REVIEWER, case_id, review.id, outcome="disagree", opinion="",
                                    criteria=ALL_MET, now=NOW)
    with pytest.raises(DomainError, match="请选择审核结论"):
        legal_review.record_verdict(store, REVIEWER, case_id, review.id, outcome=None, opinion="x",
                                    criteria=ALL_MET, now=NOW)
    with pytest.raises(DomainError, match="法制审核员办理"):
        legal_review.record_verdict(store, OFFICER, case_id, review.id, outcome="agree", opinion="",
                                    criteria=ALL_MET, now=NOW)
    with pytest.raises(DomainError, match="不属于您所在的街镇"):
        legal_review.record_verdict(store, OTHER_TOWN_REVIEWER, case_id, review.id, outcome="agree", opinion="",
                                    criteria=ALL_MET, now=NOW)
    handler = Profile("u-x", "王磊", Role.LEGAL_REVIEWER, "nanqiao")  # an officer on the case
    with pytest.raises(DomainError, match="回避"):
        legal_review.record_verdict(store, handler, case_id, review.id, outcome="agree", opinion="",
                                    criteria=ALL_MET, now=NOW)
    assert legal_review.reviews_of(store, case_id)[0].status is lr.ReviewStatus.PENDING
    with pytest.raises(DomainError, match="法制审核员"):
        cases.change_status(store, REVIEWER, case_id, "return_review", expected_status=CaseStatus.LEGAL_REVIEW,
                            now=NOW)


def test_one_extension_and_the_queue_marks_overdue(store, make_draft):
    case_id = notified_case(store, make_draft)
    review = submit(store, case_id)
    queue = legal_review.queue(store, REVIEWER, today=date(2026, 3, 18))
    assert [(i.case_number, i.overdue) for i in queue] == [(cases.get_case(store, case_id).number, True)]
    assert queue[0].working_days_left == -1 and "罚款" in queue[0].proposed
    extended = legal_review.extend(store, REVIEWER, case_id, review.id, "案情复杂，需补充调取规划资料。", now=NOW)
    assert extended.due_on == date(2026, 3, 24) and extended.extended
    with pytest.raises(DomainError, match="只能延长一次"):
        legal_review.extend(store, REVIEWER, case_id, review.id, "再延长", now=NOW)
    item = legal_review.queue(store, REVIEWER, today=date(2026, 3, 18))[0]
    assert not item.overdue and item.working_days_left == 4
    assert legal_review.queue(store, OTHER_TOWN_REVIEWER) == []


def test_leader_withdraws_a_submission(store, make_draft):
    case_id = notified_case(store, make_draft)
    submit(store, case_id)
    cases.change_status(store, LEADER, case_id, "return_review", expected_status=CaseStatus.LEGAL_REVIEW, now=NOW)
    assert legal_review.reviews_of(store, case_id)[0].status is lr.ReviewStatus.WITHDRAWN
    assert legal_review.queue(store, REVIEWER) == []


def test_minor_case_decides_without_review_and_circumstances_are_validated(store, make_draft):
    made = cases.create_case(store, LEADER, make_draft(proposed_penalty="罚款", proposed_amount="200"), now=NOW)
    assert not cases.is_major(cases.get_case(store, made.id), review_rules(store))
    with pytest.raises(DomainError, match="没有这些重大执法情形"):
        cases.create_case(store, LEADER, make_draft(circumstances=["not-a-key"]), now=NOW)
    record = cases.get_case(store, made.id)
    updated = cases.update_case(store, LEADER, made.id, record.draft().__class__(
        **{**record.draft().__dict__, "circumstances": ["demolition"]}), base_version=record.version, now=NOW)
    assert updated.values["circumstances"] == ["demolition"]
    assert cases.is_major(updated, review_rules(store))


def test_changing_the_decision_after_agreement_takes_the_pass_back(store, make_draft):
    case_id = notified_case(store, make_draft)
    review = submit(store, case_id)
    legal_review.record_verdict(store, REVIEWER, case_id, review.id, outcome="agree", opinion="", criteria=ALL_MET,
                                now=NOW)
    record = cases.get_case(store, case_id)
    cases.update_case(store, LEADER, case_id, record.draft().__class__(**{**record.draft().__dict__, "place": "新地址"}),
                      base_version=record.version, now=NOW)
    assert cases.get_case(store, case_id).review_passed  # the place is not what the reviewer judged
    record = cases.get_case(store, case_id)
    cases.update_case(store, LEADER, case_id, record.draft().__class__(
        **{**record.draft().__dict__, "proposed_amount": "40000"}), base_version=record.version, now=NOW)
    assert not cases.get_case(store, case_id).review_passed
    with pytest.raises(DomainError, match="法制审核"):
        cases.change_status(store, LEADER, case_id, "decide", expected_status=CaseStatus.LEGAL_REVIEW, now=NOW)
