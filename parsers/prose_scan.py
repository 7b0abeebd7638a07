"""Leftmost search of a large alternation, trying at each position only the alternatives that can start there.

CPython's regex engine searches ``A0|A1|…|A60`` by trying every alternative at every position: the rule
alternations of ``prose_label`` (about 60 trigger patterns, each ending at ``$``) cost ~60 µs per number on a
48-character context. Most positions cannot start any trigger, and the others can start only a few. A
:class:`Dispatch` reads from the parsed pattern which characters each alternative can start with, then tries at
each candidate position one small alternation of just those alternatives, in their order. The result is the
match ``re.search`` returns on the whole alternation: the leftmost position, and there the first alternative
in order that matches (``match(text, pos)`` sees the same lookbehind and ``^`` context as ``search``).

A first character from the class ``\\d`` or ``\\s`` is kept as that class (not expanded to its Unicode
members): an alternative starting with a class is searched within the candidate scan itself (so that the
class yields a candidate only where such an alternative matches, not at every digit), and is tried with the
others at the characters its class matches. An alternative that starts with ``^`` (on every branch) can only
match at position 0: it is tried there once. (The characters are read by
:mod:`parsers.pattern_edges`, which also compiles the whole-text scanners.) Alternatives whose first characters cannot be read (a negated
set, a pattern that can match the empty string) are searched the ordinary way. The earliest result wins, and
at one position the earlier alternative.

>>> d = Dispatch((("a", "公开(?:信息)?$"), ("b", "信息$"), ("c", "\\\\s*数$")))
>>> [(m.start(), m.lastgroup) for m in map(d.search, ("主动公开信息", "其中信息", "总 数"))]
[(2, 'a'), (2, 'b'), (1, 'c')]
"""

from __future__ import annotations

import re

from parsers.pattern_edges import anchored, char_class, first_chars, last_chars, may_end, with_first_chars

_NEVER = re.compile("(?!)")


class Dispatch:
    """``search`` of the alternation of named patterns ``(?P<name>pattern)|…``, dispatched on the first character.

    A match's ``lastgroup`` names the alternative that matched (so no pattern may end with a named group).
    """

    __slots__ = ("_by_char", "_by_class", "_starts", "_rest", "_head", "_order", "_last")

    def __init__(self, alternatives: tuple[tuple[str, str], ...]) -> None:
        self._order = {name: i for i, (name, _) in enumerate(alternatives)}
        # When every alternative ends at the end of the text, the text's last character must be one they can
        # end with: most texts searched fail this one test, and are not scanned at all.
        lasts = [last_chars(pattern) for _, pattern in alternatives]
        self._last = frozenset().union(*lasts) if lasts and all(lasts) else None  # type: ignore[arg-type]
        head = [f"(?P<{name}>{pattern})" for name, pattern in alternatives if anchored(pattern)]
        named = [(f"(?P<{name}>{pattern})", first_chars(pattern)) for name, pattern in alternatives
                 if not anchored(pattern)]
        firsts = {c for _, first in named if first is not None for c in first}
        chars = {c for c in firsts if len(c) == 1}
        classes = {c for c in firsts if len(c) > 1}

        def starting(c: str | None) -> re.Pattern[str]:
            """The alternatives that can start with ``c`` (None: a character only a class matches), in order."""
            return re.compile("|".join(p for p, first in named if first is not None and (
                c in first or any(len(f) > 1 and (c is None or re.fullmatch(f, c)) for f in first))))
        self._by_char = {c: starting(c) for c in chars}
        self._by_class = starting(None) if classes else _NEVER
        # Candidate positions: a first character, or (tried in the same scan) a class-first alternative that
        # matches there, so that the class (every digit, say) yields only the positions where it matches.
        by_class = [p for p, first in named if first is not None and any(len(f) > 1 for f in first)]
        starts = [char_class(chars)] if chars else []
        if by_class:
            starts.append(f"(?={char_class(classes)})(?:{'|'.join(by_class)})")
        # (the engine skips to the first characters only when told them: the pattern starts with a branch)
        self._starts = (with_first_chars("|".join(starts), frozenset(firsts)) or re.compile("|".join(starts))
                        ) if starts else None
        rest = [p for p, first in named if first is None]
        self._rest = re.compile("|".join(rest)) if rest else None
        self._head = re.compile("|".join(head)) if head else None

    def search(self, text: str) -> re.Match[str] | None:
        if self._last is not None and not may_end(self._last, text):
            return None
        found = self._rest.search(text) if self._rest is not None else None
        if self._head is not None:
            head = self._head.match(text)
            if head is not None:
                found = self._earlier(found, head)
        starts = self._starts
        if starts is None:
            return found
        by_char, by_class = self._by_char, self._by_class
        if found is None:  # the usual case: the first candidate that matches is the answer
            for start in starts.finditer(text):  # (no endpos: it would cut the class-first matches short)
                pos = start.start()
                m = by_char.get(text[pos], by_class).match(text, pos)
                if m is not None:
                    return m
            return None
        limit = found.start()
        for start in starts.finditer(text):
            pos = start.start()
            if pos > limit:
                break
            m = by_char.get(text[pos], by_class).match(text, pos)
            if m is not None:
                return self._earlier(found, m)
        return found

    def _earlier(self, a: re.Match[str] | None, b: re.Match[str] | None) -> re.Match[str] | None:
        """Of two matches, the one the whole alternation returns: the leftmost, then the earlier alternative."""
        if a is None or b is None:
            return a or b
        if a.start() != b.start():
            return a if a.start() < b.start() else b
        return a if self._order[a.lastgroup or ""] < self._order[b.lastgroup or ""] else b
