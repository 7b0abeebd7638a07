"""Scoring filled worksheets (precision with Wilson intervals), sample sizes, and the corrections overlay.

The overlay (default ``audit/overlay.csv``) records one reviewed figure per row: the key
``doc_id, metric, start, end`` (stable across re-runs while the span is), ``figure_index``, the raw
value seen by the reviewer, ``verdict``, ``value_corrected``, ``reviewer``, ``reviewed_at`` and
``review_reason``. The raw extraction is never edited; :func:`apply_overlay` adds columns to the
figures table when the dataset is built.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import NormalDist
from typing import Any

import pandas as pd

from pipeline.audit_data import missing, to_decimal
from pipeline.audit_sheet import parse_verdict, read_rows

OVERLAY_COLUMNS = ["doc_id", "figure_index", "metric", "start", "end", "value_raw", "verdict", "value_corrected",
                   "reviewer", "reviewed_at", "review_reason", "worksheet"]
_KEY = ["doc_id", "metric", "start", "end"]
#: Columns :func:`apply_overlay` adds to the figures table (pandas dtypes), for the dataset schema.
OVERLAY_FIGURE_COLUMNS = {"value_corrected": "float64", "verdict": "string", "reviewer": "string",
                          "reviewed_at": "string", "review_reason": "string", "review_stale": "bool"}


def wilson(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion.

    >>> tuple(round(x, 3) for x in wilson(57, 60))
    (0.863, 0.983)
    """
    if n == 0:
        return (0.0, 1.0)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def attribute_sample_size(confidence: float, tolerable: float, expected_errors: int = 0) -> int:
    """Smallest n such that finding at most ``expected_errors`` wrong figures shows, with ``confidence``,
    that the error rate is below ``tolerable`` (binomial attribute sampling).

    >>> attribute_sample_size(0.95, 0.05), attribute_sample_size(0.95, 0.05, 1)
    (59, 93)
    """
    if not (0 < confidence < 1 and 0 < tolerable < 1):
        raise ValueError("confidence and tolerable error rate must lie in (0, 1)")
    n = expected_errors + 1
    while True:
        tail = sum(math.comb(n, k) * tolerable ** k * (1 - tolerable) ** (n - k) for k in range(expected_errors + 1))
        if tail <= 1 - confidence:
            return n
        n += 1


def estimation_sample_size(confidence: float, margin: float, p: float = 0.5, population: int | None = None) -> int:
    """n for a ± ``margin`` interval on a proportion near ``p`` (finite-population corrected).

    >>> estimation_sample_size(0.95, 0.05), estimation_sample_size(0.95, 0.05, population=500)
    (385, 218)
    """
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    n0 = z * z * p * (1 - p) / (margin * margin)
    if population:
        n0 = n0 / (1 + (n0 - 1) / population)
    return math.ceil(n0)


@dataclass(frozen=True, slots=True)
class StratumScore:
    stratum: str
    judged: int
    correct: int
    low: float
    high: float

    @property
    def precision(self) -> float:
        return self.correct / self.judged if self.judged else float("nan")


