"""Batch runs: read -> (pass 1: repeated lines) -> normalize on an executor -> write.

``run_batch`` is what ``normalizer run`` calls; the CLI only parses options into a
``Config`` and ``BatchOptions``. The executor (``parallel.LocalExecutor`` or
``ray_executor.RayExecutor``) only runs stage code; reading, resuming, writing, the
progress bar and the summary happen here, in one process, in input order.
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Any, Iterator, Sequence

from ..config import Config

MODEL_HINT = (
    "normalizer: no translation model installed for {pairs}: {docs} kept those fragments "
    "untranslated (translation.status {statuses}). Get one with `normalizer models download <lang>{models_dir}` "
    "(uses the network), or offline with "
    "`normalizer models install translate-<lang>_{target}-<version>.argosmodel{models_dir}` "
    "(README, 'Translation models')."
)


def plural(n: int, word: str) -> str:
    """'1 document', '2 documents'."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass
class BatchOptions:
    output: str | None = None  # None or "-" = stdout (JSON Lines)
    output_format: str | None = None  # jsonl | jsonl.gz | parquet; default from the name
    jobs: int = 1
    executor: str = "local"  # local | ray
    ray_address: str | None = None  # None = start a local Ray instance
    repeats: bool = True  # pass 1: the site-repeated-line signal
    resume: bool = False
    progress: bool = False
    quiet: bool = False
    content_type: str = "auto"  # override for inputs whose name says nothing
    reader: dict[str, Any] = field(default_factory=dict)  # id_field, text_field, ... stdin_format
    overwrite: bool = False  # start afresh over an interrupted run's partial output
    include: tuple[str, ...] = ()  # folder input: glob patterns of files to read
    exclude: tuple[str, ...] = ()  # folder input: glob patterns of files to leave out


class Summary:
    """Counts for the end-of-run line; fed with ``parallel.record_info`` dicts."""

    def __init__(
        self,
        log: IO[str] | None = None,
        quiet: bool = False,
        models_dir: str | None = None,
        target: str = "en",
    ) -> None:
        self.t0 = time.perf_counter()
        self.docs = self.errors = self.translated = self.resumed = 0
        self.reasons: Counter[str] = Counter()
        self.langs: Counter[str] = Counter()
        self.missing: set[str] = set()
        self.missing_docs = 0
        self.missing_statuses: set[str] = set()
        self.model_errors: dict[
            str, int
        ] = {}  # reason -> documents with translation.status model_error
        self.skipped: list[str] = []  # folder files left out by name (not documents)
        self.models_dir = models_dir
        self.target = target
        self.log = log
        self.quiet = quiet
        self.bar: Any = None

    def add(self, info: dict[str, Any]) -> None:
        self.docs += 1
        if not info["ok"]:
            self.errors += 1
            if self.log is not None and not self.quiet:
                self.say(f"normalizer: error: {info['error']}")
            return
        self.reasons.update(info["reasons"])
        self.langs[info["language"]] += 1
        self.translated += info["translated"]
        if info["missing"]:
            self.missing.update(info["missing"])
            self.missing_docs += 1
            self.missing_statuses.add(info.get("translation_status", "model_missing"))
        reason = info.get("model_error")
        if reason:
            if reason not in self.model_errors and self.log is not None and not self.quiet:
                self.say(
                    f"normalizer: error: {reason.rstrip('.')} (fragments that need it stay "
                    'untranslated: translation.status "model_error")'
                )
            self.model_errors[reason] = self.model_errors.get(reason, 0) + 1

    def say(self, line: str) -> None:
        """A line on the log that does not break a progress bar."""
        if self.bar is not None:
            self.bar.write(line, file=self.log)
        else:
            print(line, file=self.log)

    @property
    def ok(self) -> int:
        return self.docs - self.errors

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.t0

    def line(self) -> str:
        dt = self.seconds
        rate = self.docs / dt if dt > 0 else 0.0
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(self.reasons.items())) or "none"
        langs = ", ".join(f"{k} {v}" for k, v in sorted(self.langs.items())) or "none"
        resumed = f" (+{self.resumed} already written, resumed)" if self.resumed else ""
        skipped = (
            f"; {plural(len(self.skipped), 'file')} skipped by name (not a document type; "
            f"--include to read them)"
            if self.skipped
            else ""
        )
        failed = (
            f"; translation failed (model_error) in {plural(sum(self.model_errors.values()), 'document')}"
            if self.model_errors
            else ""
        )
        return (
            f"normalizer: {plural(self.docs, 'document')}{resumed}, {self.ok} ok, "
            f"{plural(self.errors, 'error')}; removed: {reasons}; languages: {langs}; "
            f"translated fragments: {self.translated}{failed}{skipped}; {rate:.1f} documents/s"
        )

    def report(self) -> None:
        if self.quiet or self.log is None:
            return
        print(self.line(), file=self.log)
        for hint in self.hints():
            print(hint, file=self.log)

    def hints(self, target: str | None = None) -> list[str]:
        """One install hint for the run, listing every language pair that had no model."""
        if not self.missing:
            return []
        target = target or self.target
        statuses = " or ".join(f'"{s}"' for s in sorted(self.missing_statuses))
        md = f" --models-dir {self.models_dir}" if self.models_dir else ""
        return [
            MODEL_HINT.format(
                pairs=", ".join(f"{lang}→{target}" for lang in sorted(self.missing)),
                docs=plural(self.missing_docs, "document"),
                statuses=statuses,
                models_dir=md,
                target=target,
            )
        ]


