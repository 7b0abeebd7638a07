"""The markdown summary of a comparison: what was compared, the panel, and every comparability caveat."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.compare_panel import Comparison
from pipeline.derived import DERIVED, LEGAL_PERSON, LEGAL_PERSON_DEF, NOT_COMPUTED

_ERA_NOTES = {
    "E2008": "E2008 (2008–2013): no national format; headings and definitions are local.",
    "E2014": "E2014 (2014–2018): the national statistics form (国办发〔2014〕32号); 受理 often means 收到.",
    "E2019": "E2019 (2019–2020): the trial format (国办公开办函〔2019〕60号), standard Table 3.",
    "E2021": "E2021 (2021–): the revised format (国办公开办函〔2021〕30号); Tables 2 and 3 changed.",
}


def describe_metric(metric: str) -> dict[str, str]:
    """Chinese label, unit, definition and caveats of a metric id, from the taxonomy or the derived list.

    >>> describe_metric("requests.rate.not_held")["unit"]
    '%'
    """
    from parsers.taxonomy import METRICS

    if metric in METRICS:
        m = METRICS[metric]
        return {"label_zh": m.label_zh, "unit": m.unit, "definition": m.definition, "caveats": m.caveats,
                "derived": ""}
    for d in (*DERIVED, *NOT_COMPUTED):
        if d.id == metric:
            return {"label_zh": d.label_zh, "unit": d.unit, "definition": d.definition, "caveats": d.caveats,
                    "derived": d.formula()}
    return {"label_zh": metric, "unit": "", "definition": "(not in the taxonomy)", "caveats": "", "derived": ""}


def _fmt(v: Any) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
        return "NA"
    return f"{v:,.2f}".rstrip("0").rstrip(".") if isinstance(v, float) else str(v)


def _table(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for _, row in frame.iterrows():
        lines.append("| " + " | ".join(_fmt(row[c]) for c in columns) + " |")
    return lines


def summary_markdown(comp: Comparison, manifest: dict[str, Any], dataset: str, chart_note: str = "") -> str:
    """A short report: metric, filters, the panel, then scope, era, unit, copy and conflict notes."""
    spec, cells = comp.spec, comp.cells
    meta = describe_metric(spec.metric)
    out = [f"# {meta['label_zh']} ({spec.metric})", ""]
    out.append(f"{meta['definition']} Unit: {meta['unit'] or 'as printed'}."
               + (f" Caveats: {meta['caveats']}" if meta["caveats"] else ""))
    if meta["derived"]:
        out.append(f"Derived (is_derived): `{meta['derived']}`, from figures of the same report and scope; "
                   "NA when the denominator is 0.")
    out += ["", f"Dataset `{dataset}`: extractor {manifest.get('extractor_version', '?')}, config hash "
                f"{manifest.get('settings_fingerprint', '?')}."]
    filters = [f"by {spec.by}", f"applicant {spec.applicant}",
               "cumulative (累计) figures only" if spec.cumulative else "this year's figures (累计 excluded)"]
    if spec.levels:
        filters.append("level " + ", ".join(spec.levels))
    if spec.scopes:
        filters.append("scope " + ", ".join(spec.scopes))
    if spec.years:
        filters.append(f"years {spec.years[0]}–{spec.years[1]}")
    out.append("Filters: " + "; ".join(filters) + ".")
    if cells.empty:
        out += ["", "**No figure matched.**"]
    else:
        n_series, years = cells["series"].nunique(), sorted(cells["data_year"].unique())
        out += ["", f"{n_series} series (place × scope), {len(years)} years, {len(cells)} cells.", ""]
        wide = comp.wide if spec.by == "region" else comp.wide.rename(columns={"data_year": "year"})
        cols = (["series", "scope", *[str(y) for y in years]] if spec.by == "region" else list(wide.columns))
        out += _table(wide, cols)
    out += ["", "## Comparability notes", ""]
    out += [f"- {n}" for n in _notes(comp)]
    if chart_note:
        out.append(f"- Chart: {chart_note}")
    if not comp.duplicates.empty:
        out += ["", "## Copies counted once", "",
                "Kept copy per report: status ok, most figures, HTML over text, fewest decoding replacements, "
                "first source (docs: pipeline/compare_dedupe.py).", ""]
        out += _table(comp.duplicates, ["source", "kept_source", "key"])
    return "\n".join(out) + "\n"


def _notes(comp: Comparison) -> list[str]:
    cells, notes = comp.cells, []
    if cells.empty:
        return [f"excluded: {k} ({v})" for k, v in sorted(comp.excluded.items())] or ["no data"]
    scopes = sorted(cells["scope"].unique())
    if len(scopes) > 1:
        notes.append("Scopes differ (" + ", ".join(scopes) + "): see the scope column; a place with reports "
                     "of two scopes has one row per scope. A jurisdiction total, a government-level and an "
                     "agency-only report do not measure the same thing (use --scope to keep one).")
    else:
        notes.append(f"Scope: {scopes[0]} throughout.")
    eras = [e for e in sorted(cells["era"].dropna().unique())]
    if len(eras) > 1:
        notes.append("Reporting formats change inside the panel (dashed lines in the chart): "
                     + " ".join(_ERA_NOTES.get(e, e) for e in eras))
    units = sorted(cells["unit"].dropna().unique())
    if len(units) > 1:
        notes.append("Units differ between cells: " + ", ".join(units) + ".")
    conflicts = cells[cells["conflict"].fillna(False).astype(bool)]
    for _, c in conflicts.iterrows():
        notes.append(f"Two reports for {c['series']} {c['data_year']}: kept {_fmt(c['value'])} ({c['source']}); "
                     f"also {c['alternatives']}.")
    if comp.spec.applicant == LEGAL_PERSON:
        notes.append(LEGAL_PERSON_DEF.definition)
    na = cells[cells["value"].isna()]
    if len(na):
        notes.append("NA cells: " + ", ".join(f"{r['series']} {r['data_year']} ({r['note'] or 'blank'})"
                                              for _, r in na.iterrows()) + ".")
    n_syn = int(cells["synthetic"].fillna(False).astype(bool).sum())
    if n_syn:
        notes.append(f"{n_syn} of {len(cells)} cells come from SYNTHETIC reports (generated test data).")
    for reason, n in sorted(comp.excluded.items()):
        notes.append(f"Left out: {n} figure(s), {reason}.")
    return notes
