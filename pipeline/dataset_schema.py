"""Column lists and Arrow schemas of the dataset tables, and rows → Arrow conversion (no pandas here).

The schemas are explicit so that every Parquet file of a partitioned table has the same schema, whatever
values its rows happen to hold (an all-null column stays a string column, not a null column).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from operator import itemgetter
from typing import Any, Literal

import pyarrow as pa

from pipeline.rows import ColumnRows, Row

TableName = Literal["documents", "figures", "findings"]
TABLES: tuple[TableName, ...] = ("documents", "figures", "findings")

FIGURE_COLUMNS = [
    "doc_id", "figure_index", "source", "url", "sha256", "synthetic", "title", "region", "province",
    "prefecture", "county", "adcode", "department", "admin_level", "scope", "data_year", "era", "issuer",
    "publish_date", "section", "metric", "value", "unit", "unit_raw", "kind", "share_pct", "approx",
    "is_cumulative", "value_semantic", "applicant", "dims", "origin", "table", "row", "col", "cell_row",
    "cell_col", "quote", "start", "end", "rule", "extractor_version",
]
DOCUMENT_COLUMNS = [
    "doc_id", "source", "url", "sha256", "status", "media_type", "encoding", "decode_method",
    "declared_charset", "replacements", "n_bytes", "n_chars", "title", "region", "province", "prefecture",
    "county", "adcode", "department", "admin_level", "scope", "data_year", "era", "issuer", "publish_date",
    "synthetic", "sections", "n_figures", "n_findings", "finding_codes", "extractor_version", "error",
]
PARQUET_ONLY_DOCUMENT_COLUMNS = ["text", "sections_json", "tables_json"]
FINDING_COLUMNS = [
    "doc_id", "source", "code", "severity", "message", "section", "start", "end", "rule", "figures",
    "expected", "stated", "details",
]
COLUMNS: dict[TableName, list[str]] = {
    "documents": DOCUMENT_COLUMNS + PARQUET_ONLY_DOCUMENT_COLUMNS,
    "figures": FIGURE_COLUMNS,
    "findings": FINDING_COLUMNS,
}
FLOAT_COLUMNS = frozenset({"value", "share_pct", "expected", "stated"})
INT_COLUMNS = frozenset({"figure_index", "data_year", "start", "end", "cell_row", "cell_col", "replacements",
                         "n_bytes", "n_chars", "n_figures", "n_findings"})
BOOL_COLUMNS = frozenset({"synthetic", "approx", "is_cumulative"})
#: Hidden columns of part files: the incremental key of the row's document and its output partition.
KEY_COLUMN = "_key"
PARTITION_COLUMN = "_partition"


def _type(column: str) -> pa.DataType:
    if column in FLOAT_COLUMNS:
        return pa.float64()
    if column in INT_COLUMNS:
        return pa.int64()
    if column in BOOL_COLUMNS:
        return pa.bool_()
    return pa.string()


SCHEMAS: dict[TableName, pa.Schema] = {name: pa.schema([(c, _type(c)) for c in cols])
                                       for name, cols in COLUMNS.items()}
PART_SCHEMAS: dict[TableName, pa.Schema] = {
    name: schema.append(pa.field(KEY_COLUMN, pa.string())).append(pa.field(PARTITION_COLUMN, pa.string()))
    for name, schema in SCHEMAS.items()}


def _convert(column: str, values: list[Any]) -> list[Any]:
    if column in FLOAT_COLUMNS:
        # float() of a Decimal goes through its text; zeros are common and are just ±0.0
        return [(float(v) if v else -0.0 if v.is_signed() else 0.0) if type(v) is Decimal
                else None if v is None else float(v) if isinstance(v, (Decimal, int, float)) else None
                for v in values]
    if column in INT_COLUMNS:
        return [None if v is None else int(v) for v in values]
    if column in BOOL_COLUMNS:
        return [None if v is None else bool(v) for v in values]
    return [v if v is None or isinstance(v, str) else str(v) for v in values]


def _part_value(value: object) -> str:
    text = "" if value is None else str(value).strip()
    # A partition value becomes a directory name: keep it one safe path segment.
    return text.replace("/", "_").replace("\\", "_").lstrip(".") or "unknown"


def partition_of(row: Row) -> str:
    """The output partition of a row, ``year/province`` (``unknown`` where missing).

    >>> partition_of({"data_year": 2020, "province": "浙江省"}), partition_of({})
    ('2020/浙江省', 'unknown/unknown')
    """
    return f"{_part_value(row.get('data_year'))}/{_part_value(row.get('province'))}"


_GETTERS = {name: itemgetter(*cols) for name, cols in COLUMNS.items()}


def _transpose(name: TableName, rows: Sequence[Row]) -> dict[str, list[Any]]:
    """Rows (dicts) → columns (lists). Only Decimal columns are converted here; other values are checked
    when a batch is built (:func:`columns_to_table`)."""
    cols = COLUMNS[name]
    if isinstance(rows, ColumnRows):  # already columns: taken as they are (a missing column is all None)
        held = rows.columns
        return {c: (_convert(c, held[c]) if c in FLOAT_COLUMNS else held[c]) if c in held else [None] * rows.n
                for c in cols}
    try:
        getter = _GETTERS[name]
        if len(rows) == 1:  # the documents table
            table = [[v] for v in getter(rows[0])]
        else:
            table = [list(values) for values in zip(*map(getter, rows))] if rows else [[] for _ in cols]
    except KeyError:  # a row without some column: slow path
        table = [[r.get(c) for r in rows] for c in cols]
    return {c: (_convert(c, values) if c in FLOAT_COLUMNS else values) for c, values in zip(cols, table)}


class DocColumns:
    """One document's rows as plain-typed columns: compact to pickle between processes, cheap to batch.

    >>> from pipeline.rows import DocRows
    >>> dc = DocColumns.of(DocRows({"doc_id": "d", "status": "ok", "data_year": 2020}, (), ()))
    >>> dc.partition, dc.status, dc.n_rows["figures"]
    ('2020/unknown', 'ok', 0)
    """

    __slots__ = ("partition", "status", "columns", "n_rows")

    def __init__(self, partition: str, status: str, columns: dict[TableName, dict[str, list[Any]]],
                 n_rows: dict[TableName, int]) -> None:
        self.partition, self.status, self.columns, self.n_rows = partition, status, columns, n_rows

    def __getstate__(self) -> tuple[Any, ...]:
        return (self.partition, self.status, self.columns, self.n_rows)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self.partition, self.status, self.columns, self.n_rows = state

    @classmethod
    def of(cls, rows: Any) -> DocColumns:
        doc = rows.document
        by_table: dict[TableName, Sequence[Row]] = {"documents": [doc], "figures": rows.figures,
                                                    "findings": rows.findings}
        columns = {name: _transpose(name, table_rows) for name, table_rows in by_table.items()}
        return cls(partition_of(doc), str(doc.get("status")), columns, {n: len(r) for n, r in by_table.items()})


def columns_to_table(name: TableName, docs: Sequence[tuple[str, DocColumns]]) -> pa.Table:
    """Many documents' columns of one table, concatenated into an Arrow table with the part schema."""
    schema = PART_SCHEMAS[name]
    arrays = []
    for c in COLUMNS[name]:
        values: list[Any] = []
        for _, dc in docs:
            values.extend(dc.columns[name][c])
        try:
            arrays.append(pa.array(values, type=schema.field(c).type))
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):  # an unexpected value type
            arrays.append(pa.array(_convert(c, values), type=schema.field(c).type))
    arrays.append(pa.array([key for key, dc in docs for _ in range(dc.n_rows[name])], type=pa.string()))
    arrays.append(pa.array([dc.partition for _, dc in docs for _ in range(dc.n_rows[name])], type=pa.string()))
    return pa.Table.from_arrays(arrays, schema=schema)
