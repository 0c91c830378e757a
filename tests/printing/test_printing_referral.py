"""The three referral forms (案件移送函, 移送物品清单, 回执) built from a realistic referral state dict and read back
like the case forms: fonts embedded, every string of the state extracts as the same characters, ink only inside the
text block and the footer, the letter's number / addressee / seal where GB/T 9704 puts them, a long item list keeps
its header on every page, an unsigned receipt prints blank with lines to write on, and a provisional number prints
a draft."""
from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from fx_desktop.domain.errors import DomainError
from fx_desktop.printing import draft, layout
from fx_desktop.printing.blocks import BLANK_DATE
from fx_desktop.printing.forms import ALL_FORMS, FORMS, POLICE_FORMS, REFERRAL_FORMS, build_form, prints_as_draft
from fx_desktop.printing.referral_data import ReferralPrint
from fx_desktop.printing.verification import verification_code
from fx_desktop.services.print_data import referral_print
from tests.printing.conftest import (body_text, ink_bbox, ink_outside, page_texts, render, sample_dossier, squeeze,
                                     zones_px)
from tests.printing.referral_samples import (BASIS, CASE_NO, ITEM_NAMES, MATERIAL_TITLES, REASON, REFERRAL_NO,
                                             SUMMARY, TEMP_REFERRAL, org_name, referral_state, signed_state)
from tests.printing.test_printing_forms import TICK, embedded_fonts

NAMES = ["referral-letter", "referral-items", "referral-receipt"]
OWNER, RECEIVER = "上海市奉贤区南桥镇人民政府", "上海市奉贤区规划和自然资源局"


def data(state=None) -> ReferralPrint:
    return referral_print(state or referral_state(), org_name)


@pytest.fixture(scope="module")
def built(fonts):
    unsigned, signed = data(), data(signed_state())
    return {(name, kind): build_form(name, rp, fonts) for name in NAMES
            for kind, rp in (("unsigned", unsigned), ("signed", signed))}


# --- the state dict ----------------------------------------------------------------------------------------------
def test_the_state_dict_becomes_what_the_forms_print():
    rp = data(signed_state())
    assert (rp.number, rp.owner_name, rp.receiving_name) == (REFERRAL_NO, OWNER, RECEIVER)
    assert rp.case.number == CASE_NO and rp.case.party_kind == "org" and rp.case.occurred_at.hour == 9
    assert [m.title for m in rp.materials] == MATERIAL_TITLES and rp.materials[3].pages == 12
    assert [i.quantity for i in rp.items] == ["1", "1", "2.5", "6", "120", "1", "2", "1"]
    assert rp.submitted_at.date() == date(2026, 2, 3)
    assert (rp.contact_name, rp.contact_phone) == ("张伟", "021-57123456")
    assert rp.receipt.received_on == date(2026, 2, 5) and rp.receipt.signed_by == "陈立新"
    assert rp.receipt.materials_match is False
    assert data().receipt is None


def test_missing_parts_of_the_state_print_blank_never_none(fonts):
    sparse = {"number": REFERRAL_NO, "owner_org": "nanqiao", "receiving_org": "ghzy",
              "case_snapshot": {"number": CASE_NO}, "materials": [{"no": 1, "title": "现场检查笔录"}]}
    rp = data(sparse)
    assert rp.materials[0].pages is None and rp.items == () and rp.submitted_at is None
    for name in NAMES:
        text = "".join(page_texts(build_form(name, rp, fonts)))
        assert "None" not in text and "none" not in text.lower(), name
    letter = body_text(build_form("referral-letter", rp, fonts))
    assert "附件：1．现场检查笔录（____页）" in letter and f"{OWNER}（印章）年月日" in letter
    assert "共计____项。" in body_text(build_form("referral-items", rp, fonts))


def test_a_bad_receipt_date_is_explained():
    with pytest.raises(DomainError) as err:
        data(signed_state(received_on="5 Feb"))
    assert "收到日期" in str(err.value)


