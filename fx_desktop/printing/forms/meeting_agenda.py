"""会议议程: the meeting's name and number, time, place and chair, then its topics in order — each with where it
comes from (协调会商事项, 逾期未答复的移送, 以往会议议定事项 carried over from an earlier meeting's number …) and who
reports on it — as a ruled table in 小四 whose header repeats on every page. A meeting without topics yet prints
empty rows to fill in; a meeting without its official number is a draft."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from ..blocks import Sheet
from ..meeting_data import MeetingPrint
from .meeting_common import BLANK, kind_label, meeting_form, subtitle, when_text

FORM_NAME = "meeting-agenda"
TITLE = "会议议程"
HEADERS = ("序号", "议题", "来源", "汇报单位")
WIDTHS = (14 * mm, 80 * mm, 36 * mm, 26 * mm)  # 156 mm


numbers, draft_reason, section, build = meeting_form(FORM_NAME, TITLE, lambda sh, m: story(sh, m), show_total=True)


def story(sh: Sheet, m: MeetingPrint) -> list:
    rows = [[sh.label(t) for t in HEADERS]]
    for item in m.agenda:
        source = item.source + (f"（{item.carried_over_from}遗留）" if item.carried_over_from else "")
        rows.append([sh.para(str(item.no), "cell_center"), sh.para(item.title, field="议题"),
                     sh.para(source, field="议题来源"), sh.para(item.presenter, field="汇报单位")])
    if not m.agenda:
        rows += [[sh.para(str(i), "cell_center"), Spacer(1, 8 * mm), "", ""] for i in range(1, 6)]
    return [sh.para(TITLE, "title", "标题"), *subtitle(sh, m), Spacer(1, 8),
            sh.para(f"会议类型：{kind_label(m.kind) or BLANK}", "form_line", "会议类型"),
            sh.para(f"会议时间：{when_text(m)}", "form_line", "会议时间"),
            sh.para(f"会议地点：{m.place or BLANK}", "form_line", "会议地点"),
            sh.para(f"主持人：{m.chair or BLANK}　　记录人：{m.minute_taker or BLANK}", "form_line", "主持人"),
            Spacer(1, 8), *sh.grid(rows, WIDTHS, header_rows=1)]
