"""Panels: one metric across places (rows) and years (columns), with the comparability columns kept.

``compare()`` turns a figures table into a :class:`Comparison`: the panel ``cells`` in long form (one row
per place × scope × year, with the figure it came from: doc_id, source, quote, era, unit, cumulative and
derived flags), the ``wide`` panel, the ``duplicates`` dropped and the ``excluded`` counts by reason.

Rules:

- copies of one report count once (:mod:`pipeline.compare_dedupe`);
- a panel row is a place **and a scope**: a city's jurisdiction-wide report and its 办公厅's agency-only
  report are two rows, never one series (domain-spec §0 scope trap); ``scopes`` keeps only some scopes;
- this-year figures only unless ``cumulative=True`` (then only 累计 figures): never both in one panel;
- Table 3 metrics: the ``applicant`` column (default ``total``; prose figures count as ``total``);
- in one cell, a table cell wins over prose, then an exact figure over an approximate one, then the
  earlier figure; two different reports for one cell keep the one with more figures and are reported in
  ``conflict`` (the other values are listed in ``alternatives``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from pipeline.compare_dedupe import DUPLICATE_COLUMNS, find_duplicates
from pipeline.derived import DERIVED, LEGAL_PERSON, with_derived

By = Literal["region", "year"]
ROW_COLUMNS = ["place", "province", "prefecture", "adcode", "department", "admin_level", "scope"]
CELL_COLUMNS = [*ROW_COLUMNS, "series", "data_year", "value", "unit", "era", "is_cumulative", "is_derived",
                "applicant", "origin", "doc_id", "source", "url", "title", "figure_index", "quote", "inputs",
                "note", "synthetic", "n_reports", "conflict", "alternatives"]
_DERIVED_IDS = frozenset(d.id for d in DERIVED)


@dataclass(frozen=True, slots=True)
class PanelSpec:
    """What to compare. ``years`` is an inclusive (first, last) range; empty tuples mean no filter."""

    metric: str
    by: By = "region"
    levels: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    applicant: str = "total"
    cumulative: bool = False


@dataclass(frozen=True)
class Comparison:
    spec: PanelSpec
    cells: pd.DataFrame
    wide: pd.DataFrame
    duplicates: pd.DataFrame
    excluded: dict[str, int] = field(default_factory=dict)


def parse_years(text: str | None) -> tuple[int, int] | None:
    """``"2013-2024"`` → (2013, 2024); ``"2020"`` → (2020, 2020); None → None.

    >>> parse_years("2013-2024"), parse_years("2020"), parse_years(None)
    ((2013, 2024), (2020, 2020), None)
    """
    if not text:
        return None
    first, _, last = text.strip().partition("-")
    a, b = int(first), int(last or first)
    if a > b:
        raise ValueError(f"year range {text!r} runs backwards")
    return (a, b)


def _flag(series: pd.Series) -> pd.Series:
    return series.fillna(False).astype(bool)


def _select(figures: pd.DataFrame, spec: PanelSpec, excluded: Counter[str]) -> pd.DataFrame:
    rows = figures[figures["metric"] == spec.metric]
    steps: list[tuple[str, pd.Series]] = [
        ("cumulative figure" if not spec.cumulative else "this-year figure",
         _flag(rows["is_cumulative"]) == spec.cumulative),
        (f"applicant is not {spec.applicant}",
         rows["applicant"].fillna("total") == spec.applicant if "applicant" in rows else pd.Series(True, rows.index)),
        ("region not resolved", rows["region"].notna() | rows["adcode"].notna()),
        ("data year unknown", rows["data_year"].notna()),
    ]
    if spec.levels:
        steps.append(("admin level filtered out", rows["admin_level"].isin(spec.levels)))
    if spec.scopes:
        steps.append(("scope filtered out", rows["scope"].fillna("unknown").isin(spec.scopes)))
    if spec.years:
        steps.append(("year outside range", rows["data_year"].between(*spec.years)))
    keep = pd.Series(True, index=rows.index)
    for reason, ok in steps:
        ok = ok.fillna(False).astype(bool)
        dropped = int((keep & ~ok).sum())
        if dropped:
            excluded[reason] += dropped
        keep &= ok
    return rows[keep]


def _series_labels(cells: pd.DataFrame) -> pd.Series:
    """Place (·department), plus [scope] when the place has several scopes, plus (adcode) when two
    different places share a name."""
    label = cells["place"] + cells["department"].map(lambda d: f"·{d}" if isinstance(d, str) and d else "")
    frame = cells.assign(_label=label, _code=cells["adcode"].fillna(""))
    n_scopes = frame.groupby("_label")["scope"].transform("nunique")
    label = label.where(n_scopes <= 1, label + " [" + cells["scope"] + "]")
    n_codes = frame.assign(_label=label).groupby("_label")["_code"].transform("nunique")
    return label.where(n_codes <= 1, label + " (" + frame["_code"] + ")")


def _cells(rows: pd.DataFrame, doc_sizes: pd.Series) -> pd.DataFrame:
    if rows.empty:
        return pd.DataFrame(columns=CELL_COLUMNS)
    rows = rows.assign(
        place=rows["region"].fillna(rows["adcode"]).astype(str),
        scope=rows["scope"].fillna("unknown"),
        _pref_table=(rows["origin"] != "table").astype(int),
        _approx=_flag(rows["approx"]) if "approx" in rows else False,
        _size=-rows["doc_id"].map(doc_sizes).fillna(0).astype("int64"),
    )
    key = ["place", "adcode", "department", "scope", "data_year"]
    rows = rows.sort_values(["_size", "doc_id", "_pref_table", "_approx", "figure_index"], kind="stable")
    out = []
    for _, group in rows.groupby(key, sort=False, dropna=False):
        best = group.iloc[0].to_dict()
        per_doc = group.drop_duplicates("doc_id")
        others = per_doc.iloc[1:]
        values = set(per_doc["value"].dropna().round(6))
        best.update(n_reports=len(per_doc), conflict=len(values) > 1,
                    alternatives="; ".join(f"{v:g} ({s})" for v, s in zip(others["value"], others["source"])))
        out.append(best)
    cells = pd.DataFrame(out)
    if cells.empty:
        return pd.DataFrame(columns=CELL_COLUMNS)
    cells["series"] = _series_labels(cells)
    cells["data_year"] = cells["data_year"].astype(int)
    cells = cells.reindex(columns=CELL_COLUMNS)
    return cells.sort_values(["province", "adcode", "series", "data_year"], na_position="last", ignore_index=True)


def wide_panel(cells: pd.DataFrame, by: By = "region") -> pd.DataFrame:
    """The wide panel: one row per series (place × scope) and one column per year (``by="region"``), or one
    row per year and one column per series (``by="year"``). Missing cells are NA."""
    if cells.empty:
        return pd.DataFrame(columns=["series", *ROW_COLUMNS] if by == "region" else ["data_year"])
    values = cells.set_index(["series", "data_year"])["value"].astype("float64")
    if by == "year":
        wide = values.unstack("series")
        wide = wide.reindex(columns=list(dict.fromkeys(cells["series"])))
        wide.columns = [str(c) for c in wide.columns]
        return wide.reset_index()
    wide = values.unstack("data_year")
    wide.columns = [str(c) for c in wide.columns]
    attrs = cells.groupby("series", sort=False)[ROW_COLUMNS].first()
    out = attrs.join(wide[sorted(wide.columns)])
    return out.reset_index()


def compare(figures: pd.DataFrame, spec: PanelSpec, documents: pd.DataFrame | None = None) -> Comparison:
    """Build the comparison of one metric (see the module docstring for the rules).

    ``figures`` is the figures table (``pipeline.load_dataset``); ``documents`` (optional) lets copies of a
    report be recognised by their text as well.
    """
    excluded: Counter[str] = Counter()
    duplicates = (find_duplicates(figures, documents) if not figures.empty
                  else pd.DataFrame(columns=DUPLICATE_COLUMNS))
    figs = figures[~figures["doc_id"].isin(duplicates["doc_id"])]
    dropped = int((figures["doc_id"].isin(duplicates["doc_id"]) & (figures["metric"] == spec.metric)).sum())
    if dropped:
        excluded["copy of another report"] += dropped
    if spec.metric in _DERIVED_IDS or spec.applicant == LEGAL_PERSON:
        figs = with_derived(figs)
    if "is_derived" not in figs.columns:
        figs = figs.assign(is_derived=False)
    for col in ("inputs", "note", "department", "prefecture", "approx", "applicant"):
        if col not in figs.columns:
            figs = figs.assign(**{col: None})
    rows = _select(figs, spec, excluded)
    cells = _cells(rows, figs.groupby("doc_id").size())
    return Comparison(spec, cells, wide_panel(cells, spec.by), duplicates, dict(excluded))


def panel(df: pd.DataFrame, metric: str, *, by: By = "region", level: str | tuple[str, ...] = (),
          scope: str | tuple[str, ...] = (), years: str | tuple[int, int] | None = None,
          applicant: str = "total", cumulative: bool = False,
          documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """The wide panel of one metric: rows are places (one per scope), columns are data years.

    >>> import pipeline
    >>> df = pipeline.load_dataset("outputs")  # doctest: +SKIP
    >>> pipeline.panel(df, "requests.received.total", level="city", years="2013-2024")  # doctest: +SKIP
    >>> pipeline.panel(df, "requests.rate.disclosed", by="year")  # derived rates are computed on the fly  # doctest: +SKIP
    """
    spec = PanelSpec(metric, by, (level,) if isinstance(level, str) else tuple(level),
                     (scope,) if isinstance(scope, str) else tuple(scope),
                     parse_years(years) if isinstance(years, str) or years is None else years,
                     applicant, cumulative)
    return compare(df, spec, documents).wide
