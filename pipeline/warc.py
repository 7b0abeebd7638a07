"""WARC archives: writing the crawler's records and reading pages back (from ogi or any other tool).

Writing: WARC/1.1 (header blocks by warcio, records assembled by :func:`serialize_pair` with each
digest computed once), one gzip member per record, request + response (or revisit) pairs
appended in one ``write`` so a crash leaves at most one torn pair at the end of the newest file,
which :func:`pipeline.crawl.record.reconcile` finds and truncates. Files are rotated by size.

Reading: :func:`iter_warc` yields one :class:`~pipeline.corpus.CorpusItem` per HTML/text response
record (``source`` is ``<display>#<offset>``); :func:`iter_records` lists every record for ``corpus ls``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import time
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders

from pipeline.corpus import CorpusItem

#: Response headers that no longer describe the stored payload (it is stored decoded and whole).
_DROP_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})
_PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/xml", "application/xml")
REVISIT_PROFILE = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
_MARKUP = re.compile(rb"^\s*(?:<!doctype|<html|<head|<meta|<\?xml|<body|<div|<p[\s>])", re.I)


@dataclass(frozen=True, slots=True)
class Written:
    """Where a response (or revisit) record went."""

    file: str  # file name inside the archive directory
    offset: int  # of the response/revisit record
    length: int  # bytes of the whole request+response pair
    end: int  # file size after the write


@dataclass(frozen=True, slots=True)
class RecordInfo:
    """One record as listed by :func:`iter_records`."""

    offset: int
    rec_type: str
    url: str | None
    status: int | None
    content_type: str | None
    size: int
    date: str | None
    payload: bytes | None = None  # only when asked for


class WarcWriterFiles:
    """Appends record pairs to ``<dir>/<prefix>-NNNNN.warc.gz``, rotating at ``max_size`` bytes."""

    def __init__(self, directory: Path, prefix: str = "ogi", max_size: int = 1 << 30) -> None:
        self.directory = directory
        self.prefix = prefix
        self.max_size = max_size
        directory.mkdir(parents=True, exist_ok=True)
        existing = sorted(directory.glob(f"{prefix}-[0-9][0-9][0-9][0-9][0-9].warc.gz"))
        self.number = int(existing[-1].name[len(prefix) + 1:][:5]) if existing else 0
        self._fd: int | None = None  # the current file, opened O_APPEND on first use and kept open

    def file_name(self, number: int | None = None) -> str:
        return f"{self.prefix}-{self.number if number is None else number:05d}.warc.gz"

    def append(self, blob: bytes, response_at: int, sync: bool = False) -> Written:
        """Append one serialized pair (see :func:`serialize_pair`); ``response_at`` is the response's offset in it."""
        if self._fd is None:
            self._fd = os.open(self.directory / self.file_name(), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        # fstat, not a size kept here: the file may have been truncated (crash recovery) since it was opened.
        size = os.fstat(self._fd).st_size
        if size and size + len(blob) > self.max_size:
            self.close()
            self.number += 1
            self._fd, size = os.open(self.directory / self.file_name(), os.O_WRONLY | os.O_CREAT | os.O_APPEND,
                                     0o644), 0
        view = memoryview(blob)
        while view:
            view = view[os.write(self._fd, view):]
        if sync:
            os.fsync(self._fd)
        return Written(self.file_name(), size + response_at, len(blob), size + len(blob))

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __del__(self) -> None:
        self.close()


def _http_response_headers(status: int, reason: str, headers: tuple[tuple[str, str], ...],
                           body_len: int, note_encoding: bool) -> StatusAndHeaders:
    kept = [(k, v) for k, v in headers if k.lower() not in _DROP_HEADERS]
    encoding = next((v for k, v in headers if k.lower() == "content-encoding"), None)
    if encoding and note_encoding:
        kept.append(("X-Archive-Orig-Content-Encoding", encoding))
    kept.append(("Content-Length", str(body_len)))
    return StatusAndHeaders(f"{status} {reason or 'OK'}".strip(), kept, protocol="HTTP/1.1")


@dataclass(frozen=True, slots=True)
class Pair:
    """A serialized request + response (or revisit) pair, ready for :meth:`WarcWriterFiles.append`."""

    blob: bytes
    response_at: int  # offset of the response/revisit member inside ``blob``
    payload_digest: str  # the response's WARC-Payload-Digest (the referenced one for a revisit)


def _member(warc_headers: list[tuple[str, str]], parts: tuple[bytes, ...], level: int) -> bytes:
    """One record as one gzip member: WARC header block, ``parts`` (the record block), two CRLFs.

    The block is fed to the compressor piece by piece (no concatenated copy of the payload).
    """
    size = sum(len(p) for p in parts)
    warc_headers.append(("Content-Length", str(size)))
    # A small record (requests, revisits) gets a 4 KB window and small tables: the same output, but
    # setting up zlib's default 256 KB of state costs more than compressing a few hundred bytes.
    comp = (zlib.compressobj(level, zlib.DEFLATED, 16 + 12, 2) if size < 2048
            else zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS))
    out = [comp.compress(StatusAndHeaders("WARC/1.1", warc_headers).to_bytes(encoding="utf-8"))]
    out.extend(comp.compress(p) for p in parts)
    out.append(comp.compress(b"\r\n\r\n"))
    out.append(comp.flush())
    return b"".join(out)


