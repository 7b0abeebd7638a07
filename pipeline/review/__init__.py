"""``ogi review``: a static, offline review site for auditors (opens from file://, no server, no network).

    ogi review [--dataset outputs/] [--out outputs/review/]

``index.html`` lists the documents (figure and finding counts, filters); ``doc/<id>.html`` shows the
source text with every figure highlighted (hover or click: metric, value, rule, checks), findings linked
to their spans, and tables rendered with the extracted cells marked. See :mod:`pipeline.review.render`
for how untrusted text is escaped.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.audit_data import missing, read_table, to_decimal
from pipeline.review.assets import REVIEW_CSS, REVIEW_JS
from pipeline.review.render import (TextRenderer, e, head, json_for_script, page_name, render_text, safe_link,
                                    table_cuts)

__all__ = ["build_site", "register"]


def _num(v: Any) -> int | float | None:
    d = to_decimal(v)
    return None if d is None else (int(d) if d == d.to_integral_value() else float(d))


def _str(v: Any) -> str | None:
    return None if missing(v) else str(v)


def _fig_indices(v: Any) -> list[int]:
    return [] if missing(v) or not str(v).strip() else [int(float(x)) for x in str(v).split()]


def document_page(doc: dict[str, Any], figures: list[dict[str, Any]], findings: list[dict[str, Any]]) -> str:
    """The HTML of one document's review page."""
    text = _str(doc.get("text")) or ""
    title = _str(doc.get("title")) or _str(doc.get("source")) or str(doc["doc_id"])
    figs = [(int(f["start"]), int(f["end"])) for f in figures]
    by_index = {int(f["figure_index"]): k for k, f in enumerate(figures)}
    find_data: list[dict[str, Any]] = []
    span_only: list[tuple[int, int]] = []
    for f in findings:
        idx = [by_index[i] for i in _fig_indices(f.get("figures")) if i in by_index]
        start, end = _num(f.get("start")), _num(f.get("end"))
        span = None
        if not idx and start is not None and end is not None and end > start:
            span = len(span_only)  # findings without figures are marked on their own span
            span_only.append((int(start), int(end)))
        find_data.append({"code": _str(f.get("code")), "severity": _str(f.get("severity")) or "info",
                          "message": _str(f.get("message")), "figures": idx, "rule": _str(f.get("rule")),
                          "expected": _num(f.get("expected")), "stated": _num(f.get("stated")),
                          "start": start, "end": end, "span": span})
    flagged = {i for x in find_data if x["severity"] in ("error", "warning") for i in x["figures"]}
    sections = json.loads(_str(doc.get("sections_json")) or "[]")
    headings = [(int(s["start"]), int(s.get("heading_end") or s["start"]), str(s["section_id"])) for s in sections]
    labels = [f"{f['metric']} = {_num(f.get('value'))} {_str(f.get('unit')) or ''}".strip() for f in figures]
    renderer = TextRenderer(text, figs, flagged, span_only, headings, labels, table_cuts(text))
    body = render_text(renderer, figs, json.loads(_str(doc.get("tables_json")) or "[]"))
    fig_data = [{"metric": _str(f.get("metric")), "value": _num(f.get("value")), "unit": _str(f.get("unit")),
                 "kind": _str(f.get("kind")), "share_pct": _num(f.get("share_pct")), "section": _str(f.get("section")),
                 "rule": _str(f.get("rule")), "origin": _str(f.get("origin")), "quote": _str(f.get("quote")),
                 "cell": None if missing(f.get("table")) else
                 f"{f.get('table')} {_str(f.get('row')) or ''} / {_str(f.get('col')) or ''}",
                 "start": int(f["start"]), "end": int(f["end"])} for f in figures]
    find_items = []
    for x in find_data:
        if x["figures"]:
            target = " ".join(f'<a href="#fig-{i}" data-fig="{i}">#{i}</a>' for i in x["figures"])
        else:
            target = "" if x["span"] is None else f'<a href="#finding-{x["span"]}">span</a>'
        find_items.append(f'<li><span class="sev-{e(x["severity"])}">{e(x["code"])}</span> {e(x["message"])} '
                          f'{target}</li>')
    fig_rows = "".join(f'<li><a href="#fig-{k}" data-fig="{k}">#{k}</a> <code>{e(f["metric"])}</code> = '
                       f'{e(f["value"])} {e(f["unit"])}</li>' for k, f in enumerate(fig_data))
    meta = " · ".join(e(v) for v in (_str(doc.get("region")), _str(doc.get("data_year")), _str(doc.get("status")),
                                     _str(doc.get("source"))) if v)
    url = _str(doc.get("url"))
    return (head(title, "../") +
            f'<header><a href="../index.html">← all documents</a><h1>{e(title)}</h1>'
            f'<div class="muted">{meta}{" · " + safe_link(url, url) if url else ""}</div></header>\n'
            f'<main><article id="source">{body}</article>\n<aside id="side">'
            '<div class="card" id="figure-panel"><h2>Figure</h2><p class="muted">Hover over or click a highlighted '
            'figure to see its metric, value, rule and checks.</p></div>'
            f'<div class="card"><h2>Findings ({len(find_data)})</h2><ul class="findings">{"".join(find_items)}</ul></div>'
            f'<div class="card"><h2>Figures ({len(fig_data)})</h2><ul class="findings">{fig_rows}</ul></div>'
            '</aside></main>\n'
            f'<script type="application/json" id="ogi-data">{json_for_script({"figures": fig_data, "findings": find_data})}'
            '</script>\n<script src="../review.js"></script>\n</body></html>\n')


