"""提请公安机关协助函: the letter asking a police station (or the sub-bureau) to support a planned operation
(专项协作, DOMAIN.md sections 5, 7).

An official letter (GB/T 9704): the issuing organisation and the title in 小标宋, the number, the addressee flush
left, the body in 仿宋 三号 with level-1 headings in 黑体 — the operation (time, place, party, the case), what the
police are asked to do and how many officers, the risk assessment — the contact line and the close with the seal's
place and the date. A missing value prints as an underscore blank; a provisional number makes the letter a draft.
"""
from __future__ import annotations

from reportlab.platypus import CondPageBreak, KeepTogether, Spacer

from ..blocks import Sheet, cn_date, render
from ..draft import is_draft, shown
from ..fonts import load_fonts
from ..layout import LINE
from ..police_data import PolicePrint

FORM_NAME = "police-letter"
TITLE = "提请公安机关协助函"
_BLANK = "_" * 12


def numbers(request: PolicePrint) -> tuple[str | None, ...]:
    return (request.number,)


def _window(r: PolicePrint) -> str:
    if not r.window_start:
        return _BLANK
    start = cn_date(r.window_start, time=True)
    if not r.window_end:
        return start
    same_day = r.window_end.date() == r.window_start.date()
    end = cn_date(r.window_end, time=True)
    return f"{start}至{end.split('日', 1)[1]}" if same_day else f"{start}至{end}"


def build(request: PolicePrint, *, fonts=None) -> bytes:
    sh = Sheet(fonts or load_fonts())
    r = request
    case = f"（案号：{shown(r.case_number)}，案由：{r.case_cause or _BLANK}）" if r.case_number else ""
    story = [sh.para(r.owner_name, "agency", "发文机关") if r.owner_name else Spacer(1, 0),
             sh.para(TITLE, "title", "标题"),
             sh.para(shown(r.number) if r.number else "_" * 16, "letter_number", "文号"), Spacer(1, LINE / 2),
             sh.para(f"{r.station_name or _BLANK}：", "body_flat", "主送机关"),
             sh.para(f"为依法开展{r.situation}执法行动，保障执法人员人身安全和现场秩序，根据《奉贤区城管执法与公安"
                     "协作机制》，现提请你单位给予协助。有关事项函告如下：", "body", "正文")]
    sections = [
        ("行动基本情况", [
            sh.para(f"时间：{_window(r)}。地点：{r.place or _BLANK}。当事人：{r.party or _BLANK}{case}。", "body",
                    "行动情况"),
            *(sh.paras(r.details, "body", "情况说明") if r.details else [])]),
        ("请求协助事项", [sh.para(f"请你单位派出民警{r.officers_needed or '____'}名，协助{r.asks or _BLANK}。"
                              "执法过程中如遇当事人拒不配合身份核实、阻碍执行职务等情形，请依法处置。", "body", "协助事项")]),
        ("风险评估", [sh.para(f"{r.risk or '无特殊风险'}。", "body", "风险评估")]),
    ]
    for i, (heading, flowables) in enumerate(sections):
        story += [CondPageBreak(3 * LINE), sh.para(f"{'一二三'[i]}、{heading}", "h1", "标题"), *flowables]
    # the close never stands alone on a page (GB/T 9704 7.3.5): the last lines go with it
    story += [sh.para("请予支持为盼。", "body", "正文"),
              KeepTogether([sh.para(f"联系人：{r.contact_name or _BLANK}，联系电话：{r.contact_phone or _BLANK}。",
                                    "body", "联系人"), sh.signoff(r.owner_name, r.filed_at)])]
    return render(sh, story, data=r, form_name=FORM_NAME, title=TITLE, number_label="文号", number=r.number,
                  draft=is_draft(numbers(r)))
