"""`make demo`: a local fx-bureau (SQLite, in .demo/) with demo accounts for two towns, a district department and the
bureau, filled with cases and case referrals through the real sync path, and fx-desktop opened logged in to it. The
server stops when the window closes.

    python scripts/demo.py [--user zhangwei] [--cases 200] [--data-dir .demo] [--reset]

Each town gets worked examples with their days in the past (WORKED): rounds waiting for its legal reviewer (some
overdue) and answered with an opinion, referrals to 区规划资源局 signed for, waiting and late, and open cases whose
90 days have run out; the department's liaison finds both towns' referrals in its inbox. 南桥镇's squad leader has
asked 南桥派出所 for help (公安协助): an emergency request still to be completed (补录), one the station's liaison
(chenjing) acknowledged and recorded the arrival of, and a planned joint operation waiting for approval.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

from fx_bureau.process import ServerProcess, free_port, run_cli
from fx_desktop.domain.case_draft import CaseDraft, Officer
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.paths import DataPaths
from fx_desktop.services import cases
from fx_desktop.services import criminal_referrals, legal_review, meeting_agenda, meetings, police_requests, referrals
from fx_desktop.services.calendar import official_calendar
from fx_desktop.services.demo_drafts import draft, officer_pool
from fx_desktop.store import open_store
from fx_desktop.sync import account
from fx_desktop.sync.credentials import MemoryCredentials
from fx_desktop.sync.engine import SyncEngine
from fx_desktop.sync.transport import BureauClient

ROOT = Path(__file__).resolve().parents[1] / ".demo"
PASSWORD = "demo-pass-1"
USERS = (  # username, name, role, organisation
    ("zhangwei", "张伟", "squad_leader", "nanqiao"),
    ("lina", "李娜", "officer", "nanqiao"),
    ("zhaomin", "赵敏", "legal_reviewer", "nanqiao"),
    ("liufang", "刘芳", "office_staff", "nanqiao"),
    ("wangqiang", "王强", "squad_leader", "fengcheng"),
    ("qianhao", "钱浩", "officer", "fengcheng"),
    ("sunli", "孙丽", "legal_reviewer", "fengcheng"),
    ("zhouli", "周丽", "department_liaison", "ghzy"),
    ("diaojian", "刁建", "bureau_dispatcher", "cgzf"),
    ("chenjing", "陈静", "police_liaison", "pcs_nanqiao"),  # 南桥派出所: answers the squad's police requests
    ("sunhao", "孙浩", "police_liaison", "gafj"),  # 区公安分局: receives the criminal referrals
    ("qianyu", "钱宇", "department_liaison", "jcy"),  # 区人民检察院: a copy of each criminal referral
)
DEPARTMENT_USER, DEPARTMENT = "zhouli", "ghzy"  # 区规划资源局 receives both towns' referrals
TOWNS = {  # town -> (squad leader, officer named on a third of the cases, legal reviewer)
    "nanqiao": ("zhangwei", "lina", "zhaomin"),
    "fengcheng": ("wangqiang", "qianhao", "sunli"),
}
PORT = 8750

# The first cases of each town, worked through the real services with their day in the past (the server keeps
# the client's time of a step, never later than its own), so the clocks run: (kind, working days ago, then)
WORKED = (
    ("review", 9, None),           # waiting, overdue
    ("review", 7, None),           # waiting, overdue
    ("review", 5, "agree"),        # 同意, with the opinion: the squad may decide
    ("review", 3, "revise"),       # 建议修改后再报: back to the squad
    ("review", 2, "disagree"),     # 不同意
    ("review", 1, None),
    ("review", 0, None),
    ("referral", 12, "accepted"),  # signed for and accepted by the department; result awaited
    ("referral", 6, None),         # the department is late with its receipt
    ("referral", 0, None),         # just sent
)
REVIEW_CASES = sum(k == "review" for k, _b, _o in WORKED)
REFERRALS = sum(k == "referral" for k, _b, _o in WORKED)


def _check(done, what: str) -> None:
    if done.returncode != 0:
        raise SystemExit(f"{what} 失败：{done.stderr.strip()}")


def prepare_server(db_url: str) -> None:
    _check(run_cli("init", "--db", db_url), "初始化服务器数据库")
    for username, name, role, org in USERS:
        args = ["create-user", "--db", db_url, "--username", username, "--name", name, "--role", role, "--org", org]
        _check(run_cli(*args, stdin=PASSWORD + "\n"), f"创建用户 {username}")


def login(data_dir: Path, url: str, username: str):
    store = open_store(DataPaths.at(data_dir))
    client, creds = BureauClient(url), MemoryCredentials()
    return store, client, creds, account.login(store, client, creds, username=username, password=PASSWORD)


def _sync(store, client, acc, creds) -> None:
    report = SyncEngine(store, client, acc, creds).run()
    if report.error:
        raise SystemExit(f"演示数据同步失败：{report.error}")


def working_days_ago(n: int, *, today: date | None = None) -> date:
    return official_calendar().working_days_before(today or date.today(), n)


def _at(day: date, hour: int) -> datetime:
    """A time on `day`, never in the future (the server refuses nothing, but would move it to its own now)."""
    return min(datetime.combine(day, time(hour, 0)), datetime.now() - timedelta(minutes=5))


def _opinion(outcome: str) -> tuple[str, dict]:
    from fx_desktop.domain.legal_review import CRITERIA

    from fx_desktop.services.demo_showcase import FAILED, OPINIONS

    failed = FAILED.get(outcome, {})
    return OPINIONS[outcome], {k: {"passed": k not in failed, "note": failed.get(k, "")} for k, _l in CRITERIA}


def submit_for_review(store, profile, case: CaseDraft, i: int, *, opened: date, submitted: date) -> str:
    """A major case taken to 事先告知 and submitted for legal review, so the reviewer's queue has work."""
    case.proposed_penalty, case.proposed_amount = "罚款", str(10000 + 5000 * i)
    made = cases.create_case(store, profile, case, now=_at(opened, 9))
    status = CaseStatus.CLUE
    for hour, action in enumerate(("file", "start_investigation", "close_investigation", "notify")):
        day = opened if action in ("file", "start_investigation") else submitted - timedelta(days=3)
        status = cases.change_status(store, profile, made.id, action, expected_status=status,
                                     now=_at(day, 10 + hour)).status
    legal_review.submit(store, profile, made.id, report=f"拟对当事人{case.party_name}罚款{case.proposed_amount}元，"
                        "事实清楚、证据充分，已履行事先告知程序，当事人未申请听证，提请法制审核。",
                        materials=["case_file", "officer_opinion", "draft_decision", "request_report"],
                        now=_at(submitted, 9))
    return made.id


