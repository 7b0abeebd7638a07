"""The committed bundled corpus is exactly what the generator writes, and synthetic pages say so."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.corpus import iter_corpus
from pipeline.corpus_build import build

REPO = Path(__file__).resolve().parents[1]


def test_committed_corpus_matches_generator(tmp_path: Path) -> None:
    written = build(tmp_path)
    assert written, "the generator wrote nothing"
    for path in written:
        committed = REPO / "corpus" / path.relative_to(tmp_path)
        assert committed.read_bytes() == path.read_bytes(), f"{committed} is stale: run python -m pipeline.corpus_build"


def test_every_synthetic_page_is_labelled() -> None:
    items = list(iter_corpus([REPO / "corpus"]))
    synthetic = [i for i in items if "synthetic/" in i.source]
    assert len(synthetic) >= 12
    for item in synthetic:
        assert item.synthetic, item.source
        assert "SYNTHETIC" in item.data.decode("utf-8")
    for item in items:
        if item.source.startswith("sample/"):
            assert not item.synthetic


def test_gbk_sample_declares_gb2312_and_is_not_utf8() -> None:
    data = (REPO / "corpus" / "sample" / "mudanjiang-2013.gbk.html").read_bytes()
    assert b'charset=gb2312' in data and b"TRS_Editor" in data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:  # pragma: no cover - would mean the page is not really GBK
        raise AssertionError("the GBK sample decodes as UTF-8")
    text = data.decode("gbk")
    truth = [json.loads(line) for line in (REPO / "corpus" / "synthetic" / "truth.jsonl").open(encoding="utf-8")]
    assert "機構(gòu)職能信息4682條" in text and truth


def test_in_repo_seed_copies_equal_the_shared_originals() -> None:
    """tests/fixtures/seed and corpus/sample hold copies of ../shared/seed so the suite runs without it."""
    shared = REPO.parent / "shared" / "seed"
    if not shared.is_dir():
        import pytest

        pytest.skip("../shared is absent")
    mine = REPO / "tests" / "fixtures" / "seed"
    for name in ("000_c5bff7659f61e6f7.txt", "seed-gold.jsonl", "seed-expect.json"):
        assert (mine / name).read_bytes() == (shared / name).read_bytes(), name
    assert (REPO / "corpus" / "sample" / "mudanjiang-2013.txt").read_bytes() == (shared / "000_c5bff7659f61e6f7.txt").read_bytes()
