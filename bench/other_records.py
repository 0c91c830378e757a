"""The records besides cases that the workbench reads (issue 14: "the workbench keeps its goal with 100,000 cases
and 50,000 other records"): referrals, police requests, criminal referrals, meetings with their agreed items,
supervision sheets and legal review rounds, added to a bench store that holds the demo cases.

Each record is made by the domain's own steps (domain.referral, police_request, criminal_referral, meeting,
supervision), as fx-bureau makes them, and written with the columns its applier writes (sync/apply_*.py row values,
one executemany per kind), so the services read them as pulled records. Most of them belong to the busiest town
(the town with the most cases) and the departments and police station it works with; many are open, some overdue,
the rest concluded over the past two years.

    python -m bench.other_records --data-dir DIR [--records 50000]   (DIR holding demo cases: python -m bench)
"""
from __future__ import annotations

import argparse
import random
import time
import uuid
from datetime import date, datetime, timedelta

from .common import log, open_bench_store

RECORDS = 50_000
# Share of each kind in the records added (sums to 1)
SHARES = {"referral": 0.26, "police_request": 0.16, "criminal_referral": 0.10, "meeting": 0.08,
          "supervision": 0.26, "legal_review": 0.14}
BUSIEST_SHARE = 0.6  # of the records, those of the busiest town (and its partners)
PARTNERS = ("sthj", "scjg", "lhsr", "ghzy")  # the departments the busiest town refers to most
OTHER_DEPARTMENTS = ("jsgl", "sw", "fg", "nync", "wsjk", "yjgl")


def shares(total: int) -> dict[str, int]:
    counts = {k: int(total * s) for k, s in SHARES.items()}
    counts["supervision"] += total - sum(counts.values())
    return counts


class _Gen:
    def __init__(self, store, *, seed: int, today: date):
        from fx_desktop.domain.organisations import OrgDirectory
        from fx_desktop.store import reference

        from .list_and_search import busiest_town

        with store.sessions() as session:
            self.orgs = OrgDirectory.from_reference(reference.current(session))
        self.store, self.rng, self.today = store, random.Random(seed), today
        self.agreed: list[tuple[str, str, int, str]] = []  # open agreed items: (meeting id, town, no, lead org)
        self.now = datetime.combine(today, datetime.min.time()) + timedelta(hours=9)
        self.busiest = busiest_town(store)
        self.towns = [o.code for o in self.orgs.of_kind(self.orgs.require(self.busiest).kind)]
        with store.engine.connect() as conn:
            self.cases = {t: conn.exec_driver_sql(
                "SELECT id, number, town_code, party_name, cause, category, status FROM cases WHERE town_code = ? "
                "ORDER BY row_id DESC LIMIT 3000", (t,)).all() for t in self.towns}

    def town(self) -> str:
        return self.busiest if self.rng.random() < BUSIEST_SHARE else self.rng.choice(self.towns)

    def department(self, town: str) -> str:
        if town == self.busiest or self.rng.random() < 0.7:
            return self.rng.choice(PARTNERS) if self.rng.random() < 0.85 else self.rng.choice(OTHER_DEPARTMENTS)
        return self.rng.choice(OTHER_DEPARTMENTS)

    def case(self, town: str) -> dict:
        rows = self.cases.get(town) or []
        if not rows:
            cid = str(uuid.uuid4())
            return {"id": cid, "number": f"奉综执立〔2026〕{cid[:5]}号", "town_code": town, "party_name": "某当事人",
                    "cause": "违法搭建", "category": "", "status": "investigating", "evidence": []}
        r = self.rng.choice(rows)
        return {"id": r[0], "number": r[1], "town_code": r[2], "party_name": r[3], "cause": r[4], "category": r[5],
                "status": "investigating", "evidence": []}

    def when(self, *, open_: bool, recent: int = 40) -> datetime:
        """When a record started: an open one in the last `recent` days, a concluded one over two years."""
        days = self.rng.randrange(1, recent) if open_ else self.rng.randrange(30, 730)
        return self.now - timedelta(days=days, minutes=self.rng.randrange(600))


# --- referrals ----------------------------------------------------------------------------------------------------

