"""Smoke test of bench/police_requests.py (not a benchmark): a few hundred requests written as the benchmark writes
them, and the list's first-screen figure well formed, with the rows really listed. No timing assertion."""
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
if str(PROJECT) not in sys.path:  # `bench` is a top-level package next to fx_desktop, not installed
    sys.path.insert(0, str(PROJECT))

from bench import police_requests  # noqa: E402
from bench.common import ensure_profile, open_bench_store  # noqa: E402


def test_police_request_list_figure(qapp, tmp_path):
    store = open_bench_store(tmp_path / "data")
    try:
        ensure_profile(store)
        police_requests.fill(store, 300)
        fig = police_requests.first_screen(store, 1)
    finally:
        store.close()
    assert fig["name"] == "police_request_list_first_screen_ms" and fig["requests"] == 300
    assert fig["value"] > 0 and fig["goal"] == "< 80 ms" and isinstance(fig["met"], bool)
