"""Smoke test of the sync benchmarks and the load test (not benchmarks): `python -m bench --only sync --quick` and
`python -m bench.load`, each at a tiny size against a real fx-bureau on SQLite, print one well-formed JSON line
per figure. No timing assertions."""
import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
KEYS = {"name", "value", "unit", "goal", "met"}


def _run(*args: str, timeout: float) -> list[dict]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, *args], cwd=PROJECT, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    figures = [json.loads(line) for line in lines]
    for fig in figures:
        assert KEYS <= fig.keys(), fig
        assert isinstance(fig["met"], bool) and isinstance(fig["goal"], str) and isinstance(fig["unit"], str)
        assert isinstance(fig["value"], (int, float))
    return figures


def test_sync_section_prints_every_figure():
    figures = _run("-m", "bench", "--only", "sync", "--quick", "--sync-db", "sqlite", "--sync-cases", "200",
                   "--sync-mutations", "20", "--upload-mb", "1", "--download-mb", "1", timeout=240)
    by_name = {f["name"]: f for f in figures}
    assert list(by_name) == ["pull_200_s", "pull_100k_s", "pull_ratio_vs_raw", "pull_200_with_referrals_s",
                             "pull_100k_with_referrals_s", "push_20_s", "push_10k_s", "noop_sync_ms",
                             "upload_throughput_ratio", "download_throughput_ratio"]
    for fig in figures:
        assert fig["value"] > 0 and fig["server_db"] == "sqlite"
    assert by_name["pull_100k_s"]["estimated"] and by_name["push_10k_s"]["estimated"]
    referred = by_name["pull_200_with_referrals_s"]
    assert referred["cases"] == 200 and referred["referrals"] == 40
    assert referred["series"] == "pull_100k_with_referrals_s"
    ratio = by_name["pull_ratio_vs_raw"]
    assert ratio["baseline"] > 0 and ratio["ratio"] == ratio["value"]
    assert by_name["upload_throughput_ratio"]["baseline_mb_s"] > 0
    download = by_name["download_throughput_ratio"]
    assert download["baseline_mb_s"] > 0 and download["size_mb"] == 1 and download["ratio"] == download["value"]


def test_sync_parts_runs_only_the_named_measurements():
    figures = _run("-m", "bench", "--only", "sync", "--quick", "--sync-db", "sqlite", "--sync-cases", "50",
                   "--sync-mutations", "10", "--sync-parts", "push", timeout=240)
    assert [f["name"] for f in figures] == ["push_10_s", "push_10k_s"]
    assert figures[0]["mutations"] == 10 and figures[0]["batch"] == 500


def test_cases_sizes_the_sync_section_and_parts_run_in_their_order():
    figures = _run("-m", "bench", "--only", "sync", "--cases", "120", "--sync-parts", "noop,pull", "--sync-db",
                   "sqlite", timeout=240)
    assert [f["name"] for f in figures] == ["pull_120_s", "pull_100k_s", "pull_ratio_vs_raw", "noop_sync_ms"]
    assert figures[0]["cases"] == 120 and figures[0]["goal"] == "< 0.072 s"  # the 100k goal scaled down


def test_load_test_prints_its_figures_and_finds_nothing_lost():
    figures = _run("-m", "bench.load", "--db", "sqlite", "--clients", "3", "--duration", "3", "--seed-cases", "30",
                   "--think", "0.1", "0.3", timeout=240)
    by_name = {f["name"]: f for f in figures}
    assert list(by_name) == ["load_errors", "load_push_p95_ms", "load_lost_or_duplicated"]
    assert by_name["load_push_p95_ms"]["pushes"] > 0
    assert by_name["load_lost_or_duplicated"]["value"] == 0 and by_name["load_lost_or_duplicated"]["mutations"] > 0
