"""The workbench's items per role on a real SQLite store with a town's varied work (tests/support/workbench_data.py):
what each role is to act on, sorted by what falls due first, overdue ones flagged with the right clock, counts by
kind, nothing of another town or organisation, and a new kind joining through SOURCES alone."""
from __future__ import annotations

from datetime import date

import pytest

from fx_desktop.domain.roles import Role
from fx_desktop.services import workbench
from fx_desktop.services.profile import Profile, save_profile
from fx_desktop.paths import DataPaths
from fx_desktop.store import open_store
from tests.support.workbench_data import (EARLY, LONG_AGO, LEADER, make_case, OFFICER, OTHER_LEADER, REVIEWER, STAFF,
                                          TODAY, pulled, town_with_work)


@pytest.fixture
def work(store):
    return town_with_work(store)


def rows(bench: workbench.Workbench) -> list[tuple[str, str, str]]:
    return [(i.kind, i.task, i.case_id) for i in bench.items]


def counts(bench: workbench.Workbench) -> dict[str, tuple[int, int]]:
    return {c.kind: (c.total, c.overdue) for c in bench.counts}


def test_the_reviewer_sees_the_towns_pending_rounds_by_deadline_the_late_one_first(store, work):
    bench = workbench.load(store, REVIEWER, today=TODAY)
    assert rows(bench) == [("legal_review", "审核第 1 次送审", work.late_review),
                           ("legal_review", "审核第 1 次送审", work.fresh_review)]
    late, fresh = bench.items
    assert late.overdue and late.left == -9 and late.working_days and late.due == date(2026, 3, 9)
    assert not fresh.overdue and fresh.left == 4  # Fri 3-20 -> Thu 3-26
    assert counts(bench) == {"legal_review": (2, 1)}
    assert work.other_town not in {i.case_id for i in bench.items}


def test_the_squad_leader_sees_case_clocks_answered_rounds_and_late_referrals(store, work):
    bench = workbench.load(store, LEADER, today=TODAY)
    assert rows(bench) == [
        ("case", "作出处罚决定", work.late_decision),  # due 2026-02-02
        ("referral", "催办签收", work.referred),  # the department should have signed by 3-05
        ("case", "送达处罚决定书", work.decided),  # 7 working days after the decision of 3-16
        ("legal_review", "审核通过，作出决定", work.agreed),
        ("legal_review", "审核退回，修改后再报", work.returned),  # its decision clock is not listed twice
        ("case", "审批立案", work.clue),  # no clock: last
    ]
    decision, referral, serve = bench.items[:3]
    assert decision.overdue and decision.left == -46 and not decision.working_days  # 90 calendar days
    assert referral.overdue and referral.working_days and referral.record_id == work.referral.id
    assert serve.due == date(2026, 3, 25) and serve.left == 3 and not serve.overdue
    assert bench.items[-1].due is None and bench.items[-1].left is None
    assert counts(bench) == {"case": (3, 1), "legal_review": (2, 0), "referral": (1, 1), "police_request": (0, 0),
                             "criminal_referral": (0, 0), "meeting": (0, 0), "supervision": (0, 0),
                             "roster_entry": (0, 0)}
    assert bench.total == 6 and bench.shown_all
    # a referral whose department is in time is not the squad's to act on yet
    assert not any(i.kind == "referral" for i in workbench.load(store, LEADER, today=date(2026, 3, 3)).items)


def test_an_officer_sees_only_the_cases_they_are_named_on(store, work):
    bench = workbench.load(store, OFFICER, today=TODAY)
    assert rows(bench) == [("case", "作出处罚决定", work.late_decision), ("case", "送达处罚决定书", work.decided),
                           ("legal_review", "审核退回，修改后再报", work.returned)]
    stranger = Profile("u-x", "陌生人", Role.OFFICER, "nanqiao")
    assert workbench.load(store, stranger, today=TODAY).items == []


