from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.identifiers import (
    citizen_id_birth_date,
    citizen_id_check_char,
    citizen_id_sex,
    credit_code_check_char,
    make_citizen_id,
    make_credit_code,
    mask_citizen_id,
    mask_party_id,
    validate_citizen_id,
    validate_credit_code,
)

CID = "34052419800101001X"
USCC = "91350100M000100Y43"
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
TODAY = date(2025, 6, 1)


def error(fn, value, **kw) -> str:
    with pytest.raises(DomainError) as exc:
        fn(value, **kw)
    assert exc.value.field == "party_id_number"
    assert str(exc.value) == exc.value.message
    return exc.value.message


# --- errors -----------------------------------------------------------------------------


def test_domain_error_is_value_error_with_message_and_field():
    e = DomainError("出错了", field="x")
    assert isinstance(e, ValueError)
    assert (str(e), e.message, e.field) == ("出错了", "出错了", "x")
    assert DomainError("出错了").field is None


# --- citizen ID -------------------------------------------------------------------------


def test_citizen_id_vector():
    assert validate_citizen_id(CID) == CID
    assert citizen_id_check_char(CID[:17]) == "X"


def test_citizen_id_normalises_case_spaces_and_full_width():
    assert validate_citizen_id(" 340524 19800101 001x ") == CID
    assert validate_citizen_id("３４０５２４１９８００１０１００１ｘ") == CID


def test_citizen_id_birth_date_and_sex():
    assert citizen_id_birth_date(CID) == date(1980, 1, 1)
    assert citizen_id_sex(CID) == "男"  # 17th digit 1 is odd
    woman = make_citizen_id("310120", date(1990, 5, 17), 2)
    assert citizen_id_sex(woman) == "女"
    assert citizen_id_birth_date(woman) == date(1990, 5, 17)


@pytest.mark.parametrize("value", ["", "   ", None])
def test_citizen_id_empty(value):
    assert error(validate_citizen_id, value) == "请填写身份证号码。"


def test_citizen_id_length():
    msg = error(validate_citizen_id, CID[:-1])
    assert "应为 18 位" in msg and "输入了 17 位" in msg
    assert "输入了 19 位" in error(validate_citizen_id, CID + "1")


def test_citizen_id_bad_character_names_position_and_char():
    msg = error(validate_citizen_id, "3405A419800101001X")
    assert "第 5 位“A”" in msg and "最后一位可以是 X" in msg
    assert "第 3 位“X”" in error(validate_citizen_id, "34X52419800101001X")


def test_citizen_id_impossible_birth_date():
    bad = "34052419801301001"
    assert "出生日期 19801301 无效" in error(validate_citizen_id, bad + "0")
    assert "出生日期 19810229 无效" in error(validate_citizen_id, "340524198102290010")


def test_citizen_id_birth_date_in_future_or_before_1900():
    future = make_citizen_id("340524", date(2030, 1, 1), 1)
    assert "出生日期 20300101 晚于今天" in error(validate_citizen_id, future, today=TODAY)
    old = make_citizen_id("340524", date(1899, 12, 31), 1)
    assert "出生日期 18991231 早于 1900 年" in error(validate_citizen_id, old)
    assert validate_citizen_id(make_citizen_id("340524", TODAY, 1), today=TODAY)


def test_citizen_id_wrong_check_digit():
    msg = error(validate_citizen_id, CID[:17] + "1")
    assert "校验位应为 X，实际为 1" in msg


def test_citizen_id_helpers_reject_bad_input():
    for call in (
        lambda: citizen_id_check_char("123"),
        lambda: make_citizen_id("3405", date(1980, 1, 1), 1),
        lambda: make_citizen_id("340524", date(1980, 1, 1), 1000),
    ):
        with pytest.raises(DomainError):
            call()


births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
regions = st.text("0123456789", min_size=6, max_size=6)


