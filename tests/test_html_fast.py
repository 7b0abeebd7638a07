"""The fast paths of page extraction give what their plain definitions give.

Each fast path (a Python pass instead of a CSS selector list, a string test before a regex, a shortcut
for simple table cells) is checked against the straightforward form it replaces, on seeded random
inputs built around the awkward cases: ASCII versus Unicode case folding, HTML versus Unicode white
space, glosses, entity-escaped comments.
"""

from __future__ import annotations

import html as htmllib
import random
import re

from selectolax.lexbor import LexborHTMLParser

from parsers import html_boiler, html_find, html_page, html_render, html_table
from parsers.html_lines import BR, INLINE, SKIP, TABLE, TEXT, Line, Rendered, collapse, flush, kind_of

_WS = re.compile(r"[ \t\n\r\f\v]+")


def _dedupe(nodes: list) -> list[int]:
    seen: set[int] = set()
    return [n.mem_id for n in nodes if not (n.mem_id in seen or seen.add(n.mem_id))]


def test_marked_elements_match_the_selector_lists() -> None:
    rng = random.Random(7)
    words = ["content", "CONTENT", "con", "Con", "TRS_Editor", "xxgk_content", "xxg\u212a_content", "crumb", "Bread",
             "pos\u0130tion", "weizh\u0130", "position", "dqwz", "navpath", "zoom", "ZoomCon", "x", "\u0131", "\u017f"]
    spaces = [" ", "  ", "\t", "\n", "\r", "\x0c", "\x0b", "\xa0", "\u3000", "", "-", "_"]
    values = ["".join(rng.choice(words) + rng.choice(spaces) for _ in range(rng.randint(0, 3))) for _ in range(1500)]
    page = "".join(f'<div class="{htmllib.escape(v)}">a</div><span id="{htmllib.escape(w)}">b</span>'
                   for v, w in zip(values, reversed(values)))
    tree = LexborHTMLParser(page)
    containers = ", ".join(f'[class~="{n}" i], [id="{n}" i]' for n in html_find._CONTAINERS)
    crumbs = ", ".join(f'[class*="{n}" i], [id*="{n}" i]' for n in html_find._CRUMBS)
    marks = html_find.marked(tree)
    assert [n.mem_id for n in html_find.containers(marks)] == _dedupe(tree.css(containers))
    assert [n.mem_id for n in html_find.crumb_elements(marks)] == _dedupe(tree.css(crumbs))


def test_han_counts_cjk_ideographs() -> None:
    rng = random.Random(3)
    non_han = re.compile(r"[^\u3400-\u9fff]+")
    for _ in range(3000):
        text = "".join(chr(rng.choice([rng.randint(0, 0x10FFFF), rng.randint(0x3300, 0xA0FF)]))
                       for _ in range(rng.randint(0, 12)))
        assert html_find.han(text) == len(non_han.sub("", text))


def test_line_collapsing_matches_the_substitution() -> None:
    rng = random.Random(5)
    chars = " \t\n\r\f\v\xa0\u3000a中\x85\u2028\x1c"
    for _ in range(20000):
        raw = "".join(rng.choice(chars) for _ in range(rng.randint(0, 8)))
        assert collapse(raw) == _WS.sub(" ", raw).strip()
        lines: list[Line] = []
        flush([raw], lines)
        line = _WS.sub(" ", raw).strip(" ")
        assert [x.text for x in lines] == ([line] if line.strip() else [])


def test_boilerplate_key_matches_the_regexes() -> None:
    gloss = re.compile(r"[(（][a-zü\u00e0-\u024f\u0300-\u036f]{1,7}[)）]")
    space = re.compile(r"[\s\u00a0\u3000]+")
    rng = random.Random(11)
    chars = list(" \t\n\xa0\u3000\x1c\x85\u2028(（)）abcü\u0301位置中")
    for _ in range(20000):
        line = "".join(rng.choice(chars) for _ in range(rng.randint(0, 12)))
        assert html_boiler.key(line) == space.sub("", gloss.sub("", line))


def test_labelled_search_matches_a_plain_search() -> None:
    rng = random.Random(13)
    pieces = ["发布", "时间", "時間", "日期", "发文", "成文", "：", ":", " ", "2021-3-4", "<span>", "&nbsp;", "当前",
              "的", "位置", "现在", "所在", ">", "</a>"]
    cases = ((html_page._PAGE_DATE, html_boiler.DATE_LABEL_WORDS), (html_page._PAGE_CRUMB, html_page._CRUMB_LABEL_WORDS))
    for _ in range(20000):
        page = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        for pattern, labels in cases:
            plain = pattern.search(page)
            fast = html_page.search_labelled(pattern, page, labels)
            assert (plain and (plain.span(), plain.groups())) == (fast and (fast.span(), fast.groups()))


def test_hidden_test_matches_the_regex() -> None:
    styles = ["display:none", "DISPLAY : NONE", "visibility:hidden", "Visibility: Hidden;border:none", "border:none",
              "d\u0130splay:none", "d\u0131splay:none", "di\u017fplay: none", "font-family:宋体;display:\u00a0none",
              "hidden", "display:block;color:none", "visibility:visible"]
    for style in styles:
        plain = ("none" in style or "hidden" in style) and html_render._HIDDEN.search(style) is not None
        fast = ("none" in style or "hidden" in style) and html_render._is_hidden(style)
        assert fast == plain, style


