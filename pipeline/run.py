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
from pipeline.corpus import bundled_corpus, is_archive, iter_corpus, iter_inputs
from pipeline.dataset import Overlay, clean_leftovers, finalize, new_run_id
from pipeline.executors import ExecutorConfig, Job, PartTarget, WrittenPart, run_jobs
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
    compare: bool = True  # write the codebook and the default comparison next to the dataset
    merge_threads: int = 0  # threads merging the parts into the dataset files; 0: see merge_threads()

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
    notes: tuple[str, ...] = ()

    @property
    def readable(self) -> int:
        return sum(self.statuses.get(s, 0) for s in READABLE)

    def text(self) -> str:
        parts = ", ".join(f"{n} {s}" for s, n in sorted(self.statuses.items()))
        return (f"ogi run: {self.n_documents} documents ({parts}); {self.n_figures} figures; "
                f"{self.n_findings} findings; {self.parsed} parsed, {self.reused} reused; "
                f"{self.seconds:.1f} s → {self.out}/" + "".join(f"\nogi run: {n}" for n in self.notes))


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


def _count_inputs(roots: list[Path]) -> int | None:
    """Number of input files, or None when WARC archives make the document count unknown up front."""
    n = 0
    for root in roots:
        for path in iter_inputs(root):
            if is_archive(path):
                return None
            n += 1
    return n


class _Feeder:
    """Turns corpus items into executor jobs, skipping (and counting) documents the store already holds."""

    def __init__(self, store: Store, fingerprint: str, force: bool, progress: Progress | None) -> None:
        self.store, self.fingerprint, self.force, self.progress = store, fingerprint, force, progress
        self.reused = self.submitted = 0

    def jobs(self, roots: list[Path]) -> Iterator[Job]:
        for item in iter_corpus(roots):
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


#: Documents per part written by a pool worker: a chunk of work, so the last chunks must be small enough
#: not to leave a core idle for long at the end (a chunk of 64 realistic pages takes ~0.3 s), while a part
#: costs ~5 ms (three small Parquet files written, then read again by ``finalize``).
POOL_PART_DOCS = 64


def pool_part_docs(part_docs: int) -> int:
    """Documents per worker-written part: ``--part-docs``, at most :data:`POOL_PART_DOCS`."""
    return max(1, min(part_docs, POOL_PART_DOCS))


def merge_threads(config: RunConfig) -> int:
    """Threads of :func:`finalize`: as set, else the cores the run may use (``--workers``), at most this
    machine's (a serial run stays on one core)."""
    if config.merge_threads > 0:
        return config.merge_threads
    executor = config.executor
    return 1 if executor.is_serial() else max(1, min(executor.n_workers(), os.cpu_count() or 1))


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
    store = Store(out, new_run_id(), part_docs=config.part_docs)
    fingerprint = config.settings.fingerprint()
    feeder = _Feeder(store, fingerprint, config.force, progress)
    parsed = 0
    parts = PartTarget(store.parts_dir, store.new_part, pool_part_docs(config.part_docs))
    try:
        for done in run_jobs(feeder.jobs(roots), config.settings, config.executor, parts):
            if isinstance(done, WrittenPart):  # a pool worker stored these documents itself
                store.commit_part(done.part, done.keys)
                statuses: tuple[str, ...] = done.statuses
            else:
                key, columns = done
                store.add(key, columns)
                statuses = (columns.status,)
            parsed += len(statuses)
            if progress:
                for status in statuses:
                    progress.update(status)
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
        written = finalize(store, out, manifest, _overlay(config.overlay), threads=merge_threads(config))
        store.collect_garbage()
    finally:
        store.close_db()
    notes = _derived_outputs(out, int(written["documents"])) if config.compare else ()
    return RunSummary(int(written["documents"]), dict(written["statuses"]), int(written["figures"]),
                      int(written["findings"]), time.monotonic() - started, out, parsed, feeder.reused, notes)


#: Above this many documents ``ogi run`` skips the default comparison (it loads the figures table in
#: memory); ``ogi compare`` makes it on demand.
DEFAULT_COMPARISON_MAX_DOCS = 20_000


def _derived_outputs(out: Path, n_documents: int) -> tuple[str, ...]:
    """The codebook next to the dataset and the default comparison (``out/compare/``).

    The dataset is already in place: a failure here is reported, never a reason to lose the run.
    """
    notes: list[str] = []
    try:
        from pipeline.codebook import write_codebook

        write_codebook(out)
    except Exception as exc:  # noqa: BLE001 - reported in the summary; the dataset is complete
        notes.append(f"codebook not written: {type(exc).__name__}: {exc}")
    if n_documents > DEFAULT_COMPARISON_MAX_DOCS:
        notes.append(f"default comparison skipped for {n_documents} documents: run `ogi compare --metric ...`")
        return tuple(notes)
    try:
        from pipeline.compare import default_comparison

        default_comparison(out)
    except Exception as exc:  # noqa: BLE001 - same rule
        notes.append(f"default comparison not written: {type(exc).__name__}: {exc}")
    return tuple(notes)
