"""案件情况简介: a case briefing that a legal review or a meeting (会商) attaches.

Written like an official letter (GB/T 9704): title in 小标宋 22 pt, body in 仿宋 三号 on the 22-line grid with a
two-character first-line indent, level-1 headings in 黑体 ("一、"), level-2 in 楷体 ("（一）"), `— n —` page
numbers; only the evidence list is a table (小四). Missing values print as underscore blanks to fill in by hand. A
provisional case number makes the briefing a draft.
"""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Spacer

from ..blocks import Sheet, cn_date, officers_text, page_spec, party_summary, yuan
from ..data import ReviewDossier
from ..draft import is_draft, shown
from ..fonts import load_fonts
from ..layout import LINE, PageSpec, build_pdf

FORM_NAME = "case-briefing"
TITLE = "案件情况简介"
EVIDENCE_WIDTHS = (12 * mm, 32 * mm, 62 * mm, 50 * mm)
_NUMERALS = "一二三四五六七八九十"
_BLANK = "_" * 12


def numbers(dossier: ReviewDossier) -> tuple[str | None, ...]:
    """The document numbers this form prints."""
    return (dossier.case.number,)


def build(dossier: ReviewDossier, *, fonts=None) -> bytes:
    sh = Sheet(fonts or load_fonts())
    story, spec = section(sh, dossier)
    return build_pdf(story, spec, sh.fonts, sh.texts)


def section(sh: Sheet, dossier: ReviewDossier) -> tuple[list, PageSpec]:
    """The story and the footer (for the briefing alone or bound in a meeting pack)."""
    case = dossier.case
    story = [sh.para(TITLE, "title", "标题"), sh.para(f"（案号：{shown(case.number)}）", "body_center", "案号"),
             Spacer(1, 14)]
    sections = [
        ("案件基本情况", [
            _line(sh, ("案件状态", case.status)),
            _line(sh, ("案由", case.cause), ("案件类别", case.category), ("案件来源", case.source)),
            _line(sh, ("发生地点", case.place), ("发生时间", cn_date(case.occurred_at, time=True))),
            _line(sh, ("受理日期", cn_date(case.opened_on)), ("立案日期", cn_date(case.filed_on)),
                  ("作出决定期限", cn_date(case.decision_due))),
        ]),
        ("当事人情况", [sh.fill(party_summary(case.party) + "。", "body", "当事人")]),
        ("承办单位及人员", [_line(sh, ("承办单位", case.unit), ("承办人员", officers_text(case.officers)))]),
        ("违法事实", _text(sh, case.facts, "违法事实")),
        ("法律依据", _text(sh, case.legal_basis, "法律依据")),
        ("拟处理意见", [_line(sh, ("拟处理决定", case.proposed_penalty or ""), ("金额", yuan(case.proposed_amount)))]),
        ("属于重大执法决定的情形", _text(sh, "\n".join(f"{i}．{r}" for i, r in enumerate(case.major_reasons, 1)),
                                       "重大执法决定情形")),
        ("证据清单", _evidence(sh, dossier)),
    ]
    for i, (heading, flowables) in enumerate(sections):
        # a heading never ends a page: it needs room for itself and two lines under it
        story += [CondPageBreak(3 * LINE), sh.para(f"{_NUMERALS[i]}、{heading}", "h1", "标题"), *flowables]
    if dossier.printed_at:
        story += [Spacer(1, 14), sh.para(cn_date(dossier.printed_at), "body_right", "日期")]
    return story, page_spec(data=dossier, form_name=FORM_NAME, title=TITLE, number_label="案号", number=case.number,
                            draft=is_draft(numbers(dossier)))


def _line(sh: Sheet, *pairs: tuple[str, str]):
    """案由：……；案件类别：……。 with an underscore blank for a missing value."""
    text = "；".join(f"{label}：{value or _BLANK}" for label, value in pairs) + "。"
    return sh.para(text, "body", pairs[0][0])


def _text(sh: Sheet, text: str, field: str) -> list:
    return sh.paras(text, "body", field) if (text or "").strip() else [sh.fill("", "body", field, width=40)]


def _evidence(sh: Sheet, dossier: ReviewDossier):
    rows = [[sh.label(t) for t in ("序号", "证据种类", "文件名称", "采集时间")]]
    for i, (kind, name, captured) in enumerate(dossier.case.evidence, 1):
        rows.append([sh.para(str(i), "cell_center"), sh.para(kind, field="证据种类"), sh.para(name, field="文件名称"),
                     sh.para(cn_date(captured, time=True), field="采集时间")])
    if not dossier.case.evidence:
        rows += [[[sh.para(str(i), "cell_center"), Spacer(1, 4 * mm)], "", "", ""] for i in range(1, 4)]  # to fill in
    return sh.grid(rows, EVIDENCE_WIDTHS, header_rows=1)
