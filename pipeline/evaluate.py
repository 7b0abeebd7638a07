"""Accuracy harness: score extraction (``parse_page``) against hand-checked gold; gate on pinned floors.

Two gold formats are read:

* the devset (``gold.jsonl`` + ``passages/NNN.txt``): header lines, ``---``, then the text; only passages
  with an ``{"passage": …, "annotated": true}`` line count. Gold has no offsets: a gold figure's spans are
  all occurrences of its ``quote``. Its ``section`` is *topical* (proactive / on_request / overview /
  review_litigation / fees / other), so metric agreement there is measured as the agreement of the
  predicted metric's family with that topic (``parsers.taxonomy.FAMILY_TOPIC``), labelled ``topic_agreement``.
* the seed (``seed-gold.jsonl`` + one report file): gold carries metric ids, so agreement is exact.

Matching: a predicted figure matches a gold figure when the values are equal (gold values in 万元/亿元
are scaled to 元) and the spans overlap; each figure matches at most once (greedy in text order).
Precision = matched predictions / predictions, recall = matched gold / gold.

CLI: ``ogi eval GOLD PASSAGES [--baseline FILE] [--update-baseline]`` (PASSAGES: a folder of passages for the
devset, or the report file for the seed gold).
"""

from __future__ import annotations

import argparse
import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from parsers.page import parse_page
from parsers.records import Figure
from parsers.settings import ParseSettings, Resources, load_resources
from parsers.taxonomy import FAMILY_TOPIC, family

_SCALE = {"万元": Decimal(10_000), "亿元": Decimal(100_000_000)}


@dataclass(frozen=True, slots=True)
class GoldFigure:
    doc: str
    value: Decimal
    spans: tuple[tuple[int, int], ...]
    kind: str
    section: str  # topical (devset) or canonical (seed)
    metric: str | None = None
    layout: str = "prose"  # "table" when the quote is a flattened table row
    required: bool = True


@dataclass
class GoldDoc:
    doc: str
    text: str
    figures: list[GoldFigure] = field(default_factory=list)


@dataclass
class Tally:
    tp: int = 0  # matched gold figures in this group
    tp_pred: int = 0  # matched predictions in this group (groups of predictions use their own kind/section)
    n_pred: int = 0
    n_gold: int = 0
    agree: int = 0

    def scores(self) -> dict[str, float]:
        p = self.tp_pred / self.n_pred if self.n_pred else 1.0
        r = self.tp / self.n_gold if self.n_gold else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                "metric_agreement": round(self.agree / self.tp, 4) if self.tp else 1.0,
                "tp": self.tp, "n_pred": self.n_pred, "n_gold": self.n_gold}


def _spans(text: str, quote: str) -> tuple[tuple[int, int], ...]:
    out, i = [], text.find(quote)
    while i >= 0 and quote:
        out.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    return tuple(out)


def _gold_value(value: Any, unit: str) -> Decimal:
    return Decimal(str(value)) * _SCALE.get(unit, Decimal(1))


def _layout(quote: str) -> str:
    return "table" if "|" in quote or quote.count("\n") >= 2 else "prose"


def load_devset(gold_path: Path, passages: Path) -> list[GoldDoc]:
    """Annotated devset passages with their gold figures (text after the ``---`` line)."""
    rows = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    annotated = [r["passage"] for r in rows if r.get("annotated")]
    docs: dict[str, GoldDoc] = {}
    for pid in annotated:
        raw = (passages / f"{pid}.txt").read_text(encoding="utf-8")
        _, sep, body = raw.partition("---\n")
        docs[pid] = GoldDoc(pid, body if sep else raw)
    for r in rows:
        if r.get("annotated") or r["passage"] not in docs:
            continue
        d = docs[r["passage"]]
        d.figures.append(GoldFigure(d.doc, _gold_value(r["value"], r.get("unit", "")), _spans(d.text, r["quote"]),
                                    r.get("kind", ""), r.get("section", ""), None, _layout(r["quote"])))
    return list(docs.values())


def load_seed(gold_path: Path, report: Path) -> list[GoldDoc]:
    """The seed report with its gold (metric ids, ``required`` flags)."""
    text = report.read_text(encoding="utf-8")
    doc = GoldDoc(report.name, text)
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            spans = _spans(text, r["quote"])
            req = bool(r.get("required", True))
            doc.figures.append(GoldFigure(doc.doc, _gold_value(r["value"], r.get("unit", "")), spans,
                                          r.get("kind", ""), r.get("section", ""), r.get("metric"),
                                          _layout(r["quote"]), req))
            if r.get("share_pct") is not None:  # the seed records a share on its count: score it as a figure
                doc.figures.append(GoldFigure(doc.doc, Decimal(str(r["share_pct"])),
                                              tuple((s, e + _SHARE_REACH) for s, e in spans), "percent",
                                              r.get("section", ""), r["metric"] + ".share_pct", "prose", req))
    return [doc]


_SHARE_REACH = 12  # characters after a count where its "，占总数的4.5%" may start


def extract(doc: GoldDoc, resources: Resources, settings: ParseSettings = ParseSettings()) -> tuple[Figure, ...]:
    """Figures of ``doc.text`` as the whole parser yields them (offsets into ``doc.text``)."""
    parsed = parse_page(doc.text.encode("utf-8"), source=f"{doc.doc}.txt", resources=resources,
                        settings=settings, media_type="text")
    if parsed.text != doc.text:  # decoding normalised something (e.g. a BOM): shift offsets if possible
        shift = doc.text.find(parsed.text[:200]) if parsed.text else -1
        if shift < 0:
            return ()
        return tuple(Figure(**{**{k: getattr(f, k) for k in f.__slots__}, "start": f.start + shift,
                               "end": f.end + shift}) for f in parsed.figures)
    return parsed.figures


