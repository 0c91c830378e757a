"""GB/T 9704 geometry, checked in the document template and in rendered pixels; long content flows onto further
pages with every character still there and no ink outside the text block and the footer zone."""
from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from reportlab.lib.units import mm

from fx_desktop.printing import layout
from fx_desktop.printing.blocks import cn_date, yuan
from fx_desktop.printing.forms import build_form
from fx_desktop.printing.layout import PageSpec
from tests.printing.conftest import (body_text, ink_bbox, ink_outside, page_texts, render, sample_dossier,
                                     sample_opinion, squeeze, with_, zones_px)

NAMES = ["review-request", "review-opinion", "case-briefing"]
SENTENCES = ["当事人于{n}日在南桥镇解放东路{n}号擅自搭建彩钢板房，", "执法队员现场勘验并制作笔录（编号KY-{n}），",
             "当事人对违法事实无异议；", "经复核测量面积为{n}.5平方米。"]


def long_facts(chars: int = 5000) -> str:
    parts, n = [], 1
    while sum(map(len, parts)) < chars:
        parts.append(SENTENCES[n % len(SENTENCES)].format(n=n))
        n += 1
    return "".join(parts)[:chars]


def test_the_text_block_is_exactly_gbt_9704():
    assert (layout.PAGE_W, layout.PAGE_H) == pytest.approx((210 * mm, 297 * mm), abs=0.1)
    frame = layout.text_frame()
    assert (frame._x1, frame._y1, frame._width, frame._height) == pytest.approx(
        (28 * mm, 35 * mm, 156 * mm, 225 * mm))
    assert (frame._leftPadding, frame._rightPadding, frame._topPadding, frame._bottomPadding) == (0, 0, 0, 0)
    assert layout.MARGIN_RIGHT == pytest.approx(26 * mm) and layout.MARGIN_BOTTOM == pytest.approx(35 * mm)
    doc = layout.document(io.BytesIO(), PageSpec("t", "f", "案号", "1", "AAAA-BBBB"), _fonts())
    assert doc.pagesize == pytest.approx((210 * mm, 297 * mm), abs=0.1)
    assert (doc.leftMargin, doc.topMargin) == pytest.approx((28 * mm, 37 * mm))
    assert doc.width == pytest.approx(156 * mm) and doc.height == pytest.approx(225 * mm)


