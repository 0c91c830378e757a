"""The 公安协助 list at 20,000 requests: from refresh() (the count and the first page read from the store with the
filters in SQL) until the first screen is painted at 1360x760. Goal as for the case list: < 80 ms. The figures
below the list (requests per station and month, median minutes to arrival), computed right after it is shown, are
reported beside it (figures_after_ms).

    QT_QPA_PLATFORM=offscreen python -m bench.police_requests [--requests 20000] [--reps 7]

The requests are a squad's over two years, spread over the district's stations and the three situations, most
with an arrival; written straight into the store (one INSERT per request, as a pull's first page does)."""
from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from .common import emit, ensure_profile, figure, log, median, open_bench_store

TOWN = "nanqiao"
GOAL_MS = 80.0


def fill(store, count: int, seed: int = 13) -> None:
    from fx_desktop.domain import police_request as pr
    from fx_desktop.domain.organisations import OrgDirectory, OrgKind
    from fx_desktop.store import reference
    from fx_desktop.sync.apply_police_request import _INSERT, row_values

    rng = random.Random(seed)
    with store.sessions() as session:
        orgs = OrgDirectory.from_reference(reference.current(session))
    stations = [o for o in orgs.of_kind(OrgKind.POLICE_STATION)]
    owner, leader = orgs.require(TOWN), pr.Actor("张伟", "squad_leader", TOWN)
    start = datetime(2025, 1, 1, 8, 0)
    rows = []
    for i in range(count):
        at = start + timedelta(minutes=rng.randrange(0, 700 * 24 * 60))
        situation = rng.choice(("emergency", "emergency", "emergency", "public_opinion"))
        state = pr.create({"request_id": f"bench-{i:06d}", "situation": situation, "place": f"南桥镇某路{i % 997}号",
                           "party": f"当事人{i % 1777}", "asks": ["keep_order"], "details": "舆情", "file": True,
                           "call_time": at.isoformat(timespec="minutes")},
                          case=None, owner=owner, station=rng.choice(stations), actor=leader, at=at)
        state["number"] = f"奉南桥综执协〔{at.year}〕{i:05d}号"
        if rng.random() < 0.8:
            state = pr.record_arrival(state, {"arrived_at": (at + timedelta(minutes=rng.randrange(5, 40)))
                                              .isoformat(timespec="minutes"),
                                              "officers": [{"name": "顾民警", "number": "031245"}]},
                                      actor=leader, at=at + timedelta(hours=1), station_has_account=False)
        rows.append(row_values(state["id"], state, version=1, server_version=1, updated_at=at.isoformat()))
    with store.writes.begin() as session:
        session.connection().connection.cursor().executemany(_INSERT, rows)


def first_screen(store, reps: int) -> dict:
    from PySide6.QtWidgets import QApplication

    from fx_desktop.domain.roles import Role
    from fx_desktop.services.organisations import directory
    from fx_desktop.services.profile import Profile
    from fx_desktop.views.police_request_list import PoliceRequestList

    app = QApplication.instance() or QApplication(["fx-bench"])
    leader = Profile("bench-leader", "张伟", Role.SQUAD_LEADER, TOWN)
    page = PoliceRequestList(store, lambda: leader, directory(store))
    page.resize(1360, 760)
    page.show()
    app.processEvents()
    times, figures = [], []
    for _ in range(reps):
        app.processEvents()
        started = time.perf_counter()
        page.refresh()
        page.repaint()
        times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        app.processEvents()  # the figures, shown right after the list
        figures.append((time.perf_counter() - started) * 1000)
    rows = page.model.rowCount()
    log(f"  police requests: {page.model.total} listed, {rows} rows read; first {times[0]:.1f} ms, "
        f"median {median(times):.1f} ms, max {max(times):.1f} ms; the figures after it: median "
        f"{median(figures):.1f} ms")
    page.close()
    value = median(times)
    return figure("police_request_list_first_screen_ms", value, "ms", "< 80 ms", value < GOAL_MS, runs=reps,
                  requests=page.model.total, figures_after_ms=median(figures))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.police_requests", description=__doc__.split("\n\n")[0])
    p.add_argument("--requests", type=int, default=20_000)
    p.add_argument("--reps", type=int, default=7)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="fx-bench-police-") as tmp:
        store = open_bench_store(Path(tmp) / "data")
        try:
            ensure_profile(store)
            started = time.perf_counter()
            fill(store, args.requests)
            log(f"  {args.requests} requests written in {time.perf_counter() - started:.1f} s")
            emit(first_screen(store, args.reps))
        finally:
            store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
