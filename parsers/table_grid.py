"""Rows of cells from RawTables (HTML) and from tables flattened into text, in document order.

A :class:`Row` is a run of label cells followed by a run of value cells. HTML rows keep every original
cell (blank cells included, so positions are kept); rows flattened into text are rebuilt from pipe rows
(``规章 | 0 | 0 | 0 |``) or from one-cell-per-line runs (label lines, then value lines).

Cells are a RawTable's own :class:`RawCell`\\ s (no copy per cell: a page has hundreds), or, for text rows,
:class:`TextCell`\\ s without a grid position (``row == col == TEXT_POS``). Their text is read as a value
through a per-document :class:`CellMemo`, shared with the reader.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import groupby
from operator import attrgetter
from typing import Iterator, Literal, NamedTuple, Sequence

from parsers.records import RawCell, RawTable
from parsers.table_values import CellMemo, has_value_line, may_be_value, split_multi

#: Cells longer than this are layout or prose, never a label of the standard tables.
MAX_LABEL = 100
_WS = " \t\r\n\f\v\u00a0\u3000\u200b\ufeff"
_PIPE = re.compile(r"[|｜]")
_ANCHORS = re.compile(r"二十条|申请|申請|复议|複議|復議|信息内容|信息內容")


#: Grid row and column of a cell rebuilt from text (it has no grid position).
TEXT_POS = -1


class TextCell(NamedTuple):
    """A cell rebuilt from a line of text, with the fields of a RawCell the reader uses. A named tuple:
    every prose line of a page becomes one, and it is built several times faster than a frozen dataclass."""

    text: str
    start: int
    end: int
    row: int = TEXT_POS
    col: int = TEXT_POS


#: A cell of a row: a RawTable's own, or one rebuilt from text.
Cell = RawCell | TextCell


class Row(NamedTuple):
    """Label cells, then value cells. A named tuple (immutable, built several times faster than a frozen
    dataclass): a page makes dozens (every table row, every run of text lines, every long line)."""

    labels: tuple[Cell, ...]
    values: tuple[Cell, ...]
    origin: Literal["html", "text"]
    table: int = -1  # RawTable index, -1 for text
    brk: bool = False  # prose or layout: ends any table context

    @property
    def start(self) -> int:
        toks = self.labels or self.values
        return toks[0].start if toks else 0

    @property
    def end(self) -> int:
        toks = self.values or self.labels
        return toks[-1].end if toks else 0


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _WS:
        s += 1
    while e > s and text[e - 1] in _WS:
        e -= 1
    return s, e


def _split_row(toks: Sequence[Cell], memo: CellMemo, origin: Literal["html", "text"], table: int) -> Row:
    """Leading non-value cells are labels; everything after the last leading label is a value."""
    i = 0
    while i < len(toks) and not toks[i].text.strip(_WS):
        i += 1
    j = i
    while j < len(toks) and memo[toks[j].text] is None:
        j += 1
    if j == i:  # no labels: every cell (leading blanks included) is a value
        return Row((), tuple(toks), origin, table)
    return Row(tuple(toks[i:j]), tuple(toks[j:]), origin, table)


_POS = attrgetter("row", "col")
_ROW = attrgetter("row")


def table_rows(table: RawTable, memo: CellMemo) -> Iterator[Row]:
    """The rows of a RawTable, cells in column order; overlong (layout) cells are left out.

    >>> from parsers.records import RawCell, RawTable
    >>> t = RawTable(0, (RawCell(0, 0, "规章", 0, 2), RawCell(0, 1, "0", 5, 6), RawCell(0, 2, "", 9, 9)), 1, 3, 0, 9)
    >>> [(len(r.labels), [v.text for v in r.values]) for r in table_rows(t, CellMemo())]
    [(1, ['0', ''])]
    """
    cells = sorted(table.cells, key=_POS)
    for _, group in groupby(cells, key=_ROW):
        toks = [c for c in group if len(c.text) <= MAX_LABEL]
        if toks:
            yield _split_row(toks, memo, "html", table.index)


def _pipe_parts(text: str, s: int, e: int) -> list[tuple[int, int]]:
    parts, pos = [], s
    for m in _PIPE.finditer(text, s, e):
        parts.append(_strip(text, pos, m.start()))
        pos = m.end()
    parts.append(_strip(text, pos, e))
    return parts


def text_rows(text: str, skip: list[tuple[int, int]], memo: CellMemo) -> Iterator[Row]:
    """Rows rebuilt from text lines outside the ``skip`` spans (sorted RawTable spans).

    >>> [([l.text for l in r.labels], [v.text for v in r.values]) for r in text_rows("第二十条\\n规章\\n0\\n|\\n5\\n行政许可 | 1 | | 2 |", [], CellMemo())]
    [(['第二十条', '规章'], ['0', '5']), (['行政许可'], ['1', '', '2'])]
    """
    if not _ANCHORS.search(text):
        return
    starts = [s for s, _ in skip]
    labels: list[Cell] = []
    values: list[Cell] = []

    def flush() -> Iterator[Row]:
        if labels or values:
            yield Row(tuple(labels), tuple(values), "text")
        labels.clear()
        values.clear()

    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        k = bisect_right(starts, pos) - 1 if starts else -1
        if k >= 0 and pos < skip[k][1]:  # inside a RawTable (bisect: skip[k][0] <= pos)
            yield from flush()
            pos = max(skip[k][1], end + 1) if skip[k][1] > end else end + 1
            continue
        if text.find("|", pos, end) < 0 and text.find("｜", pos, end) < 0:  # most lines: no pipe, one cell
            s, e = pos, end
            if s < e and (text[s] in _WS or text[e - 1] in _WS):
                s, e = _strip(text, s, e)
            parts = filled = [(s, e)] if e > s else []
        else:
            parts = _pipe_parts(text, pos, end)
            filled = [p for p in parts if p[1] > p[0]]
        if len(filled) >= 2:
            yield from flush()
            first = parts.index(filled[0])
            last = len(parts) - 1 - parts[::-1].index(filled[-1])
            toks = [TextCell(text[s:e], s, e) for s, e in parts[first:last + 1]]
            yield _split_row(toks, memo, "text", -1)
        elif filled:
            s, e = filled[0]
            if e - s > MAX_LABEL:
                yield from flush()
                yield Row((TextCell(text[s:e], s, e),), (), "text", brk=True)
            else:
                line = text[s:e]
                value_like = may_be_value(line)  # else neither a value nor values (most lines)
                multi = split_multi(line) if value_like else None
                if multi is not None:
                    values.extend(TextCell(line[a:b], s + a, s + b) for a, b in multi)
                elif value_like and memo[line] is not None:
                    values.append(TextCell(line, s, e))
                else:
                    if values:
                        yield from flush()
                    labels.append(TextCell(line, s, e))
        if nl < 0:
            break
        pos = nl + 1
    yield from flush()


def document_rows(text: str, raw_tables: tuple[RawTable, ...], memo: CellMemo) -> list[Row]:
    """All rows of a document in source order: RawTable rows plus rows flattened into the text."""
    if not raw_tables and not has_value_line(text) and _PIPE.search(text) is None:
        # no value on a line of its own and no cell separator: rows of labels, which alone give no figure and
        # no finding (the reader reads rows with values); most prose pages
        return []
    spans = sorted((t.start, t.end) for t in raw_tables if t.end > t.start)
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    rows = [r for t in raw_tables for r in table_rows(t, memo)]
    rows.extend(text_rows(text, merged, memo))
    rows.sort(key=lambda r: r.start)
    return rows
