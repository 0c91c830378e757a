"""The printable forms by ASCII id. `FORMS`: the forms of a case, built from a `ReviewDossier`; `REFERRAL_FORMS`:
the forms of a referral, built from a `ReferralPrint`. `build_form(name, data, fonts=None)` builds either kind and
says so in Chinese when `data` is not what the form prints from."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from fx_desktop.domain.errors import DomainError

from ..data import ReviewDossier
from ..draft import is_draft
from ..crime_data import CrimePrint
from ..police_data import PolicePrint
from ..referral_data import ReferralPrint
from . import case_briefing, referral_items, referral_letter, referral_receipt, review_opinion, review_request
from . import crime_handover, crime_items, crime_letter, crime_package, crime_report
from . import police_letter, police_record
from ..meeting_data import MeetingPrint, SupervisionReport, SupervisionSheet
from . import meeting_agenda, meeting_items, meeting_minutes, meeting_notice, meeting_pack, meeting_signin
from . import supervision_report, supervision_sheet


@dataclass(frozen=True)
class FormSpec:
    name: str  # ASCII id, used in file names and settings
    title: str  # Chinese title, as printed
    build: Callable[..., bytes]  # build(data, *, fonts=None) -> PDF bytes
    numbers: Callable[..., tuple]  # the document numbers it prints (case number, opinion / referral number)
    data_type: type = ReviewDossier  # what it is built from
    subject: str = "案件"  # what that is, in words, for messages
    # why it prints as a draft (meeting_common.DraftReason) or None; forms without it: a provisional number
    draft_reason: Callable[..., object] | None = None


FORMS: dict[str, FormSpec] = {m.FORM_NAME: FormSpec(m.FORM_NAME, m.TITLE, m.build, m.numbers)
                              for m in (review_request, review_opinion, case_briefing)}
REFERRAL_FORMS: dict[str, FormSpec] = {
    m.FORM_NAME: FormSpec(m.FORM_NAME, m.TITLE, m.build, m.numbers, ReferralPrint, "移送记录")
    for m in (referral_letter, referral_items, referral_receipt)}
POLICE_FORMS: dict[str, FormSpec] = {
    m.FORM_NAME: FormSpec(m.FORM_NAME, m.TITLE, m.build, m.numbers, PolicePrint, "公安协助申请")
    for m in (police_letter, police_record)}
CRIME_FORMS: dict[str, FormSpec] = {
    m.FORM_NAME: FormSpec(m.FORM_NAME, m.TITLE, m.build, m.numbers, CrimePrint, "涉嫌犯罪案件移送记录")
    for m in (crime_letter, crime_items, crime_report, crime_handover, crime_package)}
MEETING_FORMS: dict[str, FormSpec] = {
    m.FORM_NAME: FormSpec(m.FORM_NAME, m.TITLE, m.build, m.numbers, MeetingPrint, "会议", m.draft_reason)
    for m in (meeting_notice, meeting_agenda, meeting_signin, meeting_minutes, meeting_items, meeting_pack)}
SUPERVISION_FORMS: dict[str, FormSpec] = {
    m.FORM_NAME: FormSpec(m.FORM_NAME, m.TITLE, m.build, m.numbers, SupervisionSheet, "督办单", m.draft_reason)
    for m in (supervision_sheet,)}
REPORT_FORMS: dict[str, FormSpec] = {
    m.FORM_NAME: FormSpec(m.FORM_NAME, m.TITLE, m.build, m.numbers, SupervisionReport, "督办通报", m.draft_reason)
    for m in (supervision_report,)}
# what `fx-desktop print --list-forms` lists
ALL_FORMS: dict[str, FormSpec] = {**FORMS, **REFERRAL_FORMS, **POLICE_FORMS, **CRIME_FORMS, **MEETING_FORMS,
                                  **SUPERVISION_FORMS, **REPORT_FORMS}


def _spec(name: str, data=None) -> FormSpec:
    spec = ALL_FORMS.get(name)
    if spec is None:
        valid = "、".join(f"{s.name}（{s.title}）" for s in ALL_FORMS.values())
        raise DomainError(f"没有名为“{name}”的打印表单。可用的表单：{valid}。", field="form")
    if data is not None and not isinstance(data, spec.data_type):
        raise DomainError(f"“{spec.title}”（{spec.name}）是{spec.subject}的文书，请选择一条{spec.subject}后再打印。",
                          field="form")
    return spec


def form_spec(name: str) -> FormSpec:
    """The form named `name`; DomainError naming the valid forms for an unknown one."""
    return _spec(name)


def prints_as_draft(names, data) -> bool:
    """Whether any of forms `names` would print as a draft: a number it shows is still provisional (or, for the
    meeting and supervision forms, their own reason: minutes not signed off, no number yet)."""
    return draft_notice(names, data) is not None


def draft_notice(names, data) -> str | None:
    """Why forms `names` print as a draft, in words for the preview and `fx-desktop print`; None when none does."""
    from ..draft import NOTICE

    for name in names:
        spec = _spec(name, data)
        if spec.draft_reason is not None:
            reason = spec.draft_reason(data)
            if reason is not None:
                return reason.notice
        elif is_draft(spec.numbers(data)):
            return NOTICE
    return None


def build_form(name: str, data, fonts=None) -> bytes:
    """PDF bytes of form `name` built from `data` (a ReviewDossier or a ReferralPrint, as the form needs);
    DomainError naming the valid forms for an unknown one."""
    return _spec(name, data).build(data, fonts=fonts)
