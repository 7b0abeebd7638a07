"""The crawl index: one SQLite database (WAL mode) holding the frontier and the log of every fetch.

``urls`` has one row per canonical URL (its state, last outcome and where its capture lies in the
WARC files); ``fetches`` logs every attempt; ``contents`` maps payload hashes to their first capture
(content dedupe); ``warc_files`` holds the committed size of each WARC file, written in the same
transaction as the capture it ends with, so that a crash can be reconciled against the files.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
  id INTEGER PRIMARY KEY, url TEXT NOT NULL, canonical TEXT NOT NULL UNIQUE, host TEXT NOT NULL,
  kind TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'queued', status INTEGER, attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT, sha256 TEXT, warc_file TEXT, warc_offset INTEGER, warc_length INTEGER, fetched_at TEXT,
  content_type TEXT, size INTEGER, discovered_from TEXT, label TEXT, hops INTEGER NOT NULL DEFAULT 0,
  redirect_root INTEGER, location TEXT, etag TEXT, last_modified TEXT, duplicate_of TEXT,
  not_before REAL NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS urls_state ON urls(state, host);
CREATE TABLE IF NOT EXISTS fetches (
  id INTEGER PRIMARY KEY, url_id INTEGER NOT NULL, url TEXT NOT NULL, status INTEGER, error TEXT,
  started_at TEXT NOT NULL, elapsed REAL, sha256 TEXT, warc_file TEXT, warc_offset INTEGER);
CREATE TABLE IF NOT EXISTS contents (
  sha256 TEXT PRIMARY KEY, url TEXT NOT NULL, warc_date TEXT, digest TEXT);
CREATE INDEX IF NOT EXISTS contents_digest ON contents(digest);
CREATE TABLE IF NOT EXISTS warc_files (name TEXT PRIMARY KEY, size INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS robots (host TEXT PRIMARY KEY, status INTEGER, body TEXT, fetched_at REAL);
"""

#: Columns of a queued job, in the order :meth:`Index.queued` returns them.
JOB_COLUMNS = "id, url, canonical, host, kind, attempts, hops, redirect_root, label, etag, last_modified, not_before"


@dataclass(slots=True)
class Job:
    id: int
    url: str
    canonical: str
    host: str
    kind: str
    attempts: int
    hops: int
    redirect_root: int | None
    label: str | None
    etag: str | None
    last_modified: str | None
    not_before: float


def iso_now(ts: float | None = None) -> str:
    """UTC ISO-8601 timestamp with seconds.

    >>> iso_now(0)
    '1970-01-01T00:00:00Z'
    """
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() if ts is None else ts))


