"""Segmentation of a report into canonical sections (domain-spec §A).

Headings are found on the normalized view (simplified script, pinyin removed) and returned with
source offsets. A heading is a short line that starts with a list marker (一、 一, 一. 一 、 第一部分
（一） 1、) and is not a sentence; table rows (``a | b``) and statutory table labels
(一、本年新收…数量) are not headings. The top level is the first marker family (第X部分, 一、, （一）,
1、) that yields a plausible numbered sequence; deeper levels stay inside their parent section.
Titles map to ids by key terms (:data:`RULES`), so unseen wordings of the same heading still map.

>>> from parsers.records import TextView
>>> t = "2013年度报告\\n一、概述\\n正文。\\n二、主动公开政府信息情况\\n共120条。"
>>> secs, _ = segment(t, TextView.identity(t))
>>> [(s.section_id, s.heading) for s in secs]
[('preamble', ''), ('overview', '一、概述'), ('proactive', '二、主动公开政府信息情况')]
"""

from __future__ import annotations

import bisect
import re
from itertools import product
from types import MappingProxyType
from typing import Iterable, Mapping, NamedTuple

from parsers.numbers import parse_chinese
from parsers.records import Finding, Section, TextView

_CN = "一二三四五六七八九十"

#: Key-term rules, first match wins (order resolves combined headings: 依申请…和行政复议 → requests).
RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((sid, re.compile(rx)) for sid, rx in (
    ("appendix", r"^附(表|件|录|[:：0-9一二三])|统计表|报告表|指标表"),
    ("other_matters", r"其[他它].{0,4}(需要|应当|应)?(报告|说明)|需要(报告|说明)的|^其[他它](相关)?(工作|事项)"),
    ("problems_improvements", r"问题.{0,12}(改进|措施|打算|计划|思路|整改|方向|建议|下一步|下步)|存在.{0,8}(问题|不足)"
                              r"|(下一步|下步|\d{4}年度?)工作(思路|打算|计划|安排|重点)|改进(措施|情况)$"),
    ("npc_cppcc", r"人大代表|政协|提案|代表建议"),
    ("key_areas", r"重点领域"),
    ("fees", r"收费|减免|收支|支出"),
    ("requests", r"依申请|收到.{0,12}申请|处理.{0,12}申请|^(政府信息公开)?申请(的)?(情况|受理|办理|处理|答复)"),
    ("consultation", r"咨询"),
    ("review_litigation", r"复议|诉讼|申诉|举报|投诉"),
    ("proactive", r"主动公开"),
    ("interpretation_response", r"回应|解读|关切"),
    ("capacity", r"机构|人员|经费|培训|会议|队伍"),
    ("overview", r"概述|概况|概\s*述|总体|基本情况|落实情况|完成情况|工作情况$"),
))
#: Statutory-table row labels that carry list markers (一、本年新收政府信息公开申请数量).
_TABLE_LABEL = re.compile(r"本年新收|上年结转|办理结果|结转下年|数$|^[\d.]+$")
_PINYIN = re.compile(r"\([a-zA-Z\u00c0-\u024f\u1e00-\u1eff]+\)")
_SUBFORMAT_2021 = re.compile(r"政府信息管理|平台建设|监督保障")

_MARKERS = {
    "part": re.compile(rf"第(?P<n>[{_CN}]{{1,3}})(部分|章)[\s、,，.．:：]*"),
    "cn": re.compile(rf"(?P<n>[{_CN}]{{1,3}})(\s*[、,，.．:：]|\s+(?=[\u4e00-\u9fff]))\s*"),
    "paren": re.compile(rf"[(（]\s*(?P<n>[{_CN}]{{1,3}})\s*[)）]\s*[、.．]?\s*"),
    "arabic": re.compile(r"(?P<n>\d{1,2})\s*[、.．](?!\d)\s*"),
}
_FAMILIES = ("part", "cn", "paren", "arabic")
_LEAD = " \t\u3000\xa0"  # blanks before a marker
#: The family whose marker can start with a character (``\d``, decimal digits, means ``arabic``).
_FAMILY_OF: Mapping[str, str] = MappingProxyType({"第": "part", "(": "paren", "（": "paren", **dict.fromkeys(_CN, "cn")})
_APPENDIX_LINE = re.compile(r"(附\s*(表|件)\s*[0-9一二三四五]?\s*[:：]?\s*\S{0,40}|\S{2,30}(统计表|统计附表|指标表))$")
_SENTENCE_END = re.compile(r"[。；;！？!?:：]")
_SPACE = re.compile(r"\s")
_INNER_SPACE = re.compile(r"\S\s+\S")
_FIRST_SPACE = re.compile(r"(?<=\S)\s+(?=\S)")
_MARKER_PUNCT = re.compile(r"[、,，.．:：]")


