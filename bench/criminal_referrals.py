"""The 刑事移送 list at scale (issue 13, "Speed"): a town's store holding N criminal referrals (20,000 by default, at
every step, their clocks due over a year), the section's first screen — the page built, the list read and shown,
the first referral's steps and details — timed from a cold start of the page, median and p95 over runs. Goal:
first screen < 80 ms, as the case list's.

    python -m bench.criminal_referrals [--records 20000] [--runs 15] [--data-root DIR]
"""
from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from .common import emit_timed, figure, log, median, percentile

GOAL_MS = 80.0


def fill(store, count: int, *, seed: int = 13) -> None:
    """`count` criminal referrals of 南桥镇 made by the domain's steps, written with one INSERT per row."""
    from fx_desktop.domain import criminal_referral as cr
    from fx_desktop.domain import json_text
    from fx_desktop.domain.organisations import OrgDirectory
    from fx_desktop.store.reference import shipped
    from fx_desktop.sync.apply_criminal_referral import due_at, party_text

    orgs, rules, rng = OrgDirectory.from_reference(shipped()), cr.CrimeRules(), random.Random(seed)
    leader, police = cr.Actor("张伟", "squad_leader", "nanqiao"), cr.Actor("孙浩", "police_liaison", "pcs_nanqiao")
    start = datetime.now() - timedelta(days=365)
    rows = []
    for i in range(count):
        at = start + timedelta(minutes=rng.randrange(365 * 24 * 60))
        case = {"id": str(uuid.uuid4()), "status": "investigating", "number": f"奉南桥综执立〔2026〕{i:05d}号",
                "town_code": "nanqiao", "cause": "非法倾倒危险废物", "party_name": f"当事人{i}", "evidence": []}
        args = {"criminal_referral_id": str(uuid.uuid4()), "number": f"奉南桥综执刑移〔2026〕{i:05d}号",
                "suspicion": "涉嫌污染环境罪", "report": "倾倒废酸。",
                "team": [{"name": "王磊", "cert_no": "1"}, {"name": "陈静", "cert_no": "2"}],
                "items": [{"name": "废酸桶", "quantity": "2", "unit": "只", "features": "蓝色", "kept_at": "仓库",
                           "measure": "扣押"}]}
        s = cr.report(args, case=case, owner=orgs.require("nanqiao"), receiving=orgs.require("pcs_nanqiao"),
                      copy_to=orgs.require("jcy"), actor=leader, at=at, rules=rules)
        steps = rng.randrange(5)
        if steps >= 1:
            s = cr.decide(s, {"approve": True}, actor=leader, at=at + timedelta(hours=1), rules=rules)
        if steps >= 2:
            s = cr.send(s, {}, actor=leader, at=at + timedelta(hours=3), rules=rules)
        if steps >= 3:
            s = cr.receipt(s, {"signed_by": "孙浩"}, actor=police, at=at + timedelta(hours=5), rules=rules)
        if steps >= 4:
            s = cr.police_decide(s, {"result": "filed"}, actor=police, at=at + timedelta(days=1), rules=rules)
        due = due_at(s)
        rows.append((s["id"], case["id"], "nanqiao", s["receiving_org"], party_text(s), s["number"], s["status"], 1,
                     1, due.isoformat(sep=" ") if due else None, json_text.encode(s), at.isoformat(sep=" ")))
    with store.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO criminal_referrals (id, case_id, owner_org, receiving_org, party_orgs, number, status, "
            "version, server_version, due_at, data, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)


def first_screen_ms(store, runs: int) -> list[float]:
    """The section opened as the user opens it (the page is built with the window): the list read from the store
    and shown, the first row's record with its steps and clock, painted; each run from a hidden page."""
    from PySide6.QtWidgets import QApplication

    from fx_desktop.domain.roles import Role
    from fx_desktop.services import criminal_referrals, organisations
    from fx_desktop.services.profile import Profile
    from fx_desktop.views.criminal_referral_page import CriminalReferralPage

    app = QApplication.instance() or QApplication([])
    profile = Profile("u", "张伟", Role.SQUAD_LEADER, "nanqiao")
    page = CriminalReferralPage(store, profile, organisations.directory(store), criminal_referrals)
    page.resize(1366, 700)
    times = []
    for _ in range(runs + 1):  # the first run warms the page cache and Qt's glyph caches
        page.hide()
        page.model.set_records([])
        app.processEvents()
        started = time.perf_counter()
        page.refresh()
        page.open_record(page.model.record(0).id)
        page.show()
        app.processEvents()
        times.append((time.perf_counter() - started) * 1000)
    page.close()
    return times[1:]


def figures(records: int, runs: int, root: Path):
    from fx_desktop.paths import DataPaths
    from fx_desktop.store import open_store

    store = open_store(DataPaths.at(root / f"criminal-{records}"))
    try:
        with store.engine.connect() as conn:
            have = conn.exec_driver_sql("SELECT count(*) FROM criminal_referrals").scalar()
        if have != records:
            with store.engine.begin() as conn:
                conn.exec_driver_sql("DELETE FROM criminal_referrals")
            log(f"filling {records} criminal referrals …")
            fill(store, records)
        times = first_screen_ms(store, runs)
    finally:
        store.close()
    p50, p95 = median(times), percentile(times, 95)
    yield figure("criminal_referral_list_first_screen_ms", p50, "ms", f"< {GOAL_MS:.0f} ms", p95 < GOAL_MS,
                 p95_ms=p95, records=records, runs=runs)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--records", type=int, default=20_000)
    p.add_argument("--runs", type=int, default=15)
    p.add_argument("--data-root", type=Path, default=None)
    args = p.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    root = args.data_root or Path(tempfile.mkdtemp(prefix="fx-bench-crime-"))
    emit_timed(lambda: figures(args.records, args.runs, root), "criminal referral list")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
