"""Crawler throughput against a loopback server, next to a bare httpx.AsyncClient loop.

Both fetch the same URLs from a minimal keep-alive HTTP server running in another process, with the same
concurrency; the crawler has politeness off (no delay, no robots.txt) but does everything else: address
checks, streaming size caps, WARC writing, SQLite index, link discovery. Two shapes:

- ``column`` (default, what ``ogi crawl`` does): one seed, the first page of a report column (TRS pager
  script, 20 report links per page, navigation); the crawler discovers the other listing pages and the
  N report pages (~37 KB each, distinct bodies, 54 navigation/footer links each).
- ``listings`` (worst case): all N report-sized pages are seeds, i.e. listing pages, so full link
  discovery runs on every page.

Rounds are interleaved (bare, crawler, then crawler, bare, ...) after one warm-up round of each, so
that drift in the machine's load hits both sides alike; the report gives the median and best pages/s
of each side, the ratio of medians and of bests, and the median of the per-round ratios, and the CPU
time per page of the whole process and of the event-loop thread alone (the crawler hashes and gzips
in a worker thread), which vary much less than wall time on a shared machine.

    .venv/bin/python benchmarks/crawl.py [--pages 600] [--concurrency 16] [--rounds 7] [--shape column]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

PER_LISTING = 20
#: Navigation and footer links as on a real portal page: link discovery has to look at each of them
#: (none is followed: the crawl reaches exactly the benchmark's URLs, which it checks).
NAV = "".join(f'<li><a href="/col/col{i}/index.html">{name}</a></li>' for i, name in enumerate(
    ["首页", "政务公开", "政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报", "机构职能",
     "政策文件", "政策解读", "规划计划", "财政预决算", "人事信息", "统计信息", "应急管理", "建议提案办理",
     "依申请公开", "互动交流", "办事服务", "网站地图", "联系我们", "无障碍浏览", "长者模式"] * 2))
FOOTER = "".join(f'<a href="http://www.site{i}.gov.cn/" target="_blank" title="相关网站{i}">相关网站</a>' for i in range(10))
HEAD = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>2023年政府信息公开工作年度报告</title></head><body>"
PAGE = (f"{HEAD}<ul class='nav'>{NAV}</ul><div class='TRS_Editor'>"
        + "<p>二、主动公开政府信息情况 全年共主动公开政府信息120条。</p>" * 395
        + f"</div><div class='footer'>{FOOTER}</div></body></html>").encode()
_LISTING = re.compile(rb"^/(\w+)/col/index(?:_(\d+))?\.html$")


def listing_page(prefix: str, page: int, n_reports: int) -> bytes:
    """Page ``page`` of a TRS-style report column: report links and the pager script."""
    total = -(-n_reports // PER_LISTING)
    items = "".join(f'<li><a href="/{prefix}/art/{i}.html" title="某市{2000 + i % 24}年政府信息公开工作年度报告">'
                    f"某市{2000 + i % 24}年政府信息公开工作年度…</a><span>2024-05-1{i % 10}</span></li>"
                    for i in range(page * PER_LISTING, min(n_reports, (page + 1) * PER_LISTING)))
    return (f"{HEAD}<ul class='nav'>{NAV}</ul><ul class='list'>{items}</ul>"
            f'<script>createPageHTML({total}, {page}, "index", "html");</script>'
            f"<div class='footer'>{FOOTER}</div></body></html>").encode()


def column_urls(base: str, prefix: str, n_reports: int) -> list[str]:
    """Every URL of one column: its listing pages, then its report pages."""
    total = -(-n_reports // PER_LISTING)
    return ([f"{base}/{prefix}/col/index{'' if k == 0 else f'_{k}'}.html" for k in range(total)]
            + [f"{base}/{prefix}/art/{i}.html" for i in range(n_reports)])


def _respond(path: bytes, n_reports: int) -> tuple[bytes, bytes]:
    m = _LISTING.match(path)
    if m:
        return listing_page(m.group(1).decode(), int(m.group(2) or 0), n_reports), b"200 OK"
    if b"/art/" in path or path.startswith(b"/p/"):
        # Distinct pages (the path is part of the body), as in a real crawl: no content duplicates.
        return PAGE + path, b"200 OK"
    return b"", b"404 Not Found"


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, n_reports: int) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            body, status = _respond(head.split(b" ", 2)[1], n_reports)
            writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
                         + str(len(body)).encode() + b"\r\n\r\n" + body)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


def _serve(port_out: "mp.Queue[int]", n_reports: int) -> None:
    async def main() -> None:
        server = await asyncio.start_server(lambda r, w: _handle(r, w, n_reports), "127.0.0.1", 0, backlog=512)
        port_out.put(server.sockets[0].getsockname()[1])
        await server.serve_forever()
    asyncio.run(main())


async def bare_loop(urls: list[str], concurrency: int) -> float:
    sem = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=concurrency)) as client:
        async def one(url: str) -> None:
            async with sem:
                r = await client.get(url)
                assert r.status_code == 200 and r.content
        t0 = time.perf_counter()
        await asyncio.gather(*(one(u) for u in urls))
        return time.perf_counter() - t0


def bare_run(urls: list[str], concurrency: int) -> float:
    return asyncio.run(bare_loop(urls, concurrency))


def crawler_run(urls: list[str], seeds: list[str], concurrency: int) -> float:
    """Seconds for a whole crawl from ``seeds`` (seeding the frontier, fetching, archiving, indexing,
    discovering); checks that it captured exactly ``urls``."""
    from pipeline.crawl.engine import Crawler
    from pipeline.crawl.safety import SafetyPolicy
    from pipeline.crawl.settings import CrawlSettings, Seed

    with tempfile.TemporaryDirectory() as tmp:
        s = CrawlSettings(corpus=Path(tmp), delay=0.0, per_host=concurrency, concurrency=concurrency,
                          respect_robots=False, policy=SafetyPolicy(allow_private=True))
        crawler = Crawler(s, [Seed(u) for u in seeds])
        t0 = time.perf_counter()
        summary = asyncio.run(crawler.run())
        elapsed = time.perf_counter() - t0
        assert summary.done == len(urls) and summary.failed == 0, summary
    return elapsed


def _fmt(xs: list[float]) -> str:
    return ", ".join(f"{x:.0f}" for x in xs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=600, help="report pages (column) or seed pages (listings)")
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--shape", choices=("column", "listings"), default="column")
    args = ap.parse_args()
    q: mp.Queue[int] = mp.Queue()
    server = mp.Process(target=_serve, args=(q, args.pages), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{q.get(timeout=10)}"
    try:
        rate: dict[str, list[float]] = {"bare": [], "ogi": []}
        cpu: dict[str, list[float]] = {"bare": [], "ogi": []}
        loop_cpu: dict[str, list[float]] = {"bare": [], "ogi": []}
        n = 0
        for r in range(-1, args.rounds):  # round -1 warms up both sides (imports, first connections)
            if args.shape == "column":  # a fresh column per round (same URLs for both sides)
                urls = column_urls(base, f"r{r + 1}", args.pages)
                seeds = urls[:1]
            else:
                urls = seeds = [f"{base}/p/{r + 1}-{i}.html" for i in range(args.pages)]
            n = len(urls)
            runs: dict[str, Callable[[], float]] = {"bare": lambda: bare_run(urls, args.concurrency),
                                                    "ogi": lambda: crawler_run(urls, seeds, args.concurrency)}
            for name in (("bare", "ogi") if r % 2 == 0 else ("ogi", "bare")):
                c0, t0 = time.process_time(), time.thread_time()
                seconds = runs[name]()
                if r >= 0:
                    rate[name].append(n / seconds)
                    cpu[name].append((time.process_time() - c0) / n * 1e3)
                    loop_cpu[name].append((time.thread_time() - t0) / n * 1e3)
        ratios = [o / b for o, b in zip(rate["ogi"], rate["bare"])]
        med = {k: statistics.median(v) for k, v in rate.items()}
        best = {k: max(v) for k, v in rate.items()}
        print(f"shape {args.shape}: {n} pages ({args.pages} x {len(PAGE)} B), concurrency {args.concurrency}, "
              f"{args.rounds} interleaved rounds (+1 warm-up), {os.cpu_count()} cores")
        for name, label in (("bare", "bare httpx.AsyncClient loop"), ("ogi", "ogi crawler (WARC+index)  ")):
            print(f"{label}: median {med[name]:6.1f}  best {best[name]:6.1f} pages/s  "
                  f"CPU {statistics.median(cpu[name]):.2f} ms/page (event loop {statistics.median(loop_cpu[name]):.2f})  "
                  f"(rounds: {_fmt(rate[name])})")
        print(f"ratio crawler/bare: median {med['ogi'] / med['bare']:.2f}, best {best['ogi'] / best['bare']:.2f}, "
              f"median of per-round ratios {statistics.median(ratios):.2f}  (target >= 0.8)")
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
