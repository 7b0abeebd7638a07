"""Audit toolkit: sampling, worksheets (formula-safe), scoring, and the overlay round trip."""

from __future__ import annotations

import csv
import importlib.util
import json
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.audit_sample import allocate
from pipeline.audit_score import attribute_sample_size, estimation_sample_size, wilson
from pipeline.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "audit"


def _load_builder() -> Any:
    spec = importlib.util.spec_from_file_location("audit_fixture_build", FIXTURES / "build.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def builder() -> Any:
    return _load_builder()


@pytest.fixture(scope="module")
def docs(builder: Any) -> list[Any]:
    return [builder.seed_document(), builder.hostile_document()]


@pytest.fixture()
def dataset(builder: Any, docs: list[Any], tmp_path: Path) -> Path:
    return builder.build_dataset(docs, tmp_path / "outputs")


@pytest.mark.parametrize(("successes", "n", "low", "high"), [
    (0, 10, 0.0, 0.2775), (10, 10, 0.7225, 1.0), (57, 60, 0.8630, 0.9829), (30, 60, 0.3773, 0.6227)])
def test_wilson(successes: int, n: int, low: float, high: float) -> None:
    lo, hi = wilson(successes, n)
    assert (lo, hi) == pytest.approx((low, high), abs=1e-4)


@pytest.mark.parametrize(("confidence", "tolerable", "errors", "n"), [
    (0.95, 0.05, 0, 59), (0.90, 0.10, 0, 22), (0.95, 0.05, 1, 93), (0.99, 0.01, 0, 459)])
def test_attribute_sample_size(confidence: float, tolerable: float, errors: int, n: int) -> None:
    assert attribute_sample_size(confidence, tolerable, errors) == n


def test_estimation_sample_size() -> None:
    assert estimation_sample_size(0.95, 0.05) == 385
    assert estimation_sample_size(0.95, 0.05, p=0.9) == 139


@pytest.mark.parametrize(("sizes", "weights", "n", "expected"), [
    ({"a": 90, "b": 10}, {}, 10, {"a": 9, "b": 1}),
    ({"a": 99, "b": 1}, {}, 10, {"a": 9, "b": 1}),  # every stratum gets one while n allows
    ({"a": 50, "b": 50}, {"b": 2.0}, 9, {"a": 3, "b": 6}),
    ({"a": 3, "b": 2}, {}, 10, {"a": 3, "b": 2}),  # capped by the population
])
def test_allocate(sizes: dict[str, int], weights: dict[str, float], n: int, expected: dict[str, int]) -> None:
    assert allocate(sizes, weights, n) == expected


def _sample(dataset: Path, out: Path, *extra: str) -> dict[str, Any]:
    assert main(["audit", "sample", "--dataset", str(dataset), "--out", str(out), *extra]) == 0
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_sample_is_reproducible_stratified_and_in_context(dataset: Path, tmp_path: Path) -> None:
    m1 = _sample(dataset, tmp_path / "s1", "--n", "12", "--seed", "7", "--strata", "year,section",
                 "--oversample-flagged")
    m2 = _sample(dataset, tmp_path / "s2", "--n", "12", "--seed", "7", "--strata", "year,section",
                 "--oversample-flagged")
    a = pd.read_csv(tmp_path / "s1" / "worksheet.csv", encoding="utf-8-sig")
    b = pd.read_csv(tmp_path / "s2" / "worksheet.csv", encoding="utf-8-sig")
    assert a[["doc_id", "figure_index"]].equals(b[["doc_id", "figure_index"]])
    figures = pd.read_parquet(dataset / "figures.parquet")
    assert m1["population_size"] == len(figures) and m1["n"] == len(a) == 12
    assert m1["dataset_sha256"] == m2["dataset_sha256"] and m1["seed"] == 7
    assert m1["strata"] == ["year", "section"] and sum(s["sample"] for s in m1["allocation"].values()) == 12
    assert a["flagged"].any() and a["stratum"].str.endswith("|flagged").any()
    documents = pd.read_parquet(dataset / "documents.parquet").set_index("doc_id")
    for r in a.to_dict("records"):
        text = documents.loc[r["doc_id"], "text"]
        quote = text[int(r["start"]):int(r["end"])]
        assert r["quote"].lstrip("'") == quote.lstrip("'")
        before = "" if pd.isna(r["context_before"]) else str(r["context_before"])
        assert text[:int(r["start"])].endswith(before.removeprefix("'")) and len(before) <= 41
    assert set(a.columns) >= {"verdict", "corrected_value", "note", "url", "section_heading", "location"}
    other = _sample(dataset, tmp_path / "s3", "--n", "12", "--seed", "8", "--strata", "year,section")
    assert other["seed"] == 8


def test_worksheet_formulas_are_inert(dataset: Path, tmp_path: Path) -> None:
    n = len(pd.read_parquet(dataset / "figures.parquet"))
    _sample(dataset, tmp_path / "s", "--n", str(n))
    with zipfile.ZipFile(tmp_path / "s" / "worksheet.xlsx") as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
        strings = z.read("xl/sharedStrings.xml").decode("utf-8") if "xl/sharedStrings.xml" in z.namelist() else ""
    assert "<f>" not in sheet and "<f " not in sheet  # no formula cell at all
    assert "HYPERLINK" in sheet + strings
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "s" / "worksheet.xlsx").active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert any(t.startswith("'=HYPERLINK(") for t in texts)
    assert not any(t.startswith(("=", "+", "-", "@", "\t", "\r")) for t in texts)
    assert any(isinstance(c.value, (int, float)) and c.value < 0 for c in cells)  # numbers stay numbers (-900)
    with (tmp_path / "s" / "worksheet.csv").open(encoding="utf-8-sig", newline="") as fh:
        fields = [f for row in csv.reader(fh) for f in row]
    assert any(f.startswith("'=HYPERLINK(") for f in fields)
    assert not any(f.startswith(("=", "+", "@", "\t", "\r")) for f in fields)


