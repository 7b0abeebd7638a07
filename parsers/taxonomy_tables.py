"""Taxonomy entries for the cells of the 2019/2021 standard Tables 2, 3 and 4 (domain-spec §B, §C.1, §C.3, §C.5).

Labels are the national templates' printed words (国办公开办函〔2019〕60号, 〔2021〕30号), joined with "·"
from the outside in: block row, then column (Table 2); group, then row (Table 3); block, then column (Table 4).
Enumerators (（三）, 1.) are left out. Each entry is a ``Spec`` tuple, the format of ``taxonomy._SPECS``.

>>> next(s for s in TABLE_SPECS if s[0] == "proactive.rules.in_force")[1]
'规章·现行有效件数'
"""

from __future__ import annotations

from typing import Literal

MetricKind = Literal["count", "percent", "rate", "amount"]
ALL_ERAS = ("E2008", "E2014", "E2019", "E2021")
PRE2019 = ("E2008", "E2014")
POST2019 = ("E2019", "E2021")
E2014_ON = ("E2014", "E2019", "E2021")

#: (id pattern, Chinese label(s), unit, kind, eras, definition, caveats); see ``taxonomy._SPECS``.
Spec = tuple[str, str, str, MetricKind, tuple[str, ...], str, str]

# --- Table 2 (主动公开): row stem -> (2019 row label, 2021 row label, English noun, row caveat) -------------
_T2_ROWS: dict[str, tuple[str, str, str, str]] = {
    "rules": ("规章", "规章", "rules (规章)",
              "Only governments with rule-making power (设区的市、自治州人民政府 and above) fill this row."),
    "normative_docs": ("规范性文件", "行政规范性文件", "normative documents", ""),
    "licensing": ("行政许可", "行政许可", "administrative licensing", ""),
    "other_mgmt_services": ("其他对外管理服务事项", "其他对外管理服务事项", "other external management services",
                            "Row dropped by the 2021 template; kept by some local 2021 tables."),
    "penalty": ("行政处罚", "行政处罚", "administrative penalty", ""),
    "coercion": ("行政强制", "行政强制", "administrative coercion", ""),
    "admin_fees": ("行政事业性收费", "行政事业性收费", "administrative fee", ""),
    "procurement": ("政府集中采购", "政府集中采购", "centralized government procurement", ""),
}
_OFFICE = "Some units count 办件量 (cases handled), not decisions (e.g. 处理决定数量(指2020年办件量))."
# column key -> (column label, unit, kind, eras, definition with {noun}, column caveat)
_T2_COLS: dict[str, tuple[str, str, MetricKind, tuple[str, ...], str, str]] = {
    "newly_made": ("本年新制作数量", "件", "count", ("E2019",), "Number of {noun} newly made in the year.",
                   "Close to, but not the same as, issued (E2021)."),
    "newly_published": ("本年新公开数量", "件", "count", ("E2019",), "Number of {noun} newly published in the year.",
                        "No 2021 counterpart."),
    "published_stock": ("对外公开总数量", "件", "count", ("E2019",), "Cumulative number of {noun} published to date.",
                        "A cumulative published stock: 对外公开总数量 is not 现行有效件数 (in_force); never compare "
                        "the two across the 2019/2021 templates."),
    "issued": ("本年制发件数", "件", "count", ("E2021",), "Number of {noun} issued in the year.",
               "Close to, but not the same as, newly_made (E2019)."),
    "repealed": ("本年废止件数", "件", "count", ("E2021",), "Number of {noun} repealed in the year.",
                 "New in 2021: no 2019 counterpart."),
    "in_force": ("现行有效件数", "件", "count", ("E2021",), "Number of {noun} in force at the end of the year.",
                 "The stock in force: 现行有效件数 is not 对外公开总数量 (published_stock)."),
    "items_prev_year": ("上一年项目数量", "项", "count", ("E2019",),
                        "Number of {noun} items (项目) listed at the end of the previous year.", ""),
    "items_change": ("本年增/减", "项", "count", ("E2019",), "Net change in the number of {noun} items in the year.",
                     "Signed: a decrease is negative (减用负值表示, e.g. -8); +1036 is printed with its sign."),
    "decisions": ("（本年）处理决定数量", "件", "count", POST2019, "Number of {noun} decisions made in the year.",
                  "Printed 处理决定数量 (2019) and 本年处理决定数量 (2021); the unit is rarely printed."),
    "projects": ("采购项目数量", "个", "count", ("E2019",), "Number of {noun} projects.",
                 "Removed by the 2021 template."),
    "amount_yuan": ("采购总金额", "元", "amount", ("E2019",), "Total amount of {noun}, in yuan.",
                    "Removed by the 2021 template. The cell unit varies (元 or 万元, sometimes printed in the cell); "
                    "stored in yuan."),
}
_DOCS = ("newly_made", "newly_published", "published_stock", "issued", "repealed", "in_force")
_ITEMS = ("items_prev_year", "items_change")
#: Every (row, column) pair the two templates print (other_mgmt_services.decisions: 2019 and local 2021 copies).
_T2_CELLS: dict[str, tuple[str, ...]] = {
    "rules": _DOCS, "normative_docs": _DOCS, "licensing": (*_ITEMS, "decisions"),
    "other_mgmt_services": (*_ITEMS, "decisions"), "penalty": (*_ITEMS, "decisions"),
    "coercion": (*_ITEMS, "decisions"), "admin_fees": _ITEMS, "procurement": ("projects", "amount_yuan"),
}


