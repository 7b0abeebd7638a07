"""Choosing a metric for one number: the regex rule tables first, the jieba lexicon as a fallback.

>>> from parsers.numbers import find_quantities
>>> t = "其中市直单位受理16件"
>>> q = find_quantities(t)[0]
>>> lab = label_count(q, t[:q.start], "")
>>> lab.metrics, lab.rule, lab.left_len
(('requests.received.by_level.municipal_departments',), 'req.level.municipal', 6)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from collections.abc import Callable
from typing import Any

from parsers import lexicon, prose_rules
from parsers.numbers import Quantity
from parsers.prose_scan import Dispatch
from parsers.records import quick_init

#: The jieba fallback looks within the clause only, and never across an enumeration comma or another number.
_CLAUSE_END = re.compile(r"[，,。；;！？!?\n：:、0-9]")
MAX_JIEBA_DISTANCE = 8
MAX_LEFT = 48


@quick_init
@dataclass(frozen=True, slots=True)
class Label:
    metrics: tuple[str, ...]
    rule: str
    left_len: int  # characters of trigger (and filler) before the number that belong to the quote
    right_len: int = 0  # characters after the unit that belong to the quote


def _simple(rule: prose_rules.Rule) -> bool:
    """A rule decided by its left pattern and unit alone (most rules): these are searched all at once."""
    return rule.left is not None and rule.right is None and rule.context is None and not rule.sections


#: The rule-set key of ``any_unit`` labelling: every rule, whatever units it accepts.
ANY_UNIT = "*"


def _accepts(rule: prose_rules.Rule, unit: str) -> bool:
    return True if unit == ANY_UNIT else rule.bare if unit == "" else unit in rule.units


def _keys(rules: tuple[prose_rules.Rule, ...]) -> set[str]:
    return {u for r in rules for u in r.units} | {"", ANY_UNIT}


def _combine(rules: tuple[prose_rules.Rule, ...]) -> dict[str, tuple[Dispatch, tuple[int, ...]]]:
    """Per unit, one alternation of the simple rules accepting it. All alternatives end at ``$``, so the
    leftmost match is the longest trigger, and at equal start the earlier rule wins: the same choice as
    scoring the rules one by one, at a fraction of the cost (and dispatched on the first character, at a
    fraction of that again)."""
    out = {}
    for unit in _keys(rules):
        idx = tuple(i for i, r in enumerate(rules) if _simple(r) and _accepts(r, unit))
        if idx:
            alternatives = tuple((f"r{i}", rules[i].left.pattern) for i in idx)  # type: ignore[union-attr]
            out[unit] = (Dispatch(alternatives), idx)
    return out


@dataclass(frozen=True, slots=True)
class _Others:
    """The rules of one unit that the combined search does not decide (right pattern, context or sections)."""

    plain: tuple[tuple[int, prose_rules.Rule], ...]  # (table order, rule) without a right pattern
    with_right: tuple[tuple[int, prose_rules.Rule], ...]
    any_right: re.Pattern[str] | None  # matches where one of their right patterns does: most numbers fail it


def _others(rules: tuple[prose_rules.Rule, ...]) -> dict[str, _Others]:
    """Per unit, the rules the combined search does not decide that accept it: computed once so a number scores
    only these (and those with a right pattern only when one of the patterns matches)."""
    out = {}
    for unit in _keys(rules):
        rest = [(i, r) for i, r in enumerate(rules) if not _simple(r) and _accepts(r, unit)]
        with_right = tuple((i, r) for i, r in rest if r.right is not None)
        any_right = "|".join(f"(?:{r.right.pattern})" for _, r in with_right)  # type: ignore[union-attr]
        out[unit] = _Others(tuple((i, r) for i, r in rest if r.right is None), with_right,
                            re.compile(any_right) if with_right else None)
    return out


@dataclass(frozen=True, slots=True)
class _Table:
    rules: tuple[prose_rules.Rule, ...]
    combined: dict[str, tuple[Dispatch, tuple[int, ...]]]
    others: dict[str, _Others]


def _table(rules: tuple[prose_rules.Rule, ...]) -> _Table:
    return _Table(rules, _combine(rules), _others(rules))


_TABLES: dict[str, _Table] = {"count": _table(prose_rules.COUNT_RULES), "rate": _table(prose_rules.RATE_RULES)}


#: The section a number is in, or a function giving it: asked only when a rule limited to some sections applies.
SectionOf = str | Callable[[], str]


def _best(table: _Table, q: Quantity, sentence: str, right: str, any_unit: bool, section: SectionOf) -> Label | None:
    left = sentence[-MAX_LEFT:]
    best: tuple[int, int] | None = None
    label: Label | None = None
    unit = ANY_UNIT if any_unit else q.unit
    entry = table.combined.get(unit)
    if entry is not None:
        m = entry[0].search(left)
        if m is not None and m.lastgroup:
            order = int(m.lastgroup[1:])
            best = (len(left) - m.start(), -order)
            rule = table.rules[order]
            label = Label(rule.metrics, rule.id, best[0], 0)
    others = table.others.get(unit)
    if others is None:
        return label
    candidates = others.plain
    if others.any_right is not None and others.any_right.match(right):
        candidates += others.with_right  # (the best score does not depend on the order rules are scored in)
    for order, rule in candidates:
        if rule.sections and (section if isinstance(section, str) else section()) not in rule.sections:
            continue
        left_len = right_len = 0
        if rule.right is not None:  # the anchored right pattern first: the left one is a search
            m2 = rule.right.match(right)
            if m2 is None:
                continue
            right_len = m2.end()
        if rule.left is not None:
            m = rule.left.search(left)
            if m is None:
                continue
            left_len = len(left) - m.start()
        if rule.context is not None and not rule.context.search(sentence):
            continue
        score = (left_len + right_len, -order)
        if best is None or score > best:
            best, label = score, Label(rule.metrics, rule.id, left_len, right_len)
    return label


def label_count(q: Quantity, left: str, right: str, *, any_unit: bool = False, section: SectionOf = "preamble"
                ) -> Label | None:
    """The best count rule for ``q`` given the sentence text before it and the text after it."""
    return _best(_TABLES["count"], q, left, right, any_unit, section)


def label_rate(q: Quantity, left: str, section: SectionOf = "preamble") -> Label | None:
    """The best reported-rate rule for a percentage."""
    return _best(_TABLES["rate"], q, left, "", False, section)


def _term_search() -> dict[str, re.Pattern[str]]:
    """Per unit, one alternation of the lexicon phrases accepting it."""
    units = {u for _, accepted in lexicon.TERM_METRICS.values() for u in accepted}
    return {unit: re.compile("|".join(re.escape(w) for w, (_, accepted) in lexicon.TERM_METRICS.items()
                                      if unit in accepted))
            for unit in units}


_TERM_SEARCH = _term_search()
#: How far from the number a phrase may start or end and still be chosen.
_TERM_REACH = MAX_JIEBA_DISTANCE + max(map(len, lexicon.TERM_METRICS))


def _phrase_near(q: Quantity, text: str, lo: int, hi: int) -> bool:
    """Whether a phrase accepting ``q``'s unit is written in ``text[lo:hi]`` within reach before or after ``q``."""
    terms = _TERM_SEARCH.get(q.unit)
    return terms is not None and (
        terms.search(text, max(lo, q.num_start - _TERM_REACH), q.num_start) is not None
        or terms.search(text, q.end, min(hi, q.end + _TERM_REACH)) is not None)


