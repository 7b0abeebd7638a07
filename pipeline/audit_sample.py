"""Drawing a reproducible, stratified audit sample of figures and writing its worksheet.

Allocation is proportional to stratum size (largest remainder, at least one figure per stratum while
``n`` allows), drawn with ``random.Random(seed)`` over a stable order, so the same dataset and seed give
the same sample. With ``oversample_flagged``, figures named by a finding form their own strata with
twice the weight; every row carries ``weight`` = stratum population / stratum sample size so that
``ogi audit score`` can estimate the population precision.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.audit_data import dataset_hash, missing, read_table
from pipeline.audit_sheet import write_csv, write_xlsx

#: Short stratum names accepted by ``--strata`` (any other figures column works as is).
STRATUM_COLUMNS = {"year": "data_year", "region": "province", "section": "section", "metric": "metric",
                   "era": "era", "origin": "origin", "level": "admin_level"}
CONTEXT_CHARS = 40
WORKSHEET_COLUMNS = [
    "sample_id", "doc_id", "figure_index", "stratum", "weight", "flagged", "finding_codes", "metric", "value",
    "unit", "kind", "share_pct", "quote", "context_before", "context_after", "section", "section_heading",
    "url", "source", "location", "data_year", "region", "start", "end",
    "verdict", "corrected_value", "note", "reviewer",
]
VERDICT_COLUMNS = ("verdict", "corrected_value", "note", "reviewer")


@dataclass(frozen=True, slots=True)
class SampleSpec:
    n: int = 60
    seed: int = 7
    strata: tuple[str, ...] = ()
    oversample_flagged: bool = False


def allocate(sizes: dict[str, int], weights: dict[str, float], n: int) -> dict[str, int]:
    """Sample sizes per stratum: proportional to size x weight, capped by size, at least 1 when possible.

    >>> allocate({"a": 90, "b": 10}, {"a": 1, "b": 1}, 10)
    {'a': 9, 'b': 1}
    """
    n = min(n, sum(sizes.values()))
    mass = sum(sizes[k] * weights.get(k, 1.0) for k in sizes) or 1.0
    target = {k: n * sizes[k] * weights.get(k, 1.0) / mass for k in sizes}
    floor_one = 1 if len(sizes) <= n else 0
    alloc = {k: min(sizes[k], max(floor_one, math.floor(target[k]))) for k in sizes}
    while sum(alloc.values()) < n:  # largest shortfall first; ties by name for reproducibility
        k = max((k for k in sizes if alloc[k] < sizes[k]), key=lambda k: (target[k] - alloc[k], k))
        alloc[k] += 1
    while sum(alloc.values()) > n:
        k = min((k for k in sizes if alloc[k] > 1), key=lambda k: (target[k] - alloc[k], k))
        alloc[k] -= 1
    return alloc


def _flagged(findings: pd.DataFrame | None) -> dict[tuple[str, int], set[str]]:
    out: dict[tuple[str, int], set[str]] = {}
    if findings is None or findings.empty or "figures" not in findings:
        return out
    for doc_id, figs, code in findings[["doc_id", "figures", "code"]].itertuples(index=False):
        if missing(figs) or not str(figs).strip():
            continue
        for i in str(figs).split():
            out.setdefault((str(doc_id), int(float(i))), set()).add(str(code))
    return out


def draw_sample(figures: pd.DataFrame, spec: SampleSpec, findings: pd.DataFrame | None = None
                ) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The sampled figure rows (with ``stratum``, ``weight``, ``flagged``, ``finding_codes``) and the
    allocation summary for the manifest."""
    pop = figures.copy()
    flagged = _flagged(findings)
    keys = list(zip(pop["doc_id"].astype(str), pop["figure_index"].astype(int)))
    pop["finding_codes"] = [" ".join(sorted(flagged.get(k, ()))) for k in keys]
    pop["flagged"] = [k in flagged for k in keys]
    cols = [STRATUM_COLUMNS.get(s, s) for s in spec.strata]
    for c in cols:
        if c not in pop:
            raise ValueError(f"unknown stratum column {c!r}")
    parts = [pop[c].astype("string").fillna("NA") for c in cols]
    if spec.oversample_flagged:
        parts.append(pop["flagged"].map({True: "flagged", False: "unflagged"}).astype("string"))
    pop["stratum"] = (pd.concat(parts, axis=1).agg("|".join, axis=1) if parts
                      else pd.Series("all", index=pop.index, dtype="string"))
    pop = pop.sort_values(["stratum", "doc_id", "figure_index"], kind="stable")
    sizes = pop["stratum"].value_counts().to_dict()
    weights = {k: (2.0 if spec.oversample_flagged and str(k).endswith("|flagged") or k == "flagged" else 1.0)
               for k in sizes}
    alloc = allocate({str(k): int(v) for k, v in sizes.items()}, weights, spec.n)
    rng = random.Random(spec.seed)
    picked = []
    for stratum in sorted(alloc):
        members = pop.index[pop["stratum"] == stratum].tolist()
        chosen = rng.sample(members, alloc[stratum]) if alloc[stratum] else []
        picked.extend(chosen)
    sample = pop.loc[picked].copy()
    sample["weight"] = [sizes[s] / alloc[s] for s in sample["stratum"]]
    sample = sample.sort_values(["stratum", "doc_id", "figure_index"], kind="stable").reset_index(drop=True)
    summary = {"population": int(len(pop)), "strata": {s: {"population": int(sizes[s]), "sample": alloc[s]}
                                                       for s in sorted(alloc)}}
    return sample, summary