def _t2_spec(stem: str, col: str) -> Spec:
    label19, label21, noun, row_caveat = _T2_ROWS[stem]
    col_label, unit, kind, eras, definition, col_caveat = _T2_COLS[col]
    if stem == "other_mgmt_services":
        eras = ("E2019",)
    row_label = label21 if eras == ("E2021",) else label19
    caveats = " ".join(c for c in (col_caveat, row_caveat, _OFFICE if col == "decisions" and stem in
                                   ("licensing", "other_mgmt_services") else "") if c)
    return (f"proactive.{stem}.{col}", f"{row_label}·{col_label}", unit, kind, eras,
            definition.format(noun=noun), caveats)


_T2_SPECS: tuple[Spec, ...] = (
    *(_t2_spec(stem, col) for stem, cols in _T2_CELLS.items() for col in cols),
    ("proactive.admin_fees.amount_yuan", "行政事业性收费·本年收费金额（单位：万元）", "元", "amount", ("E2021",),
     "Administrative fees levied by the agency in the year, in yuan.",
     "Not OGI request fees (fees.ogi.*). The 2021 table prints 万元: stored in yuan (x 10,000)."),
)

# --- Table 3 (收到和处理申请): sub-rows of the outcome groups ------------------------------------------------
_T3 = "Table 3 row: one value per applicant column (自然人, five 法人或其他组织 columns, 总计)."
_W, _U, _N, _O = ("requests.outcome.withheld.", "requests.outcome.unable.", "requests.outcome.not_processed.",
                  "requests.outcome.other.")
