"""Text damage that is flagged, never repaired: mojibake fragments and injected gambling spam.

Two phenomena of real pages (devset README, quirks 2 and 4):

* **Mojibake fragments**: text decoded with the wrong codec somewhere upstream, e.g. ``?。ㄒ唬┲鲃庸_`` (GBK
  bytes read one byte off), ``锛堜竴锛変富鍔`` (UTF-8 read as GBK), ``闂備礁缍婂`` (read twice), ``Ã¥Â¸Â‚``
  (UTF-8 read as Latin-1), runs of rare characters around U+FFFD, and table cells ``? 0`` where a character
  was lost. Detected as clusters of *suspicious* characters in the normalized view: replacement and
  private-use characters, bopomofo, box drawing, Latin-1 letters, Greek/Cyrillic, a half-width ``?`` in the
  source, and Han characters outside the 3,755 common characters (GB2312 level 1; the view is already
  simplified, so traditional script is not "rare"). Real text holds rare characters one or two at a time
  (names such as 硚口, 赟); mojibake holds them in runs.
* **Spam injections**: spam mirrors replace words with gambling and betting brand phrases
  (``威廉希尔中国``, ``申博体育_bob电竞app-在线*官网``, ``买足球的软件``). Detected with a weighted lexicon
  of gambling terms and a density rule: hits close together form one phrase, which is spam when its weight
  reaches :data:`SPAM_MIN_WEIGHT` and it holds at least one betting-specific term (so 体育彩票, 在线服务
  or 打击网络赌博 never fire).

Numbers inside a flagged span are never figures (the prose extractor skips them).

>>> from parsers.records import TextView
>>> t = "关于印发威廉希尔中国2021年工作要点的通知。（一）主动公开?。ㄒ唬┲鲃庸_信息12条"
>>> [(f.code, t[f.start:f.end]) for f in find_damage(t, TextView.identity(t))]
[('spam_injection', '威廉希尔'), ('mojibake_fragment', '?。ㄒ唬┲鲃')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.records import Finding, TextView


def _level1() -> frozenset[str]:
    """The 3,755 common Han characters (GB2312 level 1: lead bytes 0xB0-0xD7)."""
    out = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                out.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return frozenset(out)


def _rare_class(common: frozenset[str]) -> str:
    """A regex class body of the Han characters (basic block) that are not common, as ranges."""
    parts, start = [], None
    for cp in range(0x4E00, 0xA000):
        rare = chr(cp) not in common
        if rare and start is None:
            start = cp
        if not rare and start is not None:
            parts.append(f"\\u{start:04x}-\\u{cp - 1:04x}" if cp - 1 > start else f"\\u{start:04x}")
            start = None
    if start is not None:
        parts.append(f"\\u{start:04x}-\\u9fff")
    return "".join(parts)


#: Characters that ordinary Chinese text practically never holds (replacement, private use, bopomofo,
#: Hangul jamo, box drawing): one of them makes a short cluster a fragment.
_STRONG = "\ufffd\ue000-\uf8ff\u3100-\u312f\u3130-\u318f\u2500-\u257f"
_COMMON = _level1()
#: Windows-1252 signs that surface when UTF-8 is read as Latin-1 (not ‰ or curly quotes: real text uses them).
_CP1252 = "\u20ac\u0192\u201e\u2020\u2021\u02c6\u0160\u2039\u0152\u017d\u02dc\u2122\u0161\u203a\u0153\u017e\u0178"
_LATIN1 = "\u00a1-\u00b6\u00b8-\u00d6\u00d8-\u00f6\u00f8-\u00ff"  # not · × ÷
#: Suspicious characters: the strong ones, rare Han (extension A, compatibility ideographs, basic block outside
#: level 1), Latin-1 and Windows-1252 letters and signs, Greek and Cyrillic (GBK rows A6/A7 surface in misaligned
#: reads), digits with a full stop (⒐), '?'.
_SUSPICIOUS = (f"[{_STRONG}\u3400-\u4dbf\uf900-\ufaff{_rare_class(_COMMON)}{_LATIN1}\u0391-\u03c9\u0401-\u0451"
               f"{_CP1252}\u2488-\u249b?]")
#: At least two suspicious characters, at most one other visible character between neighbours.
_CLUSTER = re.compile(f"{_SUSPICIOUS}(?:[^\\s]?{_SUSPICIOUS})+")
_STRONG_RE = re.compile(f"[{_STRONG}]")
_SUSPICIOUS_RE = re.compile(_SUSPICIOUS)
_BOX = re.compile("[\u2500-\u257f]")
#: A table cell whose first character was lost: ``? 0`` at the start of a line or cell.
_LOST_CELL = re.compile(r"\?(?<![^\n|\t ]\?)[ \t]*\d[\d.,]*(?=[ \t]*(?:\||\n|$))")
_ASCII_GLUE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
MIN_SUSPICIOUS = 4  # a cluster without a strong character needs this many suspicious characters …
MIN_DENSITY = 0.6  # … making up this share of the cluster
MIN_WITH_STRONG = 3  # with a strong character (U+FFFD, bopomofo, box drawing), this many suffice

# --- spam lexicon: (pattern, weight). 3: gambling brands and betting-only words; 2: betting words that a
# report might use in a crackdown context; 1: words that only count next to the others.
#: Betting brands, named with a product (开云体育, bob电竞).
_BRANDS = ("bob", "ob", "ag", "bb", "pg", "ky", "im", "欧宝", "开云", "乐鱼", "半岛", "九游", "米乐", "天博", "华体会", "亚博",
           "万博", "必威", "伟德", "雷竞技", "沙巴", "皇冠", "星空", "爱游戏")
_PRODUCT = "(?:体育|电竞|娱乐|棋牌|真人|彩票)"
_SPAM_TERMS: tuple[tuple[str, int], ...] = (
    (r"威廉希尔|申博|澳门金沙|金沙(?:娱乐|集团|赌场|国际)|新葡京|葡京|威尼斯人(?:娱乐|赌场|官网)|百家乐|博彩|老虎机|娱乐城"
     r"|六合彩|时时彩|买足球|买球|赌球|真人荷官|足球竞猜|体育投注|bet365|365bet|188bet|18luck|manbetx|betway|"
     + "|".join(brand + _PRODUCT for brand in _BRANDS), 3),
    (r"投注|下注|押注|赌场|足彩|竞彩|棋牌|电竞|casino|betting|sportsbook|poker", 2),
    (r"体育|app|官网|官方(?:网站)?|在线|平台|下载|娱乐|真人|彩票|足球|注册|网址|入口|手机版|的软件", 1),
)
#: Anchors (weight 2 and 3) are searched over the whole text; weak terms only in a window around an anchor.
#: Every alternative of the anchors starts with a literal character: the regex engine then jumps from one
#: character that can start a term to the next (a charset prefix) instead of trying the pattern everywhere.
_ANCHOR = re.compile("|".join(p for p, w in _SPAM_TERMS if w >= 2))
#: An anchor's weight: 3 when a weight-3 term matches where it starts (those come first in the alternation).
_STRONG_ANCHOR = re.compile("|".join(p for p, w in _SPAM_TERMS if w == 3))
_WEAK = re.compile("|".join(p for p, w in _SPAM_TERMS if w < 2))
_WINDOW = 40
_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")  # 1:1, offsets kept
_SPAM_GAP = 4  # hits at most this many characters apart form one phrase
SPAM_MIN_WEIGHT = 3
_GLUE = re.compile(r"[A-Za-z0-9]+")


@dataclass(frozen=True, slots=True)
class Damage:
    code: str  # mojibake_fragment | spam_injection
    start: int  # source span
    end: int
    detail: str


def find_damage(text: str, view: TextView) -> tuple[Finding, ...]:
    """Findings (severity warning, spans into ``text``) for mojibake fragments and spam phrases."""
    out = [Finding(d.code, "warning", d.detail, start=d.start, end=d.end, rule="damage")
           for d in _mojibake(text, view) + _spam(text, view)]
    out.sort(key=lambda f: (f.start or 0, f.end or 0))
    return tuple(out)


def _mojibake(text: str, view: TextView) -> list[Damage]:
    vt = view.text
    out = []
    for m in _CLUSTER.finditer(vt):
        frag = m.group()
        # '?' counts only when the source printed a half-width '?' (a full-width '？' is a real question mark)
        n_q = sum(1 for i in range(m.start(), m.end()) if vt[i] == "?" and text[view.starts[i]] != "?")
        n_sus = len(_SUSPICIOUS_RE.findall(frag)) - n_q
        n_strong = len(_STRONG_RE.findall(frag))
        n_box = len(_BOX.findall(frag))
        if n_sus - n_box < 2:  # box drawing alone is a drawn table, not damage
            continue
        if (n_strong and n_sus >= MIN_WITH_STRONG) or (n_sus >= MIN_SUSPICIOUS and n_sus >= MIN_DENSITY * len(frag)):
            # ASCII letters and digits glued to either edge are bytes of the same damage (…寮_, 3鍔…)
            vs, ve = m.start(), m.end()
            while vs > 0 and vt[vs - 1] in _ASCII_GLUE:
                vs -= 1
            while ve < len(vt) and vt[ve] in _ASCII_GLUE:
                ve += 1
            s, e = view.to_source(vs, ve)
            out.append(Damage("mojibake_fragment", s, e,
                              f"mojibake fragment {text[s:e]!r} ({_kind(text[s:e])}); numbers in it are not figures"))
    for m in _LOST_CELL.finditer(text):
        if not any(d.start < m.end() and m.start() < d.end for d in out):
            out.append(Damage("mojibake_fragment", m.start(), m.end(),
                              f"damaged cell {m.group()!r}: a character was lost before the number; not a figure"))
    return out


def _kind(frag: str) -> str:
    """A hint at the mis-decoding (for the message only; the text is never replaced): re-encode the fragment
    and decode it as UTF-8; when most of the result is common Chinese, that was the mistake."""
    for codec, name in (("gb18030", "GBK"), ("cp1252", "Latin-1")):
        again = frag.encode(codec, "replace").decode("utf-8", "replace")
        if sum(c in _COMMON for c in again) >= max(2, len(again) // 2):
            return f"UTF-8 bytes read as {name}"
    return "characters lost or read with the wrong codec"


def _spam(text: str, view: TextView) -> list[Damage]:
    vt = view.text.lower()
    if len(vt) != len(view.text):  # a few non-ASCII capitals lower to two characters: keep offsets exact
        vt = view.text.translate(_LOWER)
    hits = [(m.start(), m.end(), 3 if _STRONG_ANCHOR.match(vt, m.start()) else 2) for m in _ANCHOR.finditer(vt)]
    if not hits:
        return []
    weak: set[tuple[int, int, int]] = set()
    for s, e, _ in hits:
        for m in _WEAK.finditer(vt, max(0, s - _WINDOW), e + _WINDOW):
            if not any(a < m.end() and m.start() < b for a, b, _ in hits):
                weak.add((m.start(), m.end(), 1))
    phrases: list[list[int]] = []  # [start, end, weight, max weight]
    for s, e, w in sorted(hits + sorted(weak)):
        if phrases and s - phrases[-1][1] <= _SPAM_GAP:
            p = phrases[-1]
            p[1], p[2], p[3] = max(p[1], e), p[2] + w, max(p[3], w)
        else:
            phrases.append([s, e, w, w])
    out = []
    for vs, ve, weight, top in phrases:
        if weight < SPAM_MIN_WEIGHT or top < 2:
            continue
        g = _GLUE.match(vt, ve)  # letters and digits glued to the phrase belong to it (bet365, app123)
        ve = g.end() if g else ve
        s, e = view.to_source(vs, ve)
        out.append(Damage("spam_injection", s, e,
                          f"injected gambling/betting phrase {text[s:e]!r} (spam mirror); numbers in it are not figures"))
    return out
