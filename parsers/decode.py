"""Page bytes → text, with a record of how the encoding was decided (:class:`DecodeInfo`).

Order: byte-order mark; HTTP ``Content-Type`` charset; ``<meta charset>`` / ``<meta http-equiv>`` in the
first 4 KB (cheap regex); strict UTF-8; charset-normalizer (only when the cheap signals are missing or
fail: it costs 0.5–4 ms). GB2312/GBK labels are promoted to GB18030, their superset. A declared codec
that fails strictly is not trusted blindly: UTF-8 and GB18030 are tried strictly first, and only then
the declared codec with ``errors="replace"`` (so a page cut in the middle of a 2-byte character keeps
its codec and gets one U+FFFD, not a wrong codec).
"""

from __future__ import annotations

import codecs
import re

from parsers.records import DecodeInfo, DecodeMethod, Finding

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]{0,400}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.I)
# Labels whose real-world meaning is a larger codec (WHATWG encoding standard practice).
_PROMOTE = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "ms936": "gb18030",
    "windows-936": "gb18030", "euc-cn": "gb18030", "gb_2312-80": "gb18030", "gb_2312": "gb18030",
    "csgb2312": "gb18030", "chinese": "gb18030", "iso-ir-58": "gb18030", "gb18030": "gb18030",
    "big5": "cp950", "x-x-big5": "cp950", "big5-hkscs": "big5hkscs",
    "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8",
    # A meta tag cannot truthfully declare UTF-16 (the parser read it as ASCII): HTML says UTF-8.
    "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8",
}
# Western single-byte labels: often a server default (Tomcat's ISO-8859-1) on Chinese pages; never fail.
_WEAK = frozenset({"latin-1", "iso8859-1", "cp1252", "ascii"})
#: Control bytes that text pages do not hold (not \t \n \v \f \r or ESC).
_CONTROL = bytes((*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)))
_MAGIC = (b"%PDF-", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\xd0\xcf\x11\xe0", b"\x1f\x8b",
          b"Rar!", b"7z\xbc\xaf")


