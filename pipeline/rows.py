"""Flatten parsed documents into dataset rows (plain dicts, or plain lists per column for a document's
figures and findings; no pandas here, so workers stay light).

The row layouts are documented in docs/dataset.md. ``value`` stays a Decimal until
:mod:`pipeline.dataset` builds the tables.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from json.encoder import encode_basestring
from operator import attrgetter
from typing import Any, overload

from parsers.records import Document, Finding, RawTable, Section

Row = dict[str, Any]


class ColumnRows(Sequence[Row]):
    """Rows held column by column (as the dataset stores them): ``columns`` maps each column name to its
    list of values. Indexing gives a row dict; :class:`~pipeline.dataset_schema.DocColumns`
    takes the lists as they are, so figure and finding rows are never built as dicts.

    >>> rows = ColumnRows({"a": [1, 2], "b": ["x", "y"]}, 2)
    >>> len(rows), rows[1], list(rows)[0]
    (2, {'a': 2, 'b': 'y'}, {'a': 1, 'b': 'x'})
    """

    __slots__ = ("columns", "n")

    def __init__(self, columns: dict[str, list[Any]], n: int) -> None:
        self.columns, self.n = columns, n

    def __len__(self) -> int:
        return self.n

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...

    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.n))]
        if not -self.n <= index < self.n:
            raise IndexError(index)
        return {c: values[index] for c, values in self.columns.items()}

    def __repr__(self) -> str:
        return f"ColumnRows({self.n} rows: {', '.join(self.columns)})"


@dataclass(frozen=True, slots=True)
class DocRows:
    """Everything one document contributes to the dataset."""

    document: Row
    figures: Sequence[Row]
    findings: Sequence[Row]


def _doc_context(doc: Document) -> Row:
    m = doc.metadata
    r = m.region
    return {
        "doc_id": doc.doc_id, "source": doc.source, "url": m.url, "sha256": doc.sha256,
        "synthetic": m.synthetic, "title": m.title,
        "region": r.name if r else None, "province": r.province if r else None,
        "prefecture": r.prefecture if r else None, "county": r.county if r else None,
        "adcode": r.adcode if r else None, "department": r.department if r else None,
        "admin_level": m.admin_level, "scope": m.scope, "data_year": m.data_year, "era": m.era,
        "issuer": m.issuer, "publish_date": m.publish_date,
    }


#: The JSON text columns are written by one encoder (``json.dumps`` with options builds one per call).
_JSON = json.JSONEncoder(ensure_ascii=False)


def _object_json(pairs: dict[Any, Any]) -> str:
    r"""``json.dumps(pairs, ensure_ascii=False)``; a dict of strings is written directly: setting up the
    encoder costs more than encoding a few short strings (``encode_basestring`` is the encoder's own).

    >>> d = {"rule": 'a "b"\n\t', "to": "总计", "n": None, "k": 2}
    >>> _object_json(d) == json.dumps(d, ensure_ascii=False)
    True
    """
    if not all(type(k) is str for k in pairs):
        return _JSON.encode(pairs)
    return "{" + ", ".join([f"{encode_basestring(k)}: "
                            f"{encode_basestring(v) if type(v) is str else _JSON.encode(v)}"
                            for k, v in pairs.items()]) + "}"


def sections_json(sections: Sequence[Section]) -> str:
    """``json.dumps`` of the sections as a list of objects (``ensure_ascii=False``), written directly.

    >>> secs = (Section("s1", '一、"概述"', 0, 9, 4), Section("x", "其他", 9, 12, 11, known=False))
    >>> sections_json(secs) == json.dumps([{"section_id": s.section_id, "heading": s.heading, "start": s.start,
    ...     "end": s.end, "heading_end": s.heading_end, "known": s.known} for s in secs], ensure_ascii=False)
    True
    """
    return "[" + ", ".join([
        f'{{"section_id": {encode_basestring(s.section_id)}, "heading": {encode_basestring(s.heading)}, '
        f'"start": {s.start}, "end": {s.end}, "heading_end": {s.heading_end}, '
        f'"known": {"true" if s.known else "false"}}}' for s in sections]) + "]"


@lru_cache(maxsize=4096)
def _dims_columns(dims: tuple[tuple[str, str], ...]) -> tuple[str | None, str]:
    """``applicant`` and ``dims`` of a figure row; documents repeat a few dims, so JSON is built once each."""
    d = dict(dims)
    return d.get("applicant"), _JSON.encode(d) if d else ""


def figure_rows(doc: Document, context: Row) -> ColumnRows:
    """The figure rows of a document (layout: docs/dataset.md), column by column: the document context
    repeated, then each figure's fields (``dims`` as JSON, the table cell split in row and column)."""
    figs = doc.figures
    n = len(figs)
    applicants, dims = map(list, zip(*map(_dims_columns, [f.dims for f in figs]))) if n else ([], [])
    columns: dict[str, list[Any]] = {c: [v] * n for c, v in context.items()}
    columns.update({
        "figure_index": list(range(n)), "section": [f.section for f in figs], "metric": [f.metric for f in figs],
        "value": [f.value for f in figs], "unit": [f.unit for f in figs], "unit_raw": [f.unit_raw for f in figs],
        "kind": [f.kind for f in figs], "share_pct": [f.share_pct for f in figs],
        "approx": [f.approx for f in figs], "is_cumulative": [f.is_cumulative for f in figs],
        "value_semantic": [f.value_semantic for f in figs],
        "applicant": applicants, "dims": dims,
        "origin": [f.source for f in figs], "table": [f.table for f in figs], "row": [f.row for f in figs],
        "col": [f.col for f in figs],
        "cell_row": [f.cell[0] if f.cell else None for f in figs],
        "cell_col": [f.cell[1] if f.cell else None for f in figs],
        "quote": [f.quote for f in figs], "start": [f.start for f in figs], "end": [f.end for f in figs],
        "rule": [f.rule for f in figs], "extractor_version": [doc.extractor_version] * n,
    })
    return ColumnRows(columns, n)


def finding_rows(doc: Document, findings: Sequence[Finding]) -> ColumnRows:
    """The finding rows of a document, column by column (``figures`` as space-separated indices,
    ``details`` as JSON)."""
    n = len(findings)
    return ColumnRows({
        "doc_id": [doc.doc_id] * n, "source": [doc.source] * n, "code": [f.code for f in findings],
        "severity": [f.severity for f in findings], "message": [f.message for f in findings],
        "section": [f.section for f in findings], "start": [f.start for f in findings],
        "end": [f.end for f in findings], "rule": [f.rule for f in findings],
        "figures": [" ".join(map(str, f.figures)) for f in findings],
        "expected": [f.expected for f in findings], "stated": [f.stated for f in findings],
        "details": [_object_json(dict(f.details)) if f.details else "" for f in findings],
    }, n)


def table_layout(table: RawTable) -> Row:
    """A table's grid (for review pages): source span and each original cell's position, spans and text span.

    >>> from parsers.records import RawCell
    >>> table_layout(RawTable(0, (RawCell(0, 0, "a", 5, 6, colspan=2),), 1, 2, 5, 6))
    {'start': 5, 'end': 6, 'n_rows': 1, 'n_cols': 2, 'cells': [[0, 0, 1, 2, 5, 6]]}
    """
    return {"start": table.start, "end": table.end, "n_rows": table.n_rows, "n_cols": table.n_cols,
            "cells": [[c.row, c.col, c.rowspan, c.colspan, c.start, c.end] for c in table.cells]}


def tables_json(tables: tuple[RawTable, ...]) -> str:
    """``json.dumps([table_layout(t) for t in tables], ensure_ascii=False)``, written directly: every
    field is an int, whose JSON is its decimal text, and formatting them is faster than the encoder.

    >>> from parsers.records import RawCell
    >>> t = RawTable(0, (RawCell(0, 0, "a", 5, 6, colspan=2), RawCell(1, 0, "b", 7, 9)), 2, 2, 5, 9)
    >>> tables_json((t, t)) == json.dumps([table_layout(t), table_layout(t)], ensure_ascii=False)
    True
    """
    return "[" + ", ".join(
        f'{{"start": {t.start}, "end": {t.end}, "n_rows": {t.n_rows}, "n_cols": {t.n_cols}, "cells": ['
        + ", ".join(map(_CELL_JSON.__mod__, map(_CELL_FIELDS, t.cells))) + "]}" for t in tables) + "]"


#: A cell's layout as JSON, formatted in C (a 2019+ page has ~280 cells).
_CELL_JSON = "[%d, %d, %d, %d, %d, %d]"
_CELL_FIELDS = attrgetter("row", "col", "rowspan", "colspan", "start", "end")


def document_rows(doc: Document, extra_findings: tuple[Finding, ...] = (), error: str | None = None) -> DocRows:
    """The dataset rows of one parsed document (plus findings from checks run after parsing).

    >>> from parsers.records import DecodeInfo, Document, Metadata, TextView
    >>> d = Document("id", "a.txt", "00", "empty", "text", DecodeInfo("utf-8", "utf-8"), "",
    ...              TextView.identity(""), Metadata())
    >>> document_rows(d).document["status"]
    'empty'
    """
    context = _doc_context(doc)
    findings = (*doc.findings, *extra_findings)
    fig_rows = figure_rows(doc, context)
    find_rows = finding_rows(doc, findings)
    document = {
        **context, "status": doc.status, "media_type": doc.media_type,
        "encoding": doc.decode.encoding, "decode_method": doc.decode.method,
        "declared_charset": doc.decode.declared, "replacements": doc.decode.replacements,
        "n_bytes": doc.n_bytes, "n_chars": len(doc.text),
        "sections": " ".join(s.section_id for s in doc.sections),
        "n_figures": len(doc.figures), "n_findings": len(findings),
        "finding_codes": " ".join(sorted({f.code for f in findings})),
        "extractor_version": doc.extractor_version, "error": error,
        "text": doc.text, "sections_json": sections_json(doc.sections),
        "tables_json": tables_json(doc.tables) if doc.tables else "",
    }
    return DocRows(document, fig_rows, find_rows)


def json_number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number: an int when integral, else a float.

    >>> json_number(Decimal("28")), json_number(Decimal("4.50")), json_number(None)
    (28, 4.5, None)
    """
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
