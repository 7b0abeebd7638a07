"""Page metadata found outside the content container: title, ``<meta>`` values, breadcrumb, date."""

from __future__ import annotations

import re
from typing import Any

from parsers import html_boiler as boiler
from parsers.html_find import Marked, crumb_elements

_SPACES = re.compile(r"\s+")
_TITLE_SPLIT = re.compile(r"\s*(?:_|\||｜|——|--|—|\s-\s|(?<!\d)-(?!\d))\s*")
_PAGE_DATE = re.compile(
    boiler.DATE_LABELS + r"\s*[:：]\s*(?:<[^>]{0,300}>\s*|&nbsp;\s*)*"
    r"((?:19|20)\d{2}\s*[-/年.]\s*\d{1,2}\s*[-/月.]\s*\d{1,2})")
_CRUMB_LABEL_WORDS = ("当前位置", "當前位置", "现在的位置", "現在的位置", "当前的位置", "當前的位置", "所在位置")
_PAGE_CRUMB = re.compile("(?:" + "|".join(_CRUMB_LABEL_WORDS) + r")\s*(?:</?[^>]{0,300}>\s*)*[:：]")
_TAG = re.compile(r"<[^>]*>")
_CRUMB_END = re.compile(r"</(?:div|p|td|ul|nav|span)>", re.I)
_CRUMB_SEP = re.compile(r"\s*(?:&gt;|＞|>|›|»|/|→)\s*")
_CRUMB_LABEL = re.compile(r"^.{0,8}?(?:位置|所在)\s*[:：]\s*")

TITLE_NAMES = ("articletitle", "title", "og:title", "dc.title")
DATE_NAMES = ("pubdate", "publishdate", "firstpublishedtime", "publishtime", "releasedate",
              "dc.date", "dcterms.issued", "dc.date.issued", "article:published_time")


def metas(tree: Any) -> list[tuple[str, str]]:
    """Every ``<meta>`` with a name or property: (lower-case name, stripped content), in page order."""
    out = []
    for node in tree.css("meta"):  # one selector: one walk over the page
        attrs = node.attributes
        if "name" not in attrs and "property" not in attrs:
            continue
        name = (attrs.get("name") or attrs.get("property") or "").lower()
        out.append((name, (attrs.get("content") or "").strip()))
    return out


def meta(found: list[tuple[str, str]], names: tuple[str, ...]) -> str | None:
    """The first non-empty content among metas named one of ``names``."""
    for name, content in found:
        if content and name in names:
            return content
    return None


def clean_title(raw: str) -> str:
    """A page ``<title>`` without its site-name suffixes.

    >>> clean_title("某市2021年度政府信息公开工作年度报告_政府信息公开年报_某市人民政府")
    '某市2021年度政府信息公开工作年度报告'
    """
    parts = [p for p in _TITLE_SPLIT.split(raw.strip()) if p]
    if not parts:
        return raw.strip()
    return parts[0] if len(parts[0]) >= 4 else max(parts, key=len)


def title(tree: Any, container: Any | None, found: list[tuple[str, str]]) -> str | None:
    named = meta(found, TITLE_NAMES)
    if named:
        return compact(named)
    if container is not None:
        for sel in ("h1", ".title", "h2"):
            node = container.css_first(sel)
            if node is not None and node.text(strip=True):
                return compact(node.text(strip=True))
    head = tree.css_first("title")
    if head is not None and head.text(strip=True):
        return clean_title(compact(head.text()))
    return None


def compact(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def search_labelled(pattern: re.Pattern[str], page: str, labels: tuple[str, ...]) -> re.Match[str] | None:
    """``pattern.search(page)`` for a pattern that starts with one of ``labels`` (and has no look-behind).

    re tries a leading alternation at every position of a long page; no match can start before the
    first occurrence of a label's last two characters, less the length of the longest label's rest.
    """
    ends = {label[-2:] for label in labels}
    found = [i for i in (page.find(end) for end in ends) if i >= 0]
    if not found:
        return None
    return pattern.search(page, max(0, min(found) - max(len(label) - 2 for label in labels)))


def page_breadcrumb(marks: Marked, page: str) -> str | None:
    """The breadcrumb trail outside the content (portal header).

    A breadcrumb-like element (class/id such as ``breadcrumb``, ``position``, ``dqwz``) whose text or
    links look like a trail; else the text after a ``当前位置：`` marker in the raw HTML.
    """
    for node in crumb_elements(marks):
        links = [compact(a.text()) for a in node.css("a")]
        links = [x for x in links if x]
        text = compact(node.text(separator=" "))
        if not text or len(text) > 300:
            continue
        if len(links) >= 2:
            return " > ".join(links)
        if "位置" in text and ">" in text:
            return _CRUMB_LABEL.sub("", text)
    m = search_labelled(_PAGE_CRUMB, page, _CRUMB_LABEL_WORDS)
    if m is None:
        return None
    chunk = page[m.end(): m.end() + 3000]
    end = _CRUMB_END.search(chunk)
    text = _TAG.sub(" ", chunk[: end.start()] if end else chunk[:500]).replace("&nbsp;", " ")
    parts = [_SPACES.sub(" ", p).strip() for p in _CRUMB_SEP.split(text)]
    trail = " > ".join(p for p in parts if p)
    return trail or None


def page_date(page: str) -> str | None:
    m = search_labelled(_PAGE_DATE, page, boiler.DATE_LABEL_WORDS)
    return boiler.iso_date(m.group(1)) if m else None
