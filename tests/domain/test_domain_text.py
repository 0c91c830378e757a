"""The one cleaning rule and the text-limit catalogue that the client and fx-bureau share."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.text_cleaning import MAX_NAME_BYTES, UNNAMED, clean_json, clean_name, clean_text
from fx_desktop.domain.case_fields import TEXT_FIELDS
from fx_desktop.domain.text_limits import TEXT_LIMITS, checked_text, published

BIDI_AND_HIDDEN = "\u061c\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
# Characters that show nothing or move other text, path separators and names Windows reserves.
nasty = st.sampled_from(list(BIDI_AND_HIDDEN) + ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\r", "\n", "\t", "/",
                                                 "\\", "..", ".", " ", ":", "*", "?", "\u3000", "\ud800", "CON",
                                                 "e\u0301", "\u0301"])
messy = st.lists(st.one_of(st.text(max_size=8), nasty, st.sampled_from(["证据", "照片", ".jpg", "现场"])),
                 max_size=40).map("".join)


def _hidden(ch: str) -> bool:
    return ch in BIDI_AND_HIDDEN or unicodedata.category(ch) in ("Cc", "Cs")


@given(messy)
@example("../../x")
@example("现场照片" * 80 + ".jpg")
@example("a" * 300)
def test_names_are_never_paths_never_hidden_never_empty_and_cleaning_twice_changes_nothing(raw):
    name = clean_name(raw)
    assert name and name == name.strip() and not name.startswith(".") and not name.endswith(".")
    assert not any(c in name for c in '/\\<>:"|?*') and not any(_hidden(c) for c in name)
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert clean_name(name) == name


@given(messy, st.booleans())
def test_text_loses_only_hidden_characters_and_cleaning_twice_changes_nothing(raw, multiline):
    text = clean_text(raw, multiline=multiline)
    allowed = "\n\t" if multiline else ""
    assert not any(_hidden(c) and c not in allowed for c in text) and "\r" not in text
    if multiline:  # a leading ideographic space is a paragraph indent
        assert text == text.rstrip() and not text.startswith((" ", "\t")) and "\n" not in text[:len(text) - len(
            text.lstrip())]
    else:
        assert text == text.strip()
    assert clean_text(text, multiline=multiline) == text


def test_the_first_paragraph_keeps_its_ideographic_indent_like_the_others():
    facts = "　　第一段\n　　第二段"
    assert clean_text(facts) == facts
    assert clean_text(" \r\n\t\n　　第一段 \r\n　　第二段　\n\n ") == "　　第一段 \n　　第二段"
    assert clean_text("　　案由 ", multiline=False) == "案由"  # a one-line field: no indent to keep


@given(st.text(alphabet=st.characters(codec=None, max_codepoint=0x10FFFF), max_size=60), st.booleans())
@example("\x9f\xa0\ud800\udfff\ue000\u200b\x85\x0b", True)
def test_the_one_regex_drops_exactly_the_hidden_characters(raw, multiline):
    """The precompiled pattern behind clean_text drops what the per-character rule it replaced dropped."""
    from fx_desktop.domain.text_cleaning import _LINE_BREAKS

    text = _LINE_BREAKS.sub("\n", raw)
    if not multiline:
        text = text.replace("\n", " ").replace("\t", " ")
    kept = "".join(c for c in text if not _hidden(c) or (multiline and c in "\n\t"))
    assert clean_text(f"a{raw}b", multiline=multiline) == f"a{kept}b"  # letters around: nothing to trim


def test_what_the_cleaning_does_to_real_names_and_texts():
    assert clean_name("../../x") == "x" and clean_name("/etc/passwd") == "passwd"
    assert clean_name("..\\..\\证据.jpg") == "证据.jpg" and clean_name("子目录/../../x.jpg") == "x.jpg"
    assert clean_name("a\x00b\nc.txt") == "abc.txt" and clean_name("..") == UNNAMED == clean_name("\u202e")
    assert clean_name("invoice\u202egpj.exe") == "invoicegpj.exe"
    assert clean_name("会议:纪要?.docx") == "会议_纪要_.docx" and clean_name("CON.txt") == "_CON.txt"
    assert clean_name("报告.") == "报告" and clean_name(" .隐藏.txt ") == "隐藏.txt"
    long = clean_name("现场照片" * 40 + ".jpg")  # 483 bytes: shortened before the extension
    assert long.startswith("现场照片") and long.endswith(".jpg") and len(long.encode()) <= MAX_NAME_BYTES
    assert clean_text("第一行\r\n第二行\r第三行\u2028第四行") == "第一行\n第二行\n第三行\n第四行"
    assert clean_text("  违法\t搭建\n构筑物 ", multiline=False) == "违法 搭建 构筑物"
    assert clean_text("豈\uf900𠮷") == "豈\uf900𠮷"  # CJK compatibility and supplementary ideographs kept as typed
    assert clean_name("\uf900e\u0301.jpg") == "豈\u00e9.jpg"  # a name is NFC, as the module says
    assert clean_json({"a\u202e": ["x\x00", 3, None, {"b": "\u2066y"}]}) == {"a": ["x", 3, None, {"b": "y"}]}


def test_every_case_text_field_has_a_limit_and_the_refusal_names_it():
    assert set(TEXT_FIELDS) <= set(TEXT_LIMITS)
    assert published()["facts"] == 20_000 and published()["cause"] == 200
    assert checked_text("facts", "违" * 20_000 + "\x00") == "违" * 20_000  # counted after cleaning
    with pytest.raises(DomainError) as err:
        checked_text("facts", "违" * 20_001)
    assert err.value.message == "“违法事实”不能超过 20000 个字，现有 20001 个字，请精简后再保存。"
    assert err.value.field == "facts"
    with pytest.raises(DomainError) as err:
        checked_text("review_opinion", "意" * 20_001)
    assert err.value.field == "opinion" and "审核意见" in err.value.message


def test_measured_text_gives_the_cleaned_value_and_the_refusal_checked_text_raises():
    from fx_desktop.domain.text_limits import measured_text

    assert measured_text("cause", " 违法\x00搭建 ") == ("违法搭建", None)
    value, refusal = measured_text("cause", "违" * 201)
    assert value == "违" * 201 and refusal.field == "cause" and "不能超过 200 个字" in refusal.message
    with pytest.raises(DomainError) as err:
        checked_text("cause", "违" * 201)
    assert err.value.message == refusal.message
