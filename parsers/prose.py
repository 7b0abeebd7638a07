"""Placeholder prose extraction (replaced by the full rule engine)."""
from __future__ import annotations

from parsers.records import Figure, Finding, Section, TextView
from parsers.settings import ParseSettings, Resources


def extract_prose(text: str, view: TextView, sections: tuple[Section, ...], resources: Resources,
                  settings: ParseSettings, exclude: tuple[tuple[int, int], ...] = ()
                  ) -> tuple[tuple[Figure, ...], tuple[Finding, ...]]:
    return (), ()
