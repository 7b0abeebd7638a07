"""End to end: `ogi run` on the bundled corpus, the sample's gold figures, exact quotes, bad input."""

from __future__ import annotations

import gzip
import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main

REPO = Path(__file__).resolve().parents[1]
SEED_GOLD = REPO / "tests" / "fixtures" / "seed" / "seed-gold.jsonl"
SAMPLE_PAGES = ["sample/mudanjiang-2013.gbk.html", "sample/mudanjiang-2013.utf8.html", "sample/mudanjiang-2013.txt"]
# Non-figures of the sample (seed-expect.json): (value, a piece of the text it would come from).
NOT_FIGURES = [(157022, ""), (2013, ""), (73, ""), (5, "大體系"), (4, "項工作"), (12, "月31"), (31, "31日")]


@pytest.fixture(scope="module")
def bundled_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    assert main(["run", "--out", str(out), "--workers", "2"]) == 0
    return out


def _key(metric: str, value: object, share: object) -> tuple[str, Decimal, Decimal | None]:
    def dec(v: object) -> Decimal | None:
        return None if v is None or (isinstance(v, float) and pd.isna(v)) else Decimal(str(v)).normalize()
    value_d = dec(value)
    assert value_d is not None
    return (metric, value_d, dec(share))


@pytest.mark.parametrize("source", SAMPLE_PAGES)
def test_sample_pages_yield_every_required_gold_figure(bundled_run: Path, source: str) -> None:
    figures = pd.read_csv(bundled_run / "figures.csv", encoding="utf-8-sig")
    mine = figures[figures["source"] == source]
    got = {_key(r.metric, r.value, r.share_pct) for r in mine.itertuples()}
    gold = [json.loads(line) for line in SEED_GOLD.open(encoding="utf-8")]
    missing = [g for g in gold if g["required"] and _key(g["metric"], g["value"], g.get("share_pct")) not in got]
    assert not missing, f"{source}: missing {[(g['metric'], g['value']) for g in missing]}"


@pytest.mark.parametrize("source", SAMPLE_PAGES)
def test_sample_pages_yield_no_listed_non_figure(bundled_run: Path, source: str) -> None:
    figures = pd.read_csv(bundled_run / "figures.csv", encoding="utf-8-sig")
    for row in figures[figures["source"] == source].itertuples():
        for value, piece in NOT_FIGURES:
            assert not (row.value == value and piece in str(row.quote)), (row.metric, row.value, row.quote)


def test_every_quote_is_the_source_text_at_its_offsets(bundled_run: Path) -> None:
    figures = pd.read_parquet(bundled_run / "figures.parquet")
    texts = pd.read_parquet(bundled_run / "documents.parquet").set_index("doc_id")["text"]
    assert len(figures) > 0
    for row in figures.itertuples():
        assert texts[row.doc_id][row.start:row.end] == row.quote, (row.source, row.metric)


def test_every_input_document_has_a_row(bundled_run: Path) -> None:
    docs = pd.read_csv(bundled_run / "documents.csv", encoding="utf-8-sig")
    pages = [p for p in (REPO / "corpus").rglob("*") if p.suffix in {".html", ".txt"}]
    assert len(docs) == len(pages)
    assert set(docs["status"]) == {"ok"}
    assert docs.loc[docs["source"].str.startswith("synthetic/"), "synthetic"].all()
    figures = pd.read_csv(bundled_run / "figures.csv", encoding="utf-8-sig")
    assert figures.loc[figures["source"].str.startswith("synthetic/"), "synthetic"].all()


def _bad_corpus(root: Path) -> dict[str, str]:
    """Bad inputs and the status each must get."""
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.html").write_bytes(gzip.compress(b"\x00\x01" * 500) + bytes(range(256)))
    (root / "no-report.html").write_text("<html><head><title>首页</title></head><body><div class=nav>"
                                         "<a href='/'>首页</a></div><p>欢迎访问本网站。</p></body></html>",
                                         encoding="utf-8")
    page = ("<html><head><meta charset='gb2312'></head><body><div class='TRS_Editor'>"
            "<p>二、主动公开政府信息情况</p><p>全年共主动公开政府信息3600条。</p></div></body></html>")
    raw = page.encode("gbk")  # cut after the count, in the middle of the two-byte 条
    (root / "truncated-gbk.html").write_bytes(raw[: raw.index(b"3600") + 4] + "条".encode("gbk")[:1])
    big = "<p>" + "本报告根据条例编制。" * 50 + "</p>\n"
    (root / "big.html").write_text("<html><body><div class='TRS_Editor'>" + big * (5_000_000 // len(big.encode()))
                                   + "</div></body></html>", encoding="utf-8")
    return {"empty.txt": "empty", "binary.html": "unreadable", "no-report.html": "no_report",
            "truncated-gbk.html": "ok", "big.html": "no_report"}


def test_bad_input_becomes_rows_with_findings_and_exit_0(tmp_path: Path) -> None:
    corpus, out = tmp_path / "bad", tmp_path / "out"
    corpus.mkdir()
    expected = _bad_corpus(corpus)
    assert main(["run", "--corpus", str(corpus), "--out", str(out), "--workers", "1"]) == 0
    docs = pd.read_csv(out / "documents.csv", encoding="utf-8-sig").set_index("source")
    assert sorted(docs.index) == sorted(expected)
    for source, status in expected.items():
        assert docs.loc[source, "status"] == status, source
        assert docs.loc[source, "n_findings"] >= (0 if status == "ok" else 1), source
    assert docs.loc["truncated-gbk.html", "replacements"] >= 1


def test_exit_1_when_nothing_is_readable(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_bytes(b"")
    assert main(["run", "--corpus", str(tmp_path / "c"), "--out", str(tmp_path / "o"), "--workers", "1"]) == 1


def test_exit_2_for_usage_errors(tmp_path: Path) -> None:
    assert main(["run", "--corpus", str(tmp_path / "missing"), "--out", str(tmp_path / "o")]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["run", "--no-such-flag"])
    assert exc.value.code == 2
