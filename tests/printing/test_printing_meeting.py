"""The meeting and supervision documents (issue 14): every form builds from the print data with its fonts embedded,
its values extracting back as the same characters and ink only inside the text block and footer; the 纪要 follows
GB/T 9704-2012 §10.3 — measured on the page: the red mark in the title font centred with its top 35 mm below the text
block's top, the issue number centred under it, 出席/请假/列席 in 黑体 two characters in with the names in 仿宋 after
the colon and their wrapped lines aligned there; drafts (minutes not signed off, no number) say why; the pack binds
every part in order with a bookmark each and exactly the pages each part prints alone; long content runs onto more
pages without overflowing."""
from __future__ import annotations

import io
import re
import subprocess
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getFont

from fx_desktop.printing import draft, layout
from fx_desktop.printing.forms import (ALL_FORMS, MEETING_FORMS, REPORT_FORMS, SUPERVISION_FORMS, build_form,
                                       draft_notice, prints_as_draft)
from fx_desktop.printing.forms import meeting_common as mc
from fx_desktop.printing.forms import meeting_minutes, meeting_pack
from fx_desktop.printing.meeting_data import Attendee, MeetingPrint, SupervisionReport, SupervisionSheet
from tests.printing.conftest import ink_bbox, ink_outside, page_texts, render, squeeze
from tests.printing.meeting_samples import NUMBER, sample_meeting, sample_report, sample_sheet, unsigned
from tests.printing.test_printing_forms import embedded_fonts

MEETING = ["meeting-notice", "meeting-agenda", "meeting-signin", "meeting-minutes", "meeting-items"]
PARTS_OF_PACK = ["会议通知", "会议议程", "签到表", "案件情况简介（奉南城管〔2026〕第00123号）",
                 "案件情况简介（奉南城管〔2026〕第00124号）", "会议纪要", "议定事项清单", "督办单（议定事项一）",
                 "督办单（议定事项二）", "督办单（议定事项三）"]


FOOTER = re.compile(r"—\s*\d+\s*—|(期号|编号|案号)：\S*|(草稿\s*)?校验码\s*[A-Z2-7]{4}-[A-Z2-7]{4}|第\s*\d+\s*页\s*共\s*\d+\s*页")


def body_text(pdf: bytes) -> str:
    """Every page's text without the footers and whitespace, so text continued on the next page reads on."""
    return squeeze("".join("".join(ln for ln in t.rstrip("\n").split("\n") if not FOOTER.fullmatch(ln.strip()))
                           for t in page_texts(pdf)))


def data_for(name: str):
    if name in SUPERVISION_FORMS:
        return sample_sheet()
    if name in REPORT_FORMS:
        return sample_report()
    return sample_meeting()


@pytest.fixture(scope="module")
def built(fonts):
    return {name: build_form(name, data_for(name), fonts) for name in [*MEETING_FORMS, *SUPERVISION_FORMS,
                                                                        *REPORT_FORMS]}


def placed(pdf: bytes, page: int = 0) -> list[tuple[float, float, str, float, str]]:
    """(x, y, BaseFont, size, text) of every string drawn on `page`, read back with pypdf."""
    out = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            out.append((cm[4] + tm[4], cm[5] + tm[5], str((font or {}).get("/BaseFont", "")), size * tm[0],
                        text.strip()))

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return out


def ps_name(face) -> str:
    return getFont(face.name).face.name.decode()


def colour_page(pdf: bytes, dpi: int = 72, page: int = 1) -> Image.Image:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", str(src),
                        str(Path(tmp) / "p")], check=True, timeout=120)
        [png] = Path(tmp).glob("p-*.png")
        return Image.open(png).convert("RGB")


def red_bbox(image: Image.Image):
    """(left, top, right, bottom) in pixels of the clearly red ink, or None."""
    mask = Image.new("L", image.size)
    src, dst = image.load(), mask.load()
    for y in range(image.height):
        for x in range(image.width):
            r, g, b = src[x, y]
            if r > 150 and g < 90 and b < 90:
                dst[x, y] = 255
    return mask.getbbox()


