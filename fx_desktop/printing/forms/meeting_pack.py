"""The meeting pack (DOMAIN.md §6): one PDF, in this order and with a bookmark each, of the notice, the agenda, the
sign-in sheet, the case briefing sheet of every case on the agenda, the 纪要, the agreed-items list and one 督办单
per agreed item — the meeting's own sheet where it has been issued (`supervision`, in the items' order), else a
sheet pre-filled from the agreed item, unnumbered and so a draft. Each part is built by its own form, so its pages,
numbering and verification code are the same as when it is printed alone."""
from __future__ import annotations

from ..blocks import Sheet
from ..draft import is_draft, shown
from ..fonts import load_fonts
from ..layout import Section, build_sections
from ..meeting_data import AgreedItem, MeetingPrint, SupervisionSheet
from . import case_briefing, meeting_agenda, meeting_items, meeting_minutes, meeting_notice, meeting_signin
from . import supervision_sheet
from .meeting_common import DraftReason, PROVISIONAL, cn_numeral, minutes_draft, sheet_draft, spec_with

FORM_NAME = "meeting-pack"
TITLE = "会议材料（合订）"
BEFORE_CASES = (meeting_notice, meeting_agenda, meeting_signin)
AFTER_CASES = (meeting_minutes, meeting_items)


def numbers(m: MeetingPrint) -> tuple[str | None, ...]:
    return (m.number, *(d.case.number for d in m.cases), *(s.number for s in sheets(m)))


def sheets(m: MeetingPrint) -> list[SupervisionSheet]:
    """One 督办单 per agreed item: the issued one where there is one, else one pre-filled from the item. The data
    gives one sheet per item in the items' order; when it holds fewer (some not issued yet), a sheet goes with the
    item whose matter it supervises."""
    issued = list(m.supervision)
    if len(issued) == len(m.agreed):
        return issued
    by_matter: dict[str, SupervisionSheet] = {}
    for s in issued:
        by_matter.setdefault(s.matter.strip(), s)
    return [by_matter.get(item.matter.strip()) or prefilled(m, item) for item in m.agreed]


def prefilled(m: MeetingPrint, item: AgreedItem) -> SupervisionSheet:
    where = f"{m.number}纪要" if m.number else f"{m.title or '会议'}纪要"
    return SupervisionSheet(number=None, matter=item.matter, source=f"{where}议定事项第{cn_numeral(item.no)}项",
                            deadline=item.deadline, responsible_unit=item.lead_unit, leader="", handler="",
                            issued_by=m.organiser, status=item.status)


def draft_reason(m: MeetingPrint):
    """Why the pack is a draft: the first part's reason in print order marks the pack's metadata, and the notice
    gives every distinct reason of its parts (the 纪要 unsigned and the 督办单 not issued, say)."""
    reasons = [meeting_notice.draft_reason(m), *(case_briefing_reason(d) for d in m.cases), minutes_draft(m),
               *(sheet_draft(s) for s in sheets(m))]
    found = list(dict.fromkeys(r for r in reasons if r is not None))
    if not found:
        return None
    return DraftReason(found[0].note, found[0].banner, "".join(r.notice for r in found))


def case_briefing_reason(dossier):
    return PROVISIONAL if is_draft(case_briefing.numbers(dossier)) else None


def parts(m: MeetingPrint, fonts) -> list[tuple[str, bytes]]:
    """Each part as its own PDF (bookmark title, bytes), in the pack's order: what the pack binds, page for page."""
    out = [(mod.TITLE, mod.build(m, fonts=fonts)) for mod in BEFORE_CASES]
    out += [(case_title(d), case_briefing.build(d, fonts=fonts)) for d in m.cases]
    out += [(mod.TITLE, mod.build(m, fonts=fonts)) for mod in AFTER_CASES]
    out += [(sheet_title(item), supervision_sheet.build(s, fonts=fonts)) for item, s in zip(m.agreed, sheets(m))]
    return out


def case_title(dossier) -> str:
    return f"{case_briefing.TITLE}（{shown(dossier.case.number)}）"


def sheet_title(item: AgreedItem) -> str:
    return f"{supervision_sheet.TITLE}（议定事项{cn_numeral(item.no)}）"


def build(m: MeetingPrint, *, fonts=None) -> bytes:
    """The pack as one layout: every part a section with its own footer and bookmark (layout.build_sections), so
    the fonts are embedded once and no page is copied; the pages are those each part prints alone."""
    sh = Sheet(fonts or load_fonts())
    sections = [Section(mod.TITLE, *mod.section(sh, m)) for mod in BEFORE_CASES]
    sections += [Section(case_title(d), *case_briefing.section(sh, d)) for d in m.cases]
    sections += [Section(mod.TITLE, *mod.section(sh, m)) for mod in AFTER_CASES]
    sections += [Section(sheet_title(item), *supervision_sheet.section(sh, s)) for item, s in zip(m.agreed, sheets(m))]
    reason = draft_reason(m)
    spec = spec_with(reason, data=m, form_name=FORM_NAME, title=TITLE, number_label="期号", number=m.number)
    return build_sections(sections, spec, sh.fonts, sh.texts)