def seed(url: str, count: int, root: Path = ROOT) -> None:
    """Each town's squad leader registers cases over the last months and files most of them, submits the first
    ones for legal review and refers a few to 区规划资源局, through the normal push."""
    rng = random.Random(2026)
    pool = officer_pool(rng)
    names = {username: name for username, name, _r, _o in USERS}
    for town, (leader, officer, _reviewer) in TOWNS.items():
        own = Officer(names[officer], f"31200{rng.randrange(10**5):05d}")
        store, client, creds, acc = login(root / f"seed-{town}", url, leader)
        try:
            for i in range(count):
                kind, back, _then = WORKED[i] if i < len(WORKED) else ("case", 0, None)
                d = draft(rng, town, pool)
                if i % 3 == 0:  # the town's officer account is named on a third of the cases
                    d.officers = [own, next(o for o in d.officers if o.name != own.name)]
                if kind == "review":
                    submitted = working_days_ago(back)
                    opened = submitted - timedelta(days=rng.randrange(25, 60))
                    d.occurred_at = datetime.combine(opened - timedelta(days=1), time(rng.randrange(7, 20)))
                    submit_for_review(store, acc.profile, d, i, opened=opened, submitted=submitted)
                    continue
                if kind == "referral":
                    submitted = working_days_ago(back)
                    opened = submitted - timedelta(days=rng.randrange(10, 30))
                    d.occurred_at = datetime.combine(opened - timedelta(days=1), time(rng.randrange(7, 20)))
                    made = cases.create_case(store, acc.profile, d, now=_at(opened, 9))
                    refer(store, acc.profile, made.id, filed=opened, submitted=submitted)
                    continue
                # an ordinary case, opened in the last five months: older ones still open are past their 90 days
                opened = date.today() - timedelta(days=int(rng.triangular(1, 150, 20)))
                d.occurred_at = datetime.combine(opened - timedelta(days=rng.randrange(0, 3)),
                                                 time(rng.randrange(7, 20)))
                made = cases.create_case(store, acc.profile, d, now=_at(opened, 9))
                if rng.random() < 0.6:
                    cases.change_status(store, acc.profile, made.id, "file", expected_status=CaseStatus.CLUE,
                                        now=_at(opened, 11))
                    if rng.random() < 0.5:
                        cases.change_status(store, acc.profile, made.id, "start_investigation",
                                            expected_status=CaseStatus.FILED, now=_at(opened, 15))
                if i % 50 == 49:
                    print(f"  {town}: {i + 1}/{count}", file=sys.stderr)
            _sync(store, client, acc, creds)
        finally:
            store.close()


