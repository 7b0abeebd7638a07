"""Benchmark pages of realistic size: the synthetic reports of :mod:`pipeline.synth` with the narrative and the
portal frame that real pages carry.

The bundled synthetic pages (``corpus/synthetic``) are deliberately small: a pre-2019 prose report there is
~600 characters and the whole page ~5 KB, while the real saved portal pages in ``../shared/devset/docs``
are 60–370 KB (median ~120 KB) with 4–20k characters of report text, and the "realistic portal page" of
``../shared/perf-notes.md`` is 33 KB with 9.5 KB of report text. A throughput benchmark on 5 KB pages
measures per-document overhead, not the work of a real archive, so ``--pages realistic`` (the default of
``benchmarks/throughput.py``) adds to every page, drawn per page:

- narrative paragraphs of the kind every report has (work measures, channels, platforms), some with
  counts (``举办培训班3期``), dates and document numbers, to ~3–9k characters of report text;
- a portal frame of ~20–45 KB: inline script and style, a two-level navigation menu, a sidebar of
  columns, related-link lists and a footer of links, like the TRS/Hanweb pages of the devset.

The figures the generator knows (``pipeline.synth`` truth) are unchanged; the narrative adds some more.
"""

from __future__ import annotations

import random
from html import escape

from pipeline.synth import Place, prose_report, table_report
from pipeline.synth_html import paragraphs, portal_page

MEASURES = (
    "{s}进一步完善政府信息公开工作机制，明确分管领导和工作人员，形成了主要领导亲自抓、分管领导具体抓的工作格局。",
    "全年召开政府常务会议{a}次，研究部署政务公开重点工作，印发《{s}{y}年政务公开工作要点》（{s}办发〔{y}〕{b}号）。",
    "通过政府门户网站发布通知公告{a}条，更新便民服务栏目{b}个，网站全年访问量达{e}人次。",
    "依托政务新媒体平台，“{s}发布”微信公众号全年推送信息{d}条，政务微博发布信息{c}条，粉丝数达{e}人。",
    "编印《{s}人民政府公报》{a}期，发放{d}份，免费赠阅到各级档案馆、图书馆和社区便民服务点。",
    "组织召开新闻发布会{a}场，围绕重大政策、重点工作和社会热点进行发布解读，邀请媒体记者{b}人次参加。",
    "在政府信息公开查阅点设置电子查询终端{a}台，接待群众现场查阅{d}人次。",
    "加强政策解读工作，发布文字解读、图片解读、视频解读等{b}篇，做到政策文件与解读材料同步起草、同步审签、同步发布。",
    "严格落实公开属性源头认定机制，对拟发布的信息实行“先审查、后公开”和“一事一审”制度，确保信息安全。",
    "围绕财政预决算、重大建设项目、公共资源配置、社会公益事业建设等重点领域，及时准确公开相关信息。",
    "开展政务公开专题培训，邀请专家围绕新修订的《条例》进行辅导，各单位信息公开工作人员参加培训。",
    "组织开展“政府开放日”活动{a}次，邀请人大代表、政协委员和群众代表走进政府机关，参与政务活动。",
    "办理人大代表建议{c}件、政协提案{d}件，办复率100%，办理结果按规定在门户网站公开。",
    "12345政务服务便民热线全年受理群众诉求{e}件，按时办结率{p}%，群众满意率{q}%。",
    "将政务公开工作纳入年度绩效考核，考核分值占比{a}%，并对{b}个单位的公开情况进行了专项督查。",
    "建立健全政府信息发布协调机制，涉及其他行政机关的，与有关行政机关进行沟通、确认，保证发布的政府信息准确一致。",
    "推进基层政务公开标准化规范化建设，梳理公开事项{c}项，编制公开事项标准目录{b}个。",
    "完善依申请公开工作流程，规范受理、审查、处理、答复等环节，统一答复文书格式，提升答复质量。",
)
NAV_GROUPS = ("政务公开", "政务服务", "互动交流", "走进本市", "专题专栏", "数据开放")
NAV_ITEMS = ("领导信息", "机构职能", "政策文件", "政策解读", "规划计划", "财政信息", "人事信息", "统计数据",
             "重点领域", "建议提案", "应急管理", "新闻发布", "办事指南", "在线咨询", "民意征集", "网上调查")
SIDEBAR = ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报", "依申请公开",
           "政府公报", "政府文件", "部门文件", "人事任免", "工作动态", "通知公告", "公示公告")


GENERIC = (
    "坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开。",
    "进一步规范政府信息公开工作程序，严格执行保密审查制度，做到应公开尽公开。",
    "加强政府网站日常监测，对栏目更新情况进行定期检查，及时整改发现的问题。",
    "及时回应社会关切，对涉及群众切身利益的重要信息，通过多种渠道进行发布和解读。",
    "强化政务公开工作队伍建设，各单位明确专人负责信息公开工作，确保工作有序开展。",
    "推进政务公开与政务服务深度融合，提升政务服务事项办理的透明度和便利度。",
    "充分发挥政府网站第一平台作用，优化栏目设置，方便公众查阅和获取政府信息。",
    "认真做好政府信息公开申请的受理和答复工作，切实保障公众的知情权、参与权和监督权。",
)


