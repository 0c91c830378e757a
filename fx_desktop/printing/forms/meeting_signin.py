"""签到表: one row per person invited — 序号 / 单位 / 职务 / 姓名 / 签名 / 电话 — and, once attendance is taken, whether
they attended (出席), were on leave (请假) or observed (列席); the signature column stays blank for the hand
signature, and a few empty rows follow for people who come unannounced. The header row repeats on every page; a
meeting without its official number is a draft."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer

from ..blocks import Sheet
from ..meeting_data import ATTENDANCE, MeetingPrint
from .meeting_common import BLANK, meeting_form, number_text, when_text

FORM_NAME = "meeting-signin"
TITLE = "签到表"
HEADERS = ("序号", "单位", "职务", "姓名", "签名", "电话", "出席情况")
WIDTHS = (11 * mm, 38 * mm, 22 * mm, 19 * mm, 25 * mm, 26 * mm, 15 * mm)  # 156 mm
EXTRA_ROWS = 3  # blank rows for people not on the list


numbers, draft_reason, section, build = meeting_form(FORM_NAME, TITLE, lambda sh, m: story(sh, m), show_total=True)


def tally(m: MeetingPrint) -> str:
    """应到N人 and, once attendance is taken, how many attended, were on leave and observed."""
    if not any(a.attendance for a in m.attendees):
        return f"应到{len(m.attendees)}人，实到____人。"
    counts = {k: sum(1 for a in m.attendees if a.attendance == k) for k in ATTENDANCE}
    return f"应到{len(m.attendees)}人，" + "，".join(f"{k}{v}人" for k, v in counts.items()) + "。"


def story(sh: Sheet, m: MeetingPrint) -> list:
    rows = [[sh.label(t, "label_small") for t in HEADERS]]
    for i, a in enumerate(m.attendees, 1):
        rows.append([sh.para(str(i), "cell_small_center"), sh.para(a.unit, "cell_small", "单位"),
                     sh.para(a.title, "cell_small", "职务"), sh.para(a.name, "cell_small_center", "姓名"),
                     Spacer(1, 7 * mm),  # room for the hand signature
                     sh.para(a.phone, "cell_small", "电话"),
                     sh.para(a.attendance or "", "cell_small_center", "出席情况")])
    start = len(m.attendees) + 1
    rows += [[sh.para(str(i), "cell_small_center"), Spacer(1, 7 * mm), "", "", "", "", ""]
             for i in range(start, start + EXTRA_ROWS)]
    return [sh.para(f"{m.title or '会议'}{TITLE}", "title", "标题"),
            sh.para(number_text(m.number), "body_center", "期号"), Spacer(1, 6),
            sh.para(f"时间：{when_text(m)}　　地点：{m.place or BLANK}", "form_line", "会议时间"),
            Spacer(1, 6), *sh.grid(rows, WIDTHS, header_rows=1),
            KeepTogether([Spacer(1, 6), sh.para(tally(m), "form_line", "人数"),
                          sh.signature("记录人（签名）：", m.minute_taker or None, None)])]
