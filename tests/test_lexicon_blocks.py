"""jieba segments each run of block characters on its own: ``lexicon.block_tokens`` relies on it."""

from __future__ import annotations

import re

import jieba

from parsers import lexicon
from parsers.settings import load_resources


def test_block_pattern_is_jiebas() -> None:
    assert f"({lexicon.JIEBA_BLOCK.pattern})" == jieba.re_han_default.pattern
    assert all(lexicon.JIEBA_BLOCK.fullmatch(w) for w in lexicon.TERM_METRICS)  # phrases lie inside one run


def test_block_tokens_are_the_tokens_of_the_whole_text() -> None:
    tok = load_resources().tokenizer
    wanted = re.compile("|".join(map(re.escape, lexicon.TERM_METRICS)))
    texts = ("编印《我市人民政府公报》17期", "召开新闻发布会5场，在线访谈3期", "政务微博发布信息3567条,粉丝数达155809人",
             "全年举办培训班12期、专题培训4次（共培训500人次）", "无关的文字", "", "a1政府公报b2 发布会\n解读10篇")
    for text in texts:
        whole = [t for t in tok.tokenize(text) if wanted.fullmatch(t[0])]
        assert [t for t in lexicon.block_tokens(tok, text, wanted) if wanted.fullmatch(t[0])] == whole, text
        runs = [m.span() for m in lexicon.JIEBA_BLOCK.finditer(text) if wanted.search(m.group())]
        expected = [t for t in tok.tokenize(text) if any(a <= t[1] and t[2] <= b for a, b in runs)]
        assert list(lexicon.block_tokens(tok, text, wanted)) == expected, text
