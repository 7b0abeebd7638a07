"""The 2019/2021 standard tables (Tables 2, 3 and 4) → Figures, with arithmetic checks as findings.

Modules: :mod:`parsers.table_labels` (labels as data), :mod:`parsers.table_values` (one cell's value),
:mod:`parsers.table_grid` (rows from RawTables and from tables flattened into text),
:mod:`parsers.table_read` (recognition and reading), :mod:`parsers.table_figures` (cells → Figures),
:mod:`parsers.table_checks` (arithmetic).
"""

from __future__ import annotations

from bisect import bisect_right

from parsers.records import Figure, Finding, Metadata, RawTable, Section, TextView
from parsers.table_checks import check_tables
from parsers.table_grid import document_rows
from parsers.table_read import Reader
from parsers.table_values import CellMemo


def extract_tables(text: str, view: TextView, raw_tables: tuple[RawTable, ...], sections: tuple[Section, ...],
                   metadata: Metadata) -> tuple[tuple[Figure, ...], tuple[Finding, ...]]:
    """Every data cell of the standard tables as a Figure, plus findings (unreadable rows, arithmetic).

    >>> text = "第二十条第（五）项\\n信息内容 | 本年处理决定数量\\n行政许可 | 12"
    >>> figs, _ = extract_tables(text, TextView.identity(text), (), (), Metadata())
    >>> [(f.metric, int(f.value), f.quote, f.table) for f in figs]
    [('proactive.licensing.decisions', 12, '12', 'T2')]
    """
    memo = CellMemo()  # cell texts read as values, for the grid and the reader
    reader = Reader(text, view, metadata, sections, memo)
    for row in document_rows(text, raw_tables, memo):
        reader.feed(row)
    reader.close()
    out = reader.out
    return tuple(out.figures), (*reader.findings, *out.findings, *check_tables(out.instances))


def table_spans(figures: tuple[Figure, ...], raw_tables: tuple[RawTable, ...]) -> tuple[tuple[int, int], ...]:
    """Source spans the prose rules skip: the innermost RawTable holding each table figure, and the
    stretch of text each flattened table's figures cover.

    >>> f = Figure("m", None, "件", "count", "x", "", 5, 5, "table.T3", source="table", table="T3")
    >>> table_spans((f,), ())
    ((5, 5),)
    """
    spans: set[tuple[int, int]] = set()
    flat: list[Figure] = []
    ordered = sorted((t.start, t.end) for t in raw_tables)
    if all(a[1] < b[0] for a, b in zip(ordered, ordered[1:])):
        # Tables apart from each other (the usual case: lines between them): at most one can hold a figure,
        # the last one starting at or before it.
        starts = [a for a, _ in ordered]
        for f in figures:
            if f.source != "table":
                continue
            i = bisect_right(starts, f.start) - 1
            if i >= 0 and f.end <= ordered[i][1]:
                spans.add(ordered[i])
            else:
                flat.append(f)
    else:
        # Smallest first (a stable sort: equal sizes keep their order), so the first holder is the innermost.
        by_size = sorted(((t.end - t.start, t.start, t.end) for t in raw_tables), key=lambda t: t[0])
        for f in figures:
            if f.source != "table":
                continue
            for _, start, end in by_size:
                if start <= f.start and f.end <= end:
                    spans.add((start, end))
                    break
            else:
                flat.append(f)
    flat.sort(key=lambda f: f.start)
    run: list[Figure] = []
    for f in flat:
        if run and f.table != run[-1].table:
            spans.add((run[0].start, run[-1].end))
            run = []
        run.append(f)
    if run:
        spans.add((run[0].start, run[-1].end))
    return tuple(sorted(spans))