def refer(store, profile, case_id: str, *, filed: date | None = None, submitted: date | None = None) -> None:
    """A case outside the squad's remit referred to 区规划资源局 with its case file and one seized item."""
    cases.change_status(store, profile, case_id, "file", expected_status=CaseStatus.CLUE,
                        now=_at(filed, 11) if filed else None)
    form = referrals.prepare(store, profile, case_id)
    form.update(receiving_org=DEPARTMENT, reason="经调查，该行为涉及改变规划用途，属规划资源部门管辖，本镇无权处理。",
                legal_basis="《中华人民共和国行政处罚法》第二十二条、第二十三条；《上海市城乡规划条例》",
                materials=[{"title": "立案审批表", "pages": 1}, {"title": "现场检查（勘验）笔录", "pages": 3},
                           {"title": "询问笔录", "pages": 5}, {"title": "现场照片", "pages": 4}],
                items=[{"name": "彩钢板", "spec": "3m×1.2m", "quantity": "12", "unit": "块", "condition": "完好",
                        "kept_at": "街镇综合行政执法队暂扣物品仓库"}],
                contact={"name": profile.name, "phone": "021-57420000"})
    referrals.submit(store, profile, case_id, form, now=_at(submitted, 10) if submitted else None)


def review_rounds(url: str, root: Path = ROOT) -> None:
    """Each town's legal reviewer answers the rounds WORKED says are answered, with the criteria and an opinion,
    the working day after they came in."""
    for town, (_leader, _officer, reviewer) in TOWNS.items():
        store, client, creds, acc = login(root / f"seed-{reviewer}", url, reviewer)
        try:
            _sync(store, client, acc, creds)
            waiting = {q.review.submitted_at.date(): q for q in
                       legal_review.queue(store, acc.profile, pending_only=True, limit=1000)}
            for kind, back, outcome in WORKED:
                if kind != "review" or outcome is None:
                    continue
                q = waiting.get(working_days_ago(back))
                if q is None:
                    continue
                opinion, criteria = _opinion(outcome)
                legal_review.record_verdict(store, acc.profile, q.review.case_id, q.review.id, outcome=outcome,
                                            opinion=opinion, criteria=criteria,
                                            now=_at(working_days_ago(max(back - 1, 0)), 15))
            _sync(store, client, acc, creds)
        finally:
            store.close()


def answer_referrals(url: str, root: Path = ROOT) -> None:
    """The department signs for the oldest referral of each town and accepts it; the others wait for its receipt
    (one of them past the 3 working days)."""
    store, client, creds, acc = login(root / f"seed-{DEPARTMENT}", url, DEPARTMENT_USER)
    try:
        _sync(store, client, acc, creds)
        waiting = referrals.inbox(store, acc.profile)
        for town in TOWNS:
            mine = [r for r in waiting if r.owner_org == town]
            if not mine:
                continue
            first = min(mine, key=lambda r: r.submitted_at)
            received = first.submitted_at.date() + timedelta(days=2)
            referrals.sign(store, acc.profile, first.id, received_on=received,
                           signed_by=acc.profile.name, materials_match=True, now=_at(received, 10))
            referrals.accept(store, acc.profile, first.id, their_number=f"奉规资罚〔{received.year}〕{17 + len(town)}号",
                             now=_at(received + timedelta(days=1), 14))
        _sync(store, client, acc, creds)
    finally:
        store.close()


POLICE_TOWN, POLICE_USER, STATION = "nanqiao", "chenjing", "pcs_nanqiao"


