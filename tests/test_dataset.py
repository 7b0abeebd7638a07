"""The dataset files of `ogi run`: partitioned Parquet by year/province, documented columns, stable dtypes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.dataset import load_dataset
from pipeline.dataset_schema import COLUMNS, DOCUMENT_COLUMNS, FIGURE_COLUMNS, FINDING_COLUMNS
from pipeline.executors import ExecutorConfig
from pipeline.run import RunConfig, run
from scale_corpus import write_corpus

CSV_COLUMNS = {"figures": FIGURE_COLUMNS, "documents": DOCUMENT_COLUMNS, "findings": FINDING_COLUMNS}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = tmp_path_factory.mktemp("c")
    write_corpus(corpus, 10)
    (corpus / "empty.txt").write_bytes(b"")
    target = tmp_path_factory.mktemp("o")
    run(RunConfig(corpus=(corpus,), out=target, executor=ExecutorConfig(kind="serial")), None)
    return target


@pytest.mark.parametrize("table", ["figures", "documents", "findings"])
def test_parquet_and_csv_have_the_documented_columns(out: Path, table: str) -> None:
    frame = pd.read_parquet(out / f"{table}.parquet")
    assert list(frame.columns) == COLUMNS[table]  # type: ignore[index]
    csv = pd.read_csv(out / f"{table}.csv", encoding="utf-8-sig")
    assert list(csv.columns) == CSV_COLUMNS[table]
    assert len(csv) == len(frame)
    assert (out / f"{table}.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_parquet_is_partitioned_by_year_and_province(out: Path) -> None:
    figures = pd.read_parquet(out / "figures.parquet")
    files = sorted((out / "figures.parquet").rglob("*.parquet"))
    assert len(files) > 1
    for path in files:
        year, province = path.parent.parent.name, path.parent.name
        part = pd.read_parquet(path)
        assert set(part["data_year"].astype("string").fillna("unknown")) == {year}
        assert set(part["province"].fillna("unknown")) == {province}
    assert sum(len(pd.read_parquet(p)) for p in files) == len(figures)


def test_dtypes_are_the_same_in_every_partition(out: Path) -> None:
    docs = pd.read_parquet(out / "documents.parquet")
    assert docs["data_year"].isna().any()  # the empty input has no year
    assert str(docs["data_year"].dtype) == "Int64" and str(docs["synthetic"].dtype) == "boolean"
    figures = load_dataset(out)
    assert str(figures["value"].dtype) == "float64" and str(figures["start"].dtype) == "Int64"
    assert list(figures["source"]) == sorted(figures["source"])  # load_dataset: a stable order
    texts = docs.set_index("doc_id")["text"]
    assert all(texts[r.doc_id][r.start:r.end] == r.quote for r in figures.itertuples())


def test_an_empty_run_still_writes_readable_tables(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_bytes(b"")
    run(RunConfig(corpus=(tmp_path / "c",), out=tmp_path / "o", executor=ExecutorConfig(kind="serial")), None)
    assert list(pd.read_parquet(tmp_path / "o" / "figures.parquet").columns) == FIGURE_COLUMNS
    assert len(pd.read_parquet(tmp_path / "o" / "documents.parquet")) == 1


def test_merge_order_and_row_groups_do_not_depend_on_buffer_sizes(
        out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many small parts, a spool batch per part and partition, tiny row groups: the same files, rows and
    row order as the fixture's one-part run (finalize's two passes keep input order within a partition)."""
    import pyarrow.parquet as pq

    import pipeline.dataset as dataset

    monkeypatch.setattr(dataset, "BUFFER_BYTES", 1)
    monkeypatch.setattr(dataset, "ROW_GROUP_ROWS", 50)
    corpus = tmp_path / "c"
    write_corpus(corpus, 10)
    (corpus / "empty.txt").write_bytes(b"")
    small = tmp_path / "o"
    run(RunConfig(corpus=(corpus,), out=small, executor=ExecutorConfig(kind="serial"), part_docs=3), None)
    for table in CSV_COLUMNS:
        assert (small / f"{table}.csv").read_bytes() == (out / f"{table}.csv").read_bytes()
        files = sorted(p.relative_to(out) for p in (out / f"{table}.parquet").rglob("*.parquet"))
        assert files == sorted(p.relative_to(small) for p in (small / f"{table}.parquet").rglob("*.parquet"))
        for rel in files:
            assert pq.read_table(small / rel).equals(pq.read_table(out / rel)), rel
            meta = pq.ParquetFile(small / rel).metadata
            assert all(meta.row_group(i).num_rows <= 50 for i in range(meta.num_row_groups))
    assert not [p for p in small.rglob("*") if "spool" in p.name or p.name.startswith(".staging-")]