def test_round_trip_sample_verdicts_score_overlay_rebuild(builder: Any, docs: list[Any], dataset: Path,
                                                          tmp_path: Path) -> None:
    figures = pd.read_parquet(dataset / "figures.parquet")
    out = tmp_path / "sample"
    _sample(dataset, out, "--n", str(len(figures)), "--seed", "7", "--strata", "section")
    from openpyxl import load_workbook

    wb = load_workbook(out / "worksheet.xlsx")
    ws = wb.active
    header = [c.value for c in ws[1]]
    col = {name: header.index(name) + 1 for name in header}
    wrong_metric, plain_wrong = "proactive.by_category.work_updates", "requests.received.by_channel.other"
    n_rows = 0
    for r in range(2, ws.max_row + 1):
        metric, doc = ws.cell(r, col["metric"]).value, ws.cell(r, col["doc_id"]).value
        n_rows += 1
        if metric == wrong_metric and ws.cell(r, col["value"]).value == 19948:
            ws.cell(r, col["verdict"], "wrong")
            ws.cell(r, col["corrected_value"], 49948)
            ws.cell(r, col["note"], "typo in the page: the share 48% and the total need 49948")
            ws.cell(r, col["reviewer"], "auditor-a")
        elif metric == plain_wrong and doc == docs[1].doc_id:
            ws.cell(r, col["verdict"], "wrong")
        else:
            ws.cell(r, col["verdict"], "correct")
    wb.save(out / "worksheet.xlsx")

    overlay = tmp_path / "audit" / "overlay.csv"
    assert main(["audit", "score", str(out / "worksheet.xlsx"), "--overlay", str(overlay),
                 "--reviewer", "auditor-b"]) == 0
    report = json.loads((out / "worksheet.score.json").read_text(encoding="utf-8"))
    lo, hi = wilson(n_rows - 2, n_rows)
    assert report["overall"]["judged"] == n_rows and report["overall"]["correct"] == n_rows - 2
    assert (report["overall"]["wilson_low"], report["overall"]["wilson_high"]) == (round(lo, 4), round(hi, 4))
    assert {s["stratum"] for s in report["strata"]} == set(figures["section"].astype(str))
    assert report["corrections"] == 1

    rebuilt = builder.build_dataset(docs, tmp_path / "outputs2", overlay=overlay)
    new = pd.read_parquet(rebuilt / "figures.parquet")
    fixed = new[(new["metric"] == wrong_metric) & (new["doc_id"] == docs[0].doc_id)].iloc[0]
    assert fixed["value"] == 19948 and fixed["value_corrected"] == 49948  # raw kept, correction added
    assert fixed["verdict"] == "wrong" and fixed["reviewer"] == "auditor-a"
    assert fixed["review_reason"].startswith("typo") and isinstance(fixed["reviewed_at"], str)
    unknown = new[(new["metric"] == plain_wrong) & (new["doc_id"] == docs[1].doc_id)].iloc[0]
    assert unknown["verdict"] == "wrong" and pd.isna(unknown["value_corrected"]) and unknown["reviewer"] == "auditor-b"
    ok = new[new["verdict"] == "correct"]
    assert len(ok) == n_rows - 2 and (ok["value_corrected"] == ok["value"]).all()
    assert not new["review_stale"].any()