def police_demo(url: str, root: Path = ROOT) -> None:
    """南桥镇's squad leader asks 南桥派出所 for help three times; the station's liaison answers the second."""
    from sqlalchemy import select

    from fx_desktop.store.models import Case

    leader = TOWNS[POLICE_TOWN][0]
    store, client, creds, acc = login(root / f"seed-{POLICE_TOWN}", url, leader)
    try:
        with store.sessions() as s:
            ids = list(s.execute(select(Case.id).where(Case.town_code == POLICE_TOWN).order_by(Case.opened_on.desc())
                                 .limit(2)).scalars())
        now = datetime.now().replace(second=0, microsecond=0)
        emergency = {"situation": "emergency", "station_org": STATION, "asks": ["keep_order", "verify_identity"]}
        police_requests.create(store, acc.profile, {**emergency, "case_id": ids[0], "place": "南桥镇江海南路 58 号",
                                                    "call_time": (now - timedelta(hours=2)).isoformat()},
                               now=now - timedelta(hours=2))  # four fields only: to complete (补录)
        police_requests.create(store, acc.profile, {
            **emergency, "case_id": ids[1], "place": "南桥镇解放东路 126 号", "urgency": "urgent",
            "call_time": (now - timedelta(days=1, hours=3)).isoformat(), "incident_number": "J310120261129000318",
            "details": "拆除违法搭建时当事人家属阻挠、推搡执法队员。", "risk": {"people_expected": 6, "earlier_obstruction": True},
            "contact": {"name": acc.profile.name, "phone": "021-57420000"}}, now=now - timedelta(days=1, hours=3))
        police_requests.create(store, acc.profile, {
            "situation": "joint_operation", "station_org": STATION, "place": "南桥镇工业园区沿街商铺",
            "party": "沿街违规设摊经营户", "asks": ["keep_order"], "officers_needed": 4,
            "window_start": (now + timedelta(days=3)).replace(hour=8, minute=30).isoformat(),
            "window_end": (now + timedelta(days=3)).replace(hour=11, minute=30).isoformat(),
            "risk": {"people_expected": 30, "group_risk": True, "notes": "曾有经营户聚集围观"},
            "details": "区局统一部署的跨门经营专项整治。"}, now=now)
        _sync(store, client, acc, creds)
    finally:
        store.close()
    store, client, creds, acc = login(root / f"seed-{POLICE_USER}", url, POLICE_USER)
    try:
        _sync(store, client, acc, creds)
        done = [r for r in police_requests.open_for_station(store, acc.profile)[0] if r.data.get("incident_number")]
        for r in done:
            called = r.call_at
            police_requests.police_step(store, acc.profile, r.id, "acknowledge_police_request",
                                        {"incident_number": r.data["incident_number"]},
                                        now=called + timedelta(minutes=2))
            police_requests.police_step(store, acc.profile, r.id, "record_police_arrival", {
                "arrived_at": (called + timedelta(minutes=14)).isoformat(),
                "officers": [{"name": "顾建国", "number": "031245"}, {"name": "沈磊", "number": "031377"}]},
                now=called + timedelta(minutes=40))
        _sync(store, client, acc, creds)
    finally:
        store.close()


CRIME_POLICE_USER, CRIME_POLICE = "sunhao", "gafj"  # 区公安分局 receives the criminal referrals; 区人民检察院 a copy


