"""The scanning patterns of ``numbers`` are written for speed (a first-character guard, digit runs that are
never given back, alternatives that start with a literal); these tests check that they find exactly what the
plain patterns find."""

from __future__ import annotations

import random
import re

from parsers import numbers

_SCANNERS = ("QUANTITY", "PERCENT_WORDS", "BARE_NUMBER", "MASKS", "CN_IDIOMS")
_WORDS = ["1", "23", "456", "7,890", "1,2", "3.5", "０", "１２", "٣", "一", "二十", "两", "百", "千", "万", "亿", "十四五",
          "约", "大约", "超过", "近", "余", "多", "条", "件", "个", "个百分点", "%", "％", "元", "万元", "年", "月", "号",
          "第", "〔", "〕", "令", "电话", "：", "-", " ", "\n", "，", "。", "、", "|", "“", "”", "百分之", "公开", "申请",
          "http://a.cn/x", "a@b.cn", "0591-7654321", "13912345678", "一站式", "万家", "人次", "工作日", "以上", "左右"]


#: CN_IDIOMS as first written: the numeral test before the idiom instead of after its first character.
_PLAIN_IDIOMS = (r"一站式|一把手|一网通|一件事|一次办|一体化|十[三四五]五|一张网|一门式|一窗"
                 r"|(?<![零〇一二两三四五六七八九十百千0-9])(?:万[家众]|千[家万])")


def _plain(pattern: str) -> re.Pattern[str]:
    """The pattern without its guard and with backtracking digit runs."""
    if pattern == numbers.CN_IDIOMS.pattern:
        return re.compile(_PLAIN_IDIOMS)
    body = re.sub(r"^\(\?=\[[^\]]*\]\)\(\?:(.*)\)$", r"\1", pattern, flags=re.S)
    return re.compile(body.replace("]++", "]+"))


def test_scanners_find_what_the_plain_patterns_find() -> None:
    rng = random.Random(7)
    texts = ["".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 30))) for _ in range(4000)]
    for name in _SCANNERS:
        fast = getattr(numbers, name)
        plain = _plain(fast.pattern)
        assert plain.pattern != fast.pattern, name
        found = 0
        for text in texts:
            a = [(m.span(), m.groupdict()) for m in plain.finditer(text)]
            assert [(m.span(), m.groupdict()) for m in fast.finditer(text)] == a, (name, text)
            found += len(a)
        assert found > 200, name  # the texts exercise the pattern
