"""Writing and reading the tidy dataset: the only module of the run path that uses pandas.

``ogi run`` streams: per-document results go to part files (:mod:`pipeline.incremental`), and
:func:`finalize` merges the parts of this run, table by table, into

- ``figures.parquet/<year>/<province>/part-0.parquet`` (likewise documents, findings): a Parquet *directory*
  that ``pd.read_parquet(out / "figures.parquet")`` reads whole (directory names are not ``key=value``, so
  no columns are added; every file has the schema of :mod:`pipeline.dataset_schema`);
- ``figures.csv`` etc. (utf-8-sig, for spreadsheet users), written chunk by chunk;
- ``manifest.json``, last.

Everything is first written into a staging folder and then renamed into place, so an interrupted run
leaves the previous outputs intact. Memory is bounded (one part, ``BUFFER_BYTES`` of rows being sorted by
partition, one row group being written), whatever the corpus size; see :class:`_TableWriter`.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.ipc as paipc
import pyarrow.parquet as pq

from pipeline.dataset_schema import (
    DOCUMENT_COLUMNS, FINDING_COLUMNS, FIGURE_COLUMNS, FLOAT_COLUMNS, INT_COLUMNS, PARQUET_ONLY_DOCUMENT_COLUMNS,
    PARTITION_COLUMN, SCHEMAS, TABLES, DocColumns, TableName,
)
# Reading lives in pipeline/dataset_read.py; re-exported here as part of the dataset API.
from pipeline.dataset_read import load_dataset, read_table, to_pandas
from pipeline.incremental import UNKEYED, Store
from pipeline.rows import DocRows

__all__ = ["DOCUMENT_COLUMNS", "FIGURE_COLUMNS", "FINDING_COLUMNS", "finalize", "load_dataset", "read_table",
           "write_dataset"]
Overlay = Callable[[pd.DataFrame], pd.DataFrame]
ROW_GROUP_ROWS = 65_536
BUFFER_BYTES = 16 * 2**20


def _with_pandas_metadata(schema: pa.Schema) -> pa.Schema:
    """The schema plus pandas metadata, so ``pd.read_parquet`` gives Int64/boolean columns (NA allowed)
    in every file and every partition alike, instead of float64 wherever a null occurs."""
    template = to_pandas(schema.empty_table())
    return schema.with_metadata(pa.Schema.from_pandas(template, preserve_index=False).metadata)


FILE_SCHEMAS = {name: _with_pandas_metadata(schema) for name, schema in SCHEMAS.items()}
_ARROW_TYPES = {"float64": pa.float64(), "string": pa.string(), "bool": pa.bool_()}


def _overlay_schema(schema: pa.Schema) -> pa.Schema:
    """The figures schema plus the audit overlay's columns (the raw ``value`` stays as extracted)."""
    from pipeline.audit_score import OVERLAY_FIGURE_COLUMNS

    extra = [pa.field(c, _ARROW_TYPES[t]) for c, t in OVERLAY_FIGURE_COLUMNS.items() if c not in schema.names]
    return _with_pandas_metadata(pa.schema([*schema, *extra]))


