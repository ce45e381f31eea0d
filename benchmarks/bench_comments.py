#!/usr/bin/env python3
"""What the comment-thread stage removes, against gold labels, and what it costs.

For each extract-more set (up to --limit pages, the fixed subset of gold_labels.load_gold_pages),
the plain-text dump of every page is classified as the pipeline does, and the lines removed as
``lines:comment_thread`` are counted by their gold label (gold_labels.gold_line_labels: article
text, boilerplate, or unlabelled). Then the thread scan alone (comments.comment_threads) is
timed on the dumps of html-dev's test pages, in CPU milliseconds per page.

    .venv/bin/python benchmarks/bench_comments.py
    .venv/bin/python benchmarks/bench_comments.py --sets dragnet --limit 300 --show
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def main(argv: list[str] | None = None) -> int:
    import bench_extract as be
    import gold_labels as gl

    from normalizer.stages.boilerplate import classify
    from normalizer.stages.comments import comment_threads
    from normalizer.stages.html import html_to_page
    from normalizer.stages.rules import load_comment_markers, load_rules
    from normalizer.stages.segment import segment

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sets", default=",".join(gl.DATASETS), help="comma list of gold sets")
    ap.add_argument("--limit", type=int, default=300, help="pages per set")
    ap.add_argument("--show", action="store_true", help="print removed lines labelled article")
    args = ap.parse_args(argv)
    if not gl.GOLD_DATA.exists() or not (be.DEFAULT_DATA / "evaldata.json").exists():
        print("no evaluation data (../shared/data)", file=sys.stderr)
        return 2

    rules = load_rules()
    print("set              pages  with threads  removed: article  boilerplate  unlabelled")
    for ds in args.sets.split(","):
        pages = gl.load_gold_pages([ds], limit=args.limit)
        counts = {1: 0, 0: 0, None: 0}
        hit = 0
        for p in pages:
            blocks = segment(html_to_page(p["html"]).text)
            labels = gl.gold_line_labels([b.text for b in blocks], p["gold"])
            at = {b.start: i for i, b in enumerate(blocks)}
            _, removed = classify(blocks, rules=rules)
            thread = [r for r in removed if r.rule == "lines:comment_thread"]
            hit += bool(thread)
            for r in thread:
                y = labels[at[r.start]]
                counts[y] += 1
                if y == 1 and args.show:
                    print(f"  article line removed, {p['id']}: {r.text[:100]}")
        print(
            f"{ds:16s} {len(pages):5d}  {hit:12d}  {counts[1]:16d}  {counts[0]:11d}  "
            f"{counts[None]:10d}"
        )

    pages = be.load_pages(be.DEFAULT_DATA, "test", None)
    texts = [[b.text for b in segment(be.dump_of(p["html"]))] for p in pages]
    markers = load_comment_markers()
    t = time.process_time()
    for tx in texts:
        comment_threads(tx, markers, [False] * len(tx))
    ms = (time.process_time() - t) * 1000 / len(pages)
    print(f"thread scan: {ms:.2f} CPU-ms per page ({len(pages)} html-dev test dumps)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
