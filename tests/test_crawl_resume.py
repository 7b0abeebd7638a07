"""Deterministic crash recovery: a pair written to the WARC but not yet indexed, and a torn pair."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "crawl"))
from sites import Site, html, ok  # noqa: E402

from pipeline.crawl.engine import Crawler  # noqa: E402
from pipeline.crawl.safety import SafetyPolicy  # noqa: E402
from pipeline.crawl.settings import CrawlSettings, Seed  # noqa: E402
from pipeline.warc import WarcWriterFiles, build_pair, iter_records  # noqa: E402


def test_unindexed_tail_is_recovered_and_torn_tail_truncated(tmp_path):
    site = Site("127.0.0.1").start()
    site.routes["/col/index.html"] = ok(html("".join(
        f'<a href="/art/{i}.html">{2020 + i}年度报告</a>' for i in range(3))))
    for i in range(3):
        site.routes[f"/art/{i}.html"] = ok(html(f"报告{i}"))
    s = CrawlSettings(corpus=tmp_path, delay=0.0, max_pages=1, concurrency=1,
                      policy=SafetyPolicy(allow_private=True))
    seeds = [Seed(f"{site.base}/col/index.html")]
    try:
        asyncio.run(Crawler(s, seeds).run())
        assert site.paths() == ["/robots.txt", "/col/index.html"]
        # Simulate a kill: page 0's pair reached the WARC but not the index; page 1's pair is torn.
        writer = WarcWriterFiles(tmp_path / "crawl")
        body = html("报告0")
        url0 = f"{site.base}/art/0.html"
        blob, at = build_pair(url0, method_line="GET /art/0.html HTTP/1.1", request_headers=(("Host", "x"),),
                              status=200, reason="OK", headers=(("Content-Type", "text/html"),), body=body)
        w0 = writer.append(blob, at)
        blob1, at1 = build_pair(f"{site.base}/art/1.html", method_line="GET /art/1.html HTTP/1.1",
                                request_headers=(), status=200, reason="OK", headers=(), body=html("报告1"))
        writer.append(blob1[: at1 + 40], at1)
        s2 = CrawlSettings(corpus=tmp_path, delay=0.0, concurrency=1, policy=SafetyPolicy(allow_private=True))
        summary = asyncio.run(Crawler(s2, seeds).run())
    finally:
        site.stop()
    assert summary.recovered == 1
    assert "/art/0.html" not in site.paths() and site.paths().count("/art/1.html") == 1
    urls = []
    with open(tmp_path / "crawl" / "ogi-00000.warc.gz", "rb") as fh:
        for rec in iter_records(fh):  # no error: the torn pair is gone
            if rec.rec_type == "response":
                urls.append(rec.url)
    assert sorted(urls) == sorted({f"{site.base}/col/index.html", url0} | {f"{site.base}/art/{i}.html" for i in (1, 2)})
    db = sqlite3.connect(tmp_path / "crawl" / "index.sqlite3")
    assert db.execute("SELECT state, warc_offset FROM urls WHERE url=?", (url0,)).fetchone() == ("done", w0.offset)


def test_progress_live_and_plain_output(tmp_path):
    import io

    from pipeline.crawl.progress import Progress

    site = Site("127.0.0.1").start()
    site.routes["/col/index.html"] = ok(html('<a href="/art/1.html">2020年度报告</a><a href="/art/2.html">2021年度报告</a>'))
    site.routes["/art/1.html"] = ok(html("报告1"))
    seeds = [Seed(f"{site.base}/col/index.html")]
    outputs = []
    try:
        for i, live in enumerate((True, False)):
            stream = io.StringIO()
            s = CrawlSettings(corpus=tmp_path / str(i), delay=0.0, policy=SafetyPolicy(allow_private=True))
            asyncio.run(Crawler(s, seeds, Progress(stream=stream, live=live, interval=0.01)).run())
            outputs.append(stream.getvalue())
    finally:
        site.stop()
    live_out, plain = outputs
    assert "\x1b[" in live_out and "in-flight" in live_out and "crawl finished: 2 done, 1 failed" in live_out
    assert "\x1b[" not in plain and f"404 {site.base}/art/2.html" in plain and "crawl finished: 2 done, 1 failed" in plain
