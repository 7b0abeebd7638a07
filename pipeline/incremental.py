"""Incremental runs: a store of per-document results that survives interrupted runs.

Every processed document is keyed by its source, the sha256 of its page bytes, the extractor version and
the settings fingerprint (:func:`doc_key`). Results go into *part files* under ``OUT/.ogi-state/parts/``:
Parquet files, one per table, each holding the rows of ``part_docs`` consecutive documents (with hidden
columns for the document key and the output partition). A part is written atomically (temporary name,
then rename) and only then recorded in the SQLite index (``OUT/.ogi-state/index.sqlite``), so a run killed
at any point leaves a consistent store: documents in committed parts are reused by the next run, the rest
are parsed again. Memory stays bounded whatever the corpus size: at most one part waits in memory.

A part is written either by the store itself (:meth:`Store.add` buffers documents' columns) or by a local
pool worker that parsed the part's documents (:func:`write_part`, then :meth:`Store.commit_part` in the
parent): the parent then never builds Arrow tables nor unpickles rows. Either way the index row comes
last, so an uncommitted part file is garbage (:meth:`Store.collect_garbage`), never a half-stored part.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from parsers.settings import EXTRACTOR_VERSION
from pipeline.corpus import CorpusItem
from pipeline.dataset_schema import KEY_COLUMN, TABLES, DocColumns, TableName, columns_to_table

STATE_DIR = ".ogi-state"
#: Prefix of the per-run keys of unreadable items: stored for this run's output, never reused.
UNKEYED = "unkeyed:"
STORE_VERSION = 3  # 3: documents gained tables_json
_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (key TEXT PRIMARY KEY, part TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS docs_part ON docs(part);
CREATE TABLE IF NOT EXISTS parts (part TEXT PRIMARY KEY, n_docs INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS live (key TEXT PRIMARY KEY) WITHOUT ROWID;
"""