def judged_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with a verdict (a corrected value without a verdict counts as ``wrong``)."""
    out = []
    for r in rows:
        verdict = parse_verdict(r.get("verdict"))
        if verdict is None and not missing(r.get("corrected_value")) and str(r.get("corrected_value")).strip():
            verdict = "wrong"
        if verdict is not None:
            out.append({**r, "verdict": verdict})
    return out


def score(rows: Sequence[dict[str, Any]], confidence: float = 0.95) -> tuple[StratumScore, list[StratumScore], float]:
    """Overall and per-stratum precision with Wilson intervals, and the weighted (population) estimate."""
    judged = judged_rows(rows)

    def one(name: str, rs: list[dict[str, Any]]) -> StratumScore:
        ok = sum(r["verdict"] == "correct" for r in rs)
        return StratumScore(name, len(rs), ok, *wilson(ok, len(rs), confidence))

    strata: dict[str, list[dict[str, Any]]] = {}
    for r in judged:
        strata.setdefault(str(r.get("stratum") or "all"), []).append(r)
    weights = [float(r.get("weight") or 1.0) for r in judged]
    weighted = (sum(w for w, r in zip(weights, judged) if r["verdict"] == "correct") / sum(weights)
                if judged else float("nan"))
    return one("overall", judged), [one(k, v) for k, v in sorted(strata.items())], weighted


def overlay_rows(rows: Sequence[dict[str, Any]], worksheet: Path, reviewer: str | None = None) -> list[dict[str, Any]]:
    """Overlay records of the judged rows (reviewer and time from the sheet, else given / now)."""
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    out = []
    for r in judged_rows(rows):
        corrected = to_decimal(r.get("corrected_value")) if r["verdict"] == "wrong" else None
        who = r.get("reviewer") if not missing(r.get("reviewer")) and str(r.get("reviewer")).strip() else reviewer
        out.append({"doc_id": str(r["doc_id"]), "figure_index": int(r["figure_index"]), "metric": r["metric"],
                    "start": int(r["start"]), "end": int(r["end"]), "value_raw": r.get("value"),
                    "verdict": r["verdict"], "value_corrected": None if corrected is None else float(corrected),
                    "reviewer": who or os.environ.get("USER") or "unknown",
                    "reviewed_at": r.get("reviewed_at") or now,
                    "review_reason": r.get("note") or "", "worksheet": str(worksheet)})
    return out


def write_overlay(records: Sequence[dict[str, Any]], path: Path) -> pd.DataFrame:
    """Merge records into the overlay file (a later review of the same figure replaces the earlier)."""
    new = pd.DataFrame(list(records), columns=OVERLAY_COLUMNS)
    if path.exists():
        new = pd.concat([pd.read_csv(path, encoding="utf-8-sig"), new], ignore_index=True)
    new["doc_id"] = new["doc_id"].astype(str)
    merged = new.drop_duplicates(_KEY, keep="last").reset_index(drop=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    merged.to_csv(path, index=False, encoding="utf-8-sig")
    return merged


def apply_overlay(figures: pd.DataFrame, overlay_path: Path) -> pd.DataFrame:
    """The figures with the audit columns added; the raw ``value`` is kept.

    ``value_corrected``: the reviewed value (the correction when judged wrong with one, NA when judged
    wrong without one), else ``value``. ``verdict``, ``reviewer``, ``reviewed_at``, ``review_reason``:
    NA for figures nobody reviewed. ``review_stale``: the raw value changed since the review.
    """
    out = figures.copy()
    ov = pd.read_csv(overlay_path, encoding="utf-8-sig") if Path(overlay_path).exists() else \
        pd.DataFrame(columns=OVERLAY_COLUMNS)
    ov = ov.assign(doc_id=ov["doc_id"].astype(str)).drop_duplicates(_KEY, keep="last")
    ov = ov[_KEY + ["verdict", "value_corrected", "value_raw", "reviewer", "reviewed_at", "review_reason"]]
    ov = ov.rename(columns={"value_corrected": "_corrected", "value_raw": "_raw"})
    for c in ("start", "end"):
        ov[c] = pd.to_numeric(ov[c]).astype("Int64")
        out[c] = out[c].astype("Int64")
    out["doc_id"] = out["doc_id"].astype(str)
    drop = [c for c in ("verdict", "value_corrected", "reviewer", "reviewed_at", "review_reason", "review_stale")
            if c in out]
    merged = out.drop(columns=drop).merge(ov, on=_KEY, how="left")
    value = pd.to_numeric(merged["value"], errors="coerce")
    corrected = pd.to_numeric(merged["_corrected"], errors="coerce")
    wrong = merged["verdict"] == "wrong"
    merged["value_corrected"] = value.where(~wrong, corrected)
    raw = pd.to_numeric(merged["_raw"], errors="coerce")
    merged["review_stale"] = merged["verdict"].notna() & ~((raw == value) | (raw.isna() & value.isna()))
    return merged.drop(columns=["_corrected", "_raw"]).reset_index(drop=True)


def score_worksheet(worksheet: Path, overlay: Path, confidence: float = 0.95,
                    reviewer: str | None = None) -> dict[str, Any]:
    """Score a filled worksheet, merge its verdicts into the overlay, and return the report."""
    rows = read_rows(worksheet)
    overall, strata, weighted = score(rows, confidence)
    records = overlay_rows(rows, worksheet, reviewer)
    write_overlay(records, overlay)

    def d(s: StratumScore) -> dict[str, Any]:
        return {"stratum": s.stratum, "judged": s.judged, "correct": s.correct,
                "precision": None if s.judged == 0 else round(s.precision, 4),
                "wilson_low": round(s.low, 4), "wilson_high": round(s.high, 4)}

    return {"worksheet": str(worksheet), "rows": len(rows), "confidence": confidence, "overall": d(overall),
            "weighted_precision": None if math.isnan(weighted) else round(weighted, 4),
            "strata": [d(s) for s in strata], "overlay": str(overlay),
            "corrections": sum(1 for r in records if r["value_corrected"] is not None)}
