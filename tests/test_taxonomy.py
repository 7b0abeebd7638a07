"""The taxonomy is complete: every metric id the extractors can emit is listed, and every entry is well formed.

Ids are collected from the extractors' own data (the table label tables, the prose rules, the zero terms, the
jieba lexicon, the derived-metric definitions), so a new rule with a new id fails here until the taxonomy
(parsers/taxonomy.py, parsers/taxonomy_tables.py) documents it.
"""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from parsers import lexicon, prose_rules, prose_zero, table_labels, taxonomy
from parsers.page import parse_page
from parsers.records import Kind
from parsers.settings import Resources
from parsers.table_read import _t2_metric
from parsers.taxonomy import METRICS, is_known
from pipeline.derived import DERIVED, LEGAL_PERSON_DEF, PARTS

REPO = Path(__file__).resolve().parents[1]
ERAS = {"E2008", "E2014", "E2019", "E2021"}


def t2_cells() -> dict[str, table_labels.Column]:
    """Every Table 2 metric the reader can emit (any row of a block with any column of that block's templates)."""
    return {_t2_metric(stem, col): col
            for (_, block), cols in table_labels.T2_COLUMNS.items()
            for stem, row_block, _ in table_labels.T2_ROWS if row_block == block for col in cols}


def table_ids() -> set[str]:
    return (set(t2_cells()) | {metric for metric, _ in table_labels.T3_ROWS}
            | {f"{stem}.{part}" for stem, _ in table_labels.T4_BLOCKS for part, _ in table_labels.T4_PARTS})


def prose_ids() -> set[str]:
    rules = {m for r in (*prose_rules.COUNT_RULES, *prose_rules.RATE_RULES) for m in r.metrics}
    zeros = {m for z in prose_zero.ZERO_TERMS for m in z.metrics}
    return rules | zeros | {metric for metric, _ in lexicon.TERM_METRICS.values()}


def derived_inputs() -> set[str]:
    terms = {m for d in DERIVED for m in (*d.numerator, *d.denominator, *d.optional)}
    return terms | set(PARTS) | {m for parts in PARTS.values() for m in parts}


def test_the_collectors_find_the_tables_and_rules() -> None:
    # guards against a collector that silently finds nothing (which would make the completeness tests vacuous)
    assert len(t2_cells()) >= 25 and len(table_ids()) >= 60 and len(prose_ids()) >= 50


@pytest.mark.parametrize("source,ids", [("table reader", table_ids), ("prose rules", prose_ids),
                                        ("derived inputs", derived_inputs)])
def test_every_emitted_id_is_in_the_taxonomy(source: str, ids: object) -> None:
    assert callable(ids)
    missing = sorted(m for m in ids() if not is_known(m))
    assert not missing, f"{source} can emit ids that parsers/taxonomy.py lacks: {missing}"


def test_derived_ids_are_documented_and_do_not_clash() -> None:
    for d in DERIVED:
        # a derived id is a listed id only when it is a sum the reports also state (only_if_absent)
        assert d.id not in METRICS or (d.kind == "sum" and d.only_if_absent), d.id
        assert d.label_zh and d.definition and set(d.eras) <= ERAS, d.id
    assert LEGAL_PERSON_DEF.id.startswith("requests.")


def test_table_2_cells_have_the_reader_unit_and_kind() -> None:
    for metric, col in t2_cells().items():
        m = METRICS[metric]
        assert m.unit == col.unit, metric
        assert (m.kind == "amount") == col.money, metric


@pytest.mark.parametrize("metric", sorted(table_ids() - set(t2_cells())))
def test_table_3_and_4_cells_are_counts_of_cases(metric: str) -> None:
    assert (METRICS[metric].unit, METRICS[metric].kind) == ("件", "count")


@pytest.mark.parametrize("metric", sorted(METRICS))
def test_entry_shape(metric: str) -> None:
    m = METRICS[metric]
    assert m.id == metric
    assert m.label_zh.strip() and m.unit.strip() and m.definition.strip()
    assert m.definition.rstrip().endswith(".")
    assert m.kind in get_args(Kind) and m.kind != "zero"  # zero is a figure's kind, never a metric's
    assert m.eras and set(m.eras) <= ERAS and list(m.eras) == sorted(m.eras)
    assert m.id.split(".")[0] in taxonomy.FAMILY_TOPIC
    assert m.unit != "%" or m.kind in ("rate", "percent")  # a rate may also be per day (日均访问量)
    assert m.kind != "percent" or m.unit == "%"
    assert m.kind != "amount" or m.unit == "元"


def test_key_caveats_are_stated() -> None:
    assert "现行有效件数" in METRICS["proactive.rules.published_stock"].caveats
    assert "万元" in METRICS["proactive.admin_fees.amount_yuan"].caveats
    assert "办件量" in METRICS["proactive.licensing.decisions"].caveats
    assert "-8" in METRICS["proactive.licensing.items_change"].caveats


def test_a_duplicate_entry_is_an_error() -> None:
    spec = taxonomy._SPECS[0]
    assert len(taxonomy._expand(taxonomy._SPECS)) == len(METRICS)
    with pytest.raises(ValueError, match=spec[0]):
        taxonomy._expand((*taxonomy._SPECS, spec))


_PAGES = [REPO / "tests/fixtures/tables/t2019.html", REPO / "tests/fixtures/tables/t2021.html",
          REPO / "tests/fixtures/tables/broken.html", REPO / "tests/fixtures/seed/000_c5bff7659f61e6f7.txt"]


@pytest.mark.parametrize("path", _PAGES, ids=lambda p: p.name)
def test_figures_of_real_parses_are_known(path: Path, resources: Resources) -> None:
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    doc = parse_page(path.read_bytes(), source=path.name, resources=resources)
    assert doc.figures
    assert sorted({f.metric for f in doc.figures if not is_known(f.metric)}) == []
