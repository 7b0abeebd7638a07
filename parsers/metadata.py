"""Document metadata: title, region, admin level, scope, data year, era, issuer (domain-spec §0).

Everything is read from the normalized view (simplified script), so titles and issuers come out in
simplified script whatever the page's script. The statistics year (``data_year``) comes from the
statistics period or an explicit ``YYYY年度`` before a bare year in the title, never from the
publication date unless nothing else states it.

>>> from parsers.records import TextView
>>> t = "2013年度牡丹江市政府信息公开工作报告\\n本报告根据全市各级行政机关的年度报告编制。\\n一、概述\\n"
>>> m = extract_metadata(t, TextView.identity(t), (), title=None, breadcrumb=None, publish_date=None, url=None)
>>> (m.title, m.issuer, m.region.adcode, m.admin_level, m.scope, m.data_year, m.era)
('2013年度牡丹江市政府信息公开工作报告', '牡丹江市人民政府', '231000', 'city', 'jurisdiction_total', 2013, 'E2008')
"""

from __future__ import annotations

import bisect
import re
from operator import itemgetter
from urllib.parse import unquote, urlsplit

from parsers import normalize, regions
from parsers.records import AdminLevel, Era, Metadata, Region, Scope, Section, TextView

_YEAR = r"((?:19|20)\d{2})"
_TITLE_LINE = re.compile(r"(年度报告|年报|工作报告|年度工作报告)")
_NOT_TITLE = re.compile(r"^(本|根据|依据|按照|如|现|为|来源)|[。;；>＞]|首页|位置")
_PERIOD = re.compile(rf"统计(?:期限|期间|时限|时间|区间|周期|范围)[^。]{{0,15}}?{_YEAR}")
_YEAR_OF_REPORT = re.compile(rf"{_YEAR}\s*年度[^。，,]{{0,30}}?(报告|统计|数据)")
_TITLE_YEAR_NIANDU = re.compile(rf"{_YEAR}\s*年度")
_TITLE_YEAR = re.compile(rf"{_YEAR}\s*年(?!\s*\d{{1,2}}\s*月)")
_OPENING_YEAR = re.compile(rf"(?:^|[。\n])\s*(?:[(（][一二三四五六七八九十]+[)）])?\s*{_YEAR}\s*年度?(?:以来)?\s*[,，]")
_ORG_IN_TITLE = re.compile(rf"^(?:关于)?(?:{_YEAR}\s*年度?)?\s*(?P<org>.*?)\s*(?:{_YEAR}\s*年度?)?\s*"
                           r"(?:政府信息公开|政务公开|信息公开|政府信息|政务信息)")
_ORG_SUFFIX = r"(人民政府|政府|办公室|办公厅|管委会|管理委员会|委员会|局|委|办|厅|署|中心|院|所|会|处|站|队|办事处)"
_ORG_LINE = re.compile(rf"^[\u4e00-\u9fff()（）]{{3,30}}{_ORG_SUFFIX}$")
_REPORT_BY = re.compile(rf"本(?:年度)?报告由(?P<org>[\u4e00-\u9fff()]{{3,30}}?{_ORG_SUFFIX})(?:负责)?(?:编制|发布|制作|汇总)")
_ORG_TAIL = re.compile(r"人民政府办公厅|人民政府办公室|人民政府|政府办公厅|政府办公室|政府(?!信息)|管委会|管理委员会"
                       r"|[\u4e00-\u9fff]{1,12}?(?:委员会|局|委|办公室|办|中心|厅|署|街道办事处|街道|镇|乡)")
_ORG_CUE = re.compile(rf"编制|由|形成|公布|发布|现将|{_YEAR}\s*年度?\s*[,，]?\s*")
_GOV_REST = re.compile(r"^(人民政府|政府|管委会|管理委员会|党工委管委会|党工委、?管委会)?$")
_TOWN = re.compile(r"^(?:人民政府)?(?P<town>[\u4e00-\u9fff]{1,8}?(?:镇|乡|街道))(?:人民政府|办事处|街道办事处)?$")
_ZONE = re.compile(r"(实验区|试验区|新区|开发区|高新区)$")
# Every alternative starts with a literal character, so the engine scans for those (C speed) instead of
# trying each alternative at every position of the preamble.
_AGGREGATE = re.compile(
    r"全(?:市|区|县|州|省|盟|旗)(?:各级|各部门|各单位|各职能部门|各乡镇|各镇|政府系统|行政机关)"
    r"|综合[^。]{0,20}(?:各区|各县|各部门|各单位|委办局|各乡镇)|所属各?(?:县|区|乡镇|街道|部门)"
    r"|各县\(?(?:市|区)|各区\(?县|县\(市\)|市直[^。]{0,8}(?:单位|部门|机关)[^。]{0,4}(?:和|及|、)"
    r"|和[^。]{0,4}市直|及[^。]{0,4}市直|、[^。]{0,4}市直|汇总[^。]{0,20}(?:编制|形成)|各[^。]{0,60}?年度报告[^。]{0,4}编制|镇街")


