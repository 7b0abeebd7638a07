"""HTML for synthetic and sample pages: a realistic portal frame and the 2019/2021 standard tables.

The frame imitates a TRS-style government portal: navigation, breadcrumb, a ``TRS_Editor`` content div,
source/editor lines and a footer full of numbers (ICP record, phone, postcode) that must not be extracted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

NAV = ["首页", "政务公开", "政府信息公开", "政务服务", "互动交流", "走进本市"]


def paragraphs(lines: list[str]) -> str:
    """Each text line as a Word-like paragraph (full-width indent as many editors paste it)."""
    return "\n".join(f'<p style="text-indent:2em;"><span style="font-family:仿宋_GB2312">{escape(line)}</span></p>'
                     for line in lines if line.strip())


def portal_page(*, title: str, body_html: str, site: str, charset: str = "utf-8",
                breadcrumb: str | None = None, publish_date: str | None = None,
                trailer_lines: list[str] | None = None, banner: str | None = None) -> str:
    """A whole portal page around ``body_html`` (the report content)."""
    crumbs = breadcrumb or f"您当前的位置：首页 > 政府信息公开 > 政府信息公开年报"
    nav = "".join(f'<li><a href="/{i}/">{escape(n)}</a></li>' for i, n in enumerate(NAV))
    trailer = "".join(f"<p>{escape(t)}</p>" for t in (trailer_lines or []))
    date_html = f'<span class="time">发布时间：{escape(publish_date)}</span>' if publish_date else ""
    meta_date = f'<meta name="PubDate" content="{escape(publish_date)} 09:00">' if publish_date else ""
    banner_html = f'<div class="ogi-synthetic-banner">{escape(banner)}</div>' if banner else ""
    return f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="ArticleTitle" content="{escape(title)}">
{meta_date}
<title>{escape(title)}_{escape(site)}</title>
<script type="text/javascript">var _hmt = _hmt || []; var pageSize = 20; var currentPage = 1;</script>
<style>.nav li{{float:left;margin:0 12px}}</style>
</head>
<body>
<div class="top"><a href="/">{escape(site)}</a> <span>2024年1月1日 星期一</span> <a href="/wza/">无障碍</a></div>
<ul class="nav">{nav}</ul>
<div class="location">{escape(crumbs)}</div>
<div class="article">
{banner_html}
<h1 class="title">{escape(title)}</h1>
<div class="info">{date_html} <span>来源：{escape(site)}</span> <span>【字体：大 中 小】</span></div>
<div class="TRS_Editor">
{body_html}
{trailer}
</div>
<div class="share">分享到：微信 微博 QQ空间</div>
<div class="print"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
</div>
<div class="related"><h3>相关链接</h3><ul><li><a href="/a/1.html">2023年政府信息公开工作年度报告</a></li>
<li><a href="/a/2.html">关于印发2024年政务公开工作要点的通知</a></li></ul></div>
<div class="footer">
<p>主办单位：{escape(site)}办公室　地址：人民大街88号　邮编：157000</p>
<p>联系电话：0453-6221234　网站标识码：2310000012　ICP备案号：黑ICP备05001234号-1</p>
<p>公安机关备案号 23100202000123</p>
</div>
</body>
</html>
"""


def _row(cells: list[str]) -> str:
    return "<tr>" + "".join(cells) + "</tr>\n"


def _td(text: object, rowspan: int = 1, colspan: int = 1) -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    return f'<td{attrs}><p style="text-align:center">{escape(str(text))}</p></td>'


def table2_html(era: str, cells: Mapping[str, Sequence[object]]) -> str:
    """Table 2 (主动公开政府信息情况): blocks of 第二十条 items with the era's exact column labels."""
    rows = []
    if era == "E2021":
        blocks = [("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "行政规范性文件"]),
                  ("第二十条第（五）项", ["本年处理决定数量"], ["行政许可"]),
                  ("第二十条第（六）项", ["本年处理决定数量"], ["行政处罚", "行政强制"]),
                  ("第二十条第（八）项", ["本年收费金额（单位：万元）"], ["行政事业性收费"])]
    else:
        blocks = [("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"], ["规章", "规范性文件"]),
                  ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"], ["行政许可", "其他对外管理服务事项"]),
                  ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"], ["行政处罚", "行政强制"]),
                  ("第二十条第（八）项", ["上一年项目数量", "本年增/减"], ["行政事业性收费"]),
                  ("第二十条第（九）项", ["采购项目数量", "采购总金额"], ["政府集中采购"])]
    for head, cols, labels in blocks:
        rows.append(_row([_td(head, colspan=4)]))
        rows.append(_row([_td("信息内容")] + [_td(c, colspan=3 // len(cols) if len(cols) < 3 else 1)
                                              for c in cols]))
        for label in labels:
            values = cells[label]
            rows.append(_row([_td(label)] + [_td(v, colspan=3 // len(cols) if len(cols) < 3 else 1)
                                             for v in values]))
    return '<table border="1" cellspacing="0">\n' + "".join(rows) + "</table>"


APPLICANT_HEADS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def table3_html(era: str, rows_values: Sequence[tuple[str, str, Sequence[object]]]) -> str:
    """Table 3 (收到和处理政府信息公开申请情况). ``rows_values``: (group, label, 7 values) in order;
    group is "" for top rows, else the merged group label (（三）不予公开 …) of the outcome rows."""
    out = [_row([_td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3),
                 _td("申请人情况", colspan=7)]),
           _row([_td("自然人", rowspan=2), _td("法人或其他组织", colspan=5), _td("总计", rowspan=2)]),
           _row([_td(h) for h in APPLICANT_HEADS[1:6]])]
    outcome_rows = [r for r in rows_values if r[0] != "top"]
    first_outcome = True
    seen_groups: set[str] = set()
    for group, label, values in rows_values:
        cells: list[str] = []
        if group == "top":
            cells.append(_td(label, colspan=3))
        else:
            if first_outcome:
                cells.append(_td("三、本年度办理结果", rowspan=len(outcome_rows)))
                first_outcome = False
            if group == "":
                cells.append(_td(label, colspan=2))
            else:
                if group not in seen_groups:
                    seen_groups.add(group)
                    cells.append(_td(group, rowspan=sum(1 for r in rows_values if r[0] == group)))
                cells.append(_td(label))
        cells += [_td(v) for v in values]
        out.append(_row(cells))
    return '<table border="1" cellspacing="0">\n' + "".join(out) + "</table>"


def table4_html(values: Sequence[object]) -> str:
    """Table 4 (行政复议、行政诉讼): three header rows and one data row of 15 cells."""
    parts = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return ('<table border="1" cellspacing="0">\n'
            + _row([_td("行政复议", colspan=5), _td("行政诉讼", colspan=10)])
            + _row([_td(p, rowspan=2) for p in parts] + [_td("未经复议直接起诉", colspan=5),
                                                          _td("复议后起诉", colspan=5)])
            + _row([_td(p) for p in parts * 2])
            + _row([_td(v) for v in values]) + "</table>")
