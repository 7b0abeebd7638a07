"""Crawler building blocks as data tables: canonical URLs, discovery, safety, decoding, size caps."""

from __future__ import annotations

import gzip
import ipaddress
import tracemalloc

import pytest

from pipeline.crawl.discovery import charset_of, decode_page, discover, is_report_title, worth_decoding
from pipeline.crawl.fetch import FetchError, _Decoder
from pipeline.crawl.politeness import Robots, backoff, retry_after
from pipeline.crawl.safety import SafetyPolicy
from pipeline.crawl.settings import read_seeds
from pipeline.crawl.urls import canonicalize, parse_shard, shard_of


@pytest.mark.parametrize("url,expected", [
    ("HTTP://WWW.Gov.CN:80/a/b.html#frag", "http://www.gov.cn/a/b.html"),
    ("https://x.cn:443", "https://x.cn/"),
    ("https://x.cn:8443/", "https://x.cn:8443/"),
    ("http://x.cn/a?utm_source=wx&spm=1&id=3&b=", "http://x.cn/a?b=&id=3"),
    ("http://x.cn/a?z=1&a=2", "http://x.cn/a?a=2&z=1"),
    ("http://x.cn/%7euser/%e5%b9%b4", "http://x.cn/~user/%E5%B9%B4"),
    ("http://x.cn/年报/", "http://x.cn/%E5%B9%B4%E6%8A%A5/"),
    ("http://x.cn/a/./b/../c", "http://x.cn/a/c"),
    ("http://例子.中国/", "http://xn--fsqu00a.xn--fiqs8s/"),
    ("javascript:void(0)", None), ("ftp://x.cn/a", None), ("http://", None),
])
def test_canonicalize(url, expected):
    assert canonicalize(url) == expected


def test_canonicalize_is_idempotent():
    for url in ("http://x.cn/a%20b?q=%E5%B9%B4&x=a+b", "http://x.cn/a b", "http://X.cn/a/../%7e"):
        once = canonicalize(url)
        assert once is not None and canonicalize(once) == once


@pytest.mark.parametrize("text,expected", [
    ("2023年政府信息公开工作年度报告", True), ("广州市二〇一九年政府信息公开年报", True),
    ("2019年度报告", True), ("政府信息公开工作年度报告", False), ("2023年工作要点", False),
])
def test_report_titles(text, expected):
    assert is_report_title(text) is expected


BASE = "http://x.cn/col/col12/index.html"


@pytest.mark.parametrize("page,kind,expected", [
    # TRS createPageHTML, both the classic and the newer form with a container id
    ('<script>createPageHTML(3, 0, "index", "shtml");</script>', "listing",
     [("http://x.cn/col/col12/index.shtml", "listing"), ("http://x.cn/col/col12/index_1.shtml", "listing"),
      ("http://x.cn/col/col12/index_2.shtml", "listing")]),
    ("<script>createPageHTML('page_div',2,1,'index','html',40);</script>", "listing",
     [("http://x.cn/col/col12/index.html", "listing"), ("http://x.cn/col/col12/index_1.html", "listing")]),
    # Hanweb jpage: totalRecord / perPage and the unit id
    ('<script>new jpage({totalRecord:31, perPage:15, unitid:4421})</script>', "listing",
     [(f"http://x.cn/col/col12/index.html?uid=4421&pageNum={i}", "listing") for i in (1, 2, 3)]),
    # Hanweb record lists in CDATA; next-page text; page numbers; paging query parameters
    ('<record><![CDATA[<a href="/art/2024/1/1/art_1.html" title="2023年度政府信息公开工作年度报告">…</a>]]></record>',
     "listing", [("http://x.cn/art/2024/1/1/art_1.html", "report")]),
    ('<a href="index_2.html">下一页</a><a href="index_3.html">3</a><a href="/about.html">2</a>', "listing",
     [("http://x.cn/col/col12/index_2.html", "listing"), ("http://x.cn/col/col12/index_3.html", "listing")]),
    ('<a href="list.jsp?pageNum=4&amp;col=1">[4]</a><a href="javascript:go(5)">5</a>', "listing",
     [("http://x.cn/col/col12/list.jsp?pageNum=4&col=1", "listing")]),
    ('<a href="/att/r.pdf">2022年年报（PDF）</a><a href="/guide.html">政府信息公开指南</a>', "listing",
     [("http://x.cn/att/r.pdf", "attachment")]),
    # Report pages give attachments only
    ('<a href="/u/cms/1.PDF">附件1</a><a href="t.docx">附件2</a><a href="t.xls">表</a><a href="index_2.html">下一页</a>',
     "report", [("http://x.cn/u/cms/1.PDF", "attachment"), ("http://x.cn/col/col12/t.docx", "attachment"),
                ("http://x.cn/col/col12/t.xls", "attachment")]),
    ('<base href="http://x.cn/other/"><a href="a.html">2020年年度报告</a>', "listing",
     [("http://x.cn/other/a.html", "report")]),
    # Navigation of a portal page: nothing followed (a nav "首页" is not next to the listing, a year-less
    # 年报 column is not a report); markup and entities inside anchors; titles after the href
    ('<ul><li><a href="/">首页</a></li><li><a href="/col/col9/index.html">政府信息公开年报</a></li>'
     '<li><a href="/col/col3/index.html">栏目3</a></li><li><a href="http://www.gov.cn/" title="中国政府网">'
     '中国政府网</a></li></ul><a href="index_1.html"><span>下一页</span></a>'
     '<a href="/art/9.html" TITLE="2021年政府信息公开工作年度报告">2021年&hellip;</a>'
     '<a href="/art/10.html"><b>2020</b>年 年度报告</a>', "listing",
     [("http://x.cn/col/col12/index_1.html", "listing"), ("http://x.cn/art/9.html", "report"),
      ("http://x.cn/art/10.html", "report")]),
    # Report pages: attachment links with query strings or fragments and upper-case names; no attachment
    # named anywhere gives nothing; report.pdf.html is a page, not an attachment
    ('<a href="/col/col3/index.html">首页</a><a href="/f/r.PDF?v=2#p1">附件</a><a href="/f/r.pdf.html">x</a>', "report",
     [("http://x.cn/f/r.PDF?v=2#p1", "attachment")]),
    ('<a href="/col/col3/index.html">首页</a><a href="/art/2.html">2021年年度报告</a>', "report", []),
])
def test_discover(page, kind, expected):
    assert [(link.url, link.kind) for link in discover(page, BASE, kind)] == expected


