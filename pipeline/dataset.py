"""Building and writing the tidy dataset: the only module that uses pandas.

Files are written atomically (temporary name, then ``os.replace``), so an interrupted run leaves the
previous outputs intact.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.rows import DocRows, Row

FIGURE_COLUMNS = [
    "doc_id", "figure_index", "source", "url", "sha256", "synthetic", "title", "region", "province",
    "prefecture", "county", "adcode", "department", "admin_level", "scope", "data_year", "era", "issuer",
    "publish_date", "section", "metric", "value", "unit", "unit_raw", "kind", "share_pct", "approx",
    "is_cumulative", "value_semantic", "applicant", "dims", "origin", "table", "row", "col", "cell_row",
    "cell_col", "quote", "start", "end", "rule", "extractor_version",
]
DOCUMENT_COLUMNS = [
    "doc_id", "source", "url", "sha256", "status", "media_type", "encoding", "decode_method",
    "declared_charset", "replacements", "n_bytes", "n_chars", "title", "region", "province", "prefecture",
    "county", "adcode", "department", "admin_level", "scope", "data_year", "era", "issuer", "publish_date",
    "synthetic", "sections", "n_figures", "n_findings", "finding_codes", "extractor_version", "error",
]
PARQUET_ONLY_DOCUMENT_COLUMNS = ["text", "sections_json"]
FINDING_COLUMNS = [
    "doc_id", "source", "code", "severity", "message", "section", "start", "end", "rule", "figures",
    "expected", "stated", "details",
]
_DECIMAL_COLUMNS = ("value", "share_pct", "expected", "stated")
_INT_COLUMNS = ("figure_index", "data_year", "start", "end", "cell_row", "cell_col", "replacements",
                "n_bytes", "n_chars", "n_figures", "n_findings")


class Collected:
    """Rows gathered from a run, in input order."""

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
    """The three tables of the dataset as DataFrames (column order of docs/dataset.md)."""
    return {
        "figures": _frame(collected.figures, FIGURE_COLUMNS),
        "documents": _frame(collected.documents, DOCUMENT_COLUMNS + PARQUET_ONLY_DOCUMENT_COLUMNS),
        "findings": _frame(collected.findings, FINDING_COLUMNS),
    }


def _atomic(path: Path, write: Any) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    write(tmp)
    os.replace(tmp, path)


def write_frames(frames: dict[str, pd.DataFrame], out: Path, manifest: dict[str, Any]) -> list[Path]:
    """Write CSV (utf-8-sig, for spreadsheet users) and Parquet for each table, then the manifest."""
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


def load_dataset(path: Path | str = "outputs") -> pd.DataFrame:
    """The figures table of a dataset directory written by ``ogi run``.

    >>> df = load_dataset("outputs")  # doctest: +SKIP
    >>> df.groupby("metric")["value"].sum()  # doctest: +SKIP
    """
    base = Path(path)
    target = base / "figures.parquet" if base.is_dir() else base
    return pd.read_parquet(target)
