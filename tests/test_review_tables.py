"""Review pages draw page tables from their grid: merged cells keep their rowspan/colspan."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.cli import main

REPO = Path(__file__).resolve().parents[1]


def test_table3_is_drawn_with_its_merged_cells(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(REPO / "corpus" / "synthetic" / "湖州市-2022.html", corpus / "t2021.html")
    out = tmp_path / "out"
    assert main(["run", "--corpus", str(corpus), "--out", str(out), "--workers", "1", "--no-compare"]) == 0
    assert main(["review", "--dataset", str(out), "--out", str(tmp_path / "review")]) == 0
    (page,) = (tmp_path / "review" / "doc").glob("*.html")
    html = page.read_text(encoding="utf-8")
    assert 'class="src grid"' in html
    # 2021 Table 3: the group label 三、本年度办理结果 spans the 22 outcome rows, 申请人情况 the 7 columns
    assert 'rowspan="22"' in html and 'colspan="7"' in html
    assert html.count('class="cell-extracted"') >= 175 + 15
