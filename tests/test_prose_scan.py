"""The first-character dispatch returns exactly what ``re.search`` returns on the whole alternation."""

from __future__ import annotations

import random
import re

from parsers import prose_label, prose_rules
from parsers.prose_scan import Dispatch, first_chars


def _texts(patterns: list[str], n: int, seed: int) -> list[str]:
    """Strings built from the words of the patterns themselves (so that many match), digits and punctuation."""
    words = sorted({w for p in patterns for w in re.findall(r"[\u4e00-\u9fff]+", p)})
    words += ["2020年", "12", "１２", " ", "\n", "，", "。", "(", "（", "共", "为", "的", "数", "了", "x", "零", "٣"]
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = [rng.choice(words) for _ in range(rng.randint(0, 8))]
        # cut words too, so that matches can start inside them
        text = "".join(w[rng.randint(0, len(w) - 1):] if w and rng.random() < 0.2 else w for w in parts)
        out.append(text[-prose_label.MAX_LEFT:])
    return out


def test_dispatch_equals_search_on_the_rule_alternations() -> None:
    for rules in (prose_rules.COUNT_RULES, prose_rules.RATE_RULES):
        named = [(f"r{i}", r.left.pattern) for i, r in enumerate(rules) if r.left is not None]
        whole = re.compile("|".join(f"(?P<{n}>{p})" for n, p in named))
        fast = Dispatch(tuple(named))
        texts = _texts([p for _, p in named], 6000, seed=len(named))
        hits = 0
        for text in texts:
            a, b = whole.search(text), fast.search(text)
            assert (a and (a.span(), a.lastgroup)) == (b and (b.span(), b.lastgroup)), text
            hits += a is not None
        assert hits > len(texts) // 10  # the texts exercise the rules


def test_dispatch_with_unreadable_and_class_alternatives() -> None:
    named = (("a", r"[^，]公开$"), ("b", r"\d+件$"), ("f", r"^\s*公开$"), ("c", "公开$"), ("d", r"x?$"),
             ("e", r"\s*信息$"), ("g", r"(?:^信息|^\s)件?$"))
    whole = re.compile("|".join(f"(?P<{n}>{p})" for n, p in named))
    fast = Dispatch(named)
    for text in _texts(["公开", "信息", "件"], 3000, seed=1):
        a, b = whole.search(text), fast.search(text)
        assert (a and (a.span(), a.lastgroup)) == (b and (b.span(), b.lastgroup)), text


def test_anchored_alternatives_are_tried_at_the_start_only() -> None:
    named = (("a", r"公开$"), ("b", r"^\s*(?:主动)?公开$"), ("c", r"^公开信息$"), ("d", r"\s公开$"))
    whole = re.compile("|".join(f"(?P<{n}>{p})" for n, p in named))
    fast = Dispatch(named)
    for text in ("公开", " 公开", "主动公开", "公开信息", "信息公开", "\n公开", "x 公开", ""):
        a, b = whole.search(text), fast.search(text)
        assert (a and (a.span(), a.lastgroup)) == (b and (b.span(), b.lastgroup)), text
    assert set(fast._by_char) == {"公"}  # the anchored ones take no part in the dispatch


def test_first_chars() -> None:
    assert first_chars("(?:政府)?网站") == frozenset("政网")
    assert first_chars(r"(?<!零)投诉") == frozenset("投")
    assert first_chars(r"^\s*公开") == frozenset({r"\s", "公"})
    assert first_chars("[^，]公开") is None  # a negated set: unknown
    assert first_chars("(?:信息)?") is None  # can match the empty string
    assert first_chars("(?i)abc") is None  # global flags are not read
    assert first_chars(r"\w+") is None  # a class not kept by name
