"""案件移送函: the letter that refers a case to the department that has jurisdiction (DOMAIN.md sections 5, 7).

An official letter (GB/T 9704): the issuing organisation and the title in 小标宋 22 pt, the number one character
in from the right, the addressee flush left with a full-width colon, the body in 仿宋 三号 with level-1 headings in
黑体, the contact line, then "附件：" with the numbered materials and their page counts, and the close — the
issuing organisation with the seal's place and the date, four characters in from the right. A missing value prints
as an underscore blank; a provisional referral or case number makes the letter a draft.
"""
from __future__ import annotations

from reportlab.platypus import CondPageBreak, Spacer

from ..blocks import Sheet, cn_date, render
from ..draft import is_draft, shown
from ..fonts import load_fonts
from ..layout import LINE
from ..referral_data import ReferralPrint

FORM_NAME = "referral-letter"
TITLE = "案件移送函"
_BLANK = "_" * 12


def numbers(referral: ReferralPrint) -> tuple[str | None, ...]:
    """The document numbers this form prints."""
    return (referral.number, referral.case.number)


def build(referral: ReferralPrint, *, fonts=None) -> bytes:
    sh = Sheet(fonts or load_fonts())
    r, case = referral, referral.case
    story = [sh.para(r.owner_name, "agency", "发文机关") if r.owner_name else Spacer(1, 0),
             sh.para(TITLE, "title", "标题"),
             sh.para(shown(r.number) if r.number else "_" * 16, "letter_number", "文号"), Spacer(1, LINE / 2),
             sh.para(f"{r.receiving_name or _BLANK}：", "body_flat", "主送机关"),
             sh.para(f"我单位在办理{case.party_name or _BLANK}{case.cause or _BLANK}一案（案号："
                     f"{shown(case.number) or _BLANK}）过程中，经审查认为该案应由你单位依法处理。"
                     "现将该案移送你单位，有关情况函告如下：", "body", "正文")]
    sections = [
        ("案件基本情况", [
            sh.para(f"当事人：{case.party_name or _BLANK}。案发时间：{cn_date(case.occurred_at, time=True) or _BLANK}。"
                    f"案发地点：{case.place or _BLANK}。", "body", "案件情况"),
            *_text(sh, r.summary, "违法行为概要")]),
        ("移送理由和依据", [*_text(sh, r.reason, "移送理由"),
                           *sh.paras(f"法律依据：{r.legal_basis or _BLANK}", "body", "法律依据")]),
        ("移送材料", [sh.para(_materials_sentence(r), "body", "移送材料")]),
    ]
    for i, (heading, flowables) in enumerate(sections):
        story += [CondPageBreak(3 * LINE), sh.para(f"{'一二三'[i]}、{heading}", "h1", "标题"), *flowables]
    story += [sh.para("请你单位收到后在回执上签收，并将回执和处理结果函告我单位。", "body", "正文"),
              sh.para(f"联系人：{r.contact_name or _BLANK}，联系电话：{r.contact_phone or _BLANK}。", "body", "联系人"),
              Spacer(1, LINE), *_annex(sh, r), sh.signoff(r.owner_name, r.submitted_at)]
    return render(sh, story, data=r, form_name=FORM_NAME, title=TITLE, number_label="文号", number=r.number,
                  draft=is_draft(numbers(r)))


def _text(sh: Sheet, text: str, field: str) -> list:
    return sh.paras(text, "body", field) if text.strip() else [sh.fill("", "body", field, width=40)]


def _pages(pages: int | None) -> str:
    return f"{pages}页" if pages is not None else "____页"


def _materials_sentence(r: ReferralPrint) -> str:
    known = [m.pages for m in r.materials if m.pages is not None]
    text = f"随函移送案件材料{len(r.materials)}项"
    if r.materials and len(known) == len(r.materials):
        text += f"，共{sum(known)}页"
    text += "（见附件）"
    if r.items:
        text += f"；涉案物品{len(r.items)}项，详见《移送物品清单》"
    return text + "。"


def _annex(sh: Sheet, r: ReferralPrint) -> list:
    """附件：1．现场检查笔录（3页） — GB/T 9704 7.3.4: numbered, the names aligned, no closing punctuation."""
    if not r.materials:
        return [sh.para("附件：" + "_" * 20, "annex_first", "附件")]
    return [sh.para(("附件：" if i == 0 else "") + f"{m.no}．{m.title or _BLANK}（{_pages(m.pages)}）",
                    "annex_first" if i == 0 else "annex", "附件")
            for i, m in enumerate(r.materials)]
