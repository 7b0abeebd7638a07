"""Page HTML → :class:`Content`: the report's source text, its tables, title, breadcrumb and date.

The whole page is parsed once with selectolax (lexbor). The main content container is found by
:mod:`parsers.html_find`, rendered by :mod:`parsers.html_render`, and portal boilerplate lines are
dropped by :mod:`parsers.html_boiler`; page-level title, breadcrumb and date come from
:mod:`parsers.html_page`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from parsers import html_boiler as boiler
from parsers import html_page as page_meta
from parsers.html_find import find_container, marked
from parsers.html_lines import Line, Rendered
from parsers.html_page import clean_title
from parsers.html_render import render
from parsers.records import Finding, RawCell, RawTable

__all__ = ["Content", "clean_title", "extract_content", "find_container"]


@dataclass(frozen=True, slots=True)
class Content:
    text: str
    tables: tuple[RawTable, ...] = ()
    title: str | None = None
    breadcrumb: str | None = None
    publish_date: str | None = None
    container: str = ""
    findings: tuple[Finding, ...] = ()


_HEAD_ZONE = 6
_TAIL_ZONE = 15


def _label(node: Any) -> str:
    cls = node.attributes.get("class") or ""
    ident = node.attributes.get("id") or ""
    return f"{node.tag}" + (f"#{ident}" if ident else "") + (f".{'.'.join(cls.split())}" if cls else "")


def extract_content(page: str, utf8: bytes | None = None) -> Content:
    """Extract the report text, tables and page metadata from a page's HTML.

    ``utf8``, if given, must be ``page`` encoded as UTF-8 (such as the input bytes of a page that
    decoded as strict UTF-8): lexbor parses UTF-8, so a ``str`` is encoded again before parsing.

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
        tree = LexborHTMLParser(page if utf8 is None else utf8)
    except Exception as exc:  # lexbor rejects a few byte patterns; never crash
        return Content(text="", findings=(Finding("html_parse_error", "error", f"HTML parser failed: {exc}"),))
    marks = marked(tree)
    container, fallback = find_container(tree, marks)
    metas = page_meta.metas(tree)
    title = page_meta.title(tree, container, metas)
    meta_date = page_meta.meta(metas, page_meta.DATE_NAMES)
    publish_date = boiler.iso_date(meta_date) if meta_date else None
    if container is None:
        findings.append(Finding("no_content", "error", "no text-bearing content block found in the page"))
        return Content(text="", title=title, publish_date=publish_date or page_meta.page_date(page),
                       breadcrumb=page_meta.page_breadcrumb(marks, page), findings=tuple(findings))
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
        breadcrumb=breadcrumb or page_meta.page_breadcrumb(marks, page),
        publish_date=publish_date or line_date or page_meta.page_date(page),
        container=_label(container), findings=tuple(findings))


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
