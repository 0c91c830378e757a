"""The printable forms by ASCII id: `FORMS[name].build(dossier, fonts=None) -> bytes`, or `build_form(name, ...)`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from fx_desktop.domain.errors import DomainError

from ..data import ReviewDossier
from ..draft import is_draft
from . import case_briefing, review_opinion, review_request


@dataclass(frozen=True)
class FormSpec:
    name: str  # ASCII id, used in file names and settings
    title: str  # Chinese title, as printed
    build: Callable[..., bytes]  # build(dossier, *, fonts=None) -> PDF bytes
    numbers: Callable[[ReviewDossier], tuple]  # the document numbers it prints (case number, opinion number)


FORMS: dict[str, FormSpec] = {m.FORM_NAME: FormSpec(m.FORM_NAME, m.TITLE, m.build, m.numbers)
                              for m in (review_request, review_opinion, case_briefing)}


def _spec(name: str) -> FormSpec:
    spec = FORMS.get(name)
    if spec is None:
        valid = "、".join(f"{s.name}（{s.title}）" for s in FORMS.values())
        raise DomainError(f"没有名为“{name}”的打印表单。可用的表单：{valid}。", field="form")
    return spec


def prints_as_draft(names, dossier: ReviewDossier) -> bool:
    """Whether any of forms `names` would print as a draft: a number it shows is still provisional."""
    return any(is_draft(_spec(name).numbers(dossier)) for name in names)


def build_form(name: str, dossier: ReviewDossier, fonts=None) -> bytes:
    """PDF bytes of form `name`; DomainError naming the valid forms for an unknown one."""
    return _spec(name).build(dossier, fonts=fonts)
