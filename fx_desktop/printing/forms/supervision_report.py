"""督办通报 (DOMAIN.md §6): the period's supervision sheets by responsible unit, written like an official letter —
the supervising office and the title in 小标宋, the number, the body in 3号仿宋 with 黑体 headings: the totals, a
table of every unit's sheets (督办 / 已办结 / 办理中 / 逾期未办结 / 办结率), and the overdue sheets named one by one
with their deadline and the days past it; then the close with the seal's place. "Overdue" is measured against the
report's `today`: a deadline before it and the matter neither 已办结, 已反馈 nor 已撤销. A provisional number makes
a draft; a report without a number prints a blank for it."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ..blocks import Sheet, cn_date
from ..draft import shown
from ..layout import LINE, PageSpec
from ..meeting_data import SupervisionReport, SupervisionSheet
from .meeting_common import BLANK, build_alone, heading, report_draft, spec_with

FORM_NAME = "supervision-report"
TITLE = "督办通报"
SETTLED = frozenset({"已办结", "已反馈", "已撤销"})  # not chased any more, whatever the deadline
UNIT_HEADERS = ("序号", "责任单位", "督办件数", "已办结", "办理中", "逾期未办结", "办结率")
UNIT_WIDTHS = (12 * mm, 48 * mm, 18 * mm, 18 * mm, 18 * mm, 22 * mm, 20 * mm)  # 156 mm
LATE_HEADERS = ("序号", "督办编号", "督办事项", "责任单位", "完成时限", "逾期天数")
LATE_WIDTHS = (12 * mm, 30 * mm, 50 * mm, 26 * mm, 22 * mm, 16 * mm)  # 156 mm


def numbers(r: SupervisionReport) -> tuple[str | None, ...]:
    return (r.number,)


def draft_reason(r: SupervisionReport):
    return report_draft(r)


def build(r: SupervisionReport, *, fonts=None) -> bytes:
    return build_alone(section, r, fonts)


def section(sh: Sheet, r: SupervisionReport) -> tuple[list, PageSpec]:
    """The story and the footer (for this form alone or bound in the meeting pack)."""
    spec = spec_with(draft_reason(r), data=r, form_name=FORM_NAME, title=TITLE, number_label="编号",
                     number=r.number or "")
    return story(sh, r), spec


def overdue(s: SupervisionSheet, today) -> bool:
    return s.deadline is not None and s.deadline < today and s.status not in SETTLED


def story(sh: Sheet, r: SupervisionReport) -> list:
    sheets = [s for u in r.units for s in u.sheets]
    done = sum(u.done for u in r.units)
    late = [(u.unit, s) for u in r.units for s in u.sheets if overdue(s, r.today)]
    withdrawn = sum(1 for s in sheets if s.status == "已撤销")
    period = f"{cn_date(r.period_start)}至{cn_date(r.period_end)}"
    out = [sh.para(r.issued_by, "agency", "发文机关") if r.issued_by else Spacer(1, 0),
           sh.para(TITLE, "title", "标题"),
           sh.para(shown(r.number) if r.number else "_" * 16, "letter_number", "编号"), Spacer(1, LINE / 2),
           sh.para(f"现将{period}督办事项办理情况通报如下：", "body", "正文"),
           *heading(sh, "一、总体情况"),
           sh.para(f"本期共督办事项{len(sheets)}件，已办结{done}件，"
                   f"未办结{len(sheets) - done - withdrawn}件，其中逾期未办结{len(late)}件"
                   + (f"；撤销{withdrawn}件" if withdrawn else "") + f"（截至{cn_date(r.today)}）。", "body", "总体情况"),
           *heading(sh, "二、各单位办理情况")]
    rows = [[sh.label(t) for t in UNIT_HEADERS]]
    for i, u in enumerate(r.units, 1):
        n, late_n = len(u.sheets), sum(1 for s in u.sheets if overdue(s, r.today))
        open_n = sum(1 for s in u.sheets if s.status not in ("已办结", "已撤销"))
        rate = f"{u.done * 100 / n:.0f}%" if n else "—"
        rows.append([sh.para(str(i), "cell_center"), sh.para(u.unit, field="责任单位"),
                     *(sh.para(str(v), "cell_center", "件数") for v in (n, u.done, open_n, late_n)),
                     sh.para(rate, "cell_center", "办结率")])
    if not r.units:
        rows.append([(sh.para("本期无督办事项。", "cell_center", "说明"), 7)])
    out += sh.grid(rows, UNIT_WIDTHS, header_rows=1)
    out += heading(sh, "三、逾期未办结事项")
    if late:
        out.append(sh.para("以下督办事项已超过完成时限尚未办结，请责任单位抓紧办理并书面报告。", "body", "正文"))
        rows = [[sh.label(t) for t in LATE_HEADERS]]
        for i, (unit, s) in enumerate(late, 1):
            rows.append([sh.para(str(i), "cell_center"), sh.para(shown(s.number) if s.number else "", field="督办编号"),
                         sh.para(s.matter, field="督办事项"), sh.para(unit, field="责任单位"),
                         sh.para(cn_date(s.deadline), "cell_center", "完成时限"),
                         sh.para(f"{(r.today - s.deadline).days}天", "cell_center", "逾期天数")])
        out += sh.grid(rows, LATE_WIDTHS, header_rows=1)
    else:
        out.append(sh.para("本期无逾期未办结事项。", "body", "正文"))
    out += [Spacer(1, LINE), sh.signoff(r.issued_by or BLANK, r.today)]
    return out
