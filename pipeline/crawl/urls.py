"""URL canonicalization, scope and sharding.

A canonical URL is the key of the frontier: two spellings of one resource must map to one key.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

#: Query parameters that only track the visitor; they never change the page.
TRACKING_PARAMS = frozenset({
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id", "gclid", "fbclid",
    "spm", "from", "share_token", "sharesource", "isappinstalled", "wxshare_count", "scene", "_",
})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_PCT = re.compile(r"%[0-9A-Fa-f]{2}")
#: Characters kept literal in a canonical path / query (RFC 3986 unreserved + sub-delims + ':@/').
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
_QUERY_SAFE = "/:@!$'()*+,;-._~?"


def _requote(part: str, safe: str) -> str:
    """Decode then re-encode, so ``%7e``/``~``/``%7E`` and raw non-ASCII all end up the same."""
    return quote(unquote(part, errors="surrogateescape"), safe=safe, errors="surrogateescape")


def _remove_dots(path: str) -> str:
    """RFC 3986 §5.2.4 dot-segment removal (``/a/../b`` -> ``/b``), keeping a trailing slash."""
    out: list[str] = []
    segments = path.split("/")
    for seg in segments[1:]:
        if seg == "..":
            if out:
                out.pop()
        elif seg != ".":
            out.append(seg)
    if segments[-1] in (".", ".."):
        out.append("")
    return "/" + "/".join(out)


def canonicalize(url: str, base: str | None = None) -> str | None:
    """The canonical form of ``url`` (resolved against ``base``), or None when it is not http(s).

    Lower-cased scheme and host, IDNA host, no default port, no fragment, no tracking parameters,
    sorted query, uniform percent-encoding, ``/`` for an empty path.

    >>> canonicalize("HTTP://Example.COM:80/a/../b%7e/c?utm_source=x&b=2&a=1#top")
    'http://example.com/b~/c?a=1&b=2'
    >>> canonicalize("mailto:x@y.cn") is None
    True
    """
    try:
        full = urljoin(base, url.strip()) if base else url.strip()
        parts = urlsplit(full)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS or not parts.hostname:
            return None
        host = parts.hostname.rstrip(".")
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            host = host.lower()
        if ":" in host:
            host = f"[{host}]"
        port = parts.port
    except ValueError:
        return None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _requote(_remove_dots(parts.path or "/"), _PATH_SAFE)
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k.lower() not in TRACKING_PARAMS]
    query = urlencode(sorted(pairs), quote_via=quote, safe=_QUERY_SAFE) if pairs else ""
    return urlunsplit((scheme, netloc, path, query, ""))


def host_of(url: str) -> str:
    """The host key (``host[:port]``) used for politeness, scope and shards.

    >>> host_of("http://127.0.0.2:8080/x")
    '127.0.0.2:8080'
    """
    return urlsplit(url).netloc.lower()


def shard_of(host: str, n: int) -> int:
    """A stable shard number in ``[0, n)`` for ``host`` (the same on every machine and run).

    >>> shard_of("www.example.gov.cn", 1)
    0
    """
    return int.from_bytes(hashlib.sha256(host.encode("utf-8")).digest()[:8], "big") % n


def parse_shard(text: str) -> tuple[int, int]:
    """Parse ``i/N`` (0 <= i < N).

    >>> parse_shard("2/8")
    (2, 8)
    """
    i, _, n = text.partition("/")
    shard, total = int(i), int(n)
    if total < 1 or not 0 <= shard < total:
        raise ValueError(f"shard must be i/N with 0 <= i < N, got {text!r}")
    return shard, total
