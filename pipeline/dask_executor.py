"""The Dask executor: the same per-document function on a Dask cluster.

``kind="dask"`` connects to a running scheduler (``ogi run --executor dask --scheduler tcp://HOST:PORT``;
start one with ``dask scheduler`` and ``dask worker tcp://HOST:PORT --nthreads 1`` on each machine).
``kind="dask-local"`` starts a :class:`distributed.LocalCluster` of worker *processes* on this machine.

Each Dask worker process builds its resources (OpenCC, jieba) once, on its first chunk, and keeps them in
the process-wide state of :mod:`pipeline.executors`. Chunks of documents are submitted with at most
``in_flight`` chunks per worker outstanding, so the page bytes in transit stay bounded; results are
yielded in completion order (the dataset writer does not depend on order).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from typing import Any

from parsers.settings import ParseSettings
from pipeline.executors import ExecutorConfig, Job, Result, chunks, process_chunk


def _client(config: ExecutorConfig, stack: ExitStack) -> Any:
    from distributed import Client, LocalCluster

    if config.kind == "dask":
        if not config.scheduler:
            raise ValueError("--executor dask needs --scheduler tcp://HOST:PORT")
        return stack.enter_context(Client(config.scheduler))
    # One thread per worker process: the parsers are CPU-bound Python (the GIL forbids threads helping).
    cluster = stack.enter_context(LocalCluster(n_workers=config.n_workers(), threads_per_worker=1,
                                               processes=True, dashboard_address=None,
                                               silence_logs=40))
    return stack.enter_context(Client(cluster))


def _n_workers(client: Any, fallback: int) -> int:
    try:
        return max(1, len(client.scheduler_info().get("workers", {})))
    except Exception:  # noqa: BLE001 - only a sizing hint
        return fallback


def run_dask(jobs: Iterable[Job], settings: ParseSettings, config: ExecutorConfig) -> Iterator[Result]:
    """Process keyed jobs on a Dask cluster; yields (key, columns) in completion order."""
    from distributed import as_completed

    with ExitStack() as stack:
        client = _client(config, stack)
        limit = _n_workers(client, config.n_workers()) * config.in_flight
        done = as_completed()
        outstanding = 0
        for chunk in chunks(jobs, config.chunksize):
            # pure=False: two chunks with equal content are still two tasks (each yields its own rows).
            done.add(client.submit(process_chunk, chunk, settings, pure=False))
            outstanding += 1
            while outstanding >= limit:
                future = next(done)
                outstanding -= 1
                yield from future.result()
                future.release()
        for future in done:
            yield from future.result()
            future.release()
