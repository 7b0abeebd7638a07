"""Accuracy gate: scores on the seed (project fixture) and the devset (../shared, skipped when absent) must not
fall below the floors pinned in tests/accuracy_baseline.json (raise them with ``ogi eval … --update-baseline``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers.settings import load_resources
from pipeline.evaluate import check_floors, evaluate_paths, floors_from, load_devset

HERE = Path(__file__).resolve().parent
SHARED = Path(__file__).resolve().parents[2] / "shared"
BASELINE = json.loads((HERE / "accuracy_baseline.json").read_text(encoding="utf-8"))
RES = load_resources()


def _gate(name: str, gold: Path, passages: Path) -> dict:
    result = evaluate_paths(gold, passages, RES)
    errors = result.pop("errors")
    bad = check_floors({name: result}, {name: BASELINE[name]})
    assert not bad, "\n".join(bad + errors[:40])
    return result


def test_seed_gate() -> None:
    result = _gate("seed", HERE / "fixtures/seed/seed-gold.jsonl", HERE / "fixtures/seed/000_c5bff7659f61e6f7.txt")
    assert result["all"]["recall"] == 1.0  # every seed figure, required or optional, is found


@pytest.mark.skipif(not (SHARED / "devset" / "gold.jsonl").exists(), reason="../shared/devset is absent")
def test_devset_gate() -> None:
    _gate("devset", SHARED / "devset/gold.jsonl", SHARED / "devset/passages")


@pytest.mark.skipif(not (SHARED / "devset" / "gold.jsonl").exists(), reason="../shared/devset is absent")
def test_devset_reader_counts_only_annotated_passages() -> None:
    docs = load_devset(SHARED / "devset/gold.jsonl", SHARED / "devset/passages")
    assert docs and all(d.figures for d in docs)
    assert all(not d.text.startswith("url:") for d in docs)
    assert all(g.spans for d in docs for g in d.figures), "every gold quote occurs in its passage"


@pytest.mark.parametrize("drop", ["precision", "recall"])
def test_gate_catches_a_drop(drop: str) -> None:
    scores = {"all": {"precision": 0.95, "recall": 0.9, "f1": 0.92, "metric_agreement": 0.9}}
    floors = floors_from({"x": scores})
    lowered = {"all": {**scores["all"], drop: scores["all"][drop] - 0.01}}
    assert check_floors({"x": scores}, floors) == []
    assert len(check_floors({"x": lowered}, floors)) == 1
