"""A town's varied work for the workbench's tests, made with the real services on a real SQLite store: review rounds
pending (one overdue), answered (agreed, returned), cases before their decision (one overdue), a clue, a decided case
to serve, a referral whose department is late to sign, and another town's pending round that must never show.
`pulled` applies a referral to a department's store as a pull does."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from fx_desktop.domain import legal_review as lr
from fx_desktop.domain.roles import Role
from fx_desktop.services import cases, legal_review, referrals
from fx_desktop.services.profile import Profile
from fx_desktop.sync.apply import apply_page
from tests.conftest import case_draft

TODAY = date(2026, 3, 20)  # a Friday
EARLY = datetime(2026, 3, 2, 9, 0)  # a Monday: rounds submitted then are due 3-09 (overdue 9 working days by TODAY)
RECENT = datetime(2026, 3, 19, 9, 0)  # due 3-26: 4 working days left
LONG_AGO = datetime(2025, 11, 3, 9, 0)  # filed then: decision due 2026-02-02, 46 days past by TODAY
LEADER = Profile("u-leader", "张伟", Role.SQUAD_LEADER, "nanqiao")
OFFICER = Profile("u-officer", "王磊", Role.OFFICER, "nanqiao")  # named on every case case_draft() makes
REVIEWER = Profile("u-reviewer", "赵敏", Role.LEGAL_REVIEWER, "nanqiao")
STAFF = Profile("u-staff", "孙丽", Role.OFFICE_STAFF, "nanqiao")
OTHER_LEADER = Profile("u-other", "钱七", Role.SQUAD_LEADER, "jinhui")
MATERIALS = ["case_file", "officer_opinion", "draft_decision", "request_report"]
ALL_MET = {k: {"passed": True, "note": ""} for k, _ in lr.CRITERIA}


@dataclass
class TownWork:
    late_review: str  # case ids
    fresh_review: str
    agreed: str
    returned: str
    late_decision: str
    clue: str
    decided: str
    referred: str
    referral: referrals.ReferralRecord
    other_town: str


def _walk(store, actor, case_id: str, actions: tuple[str, ...], now: datetime) -> None:
    status = cases.get_case(store, case_id).status
    for action in actions:
        status = cases.change_status(store, actor, case_id, action, expected_status=status, now=now).status


def make_case(store, actor, party: str, now: datetime, actions: tuple[str, ...] = (), **draft) -> str:
    values = {"proposed_penalty": "罚款", "proposed_amount": "20000", **draft}
    made = cases.create_case(store, actor, case_draft(party_name=party, occurred_at=now.replace(hour=8), **values),
                             now=now)
    _walk(store, actor, made.id, actions, now)
    return made.id


TO_NOTIFIED = ("file", "start_investigation", "close_investigation", "notify")


def _submitted(store, actor, party: str, now: datetime) -> tuple[str, str]:
    case_id = make_case(store, actor, party, now, TO_NOTIFIED)
    review = legal_review.submit(store, OFFICER if actor.town_code == "nanqiao" else actor, case_id,
                                 materials=MATERIALS, report="拟罚款二万元，提请法制审核。", now=now)
    return case_id, review.id


def town_with_work(store) -> TownWork:
    late, _ = _submitted(store, LEADER, "逾期审", EARLY)
    fresh, _ = _submitted(store, LEADER, "新送审", RECENT)
    agreed, r = _submitted(store, LEADER, "已通过", EARLY)
    legal_review.record_verdict(store, REVIEWER, agreed, r, outcome="agree", opinion="", criteria=ALL_MET, now=EARLY)
    returned, r = _submitted(store, LEADER, "被退回", EARLY)
    legal_review.record_verdict(store, REVIEWER, returned, r, outcome="revise", opinion="请补充现场勘验笔录后再报。",
                                criteria={**ALL_MET, "evidence": {"passed": False, "note": "缺笔录"}}, now=EARLY)
    late_decision = make_case(store, LEADER, "超期未决", LONG_AGO, ("file", "start_investigation"))
    clue = make_case(store, LEADER, "待立案", RECENT)
    decided = make_case(store, LEADER, "待送达", datetime(2026, 3, 16, 9, 0), ("file",), proposed_amount="",
                    proposed_penalty="警告")
    _walk(store, LEADER, decided, ("start_investigation", "close_investigation", "notify", "decide"),
          datetime(2026, 3, 16, 9, 0))
    referred = make_case(store, LEADER, "已移送", EARLY, ("file",))
    referral = referrals.submit(store, LEADER, referred, {
        **referrals.prepare(store, LEADER, referred), "receiving_org": "ghzy",
        "reason": "当事人擅自改变房屋规划用途，属规划资源部门管辖。", "legal_basis": "《上海市城乡规划条例》第六十二条",
        "materials": [{"title": "现场检查笔录", "pages": 2}], "contact": {"name": "张伟", "phone": "57420000"}},
        now=EARLY)
    other, _ = _submitted(store, OTHER_LEADER, "他镇案", EARLY)
    return TownWork(late, fresh, agreed, returned, late_decision, clue, decided, referred, referral, other)


def pulled(store, referral: referrals.ReferralRecord, version: int = 1) -> None:
    """Apply the referral to `store` as a pull applies fx-bureau's row of it."""
    state = referral.data
    row = {"type": "referral", "seq": version, "id": state["id"], "version": version,
           "owner_org": state["owner_org"], "receiving_org": state["receiving_org"], "case_id": state["case_id"],
           "number": state["number"], "status": state["status"], "updated_at": datetime.now().isoformat(),
           "data": state}
    with store.writes.begin() as session:
        apply_page(session, [row], f"e:{version}", cursor_key="sync.cursor:test", actor="sync")


__all__ = ["TODAY", "LONG_AGO", "make_case", "LEADER", "OFFICER", "REVIEWER", "STAFF", "TownWork", "town_with_work",
           "pulled"]
