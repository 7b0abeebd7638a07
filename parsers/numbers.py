"""The number grammar: named, compiled pattern pieces and units (domain-spec §D); Chinese numerals in ``numbers_cn``.

Everything here works on the *normalized* view text (simplified script, full-width folded), but the
patterns also accept full-width digits and ``％`` so that raw text never breaks them.

>>> [(q.value, q.unit, q.unit_raw, q.approx) for q in find_quantities("共发布信息1.2万余条，占35%")]
[(Decimal('12000'), '条', '万条', True), (Decimal('35'), '%', '%', False)]
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import accumulate
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

# Chinese numerals live in numbers_cn; both functions stay importable from here, where callers found them
from parsers.numbers_cn import format_chinese as format_chinese, parse_chinese as parse_chinese
from parsers.pattern_edges import guard, guarded
from parsers.records import quick_init

QuantityKind = Literal["count", "percent", "points", "amount"]

_FW_DIGITS = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")

# --- named pattern pieces -------------------------------------------------------------------------------
DIGIT = r"[0-9０-９]"
#: Arabic number: thousands separators only with exact 3-digit groups (1,303), optional decimals.
#: A digit run is never given back (``++``): what may follow a number in any pattern here is never a digit,
#: so backtracking into the run could not succeed, and only cost time.
ARABIC = rf"(?:{DIGIT}{{1,3}}(?:[,，]{DIGIT}{{3}})+(?!{DIGIT})|{DIGIT}++)(?:[.．]{DIGIT}++)?"
CN_CHARS = "零〇一二两三四五六七八九十百千万亿"
CN_NUMERAL = rf"[{CN_CHARS}]+"
#: A scale word after Arabic digits: 1.2万, 3千, 1.3亿.
SCALE = r"(?:千万|百万|万|亿|千)"
PREFIX_APPROX = r"(?:大约|约|近|超过|超|逾|突破)"
SUFFIX_APPROX = r"(?:余|多)"
POST_APPROX = r"(?:以上|左右)"
#: Count and magnitude units, longest first (canonical forms are in :data:`UNIT_CANON`).
UNITS = (
    "个工作日", "工作日", "人次", "条次", "件次", "场次", "批次", "大类", "大方面", "个", "项", "次", "场", "期",
    "篇", "人", "名", "份", "宗", "批", "册", "家", "类", "条", "件", "元", "户", "所", "处", "方面",
)
#: 个 is not a count unit in 3个月 (a period) or 7个部分 (report structure).
UNIT = "|".join(sorted(UNITS, key=len, reverse=True)).replace("|个|", "|个(?!月|部分|小时|多月|季度)|")
#: What may follow a number and makes it *not* a count (dates, periods, addresses, document numbers).
NOT_UNIT_AFTER = r"(?:年|月|日|号|时|分|周|岁|届|楼|层|路|街|栋|米|公里|倍|部分|天)"
PERCENT_SIGN = r"(?:%|％)"

# The scanning patterns are ``guarded``: a first-character test lets the engine skip most of the text fast.
QUANTITY = guarded(
    rf"(?P<pre>{PREFIX_APPROX})?"
    rf"(?:(?P<arabic>(?<![0-9０-９.．])(?<![0-9０-９][,，]){ARABIC})(?P<scale>\s*{SCALE})?|(?P<cn>{CN_NUMERAL}))"
    rf"(?P<suf>{SUFFIX_APPROX})?\s*"
    # (guarded: most numbers and numerals of a page have no unit, and one class test rejects them)
    + guard(rf"(?P<pct>{PERCENT_SIGN})|(?P<pts>个百分点)|(?P<yuan>万元|亿元|元)|(?P<unit>{UNIT})")
    + rf"(?P<post>{POST_APPROX})?"
)
PERCENT_WORDS = guarded(rf"(?P<pre>{PREFIX_APPROX})?百分之(?:(?P<arabic>{ARABIC})|(?P<cn>{CN_NUMERAL}))")

#: Spans that never hold figures: document numbers, ordinals, URLs, e-mails, phone numbers, postcodes.
MASKS = guarded(
    "|".join((
        rf"[〔【\[(（]\s*(?:19|20){DIGIT}{{2}}\s*[〕】\])）]\s*第?\s*{DIGIT}+\s*号",  # 〔2013〕73号
        rf"令\s*第?\s*{DIGIT}+\s*号",  # 国务院令第711号
        rf"第\s*(?:{ARABIC}|{CN_NUMERAL})",  # 第10次, 第二十条, 第5名
        r"https?://[^\s，。；、）)]+|www\.[^\s，。；、）)]+",
        r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",
        rf"(?:电话|传真|热线|手机|联系方式|邮编|邮政编码|信箱)[:：\s]*[0-9０-９\-－—()（）\s、,，/转]{{5,}}",
        rf"(?<!{DIGIT})0{DIGIT}{{2,3}}[-－—]?{DIGIT}{{7,8}}(?!{DIGIT})",  # 0598-7500615, 05987500615
        rf"(?<!{DIGIT})1[3-9]{DIGIT}{{9}}(?!{DIGIT})",  # mobile numbers
        r"“[^”\n]{0,15}”",  # short quoted names: “8+4”, “创业富民30条”
        rf"{DIGIT}++\s*{NOT_UNIT_AFTER}",  # (what follows the run is never a digit: the run is never given back)
    ))
)
#: Chinese numerals inside fixed words are not quantities (一站式, 十四五, 一把手).
# 万家/万众/千家万户/千万(不要) are idioms, but 一万家 and 一千万件 are numbers: no numeral may precede them. That
# is tested after their first character, so that every alternative starts with a literal: the regex engine then
# jumps between the characters that can start one (a charset prefix), faster still than a first-character guard.
_NUMERAL_BEFORE = "零〇一二两三四五六七八九十百千0-9"
CN_IDIOMS = re.compile(r"一站式|一把手|一网通|一件事|一次办|一体化|十[三四五]五|一张网|一门式|一窗"
                       rf"|万(?<![{_NUMERAL_BEFORE}]万)[家众]|千(?<![{_NUMERAL_BEFORE}]千)[家万]")


@quick_init
@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit, found in a text. Offsets are into the text searched."""

    start: int
    end: int
    num_start: int
    value: Decimal
    unit: str  # canonical: 条, 件, %, 个百分点, 元, …
    unit_raw: str  # as printed, with any scale word (万条, 万元)
    kind: QuantityKind
    approx: bool
    chinese: bool  # written in Chinese numerals


