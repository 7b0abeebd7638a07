"""ogi's effectful half: corpus reading, executors, dataset, checks, comparison, CLI.

For notebooks, two functions are available lazily (importing ``pipeline`` stays cheap: pandas and
matplotlib load on first use):

>>> import pipeline
>>> df = pipeline.load_dataset("outputs")  # doctest: +SKIP
>>> pipeline.panel(df, "requests.received.total", level="city", years="2013-2024")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {"load_dataset": "pipeline.dataset", "panel": "pipeline.compare_panel"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
