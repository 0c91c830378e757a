"""`QT_QPA_PLATFORM=offscreen python -m bench [--cases N] [--data-dir DIR] [--quick] [--only SECTIONS]`

Prints one JSON line per figure on stdout ({"name", "value", "unit", "goal", "met", ...}); progress on stderr.
Sections, in the order they run: demo (demo_data_100k_s), like (search_speedup_vs_like), list
(case_list_first_screen_ms, case_list_overdue_first_screen_ms, workbench_first_screen_ms and the same for office
staff and a department liaison: workbench_office_staff_first_screen_ms, workbench_department_liaison_first_screen_ms;
the list section first adds half as many other records as cases, bench/other_records.py), search (search_p95_ms),
startup (startup_s, bare_qt_startup_s, startup_ratio_vs_bare_qt, rss_mb), sync (pull_100k_s, pull_ratio_vs_raw,
pull_100k_with_referrals_s, push_10k_s, noop_sync_ms, upload_throughput_ratio, download_throughput_ratio; against a
real fx-bureau process, see bench/sync.py; its size is --sync-cases, else --cases when given; --sync-parts picks its
measurements), print (opinion_form_ms, opinion_form_ratio_vs_bare, batch_200_pages_s; see bench/printing.py), preview
(preview_first_page_ms; see bench/preview.py), meeting (meeting_pack_200_pages_s, meeting_pack_ratio_vs_goal; see
bench/meeting_pack.py). print, preview and meeting need no demo data.

A district dispatcher's register (issue 11): with --cases 1000000 (DISTRICT_CASES and more) the district goals
apply: search_p95_settled_ms < 10 ms is reported as a figure of its own, startup_s < 1 s, rss_mb < 200 MB, the
first pull under 6 minutes (`python -m bench --cases 1000000 --only sync --sync-parts pull,noop`: the pull, its raw
baseline and the no-op sync of a million cases).
Generating a million demo cases takes a quarter of an hour or more: give --data-dir to keep and reuse them.
How each figure grows from 100,000 to 1,000,000 cases, in one command (both sizes, each in its own process):
`python -m bench.scale --data-root DIR` (see bench/scale.py).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Callable, Iterable

from .common import (
    REFERENCE_CASES,
    Repetitions,
    case_count,
    demo_figures,
    emit,
    ensure_profile,
    generate_demo,
    log,
    open_bench_store,
)

SECTIONS = ("demo", "like", "list", "search", "startup", "sync", "print", "preview", "meeting")
LOCAL_SECTIONS = {"demo", "like", "list", "search", "startup"}  # these need the demo data directory
QUICK_CASES = 10_000


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cases", type=int, default=None,
                   help=f"demo cases to generate (default {REFERENCE_CASES}; {QUICK_CASES} with --quick)")
    p.add_argument("--data-dir", help="data directory to use: its cases are reused when it has some, otherwise they "
                                      "are generated there and kept (default: a temporary directory, deleted after)")
    p.add_argument("--quick", action="store_true", help=f"smoke run: {QUICK_CASES} cases, fewer repetitions")
    p.add_argument("--only", default=",".join(SECTIONS),
                   help=f"comma-separated sections to run (default all: {','.join(SECTIONS)})")
    sync = p.add_argument_group("sync section (defaults: 100000 cases, 10000 mutations, 200 MB up and down; "
                                "with --quick 5000, 1000, 20 MB)")
    sync.add_argument("--sync-db", choices=("postgresql", "sqlite"),
                      help="fx-bureau's database (default: PostgreSQL when it is running here, else SQLite)")
    sync.add_argument("--sync-cases", type=int, help="cases seeded on the server and pulled (default: --cases when "
                                                     "it is given)")
    sync.add_argument("--sync-mutations", type=int, help="mutations queued and pushed")
    sync.add_argument("--upload-mb", type=int, help="size of the uploaded file")
    sync.add_argument("--download-mb", type=int, help="size of the downloaded file")
    sync.add_argument("--sync-parts", default=None,
                      help="comma-separated measurements of the sync section to run (default all: "
                           "pull,referrals,push,noop,upload,download), e.g. --sync-parts push; pull,noop for a "
                           "district's million cases")
    return p


def _run_section(name: str, measure: Callable[[], Iterable[dict]]) -> bool:
    log(f"[{name}]")
    started = time.perf_counter()
    try:
        for fig in measure():
            emit(fig)
    except Exception:  # noqa: BLE001 - report and go on with the other sections
        log(f"  {name} failed:\n{traceback.format_exc()}")
        return False
    log(f"  ({time.perf_counter() - started:.1f} s)")
    return True


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    if only - set(SECTIONS):
        _parser().error(f"unknown section(s) {', '.join(sorted(only - set(SECTIONS)))}; choose from {SECTIONS}")
    cases = args.cases if args.cases is not None else (QUICK_CASES if args.quick else REFERENCE_CASES)
    if cases < 1:
        _parser().error("--cases must be a positive number")
    if any(v is not None and v < 1 for v in (args.sync_cases, args.sync_mutations, args.upload_mb,
                                             args.download_mb)):
        _parser().error("--sync-cases, --sync-mutations, --upload-mb and --download-mb must be positive numbers")
    reps = Repetitions.quick() if args.quick else Repetitions()
    if os.environ.get("QT_QPA_PLATFORM") is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # `make bench` sets it; never open real windows

    started = time.perf_counter()
    ok = True
    if only & LOCAL_SECTIONS:
        ok &= _run_local(args, cases, reps, only)
    if "sync" in only:
        ok &= _run_section("sync", lambda: _sync(args))
    if "print" in only:
        ok &= _run_section("print", lambda: _printing(args.quick))
    if "preview" in only:
        ok &= _run_section("preview", lambda: _preview(args.quick))
    if "meeting" in only:
        ok &= _run_section("meeting", lambda: _meeting_pack(args.quick))
    log(f"bench done in {time.perf_counter() - started:.1f} s")
    return 0 if ok else 1


def _sync(args):
    from .sync import SyncSizes, sync_figures

    sizes = SyncSizes.quick() if args.quick else SyncSizes()
    overrides = {k: v for k, v in (("cases", args.sync_cases or args.cases), ("mutations", args.sync_mutations),
                                   ("upload_mb", args.upload_mb), ("download_mb", args.download_mb))
                 if v is not None}
    parts = tuple(p.strip() for p in args.sync_parts.split(",") if p.strip()) if args.sync_parts else None
    return sync_figures(SyncSizes(**{**sizes.__dict__, **overrides}), backend=args.sync_db, parts=parts)


def _printing(quick: bool):
    from .printing import measure  # imported here: a broken module fails this section only

    return measure(quick)


def _meeting_pack(quick: bool):
    from .meeting_pack import PAGES, measure

    return measure(PAGES // 4 if quick else PAGES, 1 if quick else 3)


def _preview(quick: bool):
    from .preview import measure

    return measure(quick)


def _run_local(args, cases: int, reps: Repetitions, only: set[str]) -> bool:
    temp_root = None
    if args.data_dir:
        data_dir = Path(args.data_dir).expanduser().resolve()
    else:
        temp_root = Path(tempfile.mkdtemp(prefix="fx-bench-"))
        data_dir = temp_root / "data"
    ok = True
    try:
        existing = case_count(data_dir)
        if existing:
            if args.cases is not None and args.cases != existing:
                log(f"note: {data_dir} already holds {existing} cases; --cases {args.cases} is ignored")
            cases = existing
            log(f"reusing {existing} cases in {data_dir}" + ("; demo_data not measured" if "demo" in only else ""))
        else:
            log(f"[demo] generating {cases} demo cases (seed 1) in {data_dir}")
            seconds = generate_demo(data_dir, cases)
            if "demo" in only:
                for fig in demo_figures(cases, seconds):
                    emit(fig)

        store = open_bench_store(data_dir)
        try:
            ensure_profile(store)
            if "list" in only:
                _other_records(store, cases)
            ok &= _run_sections(store, cases, reps, only)
        finally:
            store.close()
        if "startup" in only:
            from .startup import startup_figures

            ok &= _run_section("startup", lambda: startup_figures(data_dir, reps.startup, cases=cases))
    finally:
        if temp_root is not None:
            shutil.rmtree(temp_root, ignore_errors=True)
    return ok


def _other_records(store, cases: int) -> None:
    """The workbench reads more than cases (issue 14): other records, half as many as the cases (50,000 with the
    reference 100,000), are added once to a data directory that has none (bench/other_records.py)."""
    from . import other_records

    records = max(cases * other_records.RECORDS // REFERENCE_CASES, 1)
    have = other_records.other_count(store)  # the demo's worked examples come with a few referrals and rounds
    if have >= records // 2:
        log(f"[list] the data directory already holds {have} other records (referrals, meetings, ...)")
        return
    log(f"[list] adding {records} other records (bench/other_records.py)")
    started = time.perf_counter()
    other_records.fill(store, records)
    log(f"  ({time.perf_counter() - started:.1f} s)")


def _run_sections(store, cases: int, reps: Repetitions, only: set[str]) -> bool:
    from . import list_and_search as ls

    ok = True
    if "like" in only:
        ok &= _run_section("like", lambda: [ls.like_vs_fts(store, reps.like, cases=cases)])
    if only & {"list", "search"}:
        view = ls.ListView.open(store)
        try:
            if "list" in only:
                ok &= _run_section("list", lambda: [ls.first_screen(view, reps.first_screen, cases=cases),
                                                    ls.overdue_first_screen(view, reps.first_screen, cases=cases),
                                                    *ls.workbench_figures(view, store, reps.first_screen,
                                                                          cases=cases)])
            if "search" in only:
                ok &= _run_section("search", lambda: ls.search_figures(view, reps.search, cases=cases))
        finally:
            view.close()
    return ok


if __name__ == "__main__":
    sys.exit(main())
