"""Placeholder lexicon (replaced by the project dictionary)."""
from __future__ import annotations

from typing import Any


def build_tokenizer() -> Any:
    import jieba

    tok = jieba.Tokenizer()
    tok.initialize()
    return tok