class Narrative:
    """The narrative paragraphs of one report: each numbered template of :data:`MEASURES` at most once (a
    report states a figure once), then number-free sentences of :data:`GENERIC`."""

    def __init__(self, s: str, year: int, rng: random.Random) -> None:
        self.subject = f"我{s}" if len(s) == 1 else s  # 市 → 我市, as reports write
        self.year, self.rng = year, rng
        self.deck = rng.sample(MEASURES, len(MEASURES))

    def sentence(self) -> str:
        rng = self.rng
        template = self.deck.pop() if self.deck else rng.choice(GENERIC)
        return template.format(s=self.subject, y=self.year, a=rng.randint(2, 30), b=rng.randint(5, 120),
                               c=rng.randint(100, 9000), d=rng.randint(100, 40000), e=rng.randint(1000, 200000),
                               p=rng.randint(90, 99), q=rng.randint(90, 99))

    def paragraphs(self, n: int) -> list[str]:
        """``n`` paragraphs of 2–4 sentences."""
        return ["".join(self.sentence() for _ in range(self.rng.randint(2, 4))) for _ in range(n)]


def _frame_blocks(site: str, rng: random.Random) -> tuple[str, str, str]:
    """(head additions, menu after the nav, sidebar and link lists before the footer), ~20–45 KB together."""
    script = "\n".join(f"var cfg{i} = {{id: '{rng.randrange(16**8):08x}', channel: {rng.randint(1000, 9999)}, "
                       f"path: '/col/col{rng.randint(100, 999)}/index.html', show: {str(rng.random() < .5).lower()}}};"
                       for i in range(rng.randint(30, 80)))
    style = "\n".join(f".m{i} a{{color:#{rng.randrange(16**6):06x};font-size:{rng.randint(12, 16)}px;"
                      f"padding:{rng.randint(0, 9)}px {rng.randint(0, 20)}px}}" for i in range(rng.randint(30, 90)))
    head = f'<script type="text/javascript">\n{script}\n</script>\n<style type="text/css">\n{style}\n</style>\n'
    menu = "".join(f'<li class="m{g}"><a href="/col/{g}/">{escape(group)}</a><ul>'
                   + "".join(f'<li><a href="/col/{g}{k}/index.html" target="_blank">{escape(item)}</a></li>'
                             for k, item in enumerate(rng.sample(NAV_ITEMS, rng.randint(8, 16))))
                   + "</ul></li>" for g, group in enumerate(NAV_GROUPS))
    menu = f'<div class="menu"><ul>{menu}</ul></div>\n'
    side = "".join(f'<li><a href="/xxgk/{k}/">{escape(name)}</a></li>' for k, name in enumerate(SIDEBAR))
    lists = "".join(
        f'<div class="list"><h3>{escape(title)}</h3><ul>'
        + "".join(f'<li><a href="/art/{rng.randint(2015, 2024)}/{rng.randint(1, 12)}/{rng.randint(1, 28)}/'
                  f'art_{rng.randint(1000, 9999)}_{rng.randint(100000, 999999)}.html">{escape(site)}关于'
                  f'{escape(rng.choice(NAV_ITEMS))}工作的通知</a><span>{rng.randint(2015, 2024)}-0{rng.randint(1, 9)}'
                  f'-{rng.randint(10, 28)}</span></li>' for _ in range(rng.randint(8, 20)))
        + "</ul></div>" for title in ("通知公告", "工作动态", "政策解读"))
    tail = f'<div class="sidebar"><h3>信息公开目录</h3><ul>{side}</ul></div>\n{lists}\n'
    return head, menu, tail


def realistic_page(place: Place, year: int, rng: random.Random, site: str, publish_date: str,
                   banner: str) -> str:
    """One synthetic report page with realistic narrative and portal frame (see the module docstring)."""
    if year < 2019:
        title, lines, _ = prose_report(place, year, rng)
        story = Narrative(place.short, year, rng)
        out: list[str] = []
        for line in lines:  # narrative after each section heading, as real reports have
            out.append(line)
            if line[:2] in ("一、", "二、", "三、", "六、"):
                out += story.paragraphs(rng.randint(3, 7))
        body = paragraphs(out)
    else:
        title, body, _ = table_report(place, year, rng)
        story = Narrative(place.short, year, rng)
        marker = paragraphs(["二、主动公开政府信息情况"])  # narrative closes section 一 (总体情况)
        body = body.replace(marker, paragraphs(story.paragraphs(rng.randint(6, 14))) + marker, 1)
    html = portal_page(title=title, body_html=body, site=site, publish_date=publish_date, banner=banner)
    head, menu, tail = _frame_blocks(site, rng)
    html = html.replace("</head>", head + "</head>", 1).replace('<div class="location">', menu + '<div class="location">', 1)
    return html.replace('<div class="footer">', tail + '<div class="footer">', 1)