def _pred_keys(p: Figure, topical: bool) -> tuple[str, ...]:
    layout = "table" if p.source == "table" else "prose"
    section = FAMILY_TOPIC.get(family(p.metric), "other") if topical else p.section
    return ("all", f"layout:{layout}", f"kind:{p.kind}", f"section:{section}")


def _agrees(pred: Figure, gold: GoldFigure) -> bool:
    if gold.metric is not None:
        return pred.metric == gold.metric
    return FAMILY_TOPIC.get(family(pred.metric), "other") == gold.section


def score(docs: list[GoldDoc], resources: Resources, *, only_required: bool = False) -> dict[str, Any]:
    """Precision/recall/F1 by value+span overall, by layout, by gold section and kind; metric agreement."""
    tallies: dict[str, Tally] = defaultdict(Tally)
    misses: list[str] = []
    for doc in docs:
        preds = list(extract(doc, resources))
        golds = [g for g in doc.figures if g.required or not only_required]
        used: set[int] = set()
        matched_gold: dict[int, Figure] = {}
        for gi, g in enumerate(golds):
            cands = [pi for pi, p in enumerate(preds)
                     if pi not in used and p.value is not None and p.value == g.value
                     and any(s < p.end and p.start < e for s, e in g.spans)]
            if cands:  # prefer a candidate whose metric agrees (one sentence can zero several quantities)
                pi = next((c for c in cands if _agrees(preds[c], g)), cands[0])
                used.add(pi)
                matched_gold[gi] = preds[pi]
        for gi, g in enumerate(golds):
            keys = ("all", f"layout:{g.layout}", f"section:{g.section}", f"kind:{g.kind}")
            p = matched_gold.get(gi)
            for k in keys:
                tallies[k].n_gold += 1
                if p is not None:
                    tallies[k].tp += 1
                    tallies[k].agree += _agrees(p, g)
            if p is not None:
                for k in _pred_keys(p, g.metric is None):
                    tallies[k].tp_pred += 1
            if p is None:
                misses.append(f"{doc.doc}: missed {g.value} {doc.text[g.spans[0][0]:g.spans[0][1]] if g.spans else '?'!r}")
        topical = any(g.metric is None for g in golds)
        for pi, p in enumerate(preds):
            for k in _pred_keys(p, topical):
                tallies[k].n_pred += 1
            if pi not in used:
                misses.append(f"{doc.doc}: extra {p.metric} {p.value} {p.quote!r}")
    out: dict[str, Any] = {k: t.scores() for k, t in sorted(tallies.items())}
    out["errors"] = misses
    return out


def check_floors(scores: dict[str, dict[str, Any]], floors: dict[str, dict[str, float]]) -> list[str]:
    """Every score that fell below its pinned floor (``{set: {"all.precision": 0.9, …}}``)."""
    bad = []
    for name, pinned in floors.items():
        for key, floor in pinned.items():
            part, metric = key.rsplit(".", 1)
            got = scores.get(name, {}).get(part, {}).get(metric)
            if got is None or got + 1e-9 < floor:
                bad.append(f"{name} {key}: {got} < floor {floor}")
    return bad


FLOOR_KEYS = ("all.precision", "all.recall", "all.f1", "all.metric_agreement",
              "layout:prose.precision", "layout:prose.recall")


def floors_from(scores: dict[str, dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Floors for a baseline file: current scores rounded down to 3 decimals."""
    out: dict[str, dict[str, float]] = {}
    for name, sc in scores.items():
        out[name] = {}
        for key in FLOOR_KEYS:
            part, metric = key.rsplit(".", 1)
            if part in sc and metric in sc[part]:
                out[name][key] = math.floor(float(sc[part][metric]) * 1000) / 1000
    return out


def evaluate_paths(gold: Path, passages: Path, resources: Resources) -> dict[str, Any]:
    """Score one gold set: the devset when ``passages`` is a folder, else the seed report file."""
    docs = load_devset(gold, passages) if passages.is_dir() else load_seed(gold, passages)
    return score(docs, resources)


def _handler(args: argparse.Namespace) -> int:
    gold, passages = Path(args.gold), Path(args.passages)
    name = "devset" if passages.is_dir() else "seed"
    result = evaluate_paths(gold, passages, load_resources())
    errors = result.pop("errors")
    for line in errors[: args.show_errors]:
        print(line)
    print(json.dumps({k: v for k, v in result.items()}, ensure_ascii=False, indent=1))
    if not args.baseline:
        return 0
    path = Path(args.baseline)
    pinned = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if args.update_baseline:
        pinned.update(floors_from({name: result}))
        path.write_text(json.dumps(pinned, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"baseline updated: {path}")
        return 0
    bad = check_floors({name: result}, {name: pinned.get(name, {})})
    for line in bad:
        print("BELOW FLOOR:", line)
    return 1 if bad else 0


def register(subparsers: Any) -> None:
    """Add the ``eval`` subcommand to the main CLI."""
    p = subparsers.add_parser("eval", help="score extraction against gold figures (accuracy gate)")
    p.add_argument("gold", help="gold.jsonl (devset) or seed-gold.jsonl")
    p.add_argument("passages", help="folder of devset passages, or the seed report file")
    p.add_argument("--baseline", help="JSON file of pinned floors (tests/accuracy_baseline.json)")
    p.add_argument("--update-baseline", action="store_true", help="write the current scores as new floors")
    p.add_argument("--show-errors", type=int, default=0, help="print this many misses and extras")
    p.set_defaults(func=_handler)
