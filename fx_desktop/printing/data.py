"""What the printed forms show, as plain data: built by `services.print_data` from the store, handed to the form
builders (which never touch the database or Qt). A field that is None or empty prints as a blank to fill by hand."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from ..domain import legal_review


@dataclass(frozen=True)
class Party:
    kind: str  # "person" / "org"
    name: str
    id_number: str | None = None  # citizen ID or unified social credit code, printed in full on forms
    sex: str | None = None
    birth_date: date | None = None
    legal_rep: str | None = None
    address: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class CaseSheet:
    """A case as every case form prints it."""

    number: str
    agency: str  # issuing body, e.g. "上海市奉贤区南桥镇人民政府"
    town_name: str  # e.g. "南桥镇"
    unit: str  # handling unit, e.g. "南桥镇城市管理综合行政执法队"
    cause: str
    category: str
    source: str
    party: Party
    place: str
    occurred_at: datetime | None
    facts: str
    legal_basis: str
    proposed_penalty: str | None
    proposed_amount: Decimal | None
    circumstances: tuple[str, ...] = ()  # labels of the ticked circumstances (听证, 拆除, 涉嫌犯罪 ...)
    major_reasons: tuple[str, ...] = ()  # why this is a major decision, in words; empty: not major
    officers: tuple[tuple[str, str], ...] = ()  # (name, certificate number)
    status: str = ""  # Chinese label
    opened_on: date | None = None
    filed_on: date | None = None
    decision_due: date | None = None
    evidence: tuple[tuple[str, str, datetime | None], ...] = ()  # (kind label, file name, captured at)


@dataclass(frozen=True)
class Material:
    label: str  # e.g. "案卷材料"
    provided: bool
    note: str = ""  # e.g. "未举行听证，无需提供"


@dataclass(frozen=True)
class Submission:
    """One round of submission for legal review (a returned case is resubmitted as a new round). `materials` are
    what this round submitted (provided), plus any required one it lacks (not provided); nothing else."""

    round_no: int
    submitted_at: datetime | None
    submitted_by: str
    materials: tuple[Material, ...]
    report: str  # the review request report: what is asked and why
    accepted_on: date | None = None
    due_on: date | None = None  # after any extension
    extension_reason: str | None = None


@dataclass(frozen=True)
class Criterion:
    label: str  # one of the eight criteria of DOMAIN.md section 4
    passed: bool | None  # None: not assessed yet (blank boxes)
    note: str = ""


@dataclass(frozen=True)
class Opinion:
    """The reviewer's answer to one round; fields are None/empty until the review is made."""

    number: str | None = None  # 法制审核意见书 document number
    criteria: tuple[Criterion, ...] = ()
    outcome: str | None = None  # "同意" / "建议修改后再报" / "不同意"
    text: str = ""  # the detailed written opinion
    reviewer: str | None = None
    reviewed_at: datetime | None = None
    head: str | None = None  # head of the review office, signs on paper


@dataclass(frozen=True)
class PastRound:
    round_no: int
    submitted_at: datetime | None
    outcome: str | None
    reviewer: str | None
    reviewed_at: datetime | None
    opinion: str


OUTCOMES = tuple(o.label for o in legal_review.Outcome)  # 同意 / 建议修改后再报 / 不同意
CRITERIA = tuple(label for _, label in legal_review.CRITERIA)  # the eight criteria, in the order printed
# (passed, not passed) wording per criterion label: 符合 / 不符合, or words of its own where those would mislead
CRITERION_ANSWERS = {label: legal_review.criterion_answers(key) for key, label in legal_review.CRITERIA}


def _usual_materials() -> tuple[str, ...]:
    return tuple(legal_review.MATERIAL_LABELS[k] for k in legal_review.required_materials())


@dataclass(frozen=True)
class ReviewDossier:
    """Everything the review forms print: the case, the current round and the answer to it, earlier rounds."""

    case: CaseSheet
    submission: Submission | None = None
    opinion: Opinion = field(default_factory=Opinion)
    history: tuple[PastRound, ...] = ()
    printed_at: datetime | None = None
    # what this case must submit (the hearing record only after a hearing): the rows of a blank request form
    expected_materials: tuple[str, ...] = field(default_factory=_usual_materials)
