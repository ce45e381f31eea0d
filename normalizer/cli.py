"""Command-line interface: a thin layer over the public API."""

from __future__ import annotations

import argparse
import sys
from typing import Any, Sequence

from .config import TRANSLATE_MIN_CONFIDENCE, Config
from .stages.langid import CONTEXT_MAX_CONFIDENCE
from .version import __version__

EXIT_OK, EXIT_RECORD_ERRORS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

EPILOG = """\
exit codes:
  0  success (error records are still written, one per bad input)
  1  a translation model is installed but failed to load or run (translation.status
     "model_error"); an input folder held no documents; some records are errors and
     --fail-on-error was given; or a models command failed
  2  usage or environment error, one line, nothing written: bad option value, missing
     path, output folder missing or not writable, output full, partial output of an
     interrupted run (use --resume or --overwrite), invalid --rules-dir file, a report
     input that is not records, missing extra
  130  interrupted (Ctrl-C); with -o FILE, rerun with --resume to continue

examples:
  normalizer run samples/ -o out.jsonl
  normalizer run crawl/ -o out.parquet --jobs 8 --progress
  normalizer run pages.warc.gz -o out.jsonl.gz --resume
  normalizer run pages.jsonl.gz --executor ray --address auto -o /shared/out.jsonl
  cat page.html | normalizer run - --no-translate
  normalizer report out.jsonl -o report.html
  normalizer show samples/002_e56c7f6acdd085b3.txt
  normalizer models download uk
  normalizer models install translate-uk_en-1_9.argosmodel
"""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one ``normalizer: ...`` line (exit 2), no usage dump."""

    def error(self, message: str) -> Any:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"normalizer: {message} (see `{self.prog} --help`)\n")


def _int_at_least(low: int) -> Any:
    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
        if n < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}, got {n}")
        return n

    return parse


def _folder(value: str) -> str:
    from pathlib import Path

    if not Path(value).is_dir():
        raise argparse.ArgumentTypeError(f"no such folder: {value}")
    return value


def _languages(value: str) -> tuple[str, ...]:
    from .config import _language_codes

    try:
        return _language_codes(value) or ()
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _add_pipeline_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("pipeline")
    g.add_argument(
        "--content-type",
        choices=["auto", "text", "html"],
        default="auto",
        help="how to read inputs whose type the file name does not tell (default: auto)",
    )
    g.add_argument(
        "--no-translate", action="store_true", help="detect languages but do not translate"
    )
    g.add_argument("--target-lang", default="en", help="translate into this language (default: en)")
    g.add_argument(
        "--languages",
        type=_languages,
        help="comma-separated ISO 639-1 codes to restrict language detection to "
        "(unknown codes are refused)",
    )
    g.add_argument(
        "--min-lang-confidence",
        type=float,
        default=None,
        metavar="X",
        help="translate a fragment only when its language confidence is at least X, 0..1 "
        f"(default: {TRANSLATE_MIN_CONFIDENCE}; a language inherited from the page has at most "
        f"{CONTEXT_MAX_CONFIDENCE})",
    )
    g.add_argument(
        "--models-dir",
        help="translation models folder (default: $NORMALIZER_MODELS_DIR, else the user data dir)",
    )
    g.add_argument("--cache", dest="cache_path", help="translation cache file (SQLite)")
    g.add_argument(
        "--no-cache", action="store_true", help="do not read or write the translation cache"
    )
    g.add_argument(
        "--beam-size",
        type=_int_at_least(1),
        default=2,
        help="translation beam size, >= 1 (default: 2)",
    )
    g.add_argument(
        "--threads",
        type=_int_at_least(0),
        default=0,
        help="translation threads (default: 0 = auto)",
    )
    g.add_argument(
        "--compute-type", default="int8", help="CTranslate2 compute type (default: int8)"
    )
    g.add_argument("--device", default="cpu", help="CTranslate2 device: cpu, cuda (default: cpu)")
    g.add_argument(
        "--rules-dir",
        type=_folder,
        help="folder of extra boilerplate rule files (*.toml); an invalid file is refused (exit 2)",
    )


def _config(args: argparse.Namespace) -> Config:
    extra = {}
    if args.min_lang_confidence is not None:
        extra["translate_min_confidence"] = args.min_lang_confidence
    try:
        return Config(
            languages=args.languages or None,
            translate=not args.no_translate,
            target_lang=args.target_lang,
            models_dir=args.models_dir,
            cache_path=args.cache_path,
            use_cache=not args.no_cache,
            beam_size=args.beam_size,
            threads=args.threads,
            compute_type=args.compute_type,
            device=args.device,
            rules_dir=args.rules_dir,
            **extra,
        )
    except ValueError as e:
        print(f"normalizer: {e}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="normalizer",
        description="Turn scraped news articles (plain-text page dumps or HTML) into clean JSON records: "
        "boilerplate removed with reasons, language detected per fragment, Ukrainian "
        "translated to English offline.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"normalizer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser(
        "run",
        help="normalize files, folders, JSON Lines, WARC or stdin into JSON Lines or Parquet",
        description="Normalize every document under PATH... and write one JSON record "
        "per document, in input order.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="file (.txt, .html/.htm, .jsonl/.ndjson[.gz], .warc[.gz]), folder (recursive; "
        "which files: see --include), or - for stdin",
    )
    run.add_argument(
        "-o",
        "--output",
        help="output file: .jsonl (default: stdout), .jsonl.gz or .parquet; "
        "written atomically (temporary file, then rename); its folder must exist",
    )
    run.add_argument(
        "--format",
        dest="output_format",
        choices=["auto", "jsonl", "jsonl.gz", "parquet"],
        default="auto",
        help="output format (default: from the file name)",
    )
    run.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted run into the same -o file: documents already written "
        "are skipped; the result equals an uninterrupted run",
    )
    run.add_argument(
        "--overwrite",
        action="store_true",
        help="start again over the partial output of an interrupted run (without it, or "
        "--resume, such a run is refused)",
    )
    run.add_argument(
        "--fail-on-error", action="store_true", help="exit 1 if any record is an error"
    )
    run.add_argument(
        "--progress",
        action="store_true",
        help="show a progress bar on stderr (default: only when stderr is a terminal)",
    )
    run.add_argument(
        "-q", "--quiet", action="store_true", help="no progress, summary or hints on stderr"
    )
    x = run.add_argument_group("execution")
    x.add_argument(
        "-j",
        "--jobs",
        type=_int_at_least(1),
        default=1,
        metavar="N",
        help="worker processes (local) or actors (ray); same output for any N (default: 1)",
    )
    x.add_argument(
        "--executor",
        choices=["local", "ray"],
        default="local",
        help="local worker processes, or Ray (pip install 'normalizer[ray]') (default: local)",
    )
    x.add_argument(
        "--address",
        dest="ray_address",
        metavar="ADDR",
        help="Ray cluster to join, e.g. auto or ray://head:10001 (default: $RAY_ADDRESS, else start a "
        "private local Ray with --jobs CPUs)",
    )
    x.add_argument(
        "--chunk-size",
        type=_int_at_least(1),
        default=None,
        metavar="N",
        help="documents per chunk: the unit of work and of translation batching (default: 64)",
    )
    x.add_argument(
        "--no-repeated-lines",
        action="store_true",
        help="skip the first pass that finds lines repeated across a site's documents",
    )
    x.add_argument(
        "--repeated-min-docs",
        type=_int_at_least(2),
        default=None,
        metavar="N",
        help="a line in at least N (>= 2) documents of one site is boilerplate (default: 3)",
    )
    j = run.add_argument_group("input")
    j.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="GLOB",
        help="in folders, read only files matching GLOB (name or path under the folder; "
        "repeatable); default: .txt .text .html .htm .xhtml .jsonl .ndjson .warc and their "
        ".gz; other files are counted as skipped in the summary",
    )
    j.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="in folders, leave out files matching GLOB (repeatable)",
    )
    j.add_argument(
        "--id-field", default="id", help="JSON Lines field with the document id (default: id)"
    )
    j.add_argument(
        "--text-field", default="text", help="JSON Lines field with plain text (default: text)"
    )
    j.add_argument(
        "--html-field", default="html", help="JSON Lines field with HTML (default: html)"
    )
    j.add_argument(
        "--url-field", default="url", help="JSON Lines field with the URL (default: url)"
    )
    j.add_argument(
        "--stdin-format",
        choices=["auto", "doc", "jsonl", "warc"],
        default="auto",
        help="what - (stdin) holds: one document, JSON Lines or WARC (default: auto, sniffed)",
    )
    _add_pipeline_options(run)

    show = sub.add_parser(
        "show",
        help="print documents as a person reads them",
        description="Print the page's metadata (published, authors, site, URL, each with its source), the kept text, removed fragments struck through with "
        "their reason, and translations under their original.",
    )
    show.add_argument(
        "paths",
        nargs="+",
        metavar="FILE",
        help="one or more .txt, .html, .jsonl or .warc files, or - for stdin",
    )
    show.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    _add_pipeline_options(show)

    models = sub.add_parser("models", help="download, install, list and remove translation models")
    models.add_argument(
        "--models-dir", help="models folder (default: $NORMALIZER_MODELS_DIR, else user data dir)"
    )
    msub = models.add_subparsers(dest="models_command", metavar="ACTION")
    inst = msub.add_parser("install", help="install a model from a local .argosmodel file")
    inst.add_argument("archive", metavar="PATH.argosmodel")
    inst.add_argument(
        "--force", action="store_true", help="replace an installed package with the same id"
    )
    lst = msub.add_parser("list", help="list installed models")
    rm = msub.add_parser("remove", help="remove an installed model")
    rm.add_argument("model_id", metavar="ID")
    index_help = (
        "package index URL (default: $NORMALIZER_MODELS_INDEX, else the public Argos index "
        "that argostranslate uses)"
    )
    avail = msub.add_parser(
        "available", help="list the packages of the online package index (uses the network)"
    )
    avail.add_argument("--index", metavar="URL", help=index_help)
    dl = msub.add_parser(
        "download",
        help="download a model from the package index and install it (uses the network)",
        description="Download the newest FROM→TO package of the index into the user cache "
        "folder (an interrupted download resumes when run again), check it as "
        "`models install` does, and install it. The only command that uses "
        "the network.",
    )
    dl.add_argument("from_code", metavar="FROM", help="source language code, e.g. uk")
    dl.add_argument(
        "to_code", metavar="TO", nargs="?", default="en", help="target language code (default: en)"
    )
    dl.add_argument("--index", metavar="URL", help=index_help)
    dl.add_argument(
        "--sha256",
        metavar="HEX",
        help="the package file's known SHA-256; refuse the download if it differs",
    )
    dl.add_argument(
        "--force",
        action="store_true",
        help="download and install even if this version is installed; replaces an installed version",
    )
    dl.add_argument(
        "--progress",
        action="store_true",
        help="show the progress bar (size, rate) even when stderr is not a terminal",
    )
    for sp in (
        inst,
        lst,
        rm,
        avail,
        dl,
    ):  # also after the action: `models install X --models-dir D`
        sp.add_argument(
            "--models-dir", default=argparse.SUPPRESS, help="models folder (as before ACTION)"
        )

    rep = sub.add_parser(
        "report",
        help="write an HTML page to check a run's records by eye",
        description="Read records (.jsonl, .jsonl.gz or .parquet) and write one static "
        "HTML page: charts over the whole corpus (removal reasons, languages, "
        "kept share of characters, translation status, error types); a "
        "sortable, filterable table of documents, the ones worth a look first "
        "(errors, nothing kept, very low kept share, untranslated or "
        "foreign-language fragments); and a bounded sample of documents in "
        "full: kept text, removed fragments struck through with their reason "
        "(runs of removed lines folded), translated fragments beside their "
        "English.",
    )
    rep.add_argument("records", metavar="RECORDS", help="records written by `normalizer run`")
    rep.add_argument("-o", "--output", required=True, help="the HTML file to write")
    rep.add_argument(
        "--sample",
        "--limit",
        dest="sample",
        type=_int_at_least(0),
        default=None,
        metavar="N",
        help="show at most N documents in full, the flagged ones first, then a fixed sample "
        "of the rest (default: 100; --limit is the older name)",
    )
    rep.add_argument(
        "--table-rows",
        type=_int_at_least(0),
        default=None,
        metavar="N",
        help="list at most N documents in the table, the flagged ones first (default: 40000)",
    )
    rep.add_argument("--title", default=None, help="page title")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from .io.write import OutputError, PartialOutputExists, RecordsError
    from .stages.rules import RulesError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "run":
            return _run(args)
        if args.command == "show":
            return _show(args)
        if args.command == "models":
            return _models(args, parser)
        if args.command == "report":
            return _report(args)
    except (OutputError, PartialOutputExists, RulesError, RecordsError) as e:
        _quiet_stdout()
        print(f"normalizer: {e}", file=sys.stderr)
        return EXIT_USAGE
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def _quiet_stdout() -> None:
    """After stdout failed (full, closed pipe), point it at /dev/null so the interpreter's
    final flush of what is still buffered does not print a second error."""
    import os

    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, ValueError):
        pass


def _check_output(output: str | None) -> str | None:
    """Why ``-o output`` cannot be written (before any work), or None."""
    import os
    from pathlib import Path

    if output in (None, "-"):
        return None
    p = Path(output)
    if p.is_dir():
        return f"-o {output} is a folder: give an output file name"
    folder = p.parent
    if not folder.is_dir():
        return f"the output folder {folder} does not exist: create it first"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"cannot write to the output folder {folder}: permission denied"
    return None


def _missing_paths(paths: Sequence[str]) -> list[str]:
    from pathlib import Path

    return [p for p in paths if p != "-" and not Path(p).exists()]


def _run(args: argparse.Namespace) -> int:
    from dataclasses import replace
    from pathlib import Path

    from .io.write import ResumeError, output_format
    from .running.batch import BatchOptions, run_batch
    from .running.ray_executor import MissingExtra

    missing = _missing_paths(args.paths)
    if missing:
        print(f"normalizer: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    problem = _check_output(args.output)
    if problem:
        print(f"normalizer: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if args.resume and args.overwrite:
        print(
            "normalizer: --resume and --overwrite contradict each other: give one", file=sys.stderr
        )
        return EXIT_USAGE
    fmt = output_format(args.output, args.output_format)
    if fmt != "jsonl" and args.output in (None, "-"):
        print(f"normalizer: {fmt} output needs a file: give -o FILE", file=sys.stderr)
        return EXIT_USAGE
    if args.resume and args.output in (None, "-"):
        print("normalizer: --resume needs an output file: give -o FILE", file=sys.stderr)
        return EXIT_USAGE
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            print(
                "normalizer: Parquet output needs pyarrow: pip install 'normalizer[parquet]'",
                file=sys.stderr,
            )
            return EXIT_USAGE
    config = _config(args)
    _check_rules(config)
    if args.chunk_size is not None:
        config = replace(config, chunk_size=args.chunk_size)
    if args.repeated_min_docs is not None:
        config = replace(config, repeated_min_docs=args.repeated_min_docs)
    options = BatchOptions(
        output=args.output,
        output_format=fmt,
        jobs=args.jobs,
        executor=args.executor,
        ray_address=args.ray_address,
        repeats=not args.no_repeated_lines,
        resume=args.resume,
        progress=not args.quiet and (args.progress or sys.stderr.isatty()),
        quiet=args.quiet,
        content_type=args.content_type,
        overwrite=args.overwrite,
        include=tuple(args.include),
        exclude=tuple(args.exclude),
        reader={
            "id_field": args.id_field,
            "text_field": args.text_field,
            "html_field": args.html_field,
            "url_field": args.url_field,
            "stdin_format": args.stdin_format,
        },
    )
    _terminate_like_interrupt()
    try:
        summary = run_batch(args.paths, config, options)
    except ResumeError as e:
        print(f"normalizer: cannot resume: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        if args.output not in (None, "-"):
            print(
                "normalizer: interrupted; the records written so far are kept: run the same command "
                "with --resume to continue",
                file=sys.stderr,
            )
        return EXIT_INTERRUPTED
    except MissingExtra as e:
        print(f"normalizer: {e}", file=sys.stderr)
        return EXIT_USAGE
    summary.report()
    if summary.model_errors:
        return EXIT_RECORD_ERRORS  # a whole batch must not go untranslated with exit 0
    if (
        not summary.docs
        and not summary.resumed
        and any(Path(p).is_dir() for p in args.paths if p != "-")
    ):
        if not args.quiet:
            print(
                f"normalizer: warning: no documents found in {', '.join(args.paths)}"
                + (
                    f" ({len(summary.skipped)} other files skipped; --include to read them)"
                    if summary.skipped
                    else ""
                ),
                file=sys.stderr,
            )
        return EXIT_RECORD_ERRORS
    return EXIT_RECORD_ERRORS if args.fail_on_error and summary.errors else EXIT_OK


def _check_rules(config: Config) -> None:
    """Load the rules once here, so an invalid --rules-dir file is one line (RulesError), not a
    traceback in every worker."""
    from .stages.rules import load_rules, load_site_words, load_stopwords

    load_rules(config.rules_dir)
    load_stopwords(config.rules_dir)
    load_site_words(config.rules_dir)


def _terminate_like_interrupt() -> None:
    """SIGTERM (a scheduler stopping the job) ends the run as Ctrl-C does: the records written
    so far stay in the partial output for --resume, worker processes are shut down."""
    import signal
    import threading

    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handler)


def _report(args: argparse.Namespace) -> int:
    from .io.report import DEFAULT_SAMPLE, DEFAULT_TABLE_ROWS, write_report

    if _missing_paths([args.records]):
        print(f"normalizer: no such file: {args.records}", file=sys.stderr)
        return EXIT_USAGE
    try:
        n = write_report(
            args.records,
            args.output,
            title=args.title,
            sample=DEFAULT_SAMPLE if args.sample is None else args.sample,
            table_rows=DEFAULT_TABLE_ROWS if args.table_rows is None else args.table_rows,
        )
    except OSError as e:
        print(f"normalizer: cannot write {args.output}: {e.strerror or e}", file=sys.stderr)
        return EXIT_USAGE
    from .running.batch import plural

    print(f"normalizer: wrote {args.output} ({plural(n, 'record')})", file=sys.stderr)
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    from .io.read import iter_items
    from .io.render import render
    from .io.write import OutputError
    from .pipeline import Normalizer
    from .running.batch import Summary
    from .running.parallel import record_info

    missing = _missing_paths(args.paths)
    if missing:
        print(f"normalizer: no such file: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty())
    config = _config(args)
    _check_rules(config)
    summary = Summary(sys.stderr, models_dir=config.models_dir)
    with Normalizer(config) as norm:
        for record in norm.normalize_many(iter_items(args.paths)):
            d = record.to_dict()
            summary.add(record_info(d, config.target_lang))
            try:
                sys.stdout.write(render(d, color=color))
                sys.stdout.flush()
            except OSError as e:
                raise OutputError(f"cannot write standard output: {e.strerror or e}") from None
    for hint in summary.hints(config.target_lang):
        print(hint, file=sys.stderr)
    return EXIT_RECORD_ERRORS if summary.model_errors else EXIT_OK


def _models(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from .translation import models

    try:
        if args.models_command == "install":
            info = models.install(args.archive, args.models_dir, force=args.force)
            print(
                f"normalizer: installed {info.id} ({info.from_code}→{info.to_code}, version {info.version}) "
                f"into {models.resolve_models_dir(args.models_dir)}"
            )
        elif args.models_command == "list":
            installed = models.list_installed(args.models_dir)
            if not installed:
                print(
                    f"normalizer: no models installed in {models.resolve_models_dir(args.models_dir)}",
                    file=sys.stderr,
                )
            for info in installed:
                print(f"{info.id}\t{info.from_code}→{info.to_code}\t{info.version}\t{info.path}")
        elif args.models_command == "remove":
            info = models.remove(args.model_id, args.models_dir)
            print(f"normalizer: removed {info.id}")
        elif args.models_command == "available":
            for e in models.available(args.index, args.models_dir):
                state = (
                    "installed"
                    if e.installed
                    else "-"
                    if e.installed_version is None
                    else f"installed {e.installed_version}"
                )
                print(f"{e.code}\t{e.from_code}→{e.to_code}\t{e.version}\t{state}\t{e.name or ''}")
        elif args.models_command == "download":
            return _models_download(args, models)
        else:
            parser.parse_args(["models", "--help"])
    except models.ModelError as e:
        print(f"normalizer: {e}", file=sys.stderr)
        return EXIT_RECORD_ERRORS
    return EXIT_OK


def _models_download(args: argparse.Namespace, models: Any) -> int:
    try:
        res = models.download(
            args.from_code,
            args.to_code,
            index=args.index,
            models_dir=args.models_dir,
            sha256=args.sha256,
            force=args.force,
            progress=args.progress or sys.stderr.isatty(),
        )
    except KeyboardInterrupt:
        print(
            "normalizer: download interrupted; run the same command again to resume",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    e = res.entry
    if res.installed is None:
        print(
            f"normalizer: {e.code} {e.version} ({e.from_code}→{e.to_code}) is already installed; "
            "nothing to do (--force downloads it again)",
            file=sys.stderr,
        )
        return EXIT_OK
    rate = (res.bytes - res.resumed_from) / res.seconds / 1024**2 if res.seconds > 0 else 0.0
    resumed = f", resumed at {res.resumed_from:,} bytes" if res.resumed_from else ""
    print(
        f"normalizer: downloaded {res.bytes:,} bytes in {res.seconds:.1f} s ({rate:.1f} MB/s{resumed})",
        file=sys.stderr,
    )
    print(
        f"normalizer: installed {res.installed.id} ({res.installed.from_code}→{res.installed.to_code}, version "
        f"{res.installed.version}) into {models.resolve_models_dir(args.models_dir)}"
    )
    return EXIT_OK
