"""Repair hints: one single-digit edit (or transposition of two adjacent digits) of one figure that makes
every check involving that figure consistent.

A hint is proposed only when it is the *only* such edit for a failing relation: two competing edits
(e.g. fix the part or fix the total) are ambiguous and yield no hint. The raw value is never changed;
a hint is a finding with the evidence, for an auditor to confirm (see ``ogi audit``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
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
    for cand in _edits(int(value)):
        yield Decimal(cand), _describe(digits, str(cand))


def _edits(value: int) -> list[int]:
    """The candidates of :func:`digit_edits` in its order (position by position, digits ascending, then the
    transpositions), in integer arithmetic: no leading zero, and no transposition of two equal digits
    (which would give the value back). The search describes only the few that repair something."""
    digits = str(value)
    n = len(digits)
    out: list[int] = []
    for pos, old in enumerate(digits):
        weight, o = 10 ** (n - 1 - pos), int(old)
        base = value - o * weight
        out.extend(base + d * weight for d in range(1 if pos == 0 and n > 1 else 0, 10) if d != o)
    for pos in range(n - 1):
        a, b = int(digits[pos]), int(digits[pos + 1])
        if a != b and (pos > 0 or b != 0):
            out.append(value + (b - a) * 9 * 10 ** (n - 2 - pos))
    return out


def _describe(digits: str, cand: str) -> str:
    """The edit from ``digits`` to ``cand`` (same length; one digit changed or two adjacent ones swapped)."""
    pos = next(p for p in range(len(digits)) if digits[p] != cand[p])
    if pos + 1 < len(digits) and digits[pos + 1] != cand[pos + 1]:
        return f"transpose positions {pos + 1}-{pos + 2}"
    return f"digit {digits[pos]} -> {cand[pos]} at position {pos + 1}"


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
        value = values[fig]
        if value < 0 or value != value.to_integral_value():  # digit edits are defined on counts only
            continue
        digits = str(int(value))
        candidates = _edits(int(value))
        for r in broken:
            test = _integer_test(r, fig, values, settings)
            if test is not None:
                candidates = [c for c in candidates if test(c)]
        for c in candidates:
            cand = Decimal(c)
            trial[fig] = cand
            if all(judge(r, trial, settings)[0] != "fail" for r in order):
                hint = RepairHint(fig, value, cand, _describe(digits, str(c)), tuple(broken), tuple(mine))
                for r in broken:
                    by_relation[r].append(hint)
        trial[fig] = value
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


#: Relations that compare sums of figures (no division): exact in integer arithmetic.
_SUMS = frozenset({"parts_sum", "balance", "duplicate", "cumulative"})
#: Integers below this keep every sum of a relation far inside the 28 digits of the decimal context, so
#: the Decimal sums of :func:`judge` are exact and equal the integer sums here.
_EXACT_BELOW = 10 ** 15


def _integer_test(rel: Relation, fig: int, values: Mapping[int, Decimal],
                  settings: CheckSettings) -> Callable[[int], bool] | None:
    """A fast pre-test of a trial integer value of ``fig`` against a sum relation, in integer arithmetic:
    False only where :func:`judge` would say ``fail`` (candidates that pass are still judged in full, so
    it may let through a few more, never fewer). ``None`` for other relations or non-integer values.

    >>> test = _integer_test(Relation("parts_sum", "f", (0,), (1, 2)), 0, {0: Decimal(82), 1: Decimal(3),
    ...                      2: Decimal(25)}, CheckSettings())
    >>> test(28), test(82)
    (True, False)
    """
    if rel.kind not in _SUMS:
        return None
    ints = {}
    for i in rel.figures:
        v = values.get(i)
        if v is None or v != v.to_integral_value() or abs(v) >= _EXACT_BELOW:
            return None
        ints[i] = int(v)
    left_rest, right_rest = (sum(ints[i] for i in rel.left if i != fig), sum(ints[i] for i in rel.right if i != fig))
    n_left, n_right = rel.left.count(fig), rel.right.count(fig)
    if rel.kind == "duplicate":
        return lambda c: left_rest + n_left * c == right_rest + n_right * c
    if rel.kind == "cumulative":
        return lambda c: left_rest + n_left * c <= right_rest + n_right * c
    if not rel.exhaustive:
        return lambda c: right_rest + n_right * c <= left_rest + n_left * c
    # judge tolerates a gap up to floor(|total| * parts_gap_rel), computed in Decimal: one more here
    # covers its rounding of the product
    num, den = settings.parts_gap_rel.as_integer_ratio()

    def within(c: int) -> bool:
        left = left_rest + n_left * c
        gap = abs(left - right_rest - n_right * c)
        return gap == 0 or gap <= abs(left) * num // den + 1
    return within