# --- every form ----------------------------------------------------------------------------------------------------
def test_every_form_is_registered_and_listed():
    assert list(MEETING_FORMS) == [*MEETING, "meeting-pack"]
    assert list(SUPERVISION_FORMS) == ["supervision-sheet"] and list(REPORT_FORMS) == ["supervision-report"]
    assert {*MEETING_FORMS, *SUPERVISION_FORMS, *REPORT_FORMS} <= set(ALL_FORMS)
    assert MEETING_FORMS["meeting-minutes"].data_type is MeetingPrint
    assert SUPERVISION_FORMS["supervision-sheet"].data_type is SupervisionSheet
    assert REPORT_FORMS["supervision-report"].data_type is SupervisionReport


@pytest.mark.parametrize("name", [*MEETING, "supervision-sheet", "supervision-report"])
def test_fonts_embedded_a4_and_ink_only_in_the_text_block(built, name):
    embedded, bare = embedded_fonts(built[name])
    assert embedded and not bare, bare
    for page in PdfReader(io.BytesIO(built[name])).pages:
        assert [round(float(v), 1) for v in page.mediabox] == [0, 0, 595.3, 841.9]
    for n, page in enumerate(render(built[name]), 1):
        assert ink_bbox(page) is not None and not ink_outside(page), n


def test_the_values_extract_back_as_the_same_characters(built):
    m = sample_meeting()
    notice, agenda, signin = (body_text(built[n]) for n in ("meeting-notice", "meeting-agenda", "meeting-signin"))
    assert "关于召开南桥镇综合行政执法协调会议的通知" in notice and "2026年11月20日9时30分" in notice
    assert "南桥镇人民政府、" not in notice.split("：")[0]  # the convening body does not write to itself
    assert squeeze(m.notice_body) in notice and "联系人：王芳，电话：57420000。" in notice
    for item in m.agenda:
        assert item.title in agenda and item.title in notice
    assert "（〔2026〕第2期遗留）" in agenda
    for a in m.attendees:
        assert f"{a.unit}{a.title}{a.name}{a.phone}{a.attendance}" in signin
    assert "应到7人，出席5人，请假1人，列席1人。" in signin
    items = body_text(built["meeting-items"])
    for item in m.agreed:
        assert squeeze(item.matter) in items and item.lead_unit in items
    assert "2026年12月31日" in items and "共3项。" in items
    sheet = body_text(built["supervision-sheet"])
    s = sample_sheet()
    for value in (s.number, s.matter, s.source, s.responsible_unit, s.leader, s.handler, s.issued_by,
                  "2026年11月28日张伟：已完成现场测量，规划认定意见已发函", "已于2026年12月10日催办。"):
        assert squeeze(value) in sheet, value


def test_the_signin_sheet_before_attendance_leaves_the_marks_blank(fonts):
    m = sample_meeting(attendees=tuple(replace(a, attendance=None) for a in sample_meeting().attendees))
    text = body_text(build_form("meeting-signin", m, fonts))
    assert "应到7人，实到____人。" in text
    assert text.count("出席") == 1 and "请假" not in text and "列席" not in text  # only the header 出席情况
    minutes = body_text(build_form("meeting-minutes", m, fonts))
    assert "出席：______" in minutes and "请假：" not in minutes  # to fill in; nobody claimed


def test_the_report_names_the_overdue_sheets_by_unit(built):
    text = body_text(built["supervision-report"])
    assert "本期共督办事项4件，已办结1件，未办结3件，其中逾期未办结2件（截至2026年12月20日）。" in text
    assert "1南桥镇城市管理综合行政执法队211150%" in text and "2区市场监管局10110%" in text
    assert "3南桥派出所10100%" in text  # reported (已反馈) before the report: not overdue
    late = text[text.index("三、逾期未办结事项"):]
    assert "南桥督〔2026〕14号" in late and "19天" in late and "南桥督〔2026〕12号" in late and "5天" in late
    assert "南桥督〔2026〕11号" not in late and "南桥督〔2026〕13号" not in late


