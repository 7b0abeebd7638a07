"""Executors: the same per-document function (:func:`pipeline.process.process_item`) run serially, on a
local process pool, or on a Dask cluster (:mod:`pipeline.dask_executor`).

Workers are set up once: the parent builds the resources (OpenCC, and jieba when it is warmed) before the
pool forks, so every worker starts with them ready (~20 ms instead of ~2 s of jieba start-up each).
Work is sent in chunks (per-task overhead ~0.3 ms at chunk size 1, ~35 µs at >= 16; perf-notes) and at
most a few chunks per worker are in flight, so memory stays bounded however long the corpus is.

Given a :class:`PartTarget`, the local pool's workers also store their results: each chunk is one part of
the store, whose files the worker writes itself (the disk is shared), and the parent receives only the
part's keys and statuses (:class:`WrittenPart`) to commit it. The parent, which also reads and keys
the inputs, then takes ~0.2 ms per document instead of ~1 ms (building Arrow tables, Parquet, unpickling
rows) that it would steal from the workers on a machine with as many workers as cores. Serial and Dask
executors yield documents' columns (remote Dask workers need not share the output folder's disk).
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import Literal

from parsers.settings import ParseSettings, Resources, load_resources
from pipeline.corpus import CorpusItem
from pipeline.dataset_schema import DocColumns
from pipeline.incremental import write_part
from pipeline.process import Checker, load_checker, process_item

ExecutorKind = Literal["serial", "process", "dask", "dask-local"]
EXECUTOR_KINDS: tuple[ExecutorKind, ...] = ("serial", "process", "dask", "dask-local")
Job = tuple[str, CorpusItem]  # (incremental key, item)
Result = tuple[str, DocColumns]


@dataclass(frozen=True, slots=True)
class ExecutorConfig:
    kind: ExecutorKind = "process"
    workers: int = 0  # 0: all cores
    chunksize: int = 16  # documents per task (on a pool given a PartTarget, a task is one part instead)
    scheduler: str | None = None  # Dask scheduler address (tcp://HOST:PORT) for kind "dask"
    in_flight: int = 4  # chunks in flight per worker

    def n_workers(self) -> int:
        return self.workers if self.workers > 0 else (os.cpu_count() or 1)

    def is_serial(self) -> bool:
        return self.kind == "serial" or (self.kind == "process" and self.n_workers() == 1)


@dataclass(frozen=True, slots=True)
class PartTarget:
    """Where local pool workers write the parts of their chunks: one part per chunk of ``docs`` documents,
    named by ``new_part`` in submission order (so the store's part order is the input order)."""

    parts_dir: Path
    new_part: Callable[[], str]
    docs: int


@dataclass(frozen=True, slots=True)
class WrittenPart:
    """A part a worker wrote: its documents' keys and statuses, in input order (not yet committed)."""

    part: str
    keys: tuple[str, ...]
    statuses: tuple[str, ...]


# Per-process state of workers (pool or Dask). It lives in pipeline/ (effects), never in parsers/.
_WORKER: tuple[ParseSettings, Resources, Checker | None] | None = None


def worker_state(settings: ParseSettings) -> tuple[ParseSettings, Resources, Checker | None]:
    """This process's resources for ``settings``, built on first use (inherited through fork when ready)."""
    global _WORKER
    if _WORKER is None or _WORKER[0] != settings:
        _WORKER = (settings, load_resources(warm_jieba=settings.use_jieba), load_checker())
        tune_gc()
    return _WORKER


#: Allocations between young-generation collections (CPython's default is 700).
GC_THRESHOLDS = (10_000, 20, 100)


def tune_gc() -> None:
    """Make the cyclic garbage collector cheap for parsing: the objects alive after set-up (jieba's
    dictionary, OpenCC, compiled patterns: millions of objects that live as long as the process) move to
    the permanent generation, so no collection walks them again; and the young generation is collected
    less often, since a document makes thousands of short-lived records and almost no reference cycles.
    Worth ~5% of the per-document time (benchmarks/throughput.py). Called once per worker process."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def process_chunk(jobs: list[Job], settings: ParseSettings) -> list[Result]:
    """Run :func:`process_item` over a chunk of jobs in this process; rows come back as columns."""
    _, resources, checker = worker_state(settings)
    return [(key, DocColumns.of(process_item(item, settings, resources, checker))) for key, item in jobs]


def write_chunk(jobs: list[Job], settings: ParseSettings, parts_dir: Path, part: str) -> WrittenPart:
    """Process a chunk and write its results as the part files of ``part`` (in a pool worker)."""
    results = process_chunk(jobs, settings)
    write_part(parts_dir, part, results)
    return WrittenPart(part, tuple(k for k, _ in results), tuple(dc.status for _, dc in results))


def _init_pool_worker(settings: ParseSettings) -> None:
    worker_state(settings)


def chunks(jobs: Iterable[Job], size: int) -> Iterator[list[Job]]:
    """Consecutive lists of ``size`` jobs (the last may be shorter).

    >>> [len(c) for c in chunks(((str(i), None) for i in range(5)), 2)]  # type: ignore[misc]
    [2, 2, 1]
    """
    it = iter(jobs)
    while chunk := list(islice(it, size)):
        yield chunk


def _run_pool(jobs: Iterable[Job], settings: ParseSettings, config: ExecutorConfig,
              parts: PartTarget | None) -> Iterator[Result | WrittenPart]:
    ctx = mp.get_context("fork")  # fork after the parent loaded jieba/OpenCC: workers start warm
    n = config.n_workers()
    with ctx.Pool(n, initializer=_init_pool_worker, initargs=(settings,)) as pool:
        pending: deque[mp.pool.AsyncResult[list[Result]] | mp.pool.AsyncResult[WrittenPart]] = deque()

        def done() -> Iterator[Result | WrittenPart]:
            got = pending.popleft().get()  # in submission order: parts are committed in input order
            if isinstance(got, WrittenPart):
                yield got
            else:
                yield from got

        if parts is None:
            for chunk in chunks(jobs, config.chunksize):
                pending.append(pool.apply_async(process_chunk, (chunk, settings)))
                while len(pending) >= n * config.in_flight:
                    yield from done()
        else:
            for chunk in chunks(jobs, parts.docs):
                pending.append(pool.apply_async(write_chunk, (chunk, settings, parts.parts_dir, parts.new_part())))
                while len(pending) >= n * config.in_flight:
                    yield from done()
        while pending:
            yield from done()


def run_jobs(jobs: Iterable[Job], settings: ParseSettings, config: ExecutorConfig,
             parts: PartTarget | None = None) -> Iterator[Result | WrittenPart]:
    """Process keyed jobs with the configured executor, yielding (key, columns) as results arrive, or,
    on a local process pool given ``parts``, the parts its workers wrote.

    Serial and process executors keep input order; Dask yields in completion order.
    """
    it = iter(jobs)
    first = next(it, None)
    if first is None:  # nothing to parse (e.g. every document reused): no start-up cost at all
        return
    jobs = chain([first], it)
    if config.kind in ("dask", "dask-local"):
        from pipeline.dask_executor import run_dask

        yield from run_dask(jobs, settings, config)
        return
    worker_state(settings)  # set up once, in the parent: forked workers inherit it
    if config.is_serial():
        for chunk in chunks(jobs, config.chunksize):
            yield from process_chunk(chunk, settings)
    else:
        yield from _run_pool(jobs, settings, config, parts)
