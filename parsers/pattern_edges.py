"""What a regular expression's matches can start and end with, read from CPython's parsed pattern, and what the
engine can do with it.

:func:`first_chars` and :func:`last_chars` read the characters a match can start or end with (single characters,
and the classes ``\\d`` and ``\\s`` by name; None when unknown). :func:`guarded` compiles a pattern that
scans whole texts (the number grammar) with its first characters as the class the engine skips to
(:func:`with_first_chars`), and :func:`may_end` tests whether a text can end a match of a pattern anchored at
its end. :mod:`parsers.prose_scan` uses the same reading to dispatch large alternations.

>>> sorted(first_chars(r"(?:政府|门户)?网站|\\d{4}年")), sorted(last_chars(r"公开(?:信息)?$"))
(['\\\\d', '政', '网', '门'], ['开', '息'])
"""

from __future__ import annotations

import re
from re import _compiler, _constants as C, _parser  # type: ignore[attr-defined]  # CPython's (was sre_*)
from typing import Any

import _sre  # the regex engine that ``re`` compiles to (typeshed has a stub)

_MAX_RANGE = 256  # a wider character range is not expanded: the alternative counts as unreadable
#: Classes kept by their spelling (the two-character strings among first characters).
_CLASSES = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_SPACE: r"\s"}


def first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can start with (single characters, and the classes ``\\d``
    and ``\\s`` by name); None when unknown or when the pattern can match the empty string.

    >>> sorted(first_chars(r"(?:政府|门户)?网站|\\d{4}年"))
    ['\\\\d', '政', '网', '门']
    """
    try:
        parsed = _parser.parse(pattern)
        if parsed.state.flags & ~re.UNICODE:  # global flags (ignore case, ASCII classes, …): not read here
            return None
        chars, nullable = _first(parsed.data)
    except (re.error, ValueError, TypeError):
        return None
    return None if chars is None or nullable else frozenset(chars)


def _first(items: Any, last: bool = False) -> tuple[set[str] | None, bool]:
    """First (``last``: last) characters of a sequence of parsed items, and whether the whole sequence can
    match empty."""
    out: set[str] = set()
    for op, av in (reversed(items) if last else items):
        chars, nullable = _first_item(op, av, last)
        if chars is None:
            return None, False
        out |= chars
        if not nullable:
            return out, False
    return out, True


def _first_item(op: Any, av: Any, last: bool = False) -> tuple[set[str] | None, bool]:
    if op is C.LITERAL:
        return {chr(av)}, False
    if op is C.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is C.LITERAL:
                chars.add(chr(value))
            elif kind is C.RANGE and value[1] - value[0] < _MAX_RANGE:
                chars.update(map(chr, range(value[0], value[1] + 1)))
            elif kind is C.CATEGORY and value in _CLASSES:
                chars.add(_CLASSES[value])
            else:  # negated sets, other categories (\w, \D, …): unknown
                return None, False
        return chars, False
    if op is C.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        return (None, False) if add_flags & re.IGNORECASE else _first(sub.data, last)
    if op is C.BRANCH:
        out: set[str] = set()
        nullable = False
        for alternative in av[1]:
            chars_, empty = _first(alternative.data, last)
            if chars_ is None:
                return None, False
            out |= chars_
            nullable = nullable or empty
        return out, nullable
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        low, high, sub = av
        if high == 0:
            return set(), True
        chars_, empty = _first(sub.data, last)
        return chars_, empty or low == 0
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):  # zero width: the neighbouring item decides
        return set(), True
    return None, False  # back references, conditionals, …: unknown


def anchored(pattern: str) -> bool:
    """Whether ``pattern`` can only match at the start of the string: ``^`` or ``\\A`` first on every branch,
    not in MULTILINE mode.

    >>> anchored(r"^\\s*公开"), anchored(r"(?:^a|\\Ab)c"), anchored(r"^a|b"), anchored(r"(?m)^a")
    (True, True, False, False)
    """
    try:
        parsed = _parser.parse(pattern)
    except (re.error, ValueError, TypeError):
        return False
    return not parsed.state.flags & re.MULTILINE and _anchored(parsed.data)


def _anchored(items: Any) -> bool:
    if not items:
        return False
    op, av = items[0]
    if op is C.AT:
        return av in (C.AT_BEGINNING, C.AT_BEGINNING_STRING)
    if op is C.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        return not add_flags & re.MULTILINE and _anchored(sub.data)
    if op is C.BRANCH:
        return all(_anchored(alternative.data) for alternative in av[1])
    return False


def last_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can end with, for a pattern that only matches at the end of the
    text (``$`` or ``\\Z`` last on every branch; ``$`` also matches before a final newline, which the
    caller must allow for); None when unknown, when the pattern can end elsewhere or can match empty.

    >>> sorted(last_chars(r"公开(?:信息)?\\s*$")), last_chars("公开"), last_chars("(?:公开)?$")
    (['\\\\s', '开', '息'], None, None)
    """
    try:
        parsed = _parser.parse(pattern)
        if parsed.state.flags & ~re.UNICODE or not _at_end(parsed.data):
            return None
        chars, nullable = _first(parsed.data, last=True)
    except (re.error, ValueError, TypeError):
        return None
    return None if chars is None or nullable else frozenset(chars)