def index_page(rows: list[dict[str, Any]]) -> str:
    """The document list with counts and client-side filters (text, status, with findings)."""
    statuses = sorted({str(r["status"]) for r in rows})
    body = []
    for r in rows:
        search = " ".join(str(r[k]) for k in ("title", "region", "source", "codes", "data_year") if r.get(k))
        body.append(
            f'<tr data-status="{e(r["status"])}" data-findings="{int(r["n_findings"])}" data-search="{e(search)}">'
            f'<td><a href="doc/{e(page_name(r["doc_id"]))}">{e(r["title"])}</a><div class="muted">{e(r["source"])}</div></td>'
            f'<td>{e(r["region"])}</td><td>{e(r["data_year"])}</td><td>{e(r["status"])}</td>'
            f'<td class="num">{int(r["n_figures"])}</td><td class="num">{int(r["n_findings"])}</td>'
            f'<td class="num">{int(r["n_errors"])}</td><td>{e(r["codes"])}</td></tr>')
    options = "".join(f'<option value="{e(s)}">{e(s)}</option>' for s in statuses)
    return (head("ogi review: documents", "") +
            f'<header><h1>ogi review: {len(rows)} documents</h1><div class="muted">figures highlighted in their '
            'source text; findings from the parser and the consistency checks</div></header>\n<main><div style="flex:1">'
            '<div class="filters"><input type="search" id="filter-text" placeholder="filter: title, region, code…">'
            f'<select id="filter-status"><option value="">any status</option>{options}</select>'
            '<label><input type="checkbox" id="filter-findings"> with findings only</label>'
            f'<span class="muted"><span id="shown">{len(rows)}</span> shown</span></div>'
            '<table class="index"><thead><tr><th>document</th><th>region</th><th>year</th><th>status</th>'
            '<th>figures</th><th>findings</th><th>errors</th><th>finding codes</th></tr></thead><tbody>'
            + "".join(body) + '</tbody></table></div></main>\n<script src="review.js"></script>\n</body></html>\n')


def build_site(dataset: Path, out: Path) -> Path:
    """Write the review site for a dataset folder; returns the index path."""
    documents = read_table(dataset, "documents")
    figures = read_table(dataset, "figures")
    try:
        findings = read_table(dataset, "findings")
    except FileNotFoundError:
        findings = pd.DataFrame(columns=["doc_id"])
    (out / "doc").mkdir(parents=True, exist_ok=True)
    (out / "review.css").write_text(REVIEW_CSS, encoding="utf-8")
    (out / "review.js").write_text(REVIEW_JS, encoding="utf-8")
    figs_by = {str(k): g.sort_values("figure_index").to_dict("records") for k, g in figures.groupby("doc_id")}
    finds_by = {str(k): g.to_dict("records") for k, g in findings.groupby("doc_id")} if len(findings) else {}
    rows = []
    for doc in documents.to_dict("records"):
        doc_id = str(doc["doc_id"])
        figs, finds = figs_by.get(doc_id, []), finds_by.get(doc_id, [])
        (out / "doc" / page_name(doc_id)).write_text(document_page(doc, figs, finds), encoding="utf-8")
        sev = Counter(_str(f.get("severity")) for f in finds)
        rows.append({"doc_id": doc_id, "title": _str(doc.get("title")) or _str(doc.get("source")) or doc_id,
                     "source": _str(doc.get("source")) or "", "region": _str(doc.get("region")) or "",
                     "data_year": _str(doc.get("data_year")) or "", "status": _str(doc.get("status")) or "",
                     "n_figures": len(figs), "n_findings": len(finds), "n_errors": sev.get("error", 0),
                     "codes": " ".join(sorted({str(f.get("code")) for f in finds}))})
    index = out / "index.html"
    index.write_text(index_page(rows), encoding="utf-8")
    return index


def _cmd_review(args: argparse.Namespace) -> int:
    dataset = Path(args.dataset)
    out = Path(args.out) if args.out else dataset / "review"
    try:
        index = build_site(dataset, out)
    except FileNotFoundError as exc:
        print(f"ogi review: {exc}", file=sys.stderr)
        return 2
    print(f"ogi review: open {index.resolve().as_uri()}")
    return 0


def register(subparsers: Any) -> None:
    """Add ``ogi review`` to the main CLI."""
    p = subparsers.add_parser("review", help="write a static offline review site (HTML) for a dataset")
    p.add_argument("--dataset", type=Path, default=Path("outputs"), help="dataset folder (default: outputs/)")
    p.add_argument("--out", type=Path, default=None, help="site folder (default: DATASET/review/)")
    p.set_defaults(func=_cmd_review)
