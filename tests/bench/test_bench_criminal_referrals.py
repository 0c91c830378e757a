"""Smoke test of `python -m bench.criminal_referrals` (not a benchmark): a small store is filled with criminal
referrals at every step and the 刑事移送 list's first screen is timed; the figure comes out with its goal. No
timing assertions (the figure for 20,000 records is in the README)."""
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def test_the_list_figure_is_printed_for_the_records_asked(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(PROJECT)}
    done = subprocess.run([sys.executable, "-m", "bench.criminal_referrals", "--records", "60", "--runs", "2",
                           "--data-root", str(tmp_path)], cwd=PROJECT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    [fig] = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert fig["name"] == "criminal_referral_list_first_screen_ms" and fig["records"] == 60 and fig["value"] > 0
    assert fig["goal"] == "< 80 ms" and fig["p95_ms"] >= fig["value"]
    with sqlite3.connect(tmp_path / "criminal-60" / "fx-desktop.sqlite") as conn:
        statuses = {s for (s,) in conn.execute("SELECT DISTINCT status FROM criminal_referrals")}
    assert {"reported", "approved", "sent", "received", "filed"} <= statuses
