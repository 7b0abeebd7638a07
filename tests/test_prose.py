"""Prose extraction: the sample report as a golden test, and example sentences as a data table."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from parsers import normalize, prose
from parsers.page import parse_page
from parsers.records import Section, TextView
from parsers.settings import ParseSettings, load_resources

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "prose"
SEED_DIR = Path(__file__).resolve().parent / "fixtures" / "seed"  # in-repo copy of ../shared/seed
RES = load_resources()
EXAMPLES = [json.loads(line) for line in (FIXTURES / "examples.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _run(text: str, settings: ParseSettings = ParseSettings()) -> tuple:
    view = normalize.normalize(text, RES)
    return prose.extract_prose(text, view, (Section("proactive", "", 0, len(text), 0),), RES, settings)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["text"][:24] for e in EXAMPLES])
def test_example_sentences(example: dict) -> None:
    figs, _ = _run(example["text"])
    got = sorted((f.metric, f.value, f.kind, f.share_pct) for f in figs)
    want = sorted((m, Decimal(v), k, Decimal(rest[0]) if rest else None) for m, v, k, *rest in example["expect"])
    assert got == want
    for f in figs:  # provenance: the quote is the exact source text
        assert example["text"][f.start:f.end] == f.quote and f.quote


@pytest.fixture(scope="module")
def seed_doc():
    data = (SEED_DIR / "000_c5bff7659f61e6f7.txt").read_bytes()
    return parse_page(data, source="x.txt", resources=RES)


SEED_GOLD = [json.loads(line) for line in (SEED_DIR / "seed-gold.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]


@pytest.mark.parametrize("gold", [g for g in SEED_GOLD if g["required"]], ids=lambda g: g["metric"])
def test_seed_required_figures(seed_doc, gold: dict) -> None:
    share = Decimal(str(gold["share_pct"])) if "share_pct" in gold else None
    found = [f for f in seed_doc.figures
             if f.metric == gold["metric"] and f.value == Decimal(str(gold["value"])) and f.kind == gold["kind"]
             and f.share_pct == share]
    assert found, f"missing {gold}"
    g0 = seed_doc.text.find(gold["quote"])
    assert any(f.start < g0 + len(gold["quote"]) and g0 < f.end for f in found), "figure is elsewhere"


@pytest.mark.parametrize("fragment,value", [("157022", 157022), ("【2013】73", 73), ("五大", 5), ("四項", 4),
                                            ("12月31日", 31), ("2013年", 2013)])
def test_seed_non_figures(seed_doc, fragment: str, value: int) -> None:
    for f in seed_doc.figures:
        if fragment in f.quote:
            assert f.value != value, f"{fragment} taken as a figure: {f}"


def test_seed_provenance(seed_doc) -> None:
    assert seed_doc.figures
    for f in seed_doc.figures:
        assert seed_doc.text[f.start:f.end] == f.quote


def test_exclude_spans_are_skipped() -> None:
    text = "主动公开政府信息120条。"
    view = TextView.identity(text)
    figs, _ = prose.extract_prose(text, view, (), RES, ParseSettings(), exclude=((0, len(text)),))
    assert figs == ()


def test_unlabelled_number_is_a_finding_not_a_figure() -> None:
    figs, findings = _run("组建了3个工作专班开展检查。")
    assert figs == ()
    assert [f.code for f in findings] == ["unlabelled_number"]
    assert findings[0].severity == "info" and findings[0].start is not None


def test_jieba_labels_what_rules_leave() -> None:
    text = "新闻发布会全年召开5场。"
    with_jieba, _ = _run(text)
    assert [(f.metric, f.rule) for f in with_jieba] == [("response.press_conferences", "jieba:新闻发布会")]
    without, findings = _run(text, ParseSettings(use_jieba=False))
    assert without == () and [f.code for f in findings] == ["unlabelled_number"]


def test_never_raises_on_odd_input() -> None:
    for text in ("", "\x00\ufffd", "占%", "同比增长%", "未" * 500, "1" * 5000):
        figs, findings = _run(text)
        assert isinstance(figs, tuple) and isinstance(findings, tuple)


def test_rule_metrics_are_in_the_taxonomy() -> None:
    from parsers import lexicon, prose_rules, prose_zero, taxonomy

    ids = {m for r in prose_rules.COUNT_RULES + prose_rules.RATE_RULES for m in r.metrics}
    ids |= {m for t in prose_zero.ZERO_TERMS for m in t.metrics} | {m for m, _ in lexicon.TERM_METRICS.values()}
    assert sorted(m for m in ids if not taxonomy.is_known(m)) == []


def test_lexicon_phrases_are_in_the_user_dictionary() -> None:
    from parsers import lexicon

    assert set(lexicon.TERM_METRICS) <= set(lexicon.userdict_words())
    tok = RES.tokenizer
    assert "新闻发布会" in tok.lcut("召开新闻发布会5场")
