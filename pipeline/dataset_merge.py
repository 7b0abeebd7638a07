"""Merging the store's parts into one table of the dataset: a partitioned Parquet directory and a CSV file.

Used by :func:`pipeline.dataset.finalize`, which runs the steps of the three tables on a few threads: the
work is Arrow's (Parquet/CSV/IPC encoding, compression, sorting), which releases the GIL, so threads use
the cores the parse workers have just left. Every step writes files of its own, in a fixed order, so
the files do not depend on the number of threads.
"""

from __future__ import annotations

import codecs
import threading
from array import array
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.ipc as paipc
import pyarrow.parquet as pq

from pipeline.dataset_read import to_pandas
from pipeline.dataset_schema import (
    FLOAT_COLUMNS, INT_COLUMNS, PARQUET_ONLY_DOCUMENT_COLUMNS, PARTITION_COLUMN, SCHEMAS, TableName,
)

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


def _buffered(path: Path) -> pa.NativeFile:
    return pa.BufferedOutputStream(pa.OSFile(str(path), "wb"), buffer_size=1 << 20)


class TableWriter:
    """One table of the dataset: a partitioned Parquet directory and a CSV file, in two passes.

    Pass 1 (:meth:`add`, part by part, then :meth:`end_pass1`): rows go to the CSV file at once, and to a
    *spool* (an Arrow IPC file in the staging folder): parts are gathered up to ``BUFFER_BYTES``, sorted
    by partition (stable: input order is kept within a partition) and appended as one record batch per
    partition (on :attr:`spooler` when set, one buffer at a time, in order). Pass 2
    (:meth:`write_partition`, one call per partition, from any thread): the partition's batches are read
    back and written as row groups of up to ``ROW_GROUP_ROWS`` rows / ``BUFFER_BYTES``, and its Parquet
    file is closed when the call returns.

    Why not one Parquet writer per partition kept open: every open writer holds the metadata of all its
    row groups (~35 KB each) until it closes, and the many small chunks buffered per partition fragment the
    heap; both grew with the corpus. Here memory is one buffer (two with a spooler: one filling, one being
    spooled) plus one row group per thread, whatever the size.
    """

    def __init__(self, staging: Path, name: TableName, overlay: Overlay | None) -> None:
        self.name, self.overlay = name, overlay
        self.root = staging / f"{name}.parquet"
        self.schema = FILE_SCHEMAS[name] if overlay is None else _overlay_schema(SCHEMAS[name])
        self.csv_columns = [c for c in self.schema.names if c not in PARQUET_ONLY_DOCUMENT_COLUMNS]
        # Arrow's own buffered files (also the spool's): written without the GIL, in large writes (one
        # write per column buffer of every small spool batch cost a third of pass 1 unbuffered).
        self.csv_file = _buffered(staging / f"{name}.csv")
        self.csv_file.write(codecs.BOM_UTF8)  # utf-8-sig: spreadsheet programs then read the Chinese text right
        # Arrow's CSV writer (C++) is ~10x faster than pandas' to_csv; booleans are written true/false.
        self.csv = pacsv.CSVWriter(self.csv_file, pa.schema([self.schema.field(c).remove_metadata()
                                                             for c in self.csv_columns]),
                                   write_options=pacsv.WriteOptions(quoting_style="needed"))
        self.rows = 0
        self.statuses: Counter[str] = Counter()
        self.spool_path = staging / f".{name}.spool.arrow"
        self.spool_file = _buffered(self.spool_path)
        # Uncompressed: the spool holds one small batch per partition and buffer, and compressing each of
        # their buffers on its own (a codec context each) cost a third of the merge; the file is about the
        # size of the table's CSV and is deleted as soon as the table's partitions are written.
        self.spool = paipc.new_file(self.spool_file, self.schema)
        self.batches: dict[str, array[int]] = {}  # partition -> its batch numbers in the spool, in order
        self.n_batches = 0
        self.pending: list[pa.Table] = []
        self.pending_bytes = 0
        # Given a (one-thread) spooler, the thread calling add() writes the CSV file while the spooler
        # sorts and spools the previous buffer (see pipeline.dataset._pass1).
        self.spooler: Executor | None = None
        self.spooling: Future[None] | None = None
        self._readers = threading.local()  # pass 2: one spool reader per thread
        self._opened: list[pa.NativeFile] = []
        self._lock = threading.Lock()

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
        pending, self.pending, self.pending_bytes = self.pending, [], 0
        if self.spooler is None:
            self._write_spool(pending)
            return
        if self.spooling is not None:
            self.spooling.result()  # one buffer sorted and written while the next one fills, in order
        self.spooling = self.spooler.submit(self._write_spool, pending)

    def _write_spool(self, pending: list[pa.Table]) -> None:
        data = pa.concat_tables(pending)
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

    def end_pass1(self) -> list[str]:
        """Close the CSV file and the spool; returns the partitions to write, in order."""
        self._spool()
        if self.spooling is not None:
            self.spooling.result()
            self.spooling = None
        self.spool.close()
        self.spool_file.close()
        self.csv.close()  # with no rows at all, still a header (and in :meth:`close`, one empty Parquet file)
        self.csv_file.close()
        return sorted(self.batches)

    def _reader(self) -> paipc.RecordBatchFileReader:
        reader: paipc.RecordBatchFileReader | None = getattr(self._readers, "reader", None)
        if reader is None:  # the footer (every batch's offset) is read once per thread, not per partition
            source = pa.OSFile(str(self.spool_path), "rb")
            with self._lock:
                self._opened.append(source)
            reader = self._readers.reader = paipc.open_file(source)
        return reader

    def write_partition(self, partition: str) -> None:
        """Pass 2 for one partition: its Parquet file, from the spool."""
        # Statistics only for numbers: min/max of long strings (texts, quotes) in every row group's
        # footer would only bloat the files.
        stats = [c for c in self.schema.names if c in FLOAT_COLUMNS or c in INT_COLUMNS]
        reader = self._reader()
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
        """After pass 2: remove the spool (one empty Parquet file when the table has no rows at all)."""
        for source in self._opened:
            source.close()
        self._opened = []
        self._readers = threading.local()
        self.spool_path.unlink()
        if not self.batches:
            self.root.mkdir(parents=True, exist_ok=True)
            pq.write_table(self.schema.empty_table(), self.root / "part-0.parquet")


#: How long jemalloc keeps freed pages before returning them to the system. 0 (at once) made every
#: buffer's pages fault in again and every return flush the other cores' TLBs: ~30% of the merge's CPU
#: on 10k realistic pages (8.7 s -> 7.0 s on one thread, 11.5 s -> 6.4 s on two) for ~20-60 MB more
#: resident, bounded by what a second of merging frees, not by the corpus.
JEMALLOC_DECAY_MS = 1000


@contextmanager
def merge_memory_pool() -> Iterator[None]:
    """Arrow's jemalloc pool (else the system allocator) while merging: the default mimalloc pool kept
    ~120 MB more resident here (freed buffers of many part-sized tables held per thread)."""
    previous = pa.default_memory_pool()
    try:
        pool = pa.jemalloc_memory_pool()
        pa.jemalloc_set_decay_ms(JEMALLOC_DECAY_MS)
    except (NotImplementedError, pa.ArrowNotImplementedError):
        pool = pa.system_memory_pool()
    pa.set_memory_pool(pool)
    try:
        yield
    finally:
        pa.set_memory_pool(previous)
        pool.release_unused()
