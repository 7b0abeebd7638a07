"""Metric ids (domain-spec §C and §C.9) with Chinese label, canonical unit, kind, eras, definition, caveats.

This table is the source of the codebook. Ids that the spec does not list are marked ``added`` in
their caveats, with the reason (they are few: phrasing families seen in real reports with no §C id).

>>> METRICS["proactive.total"].unit, METRICS["requests.rate.on_time_reported"].kind
('条', 'rate')
>>> family("requests.received.by_channel.online")
'requests'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType

from parsers.taxonomy_tables import ALL_ERAS, POST2019, PRE2019, TABLE_SPECS, MetricKind, Spec

__all__ = ["ALL_ERAS", "DERIVED_SUFFIXES", "FAMILY_TOPIC", "METRICS", "POST2019", "PRE2019", "Metric", "MetricKind",
           "family", "is_known"]


@dataclass(frozen=True, slots=True)
class Metric:
    id: str
    label_zh: str
    unit: str
    kind: MetricKind
    eras: tuple[str, ...]
    definition: str
    caveats: str = ""


# (id pattern with {a,b} alternatives, Chinese labels matching the alternatives ("/"-separated), unit, kind,
#  eras, definition, caveats). The cells of the standard Tables 2-4 are in parsers/taxonomy_tables.py.
_SPECS: tuple[Spec, ...] = (
    ("proactive.total", "主动公开政府信息数", "条", "count", ALL_ERAS,
     "Government information items published proactively in the year.", "累计 may mean since 2008: see is_cumulative."),
    ("proactive.fulltext_digitized", "全文电子化的主动公开信息数", "条", "count", PRE2019,
     "Proactively published items available in full electronic text.", ""),
    ("proactive.rate.fulltext_digitized", "全文电子化率", "%", "rate", PRE2019,
     "Share of proactive items digitized in full text, as reported.", "As printed; not recomputed."),
    ("proactive.rate.disclosure_reported", "主动公开率", "%", "rate", ALL_ERAS,
     "Reported proactive disclosure rate of documents.", "added: §D lists the phrase but §C has no id."),
    ("proactive.by_channel.{website,gazette,weibo,wechat,new_media,press_release,other,catalog}",
     "政府网站/政府公报/政务微博/政务微信/政务新媒体/新闻发布/其他方式/信息公开目录", "条", "count", ALL_ERAS,
     "Proactive items published through one channel.", "catalog is added: items filed in the 公开目录."),
    ("proactive.by_category.{institutional_functions,personnel,plans,statistics,budget_final_accounts,"
     "admin_enforcement,admin_licensing,key_areas,gov_documents,other,policies_regulations,work_updates,notices}",
     "机构职能/人事信息/规划计划/统计信息/财政预决算/行政执法/行政许可/重点领域/政府文件/其他/政策法规/工作动态/通知公告",
     "条", "count", ALL_ERAS, "Proactive items of one content category.",
     "Category names vary; mapped by keyword. notices (通知公告/公示公告) is added."),
    ("proactive.catalog_columns", "政府信息公开目录栏目数", "个", "count", ALL_ERAS, "Columns of the catalogue.", ""),
    ("proactive.content_items", "公开内容项数", "项", "count", ALL_ERAS,
     "Number of content kinds listed as published (…等11项内容).", ""),
    ("proactive.normative_docs.published", "主动公开规范性文件数", "条", "count", PRE2019,
     "Normative documents published proactively.", ""),
    ("response.{hot_issues,press_conferences,online_interviews,policy_interpretations,weibo_wechat,"
     "public_consultations}",
     "回应热点/新闻发布会/在线访谈/政策解读/微博微信回应/征求意见", "次", "count", ALL_ERAS,
     "Interpretation and response activities.", "public_consultations (征求意见/征集调查) is added."),
    ("platform.gazette_issues", "政府公报期数", "期", "count", ALL_ERAS, "Issues of the government gazette.", ""),
    ("platform.{website_visits,new_media_reads}", "网站访问量/阅读量", "次", "count", ALL_ERAS,
     "Website visits, or reads of new-media posts.", "new_media_reads (阅读量) is added. Often printed in 万次/万人次."),
    ("platform.new_media_accounts", "政务新媒体账号数", "个", "count", ALL_ERAS, "Government new-media accounts.", ""),
    ("platform.new_media_posts", "政务新媒体发布信息数", "条", "count", ALL_ERAS, "Posts on government new media.", ""),
    ("platform.new_media_followers", "关注量/粉丝数", "人", "count", ALL_ERAS, "Followers of government new media.",
     "added: 粉丝/关注量 is often reported next to OGI figures."),
    ("platform.website_visits_daily", "日均访问量", "次", "rate", ALL_ERAS, "Average daily visits.",
     "added: a per-day average, not a count."),
    ("requests.received.total", "收到申请数", "件", "count", ALL_ERAS,
     "Requests received (新收) in the year.", "受理 is sometimes the same as 收到."),
    ("requests.received.by_channel.{in_person,fax,online,email,letter,phone,other}",
     "当面/传真/网络/电子邮件/信函/电话/其他形式", "件", "count", ALL_ERAS, "Requests by submission channel.", ""),
    ("requests.received.by_level.{municipal_departments,counties_districts}", "市直单位/各县(市)区",
     "件", "count", ALL_ERAS, "Requests received by level of government (C.9).", ""),
    ("requests.carried_over_in", "上年结转申请数", "件", "count", POST2019, "Requests carried over from last year.", ""),
    ("requests.carried_forward", "结转下年度办理", "件", "count", POST2019, "Requests carried into next year.", ""),
    ("requests.outcome.total", "答复总数", "件", "count", ALL_ERAS, "Requests answered.", ""),
    ("requests.outcome.{disclosed,already_public,partially_disclosed,info_not_exist,correction_requested,"
     "redirected,not_accepted}",
     "予以公开/属于已主动公开/部分公开/信息不存在/告知补正/告知其他途径/不予受理", "件", "count", ALL_ERAS,
     "Requests by outcome.", "not_accepted (不予受理) is added."),
    ("requests.outcome.withheld.total", "不予公开", "件", "count", ALL_ERAS, "Requests refused.",
     "From 2019 not printed: the sum of its eight sub-rows. Pre-2019: 不同意公开 / 否决公开."),
    ("requests.outcome.unable.total", "无法提供", "件", "count", ALL_ERAS, "Requests that could not be met.",
     "From 2019 not printed: the sum of its three sub-rows."),
    ("requests.outcome.not_processed.total", "不予处理", "件", "count", POST2019, "Requests not processed.",
     "Not printed: the sum of its five sub-rows."),
    ("requests.outcome.other.total", "其他处理", "件", "count", POST2019, "Requests handled otherwise.",
     "A single printed row in 2019; from 2021 the sum of its three sub-rows."),
    ("requests.rate.on_time_reported", "按时答复率/按期答复率/办结率", "%", "rate", ALL_ERAS,
     "On-time answer rate as reported.", "Do not recompute."),
    ("requests.rate.response_reported", "答复率", "%", "rate", ALL_ERAS, "Answer rate as printed (C.9).", ""),
    ("fees.ogi.{amount_yuan,waived_yuan}", "收取费用/减免金额", "元", "amount", ALL_ERAS,
     "Fees charged on requests, and waived.", "未收取任何费用 is an explicit zero."),
    ("fees.ogi.cases", "收取信息处理费件数", "件", "count", ("E2021",), "Requests charged a fee.", ""),
    ("review.total", "行政复议数量", "件", "count", ALL_ERAS, "Administrative reviews about OGI.",
     "From 2019: Table 4 行政复议·总计."),
    ("litigation.total", "行政诉讼数量", "件", "count", ALL_ERAS, "Lawsuits about OGI.",
     "From 2019 derived as direct.total + after_review.total when the report states no total."),
    ("complaints.total", "举报投诉数量", "件", "count", ALL_ERAS, "Complaints about OGI.", ""),
    ("appeals.total", "行政申诉数", "件", "count", PRE2019, "Administrative appeals.", ""),
    ("capacity.{dedicated_units,reading_points}", "专门机构数/查阅点数", "个", "count", PRE2019, "Facilities.", ""),
    ("capacity.staff.{total,full_time,part_time}", "工作人员/专职/兼职", "人", "count", PRE2019, "OGI staff.", ""),
    ("capacity.budget_yuan", "专项经费", "元", "amount", PRE2019, "OGI budget.", ""),
    ("training.{meetings,sessions}", "工作会议/培训班", "次", "count", ALL_ERAS, "Meetings and trainings.", ""),
    ("training.trainees", "培训人次", "人次", "count", ALL_ERAS, "Trainees.", ""),
    ("consultation.{total,in_person,phone,online}", "咨询总数/现场咨询/电话咨询/网上咨询", "人次", "count",
     PRE2019, "Consultations handled.", ""),
    ("other.{npc_suggestions_published,cppcc_proposals_published}", "人大代表建议/政协提案", "件", "count",
     ALL_ERAS, "Proposal handling results published.", ""),
    ("other.rate.satisfaction_reported", "满意率/好评率", "%", "rate", ALL_ERAS, "Reported satisfaction.",
     "added: §D lists the phrase but §C has no id."),
    ("hotline.on_time_rate", "市长公开电话按期回复率", "%", "rate", ALL_ERAS, "Hotline on-time rate (C.9).", ""),
    ("hotline.deadline_workdays", "办理时限", "个工作日", "count", ALL_ERAS, "Hotline handling limit (C.9).", ""),
    ("hotline.calls", "热线电话接听数", "次", "count", ALL_ERAS, "Hotline calls or cases handled.",
     "added: hotline volumes are often reported next to OGI figures."),
    ("proactive.key_areas_covered", "重点领域数", "个", "count", ALL_ERAS,
     "Key domains (重点领域) in which information was disclosed, or whose disclosure was standardized or checked "
     "(…环境保护等18个重点领域信息公开, 对26个领域开展检查).",
     "added: the domains counted depend on the programme (national key areas, the 26 grassroots standardization "
     "domains); read with the quote."),
    ("platform.service_items", "政务服务事项数", "项", "count", ALL_ERAS,
     "Government service items (政务服务事项) reported for the online service platform (…在线办理政务服务事项118项).",
     "added: 全程网办, 可网办 and 进驻 differ between reports; read with the quote."),
    ("overview.units_covered.{localities,departments}", "覆盖的区县乡镇街道数/覆盖的部门单位数", "个", "count", ALL_ERAS,
     "Subordinate governments (districts, counties, towns, sub-districts), or departments and units, that the "
     "reported disclosure work covers (对全市19个区(市)县、58个市级部门…; 所有29个委办局和10个街道镇).",
     "added: the size of the reporting system, useful to normalise counts of jurisdiction-wide reports. What "
     "'covered' means varies (bodies set up, inspected, trained): a count of units, never of disclosures."),
    *TABLE_SPECS,
)

_BRACES = re.compile(r"\{([^}]*)\}")


def _expand(specs: tuple[Spec, ...]) -> dict[str, Metric]:
    out: dict[str, Metric] = {}
    for pattern, labels, unit, kind, eras, definition, caveats in specs:
        m = _BRACES.search(pattern)
        alts = m.group(1).split(",") if m else [""]
        names = labels.split("/") if m else [labels]
        for i, alt in enumerate(alts):
            mid = pattern[: m.start()] + alt + pattern[m.end():] if m else pattern
            if mid in out:  # one id, one meaning: a second entry is an error, never a silent override
                raise ValueError(f"metric id listed twice: {mid}")
            out[mid] = Metric(mid, names[i] if len(names) == len(alts) else labels, unit, kind, eras, definition,
                              caveats)
    return out


#: Every metric id, read-only.
METRICS = MappingProxyType(_expand(_SPECS))

#: Derived metrics for shares and year-on-year changes (suffixes allowed after any base id).
DERIVED_SUFFIXES = (".share_pct", ".yoy_pct", ".yoy_abs")


def is_known(metric: str) -> bool:
    """True for a listed id, or a listed id with a derived suffix.

    >>> is_known("proactive.total.yoy_pct"), is_known("nonsense")
    (True, False)
    """
    if metric in METRICS:
        return True
    return any(metric.endswith(s) and metric[: -len(s)] in METRICS for s in DERIVED_SUFFIXES)


#: Topical families used by the devset's ``section`` field (documented mapping for metric agreement).
FAMILY_TOPIC = MappingProxyType({
    "proactive": "proactive", "platform": "overview", "hotline": "proactive", "requests": "on_request",
    "fees": "fees", "review": "review_litigation", "litigation": "review_litigation", "complaints": "other",
    "appeals": "review_litigation", "capacity": "overview", "training": "overview", "response": "other",
    "consultation": "other", "other": "other", "overview": "overview",
})


def family(metric: str) -> str:
    """The first component of an id."""
    return metric.split(".", 1)[0]
