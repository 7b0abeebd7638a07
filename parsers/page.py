"""The one public entry point: page bytes (or text) in, a frozen :class:`Document` out.

Steps (README "data flow" 2–5): decode → main content → normalize → segment → metadata →
extract (prose rules + standard tables). Pure: no network, disk, clock or global state.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from parsers import decode, html, metadata, normalize, prose, sections, tables
from parsers.records import DecodeInfo, Document, Figure, Finding, MediaType, Metadata, Status, TextView
from parsers.settings import EXTRACTOR_VERSION, ParseSettings, Resources

_HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml", ".asp", ".aspx", ".jsp", ".php")


def guess_media_type(name: str, data: bytes) -> MediaType:
    """``html`` for page-like names or bytes that start like markup, else ``text``.

    >>> guess_media_type("a.txt", b"<html>"), guess_media_type("x.htm", b"abc")
    ('text', 'html')
    """
    lower = name.lower().split("?", 1)[0]
    if lower.endswith((".txt", ".md")):
        return "text"
    if lower.endswith(_HTML_SUFFIXES):
        return "html"
    head = data[:2048].lstrip().lower()
    return "html" if head.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<meta")) else "text"


#: A document id is the first 16 hex digits of the sha256 of the page bytes.
DOC_ID_CHARS = 16


def doc_id_for(data: bytes) -> str:
    """A document id: the first 16 hex digits of the sha256 of the page bytes."""
    return hashlib.sha256(data).hexdigest()[:DOC_ID_CHARS]


def parse_page(
    data: bytes,
    *,
    source: str,
    resources: Resources,
    settings: ParseSettings = ParseSettings(),
    media_type: MediaType | None = None,
    content_type: str | None = None,
    url: str | None = None,
    synthetic: bool = False,
) -> Document:
    """Parse one page into a :class:`Document`; never raises on bad input (problems become findings).

    ``media_type`` ``text`` means already-extracted text: the decoded content *is* the source text,
    so ``text[f.start:f.end] == f.quote`` refers to the file itself.

    >>> from parsers.settings import load_resources
    >>> doc = parse_page("二、主动公开政府信息情况\\n共主动公开政府信息120条。".encode(),
    ...                  source="x.txt", resources=load_resources())
    >>> [(f.metric, int(f.value)) for f in doc.figures]
    [('proactive.total', 120)]
    """
    sha = hashlib.sha256(data).hexdigest()
    kind: MediaType = media_type or guess_media_type(source, data)
    base = dict(doc_id=sha[:DOC_ID_CHARS], source=source, sha256=sha, media_type=kind,
                extractor_version=EXTRACTOR_VERSION, n_bytes=len(data))
    findings: list[Finding] = []
    empty_meta = Metadata(url=url, synthetic=synthetic)

    if not data or data.isspace():  # not data.strip(), without copying the input
        return Document(status="empty", decode=DecodeInfo("none", "fallback"), text="",
                        normalized=TextView.identity(""), metadata=empty_meta,
                        findings=(Finding("empty_input", "error", "the input holds no bytes but white space"),),
                        **base)  # type: ignore[arg-type]
    if decode.looks_binary(data):
        return Document(status="unreadable", decode=DecodeInfo("binary", "fallback"), text="",
                        normalized=TextView.identity(""), metadata=empty_meta,
                        findings=(Finding("binary_input", "error",
                                          "the input looks binary (NUL or control bytes), not a page"),),
                        **base)  # type: ignore[arg-type]

    raw_text, info = decode.decode_bytes(data, content_type=content_type)
    findings.extend(decode.decode_findings(info, len(raw_text)))

    if kind == "html":
        # Bytes that decoded as strict UTF-8 (no BOM, no other declared charset) are the text's UTF-8 form:
        # hand them to the HTML parser as they are instead of encoding the text again.
        same_bytes = (info.encoding == "utf-8" and info.method != "bom" and info.replacements == 0
                      and (info.declared or "utf-8").lower().replace("_", "-") in ("utf-8", "utf8"))
        content = html.extract_content(raw_text, utf8=data if same_bytes else None)
        findings.extend(content.findings)
        text, raw_tables = content.text, content.tables
        title, breadcrumb, publish_date = content.title, content.breadcrumb, content.publish_date
    else:
        text, raw_tables = raw_text, ()
        title = breadcrumb = publish_date = None

    if len(text) > settings.max_chars:
        findings.append(Finding("text_truncated", "warning",
                                f"text of {len(text)} characters cut to {settings.max_chars}"))
        text = text[: settings.max_chars]
        raw_tables = tuple(t for t in raw_tables if t.end <= settings.max_chars)

    if not text or text.isspace():
        return Document(status="empty", decode=info, text=text, normalized=TextView.identity(text),
                        metadata=replace(empty_meta, title=title),
                        findings=(*findings, Finding("no_text", "error", "no readable text in the page")),
                        **base)  # type: ignore[arg-type]

    view = normalize.normalize(text, resources)
    secs, sec_findings = sections.segment(text, view)
    findings.extend(sec_findings)
    # Titles and breadcrumbs outside the body are normalized like the body (simplified script).
    meta = metadata.extract_metadata(text, view, secs, title=_normalized(title, resources),
                                     breadcrumb=_normalized(breadcrumb, resources),
                                     publish_date=publish_date, url=url)
    meta = replace(meta, synthetic=synthetic, url=url)

    figures: list[Figure] = []
    t_figs, t_findings = (tables.extract_tables(text, view, raw_tables, secs, meta)
                          if settings.extract_tables else ((), ()))
    p_figs, p_findings = prose.extract_prose(text, view, secs, resources, settings,
                                             exclude=tables.table_spans(t_figs, raw_tables))
    figures.extend(t_figs)
    figures.extend(p_figs)
    findings.extend(t_findings)
    findings.extend(p_findings)
    figures.sort(key=lambda f: (f.start, f.end, f.metric))

    status: Status = "ok" if (secs and any(s.section_id != "preamble" for s in secs)) or figures else "no_report"
    if status == "no_report":
        findings.append(Finding("no_report_structure", "warning",
                                "no annual-report headings or figures were found in this page"))
    return Document(status=status, decode=info, text=text, normalized=view, metadata=meta,
                    sections=secs, tables=raw_tables, figures=tuple(figures), findings=tuple(findings),
                    **base)  # type: ignore[arg-type]



def _normalized(value: str | None, resources: Resources) -> str | None:
    return normalize.normalize_text(value, resources) if value else value
