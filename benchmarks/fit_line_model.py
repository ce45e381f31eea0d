#!/usr/bin/env python3
"""Fit the line-score trees of normalizer/stages/boilerplate.py on the DEV half of html-dev (and, with
--gold, the gold-text sets of extract-more).

Each annotated snippet labels the line (block) it falls in: a ``with`` snippet marks an
article line (1), a ``without`` snippet a boilerplate line (0). With ``--gold`` the pages of
``../shared/data/extract-more`` are added, their lines labelled from the gold article text
(``gold_labels.gold_line_labels``), and each dataset's labelled lines weigh its share
(``GOLD_SHARES``, ``--shares``): a gold page labels ~150 lines, an html-dev page ~6. Two gradient-boosted tree
ensembles (LightGBM) are fitted per input form, plain-text dump ("text") and HTML ("html"):
stage 1 on the line features (``linemodel.LINE_FEATURES``), stage 2 on those plus the
context features (``linemodel.CONTEXT_FEATURES``) computed from stage 1's scores. Stage 2
is trained on *out-of-fold* stage-1 scores (5 folds by page), the scores stage 1 gives pages
it has not seen, as it will at run time. The word lexicon (``lexicon`` in the model file, features
``lexicon_mean``/``lexicon_min``) is fitted here too, from the same labelled lines; the trees
see each page's lexicon features from a lexicon fitted on the other folds. Only dev pages are used (the split of
bench_extract.py); report figures on the test half. The output depends only on the data and
the code: re-running the script rewrites the file byte for byte.

The trees are written as plain arrays (``linemodel._Forest`` evaluates them with numpy),
so LightGBM is needed to fit, not to run. The script checks that the numpy evaluation
reproduces LightGBM's own scores before it writes the file.

    .venv/bin/python benchmarks/fit_line_model.py            # writes normalizer/data/line_model.json
    .venv/bin/python benchmarks/fit_line_model.py --compare  # also: 5-fold CV, trees vs logistic
    .venv/bin/python benchmarks/fit_line_model.py --gold     # html-dev dev + extract-more, weighted

Needs lightgbm and numpy (``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

# Chosen by 5-fold CV on the dev pages (line F1 within +-0.003 for 4-16 leaves, 100-400
# rounds, learning rate 0.03-0.1): small trees, because there are only ~3,000 labelled lines
# per form; min_data_in_leaf keeps a leaf from describing a handful of lines of one page.
PARAMS = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 8,
    "max_depth": 3,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "seed": 1,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 1,
    "verbose": -1,
}
ROUNDS = 150
FOLDS = 5
# Directions known in advance: more links, a longer run of links or short lines, a DOM
# hint or more distance from the prose never make a line more likely article text; more
# stop words and better-scored neighbours never less. Trees are only fitted where the
# ~3,000 labelled lines are; the constraints make them extrapolate the right way (a menu
# of 12 bare links, rare among the labels, otherwise scored near 0).
MONOTONE = {
    "link_density": -1,
    "link_run": -1,
    "short_run": -1,
    "dom_hint": -1,
    "region_distance": -1,
    "stopword_density": 1,
    "stopword_mass": 1,
    "near_prose": 1,
    "first_score": 1,
    "near_1": 1,
    "near_3": 1,
    "near_8": 1,
    "main_run": 1,
    "between_1": 1,
    "between_3": 1,
}


# The word lexicon (features lexicon_mean / lexicon_min): per word of letters, the log-odds that a
# labelled line holding it is article text rather than boilerplate, from the labelled lines
# of the text dumps (the HTML blocks hold the same lines). Only words on the labelled lines
# of at least LEXICON_MIN_PAGES pages, so one site's menu words do not become "boilerplate
# words"; counts smoothed by LEXICON_ALPHA; log-odds clipped to +-LEXICON_CAP. Nested 5-fold
# CV on dev: min pages 2-10 and alpha 1-3 all gave +0.001..+0.006 line F1 (dumps) and
# +0.003..+0.008 (HTML) over no lexicon; the middle of that range was taken.
LEXICON_MIN_PAGES = 5
LEXICON_ALPHA = 1.0
LEXICON_CAP = 3.0


def fit_lexicon(words, labs, pages) -> dict[str, float]:
    """{word: log-odds article vs boilerplate} from the labelled lines of ``pages``."""
    import math
    from collections import Counter

    pos, neg, seen = Counter(), Counter(), {}
    n_pos = n_neg = 0
    for j in pages:
        for i, y in labs[j]:
            for w in set(words[j][i]):
                (pos if y else neg)[w] += 1
                seen.setdefault(w, set()).add(j)
            n_pos += y
            n_neg += 1 - y
    out = {}
    for w in sorted(seen):
        # letters only: a number ("8", "2020") says nothing general about a line
        if len(seen[w]) >= LEXICON_MIN_PAGES and w.isalpha():
            lo = math.log((pos[w] + LEXICON_ALPHA) / (n_pos + 2 * LEXICON_ALPHA)) - math.log(
                (neg[w] + LEXICON_ALPHA) / (n_neg + 2 * LEXICON_ALPHA)
            )
            out[w] = round(max(-LEXICON_CAP, min(LEXICON_CAP, lo)), 4)
    return out


def labelled(blocks, page):
    """[(line index, 1 article / 0 boilerplate)]: from html-dev's snippets, or, for a page
    with gold text (extract-more), from gold_labels.gold_line_labels."""
    from bench_extract import (
        norm,  # the benchmark's matching form (NFC, no soft hyphens)
    )

    if "gold" in page:
        from gold_labels import gold_line_labels

        return [
            (i, y)
            for i, y in enumerate(gold_line_labels([b.text for b in blocks], page["gold"]))
            if y is not None
        ]
    out = []
    texts = [norm(b.text) for b in blocks]
    for snippets, label in ((page["with"], 1), (page["without"], 0)):
        for s in snippets:
            ns = norm(s)
            for i, b in enumerate(texts):
                if ns in b:
                    out.append((i, label))
                    break
    return out


def _rows(X, lab):
    return X[[i for i, _ in lab]]


def train(Xs, labs, rounds=ROUNDS, weights=None):
    """Trees on the labelled lines; ``weights``: one per page, given to each of its lines."""
    import lightgbm as lgb
    import numpy as np

    from normalizer.stages import linemodel as lm

    names = (lm.LINE_FEATURES + lm.CONTEXT_FEATURES)[: Xs[0].shape[1]]
    params = dict(PARAMS, monotone_constraints=[MONOTONE.get(n, 0) for n in names])

    X = np.vstack([_rows(x, lab) for x, lab in zip(Xs, labs) if lab])
    y = np.array([v for lab in labs for _, v in lab], dtype=float)
    w = None if weights is None else np.array([wt for wt, lab in zip(weights, labs) for _ in lab])
    return lgb.train(params, lgb.Dataset(X, y, weight=w), rounds)


def out_of_fold(Xs, labs, weights=None):
    """Each page's stage scores from a model fitted on the other folds."""
    import numpy as np

    out = [None] * len(Xs)
    for k in range(FOLDS):
        idx = [j for j in range(len(Xs)) if j % FOLDS != k]
        model = train(
            [Xs[j] for j in idx],
            [labs[j] for j in idx],
            weights=None if weights is None else [weights[j] for j in idx],
        )
        for j in range(k, len(Xs), FOLDS):
            out[j] = model.predict(Xs[j]) if len(Xs[j]) else np.zeros(0)
    return out


