#!/usr/bin/env python3
"""Size and speed of ``normalizer report`` on a large run (default 100,000 records).

Real records first: ``normalizer run`` over ``samples/`` and the first ``--html-dev`` pages of
``../shared/data/html-dev/eval`` (when that folder exists), translation on but no model
installed (so non-English pages are ``model_missing``, as on a machine without models). Those
records are then repeated with new ids and sources until there are ``--records`` of them,
with one error record in every ``--error-every``. The script prints the records file's size,
the report's size and generation time, and, when ``chromium`` is installed, the time headless
Chromium takes to load the page and run its script (``--dump-dom``).

    python benchmarks/bench_report.py [--records 100000] [--html-dev 60] [--keep DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from normalizer.io.report import DEFAULT_SAMPLE, DEFAULT_TABLE_ROWS, write_report  # noqa: E402

HTML_DEV = ROOT.parent / "shared" / "data" / "html-dev" / "eval"


def base_records(work: Path, html_dev: int) -> list[dict]:
    """Normalize samples/ and the first html_dev pages of html-dev with the real CLI."""
    pages = work / "pages"
    pages.mkdir()
    for p in sorted((ROOT / "samples").glob("*.txt")):
        os.symlink(p, pages / p.name)
    if HTML_DEV.is_dir():
        for p in sorted(HTML_DEV.glob("*.html"))[:html_dev]:
            # short, space-free names like a crawler's
            os.symlink(p, pages / (hashlib.sha1(p.name.encode()).hexdigest()[:16] + ".html"))
    out = work / "base.jsonl"
    env = dict(os.environ, NORMALIZER_MODELS_DIR=str(work / "no-models"), PYTHONPATH=str(ROOT))
    subprocess.run(
        [sys.executable, "-m", "normalizer", "run", str(pages), "-o", str(out), "-q", "--no-cache"],
        check=True,
        env=env,
        cwd=ROOT,
    )
    return [json.loads(line) for line in out.open(encoding="utf-8")]


def write_corpus(base: list[dict], n: int, error_every: int, path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            rid = hashlib.sha1(f"doc{i}".encode()).hexdigest()[:16]
            if error_every and i % error_every == error_every - 1:
                r = {
                    "id": rid,
                    "source": f"crawl/{i // 1000:03d}/{rid}.bin",
                    "status": "error",
                    "error": {"type": "binary_input", "message": "input looks binary"},
                    "fragments": [],
                    "related": [],
                    "removed": [],
                    "translation": {"status": "not_needed", "fragments": 0},
                    "stats": {},
                    "language": "und",
                    "title": None,
                }
            else:
                r = dict(base[i % len(base)])
                ext = Path(r.get("source") or "x.txt").suffix
                r["id"], r["source"] = rid, f"crawl/{i // 1000:03d}/{rid}{ext}"
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument(
        "--html-dev", type=int, default=60, help="html-dev pages among the base records"
    )
    ap.add_argument("--error-every", type=int, default=200, help="one error record in N (0: none)")
    ap.add_argument("--sample", type=int, default=DEFAULT_SAMPLE)
    ap.add_argument("--table-rows", type=int, default=DEFAULT_TABLE_ROWS)
    ap.add_argument("--keep", type=Path, help="keep the records and the report in this folder")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-report-"))
    try:
        base = base_records(work, args.html_dev)
        records = work / "records.jsonl"
        write_corpus(base, args.records, args.error_every, records)
        page = work / "report.html"
        t0 = time.perf_counter()
        write_report(records, page, sample=args.sample, table_rows=args.table_rows)
        secs = time.perf_counter() - t0
        size = page.stat().st_size
        print(
            f"base records: {len(base)} real documents (samples/ + {len(base) - 5} html-dev pages)"
        )
        print(
            f"records: {args.records:,} ({records.stat().st_size / 1e6:,.1f} MB JSON Lines), "
            f"one error in {args.error_every}"
        )
        print(
            f"report: {size:,} bytes ({size / 1e6:.2f} MB) in {secs:.1f} s "
            f"(--sample {args.sample}, --table-rows {args.table_rows:,})"
        )
        chromium = next(
            (
                shutil.which(c)
                for c in ("chromium", "chromium-browser", "google-chrome")
                if shutil.which(c)
            ),
            None,
        )
        if chromium:
            t0 = time.perf_counter()
            p = subprocess.run(
                [
                    chromium,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--no-first-run",
                    f"--user-data-dir={work / 'profile'}",
                    "--window-size=1400,1000",
                    "--dump-dom",
                    page.as_uri(),
                ],
                capture_output=True,
                text=True,
                timeout=300,
            )
            secs = time.perf_counter() - t0
            rows = p.stdout.count("<tr data-id=")
            print(
                f"chromium --dump-dom (start, load, script, serialize): {secs:.1f} s, "
                f"{rows} table rows drawn, exit {p.returncode}"
            )
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(records, args.keep / "records.jsonl")
            shutil.copy(page, args.keep / "report.html")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
