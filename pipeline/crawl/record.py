"""Turning an HTTP exchange into archive records and index rows (and recovering both after a crash).

The WARC append and the index transaction for one exchange run back to back with no ``await`` in
between, so at a crash at most the newest pair in a WARC file is not yet in the index;
:func:`reconcile` replays such a tail into the index (or truncates a torn one).
"""

from __future__ import annotations

import hashlib
import io
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from pipeline.crawl.discovery import decode_page, discover, worth_decoding
from pipeline.crawl.fetch import Exchange
from pipeline.crawl.index import Index, Job, iso_now
from pipeline.crawl.urls import canonicalize, host_of, shard_of
from pipeline.warc import Pair, WarcWriterFiles, Written, is_page, payload_digest, serialize_pair, warc_date

REDIRECTS = frozenset({301, 302, 303, 307, 308})
SEEN_MAX = 200_000


@dataclass
class Recorder:
    index: Index
    warc: WarcWriterFiles
    scope: frozenset[str]
    shard: tuple[int, int]
    max_redirects: int
    on_new: Callable[[Job], None] = lambda job: None
    #: URLs (as written) already offered to the frontier in this run. Pager scripts make every listing
    #: page of a column list all its pages: without this, a column of P pages costs P*P lookups.
    #: Bounded (cleared when full); cleared on a rollback, which may have undone some of the inserts.
    seen: set[str] = field(default_factory=set)

    def in_scope(self, canonical: str, host: str | None = None) -> bool:
        host = host_of(canonical) if host is None else host
        return host in self.scope and (self.shard[1] == 1 or shard_of(host, self.shard[1]) == self.shard[0])

    def add(self, url: str, kind: str, *, discovered_from: str | None, label: str | None,
            hops: int = 0, root: int | None = None) -> Job | None:
        if url in self.seen:
            return None
        if len(self.seen) >= SEEN_MAX:
            self.seen.clear()
        self.seen.add(url)
        canonical = canonicalize(url)
        if canonical is None:
            return None
        host = host_of(canonical)
        if not self.in_scope(canonical, host):
            return None
        new_id = self.index.add(url, canonical, host, kind, discovered_from=discovered_from,
                                label=label, hops=hops, redirect_root=root)
        if new_id is None:
            return None
        job = Job(new_id, url, canonical, host, kind, 0, hops, root, label, None, None, 0.0)
        self.on_new(job)
        return job

    def previous(self, ex: Exchange, sha: str) -> tuple[str, str, str] | None:
        """The first capture of the same payload (``(url, warc date, payload digest)``) or None."""
        return self.index.content(sha) if 200 <= ex.status < 300 else None

    @classmethod
    def prepare(cls, ex: Exchange) -> tuple[str, Pair]:
        """``(sha256 of the payload, pair serialized as a response)``; pure, so it may run in a thread."""
        return hashlib.sha256(ex.body).hexdigest(), cls.serialize(ex, None)

    @staticmethod
    def serialize(ex: Exchange, prev: tuple[str, str, str] | None) -> Pair:
        """The WARC request+response (or revisit) pair; pure, so it may run in a worker thread."""
        target = ex.url.split("://", 1)[1].split("/", 1)
        path = "/" + (target[1] if len(target) > 1 else "")
        return serialize_pair(ex.url, method_line=f"GET {path} HTTP/1.1", request_headers=ex.request_headers,
                          status=ex.status, reason=ex.reason, headers=ex.headers, body=ex.body, ip=ex.ip,
                          revisit_of=prev, date=warc_date(ex.started))

    def record(self, job: Job, ex: Exchange, written: Written | None = None, digest_hint: str | None = None,
               prepared: tuple[str, tuple[str, str, str] | None, Pair] | None = None) -> str:
        """Archive (unless ``written`` says it already is) and index one final exchange; return the state.

        ``prepared`` is ``(sha256, previous capture, serialized pair)`` computed ahead.
        """
        body = ex.body
        ctype = ex.header("content-type")
        ok = 200 <= ex.status < 300
        if prepared is not None:
            sha, prev = prepared[0], prepared[1]
        else:
            sha = hashlib.sha256(body).hexdigest()
            prev = self.previous(ex, sha) if digest_hint is None else None
        if digest_hint is not None:  # a revisit record recovered from a WARC tail
            row = self.index.db.execute("SELECT sha256, url, warc_date, digest FROM contents WHERE digest=?",
                                        (digest_hint,)).fetchone()
            sha, prev = (row[0], (row[1], row[2], row[3])) if row else (sha, None)
        date = warc_date(ex.started)
        digest: str | None = None
        if written is None:
            pair = prepared[2] if prepared is not None else self.serialize(ex, prev)
            written, digest = self.warc.append(pair.blob, pair.response_at), pair.payload_digest
        state, error, location = ("done" if ok or ex.status == 304 else "failed"), None, None
        if not ok and ex.status != 304:
            error = f"HTTP {ex.status}"
        idx = self.index
        idx.begin()
        try:
            if ex.status in REDIRECTS:
                state, error, location = self._redirect(job, ex)
            if ex.status != 304:
                idx.set_capture(job.id, sha256=sha, warc_file=written.file, warc_offset=written.offset,
                                warc_length=written.length, fetched_at=iso_now(ex.started), content_type=ctype,
                                size=len(body), location=location, etag=ex.header("etag"),
                                last_modified=ex.header("last-modified"),
                                duplicate_of=prev[0] if prev and prev[0] != ex.url else None,
                                state=state, status=ex.status, error=error, attempts=job.attempts)
            else:
                idx.set_outcome(job.id, state=state, status=ex.status, error=error, attempts=job.attempts)
            idx.log_fetch(job.id, ex.url, status=ex.status, error=error, started_at=iso_now(ex.started),
                          elapsed=ex.elapsed, sha256=sha, warc_file=written.file, warc_offset=written.offset)
            if ok and prev is None:
                idx.add_content(sha, ex.url, date, digest or payload_digest(body))
                if job.kind in ("listing", "report") and is_page(ctype, body) and worth_decoding(body, ex.url, job.kind):
                    for link in discover(decode_page(body, ctype), ex.url, job.kind):
                        self.add(link.url, link.kind, discovered_from=ex.url, label=job.label)
            idx.set_warc_size(written.file, written.end)
            idx.commit()
        except BaseException:
            idx.rollback()
            self.seen.clear()
            raise
        return state

    def _redirect(self, job: Job, ex: Exchange) -> tuple[str, str | None, str | None]:
        loc = ex.header("location")
        target = canonicalize(loc, base=ex.url) if loc else None
        if target is None:
            return "failed", "redirect without an http(s) Location", loc
        root = job.redirect_root or job.id
        known = self.index.lookup(target)
        if known is not None:
            if known[0] == root or known[1] == root or known[0] == job.id:
                return "failed", f"redirect loop via {target}", target
            return "done", None, target
        if job.hops + 1 > self.max_redirects:
            return "failed", f"more than {self.max_redirects} redirects", target
        if not self.in_scope(target):
            return "failed", f"redirect out of scope to {target}", target
        self.add(target, job.kind, discovered_from=ex.url, label=job.label, hops=job.hops + 1, root=root)
        return "done", None, target

    def fail(self, job: Job, *, error: str, status: int | None, state: str = "failed",
             started: float | None = None, not_before: float = 0.0) -> None:
        """Record an attempt that produced no capture (network error, refusal, retry, robots)."""
        self.index.begin()
        self.index.set_outcome(job.id, state=state, status=status, error=error, attempts=job.attempts,
                               not_before=not_before)
        if started is not None:
            self.index.log_fetch(job.id, job.url, status=status, error=error, started_at=iso_now(started),
                                 elapsed=None)
        self.index.commit()


