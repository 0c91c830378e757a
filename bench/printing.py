"""Form printing: how long a realistic one-page 法制审核意见书 takes to build (fonts registered beforehand), how that
compares with a bare reportlab canvas drawing the same strings at the same places in the same embedded fonts, and
how long a batch of forms totalling 200 pages takes in one process.

`python -c "from bench.printing import measure; [print(f) for f in measure(False)]"`
"""
from __future__ import annotations

import io
import re
import time
from datetime import date, datetime
from decimal import Decimal
from typing import Iterable

from .common import figure, log, median

GOAL_MS, GOAL_RATIO, GOAL_BATCH_S = 50.0, 3.0, 4.0
BATCH_PAGES = 200


def specimen(i: int = 0, *, facts_repeat: int = 1):
    """A realistic dossier (the i-th of a batch: its own number and party); facts_repeat lengthens the facts."""
    from fx_desktop.printing.data import (CRITERIA, CaseSheet, Criterion, Material, Opinion, Party, ReviewDossier,
                                          Submission)

    party = Party("person", ["张三", "李建国", "王秀英", "陈志强"][i % 4], f"3405241980010{i % 10}001X", "男",
                  date(1980, 1, 1 + i % 28), None, f"上海市奉贤区南桥镇江海路{88 + i}弄3号", "13800138000")
    facts = ("经查，当事人未经规划行政管理部门批准，于2025年11月在奉贤区解放东路100号院内擅自搭建彩钢板结构建筑物一处，"
             "面积约30平方米。执法队员现场检查时当事人未能提供建设工程规划许可证。") * facts_repeat
    case = CaseSheet(
        number=f"奉南城管〔2026〕第{123 + i:05d}号", agency="上海市奉贤区南桥镇人民政府", town_name="南桥镇",
        unit="南桥镇城市管理综合行政执法队", cause="未经批准擅自搭建建筑物", category="违法建筑", source="巡查发现",
        party=party, place="奉贤区解放东路100号", occurred_at=datetime(2025, 12, 1, 10, 30), facts=facts,
        legal_basis="《上海市城乡规划条例》第四十一条、第七十三条", proposed_penalty="罚款",
        proposed_amount=Decimal(20000 + i), major_reasons=("对个人“罚款”20,000元，达到5,000元的标准", "已举行听证"),
        officers=(("王磊", "31200001"), ("陈静", "31200002")), status="待法制审核", opened_on=date(2025, 12, 1),
        filed_on=date(2025, 12, 2), decision_due=date(2026, 3, 2),
        evidence=(("现场照片", "IMG_0001.jpg", datetime(2025, 12, 1, 10, 35)),
                  ("询问笔录", "询问笔录.pdf", datetime(2025, 12, 3, 9, 0))))
    submission = Submission(1, datetime(2026, 2, 24, 9, 0), "王磊",
                            tuple(Material(m, True) for m in ("案卷材料", "承办人员意见", "行政处罚决定书（草案）",
                                                              "听证笔录", "法制审核申请报告")),
                            "当事人违法搭建事实清楚，证据确凿，拟处罚款20,000元，已举行听证，提请法制审核。",
                            date(2026, 2, 25), date(2026, 3, 4))
    opinion = Opinion(f"奉南法审〔2026〕{3 + i}号", tuple(Criterion(c, True) for c in CRITERIA), "同意",
                      "经审核，本案主体合法，事实清楚，证据确凿，适用依据准确，程序合法，裁量适当，同意承办机构意见。",
                      "李明", datetime(2026, 2, 27, 15, 0), "赵强")
    return ReviewDossier(case, submission, opinion, (), datetime(2026, 3, 1, 9, 0))


def page_count(pdf: bytes) -> int:
    return int(re.search(rb"/Count (\d+)", pdf).group(1))


def placed_strings(pdf: bytes, fonts) -> list[tuple[float, float, str, float, str]]:
    """(x, y, font name, size, text) of every string the PDF draws, read back with pypdf, mapped to our fonts."""
    from pypdf import PdfReader

    placed = []

    def visit(text, cm, tm, font_dict, size):
        if text.strip():
            base = str((font_dict or {}).get("/BaseFont", ""))
            face = fonts.heading if "WenQuanYi" in base and fonts.heading != fonts.body else fonts.body
            placed.append((cm[4] + tm[4], cm[5] + tm[5], face.name, size * tm[0] or 12, text.strip()))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return placed


def bare_page(placed, fonts) -> bytes:
    """The baseline: one page, the same strings at the same places, the same embedded TrueType fonts."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=A4, invariant=1, initialFontName=fonts.body.name)
    for x, y, font, size, text in placed:
        c.setFont(font, size)
        c.drawString(x, y, text)
    c.showPage()
    c.save()
    return buffer.getvalue()


def _ms(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def measure(quick: bool) -> Iterable[dict]:
    from fx_desktop.printing.fonts import load_fonts
    from fx_desktop.printing.forms import build_form

    started = time.perf_counter()
    fonts = load_fonts()
    log(f"  print: fonts registered in {(time.perf_counter() - started) * 1000:.0f} ms "
        f"({', '.join(f.family for f in fonts.faces())})")
    dossier = specimen()
    pdf = build_form("review-opinion", dossier, fonts)
    pages = page_count(pdf)
    placed = placed_strings(pdf, fonts)
    bare_page(placed, fonts)  # warm both paths
    runs = 30
    form_ms, bare_ms = [], []
    for _ in range(runs):  # interleaved, so a slow moment of the machine hits both alike
        form_ms.append(_ms(lambda: build_form("review-opinion", dossier, fonts)))
        bare_ms.append(_ms(lambda: bare_page(placed, fonts)))
    form, bare = median(form_ms), median(bare_ms)
    log(f"  print: opinion {form:.1f} ms, bare canvas {bare:.1f} ms ({len(placed)} strings, {pages} page)")
    yield figure("opinion_form_ms", form, "ms", f"< {GOAL_MS:g} ms", form < GOAL_MS, runs=runs, pages=pages,
                 pdf_kb=len(pdf) / 1024)
    ratio = form / bare
    yield figure("opinion_form_ratio_vs_bare", ratio, "x", f"<= {GOAL_RATIO:g}x", ratio <= GOAL_RATIO,
                 form_ms=form, bare_ms=bare, strings=len(placed))
    yield _batch(fonts, BATCH_PAGES // 5 if quick else BATCH_PAGES)


def _batch(fonts, target: int) -> dict:
    """Forms of many cases (request, opinion, briefing each; every fourth case with long facts) until `target`
    pages, in one process with the fonts already registered."""
    from fx_desktop.printing.forms import build_form

    names = ("review-request", "review-opinion", "case-briefing")
    dossiers = [specimen(i, facts_repeat=8 if i % 4 == 3 else 1) for i in range(200)]
    pages = documents = 0
    started = time.perf_counter()
    for dossier in dossiers:
        for name in names:
            pages += page_count(build_form(name, dossier, fonts))
            documents += 1
        if pages >= target:
            break
    seconds = time.perf_counter() - started
    log(f"  print: {documents} documents, {pages} pages in {seconds:.2f} s")
    if target >= BATCH_PAGES:
        return figure("batch_200_pages_s", seconds, "s", f"< {GOAL_BATCH_S:g} s", seconds < GOAL_BATCH_S,
                      pages=pages, documents=documents)
    scaled = seconds * BATCH_PAGES / pages
    return figure("batch_200_pages_s", scaled, "s", f"< {GOAL_BATCH_S:g} s", scaled < GOAL_BATCH_S, pages=pages,
                  documents=documents, estimated=f"scaled linearly from {pages} pages")
