"""Repair hints: one single-digit edit (or transposition of two adjacent digits) of one figure that makes
every check involving that figure consistent.

A hint is proposed only when it is the *only* such edit for a failing relation: two competing edits
(e.g. fix the part or fix the total) are ambiguous and yield no hint. The raw value is never changed;
a hint is a finding with the evidence, for an auditor to confirm (see ``ogi audit``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from pipeline.checks_relations import HUNDRED, CheckSettings, Relation, judge, unit_of


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


def is_edit(value: int, cand: int) -> bool:
    """Whether ``cand`` is one of the edits of ``value`` (:func:`_edits`), without listing them.

    >>> is_edit(19948, 49948), is_edit(19948, 91948), is_edit(19948, 19984), is_edit(19948, 29958)
    (True, True, True, False)
    """
    a, b = str(value), str(cand)
    if cand < 0 or len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                              and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])


def propose_repairs(relations: Sequence[Relation], values: Mapping[int, Decimal],
                    settings: CheckSettings = CheckSettings(),
                    failing: Sequence[Relation] | None = None) -> tuple[RepairHint, ...]:
    """Unique one-edit repairs for the failing relations (``failing``: those of ``relations`` whose status
    is ``fail``, the same objects, when the caller has judged them already).

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
    sums: dict[int, _IntegerSums | None] = {}  # the integer pre-test of each broken relation, built once
    of_figure = _relations_of(relations, set(involved))
    trial = dict(values)  # one value at a time is replaced, then restored
    # The repairing edits (figure, value) found for each failing relation, keyed by identity (relations are
    # distinct, and hashing one hashes all its fields). A relation with two gets no hint, whatever else is
    # found: its figures' remaining candidates need not be tried once every broken relation they could fix
    # is settled so.
    found: dict[int, set[tuple[int, int]]] = {id(r): set() for r in failing}
    broken_of: dict[int, list[Relation]] = {}
    for fig in involved:
        mine = of_figure[fig]
        broken = broken_of[fig] = [r for r in mine if id(r) in found]
        if all(len(found[id(r)]) > 1 for r in broken):
            continue
        value = values[fig]
        # no broken relation: an edit here would fix nothing (its only failing relation is a shares_sum);
        # digit edits are defined on counts only
        if not broken or value < 0 or value != value.to_integral_value():
            continue
        # The broken relations are judged first: most candidates fail them, and the order of an all()
        # over pure verdicts does not change its result.
        order = broken + [r for r in mine if id(r) not in found]
        number = int(value)
        candidates: list[int] | None = None  # None: every edit of the value
        for r in broken:
            if id(r) not in sums:
                sums[id(r)] = _IntegerSums.of(r, values)
            pre = sums[id(r)]
            if pre is not None:
                candidates = pre.narrow(fig, number, candidates, settings)
                if not candidates:
                    break
        if candidates is None or candidates:
            candidates = _within_shares(fig, mine, values, candidates, number)
        for c in candidates:
            trial[fig] = Decimal(c)
            if all(judge(r, trial, settings)[0] != "fail" for r in order):
                for r in broken:
                    found[id(r)].add((fig, c))
                if all(len(found[id(r)]) > 1 for r in broken):
                    break
        trial[fig] = value
    hints: dict[tuple[int, int], RepairHint] = {}
    for rel in failing:
        edits = found[id(rel)]
        if len(edits) == 1:
            fig, c = next(iter(edits))
            if (fig, c) not in hints:
                value = values[fig]
                hints[(fig, c)] = RepairHint(fig, value, Decimal(c), _describe(str(int(value)), str(c)),
                                             tuple(broken_of[fig]), tuple(of_figure[fig]))
    return tuple(hints.values())


#: Slack of the share pre-test beyond the printed precision: judge rounds the computed share to cents
#: (at most 0.005 off), and a little more covers the Decimal division's rounding.
_SHARE_SLACK = Decimal("0.006")
_BOUND_EPS = Decimal("1e-9")


def _within_shares(fig: int, mine: Sequence[Relation], values: Mapping[int, Decimal], candidates: list[int] | None,
                   value: int) -> list[int]:
    """The candidates (``None``: all edits of ``value``) that may pass every share relation of ``fig``.

    A share ``part * 100 / total`` that must lie within a printed precision of the stated share bounds the
    trial value of either count to an interval (a total of 0 is skipped by :func:`judge`, so 0 stays).
    The bounds are a little wide: survivors are judged in full, and the ones dropped would fail.

    >>> rel = Relation("share", "f", (0,), (1,), Decimal("25"))
    >>> _within_shares(1, [rel], {0: Decimal(3), 1: Decimal(18)}, None, 18)
    [12]
    """
    listed = _listed(candidates, value)
    for rel in mine:
        stated = rel.share
        if rel.kind != "share" or stated is None or len(rel.left) != 1 or len(rel.right) != 1:
            continue
        (part,), (total,) = rel.left, rel.right
        slack = unit_of(stated) + _SHARE_SLACK
        low, high = stated - slack, stated + slack
        # integer bounds (the quotients' rounding, at 28 digits, is far inside _BOUND_EPS: a superset still)
        if fig == part and fig != total:
            whole = values.get(total)
            if whole is None or whole <= 0:  # skipped (no total), or a negative one: no bound kept simple
                continue
            lo, hi = _ceil(low * whole / HUNDRED - _BOUND_EPS), _floor(high * whole / HUNDRED + _BOUND_EPS)
            listed = [c for c in listed if lo <= c <= hi]
        elif fig == total and fig != part:
            count = values.get(part)
            if count is None or count < 0 or high <= 0:
                continue
            # c > 0: low <= count * 100 / c <= high, i.e. count * 100 / high <= c (<= count * 100 / low)
            lo = _ceil(count * HUNDRED / high - _BOUND_EPS)
            if low > 0:
                hi = _floor(count * HUNDRED / low + _BOUND_EPS)
                listed = [c for c in listed if c == 0 or lo <= c <= hi]
            else:
                listed = [c for c in listed if c == 0 or lo <= c]
        if not listed:
            break
    return listed