def criminal_referral_cases(url: str, root: Path = ROOT) -> None:
    """Criminal referrals (涉嫌犯罪案件移送) of 南桥镇 at different steps: one report waiting for the head's decision,
    one approved and sent to 区公安分局 the day before, which signed the receipt (its 3-day 立案 clock runs)."""
    leader = TOWNS["nanqiao"][0]
    store, client, creds, acc = login(root / "seed-crime-nanqiao", url, leader)
    try:
        _sync(store, client, acc, creds)
        made = []
        for n, amount in enumerate(("5 吨", "12 吨")):
            d = draft(random.Random(13 + n), "nanqiao", officer_pool(random.Random(13)))
            d.cause, d.category = "非法倾倒危险废物", "环境保护"
            d.facts = f"当事人将生产中产生的废酸约{amount}倾倒于厂区外雨水井，经检测 pH 值低于 2。"
            filed = date.today() - timedelta(days=6 - n)
            case = cases.create_case(store, acc.profile, d, now=_at(filed, 9))
            cases.change_status(store, acc.profile, case.id, "file", expected_status=CaseStatus.CLUE,
                                now=_at(filed, 10))
            form = criminal_referrals.prepare(store, acc.profile, case.id)
            form.update(receiving_org=CRIME_POLICE, suspicion="涉嫌污染环境罪（《中华人民共和国刑法》第三百三十八条）",
                        report=f"{d.facts}倾倒量已达《最高人民法院、最高人民检察院关于办理环境污染刑事案件适用法律若干问题的解释》"
                               "规定的严重污染环境标准，涉嫌犯罪，依照国务院《行政执法机关移送涉嫌犯罪案件的规定》应当移送。",
                        items=[{"name": "废酸储存桶", "quantity": "20", "unit": "只", "features": "蓝色 200L 塑料桶，残留液体",
                                "kept_at": "南桥镇综合行政执法队暂扣物品仓库", "measure": "扣押"},
                               {"name": "潜水泵", "quantity": "1", "unit": "台", "features": "黑色，带 10 米软管",
                                "kept_at": "南桥镇综合行政执法队暂扣物品仓库", "measure": "扣押"}],
                        contact={"name": acc.profile.name, "phone": "021-57420000"})
            made.append(criminal_referrals.report(store, acc.profile, case.id, form,
                                                  now=_at(date.today() - timedelta(days=1 - n), 9)))
        sent = made[0]
        criminal_referrals.step(store, acc.profile, sent.id, "decide_criminal_referral",
                                {"expected_status": "reported", "approve": True},
                                now=_at(date.today() - timedelta(days=1), 11))
        criminal_referrals.step(store, acc.profile, sent.id, "send_criminal_referral",
                                {"expected_status": "approved", "how": "专人递交"},
                                now=_at(date.today() - timedelta(days=1), 15))
        _sync(store, client, acc, creds)
    finally:
        store.close()
    store, client, creds, acc = login(root / "seed-crime-police", url, CRIME_POLICE_USER)
    try:
        _sync(store, client, acc, creds)
        criminal_referrals.step(store, acc.profile, sent.id, "receipt_criminal_referral",
                                {"expected_status": "sent", "signed_by": acc.profile.name},
                                now=_at(date.today() - timedelta(days=1), 16))
        _sync(store, client, acc, creds)
    finally:
        store.close()


MEETING_USER = "liufang"  # 南桥镇's office staff prepare the meetings


def meeting_demo(url: str, root: Path = ROOT) -> None:
    """南桥镇's coordination meetings: last month's regular meeting, its minutes signed with an agreed item led by
    区规划资源局 (its deadline passed: carried over, and late on the department's workbench); a consultation item;
    a training; and next week's meeting in preparation, its agenda proposed from the town's open problems."""
    store, client, creds, acc = login(root / f"seed-meetings-{POLICE_TOWN}", url, MEETING_USER)
    try:
        _sync(store, client, acc, creds)
        me, held = acc.profile, _at(date.today() - timedelta(days=25), 9)
        invitees = [{"org": DEPARTMENT, "name": "周丽", "title": "执法监督科科长", "phone": "021-57190000"},
                    {"org": "sthj", "name": "吴涛", "title": "副科长", "phone": "021-57190100"},
                    {"org": POLICE_TOWN, "name": "张伟", "title": "中队长", "phone": "021-57420000"},
                    {"org": None, "unit": "江海村村民委员会", "name": "陈建华", "title": "村委会主任", "phone": ""}]
        first = meetings.create(store, me, {
            "kind": "regular", "title": "南桥镇综合行政执法协调会议", "starts_at": held.isoformat(timespec="minutes"),
            "place": "南桥镇人民政府三楼会议室", "chair": "沈国华（分管副镇长）", "minute_taker": me.name,
            "contact": f"{me.name}，电话：021-57420000", "invitees": invitees,
            "agenda": [{"title": "江海路沿线违法搭建的规划认定", "source": "manual"}]}, now=held - timedelta(days=5))
        meetings.notify(store, me, first.id, now=held - timedelta(days=5))
        keys = [p["key"] for p in meetings.get(store, first.id).data["invitees"]]
        meetings.record_attendance(store, me, first.id, dict(zip(keys, ("出席", "请假", "出席", "列席"))), now=held)
        meetings.write_minutes(store, me, first.id, now=held + timedelta(hours=4), intro=(
            f"{held.year}年{held.month}月{held.day}日，南桥镇召开综合行政执法协调会议，研究江海路沿线违法搭建整治等事项。"
            "会议议定："), items=[
            {"matter": "对江海路沿线12处搭建出具规划认定意见", "lead_org": DEPARTMENT, "supporting_orgs": [POLICE_TOWN],
             "deadline": (held.date() + timedelta(days=15)).isoformat()},
            {"matter": "对认定为违法建筑的搭建依法立案查处", "lead_org": POLICE_TOWN, "supporting_orgs": [DEPARTMENT],
             "deadline": (held.date() + timedelta(days=45)).isoformat()}])
        meetings.circulate(store, me, first.id, now=held + timedelta(days=1))
        meetings.sign(store, me, first.id, expected_version=1, now=held + timedelta(days=3))
        meetings.create_item(store, me, {"matter": "夜间施工噪声扰民的管辖分工（城管与生态环境部门）",
                                         "units": ["sthj"]}, now=held + timedelta(days=10))
        training = meetings.create(store, me, {
            "kind": "training", "title": "新《行政处罚法》专题培训", "place": "南桥镇综合行政执法队会议室",
            "starts_at": _at(date.today() - timedelta(days=12), 14).isoformat(timespec="minutes"),
            "invitees": [{"org": POLICE_TOWN, "name": n, "title": "执法队员"} for n in ("李娜", "张伟")]},
            now=_at(date.today() - timedelta(days=14), 9))
        keys = [p["key"] for p in training.data["invitees"]]
        meetings.record_attendance(store, me, training.id, dict(zip(keys, ("出席", "请假"))),
                                   now=_at(date.today() - timedelta(days=12), 16))
        coming = _at(date.today() + timedelta(days=5), 9)
        nxt = meetings.create(store, me, {
            "kind": "regular", "title": "南桥镇综合行政执法协调会议", "starts_at": coming.isoformat(timespec="minutes"),
            "place": "南桥镇人民政府三楼会议室", "chair": "沈国华（分管副镇长）", "minute_taker": me.name,
            "invitees": invitees[:3]})
        meetings.set_agenda(store, me, nxt.id, meeting_agenda.propose(store, me, exclude=nxt.id))
        _sync(store, client, acc, creds)
    finally:
        store.close()


