"""Golden and example tests for the standard-table reader (parsers/tables.py and parsers/table_*.py)."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import random
from decimal import Decimal
from pathlib import Path

import pytest

from parsers import normalize
from parsers.records import Figure, Metadata, RawCell, RawTable, TextView
from parsers.table_values import CellMemo, has_value_line, may_be_value, read_cell, split_multi
from parsers.tables import extract_tables, table_spans
from test_tables_support import FIXTURES, SHARED, page_tables

APPLICANT_LABELS = {"natural_person": "自然人", "commercial_enterprise": "商业企业", "research_institution": "科研机构",
                    "social_welfare_org": "社会公益组织", "legal_service_org": "法律服务机构", "other_org": "其他",
                    "total": "总计"}


def run_page(name: str) -> tuple[str, tuple[RawTable, ...], tuple[Figure, ...], tuple]:
    text, tables = page_tables((FIXTURES / f"{name}.html").read_text(encoding="utf-8"))
    figs, finds = extract_tables(text, TextView.identity(text), tables, (), Metadata())
    return text, tables, figs, finds


def run_text(text: str, resources) -> tuple[tuple[Figure, ...], tuple]:  # type: ignore[no-untyped-def]
    return extract_tables(text, normalize.normalize(text, resources), (), (), Metadata())


def key(f: Figure) -> tuple[str, str | None]:
    return f.metric, dict(f.dims).get("applicant")


@pytest.mark.parametrize("name, n_t2, n_t3, n_t4", [("t2021", 10, 175, 15), ("t2019", 22, 161, 15), ("broken", 0, 168, 0)])
def test_golden_every_cell(name: str, n_t2: int, n_t3: int, n_t4: int) -> None:
    text, _, figs, _ = run_page(name)
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    counts = {t: sum(1 for f in figs if f.table == t) for t in ("T2", "T3", "T4")}
    assert counts == {"T2": n_t2, "T3": n_t3, "T4": n_t4}
    got = {key(f): f for f in figs}
    assert len(got) == len(figs), "one figure per (metric, applicant)"
    for e in expected:
        f = got[(e["metric"], e["applicant"])]
        want = None if e["value"] is None else Decimal(e["value"])
        assert f.value == want, (e, f)
        if "semantic" in e:
            assert f.value_semantic == e["semantic"], (e, f)
        if "row" in e:
            assert f.row == e["row"]
    assert {(e["metric"], e["applicant"]) for e in expected} == set(got)
    for f in figs:
        assert text[f.start:f.end] == f.quote
        assert f.source == "table" and f.rule == f"table.{f.table}" and f.cell is not None
        if f.table == "T3":
            assert f.col == APPLICANT_LABELS[dict(f.dims)["applicant"]]


def test_2021_semantics_and_units() -> None:
    _, _, figs, finds = run_page("t2021")
    got = {key(f): f for f in figs}
    fee = got[("proactive.admin_fees.amount_yuan", None)]
    assert (fee.value, fee.unit, fee.unit_raw, fee.kind) == (Decimal("14244000.0"), "元", "万元", "amount")
    coercion = got[("proactive.coercion.decisions", None)]
    assert (coercion.kind, coercion.value_semantic, coercion.value) == ("zero", "zero", 0)
    rules_issued = got[("proactive.rules.issued", None)]
    assert (rules_issued.kind, rules_issued.value_semantic) == ("count", "zero")
    blank = got[("proactive.rules.repealed", None)]
    assert (blank.value, blank.value_semantic, blank.quote, blank.start) == (None, "empty", "", blank.end)
    assert got[("litigation.direct.other", None)].value_semantic == "na"
    assert got[("litigation.after_review.upheld", None)].value_semantic == "empty"
    assert got[("proactive.normative_docs.issued", None)].quote == "12"  # digits split across Word spans
    assert [f.code for f in finds] == []  # the page's arithmetic is consistent


def test_2019_local_variant() -> None:
    _, _, figs, finds = run_page("t2019")
    values = {f.value for f in figs if f.table == "T2"}
    assert Decimal(-8) not in values and Decimal(2018) not in values  # header notes are not values
    codes = [(f.code, dict(f.details).get("row")) for f in finds]
    assert codes == [("table_unrecognized_row", "其他主动公开文件")]
    got = {key(f): f for f in figs}
    assert got[("proactive.rules.newly_made", None)].row.startswith("规章")
    assert got[("proactive.procurement.amount_yuan", None)].unit_raw == "元"
    assert got[("proactive.licensing.items_change", None)].col == "本年增/减（减用负值表示，如-8）"


def test_broken_table_gives_findings_not_values() -> None:
    _, _, figs, finds = run_page("broken")
    assert not any(f.metric == "requests.outcome.withheld.third_party_rights" for f in figs)
    inc = [f for f in finds if f.code == "table_incomplete"]
    assert len(inc) == 1 and dict(inc[0].details)["metric"] == "requests.outcome.withheld.third_party_rights"


def test_figure_field_order() -> None:
    """The table reader builds Figures positionally (once per cell, the hot path): it relies on this order."""
    assert [f.name for f in dataclasses.fields(Figure)] == [
        "metric", "value", "unit", "kind", "section", "quote", "start", "end", "rule", "unit_raw", "share_pct",
        "approx", "is_cumulative", "value_semantic", "dims", "source", "table", "row", "col", "cell"]


def test_table_spans_skip_layout_table() -> None:
    text, tables, figs, _ = run_page("t2019")
    spans = table_spans(figs, tables)
    assert len(spans) == 3 and (0, len(text)) not in spans
    assert set(spans) <= {(t.start, t.end) for t in tables}


def _tf(start: int, end: int, table: str = "T3") -> Figure:
    return Figure("m", None, "件", "count", "x", "", start, end, "table.T3", source="table", table=table)


def _rt(start: int, end: int) -> RawTable:
    return RawTable(0, (), 1, 1, start, end)


# (tables, figures, expected spans): apart tables (bisect), nested and touching tables (innermost holder
# first), figures outside every table (a flattened table's run).
SPANS = [
    pytest.param([_rt(0, 10), _rt(20, 30)], [_tf(2, 3), _tf(25, 26), _tf(40, 41), _tf(44, 45)],
                 ((0, 10), (20, 30), (40, 45)), id="apart"),
    pytest.param([_rt(0, 50), _rt(10, 20)], [_tf(12, 13), _tf(30, 31)], ((0, 50), (10, 20)), id="nested"),
    pytest.param([_rt(0, 5), _rt(5, 9)], [_tf(5, 5)], ((5, 9),), id="touching: the smaller holds the empty cell"),
    pytest.param([_rt(0, 10)], [_tf(8, 12)], ((8, 12),), id="figure crossing the end"),
    pytest.param([], [_tf(1, 2, "T2"), _tf(3, 4, "T3")], ((1, 2), (3, 4)), id="flattened: one run per table"),
]


@pytest.mark.parametrize(("raw", "figs", "expect"), SPANS)
def test_table_spans(raw: list[RawTable], figs: list[Figure], expect: tuple[tuple[int, int], ...]) -> None:
    assert table_spans(tuple(figs), tuple(raw)) == expect


T3_ROW = "一、本年新收政府信息公开申请数量"

# Flattened tables as data: (text, expected {(metric, applicant): value}, expected finding codes).
FLAT = [
    pytest.param("第二十条第（一）项 |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | 0 | 0 | 5 |\n"
                 "行政规范性文件 | 2 | | 4 |",
                 {("proactive.rules.in_force", None): 5, ("proactive.normative_docs.repealed", None): None,
                  ("proactive.normative_docs.issued", None): 2}, [], id="pipe-rows-2021"),
    pytest.param("第二十条第(五)项\n|\n信息内容\n|\n上一年项目数量\n|\n本年增/减\n|\n处理决定数量\n|\n行政许可\n|\n1215\n|\n"
                 "-35\n|\n1180\n|", {("proactive.licensing.items_change", None): -35,
                                     ("proactive.licensing.decisions", None): 1180}, [], id="one-cell-per-line"),
    pytest.param("第二十条第(八)项\n\n信息内容\n\n上一年项目数量\n\n本年增/\n\n行政事业性收费\n\n3\n\n+1\n\n第二十条第(九)项\n\n"
                 "信息内容\n\n采购项目数量\n\n采购总金额\n\n政府集中采购\n\n10\n\n1424.4万元\n\n",
                 {("proactive.admin_fees.items_change", None): 1,
                  ("proactive.procurement.amount_yuan", None): Decimal("14244000.0")}, [], id="blank-line-cells"),
    pytest.param("申请人情况\n" + T3_ROW + " |\n3 |\n3 |\n|||||||\n", {}, ["table_incomplete"], id="dropped-empty-cells"),
    pytest.param("行政复议 | 行政诉讼\n结 结 其 尚 总\n0 0 0 0 0 0 0 0 0 0 1 0 0 0 1\n",
                 {("review.total", None): 0, ("litigation.after_review.upheld", None): 1,
                  ("litigation.after_review.total", None): 1}, [], id="pdf-15-numbers"),
    pytest.param("申請人情況\n一、本年新收政府信息公開申請數(shù)量 | 5 | 0 | 0 | 0 | 0 | 0 | 5 |",
                 {("requests.received.total", "natural_person"): 5, ("requests.received.total", "total"): 5},
                 [], id="traditional-pinyin"),
    pytest.param("第二十条第（五）项\n信息内容 | 本年处理决定数量\n行政许可 | 3 | 4 | 5", {}, ["table_incomplete"],
                 id="too-many-cells"),
]


@pytest.mark.parametrize("text, expected, codes", FLAT)
def test_flattened_text(text: str, expected: dict, codes: list[str], resources) -> None:  # type: ignore[no-untyped-def]
    figs, finds = run_text(text, resources)
    got = {key(f): f for f in figs}
    for k, v in expected.items():
        assert got[k].value == (None if v is None else Decimal(v)), k
    assert all(text[f.start:f.end] == f.quote and f.cell is None for f in figs)
    # row-level findings (a whole-table "rows missing" finding is expected for these fragments)
    assert [f.code for f in finds if "found" in dict(f.details)] == codes


def _t3_rows(cols: dict[str, list[int]]) -> str:
    return "\n".join(f"{label} | " + " | ".join(str(v) for v in vals) + " |" for label, vals in cols.items())


CHECKS = [
    pytest.param("申请人情况\n" + _t3_rows({T3_ROW: [2, 0, 0, 0, 0, 0, 2], "二、上年结转政府信息公开申请数量": [0] * 7,
                                       "（一）予以公开": [1, 0, 0, 0, 0, 0, 1], "（七）总计": [1, 0, 0, 0, 0, 0, 1],
                                       "四、结转下年度继续办理": [0] * 7}),
                 {("table_t3_balance", "natural_person"), ("table_t3_balance", "total")}, id="t3-balance"),
    pytest.param("申请人情况\n" + _t3_rows({T3_ROW: [2, 1, 0, 0, 0, 0, 4]}), {("table_t3_total_column", "total")},
                 id="t3-total-column"),
    pytest.param("行政复议\n0 0 0 0 1 0 0 0 0 0 0 0 0 0 0", {("table_t4_total", None)}, id="t4-total"),
    pytest.param("申请人情况\n" + _t3_rows({T3_ROW: [-1, 0, 0, 0, 0, 0, -1]}),
                 {("table_value_invalid", "natural_person"), ("table_value_invalid", "total")}, id="negative-count"),
    pytest.param("第二十条第（一）项\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数\n规章 | 5 | 0 | 2",
                 {("table_t2_in_force", None)}, id="t2-in-force"),
]


@pytest.mark.parametrize("text, codes", CHECKS)
def test_checks(text: str, codes: set, resources) -> None:  # type: ignore[no-untyped-def]
    _, finds = run_text(text, resources)
    got = {(f.code, dict(f.details).get("applicant")) for f in finds if f.code != "table_incomplete"}
    assert got == codes


def test_raw_table_built_by_hand() -> None:
    """The contract with html.py: RawCells at their grid positions, rendered one line per row."""
    lines = ["第二十条第（五）项", "信息内容 | 本年处理决定数量", "行政许可 | 7"]
    text = "\n".join(lines)
    cells, pos = [], 0
    for r, line in enumerate(lines):
        for c, part in enumerate(line.split(" | ")):
            start = text.index(part, pos)
            cells.append(RawCell(r, c, part, start, start + len(part)))
        pos += len(line) + 1
    table = RawTable(0, tuple(cells), 3, 2, 0, len(text))
    figs, _ = extract_tables(text, TextView.identity(text), (table,), (), Metadata())
    assert [(f.metric, f.value, f.cell, f.row, f.col) for f in figs] == [
        ("proactive.licensing.decisions", 7, (2, 1), "行政许可", "本年处理决定数量")]
    assert table_spans(figs, (table,)) == ((0, len(text)),)


BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "tables_devset.py"


@pytest.mark.skipif(not (SHARED / "devset").is_dir(), reason="../shared/devset is not available")
def test_devset_table_gold_floor() -> None:
    spec = importlib.util.spec_from_file_location("tables_devset", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    d_ok, d_total = bench.score_docs()
    p_ok, p_total = bench.score_passages()
    assert d_total >= 170 and d_ok / d_total >= 0.99
    assert p_total >= 240 and p_ok / p_total >= 0.96


_LINE_WS = " \t\r\f\v\u00a0\u3000\u200b\ufeff"  # what text rows strip from a line (and \n, which ends it)
_ALPHABET = "0123456789０５,.，．+-−－/／\\—…─NnAa万元亿件条个项次人无没有未发生不适用涉及零〇规章年，。（）一 \u3000\u00a0\u200b\t"


def test_value_line_gate_is_a_superset_of_the_value_grammar() -> None:
    """Text rows read a line as values only when the grammar reads it (one value or a sequence of them):
    every such line must be found by the gate that lets a page without one skip the text rows."""
    rng = random.Random(5)
    checked = 0
    for _ in range(20000):
        raw = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 7)))
        line = raw.strip(_LINE_WS)
        if line and may_be_value(line) and (split_multi(line) is not None or read_cell(line) is not None):
            checked += 1
            assert has_value_line(f"规章\n{raw}\n行政许可") and has_value_line(raw), raw
    assert checked > 500  # the alphabet makes many values


@pytest.mark.parametrize(("text", "gated"), [
    ("一、概述\n2015年，全年收到申请120件。\n二、收到和处理政府信息公开申请情况", True),  # prose: no row with values
    ("申请\n规章\n0\n行政许可", False), ("申请\n行政许可 | 12", False), ("申请\n项目\n 1,424.4万元 \n", False),
    ("申请情况\n无\n", False),
])
def test_prose_pages_skip_text_rows(text: str, gated: bool) -> None:
    from parsers.table_grid import _PIPE, document_rows, text_rows

    assert (not has_value_line(text) and _PIPE.search(text) is None) == gated
    assert (document_rows(text, (), CellMemo()) == []) == gated
    # the rows the gate skips hold no value, so the reader would have read nothing from them
    assert all(not row.values for row in text_rows(text, [], CellMemo())) == gated
