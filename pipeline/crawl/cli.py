"""``ogi crawl`` and ``ogi corpus ls`` (registered into the main CLI by :func:`register`)."""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import sys
from pathlib import Path
from typing import Any

from pipeline.crawl.fetch import FetchLimits
from pipeline.crawl.safety import SafetyPolicy
from pipeline.crawl.settings import DEFAULT_USER_AGENT, CrawlSettings, Seed, read_seeds
from pipeline.crawl.urls import parse_shard


def _add_crawl(sub: Any) -> None:
    p = sub.add_parser("crawl", help="crawl annual-report columns into a WARC archive (resumable)")
    p.add_argument("seed_urls", nargs="*", metavar="SEED_URL", help="listing (column) pages to start from")
    p.add_argument("--seeds", type=Path, help="file of seed URLs, one per line: URL [region label]; "
                                              "'scope: HOST' lines widen the scope")
    p.add_argument("--corpus", type=Path, required=True, help="corpus directory (archive goes to DIR/crawl/)")
    p.add_argument("--delay", type=float, default=1.0, help="minimum seconds between request starts to one host")
    p.add_argument("--per-host", type=int, default=1, help="requests in flight per host")
    p.add_argument("--concurrency", type=int, default=8, help="requests in flight overall")
    p.add_argument("--max-pages", type=int, default=None, help="stop after this many captures")
    p.add_argument("--timeout", type=float, default=30.0, help="connect/read timeout in seconds "
                                                                "(total per request: 4x)")
    p.add_argument("--max-bytes", type=int, default=20 * 1024 * 1024, help="size cap per response (decoded)")
    p.add_argument("--user-agent", default=DEFAULT_USER_AGENT)
    p.add_argument("--allow-private", action="store_true", help="allow loopback/private/link-local addresses")
    p.add_argument("--allow-network", action="append", default=[], metavar="CIDR",
                   help="allow one non-public network only (repeatable)")
    p.add_argument("--refresh", action="store_true", help="re-fetch finished URLs with conditional requests")
    p.add_argument("--ignore-robots", action="store_true", help="do not fetch or obey robots.txt")
    p.add_argument("--max-attempts", type=int, default=4)
    p.add_argument("--backoff", type=float, default=1.0, help="first backoff step in seconds")
    p.add_argument("--shard", default="0/1", help="crawl only hosts of shard i of N (stable hash of host)")
    p.add_argument("--warc-size", type=int, default=1 << 30, help="rotate WARC files at this many bytes")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=crawl_command)


def _add_corpus(sub: Any) -> None:
    p = sub.add_parser("corpus", help="inspect a corpus or archive")
    csub = p.add_subparsers(dest="corpus_command", required=True)
    ls = csub.add_parser("ls", help="list what an archive holds: url, status, type, size, date")
    ls.add_argument("dir", type=Path)
    ls.add_argument("--all", action="store_true", help="also list request and revisit records")
    ls.set_defaults(func=corpus_ls_command)


def register(sub: Any) -> None:
    """Add ``crawl`` and ``corpus`` to the main CLI's subparsers."""
    _add_crawl(sub)
    _add_corpus(sub)


def settings_from_args(args: argparse.Namespace, extra_scope: tuple[str, ...]) -> CrawlSettings:
    t = args.timeout
    return CrawlSettings(
        corpus=args.corpus, delay=args.delay, per_host=args.per_host, concurrency=args.concurrency,
        max_pages=args.max_pages, limits=FetchLimits(args.max_bytes, t, t, 4 * t), user_agent=args.user_agent,
        policy=SafetyPolicy(args.allow_private, tuple(ipaddress.ip_network(n) for n in args.allow_network)),
        refresh=args.refresh, respect_robots=not args.ignore_robots, max_attempts=args.max_attempts,
        backoff_base=args.backoff, shard=parse_shard(args.shard), warc_max_size=args.warc_size,
        extra_scope=extra_scope)


def crawl_command(args: argparse.Namespace) -> int:
    from pipeline.crawl.engine import Crawler
    from pipeline.crawl.progress import Progress

    seeds = [Seed(u) for u in args.seed_urls]
    scope: list[str] = []
    if args.seeds:
        try:
            more, scope = read_seeds(args.seeds.read_text(encoding="utf-8"))
        except OSError as exc:
            print(f"ogi crawl: cannot read seeds file: {exc}", file=sys.stderr)
            return 2
        seeds += more
    if not seeds:
        print("ogi crawl: no seed URLs (give SEED_URL... or --seeds FILE)", file=sys.stderr)
        return 2
    try:
        settings = settings_from_args(args, tuple(scope))
    except ValueError as exc:
        print(f"ogi crawl: {exc}", file=sys.stderr)
        return 2
    crawler = Crawler(settings, seeds, Progress(enabled=not args.quiet))
    asyncio.run(crawler.run())
    return 0


def corpus_ls_command(args: argparse.Namespace) -> int:
    from pipeline.corpus import list_inputs
    from pipeline.warc import iter_records

    root: Path = args.dir
    if not root.exists():
        print(f"ogi corpus ls: {root} does not exist", file=sys.stderr)
        return 2
    print("url\tstatus\ttype\tsize\tdate\tsource")
    for path in list_inputs(root):
        name = str(path.relative_to(root)) if root.is_dir() else path.name
        if not path.name.lower().endswith((".warc", ".warc.gz", ".arc", ".arc.gz")):
            print(f"-\t-\t-\t{path.stat().st_size}\t-\t{name}")
            continue
        try:
            with open(path, "rb") as fh:
                for r in iter_records(fh):
                    if r.rec_type in ("response", "resource") or (args.all and r.rec_type != "warcinfo"):
                        ctype = (r.content_type or "-").split(";", 1)[0]
                        print(f"{r.url}\t{r.status or '-'}\t{ctype}\t{r.size}\t{r.date}\t{name}#{r.offset}"
                              + ("" if r.rec_type in ("response", "resource") else f"\t{r.rec_type}"))
        except Exception as exc:  # a damaged archive is reported, the listing goes on
            print(f"ogi corpus ls: {name}: damaged archive: {type(exc).__name__}: {exc}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point (``python -m pipeline.crawl.cli crawl ...``)."""
    parser = argparse.ArgumentParser(prog="ogi")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
