"""Main-content extraction: container choice, rendering, tables, boilerplate, metadata."""

from __future__ import annotations

import html as htmllib
import json
import re
from pathlib import Path

import pytest

from parsers.html import Content, clean_title, extract_content
from parsers.html_boiler import breadcrumb_of, is_boilerplate

FIXTURES = Path(__file__).parent / "fixtures" / "text"
SHARED = Path(__file__).resolve().parents[2] / "shared"
DOCS = SHARED / "devset" / "docs"
SEED = Path(__file__).resolve().parent / "fixtures" / "seed" / "000_c5bff7659f61e6f7.txt"

BODY = "<p>一、概述</p><p>本年度共主动公开政府信息一百二十条，受理依申请公开十件，均已按时答复办结。</p>"
NAV = '<div class="nav"><a href="/">首页</a><a href="/b">政务公开</a><a href="/c">政府信息公开年报</a></div>'
FOOT = '<div class="footer"><p>网站标识码：3590000001 闽ICP备12345678号 电话：0591-1234567</p></div>'


def page(body: str, head: str = "<title>某市年度报告_某市人民政府</title>") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{NAV}{body}{FOOT}</body></html>"


def check_spans(content: Content) -> None:
    for table in content.tables:
        assert content.text[table.start:table.end].startswith(content.text[table.cells[0].start:table.cells[0].end])
        for cell in table.cells:
            assert content.text[cell.start:cell.end] == cell.text


# --- container choice -------------------------------------------------------------------------

@pytest.mark.parametrize("body, container, fallback", [
    (f'<div class="TRS_Editor">{BODY}</div>', "div.TRS_Editor", False),
    (f'<div class="trs_editor">{BODY}</div>', "div.trs_editor", False),
    (f'<div id="Zoom">{BODY}</div>', "div#Zoom", False),
    (f'<div class="article_content x">{BODY}</div>', "div.article_content.x", False),
    (f'<div class="Custom_UnionStyle">{BODY}</div>', "div.Custom_UnionStyle", False),
    (f'<div id="UCAPCONTENT">{BODY}</div>', "div#UCAPCONTENT", False),
    # nested known containers: the tightest one holding (nearly) all the text
    (f'<div class="article_content"><h1>标题</h1><div class="TRS_Editor">{BODY}</div></div>', "div.TRS_Editor", False),
    # a navigation block called "content" is not the article
    (f'<div class="content">{"".join(f"<a>政府信息公开栏目{i}</a>" for i in range(9))}</div>'
     f'<div class="wzcon">{BODY}</div>', "div.wzcon", False),
    # no known container: density fallback
    (f'<div class="left">{NAV}</div><div class="mm"><div class="txt">{BODY}</div></div>', "div.txt", True),
])
def test_container_choice(body: str, container: str, fallback: bool) -> None:
    content = extract_content(page(body))
    assert content.container == container
    assert ("content_fallback" in [f.code for f in content.findings]) is fallback
    assert "本年度共主动公开政府信息一百二十条" in content.text
    assert "3590000001" not in content.text and "政务公开" not in content.text


def test_no_content() -> None:
    content = extract_content("<html><body><script>var a=1;</script></body></html>")
    assert content.text == "" and [f.code for f in content.findings] == ["no_content"]


# --- rendering --------------------------------------------------------------------------------

@pytest.mark.parametrize("fragment, expected", [
    ("<p>共<span>20</span><span>23</span>条</p>", "共2023条"),  # Word splits numbers across spans
    ("<p>主动公开<span>1</span>\n<span>913</span>条</p>", "主动公开1 913条"),  # white space is real space
    ("<p>a  \n\t b</p><p>c</p>", "a b\nc"),
    ("<p>甲<br>乙<br/>丙</p>", "甲\n乙\n丙"),
    ("<p>&nbsp;&nbsp;2543条</p>", "\u00a0\u00a02543条"),
    ("<p>\u3000\u3000正文</p>", "\u3000\u3000正文"),
    ("<p>正文<o:p>&nbsp;</o:p></p>", "正文"),
    ("<p>前<!-- comment -->后</p><script>x=1</script><style>p{}</style>", "前后"),
    ("<p>&lt;!--[if !supportLists]--&gt;7、&lt;!--[endif]--&gt;加强</p>", "7、加强"),
    ("<p><!--EndFragment--></p><p>甲</p>", "甲"),
    ("<p>可见</p><div style='display:none'>隐藏</div>", "可见"),
    # CSS keywords in any case hide (as a browser reads them); a border of none does not
    ("<p>可见</p><div style='DISPLAY: NONE'>隐藏</div><p style='Visibility:Hidden'>藏</p><p style='border:none'>见</p>",
     "可见\n见"),
    ("<ul><li>一</li><li>二</li></ul>", "一\n二"),
    ("<h2>标题</h2>正文<b>加粗</b>续", "标题\n正文加粗续"),
])
def test_rendering(fragment: str, expected: str) -> None:
    content = extract_content(page(f'<div class="TRS_Editor">{fragment}<p>{"报告正文" * 6}</p></div>'))
    assert content.text == expected + "\n" + "报告正文" * 6


