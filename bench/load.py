"""Load test (`make load`, or `python -m bench.load [--clients 50] [--duration 60] [--db postgresql]`): simulated
clients, each its own user and client id in one of several towns, push realistic create_case / update_case
mutations and pull changes against a real fx-bureau process on a fresh PostgreSQL database, for a fixed time.

Figures (one JSON line each on stdout, progress on stderr): load_errors (= 0), load_push_p95_ms (< 300 ms),
load_lost_or_duplicated (= 0). Afterwards every mutation a client pushed is looked up on the server: exactly one
mutation_log row per (client id, mutation id) and none that no client sent; every created case present once, in
its town, with the fields sent; every updated case holding the last values sent and version 1 + its updates.

The clients are threads using raw HTTP (requests): POST /auth/login, POST /sync/push, GET /sync/pull. Each cycle
pushes 1-3 mutations (40 % create_case, otherwise update_case of one of its own cases) then pulls, then waits
1-3 s (`--think`): about one sync every two seconds per client, far more often than real desktops sync, to load
the server. Logging in and each client's first pull (its town's existing cases) happen before the clock starts;
each client then begins at a random moment within the first think time (`--burst-start`: all at once, the
thundering herd after an outage).
Bounded in count and time: stops by itself, stops its server process and drops its database, also after Ctrl-C.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import requests

from .bureau import BenchBureau, pg_available
from .common import emit_timed, figure, log, percentile

TOWNS = ("nanqiao", "fengcheng", "zhuanghang", "jinhui", "situan")
SEED_CASES = 5_000
PUSH_GOAL_MS = 300.0
TIMEOUT = (5.0, 30.0)
MAX_RETRIES = 5
GRACE_S = 60.0  # after the measured window: time allowed for in-flight cycles and unacknowledged batches


@dataclass
class Expected:
    """What the server should hold for one case this client created."""

    town: str
    fields: dict
    officers: list
    updates: int = 0


@dataclass
class SimClient:
    index: int
    username: str
    town: str
    base_url: str
    password: str
    rng: random.Random
    batch: tuple[int, int]
    think: tuple[float, float]
    burst: bool = False
    client_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    access: str = ""
    refresh: str = ""
    cursor: str | None = None
    next_id: int = 1
    sent: dict[int, tuple[str, dict]] = field(default_factory=dict)  # mutation id -> (name, args), acknowledged
    cases: dict[str, Expected] = field(default_factory=dict)
    push_ms: list[float] = field(default_factory=list)
    pull_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unacked: list[dict] | None = None
    pulled: int = 0
    refreshes: int = 0

    def __post_init__(self):
        from .sync_data import officer_pool

        self.http = requests.Session()
        self.http.trust_env = False  # loopback: no proxy lookup in the environment on every request (~0.3 ms each)
        self.officers = officer_pool(self.rng, 8)
        self.drafts: dict[str, object] = {}

    # --- HTTP -------------------------------------------------------------------------------------------------

    def _call(self, method: str, path: str, **kw) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.access}"} if self.access else {}
        response = self.http.request(method, self.base_url + path, headers=headers, timeout=TIMEOUT, **kw)
        if response.status_code == 401 and self.refresh:  # access token expired: refresh once and repeat
            self.refreshes += 1
            r = self.http.post(self.base_url + "/auth/refresh", json={"refresh_token": self.refresh}, timeout=TIMEOUT)
            r.raise_for_status()
            self.access = r.json()["access_token"]
            headers["Authorization"] = f"Bearer {self.access}"
            response = self.http.request(method, self.base_url + path, headers=headers, timeout=TIMEOUT, **kw)
        return response

    def login(self) -> None:
        r = self.http.post(self.base_url + "/auth/login", timeout=TIMEOUT, json={
            "username": self.username, "password": self.password, "client_id": self.client_id,
            "device_name": f"load-{self.index}"})
        r.raise_for_status()
        body = r.json()
        self.access, self.refresh = body["access_token"], body["refresh_token"]

    def pull(self, measure: bool) -> None:
        for _ in range(100):  # pages; a safety net
            params = {"limit": 1000, **({"cursor": self.cursor} if self.cursor else {})}
            started = time.perf_counter()
            r = self._call("GET", "/sync/pull", params=params)
            elapsed = (time.perf_counter() - started) * 1000
            if r.status_code != 200:
                raise RuntimeError(f"pull: HTTP {r.status_code} {r.text[:200]}")
            body = r.json()
            if measure:
                self.pull_ms.append(elapsed)
            self.pulled += len(body["changes"])
            self.cursor = body["cursor"]
            if not body["more"]:
                return
        raise RuntimeError("pull: more than 100 pages")

    # --- mutations ----------------------------------------------------------------------------------------------

    def _mutation(self) -> dict:
        from .sync_data import draft, edited, mutation_fields

        mid = self.next_id
        self.next_id += 1
        at = datetime.now().isoformat()
        if self.cases and self.rng.random() >= 0.4:
            case_id = self.rng.choice(list(self.cases))
            before = self.drafts[case_id]
            after = edited(self.rng, before)
            old, _ = mutation_fields(before)
            new, _ = mutation_fields(after)
            changed = {k: v for k, v in new.items() if old.get(k) != v}
            self.drafts[case_id] = after
            args = {"case_id": case_id, "base_version": 1 + self.cases[case_id].updates,
                    "changed_fields": changed, "base": {k: old.get(k) for k in changed}}
            return {"id": mid, "name": "update_case", "args": args, "at": at, "_expect": (case_id, new)}
        d = draft(self.rng, self.town, self.officers)
        fields, officers = mutation_fields(d)
        case_id = str(uuid.uuid4())
        self.drafts[case_id] = d
        args = {"case_id": case_id, "number": f"临时-{case_id[:8]}", "town_code": self.town, "fields": fields,
                "officers": officers}
        return {"id": mid, "name": "create_case", "args": args, "at": at, "_expect": (case_id, fields, officers)}

    def push(self, batch: list[dict]) -> bool:
        """One POST /sync/push; True when every mutation was acknowledged (applied now or before)."""
        body = {"client_id": self.client_id, "client_now": datetime.now().isoformat(),
                "mutations": [{k: v for k, v in m.items() if not k.startswith("_")} for m in batch]}
        started = time.perf_counter()
        try:
            r = self._call("POST", "/sync/push", json=body)
        except requests.RequestException as exc:
            self.errors.append(f"push: {type(exc).__name__}: {exc}")
            return False
        self.push_ms.append((time.perf_counter() - started) * 1000)
        if r.status_code != 200:
            self.errors.append(f"push: HTTP {r.status_code} {r.text[:200]}")
            return False
        results = {int(x["id"]): x for x in r.json()["results"]}
        ok = True
        for m in batch:
            res = results.get(m["id"])
            outcome = res and (res.get("outcome") if res["result"] == "already_processed" else res["result"])
            if outcome == "applied":
                self._acknowledged(m)
            else:
                ok = False
                self.errors.append(f"push: mutation {m['id']} ({m['name']}) -> {res}")
        return ok

    def _acknowledged(self, m: dict) -> None:
        if m["id"] in self.sent:
            return
        self.sent[m["id"]] = (m["name"], m["args"])
        if m["name"] == "create_case":
            case_id, fields, officers = m["_expect"]
            self.cases[case_id] = Expected(self.town, fields, officers)
        else:
            case_id, fields = m["_expect"]
            self.cases[case_id].fields = fields
            self.cases[case_id].updates += 1

    # --- the thread ---------------------------------------------------------------------------------------------

    def run(self, ready: threading.Barrier, stop: threading.Event, hard_stop: threading.Event) -> None:
        try:
            self.login()
            self.pull(measure=False)  # the first pull of the town's cases: set-up
        except Exception as exc:  # noqa: BLE001
            self.errors.append(f"set-up: {type(exc).__name__}: {exc}")
        try:
            ready.wait(timeout=300)
        except threading.BrokenBarrierError:
            self.errors.append("set-up: the other clients did not get ready")
            return
        if not self.burst:  # a random phase, as real clients have: not all 50 at the same instant
            stop.wait(self.rng.uniform(0, self.think[1]))
        cycles = 0
        while (not stop.is_set() or cycles == 0) and not self.errors:  # at least one, however short the window
            try:
                self.cycle()
            except Exception as exc:  # noqa: BLE001 - counted, and this client stops
                self.errors.append(f"cycle: {type(exc).__name__}: {exc}")
                break
            cycles += 1
            stop.wait(self.rng.uniform(*self.think))
        for attempt in range(MAX_RETRIES):  # a batch whose answer was lost is sent again: the server dedupes
            if not self.unacked or hard_stop.is_set():
                break
            time.sleep(0.5 * (attempt + 1))
            if self.push(self.unacked):
                self.unacked = None

    def cycle(self) -> None:
        batch = [self._mutation() for _ in range(self.rng.randint(*self.batch))]
        self.unacked = batch
        if self.push(batch):
            self.unacked = None
        self.pull(measure=True)


# --- verification -------------------------------------------------------------------------------------------------
def verify(bureau: BenchBureau, clients: list[SimClient], seeded: int) -> tuple[int, list[str]]:
    """Count mutations lost or applied more than once, comparing what the clients had acknowledged with the
    server's mutation_log, clients and cases tables."""
    from sqlalchemy import func, select

    from fx_bureau.models import Case, Client, MutationLog

    problems: list[str] = []
    bad = 0
    ids = [c.client_id for c in clients]
    with bureau.engine.connect() as conn:
        logged: dict[str, dict[int, int]] = {}
        for client_id, mutation_id, count in conn.execute(
                select(MutationLog.client_id, MutationLog.mutation_id, func.count())
                .where(MutationLog.client_id.in_(ids)).group_by(MutationLog.client_id, MutationLog.mutation_id)):
            logged.setdefault(client_id, {})[int(mutation_id)] = count
        last = dict(conn.execute(select(Client.id, Client.last_mutation_id).where(Client.id.in_(ids))).all())
        created = [case_id for c in clients for case_id in c.cases]
        rows = {}
        for start in range(0, len(created), 1000):
            chunk = created[start:start + 1000]
            for r in conn.execute(select(Case.id, Case.town_code, Case.fields, Case.officers, Case.version)
                                  .where(Case.id.in_(chunk))):
                rows[r.id] = r
        total_cases = conn.execute(select(func.count()).select_from(Case)).scalar_one()
    for c in clients:
        mine = logged.get(c.client_id, {})
        sent = set(c.sent)
        missing = sent - set(mine)
        extra = set(mine) - sent
        dup = {m for m, n in mine.items() if n != 1}
        if missing or extra or dup:
            bad += len(missing) + len(extra) + len(dup)
            problems.append(f"{c.username}: missing {sorted(missing)[:5]} unexpected {sorted(extra)[:5]} "
                            f"duplicated {sorted(dup)[:5]}")
        if sent and last.get(c.client_id) != max(sent):
            problems.append(f"{c.username}: last_mutation_id {last.get(c.client_id)}, expected {max(sent)}")
            bad += 1
        for case_id, exp in c.cases.items():
            row = rows.get(case_id)
            if row is None:
                bad += 1
                problems.append(f"{c.username}: case {case_id} missing on the server")
            elif (row.town_code, row.fields, row.officers, row.version) != (exp.town, exp.fields, exp.officers,
                                                                            1 + exp.updates):
                bad += 1
                problems.append(f"{c.username}: case {case_id} differs: version {row.version} vs {1 + exp.updates}")
    creates = sum(1 for c in clients for name, _ in c.sent.values() if name == "create_case")
    if total_cases != seeded + creates:
        bad += abs(total_cases - seeded - creates)
        problems.append(f"the server holds {total_cases} cases, expected {seeded} seeded + {creates} created")
    return bad, problems


