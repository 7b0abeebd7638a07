"""Page HTML → :class:`Content`: the report's source text, its tables, title, breadcrumb and date.

The whole page is parsed once with selectolax (lexbor). The main content is the best known CMS
container (``TRS_Editor``, ``article_content``, ``zoom`` …, matched by class or id, case-insensitive);
without one, a text-density fallback picks the block with the most Chinese text and fewest links.
The container is rendered by :mod:`parsers.html_render`; portal boilerplate lines are dropped by
:mod:`parsers.html_boiler`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from parsers import html_boiler as boiler
from parsers.html_lines import Line, Rendered
from parsers.html_render import render
from parsers.records import Finding, RawCell, RawTable


@dataclass(frozen=True, slots=True)
class Content:
    text: str
    tables: tuple[RawTable, ...] = ()
    title: str | None = None
    breadcrumb: str | None = None
    publish_date: str | None = None
    container: str = ""
    findings: tuple[Finding, ...] = ()


# Known article containers, most specific first (class token or id, compared in lower case).
_CONTAINERS = (
    "trs_editor", "trs_ueditor", "custom_unionstyle", "ucapcontent", "zoomcon", "zoom", "article-content",
    "article_content", "articlecontent", "pages_content", "wzcon", "xxgk_content", "xxgk-content",
    "news_content", "detail_content", "detail-content", "art_con", "bt_content", "contentText", "con_text",
    "main_content", "content", "con",
)
_CONTAINER_SELECTOR = ", ".join(f'[class~="{n}" i], [id="{n}" i]' for n in _CONTAINERS)
_RANK = {n.lower(): i for i, n in enumerate(_CONTAINERS)}
_DENSITY_SELECTOR = "div, td, article, section, main"
_NON_HAN = re.compile(r"[^\u3400-\u9fff]+")
_SPACES = re.compile(r"\s+")
_TITLE_SPLIT = re.compile(r"\s*(?:_|\||｜|——|--|—|\s-\s|(?<!\d)-(?!\d))\s*")
_HEAD_ZONE = 6
_TAIL_ZONE = 15
# Minimum Han characters for a container to count as the article.
_MIN_HAN = 20


def _han(text: str) -> int:
    return len(_NON_HAN.sub("", text))


def _link_han(node: Any) -> int:
    return sum(_han(a.text()) for a in node.css("a"))


def _label(node: Any) -> str:
    cls = node.attributes.get("class") or ""
    ident = node.attributes.get("id") or ""
    return f"{node.tag}" + (f"#{ident}" if ident else "") + (f".{'.'.join(cls.split())}" if cls else "")


def _innermost(cands: list[tuple[Any, int]]) -> Any:
    """Among nodes holding ≥ 90 % of the best score, the deepest (the tightest container)."""
    best = max(score for _, score in cands)
    strong = [node for node, score in cands if score >= 0.9 * best]

    def depth_ok(node: Any) -> bool:
        # Keep a node only if no other strong node lies inside it.
        return not any(inner.mem_id != node.mem_id and _is_ancestor(node, inner) for inner in strong)

    inner = [n for n in strong if depth_ok(n)]
    return inner[0] if inner else strong[0]


def _is_ancestor(outer: Any, inner: Any) -> bool:
    node = inner.parent
    while node is not None:
        if node.mem_id == outer.mem_id:
            return True
        node = node.parent
    return False


def find_container(tree: Any) -> tuple[Any | None, bool]:
    """The main-content node and whether the density fallback chose it.

    >>> tree = LexborHTMLParser('<div class="nav"><a>首页</a></div><div class="TRS_Editor"><p>本年度共主动公开政府信息一百二十条，依申请公开十条。</p></div>')
    >>> node, fallback = find_container(tree)
    >>> node.attributes["class"], fallback
    ('TRS_Editor', False)
    """
    cands: list[tuple[Any, int]] = []
    for node in tree.css(_CONTAINER_SELECTOR):
        han = _han(node.text())
        if han < _MIN_HAN:
            continue
        links = _link_han(node)
        if links > 0.5 * han:  # a navigation block that happens to be called "content"
            continue
        cands.append((node, han - links))
    if cands:
        return _innermost(cands), False
    body = tree.body
    if body is None:
        return None, True
    dense: list[tuple[Any, int]] = []
    for node in body.css(_DENSITY_SELECTOR):
        han = _han(node.text())
        if han < _MIN_HAN:
            continue
        dense.append((node, han - 2 * _link_han(node)))
    if not dense or max(s for _, s in dense) <= 0:
        return (body if _han(body.text()) else None), True
    return _innermost(dense), True


def _meta(tree: Any, names: tuple[str, ...]) -> str | None:
    for node in tree.css("meta[name], meta[property]"):
        name = (node.attributes.get("name") or node.attributes.get("property") or "").lower()
        if name in names:
            content = (node.attributes.get("content") or "").strip()
            if content:
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


def _title(tree: Any, container: Any | None) -> str | None:
    meta = _meta(tree, ("articletitle", "title", "og:title", "dc.title"))
    if meta:
        return _compact(meta)
    if container is not None:
        for sel in ("h1", ".title", "h2"):
            node = container.css_first(sel)
            if node is not None and node.text(strip=True):
                return _compact(node.text(strip=True))
    head = tree.css_first("title")
    if head is not None and head.text(strip=True):
        return clean_title(_compact(head.text()))
    return None


def _compact(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


_PAGE_DATE = re.compile(
    boiler.DATE_LABELS + r"\s*[:：]\s*(?:<[^>]{0,300}>\s*|&nbsp;\s*)*"
    r"((?:19|20)\d{2}\s*[-/年.]\s*\d{1,2}\s*[-/月.]\s*\d{1,2})")
_PAGE_CRUMB = re.compile(r"(?:当前位置|當前位置|现在的位置|現在的位置|当前的位置|當前的位置|所在位置)\s*(?:</?[^>]{0,300}>\s*)*[:：]")
_TAG = re.compile(r"<[^>]*>")
_CRUMB_END = re.compile(r"</(?:div|p|td|ul|nav|span)>", re.I)


_CRUMB_SELECTOR = ", ".join(f'[class*="{n}" i], [id*="{n}" i]' for n in (
    "crumb", "position", "location", "dqwz", "weizhi", "mianbao", "curmenu", "nav_path", "navpath"))
_CRUMB_SEP = re.compile(r"\s*(?:&gt;|＞|>|›|»|/|→)\s*")
_CRUMB_LABEL = re.compile(r"^.{0,8}?(?:位置|所在)\s*[:：]\s*")


def _page_breadcrumb(tree: Any, page: str) -> str | None:
    """The breadcrumb trail outside the content (portal header).

    A breadcrumb-like element (class/id such as ``breadcrumb``, ``position``, ``dqwz``) whose text or
    links look like a trail; else the text after a ``当前位置：`` marker in the raw HTML.
    """
    for node in tree.css(_CRUMB_SELECTOR):
        links = [_compact(a.text()) for a in node.css("a")]
        links = [x for x in links if x]
        text = _compact(node.text(separator=" "))
        if not text or len(text) > 300:
            continue
        if len(links) >= 2:
            return " > ".join(links)
        if "位置" in text and ">" in text:
            return _CRUMB_LABEL.sub("", text)
    m = _PAGE_CRUMB.search(page)
    if m is None:
        return None
    chunk = page[m.end(): m.end() + 3000]
    end = _CRUMB_END.search(chunk)
    text = _TAG.sub(" ", chunk[: end.start()] if end else chunk[:500]).replace("&nbsp;", " ")
    parts = [_SPACES.sub(" ", p).strip() for p in _CRUMB_SEP.split(text)]
    trail = " > ".join(p for p in parts if p)
    return trail or None


def extract_content(page: str) -> Content:
    """Extract the report text, tables and page metadata from a page's HTML.

    >>> c = extract_content('<title>某市年度报告_某市政府</title><div class="TRS_Editor"><p>您当前的位置：首页>年报</p>'
    ...     '<p>一、概述本年度共主动公开政府信息120条。</p><table><tr><td>项目</td><td>数量</td></tr>'
    ...     '<tr><td>规章</td><td>0</td></tr></table><p>扫一扫在手机打开当前页</p></div>')
    >>> print(c.text)
    一、概述本年度共主动公开政府信息120条。
    项目 | 数量
    规章 | 0
    >>> c.breadcrumb, c.tables[0].cells[3].text, c.title
    ('首页>年报', '0', '某市年度报告')
    """
    findings: list[Finding] = []
    try:
        tree = LexborHTMLParser(page)
    except Exception as exc:  # lexbor rejects a few byte patterns; never crash
        return Content(text="", findings=(Finding("html_parse_error", "error", f"HTML parser failed: {exc}"),))
    container, fallback = find_container(tree)
    title = _title(tree, container)
    meta_date = _meta(tree, ("pubdate", "publishdate", "firstpublishedtime", "publishtime", "releasedate",
                             "dc.date", "dcterms.issued", "dc.date.issued", "article:published_time"))
    publish_date = boiler.iso_date(meta_date) if meta_date else None
    if container is None:
        findings.append(Finding("no_content", "error", "no text-bearing content block found in the page"))
        return Content(text="", title=title, publish_date=publish_date or _page_date(page),
                       breadcrumb=_page_breadcrumb(tree, page), findings=tuple(findings))
    if fallback:
        findings.append(Finding("content_fallback", "warning",
                                "no known content container: the densest text block was used"))
    rendered = render(container)
    lines, breadcrumb, line_date = _drop_boilerplate(rendered.lines)
    text, tables = _assemble(lines, rendered)
    if not text.strip():
        findings.append(Finding("no_content", "error", "the content block holds no text"))
    return Content(
        text=text, tables=tables, title=title,
        breadcrumb=breadcrumb or _page_breadcrumb(tree, page),
        publish_date=publish_date or line_date or _page_date(page),
        container=_label(container), findings=tuple(findings))


def _page_date(page: str) -> str | None:
    m = _PAGE_DATE.search(page)
    return boiler.iso_date(m.group(1)) if m else None


def _drop_boilerplate(lines: list[Line]) -> tuple[list[Line], str | None, str | None]:
    """Remove breadcrumb and widget lines anywhere, byline lines in the head and tail zones."""
    breadcrumb: str | None = None
    date: str | None = None
    n = len(lines)
    kept: list[Line] = []
    for i, line in enumerate(lines):
        if line.table >= 0:
            kept.append(line)
            continue
        crumb = boiler.breadcrumb_of(line.text)
        if crumb is not None:
            breadcrumb = breadcrumb or crumb
            continue
        in_zone = i < _HEAD_ZONE or i >= n - _TAIL_ZONE
        if in_zone and (boiler.is_boilerplate(line.text) or boiler.is_trivial(line.text)):
            date = date or boiler.date_in_line(line.text)
            continue
        if not in_zone and boiler.is_widget(line.text):
            continue
        kept.append(line)
    return kept, breadcrumb, date


def _assemble(lines: list[Line], rendered: Rendered) -> tuple[str, tuple[RawTable, ...]]:
    """Join lines with newlines and turn relative cell offsets into RawTables over the text."""
    parts: list[str] = []
    pos = 0
    cells: dict[int, list[RawCell]] = {}
    spans: dict[int, list[int]] = {}
    for line in lines:
        if parts:
            parts.append("\n")
            pos += 1
        if line.table >= 0:
            bucket = cells.setdefault(line.table, [])
            span = spans.setdefault(line.table, [pos, pos])
            start = pos
            for text, (col, rowspan, colspan, header) in zip(line.texts, line.cells):
                end = start + len(text)
                bucket.append(RawCell(line.row, col, text, start, end, rowspan, colspan, header or line.head))
                start = end + 3
            span[1] = pos + len(line.text)
        parts.append(line.text)
        pos += len(line.text)
    tables = []
    for new_index, old in enumerate(sorted(cells)):
        shape = rendered.tables[old]
        start, end = spans[old]
        tables.append(RawTable(new_index, tuple(cells[old]), shape.n_rows, shape.n_cols, start, end, "html"))
    return "".join(parts), tuple(tables)
