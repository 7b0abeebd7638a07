"""Prose rules as data: trigger phrases -> metric ids (domain-spec §C, §C.9), units, sections, kind.

A rule fires for a number when its ``left`` pattern ends right before the number (only filler words such as
共/达/为/数/的 may sit between), and its ``right`` pattern (if any) starts right after the unit. Among the
rules that fire, the longest left match wins, then the earlier rule. Patterns are written for the
normalized view (simplified script). Rules name phrasing families, never one report's sentence.

>>> [r.id for r in COUNT_RULES if r.id.startswith("req.level")]
['req.level.municipal', 'req.level.county']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.pattern_edges import last_chars

#: Words allowed between a trigger and its number ("主动公开政府信息共计 165 条").
FILL = r"(?:\s|[:：]|共计|总计|合计|累计|共|计|达到|达|为|约|近|超过|超|逾|突破|有|了|数|数量|总数|总量|等|的|是|其中|已|分别)*"
#: Words allowed between a unit and a right-hand trigger ("6827条执法结果").
FILL_RIGHT = r"(?:\s|的)*"

ITEMS = frozenset({"条", "件", "条次", "篇", "份", "个"})
DOCS = frozenset({"条", "件", "篇", "份"})
CASES = frozenset({"件", "条", "宗", "件次", "个"})
EVENTS = frozenset({"次", "场", "期", "场次", "批次"})
PEOPLE = frozenset({"人次", "人", "名"})
PERCENT = frozenset({"%"})
BARE = ""  # a number printed without a unit (allowed only where a rule says so)


@dataclass(frozen=True, slots=True)
class Rule:
    """One trigger family. ``metrics`` holds several ids when one phrase names several quantities."""

    id: str
    metrics: tuple[str, ...]
    left: re.Pattern[str] | None
    right: re.Pattern[str] | None
    units: frozenset[str]
    context: re.Pattern[str] | None = None  # must occur in the sentence before the number
    bare: bool = False  # may label a number printed without unit
    sections: frozenset[str] = frozenset()  # when set, the rule fires only in these sections


def _r(rid: str, metrics: str, left: str | None, units: frozenset[str], *, right: str | None = None,
       context: str | None = None, bare: bool = False, sections: tuple[str, ...] = ()) -> Rule:
    return Rule(rid, tuple(metrics.split("|")),
                re.compile(f"(?:{left}){FILL}$") if left else None,
                re.compile(f"^{FILL_RIGHT}(?:{right})") if right else None,
                units, re.compile(context) if context else None, bare, frozenset(sections))


#: What may follow 人大建议/政协提案 before its count: 办理信息34条, 办理结果12件, 答复情况5件.
PROPOSAL_TAIL = r"(?:办理|答复)?(?:结果|情况)?(?:信息|公开)?"
#: Units of government a report's work covers (全市19个区(市)县, 10个街道镇), with their mixed spellings.
LOCALITY = (r"(?:区\(市\)县|县\(市\)区|县\(市、?区\)|区\(市、?县\)|县\(区\)|区\(县\)|县\(市\)|区县|县区|县市区|区市县"
            r"|乡镇\(街道\)|镇\(街道\)|乡\(镇\)|街道\(乡镇\)|乡镇街道|镇街|街镇|街道镇|乡镇|街道(?:办事处)?|区|县|镇|乡)"
            r"(?![级域间直属])")
DEPARTMENT = r"(?:(?:市|区|县|省|镇)(?:级|直)|市政府|区政府|县政府)?(?:职能)?(?:部门|委办局|单位|机关)"
#: What introduces a coverage count: the whole area (全市, 所有, 各, 对…), or the enumeration it continues.
COVER_LEFT = r"(?:全市|全区|全县|全省|全州|全盟|全旗|全镇|所有|全部|各|对|覆盖|涵盖|包括|下辖|辖|[、和及与])"
PUB = r"(?:公开|发布|更新发布|更新|公布|推送|刊登|刊发)"
GOVINFO = r"(?:了)?(?:各类|各项|政府|政务|相关)?(?:信息|文件|稿件|内容)?"
#: A time or total word between a channel and its verb (微信公众号全年推送信息N条): the count stays the channel's.
WHEN = r"(?:累计|全年|年内|本年度?|今年|共)?"
INFO = r"(?:公开)?(?:类|方面|等)?(?:公开)?(?:信息|文件)?(?:公开)?(?:类)?"

COUNT_RULES: tuple[Rule, ...] = (
    # --- proactive disclosure: channels, categories, totals -------------------------------------------
    _r("pro.channel.website", "proactive.by_channel.website", rf"(?:政府|门户)?网站[^，。；,;\d]{{0,10}}?{PUB}{GOVINFO}", ITEMS),
    _r("pro.channel.weibo", "proactive.by_channel.weibo", rf"(?:政务|官方)?微博(?:账号)?{WHEN}{PUB}{GOVINFO}", ITEMS),
    _r("pro.channel.wechat", "proactive.by_channel.wechat",
       rf"(?:政务|官方)?微信(?:公众号|公众平台)?{WHEN}{PUB}?{GOVINFO}", ITEMS),
    _r("pro.channel.new_media", "proactive.by_channel.new_media",
       rf"(?:新媒体|客户端|头条号|抖音号?|平台){WHEN}{PUB}{GOVINFO}", ITEMS),
    _r("pro.channel.gazette", "proactive.by_channel.gazette", rf"(?:政府)?公报{WHEN}{PUB}{GOVINFO}", ITEMS),
    _r("pro.channel.catalog", "proactive.by_channel.catalog", r"(?:信息公开)?目录(?:中|内)?(?:更新|发布|公开)?信息", ITEMS),
    _r("pro.cat.institutional", "proactive.by_category.institutional_functions",
       rf"(?:机构职能|机构设置|组织机构|概况){INFO}", ITEMS),
    _r("pro.cat.personnel", "proactive.by_category.personnel", rf"(?:人事(?:任免)?|领导|班子成员){INFO}", ITEMS),
    _r("pro.cat.policies", "proactive.by_category.policies_regulations",
       rf"(?:政策法规|法律法规|法规公文|法规文件|政策文件|法规政策){INFO}", ITEMS),
    _r("pro.cat.plans", "proactive.by_category.plans", rf"(?:规划计划|发展规划|规划设计|计划规划|计划总结){INFO}", ITEMS),
    _r("pro.cat.statistics", "proactive.by_category.statistics", rf"统计(?:数据|信息|公报|资料){INFO}", ITEMS),
    _r("pro.cat.budget", "proactive.by_category.budget_final_accounts",
       rf"(?:(?:财政|财务)?预(?:算)?决算|财政预算决算|财政|财经|财务){INFO}", ITEMS),
    _r("pro.cat.enforcement", "proactive.by_category.admin_enforcement",
       rf"(?:行政执法|行政权力|执法|公示决定处罚|行政处罚){INFO}", ITEMS),
    _r("pro.cat.licensing", "proactive.by_category.admin_licensing", rf"行政(?:许可|审批){INFO}", ITEMS),
    _r("pro.cat.key_areas", "proactive.by_category.key_areas", rf"重点领域{INFO}", ITEMS),
    _r("pro.cat.documents", "proactive.by_category.gov_documents", rf"(?:部门|政府)文件{INFO}", ITEMS),
    _r("pro.cat.updates", "proactive.by_category.work_updates", rf"(?:工作|政务)?(?:动态|进展){INFO}", ITEMS),
    _r("pro.cat.notices", "proactive.by_category.notices", rf"(?:通知公告|公示公告|公告公示){INFO}", ITEMS),
    _r("pro.cat.other", "proactive.by_category.other", r"其[他它][^，。；,;\d]{0,6}?(?:信息|文件)(?:公开)?", DOCS),
    _r("pro.normative", "proactive.normative_docs.published", r"(?:行政)?规范性文件", DOCS),
    _r("pro.total.verb", "proactive.total", rf"(?:主动|依法主动)公开{GOVINFO}", ITEMS),
    _r("pro.total.year", "proactive.total",
       rf"(?:全年|共|累计|本年度?|今年|年内|完成)(?:我\w{{1,2}})?(?:主动)?{PUB}{GOVINFO}|完成(?:政府)?信息公开", ITEMS),
    _r("pro.total.bare", "proactive.total", rf"^\s*(?:[(（])?{PUB}(?:政府|政务)?信息", ITEMS),
    _r("pro.content_items", "proactive.content_items", r"等", frozenset({"项", "类", "方面"}), right=r"(?:公开)?内容",
       sections=("overview", "proactive")),  # in the preamble, "…等六项内容" counts report parts
    _r("pro.content_kinds", "proactive.content_items", rf"{PUB}(?:了)?", frozenset({"类"}), right=r"信息"),
    _r("pro.content_items.right", "proactive.content_items", None, frozenset({"项"}), right=r"(?:主动)?公开(?:内容|事项)",
       sections=("overview", "proactive")),
    _r("pro.key_areas", "proactive.key_areas_covered", None, frozenset({"个", "类"}), right=r"(?:重点)?领域"),
    _r("pro.catalog_columns", "proactive.catalog_columns", None, frozenset({"个"}), right=r"(?:栏目|专栏)"),
    _r("pro.enforcement_results", "proactive.by_category.admin_enforcement", None, DOCS,
       right=r"(?:行政)?执法(?:结果|决定|信息)"),
    # --- interpretation and response ------------------------------------------------------------------
    _r("resp.interpretation", "response.policy_interpretations",
       r"(?:政策)?解读(?:类)?(?:信息|稿件|文章|材料)?|解读政策|(?:发布|开展)(?:政策)?解读", DOCS | EVENTS),
    _r("resp.press", "response.press_conferences", r"(?:新闻)?发布会", EVENTS),
    _r("resp.interviews", "response.online_interviews", r"(?:在线|网上)访谈(?:节目)?", EVENTS),
    _r("resp.hot", "response.hot_issues",
       r"回应(?:公众|社会)?(?:关注|关切)(?:热点)?(?:问题)?|重大舆情|舆情热点|回应事件|群众留言办理", DOCS | EVENTS),
    _r("resp.consult", "response.public_consultations", r"征求(?:公众|社会)?意见|征集调查|意见征集", DOCS | EVENTS),
    # --- platforms, coverage and audiences -------------------------------------------------------------
    _r("plat.service_items", "platform.service_items", r"政务服务事项", frozenset({"项", "个", "件"})),
    _r("plat.service_items.right", "platform.service_items", None, frozenset({"项", "个"}), right=r"政务服务事项"),
    _r("cover.localities", "overview.units_covered.localities", COVER_LEFT, frozenset({"个"}), right=LOCALITY),
    _r("cover.departments", "overview.units_covered.departments", COVER_LEFT, frozenset({"个", "家"}),
       right=DEPARTMENT),
    _r("plat.gazette", "platform.gazette_issues", r"(?:印发|编印|出版|发行|刊发)?政府公报", frozenset({"期"})),
    _r("plat.daily_visits", "platform.website_visits_daily", r"日均(?:访问|浏览|点击)量?", EVENTS | frozenset({"人次"})),
    _r("plat.visits", "platform.website_visits", r"(?:访问|浏览|点击)(?:量|次数|人次)", EVENTS | frozenset({"人次"}),
       bare=True),
    _r("plat.reads", "platform.new_media_reads", r"阅读(?:量|数)", EVENTS | frozenset({"人次"}), bare=True),
    # 冬粉 is 粉丝 after a machine zh-TW conversion (粉絲 -> 冬粉, Taiwanese for vermicelli), never a real word here
    _r("plat.followers", "platform.new_media_followers", r"(?:关注量|(?:粉丝|冬粉)(?:量|数)?|关注(?:人)?数)",
       frozenset({"人", "个"}), bare=True),
    # --- requests --------------------------------------------------------------------------------------
    _r("req.level.municipal", "requests.received.by_level.municipal_departments",
       r"市直(?:各)?(?:单位|部门|机关)(?:共)?(?:受理|收到)", CASES),
    _r("req.level.county", "requests.received.by_level.counties_districts",
       r"(?:县|区|县\(市\)区|县（市）区|县区|区县)(?:级)?(?:政府)?(?:共)?(?:受理|收到)", CASES),
    _r("req.channel.in_person", "requests.received.by_channel.in_person",
       r"(?:当面|现场)(?:提交|提出|申请)(?:申请)?", CASES),
    _r("req.channel.online", "requests.received.by_channel.online",
       r"(?:网络|网上|网站|在线|互联网|平台)(?:上)?(?:提交|提出|申请)(?:申请)?", CASES),
    _r("req.channel.letter", "requests.received.by_channel.letter", r"(?:信函|邮寄|来信)(?:提交|提出|申请)?(?:申请)?",
       CASES),
    _r("req.channel.fax", "requests.received.by_channel.fax", r"传真(?:提交|提出|申请)?(?:申请)?", CASES),
    _r("req.channel.email", "requests.received.by_channel.email", r"电子邮件(?:提交|提出|申请)(?:申请)?", CASES),
    _r("req.channel.phone", "requests.received.by_channel.phone", r"电话(?:提交|提出|申请)(?:申请)?", CASES),
    _r("req.channel.other", "requests.received.by_channel.other", r"其[他它](?:形式|方式|途径|渠道)(?:提交|提出|申请)?(?:申请)?",
       CASES),
    _r("req.received", "requests.received.total",
       r"(?:受理|收到|接收|接到|收)(?:了|过)?[^，。；,;\d]{0,16}?(?:申请公开|申请|依申请(?:信息)?公开(?:信息)?)(?:件)?"
       r"|(?:依申请公开|政府信息公开)申请|提交(?:政府)?信息公开", CASES),
    _r("req.carried_in", "requests.carried_over_in",
       r"(?:上(?:一)?年度?|(?<!\d)\d{4}年(?:度)?)结转(?:的)?(?:政府信息公开|信息公开)?(?:申请)?"
       r"|结转上(?:一)?年度?(?:的)?(?:政府信息公开|信息公开)?(?:申请)?", CASES),
    _r("req.carried_forward", "requests.carried_forward",
       r"(?:结转|顺延|转)(?:至|到|入)?(?:下(?:一)?年度?|\d{4}年(?:度)?)(?:继续)?(?:办理|答复)?", CASES),
    _r("req.carried_forward.right", "requests.carried_forward", r"剩余|尚有|另有", CASES,
       right=r"(?:结转|顺延|转)(?:至|到|入)?下"),
    _r("req.disclosed", "requests.outcome.disclosed", r"(?:予以|同意)公开(?:答复)?|属于公开范围", CASES, bare=True),
    _r("req.already_public", "requests.outcome.already_public", r"属于已(?:主动)?公开(?:范围)?", CASES),
    _r("req.partial", "requests.outcome.partially_disclosed", r"(?:同意)?部分公开(?:答复)?|属于部分公开范围", CASES,
       bare=True),
    _r("req.withheld", "requests.outcome.withheld.total", r"不予公开(?:答复)?|不同意公开", CASES, bare=True),
    _r("req.unable", "requests.outcome.unable.total", r"无法提供", CASES, bare=True),
    _r("req.not_exist", "requests.outcome.info_not_exist", r"(?:申请)?信息不存在(?:无法提供)?", CASES),
    _r("req.not_held", "requests.outcome.unable.not_held", r"(?:本机关)?不掌握(?:相关)?(?:政府)?信息|非本(?:机关|部门)掌握", CASES),
    _r("req.not_processed", "requests.outcome.not_processed.total", r"不予处理", CASES, bare=True),
    _r("req.duplicate", "requests.outcome.not_processed.duplicate", r"重复申请", CASES),
    _r("req.other", "requests.outcome.other.total", r"其他处理", CASES, bare=True),
    _r("req.not_accepted", "requests.outcome.not_accepted", r"不予受理(?:的)?(?:申请)?", CASES),
    _r("req.redirected", "requests.outcome.redirected", r"告知(?:通过)?其他途径(?:办理)?", CASES),
    _r("req.outcome", "requests.outcome.total",
       r"(?:办结|已答复|答复了|办理完毕)(?:的)?(?:申请)?|(?:全年|共|本年度?)(?:办理|答复)(?:申请)?"
       r"|完成[^，。；,;\d]{0,12}?答复", CASES),
    _r("req.outcome.right", "requests.outcome.total", None, CASES,
       right=r"[^，。；,;\d]{0,12}?申请[^，。；,;\d]{0,4}?(?:答复|办结)"),
    # --- fees, review, litigation, complaints ---------------------------------------------------------
    _r("fees.amount", "fees.ogi.amount_yuan", r"(?:收取|收费)[^，。；,;\d]{0,8}?(?:费用|费)?(?:金额)?|信息处理费",
       frozenset({"元"})),
    _r("fees.admin", "proactive.admin_fees.amount_yuan", r"行政事业性收费(?:金额)?", frozenset({"元"})),
    _r("rl.both", "review.total|litigation.total",
       r"(?:行政)?复议[、和及与或]+(?:提起)?(?:行政)?诉讼(?:案件)?", CASES),
    _r("rl.review", "review.total", r"(?:行政)?复议(?:案件)?", CASES),
    _r("rl.litigation", "litigation.total", r"(?:行政)?诉讼(?:案件)?", CASES),
    _r("rl.complaints", "complaints.total", r"举报投诉|投诉举报|(?<!零)投诉", CASES),
    # --- capacity, training, consultation, proposals, hotline -----------------------------------------
    _r("cap.part_time", "capacity.staff.part_time", r"配备(?:了)?", PEOPLE, right=r"兼职"),
    _r("cap.full_time", "capacity.staff.full_time", r"配备(?:了)?", PEOPLE, right=r"专职"),
    _r("cap.reading_points", "capacity.reading_points", r"(?:设立|开辟|设置|建立)(?:了)?", frozenset({"个", "处"}),
       right=r"[^，。；,;\d]{0,6}?(?:查阅|受理)(?:点|场所|室|窗口)"),
    _r("train.sessions", "training.sessions", r"培训(?:班|会|活动|课)?", EVENTS),
    _r("train.trainees", "training.trainees", r"培训(?:班|会|活动)?(?:人员)?", PEOPLE),
    _r("consult.in_person", "consultation.in_person", r"(?:现场|当面)(?:咨询|接待)", PEOPLE | CASES),
    _r("consult.phone", "consultation.phone", r"电话咨询|咨询电话", PEOPLE | CASES),
    _r("consult.online", "consultation.online", r"(?:网上|网络|在线)咨询", PEOPLE | CASES),
    _r("consult.total", "consultation.total", r"咨询", PEOPLE),
    _r("npc", "other.npc_suggestions_published", rf"人大(?:代表)?建议{PROPOSAL_TAIL}", CASES),
    _r("cppcc", "other.cppcc_proposals_published", rf"政协(?:委员)?提案{PROPOSAL_TAIL}", CASES),
    _r("hotline.deadline", "hotline.deadline_workdays", r"(?:办理)?时限", frozenset({"个工作日"})),
    _r("hotline.calls", "hotline.calls", r"(?:热线|公开电话|便民电话)(?:服务)?(?:电话)?", EVENTS | CASES),
)

HOTLINE_CONTEXT = r"市长(?:公开)?电话|热线|公开电话|便民电话"

RATE_RULES: tuple[Rule, ...] = (
    _r("rate.hotline", "hotline.on_time_rate", r"(?:按时|按期)?(?:答复|回复|办结|办理)率", PERCENT,
       context=HOTLINE_CONTEXT),
    _r("rate.on_time", "requests.rate.on_time_reported", r"(?:按时|按期)(?:答复|回复|办结|办理)率|办结率", PERCENT),
    _r("rate.response", "requests.rate.response_reported", r"(?:答复|回复)率", PERCENT),
    _r("rate.fulltext", "proactive.rate.fulltext_digitized", r"全文电子化率", PERCENT),
    _r("rate.proactive", "proactive.rate.disclosure_reported", r"主动公开率", PERCENT),
    _r("rate.satisfaction", "other.rate.satisfaction_reported", r"满意(?:度|率)|好评率", PERCENT),
)

#: A share introduced by 占 (…4682条，占总数的4.5%).
SHARE_LEFT = re.compile(
    r"(?:约)?占(?:比|[^，。；,;\d%]{0,14}?(?:比例|比重)?)(?:的)?(?:比例|比重)?(?:为|达|约|是)?\s*$")
#: A year-on-year change (同比增长20%, 较上年减少5件, 比2020年增长5.2%).
#: A change stated without its comparison base (冬粉增长27.6%): read as year-on-year only for percentages,
#: and only when the words before the verb name a metric.
CHANGE_LEFT = re.compile(r"(?P<dir>增长|增加|上升|上涨|提高|提升|下降|减少|回落|降低)(?:了)?\s*$")
YOY_LEFT = re.compile(
    r"(?:同比|环比|比上年|较上年|比去年|较去年|相较去年|相比去年|与上年相比|比上一年|较上一年|比\d{4}年|较\d{4}年)(?:度)?[,，]?"
    r"(?:分别)?(?P<dir>增长|增加|上升|上涨|提高|提升|多|下降|减少|回落|降低|少)(?:了)?\s*$")
#: The characters the two patterns' matches can end with: they are searched only after such a character (most
#: numbers follow no change verb).
CHANGE_LAST, YOY_LAST = last_chars(CHANGE_LEFT.pattern), last_chars(YOY_LEFT.pattern)
DOWN_WORDS = frozenset({"下降", "减少", "回落", "降低", "少"})
#: The end of a sentence: a left context never crosses it.
SENTENCE_END = re.compile(r"[。；;！？!?]")