def serialize_pair(url: str, *, method_line: str, request_headers: tuple[tuple[str, str], ...],
                   status: int, reason: str, headers: tuple[tuple[str, str], ...], body: bytes,
                   ip: str | None = None, revisit_of: tuple[str, str, str] | None = None,
                   date: str | None = None, level: int = 6) -> Pair:
    """Serialize a request record and a response record (or, with ``revisit_of=(uri, date, digest)``,
    a revisit record for a payload already archived), each its own gzip member.

    Header blocks are warcio's (:class:`StatusAndHeaders`, HTTP headers %-encoded to ASCII as warcio
    does); the records are assembled here so that the payload is hashed once per digest and compressed
    once, without warcio's per-record writer objects and stream copies. Gzip level 6: warcio's own
    writer uses level 9, several times slower for a few percent of size.

    >>> pair = serialize_pair("http://example.com/", method_line="GET / HTTP/1.1",
    ...                       request_headers=(("Host", "example.com"),), status=200, reason="OK",
    ...                       headers=(("Content-Type", "text/html"),), body=b"<html>hi</html>")
    >>> [r.offset for r in iter_records(io.BytesIO(pair.blob))] == [0, pair.response_at]
    True
    """
    date = date or warc_date(time.time())
    response_id, request_id = f"<urn:uuid:{uuid.uuid4()}>", f"<urn:uuid:{uuid.uuid4()}>"
    http = _http_response_headers(status, reason, headers, len(body), True).to_ascii_bytes()
    common = [("WARC-Target-URI", url), ("WARC-Date", date)] + ([("WARC-IP-Address", ip)] if ip else [])
    if revisit_of is None:
        digest = payload_digest(body)
        block = hashlib.sha1(http)
        block.update(body)
        response = _member([("WARC-Type", "response"), ("WARC-Record-ID", response_id), *common,
                            ("WARC-Payload-Digest", digest), ("WARC-Block-Digest", _b32(block.digest())),
                            ("Content-Type", "application/http; msgtype=response")], (http, body), level)
    else:
        ref_uri, ref_date, digest = revisit_of
        response = _member([("WARC-Type", "revisit"), ("WARC-Record-ID", response_id), *common,
                            ("WARC-Profile", REVISIT_PROFILE), ("WARC-Refers-To-Target-URI", ref_uri),
                            ("WARC-Refers-To-Date", ref_date), ("WARC-Payload-Digest", digest),
                            ("WARC-Block-Digest", payload_digest(http)),
                            ("Content-Type", "application/http; msgtype=response")], (http,), level)
    req = StatusAndHeaders(method_line, list(request_headers), is_http_request=True).to_ascii_bytes()
    request = _member([("WARC-Type", "request"), ("WARC-Record-ID", request_id), *common[:2],
                       ("WARC-Concurrent-To", response_id), ("WARC-Block-Digest", payload_digest(req)),
                       ("Content-Type", "application/http; msgtype=request")], (req,), level)
    return Pair(request + response, len(request), digest)


