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


@dataclass(frozen=True)
class FormSpec:
    name: str  # ASCII id, used in file names and settings
    title: str  # Chinese title, as printed
    build: Callable[..., bytes]  # build(data, *, fonts=None) -> PDF bytes
    numbers: Callable[..., tuple]  # the document numbers it prints (case number, opinion / referral number)
    data_type: type = ReviewDossier  # what it is built from
    subject: str = "案件"  # what that is, in words, for messages


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
# what `fx-desktop print --list-forms` lists
ALL_FORMS: dict[str, FormSpec] = {**FORMS, **REFERRAL_FORMS, **POLICE_FORMS, **CRIME_FORMS}


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
    """Whether any of forms `names` would print as a draft: a number it shows is still provisional."""
    return any(is_draft(_spec(name, data).numbers(data)) for name in names)


def build_form(name: str, data, fonts=None) -> bytes:
    """PDF bytes of form `name` built from `data` (a ReviewDossier or a ReferralPrint, as the form needs);
    DomainError naming the valid forms for an unknown one."""
    return _spec(name, data).build(data, fonts=fonts)
