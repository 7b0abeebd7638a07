"""The dataset files of `ogi run`: partitioned Parquet by year/province, documented columns, stable dtypes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.audit_data import read_table as audit_read_table
from pipeline.compare import load_frames
from pipeline.dataset import load_dataset, read_table, write_dataset
from pipeline.dataset_schema import COLUMNS, DOCUMENT_COLUMNS, FIGURE_COLUMNS, FINDING_COLUMNS
from pipeline.executors import ExecutorConfig
from pipeline.rows import DocRows
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


@pytest.mark.parametrize(("executor", "merge_threads"), [
    (ExecutorConfig(kind="serial"), 1),
    (ExecutorConfig(kind="serial"), 4),  # the tables and partitions merged on 4 threads
    (ExecutorConfig(kind="process", workers=2), 0),  # parts written by pool workers, merged on 2 threads
])
def test_merge_order_and_row_groups_do_not_depend_on_buffer_sizes(
        out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, executor: ExecutorConfig,
        merge_threads: int) -> None:
    """Many small parts, a spool batch per part and partition, tiny row groups, any number of merge
    threads: the same files, rows and row order as the fixture's one-part run (finalize's two passes keep
    input order within a partition)."""
    import pyarrow.parquet as pq

    import pipeline.dataset_merge as merge

    monkeypatch.setattr(merge, "BUFFER_BYTES", 1)
    monkeypatch.setattr(merge, "ROW_GROUP_ROWS", 50)
    corpus = tmp_path / "c"
    write_corpus(corpus, 10)
    (corpus / "empty.txt").write_bytes(b"")
    small = tmp_path / "o"
    run(RunConfig(corpus=(corpus,), out=small, executor=executor, part_docs=3, merge_threads=merge_threads), None)
    for table in CSV_COLUMNS:
        assert (small / f"{table}.csv").read_bytes() == (out / f"{table}.csv").read_bytes()
        files = sorted(p.relative_to(out) for p in (out / f"{table}.parquet").rglob("*.parquet"))
        assert files == sorted(p.relative_to(small) for p in (small / f"{table}.parquet").rglob("*.parquet"))
        for rel in files:
            assert pq.read_table(small / rel).equals(pq.read_table(out / rel)), rel
            meta = pq.ParquetFile(small / rel).metadata
            assert all(meta.row_group(i).num_rows <= 50 for i in range(meta.num_row_groups))
    assert not [p for p in small.rglob("*") if "spool" in p.name or p.name.startswith(".staging-")]


def _csv_only(dataset: Path, target: Path) -> Path:
    """A copy of a dataset folder without its Parquet tables (as when only the CSV files were shared)."""
    target.mkdir()
    for table in CSV_COLUMNS:
        (target / f"{table}.csv").write_bytes((dataset / f"{table}.csv").read_bytes())
    return target


@pytest.mark.parametrize("table", ["figures", "documents", "findings"])
def test_csv_fallback_reads_what_parquet_reads(out: Path, tmp_path: Path, table: str) -> None:
    from_csv = read_table(_csv_only(out, tmp_path / "csv"), table)
    from_parquet = read_table(out, table, CSV_COLUMNS[table])
    assert len(from_parquet) > 0
    pd.testing.assert_frame_equal(from_csv, from_parquet)


def test_read_table_selects_columns_in_a_stable_order(out: Path) -> None:
    docs = read_table(out, "documents", ["doc_id", "no_such_column", "n_chars"])
    assert list(docs.columns) == ["doc_id", "n_chars"]  # the sort key (source) is not added, text not read
    assert list(docs["doc_id"]) == list(read_table(out, "documents").sort_values("source", kind="stable")["doc_id"])


LEADING_ZEROS = [DocRows({"doc_id": "0123456789012345", "source": "a.html", "status": "ok", "adcode": "012000",
                          "data_year": 2020, "synthetic": True, "n_figures": 1},
                         ({"doc_id": "0123456789012345", "source": "a.html", "figure_index": 0, "adcode": "012000",
                           "metric": "requests.received.total", "value": 28, "data_year": 2020, "start": 0, "end": 2,
                           "quote": "28", "approx": False},), ())]


def test_csv_fallback_keeps_ids_as_strings(tmp_path: Path) -> None:
    """Every reader (pipeline.dataset, the audit/review/checks one, ogi compare) keeps a leading-zero
    doc_id and adcode as strings when only the CSV files are there."""
    written = write_dataset(LEADING_ZEROS, tmp_path / "o", {"test": True})
    assert (written["documents"], written["figures"]) == (1, 1)
    dataset = _csv_only(tmp_path / "o", tmp_path / "csv")
    frames = [read_table(dataset, "figures"), audit_read_table(dataset, "documents"), *load_frames(dataset)[:2]]
    for frame in frames:
        assert frame is not None
        assert (frame["doc_id"].tolist(), frame["adcode"].tolist()) == (["0123456789012345"], ["012000"])
        assert str(frame["data_year"].dtype) == "Int64"
    figures = frames[0]
    assert str(figures["value"].dtype) == "float64" and str(figures["approx"].dtype) == "boolean"
    assert pd.isna(figures.loc[0, "is_cumulative"]) and figures.loc[0, "quote"] == "28"