SUPERVISING_USER = "liufang"  # 南桥镇's office staff issues the supervision sheets (督办单)


def supervision_demo(url: str, root: Path = ROOT) -> None:
    """南桥镇's office supervises 区规划资源局 twice: a referral followed up (signed, due in ten days) and the first
    agreed item of the town's coordination meeting (meeting_demo's signed minutes), issued three weeks ago and now
    overdue (to chase)."""
    from fx_desktop.services import supervisions

    store, client, creds, acc = login(root / f"seed-{SUPERVISING_USER}", url, SUPERVISING_USER)
    try:
        _sync(store, client, acc, creds)
        now = datetime.now().replace(second=0, microsecond=0)
        sent = [r for r in referrals.inbox(store, acc.profile) if r.receiving_org == DEPARTMENT][:1]
        source = ({"source_kind": "referral", "source_id": sent[0].id, "source_text": f"{sent[0].number}移送"}
                  if sent else {})
        supervisions.issue(store, acc.profile, {
            **source, "responsible_org": DEPARTMENT, "matter": "请反馈移送案件的立案和查处情况",
            "deadline": (now.date() + timedelta(days=10)).isoformat(), "leader": "王副镇长"}, now=now)
        # the first agreed item of the town's signed coordination meeting (meeting_demo), led by the department:
        # its sheet names the meeting and the item, so the item shows the sheet's status and number
        held = next(m for m in meetings.meetings(store, acc.profile)
                    if m.kind == "regular" and (m.minutes or {}).get("status") == "signed")
        item = held.minutes["items"][0]
        supervisions.issue(store, acc.profile, {
            "source_kind": "meeting", "source_id": held.id, "source_item": item["no"],
            "source_text": f"{held.number or held.title}纪要议定事项第一项", "responsible_org": item["lead_org"],
            "matter": item["matter"], "deadline": (now.date() - timedelta(days=5)).isoformat(),
            "leader": "王副镇长"}, now=now - timedelta(days=21))
        _sync(store, client, acc, creds)
    finally:
        store.close()
    store, client, creds, acc = login(root / f"seed-sup-{DEPARTMENT_USER}", url, DEPARTMENT_USER)
    try:
        _sync(store, client, acc, creds)
        unit = acc.profile
        due = [s for s in supervisions.sheets(store, unit) if not s.overdue]
        for sheet in due:
            supervisions.sign(store, unit, sheet.id, handler="周丽")
        _sync(store, client, acc, creds)
    finally:
        store.close()


