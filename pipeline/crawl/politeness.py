"""Politeness: robots.txt rules, per-host gaps and concurrency, Retry-After and backoff."""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass, field

from protego import Protego

from pipeline.crawl.index import Job

#: Longest Crawl-delay / Retry-After honoured; a server asking for more is treated as unavailable.
MAX_WAIT = 600.0


@dataclass
class Robots:
    """Parsed robots.txt of one host. ``None`` parser: everything allowed; ``deny_all``: nothing."""

    parser: Protego | None = None
    deny_all: bool = False

    @staticmethod
    def from_response(status: int, body: str) -> "Robots":
        """RFC 9309: 4xx means no rules; 5xx (or unreachable) means full disallow.

        >>> r = Robots.from_response(200, "User-agent: *\\nDisallow: /private/\\nCrawl-delay: 2")
        >>> r.allowed("http://h/private/x", "ogi"), r.allowed("http://h/pub", "ogi"), r.crawl_delay("ogi")
        (False, True, 2.0)
        """
        if 200 <= status < 300:
            return Robots(Protego.parse(body))
        if 400 <= status < 500:
            return Robots()
        return Robots(deny_all=True)

    def allowed(self, url: str, agent: str) -> bool:
        if self.deny_all:
            return False
        return True if self.parser is None else bool(self.parser.can_fetch(url, agent))

    def crawl_delay(self, agent: str) -> float | None:
        if self.parser is None:
            return None
        value = self.parser.crawl_delay(agent)
        return None if value is None else min(float(value), MAX_WAIT)


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date).

    >>> retry_after("3"), retry_after("Thu, 01 Jan 1970 00:00:10 GMT", now=4.0), retry_after("soon")
    (3.0, 6.0, None)
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


def backoff(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Capped exponential backoff with full jitter in its upper half: ``[d/2, d]``, ``d = min(cap, base*2^(attempt-1))``.

    >>> 0.5 <= backoff(1, 1.0, 30.0, random.Random(1)) <= 1.0
    True
    """
    d = min(cap, base * (2 ** max(0, attempt - 1)))
    return d / 2 + rng.random() * d / 2


@dataclass
class HostState:
    """Live scheduling state of one host."""

    host: str
    delay: float
    per_host: int
    inflight: int = 0
    next_start: float = 0.0  # monotonic time before which no request may start
    last_start: float = 0.0
    robots: Robots | None = None
    robots_busy: bool = False
    done: int = 0
    failed: int = 0
    last_status: str = ""
    pending: list[tuple[float, int, Job]] = field(default_factory=list)  # heap of (not_before, seq, job)

    def gap(self, rng: random.Random, jitter: float) -> float:
        """The gap to the next request start: the delay plus up to ``jitter`` of it (never less)."""
        return self.delay * (1.0 + rng.random() * jitter) if self.delay > 0 else 0.0
