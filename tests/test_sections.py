"""Segmentation: heading classification table, golden structure fixtures, the seed report, devset recall."""

from __future__ import annotations

import json
import re
from array import array
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

from parsers import normalize
from parsers.records import TextView
from parsers.sections import classify, listed_sections, segment
from parsers.settings import Resources, load_resources

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "structure"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED_DIR = Path(__file__).resolve().parent / "fixtures" / "seed"  # in-repo copy of ../shared/seed
_PINYIN = re.compile(r"\([a-zA-Z\u00c0-\u024f\u1e00-\u1eff]+\)")


@cache
def _resources() -> Resources:
    return load_resources()


def _local_view(text: str, res: Resources) -> TextView:
    """Stand-in for normalize while it is a placeholder: t2s per character, pinyin dropped, width folded."""
    conv = res.t2s.convert(text)
    if len(conv) != len(text):
        conv = "".join(c if len(c := res.t2s.convert(ch)) == 1 else ch for ch in text)
    drop = {i for m in _PINYIN.finditer(text) for i in range(m.start(), m.end())}
    out, starts, ends = [], array("l"), array("l")
    for i, ch in enumerate(conv):
        if i in drop:
            continue
        o = ord(ch)
        out.append(chr(o - 0xFEE0) if 0xFF01 <= o <= 0xFF5E else " " if ch == "\u3000" else ch)
        starts.append(i)
        ends.append(i + 1)
    return TextView("".join(out), starts, ends)


def make_view(text: str) -> TextView:
    """The real normalized view when normalize strips pinyin, else the local stand-in."""
    res = _resources()
    if normalize.normalize("機構(gòu)", res).text == "机构":
        return normalize.normalize(text, res)
    return _local_view(text, res)


@pytest.mark.parametrize("title, expected", [
    # overview
    ("概述", "overview"), ("概 述", "overview"), ("主要工作概述", "overview"), ("政府信息公开工作的概况", "overview"),
    ("基本情况概述", "overview"), ("政府信息公开总体工作情况", "overview"), ("工作基本情况", "overview"),
    ("主要任务落实情况", "overview"), ("政务公开工作完成情况", "overview"), ("总体情况", "overview"),
    ("本年度政府信息公开工作的基本情况", "overview"), ("总体情况及《要点》落实情况", "overview"),
    # proactive
    ("主动公开政府信息情况", "proactive"), ("行政机关主动公开政府信息情况", "proactive"),
    ("政府信息主动公开情况", "proactive"), ("主动公开方面", "proactive"), ("依法主动公开政府信息的情况", "proactive"),
    # requests
    ("收到和处理政府信息公开申请情况", "requests"), ("政府信息依申请公开情况", "requests"),
    ("政府信息依申请公开和不予公开情况", "requests"), ("依申请公开", "requests"),
    ("依申请公开办理和行政复议、申诉、诉讼情况", "requests"), ("收到申请情况", "requests"), ("申请答复情况", "requests"),
    ("依申请公开、不予公开及咨询政府信息情况", "requests"),
    # review and litigation
    ("政府信息公开行政复议、行政诉讼情况", "review_litigation"), ("行政复议和行政诉讼情况", "review_litigation"),
    ("申请行政复议情况", "review_litigation"), ("复议、诉讼和申诉办理情况", "review_litigation"),
    ("因政府信息公开申请行政复议、提起行政诉讼的情况", "review_litigation"),
    ("因政府信息公开工作被申请行政复议、提起行政诉讼情况", "review_litigation"),
    ("政府信息公开行政法复议、行政诉讼情况", "review_litigation"), ("举报投诉处理情况", "review_litigation"),
    # fees
    ("政府信息公开的收费及减免情况", "fees"), ("人员和收支情况", "fees"), ("政府信息公开支出和收费情况", "fees"),
    ("公开收费情况", "fees"),
    # problems
    ("主要问题和改进措施", "problems_improvements"), ("存在的主要问题和下步工作措施", "problems_improvements"),
    ("存在的主要问题及下一步工作打算", "problems_improvements"), ("存在问题及工作打算", "problems_improvements"),
    ("存在主要问题和整改措施", "problems_improvements"), ("存在问题、下步工作计划", "problems_improvements"),
    ("2022年工作思路", "problems_improvements"),
    # other sections
    ("其他需要报告的事项", "other_matters"), ("其他需要报告事项", "other_matters"), ("需要说明的事项", "other_matters"),
    ("其它相关工作情况", "other_matters"), ("需要说明的事项与附表", "other_matters"),
    ("回应解读情况", "interpretation_response"), ("政策解读、回应社会关切", "interpretation_response"),
    ("咨询处理情况", "consultation"), ("政府信息公开咨询处理情况", "consultation"), ("咨询和投诉情况", "consultation"),
    ("机构建设和保障经费情况", "capacity"), ("政府信息公开会议和培训情况", "capacity"),
    ("政府信息公开工作机构、人员情况", "capacity"),
    ("人大代表建议和政协委员提案办理结果情况", "npc_cppcc"), ("代表建议委员提案办理结果公开情况", "npc_cppcc"),
    ("重点领域政府信息公开工作情况", "key_areas"),
    ("附表", "appendix"), ("政府信息公开情况统计表", "appendix"), ("相关说明和指标统计表", "appendix"),
    # not canonical
    ("审批事项办理情况", None), ("政府信息公开情况", None),
])
def test_classify(title: str, expected: str | None) -> None:
    assert classify(title) == expected


