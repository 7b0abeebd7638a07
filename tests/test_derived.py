"""Derived metrics (domain-spec §C.8): same report and scope only, NA on zero denominators, no input = no row."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from pipeline.derived import DERIVED, PARTS, derive, with_derived

O = "requests.outcome."
WITHHELD = PARTS[O + "withheld.total"]
ABSENT, NA = "absent", "NA"


def frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """(doc, metric, value[, applicant[, origin[, cumulative[, scope]]]]) → a figures table."""
    out = []
    defaults = (None, "text", False, "jurisdiction_total")  # applicant, origin, cumulative, scope
    for i, row in enumerate(rows):
        doc, metric, value, applicant, origin, cumulative, scope = (*row, *defaults[len(row) - 3:])
        out.append({"doc_id": doc, "figure_index": i, "metric": metric, "value": value, "applicant": applicant,
                    "origin": origin, "is_cumulative": cumulative, "scope": scope, "region": "X市",
                    "data_year": 2020})
    return pd.DataFrame(out)


# (case id, figures, {(metric, applicant or None): expected value | NA | ABSENT})
CASES: list[tuple[str, list[tuple[Any, ...]], dict[tuple[str, str | None], Any]]] = [
    ("disclosed+partial over total", [("d", O + "disclosed", 60), ("d", O + "partially_disclosed", 15),
                                      ("d", O + "total", 100)], {("requests.rate.disclosed", None): 75.0}),
    ("zero denominator is NA, not 0 or 100", [("d", O + "disclosed", 0), ("d", O + "total", 0)],
     {("requests.rate.disclosed", None): NA}),
    ("missing denominator: no row", [("d", O + "disclosed", 5)], {("requests.rate.disclosed", None): ABSENT}),
    ("inputs from two reports never combine", [("a", O + "disclosed", 5), ("b", O + "total", 10)],
     {("requests.rate.disclosed", None): ABSENT}),
    ("inputs from two scopes never combine",
     [("d", O + "disclosed", 5, None, "text", False, "agency_only"),
      ("d", O + "total", 10, None, "text", False, "jurisdiction_total")],
     {("requests.rate.disclosed", None): ABSENT}),
    ("cumulative figures are not inputs", [("d", O + "disclosed", 5), ("d", O + "total", 900, None, "text", True)],
     {("requests.rate.disclosed", None): ABSENT}),
    ("blank cell is missing, not zero", [("d", O + "disclosed", 5), ("d", O + "total", None, "total", "table")],
     {("requests.rate.disclosed", None): ABSENT}),
    ("table cell wins over prose", [("d", O + "total", 50), ("d", O + "total", 40, "total", "table"),
                                    ("d", O + "disclosed", 10, "total", "table")],
     {("requests.rate.disclosed", "total"): 25.0}),
    ("pre-2019 already_public counts as disclosed",
     [("d", O + "disclosed", 50), ("d", O + "already_public", 10), ("d", O + "total", 80)],
     {("requests.rate.disclosed", None): 75.0}),
    ("same applicant column only",
     [("d", O + "disclosed", 1, "natural_person", "table"), ("d", O + "total", 4, "natural_person", "table"),
      ("d", O + "disclosed", 9, "total", "table"), ("d", O + "total", 10, "total", "table"),
      ("d", O + "disclosed", 0, "other_org", "table"), ("d", O + "total", 0, "other_org", "table")],
     {("requests.rate.disclosed", "natural_person"): 25.0, ("requests.rate.disclosed", "total"): 90.0,
      ("requests.rate.disclosed", "other_org"): NA}),
    ("withheld total from all eight sub-rows",
     [("d", m, 1, "total", "table") for m in WITHHELD] + [("d", O + "total", 16, "total", "table")],
     {("requests.rate.withheld", "total"): 50.0, (O + "withheld.total", "total"): 8.0}),
    ("a missing sub-row leaves the total underived",
     [("d", m, 1, "total", "table") for m in WITHHELD[:-1]] + [("d", O + "total", 16, "total", "table")],
     {("requests.rate.withheld", "total"): ABSENT, (O + "withheld.total", "total"): ABSENT}),
    ("a stated total is not derived again", [("d", O + "withheld.total", 3)] + [("d", m, 1) for m in WITHHELD],
     {(O + "withheld.total", None): ABSENT}),
    ("not_held share", [("d", O + "unable.not_held", 30), ("d", O + "total", 120)],
     {("requests.rate.not_held", None): 25.0}),
    ("review correction rate excludes pending",
     [("d", "review.upheld", 3), ("d", "review.corrected", 1), ("d", "review.other", 0), ("d", "review.pending", 6)],
     {("review.rate.corrected", None): 25.0}),
    ("no concluded review: NA", [("d", "review.upheld", 0), ("d", "review.corrected", 0), ("d", "review.other", 0),
                                 ("d", "review.pending", 2)], {("review.rate.corrected", None): NA}),
    ("litigation: direct + after review",
     [("d", f"litigation.{k}.{o}", v) for k in ("direct", "after_review")
      for o, v in (("upheld", 1), ("corrected", 1), ("other", 0), ("total", 2))],
     {("litigation.rate.corrected", None): 50.0, ("litigation.total", None): 4.0}),
    ("net change of normative documents can be negative",
     [("d", "proactive.normative_docs.issued", 12), ("d", "proactive.normative_docs.repealed", 15)],
     {("proactive.normative_docs.net_change", None): -3.0}),
    ("legal persons: the five organisation columns",
     [("d", "requests.received.total", v, a, "table") for a, v in (
         ("natural_person", 50), ("commercial_enterprise", 1), ("research_institution", 2),
         ("social_welfare_org", 3), ("legal_service_org", 4), ("other_org", 5), ("total", 65))],
     {("requests.received.total", "legal_person_total"): 15.0}),
    ("legal persons need all five columns",
     [("d", "requests.received.total", v, a, "table") for a, v in (
         ("commercial_enterprise", 1), ("research_institution", 2), ("social_welfare_org", 3), ("other_org", 5))],
     {("requests.received.total", "legal_person_total"): ABSENT}),
]


def _lookup(derived: pd.DataFrame, metric: str, applicant: str | None) -> pd.DataFrame:
    if derived.empty:
        return derived
    app = derived["applicant"]
    return derived[(derived["metric"] == metric) & (app.isna() if applicant is None else app == applicant)]


@pytest.mark.parametrize("figures,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_derived_rules(figures: list[tuple[Any, ...]], expected: dict[tuple[str, str | None], Any]) -> None:
    derived = derive(frame(figures))
    for (metric, applicant), want in expected.items():
        got = _lookup(derived, metric, applicant)
        if want == ABSENT:
            assert got.empty, f"{metric}/{applicant} should not be derived, got {got['value'].tolist()}"
            continue
        assert len(got) == 1, f"{metric}/{applicant}: {len(got)} rows"
        row = got.iloc[0]
        assert bool(row["is_derived"]) and row["origin"] == "derived" and row["rule"].startswith("derived:")
        if want == NA:
            assert pd.isna(row["value"]) and "denominator is 0" in row["note"]
        else:
            assert row["value"] == pytest.approx(want)


def test_inputs_lead_back_to_figures() -> None:
    figs = frame([("d", O + "disclosed", 60), ("d", O + "partially_disclosed", 15), ("d", O + "total", 100),
                  ("d", "proactive.total", 7)])
    row = _lookup(derive(figs), "requests.rate.disclosed", None).iloc[0]
    assert sorted(int(i) for i in row["inputs"].split()) == [0, 1, 2]
    assert row["doc_id"] == "d" and row["region"] == "X市" and row["data_year"] == 2020


def test_with_derived_marks_and_is_idempotent() -> None:
    figs = frame([("d", O + "disclosed", 1), ("d", O + "total", 2)])
    once = with_derived(figs)
    assert once["is_derived"].tolist() == [False, False, True]
    assert len(with_derived(once)) == len(once)


def test_every_derived_metric_has_a_formula_and_definition() -> None:
    for d in DERIVED:
        assert d.definition and d.formula() and d.label_zh, d.id
