"""Which relations a document's figures take part in (:func:`build_relations`).

Families of parts (domain-spec §C): ``X.by_<dim>.<member>`` parts add up to ``X.total`` (categories,
channels, levels); the closed outcome and review groups of :data:`GROUPS` add up to their total. Rates
(:data:`RATES`) are checked against their counts, the request balance per applicant, and a figure
stated twice against itself.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from parsers.records import Figure
from pipeline.checks_relations import HUNDRED, TENTH, ZERO, Relation, unit_of

Key = tuple[str, tuple[tuple[str, str], ...]]  # (metric, context dims): figures that are the same quantity


@dataclass(frozen=True, slots=True)
class Group:
    """A closed family of parts: ``members`` (all present = exhaustive) add up to ``total``."""

    name: str
    total: str
    members: tuple[str, ...]


def _closed(prefix: str, members: str, total: str | None = None) -> Group:
    return Group(prefix, total or f"{prefix}.total", tuple(f"{prefix}.{m}" for m in members.split()))


#: Closed groups of domain-spec §B.2/§B.3 and §C.3/§C.5.
GROUPS: tuple[Group, ...] = (
    Group("requests.outcome", "requests.outcome.total", (
        "requests.outcome.disclosed", "requests.outcome.partially_disclosed", "requests.outcome.withheld.total",
        "requests.outcome.unable.total", "requests.outcome.not_processed.total", "requests.outcome.other.total")),
    _closed("requests.outcome.withheld", "state_secret prohibited_by_law security_stability third_party_rights "
            "internal_affairs process_info enforcement_file admin_inquiry"),
    _closed("requests.outcome.unable", "not_held needs_creation unclear_after_correction"),
    _closed("requests.outcome.not_processed", "petition_complaint duplicate publication mass_repetitive "
            "confirm_or_reissue"),
    _closed("requests.outcome.other", "overdue_correction overdue_fee other"),
    _closed("review", "upheld corrected other pending"),
    _closed("litigation.direct", "upheld corrected other pending"),
    _closed("litigation.after_review", "upheld corrected other pending"),
    Group("litigation", "litigation.total", ("litigation.direct.total", "litigation.after_review.total")),
)
_GROUP_OF_MEMBER = {m: g for g in GROUPS for m in g.members}
_GROUP_MEMBERS = {g.name: frozenset(g.members) for g in GROUPS}
#: Families whose parts may overlap, so they need not add up to the total: the national table counts an item
#: published on several channels once in the total (domain-spec §B.5(b): "不同渠道和方式公开相同信息计1条"), and
#: channel counts in the narrative (WeChat pushes, Weibo posts) routinely exceed it. Their shares stay checked.
OVERLAPPING = frozenset({"proactive.by_channel"})
_BY_DIM = re.compile(r"^(?P<base>.+)\.by_(?P<dim>[a-z_]+)\.(?P<member>[a-z_]+)$")
#: Reported rates checked against counts: rate metric -> (numerator metrics, denominator alternatives).
RATES: Mapping[str, tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]] = {
    "requests.rate.response_reported": (("requests.outcome.total",), (
        ("requests.received.total",), ("requests.received.total", "requests.carried_over_in"))),
    "requests.rate.on_time_reported": (("requests.completed.on_time",), (
        ("requests.outcome.total",), ("requests.received.total",))),
}


@lru_cache(maxsize=8192)  # asked for every figure; a page repeats a few (metric, dims) pairs
def context_dims(metric: str, dims: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """The dimensions a part shares with its total: the member's own dimension (``category=plans`` on
    ``proactive.by_category.plans``, ``outcome=total``) and back-references (``of``) are dropped.

    >>> context_dims("a.by_category.plans", (("applicant", "total"), ("category", "plans")))
    ()
    >>> context_dims("requests.outcome.disclosed", (("applicant", "natural_person"),))
    (('applicant', 'natural_person'),)
    """
    if not dims:
        return ()
    member = metric.rpartition(".")[2]
    if len(dims) == 1:  # the usual case, without sorting
        k, v = dims[0]
        return () if v == member or v == "total" or k == "of" else ((k, v),)
    return tuple(sorted((k, v) for k, v in dims if v not in (member, "total") and k != "of"))


@lru_cache(maxsize=8192)
def _family_of(metric: str) -> tuple[str, str] | None:
    """(family, total metric) of a part: ``X.by_<dim>.<member>`` first, else a closed group's member."""
    m = _BY_DIM.match(metric)
    if m:
        return f"{m['base']}.by_{m['dim']}", f"{m['base']}.total"
    group = _GROUP_OF_MEMBER.get(metric)
    return (group.name, group.total) if group else None


def _pick(candidates: Sequence[int], near: Figure, figures: Sequence[Figure]) -> int | None:
    """The candidate total for a part: same section first, then the nearest preceding, then following."""
    if len(candidates) < 2:  # the usual case: the total is stated once
        return candidates[0] if candidates else None
    return min(candidates, key=lambda i: (figures[i].section != near.section,
                                          figures[i].start > near.start, abs(figures[i].start - near.start)))


def _index(figures: Sequence[Figure]) -> dict[Key, list[int]]:
    """Figure indices by (metric, context dims), in order of first appearance (figures without a value
    take part in no relation)."""
    by_key: dict[Key, list[int]] = {}
    for i, f in enumerate(figures):
        if f.value is not None:
            key = (f.metric, context_dims(f.metric, f.dims))
            idx = by_key.get(key)
            if idx is None:
                by_key[key] = [i]
            else:
                idx.append(i)
    return by_key