def _export_node(node: dict, d: int, tree: dict, depth: list[int]) -> int:
    """Append ``node`` and its subtree to ``tree``'s arrays; return its index."""
    k = len(tree["f"])
    for key, empty in (("f", -1), ("t", 0.0), ("l", 0), ("r", 0), ("v", 0.0)):
        tree[key].append(empty)
    if "leaf_value" in node:
        tree["v"][k] = float(node["leaf_value"])
        depth[0] = max(depth[0], d)
        return k
    if node["decision_type"] != "<=":
        raise ValueError(f"unsupported split {node['decision_type']!r}")
    tree["f"][k], tree["t"][k] = int(node["split_feature"]), float(node["threshold"])
    tree["l"][k] = _export_node(node["left_child"], d + 1, tree, depth)
    tree["r"][k] = _export_node(node["right_child"], d + 1, tree, depth)
    return k


def export(model) -> dict:
    """LightGBM's trees as arrays: node k is a leaf when f[k] == -1 (value v[k]), else
    go to l[k] when x[f[k]] <= t[k], otherwise r[k]."""
    trees, depth = [], [0]
    for info in model.dump_model()["tree_info"]:
        tree = {"f": [], "t": [], "l": [], "r": [], "v": []}
        _export_node(info["tree_structure"], 0, tree, depth)
        trees.append(tree)
    depth = depth[0]
    return {"base": 0.0, "depth": depth, "trees": trees}


