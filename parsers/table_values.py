"""Reading one table cell's text as a value: numeric, zero, empty, not applicable, or text.

Cells are read as text first; only a cell whose whole text fits the cell grammar is a value. A blank, a
printed ``0``, ``/``, a dash and ``无`` stay apart (``value_semantic`` empty / zero / na / zero-in-words).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

from parsers.records import ValueSemantic

_NUMBER = re.compile(
    r"^(?P<sign>[+\-−])?\s*(?P<num>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?\s*"
    r"(?P<unit>万元|亿元|元|件|条|个|项|次|人次|万)?$"
)
_NA = re.compile(r"^(?:/+|\\|-+|—+|–+|―+|…+|─+|不适用|不涉及|N/?A)$", re.I)
_ZERO_WORDS = frozenset({"无", "無", "零", "〇", "没有", "未发生"})
_SCALE = {"万元": Decimal(10000), "亿元": Decimal(100000000), "万": Decimal(10000)}
#: Full-width digits and signs → ASCII, zero-width spaces → nothing (white space goes first, by str.split).
#: Only the characters found are replaced: str.translate costs per character, and most cells and all prose
#: lines hold none.
_FOLD = {**dict(zip("０１２３４５６７８９．，＋－／", "0123456789.,+-/")), "\u200b": "", "\ufeff": ""}
_FOLDABLE = re.compile("[" + re.escape("".join(_FOLD)) + "]")


class CellValue(NamedTuple):
    """A cell read as a value.

    ``value`` is in canonical units (yuan for money written in 万元); ``unit_raw`` is the unit printed
    in the cell, if any. An immutable named tuple rather than a frozen dataclass: one is built for every
    distinct cell text of a page (dozens), and a tuple is built about five times faster.
    """

    semantic: ValueSemantic
    value: Decimal | None = None
    unit_raw: str = ""
    signed: bool = False  # the cell printed a + or - sign
    words: bool = False  # a zero written in words (无)


def clean(text: str) -> str:
    """Cell text with full-width digits folded and all white space removed.

    >>> clean(" １ ２3\\u00a0")
    '123'
    """
    text = "".join(text.split())  # str.split's white space is re's \s
    return _FOLDABLE.sub(_fold, text)


def _fold(m: re.Match[str]) -> str:
    return _FOLD[m[0]]


#: What a value's cleaned text can start with: a sign, the first character of an _NA form (N/A in either
#: case) or of a zero word; and what clean() folds or removes. With digits and white space, these are the
#: only first characters a value's text can have: any other rules the text out at once.
_HEADS = frozenset("+-−" "/\\-—–―…─不Nn" + "".join(w[0] for w in _ZERO_WORDS) + "".join(_FOLD))


def read_cell(text: str) -> CellValue | None:
    """Read a cell's text; None when the text is not a value (a label, a note, prose).

    >>> read_cell("1,424.4万元").value, read_cell("+2").value, read_cell("/").semantic
    (Decimal('14244000.0'), Decimal('2'), 'na')
    >>> read_cell(""), read_cell("无"), read_cell("如-8")
    (CellValue(semantic='empty', value=None, unit_raw='', signed=False, words=False), \
CellValue(semantic='zero', value=Decimal('0'), unit_raw='', signed=False, words=True), None)

    The first-character test gives what the grammar gives:

    >>> samples = ["规章", "（一）予以公开", "\u2003１２", "\u200b3件", "٣", "n/a", "－5", "−5", "没有", "不涉及", "…"]
    >>> [read_cell(s) == _read_grammar(s) for s in samples] == [True] * len(samples)
    True
    """
    if text.isascii() and text.isdigit():  # the common cell, a plain count: what the grammar below gives
        plain = Decimal(text)
        return CellValue("numeric" if plain else "zero", plain)
    if not may_be_value(text):
        return None  # labels and prose lines
    return _read_grammar(text)


#: A line that may be one value or a sequence of values (:func:`read_cell`, :func:`split_multi`): only
#: digits, signs, separators, the units, zero words and not-applicable marks of the grammar, and white space
#: (a superset: the grammar decides). Text without such a line holds no value outside table markup.
_VALUE_CHARS = r"[\d+\-−＋－,，.．/／\\—–―…─NnAa万元亿件条个项次人无無零〇没有未发生不适用涉及]"
_LINE_SPACE = r"(?:(?!\n)[\s\u200b\ufeff])"
_VALUE_LINE = rf"{_LINE_SPACE}*{_VALUE_CHARS}(?:{_LINE_SPACE}|{_VALUE_CHARS})*(?=\n|\Z)"
_FIRST_VALUE_LINE = re.compile(_VALUE_LINE)
_LATER_VALUE_LINE = re.compile("\n" + _VALUE_LINE)  # (a literal first: the engine jumps between line ends)


def has_value_line(text: str) -> bool:
    """Whether a line of ``text`` may be a value or a sequence of values (see above).

    >>> has_value_line("规章\\n 12 \\n行政许可"), has_value_line("2015年，收到申请12件。"), has_value_line("无")
    (True, False, True)
    """
    return _FIRST_VALUE_LINE.match(text) is not None or _LATER_VALUE_LINE.search(text) is not None


def may_be_value(text: str) -> bool:
    """False when the first character of ``text`` rules out a value, and a sequence of values
    (:func:`split_multi`): most labels and prose lines.

    >>> may_be_value("规章"), may_be_value("１２"), may_be_value(" 0 0")
    (False, True, True)
    """
    head = text[:1]
    return not head or head in _HEADS or head.isdecimal() or head.isspace()  # isdecimal: re's \d


def _read_grammar(text: str) -> CellValue | None:
    t = clean(text)
    if not t:
        return CellValue("empty")
    if t in _ZERO_WORDS:
        return CellValue("zero", Decimal(0), words=True)
    if _NA.match(t):
        return CellValue("na")
    m = _NUMBER.match(t)
    if m is None:
        return None
    value = Decimal(m["num"].replace(",", "") + (m["frac"] or ""))
    unit = m["unit"] or ""
    if unit in _SCALE:
        value *= _SCALE[unit]
    sign = m["sign"]
    if sign and sign != "+":
        value = -value
    return CellValue("zero" if value == 0 else "numeric", value, unit, signed=bool(sign))


class CellMemo(dict[str, CellValue | None]):
    """:func:`read_cell` for one document, memoized: its tables repeat a few cell texts (``0``, blanks, ``/``)
    many times, and a CellValue is immutable, so equal texts share one reading.

    >>> memo = CellMemo()
    >>> memo["12"] is memo["12"], memo["规章"]
    (True, None)
    """

    def __missing__(self, text: str) -> CellValue | None:
        value = self[text] = read_cell(text)
        return value


_MULTI = re.compile(r"[+\-]?\d+(?:\.\d+)?|/|—|-")
_TOKEN = re.compile(r"\S+")
_MULTI_HEAD = re.compile(r"\s*[+\-\d/—]")  # how a first token that _MULTI matches starts


def split_multi(text: str) -> list[tuple[int, int]] | None:
    """Spans of the values in a cell that holds several values separated by spaces (PDF text
    such as ``0 0 0 0 0``), or None when the text is not such a sequence.

    >>> split_multi("0 0 12"), split_multi("12")
    ([(0, 1), (2, 3), (4, 6)], None)
    """
    if _MULTI_HEAD.match(text) is None:  # most lines: not even the first token is a value
        return None
    parts = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    if len(parts) < 2:
        return None
    for s, e in parts:
        if _MULTI.fullmatch(text[s:e]) is None:
            return None
    return parts
