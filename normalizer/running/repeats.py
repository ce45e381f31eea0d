"""The site-repeated-line signal over a whole input, with bounded memory.

A line that appears in ``Config.repeated_min_docs`` or more documents of the same site
(URL host, else the folder of the file) is boilerplate the phrase rules do not know
("Subscribe to our Telegram channel", a site's slogan, ...). Batch runs find these lines
in a first pass, then normalize in a second pass with ``repeated(site, line)``:

* pass 1 computes, per document, the set of its lines as 8-byte keys
  ``blake2b(site + "\\0" + line, digest_size=8)`` (each line counts once per document);
* keys are buffered and, past ``buffer_keys``, spilled to ``BUCKETS`` files on disk by
  their top bits; at the end every bucket is counted on its own (``numpy.unique``), so
  memory is one buffer plus one bucket, whatever the size of the input;
* the keys seen in at least ``min_docs`` documents are the answer (``RepeatedLines``),
  usually a small set; it is what every worker receives.

Counting is a sum, so the result does not depend on the number of workers or the order in
which their results arrive. The "lines" are exactly the blocks ``classify`` sees: the
lines of a page dump, or the blocks of an HTML page.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from typing import Any, Iterable

import numpy as np

from ..config import Config

BUCKETS = 64
BUFFER_KEYS = 1 << 21  # 2M keys = 16 MB before spilling to disk


def line_key(site: str, line: str) -> int:
    h = hashlib.blake2b(
        site.encode("utf-8", "surrogatepass") + b"\0" + line.encode("utf-8", "surrogatepass"),
        digest_size=8,
    )
    return int.from_bytes(h.digest(), "little")


def doc_keys(site: str | None, lines: Iterable[str]) -> np.ndarray:
    """The sorted, distinct keys of one document's lines (empty when it has no site)."""
    if site is None:
        return np.empty(0, dtype=np.uint64)
    keys = {line_key(site, ln) for ln in lines}
    return np.array(sorted(keys), dtype=np.uint64)


def site_lines(normalizer: Any, item: Any) -> tuple[str | None, list[str]] | None:
    """(site, block texts) of one input item as the pipeline will see them; None for items
    that will become error records."""
    got = normalizer.site_blocks(item)
    return None if got is None else (got[0], [b.text for b in got[1]])


def chunk_keys(normalizer: Any, items: list[Any]) -> list[np.ndarray]:
    """Pass-1 work for one chunk: the keys of every document (run inside a worker)."""
    out = []
    for item in items:
        sl = site_lines(normalizer, item)
        out.append(doc_keys(*sl) if sl else np.empty(0, dtype=np.uint64))
    return out


class RepeatedLines:
    """``repeated(site, line)``: was this line seen in at least ``min_docs`` documents of
    ``site``? Picklable; sent to every worker."""

    def __init__(self, keys: Iterable[int] | np.ndarray = (), min_docs: int = 3):
        # a sorted uint64 array: 8 bytes a key, however many repeated lines a corpus has
        self.keys = np.unique(
            np.asarray(keys if isinstance(keys, np.ndarray) else list(keys), dtype=np.uint64)
        )
        self.min_docs = min_docs

    def __call__(self, site: str | None, line: str) -> bool:
        if site is None or not len(self.keys):
            return False
        k = np.uint64(line_key(site, line))
        i = int(np.searchsorted(self.keys, k))
        return i < len(self.keys) and self.keys[i] == k

    def __len__(self) -> int:
        return len(self.keys)


class LineCounter:
    """Counts, for every key, the number of documents it occurs in; bounded memory."""

    def __init__(self, min_docs: int, *, buffer_keys: int = BUFFER_KEYS, tmpdir: str | None = None):
        self.min_docs = min_docs
        self.buffer_keys = buffer_keys
        self._tmpdir_parent = tmpdir
        self._dir: str | None = None
        self._buf: list[np.ndarray] = []
        self._n = 0
        self.documents = 0

    def add(self, keys: np.ndarray) -> None:
        self.documents += 1
        if not len(keys):
            return
        self._buf.append(keys)
        self._n += len(keys)
        if self._n >= self.buffer_keys:
            self._spill()

    def _spill(self) -> None:
        if not self._buf:
            return
        if self._dir is None:
            self._dir = tempfile.mkdtemp(prefix="normalizer-repeats-", dir=self._tmpdir_parent)
        keys = np.concatenate(self._buf)
        self._buf, self._n = [], 0
        bucket = (keys >> np.uint64(58)).astype(np.int64)  # top 6 bits: 64 buckets
        order = np.argsort(bucket, kind="stable")
        keys, bucket = keys[order], bucket[order]
        bounds = np.searchsorted(bucket, np.arange(BUCKETS + 1))
        for b in range(BUCKETS):
            lo, hi = bounds[b], bounds[b + 1]
            if hi > lo:
                with open(os.path.join(self._dir, f"{b:02d}.u64"), "ab") as f:
                    keys[lo:hi].tofile(f)

    def result(self) -> RepeatedLines:
        found: list[np.ndarray] = []
        try:
            if self._dir is None:
                parts = [np.concatenate(self._buf)] if self._buf else []
            else:
                self._spill()
                parts = (
                    np.fromfile(os.path.join(self._dir, name), dtype=np.uint64)
                    for name in sorted(os.listdir(self._dir))
                )
            for keys in parts:
                uniq, counts = np.unique(keys, return_counts=True)
                found.append(uniq[counts >= self.min_docs])
        finally:
            self._buf, self._n = [], 0
            if self._dir is not None:
                shutil.rmtree(self._dir, ignore_errors=True)
                self._dir = None
        keys = np.concatenate(found) if found else np.empty(0, dtype=np.uint64)
        return RepeatedLines(keys, self.min_docs)


def count_repeated(items: Iterable[Any], config: Config | None = None) -> RepeatedLines:
    """Pass 1 in this process (the executors run ``chunk_keys`` in their workers instead)."""
    from ..pipeline import Normalizer

    config = config or Config()
    norm = Normalizer(config)
    counter = LineCounter(config.repeated_min_docs)
    for item in items:
        sl = site_lines(norm, item)
        counter.add(doc_keys(*sl) if sl else np.empty(0, dtype=np.uint64))
    return counter.result()
