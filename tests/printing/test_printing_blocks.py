"""The shared blocks: Chinese line breaking, tick boxes, signature and seal blocks, and tables that move a short row
to the next page whole but let a tall one continue there."""
from __future__ import annotations

import pytest
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from fx_desktop.printing import layout
from fx_desktop.printing.blocks import BLANK_DATE, Sheet, TickBoxes
from fx_desktop.printing.layout import NO_END, NO_START, PageSpec, break_lines, build_pdf
from tests.printing.conftest import ink_outside, page_texts, render, squeeze


def lines_of(text: str, width_chars: float) -> list[str]:
    widths = [8.0 if c.isascii() else 16.0 for c in text]
    return [line for _, line in break_lines(text, widths, [16 * width_chars])]


def test_lines_never_start_with_closing_or_end_with_opening_marks():
    text = "当事人称：“我不知道需要审批。”执法队员告知其权利（陈述、申辩）后，当事人表示《告知书》已收到，无异议。" * 3
    for width in range(6, 20):
        lines = lines_of(text, width)
        assert "".join(lines) == text
        assert all(line[0] not in NO_START for line in lines[1:]), (width, lines)
        assert all(line[-1] not in NO_END for line in lines[:-1]), (width, lines)
        assert all(sum(8 if c.isascii() else 16 for c in line) <= 16 * width for line in lines)


def test_numbers_and_file_names_are_not_cut_when_they_fit_on_the_next_line():
    assert lines_of("陈静（执法证号：31200002）、照片IMG_0001.jpg已归档", 10) == [
        "陈静（执法证号：", "31200002）、照片", "IMG_0001.jpg已归档"]
    assert lines_of("A" * 50, 5) == ["A" * 10] * 5  # longer than a line: cut where it must


@pytest.fixture
def sheet(fonts):
    return Sheet(fonts)


def _pdf(sheet, story) -> bytes:
    return build_pdf(story, PageSpec("测试", "test", "案号", "测试〔2026〕1号", "ABCD-EFGH"), sheet.fonts, sheet.texts)


def test_centred_labels_with_brackets_stay_inside_their_cells(sheet):
    rows = [[sheet.label("承办人（签名）"), sheet.para("王磊"), sheet.label("法制审核机构负责人（签名）"), ""]]
    pdf = _pdf(sheet, sheet.grid(rows, (22 * mm, 56 * mm, 22 * mm, 56 * mm)))
    assert not ink_outside(render(pdf)[0])
    left = render(pdf, dpi=150)[0].crop((int(28 * 150 / 25.4) - 4, 0, int(28 * 150 / 25.4) - 1, 600))
    assert left.getextrema()[0] > 200  # nothing left of the grid's left border


def test_tick_boxes_wrap_and_keep_their_labels_as_text(sheet):
    ticks = sheet.ticks(("同意", "建议修改后再报", "不同意"), ("建议修改后再报",))
    assert isinstance(ticks, TickBoxes)
    wide_w, wide_h = ticks.wrap(400, 100)
    narrow_w, narrow_h = ticks.wrap(60, 100)
    assert narrow_h == pytest.approx(3 * wide_h) and narrow_w <= wide_w
    text = squeeze("".join(page_texts(_pdf(sheet, [ticks]))))
    assert "同意建议修改后再报不同意" in text


def test_signature_and_seal_blocks(sheet):
    from datetime import date

    story = [sheet.signature("审核人（签名）：", "李明", date(2026, 3, 5)),
             sheet.signature("负责人（签名）：", None, None), sheet.seal("上海市奉贤区南桥镇人民政府", None)]
    pdf = _pdf(sheet, story)
    text = squeeze(page_texts(pdf)[0])
    assert "审核人（签名）：李明2026年3月5日" in text
    assert "负责人（签名）：" + squeeze(BLANK_DATE) in text and "年月日" in text
    assert "上海市奉贤区南桥镇人民政府（印章）" in text
    assert not ink_outside(render(pdf)[0])


def test_a_short_row_moves_to_the_next_page_whole(sheet):
    rows = [[sheet.label("第一行"), (sheet.para("甲" * 70), 3)]]  # three lines of text: a short row
    room = layout.BLOCK_H - 40  # leaves two lines' room at the bottom of page 1
    pdf = _pdf(sheet, [Spacer(1, room), *sheet.grid(rows)])
    texts = page_texts(pdf)
    assert len(texts) == 2 and "甲" not in texts[0] and squeeze(texts[1]).count("甲") == 70


def test_a_tall_row_starts_where_it_is_and_continues(sheet):
    rows = [[sheet.label("违法事实"), (sheet.para("乙" * 900), 3)]]  # ~30 lines: a tall row
    pdf = _pdf(sheet, [Spacer(1, layout.BLOCK_H - 200), *sheet.grid(rows)])
    texts = page_texts(pdf)
    assert len(texts) == 2 and "违法事实" in texts[0] and "乙" in texts[0]
    assert sum(squeeze(t).count("乙") for t in texts) == 900
    for page in render(pdf):
        assert not ink_outside(page)
