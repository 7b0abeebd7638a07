"""`ogi run`: corpus → parsed documents → checks → tidy dataset (README data flow, steps 1–9).

Streaming and incremental: each input is keyed (:func:`pipeline.incremental.doc_key`); documents whose
key is already in the output folder's store are reused, the others go to the executor, and results are
written to part files as they arrive. At the end the parts of this run are merged into the dataset files
(:func:`pipeline.dataset.finalize`). ``force=True`` re-parses everything.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from parsers.settings import EXTRACTOR_VERSION, ParseSettings
from pipeline.corpus import CorpusItem, _is_page, _is_warc, bundled_corpus, iter_file
from pipeline.dataset import Overlay, clean_leftovers, finalize
from pipeline.executors import ExecutorConfig, Job, run_jobs
from pipeline.incremental import UNKEYED, Store, doc_key

READABLE = ("ok", "no_report")


@dataclass(frozen=True, slots=True)
class RunConfig:
    corpus: tuple[Path, ...] = ()
    out: Path = Path("outputs")
    settings: ParseSettings = field(default_factory=ParseSettings)
    executor: ExecutorConfig = field(default_factory=ExecutorConfig)
    overlay: Path | None = None
    force: bool = False  # re-parse documents even when the store holds their rows
    part_docs: int = 256  # documents per part file (the unit of work that survives a kill)

    def roots(self) -> tuple[Path, ...]:
        return self.corpus or (bundled_corpus(),)


@dataclass(frozen=True, slots=True)
class RunSummary:
    n_documents: int
    statuses: dict[str, int]
    n_figures: int
    n_findings: int
    seconds: float
    out: Path
    parsed: int = 0
    reused: int = 0

    @property
    def readable(self) -> int:
        return sum(self.statuses.get(s, 0) for s in READABLE)

    def text(self) -> str:
        parts = ", ".join(f"{n} {s}" for s, n in sorted(self.statuses.items()))
        return (f"ogi run: {self.n_documents} documents ({parts}); {self.n_figures} figures; "
                f"{self.n_findings} findings; {self.parsed} parsed, {self.reused} reused; "
                f"{self.seconds:.1f} s → {self.out}/")


class Progress:
    """Documents done of total, rate and failures: a live line on a terminal, sparse lines otherwise."""

    def __init__(self, total: int | None, stream: TextIO) -> None:
        self.total, self.stream = total, stream
        self.tty = stream.isatty()
        self.start = self.last = time.monotonic()
        self.done = self.failed = 0

    def update(self, status: str) -> None:
        self.done += 1
        self.failed += status not in READABLE
        now = time.monotonic()
        if (self.tty and now - self.last >= 0.1) or (not self.tty and self.done % 1000 == 0):
            self.last = now
            rate = self.done / max(now - self.start, 1e-9)
            of = f"/{self.total}" if self.total else ""
            line = f"{self.done}{of} documents, {rate:.1f} docs/s, {self.failed} not readable"
            self.stream.write(("\r" + line) if self.tty else line + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self.tty and self.done:
            self.stream.write("\r" + " " * 70 + "\r")
            self.stream.flush()


def _overlay(path: Path | None) -> Overlay | None:
    if path is None or not path.exists():
        return None
    from pipeline.audit import apply_overlay

    return lambda frame: apply_overlay(frame, path)


def _walk(root: Path) -> Iterator[Path]:
    """Input files below ``root`` in a stable order, lazily (memory independent of the number of files)."""
    if root.is_file():
        yield root
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        base = Path(folder)
        for name in sorted(files):
            path = base / name
            if _is_page(path) or _is_warc(path):  # the corpus reader's own rules for input files
                yield path


def _iter_items(roots: list[Path]) -> Iterator[CorpusItem]:
    for root in roots:
        for path in _walk(root):
            yield from iter_file(path, root)


def _count_inputs(roots: list[Path]) -> int | None:
    """Number of input files, or None when WARC archives make the document count unknown up front."""
    n = 0
    for root in roots:
        for path in _walk(root):
            if path.name.lower().endswith((".warc", ".warc.gz", ".arc", ".arc.gz")):
                return None
            n += 1
    return n


class _Feeder:
    """Turns corpus items into executor jobs, skipping (and counting) documents the store already holds."""

    def __init__(self, store: Store, fingerprint: str, force: bool, progress: Progress | None) -> None:
        self.store, self.fingerprint, self.force, self.progress = store, fingerprint, force, progress
        self.reused = self.submitted = 0

    def jobs(self, roots: list[Path]) -> Iterator[Job]:
        for item in _iter_items(roots):
            key = doc_key(item, self.fingerprint)
            if key is None:
                key = f"{UNKEYED}{self.store.run_id}:{self.submitted}"
            elif not self.force and self.store.has(key):
                self.store.reuse(key)
                self.reused += 1
                if self.progress:
                    self.progress.update("ok")
                continue
            self.submitted += 1
            yield key, item


def run(config: RunConfig, progress_stream: TextIO | None = sys.stderr) -> RunSummary:
    """Run the whole pipeline and write the dataset; returns a summary (no exception for bad documents)."""
    started = time.monotonic()
    roots = [Path(r) for r in config.roots()]
    for root in roots:
        if not root.exists():
            raise FileNotFoundError(f"corpus not found: {root}")
    progress = Progress(_count_inputs(roots), progress_stream) if progress_stream else None
    out = config.out
    out.mkdir(parents=True, exist_ok=True)
    clean_leftovers(out)
    now = time.time_ns()  # part names sort in run order and never collide between runs
    run_id = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now / 1e9)) + f"_{now % 10**9:09d}-{os.getpid()}"
    store = Store(out, run_id, part_docs=config.part_docs)
    fingerprint = config.settings.fingerprint()
    feeder = _Feeder(store, fingerprint, config.force, progress)
    parsed = 0
    try:
        for key, columns in run_jobs(feeder.jobs(roots), config.settings, config.executor):
            store.add(key, columns)
            parsed += 1
            if progress:
                progress.update(columns.status)
        store.close()
        if progress:
            progress.close()
        manifest = {
            "extractor_version": EXTRACTOR_VERSION, "settings_fingerprint": fingerprint,
            "corpus": [str(r) for r in roots], "executor": config.executor.kind,
            "workers": config.executor.n_workers(), "parsed": parsed, "reused": feeder.reused,
            "force": config.force, "overlay": str(config.overlay) if config.overlay else None,
            "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        written = finalize(store, out, manifest, _overlay(config.overlay))
        store.collect_garbage()
    finally:
        store.close_db()
    return RunSummary(int(written["documents"]), dict(written["statuses"]), int(written["figures"]),
                      int(written["findings"]), time.monotonic() - started, out, parsed, feeder.reused)