def era_of(year: int | None) -> Era | None:
    """The legal/format era of a statistics year (domain-spec §0).

    >>> [era_of(y) for y in (2008, 2013, 2014, 2018, 2019, 2020, 2021, 2024)]
    ['E2008', 'E2008', 'E2014', 'E2014', 'E2019', 'E2019', 'E2021', 'E2021']
    """
    if year is None:
        return None
    return "E2008" if year <= 2013 else "E2014" if year <= 2018 else "E2019" if year <= 2020 else "E2021"


_PINYIN = re.compile(r"\([a-zA-Z\u00c0-\u024f\u1e00-\u1eff]+\)")
_TITLE_PARTS = re.compile(r"\s*[_|｜–—]\s*|\s+-\s+")
_DIGIT = re.compile(r"\d")
_YEAR_START = re.compile(r"\d{4}")
_ORG_END = re.compile(_ORG_SUFFIX + "$")


def _in_view(text: str, view: TextView, *strings: str | None) -> list[str | None]:
    """Page strings (such as the <title>, any script) as the view would read them.

    When a string occurs in the source text its view slice is used; otherwise its characters are mapped
    with the one-to-one character pairs the view itself makes from the first 20 000 source characters
    (開→开, 報→报), since a page title repeats words of its body. ``extract_metadata`` gets no OpenCC
    converter by contract; a title whose characters never occur in the body stays as printed.
    The pairs are found once for all the strings.
    """
    out: list[str | None] = []
    unmapped: dict[int, str] = {}  # position in out -> a string not in the source text
    for s in strings:
        if not s:
            out.append(None)
            continue
        s = _PINYIN.sub("", s.strip())
        pos = text.find(s)
        if pos >= 0:
            a = bisect.bisect_left(view.starts, pos)
            b = bisect.bisect_left(view.starts, pos + len(s))
            out.append(view.text[a:b].strip() or s)
        else:
            unmapped[len(out)] = s
            out.append(s)
    n = min(len(view.text), 20_000)
    if unmapped and n:
        pairs = _pairs(text, view, n, set("".join(unmapped.values())))
        for k, s in unmapped.items():
            out[k] = "".join(pairs.get(ch, ch) for ch in s)
    return out


def _pairs(text: str, view: TextView, n: int, wanted: set[str]) -> dict[str, str]:
    """For each wanted character, the view character at its first one-to-one position among the first
    ``n`` view characters where the view changed it."""
    vt, starts, ends = view.text, view.starts, view.ends
    if starts[:n] == normalize.offsets(0, n) and ends[:n] == normalize.offsets(1, n + 1) \
            and normalize.fold(text[:n]) == vt[:n]:
        # The common case, decided by comparing whole strings: here the view is the source, folded. So a
        # character is changed exactly where it occurs if it is foldable, and never otherwise.
        src = text[:n]
        return {ch: normalize.FOLD[ch] for ch in wanted if ch in normalize.FOLD and ch in src}
    # The source character of every view character (one C-level gather), then, for each wanted
    # character, its first view position that maps one-to-one onto a different character.
    src = "".join(itemgetter(*starts[:n])(text)) if n > 1 else text[starts[0]]
    pairs: dict[str, str] = {}
    for ch in wanted:
        i = src.find(ch)
        while i >= 0:
            if vt[i] != ch and ends[i] - starts[i] == 1:
                pairs[ch] = vt[i]
                break
            i = src.find(ch, i + 1)
    return pairs


def _clean_title(s: str | None) -> str | None:
    if not s:
        return None
    parts = [p.strip() for p in _TITLE_PARTS.split(s) if p.strip()]
    hit = [p for p in parts if "报告" in p or "報告" in p]
    return (hit or parts or [None])[0]


def report_title(view: TextView, head_end: int, given_v: str | None) -> str | None:
    """The report title in simplified script: the page title (``given_v``, as the view reads it) when it
    names a report, else a title line."""
    if given_v and _TITLE_LINE.search(given_v):
        return given_v
    lines = [ln.strip() for ln in view.text[:head_end].split("\n")]
    for k, ln in enumerate(lines[:40]):
        if 6 <= len(ln) <= 80 and _TITLE_LINE.search(ln) and not _NOT_TITLE.search(ln) and "|" not in ln:
            prev = lines[k - 1] if k else ""
            if prev and len(prev) <= 20 and not _DIGIT.search(ln[:4]) and not _NOT_TITLE.search(prev) \
                    and regions.find_names(prev):
                return prev + ln  # a title split over two lines: 平潭综合实验区 / 2013年…年度报告
            return ln
    return given_v