def label_jieba(q: Quantity, text: str, tokenizer: Any) -> Label | None:
    """Nearest lexicon phrase to ``q`` within its clause, found with the private jieba tokenizer."""
    # jieba's tokens are substrings of the clause, so a number with no accepted phrase written within reach on
    # either side can get no label: skip the tokenizer (most of this stage's time on real pages) for it
    if not _phrase_near(q, text, 0, len(text)):
        return None
    lo = q.start
    while lo > 0 and q.start - lo < 40 and not _CLAUSE_END.match(text[lo - 1]):
        lo -= 1
    hi = q.end
    while hi < len(text) and hi - q.end < 30 and not _CLAUSE_END.match(text[hi]):
        hi += 1
    if not _phrase_near(q, text, lo, hi):  # the phrase is outside the clause
        return None
    best: tuple[int, Label] | None = None
    # only the parts of the clause holding an accepted phrase are segmented: a token elsewhere is none of them
    for word, ts, te in lexicon.block_tokens(tokenizer, text[lo:hi], _TERM_SEARCH[q.unit]):
        entry = lexicon.TERM_METRICS.get(word)
        if entry is None or q.unit not in entry[1]:
            continue
        s, e = lo + ts, lo + te
        if e <= q.num_start:
            dist, lab = q.num_start - e, Label((entry[0],), f"jieba:{word}", q.start - s)
        elif s >= q.end:
            dist, lab = s - q.end, Label((entry[0],), f"jieba:{word}", 0, e - q.end)
        else:
            continue
        if dist <= MAX_JIEBA_DISTANCE and (best is None or dist < best[0]):
            best = (dist, lab)
    return best[1] if best else None
