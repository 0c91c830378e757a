"""Legal review across devices through a real fx-bureau: the squad submits, the town's reviewer (another device)
returns it with an opinion, the squad resubmits, the reviewer agrees, the decision unlocks; the server refuses
reviews by an officer, by a reviewer of another town, and of a case never submitted."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from fx_desktop.domain import legal_review as lr
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.services import cases, legal_review
from fx_desktop.store import outbox
from fx_desktop.store.models import Case, OutboxEntry
from tests.conftest import case_draft

MATERIALS = ["case_file", "officer_opinion", "draft_decision", "request_report"]
ALL_MET = {k: {"passed": True, "note": ""} for k, _ in lr.CRITERIA}


def notified_case(leader) -> str:
    made = cases.create_case(leader.store, leader.profile, case_draft(proposed_penalty="罚款", proposed_amount="30000"))
    status = CaseStatus.CLUE
    for action in ("file", "start_investigation", "close_investigation", "notify"):
        status = cases.change_status(leader.store, leader.profile, made.id, action, expected_status=status).status
    assert leader.sync().ok
    return made.id


def _status(device, case_id):
    return cases.get_case(device.store, case_id).status


def _states(device):
    with device.store.sessions() as s:
        return [(e.name, e.state, e.reason) for e in s.query(OutboxEntry).order_by(OutboxEntry.mutation_id)]


def test_submit_return_resubmit_agree_decide(bureau, device):
    leader, officer, reviewer = device(bureau, "zhang"), device(bureau, "li"), device(bureau, "reviewer")
    case_id = notified_case(leader)
    officer.sync()
    legal_review.submit(officer.store, officer.profile, case_id, materials=MATERIALS, report="拟罚款三万元，提请审核。")
    assert officer.sync().ok
    reviewer.sync()
    queue = legal_review.queue(reviewer.store, reviewer.profile)
    assert case_id in [i.review.case_id for i in queue]
    first = next(i.review for i in queue if i.review.case_id == case_id)
    legal_review.record_verdict(reviewer.store, reviewer.profile, case_id, first.id, outcome="revise",
                                opinion="证据链不完整，请补充现场勘验笔录后再报。",
                                criteria={**ALL_MET, "evidence": {"passed": False, "note": "缺勘验笔录"}})
    report = reviewer.sync()
    assert report.ok and report.rejected == 0, report.summary()
    officer.sync()
    assert _status(officer, case_id) is CaseStatus.INVESTIGATION_CLOSED
    returned = legal_review.reviews_of(officer.store, case_id)
    assert returned[0].status is lr.ReviewStatus.RETURNED and returned[0].opinion.startswith("证据链不完整")
    assert returned[0].reviewer == "赵敏" and returned[0].opinion_number.startswith("奉南桥法审〔")
    cases.change_status(officer.store, officer.profile, case_id, "notify",
                        expected_status=CaseStatus.INVESTIGATION_CLOSED)
    legal_review.submit(officer.store, officer.profile, case_id, materials=MATERIALS, report="已补充勘验笔录，再次提请审核。")
    assert officer.sync().ok
    reviewer.sync()
    second = next(i.review for i in legal_review.queue(reviewer.store, reviewer.profile) if i.review.case_id == case_id)
    assert second.round_no == 2
    legal_review.record_verdict(reviewer.store, reviewer.profile, case_id, second.id, outcome="agree", opinion="同意。",
                                criteria=ALL_MET)
    assert reviewer.sync().ok
    leader.sync()
    record = cases.get_case(leader.store, case_id)
    assert record.status is CaseStatus.LEGAL_REVIEW and record.review_passed
    cases.change_status(leader.store, leader.profile, case_id, "decide", expected_status=CaseStatus.LEGAL_REVIEW)
    assert leader.sync().ok and leader.sync().rejected == 0
    (row,) = bureau.sql("SELECT status, review_passed FROM cases WHERE id = :id", {"id": case_id})
    assert row[0] == "decided" and row[1]
    rounds = legal_review.reviews_of(leader.store, case_id)
    assert [(r.round_no, r.status) for r in rounds] == [(1, lr.ReviewStatus.RETURNED), (2, lr.ReviewStatus.AGREED)]
    assert rounds[0].opinion_number != rounds[1].opinion_number


def _enqueue(device, name: str, args: dict) -> None:
    with device.store.writes.begin() as session:
        outbox.enqueue(session, name, args, owner=device.account.username)


def _verdict(case_id: str, review_id: str) -> dict:
    return {"case_id": case_id, "review_id": review_id, "outcome": "agree", "opinion": "", "criteria": ALL_MET}


def test_server_refuses_reviews_by_the_wrong_people_or_of_unsubmitted_cases(bureau, device):
    """A modified client could send these; fx-bureau checks role, town and state itself."""
    bureau.add_user(f"qian{uuid.uuid4().hex[:6]}", "legal_reviewer", "fengcheng", "钱七")
    leader, officer, reviewer = device(bureau, "zhang"), device(bureau, "li"), device(bureau, "reviewer")
    case_id = notified_case(leader)
    # a review of a case that was never submitted
    _enqueue(reviewer, "record_review", _verdict(case_id, str(uuid.uuid4())))
    report = reviewer.sync()
    assert report.rejected == 1
    assert "未提交法制审核" in _states(reviewer)[-1][2]
    legal_review.submit(leader.store, leader.profile, case_id, materials=MATERIALS, report="提请审核。")
    assert leader.sync().ok
    review_id = legal_review.reviews_of(leader.store, case_id)[0].id
    # an officer reviewing
    officer.sync()
    _enqueue(officer, "record_review", _verdict(case_id, review_id))
    assert officer.sync().rejected == 1
    assert "法制审核员" in _states(officer)[-1][2]
    # a reviewer of another town: refused as a whole (403), nothing applied
    other = [u for u in bureau.sql("SELECT username FROM users WHERE town_code = 'fengcheng' AND role = 'legal_reviewer'")]
    outsider = device(bureau, other[0][0])
    _enqueue(outsider, "record_review", _verdict(case_id, review_id))
    assert outsider.sync().rejected == 1
    (row,) = bureau.sql("SELECT status, review_passed FROM cases WHERE id = :id", {"id": case_id})
    assert row[0] == "legal_review" and not row[1]
    # the squad leader cannot decide before the review passed, even by a hand-made mutation
    _enqueue(leader, "transition_case", {"case_id": case_id, "action": "decide", "expected_state": "legal_review"})
    assert leader.sync().rejected == 1
    assert "法制审核" in _states(leader)[-1][2]


def test_an_edit_to_the_decision_after_agreement_takes_the_pass_back_on_the_server(bureau, device):
    leader, reviewer = device(bureau, "zhang"), device(bureau, "reviewer")
    case_id = notified_case(leader)
    legal_review.submit(leader.store, leader.profile, case_id, materials=MATERIALS, report="提请审核。")
    leader.sync()
    reviewer.sync()
    review_id = legal_review.reviews_of(reviewer.store, case_id)[-1].id
    legal_review.record_verdict(reviewer.store, reviewer.profile, case_id, review_id, outcome="agree", opinion="",
                                criteria=ALL_MET)
    reviewer.sync()
    leader.sync()
    record = cases.get_case(leader.store, case_id)
    assert record.review_passed
    draft = record.draft()
    draft.proposed_amount = "45000"
    cases.update_case(leader.store, leader.profile, case_id, draft, base_version=record.version)
    assert leader.sync().ok
    (row,) = bureau.sql("SELECT review_passed FROM cases WHERE id = :id", {"id": case_id})
    assert not row[0] and not cases.get_case(leader.store, case_id).review_passed


def test_reviewer_clears_a_queue_on_another_client_with_one_extension(bureau, device):
    """Done-when of the issue: a squad submits several cases, the town's reviewer works through the queue on a second
    client; the extension goes through the server too, and a second one is refused there as well."""
    leader, reviewer = device(bureau, "zhang"), device(bureau, "reviewer")
    ids = [notified_case(leader) for _ in range(3)]
    for case_id in ids:
        legal_review.submit(leader.store, leader.profile, case_id, materials=MATERIALS, report="提请审核。")
    assert leader.sync().ok
    reviewer.sync()
    mine = [i for i in legal_review.queue(reviewer.store, reviewer.profile) if i.review.case_id in ids]
    assert len(mine) == 3
    first = mine[0].review
    extended = legal_review.extend(reviewer.store, reviewer.profile, first.case_id, first.id, "需调取规划部门意见。")
    assert reviewer.sync().ok
    leader.sync()
    seen = legal_review.reviews_of(leader.store, first.case_id)[-1]
    assert seen.due_on == extended.due_on and seen.extension_reason == "需调取规划部门意见。"
    _enqueue(reviewer, "extend_review", {"case_id": first.case_id, "review_id": first.id, "reason": "再延长"})
    assert reviewer.sync().rejected == 1 and "只能延长一次" in _states(reviewer)[-1][2]
    for item in mine:
        legal_review.record_verdict(reviewer.store, reviewer.profile, item.review.case_id, item.review.id,
                                    outcome="agree", opinion="同意。", criteria=ALL_MET)
    assert reviewer.sync().ok
    assert not [i for i in legal_review.queue(reviewer.store, reviewer.profile) if i.review.case_id in ids]
    leader.sync()
    assert all(cases.get_case(leader.store, i).review_passed for i in ids)
    numbers = {legal_review.reviews_of(leader.store, i)[-1].opinion_number for i in ids}
    assert len(numbers) == 3 and all(n.startswith("奉南桥法审〔") for n in numbers)  # official, distinct


def test_after_a_rejected_step_the_client_gets_the_servers_copy_back(bureau, device):
    """A client with older rules (simulated: it moved its own copy to 决定 and queued the step) is refused by
    fx-bureau; the next pull restores the server's state of the case instead of leaving the client's own."""
    leader = device(bureau, "zhang")
    case_id = notified_case(leader)
    with leader.store.writes.begin() as session:
        session.execute(select(Case).where(Case.id == case_id)).scalar_one().status = "decided"
        outbox.enqueue(session, "transition_case", {"case_id": case_id, "action": "decide",
                                                    "expected_state": "notified"}, owner=leader.account.username)
    assert cases.get_case(leader.store, case_id).status is CaseStatus.DECIDED
    report = leader.sync()
    assert report.rejected == 1 and "法制审核" in _states(leader)[-1][2]
    assert cases.get_case(leader.store, case_id).status is CaseStatus.NOTIFIED
