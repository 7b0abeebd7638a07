"""Prose figure extraction: numbers in running text -> labelled Figures, plus ``unlabelled_number`` findings.

Flow: the number grammar (``numbers``) finds quantities on the normalized view; the rule tables
(``prose_rules``) label counts, rates, shares and year-on-year changes; ``prose_zero`` finds zeros in words;
the private jieba tokenizer labels what the regex rules left (only then, and only within the clause). A
number with no confident metric is not a figure: it becomes an ``unlabelled_number`` finding.

>>> from parsers.records import TextView, Section
>>> from parsers.settings import ParseSettings
>>> t = "累计主动公开政府信息104059条。其中，机构职能信息4682条，占总数的4.5%。"
>>> figs, _ = extract_prose(t, TextView.identity(t), (), None, ParseSettings(use_jieba=False))
>>> [(f.metric, str(f.value), f.share_pct) for f in figs if f.kind == "count"]
[('proactive.total', '104059', None), ('proactive.by_category.institutional_functions', '4682', Decimal('4.5'))]
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from decimal import Decimal
from functools import partial
from operator import attrgetter
from types import MappingProxyType
from typing import Any

from parsers import damage, lexicon, numbers, prose_rules, prose_zero
from parsers.numbers import Quantity
from parsers.prose_label import Label, label_count, label_jieba, label_rate
from parsers.pattern_edges import may_end
from parsers.records import Figure, Finding, Kind, Section, TextView, ValueSemantic
from parsers.settings import ParseSettings

_CUMULATIVE = "累计"
_CLAUSE_START = re.compile(r"[。；;！？!?，,]")
#: Count units that may be printed before their number (回复公众诉求件9, 部分公开件3).
_UNIT_FIRST = frozenset("件条项")


def extract_prose(text: str, view: TextView, sections: tuple[Section, ...], resources: Any,
                  settings: ParseSettings, exclude: tuple[tuple[int, int], ...] = ()
                  ) -> tuple[tuple[Figure, ...], tuple[Finding, ...]]:
    """Figures found in the prose of ``text`` (spans into ``text``) and findings; never raises."""
    try:
        return _Extractor(text, view, sections, resources, settings, exclude).run()
    except Exception as exc:  # a bug must not lose the document: report it as a finding
        return (), (Finding("prose_error", "error", f"prose extraction failed: {exc!r}", rule="prose"),)


class _Extractor:
    def __init__(self, text: str, view: TextView, sections: tuple[Section, ...], resources: Any,
                 settings: ParseSettings, exclude: tuple[tuple[int, int], ...]) -> None:
        self.text, self.view, self.vt = text, view, view.text
        self.sections = sorted(sections, key=lambda s: s.start)
        self.sec_starts = [s.start for s in self.sections]
        self.resources, self.settings = resources, settings
        self.exclude = sorted(exclude)
        self._table_spans = tuple(self.exclude)  # (the damaged spans join self.exclude in run())
        self._excluded = numbers.SpanIndex(())  # set by run() once the damaged spans are known
        self._vstarts, self._vends = view.starts, view.ends  # the view's offset map, read per number
        self.figures: list[Figure] = []
        self._by_span: dict[tuple[int, int], list[int]] = {}  # source span -> indices of the figures quoting it
        self.findings: list[Finding] = []
        # (view end, index, view start of the number) of the latest count figure, for shares and changes
        self.last_count: tuple[int, int, int] | None = None
        # where a sentence starts (after each sentence end), found once rather than per number
        self.sentence_starts = [m.end() for m in prose_rules.SENTENCE_END.finditer(self.vt)]

    # --- helpers --------------------------------------------------------------------------------------
    def section_at(self, pos: int) -> str:
        i = bisect.bisect_right(self.sec_starts, pos) - 1
        if i >= 0 and pos < self.sections[i].end:
            return self.sections[i].section_id
        return "preamble"

    def vsection(self, vpos: int) -> str:
        return self.section_at(self._vstarts[vpos])  # = view.to_source(vpos, vpos + 1)[0]

    def excluded(self, s: int, e: int) -> bool:
        return self._excluded.overlaps(s, e)

    def vexcluded(self, vs: int, ve: int) -> bool:
        """Whether the non-empty view span ``[vs, ve)`` overlaps excluded source text."""
        return self._excluded.overlaps(self._vstarts[vs], self._vends[ve - 1])  # = view.to_source(vs, ve)

    def sentence_left(self, pos: int) -> str:
        """The text before ``pos`` back to the sentence end before it, at most 200 characters."""
        lo = max(0, pos - 200)
        i = bisect.bisect_right(self.sentence_starts, pos) - 1
        return self.vt[max(lo, self.sentence_starts[i]) if i >= 0 else lo:pos]

    def add(self, metric: str, value: Decimal, unit: str, kind: Kind, vs: int, ve: int, rule: str,
            q: Quantity | None, dims: tuple[tuple[str, str], ...] = (), *, is_cumulative: bool = False,
            value_semantic: ValueSemantic = "numeric") -> None:
        """Append the figure quoting the view span ``[vs, ve)`` (offsets and quote in the source text)."""
        s, e = self.view.to_source(vs, ve)
        self._by_span.setdefault((s, e), []).append(len(self.figures))
        # positional, in Figure's field order (a keyword call costs about twice as much)
        self.figures.append(Figure(metric, value, unit, kind, self.section_at(s), self.text[s:e], s, e, rule,
                                   q.unit_raw if q else unit, None, q.approx if q else False, is_cumulative,
                                   value_semantic, _metric_dims(metric) + dims))

    def unlabelled(self, q: Quantity) -> None:
        if q.chinese or not q.unit:  # 一个/两项, list markers, bare numbers: words, not measurements
            return
        s, e = self.view.to_source(q.num_start, q.end)
        self.findings.append(Finding("unlabelled_number", "info",  # (positional: start, end, section, rule)
                                     f"number {self.text[s:e]!r} has no confident metric; not a figure",
                                     s, e, self.section_at(s), "prose"))

    def scan_text(self) -> str:
        """The view text with the inner lines of the excluded spans given by the caller (the page's tables)
        blanked: what the number and zero finders scan. On a page with the standard tables these lines are
        half its text and most of its numbers, and nothing found there may become a figure (a match that
        reaches into an excluded span is dropped either way). Every offset stays, line breaks stay, and each
        span's first and last lines stay as they are, so a pattern looking across a table's edge (a unit
        after a line break, a look-behind) sees what it sees in the view.

        >>> t = "共10件\\n项目 | 数量\\n受理 | 5\\n办结 | 4\\n合计9件"
        >>> x = _Extractor(t, TextView.identity(t), (), None, ParseSettings(), ((5, 26),))
        >>> x.scan_text().split("\\n")
        ['共10件', '项目 | 数量', '      ', '办结 | 4', '合计9件']
        """
        if not self._table_spans:
            return self.vt
        starts, ends, vt = self._vstarts, self._vends, self.vt
        parts: list[str] = []
        pos = 0
        for s, e in self._table_spans:  # the view characters whose source span overlaps [s, e)
            lo, hi = max(pos, bisect.bisect_right(ends, s)), bisect.bisect_left(starts, e)
            first_end, last_start = vt.find("\n", lo, hi), vt.rfind("\n", lo, hi)
            if 0 <= first_end < last_start:  # lines strictly between the first and the last
                parts += (vt[pos:first_end], _blank(vt[first_end:last_start]))
                pos = last_start
        parts.append(vt[pos:])
        return "".join(parts)

    # --- main ---------------------------------------------------------------------------------------------
    def run(self) -> tuple[tuple[Figure, ...], tuple[Finding, ...]]:
        # damaged text (mojibake, injected spam) is flagged, and numbers inside it are never figures
        for d in damage.find_damage(self.text, self.view):
            self.findings.append(replace(d, section=self.section_at(d.start or 0)))
            self.exclude.append((d.start or 0, d.end or 0))
        self._excluded = numbers.SpanIndex(self.exclude)
        scan = self.scan_text()
        masks = numbers.masked_spans(scan)
        counted = numbers.find_quantities(scan, masks)
        counted_spans = numbers.SpanIndex((q.start, q.end) for q in counted)  # excluded ones too

        excluded, counted_overlaps = self._excluded.overlaps, counted_spans.overlaps
        vstarts, vends = self._vstarts, self._vends

        def keep(start: int, num_start: int, end: int) -> bool:  # asked before a bare number's value is read
            # (vexcluded inlined: asked for every number of the page's tables)
            return not excluded(vstarts[num_start], vends[end - 1]) and not counted_overlaps(start, end)
        quantities = [q for q in counted if not self.vexcluded(q.num_start, q.end)]
        quantities += numbers.find_bare_numbers(scan, masks, keep)
        quantities.sort(key=lambda q: q.start)
        pending: list[Quantity] = []
        for q in quantities:
            left = self.sentence_left(q.start)
            if q.kind in ("percent", "points"):
                self.percent(q, left)
            elif not self.count(q, left):
                pending.append(q)
        if pending and self.settings.use_jieba and self.resources is not None:
            pending = [q for q in pending if not self.jieba(q)]
        for q in pending:
            self.unlabelled(q)
        self.zeros(scan)
        figs = _dedupe(self.figures)
        return tuple(figs), tuple(self.findings)

    def count(self, q: Quantity, left: str) -> bool:
        yoy = _ends_search(prose_rules.YOY_LEFT, prose_rules.YOY_LAST, left, 30) if q.unit else None
        if yoy:
            return self.yoy(q, left, yoy, ".yoy_abs")
        right = self.vt[q.end:q.end + 24].split("\n", 1)[0]  # a right trigger never sits on the next line
        section = partial(self.vsection, q.start)  # (asked only by the few rules limited to some sections)
        lab = label_count(q, left, right, section=section)
        if lab is None and left[-1:] in _UNIT_FIRST and q.unit in ("", left[-1]):
            # the unit printed before the number (收到申请件9, 部分公开件3件): read the number with that unit
            q = replace(q, unit=left[-1], unit_raw=q.unit_raw or left[-1])
            lab = label_count(q, left[:-1], right, section=section)
            lab = replace(lab, left_len=lab.left_len + 1) if lab else None
        if lab is None:
            return False
        self.emit(q, lab, left)
        return True

    def emit(self, q: Quantity, lab: Label, left: str) -> None:
        vs = q.start - lab.left_len if lab.left_len else q.start
        ve = q.end + lab.right_len
        cumulative = _CUMULATIVE in left and _CUMULATIVE in _CLAUSE_START.split(left)[-1]  # 累计 in its clause
        kind: Kind = "amount" if q.kind == "amount" else "count"
        for metric in lab.metrics:
            self.add(metric, q.value, q.unit, kind, vs, ve, lab.rule, q, is_cumulative=cumulative)
        self.last_count = (q.end, len(self.figures) - 1, q.num_start)

    def percent(self, q: Quantity, left: str) -> None:
        # (占 must be written in the stretch searched: most percentages are no share)
        share = prose_rules.SHARE_LEFT.search(left, max(0, len(left) - 30)) if "占" in left[-30:] else None
        if share and q.kind == "percent":
            self.share(q, left, share.start())
            return
        yoy = _ends_search(prose_rules.YOY_LEFT, prose_rules.YOY_LAST, left, 30)
        if yoy:
            self.yoy(q, left, yoy, ".yoy_pct" if q.kind == "percent" else ".yoy_abs")
            return
        change = _ends_search(prose_rules.CHANGE_LEFT, prose_rules.CHANGE_LAST, left, 8) if q.kind == "percent" else None
        if change and self.change(q, left, change):
            return
        lab = label_rate(q, left, partial(self.vsection, q.start))
        if lab is None or q.kind != "percent":
            self.unlabelled(q)
            return
        vs = q.start - lab.left_len
        for metric in lab.metrics:
            self.add(metric, q.value, "%", "rate", vs, q.end, lab.rule, q)

    def change(self, q: Quantity, left: str, m: re.Match[str]) -> bool:
        """A percentage change with no comparison base (粉丝增长27.6%): the metric named right before the verb."""
        lab = label_count(q, left[: m.start()], "", any_unit=True)
        if lab is None:
            return False
        vs = q.start - (len(left) - m.start()) - lab.left_len
        direction = "down" if m.group("dir") in prose_rules.DOWN_WORDS else "up"
        self.add(lab.metrics[0] + ".yoy_pct", q.value, "%", "rate", vs, q.end, "change", q,
                 dims=(("direction", direction),))
        return True

    def share(self, q: Quantity, left: str, share_start: int) -> None:
        vs = q.start - (len(left) - share_start)
        if self.last_count is None or vs - self.last_count[0] > 4:
            # no count before it: a share of what the clause names (主动公开文件数约占…比例达63.2%)
            clause = _CLAUSE_START.split(left[:share_start])[-1]
            lab = label_count(q, clause, "", any_unit=True) if clause else None
            if lab is None:
                self.unlabelled(q)
                return
            subject = lab.metrics[0]
            self.add(subject + ".share_pct", q.value, "%", "percent", vs - lab.left_len, q.end, "share.subject", q,
                     dims=(("of", subject),))
            return
        idx = self.last_count[1]
        base = self.figures[idx]
        for i in self._by_span[(base.start, base.end)]:  # one phrase naming several quantities shares the share
            if i <= idx:
                self.figures[i] = _with_share(self.figures[i], q.value)
        # the share's quote runs from the count it qualifies to the sign: "1303件，占86.92%"
        self.add(base.metric + ".share_pct", q.value, "%", "percent", self.last_count[2], q.end, "share", q,
                 dims=(("of", base.metric),))

    def yoy(self, q: Quantity, left: str, m: re.Match[str], suffix: str) -> bool:
        vs = q.start - (len(left) - m.start())
        base: str | None = None
        if self.last_count is not None and self.figures:
            prev = self.figures[self.last_count[1]]
            if "。" not in self.vt[self.last_count[0]:q.start] and q.start - self.last_count[0] < 40:
                base = prev.metric
        if base is None:
            lab = label_count(q, left[: m.start()], "", any_unit=True)
            base = lab.metrics[0] if lab else None
        if base is None:
            self.unlabelled(q)
            return True
        direction = "down" if m.group("dir") in prose_rules.DOWN_WORDS else "up"
        kind: Kind = "rate"
        self.add(base + suffix, q.value, q.unit, kind, vs, q.end, "yoy", q, dims=(("direction", direction),))
        return True

    def jieba(self, q: Quantity) -> bool:
        if q.chinese:
            return False
        lab = label_jieba(q, self.vt, self.resources.tokenizer)
        if lab is None:
            return False
        self.emit(q, lab, self.sentence_left(q.start))
        return True

    def zeros(self, scan: str) -> None:
        for z in prose_zero.find_zeros(scan):
            s, e = self.view.to_source(z.start, z.end)
            if self.excluded(s, e):
                continue
            self.add(z.metric, Decimal(0), z.unit, "zero", z.start, z.end, f"zero.{z.term}", None,
                     value_semantic="zero")


def _ends_search(pattern: re.Pattern[str], last: frozenset[str] | None, left: str, reach: int
                 ) -> re.Match[str] | None:
    """``pattern.search`` over the last ``reach`` characters of ``left``, for a pattern that matches only at
    the end: searched only when ``left`` ends with one of its ``last`` characters (:func:`pattern_edges.last_chars`).

    >>> bool(_ends_search(prose_rules.YOY_LEFT, prose_rules.YOY_LAST, "同比增长 ", 30))
    True
    """
    if last is not None and not may_end(last, left):
        return None
    return pattern.search(left, max(0, len(left) - reach))


def _blank(text: str) -> str:
    """``text`` with every character but the line breaks turned into a space."""
    return "\n".join(" " * len(line) for line in text.split("\n"))


def _with_share(f: Figure, share: Decimal) -> Figure:
    """``replace(f, share_pct=share)``, positionally (dataclasses.replace walks the fields generically)."""
    return Figure(f.metric, f.value, f.unit, f.kind, f.section, f.quote, f.start, f.end, f.rule, f.unit_raw, share,
                  f.approx, f.is_cumulative, f.value_semantic, f.dims, f.source, f.table, f.row, f.col, f.cell)


_DIM_KEYS = (("by_channel", "channel"), ("by_category", "category"), ("by_level", "level"), ("outcome", "outcome"))


def _metric_dims(metric: str) -> tuple[tuple[str, str], ...]:
    dims = _DIMS.get(metric)
    return _dims(metric) if dims is None else dims


def _dims(metric: str) -> tuple[tuple[str, str], ...]:
    parts = metric.split(".")
    for key, dim in _DIM_KEYS:
        if key in parts and parts.index(key) + 1 < len(parts):
            return ((dim, parts[parts.index(key) + 1]),)
    return ()


def _dims_table() -> MappingProxyType[str, tuple[tuple[str, str], ...]]:
    """The dims of every metric a rule, lexicon phrase or zero term names, and of their share and change forms:
    looked up per figure instead of parsing the metric id each time."""
    names = {m for r in prose_rules.COUNT_RULES + prose_rules.RATE_RULES for m in r.metrics}
    names |= {m for t in prose_zero.ZERO_TERMS for m in t.metrics} | {m for m, _ in lexicon.TERM_METRICS.values()}
    names |= {m + suffix for m in names for suffix in (".share_pct", ".yoy_pct", ".yoy_abs")}
    return MappingProxyType({m: _dims(m) for m in names})


_DIMS = _dims_table()


def _dedupe(figs: list[Figure]) -> list[Figure]:
    seen: set[tuple[str, int, int]] = set()
    out = []
    for f in sorted(figs, key=attrgetter("start", "end", "metric")):
        key = (f.metric, f.start, f.end)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