# --- read back ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_fonts_are_embedded_and_the_pages_are_a4(built, name):
    for kind in ("unsigned", "signed"):
        embedded, bare = embedded_fonts(built[name, kind])
        assert embedded and not bare, bare
        for page in PdfReader(io.BytesIO(built[name, kind])).pages:
            assert [round(float(v), 1) for v in page.mediabox] == [0, 0, 595.3, 841.9]


def test_the_letter_says_everything_the_referral_holds(built):
    text = body_text(built["referral-letter", "unsigned"])
    for s in [OWNER, "案件移送函", REFERRAL_NO, f"{RECEIVER}：", CASE_NO, "上海奉贤鑫隆建材有限公司",
              "擅自占用土地开挖地基", "案发时间：2026年1月12日9时40分", "奉贤区南桥镇江海路1288号厂区东侧",
              SUMMARY, REASON, f"法律依据：{BASIS}", "随函移送案件材料12项，共38页（见附件）；涉案物品8项，详见《移送物品清单》。",
              "联系人：张伟，联系电话：021-57123456。", f"{OWNER}（印章）2026年2月3日"]:
        assert squeeze(s) in text, s
    position = text.index("附件：")
    for i, title in enumerate(MATERIAL_TITLES, 1):  # numbered, in order, each with its page count
        found = text.index(squeeze(f"{i}．{title}（"), position)
        assert found > position, title
        position = found
    assert text.index("附件：") < text.index(f"{OWNER}（印章）")


def test_the_item_list_and_the_receipt_say_what_the_referral_holds(built):
    items = body_text(built["referral-items", "signed"])
    assert "序号物品名称规格数量单位状况存放地点" in items
    for s in [REFERRAL_NO, OWNER, RECEIVER, CASE_NO, "擅自占用土地开挖地基", *ITEM_NAMES,
              "1履带式液压挖掘机（柳工CLG922E，黄色，带破碎锤附件）CLG922E，斗容1.0立方米1台完好，油箱约半箱",
              "Φ25mm×9m2.5吨表面轻微锈蚀现场（已贴封条）", "共计8项。", "移送人（签名）：", "接收人（签名）：陈立新2026年2月5日"]:
        assert squeeze(s) in items, s
    receipt = body_text(built["referral-receipt", "signed"])
    for s in ["案件移送回执", f"移送函文号{REFERRAL_NO}", f"移送单位{OWNER}", f"接收单位{RECEIVER}", f"案号{CASE_NO}",
              "移送日期2026年2月3日", "移送材料12项，物品8项", "收到日期2026年2月5日签收人陈立新",
              "缺少的材料视听资料光盘（一张）未随卷移送，请补送。", f"{RECEIVER}（印章）2026年2月5日",
              f"注：本回执由接收单位填写、盖章后退回{OWNER}。"]:
        assert squeeze(s) in receipt, s


@pytest.mark.parametrize("name", NAMES)
def test_every_page_carries_its_number_the_referral_number_and_the_code(built, name):
    code = verification_code(name, data())
    texts = page_texts(built[name, "unsigned"])
    for n, text in enumerate(texts, 1):
        assert f"— {n} —" in text and f"校验码 {code}" in text and f"文号：{REFERRAL_NO}" in text
    assert verification_code(name, data()) != verification_code(name, data(signed_state()))


@pytest.mark.parametrize("name", NAMES)
def test_metadata_and_reproducible_bytes(built, fonts, name):
    meta = PdfReader(io.BytesIO(built[name, "unsigned"])).metadata
    assert meta.subject == name and meta.title == REFERRAL_FORMS[name].title
    assert build_form(name, data(), fonts) == built[name, "unsigned"]


@pytest.mark.parametrize("name", NAMES)
def test_ink_only_in_the_text_block_and_footer(built, name):
    for kind in ("unsigned", "signed"):
        for n, page in enumerate(render(built[name, kind]), 1):
            assert ink_bbox(page) is not None
            stray = ink_outside(page)
            assert not stray, (kind, n, stray[:10])


