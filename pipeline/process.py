"""The per-document function every executor runs: corpus item in, dataset rows out.

A problem with one document is data, never a crash of the batch: any exception raised while parsing
or checking becomes a ``failed`` document row with a ``parser_error`` finding.
"""

from __future__ import annotations

import hashlib
import traceback
from collections.abc import Callable

from parsers.page import doc_id_for, parse_page
from parsers.records import DecodeInfo, Document, Finding, Metadata, TextView
from parsers.settings import ParseSettings, Resources
from pipeline.corpus import CorpusItem
from pipeline.rows import DocRows, document_rows

Checker = Callable[[Document], tuple[Finding, ...]]


def load_checker() -> Checker:
    """The consistency checks of :mod:`pipeline.checks` (imported on demand: they pull in pandas)."""
    from pipeline.checks import check_document

    return check_document


def _stub_document(item: CorpusItem, status: str, finding: Finding) -> Document:
    return Document(
        doc_id=doc_id_for(item.data), source=item.source, sha256=hashlib.sha256(item.data).hexdigest(),
        status=status, media_type="text", decode=DecodeInfo("none", "fallback"), text="",  # type: ignore[arg-type]
        normalized=TextView.identity(""), metadata=Metadata(url=item.url, synthetic=item.synthetic),
        findings=(finding,), n_bytes=len(item.data))


def process_item(item: CorpusItem, settings: ParseSettings, resources: Resources,
                 checker: Checker | None = None) -> DocRows:
    """Parse, check and flatten one corpus item; never raises for bad input."""
    if item.error is not None:
        doc = _stub_document(item, "unreadable", Finding("read_error", "error", item.error))
        return document_rows(doc, error=item.error)
    try:
        doc = parse_page(item.data, source=item.source, resources=resources, settings=settings,
                         content_type=item.content_type, url=item.url, synthetic=item.synthetic)
    except Exception as exc:  # noqa: BLE001 - a parser bug must not stop the batch; it is recorded
        message = f"{type(exc).__name__}: {exc}"
        detail = traceback.format_exc(limit=6)
        doc = _stub_document(item, "failed", Finding("parser_error", "error", message,
                                                     details=(("traceback", detail),)))
        return document_rows(doc, error=message)
    extra: tuple[Finding, ...] = ()
    if checker is not None and doc.figures:
        try:
            extra = checker(doc)
        except Exception as exc:  # noqa: BLE001 - same rule for the checks
            extra = (Finding("check_error", "error", f"{type(exc).__name__}: {exc}"),)
    return document_rows(doc, extra)
