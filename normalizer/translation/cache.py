"""Persistent translation cache in SQLite.

Teasers, captions and boilerplate-adjacent lines repeat across a site's pages,
so the translation of each source sentence is stored once, keyed by the model
(id, version and a fingerprint of its files) and the exact source sentence.

The database uses WAL journaling and a busy timeout, so several worker processes
may read and write the same file at once: readers never block, writers queue.
Each process opens its own connection (a connection inherited through ``fork``
is never reused).  Writes use ``INSERT OR IGNORE``: two processes translating
the same sentence with the same model store the same text, first one wins.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Iterable, Sequence

__all__ = ["TranslationCache", "default_cache_path", "CacheError"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    model  TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (model, source)
) WITHOUT ROWID
"""

# SQLite's default limit on host parameters is 999 in old builds.
_CHUNK = 500


class CacheError(Exception):
    """The cache could not be opened or used."""


def default_cache_path() -> Path:
    """``<user cache dir>/normalizer/translations.sqlite3`` (platformdirs)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("normalizer", appauthor=False)) / "translations.sqlite3"


class TranslationCache:
    """A sentence → translation store shared by processes.

    >>> cache = TranslationCache(path)                 # doctest: +SKIP
    >>> cache.put_many("model@1", [("Привіт.", "Hello.")])
    >>> cache.get_many("model@1", ["Привіт.", "Ні."])
    {'Привіт.': 'Hello.'}
    """

    def __init__(self, path: str | Path | None = None, timeout: float = 60.0):
        self.path = Path(path) if path is not None else default_cache_path()
        self.timeout = timeout
        self._conn: sqlite3.Connection | None = None
        self._pid: int | None = None

    # ------------------------------------------------------------ connection
    def _connect(self) -> sqlite3.Connection:
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        # A connection inherited from the parent process must not be used (or
        # closed) here; just forget it.
        self._conn = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                str(self.path), timeout=self.timeout, isolation_level=None, check_same_thread=False
            )
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            self._retry(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
            conn.execute("PRAGMA synchronous = NORMAL")
            self._retry(lambda: conn.execute(_SCHEMA))
        except (sqlite3.Error, OSError) as exc:
            raise CacheError(f"cannot open translation cache {self.path}: {exc}") from exc
        self._conn, self._pid = conn, os.getpid()
        return conn

    def _retry(self, fn):
        """Run ``fn``, retrying while another process holds a lock.

        The busy timeout covers most waits, but a few operations (switching the
        journal mode, schema creation racing with another process) can report
        ``database is locked`` immediately.
        """
        deadline = time.monotonic() + self.timeout
        delay = 0.01
        while True:
            try:
                return fn()
            except sqlite3.OperationalError as exc:
                msg = str(exc).lower()
                if ("locked" not in msg and "busy" not in msg) or time.monotonic() > deadline:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    # ---------------------------------------------------------------- access
    def get_many(self, model: str, sources: Sequence[str]) -> dict[str, str]:
        """Return ``{source: translation}`` for the sources that are cached."""
        conn = self._connect()
        unique = list(dict.fromkeys(sources))
        found: dict[str, str] = {}
        try:
            for i in range(0, len(unique), _CHUNK):
                chunk = unique[i : i + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = self._retry(
                    lambda marks=marks, chunk=chunk: conn.execute(
                        f"SELECT source, target FROM translations WHERE model = ? AND source IN ({marks})",
                        [model, *chunk],
                    ).fetchall()
                )
                found.update(rows)
        except sqlite3.Error as exc:
            raise CacheError(f"translation cache {self.path}: {exc}") from exc
        return found

    def put_many(self, model: str, pairs: Iterable[tuple[str, str]]) -> int:
        """Store ``(source, translation)`` pairs; returns how many were given."""
        rows = [(model, s, t) for s, t in pairs]
        if not rows:
            return 0
        conn = self._connect()

        def write():
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(
                    "INSERT OR IGNORE INTO translations (model, source, target) VALUES (?, ?, ?)",
                    rows,
                )
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

        try:
            self._retry(write)
        except sqlite3.Error as exc:
            raise CacheError(f"translation cache {self.path}: {exc}") from exc
        return len(rows)

    def __len__(self) -> int:
        conn = self._connect()
        return self._retry(lambda: conn.execute("SELECT COUNT(*) FROM translations").fetchone()[0])

    def clear(self, model: str | None = None) -> None:
        conn = self._connect()
        if model is None:
            self._retry(lambda: conn.execute("DELETE FROM translations"))
        else:
            self._retry(lambda: conn.execute("DELETE FROM translations WHERE model = ?", (model,)))

    def close(self) -> None:
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None
        self._pid = None

    def __enter__(self) -> "TranslationCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __getstate__(self):
        # Picklable for worker processes: the connection is reopened there.
        return {"path": self.path, "timeout": self.timeout}

    def __setstate__(self, state) -> None:
        self.__init__(state["path"], state["timeout"])
