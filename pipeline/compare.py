"""`ogi compare` and `ogi codebook`: cross-city, cross-year panels of one metric from a finished dataset.

``ogi compare --metric requests.received.total [--dataset outputs] [--out outputs/compare] [--by region|year]
[--level city] [--scope jurisdiction_total] [--years 2013-2024] [--applicant total] [--cumulative]`` writes,
for the metric ``M``:

- ``M.panel.csv`` / ``M.panel.parquet``: the wide panel (rows: place × scope; columns: data years);
- ``M.cells.csv`` / ``M.cells.parquet``: one row per panel cell with its source (doc_id, source, quote) and
  the comparability columns (scope, era, unit, is_cumulative, is_derived, inputs, note, conflict);
- ``M.png``: the chart (Chinese labels); ``M.md``: a short summary with every caveat;
- ``duplicates.csv``: the copies of a report that were counted once.

The rules (scope, eras, cumulative figures, copies, derived rates) are in :mod:`pipeline.compare_panel`,
:mod:`pipeline.compare_dedupe` and :mod:`pipeline.derived`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.compare_panel import By, Comparison, PanelSpec, compare, panel, parse_years

__all__ = ["compare", "panel", "PanelSpec", "Comparison", "default_comparison", "write_comparison",
           "load_frames", "register"]
#: What ``ogi run`` compares by default: request volume, the derived disclosure rate, proactive volume.
DEFAULT_METRICS = ("requests.received.total", "requests.rate.disclosed", "proactive.total")


def _documents(dataset: Path) -> pd.DataFrame | None:
    """The documents table without its heavy text columns (None when the dataset has none); the text is
    read in batches and kept only as its :func:`content_key` (``text_key``), so memory stays small on
    large corpora."""
    import pyarrow.dataset as pads

    from pipeline.compare_dedupe import content_key
    from pipeline.dataset import read_table
    from pipeline.dataset_schema import DOCUMENT_COLUMNS

    try:
        docs = read_table(dataset, "documents", DOCUMENT_COLUMNS)
    except FileNotFoundError:
        return None
    path = dataset / "documents.parquet"
    data = pads.dataset(str(path), format="parquet") if path.exists() else None
    if data is not None and "text" in data.schema.names:
        keys: dict[str, str | None] = {}
        for batch in data.to_batches(columns=["doc_id", "text"]):
            for doc_id, text in zip(batch.column(0).to_pylist(), batch.column(1).to_pylist()):
                keys[doc_id] = content_key(text)
        docs["text_key"] = docs["doc_id"].map(keys)
    return docs


def load_frames(dataset: Path) -> tuple[pd.DataFrame, pd.DataFrame | None, dict[str, Any]]:
    """(figures, documents or None, manifest) of a dataset directory written by ``ogi run``.

    Both tables come from :func:`pipeline.dataset.read_table` (Parquet preferred, CSV fallback, same types).
    """
    from pipeline.dataset import read_table

    figures = read_table(dataset, "figures")
    documents = _documents(dataset)
    manifest_path = dataset / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
    return figures, documents, manifest


def _stem(spec: PanelSpec) -> str:
    parts = [spec.metric]
    if spec.applicant != "total":
        parts.append(spec.applicant)
    if spec.cumulative:
        parts.append("cumulative")
    if spec.by == "year":
        parts.append("by-year")
    return ".".join(parts)


def write_comparison(comp: Comparison, out: Path, manifest: dict[str, Any], dataset: str) -> list[Path]:
    """Write panel, cells, chart, summary and duplicates for one comparison; returns the paths."""
    from pipeline.compare_chart import draw_chart
    from pipeline.compare_summary import describe_metric, summary_markdown

    out.mkdir(parents=True, exist_ok=True)
    stem, written = _stem(comp.spec), []
    for name, frame in (("panel", comp.wide), ("cells", comp.cells)):
        csv_path, pq_path = out / f"{stem}.{name}.csv", out / f"{stem}.{name}.parquet"
        frame.to_csv(csv_path, index=False, encoding="utf-8-sig")
        frame.astype({c: "string" for c in frame.columns if frame[c].dtype == object}).to_parquet(pq_path,
                                                                                                 index=False)
        written += [csv_path, pq_path]
    meta = describe_metric(comp.spec.metric)
    units = sorted(comp.cells["unit"].dropna().unique()) if not comp.cells.empty else []
    note = (f"ogi {manifest.get('extractor_version', '?')} · config {manifest.get('settings_fingerprint', '?')}"
            " · 每个地区-年度-口径一份报告，重复副本只计一次")
    if not comp.cells.empty and comp.cells["synthetic"].fillna(False).astype(bool).any():
        note += " · 含合成数据 (synthetic)"
    chart = draw_chart(comp.cells, out / f"{stem}.png", title_zh=meta["label_zh"], metric=comp.spec.metric,
                       unit=units[0] if len(units) == 1 else (meta["unit"] or ""), by=comp.spec.by, note=note)
    for warning in chart.warnings:
        print(f"ogi compare: {warning}", file=sys.stderr)
    font_note = (f"font {chart.font.family} ({chart.font.origin})" if chart.font.path else "no CJK font")
    font_note += "".join(f"; {w}" for w in chart.warnings)
    summary = out / f"{stem}.md"
    summary.write_text(summary_markdown(comp, manifest, dataset, font_note), encoding="utf-8")
    dup_path = out / "duplicates.csv"
    comp.duplicates.to_csv(dup_path, index=False, encoding="utf-8-sig")
    return [*written, chart.path, summary, dup_path]


def default_comparison(out_dir: Path) -> list[Path]:
    """Write the default comparison of a finished dataset in ``out_dir`` into ``out_dir/compare/``.

    Meant to be called at the end of ``ogi run``; one panel per metric of :data:`DEFAULT_METRICS`.

    >>> default_comparison(Path("outputs"))  # doctest: +SKIP
    [PosixPath('outputs/compare/requests.received.total.panel.csv'), ...]
    """
    figures, documents, manifest = load_frames(out_dir)
    written: list[Path] = []
    for metric in DEFAULT_METRICS:
        comp = compare(figures, PanelSpec(metric), documents)
        written += write_comparison(comp, out_dir / "compare", manifest, str(out_dir))
    return list(dict.fromkeys(written))


def _csv_list(text: str | None) -> tuple[str, ...]:
    return tuple(t.strip() for t in text.split(",") if t.strip()) if text else ()


def _cmd_compare(args: argparse.Namespace) -> int:
    try:
        figures, documents, manifest = load_frames(args.dataset)
        years = parse_years(args.years)
    except (FileNotFoundError, ValueError) as exc:
        print(f"ogi compare: {exc}", file=sys.stderr)
        return 2
    by: By = args.by
    spec = PanelSpec(args.metric, by, _csv_list(args.level), _csv_list(args.scope), years, args.applicant,
                     args.cumulative)
    comp = compare(figures, spec, documents)
    out = args.out if args.out is not None else args.dataset / "compare"
    paths = write_comparison(comp, out, manifest, str(args.dataset))
    if comp.cells.empty:
        print(f"ogi compare: no figure of {args.metric} matched (see {paths[-2]})", file=sys.stderr)
    print(f"ogi compare: {comp.cells['series'].nunique() if not comp.cells.empty else 0} series, "
          f"{len(comp.cells)} cells, {len(comp.duplicates)} copies dropped → {out}/")
    for p in paths:
        print(p)
    return 0


def _cmd_codebook(args: argparse.Namespace) -> int:
    from pipeline.codebook import write_codebook, write_docs

    if args.docs:
        for p in write_docs(args.docs):
            print(p)
        return 0
    if not args.dataset.is_dir():
        print(f"ogi codebook: not a dataset directory: {args.dataset}", file=sys.stderr)
        return 2
    print(write_codebook(args.dataset))
    return 0


def register(subparsers: Any) -> None:
    """Add ``compare`` and ``codebook`` to the ``ogi`` command line (called by pipeline/cli.py)."""
    p = subparsers.add_parser("compare", help="panel of one metric across places and years (CSV, Parquet, PNG)")
    p.add_argument("--metric", default="requests.received.total", help="metric id (default: %(default)s)")
    p.add_argument("--dataset", type=Path, default=Path("outputs"), help="dataset from `ogi run` (default: outputs/)")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: DATASET/compare/)")
    p.add_argument("--by", choices=("region", "year"), default="region",
                   help="rows are places (region, default) or years (year)")
    p.add_argument("--level", help="admin levels to keep, comma separated (e.g. city)")
    p.add_argument("--scope", help="scopes to keep: jurisdiction_total, government_level, agency_only, unknown")
    p.add_argument("--years", help="data years, e.g. 2013-2024 or 2020")
    p.add_argument("--applicant", default="total",
                   help="Table 3 applicant column (default total; legal_person_total is derived)")
    p.add_argument("--cumulative", action="store_true", help="compare 累计 (cumulative) figures instead")
    p.set_defaults(func=_cmd_compare)
    p = subparsers.add_parser("codebook", help="write the data dictionary (codebook.csv) next to a dataset")
    p.add_argument("--dataset", type=Path, default=Path("outputs"), help="dataset folder (default: outputs/)")
    p.add_argument("--docs", type=Path, default=None, help="instead, regenerate docs/codebook.md and .csv here")
    p.set_defaults(func=_cmd_codebook)
