"""Render every printable form of a case for a sample dossier, for one whose review has not started (blank parts) and for one
printed before the sync gave its official numbers (a draft) to PDF and to PNG pages (pdftoppm -r 80) in docs/forms/,
to look at after a layout change; and the meeting and supervision documents for a sample meeting, sheet and report.

`.venv/bin/python scripts/render_forms.py [--out DIR] [--dpi 80]`
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from bench.printing import specimen  # noqa: E402
from fx_desktop.printing.data import Opinion, PastRound  # noqa: E402
from fx_desktop.printing.fonts import load_fonts  # noqa: E402
from fx_desktop.printing.forms import FORMS, MEETING_FORMS, REPORT_FORMS, SUPERVISION_FORMS  # noqa: E402
from tests.printing.meeting_samples import sample_meeting, sample_report, sample_sheet  # noqa: E402


def dossiers():
    full = specimen()
    full = replace(full, history=(PastRound(1, full.submission.submitted_at.replace(month=2, day=10), "建议修改后再报",
                                            "李明", full.submission.submitted_at.replace(month=2, day=12),
                                            "证据不足，请补充现场勘验笔录。"),))
    blank_case = replace(full.case, decision_due=None, evidence=(), proposed_amount=None, proposed_penalty=None,
                         major_reasons=())
    blank = replace(full, case=blank_case, submission=None, opinion=Opinion(), history=(), printed_at=None)
    draft = replace(full, case=replace(full.case, number="临时编号2026-3f9a-0007"),
                    opinion=replace(full.opinion, number="临时编号2026-3f9a-0008"))
    return {"": full, "-blank": blank, "-draft": draft}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default=str(PROJECT / "docs" / "forms"))
    p.add_argument("--dpi", type=int, default=80)
    args = p.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    fonts = load_fonts()
    jobs = [(spec, suffix, dossier) for suffix, dossier in dossiers().items() for spec in FORMS.values()]
    jobs += [(spec, "", sample_meeting()) for name, spec in MEETING_FORMS.items() if name != "meeting-pack"]
    jobs += [(spec, "", sample_sheet()) for spec in SUPERVISION_FORMS.values()]
    jobs += [(spec, "", sample_report()) for spec in REPORT_FORMS.values()]
    for spec, suffix, dossier in jobs:
        stem = f"{spec.name}{suffix}"
        for old in out.glob(f"{stem}-[0-9]*.png"):
            old.unlink()
        pdf = out / f"{stem}.pdf"
        pdf.write_bytes(spec.build(dossier, fonts=fonts))
        subprocess.run(["pdftoppm", "-r", str(args.dpi), "-png", str(pdf), str(out / stem)], check=True)
        pages = sorted(out.glob(f"{stem}-[0-9]*.png"))
        print(f"{pdf.relative_to(PROJECT) if pdf.is_relative_to(PROJECT) else pdf}: {spec.title}, "
              f"{len(pages)} page(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
