#!/usr/bin/env python3
"""Extraction judged across datasets: leave-one-dataset-out and k-fold within datasets.

Datasets: the dev half of html-dev (snippet annotations; its test half stays untouched) and
the four sets of ``../shared/data/extract-more`` (gold article text, labelled by
``gold_labels.gold_line_labels``). Line-score trees are fitted (``fit_line_model``) on:

* ``lodo``: every dataset but the one scored (leave one dataset out): how a model does on a
  kind of page it was not fitted on;
* ``cv``: all datasets, less the fold scored: K folds of each dataset's pages (by SHA-1 of
  the page id), so a page is scored by a model that saw its dataset but not the page;
* ``base``: html-dev's dev pages alone, as the packaged model is fitted (for html-dev itself
  K-fold within html-dev, as cv_extract.py does): the reference the other two must beat.

Each scored page is extracted by ``ours`` with each of these models, and by trafilatura and
jusText, in both forms (HTML, and the plain-text dump wrapped one line per <p> for the two
references), in the same run. Scoring: html-dev pages as bench_extract.py (snippet
precision/recall/F1 over all snippets); extract-more pages by 4-token shingles of ``\\w+``
tokens against the gold text, precision and recall per page averaged over the pages, F1 of
the two averages (the sets' own scoring; see their README). One table per dataset.

CPU is scarce, so both fitting and scoring use a fixed subset: per gold set the
``--fit-limit`` pages whose SHA-1(id) sorts first (all of html-dev's dev pages), and of those
the first ``--eval-limit`` per dataset are scored. Defaults take about 10 minutes on one core.
``--eval-skip N`` scores the pages after the first N of each dataset in that order instead:
with ``--eval-skip 400``, Dragnet's and CleanEval's pages that no rule was written from (the
rules were written looking at their first 300 and 200 pages, and candidate rules were
counted on at most the first 400); they are never fitted on.

    .venv/bin/python benchmarks/cross_dataset.py
    .venv/bin/python benchmarks/cross_dataset.py --shares html-dev=0.4,dragnet=0.3,cleanportaleval=0.1,readability=0.2
    .venv/bin/python benchmarks/cross_dataset.py --configs base,lodo --systems ours --forms dump
    .venv/bin/python benchmarks/cross_dataset.py --configs base --systems ours,trafilatura --eval-skip 400 --eval-limit 2000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_extract as be  # noqa: E402
import fit_line_model as fl  # noqa: E402
import gold_labels as gl  # noqa: E402

ALL_DATASETS = ("html-dev",) + gl.DATASETS
CONFIGS = ("base", "lodo", "cv")
DEFAULT_SHARES = fl.GOLD_SHARES
FIT_LIMIT = 150
EVAL_LIMIT = 30
K = 3


def _hash(page: dict) -> str:
    return hashlib.sha1(page["id"].encode("utf-8")).hexdigest()


def load(
    fit_limit: int,
    eval_limit: int,
    shares: dict[str, float],
    html_dev: Path,
    gold: Path,
    eval_skip: int = 0,
) -> list[dict]:
    """html-dev's dev pages and the fixed subsets of the gold sets: the ``fit_limit`` first
    of a set that is fitted on (``p["fit"]``), and the pages to score. Pages to fit on come
    first."""
    pages, extra = [], []
    for p in be.load_pages(html_dev, "dev", None):
        p["dataset"], p["id"], p["fit"] = "html-dev", "html-dev/" + p["file"], True
        pages.append(p)
    for ds in gl.DATASETS:
        fit_n = fit_limit if shares.get(ds, 0.0) > 0 else 0
        got = gl.load_gold_pages([ds], data=gold, limit=max(fit_n, eval_skip + eval_limit))
        for rank, p in enumerate(sorted(got, key=_hash)):
            p["fit"] = rank < fit_n
        pages += [p for p in got if p["fit"]]
        extra += [p for p in got if not p["fit"]]
    pages += extra
    for p in pages:
        p["fold"] = int(_hash(p)[:8], 16) % K
    return pages


class Scores:
    """Per (dataset, system, config, form): snippet counts or per-page shingle P/R."""

    def __init__(self):
        self.rows: dict[tuple, list] = {}
        self.cpu: dict[tuple, float] = {}

    def add(self, key: tuple, page: dict, out: str, cpu: float) -> None:
        if page["dataset"] == "html-dev":
            tp, fn, fp, tn, _, _ = be.score_page(out, page)
            self.rows.setdefault(key, []).append((tp, fn, fp, tn))
        else:
            self.rows.setdefault(key, []).append(gl.shingle_scores(out, page["gold"]))
        self.cpu[key] = self.cpu.get(key, 0.0) + cpu

    def figure(self, key: tuple) -> tuple[float, float, float, int]:
        rows = self.rows[key]
        if key[0] == "html-dev":
            tp, fn, fp, tn = (sum(r[i] for r in rows) for i in range(4))
            m = be.metrics(tp, fn, fp, tn)
            return m["precision"], m["recall"], m["f1"], len(rows)
        p = sum(r[0] for r in rows) / len(rows)
        r = sum(r[1] for r in rows) / len(rows)
        return p, r, (2 * p * r / (p + r) if p + r else 0.0), len(rows)


def main(argv: list[str] | None = None) -> int:
    from normalizer.stages.linemodel import line_model_from_dict

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--html-dev", type=Path, default=be.DEFAULT_DATA)
    ap.add_argument("--gold", type=Path, default=gl.GOLD_DATA)
    ap.add_argument(
        "--fit-limit", type=int, default=FIT_LIMIT, help="pages per gold set for fitting"
    )
    ap.add_argument("--eval-limit", type=int, default=EVAL_LIMIT, help="pages per dataset scored")
    ap.add_argument(
        "--eval-skip",
        type=int,
        default=0,
        help="score the pages after the first N of each dataset (see above); default 0",
    )
    ap.add_argument(
        "--shares",
        default=None,
        help="dataset=share,... (default: %(default)s -> "
        + ",".join(f"{k}={v}" for k, v in DEFAULT_SHARES.items())
        + ")",
    )
    ap.add_argument("--configs", default=",".join(CONFIGS))
    ap.add_argument("--systems", default="ours,trafilatura,justext")
    ap.add_argument("--forms", default="html,dump")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    ap.add_argument(
        "--with-title",
        action="store_true",
        help="score ours on its kept headline line + body text (trafilatura's text holds the "
        "headline when it is inside the article element); default: body text, the record's text",
    )
    be.add_switch_cost(ap)
    args = ap.parse_args(argv)
    be.apply_switch_cost(args)
    configs = [c for c in args.configs.split(",") if c]
    systems = [s for s in args.systems.split(",") if s]
    forms = [f for f in args.forms.split(",") if f]
    if (
        any(c not in CONFIGS for c in configs)
        or any(f not in be.FORMS for f in forms)
        or any(s not in ("ours", "trafilatura", "justext") for s in systems)
    ):
        ap.error("unknown config, system or form")
    try:
        shares = fl.parse_shares(args.shares)
    except ValueError as e:
        ap.error(str(e))
    if (
        not (args.html_dev / "evaldata.json").exists()
        or not (args.gold / "dragnet.jsonl.gz").exists()
    ):
        print(
            "normalizer: evaluation data not found (../shared/data/html-dev, extract-more)",
            file=sys.stderr,
        )
        return 2

    t_start = time.process_time()
    log = lambda *a: print(*a, file=sys.stderr, flush=True)  # noqa: E731
    pages = load(args.fit_limit, args.eval_limit, shares, args.html_dev, args.gold, args.eval_skip)
    n_fit = sum(p["fit"] for p in pages)  # the first n_fit pages; only they are prepared
    by_ds = {ds: [j for j, p in enumerate(pages) if p["dataset"] == ds] for ds in ALL_DATASETS}
    skip = args.eval_skip
    scored = {
        ds: sorted(idx, key=lambda j: _hash(pages[j]))[skip : skip + args.eval_limit]
        for ds, idx in by_ds.items()
    }
    log(
        f"pages: {n_fit} for fitting, {len(pages)} in all "
        f"({', '.join(f'{ds} {len(i)}' for ds, i in by_ds.items())}); "
        f"scored per dataset: {args.eval_limit} after the first {skip}; shares {shares}"
    )
    forms_data = fl.prepare(pages[:n_fit], log=log)
    datasets = [p["dataset"] for p in pages]
    log(f"prepared in {time.process_time() - t_start:.0f} cpu-s")
    for p in pages:
        p["dump"] = be.dump_of(p["html"])
        p["dump_html"] = be.wrap_lines(p["dump"])

    quiet = lambda *a: None  # noqa: E731
    cache: dict[tuple[int, ...], dict] = {}

    def fitted(idx) -> dict:
        key = tuple(j for j in idx if shares.get(datasets[j], 0.0) > 0 and pages[j]["fit"])
        if key not in cache:  # leaving out a dataset of share 0 changes nothing
            t0 = time.process_time()
            cache[key] = line_model_from_dict(
                fl.fit_prepared(forms_data, key, datasets=datasets, shares=shares, log=quiet)
            )
            log(f"  fit {len(cache)}: {len(key)} pages, {time.process_time() - t0:.0f} cpu-s")
        return cache[key]

    # (config, dataset) -> list of (model, page indices to score with it)
    plan: dict[tuple[str, str], list[tuple[dict, list[int]]]] = {}
    if "base" in configs:
        dev = by_ds["html-dev"]
        base_all = fitted(dev)
        for ds in gl.DATASETS:
            plan[("base", ds)] = [(base_all, scored[ds])]
        plan[("base", "html-dev")] = [
            (
                fitted([j for j in dev if pages[j]["fold"] != k]),
                [j for j in scored["html-dev"] if pages[j]["fold"] == k],
            )
            for k in range(K)
        ]
    if "lodo" in configs:
        for ds in ALL_DATASETS:
            plan[("lodo", ds)] = [
                (fitted([j for j in range(len(pages)) if pages[j]["dataset"] != ds]), scored[ds])
            ]
    if "cv" in configs:
        for k in range(K):
            m = fitted([j for j in range(len(pages)) if pages[j]["fold"] != k])
            for ds in ALL_DATASETS:
                plan.setdefault(("cv", ds), []).append(
                    (m, [j for j in scored[ds] if pages[j]["fold"] == k])
                )

    scores = Scores()
    refs = {}
    for form in forms:
        for s in systems:
            if s != "ours":
                refs[(s, form)] = be.FACTORIES[s](form)
    for (config, ds), parts in plan.items():
        for model, idx in parts:
            for form in forms:
                run = be.make_ours(form, line_model=model, with_title=args.with_title)
                for j in idx:
                    p = pages[j]
                    c0 = time.process_time()
                    out = run(p["html"] if form == "html" else p["dump"])
                    scores.add((ds, "ours", config, form), p, out, time.process_time() - c0)
    for ds in ALL_DATASETS:
        for (s, form), run in refs.items():
            for j in scored[ds]:
                p = pages[j]
                c0 = time.process_time()
                try:
                    out = run(p["html"] if form == "html" else p["dump_html"])
                except Exception:  # noqa: BLE001 - a crash scores as empty output
                    out = ""
                scores.add((ds, s, "-", form), p, out, time.process_time() - c0)

    metric = {"html-dev": "snippet P/R/F1 over all snippets"}
    result = {}
    for ds in ALL_DATASETS:
        if not any(k[0] == ds for k in scores.rows):
            continue  # no page left to score (--eval-skip beyond the set's size)
        print(
            f"\n## {ds}  ({metric.get(ds, 'shingle P/R averaged over pages, F1 of the averages')})"
        )
        print("| system | fitted on | form | pages | precision | recall | F1 |")
        print("|---|---|---|---|---|---|---|")
        for form in forms:
            for key in sorted(k for k in scores.rows if k[0] == ds and k[3] == form):
                p, r, f, n = scores.figure(key)
                fitted_on = {
                    "base": "html-dev only",
                    "lodo": f"all but {ds}",
                    "cv": f"all, {K}-fold",
                    "-": "",
                }[key[2]]
                print(
                    f"| {key[1]} | {fitted_on} | {form} | {n} | {p:.3f} | {r:.3f} | **{f:.3f}** |"
                )
                result["/".join(key)] = {"precision": p, "recall": r, "f1": f, "pages": n}
    print(
        f"\nshares {shares}; fit limit {args.fit_limit} per gold set; scored after the first "
        f"{skip}; {len(cache)} fits; "
        f"{time.process_time() - t_start:.0f} cpu-s in all"
    )
    if args.json:
        args.json.write_text(json.dumps({"shares": shares, "figures": result}, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
