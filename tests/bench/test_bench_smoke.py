"""Smoke test of the benchmark package (not a benchmark): the list, search and LIKE-vs-FTS measurements run on a
few demo cases and produce well-formed figures. No timing assertions, no app start-up subprocesses."""
import json
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
if str(PROJECT) not in sys.path:  # `bench` is a top-level package next to fx_desktop, not installed
    sys.path.insert(0, str(PROJECT))

from bench import list_and_search  # noqa: E402
from bench.common import demo_figures, ensure_profile, open_bench_store, percentile  # noqa: E402
from fx_desktop.services.demo import generate  # noqa: E402

KEYS = {"name", "value", "unit", "goal", "met"}


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    store = open_bench_store(tmp_path_factory.mktemp("bench") / "data")
    generate(store, 300, seed=1)
    ensure_profile(store)
    yield store
    store.close()


def _check(fig: dict, name: str) -> None:
    assert KEYS <= fig.keys()
    assert fig["name"] == name
    assert isinstance(fig["met"], bool) and isinstance(fig["goal"], str)
    assert fig["value"] > 0
    assert json.loads(json.dumps(fig, ensure_ascii=False)) == fig


def test_list_and_search_figures(qapp, demo_store):
    view = list_and_search.ListView.open(demo_store)
    try:
        _check(list_and_search.first_screen(view, 1, cases=300), "case_list_first_screen_ms")
        assert view.visible_rows() > 0
        _check(list_and_search.overdue_first_screen(view, 1, cases=300), "case_list_overdue_first_screen_ms")
        assert not view.window.filters.overdue.isChecked()
        _check(list_and_search.search(view, 1, cases=300), "search_p95_ms")
    finally:
        view.close()


def test_like_vs_fts_figure(demo_store):
    fig = list_and_search.like_vs_fts(demo_store, 1, cases=300)
    _check(fig, "search_speedup_vs_like")
    assert fig["baseline"] > 0 and fig["ratio"] == fig["value"]


def test_demo_figures_scale_to_the_reference_count():
    measured, scaled = demo_figures(10_000, 3.0)
    _check(measured, "demo_data_10000_s")
    _check(scaled, "demo_data_100k_s")
    assert scaled["value"] == pytest.approx(30.0)
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 95) == pytest.approx(4.8)