def line_f1(scores, labs):
    tp = fn = fp = 0
    for s, lab in zip(scores, labs):
        for i, y in lab:
            keep = s[i] > 0.5
            tp += keep and y
            fn += (not keep) and y
            fp += keep and not y
    return 2 * tp / (2 * tp + fn + fp) if tp else 0.0


def logistic_cv(Xs, labs):
    """The previous model, three stacked logistic regressions, for --compare."""
    import numpy as np

    from normalizer.stages import features as ft

    def fit(X, y, l2=1e-3):
        w = np.zeros(X.shape[1])
        for _ in range(100):
            p = 1.0 / (1.0 + np.exp(-(X @ w)))
            step = np.linalg.solve(
                (X.T * (p * (1 - p))) @ X / len(y) + l2 * np.eye(X.shape[1]),
                X.T @ (p - y) / len(y) + l2 * w,
            )
            w -= step
            if np.abs(step).max() < 1e-8:
                break
        return w

    sig = lambda z: 1.0 / (1.0 + np.exp(-z))  # noqa: E731
    scores = [None] * len(Xs)
    for k in range(FOLDS):
        tr = [j for j in range(len(Xs)) if j % FOLDS != k and labs[j]]
        y = np.array([v for j in tr for _, v in labs[j]], dtype=float)
        w1 = fit(np.vstack([_rows(Xs[j], labs[j]) for j in tr]), y)
        X2 = {j: np.hstack([Xs[j], ft.context_features(sig(Xs[j] @ w1))]) for j in range(len(Xs))}
        w2 = fit(np.vstack([_rows(X2[j], labs[j]) for j in tr]), y)
        X3 = {j: np.hstack([Xs[j], ft.context_features(sig(X2[j] @ w2))]) for j in range(len(Xs))}
        w3 = fit(np.vstack([_rows(X3[j], labs[j]) for j in tr]), y)
        for j in range(k, len(Xs), FOLDS):
            scores[j] = sig(X3[j] @ w3)
    return scores


def prepare(pages, log=print) -> dict:
    """Per form, per page: line features (lexicon columns empty), labels and line words.
    Computed once; fit_prepared fits on any subset of the pages."""
    import numpy as np

    from normalizer.stages import boilerplate, rules
    from normalizer.stages import features as ft
    from normalizer.stages import linemodel as lm
    from normalizer.stages.html import html_to_page
    from normalizer.stages.segment import segment

    stop = rules.load_stopwords()
    n_line = len(lm.LINE_FEATURES)
    forms: dict = {"text": ([], [], []), "html": ([], [], [])}
    for p in pages:
        page = html_to_page(p["html"])  # both forms come from one parse
        for mode in ("text", "html"):
            blocks = page.blocks if mode == "html" else segment(page.text)
            Xs, labs, words = forms[mode]
            Xs.append(
                np.array(ft.line_features(blocks, stop, lexicon={}), dtype=float).reshape(
                    -1, n_line
                )
            )
            lab = labelled(blocks, p) if blocks else []
            if "gold" in p and lab:
                # Only lines that reach the line scores: DOM hints, phrase rules and link
                # menus remove the others before the trees are asked (see classify), and a
                # gold page's ~150 labels are mostly such easy lines.
                gone = {r.start for r in boilerplate.classify(blocks, line_scores=False)[1]}
                lab = [(i, y) for i, y in lab if blocks[i].start not in gone]
            labs.append(lab)
            words.append([ft.line_words(b.text) for b in blocks])
    return forms


def line_weights(labs, datasets, shares: dict[str, float]) -> list[float]:
    """A weight per page (for each of its labelled lines) such that each dataset's labelled
    lines together weigh its share (``shares``: dataset -> share; a dataset not named weighs
    0), scaled so that the mean line weight is 1."""
    lines: dict[str, int] = {}
    for ds, lab in zip(datasets, labs):
        lines[ds] = lines.get(ds, 0) + len(lab)
    total = sum(lines.values())
    share_sum = sum(shares.get(ds, 0.0) for ds, n in lines.items() if n) or 1.0
    return [
        shares.get(ds, 0.0) / share_sum * total / lines[ds] if lines[ds] else 0.0 for ds in datasets
    ]


