"""What the meeting and supervision forms share: Chinese item numerals, the meeting's heading lines, and why a
document prints as a draft. A meeting without its number (None) or with a provisional one is a draft, and so are
minutes not signed off yet (草稿 / 传阅中); a 督办单 without its number or with a provisional one; a 督办通报 with a
provisional number (a report is often issued unnumbered: no number is then just a blank, not a draft). Each reason
has its own words on the watermark, the banner and the preview's notice, so a clerk knows what to do about it."""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.platypus import CondPageBreak

from .. import draft
from ..blocks import Sheet, cn_date, page_spec
from ..fonts import load_fonts
from ..draft import shown
from ..layout import LINE, PageSpec, build_pdf
from ..meeting_data import MEETING_KINDS, MeetingPrint, SupervisionReport, SupervisionSheet
from ...domain.docnumbers import is_provisional

_DIGITS = "零一二三四五六七八九"
BLANK = "_" * 10
BLANK_NUMBER = "〔____〕第____期"


def cn_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 105 -> 一百零五 (item numbers: 一、二、…)."""
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    tail = "" if rest == 0 else ("零" + _DIGITS[rest] if rest < 10 else
                                 (_DIGITS[1] if rest < 20 else "") + cn_numeral(rest))
    return _DIGITS[hundreds] + "百" + tail if hundreds < 10 else str(n)


def number_text(number: str | None) -> str:
    """The meeting's number as printed: "〔2026〕第3期", 待分配（临时…）, or a blank to fill in."""
    return shown(number) if number and number.strip() else BLANK_NUMBER


def kind_label(kind: str) -> str:
    return MEETING_KINDS.get(kind, kind or "")


def when_text(m: MeetingPrint) -> str:
    return cn_date(m.starts_at, time=True) if m.starts_at else BLANK


@dataclass(frozen=True)
class DraftReason:
    """Why a document is a draft, in the words of the watermark (note), the banner above the text and the notice
    shown by the preview and `fx-desktop print`."""

    note: str
    banner: str
    notice: str


PROVISIONAL = DraftReason(draft.WATERMARK_NOTE, draft.BANNER, draft.NOTICE)
NO_MEETING_NUMBER = DraftReason("会议期号未确定", "草稿 — 会议尚未编号（期号待定），不作正式文书使用",
                                "本会议尚未编号（期号待定），打印件标注为草稿。编定期号后重新打印即为正式文书。")
NO_SHEET_NUMBER = DraftReason("督办单尚未编号", "草稿 — 督办单尚未编号签发，不作正式文书使用",
                              "督办单尚未编号签发，打印件标注为草稿。签发（编号）后重新打印即为正式督办单。")


def unsigned_minutes(status: str, no_number: bool) -> DraftReason:
    more = "，期号未确定" if no_number else ""
    return DraftReason("纪要尚未签发", f"草稿 — 纪要{status or '草稿'}，尚未签发{more}，不作正式文书使用",
                       f"本纪要尚未签发（{status or '草稿'}）{more}，打印件标注为草稿。签发后重新打印即为正式纪要。")


def meeting_draft(m: MeetingPrint) -> DraftReason | None:
    """Notice, agenda, sign-in sheet, agreed-items list: a draft while the meeting has no official number."""
    if is_provisional(m.number):
        return PROVISIONAL
    if not (m.number or "").strip():
        return NO_MEETING_NUMBER
    return None


def minutes_draft(m: MeetingPrint) -> DraftReason | None:
    """The 纪要: a draft until signed off, and while the meeting has no official number."""
    if m.minutes_status != "已签发":
        return unsigned_minutes(m.minutes_status, not (m.number or "").strip() or is_provisional(m.number))
    return meeting_draft(m)


def sheet_draft(s: SupervisionSheet) -> DraftReason | None:
    if is_provisional(s.number):
        return PROVISIONAL
    if not (s.number or "").strip():
        return NO_SHEET_NUMBER
    return None


def report_draft(r: SupervisionReport) -> DraftReason | None:
    return PROVISIONAL if is_provisional(r.number) else None


def spec_with(reason: DraftReason | None, **kw) -> PageSpec:
    """blocks.page_spec, marked as a draft for `reason` when there is one."""
    if reason is None:
        return page_spec(**kw)
    return page_spec(draft=True, draft_note=reason.note, draft_banner=reason.banner, **kw)


def build_alone(section, data, fonts) -> bytes:
    """A form's PDF on its own: `section(sheet, data)` gives its story and footer."""
    sh = Sheet(fonts or load_fonts())
    story, spec = section(sh, data)
    return build_pdf(story, spec, sh.fonts, sh.texts)


def heading(sh: Sheet, text: str) -> list:
    """A level-1 heading (黑体) never left alone at the foot of a page."""
    return [CondPageBreak(3 * LINE), sh.para(text, "h1", "标题")]


def subtitle(sh: Sheet, m: MeetingPrint) -> list:
    """The meeting's name and number under a form's title."""
    parts = [m.title or BLANK, number_text(m.number)]
    return [sh.para("　".join(parts), "body_center", "会议名称")]


def meeting_form(form_name: str, title: str, story, *, draft_reason=meeting_draft, show_total: bool = False):
    """What every form of one meeting provides beside its story: the numbers it prints (the meeting's), why it is a
    draft, its section (the story and the footer, alone or bound in the pack) and the form built alone.
    `story(sh, m)` may be defined after the call: it is looked up when a section is made."""

    def numbers(m: MeetingPrint) -> tuple[str | None, ...]:
        return (m.number,)

    def section(sh: Sheet, m: MeetingPrint) -> tuple[list, PageSpec]:
        spec = spec_with(draft_reason(m), data=m, form_name=form_name, title=title, number_label="期号",
                         number=m.number, **({"show_total": True} if show_total else {}))
        return story(sh, m), spec

    def build(m: MeetingPrint, *, fonts=None) -> bytes:
        return build_alone(section, m, fonts)

    return numbers, draft_reason, section, build
