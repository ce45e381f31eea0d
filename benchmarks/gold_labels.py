#!/usr/bin/env python3
"""Line labels from gold article text, for ``../shared/data/extract-more`` (and scoring there).

The four sets of extract-more (Dragnet, CleanEval, CleanPortalEval, Readability) give each
page's whole main text ("gold", one paragraph a line), not snippets. ``gold_line_labels``
turns it into labels for the lines of the page's rendering: the lines of its plain-text dump
(``html_to_page(html).text``) and its HTML blocks are the same lines (``page.blocks``), so one
label list serves both forms.

Alignment, on lower-cased ``\\w+`` tokens (the scoring's tokens):

1. A line whose token string equals a gold line's is article text (1), unless more page
   lines than gold lines have that text (a headline shown twice, in a teaser and as the
   h1): those lines stay unlabelled (None), the copy that counts cannot be told.
2. A line of at least SHINGLE_N tokens: the share of its 4-token shingles found among the
   gold's shingles; >= GOLD_MIN_SHARE is article text (1), <= BOILER_MAX_SHARE boilerplate
   (0), in between unlabelled (a line that mixes both, or text the annotators edited).
3. A shorter line (1-3 tokens, no exact gold line): boilerplate (0) when its token string
   does not occur in the gold text at all; otherwise unlabelled ("Share", "Comments" and
   "Sports" may be words of the article too).
4. Lines without tokens are unlabelled.

    .venv/bin/python benchmarks/gold_labels.py            # labelled / unlabelled lines per set
    .venv/bin/python benchmarks/gold_labels.py --limit 100

``load_gold_pages`` reads the sets (synthetic Readability pages left out unless asked);
``shingle_scores`` is the sets' scoring (4-token shingles, per-page precision and recall).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Iterable, Sequence

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOLD_DATA = ROOT.parent / "shared" / "data" / "extract-more"
DATASETS = ("dragnet", "cleaneval", "cleanportaleval", "readability")
# The Readability test pages that are lorem ipsum made for a parser case, not web pages
# (the set's README lists them).
SYNTHETIC = frozenset(
    """