def test_ogi_run_applies_the_overlay(tmp_path: Path) -> None:
    """The lead's `ogi run --overlay` path: overlay columns appear in the written figures table."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("二、主动公开政府信息情况\n共主动公开政府信息120条。\n", encoding="utf-8")
    overlay = tmp_path / "overlay.csv"
    pd.DataFrame([{"doc_id": "x", "figure_index": 0, "metric": "proactive.total", "start": 0, "end": 1,
                   "value_raw": 1, "verdict": "wrong", "value_corrected": 2, "reviewer": "r",
                   "reviewed_at": "2024-01-01T00:00:00Z", "review_reason": "", "worksheet": "w"}]
                 ).to_csv(overlay, index=False, encoding="utf-8-sig")
    assert main(["run", "--corpus", str(corpus), "--out", str(tmp_path / "out"), "--workers", "1",
                 "--overlay", str(overlay)]) == 0
    fig = pd.read_parquet(tmp_path / "out" / "figures.parquet")
    from pipeline.audit import OVERLAY_FIGURE_COLUMNS

    if not set(OVERLAY_FIGURE_COLUMNS) <= set(fig.columns):
        pytest.xfail("pipeline.dataset writes SCHEMAS['figures'] columns only, so the overlay columns "
                     "(pipeline.audit.OVERLAY_FIGURE_COLUMNS) are dropped: the lead's schema must add them")
    assert {"value", "value_corrected", "verdict", "reviewer", "reviewed_at", "review_reason"} <= set(fig.columns)
    assert (fig["value_corrected"].isna() == fig["value"].isna()).all() and fig["verdict"].isna().all()


def test_size_and_check_commands(dataset: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "size", "--confidence", "0.95", "--tolerable", "0.05"]) == 0
    assert "audit 59 figures" in capsys.readouterr().out
    assert main(["check", "--dataset", str(dataset)]) == 0
    checks = pd.read_csv(dataset / "checks.csv", encoding="utf-8-sig")
    assert {"share_mismatch", "parts_sum_mismatch", "repair_hint", "negative_count"} <= set(checks["code"])


def test_tools_read_a_real_ogi_run_output(tmp_path: Path) -> None:
    """sample / check / review on what `ogi run` writes (partitioned Parquet), from the seed page."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    seed = FIXTURES.parent / "seed" / "000_c5bff7659f61e6f7.txt"
    (corpus / seed.name).write_bytes(seed.read_bytes())
    out = tmp_path / "outputs"
    assert main(["run", "--corpus", str(corpus), "--out", str(out), "--workers", "1"]) == 0
    n = len(pd.read_parquet(out / "figures.parquet"))
    if n == 0:
        pytest.skip("the extractor yields no figures on the seed page yet")
    assert main(["audit", "sample", "--dataset", str(out), "--n", "5", "--out", str(tmp_path / "s")]) == 0
    assert len(pd.read_csv(tmp_path / "s" / "worksheet.csv", encoding="utf-8-sig")) == min(5, n)
    assert main(["check", "--dataset", str(out)]) == 0
    assert main(["review", "--dataset", str(out)]) == 0
    assert (out / "review" / "index.html").exists() and len(list((out / "review" / "doc").glob("*.html"))) == 1
