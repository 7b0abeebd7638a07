"""Link discovery on portal pages: pagination of listing pages, report links, attachments.

Anchors are found with a regex rather than an HTML parser: it is fast, it also sees anchors inside
Hanweb's ``<![CDATA[...]]>`` record lists, and broken markup does not stop it.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

LinkKind = Literal["listing", "report", "attachment"]

_CHARSET_HEADER = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_CHARSET_META = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_GB_FAMILY = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "gb18030", "euc-cn", "csgb2312", "hz-gb-2312"}
_ANCHOR = re.compile(r"<a\b([^>]*)>(.*?)</a\s*>", re.I | re.S)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_TITLE = re.compile(r"""\btitle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_BASE = re.compile(r"""<base\b[^>]*\bhref\s*=\s*["']?([^"'\s>]+)""", re.I)
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
#: A report link: 年度报告/年报 and a year (Arabic, or Chinese numerals such as 二〇二三).
_REPORT_WORD = re.compile(r"年度报告|年报")
_YEAR = re.compile(r"(?:19|20)\d{2}|[二][〇零○ＯO][〇零○ＯO一二三四五六七八九]{2}")
_NEXT_WORDS = re.compile(r"^(?:下一?页|后一?页|尾页|末页|最后一?页|上一?页|前一?页|首页|\d{1,4}|\[\d{1,4}\]|>|>>|»|next|last)$", re.I)
_PAGING_URL = re.compile(r"(?:[/_-](?:index|list|default|more)?_?\d{1,4}\.s?html?$|[?&](?:page|pagenum|pageno|pageindex|"
                         r"curpage|currentpage|p|pn|start|startrecord)=\d+)", re.I)
_TRS_PAGER = re.compile(r"createPageHTML\s*\(([^)]*)\)")
_HANWEB_TOTAL = re.compile(r"totalRecord\s*[:=]\s*['\"]?(\d+)", re.I)
_HANWEB_PER = re.compile(r"perPage\s*[:=]\s*['\"]?(\d+)", re.I)
_HANWEB_UID = re.compile(r"\b(?:uid|unitid)\s*['\"]?\s*[:=]\s*['\"]?(\d+)", re.I)
_ATTACHMENT = re.compile(r"\.(?:pdf|docx?|xlsx?|wps|et|ofd|rtf|zip|rar|7z)$", re.I)
#: An href whose file name (before any query or fragment) is an attachment's.
_ATTACHMENT_HREF = re.compile(r"\.(?:pdf|docx?|xlsx?|wps|et|ofd|rtf|zip|rar|7z)(?:[?#]|$)", re.I)
_ATTACHMENT_ANY = re.compile(r"\.(?:pdf|docx?|xlsx?|wps|et|ofd|rtf|zip|rar|7z)(?![\w-])", re.I)
_ATTACHMENT_ANY_BYTES = re.compile(_ATTACHMENT_ANY.pattern.encode(), re.I)
_PAGE_NUMBER = re.compile(r"\D{0,6}\d{1,4}\D{0,6}")
_JS_OR_MAIL = re.compile(r"^\s*(?:javascript|mailto|tel|data):", re.I)
MAX_GENERATED_PAGES = 500


@dataclass(frozen=True, slots=True)
class Link:
    url: str  # absolute (not yet canonical)
    kind: LinkKind
    text: str


def charset_of(body: bytes, content_type: str | None) -> str | None:
    """The declared charset (header first, then ``<meta>``), GB family mapped to gb18030.

    >>> charset_of(b'<meta charset="gb2312">', None), charset_of(b"", "text/html; charset=UTF-8")
    ('gb18030', 'utf-8')
    """
    label: str | None = None
    if content_type:
        m = _CHARSET_HEADER.search(content_type)
        label = m.group(1) if m else None
    if not label:
        m2 = _CHARSET_META.search(body[:4096])
        label = m2.group(1).decode("ascii", "replace") if m2 else None
    if not label:
        return None
    label = label.strip().lower()
    return "gb18030" if label in _GB_FAMILY else label


