"""Incremental runs: unchanged documents are reused, changed ones re-parsed, and a run killed with SIGKILL
leaves the previous outputs intact; the next run finishes the rest and gives the uninterrupted result."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline.executors import ExecutorConfig
from pipeline.incremental import STATE_DIR
from pipeline.run import RunConfig, run
from scale_corpus import canonical, write_corpus

REPO = Path(__file__).resolve().parents[1]
SERIAL = ExecutorConfig(kind="serial")


def _manifest(out: Path) -> dict[str, object]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _same(a: Path, b: Path) -> None:
    for table in ("figures", "documents", "findings"):
        pd.testing.assert_frame_equal(canonical(a, table), canonical(b, table))
        ca = pd.read_csv(a / f"{table}.csv", encoding="utf-8-sig")
        cb = pd.read_csv(b / f"{table}.csv", encoding="utf-8-sig")
        assert sorted(map(str, ca.itertuples(index=False))) == sorted(map(str, cb.itertuples(index=False)))


@pytest.mark.parametrize("force", [False, True])
def test_rerun_reuses_unchanged_and_reparses_changed_documents(tmp_path: Path, force: bool) -> None:
    corpus, out = tmp_path / "c", tmp_path / "o"
    paths = write_corpus(corpus, 8)
    first = run(RunConfig(corpus=(corpus,), out=out, executor=SERIAL), None)
    assert (first.parsed, first.reused) == (8, 0)
    figures_before = canonical(out, "figures")
    write_corpus(corpus, 1, seed=99, start=3)  # page 3 changes: new bytes, new numbers
    (corpus / "new.txt").write_text("二、主动公开政府信息情况\n共主动公开政府信息120条。\n", encoding="utf-8")
    second = run(RunConfig(corpus=(corpus,), out=out, executor=SERIAL, force=force), None)
    assert (second.parsed, second.reused) == ((9, 0) if force else (2, 7))  # 8 pages + new.txt
    assert _manifest(out)["parsed"] == second.parsed and _manifest(out)["reused"] == second.reused
    after = canonical(out, "figures")
    changed = paths[3].name
    keep = figures_before[~figures_before["source"].isin([changed])].reset_index(drop=True)
    got = after[~after["source"].isin([changed, "new.txt"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(keep, got)  # reused rows are exactly the rows parsed before
    assert (after["source"] == "new.txt").any()
    # A removed input disappears from the outputs, though its rows stay in the store.
    paths[0].unlink()
    third = run(RunConfig(corpus=(corpus,), out=out, executor=SERIAL), None)
    assert (third.parsed, third.reused, third.n_documents) == (0, 8, 8)
    assert paths[0].name not in set(canonical(out, "documents")["source"])


def _parts_committed(out: Path) -> int:
    db = out / STATE_DIR / "index.sqlite"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=0.1) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM parts").fetchone()[0])
    except sqlite3.Error:
        return 0


def _ogi_run(corpus: Path, out: Path, workers: int) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "pipeline.cli", "run", "--corpus", str(corpus), "--out", str(out),
           "--workers", str(workers), "--part-docs", "10"]
    return subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])  # 2: pool workers write the parts, the parent commits them
def test_a_killed_run_keeps_old_outputs_and_the_rerun_finishes_the_rest(tmp_path: Path, workers: int) -> None:
    n_old, n_all = 20, 140
    old_corpus, corpus, out, ref = tmp_path / "old", tmp_path / "all", tmp_path / "out", tmp_path / "ref"
    write_corpus(old_corpus, n_old)
    write_corpus(corpus, n_all)
    run(RunConfig(corpus=(corpus,), out=ref, executor=SERIAL), None)  # the uninterrupted result
    assert _ogi_run(old_corpus, out, workers).wait(timeout=120) == 0  # the previous outputs
    previous = {t: canonical(out, t) for t in ("figures", "documents", "findings")}
    previous_manifest = _manifest(out)

    before = _parts_committed(out)
    proc = _ogi_run(corpus, out, workers)
    deadline = time.monotonic() + 120
    while _parts_committed(out) < before + 4 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the run finished before it could be killed: make the corpus larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    committed = _parts_committed(out) - before  # parts of 10 documents each, committed before the kill
    assert committed >= 4

    # The killed run left the previous outputs untouched.
    assert _manifest(out) == previous_manifest
    for table, frame in previous.items():
        pd.testing.assert_frame_equal(canonical(out, table), frame)

    proc = _ogi_run(corpus, out, workers)
    stdout, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, stdout
    manifest = _manifest(out)
    # The old corpus is the first pages of the new one: those and the killed run's parts are reused.
    assert manifest["reused"] >= n_old + 10 * committed
    assert manifest["parsed"] + manifest["reused"] == n_all == manifest["documents"]
    assert manifest["parsed"] < n_all
    _same(out, ref)
    assert not list(out.glob(".staging-*")) and not list(out.glob(".trash-*"))
