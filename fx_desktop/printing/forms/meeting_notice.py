"""会议通知: the notice calling a meeting, written like an official letter (GB/T 9704): the convening organisation
and the title in 小标宋, the meeting's number, the units invited as addressees, the body in 3号仿宋 with level-1
headings in 黑体 (time, place, who attends, the topics, the requirements as typed), the contact, and the close with
the seal's place and the day it was issued. Values not known yet print as blanks; a meeting without its official
number is a draft."""
from __future__ import annotations

from reportlab.platypus import Spacer

from ..blocks import Sheet
from ..layout import LINE
from ..meeting_data import MeetingPrint
from .meeting_common import BLANK, heading, kind_label, meeting_form, number_text, when_text

FORM_NAME = "meeting-notice"
TITLE = "会议通知"


numbers, draft_reason, section, build = meeting_form(FORM_NAME, TITLE, lambda sh, m: story(sh, m))


def units(m: MeetingPrint) -> list[str]:
    """The units invited, in the order first met, without repeats."""
    return list(dict.fromkeys(a.unit for a in m.attendees if a.unit))


def addressees(m: MeetingPrint) -> str:
    """The units the notice goes to: those invited, the convening organisation itself left out."""
    return "、".join(u for u in units(m) if u != m.organiser) or "各有关单位"


def story(sh: Sheet, m: MeetingPrint) -> list:
    name = m.title or "会议"
    out = [sh.para(m.organiser, "agency", "发文机关") if m.organiser else Spacer(1, 0),
           sh.para(f"关于召开{name}的通知", "title", "标题"),
           sh.para(number_text(m.number), "letter_number", "期号"), Spacer(1, LINE / 2),
           sh.para(f"{addressees(m)}：", "body_flat", "主送单位"),
           sh.para(f"经研究，定于{when_text(m)}在{m.place or BLANK}召开{name}"
                   f"（{kind_label(m.kind) or '会议'}），由{m.chair or BLANK}主持。现将有关事项通知如下：", "body", "正文"),
           *heading(sh, "一、会议时间"), sh.para(f"{when_text(m)}。", "body", "会议时间"),
           *heading(sh, "二、会议地点"), sh.para(f"{m.place or BLANK}。", "body", "会议地点"),
           *heading(sh, "三、参会人员")]
    if m.attendees:
        for unit in units(m):
            people = "、".join(f"{a.title}{a.name}" if a.title else a.name
                              for a in m.attendees if a.unit == unit and a.name)
            out.append(sh.para(f"{unit}：{people or '负责同志1名'}。", "body", "参会人员"))
    else:
        out.append(sh.fill("", "body", "参会人员", width=30))
    out += heading(sh, "四、会议议题")
    if m.agenda:
        for item in m.agenda:
            presenter = f"（{item.presenter}汇报）" if item.presenter else ""
            out.append(sh.para(f"（{item.no}）{item.title}{presenter}。", "body", "议题"))
    else:
        out.append(sh.fill("", "body", "议题", width=30))
    if m.notice_body.strip():
        out += [*heading(sh, "五、有关要求"), *sh.paras(m.notice_body, "body", "有关要求")]
    if m.contact:
        out.append(sh.para(m.contact if m.contact.endswith("。") else f"{m.contact}。", "body", "联系人"))
    out += [Spacer(1, LINE), sh.signoff(m.organiser, m.notice_issued_on)]
    return out
