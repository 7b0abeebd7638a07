"""Text damage: mojibake fragments and injected gambling spam are flagged (with spans), never figures."""

from __future__ import annotations

import pytest

from parsers import damage, normalize, prose
from parsers.records import Section
from parsers.settings import ParseSettings, load_resources

RES = load_resources()


def _damage(text: str) -> list[tuple[str, str]]:
    view = normalize.normalize(text, RES)
    return [(f.code, text[f.start:f.end]) for f in damage.find_damage(text, view)]  # type: ignore[misc]


# text, code, the flagged source span
FLAGGED = [
    ("?。ㄒ唬┲鲃庸_信息公开目录", "mojibake_fragment", "?。ㄒ唬┲鲃"),  # GBK bytes read one byte off
    ("二、?。ㄈ┱畔⒐芾?/p>", "mojibake_fragment", "?。ㄈ┱畔⒐芾?"),
    ("（锛堜竴锛変富鍔ㄥ叕寮€斂搴滀俊鎭）", "mojibake_fragment", "锛堜竴锛変富鍔ㄥ叕寮€斂搴滀"),  # UTF-8 read as
    # GBK; 俊 and 鎭 (镇) are also real characters
    ("闂備礁缍婂鍥ㄥ箯闁秵鍋", "mojibake_fragment", "缍婂鍥ㄥ箯闁秵"),  # read twice; 闂備礁 and 鍋 are
    # also real (traditional) characters, so the span is the part that cannot be ordinary text
    ("本机关\ufffd鍔ㄥ叕政府信息", "mojibake_fragment", "\ufffd鍔ㄥ叕"),  # rare characters around U+FFFD
    ("æ”¿åºœä¿¡æ¯å…¬å¼€", "mojibake_fragment", "æ”¿åºœä¿¡æ¯å…¬å¼€"),  # UTF-8 read as Latin-1
    ("予以公开 | ? 0 |", "mojibake_fragment", "? 0"),  # a cell whose first character was lost
    ("部分公开\n? 12\n", "mojibake_fragment", "? 12"),
    ("予以公开3鍔ㄥ叕寮件", "mojibake_fragment", "3鍔ㄥ叕寮"),  # glued digits belong to the damage
    ("广州市人民政府办公室关于印发威廉希尔中国 2021年政务公开工作要点的通知", "spam_injection", "威廉希尔"),
    ("人大代表和政协委员申博体育_bob电竞app-在线*官网信息公开的议案", "spam_injection", "申博体育_bob电竞app-在线*官网"),
    ("国务院办公厅买足球的软件印发", "spam_injection", "买足球的软件"),
    ("《澳门金沙集团实施》", "spam_injection", "澳门金沙"),
    ("關於印發威廉希爾中國的通知", "spam_injection", "威廉希爾"),  # traditional mirror: found on the view
    ("开云体育APP下载官网", "spam_injection", "开云体育APP下载官网"),
    ("足球在线投注平台", "spam_injection", "足球在线投注平台"),  # no brand: betting word + density
    ("bet365体育在线", "spam_injection", "bet365体育在线"),
    ("sportsbook在线官网注册", "spam_injection", "sportsbook在线官网注册"),  # a betting word led by "s"
]

# ordinary report text, including rare place names, traditional script and lawful mentions of sport or gambling
CLEAN = [
    "主動(dòng)公開政府信息635條，其中工作動態(tài)33條。",
    "硚口区、亳州市、濮阳市、衢州市、鄞州区、婺源县的政务公开",
    "张赟、李堃同志分管政务公开工作",
    "体育彩票公益金使用情况已全部公开",
    "市体育局在线服务平台下载量达1万次，可在官网下载APP",
    "严厉打击网络赌博违法犯罪活动",
    "开展校园足球、全民健身等体育活动",
    "如何申请？请拨打咨询电话。",
    "阿卜杜拉·买买提同志，面积2×3米，气温25°C",
    "┌──┬──┐\n│项目│数量│\n└──┴──┘",
    "公开的内容包括：①机构职能；②政策法规。",
    "访问网站 http://www.gov.cn/xxgk/index.htm?id=12 查看",
]


@pytest.mark.parametrize("text,code,span", FLAGGED, ids=[t[:16] for t, _, _ in FLAGGED])
def test_damage_is_flagged(text: str, code: str, span: str) -> None:
    assert _damage(text) == [(code, span)]


@pytest.mark.parametrize("text", CLEAN, ids=[t[:12] for t in CLEAN])
def test_ordinary_text_is_not_damage(text: str) -> None:
    assert _damage(text) == []


def test_findings_are_warnings_with_spans_and_messages() -> None:
    text = "关于印发威廉希尔中国的通知。锛堜竴锛変富鍔ㄥ叕寮"
    found = damage.find_damage(text, normalize.normalize(text, RES))
    assert [f.code for f in found] == ["spam_injection", "mojibake_fragment"]
    for f in found:
        assert f.severity == "warning" and f.rule == "damage" and f.start is not None and f.end is not None
        assert text[f.start:f.end] in f.message
    assert "UTF-8 bytes read as GBK" in found[1].message


def _prose(text: str) -> tuple:
    view = normalize.normalize(text, RES)
    return prose.extract_prose(text, view, (Section("proactive", "", 0, len(text), 0),), RES, ParseSettings())


@pytest.mark.parametrize("damaged,clean,value", [
    ("予以公开3鍔ㄥ叕寮件。", "予以公开3。", 3),  # a bare count that a rule would take
    ("新闻发布会申博体育8场。", "新闻发布会全年8场。", 8),  # the jieba fallback would label it
])
def test_numbers_inside_damage_are_never_figures(damaged: str, clean: str, value: int) -> None:
    figs, findings = _prose(clean)
    assert [f.value for f in figs] == [value]  # the control: the number is a figure in clean text
    figs, findings = _prose(damaged)
    assert figs == ()
    codes = [f.code for f in findings]
    assert codes and set(codes) <= {"mojibake_fragment", "spam_injection"}
    assert all(f.section == "proactive" for f in findings)


def test_figures_outside_damage_are_kept() -> None:
    figs, findings = _prose("关于印发威廉希尔中国的通知。全年主动公开政府信息120条。")
    assert [(f.metric, f.value) for f in figs] == [("proactive.total", 120)]
    assert [f.code for f in findings] == ["spam_injection"]


def test_never_raises_on_odd_input() -> None:
    for text in ("", "\ufffd" * 100, "?" * 50, "鍔" * 1000, "威廉希尔" * 200, "? 0\n" * 30):
        assert isinstance(damage.find_damage(text, normalize.normalize(text, RES)), tuple)
