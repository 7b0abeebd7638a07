"""Chinese numerals: reading (二十八, 一百零五, 两万三千, 二〇一三) and writing them.

>>> parse_chinese("一千零一"), format_chinese(1001)
(Decimal('1001'), '一千零一')
"""

from __future__ import annotations

from decimal import Decimal

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}


def _section(s: str) -> int | None:
    """Value of a numeral below 10,000 (no 万/亿); None when malformed."""
    total, digit, last_unit = 0, None, 10_000
    for c in s:
        if c in _CN_DIGIT:
            if digit is not None and _CN_DIGIT[c] != 0:
                return None  # two digits without a unit between them
            digit = _CN_DIGIT[c] if _CN_DIGIT[c] else None
        else:
            unit = _CN_SMALL[c]
            if unit >= last_unit:
                return None
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
    return total + (digit or 0)


def _chinese_int(s: str) -> int | None:
    for big, factor in (("亿", 100_000_000), ("万", 10_000)):
        if big in s:
            head, _, tail = s.rpartition(big) if big == "亿" else s.partition(big)
            h = _chinese_int(head) if head else None
            t = _chinese_int(tail) if tail else 0
            if h is None or t is None or t >= factor:
                return None
            return h * factor + t
    return _section(s)


def parse_chinese(s: str) -> Decimal | None:
    """Value of a Chinese numeral, or None when it is not one.

    >>> parse_chinese("二十八"), parse_chinese("一百零五"), parse_chinese("两万三千"), parse_chinese("二〇一三")
    (Decimal('28'), Decimal('105'), Decimal('23000'), Decimal('2013'))
    >>> parse_chinese("万") is None
    True
    """
    if not s or any(c not in _CN_DIGIT and c not in _CN_SMALL and c not in _CN_BIG for c in s):
        return None
    if all(c in _CN_DIGIT for c in s):  # digit by digit: 二〇一三
        return Decimal("".join(str(_CN_DIGIT[c]) for c in s))
    if s[0] in _CN_BIG or s[0] in "百千":
        return None
    value = _chinese_int(s)
    return None if value is None else Decimal(value)


def format_chinese(n: int) -> str:
    """Write a non-negative integer in Chinese numerals (the inverse of :func:`parse_chinese`).

    >>> format_chinese(28), format_chinese(105), format_chinese(10), format_chinese(230_000_005)
    ('二十八', '一百零五', '十', '二亿三千万零五')
    """
    digits = "零一二三四五六七八九"
    if n == 0:
        return "零"

    def four(g: int) -> str:
        out, zero = "", False
        for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = g // unit_value % 10
            if d == 0:
                zero = bool(out)
                continue
            if zero:
                out += "零"
                zero = False
            out += digits[d] + unit
        return out

    def below_1e8(x: int, lead: bool) -> str:
        high, low = divmod(x, 10_000)
        out = four(high) + "万" if high else ""
        if low:
            if (out or not lead) and low < 1000:
                out += "零"
            out += four(low)
        return out

    high, low = divmod(n, 100_000_000)
    if high:
        result = format_chinese(high) + "亿"
        if low:
            result += ("零" if low < 10_000_000 else "") + below_1e8(low, False).lstrip("零")
    else:
        result = below_1e8(low, True)
    return result[1:] if result.startswith("一十") else result
