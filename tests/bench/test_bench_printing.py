"""Smoke test of the print benchmark section (not a benchmark): its figures are well formed and the specimen
opinion really is one page. No timing assertions."""
import json
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
if str(PROJECT) not in sys.path:  # `bench` is a top-level package next to fx_desktop, not installed
    sys.path.insert(0, str(PROJECT))

from bench import printing  # noqa: E402
from bench.__main__ import SECTIONS  # noqa: E402

KEYS = {"name", "value", "unit", "goal", "met"}


def test_print_section_figures():
    figures = {f["name"]: f for f in printing.measure(quick=True)}
    assert set(figures) == {"opinion_form_ms", "opinion_form_ratio_vs_bare", "batch_200_pages_s"}
    for fig in figures.values():
        assert KEYS <= fig.keys() and fig["value"] > 0 and isinstance(fig["met"], bool)
        assert json.loads(json.dumps(fig, ensure_ascii=False)) == fig
    assert figures["opinion_form_ms"]["pages"] == 1 and figures["opinion_form_ms"]["runs"] >= 30
    ratio = figures["opinion_form_ratio_vs_bare"]
    assert abs(ratio["value"] - ratio["form_ms"] / ratio["bare_ms"]) < 0.01
    assert figures["batch_200_pages_s"]["pages"] >= 40 and "estimated" in figures["batch_200_pages_s"]
    assert {"print", "preview"} <= set(SECTIONS)
