"""Portal boilerplate inside the content container: breadcrumb, byline, share and print widgets.

Patterns cover simplified and traditional script, and tolerate pinyin glued in by mirrors
(``關(guān)聯(lián)稿件``). Dates are returned as ISO ``YYYY-MM-DD``.
"""

from __future__ import annotations

import re

# Pinyin glosses glued after Han characters; removed only to *recognise* boilerplate lines.
_GLOSS = re.compile(r"[(（][a-zü\u00e0-\u024f\u0300-\u036f]{1,7}[)）]")

_BREADCRUMB = re.compile(
    r"^(?:您?(?:当前|當前|现在|現在|目前)?(?:的|所在)?(?:位置|所在位置)|所在位置|当前位置|當前位置)\s*[:：>＞]?\s*(.*)$")
# Byline / portal metadata keys: a short line that starts with one of them and a colon.
_META_WORDS = (
    "信息来源", "信息來源", "資訊來源", "文章来源", "文章來源", "来源", "來源", "撰稿人?", "撰稿", "校对", "校對", "审核", "審核",
    "一审", "二审", "三审", "一審", "二審", "三審", "责任编辑", "責任編輯", "编辑", "編輯", "作者", "发布者", "發布者",
    "发布机构", "發布機構", "发布时间", "發布時間", "发布日期", "發布日期", "发文日期", "時間", "时间", "日期", "浏览次数",
    "瀏覽次數", "浏览量", "瀏覽量", "点击数", "點擊數", "点击量", "點擊量", "访问量", "訪問量", "阅读次数", "閱讀次數", "阅读量",
    "閱讀量", "字号", "字號", "字体", "字體", "关联稿件", "關聯稿件", "相关链接", "相關鏈接", "相关稿件", "相關稿件")
_META_KEY = re.compile(r"^(?:【)?(?:" + "|".join(_META_WORDS) + r")\s*[:：]")
# Widgets: the whole line is one of these (possibly several, with brackets).
_WIDGET_WORDS = (
    "扫一扫在手机打开当前页", "掃一掃在手機打開當前頁", "扫一扫", "掃一掃", r"分享到\S*", "分享", "打印本页", "打印本頁", "打印",
    "关闭窗口", "關閉窗口", "关闭", "關閉", "返回顶部", "返回頂部", "收藏", r"字体[:：]?\s*大\s*中\s*小",
    r"字體[:：]?\s*大\s*中\s*小", r"大\s*中\s*小", "大", "中", "小", "保存", "下载", "下載", "微信", "微博", "QQ空间", "QQ空間")
_WIDGET = re.compile(r"^(?:[【\[]?\s*(?:" + "|".join(_WIDGET_WORDS) + r")\s*[】\]]?\s*[|｜/]?\s*)+$")
# The characters a key can start with to match: an opening bracket or a word's first character (each
# word starts with a plain character). Testing it first spares key() on the long lines of the report.
_WIDGET_FIRST = frozenset("【[" + "".join(w[0] for w in _WIDGET_WORDS))
_BYLINE_FIRST = _WIDGET_FIRST | frozenset("【" + "".join(w[0] for w in _META_WORDS))
_PUNCT_ONLY = re.compile(r"^[-—_=~*·•.。|｜\s]+$")
DATE = re.compile(r"((?:19|20)\d{2})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})")
#: Labels of a page's date line (the content byline and the page header share them).
DATE_LABEL_WORDS = ("发布时间", "發布時間", "发布日期", "發布日期", "发文日期", "成文日期", "时间", "時間", "日期")
DATE_LABELS = "(?:" + "|".join(DATE_LABEL_WORDS) + ")"
_DATE_LINE = re.compile(DATE_LABELS + r"\s*[:：]\s*")


def key(line: str) -> str:
    """The line with glued pinyin glosses and all white space removed (for pattern tests).

    >>> key("關(guān)聯(lián)稿件: ")
    '關聯稿件:'
    """
    if "(" in line or "（" in line:
        line = _GLOSS.sub("", line)
    # All Unicode white space (U+00A0 and U+3000 included) goes: what str.split() separates at.
    return "".join(line.split())


def breadcrumb_of(line: str) -> str | None:
    """The trail of a breadcrumb line, or None.

    >>> breadcrumb_of("您當前的位置: 首頁>政府信息公開")
    '首頁>政府信息公開'
    >>> breadcrumb_of("一、概述") is None
    True
    """
    if "位" not in line:  # every breadcrumb label ends with 位置; key() only removes characters
        return None
    k = key(line)
    if len(k) > 200:
        return None
    m = _BREADCRUMB.match(k)
    if m is None:
        return None
    stripped = line.strip()
    colon = re.search(r"[:：]", stripped)
    trail = stripped[colon.end():].strip() if colon and colon.start() < 12 else m.group(1)
    return trail


def _may_start(line: str, first: frozenset[str]) -> bool:
    """Whether ``key(line)`` may start with one of ``first``. key() removes white space and glosses, so
    its first character is the line's first non-space one, unless a gloss (opening with a bracket)
    starts there; a blank line gives True (its key is empty)."""
    head = line.lstrip()[:1]
    return head in first or head in ("", "(", "（")


def is_boilerplate(line: str) -> bool:
    """True for byline, share and print lines (short lines only).

    >>> [is_boilerplate(s) for s in ("來源:牡丹江市人民政府", "撰稿:", "掃一掃在手機打開當前頁", "一、概述")]
    [True, True, True, False]
    """
    if not _may_start(line, _BYLINE_FIRST):
        return False
    k = key(line)
    if not k:
        return True
    if len(k) > 80:
        return False
    return bool(_META_KEY.match(k) or _WIDGET.match(k))


def is_widget(line: str) -> bool:
    """True for share / print / QR-code widget lines (dropped anywhere in the content)."""
    if not _may_start(line, _WIDGET_FIRST):
        return False
    k = key(line)
    return len(k) <= 40 and bool(_WIDGET.match(k))


def is_trivial(line: str) -> bool:
    """Lines with only dashes or separators (left between widgets)."""
    return bool(_PUNCT_ONLY.match(line))


def iso_date(text: str) -> str | None:
    """The first plausible date in ``text`` as ISO ``YYYY-MM-DD``.

    >>> iso_date("发布时间：2014-3-5 10:00")
    '2014-03-05'
    """
    for m in DATE.finditer(text):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def date_in_line(line: str) -> str | None:
    """A publication date stated in a byline such as ``发布时间：2014-03-05``."""
    m = _DATE_LINE.search(line)
    return iso_date(line[m.end():m.end() + 40]) if m else None