def codec_for(label: str | None) -> str | None:
    """The Python codec name for a declared charset label (GBK family → gb18030), or None.

    >>> codec_for("GB2312"), codec_for("utf8"), codec_for("no-such-charset")
    ('gb18030', 'utf-8', None)
    """
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    if key in _PROMOTE:
        return _PROMOTE[key]
    try:
        name = codecs.lookup(key).name
    except LookupError:
        return None
    return _PROMOTE.get(name, name)


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not a text page (NUL or many control bytes, known binary signatures).

    >>> looks_binary(b"%PDF-1.4"), looks_binary("政府信息公开".encode("gbk")), looks_binary(b"a\\x00b")
    (True, False, True)
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    sample = data[:4096]
    # Where the bytes start after blanks, without copying the whole input (data.lstrip() would).
    lead = len(sample) - len(sample.lstrip())
    if lead == len(sample):
        lead = len(data) - len(data.lstrip())
    if data[lead:lead + 8].startswith(_MAGIC):
        return True
    if b"\x00" in sample:
        return True
    n_control = len(sample) - len(sample.translate(None, _CONTROL))  # C-level count of a byte set
    return n_control > max(8, len(sample) // 100)


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _declared(data: bytes, content_type: str | None) -> list[tuple[DecodeMethod, str, str]]:
    """Declared charsets in order of authority: (method, label as written, codec)."""
    out: list[tuple[DecodeMethod, str, str]] = []
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m and (codec := codec_for(m.group(1))):
            out.append(("http", m.group(1), codec))
    m2 = _META_CHARSET.search(data[:4096])
    if m2:
        label = m2.group(1).decode("ascii", "replace")
        if codec := codec_for(label):
            out.append(("meta", label, codec))
    return out


def decode_bytes(data: bytes, content_type: str | None = None) -> tuple[str, DecodeInfo]:
    """Decode page bytes; never raises.

    >>> decode_bytes('<meta charset="gb2312">公开'.encode("gbk"))[1]
    DecodeInfo(encoding='gb18030', method='meta', declared='gb2312', replacements=0)
    >>> text, info = decode_bytes("公开".encode("gbk")[:-1])
    >>> info.encoding, info.replacements
    ('gb18030', 1)
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(codec, errors="replace")
            return text, DecodeInfo(codec, "bom", None, text.count("\ufffd"))

    declared = _declared(data, content_type)
    strong = [d for d in declared if d[2] not in _WEAK or not _has_high_bytes(data)]
    for method, label, codec in strong:
        decoded = _strict(data, codec)
        if decoded is not None:
            return decoded, DecodeInfo(codec, method, label, 0)
    first = strong[0] if strong else None
    any_label = declared[0][1] if declared else None

    utf8 = _strict(data, "utf-8")
    if utf8 is not None:
        return utf8, DecodeInfo("utf-8", "utf-8", any_label, 0)
    if first is not None:
        # The declaration failed strictly: a GB18030 alternative may fit (a UTF-8 one did not).
        if first[2] != "gb18030" and (gb := _strict(data, "gb18030")) is not None:
            return gb, DecodeInfo("gb18030", "detected", first[1], 0)
        # Damaged or truncated bytes in the declared codec: keep it, count the replacements.
        text = data.decode(first[2], errors="replace")
        return text, DecodeInfo(first[2], first[0], first[1], text.count("\ufffd"))
    return _detect(data)


def _has_high_bytes(data: bytes) -> bool:
    return not data.isascii()


def _detect(data: bytes) -> tuple[str, DecodeInfo]:
    """No usable declaration and not UTF-8: GB18030 when it fits (a few damaged bytes allowed),
    else charset-normalizer."""
    strict = _strict(data, "gb18030")
    if strict is not None:
        return strict, DecodeInfo("gb18030", "detected", None, 0)
    gb = data.decode("gb18030", errors="replace")
    gb_bad = gb.count("\ufffd")
    if gb_bad <= max(2, len(gb) // 1000):  # truncated or slightly damaged GBK: keep the codec
        return gb, DecodeInfo("gb18030", "detected", None, gb_bad)
    from charset_normalizer import from_bytes  # imported lazily: rarely needed

    best = from_bytes(data[:65536]).best()
    codec = codec_for(best.encoding) if best is not None else None
    if codec is None:
        return gb, DecodeInfo("gb18030", "fallback", None, gb_bad)
    text = data.decode(codec, errors="replace")
    bad = text.count("\ufffd")
    if gb_bad <= bad:
        return gb, DecodeInfo("gb18030", "fallback", None, gb_bad)
    return text, DecodeInfo(codec, "detected", None, bad)


def decode_findings(info: DecodeInfo, n_chars: int) -> list[Finding]:
    """Findings about the decoding: replacement characters, a declaration that did not decode.

    >>> [f.code for f in decode_findings(DecodeInfo("utf-8", "utf-8", "gb2312", 0), 100)]
    ['charset_mismatch']
    >>> decode_findings(DecodeInfo("gb18030", "meta", "gbk", 1), 1000)[0].details
    (('count', '1'),)
    """
    out: list[Finding] = []
    if info.replacements:
        share = info.replacements / max(n_chars, 1)
        out.append(Finding(
            "decode_replacements", "warning" if share > 0.001 else "info",
            f"{info.replacements} undecodable byte sequence(s) replaced by U+FFFD ({info.encoding})",
            details=(("count", str(info.replacements)),)))
    if info.declared and codec_for(info.declared) != info.encoding:
        out.append(Finding(
            "charset_mismatch", "warning",
            f"declared charset {info.declared!r} did not decode the page; used {info.encoding}",
            details=(("declared", info.declared), ("used", info.encoding))))
    if info.method == "fallback" and info.encoding not in ("none", "binary"):
        out.append(Finding("charset_guessed", "info",
                           f"no charset declared or detected with confidence; decoded as {info.encoding}"))
    return out