# --- the letter's layout -----------------------------------------------------------------------------------------
def placed(pdf: bytes) -> list[tuple[int, float, float, str]]:
    """(page, x, y of the baseline start in points, text) of every line drawn. reportlab sets the text matrix once
    a line and switches between font subsets inside it, so pypdf reports each piece at the line's start: pieces at
    one place are joined back into the line."""
    runs: list[tuple[int, float, float, str]] = []
    for n, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, 1):
        def visit(text, cm, tm, *_):
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if runs and runs[-1][:3] == (n, x, y):
                runs[-1] = (n, x, y, runs[-1][3] + text)
            elif text.strip():
                runs.append((n, x, y, text))
        page.extract_text(visitor_text=visit)
    return [(n, x, y, text.strip()) for n, x, y, text in runs]


def run_of(runs, pattern: str):
    found = [r for r in runs if re.fullmatch(pattern, r[3])]
    assert len(found) == 1, (pattern, found)
    return found[0]


def test_number_addressee_and_seal_sit_where_gbt_9704_puts_them(built, fonts):
    runs = placed(built["referral-letter", "unsigned"])
    font, size = fonts.body.name, 16
    right = layout.MARGIN_LEFT + layout.BLOCK_W
    page, x, y_number, text = run_of(runs, re.escape(REFERRAL_NO))
    assert page == 1 and abs(x + stringWidth(text, font, size) - (right - size)) < 1  # one character in from the right
    page, x, y_addressee, _ = run_of(runs, re.escape(f"{RECEIVER}："))
    assert page == 1 and abs(x - layout.MARGIN_LEFT) < 0.5 and y_addressee < y_number  # flush left, under the number
    page, x_seal, y_seal, seal = run_of(runs, re.escape(f"{OWNER}（印章）"))
    page_d, x_date, y_date, day = run_of(runs, "2026年2月3日")
    assert page_d == page == max(r[0] for r in runs) and y_date < y_seal  # the close ends the letter, date under
    seal_mid, date_mid = x_seal + stringWidth(seal, font, size) / 2, x_date + stringWidth(day, font, size) / 2
    assert abs(seal_mid - date_mid) < 1  # centred on one another
    assert abs(x_seal + stringWidth(seal, font, size) - (right - 4 * size)) < size  # four characters from the right
    assert date_mid > layout.MARGIN_LEFT + layout.BLOCK_W / 2  # on the right half of the page
    last_annex = run_of(runs, re.escape(f"12．{MATERIAL_TITLES[-1]}（1页）"))
    assert (last_annex[0], -last_annex[2]) < (page, -y_seal)  # the seal comes after the attachments
    assert run_of(runs, "附件：1．案件移送审批表（1页）")[1] == pytest.approx(layout.MARGIN_LEFT + 2 * size, abs=0.5)


# --- item list ---------------------------------------------------------------------------------------------------
def test_a_long_item_list_keeps_its_header_on_every_page(fonts):
    state = referral_state()
    state["items"] = [dict(state["items"][i % 8], name=f"{ITEM_NAMES[i % 8]}（第{i + 1}件）") for i in range(40)]
    pdf = build_form("referral-items", data(state), fonts)
    texts = [squeeze(t) for t in page_texts(pdf)]
    assert len(texts) >= 3
    for n, text in enumerate(texts, 1):
        assert "序号物品名称规格数量单位状况存放地点" in text, n
        assert f"第{n}页共{len(texts)}页" in text
    joined = body_text(pdf)
    position = -1
    for item in state["items"]:
        found = joined.find(squeeze(item["name"]), position + 1)
        assert found > position, item["name"]
        position = found
    assert "共计40项。" in texts[-1] and "接收人（签名）：" in texts[-1]
    for page in render(pdf):
        assert not ink_outside(page)


def test_a_referral_without_items_prints_rows_to_fill_in(fonts):
    text = body_text(build_form("referral-items", data(referral_state(items=[])), fonts))
    assert "序号物品名称规格数量单位状况存放地点12345共计____项。" in text


