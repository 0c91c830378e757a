"""The three forms, built from sample dossiers and read back: the dossier's Chinese text extracts as the same
characters, fonts are embedded, pages are A4 with number and verification code on each, steps not taken yet print
blank (never "None"), the same data gives the same bytes, and the registry explains an unknown form."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from fx_desktop.domain.errors import DomainError
from fx_desktop.printing.data import CRITERIA
from fx_desktop.printing.forms import FORMS, build_form
from fx_desktop.printing.verification import verification_code
from tests.printing.conftest import ORG, PAST, body_text, page_texts, sample_dossier, squeeze, with_

NAMES = ["review-request", "review-opinion", "case-briefing"]
CASE_STRINGS = ["奉南城管〔2026〕第00123号", "未经批准擅自搭建建筑物", "张三", "34052419800101001X",
                "上海市奉贤区南桥镇江海路88弄3号", "南桥镇城市管理综合行政执法队", "王磊", "31200001", "陈静",
                "《上海市城乡规划条例》第四十一条、第七十三条", "20,000元"]
TICK = re.compile(rb"m\s+[-\d.]+\s+[-\d.]+\s+l\s+[-\d.]+\s+[-\d.]+\s+l\s+S")  # a two-stroke path: the tick
FACT_STRING = "未经规划行政管理部门批准，于2025年11月在奉贤区解放东路100号院内擅自搭建彩钢板结构建筑物一处"


def embedded_fonts(pdf: bytes) -> tuple[set[str], set[str]]:
    """(embedded TrueType fonts, fonts without an embedded program) over all pages."""
    embedded, bare = set(), set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            has_program = descriptor is not None and "/FontFile2" in descriptor.get_object()
            (embedded if has_program else bare).add(str(font["/BaseFont"]))
    return embedded, bare


@pytest.fixture(scope="module")
def built(fonts):
    dossier = sample_dossier(history=[PAST])
    return dossier, {name: build_form(name, dossier, fonts) for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_dossier_text_extracts_as_the_same_characters(built, name):
    _, pdfs = built
    text = body_text(pdfs[name])
    for s in CASE_STRINGS + [FACT_STRING]:
        assert squeeze(s) in text, s
    assert "⻅" not in text and "\ufffd" not in text  # no Kangxi radicals, no replacement boxes


def test_each_form_shows_its_own_parts(built):
    _, pdfs = built
    request, opinion, briefing = (body_text(pdfs[n]) for n in NAMES)
    assert "重大行政执法决定法制审核申请表" in request
    for s in ["出生日期1980年1月1日", "性别男", "对个人“罚款”20,000元，达到5,000元的标准", "已举行听证", "听证笔录",
              "2026年2月10日听证", "补充提交", squeeze(sample_dossier().submission.report), "法制审核机构收件",
              "收件日期2026年2月25日", "审核期限2026年3月4日"]:
        assert s in request, s
    assert "上海市奉贤区南桥镇人民政府法制审核意见书" in opinion
    assert page_texts(pdfs["review-opinion"])[0].count("文号：奉南法审〔2026〕3号") == 2  # under the title, footer
    for s in ["提交日期2026年2月24日", "受理日期2026年2月25日", "罚款，20,000元",
              "罚款数额偏高", "审核人李明", "审核日期2026年2月27日", "机构负责人赵强", "历次审核情况",
              "证据不足，请补充现场勘验笔录。", "上海市奉贤区南桥镇人民政府（印章）", *CRITERIA,
              squeeze(sample_dossier().opinion.text), "附件1．案卷材料；2．承办人员意见"]:
        assert s in opinion, s
    assert opinion.index("同意") < opinion.index("建议修改后再报") < opinion.index("不同意")
    for s in ["案件情况简介", "一、案件基本情况", "案件状态：待法制审核", "发生时间：2025年12月1日10时30分",
              "受理日期：2025年12月1日；立案日期：2025年12月2日；作出决定期限：2026年3月2日",
              "八、证据清单", "IMG_0001.jpg", "询问笔录-张三.pdf", "2025年12月3日9时", "2026年3月1日"]:
        assert s in briefing, s


def test_an_organisation_prints_its_representative_and_credit_code(fonts):
    dossier = with_(sample_dossier(), party=ORG)
    for name in NAMES:
        text = body_text(build_form(name, dossier, fonts))
        for s in ["上海奉贤鑫隆建材有限公司", "91310120MA1HK2XX3Q", "李国强"]:
            assert s in text, (name, s)


@pytest.mark.parametrize("name", NAMES)
def test_fonts_are_embedded_and_the_pages_are_a4(built, name):
    _, pdfs = built
    embedded, bare = embedded_fonts(pdfs[name])
    assert embedded and not bare, bare
    reader = PdfReader(io.BytesIO(pdfs[name]))
    for page in reader.pages:
        assert [round(float(v), 1) for v in page.mediabox] == [0, 0, 595.3, 841.9]


@pytest.mark.parametrize("name", NAMES)
def test_every_page_carries_its_number_the_document_number_and_the_code(built, name):
    dossier, pdfs = built
    code = verification_code(name, dossier)
    texts = page_texts(pdfs[name])
    for n, text in enumerate(texts, 1):
        assert f"— {n} —" in text
        assert f"校验码 {code}" in text
        assert ("文号：奉南法审〔2026〕3号" if name == "review-opinion" else "案号：奉南城管〔2026〕第00123号") in text
        if name == "review-request":
            assert f"第 {n} 页 共 {len(texts)} 页" in text


@pytest.mark.parametrize("name", NAMES)
def test_metadata_and_reproducible_bytes(built, fonts, name):
    dossier, pdfs = built
    meta = PdfReader(io.BytesIO(pdfs[name])).metadata
    assert meta.author == "fx-desktop" and meta.subject == name and meta.title == FORMS[name].title
    assert verification_code(name, dossier) in meta["/Keywords"]
    assert build_form(name, dossier, fonts) == pdfs[name]


def test_steps_not_taken_yet_print_blank(fonts):
    dossier = sample_dossier(submission=False, opinion=False)
    for name in NAMES:
        texts = page_texts(build_form(name, dossier, fonts))
        joined = "".join(texts)
        assert "None" not in joined and "none" not in joined.lower()
        assert "张三" in joined
    request = body_text(build_form("review-request", dossier, fonts))
    assert "申请日期：年月日" in request  # a date to write in
    for label in ("案卷材料", "承办人员意见", "行政处罚决定书（草案）", "听证笔录", "法制审核申请报告"):
        assert label in request  # the standard materials, boxes left empty
    assert "收件日期年月日" in request
    opinion = body_text(build_form("review-opinion", dossier, fonts))
    assert "文号：________" in page_texts(build_form("review-opinion", dossier, fonts))[0]
    assert "审核人审核日期年月日" in opinion
    assert re.search(r"提交日期受理日期审核期限拟处理决定", opinion)
    assert "李明" not in opinion and "奉南法审" not in opinion


def test_blank_boxes_are_empty_and_chosen_ones_ticked(fonts):
    """Tick marks are vector strokes: count the ticked boxes through the drawing operators."""
    full = build_form("review-opinion", sample_dossier(), fonts)
    blank = build_form("review-opinion", sample_dossier(opinion=False), fonts)

    def ticks(pdf):
        reader = PdfReader(io.BytesIO(pdf))
        return sum(len(TICK.findall(p.get_contents().get_data())) for p in reader.pages)

    assert ticks(blank) == 0
    assert ticks(full) == len(CRITERIA) + 1  # one tick per criterion, one for the outcome


def test_user_text_with_markup_characters_prints_literally(fonts):
    dossier = with_(sample_dossier(), facts="搭建物<高度>约5米 & 宽3米，标注<b>加粗</b>不生效")
    text = body_text(build_form("case-briefing", dossier, fonts))
    assert squeeze("搭建物<高度>约5米 & 宽3米，标注<b>加粗</b>不生效") in text


def test_unknown_form_names_the_valid_ones(fonts):
    with pytest.raises(DomainError) as err:
        build_form("penalty-decision", sample_dossier(), fonts)
    message = str(err.value)
    assert "penalty-decision" in message
    for spec in FORMS.values():
        assert spec.name in message and spec.title in message
    assert set(FORMS) == set(NAMES)