def build_relations(figures: Sequence[Figure]) -> tuple[Relation, ...]:
    """Every relation among ``figures`` (indices into the sequence).

    >>> from parsers.records import Figure
    >>> f = lambda m, v, s=None: Figure(m, Decimal(v), "条", "count", "p", "", 0, 1, "r", share_pct=s)
    >>> rels = build_relations([f("proactive.total", 10), f("proactive.by_category.plans", 4, Decimal(40)),
    ...                         f("proactive.by_category.other", 6, Decimal(60))])
    >>> sorted(r.kind for r in rels)
    ['parts_sum', 'share', 'share', 'shares_sum']
    """
    by_key = _index(figures)
    rels: list[Relation] = []
    families: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
    repeated: list[tuple[str, list[int]]] = []  # figures stated more than once, for _same_figure
    forwarded: list[tuple[tuple[str, str], ...]] = []  # dims of carried_forward figures, for _balance
    for (metric, dims), idx in by_key.items():
        if len(idx) > 1:
            repeated.append((metric, idx))
        if metric == _FORWARD:
            forwarded.append(dims)
        fam = _family_of(metric)
        if fam is None:
            continue
        family, total_metric = fam
        totals = by_key.get((total_metric, dims))
        if not totals:
            continue
        for i in idx:
            t = _pick(totals, figures[i], figures)
            if t is None:
                continue
            families[(family, t)].setdefault(metric, i)
            share = figures[i].share_pct
            if share is not None:
                rels.append(Relation("share", family, (i,), (t,), share))
    for (family, t), members in families.items():
        parts = tuple(sorted(members.values()))
        if family in OVERLAPPING or any(figures[i].approx for i in (t, *parts)):
            continue
        shares = [s for s in (figures[i].share_pct for i in parts) if s is not None]
        all_shares = len(shares) == len(parts)
        group = _GROUP_MEMBERS.get(family)
        exhaustive = (members.keys() >= group) if group is not None else (
            any(m.endswith(".other") for m in members)
            or (all_shares and abs(sum(shares) - HUNDRED) <= TENTH * len(parts)))
        if len(parts) >= 2 or exhaustive:
            rels.append(Relation("parts_sum", family, (t,), parts, exhaustive=exhaustive))
        if len(parts) >= 2 and exhaustive and all_shares:
            rels.append(Relation("shares_sum", family, parts, (), sum(shares, ZERO),
                                 tolerance=sum(map(unit_of, shares), ZERO)))
    rels.extend(_rates(by_key, figures))
    rels.extend(_balance(by_key, forwarded))
    rels.extend(_same_figure(repeated, figures))
    return tuple(rels)


def _rates(by_key: Mapping[Key, list[int]], figures: Sequence[Figure]) -> list[Relation]:
    out = []
    for metric, (num, dens) in RATES.items():
        for i in by_key.get((metric, ()), []):
            picks = [_pick(by_key.get((m, ()), []), figures[i], figures) for m in num]
            if any(p is None for p in picks):
                continue
            right = [p for p in picks if p is not None]
            sizes = []
            for den in dens:
                dp = [_pick(by_key.get((m, ()), []), figures[i], figures) for m in den]
                if all(p is not None for p in dp):
                    right.extend(p for p in dp if p is not None)
                    sizes.append(len(dp))
            if sizes:
                out.append(Relation("rate", metric, (i,), tuple(right), sizes=(len(num), *sizes)))
    return out


_FORWARD = "requests.carried_forward"
_BALANCE = ("requests.received.total", "requests.carried_over_in", "requests.outcome.total", _FORWARD)


def _balance(by_key: Mapping[Key, list[int]], forwarded: Sequence[tuple[tuple[str, str], ...]]) -> list[Relation]:
    """received + carried_over_in = outcome.total + carried_forward (domain-spec §B.2), per applicant
    (``forwarded``: the dims of the carried_forward keys, in key order)."""
    out = []
    for dims in dict.fromkeys(forwarded):  # first appearance: a set's order depends on the process's hash seed
        idx = [by_key.get((n, dims), [None])[0] for n in _BALANCE]
        if all(i is not None for i in idx):
            a, b, c, d = (i for i in idx if i is not None)
            out.append(Relation("balance", "requests.balance", (a, b), (c, d)))
    return out


def _same_figure(repeated: Sequence[tuple[str, list[int]]], figures: Sequence[Figure]) -> list[Relation]:
    """The same figure stated twice, and this year's figure against the cumulative one (``repeated``:
    metric and figures of each key stated more than once, in key order)."""
    out = []
    for metric, idx in repeated:
        exact = [i for i in idx if not figures[i].approx]
        for cum in (False, True):
            same = [i for i in exact if figures[i].is_cumulative == cum]
            for j in same[1:]:
                if figures[j].kind == figures[same[0]].kind and figures[j].unit == figures[same[0]].unit:
                    out.append(Relation("duplicate", metric, (same[0],), (j,)))
        annual = [i for i in exact if not figures[i].is_cumulative]
        cumulative = [i for i in exact if figures[i].is_cumulative]
        if annual and cumulative and figures[annual[0]].unit == figures[cumulative[0]].unit:
            out.append(Relation("cumulative", metric, (annual[0],), (cumulative[0],)))
    return out
