"""The private jieba tokenizer and the project's domain dictionary (parsers/data/userdict.txt).

Never use the global ``jieba`` functions: a process may hold other jieba users with other dictionaries.
:data:`TERM_METRICS` maps dictionary phrases to the metric a nearby number measures (the fallback used by
the prose extractor when no regex rule labelled a number), with the units that phrase accepts.

>>> TERM_METRICS["新闻发布会"][0]
'response.press_conferences'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources as _res
from types import MappingProxyType
from typing import Any

_ITEMS = frozenset({"条", "件", "篇", "份", "条次"})
_EVENTS = frozenset({"次", "场", "期", "场次", "批次"})
_PEOPLE = frozenset({"人次", "人", "名"})

#: phrase -> (metric id, accepted units). Every phrase is also in the user dictionary (a test checks it).
TERM_METRICS = MappingProxyType({
    "新闻发布会": ("response.press_conferences", _EVENTS),
    "发布会": ("response.press_conferences", _EVENTS),
    "在线访谈": ("response.online_interviews", _EVENTS),
    "政策解读": ("response.policy_interpretations", _ITEMS | _EVENTS),
    "解读": ("response.policy_interpretations", _ITEMS),
    "舆情": ("response.hot_issues", _EVENTS | _ITEMS),
    "政府公报": ("platform.gazette_issues", frozenset({"期"})),
    "访问量": ("platform.website_visits", _EVENTS | frozenset({"人次"})),
    "浏览量": ("platform.website_visits", _EVENTS | frozenset({"人次"})),
    "点击量": ("platform.website_visits", _EVENTS | frozenset({"人次"})),
    "阅读量": ("platform.new_media_reads", _EVENTS | frozenset({"人次"})),
    "培训班": ("training.sessions", _EVENTS),
    "专题培训": ("training.sessions", _EVENTS),
    "培训": ("training.trainees", _PEOPLE),
    "政务微博": ("proactive.by_channel.weibo", _ITEMS),
    "政务微信": ("proactive.by_channel.wechat", _ITEMS),
    "微信公众号": ("proactive.by_channel.wechat", _ITEMS),
    "政务新媒体": ("proactive.by_channel.new_media", _ITEMS),
    "主动公开": ("proactive.total", _ITEMS),
    "依申请公开": ("requests.received.total", frozenset({"件"})),
    "公开申请": ("requests.received.total", frozenset({"件"})),
    "行政复议": ("review.total", frozenset({"件"})),
    "行政诉讼": ("litigation.total", frozenset({"件"})),
    "人大代表建议": ("other.npc_suggestions_published", frozenset({"件"})),
    "政协提案": ("other.cppcc_proposals_published", frozenset({"件"})),
    "查阅点": ("capacity.reading_points", frozenset({"个", "处"})),
})


#: jieba cuts a text into runs of these characters and segments each run on its own (``jieba.re_han_default``;
#: a test checks this copy): the tokens of a run do not depend on the text around it.
JIEBA_BLOCK = re.compile("[\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+")


def block_tokens(tokenizer: Any, text: str, wanted: re.Pattern[str]) -> Iterator[tuple[str, int, int]]:
    """The tokens ``(word, start, end)`` of ``tokenizer.tokenize(text)`` that lie in a run of
    :data:`JIEBA_BLOCK` characters holding a match of ``wanted``, in order, with the same offsets: each such
    run is segmented alone (a fraction of the text). Every token a match of ``wanted`` can equal is among
    them when ``wanted`` matches block characters only (as the lexicon phrases do)."""
    for block in JIEBA_BLOCK.finditer(text):
        start = block.start()
        if wanted.search(text, start, block.end()):
            for word, s, e in tokenizer.tokenize(block.group()):
                yield word, start + s, start + e


def userdict_path() -> Any:
    """The packaged user dictionary (one ``word freq [tag]`` a line)."""
    return _res.files("parsers") / "data" / "userdict.txt"


def userdict_words() -> list[str]:
    """Words of the packaged user dictionary."""
    text = userdict_path().read_text(encoding="utf-8")
    return [line.split()[0] for line in text.splitlines() if line.strip() and not line.startswith("#")]


def build_tokenizer() -> Any:
    """A fresh ``jieba.Tokenizer`` with the project dictionary loaded (about 1.5 s: build once per process)."""
    import jieba

    tok = jieba.Tokenizer()
    tok.initialize()
    for word in userdict_words():
        tok.add_word(word, freq=20000)
    return tok
