"""Shared helpers: figures as JSON lines on stdout, chatter on stderr, statistics, the demo data directory."""
from __future__ import annotations

import json
import math
import sqlite3
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

REFERENCE_CASES = 100_000  # the goals are stated for this many cases
DISTRICT_CASES = 1_000_000  # a district dispatcher's register after years: stricter goals from this many cases on
SEARCH_SETTLED_GOAL_MS = 10.0  # search p95, settled, from DISTRICT_CASES on
STARTUP_GOAL_S, DISTRICT_STARTUP_GOAL_S = 1.2, 1.0


def district_scale(cases: int | None) -> bool:
    """Whether the issue's goals for a district's million cases apply (issue 11, "Speed and scale")."""
    return cases is not None and cases >= DISTRICT_CASES


def log(*parts: object) -> None:
    """Progress chatter: stderr only, so stdout stays one JSON object per line."""
    print(*parts, file=sys.stderr, flush=True)


def figure(name: str, value: float, unit: str, goal: str, met: bool, **extra: object) -> dict:
    """One reported figure. `goal` is the issue's wording ("< 80 ms"); `met` is computed by the caller."""
    return {"name": name, "value": _round(value), "unit": unit, "goal": goal, "met": bool(met),
            **{k: (_round(v) if isinstance(v, float) else v) for k, v in extra.items()}}


def emit(fig: dict) -> None:
    print(json.dumps(fig, ensure_ascii=False), flush=True)


def emit_timed(figures: Callable[[], Iterable[dict]], what: str) -> None:
    """Print each figure `figures()` makes, then how long it all took (a benchmark's main)."""
    started = time.perf_counter()
    for fig in figures():
        emit(fig)
    log(f"{what} done in {time.perf_counter() - started:.1f} s")


def _round(value: float) -> float:
    if not math.isfinite(value):
        return value
    return round(value, 1) if abs(value) >= 1000 else round(value, 3)


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], p: float) -> float:
    """Linear-interpolated percentile (p in 0..100), the same as numpy's default."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    k = (len(ordered) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


@dataclass(frozen=True)
class Repetitions:
    first_screen: int = 15
    search: int = 5
    like: int = 5
    startup: int = 5
    bare_qt: int = 5

    @classmethod
    def quick(cls) -> "Repetitions":
        return cls(first_screen=5, search=2, like=2, startup=2, bare_qt=2)


# --- demo data ------------------------------------------------------------------------------------------------------
def case_count(data_dir: Path) -> int:
    """Cases already in the data directory's database (0 when there is none); read without migrating anything."""
    from fx_desktop.paths import DataPaths

    db = DataPaths.at(data_dir).database
    if not db.exists() or db.stat().st_size == 0:
        return 0
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    except sqlite3.DatabaseError:
        return 0
    finally:
        conn.close()


def open_bench_store(data_dir: Path):
    from fx_desktop.paths import DataPaths
    from fx_desktop.store import open_store

    return open_store(DataPaths.at(data_dir))


def generate_demo(data_dir: Path, cases: int, *, seed: int = 1) -> float:
    """Fill a fresh data directory with `cases` demo cases; returns the seconds generate() took. The store is closed
    afterwards (which checkpoints the WAL), so later measurements see the file as a restarted app would."""
    import time

    from fx_desktop.services.demo import generate

    store = open_bench_store(data_dir)
    try:
        step = max(cases // 10, 1)

        def progress(done: int, total: int) -> None:
            if done % step < 2000 or done == total:
                log(f"  demo data: {done}/{total}")

        started = time.perf_counter()
        generate(store, cases, seed=seed, progress=progress)
        return time.perf_counter() - started
    finally:
        store.close()


def ensure_profile(store) -> None:
    """The app shows a blocking first-run dialog without a saved profile. The bench's user is the bureau's
    dispatcher, who lists every town's cases (a town's users list their own town's only, a tenth of them): the
    figures are for the whole register, as they were before town users were restricted. A data directory saved
    with another user is switched to the dispatcher."""
    from fx_desktop.domain.roles import Role
    from fx_desktop.services.profile import load_profile, save_profile

    profile = load_profile(store)
    if profile is None or not profile.sees_all:
        if profile is not None:
            log(f"  note: the data directory's user {profile.name} ({profile.role}) lists one town only; "
                "switching it to the bureau's dispatcher")
        save_profile(store, name="刁建", role=Role.BUREAU_DISPATCHER)


def town_names(store) -> dict[str, str]:
    from fx_desktop.store import reference

    with store.sessions() as session:
        ref = reference.current(session)
    return {t["code"]: t["name"] for t in ref["towns"]}


def demo_figures(cases: int, seconds: float) -> list[dict]:
    """demo_data_100k_s; for another case count the measured demo_data_{N}_s (goal scaled) and the 100k estimate."""
    goal_s = 60.0
    if cases == REFERENCE_CASES:
        return [figure("demo_data_100k_s", seconds, "s", f"< {goal_s:g} s", seconds < goal_s, cases=cases)]
    scaled_goal = goal_s * cases / REFERENCE_CASES
    scaled = seconds * REFERENCE_CASES / cases
    return [
        figure(f"demo_data_{cases}_s", seconds, "s", f"< {scaled_goal:g} s", seconds < scaled_goal, cases=cases),
        figure("demo_data_100k_s", scaled, "s", f"< {goal_s:g} s", scaled < goal_s, cases=cases,
               estimated=f"scaled linearly from {cases} cases"),
    ]
