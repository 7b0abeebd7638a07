"""Executors: serial, a local process pool and a real Dask LocalCluster give identical datasets."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from pipeline.executors import ExecutorConfig, chunks
from pipeline.incremental import STATE_DIR
from pipeline.run import RunConfig, pool_part_docs, run
from scale_corpus import canonical, write_corpus

N_PAGES = 24


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    write_corpus(root, N_PAGES)
    return root


@pytest.fixture(scope="module")
def serial_out(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("serial")
    summary = run(RunConfig(corpus=(corpus,), out=out, executor=ExecutorConfig(kind="serial")), None)
    assert summary.n_documents == N_PAGES and summary.parsed == N_PAGES
    assert summary.n_figures > N_PAGES  # the synthetic pages are full of figures
    return out


def _same_dataset(a: Path, b: Path) -> None:
    for table in ("figures", "documents", "findings"):
        pd.testing.assert_frame_equal(canonical(a, table), canonical(b, table), check_dtype=True)


@pytest.mark.parametrize(("config", "part_docs"), [  # in `ogi run` a pool task is one part
    (ExecutorConfig(kind="process", workers=2), 3),
    (ExecutorConfig(kind="process", workers=2, in_flight=1), 1),
])
def test_process_pool_gives_the_serial_dataset(corpus: Path, serial_out: Path, tmp_path: Path,
                                               config: ExecutorConfig, part_docs: int) -> None:
    summary = run(RunConfig(corpus=(corpus,), out=tmp_path, executor=config, part_docs=part_docs), None)
    assert summary.parsed == N_PAGES
    _same_dataset(serial_out, tmp_path)


@pytest.mark.parametrize(("workers", "part_docs"), [(2, 5), (2, 256), (3, 1)])
def test_pool_workers_write_the_parts_of_the_serial_run(corpus: Path, serial_out: Path, tmp_path: Path,
                                                        workers: int, part_docs: int) -> None:
    """Pool workers write the part files themselves (one per chunk): same files, rows and row order as the
    serial run, and the store holds the parts in input order."""
    config = RunConfig(corpus=(corpus,), out=tmp_path, executor=ExecutorConfig(kind="process", workers=workers),
                       part_docs=part_docs)
    assert run(config, None).parsed == N_PAGES
    for table in ("figures", "documents", "findings"):
        pd.testing.assert_frame_equal(pd.read_parquet(serial_out / f"{table}.parquet"),
                                      pd.read_parquet(tmp_path / f"{table}.parquet"))
        assert (serial_out / f"{table}.csv").read_bytes() == (tmp_path / f"{table}.csv").read_bytes()
    with sqlite3.connect(tmp_path / STATE_DIR / "index.sqlite") as db:
        parts = db.execute("SELECT part, n_docs FROM parts ORDER BY part").fetchall()
    size = pool_part_docs(part_docs)
    assert [n for _, n in parts] == [size] * (N_PAGES // size) + ([N_PAGES % size] if N_PAGES % size else [])
    assert sorted(p.name for p in (tmp_path / STATE_DIR / "parts").iterdir()) == sorted(
        f"{part}.{t}.parquet" for part, _ in parts for t in ("documents", "figures", "findings"))


@pytest.mark.slow
def test_dask_local_cluster_gives_the_serial_dataset(corpus: Path, serial_out: Path, tmp_path: Path) -> None:
    # A real LocalCluster: 2 worker processes (processes=True), chunks submitted as Dask tasks.
    config = ExecutorConfig(kind="dask-local", workers=2, chunksize=4, in_flight=2)
    summary = run(RunConfig(corpus=(corpus,), out=tmp_path, executor=config), None)
    assert summary.parsed == N_PAGES
    _same_dataset(serial_out, tmp_path)


def test_dask_without_a_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    from pipeline.cli import main

    assert main(["run", "--corpus", str(tmp_path), "--out", str(tmp_path / "o"), "--executor", "dask"]) == 2


@pytest.mark.parametrize(("n", "size", "lengths"), [(0, 4, []), (5, 2, [2, 2, 1]), (4, 4, [4]), (3, 10, [3])])
def test_chunks_cover_every_job_once_in_order(n: int, size: int, lengths: list[int]) -> None:
    jobs = [(str(i), None) for i in range(n)]
    got = list(chunks(jobs, size))  # type: ignore[arg-type]
    assert [len(c) for c in got] == lengths
    assert [j for c in got for j in c] == jobs