def make_executor(config: Config, options: BatchOptions) -> Any:
    if options.executor == "ray":
        from .ray_executor import RayExecutor

        return RayExecutor(config, jobs=options.jobs, address=options.ray_address)
    if options.executor != "local":
        raise ValueError(f"unknown executor {options.executor!r} (local, ray)")
    from .parallel import LocalExecutor

    return LocalExecutor(config, jobs=options.jobs)


class _Progress:
    """A tqdm bar on ``log`` (when enabled) that also counts: ``n`` is the documents seen."""

    def __init__(self, enabled: bool, desc: str, log: IO[str], total: int | None = None):
        self.bar = None
        self.n = 0
        if enabled:
            try:
                from tqdm import tqdm

                self.bar = tqdm(
                    desc=f"normalizer: {desc}",
                    unit="doc",
                    file=log,
                    dynamic_ncols=True,
                    smoothing=0.1,
                    total=total,
                )
            except ImportError:  # pragma: no cover
                self.bar = None

    def update(self, n: int, errors: int | None = None) -> None:
        self.n += n
        if self.bar is not None:
            self.bar.update(n)
            if errors is not None:
                self.bar.set_postfix(errors=errors, refresh=False)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_batch(
    paths: Sequence[str], config: Config, options: BatchOptions, log: IO[str] | None = None
) -> Summary:
    """Normalize everything under ``paths`` into ``options.output``; returns the summary."""
    from ..io.read import iter_items, spool_stdin
    from ..io.write import JsonlWriter

    log = log if log is not None else sys.stderr
    summary = Summary(log, options.quiet, models_dir=config.models_dir, target=config.target_lang)
    stdin_path = None
    reader = dict(options.reader)
    if "-" in paths and (options.repeats or options.resume):
        stdin_path = spool_stdin()  # stdin is read more than once: keep a copy on disk
    # Never read the run's own output back as input (an output file inside an input folder);
    # its journal and temporary files are hidden names, which folder walks leave out anyway.
    own = [options.output] if options.output not in (None, "-") else []
    skipped: list[str] = []

    def items(count_skipped: bool = False) -> Iterator[dict[str, Any]]:
        it = iter_items(
            paths,
            stdin_path=stdin_path,
            max_bytes=config.max_input_bytes,
            include=options.include,
            exclude=options.exclude,
            skip=own,
            on_skip=(lambda p: skipped.append(str(p))) if count_skipped else None,
            **reader,
        )
        if options.content_type != "auto":
            it = (
                {**x, "content_type": options.content_type}
                if x.get("content_type") in (None, "auto")
                else x
                for x in it
            )
        return it

    executor = writer = None
    ok = False
    try:
        # Open the output first: a --resume that cannot work is refused before any work.
        writer = JsonlWriter(
            options.output,
            format=options.output_format,
            resume=options.resume,
            overwrite=options.overwrite,
        )
        summary.resumed = writer.resumed
        if writer.resumed:
            _check_resume(items(), writer)
        executor = make_executor(config, options)
        repeated = None
        total = None
        if options.repeats and config.repeated_min_docs >= 2:
            from .repeats import LineCounter

            counter = LineCounter(config.repeated_min_docs)
            bar = _Progress(
                options.progress and not options.quiet, "pass 1/2 (repeated lines)", log
            )
            try:
                for keys in executor.keys(items()):
                    counter.add(keys)
                    bar.update(1)
            finally:
                bar.close()
            repeated = counter.result()
            total = (
                bar.n - writer.resumed
            )  # pass 1 counted the documents: pass 2 has a total and ETA

        stream = items(count_skipped=True)
        for _ in itertools.islice(stream, writer.resumed):  # already written (checked above)
            pass
        desc = "normalize" if repeated is None else "pass 2/2 (normalize)"
        bar = _Progress(options.progress and not options.quiet, desc, log, total=total)
        summary.bar = bar.bar
        try:
            for results in executor.normalize(stream, repeated):
                for line, info in results:
                    writer.write_line(line)
                    summary.add(info)
                writer.flush()
                bar.update(len(results), summary.errors)
        finally:
            bar.close()
            summary.bar = None
        summary.skipped = skipped
        ok = True
    finally:
        try:
            if writer is not None:
                writer.close(commit=ok)  # a failed run keeps its journal for --resume
        finally:
            close = getattr(executor, "close", None)
            if close is not None:
                close()
            if stdin_path is not None:
                os.unlink(stdin_path)
    return summary


def _check_resume(stream: Iterator[dict[str, Any]], writer: Any) -> None:
    """The journal must be a prefix of this input's records: same count at least, same ids."""
    from ..io.write import ResumeError

    for n, done_id in enumerate(writer.resumed_ids()):
        item = next(stream, None)
        if item is None:
            raise ResumeError(
                f"the partial output has more records ({writer.resumed}) than the input "
                f"has documents: it belongs to another run; start again without --resume"
            )
        given = item.get("id")
        if given is not None and done_id is not None and str(given) != done_id:
            raise ResumeError(
                f"the partial output does not match the input (record {n + 1} is "
                f"{done_id!r}, the input has {given!r}): start again without --resume"
            )