def _heading_at(sections_json: Any, pos: int) -> str:
    if missing(sections_json) or not sections_json:
        return ""
    best = ""
    for s in json.loads(str(sections_json)):
        if s.get("start", 0) <= pos < s.get("end", 0):
            best = s.get("heading", "")
    return best


def worksheet_rows(sample: pd.DataFrame, documents: pd.DataFrame | None) -> list[dict[str, Any]]:
    """Worksheet rows: the figure, ~40 characters of source text each side, heading, URL and location."""
    docs: dict[str, dict[str, Any]] = {}
    if documents is not None and not documents.empty:
        wanted = set(sample["doc_id"].astype(str))
        cols = [c for c in ("doc_id", "text", "sections_json", "url", "source") if c in documents]
        for r in documents.loc[documents["doc_id"].astype(str).isin(wanted), cols].to_dict("records"):
            docs[str(r["doc_id"])] = r
    rows = []
    for i, r in enumerate(sample.to_dict("records"), start=1):
        doc = docs.get(str(r["doc_id"]), {})
        text = "" if missing(doc.get("text")) else str(doc.get("text"))
        start, end = int(r["start"]), int(r["end"])
        loc = f"chars {start}-{end}"
        if not missing(r.get("table")) and r.get("table"):
            loc += f"; table {r['table']} row {r.get('row') or ''} col {r.get('col') or ''}"
        rows.append({
            **{c: r.get(c) for c in WORKSHEET_COLUMNS if c in r},
            "sample_id": i, "figure_index": int(r["figure_index"]),
            "context_before": text[max(0, start - CONTEXT_CHARS):start],
            "context_after": text[end:end + CONTEXT_CHARS],
            "section_heading": _heading_at(doc.get("sections_json"), start),
            "url": r.get("url") if not missing(r.get("url")) else doc.get("url"),
            "location": loc, "region": r.get("region"),
            **{c: None for c in VERDICT_COLUMNS},
        })
    return rows


def write_worksheet(out: Path, rows: Sequence[dict[str, Any]], manifest: dict[str, Any]) -> list[Path]:
    """``worksheet.xlsx``, ``worksheet.csv`` and ``manifest.json`` in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    widths = {"quote": 24, "context_before": 40, "context_after": 40, "metric": 36, "url": 30, "note": 30}
    write_xlsx(out / "worksheet.xlsx", WORKSHEET_COLUMNS, rows, widths=widths)
    write_csv(out / "worksheet.csv", WORKSHEET_COLUMNS, rows)
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [out / "worksheet.xlsx", out / "worksheet.csv", out / "manifest.json"]


def sample_dataset(dataset: Path, out: Path, spec: SampleSpec) -> dict[str, Any]:
    """Draw the sample from a dataset folder and write the worksheet; returns the manifest."""
    figures = read_table(dataset, "figures")
    try:
        findings: pd.DataFrame | None = read_table(dataset, "findings")
    except FileNotFoundError:
        findings = None
    try:
        documents: pd.DataFrame | None = read_table(dataset, "documents",
                                                    ["doc_id", "text", "sections_json", "url", "source"])
    except FileNotFoundError:
        documents = None
    sample, summary = draw_sample(figures, spec, findings)
    manifest = {"seed": spec.seed, "n": int(len(sample)), "n_requested": spec.n, "strata": list(spec.strata),
                "oversample_flagged": spec.oversample_flagged, "population_size": summary["population"],
                "allocation": summary["strata"], "dataset": str(dataset), "dataset_sha256": dataset_hash(dataset),
                "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    write_worksheet(out, worksheet_rows(sample, documents), manifest)
    return manifest
