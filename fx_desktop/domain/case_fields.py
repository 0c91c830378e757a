"""The catalogue of a case's own fields (what the editor shows, what `update_case` may change, what a pulled case
carries in `fields`), in one place. Every list of case fields elsewhere is derived from it: the editor's row
order, fx-bureau's editable keys, the client's pulled columns, the conflict panel's labels and the benchmark's
columns. Order: as the case form lists them.

Kinds: text (one line), multiline, date, datetime, decimal, choice (one of a few keys), list (of keys),
officers ([[姓名, 执法证号], ...], the only field not stored as a column of the case itself)."""
from __future__ import annotations

from dataclasses import dataclass

from .text_limits import TEXT_LIMITS

TEXT, MULTILINE, DATE, DATETIME, DECIMAL, CHOICE, LIST, OFFICERS = (
    "text", "multiline", "date", "datetime", "decimal", "choice", "list", "officers")


@dataclass(frozen=True)
class CaseField:
    name: str
    label: str  # as the user knows the field (refusals, conflicts, the timeline)
    kind: str
    editable: bool = True  # a user changes it in the case form (update_case)
    searchable: bool = False  # in the register's full-text index
    decision: bool = False  # what a legal reviewer agreed to: a change after 同意 takes the pass back
    limit: str | None = None  # key in domain.text_limits.TEXT_LIMITS of a typed text
    derived: bool = False  # filled in by validation from another field, not typed: no row in the form

    @property
    def column(self) -> bool:
        """Stored as a column of the case (officers are rows of their own)."""
        return self.kind != OFFICERS


def _text(name: str, kind: str = TEXT, **flags) -> CaseField:
    """A typed text: its label comes with its length limit from domain.text_limits (one spelling)."""
    return CaseField(name, TEXT_LIMITS[name].label, kind, limit=name, **flags)


CASE_FIELDS: tuple[CaseField, ...] = (
    _text("source"),
    _text("category"),
    _text("cause", searchable=True),
    CaseField("party_kind", "当事人类型", CHOICE, decision=True),
    _text("party_name", searchable=True, decision=True),
    _text("party_id_number", searchable=True, decision=True),
    CaseField("party_sex", "当事人性别", TEXT, derived=True),  # from the citizen ID
    CaseField("party_birth_date", "当事人出生日期", DATE, derived=True),
    _text("party_legal_rep"),
    _text("party_address"),
    _text("party_phone"),
    _text("place", searchable=True),
    CaseField("occurred_at", "案发时间", DATETIME),
    _text("facts", MULTILINE, searchable=True, decision=True),
    _text("legal_basis", MULTILINE, decision=True),
    _text("proposed_penalty", decision=True),
    _text("proposed_amount", DECIMAL, decision=True),
    CaseField("final_penalty", "决定的处罚", TEXT, editable=False),
    CaseField("final_amount", "决定的罚款金额", DECIMAL, editable=False),
    CaseField("circumstances", "重大执法情形", LIST, decision=True),
    CaseField("officers", "承办人员", OFFICERS, decision=True),
)
BY_NAME: dict[str, CaseField] = {f.name: f for f in CASE_FIELDS}

FIELD_LABELS: dict[str, str] = {f.name: f.label for f in CASE_FIELDS}
EDITABLE: tuple[str, ...] = tuple(f.name for f in CASE_FIELDS if f.editable)  # officers included
EDITABLE_COLUMNS: tuple[str, ...] = tuple(f.name for f in CASE_FIELDS if f.editable and f.column)
COLUMNS: tuple[str, ...] = tuple(f.name for f in CASE_FIELDS if f.column)  # what a pulled case's `fields` holds
FORM_FIELDS: tuple[str, ...] = tuple(f.name for f in CASE_FIELDS if f.editable and not f.derived)  # editor rows
TEXT_FIELDS: tuple[str, ...] = tuple(f.name for f in CASE_FIELDS if f.limit)
SEARCHABLE: tuple[str, ...] = tuple(f.name for f in CASE_FIELDS if f.searchable)
DECISION_FIELDS: frozenset[str] = frozenset(f.name for f in CASE_FIELDS if f.decision)


def of_kind(*kinds: str) -> tuple[str, ...]:
    return tuple(f.name for f in CASE_FIELDS if f.kind in kinds)


def label(name: str) -> str:
    """The field's label, or its name when it is not a case field."""
    return FIELD_LABELS.get(name, name)