def _floor(d: Decimal) -> int:
    return int(d.to_integral_value(rounding=ROUND_FLOOR))


def _ceil(d: Decimal) -> int:
    return int(d.to_integral_value(rounding=ROUND_CEILING))


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
_INF = float("inf")


@dataclass(frozen=True, slots=True)
class _IntegerSums:
    """A sum relation whose values are all integers, as its two integer sums: a pre-test of trial values
    of one figure that keeps every candidate :func:`judge` could accept (maybe a few more: survivors are
    judged in full), in integer arithmetic and mostly without listing the candidates."""

    rel: Relation
    left: int
    right: int

    @staticmethod
    def of(rel: Relation, values: Mapping[int, Decimal]) -> _IntegerSums | None:
        if rel.kind not in _SUMS:
            return None
        ints = {}
        for i in rel.figures:
            v = values.get(i)
            if v is None or v != v.to_integral_value() or abs(v) >= _EXACT_BELOW:
                return None
            ints[i] = int(v)
        return _IntegerSums(rel, sum(ints[i] for i in rel.left), sum(ints[i] for i in rel.right))

    def narrow(self, fig: int, value: int, candidates: list[int] | None, settings: CheckSettings) -> list[int]:
        """The candidates (``None``: all edits of ``value``) that may satisfy the relation when ``fig``
        takes their value.

        >>> pre = _IntegerSums.of(Relation("parts_sum", "f", (0,), (1, 2)), {0: Decimal(82), 1: Decimal(3),
        ...                                                                 2: Decimal(25)})
        >>> pre.narrow(0, 82, None, CheckSettings()), pre.narrow(1, 3, None, CheckSettings())
        ([28], [])
        """
        rel = self.rel
        n_left, n_right = rel.left.count(fig), rel.right.count(fig)
        left_rest, right_rest = self.left - n_left * value, self.right - n_right * value
        # left - right = a + b * c for the trial value c
        a, b = left_rest - right_rest, n_left - n_right
        if rel.kind == "duplicate":  # left == right
            if b == 0:
                return _listed(candidates, value) if a == 0 else []
            if a % b:
                return []
            target = -a // b
            if candidates is None:
                return [target] if is_edit(value, target) else []
            return [target] if target in candidates else []
        if rel.kind == "cumulative":  # left <= right
            lo, hi = _solve(b, -a)
        elif not rel.exhaustive:  # right <= left
            lo, hi = _solve(-b, a)
        elif n_left == 0:
            # |left - right| within the total's tolerance, floor(|total| * parts_gap_rel) in judge (one
            # more here covers its Decimal rounding of the product)
            num, den = settings.parts_gap_rel.as_integer_ratio()
            tol = max(abs(left_rest) * num // den + 1, 0)
            (lo1, hi1), (lo2, hi2) = _solve(b, tol - a), _solve(-b, tol + a)
            lo, hi = max(lo1, lo2), min(hi1, hi2)
        else:  # the figure is (part of) the total, so the tolerance moves with it: test each candidate
            num, den = settings.parts_gap_rel.as_integer_ratio()

            def within(c: int) -> bool:
                total = left_rest + n_left * c
                gap = abs(total - right_rest - n_right * c)
                return gap == 0 or gap <= abs(total) * num // den + 1
            return [c for c in _listed(candidates, value) if within(c)]
        if lo > hi:
            return []
        if candidates is None:
            n = len(str(value))  # edits keep the number of digits
            if hi < (10 ** (n - 1) if n > 1 else 0) or lo > 10 ** n - 1:
                return []
        return [c for c in _listed(candidates, value) if lo <= c <= hi]


def _listed(candidates: list[int] | None, value: int) -> list[int]:
    return _edits(value) if candidates is None else candidates


def _solve(b: int, k: int) -> tuple[float, float]:
    """The bounds of the integers c with b * c <= k (empty: low > high)."""
    if b > 0:
        return -_INF, k // b
    if b < 0:
        return -((-k) // b), _INF
    return (-_INF, _INF) if k >= 0 else (_INF, -_INF)
