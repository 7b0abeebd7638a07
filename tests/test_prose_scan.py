"""The first-character dispatch returns exactly what ``re.search`` returns on the whole alternation."""

from __future__ import annotations

import random
import re

from parsers import prose_label, prose_rules
from parsers.pattern_edges import first_chars, last_chars
from parsers.prose_scan import Dispatch


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
    """Each unit's dispatcher of the rule tables (as ``prose_label`` builds them) against the plain alternation."""
    ended = 0
    for table in prose_label._TABLES.values():
        for unit, (fast, idx) in table.combined.items():
            named = [(f"r{i}", table.rules[i].left.pattern) for i in idx]  # type: ignore[union-attr]
            whole = re.compile("|".join(f"(?P<{n}>{p})" for n, p in named))
            texts = _texts([p for _, p in named], 1500, seed=len(named))
            # ``$`` also matches before a final newline: texts ending in one (or in other white space) too
            texts += [t + end for t in texts[:500] for end in ("\n", " ", "\u3000")]
            hits = 0
            for text in texts:
                a, b = whole.search(text), fast.search(text)
                assert (a and (a.span(), a.lastgroup)) == (b and (b.span(), b.lastgroup)), (unit, text)
                hits += a is not None
            assert hits > len(texts) // 40, unit  # the texts exercise the rules
            ended += fast._last is not None
    assert ended >= 20  # the end test is in play for most units


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


def _number_texts(n: int, seed: int) -> list[str]:
    """Strings of number words, units, prefixes, marks and Chinese, where the number grammar matches often."""
    words = ["2013", "1,303", "１２", "12.5", "0", "三", "二十八", "一", "万", "亿", "千", "百分之", "%", "％", "个百分点",
             "件", "条", "人次", "元", "万元", "年", "月", "第", "号", "〔", "〕", "约", "大约", "近", "超过", "余", "多",
             "以上", "左右", "电话", "：", "0598-7500615", "13912345678", "“", "”", "www.x.cn", "a@b.cn", "，", "。",
             " ", "\n", "共", "受理", "信息", "一站式", "万家", "十四五", "٣", "\u3000"]
    rng = random.Random(seed)
    return ["".join(rng.choice(words) for _ in range(rng.randint(0, 14))) for _ in range(n)]


def test_guarded_scans_equal_plain_compilation() -> None:
    """The number grammar compiled with its first characters given to the engine finds what the plain
    compilation of the same pattern finds (spans and every group)."""
    from parsers import numbers

    for name in ("QUANTITY", "MASKS", "BARE_NUMBER", "PERCENT_WORDS"):
        fast: re.Pattern[str] = getattr(numbers, name)
        plain = re.compile(fast.pattern)
        assert fast.groupindex == plain.groupindex
        hits = 0
        for text in _number_texts(3000, seed=len(name)):
            got = [(m.span(), m.groups()) for m in fast.finditer(text)]
            assert got == [(m.span(), m.groups()) for m in plain.finditer(text)], (name, text)
            hits += bool(got)
        assert hits > 100, name  # the texts exercise the pattern (百分之 is one word in 57)


def test_with_first_chars_declines_what_it_cannot_do() -> None:
    from parsers.pattern_edges import guarded, with_first_chars

    assert with_first_chars("(?:约)?", frozenset("约")) is None  # can match the empty string: no class
    assert with_first_chars("(?i)abc", frozenset("a")) is None  # global flags
    assert with_first_chars("(", frozenset("(")) is None  # not a pattern
    assert guarded("[^，]公开").pattern == "[^，]公开"  # first characters unknown: compiled as is
    # a superset of the first characters is only a weaker filter: the matches stay
    wide = with_first_chars(r"\d+件", frozenset({r"\d", "件", "共"}))
    assert wide is not None and [m.group() for m in wide.finditer("共3件件12件")] == ["3件", "12件"]


def test_last_chars() -> None:
    assert last_chars(r"(?:政府)?网站$") == frozenset("站")
    assert last_chars(r"公开(?:信息)?\s*$") == frozenset({"开", "息", r"\s"})
    assert last_chars(r"(?:受理|收到)申请(?<!零)$") == frozenset("请")  # zero-width items are passed over
    assert last_chars(r"公开$|信息\Z") == frozenset("开息")
    assert last_chars("公开") is None  # can end anywhere
    assert last_chars("公开$|信息") is None  # one branch can end anywhere
    assert last_chars("(?:公开)?$") is None  # can match the empty string
    assert last_chars(r"[^，]$") is None  # a negated set: unknown


def test_dispatch_end_test_allows_the_final_newline() -> None:
    named = (("a", "公开$"), ("b", r"信息\Z"), ("c", r"\d件$"))
    whole = re.compile("|".join(f"(?P<{n}>{p})" for n, p in named))
    fast = Dispatch(named)
    assert fast._last == frozenset({"开", "息", "件"})
    for text in ("主动公开", "主动公开\n", "公开\n\n", "信息", "信息\n", "3件", "3件\n", "公开 ", "x", "", "\n"):
        a, b = whole.search(text), fast.search(text)
        assert (a and (a.span(), a.lastgroup)) == (b and (b.span(), b.lastgroup)), text