003-metadata-preferred 004-metadata-space-separated-properties base-url base-url-base-element
base-url-base-element-relative basic-tags-cleaning comment-inside-script-parsing data-url-image
dev418 embedded-videos hidden-nodes metadata-content-missing missing-paragraphs normalize-spaces
remove-aria-hidden remove-extra-brs remove-extra-paragraphs remove-script-tags replace-brs
replace-font-tags rtl-1 rtl-2 rtl-3 rtl-4 social-buttons style-tags-removal svg-parsing
title-and-h1-discrepancy js-link-replacement lazy-image-3
""".split()
)

# Shingles of this many tokens: the sets' scoring unit (article-extraction-benchmark).
SHINGLE_N = 4
# A line with at least this share of its shingles in the gold is article text, with at most
# this share boilerplate. Gold text was copied by hand (Dragnet) or re-typed into CleanEval's
# format, so a real article line may lose a shingle or two at an edited word; a menu line
# shares a shingle with the gold only by accident.
GOLD_MIN_SHARE = 0.8
BOILER_MAX_SHARE = 0.2

_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    """Lower-cased ``\\w+`` tokens, the unit of alignment and scoring."""
    return _TOKEN.findall(text.casefold())


def shingles(toks: Sequence[str], n: int = SHINGLE_N) -> list[tuple[str, ...]]:
    """Token n-grams; a text shorter than ``n`` tokens is one shingle of all its tokens."""
    if len(toks) < n:
        return [tuple(toks)] if toks else []
    return [tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)]


def gold_line_labels(lines: Sequence[str], gold: str) -> list[int | None]:
    """Per line of a page: 1 article text, 0 boilerplate, None unlabelled (see module doc)."""
    gold_lines = [" ".join(tokens(g)) for g in gold.split("\n")]
    gold_count = Counter(g for g in gold_lines if g)
    gold_toks = tokens(gold)
    gold_sh = set(shingles(gold_toks))
    gold_joined = " " + " ".join(gold_toks) + " "
    line_toks = [tokens(t) for t in lines]
    page_count = Counter(" ".join(t) for t in line_toks if t)
    out: list[int | None] = []
    for toks in line_toks:
        if not toks:
            out.append(None)
            continue
        key = " ".join(toks)
        if key in gold_count:
            out.append(1 if page_count[key] <= gold_count[key] else None)
        elif len(toks) >= SHINGLE_N:
            sh = shingles(toks)
            share = sum(s in gold_sh for s in sh) / len(sh)
            out.append(1 if share >= GOLD_MIN_SHARE else 0 if share <= BOILER_MAX_SHARE else None)
        else:
            out.append(None if f" {key} " in gold_joined else 0)
    return out


def load_gold_pages(
    datasets: Iterable[str] = DATASETS,
    *,
    data: Path = GOLD_DATA,
    synthetic: bool = False,
    limit: int | None = None,
) -> list[dict]:
    """Pages of the extract-more sets, each {"id", "dataset", "url", "html", "gold"}.

    ``limit``: at most that many pages per set, a fixed subset: the pages whose SHA-1 of
    the id sorts first (deterministic, and spread over each set's sources).
    """
    pages = []
    for ds in datasets:
        with gzip.open(data / f"{ds}.jsonl.gz", "rt", encoding="utf-8") as f:
            got = [json.loads(line) for line in f]
        if not synthetic:
            got = [p for p in got if p["id"].split("/", 1)[1] not in SYNTHETIC]
        if limit is not None:
            got = sorted(got, key=lambda p: hashlib.sha1(p["id"].encode("utf-8")).hexdigest())[
                :limit
            ]
            got.sort(key=lambda p: p["id"])
        pages.extend(got)
    return pages


def shingle_scores(output: str, gold: str) -> tuple[float, float]:
    """(precision, recall) of ``output`` against ``gold`` on shingle multisets, as the
    sets' scoring does (an empty output has precision 1 when the gold is empty too)."""
    o, g = Counter(shingles(tokens(output))), Counter(shingles(tokens(gold)))
    common = sum((o & g).values())
    p = common / sum(o.values()) if o else (1.0 if not g else 0.0)
    r = common / sum(g.values()) if g else 1.0
    return p, r


def main(argv: list[str] | None = None) -> int:
    from normalizer.stages.html import html_to_page

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=GOLD_DATA)
    ap.add_argument("--limit", type=int, default=None, help="pages per set (fixed subset)")
    args = ap.parse_args(argv)
    if not (args.data / "dragnet.jsonl.gz").exists():
        print(f"normalizer: no extract-more data at {args.data}", file=sys.stderr)
        return 2
    print(
        f"{'set':16s} {'pages':>6s} {'lines':>8s} {'article':>8s} {'boiler':>8s} "
        f"{'unlabelled':>10s}  gold tokens on article lines"
    )
    for ds in DATASETS:
        t0 = time.process_time()
        n = Counter()
        covered = total = 0
        for p in load_gold_pages([ds], data=args.data, limit=args.limit):
            lines = [b.text for b in html_to_page(p["html"]).blocks]
            labs = gold_line_labels(lines, p["gold"])
            n["pages"] += 1
            n["lines"] += len(labs)
            n["pos"] += labs.count(1)
            n["neg"] += labs.count(0)
            n["none"] += labs.count(None)
            # how much of the gold the article lines hold (recall of the labels themselves)
            g = Counter(shingles(tokens(p["gold"])))
            o = Counter(s for line, y in zip(lines, labs) if y == 1 for s in shingles(tokens(line)))
            covered += sum((o & g).values())
            total += sum(g.values())
        print(
            f"{ds:16s} {n['pages']:6d} {n['lines']:8d} {n['pos']:8d} {n['neg']:8d} "
            f"{n['none']:7d} ({n['none'] / max(1, n['lines']):.1%})  "
            f"{covered / max(1, total):.1%}   [{time.process_time() - t0:.0f} cpu-s]",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
