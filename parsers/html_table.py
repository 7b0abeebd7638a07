"""Render a data ``<table>`` into one line per ``<tr>``, the row's original cells joined by ``" | "``.

A cell's text is its rendered content with inner line breaks removed: lines are joined with nothing
(``商业``+``企业`` → ``商业企业``, ``结果<br>纠正`` → ``结果纠正``), or with one space when both sides
are ASCII letters or digits (so two numbers in separate paragraphs stay apart). Leading and trailing
white space (``&nbsp;`` included) is stripped from cell text, so ``&nbsp;5`` is ``5``.

Cells are placed on a grid honouring ``rowspan``/``colspan``; leading rows without any numeric cell
are header rows when numeric rows follow.
"""

from __future__ import annotations

import re
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from parsers.html_lines import BLOCK, INLINE, SKIP, TEXT, CellSpec, Line, TableShape, Walk, collapse, flush

_NUMERIC_CELL = re.compile(r"^[\s\u00a0\u3000]*[-+]?\d[\d,.]*\s*[%％]?[\s\u00a0\u3000]*$")
_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_DIGITS = re.compile(r"\d+")
# lexbor's ids of the table tags (fixed for standard tags; only custom tags get per-document ids).
_TD, _TH, _TR, _THEAD, _TBODY, _TFOOT = (
    LexborHTMLParser("").create_node(tag).tag_id for tag in ("td", "th", "tr", "thead", "tbody", "tfoot"))
_SECTIONS = (_THEAD, _TBODY, _TFOOT)


def _rows(table: Any) -> list[tuple[list[tuple[Any, bool]], bool]]:
    """The table's own rows (not those of nested tables): each row's (td/th node, is-th) pairs and
    whether the row lies in a ``<thead>``."""
    rows: list[tuple[list[tuple[Any, bool]], bool]] = []
    child = table.first_child
    while child is not None:
        tid = child.tag_id
        if tid == _TR:
            rows.append((_cells(child), False))
        elif tid in _SECTIONS:
            tr = child.first_child
            while tr is not None:
                if tr.tag_id == _TR:
                    rows.append((_cells(tr), tid == _THEAD))
                tr = tr.next
        child = child.next
    return rows


def _cells(tr: Any) -> list[tuple[Any, bool]]:
    cells = []
    cell = tr.first_child
    while cell is not None:
        tid = cell.tag_id
        if tid == _TD or tid == _TH:
            cells.append((cell, tid == _TH))
        cell = cell.next
    return cells


def _span(attrs: dict[str, Any], name: str) -> int:
    raw = attrs.get(name)
    if not isinstance(raw, str):
        return 1
    if raw.isdecimal():  # the usual "2": what the regex below would read
        return max(1, min(int(raw), 1000))
    digits = _DIGITS.match(raw.strip())
    if not digits:
        return 1
    return max(1, min(int(digits.group()), 1000))


def _cell_text(cell: Any, walk: Walk) -> str:
    # Fast paths: text and inline elements only (skipped and hidden elements render nothing) make one
    # line; a sole shown node among blank text (``<td> <p>…</p> </td>``: the blank text gives blank lines
    # or stripped edges) renders as the cell, so the tests repeat below it.
    kinds = walk.kinds
    hidden = walk.hidden
    kid = cell.first_child
    while kid is not None:
        if kid.next is None:
            sole = kid
        else:
            raw = _inline_text(kid, walk)
            if raw is not None:
                return collapse(raw)
            sole = _sole(kid, walk)
            if sole is None:
                break
        kind = kinds.get(sole.tag_id) or walk.kind(sole)
        if kind == TEXT:
            return collapse(sole.text_content or "")
        if kind == SKIP or (hidden and sole.mem_id in hidden):
            return ""
        if kind != INLINE and kind != BLOCK:
            break
        kid = sole.first_child
    else:
        return ""
    pieces: list[str] = []
    lines: list[Line] = []
    walk.walk(cell, pieces, lines)
    if pieces:
        flush(pieces, lines)
    text = ""
    for line in lines:
        part = line.text.strip()
        if not part:
            continue
        if text and text[-1] in _ALNUM and part[0] in _ALNUM:
            text += " "
        text += part
    return text


