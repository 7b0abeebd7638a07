"""Crawl, then read the archive: parse_page gives the same result as parsing the same pages directly."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "crawl"))
from sites import Site, html, ok, report_page  # noqa: E402

from parsers.page import parse_page  # noqa: E402
from parsers.records import Document  # noqa: E402
from parsers.settings import load_resources  # noqa: E402
from pipeline.corpus import iter_corpus  # noqa: E402
from pipeline.crawl.engine import Crawler  # noqa: E402
from pipeline.crawl.safety import SafetyPolicy  # noqa: E402
from pipeline.crawl.settings import CrawlSettings, Seed  # noqa: E402


def essence(doc: Document) -> tuple[object, ...]:
    figures = tuple((f.metric, f.value, f.unit, f.quote, f.start, f.end, f.section) for f in doc.figures)
    return (doc.status, doc.text, doc.sha256, figures, tuple(s.section_id for s in doc.sections),
            doc.metadata.title, doc.metadata.data_year)


@pytest.fixture(scope="module")
def resources():
    return load_resources()


def test_archive_route_equals_direct_route(tmp_path, resources):
    served = {"/art/a2023.html": (report_page("report_a.html"), "text/html; charset=utf-8"),
              "/art/b2021.html": (report_page("report_b.html", "gbk"), "text/html")}
    site = Site("127.0.0.1").start()
    site.routes["/col/index.html"] = ok(html(
        '<a href="/art/a2023.html">甲市2023年政府信息公开工作年度报告</a>'
        '<a href="/art/b2021.html">乙县2021年政府信息公开工作年度报告</a>'))
    for path, (body, ctype) in served.items():
        site.routes[path] = ok(body, ctype)
    try:
        s = CrawlSettings(corpus=tmp_path, delay=0.0, policy=SafetyPolicy(allow_private=True))
        asyncio.run(Crawler(s, [Seed(f"{site.base}/col/index.html")]).run())
    finally:
        site.stop()
    items = {it.url: it for it in iter_corpus([tmp_path]) if it.url and "/art/" in it.url}
    assert set(items) == {f"{site.base}{p}" for p in served}
    for path, (body, ctype) in served.items():
        item = items[f"{site.base}{path}"]
        assert item.data == body and item.error is None
        via_archive = parse_page(item.data, source=item.source, resources=resources,
                                 content_type=item.content_type, url=item.url)
        direct = parse_page(body, source=path.rsplit("/", 1)[1], resources=resources, content_type=ctype,
                            url=item.url)
        assert essence(via_archive) == essence(direct)
        assert via_archive.status == "ok" and via_archive.figures  # the report parses to figures at all
    doc = parse_page(items[f"{site.base}/art/a2023.html"].data, source="x", resources=resources)
    assert any(f.value == 120 for f in doc.figures)