def doc_key(item: CorpusItem, fingerprint: str) -> str | None:
    """The incremental key of an item; ``None`` for an item that could not be read (never cached).

    >>> a = CorpusItem("a.html", b"<p>1</p>")
    >>> doc_key(a, "f1") == doc_key(CorpusItem("a.html", b"<p>1</p>"), "f1"), doc_key(a, "f1") == doc_key(a, "f2")
    (True, False)
    """
    if item.error is not None:
        return None
    h = hashlib.sha256()
    for piece in (item.source, hashlib.sha256(item.data).hexdigest(), EXTRACTOR_VERSION, fingerprint,
                  item.url or "", "synthetic" if item.synthetic else "", item.content_type or ""):
        h.update(piece.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()[:32]


def _atomic_write_table(table: pa.Table, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def part_path(parts_dir: Path, part: str, table: TableName) -> Path:
    """The file of one table of a part."""
    return parts_dir / f"{part}.{table}.parquet"


def write_part(parts_dir: Path, part: str, docs: Sequence[tuple[str, DocColumns]]) -> None:
    """Write the part files of ``docs`` (each atomically); the part counts once it is committed."""
    for name in TABLES:
        _atomic_write_table(columns_to_table(name, docs), part_path(parts_dir, part, name))


class Store:
    """The part files and their SQLite index for one output folder."""

    def __init__(self, out: Path, run_id: str, *, part_docs: int = 256) -> None:
        self.dir = out / STATE_DIR
        self.parts_dir = self.dir / "parts"
        self.parts_dir.mkdir(parents=True, exist_ok=True)
        self.run_id, self.part_docs = run_id, max(1, part_docs)
        self.db = sqlite3.connect(self.dir / "index.sqlite", isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        if self.db.execute("PRAGMA user_version").fetchone()[0] != STORE_VERSION:
            self._reset()
        self.db.execute("DELETE FROM live")  # the live set is rebuilt by every run
        self._buffer: list[tuple[str, DocColumns]] = []
        self._seq = 0
        self._pending_live: list[str] = []

    def _reset(self) -> None:
        """Start an empty store (none yet, or one written by an incompatible version of ogi)."""
        for table in ("docs", "parts", "live"):
            self.db.execute(f"DROP TABLE IF EXISTS {table}")
        self.db.executescript(_SCHEMA)
        self.db.execute(f"PRAGMA user_version={STORE_VERSION}")
        for path in self.parts_dir.iterdir():
            path.unlink(missing_ok=True)

    # -- during the run -------------------------------------------------------------------------------
    def has(self, key: str) -> bool:
        """True when a committed part holds this document's rows."""
        return self.db.execute("SELECT 1 FROM docs WHERE key=?", (key,)).fetchone() is not None

    def reuse(self, key: str) -> None:
        """Count a stored document as part of this run's output."""
        self._pending_live.append(key)
        if len(self._pending_live) >= 4096:
            self._flush_live()

    def add(self, key: str, doc: DocColumns) -> None:
        """Buffer a freshly processed document; write a part when the buffer is full."""
        self._buffer.append((key, doc))
        if len(self._buffer) >= self.part_docs:
            self._flush()

    def close(self) -> None:
        """Write the last part and the live set (call before :meth:`live_parts`)."""
        self._flush()
        self._flush_live()

    def _flush_live(self) -> None:
        if self._pending_live:
            self.db.executemany("INSERT OR IGNORE INTO live(key) VALUES (?)", ((k,) for k in self._pending_live))
            self._pending_live = []

    def new_part(self) -> str:
        """A fresh part name: names sort in the order they were handed out (the dataset's row order)."""
        self._seq += 1
        return f"{self.run_id}-{self._seq:06d}"

    def commit_part(self, part: str, keys: Sequence[str]) -> None:
        """Record a part whose files are written (by this process or a worker), holding ``keys`` in order."""
        self.db.execute("BEGIN")  # the part counts only once its index rows are committed
        self.db.execute("INSERT OR REPLACE INTO parts VALUES (?, ?)", (part, len(keys)))
        self.db.executemany("INSERT OR REPLACE INTO docs(key, part) VALUES (?, ?)", ((k, part) for k in keys))
        self.db.executemany("INSERT OR IGNORE INTO live(key) VALUES (?)", ((k,) for k in keys))
        self.db.execute("COMMIT")

    def _flush(self) -> None:
        docs, self._buffer = self._buffer, []
        if not docs:
            return
        part = self.new_part()
        write_part(self.parts_dir, part, docs)
        self.commit_part(part, [k for k, _ in docs])

    # -- at the end -----------------------------------------------------------------------------------
    def part_path(self, part: str, table: TableName) -> Path:
        return part_path(self.parts_dir, part, table)

    def _reader(self) -> sqlite3.Connection:
        """A connection of its own for one reader (``finalize`` reads the tables' parts on several threads;
        a reader may be moved between threads, never used by two at once)."""
        return sqlite3.connect(self.dir / "index.sqlite", check_same_thread=False)

    def live_parts(self, db: sqlite3.Connection | None = None) -> Iterator[tuple[str, int, int]]:
        """(part, live documents in it, documents in it) of every part holding documents of this run."""
        db = db or self.db
        parts = [p for (p,) in db.execute("SELECT DISTINCT d.part FROM live l JOIN docs d ON d.key = l.key "
                                          "ORDER BY d.part")]
        for part in parts:  # one row per part: memory O(parts), not O(documents)
            (n_live,) = db.execute("SELECT COUNT(*) FROM docs d JOIN live l ON l.key = d.key "
                                   "WHERE d.part=?", (part,)).fetchone()
            (n_docs,) = db.execute("SELECT n_docs FROM parts WHERE part=?", (part,)).fetchone()
            yield part, int(n_live), int(n_docs)

    def live_tables(self, table: TableName) -> Iterator[pa.Table]:
        """This run's rows of one table, part by part (hidden key column dropped, partition column kept).

        Safe to call from any thread (its own connection, only read; call after :meth:`close`)."""
        db = self._reader()
        try:
            for part, n_live, n_docs in self.live_parts(db):
                # ParquetFile.read, not pq.read_table: the dataset reader's I/O threads keep ~60 MB more resident.
                with pq.ParquetFile(self.part_path(part, table)) as source:
                    data = source.read(use_threads=False)
                if n_live < n_docs:  # some documents of this part were re-parsed later or are not inputs now
                    keys = [k for (k,) in db.execute("SELECT d.key FROM docs d JOIN live l ON l.key = d.key "
                                                     "WHERE d.part=?", (part,))]
                    data = data.filter(pc.is_in(data[KEY_COLUMN], value_set=pa.array(keys, pa.string())))
                yield data.drop_columns([KEY_COLUMN])
        finally:
            db.close()

    def collect_garbage(self) -> int:
        """Delete part files that no index row refers to any more (superseded or never committed)."""
        self.db.execute(f"DELETE FROM docs WHERE key LIKE '{UNKEYED}%' AND key NOT IN (SELECT key FROM live)")
        self.db.execute("DELETE FROM parts WHERE part NOT IN (SELECT DISTINCT part FROM docs)")
        known = {p for (p,) in self.db.execute("SELECT part FROM parts")}
        removed = 0
        for path in self.parts_dir.iterdir():
            part = path.name.split(".", 1)[0]
            if part not in known and not path.name.startswith("."):
                path.unlink(missing_ok=True)
                removed += 1
            elif path.name.startswith(".") and ".tmp-" in path.name:
                path.unlink(missing_ok=True)  # left by a killed run
        return removed

    def counts(self) -> dict[str, int]:
        (n_live,) = self.db.execute("SELECT COUNT(*) FROM live").fetchone()
        (n_docs,) = self.db.execute("SELECT COUNT(*) FROM docs").fetchone()
        return {"live_documents": int(n_live), "stored_documents": int(n_docs)}

    def close_db(self) -> None:
        self.db.close()