# --- receipt -----------------------------------------------------------------------------------------------------
def horizontal_strokes(pdf: bytes) -> int:
    """Straight horizontal lines drawn (grid rules, signature and writing lines)."""
    content = b"".join(p.get_contents().get_data() for p in PdfReader(io.BytesIO(pdf)).pages)
    return sum(1 for a, b, c, d in re.findall(rb"([-\d.]+) ([-\d.]+) m ([-\d.]+) ([-\d.]+) l S", content)
               if a != c and b == d)


def test_an_unsigned_receipt_prints_blank_with_lines_to_write_on(built):
    blank, signed = built["referral-receipt", "unsigned"], built["referral-receipt", "signed"]
    text = body_text(blank)
    assert f"收到日期{squeeze(BLANK_DATE)}签收人材料是否与清单一致一致不一致缺少的材料接收单位（盖章）" in text.replace("\xa0", "")
    assert "陈立新" not in text and "视听资料光盘（一张）未随卷移送" not in text
    assert f"{RECEIVER}（印章）年月日" in text
    assert horizontal_strokes(blank) >= horizontal_strokes(signed) + 3  # the writing lines for the missing materials
    assert len(TICK.findall(b"".join(p.get_contents().get_data() for p in PdfReader(io.BytesIO(blank)).pages))) == 0
    assert len(TICK.findall(b"".join(p.get_contents().get_data() for p in PdfReader(io.BytesIO(signed)).pages))) == 1


def test_a_receipt_that_matches_says_nothing_is_missing(fonts):
    pdf = build_form("referral-receipt", data(signed_state(materials_match=True, missing="")), fonts)
    text = body_text(pdf)
    assert "缺少的材料无" in text and len(page_texts(pdf)) == 1


# --- drafts ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_a_provisional_referral_number_prints_a_draft_on_every_page(fonts, name):
    rp = data(referral_state(number=TEMP_REFERRAL))
    assert prints_as_draft([name], rp)
    pdf = build_form(name, rp, fonts)
    texts = [squeeze(t) for t in page_texts(pdf)]
    code = verification_code(name, rp)
    for n, text in enumerate(texts, 1):
        assert draft.WATERMARK + squeeze(draft.WATERMARK_NOTE) in text, n
        assert squeeze(draft.BANNER) in text and f"{draft.FOOTER_MARK}校验码{code}" in text, n
        assert f"文号：待分配（{TEMP_REFERRAL}）" in text, n
    assert f"待分配（{TEMP_REFERRAL}）" in squeeze(body_text(pdf))
    assert "草稿" in PdfReader(io.BytesIO(pdf)).metadata["/Keywords"]


@pytest.mark.parametrize("name", NAMES)
def test_official_numbers_print_no_draft_mark_but_a_provisional_case_number_does(built, fonts, name):
    assert not prints_as_draft([name], data())
    text = squeeze("".join(page_texts(built[name, "unsigned"])))
    for mark in (draft.WATERMARK, "待分配", "临时编号"):
        assert mark not in text
    state = referral_state()
    state["case_snapshot"]["number"] = "临时编号2026-ab12-0001"
    assert prints_as_draft([name], data(state))