def fit_prepared(
    forms,
    idx,
    *,
    datasets=None,
    shares: dict[str, float] | None = None,
    compare: bool = False,
    log=print,
    about: str = "",
    lexicon_extra: tuple[list, list] | None = None,
) -> dict:
    """The line model fitted on the pages ``idx`` of ``prepare``'s output. ``datasets``: the
    dataset of every page (all pages); with ``shares``, lines are weighted by line_weights.
    ``lexicon_extra``: (line words, labels) per page of more pages that only the word lexicon
    is fitted on (prepare's ``text`` form), not the trees."""
    import numpy as np

    from normalizer.stages import features as ft
    from normalizer.stages import linemodel as lm

    idx = list(idx)
    model = {
        "format": lm.LINE_MODEL_FORMAT,
        "about": "Line-score trees for normalizer/stages/boilerplate.py, fitted by "
        f"benchmarks/fit_line_model.py on {about or f'{len(idx)} pages'}. LightGBM "
        f"{PARAMS['num_leaves']} leaves, {ROUNDS} rounds, learning rate "
        f"{PARAMS['learning_rate']}; leaf values are log-odds.",
    }
    n_line = len(lm.LINE_FEATURES)
    lex_cols = [lm.LINE_FEATURES.index("lexicon_mean"), lm.LINE_FEATURES.index("lexicon_min")]
    sub = {mode: tuple([v[j] for j in idx] for v in vals) for mode, vals in forms.items()}
    # The lexicon the package ships: all pages. The trees are trained on out-of-fold
    # lexicon features (each page's from a lexicon of the other folds), as unseen pages get.
    _, text_labs, text_words = sub["text"]
    n = len(idx)
    extra: list[int] = []
    if lexicon_extra is not None:
        text_words, text_labs = text_words + lexicon_extra[0], text_labs + lexicon_extra[1]
        extra = list(range(n, len(text_words)))
    model["lexicon"] = fit_lexicon(text_words, text_labs, list(range(n)) + extra)
    folds = [
        fit_lexicon(text_words, text_labs, [j for j in range(n) if j % FOLDS != k] + extra)
        for k in range(FOLDS)
    ]
    log(f"lexicon: {len(model['lexicon'])} words")
    for mode in ("text", "html"):
        Xs, labs, words = sub[mode]
        Xs = [X.copy() for X in Xs]
        for j, X in enumerate(Xs):
            if len(X):
                X[:, lex_cols] = ft.lexicon_columns(words[j], folds[j % FOLDS])
        w = None if shares is None else line_weights(labs, [datasets[j] for j in idx], shares)
        stage1 = train(Xs, labs, weights=w)
        oof1 = out_of_fold(Xs, labs, weights=w)
        X2s = [np.hstack([X, ft.context_features(p)]) for X, p in zip(Xs, oof1)]
        stage2 = train(X2s, labs, weights=w)
        n_lab = sum(len(lab) for lab in labs)
        stages = [export(stage1), export(stage2)]
        log(
            f"{mode}: {n_lab} labelled lines; tree depth {stages[0]['depth']}/{stages[1]['depth']}; "
            f"out-of-fold stage-1 line F1 {line_f1(oof1, labs):.3f}"
        )
        if compare:
            oof2 = out_of_fold(X2s, labs, weights=w)
            log(
                f"  5-fold CV line F1: trees {line_f1(oof2, labs):.3f}  "
                f"logistic (3 stages) {line_f1(logistic_cv(Xs, labs), labs):.3f}"
            )
        model[mode] = {
            "features": list(lm.LINE_FEATURES),
            "context_features": list(lm.CONTEXT_FEATURES),
            "labelled_lines": n_lab,
            "stages": stages,
        }
        # The numpy evaluator must reproduce LightGBM's scores on every line.
        forests = [
            lm._Forest(stages[0], n_line),
            lm._Forest(stages[1], n_line + len(lm.CONTEXT_FEATURES)),
        ]
        for X, X2 in zip(Xs, X2s):
            if len(X):
                assert np.allclose(forests[0](X), stage1.predict(X, raw_score=True), atol=1e-9)
                assert np.allclose(forests[1](X2), stage2.predict(X2, raw_score=True), atol=1e-9)
    return model


