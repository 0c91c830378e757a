"""The demo's worked examples: in every town, a few cases taken through legal review and referral with the real
services, backdated, so every section a role has shows something on the first start — rounds waiting for the
reviewer (some overdue), rounds answered with an opinion (同意 / 建议修改后再报 / 不同意), referrals sent to a district
department at each step (one late for its receipt), and the demo user named on some of their town's cases.

The bulk generator (services/demo.py) reserves the cases: the first `len(towns) × len(SLOTS)` it writes are
recent, major where a review needs it, in the status the slot starts from. Their outbox entries are dropped at the
end, as for every demo row: a demo database never reaches the bureau server.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import text

from ..domain.roles import Role
from ..domain.workdays import HolidayCalendar
from ..store import Store
from .profile import Profile, load_profile

# Slot -> what happens to its case. Ordered by what a section needs first, so a small demo (few cases per town)
# still gives the reviewer an overdue round and the squad a referral.
# ("review", working days since submitted, outcome or None) / ("referral", working days since submitted, last step)
SLOTS = (
    ("review", 8, None),            # pending, 3 working days overdue
    ("review", 2, None),            # pending, 3 left
    ("review", 4, "agree"),         # 同意: the squad may decide; office staff print the opinion
    ("referral", 9, "submitted"),   # the department is late with its receipt
    ("review", 6, "revise"),        # 建议修改后再报: back to the squad
    ("review", 6, None),            # pending, 1 overdue
    ("referral", 12, "accepted"),   # signed for and accepted, result awaited
    ("review", 0, None),            # submitted today
    ("referral", 1, "submitted"),   # just sent: letters to print, receipt not yet due
    ("review", 3, "disagree"),      # 不同意
    ("referral", 30, "concluded"),  # the department reported 立案
)
REVIEW_SLOTS = frozenset(i for i, s in enumerate(SLOTS) if s[0] == "review")

# Which department a case of this category is referred to, and why it is not the town's
DEPARTMENTS = {
    "违法建筑": ("ghzy", "经调查，该建设行为涉及改变土地和规划用途，属规划资源部门管辖，本镇无权处理。",
             "《中华人民共和国行政处罚法》第二十二条；《上海市城乡规划条例》第七十四条"),
    "环境保护": ("sthj", "经调查，当事人排污行为涉及排污许可，属生态环境部门管辖。",
             "《中华人民共和国行政处罚法》第二十二条；《中华人民共和国大气污染防治法》第五条"),
    "水务管理": ("sw", "经调查，倾倒点位于区管河道管理范围内，属水务部门管辖。",
             "《中华人民共和国行政处罚法》第二十二条；《上海市河道管理条例》第五条"),
    "房屋管理": ("fg", "经调查，该行为属住宅使用管理事项，由房屋管理部门处理。",
             "《中华人民共和国行政处罚法》第二十二条；《上海市住宅物业管理规定》第五条"),
    "市政设施": ("jsgl", "经调查，涉事道路为区管城市道路，属建设管理部门管辖。",
             "《中华人民共和国行政处罚法》第二十二条；《上海市城市道路管理条例》第四条"),
    "交通运输": ("jsgl", "经调查，车辆运输资质问题属交通管理部门管辖。",
             "《中华人民共和国行政处罚法》第二十二条；《上海市建筑垃圾处理管理规定》第五条"),
}
REFERRAL_CATEGORIES = tuple(sorted(DEPARTMENTS))
MATERIALS = ["case_file", "officer_opinion", "draft_decision", "request_report"]

OPINIONS = {
    "agree": "经审核，本案执法主体适格，事实清楚，证据确凿充分，适用依据准确，程序合法，裁量适当，同意作出处罚决定。",
    "revise": "经审核，本案现场检查笔录与询问笔录对违法面积的记载不一致，证据尚不充分；罚款数额的裁量理由未写明。"
              "建议补充测量记录并说明裁量依据后再报。",
    "disagree": "经审核，当事人在事先告知后提交的陈述申辩材料未予复核，拟处罚数额明显高于同类案件，裁量不当，"
                "不同意按拟定意见作出决定，建议提请集体讨论。",
}
FAILED = {"revise": {"evidence": "违法面积记载前后不一致，需补充测量记录。", "discretion": "未写明裁量理由。"},
          "disagree": {"discretion": "拟处罚数额明显高于同类案件。", "procedure": "陈述申辩材料未复核。"}}


@dataclass(frozen=True)
class Reserved:
    case_id: str
    town: str
    slot: int
    category: str
    party: str


def reserved_slot(index: int, towns: int, count: int) -> int | None:
    """The slot of the `index`-th case written (round robin over the towns), or None for an ordinary one. At most
    half of a small demo is reserved, so every town keeps ordinary cases with running clocks."""
    if not towns or index >= count // 2:
        return None
    slot = index // towns
    return slot if slot < len(SLOTS) else None


def _criteria(outcome: str) -> dict:
    from ..domain.legal_review import CRITERIA

    failed = FAILED.get(outcome, {})
    return {key: {"passed": key not in failed, "note": failed.get(key, "")} for key, _label in CRITERIA}


def _name(rng: random.Random, taken: set[str]) -> str:
    from .demo import _name as make

    while True:
        n = make(rng)
        if n not in taken:
            taken.add(n)
            return n


def stage(store: Store, reserved: list[Reserved], *, as_of: date, seed: int, calendar: HolidayCalendar) -> None:
    """Take the reserved cases through their slot's steps, then drop the outbox entries those steps wrote."""
    from . import legal_review, referrals

    if not reserved:
        return
    rng = random.Random(seed * 7919 + 17)
    user = load_profile(store)
    with store.engine.connect() as conn:
        before = conn.execute(text("SELECT coalesce(max(mutation_id), 0) FROM outbox")).scalar_one()
        officers = {r[0] for r in conn.execute(text("SELECT DISTINCT name FROM case_officers"))}
    if user is not None and user.role == Role.OFFICER and user.town_code:
        _name_user_on_cases(store, user, [r for r in reserved if r.town == user.town_code])
        officers.add(user.name)
    taken = set(officers) | ({user.name} if user else set())
    staff: dict[str, tuple[Profile, Profile]] = {}
    liaisons: dict[str, Profile] = {}

    def people(town: str) -> tuple[Profile, Profile]:
        if town not in staff:
            staff[town] = (Profile(f"demo-{town}-leader", _name(rng, taken), Role.SQUAD_LEADER, town),
                           Profile(f"demo-{town}-reviewer", _name(rng, taken), Role.LEGAL_REVIEWER, town))
        return staff[town]

    def liaison(org: str) -> Profile:
        from ..domain.organisations import OrgKind

        if org not in liaisons:
            liaisons[org] = Profile(f"demo-{org}-liaison", _name(rng, taken), Role.DEPARTMENT_LIAISON, None,
                                    org_code=org, org_kind=OrgKind.DEPARTMENT)
        return liaisons[org]

    def at(day: date, hour: int) -> datetime:
        return datetime.combine(day, time(hour, rng.randrange(60)))

    for r in reserved:
        kind, back, outcome = SLOTS[r.slot]
        leader, reviewer = people(r.town)
        submitted = calendar.working_days_before(as_of, back)
        if kind == "review":
            amount = _amount(store, r.case_id)
            round_ = legal_review.submit(
                store, leader, r.case_id, materials=MATERIALS, now=at(submitted, 9),
                report=f"当事人{r.party}，案由清楚，拟罚款{amount}元，已履行事先告知程序，当事人未提出听证申请，"
                       "根据《中华人民共和国行政处罚法》第五十八条提请法制审核。")
            if outcome is not None:
                answered = min(_forward(submitted, rng.randrange(1, 4), calendar), as_of)
                legal_review.record_verdict(store, reviewer, r.case_id, round_.id, outcome=outcome,
                                            opinion=OPINIONS[outcome], criteria=_criteria(outcome),
                                            now=at(answered, 15))
            continue
        org, reason, basis = DEPARTMENTS.get(r.category, DEPARTMENTS["违法建筑"])
        form = referrals.prepare(store, leader, r.case_id)
        form.update(receiving_org=org, reason=reason, legal_basis=basis,
                    materials=[{"title": "立案审批表", "pages": 1}, {"title": "现场检查（勘验）笔录", "pages": 3},
                               {"title": "询问笔录", "pages": 5}, {"title": "现场照片", "pages": 4}],
                    items=[{"name": "彩钢板", "spec": "3m×1.2m", "quantity": str(rng.randrange(4, 20)), "unit": "块",
                            "condition": "完好", "kept_at": "街镇综合行政执法队暂扣物品仓库"}]
                    if r.category == "违法建筑" else [],
                    contact={"name": leader.name, "phone": f"021-5{rng.randrange(10**6, 10**7)}"})
        made = referrals.submit(store, leader, r.case_id, form, now=at(submitted, 10))
        if outcome == "submitted":
            continue
        them = liaison(org)
        received = _forward(submitted, 2, calendar)
        referrals.sign(store, them, made.id, received_on=received, signed_by=them.name, materials_match=True,
                       now=at(received, 11))
        accepted = _forward(received, 1, calendar)
        short = {"ghzy": "奉规资", "sthj": "奉环", "sw": "奉水", "fg": "奉房管", "jsgl": "奉建管"}.get(org, "奉")
        referrals.accept(store, them, made.id, their_number=f"{short}罚〔{accepted.year}〕{rng.randrange(10, 300)}号",
                         now=at(accepted, 14))
        if outcome == "concluded":
            done = _forward(accepted, 8, calendar)
            referrals.record_result(store, them, made.id, result="filed", reasons="",
                                    expected_status="accepted", now=at(done, 16))
    with store.writes.begin() as session:  # demo work never syncs
        session.execute(text("DELETE FROM outbox WHERE mutation_id > :before"), {"before": before})


def _forward(day: date, working_days: int, calendar: HolidayCalendar) -> date:
    return calendar.add_working_days(day, working_days).date


def _amount(store: Store, case_id: str) -> str:
    with store.engine.connect() as conn:
        value = conn.execute(text("SELECT proposed_amount FROM cases WHERE id = :id"), {"id": case_id}).scalar_one()
    return f"{float(value):,.0f}" if value else "—"


def _name_user_on_cases(store: Store, user: Profile, reserved: list[Reserved]) -> None:
    """The demo user (an officer) as the first officer on their town's worked examples, and on a few ordinary
    open cases of the town, so their workbench lists cases they are named on."""
    ids = [r.case_id for r in reserved]
    with store.writes.begin() as session:
        conn = session.connection()
        ids += [r[0] for r in conn.execute(text(
            "SELECT id FROM cases WHERE town_code = :t AND status IN ('filed', 'investigating', 'decided') "
            "ORDER BY row_id LIMIT 12"), {"t": user.town_code})]
        for case_id in ids:
            conn.execute(text("UPDATE case_officers SET name = :n WHERE case_id = :c AND position = 0"),
                         {"n": user.name, "c": case_id})
