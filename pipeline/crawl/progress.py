"""Crawl progress: a live status block on a terminal, plain log lines otherwise, a summary at the end."""

from __future__ import annotations

import asyncio
import sys
import time
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.crawl.engine import Crawler, Summary


class Progress:
    """``enabled=False`` is silent (library use and tests); ``live`` redraws instead of logging lines."""

    def __init__(self, enabled: bool = True, stream: IO[str] | None = None, live: bool | None = None,
                 interval: float = 0.5) -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.interval = interval
        self.crawler: Crawler | None = None
        self.t0 = time.monotonic()
        self.lines_drawn = 0
        self.task: asyncio.Task[Any] | None = None

    def start(self, crawler: "Crawler") -> None:
        self.crawler, self.t0 = crawler, time.monotonic()
        if self.enabled and self.live:
            self.task = asyncio.get_running_loop().create_task(self._redraw_loop())

    def event(self, host: str, url: str, status: int | None, note: str) -> None:
        if self.crawler is not None and host in self.crawler.hosts:
            self.crawler.hosts[host].last_status = f"{status or '-'} {note}"
        if self.enabled and not self.live:
            print(f"{time.strftime('%H:%M:%S')} {status if status is not None else '---'} {url} {note}",
                  file=self.stream, flush=True)

    def status_lines(self) -> list[str]:
        c = self.crawler
        if c is None:
            return []
        done = sum(h.done for h in c.hosts.values())
        failed = sum(h.failed for h in c.hosts.values())
        queued = sum(len(h.pending) for h in c.hosts.values())
        elapsed = max(time.monotonic() - self.t0, 1e-9)
        lines = [f"done {done}  failed {failed}  queued {queued}  fetches {c.fetches}  "
                 f"{c.fetches / elapsed:.1f} req/s  {elapsed:.0f}s"]
        busiest = sorted(c.hosts.values(), key=lambda h: (-h.inflight, -len(h.pending)))[:8]
        for h in busiest:
            wait = max(0.0, h.next_start - time.monotonic())
            lines.append(f"  {h.host:<40} in-flight {h.inflight}  queued {len(h.pending):<5} "
                         f"next in {wait:4.1f}s  {h.last_status[:40]}")
        return lines

    def _draw(self) -> None:
        lines = self.status_lines()
        out = ("\x1b[F\x1b[2K" * self.lines_drawn) + "".join(f"\x1b[2K{line}\n" for line in lines)
        self.stream.write(out)
        self.stream.flush()
        self.lines_drawn = len(lines)

    async def _redraw_loop(self) -> None:
        while True:
            self._draw()
            await asyncio.sleep(self.interval)

    def finish(self, summary: "Summary") -> None:
        if self.task is not None:
            self.task.cancel()
            self._draw()
        if self.enabled:
            rate = summary.fetches / summary.seconds if summary.seconds else 0.0
            print(f"crawl finished: {summary.done} done, {summary.failed} failed, {summary.skipped} skipped "
                  f"(robots), {summary.queued} still queued; {summary.fetches} requests in {summary.seconds:.1f}s "
                  f"({rate:.1f}/s); {summary.recovered} recovered from a previous run", file=self.stream, flush=True)
