"""Writing and reading the tidy dataset: the only module of the run path that uses pandas.

``ogi run`` streams: per-document results go to part files (:mod:`pipeline.incremental`), and
:func:`finalize` merges the parts of this run, one (data year, province) partition at a time, into

- ``figures.parquet/<year>/<province>/part-0.parquet`` (likewise documents, findings): a Parquet *directory*
  that ``pd.read_parquet(out / "figures.parquet")`` reads whole (directory names are not ``key=value``, so
  no columns are added; every file has the schema of :mod:`pipeline.dataset_schema`);
- ``figures.csv`` etc. (utf-8-sig, for spreadsheet users), written chunk by chunk;
- ``manifest.json``, last.

Everything is first written into a staging folder and then renamed into place, so an interrupted run
leaves the previous outputs intact. Memory is bounded by one part, whatever the corpus size.
"""

from __future__ import annotations

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
import pyarrow.parquet as pq

from pipeline.dataset_schema import (
    DOCUMENT_COLUMNS, FINDING_COLUMNS, FIGURE_COLUMNS, PARQUET_ONLY_DOCUMENT_COLUMNS, SCHEMAS, TABLES,
    TableName,
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


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas(types_mapper=_PANDAS_TYPES.get)


def _with_pandas_metadata(schema: pa.Schema) -> pa.Schema:
    """The schema plus pandas metadata, so ``pd.read_parquet`` gives Int64/boolean columns (NA allowed)
    in every file and every partition alike, instead of float64 wherever a null occurs."""
    template = _to_pandas(schema.empty_table())
    return schema.with_metadata(pa.Schema.from_pandas(template, preserve_index=False).metadata)


FILE_SCHEMAS = {name: _with_pandas_metadata(schema) for name, schema in SCHEMAS.items()}


class _TableWriter:
    """One table of the dataset: a partitioned Parquet directory and a CSV file, written chunk by chunk."""

    def __init__(self, staging: Path, name: TableName, overlay: Overlay | None) -> None:
        self.name, self.overlay = name, overlay
        self.root = staging / f"{name}.parquet"
        self.schema = FILE_SCHEMAS[name]
        self.csv: IO[str] = open(staging / f"{name}.csv", "w", encoding="utf-8-sig", newline="")
        self.csv_columns = [c for c in self.schema.names if c not in PARQUET_ONLY_DOCUMENT_COLUMNS]
        self.header = True
        self.rows = 0
        self.statuses: Counter[str] = Counter()

    def write_partition(self, partition: tuple[str, str], tables: Iterable[pa.Table]) -> None:
        writer: pq.ParquetWriter | None = None
        pending: list[pa.Table] = []
        pending_rows = 0

        def flush() -> None:
            nonlocal writer, pending, pending_rows
            if not pending:
                return
            data = pa.concat_tables(pending)
            pending, pending_rows = [], 0
            if self.overlay is not None:  # audit corrections, applied chunk by chunk
                data = pa.Table.from_pandas(self.overlay(_to_pandas(data))[self.schema.names],
                                            schema=self.schema, preserve_index=False)
            if writer is None:
                folder = self.root.joinpath(*partition)
                folder.mkdir(parents=True, exist_ok=True)
                writer = pq.ParquetWriter(folder / "part-0.parquet", self.schema, compression="zstd")
            writer.write_table(data, row_group_size=ROW_GROUP_ROWS)
            self._csv(data)

        for table in tables:
            if table.num_rows == 0:
                continue
            pending.append(table)
            pending_rows += table.num_rows
            if pending_rows >= ROW_GROUP_ROWS:
                flush()
        flush()
        if writer is not None:
            writer.close()

    def _csv(self, data: pa.Table) -> None:
        self.rows += data.num_rows
        if self.name == "documents":
            self.statuses.update(data.column("status").to_pylist())
        _to_pandas(data.select(self.csv_columns)).to_csv(self.csv, index=False, header=self.header)
        self.header = False

    def close(self) -> None:
        if self.header:  # no rows at all: still a header and one (empty) Parquet file with the schema
            pd.DataFrame(columns=self.csv_columns).to_csv(self.csv, index=False)
        self.csv.close()
        if not self.root.exists():
            self.root.mkdir(parents=True)
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
    partitions = store.live_partitions()
    for name, writer in writers.items():
        for partition in partitions:
            writer.write_partition(partition, store.live_tables(partition, name))
        writer.close()
    manifest = {**manifest, "documents": writers["documents"].rows, "figures": writers["figures"].rows,
                "findings": writers["findings"].rows, "statuses": dict(sorted(writers["documents"].statuses.items())),
                "partitions": len(partitions)}
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
