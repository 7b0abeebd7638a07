"""Recognize Tables 2, 3 and 4 in a stream of rows and read every data cell, or say why not.

The reader walks rows in document order with a small state (which table, which Table 2 block, which
template). A row's meaning comes from its last label (``三、本年度办理结果 | （一）予以公开 | …`` is the
予以公开 row); its values are read by order, so header grids that do not line up with data grids and
flattened tables both work. A row whose value count does not fit its template yields a finding, never
a guessed assignment.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from parsers.records import Finding, Metadata, Section, TextView
from parsers.table_figures import DIMS, Dims, FigureSink
from parsers.table_grid import Cell, Row
from parsers.table_labels import (ANCHOR_CUES, T2_BLOCK, T2_COLUMNS, T2_HEADER, T3_ANCHOR, T3_COLUMNS, T3_ROWS_2019,
                                  T3_ROWS_2021, T4_ANCHOR, T4_BLOCKS, T4_PARTS, RAW_CUES, RAW_CUES_OR_COLUMNS, Column,
                                  T2Era, TableId, match_t2_row, match_t3_column, match_t3_row, norm_label,
                                  t2_header_era)
from parsers.table_values import CellMemo

_WAN = re.compile(r"万元")
#: Table 3's columns: (applicant, template label, the figure dimensions).
_T3_DIMS = tuple((applicant, template, DIMS[applicant]) for applicant, template, _ in T3_COLUMNS)
# What may follow a row cut off by the end of the text: at most its own closing pipe.
_CUT_END = re.compile(r"[ \t\u00a0\u3000]*[|｜]?\s*")


@dataclass
class _T2Row:
    row: Row
    stem: str
    block: str
    header_era: T2Era | None
    header: list[str]
    label: str


@dataclass
class _State:
    table: TableId | None = None
    instance: int = 0
    t2_block: str | None = None
    t2_header_era: T2Era | None = None
    t2_header: list[str] = field(default_factory=list)
    t2_wan: bool = False
    t2_rows: list[_T2Row] = field(default_factory=list)
    t3_cols: dict[str, str] = field(default_factory=dict)
    t3_columns: list[tuple[Dims, str]] | None = None  # each column's dimensions and label, from t3_cols
    t3_seen: set[str] = field(default_factory=set)
    t4_done: bool = False


def printed(tok: Cell) -> str:
    """A label as printed, white space removed (labels split over lines join up)."""
    return "".join(tok.text.split())  # str.split's white space is re's \s (no-break spaces included)


class Reader:
    """Reads the standard tables from rows: ``out`` collects the cells read, ``findings`` the rows not read."""

    def __init__(self, text: str, view: TextView, metadata: Metadata, sections: tuple[Section, ...],
                 memo: CellMemo) -> None:
        self.text = text
        self.view = view
        self.era_hint: T2Era | None = {"E2019": "2019", "E2021": "2021"}.get(metadata.era or "")  # type: ignore[assignment]
        self.memo = memo
        self.out = FigureSink(sections, memo)
        self.findings: list[Finding] = []
        self.s = _State()
        self._broken = False  # no row but breaks (and inert rows) since the last break: a break changes nothing

    # -- helpers ---------------------------------------------------------------------------------
    def norm(self, tok: Cell) -> str:
        """The normalized label of a cell: its span in the normalized view when the view maps it."""
        v = self.view
        if v.text and tok.end > tok.start:
            a = bisect_left(v.starts, tok.start)
            b = bisect_left(v.starts, tok.end)
            if b > a:
                return norm_label(v.text[a:b])
        return norm_label(tok.text)

    def finding(self, code: str, message: str, where: Row, table: TableId, /, **details: str) -> None:
        self.findings.append(Finding(code, "warning", message, start=where.start, end=where.end,
                                     rule=f"table.{table}",
                                     details=tuple(sorted({"table": table, **details}.items()))))

    def at_end(self, row: Row) -> bool:
        """True when a flattened row is the last thing in the text (the excerpt or page was cut there)."""
        return row.origin == "text" and _CUT_END.fullmatch(self.text, row.end) is not None

    def switch(self, table: TableId) -> None:
        if self.s.table != table:
            self.close()
            self.s = _State(table=table, instance=self.s.instance + 1)

    # -- the walk --------------------------------------------------------------------------------
    def feed(self, row: Row) -> None:
        if row.brk:
            if not self._broken:  # (a run of long prose lines: only its first line ends anything)
                self.close()
                self.s = _State(instance=self.s.instance)
                self._broken = True
            return
        if not row.values and row.origin == "text" and self._inert(row):
            return  # a run of prose lines
        self._broken = False
        labels = [self.norm(t) for t in row.labels]
        self._anchors(row, labels)
        if not row.values:
            return
        if not labels and all((v := self.memo[c.text]) is not None and v.semantic == "empty" for c in row.values):
            return  # padding rows of blank cells
        last = labels[-1] if labels else ""
        m3 = match_t3_row(last) if last and len(last) <= 80 else None
        # m2 only decides when the row is no Table 3 row or Table 3 is not being read
        m2 = match_t2_row(last) if last and len(last) <= 60 and (m3 is None or self.s.table != "T3") else None
        if m3 is not None and (self.s.table == "T3" or m2 is None):
            self.switch("T3")
            self._t3(row, m3)
        elif m2 is not None:
            self.switch("T2")
            same = self.s.t2_block in (None, m2[1])
            self.s.t2_rows.append(_T2Row(row, m2[0], m2[1], self.s.t2_header_era if same else None,
                                         list(self.s.t2_header) if same else [], printed(row.labels[-1])))
        elif self.s.table == "T4":
            self._t4(row)
        elif self.s.table in ("T2", "T3"):
            self.finding("table_unrecognized_row", f"row {printed(row.labels[-1]) if row.labels else '(no label)'!r} "
                         "is not a row of the standard table; its values were not read", row, self.s.table,
                         row=printed(row.labels[-1]) if row.labels else "")

    def _inert(self, row: Row) -> bool:
        """True when no label of a text row without values holds a cue (or, in Table 3, a column header
        word), so that reading its labels would change nothing. Tested once on the stretch of text the row
        covers rather than label by label: in the normalized view, and in the source text (a label the view
        does not map is read from the source; a text cell's text is its source span)."""
        words = RAW_CUES_OR_COLUMNS if self.s.table == "T3" else RAW_CUES
        start, end = row.start, row.end
        if words.search(self.text, start, end) is not None:
            return False
        v = self.view
        return not v.text or words.search(v.text, bisect_left(v.starts, start), bisect_left(v.starts, end)) is None

    def _anchors(self, row: Row, labels: list[str]) -> None:
        for i, lab in enumerate(labels):
            if len(lab) > 60 and not T3_ANCHOR.search(lab):
                continue
            if ANCHOR_CUES.search(lab) is not None:  # most labels are prose: one search rules them out
                self._anchor(row, labels, i, lab)
            if self.s.table == "T3" and not row.values:
                col = match_t3_column(lab)
                if col is not None:
                    self.s.t3_cols.setdefault(col, printed(row.labels[i]))
                    self.s.t3_columns = None

    def _anchor(self, row: Row, labels: list[str], i: int, lab: str) -> None:
        m = T2_BLOCK.search(lab)
        if m is not None and len(lab) <= 20:
            self.switch("T2")
            self.s.t2_block, self.s.t2_header_era, self.s.t2_header = m[1], None, []
        elif T2_HEADER.match(lab):
            self.switch("T2")
            rest = labels[i + 1:]
            toks = list(row.labels[i + 1:])
            if row.values and rest and match_t2_row(rest[-1]):
                rest, toks = rest[:-1], toks[:-1]  # a flattened run: header words, then the row label
            self.s.t2_header_era = t2_header_era(rest)
            self.s.t2_header = [printed(t) for t in toks]
        elif T3_ANCHOR.search(lab):
            self.switch("T3")
        elif T4_ANCHOR.search(lab) and self.s.table != "T4":
            self.switch("T4")
        if self.s.table == "T2" and _WAN.search(lab):
            self.s.t2_wan = True

    @staticmethod
    def _fit(values: list[Cell], n: int) -> list[Cell]:
        """Trailing blank cells past the template's width are padding."""
        while len(values) > n and not values[-1].text.strip():
            values.pop()
        return values

    def _t3(self, row: Row, metric: str) -> None:
        if metric in self.s.t3_seen:  # the table printed again: a new instance
            self.close()
            self.s = _State(table="T3", instance=self.s.instance + 1)
        self.s.t3_seen.add(metric)
        values = self._fit(list(row.values), 7)
        label = printed(row.labels[-1])
        if 0 < len(values) < 7 and self.at_end(row):
            self.finding("table_truncated", f"Table 3 row {label!r} is cut off by the end of the text after "
                         f"{len(values)} cells; the printed cells were read in column order", row, "T3", metric=metric)
        elif len(values) != 7:
            self.finding("table_incomplete", f"Table 3 row {label!r} has {len(values)} value cells, 7 expected; "
                         "its values were not read", row, "T3", metric=metric, found=str(len(values)))
            return
        columns = self.s.t3_columns
        if columns is None:  # the printed header where one was found, else the template's
            headers = self.s.t3_cols
            columns = self.s.t3_columns = [(dims, headers.get(applicant, template))
                                           for applicant, template, dims in _T3_DIMS]
        self.out.count_row(self.s.instance, "T3", metric, label, columns, values)

    def _t4(self, row: Row) -> None:
        values = self._fit(list(row.values), 15)
        if self.s.t4_done:
            return
        if len(values) != 15:
            self.finding("table_incomplete", f"Table 4 data row has {len(values)} value cells, 15 expected; "
                         "its values were not read", row, "T4", found=str(len(values)))
            self.s.t4_done = True
            return
        self.s.t4_done = True
        for i, tok in enumerate(values):
            (stem, row_label), (part, col_label) = T4_BLOCKS[i // 5], T4_PARTS[i % 5]
            self.out.add(self.s.instance, "T4", f"{stem}.{part}", None, row_label, col_label, tok)

    def close(self) -> None:
        """End the current table instance: resolve Table 2's template, check Table 3's rows."""
        s = self.s
        if s.table == "T2" and s.t2_rows:
            self._close_t2(s)
        elif s.table == "T3" and s.t3_seen:
            era_rows = T3_ROWS_2021 if any(m.startswith("requests.outcome.other.") and not m.endswith(".total")
                                           for m in s.t3_seen) else T3_ROWS_2019
            missing = [m for m in era_rows if m not in s.t3_seen]
            if missing:
                cells = self.out.instances.get(s.instance, [])
                start = min((c.start for c in cells), default=None)
                end = max((c.end for c in cells), default=None)
                self.findings.append(Finding(
                    "table_incomplete", "warning", f"Table 3 lacks {len(missing)} of its {len(era_rows)} data rows",
                    start=start, end=end, rule="table.T3",
                    details=(("missing", ",".join(missing)), ("table", "T3"))))
        s.t2_rows = []
        s.t3_seen = set()
        s.table = None

    def _close_t2(self, s: _State) -> None:
        era: T2Era | None = next((r.header_era for r in s.t2_rows if r.header_era), None)
        if era is None:
            votes = {e for r in s.t2_rows for e in ("2019", "2021")
                     if len(T2_COLUMNS.get((e, r.block), ())) == len(r.row.values) != 0
                     and len(T2_COLUMNS.get(("2021" if e == "2019" else "2019", r.block), ())) != len(r.row.values)}
            era = votes.pop() if len(votes) == 1 else self.era_hint  # type: ignore[assignment]
        for r in s.t2_rows:
            r_era = r.header_era or era
            cols = T2_COLUMNS.get((r_era, r.block)) if r_era else None
            if cols is None:
                self.finding("table_incomplete", f"Table 2 row {r.label!r}: template not known "
                             f"({r_era or 'version unknown'}); its values were not read", r.row, "T2", row=r.label)
                continue
            values = self._fit(list(r.row.values), len(cols))
            if 0 < len(values) < len(cols) and self.at_end(r.row):
                self.finding("table_truncated", f"Table 2 row {r.label!r} is cut off by the end of the text; "
                             "the printed cells were read in column order", r.row, "T2", row=r.label)
            elif len(values) != len(cols):
                self.finding("table_incomplete", f"Table 2 row {r.label!r} has {len(values)} value cells, "
                             f"{len(cols)} expected; its values were not read", r.row, "T2", row=r.label,
                             found=str(len(values)))
                continue
            header = r.header if len(r.header) == len(cols) else []
            for i, (col, tok) in enumerate(zip(cols, values)):
                label = header[i] if header else col.label
                wan = col.money and (r_era == "2021" or bool(_WAN.search(label)) or s.t2_wan)
                self.out.add(s.instance, "T2", _t2_metric(r.stem, col), None, r.label, label, tok, money=col.money,
                             unit=col.unit, wan=wan)


def _t2_metric(stem: str, col: Column) -> str:
    return f"proactive.{stem}.{col.key}"
