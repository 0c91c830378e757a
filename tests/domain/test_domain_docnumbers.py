import pytest
from hypothesis import given
from hypothesis import strategies as st

from fx_desktop.domain.docnumbers import DocNumberTemplate
from fx_desktop.domain.errors import DomainError

GENERIC = DocNumberTemplate("行政处罚决定书", "{机关代字}〔{年}〕{序号}号")
FENGCHENG = DocNumberTemplate("立案审批表", "奉城执〔{年}〕第{序号}号", serial_width=3)


def test_format():
    assert GENERIC.format("沪奉城执罚", 2025, 12) == "沪奉城执罚〔2025〕12号"
    assert FENGCHENG.format("", 2026, 7) == "奉城执〔2026〕第007号"
    assert FENGCHENG.format("", 2026, 1234) == "奉城执〔2026〕第1234号"
    ascii_names = DocNumberTemplate("x", "{agency}〔{year}〕{serial}号")
    assert ascii_names.format("奉城执", 2025, 3) == "奉城执〔2025〕3号"


def test_parse():
    assert GENERIC.parse("沪奉城执罚〔2025〕12号") == ("沪奉城执罚", 2025, 12)
    assert FENGCHENG.parse("奉城执〔2026〕第007号") == ("", 2026, 7)
    assert FENGCHENG.parse(" 奉城执[2026]第7号 ") == ("", 2026, 7)
    assert GENERIC.parse("沪奉城执罚【2025】12号") == ("沪奉城执罚", 2025, 12)


@pytest.mark.parametrize(
    "text", ["", "奉城执〔2026〕第0号", "奉城执〔26〕第1号", "金汇执〔2026〕第1号", "奉城执〔2026〕第1号附"]
)
def test_parse_rejects(text):
    assert FENGCHENG.parse(text) is None


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("{机关代字}〔{年度}〕{序号}号", "占位符“{年度}”无法识别"),
        ("{机关代字}〔{年}〕{序号}号{序号}", "{序号} 只能出现一次"),
        ("{agency}〔{year}〕{序号}号{serial}", "{序号} 只能出现一次"),
        ("{机关代字}〔{年}〕号", "必须包含 {序号}"),
        ("{机关代字}第{序号}号", "必须包含 {年}"),
        ("{机关代字}〔{年}〕{序号号", "花括号不成对"),
    ],
)
def test_bad_patterns(pattern, expected):
    with pytest.raises(DomainError) as exc:
        DocNumberTemplate("x", pattern)
    assert expected in exc.value.message
    assert exc.value.field == "pattern"


def test_bad_values():
    cases = [
        (lambda: GENERIC.format("奉城执", 2025, 0), "serial", "序号应从 1 开始"),
        (lambda: GENERIC.format("奉城执", 25, 1), "year", "四位数字"),
        (lambda: GENERIC.format(" ", 2025, 1), "agency_code", "请填写机关代字"),
        (lambda: GENERIC.format("奉城执[", 2025, 1), "agency_code", "冲突"),
        (lambda: TEMPLATES[2].format("奉城1", 2025, 1), "agency_code", "冲突"),
        (lambda: DocNumberTemplate("x", "{年}{序号}", -1), "serial_width", "不能为负数"),
    ]
    for call, field, text in cases:
        with pytest.raises(DomainError) as exc:
            call()
        assert exc.value.field == field and text in exc.value.message


TEMPLATES = [
    GENERIC,
    FENGCHENG,
    DocNumberTemplate("x", "{机关代字}{年}{序号}", serial_width=4),
    DocNumberTemplate("x", "{序号}/{年}/{agency}"),
    DocNumberTemplate("x", "{年}年{机关代字}字第{序号}号", serial_width=2),
]
agencies = st.text("奉城执罚决字沪府办发南桥金汇ABC", min_size=1, max_size=8)


@given(st.sampled_from(TEMPLATES), agencies, st.integers(1000, 9999), st.integers(1, 10**6))
def test_format_parse_round_trip(template, agency, year, serial):
    text = template.format(agency, year, serial)
    expected_agency = agency if template.has_agency else ""
    assert template.parse(text) == (expected_agency, year, serial)
