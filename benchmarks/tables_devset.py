"""Score the standard-table reader against the table gold of /work/shared/devset.

Gold used: ``docs/*.gold.jsonl`` entries with table 2/3/4 (matched by metric, applicant and value), and
the table rows of ``gold.jsonl`` (entries whose quote is a flattened table row: matched by a figure inside
the quoted row with the same column and value). Prints ``matched/total`` and the misses.

    .venv/bin/python benchmarks/tables_devset.py [-v]
"""

from __future__ import annotations

import json
import re
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from parsers import normalize  # noqa: E402
from parsers.records import Figure, Metadata, TextView  # noqa: E402
from parsers.settings import load_resources  # noqa: E402
from parsers.table_labels import (T2_COLUMNS, T4_BLOCKS, T4_PARTS, match_t2_row, match_t3_column,  # noqa: E402
                                  match_t3_row, norm_label)
from parsers.tables import extract_tables  # noqa: E402

DEVSET = ROOT.parent / "shared" / "devset"
_T2_COLS = {norm_label(c.label): c.key for cols in T2_COLUMNS.values() for c in cols}


def t2_col_key(label: str) -> str | None:
    """The Table 2 column key of a printed/gold column label (prefix match on the template labels)."""
    lab = norm_label(label)
    lab = re.sub(r"\(.*$", "", lab)
    for tmpl, key in _T2_COLS.items():
        if tmpl.startswith(lab) or lab.startswith(re.sub(r"\(.*$", "", tmpl)):
            return key
    return None


def gold_key(table: str, row: str, col: str) -> tuple[str, str | None] | None:
    """(metric, applicant) for a gold cell."""
    if table == "3":
        m, a = match_t3_row(row), match_t3_column(col.split("-")[-1])
        return (m, a) if m and a else None
    if table == "2":
        r, k = match_t2_row(norm_label(row)), t2_col_key(col)
        return (f"proactive.{r[0]}.{k}", None) if r and k else None
    if table == "4":
        stem = next((s for s, lab in T4_BLOCKS if norm_label(lab) == norm_label(row)), None)
        part = next((p for p, lab in T4_PARTS if lab == norm_label(col)), None)
        return (f"{stem}.{part}", None) if stem and part else None
    return None


def _gold_value(value: float | int | None, unit: str) -> Decimal | None:
    if value is None:
        return None
    v = Decimal(str(value))
    return v * 10000 if unit in ("万元", "萬元") else v


def _key(f: Figure) -> tuple[str, str | None]:
    return f.metric, dict(f.dims).get("applicant")


def score_docs(verbose: bool = False) -> tuple[int, int]:
    from test_tables_support import page_tables

    matched = total = 0
    for gold_path in sorted((DEVSET / "docs").glob("*.gold.jsonl")):
        gold = [json.loads(line) for line in gold_path.open(encoding="utf-8")]
        gold = [g for g in gold if g.get("table") in ("2", "3", "4")]
        if not gold:
            continue
        page = gold_path.with_name(gold_path.name.replace(".gold.jsonl", ".html")).read_text(encoding="utf-8")
        text, tables = page_tables(page)
        figs, _ = extract_tables(text, TextView.identity(text), tables, (), Metadata())
        by_key: dict[tuple[str, str | None], list[Figure]] = {}
        for f in figs:
            by_key.setdefault(_key(f), []).append(f)
        for g in gold:
            total += 1
            key = gold_key(g["table"], g["row"], g["col"])
            want = _gold_value(g["value"], g["unit"])
            got = [f.value for f in by_key.get(key, [])] if key else []
            if want in got:
                matched += 1
            elif verbose:
                print(f"MISS {gold_path.name[:2]} T{g['table']} {g['row']} / {g['col']} = {want}; key {key} got {got}")
    return matched, total


def score_passages(verbose: bool = False) -> tuple[int, int]:
    resources = load_resources()
    gold: dict[str, list[dict]] = {}
    for line in (DEVSET / "gold.jsonl").open(encoding="utf-8"):
        g = json.loads(line)
        if g.get("annotated") or "—" not in g["meaning"] or not ("|" in g["quote"] or "\n" in g["quote"]):
            continue
        gold.setdefault(g["passage"], []).append(g)
    matched = total = 0
    for pid, entries in sorted(gold.items()):
        raw = (DEVSET / "passages" / f"{pid}.txt").read_text(encoding="utf-8")
        text = raw.split("---\n", 1)[1]
        view = normalize.normalize(text, resources)
        figs, _ = extract_tables(text, view, (), (), Metadata())
        for g in entries:
            total += 1
            col = re.sub(r"\s*\(.*$", "", g["meaning"].split("—")[-1].strip())
            applicant = match_t3_column(col.split("-")[-1])
            col_key = None if applicant else t2_col_key(col)
            want = _gold_value(g["value"], g["unit"])
            spans = [m.start() for m in re.finditer(re.escape(g["quote"]), text)]
            ok = False
            for f in figs:
                if not any(s <= f.start < s + len(g["quote"]) for s in spans) or f.value != want:
                    continue
                if applicant and dict(f.dims).get("applicant") == applicant:
                    ok = True
                elif col_key and f.metric.endswith("." + col_key):
                    ok = True
            matched += ok
            if not ok and verbose:
                print(f"MISS {pid} {g['meaning']} = {want}")
    return matched, total


def main() -> None:
    verbose = "-v" in sys.argv
    d = score_docs(verbose)
    p = score_passages(verbose)
    print(f"docs: {d[0]}/{d[1]}  passages: {p[0]}/{p[1]}  all: {d[0] + p[0]}/{d[1] + p[1]}")


if __name__ == "__main__":
    main()
