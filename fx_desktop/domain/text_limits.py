"""The length limit of every free-text value a user types and fx-bureau stores, in one catalogue: the client's
widgets stop typing at the limit, its services and fx-bureau's handlers refuse longer text with the same words,
and fx-bureau publishes the numbers at GET /limits. Lengths count characters (a Chinese character is one).
Evidence file names are not here: they are picked, not typed, and clean_name shortens them to MAX_NAME_BYTES
bytes of UTF-8 (published as max_name_bytes), never refuses them."""
from __future__ import annotations

from dataclasses import dataclass

from .errors import DomainError
from .text_cleaning import clean_text

MAX_REQUEST_BYTES = 8 * 1024**2  # fx-bureau's default request-body limit for JSON (uploads have their chunk size)


@dataclass(frozen=True)
class TextLimit:
    key: str
    label: str  # as the user knows the field, for the refusal
    max_chars: int
    multiline: bool = False
    field: str = ""  # the form field a refusal points at; the key when empty

    def message(self, length: int, label: str | None = None) -> str:
        return f"{label or f'“{self.label}”'}不能超过 {self.max_chars} 个字，现有 {length} 个字，请精简后再保存。"


_CATALOGUE = (
    # the case (keys are its fields, see domain.case_fields)
    TextLimit("source", "案件来源", 32),
    TextLimit("cause", "案由", 200),
    TextLimit("category", "案件类别", 32),
    TextLimit("party_name", "当事人姓名/名称", 200),
    TextLimit("party_id_number", "证件号码", 32),
    TextLimit("party_legal_rep", "法定代表人", 64),
    TextLimit("party_address", "当事人地址", 200),
    TextLimit("party_phone", "联系电话", 32),
    TextLimit("place", "案发地点", 200),
    TextLimit("facts", "违法事实", 20_000, multiline=True),
    TextLimit("legal_basis", "法律依据", 5_000, multiline=True),
    TextLimit("proposed_penalty", "拟处罚意见", 64),
    TextLimit("proposed_amount", "拟罚款金额", 32),
    TextLimit("officer_name", "承办人员姓名", 64, field="officers"),
    TextLimit("officer_cert_no", "执法证号", 32, field="officers"),
    # legal review rounds
    TextLimit("review_report", "法制审核申请报告", 20_000, multiline=True, field="report"),
    TextLimit("review_opinion", "审核意见", 20_000, multiline=True, field="opinion"),
    TextLimit("criterion_note", "审核项说明", 2_000, field="criteria"),
    TextLimit("extension_reason", "延长审核期限的理由", 2_000, multiline=True, field="reason"),
    # referrals (domain/referral.py)
    TextLimit("referral_reason", "移送理由", 5_000, multiline=True, field="reason"),
    TextLimit("referral_legal_basis", "移送的法律依据", 5_000, multiline=True, field="legal_basis"),
    TextLimit("referral_summary", "违法行为概要", 20_000, multiline=True, field="summary"),
    TextLimit("material_title", "材料名称", 200, field="materials"),
    TextLimit("item_text", "移送物品的描述", 200, field="items"),
    TextLimit("contact_name", "联系人", 64, field="contact"),
    TextLimit("contact_phone", "联系电话", 32, field="contact"),
    TextLimit("referral_answer", "理由或说明", 5_000, multiline=True, field="reason"),
    TextLimit("their_number", "接收单位的案件编号", 64, field="their_number"),
    TextLimit("missing_materials", "缺少的材料", 2_000, multiline=True, field="missing"),
    # police assistance requests (domain/police_request.py)
    TextLimit("police_place", "地点", 200, field="place"),
    TextLimit("police_short", "公安协助申请的简短字段（当事人、警情编号、民警姓名或警号等）", 200),
    TextLimit("police_text", "公安协助申请的说明", 5_000, multiline=True),
    # criminal referrals (domain/criminal_referral.py)
    TextLimit("crime_report", "涉嫌犯罪案件情况的调查报告", 20_000, multiline=True, field="report"),
    TextLimit("crime_suspicion", "涉嫌罪名及移送依据", 2_000, multiline=True, field="suspicion"),
    TextLimit("crime_text", "说明", 5_000, multiline=True, field="reason"),
    TextLimit("crime_short", "名称或编号", 200),
    # meetings and consultation items (domain/meeting.py)
    TextLimit("meeting_short", "会议的简短字段（名称、地点、主持人、单位、姓名、职务、电话等）", 200),
    TextLimit("meeting_text", "会议说明或纪要正文", 20_000, multiline=True),
    TextLimit("meeting_matter", "事项内容", 2_000, multiline=True, field="matter"),
    # supervision sheets (domain/supervision.py)
    TextLimit("supervision_short", "督办单的简短字段（领导、承办人、附件名称等）", 200),
    TextLimit("supervision_text", "督办事项或办理情况", 5_000, multiline=True),
    # people and devices
    TextLimit("user_name", "姓名", 64, field="name"),
    TextLimit("device_name", "设备名称", 128),
)
TEXT_LIMITS: dict[str, TextLimit] = {limit.key: limit for limit in _CATALOGUE}


def published() -> dict[str, int]:
    """What GET /limits says: the maximum number of characters of each text."""
    return {limit.key: limit.max_chars for limit in _CATALOGUE}


def measured_text(key: str, text, *, label: str | None = None) -> tuple[str, DomainError | None]:
    """The text cleaned as it is stored (see text_cleaning), and the refusal naming the field (or `label`), its
    limit and the length found when it is too long (None when it fits)."""
    limit = TEXT_LIMITS[key]
    value = clean_text("" if text is None else text, multiline=limit.multiline)
    if len(value) > limit.max_chars:
        return value, DomainError(limit.message(len(value), label), limit.field or limit.key)
    return value, None


def checked_text(key: str, text, *, label: str | None = None) -> str:
    """The text cleaned as it is stored, or the DomainError of measured_text."""
    value, refusal = measured_text(key, text, label=label)
    if refusal:
        raise refusal
    return value