# --- main -----------------------------------------------------------------------------------------------------------
def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    p.add_argument("--towns", type=int, default=len(TOWNS), help=f"towns the clients belong to (1-{len(TOWNS)})")
    p.add_argument("--seed-cases", type=int, default=SEED_CASES, help="cases on the server before the start")
    p.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"),
                   help="seconds a client waits between cycles (uniform; default 1 3)")
    p.add_argument("--batch", type=int, nargs=2, default=(1, 3), metavar=("MIN", "MAX"),
                   help="mutations per push (uniform; default 1 3)")
    p.add_argument("--burst-start", action="store_true",
                   help="all clients start their first cycle at the same instant (a thundering herd, as after an "
                        "outage) instead of at a random moment within the first think time")
    p.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql",
                   help="fx-bureau's database (default postgresql, as a district runs it)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                   help="fx-bureau worker processes (default: one per core, as a district server would run)")
    return p


def run(args) -> list[dict]:
    from .sync import seed_cases

    if args.db == "postgresql" and not pg_available():
        raise SystemExit("PostgreSQL is not reachable (FX_BENCH_PG_URL / FX_TEST_PG_URL, or the fxtest role that "
                         "scripts/start-postgres.sh makes); use --db sqlite to run without it")
    towns = TOWNS[:max(1, min(args.towns, len(TOWNS)))]
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="fx-load-") as tmp, BenchBureau(args.db, Path(tmp) / "bureau") as bureau:
        users = [(f"load{i:02d}", "squad_leader" if i % 5 == 0 else "officer", towns[i % len(towns)], f"负载{i:02d}")
                 for i in range(args.clients)]
        bureau.add_users(users)
        if args.seed_cases:
            seed_cases(bureau, args.seed_cases, seed=args.seed)
        bureau.start("--workers", str(args.workers))  # each request's server-side duration goes to server.log
        towns = sorted({t for _u, _r, t, _n in users})
        log(f"fx-bureau on {bureau.url} ({args.db}); {args.clients} clients in {len(towns)} towns, "
            f"{args.seed_cases} cases on the server")
        clients = [SimClient(i, u, t, bureau.url, bureau.password, random.Random(rng.random()), tuple(args.batch),
                             tuple(args.think), args.burst_start) for i, (u, _role, t, _n) in enumerate(users)]
        ready = threading.Barrier(len(clients) + 1)
        stop, hard_stop = threading.Event(), threading.Event()
        threads = [threading.Thread(target=c.run, args=(ready, stop, hard_stop), name=c.username, daemon=True)
                   for c in clients]
        try:
            for t in threads:
                t.start()
            ready.wait(timeout=300)
            log(f"clients logged in and pulled; loading for {args.duration:g} s")
            started = time.perf_counter()
            while time.perf_counter() - started < args.duration:
                time.sleep(min(5.0, args.duration - (time.perf_counter() - started)))
                pushes = sum(len(c.push_ms) for c in clients)
                log(f"  {time.perf_counter() - started:5.1f} s: {pushes} pushes, "
                    f"{sum(len(c.sent) for c in clients)} mutations acknowledged, "
                    f"{sum(len(c.errors) for c in clients)} errors")
            stop.set()
            window = time.perf_counter() - started
            deadline = time.monotonic() + GRACE_S
            for t in threads:
                t.join(max(0.1, deadline - time.monotonic()))
            hard_stop.set()
            stuck = [t.name for t in threads if t.is_alive()]
        except BaseException:
            stop.set()
            hard_stop.set()
            ready.abort()
            raise
        server_log = bureau.log_tail(2000)
        bureau.stop()  # every acknowledged push has committed; what is on disk now is all there is
        server_push_ms = bureau.request_times("/sync/push")
        lost, problems = verify(bureau, clients, args.seed_cases)

    errors = [e for c in clients for e in c.errors] + [f"client thread still running: {n}" for n in stuck]
    for line in errors[:10]:
        log(f"  error: {line}")
    for line in problems[:10]:
        log(f"  lost/duplicated: {line}")
    if errors and server_log.strip():
        log("  server log (tail):\n" + server_log)
    server_p95 = percentile(server_push_ms, 95) if server_push_ms else float("nan")
    push_ms = [v for c in clients for v in c.push_ms]
    pull_ms = [v for c in clients for v in c.pull_ms]
    mutations = sum(len(c.sent) for c in clients)
    common = dict(clients=args.clients, towns=len(towns), duration_s=window, server_db=args.db,
                  think_s=list(args.think), batch=list(args.batch),
                  start="burst" if args.burst_start else "staggered over the first think time")
    p95 = percentile(push_ms, 95) if push_ms else float("nan")
    log(f"  {len(push_ms)} pushes ({mutations} mutations, {mutations / window:.1f}/s), {len(pull_ms)} pulls; "
        f"push p50 {percentile(push_ms, 50) if push_ms else float('nan'):.1f} ms p95 {p95:.1f} ms; "
        f"pull p95 {percentile(pull_ms, 95) if pull_ms else float('nan'):.1f} ms; "
        f"server-side push p95 {server_p95:.1f} ms (request in the server's middleware to response)")
    return [
        figure("load_errors", len(errors), "count", "= 0", not errors, pushes=len(push_ms), pulls=len(pull_ms),
               **common),
        figure("load_push_p95_ms", p95, "ms", f"< {PUSH_GOAL_MS:g} ms", p95 < PUSH_GOAL_MS,
               p50_ms=percentile(push_ms, 50) if push_ms else float("nan"), max_ms=max(push_ms, default=float("nan")),
               pushes=len(push_ms), mutations=mutations, mutations_per_s=mutations / window,
               server_side_p95_ms=server_p95, pull_p95_ms=percentile(pull_ms, 95) if pull_ms else float("nan"),
               pulls=len(pull_ms), **common),
        figure("load_lost_or_duplicated", lost, "count", "= 0", lost == 0, mutations=mutations,
               cases_created=sum(1 for c in clients for n, _ in c.sent.values() if n == "create_case"), **common),
    ]


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.clients < 1 or args.duration <= 0 or not 1 <= args.batch[0] <= args.batch[1] \
            or not 0 <= args.think[0] <= args.think[1]:
        _parser().error("--clients and --duration must be positive, --batch MIN MAX with 1 <= MIN <= MAX, "
                        "--think MIN MAX with 0 <= MIN <= MAX")
    emit_timed(lambda: run(args), "load test")
    return 0


if __name__ == "__main__":
    sys.exit(main())
