"""Reading an ``ogi run`` dataset back for checks, audits and review pages (docs/dataset.md)."""

from __future__ import annotations

import hashlib
import json
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from parsers.records import Figure


def read_table(dataset: Path, name: str, columns: list[str] | None = None) -> pd.DataFrame:
    """``figures``/``documents``/``findings`` of a dataset folder: :func:`pipeline.dataset.read_table`
    (Parquet, else the CSV with the same types; a stable row order)."""
    from pipeline.dataset import read_table as read

    return read(dataset, name, columns)


def dataset_hash(dataset: Path) -> str:
    """sha256 over the dataset's figures and documents files (what a sample was drawn from)."""
    h = hashlib.sha256()
    for name in ("figures.parquet", "documents.parquet", "figures.csv"):
        p = dataset / name
        files = sorted(x for x in p.rglob("*") if x.is_file()) if p.is_dir() else [p] if p.exists() else []
        for f in files:  # a partitioned Parquet dataset is a folder of part files
            h.update(str(f.relative_to(dataset)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def missing(v: Any) -> bool:
    """True for None / NaN / pandas NA (cells of an optional column)."""
    if v is None or v is pd.NA:
        return True
    return isinstance(v, float) and math.isnan(v)


def to_decimal(v: Any) -> Decimal | None:
    """A dataset float back to a Decimal; an integral float keeps no spurious ``.0`` precision.

    >>> to_decimal(48.0), to_decimal(4.5), to_decimal(float("nan"))
    (Decimal('48'), Decimal('4.5'), None)
    """
    if missing(v):
        return None
    d = Decimal(str(v))
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d


def _text(v: Any, default: str = "") -> str:
    return default if missing(v) else str(v)


def figure_from_row(row: dict[str, Any]) -> Figure:
    """A :class:`Figure` rebuilt from one ``figures`` row (enough for the checks and the review pages)."""
    dims_text = _text(row.get("dims"))
    dims = tuple(sorted(json.loads(dims_text).items())) if dims_text else ()
    cell = None if missing(row.get("cell_row")) else (int(row["cell_row"]), int(row["cell_col"]))
    return Figure(
        metric=_text(row.get("metric")), value=to_decimal(row.get("value")), unit=_text(row.get("unit")),
        kind=_text(row.get("kind"), "count"), section=_text(row.get("section")),  # type: ignore[arg-type]
        quote=_text(row.get("quote")), start=int(row.get("start") or 0), end=int(row.get("end") or 0),
        rule=_text(row.get("rule")), unit_raw=_text(row.get("unit_raw")), share_pct=to_decimal(row.get("share_pct")),
        approx=bool(row.get("approx")) if not missing(row.get("approx")) else False,
        is_cumulative=bool(row.get("is_cumulative")) if not missing(row.get("is_cumulative")) else False,
        value_semantic=_text(row.get("value_semantic"), "numeric"),  # type: ignore[arg-type]
        dims=dims, source=_text(row.get("origin"), "text"),  # type: ignore[arg-type]
        table=None if missing(row.get("table")) else str(row["table"]),
        row=None if missing(row.get("row")) else str(row["row"]),
        col=None if missing(row.get("col")) else str(row["col"]), cell=cell)


def figures_by_document(frame: pd.DataFrame) -> dict[str, list[Figure]]:
    """Figures per ``doc_id``, in ``figure_index`` order (so finding indices match the dataset)."""
    out: dict[str, list[Figure]] = {}
    if frame.empty:
        return out
    ordered = frame.sort_values(["doc_id", "figure_index"], kind="stable")
    for doc_id, part in ordered.groupby("doc_id", sort=False):
        out[str(doc_id)] = [figure_from_row(r) for r in part.to_dict("records")]
    return out
