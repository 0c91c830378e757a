"""`make demo`: a local fx-bureau (SQLite, in .demo/) with demo accounts for two towns, a district department and the
bureau, filled with cases and case referrals through the real sync path, and fx-desktop opened logged in to it. The
server stops when the window closes.

    python scripts/demo.py [--user zhangwei] [--cases 200] [--reset]
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

from fx_bureau.process import ServerProcess, free_port, run_cli
from fx_desktop.domain.case_draft import CaseDraft
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.paths import DataPaths
from fx_desktop.services import cases
from fx_desktop.services import legal_review, referrals
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
    ("wangqiang", "王强", "squad_leader", "fengcheng"),
    ("chenjing", "陈静", "officer", "fengcheng"),
    ("zhouli", "周丽", "department_liaison", "ghzy"),
    ("diaojian", "刁建", "bureau_dispatcher", "cgzf"),
)
DEPARTMENT_USER, DEPARTMENT = "zhouli", "ghzy"  # 区规划资源局 receives 南桥镇's referrals
PORT = 8750


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


REVIEW_CASES = 6  # per town, waiting in the legal reviewer's queue
REFERRALS = 3  # 南桥镇's cases referred to the department: one signed for and accepted, two waiting for the receipt


def submit_for_review(store, profile, case: CaseDraft, i: int) -> None:
    """A major case taken to 事先告知 and submitted for legal review, so the reviewer's queue has work."""
    case.proposed_penalty, case.proposed_amount = "罚款", str(10000 + 5000 * i)
    made = cases.create_case(store, profile, case)
    status = CaseStatus.CLUE
    for action in ("file", "start_investigation", "close_investigation", "notify"):
        status = cases.change_status(store, profile, made.id, action, expected_status=status).status
    legal_review.submit(store, profile, made.id, report=f"拟对当事人{case.party_name}罚款{case.proposed_amount}元，"
                        "事实清楚、证据充分，提请法制审核。",
                        materials=["case_file", "officer_opinion", "draft_decision", "request_report"])


def seed(url: str, count: int) -> None:
    """Each town's squad leader registers cases and files most of them, through the normal push."""
    rng = random.Random(2026)
    pool = officer_pool(rng)
    for leader, town in (("zhangwei", "nanqiao"), ("wangqiang", "fengcheng")):
        store, client, creds, acc = login(ROOT / f"seed-{town}", url, leader)
        try:
            for i in range(count):
                if i < REVIEW_CASES:
                    submit_for_review(store, acc.profile, draft(rng, town, pool), i)
                    continue
                made = cases.create_case(store, acc.profile, draft(rng, town, pool))
                if town == "nanqiao" and i < REVIEW_CASES + REFERRALS:
                    refer(store, acc.profile, made.id)
                    continue
                if rng.random() < 0.6:
                    cases.change_status(store, acc.profile, made.id, "file", expected_status=CaseStatus.CLUE)
                    if rng.random() < 0.5:
                        cases.change_status(store, acc.profile, made.id, "start_investigation",
                                            expected_status=CaseStatus.FILED)
                if i % 50 == 49:
                    print(f"  {town}: {i + 1}/{count}", file=sys.stderr)
            report = SyncEngine(store, client, acc, creds).run()
            if report.error:
                raise SystemExit(f"演示数据同步失败：{report.error}")
        finally:
            store.close()


def refer(store, profile, case_id: str) -> None:
    """A case outside the squad's remit referred to 区规划资源局 with its case file and one seized item."""
    cases.change_status(store, profile, case_id, "file", expected_status=CaseStatus.CLUE)
    form = referrals.prepare(store, profile, case_id)
    form.update(receiving_org=DEPARTMENT, reason="经调查，该行为涉及改变规划用途，属规划资源部门管辖，本镇无权处理。",
                legal_basis="《中华人民共和国行政处罚法》第二十二条、第二十三条；《上海市城乡规划条例》",
                materials=[{"title": "立案审批表", "pages": 1}, {"title": "现场检查（勘验）笔录", "pages": 3},
                           {"title": "询问笔录", "pages": 5}, {"title": "现场照片", "pages": 4}],
                items=[{"name": "彩钢板", "spec": "3m×1.2m", "quantity": "12", "unit": "块", "condition": "完好",
                        "kept_at": "南桥镇综合行政执法队暂扣物品仓库"}],
                contact={"name": profile.name, "phone": "021-57420000"})
    referrals.submit(store, profile, case_id, form)


def answer_referrals(url: str) -> None:
    """The department signs for the first referral and accepts it; the others wait for its receipt."""
    store, client, creds, acc = login(ROOT / f"seed-{DEPARTMENT}", url, DEPARTMENT_USER)
    try:
        SyncEngine(store, client, acc, creds).run()
        waiting = referrals.inbox(store, acc.profile)
        if waiting:
            first = min(waiting, key=lambda r: r.number)
            referrals.sign(store, acc.profile, first.id, received_on=first.submitted_at.date(),
                           signed_by=acc.profile.name, materials_match=True)
            referrals.accept(store, acc.profile, first.id, their_number="奉规资罚〔2026〕17号")
        report = SyncEngine(store, client, acc, creds).run()
        if report.error:
            raise SystemExit(f"演示数据同步失败：{report.error}")
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--user", default="zhangwei", choices=[u[0] for u in USERS], help="客户端登录的演示账户")
    p.add_argument("--cases", type=int, default=200, help="每个街镇的演示案件数")
    p.add_argument("--reset", action="store_true", help="删除 .demo/ 后重新生成")
    args = p.parse_args(argv)
    if args.reset and ROOT.exists():
        shutil.rmtree(ROOT)
    fresh = not (ROOT / "bureau" / "bureau.sqlite").exists()
    db_url = f"sqlite:///{ROOT / 'bureau' / 'bureau.sqlite'}"
    (ROOT / "bureau").mkdir(parents=True, exist_ok=True)
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
    server = ServerProcess(db_url, ROOT / "bureau", port=port).start()
    try:
        if fresh:
            print(f"正在通过同步登记演示案件（每个街镇 {args.cases} 件）……", file=sys.stderr)
            seed(server.url, args.cases)
            answer_referrals(server.url)
        store, client, creds, acc = login(ROOT / f"client-{args.user}", server.url, args.user)
        SyncEngine(store, client, acc, creds).run()
        store.close()
        print(f"演示服务器：{server.url}（数据在 {ROOT}）。演示账户（密码均为 {PASSWORD}）：", file=sys.stderr)
        for username, name, role, org in USERS:
            print(f"  {username:<10} {name} {role} {org}", file=sys.stderr)
        from fx_desktop.app import run_gui

        return run_gui(ROOT / f"client-{args.user}", credentials=lambda: creds)
    finally:
        server.stop()


if __name__ == "__main__":
    raise SystemExit(main())
