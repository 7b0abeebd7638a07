"""Normalization: pinyin removal, script conversion, folding, and the exact offset map."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.normalize import normalize
from parsers.settings import Resources, load_resources

SEED = Path(__file__).resolve().parent / "fixtures" / "seed" / "000_c5bff7659f61e6f7.txt"


@pytest.fixture(scope="module")
def res() -> Resources:
    return load_resources()


def check_map(source: str, view_text: str, starts: list[int], ends: list[int]) -> None:
    assert len(starts) == len(ends) == len(view_text)
    for i in range(len(view_text)):
        assert 0 <= starts[i] < ends[i] <= len(source)
        if i:
            assert starts[i] >= starts[i - 1] and ends[i] >= ends[i - 1]
        if view_text[i].isdigit() and view_text[i].isascii():
            src = source[starts[i]:ends[i]]
            assert len(src) == 1 and unicodedata.digit(src) == int(view_text[i])


@pytest.mark.parametrize("source, expected", [
    ("機構(gòu)", "机构"),
    ("主動(dòng)公開", "主动公开"),
    ("職能(zhí)(néng)", "职能"),
    ("機構(gòu)(gòu)", "机构"),
    ("服務（wù）事項", "服务事项"),
    ("政(zheng)(zheng)府(fu)(fu)", "政府"),
    ("規(guī)章 | 0 | 0 |", "规章 | 0 | 0 |"),
    # real parentheses stay
    ("縣(市)、區", "县(市)、区"),
    ("(一)主動公開", "(一)主动公开"),
    ("第(1)項", "第(1)项"),
    ("條例(以下簡稱《條例》)", "条例(以下简称《条例》)"),
    ("類別(A)", "类别(A)"),
    ("方案(a)", "方案(a)"),  # toneless and not doubled: kept
    ("代碼(xyz)(xyz)", "代码(xyz)(xyz)"),  # doubled but not a pinyin syllable
    ("2013(nián)", "2013(nián)"),  # not glued to a Han character
])
def test_pinyin_removal(res: Resources, source: str, expected: str) -> None:
    view = normalize(source, res)
    assert view.text == expected
    check_map(source, view.text, list(view.starts), list(view.ends))


@pytest.mark.parametrize("source, expected", [
    # traditional text: Taiwan phrases become mainland words
    ("行政規範性檔案43件，政府入口網站", "行政规范性文件43件,政府门户网站"),
    ("網路最佳化，檔案館收藏", "网络优化,档案馆收藏"),
    # traditional text keeps ordinary words that tw2sp would rewrite
    ("按照文件要求建立健全程序，列入考核", "按照文件要求建立健全程序,列入考核"),
    ("發布政府資訊", "发布政府信息"),
    # simplified text: t2s only (never tw2sp: 文件→文档, 程序→进程)
    ("规范性文件33件，优化程序", "规范性文件33件,优化程序"),
    ("网路不变档案", "网路不变档案"),
])
def test_script_conversion(res: Resources, source: str, expected: str) -> None:
    view = normalize(source, res)
    assert view.text == expected
    check_map(source, view.text, list(view.starts), list(view.ends))


@pytest.mark.parametrize("source, expected", [
    ("１２３４５６７８９０", "1234567890"),
    ("占８５％（全年）：共；计，", "占85%(全年):共;计,"),
    ("\u3000\u3000正文\u00a0数字", "  正文 数字"),
    ("其他应主动公开的信息946条。\u200b下一句", "其他应主动公开的信息946条。下一句"),
    ("第一行\n第二行", "第一行\n第二行"),
    ("ＡＢＣ＠ａｂｃ", "ABC@abc"),
])
def test_folding(res: Resources, source: str, expected: str) -> None:
    view = normalize(source, res)
    assert view.text == expected
    check_map(source, view.text, list(view.starts), list(view.ends))


def test_to_source_spans(res: Resources) -> None:
    source = "主動(dòng)公開政府信息６３５條，行政規範性檔案43件"
    view = normalize(source, res)
    s = view.text.index("635")
    a, b = view.to_source(s, s + 3)
    assert source[a:b] == "６３５"
    s = view.text.index("文件")
    a, b = view.to_source(s, s + 2)
    assert source[a:b] == "檔案"
    a, b = view.to_source(0, 4)
    assert source[a:b] == "主動(dòng)公開"
    assert res.t2s.convert(source[a:b].replace("(dòng)", "")) == view.text[0:4]


@pytest.mark.skipif(not SEED.exists(), reason="shared seed absent")
def test_seed(res: Resources) -> None:
    source = SEED.read_text(encoding="utf-8")
    view = normalize(source, res)
    check_map(source, view.text, list(view.starts), list(view.ends))
    assert "二、主动公开政府信息情况" in view.text
    assert "县(市)" in view.text and "(gòu)" not in view.text and "(jù)" not in view.text
    assert view.text.count("\n") == source.count("\n")
    # script conversion is character-for-character consistent with t2s over each mapped span
    for i, ch in enumerate(view.text[:2000]):
        src = source[view.starts[i]:view.ends[i]]
        if len(src) == 1 and ch not in "()":
            assert res.t2s.convert(src).translate({0x3000: 0x20, 0xA0: 0x20}) in (ch, src)
    start = time.perf_counter()
    for _ in range(20):
        normalize(source, res)
    per_call = (time.perf_counter() - start) / 20
    assert per_call < 0.01  # ~1.5 ms on the development machine; generous bound for shared CI cores


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    list("機構公開政府信息條件檔案網路最佳化文件程序县市(（)）一1１２0０ \u3000\u00a0\n\u200b,，%％gòuzhengfA")
), max_size=60))
def test_offset_map_properties(text: str) -> None:
    res = _RES
    view = normalize(text, res)
    check_map(text, view.text, list(view.starts), list(view.ends))
    if view.text:
        assert view.to_source(0, len(view.text))[1] <= len(text)


@given(st.text(max_size=80))
@settings(max_examples=200, deadline=None)
def test_offset_map_arbitrary_text(text: str) -> None:
    view = normalize(text, _RES)
    check_map(text, view.text, list(view.starts), list(view.ends))


_RES = load_resources()