_T3_SPECS: tuple[Spec, ...] = (
    (_W + "state_secret", "不予公开·属于国家秘密", "件", "count", ALL_ERAS,
     "Requests refused because the information is a state secret.", "Pre-2019: 涉及国家秘密. " + _T3),
    (_W + "prohibited_by_law", "不予公开·其他法律行政法规禁止公开", "件", "count", POST2019,
     "Requests refused because another law or administrative regulation forbids disclosure.", _T3),
    (_W + "security_stability", "不予公开·危及“三安全一稳定”", "件", "count", ALL_ERAS,
     "Requests refused because disclosure would endanger national, public or economic security or social "
     "stability.", "Pre-2019: 危及国家安全、公共安全、经济安全和社会稳定. " + _T3),
    (_W + "third_party_rights", "不予公开·保护第三方合法权益", "件", "count", POST2019,
     "Requests refused to protect the lawful rights of a third party.",
     "Pre-2019 商业秘密/个人隐私 are not mapped here. " + _T3),
    (_W + "internal_affairs", "不予公开·属于三类内部事务信息", "件", "count", POST2019,
     "Requests refused because the information is internal affairs (personnel, logistics, internal procedures).", _T3),
    (_W + "process_info", "不予公开·属于四类过程性信息", "件", "count", POST2019,
     "Requests refused because the information is process information (discussions, drafts, consultations, "
     "reviews).", _T3),
    (_W + "enforcement_file", "不予公开·属于行政执法案卷", "件", "count", POST2019,
     "Requests refused because the information is part of an administrative enforcement file.", _T3),
    (_W + "admin_inquiry", "不予公开·属于行政查询事项", "件", "count", POST2019,
     "Requests refused because they are administrative inquiries handled by other procedures.", _T3),
    (_U + "not_held", "无法提供·本机关不掌握相关政府信息", "件", "count", ALL_ERAS,
     "Requests that could not be met because the agency does not hold the information.",
     "Pre-2019: 非本部门掌握 / 不属于本行政机关公开 (approximate). " + _T3),
    (_U + "needs_creation", "无法提供·没有现成信息需要另行制作", "件", "count", POST2019,
     "Requests that could not be met because no ready information exists and it would have to be created.", _T3),
    (_U + "unclear_after_correction", "无法提供·补正后申请内容仍不明确", "件", "count", POST2019,
     "Requests that could not be met because they stayed unclear after a correction request.", _T3),
    (_N + "petition_complaint", "不予处理·信访举报投诉类申请", "件", "count", POST2019,
     "Requests not processed because they are petitions, reports or complaints.", _T3),
    (_N + "duplicate", "不予处理·重复申请", "件", "count", ALL_ERAS,
     "Requests not processed because they repeat an earlier request.",
     "Also in some E2008 local tables (Pudong 重复申请数). " + _T3),
    (_N + "publication", "不予处理·要求提供公开出版物", "件", "count", POST2019,
     "Requests not processed because they ask for a public publication.", _T3),
    (_N + "mass_repetitive", "不予处理·无正当理由大量反复申请", "件", "count", POST2019,
     "Requests not processed because they are numerous repeated requests without good reason.", _T3),
    (_N + "confirm_or_reissue", "不予处理·要求行政机关确认或重新出具已获取信息", "件", "count", POST2019,
     "Requests not processed because they ask the agency to confirm or reissue information already obtained.", _T3),
    (_O + "overdue_correction",
     "其他处理·申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "件", "count", ("E2021",),
     "Requests no longer handled because the applicant did not correct them in time without good reason.", _T3),
    (_O + "overdue_fee", "其他处理·申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "件",
     "count", ("E2021",), "Requests no longer handled because the applicant did not pay the notified fee in time.",
     "Reflects the 信息处理费 regime (国办函〔2020〕109号). " + _T3),
    (_O + "other", "其他处理·其他", "件", "count", ("E2021",), "Requests handled otherwise, for other reasons.", _T3),
)

# --- Table 4 (行政复议、行政诉讼) ----------------------------------------------------------------------------
_T4_COLS = (("upheld", "结果维持", "Cases concluded with the agency's act upheld"),
            ("corrected", "结果纠正", "Cases concluded with the agency's act corrected"),
            ("other", "其他结果", "Cases concluded with another result"),
            ("pending", "尚未审结", "Cases not yet concluded at the end of the year"),
            ("total", "总计", "All cases"))
_T4_BLOCKS = (("litigation.direct", "行政诉讼·未经复议直接起诉", "lawsuits filed directly, without prior review"),
              ("litigation.after_review", "行政诉讼·复议后起诉", "lawsuits filed after an administrative review"))
_T4_NOTE = "Table 4 cell. Check: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结."
#: The E2014 统计表 rows (§B.5 b, [R]) that map to review.* and litigation.* (upheld, corrected, other).
_E2014_REVIEW = {"upheld": "维持具体行政行为数", "corrected": "被依法纠错数", "other": "其他情形数"}
_E2014_SUIT = {**_E2014_REVIEW, "upheld": "维持具体行政行为或者驳回原告诉讼请求数"}
_T4_SPECS: tuple[Spec, ...] = (
    *((f"review.{key}", f"行政复议·{label}", "件", "count", POST2019 if key == "pending" else E2014_ON,
       f"{text} (administrative reviews about OGI).",
       _T4_NOTE + (f" E2014 table: {_E2014_REVIEW[key]}." if key in _E2014_REVIEW else ""))
      for key, label, text in _T4_COLS if key != "total"),
    *((f"{stem}.{key}", f"{block}·{label}", "件", "count", POST2019, f"{text} ({noun}).", _T4_NOTE)
      for stem, block, noun in _T4_BLOCKS for key, label, text in _T4_COLS),
    *((f"litigation.{key}", f"行政诉讼·{label}", "件", "count", POST2019 if key == "pending" else E2014_ON,
       f"{text} (lawsuits about OGI, direct and after review).",
       "From 2019 not printed: the sum of direct and after_review (used by litigation.rate.corrected)."
       + (f" E2014 table: {_E2014_SUIT[key]}." if key in _E2014_SUIT else ""))
      for key, label, text in _T4_COLS if key != "total"),
)

#: Every Table 2, 3 and 4 entry.
TABLE_SPECS: tuple[Spec, ...] = (*_T2_SPECS, *_T3_SPECS, *_T4_SPECS)
