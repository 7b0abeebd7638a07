"""Writing and reading the tidy dataset: the only module of the run path that uses pandas.

``ogi run`` streams: per-document results go to part files (:mod:`pipeline.incremental`), and
:func:`finalize` merges the parts of this run, table by table, into

- ``figures.parquet/<year>/<province>/part-0.parquet`` (likewise documents, findings): a Parquet *directory*
  that ``pd.read_parquet(out / "figures.parquet")`` reads whole (directory names are not ``key=value``, so
  no columns are added; every file has the schema of :mod:`pipeline.dataset_schema`);
- ``figures.csv`` etc. (utf-8-sig, for spreadsheet users), written chunk by chunk;
- ``manifest.json``, last.

Everything is first written into a staging folder and then renamed into place, so an interrupted run
leaves the previous outputs intact. Memory is bounded (per merge thread: one part, ``BUFFER_BYTES`` of rows
being sorted by partition, one row group being written), whatever the corpus size; see
:class:`pipeline.dataset_merge.TableWriter`.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipeline.dataset_merge import Overlay, TableWriter, merge_memory_pool
from pipeline.dataset_schema import DOCUMENT_COLUMNS, FIGURE_COLUMNS, FINDING_COLUMNS, TABLES, DocColumns, TableName
# Reading lives in pipeline/dataset_read.py; re-exported here as part of the dataset API.
from pipeline.dataset_read import load_dataset, read_table
from pipeline.incremental import UNKEYED, Store
from pipeline.rows import DocRows

__all__ = ["DOCUMENT_COLUMNS", "FIGURE_COLUMNS", "FINDING_COLUMNS", "Overlay", "finalize", "load_dataset",
           "read_table", "write_dataset"]


def _swap_into_place(staging: Path, out: Path, names: list[str]) -> None:
    trash = staging.with_name(staging.name.replace(".staging-", ".trash-"))
    trash.mkdir()
    for name in names:
        target = out / name
        if target.exists() or target.is_symlink():
            os.rename(target, trash / name)
        os.rename(staging / name, target)
    shutil.rmtree(trash, ignore_errors=True)


def _read_ahead(parts: Iterator[pa.Table], reader: Executor) -> Iterator[pa.Table]:
    """The items of ``parts``, each next one decoded on ``reader`` (one thread) while this one is used."""
    ahead = reader.submit(next, parts, None)
    while (data := ahead.result()) is not None:
        ahead = reader.submit(next, parts, None)
        yield data


def _pass1(store: Store, writer: TableWriter, threads: int) -> list[str]:
    """Pass 1 of one table: this run's parts, in order, into its CSV file and spool.

    With several merge threads, the largest table's pass 1 would be the longest chain of the merge; it
    is split in three stages on threads of its own: decoding the next part, writing the CSV file,
    sorting and spooling the previous buffer (one item in flight each, so memory stays bounded)."""
    if threads <= 1:
        for data in store.live_tables(writer.name):
            writer.add(data)
        return writer.end_pass1()
    with ThreadPoolExecutor(1, "ogi-read") as reader, ThreadPoolExecutor(1, "ogi-spool") as spooler:
        writer.spooler = spooler
        for data in _read_ahead(store.live_tables(writer.name), reader):
            writer.add(data)
        return writer.end_pass1()


def finalize(store: Store, out: Path, manifest: dict[str, Any], overlay: Overlay | None = None, *,
             threads: int = 1) -> dict[str, Any]:
    """Merge this run's parts into the dataset files in ``out``; returns the manifest as written.

    ``threads`` > 1 runs the tables' passes at the same time: pass 1 of each table is one task (its CSV
    keeps the input order), then every partition of pass 2 is one. Each thread holds at most one buffer
    and one row group, so memory grows with the threads, not with the corpus; the files are the same.
    """
    staging = out / f".staging-{store.run_id}"
    staging.mkdir(parents=True)
    with merge_memory_pool(), ThreadPoolExecutor(max(1, threads), thread_name_prefix="ogi-merge") as pool:
        writers = {name: TableWriter(staging, name, overlay if name == "figures" else None) for name in TABLES}
        pass1 = {pool.submit(_pass1, store, writers[name], threads): name for name in TABLES}
        pass2: dict[Future[None], TableName] = {}
        for done in as_completed(pass1):  # a table's partitions are queued as soon as its spool is complete
            writer = writers[pass1[done]]
            pass2.update((pool.submit(writer.write_partition, partition), writer.name)
                         for partition in done.result())
        left = Counter(pass2.values())
        for written in as_completed(pass2):
            written.result()
            left[name := pass2[written]] -= 1
            if left[name] == 0:
                writers[name].close()
                pa.default_memory_pool().release_unused()  # hand freed buffers back before the next table
        for name in TABLES:
            if not writers[name].batches:  # no rows, no partition: closed here (one empty Parquet file)
                writers[name].close()
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
