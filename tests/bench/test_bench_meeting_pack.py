"""Smoke test of `python -m bench.meeting_pack` (not a benchmark): a small pack is built, its figures come out well
formed with their goal, and the section is part of `python -m bench`. No timing assertions."""
import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
if str(PROJECT) not in sys.path:  # `bench` is a top-level package next to fx_desktop, not installed
    sys.path.insert(0, str(PROJECT))

from bench import meeting_pack  # noqa: E402
from bench.__main__ import SECTIONS  # noqa: E402


def test_the_pack_figures_are_printed_for_a_small_pack():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(PROJECT)}
    done = subprocess.run([sys.executable, "-m", "bench.meeting_pack", "--pages", "30", "--runs", "1"], cwd=PROJECT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    figures = {f["name"]: f for f in (json.loads(line) for line in done.stdout.splitlines() if line.strip())}
    assert set(figures) == {"meeting_pack_200_pages_s", "meeting_pack_ratio_vs_goal"}
    pack = figures["meeting_pack_200_pages_s"]
    assert pack["goal"] == "< 4 s" and pack["value"] > 0 and pack["pages"] >= 25 and "estimated" in pack
    ratio = figures["meeting_pack_ratio_vs_goal"]
    assert abs(ratio["value"] - pack["value"] / 4.0) < 0.01 and ratio["met"] == pack["met"]
    assert "meeting" in SECTIONS


def test_the_specimen_has_every_part_of_a_pack():
    m = meeting_pack.sized(200)
    assert len(m.cases) >= 40 and len(m.agreed) == len(m.supervision) >= 50 and len(m.attendees) >= 40
    assert {a.attendance for a in m.attendees} == {"出席", "请假", "列席"}


def test_python_m_bench_runs_the_meeting_section():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(PROJECT)}
    done = subprocess.run([sys.executable, "-m", "bench", "--only", "meeting", "--quick"], cwd=PROJECT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    names = [json.loads(line)["name"] for line in done.stdout.splitlines() if line.strip()]
    assert names == ["meeting_pack_200_pages_s", "meeting_pack_ratio_vs_goal"]