# --- the 纪要's layout (GB/T 9704-2012 §10.3) ----------------------------------------------------------------------
def test_the_mark_is_red_centred_in_the_title_font_35_mm_below_the_block_top(built, fonts):
    pdf = built["meeting-minutes"]
    mark = "南桥镇综合行政执法协调会议纪要"
    [(x, y, font, size, _)] = [p for p in placed(pdf) if p[4] == mark]
    assert ps_name(fonts.title) in font and size == meeting_minutes.mark_size(mark, fonts.title.name)
    block_top = layout.MARGIN_BOTTOM + layout.BLOCK_H
    em_top = y + meeting_minutes.EM_TOP * size
    assert em_top == pytest.approx(block_top - 35 * mm, abs=0.5)
    # in pixels: the red ink starts 35 mm below the block's top (a glyph's ink sits just inside its em box) and
    # is centred on the block
    dpi = 72
    left, top, right, bottom = red_bbox(colour_page(pdf, dpi).crop((0, 0, 595, int((841.9 - y + 10)))))
    k = dpi / 25.4
    assert 35 * k - 1 <= top - 37 * k <= 35 * k + 2 * k, top
    centre = (28 + 156 / 2) * k
    assert abs((left + right) / 2 - centre) <= 1.5 * k
    assert right - left > 100 * k  # the whole mark, not a rule


def test_the_issue_number_is_centred_under_the_mark_and_the_body_is_3_hao_fangsong(built, fonts):
    pdf = built["meeting-minutes"]
    strings = placed(pdf)
    mark_y = next(p[1] for p in strings if p[4].endswith("纪要"))
    [(x, y, font, size, _)] = [p for p in strings if p[4] == NUMBER]
    width = sum(getFont(fonts.body.name).stringWidth(NUMBER, size) for _ in [0])
    assert y < mark_y and size == 16 and ps_name(fonts.body) in font
    assert x + width / 2 == pytest.approx(layout.MARGIN_LEFT + layout.BLOCK_W / 2, abs=1)
    body = [p for p in strings if p[4].startswith("一、由执法队牵头")]
    assert body and body[0][3] == 16 and ps_name(fonts.body) in body[0][2]
    assert "会议议定：" in body_text(pdf)


def test_the_attendance_lists_hang_after_their_colon_in_heiti(fonts):
    people = tuple(Attendee(f"区第{i}委员会办公室", "科长", f"张{i}伟", "", "出席") for i in range(1, 16)) + (
        Attendee("区市场监管局", "副所长", "王秀英", "", "请假"), Attendee("区生态环境局", "科员", "陈志强", "", "列席"))
    pdf = build_form("meeting-minutes", sample_meeting(attendees=people), fonts)
    pages = [placed(pdf, n) for n in range(len(PdfReader(io.BytesIO(pdf)).pages))]
    [strings] = [p for p in pages if any(s[4] == "出席：" for s in p)]  # the lists are on one page here
    left = layout.MARGIN_LEFT
    labels = [p for p in strings if p[4] in ("出席：", "请假：", "列席：")]
    assert [p[4] for p in labels] == ["出席：", "请假：", "列席："]
    heading = ps_name(fonts.heading)
    for x, _y, font, size, _ in labels:
        assert x == pytest.approx(left + 2 * 16, abs=0.1) and heading in font and size == 16  # two characters in
    after_colon = left + 2 * 16 + getFont(fonts.heading.name).stringWidth("出席：", 16)
    first = labels[0]
    names = [p for p in strings if p[1] <= first[1] + 0.1 and p[1] > labels[1][1] + 0.1 and p[4] != "出席："]
    assert len(names) >= 3  # the list wraps onto several lines
    for x, _y, font, size, _ in names:
        assert x == pytest.approx(after_colon, abs=0.1) and ps_name(fonts.body) in font and size == 16
    text = body_text(pdf)
    assert "出席：" + "，".join(f"区第{i}委员会办公室张{i}伟" for i in range(1, 16)) in text
    assert "请假：区市场监管局王秀英" in text and "列席：区生态环境局陈志强" in text


