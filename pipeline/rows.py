"""Flatten parsed documents into dataset rows (plain dicts; no pandas here, so workers stay light).

The row layouts are documented in docs/dataset.md. ``value`` stays a Decimal until
:mod:`pipeline.dataset` builds the tables.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from parsers.records import Document, Figure, Finding, RawTable

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class DocRows:
    """Everything one document contributes to the dataset."""

    document: Row
    figures: tuple[Row, ...]
    findings: tuple[Row, ...]


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


@lru_cache(maxsize=4096)
def _dims_columns(dims: tuple[tuple[str, str], ...]) -> tuple[str | None, str]:
    """``applicant`` and ``dims`` of a figure row; documents repeat a few dims, so JSON is built once each."""
    d = dict(dims)
    return d.get("applicant"), json.dumps(d, ensure_ascii=False) if d else ""


def figure_row(doc: Document, index: int, f: Figure, context: Row) -> Row:
    applicant, dims_json = _dims_columns(f.dims)
    return {
        **context, "figure_index": index, "section": f.section, "metric": f.metric, "value": f.value,
        "unit": f.unit, "unit_raw": f.unit_raw, "kind": f.kind, "share_pct": f.share_pct,
        "approx": f.approx, "is_cumulative": f.is_cumulative, "value_semantic": f.value_semantic,
        "applicant": applicant, "dims": dims_json,
        "origin": f.source, "table": f.table, "row": f.row, "col": f.col,
        "cell_row": f.cell[0] if f.cell else None, "cell_col": f.cell[1] if f.cell else None,
        "quote": f.quote, "start": f.start, "end": f.end, "rule": f.rule,
        "extractor_version": doc.extractor_version,
    }


def finding_row(doc: Document, f: Finding) -> Row:
    return {
        "doc_id": doc.doc_id, "source": doc.source, "code": f.code, "severity": f.severity,
        "message": f.message, "section": f.section, "start": f.start, "end": f.end, "rule": f.rule,
        "figures": " ".join(str(i) for i in f.figures), "expected": f.expected, "stated": f.stated,
        "details": json.dumps(dict(f.details), ensure_ascii=False) if f.details else "",
    }


def table_layout(table: RawTable) -> Row:
    """A table's grid (for review pages): source span and each original cell's position, spans and text span.

    >>> from parsers.records import RawCell
    >>> table_layout(RawTable(0, (RawCell(0, 0, "a", 5, 6, colspan=2),), 1, 2, 5, 6))
    {'start': 5, 'end': 6, 'n_rows': 1, 'n_cols': 2, 'cells': [[0, 0, 1, 2, 5, 6]]}
    """
    return {"start": table.start, "end": table.end, "n_rows": table.n_rows, "n_cols": table.n_cols,
            "cells": [[c.row, c.col, c.rowspan, c.colspan, c.start, c.end] for c in table.cells]}


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
    fig_rows = tuple(figure_row(doc, i, f, context) for i, f in enumerate(doc.figures))
    find_rows = tuple(finding_row(doc, f) for f in findings)
    sections = [{"section_id": s.section_id, "heading": s.heading, "start": s.start, "end": s.end,
                 "heading_end": s.heading_end, "known": s.known} for s in doc.sections]
    document = {
        **context, "status": doc.status, "media_type": doc.media_type,
        "encoding": doc.decode.encoding, "decode_method": doc.decode.method,
        "declared_charset": doc.decode.declared, "replacements": doc.decode.replacements,
        "n_bytes": doc.n_bytes, "n_chars": len(doc.text),
        "sections": " ".join(s.section_id for s in doc.sections),
        "n_figures": len(doc.figures), "n_findings": len(findings),
        "finding_codes": " ".join(sorted({f.code for f in findings})),
        "extractor_version": doc.extractor_version, "error": error,
        "text": doc.text, "sections_json": json.dumps(sections, ensure_ascii=False),
        "tables_json": json.dumps([table_layout(t) for t in doc.tables], ensure_ascii=False) if doc.tables else "",
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