# --- tables -----------------------------------------------------------------------------------

def test_table_simple_with_spans() -> None:
    html = ('<div class="TRS_Editor"><p>二、主动公开政府信息情况报告正文内容</p><table>'
            '<tr><th colspan="4">第二十条第（一）项</th></tr>'
            '<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>'
            '<tr><td>规章</td><td><span>1</span><span>2</span></td><td>&nbsp;</td><td><font>&nbsp;</font>5</td></tr>'
            '</table><p>结尾</p></div>')
    content = extract_content(page(html))
    check_spans(content)
    assert content.text.splitlines()[1:4] == ["第二十条第（一）项", "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数",
                                               "规章 | 12 |  | 5"]
    (table,) = content.tables
    assert (table.n_rows, table.n_cols, table.origin) == (3, 4, "html")
    grid = {(c.row, c.col): c for c in table.cells}
    assert grid[(0, 0)].colspan == 4 and grid[(0, 0)].header
    assert grid[(1, 1)].header and not grid[(2, 1)].header  # leading rows without numbers are headers
    assert grid[(2, 1)].text == "12" and grid[(2, 3)].text == "5"
    empty = grid[(2, 2)]
    assert empty.text == "" and empty.start == empty.end
    assert content.text[table.start:table.end].endswith("规章 | 12 |  | 5")


def test_table3_2021_grid() -> None:
    content = extract_content((FIXTURES / "table3_2021.html").read_text(encoding="utf-8"))
    check_spans(content)
    (table,) = content.tables
    assert (table.n_rows, table.n_cols) == (28, 10)
    grid = {(c.row, c.col): c for c in table.cells}
    group = grid[(5, 0)]
    assert (group.text, group.rowspan, group.colspan) == ("三、本年度办理结果", 22, 1)
    assert grid[(1, 3)].text == "自然人" and grid[(1, 3)].rowspan == 2
    assert grid[(2, 4)].text == "商业企业" and grid[(2, 5)].text == "科研机构"  # multi-<p> cells joined
    assert grid[(0, 0)].rowspan == 3 and grid[(0, 0)].colspan == 3 and grid[(0, 3)].colspan == 7
    assert grid[(7, 1)].text == "（三）不予公开" and grid[(7, 1)].rowspan == 8
    assert grid[(7, 2)].text == "1.属于国家秘密"
    assert grid[(8, 2)].text == "2.其他法律行政法规禁止公开"  # covered columns 0-1 skipped
    assert grid[(26, 1)].text == "（七）总计" and grid[(26, 1)].colspan == 2
    # every data row ends with seven value cells in columns 3..9
    for r in range(3, 28):
        values = [c for c in table.cells if c.row == r and c.col >= 3]
        assert [c.col for c in values] == list(range(3, 10)), r
    # one text line per <tr>, each original cell once
    lines = content.text[table.start:table.end].split("\n")
    assert len(lines) == 28
    assert lines[7] == "（三）不予公开 | 1.属于国家秘密 | 2 | 2 | 2 | 2 | 2 | 2 | 12"
    assert sum(line.count(" | ") + 1 for line in lines) == len(table.cells)


def test_layout_table_is_unwrapped() -> None:
    html = ('<table class="main"><tr><td><div class="TRS_Editor"><p>报告正文内容很长很长很长很长很长很长</p>'
            '<table><tr><td>项目</td><td>数量</td></tr><tr><td>规章</td><td>3</td></tr></table></div></td></tr></table>')
    content = extract_content(page(html))
    assert content.text.splitlines() == ["报告正文内容很长很长很长很长很长很长", "项目 | 数量", "规章 | 3"]
    assert len(content.tables) == 1
    outer = extract_content(page('<div class="zoom"><table><tr><td><p>甲报告正文内容很长很长很长很长很长很长很长</p>'
                                 '<table><tr><td>a</td><td>1</td></tr></table></td><td>乙</td></tr></table></div>'))
    assert outer.text.splitlines() == ["甲报告正文内容很长很长很长很长很长很长很长", "a | 1", "乙"]


# --- boilerplate ------------------------------------------------------------------------------

@pytest.mark.parametrize("line, boiler", [
    ("來源:牡丹江市人民政府", True), ("来源：市政府办公室", True), ("撰稿:", True), ("校對:", True),
    ("一審:", True), ("三审：张三", True), ("關(guān)聯(lián)稿件:", True), ("责任编辑：李四", True),
    ("掃一掃在手機打開當前頁", True), ("扫一扫在手机打开当前页", True), ("【字体：大 中 小】", True),
    ("[打印本页] [关闭窗口]", True), ("分享到：", True), ("发布时间：2014-03-05 浏览次数：12", True),
    ("一、概述", False), ("来源于群众的意见建议共12件", False), ("2013年度牡丹江市政府信息公开工作報告", False),
    ("本年度共审核信息120条。", False),
])
def test_boilerplate_lines(line: str, boiler: bool) -> None:
    assert is_boilerplate(line) is boiler