def _referrals(g: _Gen, count: int) -> list[tuple]:
    from fx_desktop.domain import json_text
    from fx_desktop.domain import referral as rf
    from fx_desktop.services.calendar import current_calendar
    from fx_desktop.services.referrals import next_due, rules_in

    with g.store.sessions() as session:
        calendar, rules = current_calendar(session), rules_in(session)
    rows = []
    for i in range(count):
        town = g.town()
        dept = g.department(town)
        leader, liaison = rf.Actor("张伟", "squad_leader", town), rf.Actor("李敏", "department_liaison", dept)
        open_ = g.rng.random() < 0.45
        at = g.when(open_=open_, recent=21)  # receipt in 5 working days, result in 30: some of them late
        case = g.case(town)
        state = rf.submit({"referral_id": str(uuid.uuid4()), "number": f"奉综执移〔{at.year}〕{i:05d}号",
                           "reason": "不属于本单位管辖", "legal_basis": "《行政处罚法》第二十二条",
                           "summary": f"{case['party_name']}{case['cause']}", "materials": [
                               {"title": "现场检查笔录", "pages": 3}, {"title": "现场照片", "pages": 6}],
                           "contact": {"name": "张伟", "phone": "021-57420000"}},
                          case=case, owner=g.orgs.require(town), receiving=g.orgs.require(dept), actor=leader,
                          at=at, calendar=calendar, rules=rules)
        stage = g.rng.choices(("submitted", "received", "accepted", "concluded", "returned"),
                              (3, 3, 3, 0, 0) if open_ else (0, 0, 0, 9, 1))[0]
        step_at = at + timedelta(days=g.rng.randrange(1, 6))
        if stage == "returned":
            state = rf.return_referral(state, {"reason": "不属于本部门职责"}, actor=liaison, at=step_at)
        elif stage != "submitted":
            state = rf.sign(state, {"received_on": min(step_at, g.now).date().isoformat(), "materials_match": True,
                                    "signed_by": "李敏"}, actor=liaison, at=min(step_at, g.now), calendar=calendar,
                            rules=rules)
            if stage in ("accepted", "concluded"):
                state = rf.accept(state, {"their_number": f"受{i:05d}"}, actor=liaison, at=min(step_at, g.now))
            if stage == "concluded":
                state = rf.record_result(state, {"result": "filed"}, actor=liaison,
                                         at=min(step_at + timedelta(days=20), g.now))
        due = next_due(state)
        rows.append((state["id"], case["id"], town, dept, state["number"], state["status"], 1, 1,
                     due.isoformat() if due else None, json_text.encode(state), at.isoformat(sep=" ")))
    return rows


# --- police requests ----------------------------------------------------------------------------------------------

def _police_requests(g: _Gen, count: int) -> list[tuple]:
    from fx_desktop.domain import police_request as pr
    from fx_desktop.sync.apply_police_request import row_values

    rows = []
    for i in range(count):
        town = g.town()
        station = g.orgs.require(f"pcs_{town}") if g.orgs.get(f"pcs_{town}") else g.orgs.require("pcs_nanqiao")
        leader = pr.Actor("张伟", "squad_leader", town)
        open_ = g.rng.random() < 0.35
        at = g.when(open_=open_)
        file = not (open_ and g.rng.random() < 0.15)  # a few drafts left to file
        args = {"request_id": str(uuid.uuid4()), "situation": g.rng.choice(("emergency", "emergency",
                                                                           "public_opinion")),
                "place": f"某路{i % 997}号", "party": f"当事人{i % 1777}", "asks": ["keep_order"],
                "details": "现场阻挠执法", "file": file, "call_time": at.isoformat(timespec="minutes")}
        if not open_ or g.rng.random() < 0.7:  # completed (补录) since; the rest of the open ones still owe it
            args.update(urgency="urgent", incident_number=f"J{i:08d}", contact={"name": "张伟", "phone": "13800000000"},
                        risk={"people_expected": 3, "notes": "当事人情绪激动"})
        state = pr.create(args, case=None, owner=g.orgs.require(town), station=station, actor=leader, at=at)
        state["number"] = f"奉综执协〔{at.year}〕{i:05d}号" if file else ""
        if file and (not open_ or g.rng.random() < 0.5):
            arrived = at + timedelta(minutes=g.rng.randrange(5, 40))
            state = pr.record_arrival(state, {"arrived_at": arrived.isoformat(timespec="minutes"),
                                              "officers": [{"name": "顾民警", "number": "031245"}]},
                                      actor=leader, at=arrived, station_has_account=False)
            if not open_:
                state = pr.record_outcome(state, {"outcome": "settled"}, actor=leader, at=arrived + timedelta(hours=1),
                                          station_has_account=False)
        rows.append(row_values(state["id"], state, version=1, server_version=1, updated_at=at.isoformat()))
    return rows