def test_body_type_gives_22_lines_a_page():
    styles = layout.styles(_fonts())
    assert styles["body"].fontSize == 16 and styles["title"].fontSize == 22
    assert int(layout.BLOCK_H // styles["body"].leading) == 22
    assert styles["body"].fontName == _fonts().body.name and styles["title"].fontName == _fonts().title.name
    assert styles["h1"].fontName == _fonts().heading.name and styles["h2"].fontName == _fonts().kai.name


@pytest.mark.parametrize("name", NAMES)
def test_pages_have_ink_only_in_the_text_block_and_footer(fonts, name):
    for page in render(build_form(name, sample_dossier(), fonts)):
        assert ink_bbox(page) is not None  # not blank
        stray = ink_outside(page)
        assert not stray, stray[:10]


def test_tables_span_the_text_block_exactly_in_pixels(fonts):
    """The form's ruled grid runs from the binding margin (28 mm) to 26 mm from the right edge."""
    page = render(build_form("review-request", sample_dossier(), fonts), dpi=100)[0]
    left, top, right, bottom = zones_px(100)["block"]
    grid = page.crop((0, int(top + 40 * 100 / 25.4), page.width, int(bottom)))  # below the title lines
    box = ink_bbox(grid)
    assert abs(box[0] - left) <= 1.5 and abs(box[2] - right) <= 1.5, (box, left, right)


def test_long_facts_flow_onto_further_pages(fonts):
    facts = long_facts(5000)
    dossier = with_(sample_dossier(), facts=facts)
    for name in NAMES:
        pdf = build_form(name, dossier, fonts)
        texts = page_texts(pdf)
        assert len(texts) >= 3, name
        assert squeeze(facts) in body_text(pdf), name
        pages = render(pdf)
        for n, page in enumerate(pages, 1):
            assert not ink_outside(page), (name, n)
            assert f"— {n} —" in texts[n - 1]
        # a continued page is filled from the top of the block down (the cell really continues there)
        _, top, _, bottom = zones_px()["block"]
        box = ink_bbox(pages[1].crop((0, 0, pages[1].width, int(bottom) + 2)))
        line = 16 * 50 / 72 + 3  # the table may stop short of the bottom by less than a line and its padding
        assert abs(box[1] - top) <= 2 and -1.5 <= bottom - box[3] <= line, (name, box, top, bottom)


def test_a_sixty_line_opinion_continues_on_the_next_page(fonts):
    lines = [f"{i}．关于第{i}项审核意见：承办机构应补充相关证据材料并说明理由。" for i in range(1, 61)]
    dossier = sample_dossier(opinion=sample_opinion(text="\n".join(lines)))
    pdf = build_form("review-opinion", dossier, fonts)
    assert len(page_texts(pdf)) >= 3
    text = body_text(pdf)
    position = -1
    for line in lines:
        found = text.find(squeeze(line), position + 1)
        assert found > position, line  # every line, in order
        position = found
    for page in render(pdf):
        assert not ink_outside(page)


def test_long_values_in_narrow_cells_wrap_and_never_overflow(fonts):
    address = "上海市奉贤区南桥镇" + "江海路88弄3号" * 40 + "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" * 3
    party = sample_dossier().case.party.__class__("person", "欧阳" * 30, "34052419800101001X", "男", date(1980, 1, 1),
                                                  None, address, "13800138000")
    dossier = with_(sample_dossier(), party=party, cause="未经批准擅自搭建建筑物" * 8,
                    legal_basis="《上海市城乡规划条例》第四十一条" * 30)
    for name in NAMES:
        pdf = build_form(name, dossier, fonts)
        text = body_text(pdf)
        for s in (address, "欧阳" * 30, "未经批准擅自搭建建筑物" * 8, "《上海市城乡规划条例》第四十一条" * 30):
            # a tall row continued on the next page interleaves with the cells beside it: every character, in order
            assert in_order(squeeze(s), text), (name, s[:20])
        for page in render(pdf):
            assert not ink_outside(page), name


def in_order(needle: str, text: str) -> bool:
    it = iter(text)
    return all(ch in it for ch in needle)


def test_many_pages_numbered_with_totals(fonts):
    dossier = with_(sample_dossier(), facts=long_facts(12000))
    texts = page_texts(build_form("review-request", dossier, fonts))
    total = len(texts)
    assert total >= 5
    for n, text in enumerate(texts, 1):
        assert f"第 {n} 页 共 {total} 页" in text and f"— {n} —" in text


def test_dates_and_amounts_are_printed_the_chinese_way():
    assert cn_date(date(2026, 3, 5)) == "2026年3月5日"
    assert cn_date(datetime(2026, 3, 5, 9, 5), time=True) == "2026年3月5日9时5分"
    assert cn_date(datetime(2026, 3, 5, 9, 0), time=True) == "2026年3月5日9时"
    assert cn_date(None) == ""
    from decimal import Decimal
    assert yuan(Decimal("20000")) == "20,000元" and yuan(Decimal("1234.5")) == "1,234.50元" and yuan(None) == ""


def _fonts():
    from fx_desktop.printing.fonts import load_fonts

    return load_fonts()


@pytest.mark.parametrize("name", NAMES)
def test_page_breaks_anywhere_keep_every_character_inside_the_block(fonts, name):
    """Facts of growing length move every later row across the page break in turn, blank parts included."""
    for i, chars in enumerate(range(60, 1500, 130)):
        facts = long_facts(chars)
        dossier = with_(sample_dossier(submission=i % 2 == 0, opinion=i % 2 == 0), facts=facts)
        pdf = build_form(name, dossier, fonts)
        assert squeeze(facts) in body_text(pdf), (name, chars)
        for n, page in enumerate(render(pdf, dpi=30), 1):
            assert not ink_outside(page, dpi=30, tolerance=1.2), (name, chars, n)
