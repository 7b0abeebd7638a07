"""The number grammar: a table of expressions, a table of non-figures, and property tests."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.numbers import SpanIndex, find_bare_numbers, find_quantities, format_chinese, parse_arabic, parse_chinese

# text, value, canonical unit, unit as printed, kind, approx
QUANTITIES = [
    ("1,303件", "1303", "件", "件", "count", False),
    ("2.8 %", "2.8", "%", "%", "percent", False),
    ("占1.60%", "1.60", "%", "%", "percent", False),
    ("８６．９２％", "86.92", "%", "%", "percent", False),
    ("１２条", "12", "条", "条", "count", False),
    ("165 条", "165", "条", "条", "count", False),
    ("公开\n6条", "6", "条", "条", "count", False),
    ("信息\n5928\n条", "5928", "条", "条", "count", False),
    ("27万余条", "270000", "条", "万条", "count", True),
    ("1.2万余件", "12000", "件", "万件", "count", True),
    ("3千余件", "3000", "件", "千件", "count", True),
    ("约1.8万人次", "18000", "人次", "万人次", "count", True),
    ("超80.5万人次", "805000", "人次", "万人次", "count", True),
    ("突破1.3亿次", "130000000", "次", "亿次", "count", True),
    ("60多批次", "60", "批次", "批次", "count", True),
    ("200余次", "200", "次", "次", "count", True),
    ("近300条", "300", "条", "条", "count", True),
    ("逾50项", "50", "项", "项", "count", True),
    ("100人以上", "100", "人", "人", "count", True),
    ("二十八件", "28", "件", "件", "count", False),
    ("两场", "2", "场", "场", "count", False),
    ("一百二十余条", "120", "条", "条", "count", True),
    ("一百零五件", "105", "件", "件", "count", False),
    ("十大方面", "10", "方面", "大方面", "count", False),
    ("百分之五十", "50", "%", "百分之", "percent", False),
    ("提高3个百分点", "3", "个百分点", "个百分点", "points", False),
    ("12.3万元", "123000", "元", "万元", "amount", False),
    ("1424.4万元", "14244000", "元", "万元", "amount", False),
    ("251000元", "251000", "元", "元", "amount", False),
    ("7个工作日", "7", "个工作日", "个工作日", "count", False),
    ("26件(次)", "26", "件", "件", "count", False),
    ("12条次", "12", "条次", "条次", "count", False),
    ("政务动态信息2014条", "2014", "条", "条", "count", False),
    ("2020年结转312件", "312", "件", "件", "count", False),
]


@pytest.mark.parametrize("text,value,unit,unit_raw,kind,approx", QUANTITIES, ids=[q[0] for q in QUANTITIES])
def test_quantity(text: str, value: str, unit: str, unit_raw: str, kind: str, approx: bool) -> None:
    found = find_quantities(text)
    assert len(found) == 1, found
    q = found[0]
    assert (q.value, q.unit, q.unit_raw, q.kind, q.approx) == (Decimal(value), unit, unit_raw, kind, approx)


NOT_FIGURES = [
    "2013年", "2020 年", "2013年1月1日起至2013年12月31日止", "自201911日起至20191231日止", "(20161月)",
    "国办发〔2013〕73号", "国办发【2013】73号", "国务院令第711号", "第二十条第（一）项", "第10次位列第一",
    "排行榜第5名", "市政府第129次常务会议", "电话:05987500615", "电话：0598-7500615", "邮编:157022",
    "13912345678", "http://www.gov.cn/2020/12件.html", "xxgk2020@163.com", "一、概述", "（一）主动公开",
    "1.主动公开", "一是健全制度", "(1)加强领导", "创业富民“30条”", "“8+4”", "12345热线", "12320卫生热线",
    "一站式服务", "十四五规划", "第七次全国人口普查", "迎十四运", "合两为一", "九部分组成", "共7个部分组成",
    "3个月", "1,30件",
]


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_not_a_quantity(text: str) -> None:
    assert find_quantities(text) == []


@pytest.mark.parametrize("text,value", [("关注量达269万", "2690000"), ("部分公开67,占4.61%", "67"),
                                        ("网路阅读量7600万", "76000000")])
def test_bare_numbers(text: str, value: str) -> None:
    assert [q.value for q in find_bare_numbers(text)] == [Decimal(value)]


@pytest.mark.parametrize("text", ["2019年", "201911日", "1月31日", "12件", "3.7万余次", "〔2021〕30号"])
def test_bare_numbers_skip_units_and_dates(text: str) -> None:
    assert find_bare_numbers(text) == []


@pytest.mark.parametrize("text,value", [("零", 0), ("〇", 0), ("十", 10), ("十二", 12), ("二十", 20), ("两千", 2000),
                                        ("一万零一", 10001), ("三亿五千万", 350000000), ("二〇一九", 2019)])
def test_parse_chinese(text: str, value: int) -> None:
    assert parse_chinese(text) == value


@pytest.mark.parametrize("text", ["", "万", "百", "abc", "十十"])
def test_parse_chinese_rejects(text: str) -> None:
    assert parse_chinese(text) is None


def test_parse_arabic() -> None:
    assert parse_arabic("1,303.5") == Decimal("1303.5")
    assert parse_arabic("x") is None


@given(st.integers(min_value=0, max_value=10**16 - 1))
def test_chinese_numerals_round_trip(n: int) -> None:
    assert parse_chinese(format_chinese(n)) == n


@given(st.integers(min_value=1, max_value=10**8 - 1), st.sampled_from(["件", "条", "人次", "个"]))
def test_chinese_numeral_quantity(n: int, unit: str) -> None:
    found = find_quantities(f"共{format_chinese(n)}{unit}。")
    assert [q.value for q in found] == [n]


@settings(max_examples=300)
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    for q in find_quantities(text) + find_bare_numbers(text):
        assert 0 <= q.start <= q.num_start < q.end <= len(text)
    parse_chinese(text)
    parse_arabic(text)


@pytest.mark.parametrize("text, values", [
    ("共一千万件", [10_000_000]), ("全市一万家企业", [10_000]), ("千家万户", []), ("千万不要", []), ("万众一心", []),
])
def test_scale_idioms_are_masked_only_without_a_numeral_before_them(text: str, values: list[int]) -> None:
    assert [int(q.value) for q in find_quantities(text)] == values


@settings(max_examples=200, deadline=None)
@given(spans=st.lists(st.tuples(st.integers(0, 50), st.integers(0, 20)).map(lambda t: (t[0], t[0] + t[1])),
                      max_size=12),
       probe=st.tuples(st.integers(0, 60), st.integers(0, 10)).map(lambda t: (t[0], t[0] + t[1])))
def test_span_index_agrees_with_a_linear_scan(spans: list[tuple[int, int]], probe: tuple[int, int]) -> None:
    s, e = probe
    assert SpanIndex(spans).overlaps(s, e) == any(a < e and s < b for a, b in spans)
