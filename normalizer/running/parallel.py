"""Local executor: normalize a stream of items in worker processes, output in input order.

The stream is cut into chunks of ``Config.chunk_size`` items counted from the start of the
input, whatever the number of workers; a worker runs ``Normalizer.normalize_many`` on one
whole chunk, so translation batches (the Ukrainian sentences of one chunk, across its
documents) are the same for 1 and N workers, and so is the repeated-line signal (computed
over the whole input first, see ``repeats``). Hence: same bytes out for any ``jobs``.

Each worker builds one ``Normalizer`` from the ``Config`` (rules and translation models
loaded once per worker) and returns every record already serialized, with a small summary
for the progress bar and the final report. At most ``2 * jobs`` chunks are in flight, so
memory stays flat however long the input.
"""

from __future__ import annotations

import itertools
import os
from collections import deque
from dataclasses import replace
from typing import Any, Callable, Iterable, Iterator

from ..config import Config

# (serialized record: its JSON line, or the pieces of a big one, see write.dumps_parts /
# write.iter_dumps; summary)
Result = tuple[str | list[str] | Iterator[str], dict[str, Any]]

IN_FLIGHT_PER_WORKER = 2


def chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while True:
        chunk = list(itertools.islice(it, max(1, size)))
        if not chunk:
            return
        yield chunk


def record_info(rec: dict[str, Any] | Any, target: str = "en") -> dict[str, Any]:
    """What the summary needs from one record (kept small: it crosses process boundaries)."""
    if isinstance(rec, dict):
        d = rec
    else:  # a Record: a dict of just what is read below, not its full to_dict()
        d = {
            "status": rec.status,
            "error": rec.error,
            "translation": rec.translation,
            "language": rec.language,
            "removed": [{"reason": r.reason} for r in rec.removed],
            "fragments": [
                {"lang": f.lang, "translation": f.translation} for f in rec.fragments + rec.related
            ],
            "related": [],
        }
    if d["status"] != "ok":
        return {"ok": False, "error": (d.get("error") or {}).get("message", "error")}
    missing: list[str] = []
    if d["translation"]["status"] in ("model_missing", "partial"):
        missing = sorted(
            {
                f["lang"]
                for f in d["fragments"] + d["related"]
                if f["translation"] is None and f["lang"] not in ("und", target)
            }
        )
    t = d["translation"]
    return {
        "ok": True,
        "reasons": [r["reason"] for r in d["removed"]],
        "language": d["language"],
        "translated": t["fragments"],
        "missing": missing,
        "translation_status": t["status"],
        "model_error": t.get("error") if t["status"] == "model_error" else None,
    }