class Index:
    """Thin typed wrapper over the SQLite file (one connection, used from the event-loop thread)."""

    def __init__(self, path: Path, batch: int = 64, interval: float = 0.25) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.batch, self.interval = batch, interval
        self.pending, self.last_commit = 0, time.monotonic()
        self.sizes: dict[str, int] = {}  # WARC file sizes to write with the next COMMIT
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        # NORMAL is durable against a killed process (the WAL is in the OS cache); only power loss can
        # lose the last transactions, and reconciliation with the WARC tail covers that as well.
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.commit(force=True)
        self.db.close()

    # ---- frontier -------------------------------------------------------------------------------
    def add(self, url: str, canonical: str, host: str, kind: str, *, discovered_from: str | None = None,
            label: str | None = None, hops: int = 0, redirect_root: int | None = None) -> int | None:
        """Insert a queued URL; return its id, or None when the canonical URL is already known."""
        cur = self.db.execute(
            "INSERT OR IGNORE INTO urls(url, canonical, host, kind, discovered_from, label, hops, redirect_root)"
            " VALUES (?,?,?,?,?,?,?,?)", (url, canonical, host, kind, discovered_from, label, hops, redirect_root))
        return cur.lastrowid if cur.rowcount else None

    def lookup(self, canonical: str) -> tuple[int, int | None, str] | None:
        """``(id, redirect_root, state)`` of a known canonical URL."""
        row = self.db.execute("SELECT id, redirect_root, state FROM urls WHERE canonical=?", (canonical,)).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def queued(self) -> list[Job]:
        rows = self.db.execute(f"SELECT {JOB_COLUMNS} FROM urls WHERE state='queued' ORDER BY id").fetchall()
        return [Job(*row) for row in rows]

    def requeue_finished(self) -> int:
        """For ``--refresh``: queue every finished URL again (fetched conditionally)."""
        cur = self.db.execute("UPDATE urls SET state='queued', attempts=0, not_before=0 "
                              "WHERE state IN ('done', 'failed')")
        return cur.rowcount

    def counts(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT state, COUNT(*) FROM urls GROUP BY state").fetchall())

    # ---- outcomes -------------------------------------------------------------------------------
    def begin(self) -> None:
        if not self.db.in_transaction:
            self.db.execute("BEGIN")

    def commit(self, force: bool = False) -> None:
        """Group commit: one COMMIT per ``batch`` outcomes or ``interval`` seconds (or when forced).

        Safe because each WARC file's committed size is written in the same transaction: captures
        archived but not yet committed when the process dies are replayed from the WARC tail.
        """
        self.pending += 1
        now = time.monotonic()
        if force or self.pending >= self.batch or now - self.last_commit >= self.interval:
            self._flush_sizes()
            if self.db.in_transaction:
                self.db.execute("COMMIT")
            self.pending, self.last_commit = 0, now

    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")
        self.pending = 0
        self.sizes.clear()

    def set_outcome(self, job_id: int, *, state: str, status: int | None = None, error: str | None = None,
                    attempts: int | None = None, not_before: float = 0.0) -> None:
        self.db.execute("UPDATE urls SET state=?, status=COALESCE(?, status), last_error=?, "
                        "attempts=COALESCE(?, attempts), not_before=? WHERE id=?",
                        (state, status, error, attempts, not_before, job_id))

    def set_capture(self, job_id: int, *, sha256: str, warc_file: str, warc_offset: int, warc_length: int,
                    fetched_at: str, content_type: str | None, size: int, location: str | None,
                    etag: str | None, last_modified: str | None, duplicate_of: str | None,
                    state: str, status: int, error: str | None, attempts: int) -> None:
        """The capture and the outcome of a fetch (one statement: :meth:`set_outcome` included)."""
        self.db.execute(
            "UPDATE urls SET sha256=?, warc_file=?, warc_offset=?, warc_length=?, fetched_at=?, content_type=?,"
            " size=?, location=?, etag=COALESCE(?, etag), last_modified=COALESCE(?, last_modified), "
            "duplicate_of=?, state=?, status=?, last_error=?, attempts=?, not_before=0 WHERE id=?",
            (sha256, warc_file, warc_offset, warc_length, fetched_at, content_type, size, location, etag,
             last_modified, duplicate_of, state, status, error, attempts, job_id))

    def log_fetch(self, job_id: int, url: str, *, status: int | None, error: str | None, started_at: str,
                  elapsed: float | None, sha256: str | None = None, warc_file: str | None = None,
                  warc_offset: int | None = None) -> None:
        self.db.execute("INSERT INTO fetches(url_id, url, status, error, started_at, elapsed, sha256, warc_file,"
                        " warc_offset) VALUES (?,?,?,?,?,?,?,?,?)",
                        (job_id, url, status, error, started_at, elapsed, sha256, warc_file, warc_offset))

    def set_warc_size(self, name: str, size: int) -> None:
        """Record a WARC file's size; written in the transaction's COMMIT (once per file, not per capture)."""
        self.sizes[name] = size

    def _flush_sizes(self) -> None:
        if self.sizes:
            self.db.executemany("INSERT INTO warc_files(name, size) VALUES (?, ?) "
                                "ON CONFLICT(name) DO UPDATE SET size=excluded.size", self.sizes.items())
            self.sizes.clear()

    def warc_sizes(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT name, size FROM warc_files").fetchall()) | self.sizes

    # ---- content dedupe -------------------------------------------------------------------------
    def content(self, sha256: str) -> tuple[str, str, str] | None:
        """``(url, warc_date, payload_digest)`` of the first capture of this payload."""
        row = self.db.execute("SELECT url, warc_date, digest FROM contents WHERE sha256=?", (sha256,)).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def add_content(self, sha256: str, url: str, warc_date: str, digest: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO contents(sha256, url, warc_date, digest) VALUES (?,?,?,?)",
                        (sha256, url, warc_date, digest))

    # ---- robots.txt -----------------------------------------------------------------------------
    def robots(self, host: str) -> tuple[int, str, float] | None:
        row = self.db.execute("SELECT status, body, fetched_at FROM robots WHERE host=?", (host,)).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def set_robots(self, host: str, status: int, body: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO robots(host, status, body, fetched_at) VALUES (?,?,?,?)",
                        (host, status, body, time.time()))
