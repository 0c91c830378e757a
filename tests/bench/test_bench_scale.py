"""Smoke test of `python -m bench.scale` (not a benchmark): two tiny sizes, their figures and one growth line per
figure measured at both; and the district goals that apply from 1,000,000 cases on. No timing assertions."""
import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
if str(PROJECT) not in sys.path:  # `bench` is a top-level package next to fx_desktop, not installed
    sys.path.insert(0, str(PROJECT))

from bench import scale  # noqa: E402
from bench.common import DISTRICT_CASES, district_scale  # noqa: E402


def test_two_sizes_print_their_figures_and_how_each_grows(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "bench.scale", "--sizes", "120,60", "--only", "list,search",
                           "--quick", "--data-root", str(tmp_path)], cwd=PROJECT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    figures = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert [f["cases"] for f in figures if f["name"] == "search_p95_ms"] == [60, 120]  # smallest first
    growth = {f["figure"]: f for f in figures if f["name"].endswith("_growth")}
    assert set(growth) == {"case_list_first_screen_ms", "case_list_overdue_first_screen_ms",
                           "workbench_first_screen_ms", "workbench_office_staff_first_screen_ms",
                           "workbench_department_liaison_first_screen_ms", "search_p95_ms",
                           "search_p95_settled_ms"}
    for g in growth.values():
        assert g["from_cases"] == 60 and g["to_cases"] == 120 and g["from"] > 0 and g["to"] > 0
        assert abs(g["value"] - g["to"] / g["from"]) < 0.01 * g["value"] + 1e-3
    assert "growth from 60 to 120 cases" in done.stderr
    assert (tmp_path / "cases-60").is_dir() and (tmp_path / "cases-120").is_dir()  # kept for the next run


def test_growth_compares_the_figures_measured_at_both_sizes():
    small = scale.values([{"name": "search_p95_ms", "value": 8.0, "unit": "ms", "goal": "< 20 ms", "met": True,
                           "p95_settled_ms": 12.0},
                          {"name": "bare_qt_startup_s", "value": 0.1, "unit": "s", "goal": "none", "met": True},
                          {"name": "demo_data_100k_s", "value": 30.0, "unit": "s", "goal": "< 60 s", "met": True}])
    large = scale.values([{"name": "search_p95_ms", "value": 16.0, "unit": "ms", "goal": "< 20 ms", "met": True,
                           "p95_settled_ms": 30.0},
                          {"name": "search_p95_settled_ms", "value": 30.0, "unit": "ms", "goal": "< 10 ms",
                           "met": False},
                          {"name": "bare_qt_startup_s", "value": 0.1, "unit": "s", "goal": "none", "met": True},
                          {"name": "demo_data_100k_s", "value": 31.0, "unit": "s", "goal": "< 60 s", "met": True},
                          {"name": "rss_mb", "value": 120.0, "unit": "MB", "goal": "< 200 MB", "met": True}])
    rows = {g["figure"]: g for g in scale.growth(100, 1000, small, large)}
    assert set(rows) == {"search_p95_ms", "search_p95_settled_ms"}  # baselines, estimates, one-sided: left out
    assert rows["search_p95_ms"]["value"] == 2.0
    settled = rows["search_p95_settled_ms"]
    assert settled["value"] == 2.5 and settled["goal_at_to"] == "< 10 ms" and settled["met_at_to"] is False


def test_a_figure_measured_at_another_size_is_compared_under_its_series():
    """pull_100k_s at 100,000 cases grows into pull_1000000_s at a million (the estimate made from it is left
    out); the district's goal for the first pull is the one shown at the larger size."""
    from bench.sync import _scaled

    small = scale.values(_scaled("pull_100000_s", "pull_100k_s", 40.0, 100_000, 100_000, 60.0))
    large = scale.values(_scaled("pull_1000000_s", "pull_100k_s", 300.0, 1_000_000, 100_000, 60.0, 360.0))
    assert large["pull_100k_s"]["name"] == "pull_1000000_s" and large["pull_100k_s"]["goal"] == "< 360 s"
    (row,) = scale.growth(100_000, 1_000_000, small, large)
    assert row["figure"] == "pull_100k_s" and row["value"] == 7.5 and row["met_at_to"] is True


def test_district_goals_apply_from_a_million_cases():
    assert not district_scale(None) and not district_scale(DISTRICT_CASES - 1)
    assert district_scale(DISTRICT_CASES) and district_scale(2 * DISTRICT_CASES)