def worker_config(config: Config, jobs: int) -> Config:
    """Share the CPUs between workers: translation threads = CPUs // jobs unless set."""
    if jobs > 1 and config.threads == 0:
        return replace(config, threads=max(1, (os.cpu_count() or 1) // jobs))
    return config


class ChunkWorker:
    """The stage code every executor runs: one Normalizer, chunks in, results out."""

    def __init__(self, config: Config):
        from ..pipeline import Normalizer

        self.config = config
        self.normalizer = Normalizer(config)

    def keys(self, chunk: list[Any]) -> list[Any]:
        from .repeats import chunk_keys

        return chunk_keys(self.normalizer, chunk)

    def normalize(
        self,
        chunk: list[Any],
        repeated: Callable[[str | None, str], bool] | None,
        lazy: bool = False,
    ) -> list[Result]:
        """Records of one chunk, serialized. ``lazy`` (a writer in this process): a big record
        comes as a generator of its pieces, made while they are written."""
        from ..io.write import dumps_parts, is_big, iter_dumps

        out = []
        # The chunk is emptied as normalize_many takes its items, so a big input's raw bytes
        # are not held while its record is built and serialized.
        chunk.reverse()
        taken = (chunk.pop() for _ in range(len(chunk)))
        for rec in self.normalizer.normalize_many(taken, repeated=repeated):
            info = record_info(rec, self.config.target_lang)
            if lazy and is_big(rec):
                out.append((iter_dumps(rec), info))
            else:
                parts = dumps_parts(rec)
                out.append((parts[0] if len(parts) == 1 else parts, info))
        return out

    def close(self) -> None:
        self.normalizer.close()


# -- worker-process side -------------------------------------------------------------------
_WORKER: ChunkWorker | None = None
_REPEATED: tuple[str | None, Any] = (None, None)


def _init(config: Config) -> None:
    global _WORKER
    import signal

    # Ctrl-C is the main process's business: it stops feeding chunks, keeps the journal for
    # --resume and shuts the pool down; workers printing their own tracebacks would only confuse.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER = ChunkWorker(config)


def _keys(chunk: list[Any]) -> list[Any]:
    assert _WORKER is not None
    return _WORKER.keys(chunk)


def _normalize(repeated_path: str | None, chunk: list[Any]) -> list[Result]:
    """The repeated-line set travels once per worker, through a file, not with every chunk."""
    global _REPEATED
    assert _WORKER is not None
    if repeated_path != _REPEATED[0]:
        import pickle

        with open(repeated_path, "rb") as f:  # type: ignore[arg-type]
            _REPEATED = (repeated_path, pickle.load(f))
    return _WORKER.normalize(chunk, _REPEATED[1])


def _mp_context() -> Any:
    """Workers start from a fresh interpreter, never a fork of this (possibly threaded)
    process: 'forkserver' where there is one (the server imports the pipeline once, each
    worker is a cheap fork of it), else 'spawn'."""
    import multiprocessing as mp

    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["normalizer.running.parallel", "normalizer.pipeline"])
        return ctx
    return mp.get_context("spawn")


def ordered_map(
    submit: Callable[[list[Any]], Any],
    get: Callable[[Any], Any],
    chunked: Iterable[list[Any]],
    in_flight: int,
) -> Iterator[Any]:
    """Submit chunks with at most ``in_flight`` pending; yield results in submission order."""
    pending: deque[Any] = deque()
    for chunk in chunked:
        pending.append(submit(chunk))
        if len(pending) >= in_flight:
            yield get(pending.popleft())
    while pending:
        yield get(pending.popleft())


class LocalExecutor:
    """``jobs`` = 1 runs in this process; more starts that many worker processes
    (forkserver or spawn), used for both passes and shut down by ``close()``."""

    name = "local"

    def __init__(self, config: Config, jobs: int = 1):
        self.config = config
        self.jobs = max(1, jobs)
        self._pool_: Any = None
        self._worker: ChunkWorker | None = None
        self._tmp: str | None = None

    def _pool(self) -> Any:
        if self._pool_ is None:
            from concurrent.futures import ProcessPoolExecutor

            self._pool_ = ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=_mp_context(),
                initializer=_init,
                initargs=(worker_config(self.config, self.jobs),),
            )
        return self._pool_

    def _local(self) -> ChunkWorker:
        if self._worker is None:
            self._worker = ChunkWorker(self.config)
        return self._worker

    def keys(self, items: Iterable[Any]) -> Iterator[Any]:
        """Pass 1: per document, its line keys (see ``repeats``), in input order."""
        chunked = chunks(items, self.config.chunk_size)
        if self.jobs == 1:
            w = self._local()
            for chunk in chunked:
                yield from w.keys(chunk)
            return
        pool = self._pool()
        for res in ordered_map(
            lambda c: pool.submit(_keys, c),
            lambda f: f.result(),
            chunked,
            self.jobs * IN_FLIGHT_PER_WORKER,
        ):
            yield from res

    def normalize(self, items: Iterable[Any], repeated: Any = None) -> Iterator[list[Result]]:
        """Pass 2: one list of results per chunk, in input order."""
        chunked = chunks(items, self.config.chunk_size)
        if self.jobs == 1:
            w = self._local()
            for chunk in chunked:
                yield w.normalize(chunk, repeated, lazy=True)
            return
        import pickle
        import tempfile

        fd, self._tmp = tempfile.mkstemp(prefix="normalizer-repeated-", suffix=".pickle")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(repeated, f)
        pool, path = self._pool(), self._tmp
        yield from ordered_map(
            lambda c: pool.submit(_normalize, path, c),
            lambda f: f.result(),
            chunked,
            self.jobs * IN_FLIGHT_PER_WORKER,
        )

    def close(self) -> None:
        if self._pool_ is not None:
            self._pool_.shutdown(wait=True, cancel_futures=True)
            self._pool_ = None
        if self._worker is not None:
            self._worker.close()
            self._worker = None
        if self._tmp is not None:
            os.unlink(self._tmp)
            self._tmp = None
