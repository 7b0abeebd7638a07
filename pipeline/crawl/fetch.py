"""One HTTP exchange: no redirect following, connection pinned to a checked address, bounded size.

The body is read as a stream and decompressed here (not by httpx) with an output limit, so neither a
huge page nor a gzip bomb can take more than ``max_bytes`` of memory.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import httpx

from pipeline.crawl.safety import Refused, SafetyPolicy, check_scheme, resolve_checked

ErrorKind = str  # "timeout" | "network" | "too_large" | "refused" | "decode"


class FetchError(Exception):
    """A failed exchange; ``kind`` tells the engine whether a retry makes sense."""

    def __init__(self, kind: ErrorKind, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status  # the HTTP status when the failure came after the response head


@dataclass(frozen=True, slots=True)
class Exchange:
    """A completed HTTP exchange. ``body`` is the payload with any content-encoding removed."""

    url: str
    status: int
    reason: str
    http_version: str
    request_headers: tuple[tuple[str, str], ...]
    headers: tuple[tuple[str, str], ...]
    body: bytes
    ip: str
    started: float  # time.time() when the request started
    elapsed: float

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


@dataclass(frozen=True, slots=True)
class FetchLimits:
    max_bytes: int = 20 * 1024 * 1024
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 120.0


class _Decoder:
    """Incremental content decoding with an output cap (zlib ``max_length``)."""

    def __init__(self, encoding: str, limit: int) -> None:
        self.limit = limit
        self.size = 0
        enc = encoding.strip().lower()
        self.obj: zlib._Decompress | None
        if enc in ("gzip", "x-gzip"):
            self.obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif enc == "deflate":
            self.obj = zlib.decompressobj()
            self.raw_deflate_checked = False
        elif enc in ("", "identity"):
            self.obj = None
        else:
            raise FetchError("decode", f"unsupported content-encoding {encoding!r}")
        self.encoding = enc

    def _grow(self, n: int) -> None:
        self.size += n
        if self.size > self.limit:
            raise FetchError("too_large", f"decoded body exceeds {self.limit} bytes")

    def feed(self, chunk: bytes) -> bytes:
        if self.obj is None:
            self._grow(len(chunk))
            return chunk
        try:
            out = self.obj.decompress(chunk, self.limit - self.size + 1)
        except zlib.error as exc:
            if self.encoding == "deflate" and self.size == 0 and not getattr(self, "raw_deflate_checked", True):
                # Some servers send raw deflate without the zlib header.
                self.obj = zlib.decompressobj(-zlib.MAX_WBITS)
                self.raw_deflate_checked = True
                return self.feed(chunk)
            raise FetchError("decode", f"bad {self.encoding} stream: {exc}") from exc
        self._grow(len(out))
        return out

    def flush(self) -> bytes:
        if self.obj is None:
            return b""
        out = self.obj.flush()
        self._grow(len(out))
        return out


@dataclass
class Fetcher:
    """Owns the one shared :class:`httpx.AsyncClient` (clients are costly to build)."""

    user_agent: str
    policy: SafetyPolicy = field(default_factory=SafetyPolicy)
    limits: FetchLimits = field(default_factory=FetchLimits)
    max_connections: int = 16
    client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> "Fetcher":
        timeout = httpx.Timeout(self.limits.read_timeout, connect=self.limits.connect_timeout)
        self.client = httpx.AsyncClient(
            timeout=timeout, follow_redirects=False, trust_env=False,
            limits=httpx.Limits(max_connections=self.max_connections,
                                max_keepalive_connections=self.max_connections))
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.client is not None:
            await self.client.aclose()

    async def fetch(self, url: str, extra_headers: dict[str, str] | None = None) -> Exchange:
        """GET ``url`` once. Raises :class:`FetchError` (timeouts, network, size, refusal)."""
        assert self.client is not None, "use `async with Fetcher(...)`"
        try:
            async with asyncio.timeout(self.limits.total_timeout):
                return await self._fetch(url, extra_headers or {})
        except TimeoutError as exc:
            raise FetchError("timeout", f"total timeout {self.limits.total_timeout}s") from exc
        except httpx.TimeoutException as exc:
            raise FetchError("timeout", f"{type(exc).__name__}: {exc}") from exc
        except Refused as exc:
            raise FetchError("refused", str(exc)) from exc
        except (httpx.HTTPError, OSError) as exc:
            raise FetchError("network", f"{type(exc).__name__}: {exc}") from exc

    async def _fetch(self, url: str, extra: dict[str, str]) -> Exchange:
        assert self.client is not None
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            check_scheme(url)  # raises Refused (with the message) for anything but http(s)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        ip = await resolve_checked(host, port, self.policy)
        ip_netloc = f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"
        pinned = urlunsplit((parts.scheme, ip_netloc, parts.path or "/", parts.query, ""))
        headers = {"Host": parts.netloc, "User-Agent": self.user_agent,
                   "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                   "Accept-Language": "zh-CN,zh;q=0.9", "Accept-Encoding": "gzip, deflate", **extra}
        ext = {"sni_hostname": host} if parts.scheme == "https" else {}
        request = self.client.build_request("GET", pinned, headers=headers, extensions=ext)
        started, t0 = time.time(), time.monotonic()
        response = await self.client.send(request, stream=True)
        try:
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.limits.max_bytes:
                raise FetchError("too_large", f"Content-Length {declared} exceeds {self.limits.max_bytes}")
            decoder = _Decoder(response.headers.get("content-encoding", ""), self.limits.max_bytes)
            raw_size, parts_out = 0, []
            async for chunk in response.aiter_raw():
                raw_size += len(chunk)
                if raw_size > self.limits.max_bytes:
                    raise FetchError("too_large", f"body exceeds {self.limits.max_bytes} bytes")
                parts_out.append(decoder.feed(chunk))
            parts_out.append(decoder.flush())
        except FetchError as exc:
            exc.status = response.status_code
            raise
        finally:
            await response.aclose()
        req_headers = tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw)
        return Exchange(url=url, status=response.status_code, reason=response.reason_phrase,
                        http_version=response.http_version, request_headers=req_headers,
                        headers=tuple((k.decode("latin-1"), v.decode("latin-1"))
                                      for k, v in response.headers.raw),
                        body=b"".join(parts_out), ip=ip, started=started, elapsed=time.monotonic() - t0)
