"""Printed forms say only what is true, checked against the data each was printed from: a form whose number is
still provisional is a draft on every page (watermark, banner with the reason, 草稿 by the verification code, the
number as 待分配（临时编号…）) and one with official numbers has none of it; the 附件 line and the materials table
list the round's own materials (the hearing record only when it was submitted); the criminal-referral criterion is
answered in words that cannot be read as "yes, refer it"."""
from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from fx_desktop.domain import legal_review as lr
from fx_desktop.printing import draft
from fx_desktop.printing.data import CRITERIA, Criterion, Material
from fx_desktop.printing.forms import FORMS, build_form, prints_as_draft
from fx_desktop.printing.verification import verification_code
from tests.printing.conftest import (
    FACTS,
    ink_bbox,
    page_texts,
    render,
    sample_dossier,
    sample_opinion,
    sample_submission,
    squeeze,
    with_,
    zones_px,
)

NAMES = ["review-request", "review-opinion", "case-briefing"]
CASE_NO, OPINION_NO = "奉南城管〔2026〕第00123号", "奉南法审〔2026〕3号"
TEMP_CASE, TEMP_OPINION = "临时编号2026-ab12-0001", "临时编号2026-ab12-0002"
CRIME = lr.CRITERIA_LABELS["crime"]


def long_dossier(case_no: str = CASE_NO, opinion_no: str | None = OPINION_NO):
    """Every form runs to several pages: long facts, a long opinion."""
    d = with_(sample_dossier(), number=case_no, facts="\n".join([FACTS] * 6))
    return replace(d, opinion=replace(d.opinion, number=opinion_no, text="\n".join([d.opinion.text] * 12)))


def ticked(pdf: bytes) -> list[str]:
    """Labels of the ticked boxes, in print order: a tick is a two-stroke path drawn just before its label."""
    chosen, ops, current = [], [], None

    def before(op, _args, _cm, _tm):
        nonlocal current
        ops.append(op)
        if op in (b"re", b"ET") and current is not None and current.strip():
            chosen.append(current.strip())
            current = None
        if op == b"S" and ops[-4:-1] == [b"m", b"l", b"l"]:
            current = ""

    def text(t, *_):
        nonlocal current
        if current is not None:
            current += t

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return chosen


def attachments(pdf: bytes) -> str:
    text = squeeze("".join(page_texts(pdf)))
    return text[text.index("附件"):]


# --- provisional numbers ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", NAMES)
def test_a_provisional_case_number_prints_a_draft_on_every_page(fonts, name):
    dossier = long_dossier(case_no=TEMP_CASE)
    assert prints_as_draft([name], dossier)
    pdf = build_form(name, dossier, fonts)
    texts = [squeeze(t) for t in page_texts(pdf)]
    assert len(texts) >= 2, "the test needs a form of several pages"
    code = verification_code(name, dossier)
    for n, text in enumerate(texts, 1):
        assert draft.WATERMARK + squeeze(draft.WATERMARK_NOTE) in text, n  # the diagonal watermark
        assert squeeze(draft.BANNER) in text, n  # the reason, above the text
        assert f"{draft.FOOTER_MARK}校验码{code}" in text, n  # the code is a draft's code
        if name != "review-opinion":  # the opinion's footer carries its own (official) number
            assert f"案号：待分配（{TEMP_CASE}）" in text, n  # the footer's number: not a final one
    assert f"待分配（{TEMP_CASE}）" in texts[0]  # where the form shows the case number
    assert CASE_NO not in "".join(texts)
    assert "草稿" in PdfReader(io.BytesIO(pdf)).metadata["/Keywords"]


@pytest.mark.parametrize("name", NAMES)
def test_official_numbers_print_no_draft_mark(fonts, name):
    dossier = long_dossier()
    assert not prints_as_draft([name], dossier)
    pdf = build_form(name, dossier, fonts)
    text = squeeze("".join(page_texts(pdf)))
    for mark in (draft.WATERMARK, "待分配", "临时编号", squeeze(draft.WATERMARK_NOTE)):
        assert mark not in text
    assert "草稿" not in PdfReader(io.BytesIO(pdf)).metadata["/Keywords"]


def test_an_opinion_numbered_offline_is_a_draft_though_its_case_number_is_official(fonts):
    """The issue's case: a verdict recorded before the sync has a provisional opinion number."""
    dossier = long_dossier(opinion_no=TEMP_OPINION)
    assert prints_as_draft(["review-opinion"], dossier)
    assert not prints_as_draft(["review-request"], dossier) and not prints_as_draft(["case-briefing"], dossier)
    assert prints_as_draft(NAMES, dossier)  # the bound set is a draft when any part is
    texts = [squeeze(t) for t in page_texts(build_form("review-opinion", dossier, fonts))]
    assert texts[0].count(f"文号：待分配（{TEMP_OPINION}）") == 2  # under the title and in the footer
    for text in texts:
        assert squeeze(draft.BANNER) in text and f"文号：待分配（{TEMP_OPINION}）" in text
    assert f"案号{CASE_NO}" in texts[0]


def test_a_number_freed_by_the_sync_is_provisional_too(fonts):
    """sync.apply gives a clashing local case 临时-xxxxxxxx until the server numbers it."""
    dossier = long_dossier(case_no="临时-1a2b3c4d")
    pdf = build_form("case-briefing", dossier, fonts)
    assert all(squeeze(draft.BANNER) in squeeze(t) for t in page_texts(pdf))
    assert "（案号：待分配（临时-1a2b3c4d））" in squeeze(page_texts(pdf)[0])