# --- criminal referrals -------------------------------------------------------------------------------------------

def _criminal_referrals(g: _Gen, count: int) -> list[tuple]:
    from fx_desktop.domain import criminal_referral as cr
    from fx_desktop.domain import json_text
    from fx_desktop.sync.apply_criminal_referral import due_at, party_text

    rules = cr.CrimeRules()
    rows = []
    for i in range(count):
        town = g.town()
        station_code = f"pcs_{town}" if g.orgs.get(f"pcs_{town}") else "pcs_nanqiao"
        leader, police = cr.Actor("张伟", "squad_leader", town), cr.Actor("孙浩", "police_liaison", station_code)
        open_ = g.rng.random() < 0.4
        at = g.when(open_=open_) if not open_ else g.now - timedelta(hours=g.rng.randrange(2, 24 * 5))
        case = g.case(town)
        args = {"criminal_referral_id": str(uuid.uuid4()), "number": f"奉综执刑移〔{at.year}〕{i:05d}号",
                "suspicion": "涉嫌污染环境罪", "report": "倾倒废酸。",
                "team": [{"name": "王磊", "cert_no": "1"}, {"name": "陈静", "cert_no": "2"}],
                "items": [{"name": "废酸桶", "quantity": "2", "unit": "只", "features": "蓝色", "kept_at": "仓库",
                           "measure": "扣押"}]}
        s = cr.report(args, case=case, owner=g.orgs.require(town), receiving=g.orgs.require(station_code),
                      copy_to=g.orgs.require("jcy"), actor=leader, at=at, rules=rules)
        steps = g.rng.randrange(4) if open_ else 4
        if steps >= 1:
            s = cr.decide(s, {"approve": True}, actor=leader, at=at + timedelta(hours=1), rules=rules)
        if steps >= 2:
            s = cr.send(s, {}, actor=leader, at=at + timedelta(hours=1, minutes=30), rules=rules)
        if steps >= 3:
            s = cr.receipt(s, {"signed_by": "孙浩"}, actor=police, at=at + timedelta(hours=2), rules=rules)
        if steps >= 4:
            s = cr.police_decide(s, {"result": "filed"}, actor=police, at=at + timedelta(days=1), rules=rules)
            s = cr.hand_over(s, {"materials": "询问笔录、现场照片", "handed_by": "王磊", "received_by": "孙浩"},
                             actor=leader, at=at + timedelta(days=2), rules=rules)
        due = due_at(s)
        rows.append((s["id"], case["id"], town, s["receiving_org"], party_text(s), s["number"], s["status"], 1, 1,
                     due.isoformat(sep=" ") if due else None, json_text.encode(s), at.isoformat(sep=" ")))
    return rows


# --- meetings -----------------------------------------------------------------------------------------------------