class _Cand(NamedTuple):  # a named tuple: a page makes dozens, and it builds 3x faster than a frozen dataclass
    family: str
    number: int
    start: int  # view offsets of marker start and title end
    end: int
    title: str
    sid: str | None


def cn_number(s: str) -> int:
    """A heading marker's number (一 → 1, 十二 → 12, 二十 → 20), read by :func:`parsers.numbers.parse_chinese`;
    0 when the marker is not a numeral (十十).

    >>> cn_number("十二"), cn_number("二十一"), cn_number("十十")
    (12, 21, 0)
    """
    value = parse_chinese(s)
    return int(value) if value is not None else 0


#: :func:`cn_number` of every marker a heading regex can capture (one to three of 一…十), read once.
_MARKER_NUMBER: Mapping[str, int] = MappingProxyType(
    {"".join(t): cn_number("".join(t)) for k in (1, 2, 3) for t in product(_CN, repeat=k)})


def classify(title: str) -> str | None:
    """Map a heading title (simplified script) to a canonical section id, or None.

    >>> classify("依申请公开政府信息和不予公开政府信息的情况"), classify("行政復议及行政诉讼情况")
    ('requests', 'review_litigation')
    """
    # "".join(t.split()) removes exactly what regex \s matches (str.split() uses the same whitespace test)
    # at a third of the cost of re.sub(r"\s+", "", t); glosses need a "(", so most titles skip _PINYIN.
    return _by_rules("".join((_PINYIN.sub("", title) if "(" in title else title).split()))


_RULE_SEARCH = tuple((sid, rx.search) for sid, rx in RULES)  # bound once: every heading runs up to 13


def _by_rules(t: str) -> str | None:
    for sid, search in _RULE_SEARCH:
        if search(t):
            return sid
    return None


def _candidate(family: str, line: str, off: int) -> _Cand | None:
    if "|" in line:  # a table row
        return None
    m = _MARKERS[family].match(line, len(line) - len(line.lstrip(_LEAD)))
    if not m:
        return None
    rest = line[m.end():]
    if not rest.strip():
        return None
    cut = _SENTENCE_END.search(rest)
    title = rest[: cut.start()] if cut else rest
    run_in = bool(cut and rest[cut.end():].strip())
    if len(title) > 25 and len(_SPACE.sub("", title)) > 25 and _INNER_SPACE.search(title.strip()):
        title, run_in = _FIRST_SPACE.split(title.strip(), maxsplit=1)[0], True
    title = title.rstrip()
    compact = "".join((_PINYIN.sub("", title) if "(" in title else title).split())
    if not compact or len(compact) > 40 or "," in compact or "，" in compact or _TABLE_LABEL.search(compact):
        return None
    if run_in and len(compact) > 22:  # tested before the rules: they cost more
        return None
    # classify(compact) without redoing the whitespace pass: glosses can go again (removing one can close
    # another, as in "((ab)c)"), but removing them from a text without whitespace leaves none.
    sid = _by_rules(_PINYIN.sub("", compact) if "(" in compact else compact)
    if sid is None and (run_in or family == "cn" and not _MARKER_PUNCT.search(m.group(0))):
        return None  # a run-in title must be known; "一 概述" (space only) must at least read as a known heading
    start = off + m.start()
    return _Cand(family, _MARKER_NUMBER[m.group("n")] if family != "arabic" else int(m.group("n")),
                 start, off + m.end() + len(rest[: len(title)].rstrip()), title, sid)


def _chain(cands: list[_Cand]) -> list[_Cand]:
    """The best increasing numbered sequence (known titles weigh more; gaps of one are tolerated)."""
    n = len(cands)
    if n == 0:
        return []
    best = [0.0] * n
    prev = [-1] * n
    for i, c in enumerate(cands):
        gain = 3.0 if c.sid else 1.0
        best[i] = gain - (0 if c.number == 1 else 1)
        for j in range(max(0, i - 200), i):
            step = c.number - cands[j].number
            if 1 <= step <= 2 and best[j] + gain - (step - 1) > best[i]:
                best[i], prev[i] = best[j] + gain - (step - 1), j
    i = max(range(n), key=lambda k: (best[k], -k))
    out = []
    while i >= 0:
        out.append(cands[i])
        i = prev[i]
    return out[::-1]


def _lines(view_text: str) -> tuple[dict[str, list[tuple[int, str]]], list[tuple[int, str]]]:
    """Lines that may be headings, by the family whose marker they can start with (a necessary condition:
    the first character after blanks; a line is tried for one family at most), and lines that may be
    appendix titles (they hold 附 or 表, see ``_APPENDIX_LINE``). Table rows (``|``) are neither."""
    by_family: dict[str, list[tuple[int, str]]] = {f: [] for f in _FAMILIES}
    appendix: list[tuple[int, str]] = []
    off = 0
    for line in view_text.split("\n"):
        if line and "|" not in line:
            first = line.lstrip(_LEAD)[:1]
            if family := _FAMILY_OF.get(first) or ("arabic" if first.isdecimal() else None):
                by_family[family].append((off, line))
            if "附" in line or "表" in line:
                appendix.append((off, line))
        off += len(line) + 1
    return by_family, appendix


