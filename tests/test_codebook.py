"""The codebook is generated from the taxonomy (one source of truth) and stamped next to every dataset."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pytest

from parsers.taxonomy import METRICS
from pipeline.cli import main
from pipeline.codebook import COLUMNS, _extra_row, codebook_markdown, codebook_rows, write_codebook, write_docs
from pipeline.derived import DERIVED, NOT_COMPUTED

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("compare_fixture", REPO / "tests/fixtures/compare/build.py")
assert _spec and _spec.loader
fixture = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixture)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_taxonomy_metric_once_with_its_taxonomy_fields() -> None:
    rows = codebook_rows()
    source = [r for r in rows if not r["is_derived"]]
    assert sorted(r["metric"] for r in source) == sorted(METRICS)
    for r in source:
        m = METRICS[r["metric"]]
        assert (r["label_zh"], r["unit"], r["kind"], r["definition"], r["caveats"], r["eras"]) == \
            (m.label_zh, m.unit, m.kind, m.definition, m.caveats, " ".join(m.eras))


def test_every_derived_metric_with_its_formula() -> None:
    derived = {r["metric"]: r for r in codebook_rows() if r["is_derived"]}
    for d in (*DERIVED, *NOT_COMPUTED):
        assert derived[d.id]["formula"] == d.formula() and derived[d.id]["label_zh"] == d.label_zh
    assert derived["requests.rate.disclosed"]["unit"] == "%"
    assert "Not computed" in derived["requests.per_10k_residents"]["caveats"] or \
        "does not compute" in derived["requests.per_10k_residents"]["caveats"]


def test_docs_codebook_is_in_sync_with_the_taxonomy(tmp_path: Path) -> None:
    md, csv_path = write_docs(tmp_path)
    for generated in (md, csv_path):
        committed = REPO / "docs" / generated.name
        assert committed.read_bytes() == generated.read_bytes(), \
            f"docs/{generated.name} is stale: run `.venv/bin/python -m pipeline.codebook`"


def test_markdown_lists_every_metric() -> None:
    rows = codebook_rows()
    text = codebook_markdown(rows)
    assert all(f"`{r['metric']}`" in text for r in rows)
    assert "收到申请数" in text


@pytest.fixture()
def dataset(tmp_path: Path) -> Path:
    return fixture.build_dataset(tmp_path / "outputs")


def test_codebook_next_to_a_dataset_is_stamped(dataset: Path) -> None:
    path = write_codebook(dataset)
    rows = _read(path)
    assert list(rows[0]) == COLUMNS
    manifest = json.loads((dataset / "manifest.json").read_text(encoding="utf-8"))
    stamps = {(r["dataset_version"], r["extractor_version"], r["config_hash"]) for r in rows}
    assert len(stamps) == 1
    version, extractor, config = stamps.pop()
    assert (extractor, config) == (manifest["extractor_version"], manifest["settings_fingerprint"])
    assert version.startswith(extractor + "+") and len(version) > len(extractor) + 8
    by_id = {r["metric"]: r for r in rows}
    assert by_id["requests.received.total"]["n_figures"] == "27"  # every figure in the fixture, copies too
    assert by_id["review.pending"]["in_taxonomy"] == "True"
    # ids in the data that the taxonomy lacks are listed, flagged, never silently dropped
    assert _extra_row("unlisted.metric")["in_taxonomy"] is False


def test_dataset_version_comes_from_the_manifest_when_it_has_one(dataset: Path) -> None:
    manifest_path = dataset / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest_path.write_text(json.dumps({**manifest, "dataset_version": "2024.1"}), encoding="utf-8")
    assert {r["dataset_version"] for r in _read(write_codebook(dataset))} == {"2024.1"}


def test_dataset_version_changes_with_the_data(dataset: Path) -> None:
    before = _read(write_codebook(dataset))[0]["dataset_version"]
    figures = dataset / "figures.csv"
    figures.write_bytes(figures.read_bytes() + b"\n")
    assert _read(write_codebook(dataset))[0]["dataset_version"] != before


def test_cli_codebook(dataset: Path, tmp_path: Path) -> None:
    assert main(["codebook", "--dataset", str(dataset)]) == 0 and (dataset / "codebook.csv").is_file()
    assert main(["codebook", "--dataset", str(tmp_path / "missing")]) == 2