def build_pair(url: str, *, method_line: str, request_headers: tuple[tuple[str, str], ...],
               status: int, reason: str, headers: tuple[tuple[str, str], ...], body: bytes,
               ip: str | None = None, revisit_of: tuple[str, str, str] | None = None,
               date: str | None = None) -> tuple[bytes, int]:
    """:func:`serialize_pair` as ``(blob, response_offset)``.

    >>> blob, at = build_pair("http://example.com/", method_line="GET / HTTP/1.1",
    ...                       request_headers=(("Host", "example.com"),), status=200, reason="OK",
    ...                       headers=(("Content-Type", "text/html"),), body=b"<html>hi</html>")
    >>> [r.offset for r in iter_records(io.BytesIO(blob))] == [0, at]
    True
    """
    pair = serialize_pair(url, method_line=method_line, request_headers=request_headers, status=status,
                          reason=reason, headers=headers, body=body, ip=ip, revisit_of=revisit_of, date=date)
    return pair.blob, pair.response_at


def _b32(digest: bytes) -> str:
    return "sha1:" + base64.b32encode(digest).decode("ascii")


def payload_digest(body: bytes) -> str:
    """The WARC payload digest warcio writes (``sha1:`` + base32).

    >>> payload_digest(b"")
    'sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ'
    """
    return _b32(hashlib.sha1(body).digest())


def warc_date(ts: float) -> str:
    """A WARC/1.1 date with microseconds.

    >>> warc_date(0.5)
    '1970-01-01T00:00:00.500000Z'
    """
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _content_type(rec: Any) -> str | None:
    if rec.http_headers is not None:
        value = rec.http_headers.get_header("Content-Type")
        if value:
            return str(value)
    return None


def _status(rec: Any) -> int | None:
    if rec.http_headers is None or rec.rec_type not in ("response", "revisit"):
        return None
    code = rec.http_headers.get_statuscode()
    return int(code) if code and str(code).isdigit() else None


def iter_records(stream: IO[bytes], with_payload: bool = False) -> Iterator[RecordInfo]:
    """Every record of a WARC/ARC stream. Raises warcio's errors on a damaged stream."""
    it = ArchiveIterator(stream, arc2warc=True)
    for rec in it:
        payload = rec.content_stream().read() if rec.rec_type in ("response", "resource") else b""
        while rec.raw_stream.read(1 << 16):
            pass
        if getattr(rec.raw_stream, "limit", 0) > 0:  # warcio returns a torn record's bytes without complaint
            raise EOFError(f"record at offset {it.get_record_offset()} is truncated")
        yield RecordInfo(offset=it.get_record_offset(), rec_type=rec.rec_type,
                         url=rec.rec_headers.get_header("WARC-Target-URI"), status=_status(rec),
                         content_type=_content_type(rec) or rec.rec_headers.get_header("Content-Type"),
                         size=len(payload), date=rec.rec_headers.get_header("WARC-Date"),
                         payload=payload if with_payload else None)


def is_page(content_type: str | None, data: bytes) -> bool:
    """True for HTML/text payloads (attachments such as PDF are archived but not pages).

    >>> is_page("text/html; charset=gbk", b""), is_page("application/pdf", b"%PDF"), is_page(None, b"<html>")
    (True, False, True)
    """
    if content_type:
        mime = content_type.split(";", 1)[0].strip().lower()
        if mime in _PAGE_TYPES:
            return True
        if mime not in ("", "application/octet-stream", "text/x-unknown"):
            return False
    return bool(_MARKUP.match(data[:1024]))


def iter_warc(path: Path, display: str | None = None) -> Iterator[CorpusItem]:
    """The HTML/text pages of a WARC (or ARC) file as corpus items.

    Only successful (2xx) ``response`` records and ``resource`` records are pages; requests, revisits
    (duplicates of an archived payload), redirects and errors are skipped. A damaged file yields an item
    with ``error`` set where reading stopped.
    """
    name = display or str(path)
    try:
        stream = open(path, "rb")
    except OSError as exc:
        yield CorpusItem(source=name, data=b"", error=f"{type(exc).__name__}: {exc}")
        return
    with stream:
        offset = 0
        try:
            for info in iter_records(stream, with_payload=True):
                offset = info.offset
                if info.rec_type == "resource" or (info.rec_type == "response" and info.status is not None
                                                   and 200 <= info.status < 300):
                    data = info.payload or b""
                    if is_page(info.content_type, data):
                        yield CorpusItem(source=f"{name}#{info.offset}", data=data, url=info.url,
                                         content_type=info.content_type, fetched_at=info.date)
        except Exception as exc:  # warcio raises assorted errors on torn or foreign files
            yield CorpusItem(source=f"{name}#{offset}", data=b"",
                             error=f"damaged archive after offset {offset}: {type(exc).__name__}: {exc}")
