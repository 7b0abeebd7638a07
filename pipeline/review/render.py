"""HTML of the review pages. Crawled text is untrusted: every string is escaped for its context.

- text and attributes: :func:`html.escape` (quotes included); no page data in inline handlers;
- page data for the script: JSON in ``<script type="application/json">`` with ``<``, ``>``, ``&``,
  U+2028 and U+2029 escaped (:func:`json_for_script`), read with ``JSON.parse``, shown with textContent;
- a Content-Security-Policy meta allows scripts from the site's own ``review.js`` only, and no
  network at all (``default-src 'none'``); links to the original page only for http(s) URLs.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
_TABLE_SEP = " | "
_SAFE_ID = re.compile(r"[^A-Za-z0-9_-]")


def e(value: Any) -> str:
    """Escape any value for HTML text or a quoted attribute (None -> empty).

    >>> e('"</script><img onerror=x>')
    '&quot;&lt;/script&gt;&lt;img onerror=x&gt;'
    """
    return "" if value is None else escape(str(value), quote=True)


def json_for_script(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``.

    >>> json_for_script({"q": "</script>&\\u2028"})
    '{"q": "\\\\u003c/script\\\\u003e\\\\u0026\\\\u2028"}'
    """
    text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    for raw, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                     ("\u2029", "\\u2029")):
        text = text.replace(raw, esc)
    return text


def page_name(doc_id: str) -> str:
    """File name of a document's page (ids from a dataset are not trusted as paths either)."""
    return _SAFE_ID.sub("_", doc_id)[:80] + ".html"


def head(title: str, prefix: str) -> str:
    return ('<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            '<meta name="referrer" content="no-referrer">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>{e(title)}</title><link rel="stylesheet" href="{prefix}review.css"></head>\n<body>\n')


def safe_link(url: Any, label: Any) -> str:
    """An outbound link for http(s) URLs only (anything else is shown as text)."""
    text = "" if url is None else str(url)
    if re.match(r"^https?://", text, re.I):
        return f'<a href="{e(text)}" rel="noopener noreferrer nofollow" target="_blank">{e(label)}</a>'
    return e(label)


@dataclass(frozen=True, slots=True)
class Segment:
    start: int
    end: int
    figures: tuple[int, ...]
    findings: tuple[int, ...]
    heading: str | None


def segments(n: int, figs: Sequence[tuple[int, int]], finds: Sequence[tuple[int, int]],
             headings: Sequence[tuple[int, int, str]], cuts: Sequence[int]) -> list[Segment]:
    """The text ``[0, n)`` cut at every span boundary, each piece with the spans covering it.

    >>> [(s.start, s.end, s.figures) for s in segments(6, [(1, 3)], [], [], [])]
    [(0, 1, ()), (1, 3, (0,)), (3, 6, ())]
    """
    bounds = {0, n, *cuts}
    for a, b in (*figs, *finds):
        bounds.update((max(0, min(a, n)), max(0, min(b, n))))
    for a, b, _ in headings:
        bounds.update((max(0, min(a, n)), max(0, min(b, n))))
    points = sorted(bounds)
    out = []
    for a, b in zip(points, points[1:]):
        if a >= b:
            continue
        out.append(Segment(a, b, tuple(i for i, (s, t) in enumerate(figs) if s <= a and b <= t),
                           tuple(i for i, (s, t) in enumerate(finds) if s <= a and b <= t),
                           next((sid for s, t, sid in headings if s <= a and b <= t), None)))
    return out


class TextRenderer:
    """Renders ranges of a document's text with figure, finding and heading marks."""

    def __init__(self, text: str, figs: Sequence[tuple[int, int]], flagged: set[int],
                 finds: Sequence[tuple[int, int]], headings: Sequence[tuple[int, int, str]],
                 labels: Sequence[str], cuts: Sequence[int]) -> None:
        self.text, self.flagged, self.labels = text, flagged, labels
        self.segs = segments(len(text), figs, finds, headings, cuts)
        self.starts = [s.start for s in self.segs]
        self.anchored: set[str] = set()

    def _anchor(self, name: str) -> str:
        if name in self.anchored:
            return ""
        self.anchored.add(name)
        return f' id="{name}"'

    def render(self, a: int, b: int) -> str:
        out = []
        i = max(0, bisect.bisect_right(self.starts, a) - 1)
        while i < len(self.segs) and self.segs[i].start < b:
            s = self.segs[i]
            i += 1
            lo, hi = max(s.start, a), min(s.end, b)
            if lo >= hi:
                continue
            piece = e(self.text[lo:hi])
            if s.findings:
                ids = " ".join(map(str, s.findings))
                piece = (f'<mark class="span-finding" data-findings="{ids}"'
                         f'{self._anchor(f"finding-{s.findings[0]}")}>{piece}</mark>')
            if s.figures:
                ids = " ".join(map(str, s.figures))
                cls = "fig flagged" if any(f in self.flagged for f in s.figures) else "fig"
                title = "; ".join(self.labels[f] for f in s.figures)
                piece = (f'<mark class="{cls}" data-figs="{ids}" title="{e(title)}"'
                         f'{self._anchor(f"fig-{s.figures[0]}")}>{piece}</mark>')
            if s.heading:
                piece = f'<span class="heading"{self._anchor("sec-" + _SAFE_ID.sub("_", s.heading))}>{piece}</span>'
            out.append(piece)
        return "".join(out)


def blocks(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, int, int]]:
    """``text`` and ``table`` blocks of ``text[start:end]``: runs of lines with `` | `` are tables (how
    html.py renders cells, and how flattened tables often reach us)."""
    out: list[tuple[str, int, int]] = []
    pos = start
    for line in text[start:end].splitlines(keepends=True):
        kind = "table" if _TABLE_SEP in line else "text"
        stop = pos + len(line)
        if out and out[-1][0] == kind:
            out[-1] = (kind, out[-1][1], stop)
        else:
            out.append((kind, pos, stop))
        pos = stop
    return out


