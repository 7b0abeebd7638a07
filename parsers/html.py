"""Placeholder main-content extraction (replaced by the full implementation)."""
from __future__ import annotations

from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

from parsers.records import Finding, RawTable


@dataclass(frozen=True, slots=True)
class Content:
    text: str
    tables: tuple[RawTable, ...] = ()
    title: str | None = None
    breadcrumb: str | None = None
    publish_date: str | None = None
    container: str = ""
    findings: tuple[Finding, ...] = ()


def extract_content(page: str) -> Content:
    tree = LexborHTMLParser(page)
    body = tree.body
    text = body.text(separator="\n") if body is not None else ""
    title = tree.css_first("title")
    return Content(text=text, title=title.text(strip=True) if title else None)
