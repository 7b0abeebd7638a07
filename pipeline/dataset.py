"""Writing and reading the tidy dataset: the only module of the run path that uses pandas.

``ogi run`` streams: per-document results go to part files (:mod:`pipeline.incremental`), and
:func:`finalize` merges the parts of this run, table by table, into

- ``figures.parquet/<year>/<province>/part-0.parquet`` (likewise documents, findings): a Parquet *directory*
  that ``pd.read_parquet(out / "figures.parquet")`` reads whole (directory names are not ``key=value``, so
  no columns are added; every file has the schema of :mod:`pipeline.dataset_schema`);
- ``figures.csv`` etc. (utf-8-sig, for spreadsheet users), written chunk by chunk;
- ``manifest.json``, last.

Everything is first written into a staging folder and then renamed into place, so an interrupted run
leaves the previous outputs intact. Memory is bounded (one part plus ``BUFFER_BYTES`` of row buffers),
whatever the corpus size.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from pipeline.dataset_schema import (
    DOCUMENT_COLUMNS, FINDING_COLUMNS, FIGURE_COLUMNS, FLOAT_COLUMNS, INT_COLUMNS, PARQUET_ONLY_DOCUMENT_COLUMNS,
    PARTITION_COLUMN, SCHEMAS, TABLES, TableName,
)
from pipeline.incremental import Store
from pipeline.rows import DocRows, Row

__all__ = ["DOCUMENT_COLUMNS", "FIGURE_COLUMNS", "FINDING_COLUMNS", "Collected", "build_frames", "finalize",
           "load_dataset", "write_frames"]
_DECIMAL_COLUMNS = ("value", "share_pct", "expected", "stated")
_INT_COLUMNS = ("figure_index", "data_year", "start", "end", "cell_row", "cell_col", "replacements",
                "n_bytes", "n_chars", "n_figures", "n_findings")
#: Arrow → pandas types that keep integers integers (NA allowed) in the CSV files.
_PANDAS_TYPES = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}
Overlay = Callable[[pd.DataFrame], pd.DataFrame]
ROW_GROUP_ROWS = 65_536
BUFFER_BYTES = 64 * 2**20


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas(types_mapper=_PANDAS_TYPES.get)


def _with_pandas_metadata(schema: pa.Schema) -> pa.Schema:
    """The schema plus pandas metadata, so ``pd.read_parquet`` gives Int64/boolean columns (NA allowed)
    in every file and every partition alike, instead of float64 wherever a null occurs."""
    template = _to_pandas(schema.empty_table())
    return schema.with_metadata(pa.Schema.from_pandas(template, preserve_index=False).metadata)


FILE_SCHEMAS = {name: _with_pandas_metadata(schema) for name, schema in SCHEMAS.items()}
_ARROW_TYPES = {"float64": pa.float64(), "string": pa.string(), "bool": pa.bool_()}


def _overlay_schema(schema: pa.Schema) -> pa.Schema:
    """The figures schema plus the audit overlay's columns (the raw ``value`` stays as extracted)."""
    from pipeline.audit_score import OVERLAY_FIGURE_COLUMNS

    extra = [pa.field(c, _ARROW_TYPES[t]) for c, t in OVERLAY_FIGURE_COLUMNS.items() if c not in schema.names]
    return _with_pandas_metadata(pa.schema([*schema, *extra]))


