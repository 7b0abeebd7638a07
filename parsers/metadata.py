"""Placeholder metadata (replaced by the full implementation)."""
from __future__ import annotations

from parsers.records import Metadata, Section, TextView


def extract_metadata(text: str, view: TextView, sections: tuple[Section, ...], *, title: str | None,
                     breadcrumb: str | None, publish_date: str | None, url: str | None) -> Metadata:
    return Metadata(title=title, publish_date=publish_date, url=url)
