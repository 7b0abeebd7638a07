"""Source text → normalized :class:`TextView` with an exact offset map back to the source.

Three steps, each keeping the map exact:

1. **Removal**: pinyin glued after Han characters by traditional mirrors (``機構(gòu)`` → ``機構``) and
   zero-width characters. A gloss is removed only when it is clearly pinyin: syllables with tone marks
   in (ASCII or full-width) parentheses, or a toneless syllable that is doubled and passes a strict
   syllable check (``政(zheng)(zheng)府``). Real parentheses (``縣(市)``, ``(一)``, ``(A)``) stay.
2. **Script**: OpenCC ``t2s`` always. When the text is traditional script (a share of its Han
   characters that ``t2s`` changes), Taiwan phrases are converted with ``tw2sp`` too, but only where the
   changed text is a known Taiwan term (``檔案``, ``網路``, ``最佳化`` …): ``tw2sp`` alone also rewrites
   ordinary words (文件→文档, 程序→进程, 建立→建, 列入→任务栏入).
   Lines whose length changes are aligned piecewise (:class:`difflib.SequenceMatcher`): unchanged
   characters keep their exact positions, a changed run maps to the whole source run.
3. **Folding** (1:1): full-width ASCII forms (digits, Latin, ``，：；（）％``) to ASCII, U+3000, U+00A0 and
   other space characters to a plain space. Newlines are kept.
"""

from __future__ import annotations

import re
from array import array
from difflib import SequenceMatcher
from operator import ne
from types import MappingProxyType
from typing import Mapping

import numpy

from parsers.records import TextView
from parsers.settings import Resources

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PY = f"a-zü{_TONE}"
# One parenthesised gloss with at least one tone-marked letter; syllables may be space separated.
_TONED = f"[(（](?=[{_PY} ]*[{_TONE}])[{_PY}]{{1,7}}(?: [{_PY}]{{1,7}}){{0,3}}[)）]"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f"
# One leading character class (a parenthesis or a zero-width character), so the regex engine scans for
# it at C speed instead of trying an alternation at every position; the lookbehinds then tell the two
# cases apart: a parenthesis glued to a Han character opens a gloss, a zero-width character starts a run.
_REMOVE = re.compile(
    f"[(（{_ZERO_WIDTH}]"
    f"(?:(?<=[{_HAN}][(（])"
    f"(?:(?=[{_PY} ]*[{_TONE}])[{_PY}]{{1,7}}(?: [{_PY}]{{1,7}}){{0,3}}[)）](?:{_TONED})*"
    f"|([a-z]{{1,6}})[)）][(（]\\1[)）])"
    f"|(?<=[{_ZERO_WIDTH}])[{_ZERO_WIDTH}]*)")
# A strict toneless pinyin syllable (initial + final), for the doubled form only.
_SYLLABLE = re.compile(
    r"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|er|ia|ie|iu|in|ua|uo|ui|un|"
    r"ue|ve|vn|a|o|e|i|u|v)")
_NON_HAN = re.compile(f"[^{_HAN}]+")
# Taiwan terms (in their t2s form) whose tw2sp conversion is wanted; 档案馆/档案局 are real archives.
_TW_TERMS = re.compile(
    r"档案(?![馆局室])|网际网路|网路|最佳化|资讯|入口网站|软体|硬体|程式|专案|视讯|数位|伺服器|介面|列印|部落格|滑鼠")

#: Folding (step 3), one character to one. Every target is ASCII and no target is itself folded, so the
#: characters can be replaced one at a time.
FOLD: Mapping[str, str] = MappingProxyType({
    **{chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)},
    **{c: " " for c in "\u3000\u00a0\u202f\u205f"}, **{chr(c): " " for c in range(0x2000, 0x200B)}})
_FOLDABLE = re.compile("[" + re.escape("".join(FOLD)) + "]")

#: Share of Han characters changed by t2s above which a text counts as traditional script.
TRADITIONAL_SHARE = 0.05


#: ``array("l", range(_BLOCK + 1))`` as bytes: offset maps of texts up to this long are copied from it.
_BLOCK = 1 << 16
_IDENTITY = array("l", range(_BLOCK + 1)).tobytes()


def offsets(lo: int, hi: int) -> array:
    """``array("l", range(lo, hi))``, copied from :data:`_IDENTITY` when it is long enough (the generic
    constructor costs 40 ns per element; offset maps are as long as the text)."""
    if hi <= _BLOCK + 1:
        out = array("l")
        out.frombytes(_IDENTITY[lo * out.itemsize:hi * out.itemsize])
        return out
    return array("l", numpy.arange(lo, hi, dtype="l").tobytes())


def _cuts(text: str) -> list[tuple[int, int]]:
    """The spans of glosses and zero-width characters to remove."""
    return [m.span() for m in _REMOVE.finditer(text)
            if m.group(1) is None or _SYLLABLE.fullmatch(m.group(1)) is not None]


def _strip(text: str) -> tuple[str, array, array]:
    """Remove glosses and zero-width characters; return kept text and its source spans."""
    cuts = _cuts(text)
    n = len(text)
    all_starts, all_ends = offsets(0, n), offsets(1, n + 1)
    if not cuts:
        return text, all_starts, all_ends
    pieces: list[str] = []
    starts = array("l")
    ends = array("l")
    last = 0
    for a, b in cuts + [(n, n)]:
        pieces.append(text[last:a])
        starts.extend(all_starts[last:a])
        ends.extend(all_ends[last:a])
        last = b
    return "".join(pieces), starts, ends