_SCALE_VALUE = {"千": 1000, "万": 10_000, "百万": 1_000_000, "千万": 10_000_000, "亿": 100_000_000}


def parse_arabic(s: str) -> Decimal | None:
    """Value of an Arabic number with optional separators and full-width digits.

    >>> parse_arabic("1,303"), parse_arabic("２.８")
    (Decimal('1303'), Decimal('2.8'))
    """
    if s.isdigit() and s.isascii():  # plain digits (most numbers): nothing to fold
        return Decimal(s)
    try:
        return Decimal(s.translate(_FW_DIGITS).replace(",", ""))
    except InvalidOperation:
        return None


def _clean(d: Decimal) -> Decimal:
    """12000.0 -> 12000, 1.60 stays numerically equal but prints without the exponent form."""
    return Decimal(int(d)) if d == d.to_integral_value() else d


def masked_spans(text: str) -> list[tuple[int, int]]:
    """Spans that never hold figures (document numbers, dates, phones, …); compute once, pass to the finders."""
    return _masked(text)


def _masked(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in MASKS.finditer(text)] + [m.span() for m in CN_IDIOMS.finditer(text)]


class SpanIndex:
    """Overlap tests against a fixed set of spans in O(log n) (a linear scan per number made long pages
    quadratic: 380k characters took 32 s).

    >>> idx = SpanIndex([(10, 20), (0, 3)])
    >>> idx.overlaps(2, 5), idx.overlaps(3, 10), idx.overlaps(19, 30)
    (True, False, True)
    """

    __slots__ = ("_starts", "_max_ends")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [a for a, _ in ordered]
        self._max_ends = list(accumulate((b for _, b in ordered), max))

    def overlaps(self, s: int, e: int) -> bool:
        """Whether some span [a, b) has a < e and s < b."""
        i = bisect_left(self._starts, e)  # spans [0, i) start before e
        return i > 0 and self._max_ends[i - 1] > s