@pytest.mark.parametrize("line, trail", [
    ("您當前的位置: 首頁>政府信息公開>年報", "首頁>政府信息公開>年報"),
    ("当前位置：首页 > 政务公开", "首页 > 政务公开"),
    ("您现在的位置：首页", "首页"),
    ("一、概述", None),
])
def test_breadcrumb_lines(line: str, trail: str | None) -> None:
    assert breadcrumb_of(line) == trail


@pytest.mark.parametrize("raw, title", [
    ("某市2021年度政府信息公开工作年度报告_政府信息公开年报_某市人民政府", "某市2021年度政府信息公开工作年度报告"),
    ("某区2019年政府信息公开年报 - 某区政府网", "某区2019年政府信息公开年报"),
    ("某县2018-2019年度报告|某县", "某县2018-2019年度报告"),
])
def test_clean_title(raw: str, title: str) -> None:
    assert clean_title(raw) == title


@pytest.mark.parametrize("head, body, date", [
    ('<meta name="PubDate" content="2022-02-08 16:34">', "", "2022-02-08"),
    ('<meta name="publishdate" content="2014/3/5">', "", "2014-03-05"),
    ("", '<div class="info">发布时间：<span>2014-03-05</span></div>', "2014-03-05"),
    ("", '<div class="info">成文日期：2021-03-05</div>', "2021-03-05"),
    ("", "", None),
])
def test_publish_date(head: str, body: str, date: str | None) -> None:
    content = extract_content(page(body + f'<div class="TRS_Editor">{BODY}</div>', head=head + "<title>t</title>"))
    assert content.publish_date == date


def seed_portal_page() -> tuple[str, list[str]]:
    """The sample report rendered into a portal page: TRS_Editor body, header and footer around it."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    paras = "".join(f"<p>{htmllib.escape(line)}</p>" for line in lines)
    return page(f'<div class="main"><h1>标题</h1><div class="TRS_Editor">{paras}</div></div>'), lines


@pytest.mark.skipif(not SEED.exists(), reason="shared seed absent")
def test_seed_portal_boilerplate() -> None:
    html, lines = seed_portal_page()
    content = extract_content(html)
    for bad in ("您當前的位置", "來源:牡丹江市人民政府", "撰稿:", "掃一掃在手機打開當前頁", "稿件", "審:"):
        assert bad not in content.text
    body = [line for line in lines if line.strip()]
    assert content.text.splitlines()[0] == "2013年度牡丹江市政府信息公開工作報告"
    assert content.text.splitlines()[-1] == body[body.index("來源:牡丹江市人民政府") - 1]
    assert content.breadcrumb is not None and content.breadcrumb.startswith("首頁>政府信息公開")


# --- real portal pages ------------------------------------------------------------------------

DOC_PAGES = sorted(DOCS.glob("*.html")) if DOCS.exists() else []


@pytest.mark.skipif(not DOC_PAGES, reason="devset docs absent")
@pytest.mark.parametrize("path", DOC_PAGES, ids=lambda p: p.stem)
def test_devset_pages(path: Path) -> None:
    content = extract_content(path.read_text(encoding="utf-8"))
    check_spans(content)
    assert content.findings == ()
    assert "article_content" in content.container or "TRS_Editor" in content.container
    for footer in ("备案号", "网站标识码", "3590000001", "35012899001", "ICP"):
        assert footer not in content.text
    assert re.search(r"政府信息公开", content.text)
    assert content.title and "_" not in content.title
    assert content.publish_date and re.fullmatch(r"20\d\d-\d\d-\d\d", content.publish_date)
    gold_path = path.with_suffix("").with_suffix(".gold.jsonl")
    if gold_path.exists():
        gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for g in gold:
            quote = htmllib.unescape(re.sub(r"<[^>]*>", "", g.get("quote") or ""))
            if quote:
                assert re.sub(r"\s", "", quote) in re.sub(r"\s", "", content.text), quote
        table_values = [g for g in gold if g.get("table") in ("2", "3", "4", "appendix") and g.get("value") is not None]
        cell_texts = {c.text for t in content.tables for c in t.cells}
        missing = [g for g in table_values if not any(_same_number(g["value"], t) for t in cell_texts)]
        assert not missing, missing[:3]


def _same_number(value: float, text: str) -> bool:
    m = re.search(r"[-+]?\d[\d,]*(?:\.\d+)?", text)
    return m is not None and float(m.group().replace(",", "")) == float(value)


@pytest.mark.skipif(not DOC_PAGES, reason="devset docs absent")
def test_devset_2021_tables() -> None:
    path = DOCS / "11-pingtan-2021.html"
    content = extract_content(path.read_text(encoding="utf-8"))
    t2, t3, t4 = content.tables
    assert (t3.n_cols, t4.n_cols) == (11, 15)
    assert "商业企业" in {c.text for c in t3.cells}
    assert any(c.text == "24252.311082" for c in t2.cells)
    rows = content.text[t3.start:t3.end].split("\n")
    assert rows[3] == "一、本年新收政府信息公开申请数量 | 64 | 0 | 0 | 2 | 0 | 4 | 70"
