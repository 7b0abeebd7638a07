"""Placeholder standard-table extraction (replaced by the full implementation)."""
from __future__ import annotations

from parsers.records import Figure, Finding, Metadata, RawTable, Section, TextView


def extract_tables(text: str, view: TextView, raw_tables: tuple[RawTable, ...], sections: tuple[Section, ...],
                   metadata: Metadata) -> tuple[tuple[Figure, ...], tuple[Finding, ...]]:
    return (), ()


def table_spans(figures: tuple[Figure, ...], raw_tables: tuple[RawTable, ...]) -> tuple[tuple[int, int], ...]:
    return tuple((t.start, t.end) for t in raw_tables)