class _TableWriter:
    """One table of the dataset: a partitioned Parquet directory and a CSV file, written chunk by chunk.

    Rows are buffered per partition and written as row groups of up to ``ROW_GROUP_ROWS`` rows; when the
    buffers together exceed ``BUFFER_BYTES`` the largest one is written out, so memory stays bounded.
    """

    def __init__(self, staging: Path, name: TableName, overlay: Overlay | None) -> None:
        self.name, self.overlay = name, overlay
        self.root = staging / f"{name}.parquet"
        self.schema = FILE_SCHEMAS[name] if overlay is None else _overlay_schema(SCHEMAS[name])
        self.csv_columns = [c for c in self.schema.names if c not in PARQUET_ONLY_DOCUMENT_COLUMNS]
        self.csv_file: IO[bytes] = open(staging / f"{name}.csv", "wb")
        self.csv_file.write(codecs.BOM_UTF8)  # utf-8-sig: spreadsheet programs then read the Chinese text right
        # Arrow's CSV writer (C++) is ~10x faster than pandas' to_csv; booleans are written true/false.
        self.csv = pacsv.CSVWriter(self.csv_file, pa.schema([self.schema.field(c).remove_metadata()
                                                             for c in self.csv_columns]),
                                   write_options=pacsv.WriteOptions(quoting_style="needed"))
        self.rows = 0
        self.statuses: Counter[str] = Counter()
        self.writers: dict[str, pq.ParquetWriter] = {}
        self.buffers: dict[str, list[pa.Table]] = {}
        self.buffered_rows: Counter[str] = Counter()
        self.buffered_bytes: Counter[str] = Counter()

    def add(self, data: pa.Table) -> None:
        """Rows of one part (with the hidden partition column)."""
        if data.num_rows == 0:
            return
        if self.overlay is not None:  # audit corrections, applied chunk by chunk
            parts = data.column(PARTITION_COLUMN)
            frame = self.overlay(_to_pandas(data.drop_columns([PARTITION_COLUMN])))[self.schema.names]
            data = pa.Table.from_pandas(frame, schema=self.schema, preserve_index=False)
            data = data.append_column(PARTITION_COLUMN, parts)
        self._csv(data)
        for value in pc.unique(data.column(PARTITION_COLUMN)).to_pylist():
            chunk = data.filter(pc.equal(data.column(PARTITION_COLUMN), value)).drop_columns([PARTITION_COLUMN])
            self.buffers.setdefault(value, []).append(chunk)
            self.buffered_rows[value] += chunk.num_rows
            self.buffered_bytes[value] += chunk.nbytes
            if self.buffered_rows[value] >= ROW_GROUP_ROWS:
                self._write(value)
        while sum(self.buffered_bytes.values()) > BUFFER_BYTES:
            self._write(max(self.buffered_bytes, key=self.buffered_bytes.__getitem__))

    def _write(self, partition: str) -> None:
        chunks = self.buffers.pop(partition, [])
        self.buffered_rows.pop(partition, None)
        self.buffered_bytes.pop(partition, None)
        if not chunks:
            return
        writer = self.writers.get(partition)
        if writer is None:
            folder = self.root.joinpath(*partition.split("/"))
            folder.mkdir(parents=True, exist_ok=True)
            # Statistics only for numbers: min/max of long strings (texts, quotes) in every row group's
            # footer would only bloat the files.
            stats = [c for c in self.schema.names if c in FLOAT_COLUMNS or c in INT_COLUMNS]
            writer = self.writers[partition] = pq.ParquetWriter(folder / "part-0.parquet", self.schema,
                                                                compression="zstd", write_statistics=stats)
        writer.write_table(pa.concat_tables(chunks), row_group_size=ROW_GROUP_ROWS)

    def _csv(self, data: pa.Table) -> None:
        self.rows += data.num_rows
        if self.name == "documents":
            self.statuses.update(data.column("status").to_pylist())
        self.csv.write_table(data.select(self.csv_columns).replace_schema_metadata(None))

    def close(self) -> None:
        for partition in sorted(self.buffers):
            self._write(partition)
        for writer in self.writers.values():
            writer.close()
        self.csv.close()  # with no rows at all, still a header (and below, one empty Parquet file)
        self.csv_file.close()
        if not self.writers:
            self.root.mkdir(parents=True, exist_ok=True)
            pq.write_table(self.schema.empty_table(), self.root / "part-0.parquet")


def _swap_into_place(staging: Path, out: Path, names: list[str]) -> None:
    trash = staging.with_name(staging.name.replace(".staging-", ".trash-"))
    trash.mkdir()
    for name in names:
        target = out / name
        if target.exists() or target.is_symlink():
            os.rename(target, trash / name)
        os.rename(staging / name, target)
    shutil.rmtree(trash, ignore_errors=True)


