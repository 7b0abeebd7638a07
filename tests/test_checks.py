"""Consistency checks and repair hints (pipeline.checks, pipeline.repair)."""

from __future__ import annotations

import dataclasses
import json
import random
from decimal import Decimal
from pathlib import Path

import pytest

from parsers.records import Figure
from pipeline.checks import check_figures
from pipeline.checks_build import build_relations
from pipeline.checks_relations import Relation, judge
from pipeline.repair import digit_edits, propose_repairs

SEED = Path(__file__).resolve().parent / "fixtures" / "seed"  # in-repo copy of ../shared/seed


def fig(metric: str, value: str | int | None, share: str | None = None, *, source: str = "text",
        cumulative: bool = False, kind: str = "count", unit: str = "件", approx: bool = False, pos: int = 0) -> Figure:
    return Figure(metric, None if value is None else Decimal(str(value)), unit, kind, "requests",  # type: ignore[arg-type]
                  str(value), pos, pos + 1, "test", share_pct=None if share is None else Decimal(share),
                  source=source, is_cumulative=cumulative, approx=approx)  # type: ignore[arg-type]


R, CH = "requests.received.total", "requests.received.by_channel"
CASES = [
    ("exhaustive parts agree", [fig(R, 28), fig(f"{CH}.online", 24), fig(f"{CH}.other", 4)], []),
    ("transposed total", [fig(R, 82), fig(f"{CH}.online", 24), fig(f"{CH}.other", 4)],
     ["parts_sum_mismatch", "repair_hint"]),
    ("two competing edits: no hint", [fig(R, 30), fig(f"{CH}.online", 25), fig(f"{CH}.other", 3)],
     ["parts_sum_mismatch"]),
    ("listed parts may be fewer than the total", [fig(R, 30), fig(f"{CH}.online", 20), fig(f"{CH}.email", 3)], []),
    ("listed parts exceed the total", [fig(R, 30), fig(f"{CH}.online", 20), fig(f"{CH}.email", 13)],
     ["parts_exceed_total"]),
    ("shares within printed precision (rounded, truncated, integer)",
     [fig(R, 28), fig(f"{CH}.in_person", 3, "10.7"), fig(f"{CH}.online", 24, "85"), fig(f"{CH}.other", 1, "3.5")], []),
    ("share off", [fig(R, 28), fig(f"{CH}.in_person", 3, "30")], ["share_mismatch"]),
    ("shares of an exhaustive family off 100", [fig(R, 28), fig(f"{CH}.online", 24, "85.7"),
                                                fig(f"{CH}.other", 4, "4.3")], ["share_mismatch", "shares_sum_mismatch"]),
    ("channels of proactive disclosure overlap: no parts check",
     [fig("proactive.total", 900, unit="条"), fig("proactive.by_channel.website", 900, unit="条"),
      fig("proactive.by_channel.wechat", 3455, unit="条"), fig("proactive.by_channel.other", 12, unit="条")], []),
    ("a channel's share of proactive disclosure is still checked",
     [fig("proactive.total", 900, unit="条"), fig("proactive.by_channel.website", 300, "20", unit="条")],
     ["share_mismatch"]),
    ("percent out of range", [fig("requests.rate.on_time_reported", "120", kind="rate", unit="%")],
     ["percent_out_of_range"]),
    ("negative count", [fig("review.total", -2)], ["negative_count"]),
    ("a signed change is not a count", [fig("proactive.licensing.items_change", -8, unit="项")], []),
    ("reported rate against counts", [fig(R, 28), fig("requests.outcome.total", 28),
                                      fig("requests.rate.response_reported", 90, kind="rate", unit="%")],
     ["rate_mismatch"]),
    ("reported rate agrees", [fig(R, 40), fig("requests.outcome.total", 39),
                              fig("requests.rate.response_reported", "97.5", kind="rate", unit="%")], []),
    ("this year above cumulative", [fig("proactive.total", 500, unit="条"),
                                    fig("proactive.total", 400, unit="条", cumulative=True)],
     ["cumulative_below_annual"]),
    ("prose and table disagree", [fig("review.total", 3), fig("review.total", 2, source="table")],
     ["conflicting_values"]),
    ("approximate figures are not compared", [fig("review.total", 3), fig("review.total", 2, approx=True)], []),
    ("table-only identities are the table reader's", [
        fig("review.total", 5, source="table"), fig("review.upheld", 1, source="table"),
        fig("review.corrected", 1, source="table"), fig("review.other", 1, source="table"),
        fig("review.pending", 1, source="table")], []),
    ("prose review outcomes against the total", [fig("review.total", 5), fig("review.upheld", 1),
                                                 fig("review.corrected", 1), fig("review.other", 1),
                                                 fig("review.pending", 1)], ["parts_sum_mismatch"]),
    ("request balance in prose", [fig(R, 10), fig("requests.carried_over_in", 2), fig("requests.outcome.total", 9),
                                  fig("requests.carried_forward", 1)], ["balance_mismatch"]),
    ("blank table cells are skipped", [fig(R, None), fig(f"{CH}.online", 3), fig(f"{CH}.other", 1)], []),
]