def decode_page(body: bytes, content_type: str | None) -> str:
    """Decode a listing page for link discovery (declared charset; else UTF-8; else GB18030).

    >>> decode_page("年报".encode("gbk"), "text/html; charset=gbk")
    '年报'
    """
    charset = charset_of(body, content_type)
    if charset:
        try:
            return body.decode(charset, errors="replace")
        except LookupError:
            pass
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("gb18030", errors="replace")


def _clean(fragment: str) -> str:
    if "<" not in fragment and "&" not in fragment:  # the common plain-text anchor: no regex needed
        return " ".join(fragment.split())
    return _SPACE.sub(" ", htmllib.unescape(_TAGS.sub(" ", fragment))).strip()


def is_report_title(text: str) -> bool:
    """Anchor text or title naming an annual report with a year.

    >>> is_report_title("2023年政府信息公开工作年度报告"), is_report_title("二〇一二年政府信息公开年报")
    (True, True)
    >>> is_report_title("政府信息公开指南")
    False
    """
    return bool(_REPORT_WORD.search(text) and _YEAR.search(text))


def _href(attrs: str) -> str | None:
    """The followable href of an anchor's attributes (None: none, a fragment, javascript:, mailto:, ...)."""
    h = _HREF.search(attrs)
    if not h:
        return None
    href = htmllib.unescape(next(g for g in h.groups() if g is not None)).strip()
    return None if not href or href.startswith("#") or _JS_OR_MAIL.match(href) else href


def _text(attrs: str, inner: str) -> str:
    """An anchor's text and title."""
    t = _TITLE.search(attrs) if "itle" in attrs or "ITLE" in attrs else None
    title = htmllib.unescape(next(g for g in t.groups() if g is not None)) if t else ""
    return f"{_clean(inner)} {title}".strip()


def _raw_anchors(page: str) -> Iterator[tuple[str, str]]:
    """``(href as written, text and title)`` of every followable anchor, not yet resolved."""
    for attrs, inner in _ANCHOR.findall(page):
        href = _href(attrs)
        if href is not None:
            yield href, _text(attrs, inner)


@lru_cache(maxsize=1 << 16)
def _candidate(kind: str, attrs: str, inner: str) -> tuple[str, str] | None:
    """``(href, text)`` when :func:`discover` may follow this anchor, else None; cheapest test first.

    Most anchors of a portal page (navigation, footer) fail on their text (listing pages) or on their
    file name (report pages) alone, so neither their other attribute is parsed nor their URL resolved.
    Cached: the same navigation anchors recur on every page of a site.
    """
    if kind == "report":
        href = _href(attrs)
        if href is None or not (_ATTACHMENT_HREF.search(href) or href.startswith("?")):
            return None
        return href, _text(attrs, inner)
    text = _text(attrs, inner)
    if text and not (is_report_title(text) or _NEXT_WORDS.match(text) or _PAGE_NUMBER.fullmatch(text)):
        return None
    href = _href(attrs)
    return None if href is None else (href, text)


def _candidates(page: str, kind: str) -> Iterator[tuple[str, str]]:
    """:func:`_raw_anchors` narrowed to the anchors :func:`discover` may follow."""
    for attrs, inner in _ANCHOR.findall(page):
        found = _candidate(kind, attrs, inner)
        if found is not None:
            yield found


def _base(page: str, base_url: str) -> str:
    m = _BASE.search(page[:8192])
    return urljoin(base_url, m.group(1)) if m else base_url


def anchors(page: str, base_url: str) -> list[tuple[str, str]]:
    """``(absolute url, text or title)`` of every followable anchor.

    >>> anchors('<a href="b.html" title="T">x <b>y</b></a><a href="javascript:void(0)">z</a>', "http://h/a/")
    [('http://h/a/b.html', 'x y T')]
    """
    base = _base(page, base_url)
    return [(urljoin(base, href), text) for href, text in _raw_anchors(page)]


def _trs_pages(page: str, base_url: str) -> list[str]:
    """TRS WCM pager ``createPageHTML(total, current, "index", "html")`` (and the newer form with a div id)."""
    out: list[str] = []
    if "createPageHTML" not in page:  # a substring test is far cheaper than the regex over a long page
        return out
    for args in _TRS_PAGER.findall(page):
        parts = [a.strip().strip("'\"") for a in args.split(",")]
        ints = [int(p) for p in parts if p.isdigit()]
        words = [p for p in parts if p and not p.isdigit()]
        if not ints or len(words) < 2:
            continue
        prefix, ext = words[-2], words[-1]
        total = min(ints[0], MAX_GENERATED_PAGES)
        out.extend(urljoin(base_url, f"{prefix}.{ext}" if i == 0 else f"{prefix}_{i}.{ext}") for i in range(total))
    return out