def test_a_blank_opinion_takes_its_draft_state_from_the_case_number(fonts):
    blank = sample_dossier(submission=False, opinion=False, number=TEMP_CASE)
    assert prints_as_draft(["review-opinion"], blank)
    assert not prints_as_draft(["review-opinion"], sample_dossier(submission=False, opinion=False))


def test_the_watermark_is_visible_yet_light_and_the_banner_sits_above_the_text(fonts):
    """Rendered: the draft has light ink across the middle where the official copy has white paper, but no dark
    ink there that the official copy lacks (the text stays readable over it); the banner is the only dark ink
    above the text block."""
    official = render(build_form("case-briefing", long_dossier(), fonts))[0]
    marked = render(build_form("case-briefing", long_dossier(case_no=TEMP_CASE), fonts))[0]
    left, top, right, bottom = (round(v) for v in zones_px()["block"])
    light = dark_added = 0
    po, pm = official.load(), marked.load()
    for y in range(top + 40, bottom):  # below the title and the number line, where both print the same text
        for x in range(left, right):
            a, b = po[x, y], pm[x, y]
            light += a > 245 and 150 < b < 235
            dark_added += a > 200 and b < 100
    assert light > 2000  # the watermark covers a large area of the page
    assert dark_added == 0  # and is nowhere dark enough to hide text
    above = marked.crop((0, 0, marked.width, top - 2))
    assert ink_bbox(above) is not None and ink_bbox(official.crop((0, 0, official.width, top - 2))) is None


# --- materials -------------------------------------------------------------------------------------------------------
WITHOUT_HEARING = (Material("案卷材料", True), Material("承办人员意见", True),
                   Material("行政处罚决定书（草案）", True), Material("法制审核申请报告", True))


def test_no_hearing_record_submitted_none_listed(fonts):
    dossier = sample_dossier(submission=sample_submission(materials=WITHOUT_HEARING))
    opinion = build_form("review-opinion", dossier, fonts)
    assert attachments(opinion).startswith("附件1．案卷材料；2．承办人员意见；3．行政处罚决定书（草案）；4．法制审核申请报告")
    assert "听证笔录" not in attachments(opinion)
    request = squeeze("".join(page_texts(build_form("review-request", dossier, fonts))))
    assert "听证笔录" not in request
    for i, label in enumerate(("案卷材料", "承办人员意见", "行政处罚决定书（草案）", "法制审核申请报告"), 1):
        assert f"{i}{label}已提供未提供" in request


def test_a_submitted_hearing_record_is_listed_and_one_not_provided_is_not_attached(fonts):
    dossier = sample_dossier()  # hearing record given; the request report marked not provided
    line = attachments(build_form("review-opinion", dossier, fonts))
    assert "4．听证笔录" in line and "法制审核申请报告" not in line
    request = build_form("review-request", dossier, fonts)
    assert "4听证笔录已提供未提供2026年2月10日听证" in squeeze("".join(page_texts(request)))
    assert ticked(request)[:5] == ["已提供"] * 4 + ["未提供"]


def test_blank_forms_list_what_the_case_must_submit_and_attach_nothing(fonts):
    no_hearing = replace(sample_dossier(submission=False, opinion=False),
                         expected_materials=("案卷材料", "承办人员意见", "行政处罚决定书（草案）", "法制审核申请报告"))
    request = squeeze("".join(page_texts(build_form("review-request", no_hearing, fonts))))
    assert "听证笔录" not in request and "4法制审核申请报告已提供未提供" in request
    line = attachments(build_form("review-opinion", no_hearing, fonts))
    assert line.startswith("附件____") and "案卷材料" not in line  # a line to fill in, no claimed attachments
    held = sample_dossier(submission=False, opinion=False)  # conftest's case held a hearing
    assert "4听证笔录已提供未提供" in squeeze("".join(page_texts(build_form("review-request", held, fonts))))


# --- criterion wording -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("passed, answer", [(True, "未发现涉嫌犯罪"), (False, "涉嫌犯罪需移送")])
def test_the_referral_criterion_is_answered_in_its_own_words(fonts, passed, answer):
    criteria = tuple(Criterion(c, passed if c == CRIME else True) for c in CRITERIA)
    dossier = sample_dossier(opinion=sample_opinion(criteria=criteria, outcome="不同意" if not passed else "同意"))
    pdf = build_form("review-opinion", dossier, fonts)
    assert ticked(pdf)[:8] == ["符合"] * 7 + [answer]
    text = squeeze("".join(page_texts(pdf)))
    assert f"8{CRIME}未发现涉嫌犯罪涉嫌犯罪需移送" in text  # both answers printed, neither of them 符合
    assert lr.criterion_answer("crime", passed) == answer


def test_only_the_referral_criterion_is_a_question():
    """符合 / 不符合 confirm a statement; a criterion phrased as a question (是否…) needs answers of its own."""
    for key, label in lr.CRITERIA:
        if "是否" in label:
            assert key in lr.CRITERION_ANSWERS, label
            met, not_met = lr.criterion_answers(key)
            assert "符合" not in met + not_met
        else:
            assert lr.criterion_answers(key) == ("符合", "不符合")


def test_every_form_lists_its_numbers():
    dossier = long_dossier(TEMP_CASE, TEMP_OPINION)
    assert {n: FORMS[n].numbers(dossier) for n in NAMES} == {
        "review-request": (TEMP_CASE,), "review-opinion": (TEMP_OPINION, TEMP_CASE), "case-briefing": (TEMP_CASE,)}
