"""Arithmetic relations among a document's figures, and how each one is evaluated.

A relation says which figures must agree and how (a stated share against count / total, parts against
their total, a reported rate against its counts, a yearly figure against the cumulative one, the same
figure stated twice). Relations are plain data; :func:`evaluate` judges one against a mapping of figure
values, so the repair search (:mod:`pipeline.repair`) can re-judge them with one value changed.
Which relations a document has is found by :mod:`pipeline.checks_build`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from parsers.records import quick_init

RelationKind = Literal["share", "parts_sum", "shares_sum", "balance", "rate", "cumulative", "duplicate"]
ZERO, HUNDRED, TENTH, CENT = Decimal(0), Decimal(100), Decimal("0.1"), Decimal("0.01")
Status = Literal["ok", "gap", "fail", "skip"]


@dataclass(frozen=True, slots=True)
class CheckSettings:
    """Tolerances of the checks (explicit so that a run can record them).

    ``parts_gap_rel``: a parts sum that misses its total by at most this fraction of the total (reports
    often round or omit tiny categories) is an ``info`` gap, not a mismatch.
    """

    parts_gap_rel: Decimal = Decimal("0.001")


@quick_init  # (a document's checks build a dozen or more)
@dataclass(frozen=True, slots=True)
class Relation:
    """Figures that must agree. ``left``/``right`` are figure indices whose sums must be equal (or, for
    ``share``/``rate``, numerator and denominator); ``share`` is the printed percentage when one is stated."""

    kind: RelationKind
    family: str
    left: tuple[int, ...]
    right: tuple[int, ...]
    share: Decimal | None = None
    exhaustive: bool = True
    tolerance: Decimal | None = None  # shares_sum: the summed rounding units of the shares
    sizes: tuple[int, ...] = ()  # rate: numerator size, then the sizes of the denominator alternatives

    @property
    def figures(self) -> tuple[int, ...]:
        left, right = self.left, self.right
        if len(left) == 1 and left[0] not in right:  # the usual case: one total or one stated figure
            return left + right
        return left + tuple(i for i in right if i not in left)


@dataclass(frozen=True, slots=True)
class Outcome:
    """The verdict on a relation: ``status`` ``ok``, ``gap`` (small, tolerated) or ``fail``."""

    status: Status
    expected: Decimal | None = None
    stated: Decimal | None = None
    tolerance: Decimal | None = None


def unit_of(d: Decimal) -> Decimal:
    """One unit in the last printed place of ``d``.

    >>> unit_of(Decimal("4.5")), unit_of(Decimal("48"))
    (Decimal('0.1'), Decimal('1'))
    """
    exp = d.as_tuple().exponent
    if not isinstance(exp, int):
        return Decimal(1)
    place = min(exp, 0)
    return _UNITS[place] if place in _UNITS else Decimal(1).scaleb(place)


_UNITS = {e: Decimal(1).scaleb(e) for e in range(-12, 1)}  # the usual printed precisions, built once


def _sum(idx: Sequence[int], values: Mapping[int, Decimal]) -> Decimal | None:
    """``0 + values[i] + ...`` in index order (``None`` when a value is missing); the leading zero is kept
    so that exponents and rounding are those of ``sum(..., Decimal(0))``."""
    total = ZERO
    for i in idx:
        v = values.get(i)
        if v is None:
            return None
        total += v
    return total


#: A verdict as a plain tuple (status, expected, stated, tolerance): the repair search judges thousands of
#: trial values and needs only the status, so the :class:`Outcome` record is built only by :func:`evaluate`.
Verdict = tuple[Status, Decimal | None, Decimal | None, Decimal | None]
_SKIP: Verdict = ("skip", None, None, None)


def evaluate(rel: Relation, values: Mapping[int, Decimal], settings: CheckSettings = CheckSettings()) -> Outcome:
    """Judge one relation with the given figure values.

    >>> evaluate(Relation("share", "f", (0,), (1,), Decimal("48")), {0: Decimal(19948), 1: Decimal(104059)})
    Outcome(status='fail', expected=Decimal('19.17'), stated=Decimal('48'), tolerance=Decimal('1'))
    """
    return Outcome(*judge(rel, values, settings))


def judge(rel: Relation, values: Mapping[int, Decimal], settings: CheckSettings = CheckSettings()) -> Verdict:
    """:func:`evaluate` as a :data:`Verdict` tuple."""
    kind = rel.kind
    if kind == "shares_sum":
        return _SKIP if rel.share is None else _within(HUNDRED, rel.share, rel.tolerance or ZERO)
    left, right = _sum(rel.left, values), _sum(rel.right, values)
    if left is None or right is None:
        return _SKIP
    if kind == "share":
        stated = rel.share
        if stated is None or right == 0:
            return _SKIP
        computed = (left or ZERO) * HUNDRED / right
        return _within(computed.quantize(CENT), stated, unit_of(stated))
    if kind == "rate":  # left: the reported rate
        return _SKIP if right == 0 else _rate(rel, values, left)
    if kind == "cumulative":  # left: this year's figure, right: the cumulative one
        return ("fail" if left > right else "ok", right, left, None)
    if kind == "duplicate":
        return ("ok" if left == right else "fail", right, left, ZERO)
    # parts_sum / balance: left is the stated total, right the parts
    if not rel.exhaustive:
        return ("fail", right, left, ZERO) if right > left else ("ok", right, left, None)
    gap = abs(left - right)
    tol = (abs(left) * settings.parts_gap_rel).to_integral_value(rounding="ROUND_FLOOR")
    if gap == 0:
        return ("ok", right, left, tol)
    return ("gap" if gap <= tol else "fail", right, left, tol)


def _within(computed: Decimal, stated: Decimal, tol: Decimal) -> Verdict:
    return ("ok" if abs(computed - stated) <= tol else "fail", computed, stated, tol)


def _rate(rel: Relation, values: Mapping[int, Decimal], stated: Decimal) -> Verdict:
    n_num, *den_sizes = rel.sizes
    num = _sum(rel.right[:n_num], values)
    best = _SKIP
    pos = n_num
    for size in den_sizes:
        den = _sum(rel.right[pos:pos + size], values)
        pos += size
        if num is None or not den:
            continue
        out = _within((num * HUNDRED / den).quantize(CENT), stated, unit_of(stated))
        if out[0] == "ok" or best[0] == "skip":
            best = out
    return best
