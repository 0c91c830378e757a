"""What a user types into the case editor, and its validation: every problem at once, each naming its field."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from .errors import DomainError
from .identifiers import (
    citizen_id_birth_date,
    citizen_id_sex,
    validate_citizen_id,
    validate_credit_code,
)
from .case_fields import FIELD_LABELS
from .legal_review import ReviewRules
from .text_limits import TEXT_LIMITS, measured_text
from .timestamps import parse_time

PERSON, ORG = "person", "org"

MAX_AMOUNT = Decimal("1000000000000")  # the column holds 14 digits, 2 after the point
MANDATORY = ("source", "cause", "category", "party_name", "place", "occurred_at")


@dataclass
class Officer:
    name: str
    cert_no: str


@dataclass
class CaseDraft:
    source: str = ""
    cause: str = ""
    category: str = ""
    party_kind: str = PERSON
    party_name: str = ""
    party_id_number: str = ""
    party_legal_rep: str = ""
    party_address: str = ""
    party_phone: str = ""
    place: str = ""
    occurred_at: datetime | None = None
    facts: str = ""
    legal_basis: str = ""
    proposed_penalty: str = ""
    proposed_amount: str = ""  # as typed; parsed by validate()
    officers: list[Officer] = field(default_factory=list)
    circumstances: list[str] = field(default_factory=list)  # keys of ReviewRules.circumstances


@dataclass(frozen=True)
class CleanCase:
    """A validated draft: the column values to store, plus officers."""

    columns: dict
    officers: list[Officer]


def validate(draft: CaseDraft, *, today: date | None = None, rules: ReviewRules | None = None) -> CleanCase:
    """Return the cleaned values or raise DraftInvalid holding one DomainError per faulty field."""
    errors: list[DomainError] = []
    cols: dict = {}
    try:
        cols["circumstances"] = (rules or ReviewRules()).check_circumstances(draft.circumstances)
    except DomainError as exc:
        errors.append(exc)
    for f in fields(CaseDraft):
        if f.name in ("officers", "proposed_amount", "occurred_at", "circumstances"):
            continue
        value = getattr(draft, f.name)
        cols[f.name] = _text(f.name, value, errors) if f.name in TEXT_LIMITS else value.strip()
    for name in MANDATORY:
        value = cols.get(name) if name != "occurred_at" else draft.occurred_at
        if value in (None, ""):
            errors.append(DomainError(f"请填写“{FIELD_LABELS[name]}”。", name))
    if cols["party_kind"] not in (PERSON, ORG):
        errors.append(DomainError("当事人类型只能是“个人”或“单位”。", "party_kind"))
    cols.update(party_sex=None, party_birth_date=None)
    if cols["party_id_number"]:
        try:
            if cols["party_kind"] == PERSON:
                cols["party_id_number"] = validate_citizen_id(cols["party_id_number"])
                cols["party_sex"] = citizen_id_sex(cols["party_id_number"])
                cols["party_birth_date"] = citizen_id_birth_date(cols["party_id_number"])
            else:
                cols["party_id_number"] = validate_credit_code(cols["party_id_number"])
        except DomainError as exc:
            errors.append(DomainError(exc.message, "party_id_number"))
    cols["party_id_number"] = cols["party_id_number"] or None
    if draft.occurred_at and draft.occurred_at.date() > (today or date.today()):
        errors.append(DomainError("案发时间不能晚于今天，请核对。", "occurred_at"))
    cols["occurred_at"] = draft.occurred_at
    cols["proposed_amount"] = None
    if draft.proposed_amount.strip():
        try:
            amount = Decimal(draft.proposed_amount.strip().replace(",", "").replace("，", ""))
            if amount < 0 or amount >= MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
                raise InvalidOperation
            cols["proposed_amount"] = amount.quantize(Decimal("0.01"))  # one spelling on every device
        except InvalidOperation:
            errors.append(DomainError("拟罚款金额应为 0 至 999999999999.99 元之间的数字，最多两位小数，"
                                      "例如 5000 或 5000.50。", "proposed_amount"))
    officers = [Officer(_text("officer_name", o.name, errors), _text("officer_cert_no", o.cert_no, errors))
                for o in draft.officers]
    officers = [o for o in officers if o.name or o.cert_no]
    for o in officers:
        if not o.name or not o.cert_no:
            errors.append(DomainError("每位承办人员都须填写姓名和执法证号。", "officers"))
            break
    if len({o.cert_no for o in officers}) != len(officers):
        errors.append(DomainError("承办人员的执法证号有重复，请核对。", "officers"))
    if errors:
        raise DraftInvalid(errors)
    for key in ("party_legal_rep", "party_address", "party_phone", "proposed_penalty"):
        cols[key] = cols[key] or None
    return CleanCase(cols, officers)


def _text(key: str, value: str, errors: list[DomainError]) -> str:
    """The value cleaned as it is stored; a refusal naming the limit joins `errors` when it is too long."""
    value, refusal = measured_text(key, value)
    if refusal and not any(e.message == refusal.message for e in errors):
        errors.append(refusal)
    return value


class DraftInvalid(DomainError):
    def __init__(self, errors: list[DomainError]):
        super().__init__("；".join(e.message for e in errors), errors[0].field)
        self.errors = errors

    @property
    def fields(self) -> set[str]:
        return {e.field for e in self.errors if e.field}


def to_json_value(value):
    """How a cleaned value travels in a sync mutation: dates as ISO text, amounts as decimal text."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def clean_to_json(clean: CleanCase) -> tuple[dict, list[list[str]]]:
    return ({k: to_json_value(v) for k, v in clean.columns.items()},
            [[o.name, o.cert_no] for o in clean.officers])


def officer_from_json(value) -> Officer:
    """[姓名, 执法证号], or {"name", "cert_no"} as outbox entries written before client migration 0003 hold it;
    ValueError for any other shape (fx-bureau's argument schema uses it too)."""
    if isinstance(value, dict):
        name, cert = value.get("name", ""), value.get("cert_no", "")
    elif isinstance(value, (list, tuple)) and len(value) == 2:
        name, cert = value
    else:
        name = cert = None
    if not (isinstance(name, str) and isinstance(cert, str)):
        raise ValueError("应为 [姓名, 执法证号]")
    return Officer(name, cert)


def draft_from_json(values: dict, officers: list) -> CaseDraft:
    """The draft a sync mutation describes, so the server validates it with the same rules as the client.
    Raises DomainError when the values are not even the right shape."""
    try:
        occurred = values.get("occurred_at")
        amount = values.get("proposed_amount")
        text = {f.name: (values.get(f.name) or "") for f in fields(CaseDraft)
                if f.name not in ("officers", "occurred_at", "proposed_amount", "party_kind", "circumstances")}
        circumstances = values.get("circumstances") or []
        if not isinstance(circumstances, list):
            raise TypeError("circumstances 应为列表")
        return CaseDraft(
            circumstances=[str(c) for c in circumstances],
            **{k: str(v) for k, v in text.items()}, party_kind=str(values.get("party_kind") or PERSON),
            occurred_at=parse_time(occurred, "案发时间") if occurred else None,
            proposed_amount="" if amount in (None, "") else str(amount),
            officers=[officer_from_json(o) for o in (officers or [])],
        )
    except (TypeError, ValueError) as exc:
        raise DomainError(f"案件数据格式不正确：{exc}") from exc
