"""End-to-end crawler tests against real HTTP servers on loopback addresses (several hosts)."""

from __future__ import annotations

import asyncio
import ipaddress
import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "crawl"))
from sites import Site, conditional, gzip_bomb, html, ok, once_then, report_page, slow  # noqa: E402

from pipeline.crawl.engine import Crawler, Summary  # noqa: E402
from pipeline.crawl.fetch import FetchLimits  # noqa: E402
from pipeline.crawl.safety import SafetyPolicy  # noqa: E402
from pipeline.crawl.settings import CrawlSettings, Seed  # noqa: E402
from pipeline.warc import iter_records, iter_warc  # noqa: E402

DELAY = 0.1
TOL = 0.02  # server-side timing noise (the server stamps a request when a thread picks it up)


def build_sites() -> tuple[Site, Site, Site]:
    a, b, c = Site("127.0.0.1").start(), Site("127.0.0.2").start(), Site("127.0.0.3").start()
    report_a = report_page("report_a.html")
    a.routes.update({
        "/robots.txt": ok(b"User-agent: *\nDisallow: /private/\n", "text/plain"),
        "/col/index.html": ok(html(
            '<ul><li><a href="/art/2023.html" title="甲市2023年政府信息公开工作年度报告">甲市2023年政府信息…</a></li>'
            '<li><a href="../art/2022.html">甲市2022年政府信息公开年报</a></li>'
            '<li><a href="/private/2021.html">甲市2021年政府信息公开年报</a></li>'
            '<li><a href="/art/guide.html">政府信息公开指南</a></li>'
            f'<li><a href="{b.base}/art/b2021.html">乙县2021年政府信息公开工作年度报告</a></li>'
            f'<li><a href="{c.base}/x.html">丙市2020年政府信息公开年度报告</a></li></ul>'
            '<script>createPageHTML(3, 0, "index", "html");</script>')),
        "/col/index_1.html": ok(html(
            '<a href="/art/2020.html?utm_source=wx#top">甲市2020年年度报告</a>'
            '<a href="/art/2019.html">甲市2019年年度报告</a>'
            '<a href="/art/2018.html">甲市2018年年度报告</a><a href="index_2.html">下一页</a>')),
        "/col/index_2.html": ok(html(
            '<a href="/art/redir.html">2017年年度报告</a><a href="/art/loop1.html">2016年年度报告</a>'
            '<a href="/art/slow.html">2015年年度报告</a><a href="/art/huge.html">2014年年度报告</a>'
            '<a href="/art/bomb.html">2013年年度报告</a><a href="/art/503.html">2012年年度报告</a>')),
        "/art/2023.html": conditional(ok(report_a), '"v1"'),
        "/art/2022.html": ok(html('2022年报 <a href="/files/r2022.pdf">附件</a> <a href="/files/r2022.xls">表</a>')),
        "/art/2019.html": ok(report_a),  # same bytes as 2023: a content duplicate
        "/art/2020.html": once_then((429, {"Retry-After": "1"}, b"slow down"), ok(html("2020年报"))),
        "/art/503.html": once_then((503, {"Retry-After": "1"}, b"busy"), ok(html("2012年报"))),
        "/art/redir.html": (301, {"Location": "/art/redir2.html"}, b""),
        "/art/redir2.html": (302, {"Location": "2017.html"}, b""),
        "/art/2017.html": ok(html("2017年报")),
        "/art/loop1.html": (302, {"Location": "/art/loop2.html"}, b""),
        "/art/loop2.html": (302, {"Location": "/art/loop1.html"}, b""),
        "/art/slow.html": slow(1.0, ok(html("slow"))),
        "/art/huge.html": ok(b"<html>" + b"x" * 3_000_000 + b"</html>"),
        "/art/bomb.html": gzip_bomb(64_000_000),
        "/files/r2022.pdf": ok(b"%PDF-1.4 fake", "application/pdf"),
        "/files/r2022.xls": ok(b"\xd0\xcf\x11\xe0 fake", "application/vnd.ms-excel"),
        "/private/2021.html": ok(html("secret")),
    })

    def hanweb(_h: object, q: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        page = q.get("pageNum", "1")
        item = ('<a href="/art/b2021.html" title="乙县2021年政府信息公开工作年度报告">乙县2021年…</a>' if page == "1"
                else '<a href="/art/b2020.html" title="乙县2020年政府信息公开工作年度报告">乙县2020年…</a>')
        body = html(f'<div id="77"><script type="text/xml"><datastore><recordset><record><![CDATA[<li>{item}</li>]]>'
                    '</record></recordset></datastore></script></div>'
                    '<script>var p = new jpage({totalRecord:4, perPage:2, unitid:77});</script>', "gb2312")
        return ok(body)
    b.routes.update({
        "/robots.txt": ok(b"User-agent: *\nCrawl-delay: 0.3\n", "text/plain"),
        "/col/col1/index.html": hanweb,
        "/art/b2021.html": ok(report_page("report_b.html", "gbk"), "text/html"),
        "/art/b2020.html": ok(html("乙县2020年政府信息公开工作年度报告 共主动公开政府信息9条", "gbk")),
    })
    c.routes["/x.html"] = ok(html("out of scope"))
    return a, b, c


@pytest.fixture
def sites():
    s = build_sites()
    yield s
    for site in s:
        site.stop()


def settings(tmp: Path, **kw: object) -> CrawlSettings:
    base: dict[str, object] = dict(
        corpus=tmp, delay=DELAY, per_host=2, concurrency=4, max_attempts=2, backoff_base=0.05,
        limits=FetchLimits(max_bytes=1_000_000, connect_timeout=0.3, read_timeout=0.3, total_timeout=2.0),
        policy=SafetyPolicy(allow_private=True), random_seed=1)
    base.update(kw)
    return CrawlSettings(**base)  # type: ignore[arg-type]


def crawl(s: CrawlSettings, seeds: list[Seed]) -> Summary:
    return asyncio.run(Crawler(s, seeds).run())


def rows(tmp: Path) -> dict[str, tuple]:
    db = sqlite3.connect(tmp / "crawl" / "index.sqlite3")
    out = {r[0].split("/", 3)[3]: r[1:] for r in db.execute(
        "SELECT canonical, state, status, attempts, last_error, duplicate_of, warc_file, warc_offset FROM urls")}
    db.close()
    return out


def seeds_of(a: Site, b: Site) -> list[Seed]:
    return [Seed(f"{a.base}/col/index.html", "甲市"), Seed(f"{b.base}/col/col1/index.html", "乙县")]


def test_full_crawl_outcomes_archive_and_politeness(sites, tmp_path):
    a, b, c = sites
    summary = crawl(settings(tmp_path), seeds_of(a, b))
    r = rows(tmp_path)
    expect = {  # path: (state, status)
        "col/index.html": ("done", 200), "col/index_1.html": ("done", 200), "col/index_2.html": ("done", 200),
        "art/2023.html": ("done", 200), "art/2022.html": ("done", 200), "art/2019.html": ("done", 200),
        "art/2020.html": ("done", 200), "art/503.html": ("done", 200), "art/2018.html": ("failed", 404),
        "art/redir.html": ("done", 301), "art/redir2.html": ("done", 302), "art/2017.html": ("done", 200),
        "art/loop1.html": ("done", 302), "art/loop2.html": ("failed", 302),
        "art/slow.html": ("failed", None), "art/huge.html": ("failed", 200), "art/bomb.html": ("failed", 200),
        "files/r2022.pdf": ("done", 200), "files/r2022.xls": ("done", 200),
        "files/report2023-tables.pdf": ("failed", 404), "files/report2023.docx": ("failed", 404),
        "private/2021.html": ("skipped", None), "art/b2021.html": ("done", 200), "art/b2020.html": ("done", 200),
        "col/col1/index.html?pageNum=1&uid=77": ("done", 200), "col/col1/index.html?pageNum=2&uid=77": ("done", 200),
    }
    assert {k: (v[0], v[1]) for k, v in r.items() if k in expect} == expect
    assert r["art/slow.html"][0] == "failed" and "timeout" in r["art/slow.html"][3]
    assert r["art/slow.html"][2] == 2  # bounded retries
    assert "too_large" in r["art/huge.html"][3] or "exceeds" in r["art/huge.html"][3]
    assert "exceeds" in r["art/bomb.html"][3]
    assert "redirect loop" in r["art/loop2.html"][3]
    assert r["art/2019.html"][4] and r["art/2019.html"][4].endswith("/art/2023.html")  # content dedupe
    assert "art/guide.html" not in r and not any(k.startswith("x.html") for k in r)
    assert summary.queued == 0
    # Never requested: robots-disallowed paths, out-of-scope hosts, over-size bodies not re-requested.
    assert not any(p.startswith("/private/") for p in a.paths())
    assert c.log == []
    assert a.paths().count("/art/2023.html") == 1 and a.paths().count("/col/index.html") == 1
    # Retry-After honoured per URL.
    for path in ("/art/2020.html", "/art/503.html"):
        hits = [h.start for h in a.log if h.path.startswith(path)]
        assert len(hits) == 2 and hits[1] - hits[0] >= 1.0 - TOL, (path, hits)
    # Politeness from the servers' own logs: gap between starts and in-flight per host.
    for site, gap in ((a, DELAY), (b, 0.3)):  # B's robots.txt asks Crawl-delay: 0.3
        starts = sorted(h.start for h in site.log)
        gaps = [round(y - x, 3) for x, y in zip(starts, starts[1:])]
        assert min(gaps) >= gap - TOL, (site.address, gaps)
        assert site.max_inflight <= 2, site.max_inflight
    ua = a.log[0].headers["User-Agent"]
    assert "ogi-crawler" in ua and "+http" in ua
    # The archive: one response (or revisit) per captured URL, index pointers agree with the files.
    records = {}
    for path in sorted((tmp_path / "crawl").glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for rec in iter_records(fh):
                if rec.rec_type in ("response", "revisit"):
                    assert rec.url not in records
                    records[rec.url] = (path.name, rec.offset, rec.rec_type)
    db = sqlite3.connect(tmp_path / "crawl" / "index.sqlite3")
    for url, wf, off in db.execute("SELECT url, warc_file, warc_offset FROM urls WHERE warc_file IS NOT NULL"):
        assert records[url][:2] == (wf, off)
    assert {u for u, in db.execute("SELECT url FROM urls WHERE warc_file IS NOT NULL")} == set(records)
    assert records[f"{a.base}/art/2019.html"][2] == "revisit"
    # Every record's block and payload digests verify (warcio), request and response are paired, a
    # revisit names the payload digest of the capture it refers to, and the index's digests agree.
    from warcio.archiveiterator import ArchiveIterator

    digests, revisits, concurrent = {}, {}, set()
    for path in sorted((tmp_path / "crawl").glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for rec in ArchiveIterator(fh, check_digests="raise"):
                rec.content_stream().read()
                h = rec.rec_headers
                if rec.rec_type == "request":
                    concurrent.add(h.get_header("WARC-Concurrent-To"))
                elif rec.rec_type == "response":
                    digests[h.get_header("WARC-Target-URI")] = h.get_header("WARC-Payload-Digest")
                    concurrent.discard(h.get_header("WARC-Record-ID"))
                elif rec.rec_type == "revisit":
                    revisits[h.get_header("WARC-Refers-To-Target-URI")] = h.get_header("WARC-Payload-Digest")
                    concurrent.discard(h.get_header("WARC-Record-ID"))
    assert not concurrent and f"{a.base}/art/2023.html" in revisits
    assert revisits == {u: digests[u] for u in revisits}
    contents = dict(db.execute("SELECT url, digest FROM contents"))
    assert contents and contents == {u: digests[u] for u in contents}
    # iter_warc yields pages only (no PDF, no redirects, no errors), GBK bytes untouched.
    items = [it for p in sorted((tmp_path / "crawl").glob("*.warc.gz")) for it in iter_warc(p, "crawl/" + p.name)]
    urls = {it.url for it in items}
    assert f"{a.base}/files/r2022.pdf" not in urls and f"{a.base}/art/redir.html" not in urls
    assert f"{a.base}/art/2018.html" not in urls and f"{a.base}/art/2019.html" not in urls
    gbk = next(it for it in items if it.url == f"{b.base}/art/b2021.html")
    assert gbk.data == report_page("report_b.html", "gbk") and gbk.source.startswith("crawl/ogi-00000.warc.gz#")

    # Re-running a finished crawl fetches nothing; --refresh sends conditional requests.
    before = len(a.log), len(b.log)
    crawl(settings(tmp_path), seeds_of(a, b))
    assert (len(a.log), len(b.log)) == before
    crawl(settings(tmp_path, refresh=True), seeds_of(a, b))
    refreshed = [h for h in a.log[before[0]:] if h.path == "/art/2023.html"]
    assert len(refreshed) == 1 and refreshed[0].headers.get("If-None-Match") == '"v1"' and refreshed[0].status == 304
    assert rows(tmp_path)["art/2023.html"][:2] == ("done", 304)


def test_private_addresses_refused_after_dns_and_on_redirect(sites, tmp_path):
    a, b, _ = sites
    a.routes["/col/index.html"] = ok(html('<a href="/art/jump.html">2023年年度报告</a>'))
    a.routes["/art/jump.html"] = (302, {"Location": f"{b.base}/art/b2021.html"}, b"")
    only_a = SafetyPolicy(allowed=(ipaddress.ip_network("127.0.0.1/32"),))
    seeds = [Seed(f"{a.base}/col/index.html"), Seed(f"{b.base}/col/col1/index.html")]
    crawl(settings(tmp_path, policy=only_a), seeds)
    assert b.log == []  # neither the seed nor the redirect hop reached it
    r = rows(tmp_path)
    assert r["art/jump.html"][:2] == ("done", 302)
    assert r["art/b2021.html"][0] == "failed" and "non-public" in r["art/b2021.html"][3]
    assert r["col/col1/index.html"][0] == "failed" and "non-public" in r["col/col1/index.html"][3]


def test_shards_partition_hosts(sites, tmp_path):
    a, b, _ = sites
    from pipeline.crawl.urls import host_of, shard_of

    hosts = [host_of(a.base), host_of(b.base)]
    for n in (1, 2, 3, 7):
        assert sorted(shard_of(h, n) for h in hosts) == sorted(shard_of(h, n) for h in hosts)  # stable
    n = 2
    wanted = shard_of(host_of(a.base), n)
    crawl(settings(tmp_path, shard=(wanted, n)), seeds_of(a, b))
    assert a.log != []
    assert (b.log == []) == (shard_of(host_of(b.base), n) != wanted)
    assert list((tmp_path / "crawl").glob(f"ogi-s{wanted}of2-00000.warc.gz"))


def test_max_pages_stops_early(sites, tmp_path):
    a, b, _ = sites
    crawl(settings(tmp_path, max_pages=3), seeds_of(a, b))
    db = sqlite3.connect(tmp_path / "crawl" / "index.sqlite3")
    (n,) = db.execute("SELECT COUNT(*) FROM urls WHERE state IN ('done','failed')").fetchone()
    assert 3 <= n <= 3 + 4  # requests already in flight may finish


def test_names_resolving_to_loopback_refused(sites, tmp_path):
    _, b, _ = sites
    port = b.server.server_address[1]  # type: ignore[union-attr]
    crawl(settings(tmp_path, policy=SafetyPolicy()), [Seed(f"http://localhost:{port}/col/col1/index.html")])
    assert b.log == []
    state, _status, _attempts, error, *_ = rows(tmp_path)["col/col1/index.html"]
    assert state == "failed" and "non-public" in error


@pytest.mark.parametrize("size", [100, 40_000, 700_000])  # inline, inline, hashed and gzipped in the worker thread
def test_archived_bytes_and_digests_whatever_the_size(tmp_path, size):
    from warcio.archiveiterator import ArchiveIterator

    site = Site("127.0.0.1").start()
    try:
        body = html("2023年年度报告 " + "".join(f"第{i}行。" for i in range(size // 12)))
        site.routes["/art/1.html"] = ok(body)
        site.routes["/art/2.html"] = ok(body)  # the same payload again: a revisit
        s = crawl(settings(tmp_path), [Seed(f"{site.base}/art/1.html"), Seed(f"{site.base}/art/2.html")])
        assert s.done == 2
    finally:
        site.stop()
    [path] = (tmp_path / "crawl").glob("*.warc.gz")
    with open(path, "rb") as fh:
        recs = [(r.rec_type, r.content_stream().read()) for r in ArchiveIterator(fh, check_digests="raise")]
    assert [t for t, _ in recs] == ["request", "response", "request", "revisit"] and recs[1][1] == body