def fold(text: str) -> str:
    """Apply :data:`FOLD`. ``str.translate`` costs a dictionary lookup per character; a page holds a few
    distinct foldable characters, so each is replaced everywhere in one C pass as it is first met
    (nothing before ``pos`` is foldable any more, so the scan never goes back)."""
    pos = 0
    while m := _FOLDABLE.search(text, pos):
        text = text.replace(m.group(), FOLD[m.group()])
        pos = m.end()
    return text


def is_traditional(text: str, converted: str) -> bool:
    """True when t2s changed at least :data:`TRADITIONAL_SHARE` of the Han characters.

    >>> is_traditional("政府信息公開", "政府信息公开"), is_traditional("政府信息公开", "政府信息公开")
    (True, False)
    """
    if text == converted:  # the common case, decided without a pass per character
        return False
    han = len(_NON_HAN.sub("", text))
    if not han:
        return False
    changed = sum(map(ne, text, converted))
    return changed >= 1 and changed / han >= TRADITIONAL_SHARE


def _taiwan_line(a: str, b: str) -> str:
    """Line ``a`` (t2s) with the tw2sp changes of ``b`` accepted inside known Taiwan terms only."""
    terms: list[list[int]] = []
    for m in _TW_TERMS.finditer(a):  # merge adjacent terms (網路最佳化) into one interval
        if terms and m.start() <= terms[-1][1]:
            terms[-1][1] = max(terms[-1][1], m.end())
        else:
            terms.append([m.start(), m.end()])
    if not terms:
        return a
    out: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(a[i1:i2])
        elif any(s <= i1 and i2 <= e for s, e in terms) and i2 > i1:
            out.append(b[j1:j2])
        else:
            out.append(a[i1:i2])
    return "".join(out)


def _align(src: str, dst: str, base: int) -> tuple[list[int], list[int]]:
    """Source spans (offset by ``base``) of each character of ``dst``, aligned to ``src``."""
    starts: list[int] = []
    ends: list[int] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, src, dst, autojunk=False).get_opcodes():
        if op == "equal":
            starts.extend(range(base + i1, base + i2))
            ends.extend(range(base + i1 + 1, base + i2 + 1))
        elif op in ("replace", "insert") and j2 > j1:
            if i2 > i1:
                s, e = base + i1, base + i2
            else:  # pure insertion: attach to the previous source character
                s, e = base + max(i1 - 1, 0), base + min(max(i1, 1), len(src))
            starts.extend([s] * (j2 - j1))
            ends.extend([e] * (j2 - j1))
    return starts, ends


def normalize(text: str, resources: Resources) -> TextView:
    """Normalize source text (simplified script, pinyin removed, full-width folded) with its offset map.

    >>> from parsers.settings import load_resources
    >>> v = normalize("主動(dòng)公開政府信息６３５條", load_resources())
    >>> v.text, v.to_source(4, 10)
    ('主动公开政府信息635条', (10, 16))
    """
    kept, starts, ends = _strip(text)
    conv = resources.t2s.convert(kept)
    if len(conv) != len(kept):
        starts, ends = _map_lines(kept, conv, starts, ends)
    taiwan = _taiwan(kept, conv, resources)
    if len(taiwan) != len(conv):
        starts, ends = _map_lines(conv, taiwan, starts, ends)
    return TextView(fold(taiwan), starts, ends)


def normalize_text(text: str, resources: Resources) -> str:
    """``normalize(text, resources).text`` without the offset map (for page strings such as the <title>).

    >>> from parsers.settings import load_resources
    >>> normalize_text("主動(dòng)公開政府信息６３５條", load_resources())
    '主动公开政府信息635条'
    """
    pieces, last = [], 0
    for a, b in _cuts(text):
        pieces.append(text[last:a])
        last = b
    kept = "".join(pieces) + text[last:] if pieces else text
    conv = resources.t2s.convert(kept)
    return fold(_taiwan(kept, conv, resources))


def _taiwan(kept: str, conv: str, resources: Resources) -> str:
    """``conv`` (t2s of ``kept``) with Taiwan terms converted too when ``kept`` is traditional script."""
    if is_traditional(kept, conv):
        tw = resources.tw2sp.convert(kept)
        if tw != conv:
            a_lines, b_lines = conv.split("\n"), tw.split("\n")
            if len(a_lines) == len(b_lines):
                return "\n".join(_taiwan_line(a, b) if a != b else a for a, b in zip(a_lines, b_lines))
    return conv


def _map_lines(kept: str, conv: str, k_starts: array, k_ends: array) -> tuple[array, array]:
    """Source spans for ``conv``, a converted ``kept`` whose source spans are ``k_starts``/``k_ends``.

    Lines of equal length map 1:1; other lines are aligned piecewise with :func:`_align`.
    """
    k_lines, c_lines = kept.split("\n"), conv.split("\n")
    if len(k_lines) != len(c_lines):  # a converter touched newlines: align the whole text
        k_lines, c_lines = [kept], [conv]
    starts = array("l")
    ends = array("l")
    pos = 0
    for i, (k, c) in enumerate(zip(k_lines, c_lines)):
        if i:  # the newline between lines
            starts.append(k_starts[pos - 1])
            ends.append(k_ends[pos - 1])
        if not k:  # a converter produced text from nothing: attach it to the previous character
            anchor = max(pos - 1, 0)
            starts.extend([k_starts[anchor] if len(k_starts) else 0] * len(c))
            ends.extend([k_ends[anchor] if len(k_ends) else 0] * len(c))
        elif len(k) == len(c):
            starts.extend(k_starts[pos:pos + len(k)])
            ends.extend(k_ends[pos:pos + len(k)])
        else:
            rel_s, rel_e = _align(k, c, 0)
            starts.extend(k_starts[pos + s] for s in rel_s)
            ends.extend(k_ends[pos + e - 1] if e > 0 else k_starts[pos] for e in rel_e)
        pos += len(k) + 1
    return starts, ends