def test_all_the_minutes_text_is_inside_the_block(built):
    pdf = built["meeting-minutes"]
    x0, y0 = layout.MARGIN_LEFT, layout.MARGIN_BOTTOM
    for n in range(len(PdfReader(io.BytesIO(pdf)).pages)):
        for x, y, _font, size, text in placed(pdf, n):
            if size <= layout.PAGE_NO:  # the footer
                assert y < y0
                continue
            assert x >= x0 - 0.1 and y >= y0 and y + size <= y0 + layout.BLOCK_H + 0.1, text


def test_a_long_meeting_runs_onto_more_pages_without_overflowing(fonts):
    people = tuple(Attendee(f"南桥镇第{i}村民委员会", "主任", f"李{i}强", f"1390000{i:04d}", "出席列席请假"[i % 3 * 2:i % 3 * 2 + 2])
                   for i in range(1, 91))
    intro = "\n".join(f"会议听取了第{i}项工作汇报，对存在的问题逐一分析，提出了具体的整改要求和完成时限。" for i in range(1, 30))
    m = sample_meeting(attendees=people, minutes_intro=intro + "\n会议议定：")
    for name in ("meeting-minutes", "meeting-signin", "meeting-notice"):
        pdf = build_form(name, m, fonts)
        texts = page_texts(pdf)
        assert len(texts) >= 3, name
        text = body_text(pdf)
        for a in people:
            assert a.name in text, (name, a.name)
        for n, page in enumerate(render(pdf), 1):
            assert not ink_outside(page), (name, n)
            assert f"— {n} —" in texts[n - 1] or f"第 {n} 页 共 {len(texts)} 页" in texts[n - 1]
    signin = page_texts(build_form("meeting-signin", m, fonts))
    assert all("序号单位职务姓名签名电话" in squeeze(t) for t in signin)  # the header repeats on every page


# --- drafts --------------------------------------------------------------------------------------------------------
def test_minutes_not_signed_off_are_a_draft_on_every_page_and_say_why(fonts):
    m = unsigned(sample_meeting(minutes_intro="\n".join(["会议听取了各单位的工作汇报。"] * 40)))
    assert prints_as_draft(["meeting-minutes"], m) and not prints_as_draft(["meeting-items"], m)
    assert draft_notice(["meeting-minutes"], m).startswith("本纪要尚未签发（传阅中）")
    texts = [squeeze(t) for t in page_texts(build_form("meeting-minutes", m, fonts))]
    assert len(texts) >= 2
    for text in texts:
        assert squeeze("草稿 — 纪要传阅中，尚未签发，不作正式文书使用") in text and "纪要尚未签发" in text
        assert "草稿校验码" in text
    signed = squeeze("".join(page_texts(build_form("meeting-minutes", sample_meeting(), fonts))))
    assert draft.WATERMARK not in signed and "尚未签发" not in signed


@pytest.mark.parametrize("number, words", [(None, "会议尚未编号（期号待定）"), ("临时编号2026-ab12-0003", "编号为临时编号")])
def test_a_meeting_without_its_official_number_prints_drafts(fonts, number, words):
    m = sample_meeting(number=number)
    for name in MEETING:
        assert prints_as_draft([name], m), name
        texts = page_texts(build_form(name, m, fonts))
        assert all(squeeze(words) in squeeze(t) for t in texts), name
    assert "〔____〕第____期" in body_text(build_form("meeting-agenda", sample_meeting(number=None), fonts))


def test_an_unnumbered_sheet_is_a_draft_and_a_numbered_one_is_not(fonts):
    assert not prints_as_draft(["supervision-sheet"], sample_sheet())
    blank = sample_sheet(number=None)
    assert draft_notice(["supervision-sheet"], blank) == mc.NO_SHEET_NUMBER.notice
    assert squeeze(mc.NO_SHEET_NUMBER.banner) in squeeze(page_texts(build_form("supervision-sheet", blank, fonts))[0])
    assert not prints_as_draft(["supervision-report"], sample_report(number=None))  # a report may be unnumbered


