"""The docstring examples of every module in parsers/ and pipeline/ run as tests (several pin a fast
path to the plain form it replaces, others document the public API)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import parsers
import pipeline


def _modules() -> list[str]:
    """The modules that have docstring examples (not all marked ``+SKIP``)."""
    finder, names = doctest.DocTestFinder(), []
    for package in (parsers, pipeline):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            module = importlib.import_module(info.name)
            if any(not e.options.get(doctest.SKIP) for t in finder.find(module) for e in t.examples):
                names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.attempted > 0 and result.failed == 0, f"{result.failed} of {result.attempted} docstring examples failed in {name}"
