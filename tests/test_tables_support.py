"""Helpers for the table tests and benchmark (no tests here).

``page_tables(page)`` gives (source text, RawTables) for an HTML page: ``parsers.html.extract_content``
once it returns tables, otherwise a small local stand-in that follows the html.py contract (one RawCell per
original cell at its top-left grid position, each row rendered as one line with cells joined by " | ").
"""

from __future__ import annotations

import re
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from parsers import html
from parsers.records import RawCell, RawTable

SHARED = Path(__file__).resolve().parents[2] / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "tables"

_WS = re.compile(r"[\s\u00a0\u3000]+")
_CJK_GAP = re.compile(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])")


def _cell_text(node) -> str:  # type: ignore[no-untyped-def]
    for bad in node.css("o\\:p, script, style"):
        bad.decompose()
    raw = node.text(deep=True, separator="\n")
    text = _WS.sub(" ", raw).strip()
    return _CJK_GAP.sub("", text)


def _local_tables(page: str) -> tuple[str, tuple[RawTable, ...]]:
    tree = LexborHTMLParser(page)
    out: list[str] = []
    pos = 0
    tables: list[RawTable] = []
    for tnode in tree.css("table"):
        if tnode.css_first("table") is not None:
            continue  # a layout table around data tables: the inner tables are read
        occupied: set[tuple[int, int]] = set()
        cells: list[RawCell] = []
        start = pos
        n_cols = 0
        rows = [tr for tr in tnode.css("tr")]
        for r, tr in enumerate(rows):
            c = 0
            parts: list[str] = []
            line_start = pos
            for td in tr.iter():
                if td.tag not in ("td", "th"):
                    continue
                while (r, c) in occupied:
                    c += 1
                rs = int(td.attributes.get("rowspan") or 1)
                cs = int(td.attributes.get("colspan") or 1)
                for dr in range(rs):
                    for dc in range(cs):
                        occupied.add((r + dr, c + dc))
                text = _cell_text(td)
                offset = line_start + sum(len(p) + 3 for p in parts)
                cells.append(RawCell(r, c, text, offset, offset + len(text), rs, cs, td.tag == "th"))
                parts.append(text)
                c += cs
            n_cols = max(n_cols, c)
            line = " | ".join(parts)
            out.append(line)
            pos += len(line) + 1
        tables.append(RawTable(len(tables), tuple(cells), len(rows), n_cols, start, max(start, pos - 1)))
        out.append("")
        pos += 1
    return "\n".join(out), tuple(tables)


def page_tables(page: str) -> tuple[str, tuple[RawTable, ...]]:
    """(source text, RawTables) of an HTML page."""
    content = html.extract_content(page)
    if content.tables:
        return content.text, content.tables
    return _local_tables(page)
