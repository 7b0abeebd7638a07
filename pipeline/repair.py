"""Repair hints: one single-digit edit (or transposition of two adjacent digits) of one figure that makes
every check involving that figure consistent.

A hint is proposed only when it is the *only* such edit for a failing relation: two competing edits
(e.g. fix the part or fix the total) are ambiguous and yield no hint. The raw value is never changed;
a hint is a finding with the evidence, for an auditor to confirm (see ``ogi audit``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from pipeline.checks_relations import CheckSettings, Relation, judge


@dataclass(frozen=True, slots=True)
class RepairHint:
    figure: int
    stated: Decimal
    suggested: Decimal
    edit: str  # e.g. "digit 1 -> 4 at position 1" or "transpose positions 2-3"
    fixes: tuple[Relation, ...]  # the failing relations this edit makes consistent
    checked: tuple[Relation, ...]  # every relation of the figure, all consistent after the edit


def digit_edits(value: Decimal) -> Iterator[tuple[Decimal, str]]:
    """Every value one digit edit or one adjacent transposition away from a non-negative integer.

    >>> edits = dict((int(v), e) for v, e in digit_edits(Decimal(19948)))
    >>> edits[49948], edits[91948]
    ('digit 1 -> 4 at position 1', 'transpose positions 1-2')
    """
    if value < 0 or value != value.to_integral_value():
        return
    digits = str(int(value))
    seen = {digits}
    for pos, old in enumerate(digits):
        for new in "0123456789":
            cand = digits[:pos] + new + digits[pos + 1:]
            if new != old and (cand[0] != "0" or len(cand) == 1) and cand not in seen:
                seen.add(cand)
                yield Decimal(cand), f"digit {old} -> {new} at position {pos + 1}"
    for pos in range(len(digits) - 1):
        cand = digits[:pos] + digits[pos + 1] + digits[pos] + digits[pos + 2:]
        if cand[0] != "0" and cand not in seen:
            seen.add(cand)
            yield Decimal(cand), f"transpose positions {pos + 1}-{pos + 2}"


def propose_repairs(relations: Sequence[Relation], values: Mapping[int, Decimal],
                    settings: CheckSettings = CheckSettings(),
                    failing: Sequence[Relation] | None = None) -> tuple[RepairHint, ...]:
    """Unique one-edit repairs for the failing relations (``failing``: those of ``relations`` whose status
    is ``fail``, when the caller has judged them already).

    >>> from pipeline.checks_relations import Relation
    >>> rels = [Relation("parts_sum", "f", (0,), (1, 2))]
    >>> [(h.figure, int(h.suggested)) for h in propose_repairs(rels, {0: Decimal(82), 1: Decimal(3), 2: Decimal(25)})]
    [(0, 28)]
    """
    if failing is None:
        failing = [r for r in relations if judge(r, values, settings)[0] == "fail"]
    if not failing:
        return ()
    involved = sorted({i for r in failing for i in r.figures if i in values})
    by_relation: dict[Relation, list[RepairHint]] = {r: [] for r in failing}
    of_figure = _relations_of(relations, set(involved))
    trial = dict(values)  # one value at a time is replaced, then restored
    for fig in involved:
        mine = of_figure[fig]
        broken = [r for r in mine if r in by_relation]
        if not broken:  # an edit here would fix nothing (its only failing relation is a shares_sum)
            continue
        # The broken relations are judged first: most candidates fail them, and the order of an all()
        # over pure verdicts does not change its result.
        order = broken + [r for r in mine if r not in by_relation]
        for cand, edit in digit_edits(values[fig]):
            trial[fig] = cand
            if all(judge(r, trial, settings)[0] != "fail" for r in order):
                hint = RepairHint(fig, values[fig], cand, edit, tuple(broken), tuple(mine))
                for r in broken:
                    by_relation[r].append(hint)
        trial[fig] = values[fig]
    hints: dict[tuple[int, Decimal], RepairHint] = {}
    for rel, cands in by_relation.items():
        if len({(h.figure, h.suggested) for h in cands}) == 1:
            hints.setdefault((cands[0].figure, cands[0].suggested), cands[0])
    return tuple(hints.values())


def _relations_of(relations: Sequence[Relation], figures: set[int]) -> dict[int, list[Relation]]:
    """For each of ``figures``: the relations it takes part in, in order, except shares_sum (a share is
    not a figure value, so an edit of a value cannot repair it)."""
    out: dict[int, list[Relation]] = {i: [] for i in figures}
    for r in relations:
        if r.kind == "shares_sum":
            continue
        for i in dict.fromkeys(r.figures):
            if i in out:
                out[i].append(r)
    return out