@pytest.mark.parametrize("body,ctype,charset", [
    (b'<meta charset="gb2312">', None, "gb18030"), (b'<meta http-equiv="Content-Type" content="text/html; charset=GBK">',
                                                    None, "gb18030"),
    (b"", "text/html; charset=utf-8", "utf-8"), (b'<meta charset="utf-8">', "text/html; charset=gbk", "gb18030"),
    (b"<html>", "text/html", None),
])
def test_charset(body, ctype, charset):
    assert charset_of(body, ctype) == charset


def test_decode_page_gbk_without_declaration_falls_back():
    text = "二〇二三年政府信息公开年报"
    assert decode_page(text.encode("gb18030"), None) == text
    assert decode_page(text.encode("utf-8"), None) == text


@pytest.mark.parametrize("ip,ok", [
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("::1", False), ("fe80::1", False),
    ("fc00::1", False), ("::ffff:127.0.0.1", False), ("224.0.0.1", False), ("8.8.8.8", True),
    ("2001:4860:4860::8888", True),
])
def test_address_policy(ip, ok):
    assert SafetyPolicy().address_ok(ipaddress.ip_address(ip)) is ok
    assert SafetyPolicy(allow_private=True).address_ok(ipaddress.ip_address(ip)) is True


def test_gzip_bomb_is_capped_without_blowing_memory():
    limit = 1_000_000
    bomb = gzip.compress(b"\0" * 200_000_000, 9)  # ~200 KB that inflates to 200 MB
    tracemalloc.start()
    decoder = _Decoder("gzip", limit)
    with pytest.raises(FetchError) as err:
        for i in range(0, len(bomb), 65536):
            decoder.feed(bomb[i:i + 65536])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert err.value.kind == "too_large"
    assert peak < 4 * limit


def test_decoder_round_trips_gzip_and_raw_deflate():
    import zlib

    data = "共主动公开政府信息120条".encode() * 100
    assert _Decoder("gzip", 10**6).feed(gzip.compress(data)) == data
    raw = zlib.compressobj(wbits=-15)
    assert _Decoder("deflate", 10**6).feed(raw.compress(data) + raw.flush()) == data
    assert _Decoder("deflate", 10**6).feed(zlib.compress(data)) == data


def test_robots_and_waits():
    r = Robots.from_response(200, "User-agent: ogi-crawler\nDisallow: /a/\n\nUser-agent: *\nDisallow: /")
    assert r.allowed("http://h/b", "ogi-crawler") and not r.allowed("http://h/a/1", "ogi-crawler")
    assert not r.allowed("http://h/b", "other")
    assert Robots.from_response(404, "").allowed("http://h/x", "ogi-crawler")
    assert not Robots.from_response(503, "").allowed("http://h/x", "ogi-crawler")
    assert retry_after("120") == 120.0 and retry_after(None) is None
    import random

    rng = random.Random(3)
    waits = [backoff(n, 0.5, 8.0, rng) for n in range(1, 10)]
    assert all(w <= 8.0 for w in waits) and waits[0] <= 0.5 and waits[-1] >= 4.0


def test_seeds_file_and_shards():
    seeds, scope = read_seeds("https://a.gov.cn/nb/ 福建省\n\n# comment\nscope: b.gov.cn, c.gov.cn\nhttp://d.cn/\n")
    assert [(s.url, s.label) for s in seeds] == [("https://a.gov.cn/nb/", "福建省"), ("http://d.cn/", None)]
    assert scope == ["b.gov.cn", "c.gov.cn"]
    assert parse_shard("3/4") == (3, 4)
    with pytest.raises(ValueError):
        parse_shard("4/4")
    hosts = [f"www.h{i}.gov.cn" for i in range(400)]
    counts = [sum(shard_of(h, 4) == k for h in hosts) for k in range(4)]
    assert sum(counts) == 400 and min(counts) > 60  # every host in exactly one shard, roughly balanced


@pytest.mark.parametrize("body,url,kind,expected", [
    ('<a href="/a/1.html">首页</a>'.encode("gbk"), "http://x.cn/art/1.html", "report", False),
    ('<a href="/f/报告.PDF">附件</a>'.encode("gbk"), "http://x.cn/art/1.html", "report", True),
    ('<a href="/f/r.docx">附件</a>'.encode("utf-16"), "http://x.cn/art/1.html", "report", True),  # not one byte/char
    (b"<p>no links</p>", "http://x.cn/art/1.pdf", "report", True),  # the page's own name
    (b"<p>no links</p>", "http://x.cn/col/index.html", "listing", True),  # listings always
])
def test_worth_decoding(body, url, kind, expected):
    """The byte-level shortcut never hides a link that discovery on the decoded page would find."""
    assert worth_decoding(body, url, kind) is expected
    if not expected:
        assert discover(decode_page(body, None), url, kind) == []
