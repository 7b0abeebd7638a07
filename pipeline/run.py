"""`ogi run`: corpus → parsed documents → checks → tidy dataset (README data flow, steps 1–7)."""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from parsers.settings import EXTRACTOR_VERSION, ParseSettings
from pipeline.corpus import bundled_corpus, iter_corpus, list_inputs
from pipeline.dataset import Collected, build_frames, write_frames
from pipeline.executors import ExecutorConfig, run_items

READABLE = ("ok", "no_report")


@dataclass(frozen=True, slots=True)
class RunConfig:
    corpus: tuple[Path, ...] = ()
    out: Path = Path("outputs")
    settings: ParseSettings = field(default_factory=ParseSettings)
    executor: ExecutorConfig = field(default_factory=ExecutorConfig)
    overlay: Path | None = None

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

    @property
    def readable(self) -> int:
        return sum(self.statuses.get(s, 0) for s in READABLE)

    def text(self) -> str:
        parts = ", ".join(f"{n} {s}" for s, n in sorted(self.statuses.items()))
        return (f"ogi run: {self.n_documents} documents ({parts}); {self.n_figures} figures; "
                f"{self.n_findings} findings; {self.seconds:.1f} s → {self.out}/")


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


def _apply_overlay(frames: dict[str, Any], overlay: Path | None) -> dict[str, Any]:
    if overlay is None or not overlay.exists():
        return frames
    from pipeline.audit import apply_overlay

    return {**frames, "figures": apply_overlay(frames["figures"], overlay)}


def run(config: RunConfig, progress_stream: TextIO | None = sys.stderr) -> RunSummary:
    """Run the whole pipeline and write the dataset; returns a summary (no exception for bad documents)."""
    started = time.monotonic()
    roots = [Path(r) for r in config.roots()]
    for root in roots:
        if not root.exists():
            raise FileNotFoundError(f"corpus not found: {root}")
    n_files = sum(len(list_inputs(r)) for r in roots)
    has_archives = any(p.name.lower().endswith((".warc", ".warc.gz", ".arc", ".arc.gz"))
                       for r in roots for p in list_inputs(r))
    progress = Progress(None if has_archives else n_files, progress_stream) if progress_stream else None
    collected = Collected()
    statuses: Counter[str] = Counter()
    for rows in run_items(iter_corpus(roots), config.settings, config.executor):
        collected.add(rows)
        statuses[rows.document["status"]] += 1
        if progress:
            progress.update(rows.document["status"])
    if progress:
        progress.close()
    frames = _apply_overlay(build_frames(collected), config.overlay)
    manifest = {
        "extractor_version": EXTRACTOR_VERSION, "settings_fingerprint": config.settings.fingerprint(),
        "corpus": [str(r) for r in roots], "documents": len(collected.documents),
        "figures": len(collected.figures), "findings": len(collected.findings),
        "statuses": dict(statuses), "overlay": str(config.overlay) if config.overlay else None,
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    write_frames(frames, config.out, manifest)
    return RunSummary(len(collected.documents), dict(statuses), len(collected.figures),
                      len(collected.findings), time.monotonic() - started, config.out)
