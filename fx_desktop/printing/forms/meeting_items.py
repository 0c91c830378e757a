"""议定事项清单: the meeting's agreed items as a ruled table in 小四 — 序号 / 议定事项 / 责任单位 / 配合单位 / 时限 /
状态 — whose header repeats on every page, with the count under it. Items not agreed yet print as empty rows to fill
in; a meeting without its official number is a draft."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ..blocks import Sheet, cn_date
from ..meeting_data import MeetingPrint
from .meeting_common import cn_numeral, meeting_form, subtitle

FORM_NAME = "meeting-items"
TITLE = "议定事项清单"
HEADERS = ("序号", "议定事项", "责任单位", "配合单位", "时限", "状态")
WIDTHS = (12 * mm, 54 * mm, 26 * mm, 26 * mm, 20 * mm, 18 * mm)  # 156 mm


numbers, draft_reason, section, build = meeting_form(FORM_NAME, TITLE, lambda sh, m: story(sh, m), show_total=True)


def story(sh: Sheet, m: MeetingPrint) -> list:
    rows = [[sh.label(t) for t in HEADERS]]
    for item in m.agreed:
        rows.append([sh.para(cn_numeral(item.no), "cell_center"), sh.para(item.matter, field="议定事项"),
                     sh.para(item.lead_unit, field="责任单位"), sh.para("、".join(item.supporting_units), field="配合单位"),
                     sh.para(cn_date(item.deadline), "cell_center", "时限"), sh.para(item.status, "cell_center", "状态")])
    if not m.agreed:
        rows += [[sh.para(cn_numeral(i), "cell_center"), Spacer(1, 8 * mm), "", "", "", ""] for i in range(1, 6)]
    total = f"共{len(m.agreed)}项。" if m.agreed else "共____项。"
    return [sh.para(TITLE, "title", "标题"), *subtitle(sh, m), Spacer(1, 8), *sh.grid(rows, WIDTHS, header_rows=1),
            Spacer(1, 6), sh.para(total, "form_line", "合计")]
