"""Crash safety: a crawl killed with SIGKILL mid-way and restarted archives every page exactly once."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures" / "crawl"))
from sites import Site, html, ok  # noqa: E402

from pipeline.warc import iter_records  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
N_REPORTS = 60


def ogi() -> list[str]:
    exe = REPO / ".venv" / "bin" / "ogi"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "pipeline.crawl.cli"]


def start_site() -> Site:
    site = Site("127.0.0.1").start()
    links = "".join(f'<li><a href="/art/{i}.html">{2000 + i % 24}年政府信息公开工作年度报告（{i}）</a></li>'
                    for i in range(N_REPORTS))
    site.routes["/col/index.html"] = ok(html(f"<ul>{links}</ul>"))
    for i in range(N_REPORTS):  # distinct, mid-sized pages so that kills land during writes too
        site.routes[f"/art/{i}.html"] = ok(html(f"报告{i} 共主动公开政府信息{i}条。" + "内容" * (2000 + 97 * i)))
    return site


def done_count(db_path: Path) -> int:
    if not db_path.exists():
        return 0
    try:
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1)
        (n,) = db.execute("SELECT COUNT(*) FROM urls WHERE state='done'").fetchone()
        db.close()
        return int(n)
    except sqlite3.Error:
        return 0


def test_kill_and_resume_archives_every_page_once(tmp_path):
    site = start_site()
    try:
        cmd = ogi() + ["crawl", f"{site.base}/col/index.html", "--corpus", str(tmp_path), "--delay", "0.02",
                       "--per-host", "2", "--allow-private", "--quiet"]
        db_path = tmp_path / "crawl" / "index.sqlite3"
        kills = 0
        for target in (12, 35):  # two kills at different points
            proc = subprocess.Popen(cmd, cwd=REPO)
            deadline = time.monotonic() + 30
            while done_count(db_path) < target and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.01)
            assert proc.poll() is None, "the crawl finished before it could be killed"
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            kills += 1
        assert done_count(db_path) < N_REPORTS + 1
        assert subprocess.run(cmd, cwd=REPO, timeout=60).returncode == 0
        # A finished crawl, run again, requests nothing.
        n_requests = len(site.log)
        assert subprocess.run(cmd, cwd=REPO, timeout=60).returncode == 0
        assert len(site.log) == n_requests
    finally:
        site.stop()

    captured: dict[str, tuple[str, int]] = {}
    for path in sorted((tmp_path / "crawl").glob("*.warc.gz")):
        with open(path, "rb") as fh:
            for rec in iter_records(fh):
                if rec.rec_type in ("response", "revisit"):
                    assert rec.url not in captured, f"{rec.url} archived twice"
                    captured[rec.url] = (path.name, rec.offset)
    expected = {f"{site.base}/col/index.html"} | {f"{site.base}/art/{i}.html" for i in range(N_REPORTS)}
    assert set(captured) == expected
    db = sqlite3.connect(tmp_path / "crawl" / "index.sqlite3")
    index = {url: (wf, off) for url, wf, off in db.execute("SELECT url, warc_file, warc_offset FROM urls")}
    assert index == captured
    states = dict(db.execute("SELECT state, COUNT(*) FROM urls GROUP BY state").fetchall())
    assert states == {"done": N_REPORTS + 1}
    # Requests repeated because of the kills are bounded by what was in flight (per-host 2, plus robots.txt).
    page_requests = [p for p in site.paths() if p != "/robots.txt"]
    assert len(page_requests) - len(set(page_requests)) <= 2 * kills
