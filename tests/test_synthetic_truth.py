"""Extraction against the synthetic generator's ground truth (corpus/synthetic/truth.jsonl).

Every truth figure must be found (metric, value, share, applicant), and every figure found must be in the
truth: the generator writes only the numbers it records, so an extra figure is a false positive.
"""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from parsers.page import parse_page
from parsers.records import Figure
from parsers.settings import Resources

REPO = Path(__file__).resolve().parents[1]
SYNTH = REPO / "corpus" / "synthetic"
TRUTH: dict[str, list[dict[str, object]]] = defaultdict(list)
for _line in (SYNTH / "truth.jsonl").read_text(encoding="utf-8").splitlines():
    _row = json.loads(_line)
    TRUTH[str(_row["file"])].append(_row)

Key = tuple[str, Decimal, Decimal | None, str | None]


def _dec(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value)).normalize()


def _truth_key(row: dict[str, object]) -> Key:
    value = _dec(row["value"])
    assert value is not None
    return (str(row["metric"]), value, _dec(row.get("share_pct")), row.get("applicant"))  # type: ignore[return-value]


def _figure_key(f: Figure) -> Key:
    assert f.value is not None
    return (f.metric, f.value.normalize(), None if f.share_pct is None else f.share_pct.normalize(),
            dict(f.dims).get("applicant"))


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_synthetic_page_matches_its_truth(name: str, resources: Resources) -> None:
    doc = parse_page((SYNTH / name).read_bytes(), source=name, resources=resources)
    # Table 2 cells and shares stated as separate percent figures are outside the generator's truth.
    found = [f for f in doc.figures if f.table != "T2" and not f.metric.endswith(".share_pct")]
    got = [_figure_key(f) for f in found]
    want = [_truth_key(r) for r in TRUTH[name]]
    missing = [k for k in want if k not in got]
    extra = [k for k in got if k not in want]
    assert not missing, f"{name}: missing {missing[:5]}"
    assert not extra, f"{name}: not in the truth {extra[:5]}"