def _slow_cell_text(cell, walk) -> str:
    """A cell's text by the general rule: render its lines, join them."""
    pieces: list[str] = []
    lines: list[Line] = []
    walk.walk(cell, pieces, lines)
    if pieces:
        flush(pieces, lines)
    text = ""
    for line in lines:
        part = line.text.strip()
        if part:
            if text and text[-1].isascii() and text[-1].isalnum() and part[0].isascii() and part[0].isalnum():
                text += " "
            text += part
    return text


def test_cell_fast_paths_match_the_walk() -> None:
    rng = random.Random(17)
    bits = ["12", " ", "\n", "&nbsp;", "\u3000", "商业", "a", "&lt;!--[if !x]--&gt;", "<!-- c -->", "<br>", "<o:p>&nbsp;</o:p>",
            "<span>3</span>", "<span></span>", "<b>4<i>5</i></b>", '<span style="display:none">h</span>',
            '<p style="DISPLAY:none">q</p>', "<script>x</script>"]

    def content(depth: int) -> str:
        out = "".join(rng.choice(bits) for _ in range(rng.randint(0, 3)))
        if depth and rng.random() < 0.7:
            tag = rng.choice(["p", "div", "span", "font"])
            out += f"{rng.choice(['', ' ', chr(10)])}<{tag}>{content(depth - 1)}</{tag}>{rng.choice(['', ' ', chr(10)])}"
            if rng.random() < 0.3:
                out += f"<p>{content(depth - 1)}</p>"
        return out

    cells = "".join(f"<tr><td>{content(3)}</td><td>x</td></tr>" for _ in range(800))
    root = LexborHTMLParser(f"<div><table>{cells}</table></div>").css_first("div")
    walk = html_render.Walker(root, Rendered())
    for td in root.css("td"):
        assert html_table._cell_text(td, walk) == _slow_cell_text(td, walk), td.html


def _plain_render(root) -> list[tuple]:
    """The rendering rules applied recursively, every text node collected (the walk's plain form)."""
    out = Rendered()
    walk = html_render.Walker(root, out)
    pieces: list[str] = []

    def visit(node) -> None:
        child = node.first_child
        while child is not None:
            kind = kind_of(child.tag)
            if kind == TEXT:
                if child.text_content:
                    pieces.append(child.text_content)
            elif kind != SKIP and child.mem_id not in walk.hidden:
                if kind == BR:
                    if pieces:
                        flush(pieces, out.lines)
                elif kind != TABLE or not html_table.render_table(child, walk, pieces, out.lines):
                    if kind != INLINE and pieces:
                        flush(pieces, out.lines)
                    visit(child)
                    if kind != INLINE and pieces:
                        flush(pieces, out.lines)
            child = child.next

    visit(root)
    if pieces:
        flush(pieces, out.lines)
    return [(x.text, x.table, x.row, x.head, tuple(x.texts), tuple(x.cells)) for x in out.lines]


def _random_fragment(rng: random.Random, depth: int) -> str:
    bits = ["12", " ", "\n", "\t", "\x0b", "\x1c", "\x85", "&nbsp;", "\u3000", "商业", "a b", "  ", "&lt;!--[if !x]--&gt;",
            "<!-- c -->", "<br>", "<o:p>&nbsp;</o:p>", '<span style="display:none">h</span>', "<script>x</script>",
            "<table><tr><td>1</td><td>\n<p>2</p> </td></tr><tr><td>a</td><td>b</td></tr></table>"]
    out = "".join(rng.choice(bits) for _ in range(rng.randint(0, 4)))
    if depth and rng.random() < 0.8:
        for _ in range(rng.randint(1, 3)):
            tag = rng.choice(["p", "div", "span", "font", "li", "b"])
            out += f"<{tag}>{_random_fragment(rng, depth - 1)}</{tag}>{rng.choice(['', ' ', chr(10), chr(0x3000)])}"
    return out


def test_render_matches_a_plain_walk() -> None:
    rng = random.Random(19)
    for _ in range(1500):
        root = LexborHTMLParser(f"<div>{_random_fragment(rng, 3)}</div>").css_first("div")
        lines = html_render.render(root).lines
        assert [(x.text, x.table, x.row, x.head, tuple(x.texts), tuple(x.cells)) for x in lines] == _plain_render(root)


def test_boilerplate_tests_match_the_regexes_on_keys() -> None:
    words = html_boiler._WIDGET_WORDS + html_boiler._META_WORDS
    assert all(w[0] not in "\\[](){}.?*+^$|" for w in words)  # first characters are plain
    rng = random.Random(23)
    pieces = ["扫一扫", "分享到", "微博", "【", "】", "[", "]", "大 中 小", "字体：", "来源", "撰稿人", "：", ":", "三审", "QQ空间",
              " ", "\u3000", "\xa0", "(", "（", "(guān)", "（lián）", ")", "|", "一、概述", "x", "位置"]
    for _ in range(30000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        k = html_boiler.key(line)
        widget = html_boiler._WIDGET.match(k) is not None
        assert html_boiler.is_widget(line) == (len(k) <= 40 and widget), line
        assert html_boiler.is_boilerplate(line) == (not k or (len(k) <= 80 and (
            widget or html_boiler._META_KEY.match(k) is not None))), line


def test_utf8_input_gives_the_same_content() -> None:
    from pathlib import Path

    from parsers.html import extract_content

    pages = sorted(Path(__file__).parent.glob("fixtures/**/*.html"))
    assert pages
    for path in pages:
        page = path.read_bytes().decode("utf-8", "replace")
        assert extract_content(page, page.encode("utf-8")) == extract_content(page), path
