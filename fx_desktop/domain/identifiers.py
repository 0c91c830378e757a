"""Party identifiers: citizen ID numbers (GB 11643) and unified social credit codes (GB 32100).

Input is normalised before checking: NFKC folds full-width characters typed with a Chinese
input method (``３４０５``, ``Ｘ``) to ASCII, all whitespace is removed and letters are
uppercased. Rejections name the position and character at fault where there is one: the clerk
is usually copying from a paper ID card or a business licence.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from .errors import DomainError

FIELD = "party_id_number"

_DIGITS = "0123456789"

# GB 11643-1999
_CID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CID_CHECK = "10X98765432"

# GB 32100-2015
_USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_CHARSET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
# Letters excluded from the charset that a clerk most likely meant as a digit.
_USCC_LOOKALIKE = {"O": "0", "I": "1", "Z": "2", "S": "5"}


def _normalise(value: str) -> str:
    value = unicodedata.normalize("NFKC", value or "")
    return "".join(value.split()).upper()


# --- citizen ID -------------------------------------------------------------------------


def citizen_id_check_char(first17: str) -> str:
    """Check character for the first 17 digits of a citizen ID."""
    if len(first17) != 17 or any(c not in _DIGITS for c in first17):
        raise DomainError("计算校验位需要身份证号码的前 17 位数字。", field=FIELD)
    total = sum(int(c) * w for c, w in zip(first17, _CID_WEIGHTS))
    return _CID_CHECK[total % 11]


def make_citizen_id(region6: str, birth: date, seq3: int) -> str:
    """Build a citizen ID with a correct check character (for demo data and tests)."""
    if len(region6) != 6 or any(c not in _DIGITS for c in region6):
        raise DomainError("地区码应为 6 位数字。", field=FIELD)
    if not 0 <= seq3 <= 999:
        raise DomainError("顺序码应在 000 到 999 之间。", field=FIELD)
    first17 = f"{region6}{birth.year:04d}{birth.month:02d}{birth.day:02d}{seq3:03d}"
    return first17 + citizen_id_check_char(first17)


def validate_citizen_id(value: str, *, today: date | None = None) -> str:
    """Check an 18-character citizen ID and return it normalised (uppercase X).

    ``today`` is only for tests; the birth date must not be later than it.
    """
    cid = _normalise(value)
    if not cid:
        raise DomainError("请填写身份证号码。", field=FIELD)
    if len(cid) != 18:
        raise DomainError(
            f"身份证号码应为 18 位，您输入了 {len(cid)} 位，请核对是否漏输或多输。", field=FIELD
        )
    for pos, c in enumerate(cid, start=1):
        if c in _DIGITS or (pos == 18 and c == "X"):
            continue
        raise DomainError(
            f"身份证号码第 {pos} 位“{c}”不正确：只能是数字，最后一位可以是 X。", field=FIELD
        )
    raw_birth = cid[6:14]
    try:
        birth = date(int(raw_birth[:4]), int(raw_birth[4:6]), int(raw_birth[6:]))
    except ValueError:
        raise DomainError(
            f"出生日期 {raw_birth} 无效，请核对身份证号码第 7 至 14 位。", field=FIELD
        ) from None
    if birth.year < 1900:
        raise DomainError(
            f"出生日期 {raw_birth} 早于 1900 年，请核对身份证号码第 7 至 14 位。", field=FIELD
        )
    if birth > (today or date.today()):
        raise DomainError(
            f"出生日期 {raw_birth} 晚于今天，请核对身份证号码第 7 至 14 位。", field=FIELD
        )
    expected = citizen_id_check_char(cid[:17])
    if cid[17] != expected:
        raise DomainError(
            f"身份证号码校验位应为 {expected}，实际为 {cid[17]}，号码中可能有一位输错，请逐位核对。",
            field=FIELD,
        )
    return cid


def citizen_id_birth_date(value: str) -> date:
    """Birth date encoded in a (valid) citizen ID."""
    cid = validate_citizen_id(value)
    return date(int(cid[6:10]), int(cid[10:12]), int(cid[12:14]))


def citizen_id_sex(value: str) -> str:
    """``"男"`` or ``"女"``: the 17th digit is odd for men, even for women."""
    cid = validate_citizen_id(value)
    return "男" if int(cid[16]) % 2 else "女"


# --- unified social credit code ---------------------------------------------------------


def credit_code_check_char(first17: str) -> str:
    """Check character for the first 17 characters of a unified social credit code."""
    if len(first17) != 17 or any(c not in _USCC_VALUE for c in first17):
        raise DomainError("计算校验位需要统一社会信用代码的前 17 位有效字符。", field=FIELD)
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS))
    return _USCC_CHARSET[(31 - total % 31) % 31]


def make_credit_code(first17: str) -> str:
    """Append the check character (for demo data and tests)."""
    return first17 + credit_code_check_char(first17)


def validate_credit_code(value: str) -> str:
    """Check an 18-character unified social credit code and return it uppercased."""
    code = _normalise(value)
    if not code:
        raise DomainError("请填写统一社会信用代码。", field=FIELD)
    if len(code) != 18:
        raise DomainError(
            f"统一社会信用代码应为 18 位，您输入了 {len(code)} 位，请核对是否漏输或多输。",
            field=FIELD,
        )
    for pos, c in enumerate(code, start=1):
        if c in _USCC_VALUE:
            continue
        hint = f"（这里可能应为数字 {_USCC_LOOKALIKE[c]}）" if c in _USCC_LOOKALIKE else ""
        raise DomainError(
            f"统一社会信用代码第 {pos} 位“{c}”不是有效字符{hint}：代码只由数字和大写字母组成，"
            "且从不使用字母 I、O、Z、S、V。",
            field=FIELD,
        )
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise DomainError(
            f"统一社会信用代码校验位应为 {expected}，实际为 {code[17]}，代码中可能有一位输错，请逐位核对。",
            field=FIELD,
        )
    return code


# --- masking ----------------------------------------------------------------------------


def mask_citizen_id(value: str) -> str:
    """Mask a citizen ID for display: ``340524********001X``.

    Anything that is not 18 characters keeps only its last 4; values of 4 characters or
    fewer are masked completely, since showing "the last 4" would show everything.
    """
    text = "".join((value or "").split())
    if len(text) == 18:
        return text[:6] + "*" * 8 + text[-4:]
    if len(text) <= 4:
        return "*" * len(text)
    return "*" * (len(text) - 4) + text[-4:]


def mask_party_id(value: str) -> str:
    """Mask a party's ID number unless it is a (public) unified social credit code.

    Anything that is not a valid credit code, or that is also a valid citizen ID, is
    treated as personal data and masked.
    """
    try:
        code = validate_credit_code(value)
    except DomainError:
        return mask_citizen_id(value)
    try:
        validate_citizen_id(code)
    except DomainError:
        return value
    return mask_citizen_id(value)
