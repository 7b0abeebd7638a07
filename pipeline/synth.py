"""Synthetic report generator (with ground truth) and the bundled corpus builder.

Synthetic reports are always labelled synthetic: a visible banner in the page, ``"synthetic": true`` in
the sidecar ``.meta.json`` (so every dataset row carries ``synthetic=True``) and in the truth file.
Numbers are drawn from a seeded RNG and are internally consistent (parts add up, shares match), so the
truth doubles as a regression target for extraction and checks.

Regenerate the bundled corpus with ``python -m pipeline.synth corpus/`` (a test keeps it in sync).
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.synth_html import paragraphs, portal_page, table2_html, table3_html, table4_html

BANNER = "【合成数据 SYNTHETIC】本页由 ogi 合成生成，仅用于测试与演示，数字不是真实统计。"
Truth = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Place:
    name: str  # e.g. 大庆市
    province: str
    short: str  # the jurisdiction in prose: 全市 / 全县


#: Real division names so that region resolution can be exercised; every page says it is synthetic.
PLACES = (Place("大庆市", "黑龙江省", "全市"), Place("九江市", "江西省", "全市"), Place("湖州市", "浙江省", "全市"))
YEARS = (2012, 2016, 2020, 2022)


def _era(year: int) -> str:
    return "E2008" if year <= 2013 else "E2014" if year <= 2018 else "E2019" if year <= 2020 else "E2021"


def _split(rng: random.Random, total: int, n: int) -> list[int]:
    cuts = sorted(rng.sample(range(1, total), n - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total])]


def _pct(part: int, total: int) -> str:
    return f"{100 * part / total:.1f}"


def _fig(metric: str, value: float | int, **extra: Any) -> Truth:
    return {"metric": metric, "value": value, **extra}


CATEGORIES = [("institutional_functions", "机构职能类信息"), ("policies_regulations", "政策法规类信息"),
              ("plans", "规划计划类信息"), ("statistics", "统计信息"), ("work_updates", "工作动态类信息")]


def prose_report(place: Place, year: int, rng: random.Random) -> tuple[str, list[str], list[Truth]]:
    """A pre-2019 prose report: (title, lines, truth)."""
    s, truth = place.short, []
    total = rng.randint(3000, 60000)
    parts = _split(rng, total, len(CATEGORIES))
    cat_text = []
    for (key, label), n in zip(CATEGORIES, parts):
        share = _pct(n, total)
        cat_text.append(f"{label}{n}条，占{share}%")
        truth.append(_fig(f"proactive.by_category.{key}", n, share_pct=float(share)))
    sessions, trainees = rng.randint(2, 12), rng.randint(80, 900)
    received = rng.randint(20, 400)
    in_person, online, letter = _split(rng, received, 3)
    disclosed = rng.randint(received // 2, received - 3)
    partial = rng.randint(0, (received - disclosed) // 2)
    withheld = received - disclosed - partial
    reviews, suits = rng.choice([0, 0, 1, 2]), rng.choice([0, 0, 1])
    truth += [_fig("proactive.total", total), _fig("training.sessions", sessions),
              _fig("training.trainees", trainees), _fig("requests.received.total", received),
              _fig("requests.received.by_channel.in_person", in_person, share_pct=float(_pct(in_person, received))),
              _fig("requests.received.by_channel.online", online, share_pct=float(_pct(online, received))),
              _fig("requests.received.by_channel.letter", letter, share_pct=float(_pct(letter, received))),
              _fig("requests.outcome.total", received), _fig("requests.outcome.disclosed", disclosed),
              _fig("requests.outcome.partially_disclosed", partial),
              _fig("requests.outcome.withheld.total", withheld),
              _fig("requests.rate.on_time_reported", 100, kind="rate"),
              _fig("fees.ogi.amount_yuan", 0, kind="zero")]
    review_line = (f"{year}年，{s}未发生因政府信息公开申请行政复议、提起行政诉讼的情况。"
                   if reviews == suits == 0 else
                   f"{year}年，{s}因政府信息公开申请行政复议{reviews}件，提起行政诉讼{suits}件。")
    if reviews == suits == 0:
        truth += [_fig("review.total", 0, kind="zero"), _fig("litigation.total", 0, kind="zero")]
    else:
        truth += [_fig("review.total", reviews), _fig("litigation.total", suits)]
    title = f"{place.name}{year}年政府信息公开工作年度报告"
    lines = [
        f"本年度报告根据《中华人民共和国政府信息公开条例》要求，由{place.name}人民政府办公室编制。"
        f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
        "一、概述",
        f"{year}年，{s}各级行政机关认真贯彻落实《条例》，全年举办政府信息公开业务培训{sessions}期，"
        f"培训{trainees}人次。",
        "二、主动公开政府信息情况",
        f"{year}年，{s}共主动公开政府信息{total}条。其中，" + "；".join(cat_text) + "。",
        "三、依申请公开政府信息情况",
        f"全年共受理政府信息公开申请{received}件。其中，当面申请{in_person}件，占{_pct(in_person, received)}%；"
        f"网上申请{online}件，占{_pct(online, received)}%；信函申请{letter}件，占{_pct(letter, received)}%。",
        f"已答复申请{received}件，其中同意公开{disclosed}件，同意部分公开{partial}件，不予公开{withheld}件，"
        "按时答复率100%。",
        "四、政府信息公开的收费及减免情况",
        f"{year}年，{s}各级行政机关在办理依申请公开过程中均未收取任何费用。",
        "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
        review_line,
        "六、政府信息公开工作存在的主要问题及改进措施",
        "一是公开内容的及时性有待提高；二是依申请公开答复的规范化水平有待提升。下一步将加强培训和督查。",
    ]
    return title, lines, truth


T3_OUTCOMES_COMMON = [
    ("", "（一）予以公开", "outcome.disclosed"),
    ("", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "outcome.partially_disclosed"),
    *[("（三）不予公开", lbl, f"outcome.withheld.{k}") for lbl, k in [
        ("1.属于国家秘密", "state_secret"), ("2.其他法律行政法规禁止公开", "prohibited_by_law"),
        ("3.危及“三安全一稳定”", "security_stability"), ("4.保护第三方合法权益", "third_party_rights"),
        ("5.属于三类内部事务信息", "internal_affairs"), ("6.属于四类过程性信息", "process_info"),
        ("7.属于行政执法案卷", "enforcement_file"), ("8.属于行政查询事项", "admin_inquiry")]],
    *[("（四）无法提供", lbl, f"outcome.unable.{k}") for lbl, k in [
        ("1.本机关不掌握相关政府信息", "not_held"), ("2.没有现成信息需要另行制作", "needs_creation"),
        ("3.补正后申请内容仍不明确", "unclear_after_correction")]],
    *[("（五）不予处理", lbl, f"outcome.not_processed.{k}") for lbl, k in [
        ("1.信访举报投诉类申请", "petition_complaint"), ("2.重复申请", "duplicate"),
        ("3.要求提供公开出版物", "publication"), ("4.无正当理由大量反复申请", "mass_repetitive"),
        ("5.要求行政机关确认或重新出具已获取信息", "confirm_or_reissue")]],
]
T3_OTHER_2021 = [("（六）其他处理", lbl, f"outcome.other.{k}") for lbl, k in [
    ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "overdue_correction"),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "overdue_fee"),
    ("3.其他", "other")]]
APPLICANTS = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
              "legal_service_org", "other_org", "total"]


def table_report(place: Place, year: int, rng: random.Random) -> tuple[str, str, list[Truth]]:
    """A 2019/2021-format report: (title, body html, truth incl. every Table 3/4 cell)."""
    era, s = _era(year), place.short
    outcomes = T3_OUTCOMES_COMMON + (T3_OTHER_2021 if era == "E2021" else [("", "（六）其他处理", "outcome.other.total")])
    cols = []  # per applicant column (6 real columns): dict metric -> value
    for _ in range(6):
        vals = {key: (rng.choice([0, 0, 0, 1, 2, rng.randint(3, 40)])) for _, _, key in outcomes}
        total = sum(vals.values())
        fwd, over = rng.randint(0, 3), rng.randint(0, 2)
        vals.update({"outcome.total": total, "carried_forward": fwd, "carried_over_in": over,
                     "received.total": total + fwd - over if total + fwd >= over else 0})
        if vals["received.total"] == 0:
            vals["carried_over_in"] = total + fwd
        cols.append(vals)
    cols.append({k: sum(c[k] for c in cols) for k in cols[0]})
    order = ([("top", "一、本年新收政府信息公开申请数量", "received.total"),
              ("top", "二、上年结转政府信息公开申请数量", "carried_over_in")]
             + outcomes + [("", "（七）总计", "outcome.total"), ("top", "四、结转下年度继续办理", "carried_forward")])
    t3_rows = [(g, lbl, [c[key] for c in cols]) for g, lbl, key in order]
    truth: list[Truth] = [_fig(f"requests.{key}", c[key], applicant=a, table="T3")
                          for _, _, key in order for c, a in zip(cols, APPLICANTS)]
    t4 = []
    for block in ("review", "litigation.direct", "litigation.after_review"):
        parts = [rng.choice([0, 0, 1, 2]) for _ in range(4)]
        t4 += parts + [sum(parts)]
        truth += [_fig(f"{block}.{k}", v, table="T4") for k, v in
                  zip(["upheld", "corrected", "other", "pending", "total"], parts + [sum(parts)])]
    t2: dict[str, list[object]]
    if era == "E2021":
        t2 = {"规章": [0, 0, 0], "行政规范性文件": [rng.randint(5, 60), rng.randint(0, 5), rng.randint(100, 400)],
              "行政许可": [rng.randint(1000, 90000)], "行政处罚": [rng.randint(100, 9000)],
              "行政强制": [rng.randint(0, 300)], "行政事业性收费": [round(rng.uniform(10, 9000), 2)]}
    else:
        t2 = {"规章": [0, 0, 0], "规范性文件": [rng.randint(5, 60), rng.randint(5, 60), rng.randint(100, 400)],
              "行政许可": [rng.randint(100, 900), rng.randint(-20, 20), rng.randint(1000, 90000)],
              "其他对外管理服务事项": [rng.randint(10, 90), rng.randint(-5, 5), rng.randint(100, 900)],
              "行政处罚": [rng.randint(100, 900), rng.randint(-20, 20), rng.randint(100, 9000)],
              "行政强制": [rng.randint(10, 90), rng.randint(-5, 5), rng.randint(0, 300)],
              "行政事业性收费": [rng.randint(10, 90), rng.randint(-5, 5)],
              "政府集中采购": [rng.randint(10, 300), f"{rng.randint(100000, 9000000)}元"]}
    published = rng.randint(2000, 90000)
    truth.append(_fig("proactive.total", published))
    body = "\n".join([
        paragraphs([f"本报告根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息公开办公室有关要求，"
                    f"综合{s}各级行政机关政府信息公开工作情况编制。"
                    f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
                    "一、总体情况", f"{year}年，{s}共主动公开政府信息{published}条，进一步推进政务公开标准化规范化。",
                    "二、主动公开政府信息情况"]),
        table2_html(era, t2), paragraphs(["三、收到和处理政府信息公开申请情况"]),
        table3_html(era, t3_rows), paragraphs(["四、政府信息公开行政复议、行政诉讼情况"]), table4_html(t4),
        paragraphs(["五、存在的主要问题及改进情况", "一是信息发布的及时性仍需提高；二是政策解读的形式还不够丰富。",
                    "六、其他需要报告的事项", "本年度未收取信息处理费。"]),
    ])
    truth.append(_fig("fees.ogi.amount_yuan", 0, kind="zero"))
    return f"{place.name}{year}年政府信息公开工作年度报告", body, truth
