"""Decoding decisions: BOM, HTTP header, meta charset, strict UTF-8, detection, damage."""

from __future__ import annotations

import codecs

import pytest

from parsers.decode import codec_for, decode_bytes, decode_findings, looks_binary

REPORT = "二、主动公开政府信息情况\n本年度共主动公开政府信息1913条，其中规范性文件33件。" * 20


def html(charset_tag: str, text: str = REPORT) -> str:
    return f"<html><head>{charset_tag}<title>年度报告</title></head><body><p>{text}</p></body></html>"


GBK_META = html('<meta charset="gb2312">').encode("gbk")
GBK_HTTP_EQUIV = html('<meta http-equiv="Content-Type" content="text/html; charset=GBK">').encode("gbk")
UTF8_DECLARED_GBK = html('<meta charset="gb2312">').encode("utf-8")
GBK_DECLARED_UTF8 = html('<meta charset="utf-8">').encode("gb18030")
TRUNCATED_GBK = GBK_META[: GBK_META.index("1913".encode()) + 200]
if len(TRUNCATED_GBK.decode("gb18030", "ignore").encode("gb18030")) == len(TRUNCATED_GBK):
    TRUNCATED_GBK = TRUNCATED_GBK[:-1]  # make sure the cut falls inside a 2-byte character


@pytest.mark.parametrize("data, content_type, encoding, method, declared, damaged, codes", [
    (codecs.BOM_UTF8 + REPORT.encode(), None, "utf-8", "bom", None, False, []),
    (codecs.BOM_UTF16_LE + REPORT.encode("utf-16-le"), None, "utf-16-le", "bom", None, False, []),
    (REPORT.encode("gbk"), "text/html; charset=GBK", "gb18030", "http", "GBK", False, []),
    (GBK_META, None, "gb18030", "meta", "gb2312", False, []),
    (GBK_HTTP_EQUIV, None, "gb18030", "meta", "GBK", False, []),
    (GBK_META, "text/html; charset=gb2312", "gb18030", "http", "gb2312", False, []),
    # the header wins over the meta tag when both decode
    (html('<meta charset="gbk">', "abc").encode(), "text/html; charset=utf-8", "utf-8", "http", "utf-8", False, []),
    # declared gb2312, but the bytes are UTF-8
    (UTF8_DECLARED_GBK, None, "utf-8", "utf-8", "gb2312", False, ["charset_mismatch"]),
    # declared utf-8, but the bytes are GBK
    (GBK_DECLARED_UTF8, None, "gb18030", "detected", "utf-8", False, ["charset_mismatch"]),
    # a server default ISO-8859-1 header on a UTF-8 page
    (REPORT.encode(), "text/html; charset=ISO-8859-1", "utf-8", "utf-8", "ISO-8859-1", False, ["charset_mismatch"]),
    # truncated GBK: keep the declared codec, one replacement, a finding
    (TRUNCATED_GBK, None, "gb18030", "meta", "gb2312", True, ["decode_replacements"]),
    # no declaration at all
    (REPORT.encode(), None, "utf-8", "utf-8", None, False, []),
    (REPORT.encode("gbk"), None, "gb18030", "detected", None, False, []),
    (REPORT.encode("gbk")[:-1], None, "gb18030", "detected", None, True, ["decode_replacements"]),
    (b"plain ascii page", None, "utf-8", "utf-8", None, False, []),
])
def test_decode_decisions(data: bytes, content_type: str | None, encoding: str, method: str,
                          declared: str | None, damaged: bool, codes: list[str]) -> None:
    text, info = decode_bytes(data, content_type)
    assert (info.encoding, info.method, info.declared) == (encoding, method, declared)
    assert (info.replacements > 0) is damaged
    assert info.replacements == text.count("\ufffd") <= 2
    assert "主动公开" in text or "abc" in text or "ascii" in text
    assert not text.startswith("\ufeff")
    assert [f.code for f in decode_findings(info, len(text))] == codes


def test_truncated_gbk_keeps_text() -> None:
    text, info = decode_bytes(TRUNCATED_GBK)
    assert text.endswith("\ufffd") and info.replacements == 1
    (finding,) = decode_findings(info, len(text))
    assert finding.details == (("count", "1"),)


@pytest.mark.parametrize("label, codec", [
    ("gb2312", "gb18030"), ("GBK", "gb18030"), ("x-gbk", "gb18030"), ("GB18030", "gb18030"),
    ("cp936", "gb18030"), ("UTF-8", "utf-8"), ("utf8", "utf-8"), ("big5", "cp950"), ("bogus", None), (None, None),
])
def test_codec_for(label: str | None, codec: str | None) -> None:
    assert codec_for(label) == codec


@pytest.mark.parametrize("data, binary", [
    (b"abc\x00def", True),
    (b"%PDF-1.7\n%\xe2\xe3", True),
    (b"\x89PNG\r\n\x1a\n", True),
    (b"PK\x03\x04rest", True),
    (bytes(range(1, 32)) * 20, True),
    (REPORT.encode("gbk"), False),
    (REPORT.encode("gb18030"), False),
    (REPORT.encode("utf-8"), False),
    (REPORT.encode("big5", errors="ignore"), False),
    (codecs.BOM_UTF16_LE + REPORT.encode("utf-16-le"), False),
    (b"line\r\n\tindented\x0cpage", False),
])
def test_looks_binary(data: bytes, binary: bool) -> None:
    assert looks_binary(data) is binary
