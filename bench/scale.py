"""`QT_QPA_PLATFORM=offscreen python -m bench.scale [--data-root DIR] [--sizes 100000,1000000] [--only SECTIONS]`

How the client's figures grow with the register: runs `python -m bench --cases N --only SECTIONS` once per size
(default 100,000 and 1,000,000 cases; sections demo,list,search,startup), each in its own process, and prints
every figure of every run as it comes, then one `<figure>_growth` line per figure measured at both the smallest
and the largest size: the ratio largest / smallest, both values, and the figure's goal and whether it is met at
the largest size (from 1,000,000 cases on the issue's district goals apply: search p95 settled < 10 ms, start-up
< 1 s, memory < 200 MB). A table of the same goes to stderr.

Generating the demo data takes minutes at 1,000,000 cases: with --data-root the data directories
(DIR/cases-N) are kept and reused by later runs; without it they are made in a temporary directory and deleted.

Arguments it does not know go to every `python -m bench` run: how the first pull and the no-op sync grow is
`python -m bench.scale --only sync --sync-parts pull,noop` (the sync section seeds its own server at each size).
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .common import DISTRICT_CASES, REFERENCE_CASES, figure, log

DEFAULT_SECTIONS = "demo,list,search,startup"
# Figures carried inside another one: (figure, its field) -> the name it is compared under.
NESTED = {("search_p95_ms", "p95_settled_ms"): "search_p95_settled_ms"}
SIZE_INDEPENDENT = {"bare_qt_startup_s"}  # a baseline, not a figure of the register


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default=f"{REFERENCE_CASES},{DISTRICT_CASES}",
                   help="comma-separated case counts, smallest first (default %(default)s)")
    p.add_argument("--data-root", help="keep the data directories here (DIR/cases-N) and reuse them")
    p.add_argument("--only", default=DEFAULT_SECTIONS, help="sections of `python -m bench` (default %(default)s)")
    p.add_argument("--quick", action="store_true", help="fewer repetitions (passed on to `python -m bench`)")
    return p


def run_size(cases: int, data_dir: Path, only: str, quick: bool, extra: list[str] = ()) -> tuple[list[dict], bool]:
    """One `python -m bench` run (with `extra` arguments): its figures (also echoed to stdout) and whether every
    section succeeded."""
    cmd = [sys.executable, "-m", "bench", "--cases", str(cases), "--data-dir", str(data_dir), "--only", only,
           *(["--quick"] if quick else []), *extra]
    log(f"[scale] {cases} cases: {' '.join(cmd[1:])}")
    project = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen(cmd, cwd=project, stdout=subprocess.PIPE, text=True)  # stderr: straight through
    figures = []
    for line in proc.stdout:
        line = line.strip()
        if not line:
            continue
        print(line, flush=True)
        figures.append(json.loads(line))
    return figures, proc.wait() == 0


def values(figures: list[dict]) -> dict[str, dict]:
    """Figures by name, with the nested ones (NESTED) as figures of their own. A figure measured at a size other
    than its goal's (pull_1000000_s) is compared under the name of its `series` (pull_100k_s), in place of the
    estimate made from it."""
    out = {f["name"]: f for f in figures if not f.get("estimated")}
    for f in figures:
        if f.get("series") and not f.get("estimated"):
            out[f["series"]] = f
    for (name, field), nested in NESTED.items():
        if name in out and field in out[name] and nested not in out:
            out[nested] = {"name": nested, "value": out[name][field], "unit": out[name]["unit"], "goal": "none",
                           "met": True}
    return out


def growth(small: int, large: int, at_small: dict[str, dict], at_large: dict[str, dict]) -> list[dict]:
    """`<figure>_growth` for every figure measured at both sizes: value at `large` / value at `small`."""
    out = []
    for name, big in at_large.items():
        if name not in at_small or name in SIZE_INDEPENDENT or name.startswith("demo_data_100k"):
            continue
        before, after = at_small[name]["value"], big["value"]
        ratio = after / before if before else float("inf")
        out.append(figure(f"{name}_growth", ratio, "x", "none (how the figure grows with the cases)", True,
                          figure=name, unit_of_figure=big["unit"], from_cases=small, to_cases=large,
                          **{"from": before, "to": after}, goal_at_to=big["goal"], met_at_to=big["met"]))
    return out


def main(argv: list[str] | None = None) -> int:
    args, extra = _parser().parse_known_args(argv)
    try:
        sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    except ValueError:
        _parser().error("--sizes takes case counts such as 100000,1000000")
    if len(sizes) < 2 or sizes[0] < 1:
        _parser().error("--sizes needs at least two positive case counts")
    temp = None
    root = Path(args.data_root).expanduser().resolve() if args.data_root else None
    if root is None:
        temp = Path(tempfile.mkdtemp(prefix="fx-bench-scale-"))
        root = temp
    ok = True
    try:
        runs = {}
        for n in sizes:
            figures, fine = run_size(n, root / f"cases-{n}", args.only, args.quick, extra)
            ok &= fine
            runs[n] = values(figures)
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
    small, large = sizes[0], sizes[-1]
    rows = growth(small, large, runs[small], runs[large])
    log(f"[scale] growth from {small} to {large} cases:")
    log(f"  {'figure':<28}{small:>12}{large:>12}{'ratio':>8}   goal at {large}  met")
    for g in rows:
        print(json.dumps(g, ensure_ascii=False), flush=True)
        log(f"  {g['figure']:<28}{g['from']:>12g}{g['to']:>12g}{g['value']:>7.2f}x   {g['goal_at_to']:<14}"
            f"{'yes' if g['met_at_to'] else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
