"""The `ogi extract` / `ogi parse` contracts, through the installed console script and in-process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main

REPO = Path(__file__).resolve().parents[1]
SAMPLE_TXT = REPO / "corpus" / "sample" / "mudanjiang-2013.txt"
SAMPLE_GBK = REPO / "corpus" / "sample" / "mudanjiang-2013.gbk.html"
EXPECT = json.loads((REPO / "tests" / "fixtures" / "seed" / "seed-expect.json").read_text(encoding="utf-8"))
REQUIRED_KEYS = {"source", "doc_id", "metric", "value", "unit", "kind", "section", "quote", "start", "end"}


def _ogi(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("ogi")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120, check=False)


def test_extract_jsonl_contract_on_text_input() -> None:
    proc = _ogi("extract", str(SAMPLE_TXT), "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert records, "no figures"
    text = SAMPLE_TXT.read_text(encoding="utf-8")
    for rec in records:
        assert REQUIRED_KEYS <= rec.keys()
        assert rec["source"] == str(SAMPLE_TXT)
        assert isinstance(rec["value"], (int, float))
        assert text[rec["start"]:rec["end"]] == rec["quote"]
    shares = {r["metric"]: r.get("share_pct") for r in records}
    assert shares.get("proactive.by_category.institutional_functions") == 4.5


def test_extract_csv_has_a_header_and_rows(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(SAMPLE_GBK), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("source,doc_id,metric,value")
    assert len(lines) > 10


def test_parse_gives_the_sample_metadata_and_section_order(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SAMPLE_GBK)]) == 0
    doc = json.loads(capsys.readouterr().out)
    for key, value in EXPECT["metadata"].items():
        assert doc["metadata"][key] == value, key
    assert [s["section_id"] for s in doc["sections"]] == EXPECT["sections_in_order"]
    printed = {s["section_id"]: s["heading"] for s in doc["sections"]}
    for sid, heading in EXPECT["section_headings_as_printed"].items():
        assert printed[sid] == heading
    assert doc["decode"]["encoding"] == "gb18030" and doc["decode"]["declared"] == "gb2312"


def test_parsed_page_text_has_no_portal_boilerplate(capsys: pytest.CaptureFixture[str]) -> None:
    from parsers.page import parse_page
    from parsers.settings import load_resources

    doc = parse_page(SAMPLE_GBK.read_bytes(), source="p.html", resources=load_resources())
    for junk in EXPECT["boilerplate_not_in_report_text"]:
        assert junk not in doc.text, junk
    assert "ICP" not in doc.text and "157000" not in doc.text


@pytest.mark.parametrize("args", [["extract", "/no/such/file.html"], ["parse", "/no/such/file.txt"]])
def test_missing_files_are_usage_errors(args: list[str]) -> None:
    assert main(args) == 2
