"""Crawler throughput against a loopback server, next to a bare httpx.AsyncClient loop.

Both fetch the same N pages (~36 KB each, distinct bodies) from a minimal keep-alive HTTP server running
in another process, with the same concurrency; the crawler has politeness off (no delay, no robots.txt)
but does everything else: address checks, streaming size caps, WARC writing, SQLite index, link
discovery (every URL is a seed, i.e. a listing page, so discovery runs on every page).

Rounds are interleaved (bare, crawler, then crawler, bare, ...) after one warm-up round of each, so
that drift in the machine's load hits both sides alike; the report gives the median and best pages/s
of each side, the ratio of medians and of bests, and the median of the per-round ratios.

    .venv/bin/python benchmarks/crawl.py [--pages 600] [--concurrency 16] [--rounds 7]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

PAGE = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>2023年政府信息公开工作年度报告</title></head><body>"
        + "<p>二、主动公开政府信息情况 全年共主动公开政府信息120条。</p>" * 420 + "</body></html>").encode()


async def _handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ", 2)[1]
            # Distinct pages (the path is part of the body), as in a real crawl: no content duplicates.
            body, status = (PAGE + path, b"200 OK") if path.startswith(b"/p/") else (b"", b"404 Not Found")
            writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
                         + str(len(body)).encode() + b"\r\n\r\n" + body)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


def _serve(port_out: "mp.Queue[int]") -> None:
    async def main() -> None:
        server = await asyncio.start_server(_handle, "127.0.0.1", 0, backlog=512)
        port_out.put(server.sockets[0].getsockname()[1])
        await server.serve_forever()
    asyncio.run(main())


async def bare_loop(urls: list[str], concurrency: int) -> float:
    sem = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=concurrency)) as client:
        async def one(url: str) -> None:
            async with sem:
                r = await client.get(url)
                assert r.status_code == 200 and len(r.content) > len(PAGE)
        t0 = time.perf_counter()
        await asyncio.gather(*(one(u) for u in urls))
        return time.perf_counter() - t0


def bare_run(urls: list[str], concurrency: int) -> float:
    return asyncio.run(bare_loop(urls, concurrency))


def crawler_run(urls: list[str], concurrency: int) -> float:
    """Seconds for a whole crawl of ``urls`` (seeding the frontier, fetching, archiving, indexing)."""
    from pipeline.crawl.engine import Crawler
    from pipeline.crawl.safety import SafetyPolicy
    from pipeline.crawl.settings import CrawlSettings, Seed

    with tempfile.TemporaryDirectory() as tmp:
        s = CrawlSettings(corpus=Path(tmp), delay=0.0, per_host=concurrency, concurrency=concurrency,
                          respect_robots=False, policy=SafetyPolicy(allow_private=True))
        crawler = Crawler(s, [Seed(u) for u in urls])
        t0 = time.perf_counter()
        summary = asyncio.run(crawler.run())
        elapsed = time.perf_counter() - t0
        assert summary.done == len(urls), summary
    return elapsed


def _fmt(xs: list[float]) -> str:
    return ", ".join(f"{x:.0f}" for x in xs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=600)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    q: mp.Queue[int] = mp.Queue()
    server = mp.Process(target=_serve, args=(q,), daemon=True)
    server.start()
    port = q.get(timeout=10)
    sides: dict[str, Callable[[list[str], int], float]] = {"bare": bare_run, "ogi": crawler_run}
    try:
        rate: dict[str, list[float]] = {"bare": [], "ogi": []}
        cpu: dict[str, list[float]] = {"bare": [], "ogi": []}
        for r in range(-1, args.rounds):  # round -1 warms up both sides (imports, first connections)
            urls = [f"http://127.0.0.1:{port}/p/{r}-{i}.html" for i in range(args.pages)]  # same URLs for both
            for name in (("bare", "ogi") if r % 2 == 0 else ("ogi", "bare")):
                c0 = time.process_time()
                seconds = sides[name](urls, args.concurrency)
                if r >= 0:
                    rate[name].append(args.pages / seconds)
                    cpu[name].append((time.process_time() - c0) / args.pages * 1e3)
        ratios = [o / b for o, b in zip(rate["ogi"], rate["bare"])]
        med = {k: statistics.median(v) for k, v in rate.items()}
        best = {k: max(v) for k, v in rate.items()}
        print(f"pages: {args.pages} x {len(PAGE)} B, concurrency {args.concurrency}, {args.rounds} interleaved rounds "
              f"(+1 warm-up), {os.cpu_count()} cores")
        for name, label in (("bare", "bare httpx.AsyncClient loop"), ("ogi", "ogi crawler (WARC+index)  ")):
            print(f"{label}: median {med[name]:6.1f}  best {best[name]:6.1f} pages/s  "
                  f"CPU {statistics.median(cpu[name]):.2f} ms/page  (rounds: {_fmt(rate[name])})")
        print(f"ratio crawler/bare: median {med['ogi'] / med['bare']:.2f}, best {best['ogi'] / best['bare']:.2f}, "
              f"median of per-round ratios {statistics.median(ratios):.2f}  (target >= 0.8)")
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
