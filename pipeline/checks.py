"""Consistency checks on a document's figures (part of ``ogi run``; also ``ogi check``).

Findings per document: a stated share against count / total (tolerance: one unit of the printed
precision), parts against their total for every family (categories, channels, levels, outcomes),
shares adding up to 100 %, the request balance of prose figures, reported rates against their counts,
this year's figure against the cumulative one, the same figure stated twice with different values,
percentages outside [0, 100], negative counts; plus repair hints (:mod:`pipeline.repair`).

The Table 3 / Table 4 identities *inside* a table are checked by the table reader while parsing; a sum
relation whose figures all come from tables is therefore skipped here (codes in docs/findings.md).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from parsers.records import Document, Figure, Finding, Severity
from pipeline.checks_build import build_relations
from pipeline.checks_relations import HUNDRED, ZERO, CheckSettings, Outcome, Relation, judge
from pipeline.repair import propose_repairs

#: finding code and severity for a failing relation of each kind
_FAIL: dict[str, tuple[str, Severity, str]] = {
    "share": ("share_mismatch", "error", "stated share {stated}% of {metric} but count / total = {expected}%"),
    "parts_sum": ("parts_sum_mismatch", "error", "parts of {family} add up to {expected}, the total {metric} "
                                                 "states {stated}"),
    "shares_sum": ("shares_sum_mismatch", "warning", "stated shares of {family} add up to {stated}%, not 100%"),
    "balance": ("balance_mismatch", "error", "received + carried over = {stated} but processed + carried "
                                             "forward = {expected}"),
    "rate": ("rate_mismatch", "warning", "reported rate {metric} = {stated}% but the counts give {expected}%"),
    "cumulative": ("cumulative_below_annual", "error", "this year's {metric} ({stated}) exceeds the cumulative "
                                                       "figure ({expected})"),
    "duplicate": ("conflicting_values", "warning", "{metric} is stated twice with different values: {stated} "
                                                   "and {expected}"),
}
_RULE_TEXT = {
    "share": "count / total x 100 = stated share, within one unit of the printed precision",
    "parts_sum": "sum of the parts = the total (a gap within {tol} is tolerated as rounding)",
    "shares_sum": "shares of an exhaustive family add up to 100 within their rounding",
    "balance": "received + carried_over_in = outcome.total + carried_forward (domain-spec B.2)",
    "rate": "rate = numerator / denominator x 100, within one unit of the printed precision",
    "cumulative": "a cumulative figure is at least this year's figure",
    "duplicate": "a figure stated twice has one value",
}
_SIGNED = ("_change", "yoy_pct", "net_change")


def _fmt(d: Decimal | None) -> str:
    if d is None:
        return "?"
    return f"{d.normalize():f}" if d == d.to_integral_value() else f"{d:f}"


class _ValueTexts(dict[int, str]):
    """The printed value of each figure by index, formatted on first use (a figure is often part of
    several failing relations)."""

    def __init__(self, figures: Sequence[Figure]) -> None:
        super().__init__()
        self.figures = figures

    def __missing__(self, i: int) -> str:
        text = self[i] = _fmt(self.figures[i].value)
        return text


def _finding_for(rel: Relation, out: Outcome, figures: Sequence[Figure], texts: _ValueTexts) -> Finding:
    code, severity, template = _FAIL[rel.kind]
    if rel.kind == "parts_sum" and out.status == "gap":
        code, severity = "parts_sum_gap", "info"
        template = "parts of {family} add up to {expected}, {stated} stated: a small gap (tolerated)"
    if rel.kind == "parts_sum" and not rel.exhaustive:
        code, template = "parts_exceed_total", "parts of {family} add up to {expected}, more than the total {stated}"
    subject = figures[rel.left[0]]
    message = template.format(metric=subject.metric, family=rel.family, expected=_fmt(out.expected),
                              stated=_fmt(out.stated))
    figs = rel.figures
    tolerance = _fmt(out.tolerance)
    details = (("rule", _RULE_TEXT[rel.kind].format(tol=tolerance)),
               ("metrics", " ".join(figures[i].metric for i in figs)),
               ("values", " ".join(texts[i] for i in figs)),
               ("tolerance", tolerance))
    return Finding(code, severity, message, start=subject.start, end=subject.end, section=subject.section,
                   rule=f"check.{rel.kind}", figures=figs, expected=out.expected, stated=out.stated,
                   details=details)


def _range_findings(figures: Sequence[Figure]) -> list[Finding]:
    out = []
    for i, f in enumerate(figures):
        v = f.value
        if v is None:
            continue
        pct = f.unit == "%" or f.kind in ("percent", "rate")
        bad_value = not ZERO <= v <= HUNDRED if pct else v < ZERO
        share = f.share_pct
        bad_share = share is not None and not ZERO <= share <= HUNDRED
        # changes may be negative: their metric is read only for the few figures out of range
        if not (bad_value or bad_share) or f.metric.endswith(_SIGNED):
            continue
        if bad_value:
            out.append(Finding("percent_out_of_range", "error", f"{f.metric} = {_fmt(v)}% is outside [0, 100]",
                               f.start, f.end, f.section, "check.range", (i,), stated=v) if pct else
                       Finding("negative_count", "error", f"{f.metric} = {_fmt(v)} is negative",
                               f.start, f.end, f.section, "check.range", (i,), stated=v))
        if bad_share and share is not None:
            out.append(Finding("percent_out_of_range", "error",
                               f"share of {f.metric} = {_fmt(share)}% is outside [0, 100]",
                               f.start, f.end, f.section, "check.range", (i,), stated=share))
    return out


def _table_only(rel: Relation, figures: Sequence[Figure]) -> bool:
    """Sum identities among table cells only: the table reader has checked them while parsing."""
    return rel.kind in ("parts_sum", "balance") and all(figures[i].source == "table" for i in rel.left + rel.right)


def check_figures(figures: Sequence[Figure], settings: CheckSettings = CheckSettings()) -> tuple[Finding, ...]:
    """Findings for one document's figures (indices refer to the sequence).

    >>> f = lambda m, v, s=None: Figure(m, Decimal(v), "件", "count", "requests", "", 0, 1, "r", share_pct=s)
    >>> [x.code for x in check_figures([f("requests.received.total", 82),
    ...     f("requests.received.by_channel.in_person", 3), f("requests.received.by_channel.other", 25)])]
    ['parts_sum_mismatch', 'repair_hint']
    """
    relations = [r for r in build_relations(figures) if not _table_only(r, figures)]
    values = {i: f.value for i, f in enumerate(figures) if f.value is not None}
    findings = _range_findings(figures)
    failing = []
    texts = _ValueTexts(figures)
    for rel in relations:
        verdict = judge(rel, values, settings)
        if verdict[0] in ("fail", "gap"):
            findings.append(_finding_for(rel, Outcome(*verdict), figures, texts))
            if verdict[0] == "fail":
                failing.append(rel)
    for hint in propose_repairs(relations, values, settings, failing):
        f = figures[hint.figure]
        evidence = "; ".join(f"{r.kind} {r.family}" for r in hint.fixes)
        trial = {**values, hint.figure: hint.suggested}
        findings.append(Finding(
            "repair_hint", "info",
            f"{f.metric}: {_fmt(hint.stated)} -> {_fmt(hint.suggested)} ({hint.edit}) makes its "
            f"{len(hint.checked)} check(s) consistent", f.start, f.end, f.section, "repair.one_edit",
            tuple(sorted({hint.figure, *(i for r in hint.fixes for i in r.figures)})),
            expected=hint.suggested, stated=hint.stated,
            details=(("edit", hint.edit), ("fixes", evidence), ("suggested", _fmt(hint.suggested)),
                     ("figure", str(hint.figure)),
                     ("checks_after", "; ".join(f"{r.kind} {r.family}: {judge(r, trial, settings)[0]}" for r in hint.checked)))))
    return tuple(findings)


def check_document(doc: Document) -> tuple[Finding, ...]:
    """The consistency findings of a parsed document (called by ``ogi run`` after parsing)."""
    return check_figures(doc.figures)


# --- ogi check ---------------------------------------------------------------------------------------

def _cmd_check(args: argparse.Namespace) -> int:
    from pipeline.audit_data import figures_by_document, read_table

    dataset = Path(args.dataset)
    try:
        frame = read_table(dataset, "figures")
    except FileNotFoundError as exc:
        print(f"ogi check: {exc}", file=sys.stderr)
        return 2
    rows: list[dict[str, Any]] = []
    counts: Counter[str] = Counter()
    for doc_id, figures in figures_by_document(frame).items():
        for f in check_figures(figures):
            counts[f.code] += 1
            rows.append({"doc_id": doc_id, "code": f.code, "severity": f.severity, "message": f.message,
                         "section": f.section, "start": f.start, "end": f.end, "rule": f.rule,
                         "figures": " ".join(map(str, f.figures)), "expected": _fmt(f.expected) if
                         f.expected is not None else "", "stated": _fmt(f.stated) if f.stated is not None else ""})
    import pandas as pd

    out = Path(args.out) if args.out else dataset / "checks.csv"
    pd.DataFrame(rows, columns=["doc_id", "code", "severity", "message", "section", "start", "end", "rule",
                                "figures", "expected", "stated"]).to_csv(out, index=False, encoding="utf-8-sig")
    for code, n in sorted(counts.items()):
        print(f"{code}\t{n}")
    print(f"ogi check: {sum(counts.values())} findings in {frame['doc_id'].nunique()} documents -> {out}")
    errors = sum(1 for r in rows if r["severity"] == "error")
    return 1 if args.strict and errors else 0


def register(subparsers: Any) -> None:
    """Add ``ogi check`` to the main CLI."""
    p = subparsers.add_parser("check", help="re-run the consistency checks on a dataset")
    p.add_argument("--dataset", type=Path, default=Path("outputs"), help="dataset folder (default: outputs/)")
    p.add_argument("--out", type=Path, default=None, help="findings CSV (default: DATASET/checks.csv)")
    p.add_argument("--strict", action="store_true", help="exit 1 when an error-level finding is found")
    p.set_defaults(func=_cmd_check)
