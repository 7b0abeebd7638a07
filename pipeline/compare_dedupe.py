"""One report counts once: finding copies of the same report reached through different files or URLs.

A report is often published more than once: the same page under two URLs, a GBK page and a UTF-8 mirror,
a page and its text export (the bundled corpus holds the 2013 Mudanjiang report all three ways). Two
documents are copies when they share any of these keys (transitively):

1. ``bytes``: the same page bytes (``sha256``), e.g. one page reached through two URLs;
2. ``text``: the same text once every character that is not a letter or digit is removed (whitespace,
   punctuation, line breaks, table rules), hashed. This catches re-encodings (GBK vs UTF-8) and text
   exports of a page, whatever the encoding or layout. Needs the documents table (it holds the text);
   texts shorter than ``MIN_TEXT`` characters are not keyed (error pages, stubs);
3. ``figures``: the same region and data year with the same set of figures (metric, applicant, value,
   cumulative flag), at least ``MIN_FIGURES`` of them and not all zero (``MIN_FIGURES_NO_REGION`` when the
   region is unknown). This catches copies whose pages differ around the report (portal navigation,
   banners) but whose report is the same.

Which copy is kept (the others are listed with ``duplicate_of``): status ``ok`` first, then the copy with
the most figures, then an HTML page over plain text (it keeps tables, URL and publish date), then the fewest
decoding replacements, then the first ``source`` in sort order, so the choice is deterministic.

>>> content_key("第一条，  共受理申请28件。") == content_key("第一条\\n共受理申请 28 件")
True
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import pandas as pd

MIN_TEXT = 50
MIN_FIGURES = 3
MIN_FIGURES_NO_REGION = 8
_NOT_WORD = re.compile(r"[\W_]+")
DUPLICATE_COLUMNS = ["doc_id", "source", "duplicate_of", "kept_source", "key"]


def content_key(text: Any) -> str | None:
    """Hash of the text's letters and digits only (None for short or missing texts)."""
    if not isinstance(text, str):
        return None
    core = _NOT_WORD.sub("", text)
    if len(core) < MIN_TEXT:
        return None
    return hashlib.sha256(core.encode("utf-8")).hexdigest()[:24]


def _fmt(value: float) -> str:
    return repr(round(float(value), 6))


def figure_key(group: pd.DataFrame) -> str | None:
    """Hash of (region, year, figure set) of one document's source figures, or None when too thin."""
    rows = group[group["value"].notna()]
    if "is_derived" in rows.columns:
        rows = rows[~rows["is_derived"].fillna(False).astype(bool)]
    if rows.empty:
        return None
    first = rows.iloc[0]
    year = first.get("data_year")
    if year is None or pd.isna(year):
        return None
    region = next((str(first[c]) for c in ("adcode", "region") if c in rows and pd.notna(first[c])), "")
    if len(rows) < (MIN_FIGURES if region else MIN_FIGURES_NO_REGION) or not (rows["value"] != 0).any():
        return None
    items = sorted(
        (str(m), "" if pd.isna(a) else str(a), _fmt(v), bool(c) if pd.notna(c) else False)
        for m, a, v, c in zip(rows["metric"], rows.get("applicant", pd.Series([None] * len(rows))),
                              rows["value"], rows.get("is_cumulative", pd.Series([False] * len(rows)))))
    payload = json.dumps([region, int(year), items], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]


def _doc_table(figures: pd.DataFrame, documents: pd.DataFrame | None) -> pd.DataFrame:
    counts = figures.groupby("doc_id").size().rename("_n")
    if documents is not None and not documents.empty:
        docs = documents.drop_duplicates("doc_id").set_index("doc_id")
    else:
        docs = figures.drop_duplicates("doc_id").set_index("doc_id")[
            [c for c in ("source", "sha256") if c in figures.columns]]
    docs = docs.join(counts, how="outer")
    docs["_n"] = docs["_n"].fillna(0).astype(int)
    for col, default in (("status", "ok"), ("media_type", "html"), ("replacements", 0), ("source", ""),
                         ("sha256", None), ("text", None), ("text_key", None)):
        if col not in docs.columns:
            docs[col] = default
    return docs


def _rank(doc: pd.Series) -> tuple[Any, ...]:
    replacements = doc["replacements"]
    return (doc["status"] != "ok", -int(doc["_n"]), doc["media_type"] != "html",
            0 if pd.isna(replacements) else int(replacements), str(doc["source"]))


def find_duplicates(figures: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Copies to drop: one row per dropped document, naming the kept copy and the key that matched.

    ``figures`` is the figures table; ``documents`` (optional) adds the text key (from its ``text`` column,
    or a precomputed ``text_key``) and the status ranking.
    """
    docs = _doc_table(figures, documents)
    keys: dict[str, list[tuple[str, str]]] = {}
    for doc_id, doc in docs.iterrows():
        if isinstance(doc["sha256"], str) and doc["sha256"]:
            keys.setdefault(f"bytes:{doc['sha256']}", []).append((str(doc_id), "bytes"))
        tk = doc["text_key"] if isinstance(doc["text_key"], str) else content_key(doc["text"])
        if tk is not None:
            keys.setdefault(f"text:{tk}", []).append((str(doc_id), "text"))
    for doc_id, group in figures.groupby("doc_id", sort=False):
        if (fk := figure_key(group)) is not None:
            keys.setdefault(f"figures:{fk}", []).append((str(doc_id), "figures"))
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    why: dict[str, set[str]] = {}
    for members in keys.values():
        if len(members) < 2:
            continue
        first = root(members[0][0])
        for doc_id, kind in members:
            why.setdefault(doc_id, set()).add(kind)
            r = root(doc_id)
            if r != first:
                parent[r] = first
    groups: dict[str, list[str]] = {}
    for doc_id in why:
        groups.setdefault(root(doc_id), []).append(doc_id)
    rows = []
    for group in groups.values():
        ranked = sorted(group, key=lambda d: _rank(docs.loc[d]))
        kept = ranked[0]
        for doc_id in ranked[1:]:
            rows.append({"doc_id": doc_id, "source": docs.loc[doc_id, "source"], "duplicate_of": kept,
                         "kept_source": docs.loc[kept, "source"], "key": "+".join(sorted(why[doc_id]))})
    return pd.DataFrame(rows, columns=DUPLICATE_COLUMNS).sort_values("source", ignore_index=True)