def data_year(title: str | None, head: str, publish_date: str | None) -> int | None:
    """Statistics year: 统计期限 > ``YYYY年度`` in the title > ``YYYY年度…报告`` in the preamble >
    a year in the title > a sentence opening "YYYY年," > publication year − 1.

    >>> data_year("2025年某区政府信息公开工作年度报告", "本报告为2024年度报告。", None)
    2024
    """
    ok = lambda y: 2007 <= y <= 2035  # noqa: E731
    for rx, src in ((_PERIOD, head), (_TITLE_YEAR_NIANDU, title or ""), (_YEAR_OF_REPORT, head),
                    (_TITLE_YEAR, title or ""), (_OPENING_YEAR, head)):
        for m in rx.finditer(src):
            if ok(int(m.group(1))):
                return int(m.group(1))
    if publish_date and _YEAR_START.match(publish_date):
        return int(publish_date[:4]) - 1
    return None


def _issuer_from_lines(lines: list[str]) -> str | None:
    for ln in lines:
        ln = ln.strip()
        if _ORG_LINE.match(ln) and not ln.startswith(("来源", "主办", "承办", "发布机构")):
            return ln
    return None


def _org_at(s: str, i: int) -> str | None:
    """A place name at ``s[i:]`` followed by a government or department word (广州市人民政府办公厅)."""
    names = regions.find_names(s[i:i + 40])
    if not names or names[0][0] != 0:
        return None
    end = i + names[0][1]
    while (nxt := regions.find_names(s[end:end + 20])) and nxt[0][0] == 0:
        end += nxt[0][1]  # 南京市鼓楼区…
    tail = _ORG_TAIL.match(s, end)
    return s[i:tail.end()] if tail else None


def find_issuer(title: str | None, head: str, tail: str) -> str | None:
    """The issuing body: the organisation in the title, else one named in the preamble
    ("本报告由X编制", "编制X2018年…报告", "2024年,X坚持…"), else a signature line."""
    org = None
    m = _ORG_IN_TITLE.match(title or "")
    if m and len(m.group("org")) >= 2:
        org = m.group("org").strip("的 ")
    if not org:
        by = _REPORT_BY.search(head)
        org = by.group("org") if by else None
    if not org:
        org = next((o for c in _ORG_CUE.finditer(head) if (o := _org_at(head, c.end()))), None)
    if not org:
        org = _issuer_from_lines(head.split("\n")[:12]) or _issuer_from_lines(tail.split("\n")[::-1][:15])
    if not org:
        return None
    place = regions.resolve(org)
    if place and place.end == len(org):  # the title names only a place: its government issued it
        return org + ("管委会" if _ZONE.search(org) else "人民政府")
    if place and org[place.end:] == "政府":
        return org[: place.end] + "人民政府"
    return org


def extract_metadata(text: str, view: TextView, sections: tuple[Section, ...], *, title: str | None,
                     breadcrumb: str | None, publish_date: str | None, url: str | None) -> Metadata:
    """Title, region, admin level, scope, data year, era and issuer of one report (see module doc)."""
    pre = next((s for s in sections if s.section_id == "preamble"), None)
    body = next((s for s in sections if s.section_id != "preamble"), None)
    head_src = (body.start + 1500) if body else 3000
    head_end = bisect.bisect_left(view.starts, head_src)
    pre_end = bisect.bisect_left(view.starts, pre.end) if pre else min(len(view.text), 1500)
    # A page without headings is all preamble: look for title and issuer only near the top, so the
    # cost does not grow with the page (a 5 MB page took 23 s in find_issuer before this cap).
    pre_end = min(pre_end, head_end)
    head = view.text[:head_end]
    tail = view.text[-1500:]
    given_v, crumb = _in_view(text, view, _clean_title(title), breadcrumb)
    the_title = report_title(view, max(pre_end, min(head_end, 600)), _clean_title(given_v))
    year = data_year(the_title, head, publish_date)
    issuer = find_issuer(the_title, view.text[:pre_end] if pre else head[:600], tail)
    url_text = unquote(urlsplit(url).path) if url else None
    place = regions.resolve(issuer, the_title, crumb, url_text, year=year)

    department = town = None
    if place and issuer and place.source_index == 0:
        rest = issuer[place.end:]
        if (tm := _TOWN.match(rest)):
            town = tm.group("town")
        elif not _GOV_REST.match(rest):
            department = rest
    if not place and issuer:
        if (tm := _TOWN.match(issuer)):
            town = tm.group("town")
        elif not _GOV_REST.match(issuer) and _ORG_END.search(issuer) and not issuer.endswith("政府"):
            department = issuer
    level: AdminLevel = ("department" if department else "town" if town else place.level if place else "unknown")
    region = Region(name=town or place.name, province=place.province, prefecture=place.prefecture,
                    county=place.county, adcode=place.code, department=department) if place else None

    scope: Scope = "unknown"
    if department:
        scope = "agency_only"
    elif place or issuer:
        scope = "jurisdiction_total" if _AGGREGATE.search(head) else "government_level"
    return Metadata(title=the_title, region=region, admin_level=level, scope=scope, data_year=year,
                    era=era_of(year), issuer=issuer, publish_date=publish_date, url=url)