def table_cuts(text: str) -> list[int]:
    """Cell boundaries inside table lines (so marks never straddle two cells)."""
    cuts = []
    for kind, a, b in blocks(text):
        if kind == "table":
            for m in re.finditer(re.escape(_TABLE_SEP), text[a:b]):
                cuts += [a + m.start(), a + m.end()]
    return cuts


def _cell(r: TextRenderer, figs: Sequence[tuple[int, int]], a: int, b: int, attrs: str = "") -> str:
    hit = any(s < b and a < t for s, t in figs)
    cls = ' class="cell-extracted"' if hit else ""
    return f"<td{cls}{attrs}>{r.render(a, b)}</td>"


def _render_lines(r: TextRenderer, figs: Sequence[tuple[int, int]], start: int, end: int) -> str:
    """Plain text, with pipe-separated lines shown as a simple table (no grid known)."""
    text, out = r.text, []
    for kind, a, b in blocks(text, start, end):
        if kind == "text":
            out.append(r.render(a, b))
            continue
        rows, pos = [], a
        for line in text[a:b].splitlines(keepends=True):
            cells, cpos = [], pos
            for part in line.rstrip("\r\n").split(_TABLE_SEP):
                cells.append(_cell(r, figs, cpos, cpos + len(part)))
                cpos += len(part) + len(_TABLE_SEP)
            rows.append("<tr>" + "".join(cells) + "</tr>")
            pos += len(line)
        out.append('<table class="src">' + "".join(rows) + "</table>")
    return "".join(out)


def _render_grid(r: TextRenderer, figs: Sequence[tuple[int, int]], table: dict[str, Any]) -> str:
    """A table from its grid (tables_json): merged cells keep their rowspan/colspan, as on the page."""
    by_row: dict[int, list[list[int]]] = {}
    for cell in table["cells"]:
        by_row.setdefault(int(cell[0]), []).append([int(v) for v in cell])
    rows = []
    for row in range(int(table["n_rows"])):
        cells = []
        for _, _, rowspan, colspan, a, b in sorted(by_row.get(row, []), key=lambda c: c[1]):
            attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
            cells.append(_cell(r, figs, a, b, attrs))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table class="src grid">' + "".join(rows) + "</table>"


def render_text(r: TextRenderer, figs: Sequence[tuple[int, int]], tables: Sequence[dict[str, Any]] = ()) -> str:
    """The whole source text: page tables from their grid, other pipe lines as simple tables, extracted
    cells marked."""
    out, pos = [], 0
    for table in sorted(tables, key=lambda t: int(t["start"])):
        start, end = int(table["start"]), int(table["end"])
        if start < pos or end > len(r.text):
            continue  # overlapping or out of range: fall back to the line view for it
        out.append(_render_lines(r, figs, pos, start))
        out.append(_render_grid(r, figs, table))
        pos = end
    out.append(_render_lines(r, figs, pos, len(r.text)))
    return "".join(out)