ROSTER_USER = "liufang"  # 南桥镇's office staff keeps the roster (人员与执法证)


def roster_demo(url: str, root: Path = ROOT) -> None:
    """南桥镇's roster: the officers its cases name, with their certificates; one expires in 20 days (即将到期),
    one expired 10 days ago (已过期), so the workbench and the case editor show both."""
    from sqlalchemy import select

    from fx_desktop.services import roster
    from fx_desktop.store.models import CaseOfficer

    store, client, creds, acc = login(root / f"seed-{ROSTER_USER}", url, ROSTER_USER)
    try:
        _sync(store, client, acc, creds)
        with store.sessions() as s:
            pairs = s.execute(select(CaseOfficer.name, CaseOfficer.cert_no)).all()
        named = list(dict.fromkeys(tuple(r) for r in pairs))[:6]
        today = date.today()
        for k, (name, cert_no) in enumerate(named):
            expires = today + timedelta(days=20 if k == 1 else -10 if k == 2 else 400 + 120 * k)
            roster.add(store, acc.profile, {
                "name": name, "cert_no": cert_no, "issuer": "上海市人民政府",
                "issued_on": (expires - timedelta(days=5 * 365)).isoformat(), "expires_on": expires.isoformat(),
                "post": "中队长" if k == 0 else "执法队员", "phone": f"138160000{k:02d}"})
        _sync(store, client, acc, creds)
    finally:
        store.close()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--user", default="zhangwei", choices=[u[0] for u in USERS], help="客户端登录的演示账户")
    p.add_argument("--cases", type=int, default=200, help="每个街镇的演示案件数")
    p.add_argument("--data-dir", type=Path, default=ROOT,
                   help=f"演示服务器与客户端数据所在的文件夹（默认 {ROOT}）")
    p.add_argument("--reset", action="store_true", help="删除演示服务器与演示客户端的数据后重新生成")
    args = p.parse_args(argv)
    if args.cases < len(WORKED):
        p.error(f"--cases 至少为 {len(WORKED)}（每个街镇的审核与移送示例）")
    args.data_dir = args.data_dir.expanduser().resolve()
    if args.data_dir.exists() and not args.data_dir.is_dir():
        p.error(f"--data-dir {args.data_dir} 不是文件夹")
    return args


def reset(root: Path) -> None:
    """Remove what the demo made in `root` (the server, its seeding clients and the demo clients), nothing else:
    --data-dir may name a folder that holds other things."""
    for part in [root / "bureau", *root.glob("seed-*"), *root.glob("client-*")]:
        if part.is_dir():
            shutil.rmtree(part)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    root = args.data_dir
    if args.reset:
        reset(root)
    fresh = not (root / "bureau" / "bureau.sqlite").exists()
    db_url = f"sqlite:///{root / 'bureau' / 'bureau.sqlite'}"
    (root / "bureau").mkdir(parents=True, exist_ok=True)
    if fresh:
        print("正在创建演示服务器与账户……", file=sys.stderr)
        prepare_server(db_url)
    port = PORT
    try:
        import socket

        with socket.create_connection(("127.0.0.1", PORT), timeout=0.2):
            port = free_port()  # 8750 is taken (another demo?): use any free port
    except OSError:
        pass
    server = ServerProcess(db_url, root / "bureau", port=port).start()
    try:
        if fresh:
            print(f"正在通过同步登记演示案件（每个街镇 {args.cases} 件）……", file=sys.stderr)
            seed(server.url, args.cases, root)
            review_rounds(server.url, root)
            answer_referrals(server.url, root)
            police_demo(server.url, root)
            criminal_referral_cases(server.url, root)
            meeting_demo(server.url, root)
            supervision_demo(server.url, root)
            roster_demo(server.url, root)
        store, client, creds, acc = login(root / f"client-{args.user}", server.url, args.user)
        SyncEngine(store, client, acc, creds).run()
        store.close()
        print(f"演示服务器：{server.url}（数据在 {root}）。演示账户（密码均为 {PASSWORD}）：", file=sys.stderr)
        for username, name, role, org in USERS:
            print(f"  {username:<10} {name} {role} {org}", file=sys.stderr)
        from fx_desktop.app import run_gui

        return run_gui(root / f"client-{args.user}", credentials=lambda: creds)
    finally:
        server.stop()


if __name__ == "__main__":
    raise SystemExit(main())
