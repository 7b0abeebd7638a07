"""Render an HTML content fragment (a selectolax node) into source-text lines and table rows.

The rendering imitates what a browser shows: block elements start new lines, inline elements
concatenate with no separator (so Word's ``<span>20</span><span>23</span>`` reads ``2023``), runs of
ASCII white space collapse to one space, ``&nbsp;`` stays U+00A0 and U+3000 stays as is.

Each data ``<table>`` becomes one line per ``<tr>`` with the row's original cells joined by ``" | "``.
A cell's text is its rendered content with inner line breaks removed: lines are joined with nothing
(``商业``+``企业`` → ``商业企业``, ``结果<br>纠正`` → ``结果纠正``), or with one space when both sides
are ASCII letters or digits (so two numbers in separate paragraphs stay apart). Leading and trailing
white space (``&nbsp;`` included) is stripped from cell text, so ``&nbsp;5`` is ``5``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

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
_WS = re.compile(r"[ \t\n\r\f\v]+")
# Word conditional comments that survive as escaped text: &lt;!--[if !supportLists]--&gt; and friends.
_COND = re.compile(r"<!--\s*\[(?:if[^\]]*|endif)\]\s*-->|<!\[(?:if[^\]]*|endif)\]>|<!--\s*\[endif\]\s*-->")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_NUMERIC_CELL = re.compile(r"^[\s\u00a0\u3000]*[-+]?\d[\d,.]*\s*[%％]?[\s\u00a0\u3000]*$")
_ALNUM = re.compile(r"[0-9A-Za-z]")
_DIGITS = re.compile(r"\d+")
# Elements whose style may hide them: only these are tested with _is_hidden (one selector query per render
# instead of an attribute lookup on every element).
_MAYBE_HIDDEN = '[style*="none"], [style*="hidden"]'


@dataclass(slots=True)
class CellSpec:
    """One original cell of a rendered row, with offsets relative to its line."""

    row: int
    col: int
    text: str
    rel_start: int
    rel_end: int
    rowspan: int
    colspan: int
    header: bool


@dataclass(slots=True)
class Line:
    """One rendered line. Table rows carry their table number and their cells."""

    text: str
    table: int = -1  # index into Rendered.tables, or -1 for prose
    cells: list[CellSpec] = field(default_factory=list)


@dataclass(slots=True)
class TableShape:
    n_rows: int
    n_cols: int


@dataclass(slots=True)
class Rendered:
    lines: list[Line] = field(default_factory=list)
    tables: list[TableShape] = field(default_factory=list)


class _Builder:
    """Collects inline text pieces and turns them into lines at block boundaries."""

    __slots__ = ("out", "pieces")

    def __init__(self, out: Rendered) -> None:
        self.out = out
        self.pieces: list[str] = []

    def text(self, s: str) -> None:
        self.pieces.append(s)

    def block(self) -> None:
        if not self.pieces:
            return
        raw = "".join(self.pieces)
        self.pieces.clear()
        if "<!" in raw:
            raw = _COND.sub("", raw)
        line = _WS.sub(" ", raw).strip(" ")
        if line.strip():
            self.out.lines.append(Line(line))


def _is_hidden(node: Any) -> bool:
    style = node.attributes.get("style")
    if not style or ("none" not in style and "hidden" not in style):  # cheap test before the regex
        return False
    return _HIDDEN.search(style) is not None


def render(root: Any) -> Rendered:
    """Render a selectolax node's content into lines and table shapes.

    >>> from selectolax.lexbor import LexborHTMLParser
    >>> node = LexborHTMLParser("<div><p>共<span>20</span><span>23</span>条</p><p>b</p></div>").css_first("div")
    >>> [line.text for line in render(node).lines]
    ['共2023条', 'b']
    """
    out = Rendered()
    b = _Builder(out)
    hidden = frozenset(n.mem_id for n in root.css(_MAYBE_HIDDEN) if _is_hidden(n))
    _walk(root, b, out, hidden)
    b.block()
    return out


def _walk(root: Any, b: _Builder, out: Rendered, hidden: frozenset[int]) -> None:
    # Iterative pre-order walk: a None entry on the stack marks the end of a block element.
    stack: list[Any] = []
    child = root.child
    children = []
    while child is not None:
        children.append(child)
        child = child.next
    stack.extend(reversed(children))
    while stack:
        node = stack.pop()
        if node is None:
            b.block()
            continue
        tag = node.tag
        if tag == "-text":
            s = node.text_content
            if s:
                b.text(s)
            continue
        if tag.startswith("-") or tag.startswith("!") or tag in _SKIP:
            continue
        if hidden and node.mem_id in hidden:
            continue
        if tag == "br":
            b.block()
            continue
        if tag == "table" and _render_table(node, b, out, hidden):
            continue
        kids = []
        child = node.child
        while child is not None:
            kids.append(child)
            child = child.next
        if tag in _BLOCK:
            b.block()
            stack.append(None)
        stack.extend(reversed(kids))


def _rows(table: Any) -> list[tuple[list[Any], bool]]:
    """The table's own rows (not those of nested tables), each as its list of td/th nodes and whether
    the row lies in a ``<thead>``."""
    rows: list[tuple[list[Any], bool]] = []
    child = table.child
    sections = []
    while child is not None:
        if child.tag in ("thead", "tbody", "tfoot"):
            sections.append(child)
        elif child.tag == "tr":
            sections.append(child)
        child = child.next
    for sec in sections:
        trs = [sec] if sec.tag == "tr" else []
        if sec.tag != "tr":
            tr = sec.child
            while tr is not None:
                if tr.tag == "tr":
                    trs.append(tr)
                tr = tr.next
        in_head = sec.tag == "thead"
        for tr in trs:
            cells = []
            cell = tr.child
            while cell is not None:
                if cell.tag in ("td", "th"):
                    cells.append(cell)
                cell = cell.next
            rows.append((cells, in_head))
    return rows


def _span(attrs: dict[str, Any], name: str) -> int:
    raw = attrs.get(name)
    if not isinstance(raw, str):
        return 1
    digits = _DIGITS.match(raw.strip())
    if not digits:
        return 1
    return max(1, min(int(digits.group()), 1000))


def _cell_text(cell: Any, hidden: frozenset[int]) -> str:
    # Fast path: a cell holding only text, possibly wrapped in a chain of single shown elements
    # (``<td><p><span>12</span></p></td>``), renders as one line (what _walk + block() would give).
    kid = cell.child
    while kid is not None and kid.next is None:
        tag = kid.tag
        if (tag == "-text" or tag.startswith("-") or tag.startswith("!") or tag in _SKIP or tag in ("br", "table")
                or (hidden and kid.mem_id in hidden)):
            break
        kid = kid.child
    texts: list[str] = []
    while kid is not None:
        if kid.tag != "-text":
            break
        texts.append(kid.text_content or "")
        kid = kid.next
    else:
        raw = "".join(texts)
        if "<!" in raw:
            raw = _COND.sub("", raw)
        return _WS.sub(" ", raw).strip()
    sub = Rendered()
    sb = _Builder(sub)
    _walk(cell, sb, sub, hidden)
    sb.block()
    parts = [line.text.strip() for line in sub.lines]
    text = ""
    for part in parts:
        if not part:
            continue
        if text and _ALNUM.match(text[-1]) and _ALNUM.match(part[0]):
            text += " "
        text += part
    return text


def _render_table(table: Any, b: _Builder, out: Rendered, hidden: frozenset[int]) -> bool:
    """Render a data table into row lines; False for layout tables (the caller unwraps them)."""
    if len(table.css("table")) > 1:  # lexbor's css() includes the node itself
        return False
    rows = [r for r in _rows(table) if r[0]]
    if sum(len(r) for r, _ in rows) <= 1:
        return False
    n_rows = len(rows)
    occupied: set[tuple[int, int]] = set()
    placed: list[list[CellSpec]] = []
    n_cols = 0
    for r, (cells, in_head) in enumerate(rows):
        col = 0
        specs: list[CellSpec] = []
        for cell in cells:
            while (r, col) in occupied:
                col += 1
            attrs = cell.attributes
            rs = min(_span(attrs, "rowspan"), n_rows - r)
            cs = _span(attrs, "colspan")
            for dr in range(rs):
                for dc in range(cs):
                    occupied.add((r + dr, col + dc))
            specs.append(CellSpec(r, col, _cell_text(cell, hidden), 0, 0, rs, cs, in_head or cell.tag == "th"))
            col += cs
            n_cols = max(n_cols, col)
        placed.append(specs)
    _mark_header_rows(placed)
    b.block()
    index = len(out.tables)
    out.tables.append(TableShape(n_rows, n_cols))
    for specs in placed:
        pos = 0
        texts = []
        for i, spec in enumerate(specs):
            if i:
                pos += 3
            spec.rel_start = pos
            spec.rel_end = pos + len(spec.text)
            pos = spec.rel_end
            texts.append(spec.text)
        out.lines.append(Line(" | ".join(texts), table=index, cells=specs))
    return True


def _mark_header_rows(placed: list[list[CellSpec]]) -> None:
    """Leading rows without any numeric cell are header rows (when numeric rows follow)."""
    first_numeric = next((i for i, specs in enumerate(placed)
                          if any(_NUMERIC_CELL.match(s.text) for s in specs)), None)
    if first_numeric is None or first_numeric > max(3, len(placed) // 2):
        return
    for specs in placed[:first_numeric]:
        for spec in specs:
            spec.header = True
