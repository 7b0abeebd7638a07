"""The labels of the 2019 (trial) and 2021 (revised) standard tables, as data (domain-spec §B, §C).

Labels are matched on a *normalized* label (see :func:`norm_label`): simplified script, glued pinyin
removed, white space removed, full-width brackets folded. Row patterns name the phenomenon (the words
every template and its local copies share), never one report's wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Literal

TableId = Literal["T2", "T3", "T4"]
T2Era = Literal["2019", "2021"]

# Glued pinyin readings in traditional mirrors: 主動(dòng), 政(zheng)(zheng)府.
_PINYIN_LETTERS = "a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
_PINYIN = re.compile(f"[(（][{_PINYIN_LETTERS}]{{1,8}}[)）]")
# Fallback traditional→simplified map for the characters of the table labels, used only when the
# normalized view still holds traditional script (the view is the primary normalizer).
_TRAD = dict(zip(
    "開請數轉結辦處屬國機關現發廢規範項許罰強費業採購總額訟訴複復議審維糾製門條務資權護險穩執詢補確認獲"
    "應產報訪舉類級無當單萬與內證網組織會體構學術統計決據來況並個條設區屬掌沒構齊責準處記錄錶表則對營從"
    "費繳納書撤銷變裡這經後為於費實際動態",
    "开请数转结办处属国机关现发废规范项许罚强费业采购总额讼诉复复议审维纠制门条务资权护险稳执询补确认获"
    "应产报访举类级无当单万与内证网组织会体构学术统计决据来况并个条设区属掌没构齐责准处记录表表则对营从"
    "费缴纳书撤销变里这经后为于费实际动态",
))
_FOLD = {"（": "(", "）": ")", "．": ".", "，": ",", "：": ":", "／": "/", "－": "-", "＋": "+", "“": "\"", "”": "\"",
         "＂": "\""}
#: Every character :func:`norm_label` rewrites (traditional forms, full-width signs, zero-width spaces) →
#: its replacement. Most labels (read from the normalized view) hold none of them, and str.translate
#: costs per character, so only the characters found are replaced.
_REWRITE = {**_TRAD, **_FOLD, "\u200b": "", "\ufeff": ""}
_REWRITABLE = re.compile("[" + re.escape("".join(_REWRITE)) + "]")


def _rewrite(m: re.Match[str]) -> str:
    return _REWRITE[m[0]]


def norm_label(text: str) -> str:
    """The matching form of a printed label.

    >>> norm_label("主動(dòng)公開 （一）予以公開")
    '主动公开(一)予以公开'
    """
    if "(" in text or "（" in text:  # glued pinyin is bracketed
        text = _PINYIN.sub("", text)
    text = "".join(text.split())  # str.split's white space is re's \s
    return _REWRITABLE.sub(_rewrite, text)


# --- Table 2 (主动公开) --------------------------------------------------------------------------

#: 第二十条第（X）项 block header → block key.
T2_BLOCK = re.compile(r"第?二十条第?\(?([一五六八九])\)?")


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # metric suffix
    label: str  # the template's printed label
    unit: str  # canonical unit of the cell ("元" for money)
    money: bool = False
    signed: bool = False  # a change column: signs are expected


_C19_DOCS = (Column("newly_made", "本年新制作数量", "件"), Column("newly_published", "本年新公开数量", "件"),
             Column("published_stock", "对外公开总数量", "件"))
_C19_ITEMS = (Column("items_prev_year", "上一年项目数量", "项"), Column("items_change", "本年增/减", "项", signed=True))
_C19_DECIDE = (*_C19_ITEMS, Column("decisions", "处理决定数量", "件"))
_C19_PROC = (Column("projects", "采购项目数量", "个"), Column("amount_yuan", "采购总金额", "元", money=True))
_C21_DOCS = (Column("issued", "本年制发件数", "件"), Column("repealed", "本年废止件数", "件"),
             Column("in_force", "现行有效件数", "件"))
_C21_DECIDE = (Column("decisions", "本年处理决定数量", "件"),)
_C21_FEES = (Column("amount_yuan", "本年收费金额（单位：万元）", "元", money=True),)

#: (era, block) → the block's value columns, in printed order.
T2_COLUMNS: dict[tuple[T2Era, str], tuple[Column, ...]] = {
    ("2019", "一"): _C19_DOCS, ("2019", "五"): _C19_DECIDE, ("2019", "六"): _C19_DECIDE,
    ("2019", "八"): _C19_ITEMS, ("2019", "九"): _C19_PROC,
    ("2021", "一"): _C21_DOCS, ("2021", "五"): _C21_DECIDE, ("2021", "六"): _C21_DECIDE,
    ("2021", "八"): _C21_FEES,
}

#: Table 2 data rows: (metric stem, block, pattern on the normalized label).
T2_ROWS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("rules", "一", re.compile(r"^规章")),
    ("normative_docs", "一", re.compile(r"^(?:行政)?规范性文件")),
    ("licensing", "五", re.compile(r"^行政许可")),
    ("other_mgmt_services", "五", re.compile(r"^其他对外管理服务")),
    ("penalty", "六", re.compile(r"^行政处罚")),
    ("coercion", "六", re.compile(r"^行政强制")),
    ("admin_fees", "八", re.compile(r"^行政事业性收费")),
    ("procurement", "九", re.compile(r"^(?:政府)?集中采购")),
)
#: Any of the row patterns: one search rules out the many labels that are no Table 2 row.
_T2_ANY = re.compile("|".join(f"(?:{p.pattern})" for _, _, p in T2_ROWS))
_ERA21 = re.compile(r"制发|废止|现行有效|收费金额|本年处理决定")
_ERA19 = re.compile(r"新制作|新公开|对外公开总|上一年项目|本年增|采购项目|采购总金额")
#: The header cell that starts a Table 2 column-header row.
T2_HEADER = re.compile(r"^信息内容")


def t2_header_era(labels: list[str]) -> T2Era | None:
    """The template a Table 2 column-header row follows, from its (normalized) labels.

    >>> t2_header_era(["信息内容", "本年制发件数"]), t2_header_era(["本年新", "本年增/"])
    ('2021', '2019')
    """
    joined = "|".join(labels)
    if _ERA21.search(joined):
        return "2021"
    if _ERA19.search(joined):
        return "2019"
    return None


def match_t2_row(label: str) -> tuple[str, str] | None:
    """(metric stem, block) of a Table 2 row label, or None.

    >>> match_t2_row("规章(设区的市、自治州人民政府应提供相关数据)")
    ('rules', '一')
    """
    if _T2_ANY.search(label) is None:
        return None
    for stem, block, pattern in T2_ROWS:
        if pattern.search(label):
            return stem, block
    return None


# --- Table 3 (收到和处理申请) ------------------------------------------------------------------

_ENUM = r"^(?:[一二三四五六七八九十]+[、.]|\(?[一二三四五六七八九十]+\)|\d+[.、]?)?"
#: Data rows in template order: (metric, pattern). Group labels (三、本年度办理结果, （三）不予公开,
#: （四）无法提供, （五）不予处理, 2021's （六）其他处理) carry no values and are not listed as rows.
T3_ROWS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("requests.received.total", re.compile(r"本年新收")),
    ("requests.carried_over_in", re.compile(r"上年结转|上年度结转")),
    ("requests.outcome.disclosed", re.compile(_ENUM + r"予以公开")),
    ("requests.outcome.partially_disclosed", re.compile(_ENUM + r"部分公开")),
    ("requests.outcome.withheld.state_secret", re.compile(r"国家秘密")),
    ("requests.outcome.withheld.prohibited_by_law", re.compile(r"禁止公开")),
    ("requests.outcome.withheld.security_stability", re.compile(r"三安全一稳定|危及")),
    ("requests.outcome.withheld.third_party_rights", re.compile(r"第三方")),
    ("requests.outcome.withheld.internal_affairs", re.compile(r"内部事务")),
    ("requests.outcome.withheld.process_info", re.compile(r"过程性")),
    ("requests.outcome.withheld.enforcement_file", re.compile(r"执法案卷")),
    ("requests.outcome.withheld.admin_inquiry", re.compile(r"行政查询")),
    ("requests.outcome.unable.not_held", re.compile(r"不掌握")),
    ("requests.outcome.unable.needs_creation", re.compile(r"另行制作")),
    ("requests.outcome.unable.unclear_after_correction", re.compile(r"补正后|仍不明确")),
    ("requests.outcome.not_processed.petition_complaint", re.compile(r"信访|举报投诉")),
    ("requests.outcome.not_processed.duplicate", re.compile(r"重复申请")),
    ("requests.outcome.not_processed.publication", re.compile(r"出版物")),
    ("requests.outcome.not_processed.mass_repetitive", re.compile(r"大量反复")),
    ("requests.outcome.not_processed.confirm_or_reissue", re.compile(r"重新出具|确认或")),
    ("requests.outcome.other.overdue_correction", re.compile(r"不补正")),
    ("requests.outcome.other.overdue_fee", re.compile(r"缴纳费用|收费通知|缴费")),
    ("requests.outcome.other.other", re.compile(r"^(?:\d+|[一二三四])[.、]?其他$")),
    ("requests.outcome.other.total", re.compile(_ENUM + r"其他处理$")),
    ("requests.outcome.total", re.compile(r"^(?:\(?七\)?[、.]?|七[、.])总计$")),
    ("requests.carried_forward", re.compile(r"结转下年|结转下一年")),
)
#: Any of the row patterns: one search rules out a label that is no Table 3 row.
_T3_ANY = re.compile("|".join(f"(?:{p.pattern})" for _, p in T3_ROWS))


def _word_tests(metric: str, pattern: re.Pattern[str]) -> list[tuple[str, str | None, re.Pattern[str]]]:
    """A row pattern as (metric, word, pattern) tests: one per word when the pattern is a plain alternation
    of words (a substring test costs far less than a search), else one that searches."""
    words = pattern.pattern.split("|")
    if all(re.escape(w) == w for w in words):
        return [(metric, w, pattern) for w in words]
    return [(metric, None, pattern)]


#: T3_ROWS as tests in the same order: the first test that passes names the row.
_T3_TESTS = tuple(t for metric, pattern in T3_ROWS for t in _word_tests(metric, pattern))
T3_ROWS_2019 = tuple(m for m, _ in T3_ROWS if m.split(".")[2:3] != ["other"] or m.endswith("other.total"))
T3_ROWS_2021 = tuple(m for m, _ in T3_ROWS if m != "requests.outcome.other.total")
#: Rows whose sum is 办理结果（七）总计, per version.
T3_OUTCOME_PARTS_2019 = tuple(m for m in T3_ROWS_2019 if m.startswith("requests.outcome.") and m != "requests.outcome.total")
T3_OUTCOME_PARTS_2021 = tuple(m for m in T3_ROWS_2021 if m.startswith("requests.outcome.") and m != "requests.outcome.total")

#: Applicant columns in printed order: (applicant id, template label, pattern on a header label).
T3_COLUMNS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("natural_person", "自然人", re.compile(r"^自然人$")),
    ("commercial_enterprise", "商业企业", re.compile(r"^商业企业$")),
    ("research_institution", "科研机构", re.compile(r"^科研机构$")),
    ("social_welfare_org", "社会公益组织", re.compile(r"^社会公益")),
    ("legal_service_org", "法律服务机构", re.compile(r"^法律服务")),
    ("other_org", "其他", re.compile(r"^其他(?:组织)?$")),
    ("total", "总计", re.compile(r"^总计$")),
)
#: Any of the column patterns: after Table 3, its state lasts over the prose that follows, whose every
#: label is tried as a column header; one search rules most of them out.
_T3_COLUMN_ANY = re.compile("|".join(f"(?:{p.pattern})" for _, _, p in T3_COLUMNS))
#: Labels that announce Table 3 (its corner note, its column group header).
T3_ANCHOR = re.compile(r"申请人情况|勾稽关系|^法人或其他组织$")


def match_t3_row(label: str) -> str | None:
    """The metric of a Table 3 row label, or None (group labels and headers give None).

    >>> match_t3_row("1.属于国家秘密"), match_t3_row("（七）总计"), match_t3_row("总计")
    ('requests.outcome.withheld.state_secret', 'requests.outcome.total', None)
    """
    label = norm_label(label)
    if _T3_ANY.search(label) is None:
        return None
    for metric, word, pattern in _T3_TESTS:
        if word is not None:
            if word in label:
                return metric
        elif pattern.search(label):
            return metric
    return None


def match_t3_column(label: str) -> str | None:
    """The applicant id of a Table 3 column header, or None.

    >>> match_t3_column("商业 企业")
    'commercial_enterprise'
    """
    label = norm_label(label)
    if _T3_COLUMN_ANY.search(label) is None:
        return None
    for applicant, _, pattern in T3_COLUMNS:
        if pattern.search(label):
            return applicant
    return None


# --- Table 4 (行政复议、行政诉讼) --------------------------------------------------------------

T4_PARTS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"), ("total", "总计"),
)
#: The three blocks in printed order: (metric stem, printed row label).
T4_BLOCKS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"), ("litigation.direct", "行政诉讼 未经复议直接起诉"),
    ("litigation.after_review", "行政诉讼 复议后起诉"),
)
#: Labels that announce Table 4 (its group headers).
T4_ANCHOR = re.compile(r"^行政复议$|^行政诉讼$|未经复议直接起诉|复议后起诉|尚未审结")

#: Words one of which every label that T2_BLOCK, T2_HEADER, T3_ANCHOR, T4_ANCHOR or a 万元 header matches
#: holds (复议 covers 行政复议, 未经复议直接起诉 and 复议后起诉): the reader skips labels without any.
_CUE_WORDS = ("二十条", "信息内容", "申请人情况", "勾稽关系", "法人或其他组织", "复议", "行政诉讼", "尚未审结", "万元")
ANCHOR_CUES = re.compile("|".join(_CUE_WORDS))
#: Words one of which every label that a T3_COLUMNS pattern matches holds.
_COLUMN_WORDS = ("自然人", "商业企业", "科研机构", "社会公益", "法律服务", "其他", "总计")


def raw_words(words: Iterable[str]) -> re.Pattern[str]:
    """A pattern that finds, in text not yet normalized, every place where :func:`norm_label` (applied once
    or more) could make one of the (Chinese) ``words``. norm_label only removes characters (white space,
    zero-width spaces, the brackets and letters of glued pinyin) and rewrites others one for one, so a
    word's characters may each be written in any form rewritten to it and be separated by removable ones.

    >>> p = raw_words(["复议"])
    >>> [p.search(t) is not None for t in ("行政複 (fù)\\n議", "复\\u200b议", "复 核议", "议复")]
    [True, True, False, False]
    """
    forms: dict[str, str] = {}
    for source, target in _REWRITE.items():  # no chains: a rewritten character is not rewritten again
        forms[target] = forms.get(target, target) + source
    gap = f"[\\s\u200b\ufeff()（）{_PINYIN_LETTERS}]*"
    # One alternative per form of the first character: a search scans for the first characters of
    # alternatives that all start with a plain character, and tries the alternatives only there.
    return re.compile("|".join(re.escape(first) + gap + gap.join(f"[{re.escape(forms.get(c, c))}]" for c in w[1:])
                               for w in words for first in forms.get(w[0], w[0])))


#: For a run of labels with no values: only a cue (and, while Table 3 is read, a column header) can make
#: a label count; one search over the run's text rules most runs of prose out.
RAW_CUES = raw_words(_CUE_WORDS)
RAW_CUES_OR_COLUMNS = raw_words(_CUE_WORDS + _COLUMN_WORDS)
