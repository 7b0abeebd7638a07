"""Region resolution: cities, counties, districts, departments, renamed and abolished divisions, special zones."""

from __future__ import annotations

import pytest

from parsers.regions import find_names, name_of, resolve


@pytest.mark.parametrize("texts, year, name, province, prefecture, code, level", [
    # cities
    (("牡丹江市人民政府",), 2013, "牡丹江市", "黑龙江省", "牡丹江市", "231000", "city"),
    (("2013年度牡丹江市政府信息公开工作报告",), None, "牡丹江市", "黑龙江省", "牡丹江市", "231000", "city"),
    (("广州市人民政府办公厅",), 2024, "广州市", "广东省", "广州市", "440100", "city"),
    # provinces and municipalities (a municipality is its own prefecture)
    (("上海市人民政府",), 2019, "上海市", "上海市", None, "310000", "province"),
    (("重庆市公安局",), 2016, "重庆市", "重庆市", None, "500000", "province"),
    # districts and counties, with and without their parents
    (("武汉市硚口区人民政府",), 2015, "硚口区", "湖北省", "武汉市", "420104", "district"),
    (("天津市河北区",), 2015, "河北区", "天津市", "天津市", "120105", "district"),
    (("北京市朝阳区",), None, "朝阳区", "北京市", "北京市", "110105", "district"),
    (("吉林省长春市朝阳区",), None, "朝阳区", "吉林省", "长春市", "220104", "district"),
    (("福州市鼓楼区",), None, "鼓楼区", "福建省", "福州市", "350102", "district"),
    (("嵩明县卫生健康局",), 2025, "嵩明县", "云南省", "昆明市", "530127", "county"),
    (("安徽省马鞍山市和县",), None, "和县", "安徽省", "马鞍山市", "340523", "county"),
    (("仙桃市",), None, "仙桃市", "湖北省", None, "429004", "county"),  # directly under the province
    # department reports keep their parent region (the department is split off by metadata)
    (("宜城市教育局",), 2022, "宜城市", "湖北省", "襄阳市", "420684", "county"),
    (("南京市秦淮区数据局",), 2024, "秦淮区", "江苏省", "南京市", "320104", "district"),
    # renamed: 襄樊市 became 襄阳市 in 2010 under the same code
    (("襄樊市人民政府",), 2009, "襄樊市", "湖北省", "襄樊市", "420600", "city"),
    # abolished: the prefecture-level 巢湖市 (341400, to 2011) vs the county-level 巢湖市 (340181, since 2011)
    (("巢湖市人民政府",), 2010, "巢湖市", "安徽省", "巢湖市", "341400", "city"),
    (("巢湖市人民政府",), 2016, "巢湖市", "安徽省", "合肥市", "340181", "county"),
    # special zone: 平潭综合实验区 governs exactly 平潭县
    (("平潭综合实验区管委会",), 2020, "平潭县", "福建省", "福州市", "350128", "county"),
    (("平潭综合实验区地方税务局",), 2013, "平潭县", "福建省", "福州市", "350128", "county"),
    # priority: issuer first, then title, breadcrumb
    ((None, "平潭县人民政府2011年政府信息公开工作年度报告", "首页 > 政务公开"), 2011,
     "平潭县", "福建省", "福州市", "350128", "county"),
])
def test_resolve(texts: tuple[str | None, ...], year: int | None, name: str, province: str,
                 prefecture: str | None, code: str, level: str) -> None:
    place = resolve(*texts, year=year)
    assert place is not None
    assert (place.name, place.province, place.prefecture, place.code, place.level) == \
        (name, province, prefecture, code, level)


def test_renamed_division_current_name() -> None:
    place = resolve("襄樊市人民政府", year=2009)
    assert place is not None and place.current_name == "襄阳市"
    assert name_of("420600", 2009) == "襄樊市" and name_of("420600") == "襄阳市"


@pytest.mark.parametrize("text, year, code, successor", [
    ("巢湖市人民政府", 2010, "341400", "340181"),  # abolished 2011; the county-level city keeps the name
    ("莱芜市人民政府", 2015, "371200", "370116"),  # merged into 济南市 (2019) as 莱芜区
    ("富阳市人民政府", 2013, "330183", "330111"),  # county-level city became 富阳区 (2014)
])
def test_abolished_division_successor(text: str, year: int, code: str, successor: str) -> None:
    place = resolve(text, year=year)
    assert place is not None and place.code == code
    assert place.current_name is None and place.successor_code == successor


def test_ambiguous_name_is_flagged() -> None:
    alone = resolve("鼓楼区")
    with_parent = resolve("福州市鼓楼区")
    assert alone is not None and alone.ambiguous
    assert with_parent is not None and not with_parent.ambiguous


@pytest.mark.parametrize("text", ["", "政府信息公开工作年度报告", "市直单位和县区", "全市各级行政机关", "城区主干道"])
def test_no_place(text: str) -> None:
    assert resolve(text) is None


def test_two_character_names_only_after_a_parent() -> None:
    assert [text for text in ("和县人民政府", "马鞍山市和县") if find_names(text)] == ["和县人民政府", "马鞍山市和县"]
    assert find_names("各部门和县区") == []