def find_quantities(text: str, masks: list[tuple[int, int]] | None = None) -> list[Quantity]:
    """All numbers with a unit (or %, 个百分点, 元) in ``text``, minus masked spans. Never raises.

    >>> [(q.value, q.unit) for q in find_quantities("国办发〔2013〕73号，2013年1月1日，受理申请二十八件")]
    [(Decimal('28'), '件')]
    """
    masked = SpanIndex(_masked(text) if masks is None else masks)
    out: list[Quantity] = []
    for m in QUANTITY.finditer(text):
        g = m.groups()  # one call for all the groups read here and in _quantity (a tuple: cheaper than a dict)
        num_start = m.start(_G_ARABIC + 1) if g[_G_ARABIC] else m.start(_G_CN + 1)
        if masked.overlaps(num_start, m.end()):
            continue
        q = _quantity(m, g, num_start)
        if q is not None:
            out.append(q)
    if "百分之" in text:  # (a cheap test: this pattern is rare)
        for m in PERCENT_WORDS.finditer(text):
            raw = m.group("arabic") or m.group("cn")
            value = parse_arabic(raw) if m.group("arabic") else parse_chinese(raw)
            if value is not None and not masked.overlaps(m.start(), m.end()):
                out.append(Quantity(m.start(), m.end(), m.start(), value, "%", "百分之", "percent",
                                    bool(m.group("pre")), m.group("cn") is not None))
    out.sort(key=lambda q: q.start)
    return out


#: Positions of QUANTITY's groups in ``Match.groups()``.
_G_PRE, _G_ARABIC, _G_SCALE, _G_CN, _G_SUF, _G_PCT, _G_PTS, _G_YUAN, _G_UNIT, _G_POST = (
    QUANTITY.groupindex[name] - 1
    for name in ("pre", "arabic", "scale", "cn", "suf", "pct", "pts", "yuan", "unit", "post"))


def _quantity(m: re.Match[str], g: tuple[Any, ...], num_start: int) -> Quantity | None:
    start, end = m.span()
    chinese = g[_G_CN] is not None
    if chinese:
        value = parse_chinese(g[_G_CN])
        if value is None:
            return None
        scale_raw = ""
    else:
        value = parse_arabic(g[_G_ARABIC])
        if value is None:
            return None
        scale_raw = (g[_G_SCALE] or "").strip()
        if scale_raw:
            value = _clean(value * _SCALE_VALUE[scale_raw])
    approx = bool(g[_G_PRE] or g[_G_SUF] or g[_G_POST])
    if g[_G_PCT]:
        return Quantity(start, end, num_start, value, "%", "%", "percent", approx, chinese)
    if g[_G_PTS]:
        return Quantity(start, end, num_start, value, "个百分点", "个百分点", "points", approx, chinese)
    if g[_G_YUAN]:
        raw = g[_G_YUAN]
        factor = {"万元": 10_000, "亿元": 100_000_000}.get(raw, 1)
        return Quantity(start, end, num_start, _clean(value * factor), "元", scale_raw + raw, "amount", approx, chinese)
    unit = g[_G_UNIT]
    canon = UNIT_CANON.get(unit, unit)
    return Quantity(start, end, num_start, value, canon, scale_raw + unit, "count", approx, chinese)


#: Unit spellings folded to one canonical unit (the raw spelling stays in ``unit_raw``).
UNIT_CANON = {"工作日": "个工作日", "大方面": "方面", "大类": "类"}


BARE_NUMBER = guarded(
    rf"(?P<pre>{PREFIX_APPROX})?(?P<arabic>(?<![0-9０-９.．])(?<![0-9０-９][,，]){ARABIC})(?P<scale>{SCALE})?"
    rf"(?P<suf>{SUFFIX_APPROX})?(?![0-9０-９.．%％万亿千余多]|\s*{guard(f'{UNIT}|万元|亿元|元|个百分点|{NOT_UNIT_AFTER}')})"
)


def find_bare_numbers(text: str, masks: list[tuple[int, int]] | None = None,
                      keep: Callable[[int, int, int], bool] | None = None) -> list[Quantity]:
    """Arabic numbers printed without a unit (``关注量达269万``, ``部分公开67,``); unit ``""``.

    ``keep(start, num_start, end)``, when given, is asked before a number's value is read: a caller's filter,
    applied early because most bare numbers of a page sit in its tables, where the caller drops them.

    >>> [(q.value, q.unit) for q in find_bare_numbers("关注量达269万，共5件，2019年")]
    [(Decimal('2690000'), '')]
    """
    masked = SpanIndex(_masked(text) if masks is None else masks)
    out = []
    for m in BARE_NUMBER.finditer(text):
        num_start, end = m.start("arabic"), m.end()
        if (keep is not None and not keep(m.start(), num_start, end)) or masked.overlaps(num_start, end):
            continue
        value = parse_arabic(m.group("arabic"))
        if value is None:
            continue
        scale = m.group("scale") or ""
        if scale:
            value = _clean(value * _SCALE_VALUE[scale])
        out.append(Quantity(m.start(), end, num_start, value, "", scale, "count",
                            bool(m.group("pre") or m.group("suf")), False))
    return out