def _top_level(view_text: str) -> list[_Cand]:
    by_family, appendix = _lines(view_text)
    for family in _FAMILIES:
        cands = [c for off, line in by_family[family] if (c := _candidate(family, line, off))]
        chain = _chain(cands)
        known = sum(1 for c in chain if c.sid)
        if family == "part" and len(chain) < 2:
            continue
        if family in ("paren", "arabic") and (known < 2 or any(_SUBFORMAT_2021.search(c.title) for c in chain)):
            continue
        if chain and (known or len(chain) >= 2):
            return chain + _appendix_lines(appendix, chain[0].start, chain)
    return []


def _appendix_lines(lines: Iterable[tuple[int, str]], after: int, chain: list[_Cand]) -> list[_Cand]:
    taken = {c.start for c in chain}
    out = []
    for off, line in lines:
        s = line.strip()
        if off > after and _APPENDIX_LINE.match(s) and "|" not in s:
            start = off + line.index(s[0])
            if not any(abs(start - t) < 3 for t in taken):
                out.append(_Cand("appendix", 0, start, start + len(s), s, "appendix"))
    return out


def segment(text: str, view: TextView) -> tuple[tuple[Section, ...], tuple[Finding, ...]]:
    """Split ``text`` into canonical sections; ``view`` is its normalized view (headings match there)."""
    findings: list[Finding] = []
    heads = sorted(_top_level(view.text), key=lambda c: c.start)
    if not heads:
        return ((Section("preamble", "", 0, len(text), 0),),
                (Finding("no_section_headings", "info", "no report section headings found"),))
    spans = [view.to_source(c.start, c.end) for c in heads]
    sections: list[Section] = []
    if text[: spans[0][0]].strip():
        sections.append(Section("preamble", "", 0, spans[0][0], 0))
    seen: set[str] = set()
    has_overview = any(c.sid == "overview" for c in heads)
    for k, (c, (s, e)) in enumerate(zip(heads, spans)):
        end = spans[k + 1][0] if k + 1 < len(spans) else len(text)
        sid = c.sid
        if sid is None and k == 0 and c.number == 1 and not has_overview:
            sid = "overview"  # 一、健全组织、强化领导: the first section of a report is its overview
        if sid is None:
            sid = f"unknown_{c.number or k + 1}"
            findings.append(Finding("unknown_heading", "info", f"heading not mapped to a canonical section: "
                                    f"{text[s:e]}", start=s, end=e, section=sid, rule="sections"))
        elif sid in seen:
            findings.append(Finding("duplicate_section", "info", f"second heading for section {sid}: {text[s:e]}",
                                    start=s, end=e, section=sid, rule="sections"))
        seen.add(sid)
        sections.append(Section(sid, text[s:e], s, end, e, c.sid is not None or sid == "overview"))  # known
    findings.extend(_cross_check(text, view, sections))
    return tuple(sections), tuple(findings)


_LISTING = re.compile(r"(?:全文|报告)[^。]{0,12}?(?:包括|由|分为|包含)(?P<list>[^。]{6,400}?)"
                      r"(?:等?(?:共|合计)?[一二三四五六七八九十\d]{0,2}个?部分(?:组成|构成)?|组成|构成)?(?:。|$)")
_LIST_SEP = re.compile(r"[、,，;；]|以及|和|及|与")


def listed_sections(preamble: str) -> tuple[str, ...]:
    """Section ids named by a "全文包括…/由…组成" sentence, in order (duplicates removed).

    >>> listed_sections("本报告由概述、主动公开政府信息情况、行政复议和行政诉讼情况共三个部分组成。")
    ('overview', 'proactive', 'review_litigation')
    """
    m = _LISTING.search(preamble)
    if not m:
        return ()
    out: list[str] = []
    for part in _LIST_SEP.split(m.group("list")):
        sid = classify(part)
        if sid and sid not in out:
            out.append(sid)
    return tuple(out)


def _cross_check(text: str, view: TextView, sections: list[Section]) -> list[Finding]:
    pre = [s for s in sections if s.section_id == "preamble"]
    if not pre or len(sections) < 3:
        return []
    end = bisect.bisect_left(view.starts, pre[0].end)
    listed = listed_sections(view.text[:end])
    present = {s.section_id for s in sections}
    missing = [sid for sid in listed if sid not in present]
    if len(listed) < 2 or not missing:
        return []
    return [Finding("listed_section_missing", "warning",
                    f"the preamble lists parts without a matching heading: {', '.join(missing)}",
                    start=pre[0].start, end=pre[0].end, section="preamble", rule="sections",
                    details=tuple(("missing", m) for m in missing))]
