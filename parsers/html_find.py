"""Find a page's main-content container and its breadcrumb-like elements.

The main content is the best known CMS container (``TRS_Editor``, ``article_content``, ``zoom`` …,
matched by class token or id, ASCII case-insensitive); without one, a text-density fallback picks the
block with the most Chinese text and fewest links.

Both lookups read the class and id of every element that has one, in one pass over the tree
(:func:`marked`): a CSS selector list of forty-odd attribute tests would walk the tree once per test.
The pass keeps the semantics of those selectors: ``[class~="n" i]`` (a class token split at HTML
white space equals ``n`` up to ASCII case), ``[id="n" i]``, and for breadcrumbs ``[class*="n" i]``,
``[id*="n" i]`` (substring up to ASCII case), in document order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# Known article containers, most specific first (class token or id, compared in lower case).
_CONTAINERS = (
    "trs_editor", "trs_ueditor", "custom_unionstyle", "ucapcontent", "zoomcon", "zoom", "article-content",
    "article_content", "articlecontent", "pages_content", "wzcon", "xxgk_content", "xxgk-content",
    "news_content", "detail_content", "detail-content", "art_con", "bt_content", "contentText", "con_text",
    "main_content", "content", "con",
)
_NAMES = frozenset(n.lower() for n in _CONTAINERS)
# Class or id fragments of breadcrumb elements.
_CRUMBS = ("crumb", "position", "location", "dqwz", "weizhi", "mianbao", "curmenu", "nav_path", "navpath")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_DENSITY_SELECTOR = "div, td, article, section, main"
# High bytes of the UTF-16 code units U+3400–U+9FFF (CJK ideographs, extension A included) are
# 0x34–0x9F; every other byte value is deleted before counting.
_NOT_HAN_HIGH = bytes(b for b in range(256) if not 0x34 <= b <= 0x9F)
# Minimum Han characters for a container to count as the article.
_MIN_HAN = 20


@dataclass(frozen=True, slots=True)
class Marked:
    """The elements with a class or id attribute, in document order, with their class and id values
    (ASCII lower case) each joined by NUL, which no attribute value holds (the HTML parser replaces it)."""

    nodes: tuple[Any, ...]
    classes: str
    ids: str


def _ascii_lower(value: str) -> str:
    # Selectors compare ASCII case-insensitively: str.lower() would also fold some non-ASCII letters
    # (KELVIN SIGN → k) into ASCII.
    return value.lower() if value.isascii() else value.translate(_ASCII_LOWER)


def marked(tree: Any) -> Marked:
    """Read the class and id of every element that has one (one selector query, one attribute read each)."""
    nodes = tree.css("[class], [id]")
    classes = []
    ids = []
    for node in nodes:
        attrs = node.attributes
        classes.append(attrs.get("class") or "")
        ids.append(attrs.get("id") or "")
    return Marked(tuple(nodes), _ascii_lower("\0".join(classes)), _ascii_lower("\0".join(ids)))


def _hits(joined: str, name: str, bounds: str) -> list[int]:
    """Indexes of the joined values holding ``name`` between two characters of ``bounds`` (or the ends
    of the value); any occurrence when ``bounds`` is empty."""
    out = []
    pos = joined.find(name)
    while pos >= 0:
        end = pos + len(name)
        if not bounds or ((pos == 0 or joined[pos - 1] in bounds) and (end == len(joined) or joined[end] in bounds)):
            out.append(joined.count("\0", 0, pos))
        pos = joined.find(name, pos + 1)
    return out


def _select(marks: Marked, names: Iterable[str], class_bounds: str, id_bounds: str) -> list[Any]:
    found: set[int] = set()
    for name in names:
        found.update(_hits(marks.classes, name, class_bounds))
        found.update(_hits(marks.ids, name, id_bounds))
    return [marks.nodes[i] for i in sorted(found)]


def containers(marks: Marked) -> list[Any]:
    """Elements with a known container name as a class token or as their id: ``[class~="n" i]``,
    ``[id="n" i]``."""
    # Only names that are a white-space separated word somewhere can match (str.split() separates at
    # every HTML white space character and more); this skips a string search per absent name.
    words = f"{marks.classes} {marks.ids}".replace("\0", " ").split()
    return _select(marks, _NAMES.intersection(words), "\0 \t\n\f\r", "\0")


def crumb_elements(marks: Marked) -> list[Any]:
    """Elements whose class or id contains a breadcrumb fragment: ``[class*="n" i]``, ``[id*="n" i]``."""
    return _select(marks, _CRUMBS, "", "")


def han(text: str) -> int:
    """The number of Han characters (U+3400–U+9FFF) in ``text``.

    >>> han("2021年，共公开 12 条。")
    5
    """
    return len(text.encode("utf-16-be", "surrogatepass")[::2].translate(None, _NOT_HAN_HIGH))


def _link_han(node: Any) -> int:
    return sum(han(a.text()) for a in node.css("a"))


def _innermost(cands: list[tuple[Any, int]]) -> Any:
    """Among nodes holding ≥ 90 % of the best score, the deepest (the tightest container)."""
    best = max(score for _, score in cands)
    strong = [node for node, score in cands if score >= 0.9 * best]

    def depth_ok(node: Any) -> bool:
        # Keep a node only if no other strong node lies inside it.
        return not any(inner.mem_id != node.mem_id and _is_ancestor(node, inner) for inner in strong)

    inner = [n for n in strong if depth_ok(n)]
    return inner[0] if inner else strong[0]


def _is_ancestor(outer: Any, inner: Any) -> bool:
    node = inner.parent
    while node is not None:
        if node.mem_id == outer.mem_id:
            return True
        node = node.parent
    return False


def find_container(tree: Any, marks: Marked | None = None) -> tuple[Any | None, bool]:
    """The main-content node and whether the density fallback chose it.

    >>> from selectolax.lexbor import LexborHTMLParser
    >>> tree = LexborHTMLParser('<div class="nav"><a>首页</a></div><div class="TRS_Editor"><p>本年度共主动公开政府信息一百二十条，依申请公开十条。</p></div>')
    >>> node, fallback = find_container(tree)
    >>> node.attributes["class"], fallback
    ('TRS_Editor', False)
    """
    cands: list[tuple[Any, int]] = []
    for node in containers(marks or marked(tree)):
        count = han(node.text())
        if count < _MIN_HAN:
            continue
        links = _link_han(node)
        if links > 0.5 * count:  # a navigation block that happens to be called "content"
            continue
        cands.append((node, count - links))
    if cands:
        return _innermost(cands), False
    body = tree.body
    if body is None:
        return None, True
    dense: list[tuple[Any, int]] = []
    for node in body.css(_DENSITY_SELECTOR):
        count = han(node.text())
        if count < _MIN_HAN:
            continue
        dense.append((node, count - 2 * _link_han(node)))
    if not dense or max(s for _, s in dense) <= 0:
        return (body if han(body.text()) else None), True
    return _innermost(dense), True