def _meetings(g: _Gen, count: int) -> list[tuple]:
    from fx_desktop.domain import meeting as mt
    from fx_desktop.sync.apply_meeting import row_values

    known = g.orgs.get
    rows = []
    for i in range(count):
        town = g.town()
        staff = mt.Actor("周敏", "office_staff", town)
        upcoming = g.rng.random() < 0.06
        starts = (g.now + timedelta(days=g.rng.randrange(1, 20)) if upcoming
                  else g.now - timedelta(days=g.rng.randrange(3, 730)))
        created = starts - timedelta(days=7)
        units = g.rng.sample(PARTNERS, 2) + [g.rng.choice(OTHER_DEPARTMENTS)]
        invitees = [{"key": f"p{n}", "org": code, "name": f"联络员{n}", "title": "科长", "phone": "021-5742000"}
                    for n, code in enumerate(units, start=1)]
        state = mt.create({"kind": g.rng.choice(("regular", "topic", "regular")), "title": f"第{i + 1}次联席会议",
                           "starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "place": "镇政府三楼会议室",
                           "chair": "王镇长", "minute_taker": "周敏", "invitees": invitees,
                           "agenda": [{"title": "跨部门案件协调", "source": "manual"}]},
                          owner=g.orgs.require(town), actor=staff, at=created, known=known)
        if not upcoming or g.rng.random() < 0.5:
            state = mt.notify(state, {}, actor=staff, at=created)
            state["number"] = f"奉综执会〔{starts.year}〕{i:05d}号"
        if not upcoming:
            held = starts + timedelta(hours=2)
            state = mt.record_attendance(state, {"attendance": {p["key"]: "出席" for p in invitees}}, actor=staff,
                                         at=held, known=known)
            recent = (g.now - starts).days < 60
            items = []
            for n in range(1, g.rng.randrange(2, 6)):
                deadline = starts + timedelta(days=g.rng.randrange(7, 60))
                done = not recent and g.rng.random() < 0.97  # a few long overdue
                items.append({"matter": f"落实联合整治第{n}项措施", "lead_org": g.rng.choice(units),
                              "supporting_orgs": [town], "deadline": deadline.date().isoformat(),
                              "status": "已办结" if done else g.rng.choice(("办理中", "未启动", "已反馈"))})
            state = mt.write_minutes(state, {"intro": "会议研究了跨部门协作事项。", "items": items}, actor=staff,
                                     at=held, known=known)
            state = mt.circulate(state, {}, actor=staff, at=held + timedelta(days=1))
            if not (recent and g.rng.random() < 0.3):  # a few recent minutes still circulating
                state = mt.sign(state, {}, actor=staff, at=held + timedelta(days=3))
            state = mt._shared(state)
        meeting_id = str(uuid.uuid4())
        if state.get("minutes") and state["minutes"]["status"] == "signed":
            g.agreed += [(meeting_id, town, item["no"], item["lead_org"]) for item in mt.agreed_open(state)]
        rows.append(row_values(meeting_id, state, version=1, server_version=1, updated_at=created))
    return rows


# --- supervision sheets -------------------------------------------------------------------------------------------

def _supervisions(g: _Gen, count: int) -> list[tuple]:
    from fx_desktop.domain import supervision as sv
    from fx_desktop.sync.apply_supervision import row_values

    rows = []
    followed = list(g.agreed)  # open agreed items of signed minutes: a tenth of the sheets follow one up
    g.rng.shuffle(followed)
    for i in range(count):
        town = g.town()
        unit = g.department(town) if g.rng.random() < 0.8 else town
        source: dict = {}
        if followed and g.rng.random() < 0.1:
            meeting_id, town, no, unit = followed.pop()
            source = {"source_kind": "meeting", "source_id": meeting_id, "source_item": no}
        office, liaison = sv.Actor("周敏", "office_staff", town), sv.Actor(
            "李敏", "department_liaison" if unit != town else "officer", unit)
        open_ = g.rng.random() < 0.4
        at = g.when(open_=open_)
        deadline = (at + timedelta(days=g.rng.randrange(5, 45))).date()
        state = sv.issue({"supervision_id": str(uuid.uuid4()), "number": f"奉综执督〔{at.year}〕{i:05d}号",
                          "matter": f"督办第{i + 1}号跨部门事项的办理", "deadline": deadline.isoformat(),
                          "leader": "王镇长", "handler": "周敏", **source},
                         owner=g.orgs.require(town), responsible=g.orgs.require(unit), actor=office, at=at)
        stage = g.rng.choices(("issued", "in_progress", "reported", "extension_asked", "closed"),
                              (3, 5, 2, 1, 0) if open_ else (0, 0, 0, 0, 1))[0]
        step_at = at + timedelta(days=1)
        if stage != "issued":
            state = sv.sign(state, {}, actor=liaison, at=step_at)
        if stage == "extension_asked":
            state = sv.ask_extension(state, {"reason": "需协调其他部门",
                                             "new_deadline": (deadline + timedelta(days=15)).isoformat()},
                                     actor=liaison, at=step_at)
        if stage in ("reported", "closed"):
            state = sv.report(state, {"text": "已完成整改并复查。"}, actor=liaison, at=step_at)
        if stage == "closed":
            state = sv.close(state, {}, actor=office, at=step_at + timedelta(days=2))
        rows.append(row_values(state["id"], state, version=1, server_version=1, updated_at=at))
    return rows


# --- legal review rounds ------------------------------------------------------------------------------------------

_OUTCOME = {"agreed": "agree", "returned": "revise", "disagreed": "disagree"}  # the round's status -> its outcome