def _members(data: bytes) -> list[tuple[int, int]]:
    """``(start, end)`` of each complete gzip member in ``data`` (a torn last member is left out)."""
    out, pos = [], 0
    while pos < len(data):
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            d.decompress(data[pos:])
        except zlib.error:
            break
        if not d.eof:
            break
        end = len(data) - len(d.unused_data)
        out.append((pos, end))
        pos = end
    return out


def reconcile(recorder: Recorder, directory: Path) -> int:
    """Index the pairs written after the last committed size of each WARC file; truncate torn tails.

    Returns the number of captures recovered.
    """
    sizes = recorder.index.warc_sizes()
    recovered = 0
    for path in sorted(directory.glob(f"{recorder.warc.prefix}-[0-9][0-9][0-9][0-9][0-9].warc.gz")):
        committed, actual = sizes.get(path.name, 0), path.stat().st_size
        if actual <= committed:
            continue
        with open(path, "rb") as fh:
            fh.seek(committed)
            tail = fh.read()
        members = _members(tail)
        good = 0
        for (s1, e1), (s2, e2) in zip(members[::2], members[1::2]):
            request = next(iter(ArchiveIterator(io.BytesIO(tail[s1:e1]))))
            if request.rec_type != "request":
                break
            it = iter(ArchiveIterator(io.BytesIO(tail[s2:e2])))
            response = next(it)
            if response.rec_type not in ("response", "revisit"):
                break
            _recover(recorder, response, Written(path.name, committed + s2, e2 - s1, committed + e2))
            recovered += 1
            good = e2
        with open(path, "r+b") as fh:
            fh.truncate(committed + good)
        recorder.index.begin()
        recorder.index.set_warc_size(path.name, committed + good)
        recorder.index.commit(force=True)
    return recovered


def _recover(recorder: Recorder, rec: object, written: Written) -> None:
    from pipeline.crawl.index import JOB_COLUMNS

    uri = rec.rec_headers.get_header("WARC-Target-URI")  # type: ignore[attr-defined]
    canonical = canonicalize(uri or "")
    row = recorder.index.db.execute(f"SELECT {JOB_COLUMNS} FROM urls WHERE canonical=?", (canonical,)).fetchone()
    if row is None:
        return
    job = Job(*row)
    http = rec.http_headers  # type: ignore[attr-defined]
    revisit = rec.rec_type == "revisit"  # type: ignore[attr-defined]
    body = b"" if revisit else rec.content_stream().read()  # type: ignore[attr-defined]
    date = rec.rec_headers.get_header("WARC-Date") or ""  # type: ignore[attr-defined]
    from datetime import datetime

    started = datetime.fromisoformat(date.replace("Z", "+00:00")).timestamp() if date else 0.0
    ex = Exchange(url=uri, status=int(http.get_statuscode()), reason="", http_version="HTTP/1.1",
                  request_headers=(), headers=tuple(http.headers), body=body,
                  ip=rec.rec_headers.get_header("WARC-IP-Address") or "",  # type: ignore[attr-defined]
                  started=started, elapsed=0.0)
    job.attempts += 1
    recorder.record(job, ex, written=written,
                    digest_hint=rec.rec_headers.get_header("WARC-Payload-Digest") if revisit else None)  # type: ignore[attr-defined]