def test_the_draft_watermark_shows_on_the_rendered_letter(fonts):
    official = render(build_form("referral-letter", data(), fonts))[0]
    marked = render(build_form("referral-letter", data(referral_state(number=TEMP_REFERRAL)), fonts))[0]
    top = int(zones_px()["block"][1]) - 2
    assert ink_bbox(marked.crop((0, 0, marked.width, top))) is not None  # the banner in the top margin
    assert ink_bbox(official.crop((0, 0, official.width, top))) is None
    middle = marked.crop((marked.width // 3, marked.height // 3, 2 * marked.width // 3, 2 * marked.height // 3))
    plain = official.crop((marked.width // 3, marked.height // 3, 2 * marked.width // 3, 2 * marked.height // 3))
    light = sum(1 for a, b in zip(plain.tobytes(), middle.tobytes()) if a > 245 and 150 < b < 235)
    assert light > 1000  # the light watermark across the middle


# --- registry ----------------------------------------------------------------------------------------------------
def test_the_referral_forms_are_registered_apart_from_the_case_forms():
    from fx_desktop.printing.forms import CRIME_FORMS  # the criminal referral's (test_printing_criminal_referral)
    from fx_desktop.printing.forms import MEETING_FORMS, REPORT_FORMS, SUPERVISION_FORMS  # test_printing_meeting

    assert list(REFERRAL_FORMS) == NAMES
    assert set(ALL_FORMS) == (set(FORMS) | set(NAMES) | set(POLICE_FORMS) | set(CRIME_FORMS) | set(MEETING_FORMS)
                              | set(SUPERVISION_FORMS) | set(REPORT_FORMS))
    assert [REFERRAL_FORMS[n].title for n in NAMES] == ["案件移送函", "移送物品清单", "案件移送回执"]
    assert set(FORMS).isdisjoint(NAMES)  # a case's print menu and its bound set stay the review documents


def test_a_form_given_the_wrong_data_says_what_it_needs(fonts):
    with pytest.raises(DomainError) as err:
        build_form("referral-letter", sample_dossier(), fonts)
    assert "移送记录" in str(err.value) and "案件移送函" in str(err.value)
    with pytest.raises(DomainError) as err:
        build_form("review-opinion", data(), fonts)
    assert "法制审核意见书" in str(err.value)
    with pytest.raises(DomainError) as err:
        build_form("nonsense", data(), fonts)
    assert all(n in str(err.value) for n in NAMES)


def test_user_text_with_markup_characters_prints_literally(fonts):
    rp = replace(data(), summary="堆放物<高度>约5米 & 宽3米，标注<b>加粗</b>不生效")
    assert squeeze("堆放物<高度>约5米 & 宽3米，标注<b>加粗</b>不生效") in body_text(build_form("referral-letter", rp, fonts))


# --- organisation names as the store gives them --------------------------------------------------------------------

def test_the_store_names_every_organisation_in_full_never_by_its_short_name(store):
    """GB/T 9704: the addressee (主送机关), the issuer and the seal are named in full; the short name is only the
    机关代字 of document numbers (奉规资), the working name (区规划资源局) only what the lists show."""
    from fx_desktop.services.organisations import directory
    from fx_desktop.services.print_data import referral_names

    names, orgs = referral_names(store), directory(store)
    assert names("ghzy") == RECEIVER and names("nanqiao") == OWNER
    assert names("gafj") == "上海市公安局奉贤分局" and names("pcs_nanqiao") == "上海市公安局奉贤分局南桥派出所"
    assert names("scjg") == "上海市奉贤区市场监督管理局" and names("xidu") == "上海市奉贤区人民政府西渡街道办事处"
    assert names("haiwan_tourism") == "上海市奉贤区海湾旅游区管理委员会"
    for org in orgs:
        printed = names(org.code)
        assert printed.startswith(("上海市", "中共上海市")) and printed not in (org.short_name, org.name), org


def test_the_forms_print_the_full_names_the_store_gives(store, fonts):
    from fx_desktop.services.print_data import referral_names

    rp = referral_print(referral_state(receiving_org="scjg"), referral_names(store))
    full = "上海市奉贤区市场监督管理局"
    letter = squeeze("".join(page_texts(build_form("referral-letter", rp, fonts))))
    assert f"{full}：" in letter and f"{OWNER}（印章）" in letter  # addressee; issuer at the close
    assert "区市场监管局" not in letter and "奉市监" not in letter
    receipt = squeeze("".join(page_texts(build_form("referral-receipt", rp, fonts))))
    assert f"{full}（印章）" in receipt and f"接收单位{full}" in receipt and f"移送单位{OWNER}" in receipt
    items = squeeze("".join(page_texts(build_form("referral-items", rp, fonts))))
    assert f"接收单位{full}" in items and f"移送单位{OWNER}" in items
    assert REFERRAL_NO in letter  # the document number keeps the 机关代字 (奉南桥)
