"""Data cells of a recognized table → Figures, collected per table instance, with the per-cell checks.

This runs once per table cell (about 140 per page with the standard tables), so it is kept lean: shared
rule and dimension tuples, one section lookup, and a Figure built positionally.
"""

from __future__ import annotations

from bisect import bisect_right
from decimal import Decimal
from typing import Sequence

from parsers.records import Figure, Finding, Kind, Section
from parsers.table_checks import check_value
from parsers.table_grid import TEXT_POS, Cell
from parsers.table_labels import T3_COLUMNS, TableId
from parsers.table_values import CellMemo, CellValue

_TEXT = CellValue("text")  # a data cell whose text is not a value
_RULES: dict[str, str] = {t: f"table.{t}" for t in ("T2", "T3", "T4")}
_END = 1 << 62  # past any text offset
#: A figure's dimensions (table figures: at most the applicant).
Dims = tuple[tuple[str, str], ...]
DIMS: dict[str | None, Dims] = {None: (), **{a: (("applicant", a),) for a, _, _ in T3_COLUMNS}}


class FigureSink:
    """Collects the Figures of one document's tables: ``figures`` in reading order, ``instances`` the same
    figures per table instance (for the arithmetic checks), ``findings`` the cells that are not valid values.
    """

    def __init__(self, sections: tuple[Section, ...], memo: CellMemo) -> None:
        self.sections = sections
        self.memo = memo
        self.section_starts = [s.start for s in sections]
        self.figures: list[Figure] = []
        self.instances: dict[int, list[Figure]] = {}
        self.findings: list[Finding] = []
        # The last section answer and the span of offsets [lo, hi) that share it: a table's cells come in runs.
        self._lo, self._hi, self._section = 0, -1, "unknown"

    def add(self, instance: int, table: TableId, metric: str, applicant: str | None, row_label: str,
            col_label: str, tok: Cell, money: bool = False, unit: str = "件", wan: bool = False) -> None:
        """One data cell as a Figure (``wan``: the header puts the money column in 万元)."""
        v = self.memo[tok.text]
        if v is None:
            v = _TEXT
        kind: Kind
        if money:
            value, unit_raw = scale_wan(v, wan)
            kind = "zero" if v.words else "amount"
        else:  # a CellValue's value is None exactly when it is empty, na or text
            value, unit_raw = v.value, v.unit_raw
            kind = "zero" if v.words else "count"
        start = tok.start
        if not self._lo <= start < self._hi:
            self._locate(start)
        # Positional, in Figure's field order (tests/test_tables.py pins it): keywords make this call,
        # the largest cost per cell, about 40% slower.
        f = Figure(metric, value, unit, kind, self._section, tok.text, start, tok.end, _RULES[table], unit_raw,
                   None, False, False, v.semantic, DIMS[applicant], "table", table, row_label, col_label,
                   None if tok.row == TEXT_POS else (tok.row, tok.col))
        self.figures.append(f)
        self._group(instance).append(f)
        if (bad := check_value(f, v, money)) is not None:
            self.findings.append(bad)

    def count_row(self, instance: int, table: TableId, metric: str, row_label: str,
                  columns: Sequence[tuple[Dims, str]], toks: Sequence[Cell]) -> None:
        """The count cells of one row (a Table 3 row: seven of them) as Figures, as :meth:`add` makes them,
        with what the whole row shares looked up once. ``columns``: each cell's dimensions and column label."""
        memo, rule, figures, group = self.memo, _RULES[table], self.figures, self._group(instance)
        for (dims, col_label), tok in zip(columns, toks):
            v = memo[tok.text]
            if v is None:
                v = _TEXT
            start = tok.start
            if not self._lo <= start < self._hi:
                self._locate(start)
            f = Figure(metric, v.value, "件", "zero" if v.words else "count", self._section, tok.text, start,
                       tok.end, rule, v.unit_raw, None, False, False, v.semantic, dims, "table", table, row_label,
                       col_label, None if tok.row == TEXT_POS else (tok.row, tok.col))
            figures.append(f)
            group.append(f)
            if (bad := check_value(f, v, False)) is not None:
                self.findings.append(bad)

    def _group(self, instance: int) -> list[Figure]:
        group = self.instances.get(instance)
        if group is None:
            group = self.instances[instance] = []
        return group

    def _locate(self, pos: int) -> None:
        """The section holding ``pos`` (the last one starting at or before it, if ``pos`` is before its
        end; else "unknown"), kept with the span of offsets that get the same answer."""
        starts = self.section_starts
        k = bisect_right(starts, pos) - 1
        nxt = starts[k + 1] if k + 1 < len(starts) else _END
        if k < 0:
            self._lo, self._hi, self._section = -_END, nxt, "unknown"
        elif pos < self.sections[k].end:
            self._lo, self._hi, self._section = starts[k], min(nxt, self.sections[k].end), self.sections[k].section_id
        else:
            self._lo, self._hi, self._section = max(starts[k], self.sections[k].end), nxt, "unknown"


def scale_wan(value: CellValue, wan: bool) -> tuple[Decimal | None, str]:
    """A money cell's value in yuan and its raw unit: a bare number under a 万元 header is ×10000.

    >>> scale_wan(CellValue("numeric", Decimal("20.3")), True)
    (Decimal('203000.0'), '万元')
    """
    if value.value is None:
        return None, value.unit_raw or ("万元" if wan else "")
    if value.unit_raw:
        return value.value, value.unit_raw
    if wan:
        return value.value * 10000, "万元"
    return value.value, ""