class _TableWriter:
    """One table of the dataset: a partitioned Parquet directory and a CSV file, in two passes.

    Pass 1 (:meth:`add`, part by part): rows go to the CSV file at once, and to a *spool* (an Arrow IPC
    file in the staging folder): parts are gathered up to ``BUFFER_BYTES``, sorted by partition (stable:
    input order is kept within a partition) and appended as one record batch per partition. Pass 2
    (:meth:`close`): partition by partition, its batches are read back and written as row groups of up to
    ``ROW_GROUP_ROWS`` rows / ``BUFFER_BYTES``, and the Parquet file is closed before the next one opens.

    Why not one Parquet writer per partition kept open: every open writer holds the metadata of all its
    row groups (~35 KB each) until it closes, and the many small chunks buffered per partition fragment the
    heap; both grew with the corpus. Here memory is one buffer plus one row group, whatever the size.
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
        self.spool_path = staging / f".{name}.spool.arrow"
        self.spool_file = pa.OSFile(str(self.spool_path), "wb")
        self.spool = paipc.new_file(self.spool_file, self.schema, options=paipc.IpcWriteOptions(compression="lz4"))
        self.batches: dict[str, array[int]] = {}  # partition -> its batch numbers in the spool, in order
        self.n_batches = 0
        self.pending: list[pa.Table] = []
        self.pending_bytes = 0

    @property
    def partitions(self) -> int:
        return len(self.batches)

    def add(self, data: pa.Table) -> None:
        """Rows of one part (with the hidden partition column)."""
        if data.num_rows == 0:
            return
        if self.overlay is not None:  # audit corrections, applied chunk by chunk
            parts = data.column(PARTITION_COLUMN)
            frame = self.overlay(to_pandas(data.drop_columns([PARTITION_COLUMN])))[self.schema.names]
            data = pa.Table.from_pandas(frame, schema=self.schema, preserve_index=False)
            data = data.append_column(PARTITION_COLUMN, parts)
        self._csv(data)
        self.pending.append(data)
        self.pending_bytes += data.nbytes
        if self.pending_bytes >= BUFFER_BYTES:
            self._spool()

    def _spool(self) -> None:
        if not self.pending:
            return
        data = pa.concat_tables(self.pending)
        self.pending, self.pending_bytes = [], 0
        data = data.take(pc.sort_indices(data, [(PARTITION_COLUMN, "ascending")]))  # a stable sort
        counts = pc.value_counts(data.column(PARTITION_COLUMN)).to_pylist()
        batch = data.drop_columns([PARTITION_COLUMN]).combine_chunks().to_batches()[0]
        offset = 0
        for entry in counts:  # sorted data: runs in the order of first appearance
            self.spool.write_batch(batch.slice(offset, entry["counts"]))
            self.batches.setdefault(entry["values"], array("q")).append(self.n_batches)
            self.n_batches += 1
            offset += entry["counts"]

    def _csv(self, data: pa.Table) -> None:
        self.rows += data.num_rows
        if self.name == "documents":
            self.statuses.update(data.column("status").to_pylist())
        self.csv.write_table(data.select(self.csv_columns).replace_schema_metadata(None))

    def _write_partitions(self) -> None:
        # Statistics only for numbers: min/max of long strings (texts, quotes) in every row group's
        # footer would only bloat the files.
        stats = [c for c in self.schema.names if c in FLOAT_COLUMNS or c in INT_COLUMNS]
        with pa.OSFile(str(self.spool_path), "rb") as source:
            reader = paipc.open_file(source)
            for partition in sorted(self.batches):
                folder = self.root.joinpath(*partition.split("/"))
                folder.mkdir(parents=True, exist_ok=True)
                with pq.ParquetWriter(folder / "part-0.parquet", self.schema, compression="zstd",
                                      write_statistics=stats) as writer:
                    group: list[pa.RecordBatch] = []
                    rows = size = 0
                    for i in self.batches[partition]:
                        batch = reader.get_batch(i)
                        group.append(batch)
                        rows, size = rows + batch.num_rows, size + batch.nbytes
                        if rows >= ROW_GROUP_ROWS or size >= BUFFER_BYTES:
                            writer.write_table(pa.Table.from_batches(group), row_group_size=ROW_GROUP_ROWS)
                            group, rows, size = [], 0, 0
                    if group:
                        writer.write_table(pa.Table.from_batches(group), row_group_size=ROW_GROUP_ROWS)

    def close(self) -> None:
        self._spool()
        self.spool.close()
        self.spool_file.close()
        self.csv.close()  # with no rows at all, still a header (and below, one empty Parquet file)
        self.csv_file.close()
        self._write_partitions()
        self.spool_path.unlink()
        pa.default_memory_pool().release_unused()  # hand freed buffers back before the next table
        if not self.batches:
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


@contextmanager
def _merge_memory_pool() -> Iterator[None]:
    """Arrow's jemalloc pool (else the system allocator) while merging: the default mimalloc pool kept
    ~120 MB more resident here (freed buffers of many part-sized tables held per thread)."""
    previous = pa.default_memory_pool()
    try:
        pool = pa.jemalloc_memory_pool()
        pa.jemalloc_set_decay_ms(0)  # return freed pages at once
    except (NotImplementedError, pa.ArrowNotImplementedError):
        pool = pa.system_memory_pool()
    pa.set_memory_pool(pool)
    try:
        yield
    finally:
        pa.set_memory_pool(previous)
        pool.release_unused()


def finalize(store: Store, out: Path, manifest: dict[str, Any], overlay: Overlay | None = None) -> dict[str, Any]:
    """Merge this run's parts into the dataset files in ``out``; returns the manifest as written."""
    staging = out / f".staging-{store.run_id}"
    staging.mkdir(parents=True)
    writers: dict[TableName, _TableWriter] = {}
    with _merge_memory_pool():
        for name in TABLES:  # one table at a time: one pass over the parts each
            writer = writers[name] = _TableWriter(staging, name, overlay if name == "figures" else None)
            for data in store.live_tables(name):
                writer.add(data)
            writer.close()
    manifest = {**manifest, "documents": writers["documents"].rows, "figures": writers["figures"].rows,
                "findings": writers["findings"].rows, "statuses": dict(sorted(writers["documents"].statuses.items())),
                "partitions": writers["documents"].partitions}
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


def new_run_id() -> str:
    """A run id: part names sort in run order and never collide between runs (or processes)."""
    now = time.time_ns()
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime(now / 1e9)) + f"_{now % 10**9:09d}-{os.getpid()}"


def write_dataset(rows: Iterable[DocRows], out: Path, manifest: dict[str, Any],
                  overlay: Overlay | None = None, *, part_docs: int = 256) -> dict[str, Any]:
    """Write documents' rows as a dataset folder through the path of ``ogi run`` (part files in a
    :class:`Store`, then :func:`finalize`): same files, layout and types. Every document is stored
    unkeyed (never reused by a later run). Returns the manifest as written.

    >>> from pipeline.rows import DocRows
    >>> m = write_dataset([DocRows({"doc_id": "d", "status": "empty"}, (), ())], Path("out"), {})  # doctest: +SKIP
    >>> m["documents"], m["statuses"]  # doctest: +SKIP
    (1, {'empty': 1})
    """
    out.mkdir(parents=True, exist_ok=True)
    clean_leftovers(out)
    store = Store(out, new_run_id(), part_docs=part_docs)
    try:
        for i, doc in enumerate(rows):
            store.add(f"{UNKEYED}{store.run_id}:{i}", DocColumns.of(doc))
        store.close()
        written = finalize(store, out, manifest, overlay)
        store.collect_garbage()
    finally:
        store.close_db()
    return written
