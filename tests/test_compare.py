"""Cross-city comparison: copies counted once, scope rows, filters, panel shape, chart fonts, CLI, bundled corpus."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.compare import default_comparison, load_frames
from pipeline.compare_chart import FontChoice, chart_labels_covered, draw_chart, find_cjk_font, font_covers
from pipeline.compare_dedupe import content_key, find_duplicates
from pipeline.compare_panel import PanelSpec, compare, panel, parse_years

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("compare_fixture", REPO / "tests/fixtures/compare/build.py")
assert _spec and _spec.loader
fixture = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixture)
RECEIVED = "requests.received.total"


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixture.build_dataset(tmp_path_factory.mktemp("compare") / "outputs")


@pytest.fixture(scope="module")
def frames(dataset: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    figures, documents, _ = load_frames(dataset)
    assert documents is not None
    return figures, documents


def _cell(comp_cells: pd.DataFrame, series: str, year: int) -> pd.Series:
    hit = comp_cells[(comp_cells["series"] == series) & (comp_cells["data_year"] == year)]
    assert len(hit) == 1, f"{series} {year}: {len(hit)} cells"
    return hit.iloc[0]


# --- one report counts once -------------------------------------------------------------------------------

# dropped copy → (kept copy, keys that matched)
EXPECTED_COPIES = {
    "sample/mudanjiang-2013.utf8.html": ("sample/mudanjiang-2013.gbk.html", "figures+text"),
    "sample/mudanjiang-2013.txt": ("sample/mudanjiang-2013.gbk.html", "text"),  # fewer figures: dropped
    "synthetic/湖州市-2020.html": ("https://www.huzhou.example/col/2020/report.html", "bytes+figures+text"),
    "synthetic/九江市-2016.html": ("mirror/jiujiang/2016/report.html", "figures"),  # page text differs
}


def test_copies_are_found_and_the_kept_copy_follows_the_rule(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    dups = find_duplicates(*frames)
    got = {r.source: (r.kept_source, r.key) for r in dups.itertuples()}
    assert got == EXPECTED_COPIES


def test_without_texts_copies_are_still_found_by_bytes_and_figures(frames: tuple[pd.DataFrame, ...]) -> None:
    dups = find_duplicates(frames[0])
    assert set(dups["source"]) == set(EXPECTED_COPIES) - {"sample/mudanjiang-2013.txt"}


@pytest.mark.parametrize("a,b,same", [
    ("第一条，共受理申请28件。" * 5, "第一条\n共受理申请 28 件" * 5, True),  # layout and punctuation only
    ("收到申请28件。" * 10, "收到申请29件。" * 10, False),  # one digit differs
    ("短", "短", False),  # too short to key: never a copy by text
])
def test_content_key(a: str, b: str, same: bool) -> None:
    ka, kb = content_key(a), content_key(b)
    assert (ka is not None and ka == kb) == same


def test_copies_count_once_in_the_panel(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    comp = compare(frames[0], PanelSpec(RECEIVED), frames[1])
    mdj = _cell(comp.cells, "牡丹江市", 2013)
    assert (mdj["value"], mdj["n_reports"], mdj["source"]) == (28, 1, "sample/mudanjiang-2013.gbk.html")
    assert comp.excluded["copy of another report"] == 4


# --- scope, level, cumulative, years, applicant -------------------------------------------------------------

def test_scopes_are_separate_rows_and_filterable(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    comp = compare(frames[0], PanelSpec(RECEIVED), frames[1])
    assert _cell(comp.cells, "湖州市 [agency_only]", 2020)["value"] == 14
    assert _cell(comp.cells, "湖州市 [jurisdiction_total]", 2020)["value"] == 310
    only = compare(frames[0], PanelSpec(RECEIVED, scopes=("jurisdiction_total",)), frames[1])
    assert set(only.cells["scope"]) == {"jurisdiction_total"}
    assert "湖州市" in set(only.cells["series"])  # one scope left: no [scope] suffix
    assert only.excluded["scope filtered out"] == 2  # the 办公室 and the 公安局 reports


def test_level_filter(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    wide = panel(frames[0], RECEIVED, level="city", documents=frames[1])
    assert "大庆市·公安局" not in set(wide["series"])
    assert set(wide["admin_level"]) == {"city"}


def test_cumulative_figures_never_mix_with_annual_ones(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    annual = compare(frames[0], PanelSpec("proactive.total"), frames[1])
    assert "牡丹江市" not in set(annual.cells["series"])  # its 104059 is 累计
    assert annual.excluded["cumulative figure"] == 1
    cumulative = compare(frames[0], PanelSpec("proactive.total", cumulative=True), frames[1])
    assert cumulative.cells[["series", "data_year", "value"]].values.tolist() == [["牡丹江市", 2013, 104059]]


def test_years_filter_and_parsing(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    wide = panel(frames[0], RECEIVED, years="2016-2020", documents=frames[1])
    assert [c for c in wide.columns if c.isdigit()] == ["2016", "2020"]
    with pytest.raises(ValueError):
        parse_years("2020-2013")


def test_unresolved_regions_are_left_out_and_counted(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    comp = compare(frames[0], PanelSpec(RECEIVED), frames[1])
    assert comp.excluded["region not resolved"] == 1
    assert comp.excluded["applicant is not total"] == 6  # the six applicant columns of 大庆市 2022


# --- panel shape and cell choice ----------------------------------------------------------------------------

def test_wide_panel_shape(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    wide = panel(frames[0], RECEIVED, documents=frames[1])
    assert list(wide["series"]) == ["九江市", "湖州市 [agency_only]", "湖州市 [jurisdiction_total]", "大庆市",
                                    "大庆市·公安局", "牡丹江市"]  # by province, adcode
    assert [c for c in wide.columns if c.isdigit()] == ["2012", "2013", "2016", "2020", "2022"]
    row = wide[wide["series"] == "牡丹江市"].iloc[0]
    assert (row["province"], row["adcode"], row["2013"]) == ("黑龙江省", "231000", 28)
    assert pd.isna(row["2012"])
    by_year = panel(frames[0], RECEIVED, by="year", documents=frames[1])
    assert list(by_year["data_year"]) == [2012, 2013, 2016, 2020, 2022]
    assert by_year.shape == (5, 1 + 6)


def test_table_cell_wins_and_two_reports_are_a_conflict(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    comp = compare(frames[0], PanelSpec(RECEIVED), frames[1])
    dq = _cell(comp.cells, "大庆市", 2022)
    assert (dq["value"], dq["origin"], bool(dq["conflict"])) == (416, "table", False)  # prose says 415
    jj = _cell(comp.cells, "九江市", 2022)
    assert (jj["value"], jj["n_reports"], bool(jj["conflict"])) == (260, 2, True)  # the fuller report is kept
    assert "262" in jj["alternatives"]


def test_derived_rates_in_a_panel(frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    comp = compare(frames[0], PanelSpec("requests.rate.disclosed"), frames[1])
    cell = _cell(comp.cells, "大庆市", 2022)
    assert cell["value"] == pytest.approx(7.75) and bool(cell["is_derived"])
    assert cell["unit"] == "%" and cell["inputs"]
    inst = compare(frames[0], PanelSpec("requests.rate.disclosed", applicant="research_institution"), frames[1])
    na = _cell(inst.cells, "大庆市", 2022)
    assert pd.isna(na["value"]) and "denominator is 0" in na["note"]
    legal = compare(frames[0], PanelSpec(RECEIVED, applicant="legal_person_total"), frames[1])
    assert _cell(legal.cells, "大庆市", 2022)["value"] == 360


# --- chart ---------------------------------------------------------------------------------------------------

def test_chart_is_written_with_a_font_that_covers_the_labels(frames: tuple[pd.DataFrame, ...],
                                                             tmp_path: Path) -> None:
    from PIL import Image

    comp = compare(frames[0], PanelSpec(RECEIVED), frames[1])
    result = draw_chart(comp.cells, tmp_path / "c.png", title_zh="收到申请数", metric=RECEIVED, unit="件")
    assert result.font.path is not None, "no CJK font: mplfonts (a dependency) should ship Noto Sans CJK SC"
    assert {"牡丹江市", "大庆市", "九江市"} <= set(result.labels)
    assert chart_labels_covered(result) and not result.warnings
    with Image.open(result.path) as img:
        assert img.format == "PNG" and img.width >= 800


def test_chart_without_cjk_font_falls_back_to_adcodes(frames: tuple[pd.DataFrame, ...], tmp_path: Path) -> None:
    comp = compare(frames[0], PanelSpec(RECEIVED), frames[1])
    result = draw_chart(comp.cells, tmp_path / "c.png", title_zh="收到申请数", metric=RECEIVED, unit="件",
                        font=FontChoice(None, None, "none"))
    assert result.path.is_file() and result.warnings
    assert all(label.isascii() for label in result.labels) and "231000" in result.labels


def test_font_coverage_check_rejects_latin_fonts() -> None:
    from matplotlib import font_manager

    dejavu = Path(font_manager.findfont("DejaVu Sans"))
    assert not font_covers(dejavu, "牡丹江市")
    assert find_cjk_font().path is None or font_covers(find_cjk_font().path, "牡丹江市黑龙江省")


# --- command line, run hook, notebook API --------------------------------------------------------------------

def test_cli_compare_writes_panel_chart_summary(dataset: Path, tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    assert main(["compare", "--metric", RECEIVED, "--dataset", str(dataset), "--out", str(out),
                 "--level", "city", "--years", "2012-2022"]) == 0
    for name in ("panel.csv", "panel.parquet", "cells.csv", "cells.parquet", "png", "md"):
        assert (out / f"{RECEIVED}.{name}").is_file(), name
    wide = pd.read_csv(out / f"{RECEIVED}.panel.csv", encoding="utf-8-sig", dtype={"adcode": str})
    assert pd.read_parquet(out / f"{RECEIVED}.panel.parquet").shape == wide.shape
    summary = (out / f"{RECEIVED}.md").read_text(encoding="utf-8")
    assert "收到申请数" in summary and "Scopes differ" in summary and "Two reports for 九江市 2022" in summary
    assert "mudanjiang-2013.utf8.html" in summary  # the copies table
    assert main(["compare", "--dataset", str(tmp_path / "missing")]) == 2
    assert main(["compare", "--dataset", str(dataset), "--years", "2020-2010"]) == 2


def test_default_comparison_for_ogi_run(dataset: Path) -> None:
    paths = default_comparison(dataset)
    assert paths and all(p.is_file() and p.parent == dataset / "compare" for p in paths)
    assert (dataset / "compare" / "requests.rate.disclosed.png").is_file()


def test_importing_pipeline_stays_cheap_and_exposes_the_api() -> None:
    code = ("import sys, pipeline; assert 'pandas' not in sys.modules; "
            "assert callable(pipeline.load_dataset) and callable(pipeline.panel)")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


# --- the bundled corpus ---------------------------------------------------------------------------------------

def test_bundled_corpus_panel(tmp_path: Path) -> None:
    out = tmp_path / "outputs"
    assert main(["run", "--out", str(out), "--workers", "1"]) == 0  # the bundled corpus
    figures, documents, _ = load_frames(out)
    if figures["adcode"].isna().all() or not (figures["metric"] == RECEIVED).any():
        pytest.skip("region resolution or request extraction not available yet in this checkout")
    comp = compare(figures, PanelSpec(RECEIVED), documents)
    rows = comp.wide.set_index("series")
    assert (rows.loc["牡丹江市", "province"], rows.loc["牡丹江市", "adcode"]) == ("黑龙江省", "231000")
    assert {"大庆市", "九江市", "湖州市"} <= set(rows.index)
    mdj = comp.cells[comp.cells["series"] == "牡丹江市"]
    assert mdj[["data_year", "value", "n_reports"]].values.tolist() == [[2013, 28, 1]]  # three copies, once


def test_unknown_metric_and_empty_dataset_give_empty_outputs_not_errors(dataset: Path, tmp_path: Path) -> None:
    figures, documents, _ = load_frames(dataset)
    comp = compare(figures, PanelSpec("no.such.metric"), documents)
    assert comp.cells.empty and comp.wide.empty
    empty = compare(figures.iloc[0:0], PanelSpec("requests.rate.disclosed"), documents.iloc[0:0])
    assert empty.cells.empty and empty.duplicates.empty
    out = tmp_path / "cmp"
    assert main(["compare", "--metric", "no.such.metric", "--dataset", str(dataset), "--out", str(out)]) == 0
    assert "No figure matched" in (out / "no.such.metric.md").read_text(encoding="utf-8")
    assert (out / "no.such.metric.png").is_file()