def fit(
    pages,
    compare: bool = False,
    log=print,
    shares: dict[str, float] | None = None,
    about: str = "",
    lexicon_extra: tuple[list, list] | None = None,
) -> dict:
    """The line model (the dict line_model.json holds) fitted on ``pages`` (load_pages /
    gold_labels.load_gold_pages form); ``shares``: dataset weights (line_weights)."""
    log(f"fitting on {len(pages)} pages")
    forms = prepare(pages, log=log)
    return fit_prepared(
        forms,
        range(len(pages)),
        datasets=[p.get("dataset", "html-dev") for p in pages],
        shares=shares,
        compare=compare,
        log=log,
        about=about,
        lexicon_extra=lexicon_extra,
    )


# Dataset shares of the fitted line weight with --gold (line_weights), chosen with
# benchmarks/cross_dataset.py (see benchmarks/README.md). html-dev and Dragnet are news and
# blog articles like the held-out sets; CleanEval's gold keeps menus, listings and forum
# posts, so it is scored but not fitted on.
GOLD_SHARES = {
    "html-dev": 0.4,
    "dragnet": 0.35,
    "cleanportaleval": 0.1,
    "readability": 0.15,
    "cleaneval": 0.0,
}


def parse_shares(text: str | None) -> dict[str, float]:
    """ "dataset=share,..." -> dict; None -> GOLD_SHARES."""
    from gold_labels import DATASETS

    if not text:
        return dict(GOLD_SHARES)
    out = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        if name not in ("html-dev",) + DATASETS:
            raise ValueError(f"unknown dataset {name!r}")
        out[name] = float(value)
    return out


def _timed(fn, *a) -> float:
    import time

    c0 = time.process_time()
    fn(*a)
    return time.process_time() - c0


def main(argv=None) -> int:
    from bench_extract import DEFAULT_DATA, load_pages

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument(
        "--gold",
        action="store_true",
        help="also fit on ../shared/data/extract-more (gold text), weighted by --shares",
    )
    ap.add_argument(
        "--shares",
        default=None,
        help="with --gold: dataset=share,... (default "
        + ",".join(f"{k}={v}" for k, v in GOLD_SHARES.items())
        + ")",
    )
    ap.add_argument(
        "--gold-limit",
        type=int,
        default=None,
        help="with --gold: at most this many pages per gold set, the fixed subset "
        "gold_labels.load_gold_pages takes (default: all)",
    )
    ap.add_argument(
        "--split",
        choices=("dev", "all"),
        default="dev",
        help="html-dev pages to fit on: the dev half (default), or all of them",
    )
    ap.add_argument("--out", type=Path, default=ROOT / "normalizer" / "data" / "line_model.json")
    ap.add_argument(
        "--compare",
        action="store_true",
        help="also print 5-fold CV line F1 on dev: trees vs the logistic stages",
    )
    args = ap.parse_args(argv)

    pages = load_pages(args.data, args.split, None)
    if not args.gold:
        model = fit(
            pages,
            compare=args.compare,
            about=f"{'the dev half of ' if args.split == 'dev' else ''}html-dev ({len(pages)} pages)",
        )
    else:
        from gold_labels import DATASETS, load_gold_pages

        try:
            shares = parse_shares(args.shares)
        except ValueError as e:
            ap.error(str(e))
        for p in pages:
            p["dataset"] = "html-dev"
        pages += load_gold_pages(
            [d for d in DATASETS if shares.get(d, 0.0) > 0], limit=args.gold_limit
        )
        counts = {d: sum(p["dataset"] == d for p in pages) for d in ("html-dev",) + DATASETS}
        model = fit(
            pages,
            compare=args.compare,
            shares=shares,
            about="the dev half of html-dev and the gold-text sets of extract-more ("
            + ", ".join(
                f"{d} {n} pages, share {shares.get(d, 0.0)}" for d, n in counts.items() if n
            )
            + ")",
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, separators=(",", ":")) + "\n", "utf-8")
    print(f"written {args.out} ({args.out.stat().st_size // 1024} KiB)")
    from normalizer.stages.linemodel import load_line_model

    best = min(_timed(load_line_model.__wrapped__, str(args.out)) for _ in range(5))
    print(f"load time (read, parse, check; best of 5): {best * 1000:.1f} ms CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