def test_office_staff_see_the_documents_to_print(store, work):
    bench = workbench.load(store, STAFF, today=TODAY)
    assert rows(bench) == [("referral", "打印移送函、物品清单和回执", work.referred),
                           ("legal_review", "打印法制审核意见书", work.agreed)]
    assert counts(bench) == {"legal_review": (1, 0), "referral": (1, 1), "meeting": (0, 0), "supervision": (0, 0),
                             "roster_entry": (0, 0)}


def test_the_department_liaison_sees_its_inbox_with_the_receipt_clock(store, work, tmp_path):
    dept = open_store(DataPaths.at(tmp_path / "dept"))
    try:
        liaison = save_profile(dept, name="周敏", role=Role.DEPARTMENT_LIAISON, org_code="ghzy")
        assert workbench.load(dept, liaison, today=TODAY).items == []
        pulled(dept, work.referral)
        bench = workbench.load(dept, liaison, today=TODAY)
        assert [(i.kind, i.task, i.record_id) for i in bench.items] == [("referral", "签收移送", work.referral.id)]
        assert bench.items[0].overdue and bench.items[0].left == -11  # due 3-05: 11 working days to 3-20
        assert counts(bench) == {"referral": (1, 1), "meeting": (0, 0), "supervision": (0, 0)}
        other = save_profile(dept, name="吴刚", role=Role.DEPARTMENT_LIAISON, org_code="sthj")
        assert workbench.load(dept, other, today=TODAY).items == []  # another department's referral
    finally:
        dept.close()


def test_a_role_without_a_provider_is_not_served(store, work):
    admin = Profile("u-a", "管理员", Role.ADMIN, None)
    bench = workbench.load(store, admin, today=TODAY)
    assert bench.items == [] and bench.counts == [] and not bench.served
    assert workbench.load(store, REVIEWER, today=TODAY).served


def test_the_dispatcher_follows_the_clues_of_every_town(store, work):
    other_clue = make_case(store, OTHER_LEADER, "他镇线索", EARLY)  # jinhui: the dispatcher sees every town
    dispatcher = Profile("u-d", "刁建", Role.BUREAU_DISPATCHER, None)
    bench = workbench.load(store, dispatcher, today=TODAY)
    assert sorted(rows(bench)) == sorted([("case", "跟进线索立案", other_clue), ("case", "跟进线索立案", work.clue)])
    assert all(i.due is None and not i.overdue for i in bench.items)
    assert counts(bench) == {"case": (2, 0), "police_request": (0, 0), "meeting": (0, 0), "supervision": (0, 0)} \
        and bench.served
    assert len(workbench.load(store, dispatcher, today=TODAY, limit=1).items) == 1
    assert counts(workbench.load(store, dispatcher, today=TODAY, limit=1)) == {
        "case": (2, 0), "police_request": (0, 0), "meeting": (0, 0), "supervision": (0, 0)}


def test_a_new_kind_joins_through_its_entry_alone(store, work):
    meeting = workbench.WorkItem("meeting", "准备联席会议材料", "m-1", None, "会议〔2026〕1号", "三月联席会议",
                                 date(2026, 3, 18), -2, True)
    sources = {**workbench.SOURCES, "meeting": workbench.Source(
        "会议", {Role.OFFICE_STAFF: lambda ctx: workbench.Found([meeting], 1, 1)})}
    bench = workbench.load(store, STAFF, today=TODAY, sources=sources)
    assert bench.items[1] is meeting  # between the referral due 3-05 and the opinion due 6-01
    assert counts(bench)["meeting"] == (1, 1)


def test_a_limit_keeps_the_counts_true(store, work):
    for party in ("甲", "乙"):
        make_case(store, LEADER, party, LONG_AGO, ("file",))
    bench = workbench.load(store, LEADER, today=TODAY, limit=1)
    assert counts(bench)["case"] == (5, 3) and not bench.shown_all
    assert [i.task for i in bench.items if i.kind == "case"] == ["作出处罚决定", "送达处罚决定书", "审批立案"]