@pytest.mark.parametrize("name", sorted(json.loads((FIXTURES / "expected.json").read_text("utf-8"))))
def test_golden_structure(name: str) -> None:
    expected = json.loads((FIXTURES / "expected.json").read_text("utf-8"))[name]
    text = (FIXTURES / name).read_text("utf-8")
    secs, findings = segment(text, make_view(text))
    assert [[s.section_id, s.heading] for s in secs] == expected["sections"]
    assert [f.code for f in findings] == expected["findings"]
    # sections tile the text from the first heading on, and headings are source slices
    for a, b in zip(secs, secs[1:]):
        assert a.end == b.start
    assert secs[-1].end == len(text)
    for s in secs:
        assert text[s.start:s.heading_end] == s.heading or s.section_id == "preamble"


def test_listed_sections() -> None:
    text = ("本报告由主动公开政府信息情况,依申请公开政府信息和不予公开政府信息情况,政府信息公开收费及减免情况,"
            "因政府信息公开申请行政复议和提起行政诉讼情况,政府信息公开工作存在的主要问题及改进情况,"
            "其他需要报告事项共六个部分组成。")
    assert listed_sections(text) == ("proactive", "requests", "fees", "review_litigation",
                                     "problems_improvements", "other_matters")


@pytest.mark.parametrize("text", ["", "\n\n", "没有标题的一段文字。", "一、\n二、", "| 一、本年新收 | 3 |",
                                  "一" * 5000, "(一)(二)(三)\n1.\n2."])
def test_bad_input_never_crashes(text: str) -> None:
    secs, findings = segment(text, TextView.identity(text))
    assert secs and secs[0].start == 0 and secs[-1].end == len(text)
    assert all(f.code in {"no_section_headings", "unknown_heading"} for f in findings)


def test_traditional_pinyin_seed() -> None:
    path = SEED_DIR / "000_c5bff7659f61e6f7.txt"
    expect = json.loads((SEED_DIR / "seed-expect.json").read_text("utf-8"))
    text = path.read_text("utf-8")
    secs, findings = segment(text, make_view(text))
    assert [s.section_id for s in secs] == expect["sections_in_order"]
    assert {s.section_id: s.heading for s in secs if s.heading} == expect["section_headings_as_printed"]
    assert not findings  # the preamble's five listed parts are all present


def test_devset_heading_recall() -> None:
    """Every gold `heading` of the devset passages is recovered as a section heading (floor: all 38)."""
    gold_path = SHARED / "devset" / "gold.jsonl"
    if not gold_path.is_file():
        pytest.skip("../shared/devset is absent")
    gold: dict[str, set[str]] = defaultdict(set)
    for line in gold_path.read_text("utf-8").splitlines():
        obj = json.loads(line)
        if obj.get("heading"):
            gold[obj["passage"]].add(re.sub(r"\s+", "", obj["heading"]))
    total = found = 0
    for pid, heads in gold.items():
        body = (SHARED / "devset" / "passages" / f"{pid}.txt").read_text("utf-8").split("---\n", 1)[1]
        secs, _ = segment(body, make_view(body))
        got = {re.sub(r"\s+", "", s.heading) for s in secs}
        total += len(heads)
        found += len(heads & got)
    assert total >= 38 and found >= 38, (found, total)