def _hanweb_pages(page: str, base_url: str) -> list[str]:
    """Hanweb jpage lists: ``totalRecord``/``perPage`` in the pager script, pages as ``?uid=..&pageNum=N``."""
    # Substring tests (the spellings Hanweb's pager scripts use): lower-casing a long page costs more.
    if not any(word in page for word in ("totalRecord", "totalrecord", "TotalRecord", "TOTALRECORD")):
        return []
    total, per, uid = _HANWEB_TOTAL.search(page), _HANWEB_PER.search(page), _HANWEB_UID.search(page)
    if not (total and per and uid) or int(per.group(1)) == 0:
        return []
    n = min(-(-int(total.group(1)) // int(per.group(1))), MAX_GENERATED_PAGES)
    parts = urlsplit(base_url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("uid", "pageNum")]
    return [urlunsplit((parts.scheme, parts.netloc, parts.path,
                        urlencode(query + [("uid", uid.group(1)), ("pageNum", str(i))]), ""))
            for i in range(1, n + 1)]


def _same_dir(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    return pa.netloc == pb.netloc and pa.path.rsplit("/", 1)[0] == pb.path.rsplit("/", 1)[0]


def worth_decoding(body: bytes, base_url: str, kind: str) -> bool:
    """False when :func:`discover` would certainly find nothing: a report page that names no attachment.

    The test runs on the bytes (an ASCII ``.pdf`` cannot be part of a GB18030 or UTF-8 multi-byte
    character), so most report pages are not even decoded.

    >>> worth_decoding(b"<a href='/a/1.html'>x</a>", "http://h/r.html", "report")
    False
    >>> worth_decoding(b"<a href='/f/1.PDF'>x</a>", "http://h/r.html", "report")
    True
    """
    if kind != "report" or b"\x00" in body[:1024]:  # NULs: UTF-16/32, where ASCII is not one byte per character
        return True
    return bool(_ATTACHMENT_ANY_BYTES.search(body) or _ATTACHMENT.search(urlsplit(base_url).path))


def discover(page: str, base_url: str, kind: str) -> list[Link]:
    """Links to follow from a fetched page of ``kind`` (``listing`` or ``report``).

    Listing pages give pagination (``listing``) and report links (``report``); report pages give
    their attachments (``attachment``).

    >>> page = '<a href="index_1.html">下一页</a><a href="/c/1.html" title="2022年度政府信息公开工作年度报告">2022年度…</a>'
    >>> [(l.url, l.kind) for l in discover(page, "http://x.cn/col/index.html", "listing")]
    [('http://x.cn/col/index_1.html', 'listing'), ('http://x.cn/c/1.html', 'report')]
    """
    links: list[Link] = []
    if kind == "report" and not _ATTACHMENT_ANY.search(page) and not _ATTACHMENT.search(urlsplit(base_url).path):
        return links  # no attachment named anywhere (one C-level scan instead of a look at every anchor)
    base = _base(page, base_url)
    for href, text in _candidates(page, kind):
        url = urljoin(base, href)
        path = urlsplit(url).path
        if kind == "report":
            if _ATTACHMENT.search(path):
                links.append(Link(url, "attachment", text))
            continue
        if is_report_title(text):
            links.append(Link(url, "attachment" if _ATTACHMENT.search(path) else "report", text))
        elif _NEXT_WORDS.match(text) or (not text and _PAGING_URL.search(url)):
            if _PAGING_URL.search(url) or _same_dir(url, base_url):
                links.append(Link(url, "listing", text))
        elif _PAGING_URL.search(url) and _same_dir(url, base_url) and _PAGE_NUMBER.fullmatch(text):
            links.append(Link(url, "listing", text))
    if kind == "listing":
        links.extend(Link(u, "listing", "") for u in _trs_pages(page, base_url) + _hanweb_pages(page, base_url))
    return links