def finalize(store: Store, out: Path, manifest: dict[str, Any], overlay: Overlay | None = None) -> dict[str, Any]:
    """Merge this run's parts into the dataset files in ``out``; returns the manifest as written."""
    staging = out / f".staging-{store.run_id}"
    staging.mkdir(parents=True)
    writers = {name: _TableWriter(staging, name, overlay if name == "figures" else None) for name in TABLES}
    for name, writer in writers.items():  # one table at a time: one pass over the parts each
        for data in store.live_tables(name):
            writer.add(data)
        writer.close()
    manifest = {**manifest, "documents": writers["documents"].rows, "figures": writers["figures"].rows,
                "findings": writers["findings"].rows, "statuses": dict(sorted(writers["documents"].statuses.items())),
                "partitions": len(writers["documents"].writers)}
    (staging / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                           encoding="utf-8")
    files = [f"{n}{ext}" for n in TABLES for ext in (".csv", ".parquet")]
    _swap_into_place(staging, out, files + ["manifest.json"])  # manifest last: it marks a complete run
    shutil.rmtree(staging, ignore_errors=True)
    return manifest


def clean_leftovers(out: Path) -> None:
    """Remove staging/trash folders left by killed runs (their outputs were never swapped in)."""
    if out.is_dir():
        for path in out.glob(".staging-*"):
            shutil.rmtree(path, ignore_errors=True)
        for path in out.glob(".trash-*"):
            shutil.rmtree(path, ignore_errors=True)


def load_dataset(path: Path | str = "outputs", table: TableName = "figures") -> pd.DataFrame:
    """A table of a dataset folder written by ``ogi run`` (figures by default), in a stable row order.

    >>> df = load_dataset("outputs")  # doctest: +SKIP
    >>> df.groupby("metric")["value"].sum()  # doctest: +SKIP
    """
    base = Path(path)
    target = base / f"{table}.parquet" if base.is_dir() and not base.name.endswith(".parquet") else base
    frame = pd.read_parquet(target)
    order = [c for c in ("source", "doc_id", "figure_index", "code", "start") if c in frame]
    return frame.sort_values(order, kind="stable", na_position="first").reset_index(drop=True)


# -- in-memory helpers (small datasets, tests and fixtures) ---------------------------------------------
class Collected:
    """Rows gathered in memory, in input order (for small datasets; ``ogi run`` streams instead)."""

    def __init__(self) -> None:
        self.documents: list[Row] = []
        self.figures: list[Row] = []
        self.findings: list[Row] = []

    def add(self, rows: DocRows) -> None:
        self.documents.append(rows.document)
        self.figures.extend(rows.figures)
        self.findings.extend(rows.findings)


def _frame(rows: Iterable[Row], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(rows), columns=columns)
    for col in _DECIMAL_COLUMNS:
        if col in frame:
            frame[col] = pd.to_numeric(
                frame[col].map(lambda v: float(v) if isinstance(v, Decimal) else v), errors="coerce")
    for col in _INT_COLUMNS:
        if col in frame:
            frame[col] = frame[col].astype("Int64")
    return frame


def build_frames(collected: Collected) -> dict[str, pd.DataFrame]:
    """The three tables as DataFrames (column order of docs/dataset.md)."""
    return {
        "figures": _frame(collected.figures, FIGURE_COLUMNS),
        "documents": _frame(collected.documents, DOCUMENT_COLUMNS + PARQUET_ONLY_DOCUMENT_COLUMNS),
        "findings": _frame(collected.findings, FINDING_COLUMNS),
    }


def _atomic(path: Path, write: Any) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    write(tmp)
    if path.is_dir():
        shutil.rmtree(path)
    os.replace(tmp, path)


def write_frames(frames: dict[str, pd.DataFrame], out: Path, manifest: dict[str, Any]) -> list[Path]:
    """Write in-memory frames as single files (CSV utf-8-sig and Parquet) plus the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, frame in frames.items():
        csv_frame = frame.drop(columns=[c for c in PARQUET_ONLY_DOCUMENT_COLUMNS if c in frame])
        csv_path, pq_path = out / f"{name}.csv", out / f"{name}.parquet"
        _atomic(csv_path, lambda p, f=csv_frame: f.to_csv(p, index=False, encoding="utf-8-sig"))
        _atomic(pq_path, lambda p, f=frame: f.to_parquet(p, index=False))
        written += [csv_path, pq_path]
    manifest_path = out / "manifest.json"
    _atomic(manifest_path, lambda p: p.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                                  encoding="utf-8"))
    written.append(manifest_path)
    return written
