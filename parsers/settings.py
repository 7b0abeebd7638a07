"""Explicit parse settings and the per-process resources (OpenCC converters, jieba tokenizer).

Settings are plain frozen data and are part of a dataset's reproducibility fingerprint. Resources are
expensive to build (jieba ~1.5 s) and are created once per process by the caller and passed down;
the parsers never keep them in module globals.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

EXTRACTOR_VERSION = "0.1.0"


@dataclass(frozen=True, slots=True)
class ParseSettings:
    """Knobs that change what the parser outputs (so they enter the config hash).

    >>> ParseSettings().fingerprint() == ParseSettings().fingerprint()
    True
    """

    max_chars: int = 3_000_000  # longer texts are truncated, with a finding
    use_jieba: bool = True  # jieba labels numbers that the regex rules left unlabelled
    extract_tables: bool = True

    def fingerprint(self) -> str:
        payload = json.dumps({"v": EXTRACTOR_VERSION, **asdict(self)}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


@dataclass(slots=True)
class Resources:
    """Heavy, read-only helpers built once per process (see :func:`load_resources`)."""

    t2s: Any  # opencc.OpenCC('t2s')
    tw2sp: Any  # opencc.OpenCC('tw2sp'): Taiwan phrases (檔案→文件, 網路→网络), only for traditional texts
    _tokenizer: Any = field(default=None)

    @property
    def tokenizer(self) -> Any:
        """A private jieba ``Tokenizer`` with the project dictionary (built on first use)."""
        if self._tokenizer is None:
            from parsers.lexicon import build_tokenizer

            self._tokenizer = build_tokenizer()
        return self._tokenizer


def load_resources(*, warm_jieba: bool = False) -> Resources:
    """Build the per-process resources. ``warm_jieba`` initialises jieba now (before a fork)."""
    import opencc

    res = Resources(t2s=opencc.OpenCC("t2s"), tw2sp=opencc.OpenCC("tw2sp"))
    if warm_jieba:
        _ = res.tokenizer
    return res
