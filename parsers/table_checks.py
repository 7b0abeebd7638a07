"""Arithmetic checks on the standard tables, as findings (the printed values are never "fixed").

- Table 3, per column: 本年新收 + 上年结转 = （七）总计 + 结转下年度 (the template's own 勾稽 note);
- Table 3, per column: the 办理结果 rows add up to （七）总计;
- Table 3, per row: the 总计 column is the sum of the six applicant columns;
- Table 4, per block: 总计 = 维持 + 纠正 + 其他 + 尚未审结;
- counts are non-negative integers (change columns may be negative);
- Table 2 (2021): 现行有效件数 is at least 本年制发件数 − 本年废止件数.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from parsers.records import Figure, Finding
from parsers.table_labels import (T3_COLUMNS, T3_OUTCOME_PARTS_2019, T3_OUTCOME_PARTS_2021, T3_ROWS, T4_BLOCKS,
                                  T4_PARTS)
from parsers.table_values import CellValue

_APPLICANTS = tuple(a for a, _, _ in T3_COLUMNS)
#: The cell keys of each applicant's outcome rows, per version (looked up for every Table 3 column).
_OUTCOME_KEYS = {parts: {a: tuple((m, a) for m in parts) for a in _APPLICANTS}
                 for parts in (T3_OUTCOME_PARTS_2019, T3_OUTCOME_PARTS_2021)}
#: Table 3's balance rows: new + carried over = handled (（七）总计) + carried forward.
_BALANCE = ("requests.received.total", "requests.carried_over_in", "requests.outcome.total", "requests.carried_forward")
#: The cell keys of each applicant's balance rows, in _BALANCE order.
_BALANCE_KEYS = {a: tuple((m, a) for m in _BALANCE) for a in _APPLICANTS}
#: The cell keys of each Table 3 row's six applicant columns (总计 left out).
_ROW_KEYS = {m: tuple((m, a) for a in _APPLICANTS[:-1]) for m, _ in T3_ROWS}
#: A table figure's cell key: its metric and applicant (the only dimension table figures carry).
Key = tuple[str, str | None]


def _finding(code: str, message: str, cells: list[Figure], rule: str, expected: Decimal, stated: Decimal,
             **details: str) -> Finding:
    return Finding(code, "warning", message, start=min(c.start for c in cells),
                   end=max(c.end for c in cells), rule=rule, expected=expected, stated=stated,
                   details=tuple(sorted(details.items())))


def _sum(cells: Iterable[Figure | None]) -> Decimal | None:
    """Sum of the numeric cells; None when any is missing or not a number (blank, /, text)."""
    total = Decimal(0)
    for c in cells:
        if c is None or c.value is None:
            return None
        total += c.value
    return total


def check_tables(instances: dict[int, list[Figure]]) -> list[Finding]:
    """The arithmetic checks, per table instance (figures of one instance all come from one table).

    >>> check_tables({})
    []
    """
    out: list[Finding] = []
    for figures in instances.values():
        g: dict[Key, Figure] = {(f.metric, f.dims[0][1] if f.dims else None): f for f in figures}
        table = figures[0].table
        if table == "T3":
            out.extend(_check_t3(g))
        elif table == "T4":
            out.extend(_check_t4(g))
        else:
            out.extend(_check_t2(g))
    return out


def check_value(f: Figure, v: CellValue, money: bool) -> Finding | None:
    """A cell that holds text, or a count that is not a non-negative integer (change columns may be
    negative); ``v`` is the cell as read (for money, before any 万元 scaling)."""
    if v.semantic == "text":
        return Finding("table_cell_text", "warning", f"cell {f.row}/{f.col} holds text, not a value",
                       start=f.start, end=f.end, rule=f.rule, details=(("metric", f.metric), *f.dims))
    n = v.value
    if n is None or money:
        return None
    if (n < 0 and not f.metric.endswith("items_change")) or n != n.to_integral_value():
        return Finding("table_value_invalid", "warning", f"count {n} in {f.row}/{f.col} is not a "
                       "non-negative integer", start=f.start, end=f.end, rule=f.rule,
                       stated=n, details=(("metric", f.metric), *f.dims))
    return None


def _check_t3(g: dict[Key, Figure]) -> list[Finding]:
    # Sums are only taken when the total they are compared with is a number (a sum has no side effects).
    out = []
    get = g.get
    metrics = {m for m, _ in g}
    parts = T3_OUTCOME_PARTS_2021 if any(m.startswith("requests.outcome.other.") and not m.endswith("total")
                                         for m in metrics) else T3_OUTCOME_PARTS_2019
    outcome_keys = _OUTCOME_KEYS[parts]
    for a in _APPLICANTS:
        row = [get(k) for k in _BALANCE_KEYS[a]]
        lhs = _sum(row[:2])
        rhs = _sum(row[2:])
        if lhs is not None and rhs is not None and lhs != rhs:
            out.append(_finding("table_t3_balance", f"Table 3 column {a}: new + carried over = {lhs}, but handled "
                                f"+ carried forward = {rhs}", [c for c in row if c], "table.T3.balance",
                                lhs, rhs, applicant=a, metric="requests.outcome.total"))
        total = row[2]  # （七）总计
        if total is None or total.value is None:
            continue
        summed = _sum(map(get, outcome_keys[a]))
        if summed is not None and summed != total.value:
            out.append(_finding("table_t3_outcome_sum", f"Table 3 column {a}: the outcome rows add up to {summed}, "
                                f"（七）总计 says {total.value}", [total], "table.T3.outcome_sum", summed,
                                total.value, applicant=a, metric="requests.outcome.total"))
    for m in sorted(metrics):
        total = get((m, "total"))
        if total is None or total.value is None:
            continue
        keys = _ROW_KEYS.get(m)
        summed = _sum(map(get, keys if keys is not None else [(m, a) for a in _APPLICANTS[:-1]]))
        if summed is not None and summed != total.value:
            out.append(_finding("table_t3_total_column", f"Table 3 row {total.row}: the applicant columns "
                                f"add up to {summed}, 总计 says {total.value}", [total], "table.T3.total_column",
                                summed, total.value, metric=m, applicant="total"))
    return out


def _check_t4(g: dict[Key, Figure]) -> list[Finding]:
    out = []
    for stem, label in T4_BLOCKS:
        total = g.get((f"{stem}.total", None))
        summed = _sum(g.get((f"{stem}.{p}", None)) for p, _ in T4_PARTS[:-1])
        if total is not None and total.value is not None and summed is not None and summed != total.value:
            out.append(_finding("table_t4_total", f"Table 4 {label}: the parts add up to {summed}, 总计 says "
                                f"{total.value}", [total], "table.T4.total", summed, total.value,
                                metric=f"{stem}.total"))
    return out


def _check_t2(g: dict[Key, Figure]) -> list[Finding]:
    out = []
    for stem in ("rules", "normative_docs"):
        cells = [g.get((f"proactive.{stem}.{k}", None)) for k in ("issued", "repealed", "in_force")]
        issued, repealed, in_force = cells
        if issued is None or repealed is None or in_force is None:
            continue
        if None in (issued.value, repealed.value, in_force.value):
            continue
        floor = issued.value - repealed.value  # type: ignore[operator]
        if in_force.value < floor:  # type: ignore[operator]
            out.append(_finding("table_t2_in_force", f"Table 2 {in_force.row}: {in_force.value} in force "
                                f"but {issued.value} issued and {repealed.value} repealed this year",
                                [in_force], "table.T2.in_force", floor, in_force.value,  # type: ignore[arg-type]
                                metric=in_force.metric))
    return out