def _legal_reviews(g: _Gen, count: int) -> list[tuple]:
    """Rounds of the towns' cases: pending and answered ones on cases in legal review, returned ones on cases back
    in investigation, agreed ones on cases decided since (the history); one round per case."""
    from fx_desktop.domain import json_text
    from fx_desktop.services.calendar import current_calendar

    with g.store.sessions() as session:
        calendar = current_calendar(session)
    with g.store.engine.connect() as conn:
        by_status: dict[tuple[str, str], list[str]] = {}
        for cid, town, status in conn.exec_driver_sql(
                "SELECT id, town_code, status FROM cases WHERE id NOT IN (SELECT case_id FROM legal_reviews)"):
            by_status.setdefault((town, status), []).append(cid)
    for ids in by_status.values():
        g.rng.shuffle(ids)
    rows = []
    for i in range(count):
        town = g.town()
        pick = g.rng.random()
        status, wanted = (("pending", "legal_review") if pick < 0.2 else
                          ("agreed", "legal_review") if pick < 0.25 else
                          ("returned", "investigation_closed") if pick < 0.3 else
                          ("agreed", g.rng.choice(("decided", "served", "executing", "closed"))))
        pool = by_status.get((town, wanted)) or by_status.get((g.busiest, wanted))
        if not pool:  # the few cases in review have their round: the rest are the history of closed cases
            status, wanted = "agreed", "closed"
            pool = by_status.get((town, wanted)) or by_status.get((g.busiest, wanted))
        if not pool:
            continue
        case_id = pool.pop()
        open_ = status == "pending" or wanted in ("legal_review", "investigation_closed")
        submitted = g.when(open_=open_)
        accepted = submitted.date()
        due = calendar.add_working_days(accepted, 5).date
        answered = status != "pending"
        reviewed = submitted + timedelta(days=2) if answered else None
        rows.append((str(uuid.uuid4()), case_id, town, 1, status, submitted.isoformat(sep=" "), "张伟",
                     json_text.encode([{"title": "案件调查终结报告", "pages": 4}]), "请予审核。", accepted.isoformat(),
                     due.isoformat(), None, None, _OUTCOME.get(status),
                     "事实清楚，证据确凿。" if answered else None, "赵律" if answered else None,
                     reviewed.isoformat(sep=" ") if reviewed else None,
                     f"奉综执法审〔{submitted.year}〕{i:05d}号" if answered else None, 1, 1))
    return rows


_INSERTS = {
    "referral": "sync.apply_referral",
    "police_request": "sync.apply_police_request",
    "criminal_referral": None,
    "meeting": "sync.apply_meeting",
    "supervision": "sync.apply_supervision",
    "legal_review": "sync.apply_review",
}
_MAKERS = {"referral": _referrals, "police_request": _police_requests, "criminal_referral": _criminal_referrals,
           "meeting": _meetings, "supervision": _supervisions, "legal_review": _legal_reviews}


def _insert_sql(kind: str) -> str:
    import importlib

    if kind == "criminal_referral":
        return ("INSERT INTO criminal_referrals (id, case_id, owner_org, receiving_org, party_orgs, number, status, "
                "version, server_version, due_at, data, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")
    return importlib.import_module(f"fx_desktop.{_INSERTS[kind]}")._INSERT


def fill(store, total: int = RECORDS, *, seed: int = 14, today: date | None = None) -> dict[str, int]:
    """Add `total` records spread over the kinds (SHARES); returns how many of each were written."""
    g = _Gen(store, seed=seed, today=today or date.today())
    written = {}
    for kind, count in shares(total).items():
        started = time.perf_counter()
        rows = _MAKERS[kind](g, count)
        with store.writes.begin() as session:
            session.connection().connection.cursor().executemany(_insert_sql(kind), rows)
        written[kind] = len(rows)
        log(f"  {kind}: {len(rows)} written in {time.perf_counter() - started:.1f} s")
    return written


def other_count(store) -> int:
    """Records of these kinds already in the store."""
    tables = ("referrals", "police_requests", "criminal_referrals", "meetings", "supervisions", "legal_reviews")
    with store.engine.connect() as conn:
        return sum(conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() for t in tables)


def main(argv: list[str] | None = None) -> int:
    from pathlib import Path

    p = argparse.ArgumentParser(prog="python -m bench.other_records", description=__doc__.split("\n\n")[0])
    p.add_argument("--data-dir", required=True, type=Path)
    p.add_argument("--records", type=int, default=RECORDS)
    args = p.parse_args(argv)
    store = open_bench_store(args.data_dir)
    try:
        started = time.perf_counter()
        written = fill(store, args.records)
        log(f"{sum(written.values())} records written in {time.perf_counter() - started:.1f} s: {written}")
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
