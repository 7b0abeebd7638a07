"""``prose_label`` picks the rule that scoring every rule one by one would pick (the combined searches, the
any-unit table and the right-pattern prefilter are shortcuts to the same answer)."""

from __future__ import annotations

import random
import re
from decimal import Decimal

from parsers import prose_label, prose_rules
from parsers.numbers import Quantity
from parsers.prose_label import Label


def _naive(rules: tuple[prose_rules.Rule, ...], unit: str, sentence: str, right: str, any_unit: bool,
           section: str) -> Label | None:
    """Every rule accepting the unit scored on its own: the longest trigger (left and right), then the earlier."""
    left = sentence[-prose_label.MAX_LEFT:]
    best: tuple[int, int] | None = None
    label = None
    for order, rule in enumerate(rules):
        if not any_unit and not (rule.bare if unit == "" else unit in rule.units):
            continue
        if rule.sections and section not in rule.sections:
            continue
        left_len = right_len = 0
        if rule.left is not None:
            m = rule.left.search(left)
            if m is None:
                continue
            left_len = len(left) - m.start()
        if rule.right is not None:
            m2 = rule.right.match(right)
            if m2 is None:
                continue
            right_len = m2.end()
        if rule.context is not None and not rule.context.search(sentence):
            continue
        score = (left_len + right_len, -order)
        if best is None or score > best:
            best, label = score, Label(rule.metrics, rule.id, left_len, right_len)
    return label


def _words(rules: tuple[prose_rules.Rule, ...]) -> list[str]:
    patterns = [p.pattern for r in rules for p in (r.left, r.right, r.context) if p is not None]
    words = sorted({w for p in patterns for w in re.findall(r"[\u4e00-\u9fff]+", p)})
    return words + ["2020年", "12", " ", "\n", "，", "。", "(", "共", "为", "的", "数", "了", "零", "、"]


def test_labels_equal_scoring_every_rule() -> None:
    rng = random.Random(3)
    for table, rules, fn in (("count", prose_rules.COUNT_RULES, prose_label.label_count),
                             ("rate", prose_rules.RATE_RULES, None)):
        words = _words(rules)
        units = sorted({u for r in rules for u in r.units} | {""})
        labelled = 0
        for _ in range(4000):
            sentence = "".join(rng.choice(words) for _ in range(rng.randint(0, 7)))
            right = "".join(rng.choice(words) for _ in range(rng.randint(0, 2)))
            unit, any_unit = rng.choice(units), rng.random() < 0.15
            section = rng.choice(("preamble", "overview", "proactive"))
            q = Quantity(0, 1, 0, Decimal(1), unit, unit, "count", False, False)
            if fn is not None:
                got = fn(q, sentence, right, any_unit=any_unit, section=section)
                if rng.random() < 0.5:  # the section may be given as a function
                    assert fn(q, sentence, right, any_unit=any_unit, section=lambda: section) == got
            else:
                any_unit, right = False, ""
                got = prose_label.label_rate(q, sentence, section)
            assert got == _naive(rules, unit, sentence, right, any_unit, section), (table, unit, sentence, right)
            labelled += got is not None
        assert labelled > 200, table  # the texts exercise the rules
