"""Crawl settings and seeds (explicit values passed down; nothing read from globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.crawl.fetch import FetchLimits
from pipeline.crawl.safety import SafetyPolicy
from pipeline.crawl.urls import canonicalize, host_of

TOOL = "ogi-crawler"
CONTACT = "https://github.com/ogi-reports/ogi"
#: Names the tool and a contact URL; robots.txt rules are matched against :data:`TOOL`.
DEFAULT_USER_AGENT = f"{TOOL}/0.1 (+{CONTACT}; government-report research)"


@dataclass(frozen=True, slots=True)
class Seed:
    url: str
    label: str | None = None


@dataclass(frozen=True, slots=True)
class CrawlSettings:
    corpus: Path
    delay: float = 1.0
    jitter: float = 0.25  # the gap is delay * (1 + U(0, jitter)): never below --delay
    per_host: int = 1
    concurrency: int = 8
    max_pages: int | None = None
    limits: FetchLimits = field(default_factory=FetchLimits)
    user_agent: str = DEFAULT_USER_AGENT
    robots_agent: str = TOOL
    policy: SafetyPolicy = field(default_factory=SafetyPolicy)
    refresh: bool = False
    respect_robots: bool = True
    max_attempts: int = 4
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    max_redirects: int = 10
    shard: tuple[int, int] = (0, 1)
    warc_max_size: int = 1 << 30
    extra_scope: tuple[str, ...] = ()  # hosts added to the scope (seeds file ``scope:`` lines)
    random_seed: int | None = None

    @property
    def archive_dir(self) -> Path:
        return self.corpus / "crawl"

    @property
    def prefix(self) -> str:
        i, n = self.shard
        return "ogi" if n == 1 else f"ogi-s{i}of{n}"


def read_seeds(text: str) -> tuple[list[Seed], list[str]]:
    """Parse a seeds file: ``URL [region label]`` per line, ``#`` comments, ``scope: HOST`` widening the scope.

    >>> read_seeds("# c\\nhttp://a.cn/nb/ 福建省 平潭\\nscope: files.a.cn\\n")
    ([Seed(url='http://a.cn/nb/', label='福建省 平潭')], ['files.a.cn'])
    """
    seeds: list[Seed] = []
    scope: list[str] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
        if not line:
            continue
        if line.lower().startswith("scope:"):
            scope.extend(h.strip().lower() for h in line[6:].split(",") if h.strip())
            continue
        url, _, label = line.partition(" ")
        seeds.append(Seed(url, label.strip() or None))
    return seeds, scope


def scope_hosts(seeds: list[Seed], extra: tuple[str, ...]) -> frozenset[str]:
    """The hosts a crawl may visit: the seeds' hosts plus the explicitly added ones."""
    hosts = {host_of(c) for s in seeds if (c := canonicalize(s.url))}
    return frozenset(hosts | {h.lower() for h in extra})
