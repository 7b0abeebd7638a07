"""Metadata: the seed report, scope/level/issuer/year tables, and the Pingtan portal pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers.metadata import data_year, era_of, extract_metadata
from parsers.records import Metadata
from parsers.sections import segment
from test_sections import make_view

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED_DIR = Path(__file__).resolve().parent / "fixtures" / "seed"  # in-repo copy of ../shared/seed


def meta_of(text: str, *, title: str | None = None, breadcrumb: str | None = None,
            publish_date: str | None = None, url: str | None = None) -> Metadata:
    view = make_view(text)
    secs, _ = segment(text, view)
    return extract_metadata(text, view, secs, title=title, breadcrumb=breadcrumb,
                            publish_date=publish_date, url=url)


def test_seed_metadata() -> None:
    path = SEED_DIR / "000_c5bff7659f61e6f7.txt"
    exp = json.loads((SEED_DIR / "seed-expect.json").read_text("utf-8"))["metadata"]
    m = meta_of(path.read_text("utf-8"))
    assert m.region is not None
    got = {"title": m.title, "region": m.region.name, "province": m.region.province, "adcode": m.region.adcode,
           "admin_level": m.admin_level, "scope": m.scope, "data_year": m.data_year, "era": m.era,
           "issuer": m.issuer}
    assert got == exp


_REPORT = "{title}\n{preamble}\n一、概述\n{opening}\n二、主动公开政府信息情况\n共主动公开信息100条。\n"


@pytest.mark.parametrize("title, preamble, opening, issuer, level, scope, adcode, department, year", [
    # city government aggregating the jurisdiction
    ("2013年度牡丹江市政府信息公开工作报告", "本报告根据全市各级行政机关的年度报告汇总编制。", "2013年,我市…",
     "牡丹江市人民政府", "city", "jurisdiction_total", "231000", None, 2013),
    ("广州市2012年政府信息公开工作年度报告", "本报告由市政府办公厅综合各区(县)政府和市政府各部门的年度报告编制而成。",
     "2012年,全市…", "广州市人民政府", "city", "jurisdiction_total", "440100", None, 2012),
    # a government report without aggregation wording
    ("武汉市硚口区2015年政府信息公开工作年度报告", "本报告依据《条例》编制。", "2015年,区政府…",
     "武汉市硚口区人民政府", "district", "government_level", "420104", None, 2015),
    # the general office reports as an agency
    ("2019年上海市人民政府办公厅政府信息公开工作年度报告", "本报告依据《条例》编制。", "2019年,市政府办公厅…",
     "上海市人民政府办公厅", "department", "agency_only", "310000", "人民政府办公厅", 2019),
    # a county department; 2025 title with an explicit 2024年度 statistics year
    ("嵩明县卫生健康局2025年政府信息公开工作年度报告", "本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止。",
     "2024年,我局…", "嵩明县卫生健康局", "department", "agency_only", "530127", "卫生健康局", 2024),
    # a sub-district (town level) under a district
    ("南京市鼓楼区人民政府华侨路街道办事处2021年政府信息公开年度报告", "本报告依据《条例》编制。", "2021年,街道…",
     "南京市鼓楼区人民政府华侨路街道办事处", "town", "government_level", "320106", None, 2021),
    # issuer only in the preamble, title without a body
    ("2018年政府信息公开工作年度报告", "根据《条例》要求,编制牡丹江市人防办2018年政府信息公开年度报告。",
     "2018年以来我办…", "牡丹江市人防办", "department", "agency_only", "231000", "人防办", 2018),
    # a renamed city in an old report
    ("襄樊市2009年政府信息公开工作年度报告", "本报告依据《条例》编制。", "2009年,全市各级行政机关…",
     "襄樊市人民政府", "city", "jurisdiction_total", "420600", None, 2009),
])
def test_metadata_table(title: str, preamble: str, opening: str, issuer: str, level: str, scope: str,
                        adcode: str, department: str | None, year: int) -> None:
    m = meta_of(_REPORT.format(title=title, preamble=preamble, opening=opening))
    assert m.region is not None
    assert (m.issuer, m.admin_level, m.scope, m.region.adcode, m.region.department, m.data_year) == \
        (issuer, level, scope, adcode, department, year)
    assert m.title == title and m.era == era_of(year)


@pytest.mark.parametrize("title, head, publish_date, year", [
    ("2025年某区政府信息公开工作年度报告", "现公布本区2024年度政府信息公开工作年度报告。", None, 2024),
    ("某区政府信息公开工作年度报告", "统计期限为2018年1月1日到2018年12月31日止。", "2019-01-20", 2018),
    ("某区政府信息公开工作年度报告", "本报告统计期限自201911日起至20191231日止。", None, 2019),  # 年/月 lost
    ("某市2016年政府信息公开工作年度报告", "", "2017-03-01", 2016),
    (None, "一、概述\n2009年,本市各级政府部门坚持公开。", None, 2009),
    (None, "", "2021-03-05", 2020),  # publication year minus one, the last resort
    (None, "", None, None),
])
def test_data_year(title: str | None, head: str, publish_date: str | None, year: int | None) -> None:
    assert data_year(title, head, publish_date) == year


def test_traditional_page_title_is_simplified() -> None:
    text = "2013年度牡丹江市政府信息公開工作報告\n一、概述\n2013年,全市各級行政機關…\n"
    m = meta_of(text, title="2013年度牡丹江市政府信息公開工作報告_牡丹江市人民政府")
    assert m.title == "2013年度牡丹江市政府信息公开工作报告"


@pytest.mark.parametrize("text", ["", "无关的文字。", "一、\n二、", "|||"])
def test_bad_input(text: str) -> None:
    m = meta_of(text, publish_date="2020-01-01")
    assert m.scope in ("unknown", "government_level") and m.publish_date == "2020-01-01"


def _pingtan_pages() -> list[Path]:
    folder = SHARED / "devset" / "docs"
    return sorted(folder.glob("*.html")) if folder.is_dir() else []


@pytest.mark.parametrize("page", _pingtan_pages(), ids=lambda p: p.stem)
def test_pingtan_pages(page: Path) -> None:
    from parsers import html

    meta = json.loads(page.with_suffix(".meta.json").read_text("utf-8"))
    content = html.extract_content(page.read_text("utf-8"))
    m = meta_of(content.text, title=content.title, breadcrumb=content.breadcrumb,
                publish_date=content.publish_date)
    assert m.data_year == meta["year"]
    assert m.region is not None and m.region.adcode == "350128" and m.region.province == "福建省"
    if "税务局" in meta["agency"] or "letter" in page.stem:
        # the local tax bureau, and the 管委会办公室's letter: agency documents
        assert (m.admin_level, m.scope) == ("department", "agency_only")
    else:
        # county/zone reports (the 2013 and 2023 titles name the zone, published by its office)
        assert m.admin_level == "county" and m.scope in ("government_level", "jurisdiction_total")
        assert m.issuer in ("平潭县人民政府", "平潭综合实验区管委会")


def test_page_title_absent_from_body_is_simplified_with_body_characters() -> None:
    text = "本年度報告根據《條例》編制。\n一、概述\n2013年,牡丹江市政府信息公開工作…\n"
    m = meta_of(text, title="2013年度牡丹江市政府信息公開工作報告")
    assert m.title == "2013年度牡丹江市政府信息公开工作报告"
