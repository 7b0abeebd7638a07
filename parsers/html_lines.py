"""The rendered form of a content fragment (lines, table rows and cells) and the text rules shared
by the walk (:mod:`parsers.html_render`) and the table renderer (:mod:`parsers.html_table`).

A line is what a browser shows between two block boundaries: its inline text pieces joined, runs of
ASCII white space collapsed to one space, Word conditional comments that survive as escaped text
removed. ``&nbsp;`` (U+00A0) and U+3000 are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from collections.abc import Sequence
from typing import Any, Protocol

# Elements whose content is never shown as text.
_SKIP = frozenset({
    "script", "style", "noscript", "template", "head", "title", "iframe", "object", "embed", "select",
    "option", "button", "input", "textarea", "o:p", "svg", "canvas", "audio", "video", "map", "meta",
    "link", "img",
})
# Elements that break lines (before and after their content).
_BLOCK = frozenset({
    "p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "tbody", "thead",
    "tfoot", "section", "article", "header", "footer", "blockquote", "pre", "dl", "dt", "dd", "center",
    "form", "hr", "address", "figure", "figcaption", "main", "nav", "aside", "caption", "td", "th",
    "fieldset", "legend", "details", "summary", "body", "html",
})
# Node kinds of the walk (all truthy, so ``kinds.get(tag_id) or ...`` memoises them).
TEXT, SKIP, INLINE, BLOCK, BR, TABLE = range(1, 7)

#: The white space that lines collapse (HTML's, plus vertical tab); not U+00A0, U+3000 or U+001C–U+001F.
ASCII_WS = " \t\n\r\f\v"
_WS = re.compile(f"[{ASCII_WS}]+")
# Word conditional comments that survive as escaped text: &lt;!--[if !supportLists]--&gt; and friends.
_COND = re.compile(r"<!--\s*\[(?:if[^\]]*|endif)\]\s*-->|<!\[(?:if[^\]]*|endif)\]>|<!--\s*\[endif\]\s*-->")


# One original cell of a rendered table row: (column, rowspan, colspan, header). Its text is the
# row's ``texts`` entry at the same index.
CellSpec = tuple[int, int, int, bool]


@dataclass(slots=True)
class Line:
    """One rendered line. A table row carries its table number, row number, cell texts (joined by
    ``" | "`` into ``text``) and cells, and whether it is a header row."""

    text: str
    table: int = -1  # index into Rendered.tables, or -1 for prose
    row: int = 0
    head: bool = False
    texts: Sequence[str] = ()
    cells: Sequence[CellSpec] = ()


@dataclass(slots=True)
class TableShape:
    n_rows: int
    n_cols: int


@dataclass(slots=True)
class Rendered:
    lines: list[Line] = field(default_factory=list)
    tables: list[TableShape] = field(default_factory=list)


class Walk(Protocol):
    """What the table renderer needs from the walk: node kinds, hidden elements, and a sub-walk."""

    kinds: dict[int, int]
    hidden: frozenset[int]
    out: Rendered

    def kind(self, node: Any) -> int: ...

    def walk(self, root: Any, pieces: list[str], lines: list[Line]) -> None: ...


def kind_of(tag: str | None) -> int:
    """The walk's kind for a node named ``tag`` (selectolax names: ``-text``, ``-comment``, ``p`` …).

    >>> [kind_of(t) == k for t, k in (("-text", TEXT), ("o:p", SKIP), ("td", BLOCK), ("span", INLINE))]
    [True, True, True, True]
    """
    if tag == "-text":
        return TEXT
    if tag is None or tag[:1] in ("-", "!") or tag in _SKIP:
        return SKIP
    if tag == "br":
        return BR
    if tag == "table":
        return TABLE
    return BLOCK if tag in _BLOCK else INLINE


def flush(pieces: list[str], lines: list[Line]) -> None:
    """Turn the pending inline pieces into a line (dropped when blank) at a block boundary."""
    raw = "".join(pieces)
    pieces.clear()
    if "<!" in raw:
        raw = _COND.sub("", raw)
    # Printable text holds no ASCII white space but single spaces, which the substitution keeps.
    line = (raw if raw.isprintable() and "  " not in raw else _WS.sub(" ", raw)).strip(" ")
    if line.strip():
        lines.append(Line(line))


def collapse(raw: str) -> str:
    r"""The text of a one-line cell: what flush() would make of ``raw``, fully stripped.

    >>> collapse("\u00a0 1\t\n 2 ")
    '1 2'
    """
    if "<!" in raw:
        raw = _COND.sub("", raw)
    raw = raw.strip()
    # Printable text holds no ASCII white space but single spaces, which the substitution keeps.
    return raw if raw.isprintable() and "  " not in raw else _WS.sub(" ", raw)