def _sole(first: Any, walk: Walk) -> Any | None:
    """The one shown node among ``first`` and its following siblings (others being blank text or
    elements that render nothing), or None."""
    kinds = walk.kinds
    hidden = walk.hidden
    sole = None
    node = first
    while node is not None:
        kind = kinds.get(node.tag_id) or walk.kind(node)
        if kind == TEXT:
            s = node.text_content
            shown = bool(s) and not s.isspace()
        else:
            shown = kind != SKIP and not (hidden and node.mem_id in hidden)
        if shown:
            if sole is not None:
                return None
            sole = node
        node = node.next
    return sole


def _inline_text(first: Any, walk: Walk) -> str | None:
    """The text of ``first``, its following siblings and their content when these hold only text and
    inline elements (skipped and hidden elements render nothing); None at an element that breaks lines."""
    kinds = walk.kinds
    hidden = walk.hidden
    texts: list[str] = []
    stack: list[Any] = []
    node = first
    while True:
        while node is None:
            if not stack:
                return "".join(texts)
            node = stack.pop().next
        kind = kinds.get(node.tag_id) or walk.kind(node)
        if kind == TEXT:
            s = node.text_content
            if s:
                texts.append(s)
        elif kind != SKIP and not (hidden and node.mem_id in hidden):
            if kind != INLINE:
                return None
            child = node.first_child
            if child is not None:
                stack.append(node)
                node = child
                continue
        node = node.next


def render_table(table: Any, walk: Walk, pieces: list[str], lines: list[Line]) -> bool:
    """Render a data table into row lines; False for layout tables (the caller unwraps them): tables
    holding another table, or with at most one cell."""
    if len(table.css("table")) > 1:  # lexbor's css() includes the node itself
        return False
    rows = [r for r in _rows(table) if r[0]]
    if sum(len(r) for r, _ in rows) <= 1:
        return False
    n_rows = len(rows)
    # Columns taken by rowspans from rows above, by row (a row's own cells never collide with each other).
    taken: dict[int, set[int]] = {}
    # Cells with a span attribute (one query): the others need no attribute lookup.
    spanned = frozenset(n.mem_id for n in table.css("[rowspan], [colspan]"))
    placed: list[tuple[list[str], list[CellSpec]]] = []
    n_cols = 0
    for r, (cells, in_head) in enumerate(rows):
        col = 0
        above = taken.get(r)
        texts: list[str] = []
        specs: list[CellSpec] = []
        for cell, is_th in cells:
            if above:
                while col in above:
                    col += 1
            rs = cs = 1
            if spanned and cell.mem_id in spanned:
                attrs = cell.attributes
                rs = min(_span(attrs, "rowspan"), n_rows - r)
                cs = _span(attrs, "colspan")
                for dr in range(1, rs):
                    taken.setdefault(r + dr, set()).update(range(col, col + cs))
            texts.append(_cell_text(cell, walk))
            specs.append((col, rs, cs, in_head or is_th))
            col += cs
        n_cols = max(n_cols, col)
        placed.append((texts, specs))
    heads = _header_rows([texts for texts, _ in placed])
    if pieces:
        flush(pieces, lines)
    index = len(walk.out.tables)
    walk.out.tables.append(TableShape(n_rows, n_cols))
    for r, (texts, specs) in enumerate(placed):
        lines.append(Line(" | ".join(texts), index, r, r < heads, texts, specs))
    return True


def _numeric(text: str) -> bool:
    # Cell texts are stripped, so a numeric one starts with a sign or a digit (\d: a decimal digit).
    return bool(text) and (text[0].isdecimal() or text[0] in "+-") and _NUMERIC_CELL.match(text) is not None


def _header_rows(texts: list[list[str]]) -> int:
    """How many leading rows are header rows: those without any numeric cell, when numeric rows follow
    soon enough (0 when not)."""
    first_numeric = next((i for i, row in enumerate(texts) if any(_numeric(t) for t in row)), None)
    if first_numeric is None or first_numeric > max(3, len(texts) // 2):
        return 0
    return first_numeric
