#!/usr/bin/env python3
"""Cross-validated extraction F1 on the dev pages: decide changes here, not on the test half.

The dev pages of html-dev (bench_extract.split_of) are cut into 5 folds by position; each
fold's pages are extracted by ``ours`` with line-score trees fitted (fit_line_model.fit) on
the other four folds, and scored as bench_extract scores them (snippet precision, recall,
F1 over all pages). Rules, stop words and site words are the packaged ones. Every page is
thus scored by a model that has not seen it, as the test pages are, but the test half
stays untouched: compare two versions of the code by this figure, then report the test
figure once. Fold models see 80% of the dev pages, so the figures run a little below those
of the packaged model (fitted on all of them).

    .venv/bin/python benchmarks/cv_extract.py                  # both forms, ~2 minutes
    .venv/bin/python benchmarks/cv_extract.py --forms dump --errors
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

FOLDS = 5


def main(argv: list[str] | None = None) -> int:
    import bench_extract as be
    import fit_line_model as fl

    from normalizer.stages.linemodel import line_model_from_dict

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=be.DEFAULT_DATA, help="html-dev folder")
    ap.add_argument("--forms", default="dump,html", help="comma list of dump, html")
    ap.add_argument("--errors", action="store_true", help="print missed/leaked snippets per page")
    ap.add_argument(
        "--lexicon-gold",
        default="",
        help="comma list of extract-more datasets whose gold-labelled lines also fit the word "
        "lexicon (not the trees)",
    )
    be.add_switch_cost(ap)
    args = ap.parse_args(argv)
    be.apply_switch_cost(args)
    forms = [f for f in args.forms.split(",") if f]
    if any(f not in be.FORMS for f in forms):
        ap.error(f"forms are {', '.join(be.FORMS)}")
    if not (args.data / "evaldata.json").exists():
        print(f"no evaluation data at {args.data}", file=sys.stderr)
        return 2

    pages = be.load_pages(args.data, "dev", None)
    totals = {f: [0, 0, 0, 0] for f in forms}
    lexicon_extra = None
    if args.lexicon_gold:
        from gold_labels import load_gold_pages

        gold = fl.prepare(load_gold_pages(args.lexicon_gold.split(",")), log=lambda *a: None)
        lexicon_extra = (gold["text"][2], gold["text"][1])
    for k in range(FOLDS):
        train = [p for j, p in enumerate(pages) if j % FOLDS != k]
        held = [p for j, p in enumerate(pages) if j % FOLDS == k]
        model = line_model_from_dict(
            fl.fit(train, log=lambda *a: None, lexicon_extra=lexicon_extra)
        )
        for form in forms:
            run = be.make_ours(form, line_model=model)
            for p in held:
                tp, fn, fp, tn, missed, leaked = be.score_page(
                    run(p["html"] if form == "html" else be.dump_of(p["html"])), p
                )
                t = totals[form]
                t[0], t[1], t[2], t[3] = t[0] + tp, t[1] + fn, t[2] + fp, t[3] + tn
                if args.errors and (missed or leaked):
                    print(f"--- {form} {p['file']}")
                    for s in missed:
                        print(f"   MISSED  {s!r}")
                    for s in leaked:
                        print(f"   LEAKED  {s!r}")
        print(f"fold {k + 1}/{FOLDS} done ({len(held)} pages)", file=sys.stderr, flush=True)

    print(f"dev pages: {len(pages)}, {FOLDS}-fold cross-validation")
    for form, (tp, fn, fp, tn) in totals.items():
        m = be.metrics(tp, fn, fp, tn)
        print(
            f"  ours {form:5s} P={m['precision']:.4f} R={m['recall']:.4f} F1={m['f1']:.4f}  "
            f"(tp {tp}, fn {fn}, fp {fp}, tn {tn})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