@pytest.mark.parametrize(("name", "figures", "codes"), CASES, ids=[c[0] for c in CASES])
def test_check_cases(name: str, figures: list[Figure], codes: list[str]) -> None:
    assert sorted(f.code for f in check_figures(figures)) == sorted(codes)


def test_finding_names_figures_expected_stated_rule() -> None:
    figures = [fig(R, 82), fig(f"{CH}.online", 24), fig(f"{CH}.other", 4)]
    mismatch, hint = check_figures(figures)
    assert mismatch.figures == (0, 1, 2) and mismatch.rule == "check.parts_sum"
    assert (mismatch.stated, mismatch.expected) == (Decimal(82), Decimal(28))
    assert hint.code == "repair_hint" and (hint.stated, hint.expected) == (Decimal(82), Decimal(28))
    assert dict(hint.details)["edit"] == "transpose positions 1-2"


@pytest.mark.parametrize(("value", "n"), [(7, 9), (28, 8 + 9 + 1), (100, 8 + 9 + 9)])
def test_digit_edits_count(value: int, n: int) -> None:
    edits = [v for v, _ in digit_edits(Decimal(value))]
    assert len(edits) == len(set(edits)) == n and Decimal(value) not in edits


# --- the sample report ----------------------------------------------------------------------------

def _seed() -> tuple[str, list[dict[str, object]], dict[str, object]]:
    text = (SEED / "000_c5bff7659f61e6f7.txt").read_text(encoding="utf-8")
    gold = [json.loads(line) for line in (SEED / "seed-gold.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    expect = json.loads((SEED / "seed-expect.json").read_text(encoding="utf-8"))
    return text, gold, expect


def _gold_figures(text: str, gold: list[dict[str, object]]) -> list[Figure]:
    out = []
    for g in gold:
        quote = str(g["quote"])
        start = text.index(quote)
        share = g.get("share_pct")
        out.append(Figure(str(g["metric"]), Decimal(str(g["value"])), str(g["unit"]), g["kind"],  # type: ignore[arg-type]
                          str(g["section"]), quote, start, start + len(quote), "gold",
                          share_pct=None if share is None else Decimal(str(share)), is_cumulative="累計" in quote))
    return out


def _assert_seed_expectations(figures: list[Figure], expect: dict[str, object]) -> None:
    findings = check_figures(figures)
    checks = {c["check"]: c for c in expect["checks"]}  # type: ignore[attr-defined, index]
    by_code = {f.code: f for f in findings}
    assert set(by_code) == {"share_mismatch", "parts_sum_mismatch", "repair_hint"}, [f.message for f in findings]
    share, parts, hint = by_code["share_mismatch"], by_code["parts_sum_mismatch"], by_code["repair_hint"]
    assert figures[share.figures[0]].metric == checks["share_mismatch"]["metric"]
    assert share.stated == Decimal(str(checks["share_mismatch"]["stated_share_pct"]))
    assert share.expected == Decimal(str(checks["share_mismatch"]["computed_share_pct"]))
    assert figures[parts.figures[0]].metric == checks["parts_sum_mismatch"]["total_metric"]
    assert (parts.stated, parts.expected) == (Decimal(checks["parts_sum_mismatch"]["total"]),
                                              Decimal(checks["parts_sum_mismatch"]["parts_sum"]))
    hinted = figures[int(dict(hint.details)["figure"])]
    assert hinted.metric == checks["repair_hint"]["metric"]
    assert (hint.stated, hint.expected) == (Decimal(checks["repair_hint"]["stated"]),
                                            Decimal(checks["repair_hint"]["suggested"]))
    # share_ok / parts_sum_ok: nothing flagged on the consistent request figures
    assert not any(figures[i].metric.startswith("requests.") for f in findings for i in f.figures)


def test_seed_expectations_from_gold_figures() -> None:
    text, gold, expect = _seed()
    _assert_seed_expectations(_gold_figures(text, gold), expect)


def test_seed_expectations_end_to_end() -> None:
    """Through parse_page: runs for real once the prose extractor yields the figures the checks need."""
    text, gold, expect = _seed()
    from parsers.page import parse_page
    from parsers.settings import load_resources

    doc = parse_page(text.encode("utf-8"), source="000_c5bff7659f61e6f7.txt", resources=load_resources())
    needed = {(str(g["metric"]), Decimal(str(g["value"]))) for g in gold
              if str(g["metric"]).startswith(("proactive.total", "proactive.by_category", "requests.received"))}
    have = {(f.metric, f.value) for f in doc.figures}
    if not needed <= have:
        pytest.skip(f"prose extractor does not yet yield {len(needed - have)} of the {len(needed)} figures "
                    "the seed checks need")
    from pipeline.checks import check_document

    codes = {f.code for f in check_document(doc)}
    assert {"share_mismatch", "parts_sum_mismatch", "repair_hint"} <= codes
    _assert_seed_expectations([f for f in doc.figures if (f.metric, f.value) in needed or
                               f.metric.startswith("requests.")], expect)


def _reference_hints(relations: list[Relation], values: dict[int, Decimal]) -> set[tuple[int, Decimal]]:
    """The repair rule in its plain form: every edit of every figure of a failing relation, judged against all
    the figure's relations; a relation with exactly one repairing edit gets it as a hint."""
    failing = [r for r in relations if judge(r, values)[0] == "fail"]
    found: dict[int, set[tuple[int, Decimal]]] = {id(r): set() for r in failing}
    for fig in sorted({i for r in failing for i in r.figures if i in values}):
        mine = [r for r in relations if fig in r.figures and r.kind != "shares_sum"]
        broken = [r for r in mine if id(r) in found]
        if broken:
            for cand, _ in digit_edits(values[fig]):
                if all(judge(r, {**values, fig: cand})[0] != "fail" for r in mine):
                    for r in broken:
                        found[id(r)].add((fig, cand))
    return {next(iter(s)) for s in found.values() if len(s) == 1}


def _random_family(rng: random.Random) -> list[Figure]:
    """A total with parts (some with shares, some of them misprinted) and a digit error somewhere."""
    parts = [rng.choice([0, 1, 3, 7, 12, 25, 48, 130, 999]) + rng.randint(0, 60) for _ in range(rng.randint(2, 4))]
    total = sum(parts)
    figs = [fig(R, total)]
    for n, p in enumerate(parts):
        share = None
        if total and rng.random() < 0.6:
            share = str(round(p * 100 / total, rng.choice([0, 1, 2])) + rng.choice([0, 0, 0, 3]))
        figs.append(fig(f"{CH}.{['online', 'letter', 'in_person', 'other'][n]}", p, share))
    i = rng.randrange(len(figs))
    digits = str(int(figs[i].value or 0))
    pos = rng.randrange(len(digits))
    wrong = digits[:pos] + str(rng.choice([d for d in range(10) if str(d) != digits[pos]] or [1])) + digits[pos + 1:]
    return [dataclasses.replace(f, value=Decimal(int(wrong))) if k == i else f for k, f in enumerate(figs)]


@pytest.mark.parametrize("seed", range(4))
def test_repair_search_equals_the_plain_rule(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(150):
        figures = _random_family(rng)
        relations = list(build_relations(figures))
        values = {i: f.value for i, f in enumerate(figures) if f.value is not None}
        got = {(h.figure, h.suggested) for h in propose_repairs(relations, values)}
        assert got == _reference_hints(relations, values), figures
