"""Reading a corpus: folders of page files, the bundled sample corpus, and WARC archives.

Every reader yields :class:`CorpusItem` records: the page bytes plus where they came from. Nothing is
skipped silently: a file that cannot be read still yields an item (with ``error`` set) so that it appears
in ``documents.csv`` with a status.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: File suffixes read from a folder corpus (case-insensitive).
PAGE_SUFFIXES = (".html", ".htm", ".shtml", ".txt", ".md")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
#: A sidecar ``<file>.meta.json`` next to a page may say ``{"url": ..., "synthetic": true, ...}``.
META_SUFFIX = ".meta.json"


@dataclass(frozen=True, slots=True)
class CorpusItem:
    """One input document as read from a corpus."""

    source: str  # path (relative to the corpus root when possible) or WARC record locator
    data: bytes
    url: str | None = None
    content_type: str | None = None  # HTTP Content-Type when known (WARC)
    synthetic: bool = False
    fetched_at: str | None = None
    error: str | None = None  # set when the input could not be read at all


def bundled_corpus() -> Path:
    """The corpus shipped in the repository (``corpus/``)."""
    return Path(__file__).resolve().parents[1] / "corpus"


def _read_meta(path: Path) -> dict[str, object]:
    side = path.with_name(path.name + META_SUFFIX)
    if not side.exists():
        return {}
    try:
        value = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _is_page(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(PAGE_SUFFIXES) and not name.endswith(META_SUFFIX) and name != "readme.md"


def _is_warc(path: Path) -> bool:
    return path.name.lower().endswith(WARC_SUFFIXES)


def is_archive(path: Path) -> bool:
    """A WARC/ARC file (its document count is unknown until it is read)."""
    return _is_warc(path)


def iter_inputs(root: Path) -> Iterator[Path]:
    """Page files and WARC files below ``root`` (or ``root`` itself), lazily, in a stable order.

    Folders are walked one at a time, so memory does not grow with the number of files.
    """
    if root.is_file():
        yield root
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        base = Path(folder)
        for name in sorted(files):
            path = base / name
            if _is_page(path) or _is_warc(path):
                yield path


def list_inputs(root: Path) -> list[Path]:
    """:func:`iter_inputs` as a list."""
    return list(iter_inputs(root))


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root if root.is_dir() else root.parent))
    except ValueError:
        return str(path)


def iter_file(path: Path, root: Path) -> Iterator[CorpusItem]:
    """Items of one input file: a page file gives one item, a WARC file one per response record."""
    if _is_warc(path):
        from pipeline.warc import iter_warc

        yield from iter_warc(path, display=_display(path, root))
        return
    meta = _read_meta(path)
    url = meta.get("url")
    try:
        data = path.read_bytes()
        error = None
    except OSError as exc:
        data, error = b"", f"{type(exc).__name__}: {exc}"
    yield CorpusItem(source=_display(path, root), data=data,
                     url=url if isinstance(url, str) else None,
                     synthetic=bool(meta.get("synthetic", False)), error=error)


def iter_corpus(roots: list[Path]) -> Iterator[CorpusItem]:
    """All items of the given corpus roots (folders, page files or WARC files), in a stable order."""
    for root in roots:
        for path in iter_inputs(root):
            yield from iter_file(path, root)
