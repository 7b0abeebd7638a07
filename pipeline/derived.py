"""Derived metrics (domain-spec §C.8): rates, sums and differences computed from a report's own figures.

Rules (each one is tested in tests/test_derived.py):

- **Same report, same scope.** Inputs are looked up only among the figures of one document (grouped by
  ``doc_id`` and ``scope``); a rate never mixes two reports, two cities or two scopes.
- **Same applicant column.** Table 3 figures carry an ``applicant``; a rate for ``natural_person`` uses only
  ``natural_person`` cells. A prose figure (no applicant) counts as the ``total`` column.
- **This year's figures only.** ``is_cumulative`` figures (累计 since 2008) and blank or not-applicable cells
  (value NA) are never inputs: a blank is missing, not zero.
- **One figure per input.** When a report states a metric twice, the table cell wins over prose, then the
  earlier figure; the figure indices used are listed in ``inputs`` so every derived value leads back to quotes.
- **Totals from parts.** A total the 2019/2021 tables do not print (e.g. 不予公开) is the sum of all its
  sub-rows, used only when every sub-row is present.
- **NA, not 0.** A rate whose denominator is 0 is NA (not 0 %, not 100 %); a derived metric with a missing
  required input gets no row at all.
- Every derived row has ``is_derived=True``, ``origin="derived"`` and ``rule="derived:<metric>"``.

>>> [d.id for d in DERIVED][:2]
['requests.rate.disclosed', 'requests.rate.withheld']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

import pandas as pd

DerivedKind = Literal["ratio", "sum", "difference"]
ORG_APPLICANTS = ("commercial_enterprise", "research_institution", "social_welfare_org", "legal_service_org",
                  "other_org")
LEGAL_PERSON = "legal_person_total"


@dataclass(frozen=True, slots=True)
class Derived:
    """A derived metric: ``numerator`` terms (summed) over ``denominator`` terms (summed), x100 for ratios.

    ``optional`` terms are added to the numerator when the report states them (and named in ``note``).
    For ``difference`` the second numerator term is subtracted from the first.
    """

    id: str
    label_zh: str
    kind: DerivedKind
    numerator: tuple[str, ...]
    denominator: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    quiet: tuple[str, ...] = ()  # optional terms whose absence is normal (not noted)
    unit: str = "%"
    eras: tuple[str, ...] = ("E2008", "E2014", "E2019", "E2021")
    definition: str = ""
    caveats: str = ""
    only_if_absent: bool = False  # a sum stated by some reports: derive it only when the report does not

    def formula(self) -> str:
        """The formula as text (for the codebook).

        >>> RATE_NOT_HELD.formula()
        'requests.outcome.unable.not_held / requests.outcome.total x 100'
        """
        num = " + ".join(self.numerator)
        if self.optional:
            num += " [+ " + " + ".join(self.optional) + " when stated]"
        if self.kind == "difference":
            return " - ".join(self.numerator)
        if self.kind == "sum":
            return num
        den = " + ".join(self.denominator)
        num = f"({num})" if len(self.numerator) + len(self.optional) > 1 else num
        den = f"({den})" if len(self.denominator) > 1 else den
        return f"{num} / {den} x 100"


_OUT = "requests.outcome."
#: Totals that the 2019/2021 tables do not print: the sum of every sub-row (all must be present).
PARTS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    _OUT + "withheld.total": tuple(_OUT + "withheld." + k for k in (
        "state_secret", "prohibited_by_law", "security_stability", "third_party_rights", "internal_affairs",
        "process_info", "enforcement_file", "admin_inquiry")),
    _OUT + "unable.total": tuple(_OUT + "unable." + k for k in ("not_held", "needs_creation",
                                                                 "unclear_after_correction")),
    _OUT + "not_processed.total": tuple(_OUT + "not_processed." + k for k in (
        "petition_complaint", "duplicate", "publication", "mass_repetitive", "confirm_or_reissue")),
    _OUT + "other.total": tuple(_OUT + "other." + k for k in ("overdue_correction", "overdue_fee", "other")),
    **{f"litigation.{k}": (f"litigation.direct.{k}", f"litigation.after_review.{k}")
       for k in ("upheld", "corrected", "other", "pending", "total")},
})


def _rate(mid: str, label: str, num: str, definition: str, **kw: Any) -> Derived:
    return Derived(mid, label, "ratio", (num,), (_OUT + "total",), definition=definition, **kw)


RATE_NOT_HELD = _rate("requests.rate.not_held", "本机关不掌握占比", _OUT + "unable.not_held",
                      "Share of answered requests refused because the agency does not hold the information.")
DERIVED: tuple[Derived, ...] = (
    Derived("requests.rate.disclosed", "公开率（含部分公开）", "ratio", (_OUT + "disclosed",), (_OUT + "total",),
            optional=(_OUT + "partially_disclosed", _OUT + "already_public"), quiet=(_OUT + "already_public",),
            definition="Share of answered requests disclosed in full or in part.",
            caveats="Pre-2019 reports: 属于已主动公开 is counted as disclosed when stated (note says so)."),
    _rate("requests.rate.withheld", "不予公开率", _OUT + "withheld.total", "Share of answered requests refused."),
    _rate("requests.rate.unable", "无法提供率", _OUT + "unable.total",
          "Share of answered requests that could not be met.", eras=("E2019", "E2021")),
    _rate("requests.rate.not_processed", "不予处理率", _OUT + "not_processed.total",
          "Share of answered requests not processed.", eras=("E2019", "E2021")),
    _rate("requests.rate.other", "其他处理率", _OUT + "other.total", "Share of answered requests handled otherwise.",
          eras=("E2019", "E2021")),
    RATE_NOT_HELD,
    Derived("review.rate.corrected", "行政复议纠错率", "ratio", ("review.corrected",),
            ("review.upheld", "review.corrected", "review.other"),
            definition="Share of concluded administrative reviews in which the agency was corrected.",
            caveats="Pending (尚未审结) cases are excluded from the denominator."),
    Derived("litigation.rate.corrected", "行政诉讼纠错率", "ratio", ("litigation.corrected",),
            ("litigation.upheld", "litigation.corrected", "litigation.other"),
            definition="Share of concluded lawsuits in which the agency was corrected (direct + after review).",
            caveats="Pending cases are excluded. From 2019: direct suits plus suits after review."),
    Derived("litigation.total", "行政诉讼总数", "sum", ("litigation.direct.total", "litigation.after_review.total"),
            unit="件", eras=("E2019", "E2021"), only_if_absent=True,
            definition="Lawsuits: direct suits plus suits after review (when the report states no total).",
            caveats="Derived only when the report states no litigation.total itself."),
    *(Derived(total, label, "sum", parts, unit="件", eras=("E2019", "E2021"), only_if_absent=True,
              definition=f"The unprinted Table 3 total: the sum of its {len(parts)} sub-rows.",
              caveats="Derived only when the report states no total itself and every sub-row is present.")
      for total, label, parts in (
          (_OUT + "withheld.total", "不予公开（合计）", PARTS[_OUT + "withheld.total"]),
          (_OUT + "unable.total", "无法提供（合计）", PARTS[_OUT + "unable.total"]),
          (_OUT + "not_processed.total", "不予处理（合计）", PARTS[_OUT + "not_processed.total"]))),
    Derived("proactive.normative_docs.net_change", "行政规范性文件净增", "difference",
            ("proactive.normative_docs.issued", "proactive.normative_docs.repealed"), unit="件", eras=("E2021",),
            definition="Normative documents issued minus repealed in the year.", caveats="Can be negative."),
)
#: Documented in the codebook but not computed: they need data from outside the reports.
NOT_COMPUTED = (
    Derived("requests.per_10k_residents", "每万人申请数", "ratio", ("requests.received.total",), ("population",),
            unit="件/万人", definition="Requests received per 10,000 residents.",
            caveats="Needs external population data; ogi does not compute it."),
)
LEGAL_PERSON_DEF = Derived(
    "requests.*[applicant=legal_person_total]", "法人或其他组织（合计）", "sum", ORG_APPLICANTS, unit="件",
    eras=("E2019", "E2021"), definition="For every Table 3 metric: the sum of the five organisation columns, "
    "stored as applicant=legal_person_total on the same metric id.",
    caveats="Only when all five organisation cells are numeric.")

Values = dict[tuple[str, str], tuple[float, int | None]]  # (metric, applicant) -> (value, figure_index)


def _pick(rows: pd.DataFrame) -> Values:
    """One usable figure per (metric, applicant): table over text, then the earlier figure."""
    usable = rows[rows["value"].notna() & ~rows["is_cumulative"].fillna(False).astype(bool)]
    usable = usable.assign(_pref=(usable["origin"] != "table").astype(int),
                           _app=usable["applicant"].fillna("total"))
    usable = usable.sort_values(["_pref", "figure_index"], kind="stable")
    out: Values = {}
    for metric, app, value, idx in zip(usable["metric"], usable["_app"], usable["value"], usable["figure_index"]):
        out.setdefault((metric, app), (float(value), None if pd.isna(idx) else int(idx)))
    return out


def _term(values: Values, metric: str, app: str) -> tuple[float, list[int], str] | None:
    """A stated value, or the sum of all its parts (with a note), or None."""
    if (metric, app) in values:
        v, i = values[(metric, app)]
        return v, [] if i is None else [i], ""
    parts = [_term(values, p, app) for p in PARTS.get(metric, ())]
    if not parts or any(p is None for p in parts):
        return None
    found = [p for p in parts if p is not None]
    return sum(p[0] for p in found), [i for p in found for i in p[1]], f"{metric} = sum of its sub-rows"


def _compute(d: Derived, values: Values, app: str) -> tuple[float | None, list[int], list[str]] | None:
    if d.only_if_absent and (d.id, app) in values:
        return None
    terms = [_term(values, m, app) for m in d.numerator]
    if any(t is None for t in terms):
        return None
    num = [t for t in terms if t is not None]
    notes = [t[2] for t in num if t[2]]
    inputs = [i for t in num for i in t[1]]
    if d.kind == "difference":
        return num[0][0] - num[1][0], inputs, notes
    total = sum(t[0] for t in num)
    for m in d.optional:
        opt = _term(values, m, app)
        if opt is None and m not in d.quiet:
            notes.append(f"{m.rsplit('.', 1)[-1]} not stated")
        elif opt is not None:
            total += opt[0]
            inputs += opt[1]
            notes.append(f"includes {m.rsplit('.', 1)[-1]}")
    if d.kind == "sum":
        return total, inputs, notes
    dens = [_term(values, m, app) for m in d.denominator]
    if any(t is None for t in dens):
        return None
    den_terms = [t for t in dens if t is not None]
    den = sum(t[0] for t in den_terms)
    inputs += [i for t in den_terms for i in t[1]]
    notes += [t[2] for t in den_terms if t[2]]
    if den == 0:
        return None, inputs, notes + ["denominator is 0"]
    return round(100 * total / den, 6), inputs, notes


def _legal_person(values: Values) -> Iterable[tuple[str, float, list[int]]]:
    metrics = {m for (m, a) in values if a in ORG_APPLICANTS and m.startswith("requests.")}
    for metric in sorted(metrics):
        cells = [values.get((metric, a)) for a in ORG_APPLICANTS]
        if all(c is not None for c in cells) and (metric, LEGAL_PERSON) not in values:
            found = [c for c in cells if c is not None]
            yield metric, sum(c[0] for c in found), [c[1] for c in found if c[1] is not None]


_CONTEXT = ("doc_id", "source", "url", "sha256", "synthetic", "title", "region", "province", "prefecture",
            "county", "adcode", "department", "admin_level", "scope", "data_year", "era", "issuer", "publish_date",
            "extractor_version")


def _row(context: Mapping[str, Any], d: Derived, metric: str, app: str, value: float | None,
         inputs: Sequence[int], notes: Sequence[str], apps_seen: set[str]) -> dict[str, Any]:
    applicant = None if app == "total" and "total" not in apps_seen else app
    notes = list(dict.fromkeys(notes))
    return {**context, "metric": metric, "value": value, "unit": d.unit,
            "kind": "rate" if d.kind == "ratio" else "count", "applicant": applicant, "origin": "derived",
            "rule": f"derived:{d.id}", "is_derived": True, "is_cumulative": False,
            "value_semantic": "numeric" if value is not None else "na", "section": None,
            "inputs": " ".join(str(i) for i in sorted(set(inputs))), "note": "; ".join(notes)}


def derive(figures: pd.DataFrame, metrics: Sequence[Derived] = DERIVED) -> pd.DataFrame:
    """Derived rows for every document of a figures table (columns of the figures table + ``inputs``, ``note``).

    >>> fig = pd.DataFrame({"doc_id": ["d", "d"], "scope": ["unknown"] * 2, "figure_index": [0, 1],
    ...     "metric": ["requests.outcome.disclosed", "requests.outcome.total"], "value": [3.0, 0.0],
    ...     "applicant": [None, None], "origin": ["text", "text"], "is_cumulative": [False, False]})
    >>> derive(fig)[["metric", "value", "note"]].iloc[0].tolist()
    ['requests.rate.disclosed', None, 'partially_disclosed not stated; denominator is 0']
    """
    rows: list[dict[str, Any]] = []
    if figures.empty:
        return pd.DataFrame(rows)
    context_cols = [c for c in _CONTEXT if c in figures.columns]
    for _, group in figures.groupby(["doc_id", "scope"], sort=False, dropna=False):
        values = _pick(group)
        if not values:
            continue
        first = group.iloc[0]
        context = {c: (None if pd.isna(first[c]) else first[c]) for c in context_cols}
        apps = {a for (_, a) in values}
        seen = set(group["applicant"].dropna())
        for d in metrics:
            for app in sorted(apps):
                result = _compute(d, values, app)
                if result is not None:
                    rows.append(_row(context, d, d.id, app, *result, seen))
        for metric, total, inputs in _legal_person(values):
            rows.append(_row(context, LEGAL_PERSON_DEF, metric, LEGAL_PERSON, total, inputs, [], seen))
    return pd.DataFrame(rows)


def with_derived(figures: pd.DataFrame) -> pd.DataFrame:
    """The figures table plus its derived rows; ``is_derived`` marks which is which.

    Idempotent: a table that already holds derived rows is returned as it is.
    """
    if "is_derived" in figures.columns and figures["is_derived"].fillna(False).astype(bool).any():
        return figures
    base = figures.assign(is_derived=False)
    extra = derive(base)
    if extra.empty:
        return base
    return pd.concat([base, extra.reindex(columns=list(dict.fromkeys([*base.columns, *extra.columns])))],
                     ignore_index=True)
