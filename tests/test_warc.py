"""Reading and writing WARC archives: ogi's own files, other tools' files, damaged files, ``corpus ls``."""

from __future__ import annotations

import gzip
import io
import random
import subprocess
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.corpus import iter_corpus
from pipeline.warc import WarcWriterFiles, build_pair, is_page, iter_records, iter_warc, payload_digest

REPO = Path(__file__).resolve().parents[1]
PAGE = "<html><head><meta charset=gbk></head><body>二、主动公开政府信息情况 共主动公开政府信息120条</body></html>".encode("gbk")


def write_ogi(directory: Path, pages: list[tuple[str, str, bytes, int]], max_size: int = 1 << 30) -> list[str]:
    writer = WarcWriterFiles(directory, max_size=max_size)
    out = []
    for url, ctype, body, status in pages:
        blob, at = build_pair(url, method_line="GET / HTTP/1.1", request_headers=(("Host", "h"),), status=status,
                              reason="OK", headers=(("Content-Type", ctype),), body=body)
        w = writer.append(blob, at)
        out.append(f"{w.file}#{w.offset}")
    return out


def test_round_trip_pages_only_with_offsets(tmp_path):
    crawl = tmp_path / "crawl"
    where = write_ogi(crawl, [("http://a.cn/1.html", "text/html; charset=gbk", PAGE, 200),
                              ("http://a.cn/r.pdf", "application/pdf", b"%PDF-1.4", 200),
                              ("http://a.cn/404.html", "text/html", b"<html>nope</html>", 404),
                              ("http://a.cn/2.txt", "text/plain", "共主动公开政府信息9条".encode(), 200)])
    items = list(iter_corpus([tmp_path]))
    assert [(i.url, i.source) for i in items] == [("http://a.cn/1.html", f"crawl/{where[0]}"),
                                                  ("http://a.cn/2.txt", f"crawl/{where[3]}")]
    assert items[0].data == PAGE and items[0].content_type == "text/html; charset=gbk"
    assert items[0].fetched_at and items[0].error is None
    records = list(iter_records(open(crawl / "ogi-00000.warc.gz", "rb")))
    assert [r.rec_type for r in records] == ["request", "response"] * 4
    first = records[1]
    with gzip.open(crawl / "ogi-00000.warc.gz") as fh:
        head = fh.read(4000).decode("latin-1")
    assert head.startswith("WARC/1.1") and "WARC-Target-URI: http://a.cn/1.html" in head
    assert f"WARC-Payload-Digest: {payload_digest(PAGE)}" in head and "WARC-Date:" in head
    assert first.size == len(PAGE)
    from warcio.archiveiterator import ArchiveIterator

    with open(crawl / "ogi-00000.warc.gz", "rb") as fh:  # block and payload digests verify
        for rec in ArchiveIterator(fh, check_digests="raise"):
            rec.content_stream().read()


def test_rotation_by_size(tmp_path):
    rng = random.Random(7)
    pages = [(f"http://a.cn/{i}.html", "text/html", b"<html>" + rng.randbytes(5000).hex().encode() + b"</html>", 200)
             for i in range(6)]
    where = write_ogi(tmp_path, pages, max_size=3000)
    assert len({w.split("#")[0] for w in where}) == 6
    assert [i.url for i in iter_corpus([tmp_path])] == [p[0] for p in pages]


def test_foreign_warc_chunked_gzip_and_revisit(tmp_path):
    """A WARC written by another tool: raw HTTP with chunked transfer and gzip content-encoding."""
    body = gzip.compress(PAGE)
    chunked = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=False)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip"),
                                       ("Transfer-Encoding", "chunked")], protocol="HTTP/1.1")
    w.write_record(w.create_warc_record("http://b.cn/x.html", "response", payload=io.BytesIO(chunked),
                                        http_headers=http))
    w.write_record(w.create_revisit_record("http://b.cn/y.html", "sha1:X", "http://b.cn/x.html", "2024-01-01T00:00:00Z",
                                           http_headers=StatusAndHeaders("200 OK", [], protocol="HTTP/1.1")))
    w.write_record(w.create_warc_record("file:///z.html", "resource", payload=io.BytesIO(b"<html>r</html>"),
                                        warc_content_type="text/html"))
    path = tmp_path / "export.warc"
    path.write_bytes(buf.getvalue())
    items = list(iter_warc(path, display="export.warc"))
    assert [(i.url, i.data) for i in items] == [("http://b.cn/x.html", PAGE), ("file:///z.html", b"<html>r</html>")]
    assert items[0].source == "export.warc#0"


def test_damaged_archive_yields_an_error_item(tmp_path):
    write_ogi(tmp_path, [("http://a.cn/1.html", "text/html", b"<html>1</html>", 200),
                         ("http://a.cn/2.html", "text/html", b"<html>2</html>", 200)])
    path = tmp_path / "ogi-00000.warc.gz"
    data = path.read_bytes()
    path.write_bytes(data[:-30])
    items = list(iter_warc(path, display="d.warc.gz"))
    assert items[0].url == "http://a.cn/1.html" and items[0].error is None
    assert items[-1].error and "damaged" in items[-1].error


@pytest.mark.parametrize("ctype,data,expected", [
    ("text/html; charset=gb2312", b"", True), ("application/xhtml+xml", b"", True), ("text/plain", b"x", True),
    ("application/pdf", b"<html>", False), ("application/msword", b"", False), (None, b"  <!DOCTYPE html>", True),
    ("application/octet-stream", b"<html>", True), (None, b"%PDF-1.7", False),
])
def test_is_page(ctype, data, expected):
    assert is_page(ctype, data) is expected


def test_corpus_ls_lists_records(tmp_path):
    write_ogi(tmp_path / "crawl", [("http://a.cn/1.html", "text/html; charset=gbk", PAGE, 200),
                                   ("http://a.cn/r.pdf", "application/pdf", b"%PDF-1.4", 200)])
    exe = REPO / ".venv" / "bin" / "ogi"
    if not exe.exists():
        pytest.skip("the ogi console script is not installed")
    out = subprocess.run([str(exe), "corpus", "ls", str(tmp_path)], capture_output=True, text=True, check=True).stdout
    lines = [line.split("\t") for line in out.strip().splitlines()]
    assert lines[0] == ["url", "status", "type", "size", "date", "source"]
    assert [(r[0], r[1], r[2], r[3]) for r in lines[1:]] == [("http://a.cn/1.html", "200", "text/html", str(len(PAGE))),
                                                            ("http://a.cn/r.pdf", "200", "application/pdf", "8")]
    assert lines[1][5].startswith("crawl/ogi-00000.warc.gz#")