@given(regions, births, st.integers(0, 999))
def test_made_citizen_ids_validate(region, birth, seq):
    cid = make_citizen_id(region, birth, seq)
    assert validate_citizen_id(cid, today=TODAY) == cid
    assert citizen_id_birth_date(cid) == birth
    assert citizen_id_sex(cid) == ("男" if seq % 2 else "女")


@given(regions, births, st.integers(0, 999), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_single_character_change_is_rejected(region, birth, seq, pos, char):
    cid = make_citizen_id(region, birth, seq)
    changed = cid[:pos] + char + cid[pos + 1:]
    if changed == cid:
        return
    with pytest.raises(DomainError):
        validate_citizen_id(changed, today=TODAY)


# --- unified social credit code ---------------------------------------------------------


def test_credit_code_vector():
    assert validate_credit_code(USCC) == USCC
    assert validate_credit_code(" 91350100m000100y43 ") == USCC
    assert credit_code_check_char(USCC[:17]) == "3"
    assert make_credit_code(USCC[:17]) == USCC


@pytest.mark.parametrize("value", ["", " ", None])
def test_credit_code_empty(value):
    assert error(validate_credit_code, value) == "请填写统一社会信用代码。"


def test_credit_code_length():
    msg = error(validate_credit_code, USCC[:10])
    assert "应为 18 位" in msg and "输入了 10 位" in msg


@pytest.mark.parametrize("char", list("IOZSV"))
def test_credit_code_illegal_character(char):
    msg = error(validate_credit_code, USCC[:8] + char + USCC[9:])
    assert f"第 9 位“{char}”" in msg
    assert "I、O、Z、S、V" in msg


def test_credit_code_illegal_character_hints_lookalike_digit():
    assert "可能应为数字 0" in error(validate_credit_code, "O1350100M000100Y43")
    assert "第 5 位“-”" in error(validate_credit_code, "9135-100M000100Y43")


def test_credit_code_wrong_check_char():
    assert "校验位应为 3，实际为 4" in error(validate_credit_code, USCC[:17] + "4")


def test_credit_code_check_char_zero_when_sum_divisible():
    # W (28) * 1 + 1 * 3 = 31: check is 31 - 0 -> 31 -> "0".
    assert credit_code_check_char("W1" + "0" * 15) == "0"
    assert validate_credit_code("W1" + "0" * 16) == "W1" + "0" * 16


def test_credit_code_check_char_rejects_bad_input():
    with pytest.raises(DomainError):
        credit_code_check_char("0" * 16 + "I")


uscc_bodies = st.text(USCC_CHARS, min_size=17, max_size=17)


@given(uscc_bodies)
def test_made_credit_codes_validate(body):
    code = make_credit_code(body)
    assert validate_credit_code(code) == code


@given(uscc_bodies, st.integers(0, 17), st.sampled_from(USCC_CHARS))
def test_credit_code_single_character_change_is_rejected(body, pos, char):
    code = make_credit_code(body)
    changed = code[:pos] + char + code[pos + 1:]
    if changed == code:
        return
    with pytest.raises(DomainError):
        validate_credit_code(changed)


# --- masking ----------------------------------------------------------------------------


def test_mask_citizen_id():
    assert mask_citizen_id(CID) == "340524********001X"
    assert mask_citizen_id("1234567") == "***4567"
    assert mask_citizen_id("1234") == "****"
    assert mask_citizen_id("") == ""


def test_mask_party_id():
    assert mask_party_id(CID) == "340524********001X"
    assert mask_party_id(USCC) == USCC
    assert mask_party_id("G12345678") == "*****5678"  # passport etc.: masked


@given(regions, births, st.integers(0, 999))
def test_mask_never_shows_birth_date(region, birth, seq):
    cid = make_citizen_id(region, birth, seq)
    masked = mask_party_id(cid)
    assert masked[6:14] == "********" and masked[:6] == cid[:6] and masked[-4:] == cid[-4:]
