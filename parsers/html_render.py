"""Render an HTML content fragment (a selectolax node) into source-text lines and table rows.

The rendering imitates what a browser shows: block elements start new lines, inline elements
concatenate with no separator (so Word's ``<span>20</span><span>23</span>`` reads ``2023``), runs of
ASCII white space collapse to one space, ``&nbsp;`` stays U+00A0 and U+3000 stays as is (see
:mod:`parsers.html_lines`). Each data ``<table>`` becomes one line per ``<tr>`` (:mod:`parsers.html_table`);
layout tables (holding other tables, or a single cell) are unwrapped like any block.

The walk is the hot loop of page extraction (about a thousand nodes on a real portal page), so it is
written for few Python operations per node: nodes are classified by lexbor's integer tag id (memoised
per render, since custom tags such as Word's ``o:p`` get per-document ids), the walk moves with
``first_child``/``next`` and a stack of open elements instead of building child lists, and a line is
only built when a block boundary has text pending.
"""

from __future__ import annotations

import re
from typing import Any

from parsers.html_lines import ASCII_WS, BR, INLINE, SKIP, TABLE, TEXT, Line, Rendered, flush, kind_of
from parsers.html_table import render_table

_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Non-ASCII letters that re.IGNORECASE matches to letters of "display"/"visibility" although
# str.lower() does not turn them into those letters (dotted and dotless i, long s).
_ODD_CASE = ("\u0130", "\u0131", "\u017f")


def _is_hidden(style: str) -> bool:
    # The case-insensitive regex is slow on Word's long style strings, and cannot match without one of
    # its keywords (in lower case, or spelled with a letter only re.I folds).
    low = style.lower()
    if "display" not in low and "visibility" not in low and not (
            _ODD_CASE[0] in style or _ODD_CASE[1] in style or _ODD_CASE[2] in style):
        return False
    return _HIDDEN.search(style) is not None


#: Elements whose inline style may hide them: the keyword values, in any (ASCII) case as CSS reads them.
_MAY_HIDE = '[style*="none" i], [style*="hidden" i]'


def _hidden(root: Any) -> frozenset[int]:
    """mem_ids of the elements (``root`` included) hidden by their inline style."""
    # Word gives hundreds of elements a style, few of them naming none or hidden: lexbor finds those (one
    # query, in C), and only their styles are read and tested, each distinct one once.
    hidden = set()
    tested: dict[str, bool] = {}
    for node in root.css(_MAY_HIDE):
        style = node.attrs["style"]
        is_hidden = tested.get(style)
        if is_hidden is None:
            is_hidden = tested[style] = _is_hidden(style)
        if is_hidden:
            hidden.add(node.mem_id)
    return frozenset(hidden)


class Walker:
    """One render's state: memoised node kinds, hidden elements."""

    __slots__ = ("kinds", "hidden", "out")

    def __init__(self, root: Any, out: Rendered) -> None:
        self.out = out
        self.kinds: dict[int, int] = {}
        self.hidden = _hidden(root)

    def kind(self, node: Any) -> int:
        tid = node.tag_id
        kind = self.kinds.get(tid)
        if kind is None:
            kind = self.kinds[tid] = kind_of(node.tag)
        return kind

    def walk(self, root: Any, pieces: list[str], lines: list[Line]) -> None:
        """Render the content of ``root``: inline text into ``pieces``, finished lines into ``lines``."""
        kinds = self.kinds
        hidden = self.hidden
        stack: list[tuple[Any, bool]] = []  # the open elements, each with whether it is a block
        node = root.first_child
        while True:
            while node is None:  # leave finished elements
                if not stack:
                    return
                parent, is_block = stack.pop()
                if is_block and pieces:
                    flush(pieces, lines)
                node = parent.next
            kind = kinds.get(node.tag_id) or self.kind(node)
            if kind == TEXT:
                s = node.text_content
                # ASCII white space that would start a line is dropped by flush() anyway: not collecting
                # it (the newlines between block tags) saves a flush per block boundary.
                if s and (pieces or not s.isspace() or s.strip(ASCII_WS)):
                    pieces.append(s)
            elif kind != SKIP and not (hidden and node.mem_id in hidden):
                if kind == BR:
                    if pieces:
                        flush(pieces, lines)
                elif kind != TABLE or not render_table(node, self, pieces, lines):
                    is_block = kind != INLINE
                    if is_block and pieces:
                        flush(pieces, lines)
                    child = node.first_child
                    if child is not None:
                        stack.append((node, is_block))
                        node = child
                        continue
            node = node.next


def render(root: Any) -> Rendered:
    """Render a selectolax node's content into lines and table shapes.

    >>> from selectolax.lexbor import LexborHTMLParser
    >>> node = LexborHTMLParser("<div><p>共<span>20</span><span>23</span>条</p><p>b</p></div>").css_first("div")
    >>> [line.text for line in render(node).lines]
    ['共2023条', 'b']
    """
    out = Rendered()
    pieces: list[str] = []
    Walker(root, out).walk(root, pieces, out.lines)
    if pieces:
        flush(pieces, out.lines)
    return out