def _at_end(items: Any) -> bool:
    if not items:
        return False
    op, av = items[-1]
    if op is C.AT:
        return av in (C.AT_END, C.AT_END_STRING)
    if op is C.SUBPATTERN:
        return _at_end(av[3].data)
    if op is C.BRANCH:
        return all(_at_end(alternative.data) for alternative in av[1])
    return False


def may_end(chars: frozenset[str], text: str) -> bool:
    """Whether ``text`` can be the end of a match of a pattern whose :func:`last_chars` are ``chars``.

    >>> may_end(frozenset({"开", r"\\s"}), "主动公开"), may_end(frozenset("开"), "公开。"), may_end(frozenset("开"), "x\\n")
    (True, False, True)
    """
    end = text[-1:]
    return (end in chars or end == "\n"  # ($ matches before a final newline too)
            or (end.isspace() and r"\s" in chars) or (end.isdecimal() and r"\d" in chars))


def guarded(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled so that the engine skips the positions where no match can start with one class
    test per character: the same matches, a fraction of the scanning cost (the number grammar scans ~4x
    faster than unguarded). The engine only skips this way for a pattern that starts with a class or with
    literals, so the characters read by :func:`first_chars` are given to it as that class
    (:func:`with_first_chars`); where that is not possible, the pattern is compiled behind a look-ahead
    test of its first character, ``(?=[…])`` (:func:`guard`: the pattern is still entered at every
    position, but leaves at once), and as is when its first characters cannot be read.

    >>> p = guarded(r"(?:约)?\\d+件")
    >>> [m.group() for m in p.finditer("约3件，共12件")], p.pattern
    (['约3件', '12件'], '(?:约)?\\\\d+件')
    """
    first = first_chars(pattern)
    if first is None:
        return re.compile(pattern)
    return with_first_chars(pattern, first) or re.compile(guard(pattern))


class _Head:
    """What the compiler's info block reads of a parsed pattern: its width, and a first item that is the
    class of its first characters."""

    def __init__(self, parsed: Any, first: str) -> None:
        self.data = _parser.parse(first).data
        self.width: tuple[int, int] = parsed.getwidth()

    def getwidth(self) -> tuple[int, int]:
        return self.width


def with_first_chars(pattern: str, first: frozenset[str]) -> re.Pattern[str] | None:
    """``pattern`` compiled as ``re.compile`` does, but with ``first`` (a superset of the characters a match
    can start with, as :func:`first_chars` reads them) as the class the engine skips to; None when this
    interpreter's compiler does not take it (the caller falls back to a look-ahead guard).

    CPython's ``re`` gives its engine such a class only when the pattern itself starts with a class or
    a branch of literals, never for an optional group or a look-behind first (the number grammar). The class
    is only a filter: at each position it accepts, the whole pattern is matched as compiled, so the
    matches are those of ``re.compile(pattern)``.

    >>> p = with_first_chars(r"(?<!\\d)(?:约)?\\d+件", frozenset({"约", r"\\d"}))
    >>> [m.span() for m in p.finditer("约3件，共12件")], p.groupindex == re.compile(p.pattern).groupindex
    ([(0, 3), (5, 8)], True)
    """
    try:
        parsed = _parser.parse(pattern)
        flags = parsed.state.flags
        if flags & ~re.UNICODE:
            return None
        code: list[int] = []
        _compiler._compile_info(code, _Head(parsed, char_class(first)), flags)
        if len(code) < 4 or not code[2] & C.SRE_INFO_CHARSET:  # (a pattern that can match empty gets none)
            return None
        _compiler._compile(code, parsed.data, flags)
        code.append(C.SUCCESS)
        groups = parsed.state.groupdict
        index = [None] * parsed.state.groups
        for name, i in groups.items():
            index[i] = name
        compiled: re.Pattern[str] = _sre.compile(pattern, flags, code, parsed.state.groups - 1, groups,
                                                 tuple(index))
    except Exception:  # noqa: BLE001 - another interpreter's internals: the caller compiles the plain way
        return None
    return compiled


def guard(pattern: str) -> str:
    """The text of :func:`guarded`'s pattern: for a part of a larger pattern that many positions enter
    and few pass (such as the unit after a number).

    >>> guard("件|条次")
    '(?=[件条])(?:件|条次)'
    """
    first = first_chars(pattern)
    return pattern if first is None else f"(?={char_class(first)})(?:{pattern})"


def char_class(first: frozenset[str] | set[str]) -> str:
    """A character class of single characters (escaped) and class names (``\\d``, ``\\s``)."""
    return "[" + "".join(c if len(c) > 1 else re.escape(c) for c in sorted(first)) + "]"