# --- the pack --------------------------------------------------------------------------------------------------------
def test_the_pack_binds_every_part_in_order_with_a_bookmark_each(fonts, built):
    m = sample_meeting()
    pdf = built["meeting-pack"]
    reader = PdfReader(io.BytesIO(pdf))
    parts = meeting_pack.parts(m, fonts)
    assert [t for t, _ in parts] == PARTS_OF_PACK
    counts = [len(PdfReader(io.BytesIO(p)).pages) for _, p in parts]
    assert len(reader.pages) == sum(counts)
    starts = [reader.get_destination_page_number(o) for o in reader.outline]
    assert [o.title for o in reader.outline] == PARTS_OF_PACK
    assert starts == [sum(counts[:i]) for i in range(len(counts))]
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"
    embedded, bare = embedded_fonts(pdf)
    assert embedded and not bare
    # each part's pages are the ones it prints alone: same text, its own page numbers and verification code
    for (title, alone), first in zip(parts, starts):
        mine = page_texts(alone)
        assert [squeeze(t) for t in page_texts(pdf)[first:first + len(mine)]] == [squeeze(t) for t in mine], title
    for n, page in enumerate(render(pdf), 1):
        assert not ink_outside(page), n


def test_items_without_an_issued_sheet_get_one_prefilled_and_marked_as_a_draft(fonts):
    m = sample_meeting(supervision=(sample_sheet(1),))
    sheets = meeting_pack.sheets(m)
    assert sheets[0] == sample_sheet(1)
    assert [s.number for s in sheets[1:]] == [None, None]
    assert sheets[1].matter == m.agreed[1].matter and sheets[1].responsible_unit == "区市场监管局"
    assert sheets[1].source == f"{NUMBER}纪要议定事项第二项" and sheets[1].deadline == date(2026, 12, 15)
    pdf = build_form("meeting-pack", m, fonts)
    texts = [squeeze(t) for t in page_texts(pdf)]
    banner = squeeze(mc.NO_SHEET_NUMBER.banner)
    assert [banner in t for t in texts] == [False] * (len(texts) - 2) + [True, True]
    assert draft_notice(["meeting-pack"], m) == mc.NO_SHEET_NUMBER.notice
    both = unsigned(m)  # every reason of the pack's parts is given
    assert draft_notice(["meeting-pack"], both) == mc.minutes_draft(both).notice + mc.NO_SHEET_NUMBER.notice


def test_an_issued_sheet_goes_with_the_item_it_supervises(fonts):
    m = sample_meeting(supervision=(sample_sheet(2),))  # only the second item's sheet has been issued
    sheets = meeting_pack.sheets(m)
    assert sheets[1] == sample_sheet(2) and sheets[0].number is None and sheets[2].number is None
    assert sheets[0].matter == m.agreed[0].matter


def test_chinese_numerals():
    assert [mc.cn_numeral(n) for n in (1, 9, 10, 11, 20, 35, 99, 100, 105, 110, 121)] == [
        "一", "九", "十", "十一", "二十", "三十五", "九十九", "一百", "一百零五", "一百一十", "一百二十一"]


def test_a_meeting_with_nothing_filled_in_yet_prints_blanks_to_fill_by_hand(fonts):
    bare = MeetingPrint(number="〔2026〕第9期", kind="topic", title="", organiser="", mark="", starts_at=None,
                        place="", chair="", minute_taker="", minutes_status="已签发")  # not a draft: no banner
    for name in MEETING_FORMS:
        pdf = build_form(name, bare, fonts)
        for n, page in enumerate(render(pdf), 1):
            assert ink_bbox(page) is not None and not ink_outside(page), (name, n)
    assert "1" in body_text(build_form("meeting-agenda", bare, fonts))  # empty rows to fill in
    assert "共____项。" in body_text(build_form("meeting-items", bare, fonts))
    assert "纪要" in body_text(build_form("meeting-minutes", bare, fonts))
    empty = SupervisionReport(None, "南桥镇人民政府办公室", date(2026, 11, 1), date(2026, 11, 30), date(2026, 12, 1), ())
    text = body_text(build_form("supervision-report", empty, fonts))
    assert "本期共督办事项0件" in text and "本期无督办事项。" in text and "本期无逾期未办结事项。" in text
