"""Zeros stated in words (domain-spec §D "Explicit zero"): 未发生…行政复议, 未收到…申请, 均未…收取费用.

One figure per quantity the negation covers: 未发生行政复议和行政诉讼 gives review.total and litigation.total.
A negation covers the words after it up to the end of its clause (a comma, a sentence end or a digit).

>>> [(z.metric, z.unit) for z in find_zeros("2013年，我市未发生行政复议案件和行政诉讼案件。")]
[('review.total', '件'), ('litigation.total', '件')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WU = "无(?!法|正当|需|须|论|关|偿|疑|缝|纸|障碍|条件|人[员机])"  # 无 but not 无法, 无正当理由, 无纸化 …
_GENERAL_ALTS = ("未发生", "没有发生", "未出现", "没有出现", "未有", "均未", "从未", "未曾", "没有", "未因", "未被", _WU)
_RECEIVE_ALTS = ("未收到", "没有收到", "未接到", "没有接到", "未受理", "没有受理", "未有", _WU)
_FEES_ALTS = ("均未", "未有", "未", "没有", _WU, "不")
_GENERAL, _RECEIVE, _FEES = ("|".join(a) for a in (_GENERAL_ALTS, _RECEIVE_ALTS, _FEES_ALTS))
#: All negations, longest first, so that 没有收到 is not read as 没有.
NEGATION = re.compile(
    "(?P<neg>" + "|".join(sorted(set(_GENERAL_ALTS + _RECEIVE_ALTS + _FEES_ALTS), key=len, reverse=True)) + ")")
#: A negation's scope ends at a clause end or at a digit (a printed number is not a zero in words).
SCOPE_END = re.compile(r"[，,。；;！？!?\n\r0-9０-９]|但")
MAX_SCOPE = 48


@dataclass(frozen=True, slots=True)
class ZeroTerm:
    name: str
    pattern: re.Pattern[str]
    metrics: tuple[str, ...]
    unit: str
    negations: re.Pattern[str]


def _t(name: str, pattern: str, metrics: str, unit: str, negations: str) -> ZeroTerm:
    return ZeroTerm(name, re.compile(pattern), tuple(metrics.split("|")), unit, re.compile(f"^(?:{negations})$"))


ZERO_TERMS: tuple[ZeroTerm, ...] = (
    _t("review", r"(?:行政)?复议(?:案件)?", "review.total", "件", _GENERAL),
    _t("litigation", r"(?:行政)?诉讼(?:案件)?", "litigation.total", "件", _GENERAL),
    _t("complaints", r"举报|投诉", "complaints.total", "件", _GENERAL),
    _t("appeals", r"申诉", "appeals.total", "件", _GENERAL),
    _t("requests", r"(?<!依)(?<!被)申请(?!行政|复议)", "requests.received.total", "件", _RECEIVE),
    _t("fees", r"收取[^，,。；;]{0,24}?费用?|收费|(?:信息处理|检索|复制|邮寄)?费用", "fees.ogi.amount_yuan", "元", _FEES),
    _t("waivers", r"减免", "fees.ogi.waived_yuan", "元", _FEES),
    _t("npc", r"人大(?:代表)?建议", "other.npc_suggestions_published", "件", _GENERAL + "|" + _RECEIVE),
    _t("cppcc", r"政协(?:委员)?提案", "other.cppcc_proposals_published", "件", _GENERAL + "|" + _RECEIVE),
)


def _terms_after(neg: str) -> tuple[ZeroTerm, ...]:
    """The terms a negation word can cover, in table order."""
    return tuple(term for term in ZERO_TERMS if term.negations.match(neg))


#: Per negation word as matched (无 for every spelling of ``_WU``), its terms: computed once, not per match.
_TERMS_AFTER = {neg: _terms_after(neg) for neg in {w if w != _WU else "无" for w in
                                                   _GENERAL_ALTS + _RECEIVE_ALTS + _FEES_ALTS}}
#: "零投诉", "零复议": 零 glued to the noun.
ZERO_PREFIX = re.compile(r"零(?P<term>投诉|举报|复议|诉讼|申诉)")


@dataclass(frozen=True, slots=True)
class Zero:
    metric: str
    unit: str
    start: int  # span in the searched text: from the negation to the end of the term
    end: int
    term: str


def find_zeros(text: str) -> list[Zero]:
    """Zeros in words in ``text`` (normalized view), one per covered quantity and negation."""
    out: list[Zero] = []
    for m in NEGATION.finditer(text):
        neg = m.group("neg")
        stop = SCOPE_END.search(text, m.end(), m.end() + MAX_SCOPE)
        scope_end = stop.start() if stop else min(len(text), m.end() + MAX_SCOPE)
        scope = text[m.end():scope_end]
        seen: set[str] = set()
        for term in _TERMS_AFTER.get(neg) or _terms_after(neg):
            t = term.pattern.search(scope)
            if t is None:
                continue
            for metric in term.metrics:
                if metric not in seen:
                    seen.add(metric)
                    out.append(Zero(metric, term.unit, m.start(), m.end() + t.end(), term.name))
    for m in ZERO_PREFIX.finditer(text):
        term = next(t for t in ZERO_TERMS if t.pattern.fullmatch(m.group("term")))
        out.append(Zero(term.metrics[0], term.unit, m.start(), m.end(), term.name))
    out.sort(key=lambda z: (z.start, z.end))
    return out
