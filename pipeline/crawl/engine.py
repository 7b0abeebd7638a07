"""The crawl scheduler: workers take jobs from per-host queues under the politeness rules.

A job may start when its host has a free slot (``per_host``), the host's gap since the last start has
passed, and the job's own ``not_before`` (Retry-After, backoff) has passed. robots.txt is fetched
before any other request to a host, under the same rules.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import random
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from pipeline.crawl.fetch import Exchange, Fetcher, FetchError
from pipeline.crawl.index import Index, Job
from pipeline.crawl.politeness import MAX_WAIT, HostState, Robots, backoff, retry_after
from pipeline.crawl.progress import Progress
from pipeline.crawl.record import Recorder, reconcile
from pipeline.crawl.settings import CrawlSettings, Seed, scope_hosts
from pipeline.warc import Pair, WarcWriterFiles

#: Bodies from this size on are hashed and gzipped in a worker thread, so that a multi-megabyte
#: attachment does not stall the other transfers for tens of milliseconds. Smaller ones are done inline:
#: the hand-over (futures, thread wake-ups, GIL hand-offs) costs ~0.4 ms of CPU per page, more than the
#: work itself on a typical page (measured with benchmarks/crawl.py: inline 1.67 vs 2.05 ms CPU/page).
OFFLOAD_BYTES = 512 * 1024
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})


@dataclass
class Summary:
    done: int = 0
    failed: int = 0
    skipped: int = 0
    queued: int = 0
    fetches: int = 0
    recovered: int = 0
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)


class Crawler:
    def __init__(self, settings: CrawlSettings, seeds: list[Seed], progress: Progress | None = None) -> None:
        self.s = settings
        self.rng = random.Random(settings.random_seed)
        self.progress = progress or Progress(enabled=False)
        self.index = Index(settings.archive_dir / ("index.sqlite3" if settings.shard[1] == 1
                                                   else f"index-{settings.prefix}.sqlite3"))
        self.warc = WarcWriterFiles(settings.archive_dir, settings.prefix, settings.warc_max_size)
        self.hosts: dict[str, HostState] = {}
        self.seq = itertools.count()
        self.recorder = Recorder(self.index, self.warc, scope_hosts(seeds, settings.extra_scope), settings.shard,
                                 settings.max_redirects, on_new=self._push)
        self.seeds = seeds
        self.wakeup = asyncio.Event()
        self.fetches = 0
        self.stopping = False
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ogi-warc")

    # ---- queue ----------------------------------------------------------------------------------
    def _host(self, host: str) -> HostState:
        state = self.hosts.get(host)
        if state is None:
            state = self.hosts[host] = HostState(host, self.s.delay, self.s.per_host)
            if not self.s.respect_robots:
                state.robots = Robots()
            else:
                cached = self.index.robots(host)
                if cached is not None and time.time() - cached[2] < 86400:
                    state.robots = Robots.from_response(cached[0], cached[1])
                    self._apply_crawl_delay(state)
        return state

    def _push(self, job: Job, delay: float = 0.0) -> None:
        heapq.heappush(self._host(job.host).pending, (time.monotonic() + delay, next(self.seq), job))
        self.wakeup.set()

    def prepare(self) -> int:
        """Recover a crashed run's tail, add seeds, re-queue for ``--refresh``, load the frontier."""
        recovered = reconcile(self.recorder, self.s.archive_dir)
        self.index.begin()
        for seed in self.seeds:
            self.recorder.add(seed.url, "listing", discovered_from=None, label=seed.label)
        if self.s.refresh:
            self.index.requeue_finished()
        # Skipped URLs are checked against robots.txt again (rules change; no request if still disallowed).
        self.index.db.execute("UPDATE urls SET state='queued' WHERE state='skipped'")
        self.index.commit(force=True)
        for state in self.hosts.values():
            state.pending.clear()
        now = time.time()
        for job in self.index.queued():
            self._push(job, max(0.0, job.not_before - now))
        return recovered

    def _apply_crawl_delay(self, state: HostState) -> None:
        assert state.robots is not None
        cd = state.robots.crawl_delay(self.s.robots_agent)
        if cd is not None:
            state.delay = max(state.delay, cd)

    async def _next(self) -> tuple[HostState, Job | None] | None:
        """The next job to start (``None`` as job: fetch the host's robots.txt), or None when all is done."""
        while True:
            if self.stopping:
                return None
            now = time.monotonic()
            wait, busy = float("inf"), False
            for h in self.hosts.values():
                busy = busy or h.inflight > 0
                if not h.pending or h.inflight >= h.per_host:
                    continue
                if h.robots is None:
                    if h.robots_busy:
                        continue
                    if h.next_start <= now:
                        h.robots_busy = True
                        return self._reserve(h, now, None)
                    wait = min(wait, h.next_start - now)
                    continue
                while h.pending and not h.robots.allowed(h.pending[0][2].url, self.s.robots_agent):
                    job = heapq.heappop(h.pending)[2]
                    why = "robots.txt unavailable (5xx or unreachable)" if h.robots.deny_all else "disallowed by robots.txt"
                    self.recorder.fail(job, error=why, status=None, state="skipped")
                    self.progress.event(job.host, job.url, None, "robots")
                if not h.pending:
                    continue
                ready = max(h.next_start, h.pending[0][0])
                if ready <= now:
                    return self._reserve(h, now, heapq.heappop(h.pending)[2])
                wait = min(wait, ready - now)
            if wait == float("inf") and not busy:
                return None
            self.wakeup.clear()
            try:
                await asyncio.wait_for(self.wakeup.wait(), None if wait == float("inf") else wait)
            except TimeoutError:
                pass

    def _reserve(self, h: HostState, now: float, job: Job | None) -> tuple[HostState, Job | None]:
        h.inflight += 1
        h.last_start = now
        h.next_start = now + h.gap(self.rng, self.s.jitter)
        return h, job

    # ---- work -----------------------------------------------------------------------------------
    async def _worker(self, fetcher: Fetcher) -> None:
        while (item := await self._next()) is not None:
            host, job = item
            try:
                if job is None:
                    await self._robots(fetcher, host)
                else:
                    await self._process(fetcher, host, job)
            finally:
                host.inflight -= 1
                self.wakeup.set()

    async def _robots(self, fetcher: Fetcher, h: HostState) -> None:
        scheme = h.pending[0][2].url.split("://", 1)[0] if h.pending else "http"
        status, body = 599, ""
        try:
            ex = await fetcher.fetch(f"{scheme}://{h.host}/robots.txt")
            status, body = ex.status, ex.body.decode("utf-8", errors="replace")
            if ex.status in (301, 302, 303, 307, 308):
                status = 404  # a redirected robots.txt is rare on portals: treat as "no rules"
        except FetchError as exc:
            self.progress.event(h.host, f"{scheme}://{h.host}/robots.txt", None, exc.kind)
            if exc.kind == "refused":
                status = 404  # the page requests will be refused (and recorded) one by one
        h.robots, h.robots_busy = Robots.from_response(status, body), False
        self._apply_crawl_delay(h)
        # The robots.txt request itself was spaced with the default delay; Crawl-delay counts from it.
        h.next_start = max(h.next_start, h.last_start + h.gap(self.rng, self.s.jitter))
        if status < 500:  # an unavailable robots.txt is asked for again next run
            self.index.set_robots(h.host, status, body)

    async def _process(self, fetcher: Fetcher, h: HostState, job: Job) -> None:
        headers: dict[str, str] = {}
        if self.s.refresh and job.etag:
            headers["If-None-Match"] = job.etag
        if self.s.refresh and job.last_modified:
            headers["If-Modified-Since"] = job.last_modified
        job.attempts += 1
        started = time.time()
        self.fetches += 1
        try:
            ex = await fetcher.fetch(job.url, headers)
        except FetchError as exc:
            retry = exc.kind in ("timeout", "network") and job.attempts < self.s.max_attempts
            self._retry_or_fail(job, h, f"{exc.kind}: {exc}", exc.status, started, retry, None)
            return
        if ex.status in RETRY_STATUSES:
            wait = retry_after(ex.header("retry-after"))
            retry = job.attempts < self.s.max_attempts and (wait is None or wait <= MAX_WAIT)
            self._retry_or_fail(job, h, f"HTTP {ex.status}", ex.status, started, retry, wait)
            return
        if len(ex.body) >= OFFLOAD_BYTES:
            # Hashing and gzip release the GIL: run them beside the event loop, which meanwhile
            # drives the other requests. The pair is built as a response; in the rare case the
            # payload turns out to be archived already, the revisit is built instead.
            sha, pair = await asyncio.get_running_loop().run_in_executor(self.pool, self.recorder.prepare, ex)
        else:
            sha, pair = self.recorder.prepare(ex)
        prev = self.recorder.previous(ex, sha)  # no await from here to the index commit: dedupe is exact
        if prev is not None:
            pair = self.recorder.serialize(ex, prev)
        self._finish(job, h, ex, (sha, prev, pair))

    def _retry_or_fail(self, job: Job, h: HostState, error: str, status: int | None, started: float,
                       retry: bool, wait: float | None) -> None:
        if not retry:
            self.recorder.fail(job, error=error, status=status, started=started)
            h.failed += 1
            self.progress.event(h.host, job.url, status, error)
            return
        delay = wait if wait is not None else backoff(job.attempts, self.s.backoff_base, self.s.backoff_cap, self.rng)
        if wait is not None:  # the server asked the whole host to slow down
            h.next_start = max(h.next_start, time.monotonic() + wait)
        self.recorder.fail(job, error=error, status=status, state="queued", started=started,
                           not_before=time.time() + delay)
        self._push(job, delay)
        self.progress.event(h.host, job.url, status, f"retry in {delay:.2f}s")

    def _finish(self, job: Job, h: HostState, ex: Exchange,
                prepared: tuple[str, tuple[str, str, str] | None, Pair]) -> None:
        state = self.recorder.record(job, ex, prepared=prepared)
        if state == "done":
            h.done += 1
        else:
            h.failed += 1
        self.progress.event(h.host, job.url, ex.status, f"{len(ex.body)} B")
        if self.s.max_pages is not None and h.done + h.failed and self._captures() >= self.s.max_pages:
            self.stopping = True

    def _captures(self) -> int:
        return sum(x.done + x.failed for x in self.hosts.values())

    async def run(self) -> Summary:
        t0 = time.monotonic()
        try:
            recovered = self.prepare()
            self.progress.start(self)
            async with Fetcher(self.s.user_agent, self.s.policy, self.s.limits,
                               max_connections=self.s.concurrency) as fetcher:
                workers = [asyncio.create_task(self._worker(fetcher)) for _ in range(self.s.concurrency)]
                try:
                    await asyncio.gather(*workers)
                finally:
                    for w in workers:
                        w.cancel()
            self.index.commit(force=True)
            counts = self.index.counts()
            summary = Summary(done=counts.get("done", 0), failed=counts.get("failed", 0),
                              skipped=counts.get("skipped", 0), queued=counts.get("queued", 0),
                              fetches=self.fetches, recovered=recovered, seconds=time.monotonic() - t0,
                              counts=counts)
            self.progress.finish(summary)
            return summary
        finally:
            self.pool.shutdown(wait=True)
            self.warc.close()
            self.index.close()  # commits what an interruption (Ctrl-C) left pending
