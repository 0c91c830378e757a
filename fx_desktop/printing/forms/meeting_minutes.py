"""纪要 in the format of GB/T 9704-2012 §10.3 (DOMAIN.md §6, §7): the mark "××××纪要" centred in red 小标宋 with its
top edge 35 mm below the top of the text block, the issue number 〔年〕第N期 centred under it, the convening body and
the day it was signed off above a red rule; no addressee and no seal. The body in 3号仿宋 is the introduction
followed by the agreed items ("会议议定：一、……", each with its lead and supporting units and its deadline). After
the body one blank line, then, two characters in, "出席：" in 3号黑体 followed by the units and names in 3号仿宋,
wrapped lines aligned after the colon; "请假：" and "列席：" the same way on lines of their own, each only when
someone is in it. Minutes not signed off yet, or of a meeting without its official number, print as a draft."""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer
from reportlab.platypus.flowables import HRFlowable

from ..blocks import BLANK_DATE, Sheet, cn_date
from ..layout import BLOCK_W, BODY, LINE
from ..meeting_data import ATTENDANCE, MeetingPrint
from .meeting_common import BLANK, cn_numeral, meeting_form, minutes_draft, number_text

FORM_NAME = "meeting-minutes"
TITLE = "会议纪要"
MARK_TOP = 35 * mm  # from the top of the text block to the top edge of the mark (GB/T 9704-2012 §10.3)
MARK_MAX_SIZE = 36.0  # 小初; a long mark gets smaller type so it stays on one line
MARK_COLOUR = colors.Color(0.86, 0.08, 0.08)  # the red of a 版头
EM_TOP = 0.88  # the top of a CJK em box above the baseline, as a fraction of the size
LABEL_INDENT = 2 * BODY  # "出席：" two characters in


numbers, draft_reason, section, build = meeting_form(FORM_NAME, TITLE, lambda sh, m: story(sh, m),
                                                     draft_reason=minutes_draft)


def mark_text(m: MeetingPrint) -> str:
    mark = (m.mark or "").strip() or f"{m.title or ''}纪要"
    return mark if mark.endswith("纪要") else f"{mark}纪要"


def mark_size(text: str, font: str) -> float:
    """The mark's type size: 小初, or less so it fits the block's width on one line (in half points)."""
    width = stringWidth(text, font, 1) or 1
    return min(MARK_MAX_SIZE, int(BLOCK_W / width * 2) / 2)


class Mark(Flowable):
    """The 纪要 mark: from the top of the frame down, 35 mm of space, then the mark centred in red whose em box
    starts there."""

    def __init__(self, text: str, font: str) -> None:
        super().__init__()
        self.text, self.font = text, font
        self.size = mark_size(text, font)

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, MARK_TOP + self.size
        return self.width, self.height

    def draw(self):
        c = self.canv
        c.saveState()
        c.setFillColor(MARK_COLOUR)
        c.setFont(self.font, self.size)
        c.drawCentredString(self.width / 2, self.height - MARK_TOP - EM_TOP * self.size, self.text)
        c.restoreState()


def agreed_text(item) -> str:
    """一、matter（牵头单位：…；配合单位：…；完成时限：…）。"""
    matter = item.matter.strip().rstrip("。；;")
    parts = [f"责任单位：{item.lead_unit or BLANK}"]
    if item.supporting_units:
        parts.append(f"配合单位：{'、'.join(item.supporting_units)}")
    parts.append(f"完成时限：{cn_date(item.deadline) if item.deadline else BLANK}")
    return f"{cn_numeral(item.no)}、{matter}（{'；'.join(parts)}）。"


def names_by_unit(people) -> str:
    """区规划资源局张三、李四，区市场监管局王五: units in the order first met, each with its people's names."""
    units: dict[str, list[str]] = {}
    for a in people:
        units.setdefault(a.unit or "", []).append(a.name)
    return "，".join(f"{unit}{'、'.join(n for n in names if n)}" for unit, names in units.items())


def attendance_list(sh: Sheet, label: str, text: str):
    """"出席：" in 黑体 two characters in, the names in 仿宋 after it, wrapped lines aligned after the colon: a
    two-column table without rules, so a list longer than the page continues on the next one."""
    label_text = f"{label}："
    label_w = LABEL_INDENT + stringWidth(label_text, sh.styles["list_label"].fontName, BODY)
    cell = sh.para(text, "body_flat", label)
    lab = sh.para(label_text, "list_label", label)
    return sh.table([[lab, cell]], [label_w, BLOCK_W - label_w],
                    [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                     ("LEFTPADDING", (0, 0), (0, 0), LABEL_INDENT), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                     ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])


def story(sh: Sheet, m: MeetingPrint) -> list:
    fonts = sh.fonts
    mark = mark_text(m)
    sh.note("纪要标志", mark, fonts.title.name)
    when = cn_date(m.signed_on) if m.signed_on else BLANK_DATE
    head = sh.table([[sh.para(m.organiser, "body_flat", "召集单位"), sh.para(when, "body_right", "日期")]],
                    [BLOCK_W * 0.6, BLOCK_W * 0.4],
                    [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                     ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                     ("VALIGN", (0, 0), (-1, -1), "BOTTOM")])
    out = [Mark(mark, fonts.title.name), Spacer(1, LINE / 2),
           sh.para(number_text(m.number), "body_center", "期号"), Spacer(1, LINE / 2), head,
           HRFlowable(width="100%", thickness=1.2, color=MARK_COLOUR, spaceBefore=3, spaceAfter=LINE / 2)]
    intro = (m.minutes_intro or "").strip()
    out += sh.paras(intro, "body", "纪要正文") if intro else []
    if m.agreed and "会议议定" not in intro:
        out.append(sh.para("会议议定：", "body", "纪要正文"))
    out += [sh.para(agreed_text(item), "body", "议定事项") for item in m.agreed]
    out.append(Spacer(1, LINE))  # one blank line after the body (§10.3)
    taken = any(a.attendance for a in m.attendees)
    for label in ATTENDANCE:
        people = [a for a in m.attendees if a.attendance == label]
        if people:
            out.append(attendance_list(sh, label, names_by_unit(people)))
        elif label == "出席" and not taken:
            out.append(attendance_list(sh, label, "_" * 30))  # attendance not taken yet: to fill in
    return out
