"""Worksheets for auditors: XLSX (openpyxl) and CSV (utf-8-sig) that are safe to open in a spreadsheet.

Crawled text may start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return; a spreadsheet would
run it as a formula (``=HYPERLINK(...)``). Every *text* cell that starts so is prefixed with ``'`` and, in
XLSX, stored as an explicit string; numbers stay numbers. Reading a worksheet back undoes the prefix.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
#: The verdict column accepts these (any case); the XLSX offers the first two as a drop-down list.
VERDICTS_CORRECT = ("correct", "ok", "yes", "y", "true", "1", "对", "正确")
VERDICTS_WRONG = ("wrong", "no", "n", "false", "0", "错", "错误")


def neutralize(value: Any) -> Any:
    """A cell value safe for spreadsheets: text starting like a formula gets a leading ``'``.

    >>> neutralize('=HYPERLINK("http://x")'), neutralize("-5"), neutralize(-5), neutralize("正文")
    ('\\'=HYPERLINK("http://x")', "'-5", -5, '正文')
    """
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def unneutralize(value: Any) -> Any:
    """Undo :func:`neutralize` on a cell read back from a worksheet.

    >>> unneutralize("'=1+1"), unneutralize("'quoted")
    ('=1+1', "'quoted")
    """
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(_DANGEROUS):
        return value[1:]
    return value


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if value.__class__.__name__ in ("NAType", "NaTType"):
        return None
    return value


def write_csv(path: Path, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
    """CSV in utf-8-sig (Excel opens it as UTF-8), every text cell neutralized."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(columns)
        for r in rows:
            w.writerow(["" if (v := _plain(r.get(c))) is None else neutralize(v) for c in columns])


def write_xlsx(path: Path, columns: Sequence[str], rows: Sequence[dict[str, Any]], *,
               sheet: str = "worksheet", verdict_column: str | None = "verdict",
               widths: dict[str, int] | None = None) -> None:
    """XLSX with a frozen header, explicit string cells for text, and a verdict drop-down."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r_i, r in enumerate(rows, start=2):
        for c_i, col in enumerate(columns, start=1):
            v = _plain(r.get(col))
            if v is None:
                continue
            if isinstance(v, str):
                cell = ws.cell(row=r_i, column=c_i)
                cell.value = neutralize(v)
                cell.data_type = "s"  # never a formula, whatever the text
            else:
                ws.cell(row=r_i, column=c_i, value=v)
    ws.freeze_panes = "A2"
    for c_i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(c_i)].width = (widths or {}).get(col, 14)
        if col.startswith("context") or col == "quote":
            for row in ws.iter_rows(min_row=2, min_col=c_i, max_col=c_i):
                row[0].alignment = Alignment(wrap_text=True, vertical="top")
    if verdict_column is not None and verdict_column in columns and rows:
        letter = get_column_letter(list(columns).index(verdict_column) + 1)
        dv = DataValidation(type="list", formula1='"correct,wrong"', allow_blank=True)
        ws.add_data_validation(dv)
        dv.add(f"{letter}2:{letter}{len(rows) + 1}")
    wb.save(path)


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Rows of a filled worksheet (.xlsx or .csv) as dicts, neutralizing prefixes removed."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = [str(h) if h is not None else "" for h in next(it, ())]
        rows = [dict(zip(header, (unneutralize(v) for v in values))) for values in it]
        wb.close()
    else:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = [{k: unneutralize(v) if v != "" else None for k, v in r.items()} for r in csv.DictReader(fh)]
    return [r for r in rows if any(v not in (None, "") for v in r.values())]


def parse_verdict(value: Any) -> str | None:
    """``correct``, ``wrong`` or None (blank / not understood).

    >>> parse_verdict(" Correct "), parse_verdict("错"), parse_verdict(None)
    ('correct', 'wrong', None)
    """
    if value is None:
        return None
    text = str(value).strip().lower()
    if text in VERDICTS_CORRECT:
        return "correct"
    if text in VERDICTS_WRONG:
        return "wrong"
    return None
