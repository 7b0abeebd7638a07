"""Small synthetic corpora for the scale tests (pages from pipeline.synth; every number differs per page)."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd

from pipeline.synth import BANNER, PLACES, prose_report, table_report
from pipeline.synth_html import paragraphs, portal_page


def write_corpus(root: Path, n: int, seed: int = 11, start: int = 0) -> list[Path]:
    """Pages ``start..start+n-1`` of a seeded synthetic corpus under ``root`` (both eras)."""
    paths = []
    for i in range(start, start + n):
        rng = random.Random(seed * 100_003 + i)
        place, year = rng.choice(PLACES), rng.choice([2012, 2015, 2020, 2022])
        if year < 2019:
            title, lines, _ = prose_report(place, year, rng)
            body = paragraphs(lines)
        else:
            title, body, _ = table_report(place, year, rng)
        html = portal_page(title=title, body_html=body, site=f"{place.name}人民政府（合成）", banner=BANNER)
        path = root / f"p{i:05d}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")
        paths.append(path)
    return paths


def canonical(out: Path, table: str) -> pd.DataFrame:
    """A table of an output folder in a canonical row order (row order is not part of the contract)."""
    frame = pd.read_parquet(out / f"{table}.parquet")
    keys = [c for c in ("source", "figure_index", "code", "start", "end", "message") if c in frame]
    return frame.sort_values(keys, kind="stable", na_position="first").reset_index(drop=True)
