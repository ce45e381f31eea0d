#!/usr/bin/env python3
"""Fit the line-score weights of normalizer/boilerplate.py on the DEV half of html-dev.

Each annotated snippet labels the line (block) it falls in: a ``with`` snippet marks an
article line (1), a ``without`` snippet a boilerplate line (0). Three logistic regressions
are fitted per input form, plain-text dump ("text") and HTML ("html"): stage 1 on the line
features (``boilerplate.LINE_FEATURES``), stage 2 on those plus the context features that
stage 1's scores give (``boilerplate.CONTEXT_FEATURES``), stage 3 the same with the context
from stage 2's scores. Only dev pages are used (the
split of bench_extract.py); report figures on the test half.

    .venv/bin/python benchmarks/fit_line_model.py            # writes normalizer/data/line_model.json
    .venv/bin/python benchmarks/fit_line_model.py --out /tmp/m.json

Needs numpy (installed with the benchmark extras); the package itself does not.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

# L2 penalty (per labelled line): keeps rare features (bullets, URLs) from taking extreme
# weights. The fit is Newton's method (the loss is convex), run to convergence: plain
# gradient descent stopped far from the optimum and left every weight shrunk.
L2 = 1e-3
MAX_NEWTON_STEPS = 100
TOLERANCE = 1e-8


def fit(X, y):
    import numpy as np

    n, d = X.shape
    w = np.zeros(d)
    for _ in range(MAX_NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-(X @ w)))
        grad = X.T @ (p - y) / n + L2 * w
        hess = (X.T * (p * (1 - p))) @ X / n + L2 * np.eye(d)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < TOLERANCE:
            break
    return w


def labelled(blocks, page):
    norm = lambda s: " ".join(s.split())  # noqa: E731
    out = []
    for snippets, label in ((page["with"], 1), (page["without"], 0)):
        for s in snippets:
            ns = norm(s)
            for i, b in enumerate(blocks):
                if ns in b.text:
                    out.append((i, label))
                    break
    return out


def main(argv=None) -> int:
    import numpy as np

    from bench_extract import DEFAULT_DATA, load_pages
    from normalizer import boilerplate as bp
    from normalizer.html import html_to_page
    from normalizer.segment import segment

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=ROOT / "normalizer" / "data" / "line_model.json")
    args = ap.parse_args(argv)

    stop = bp.load_stopwords()
    pages = load_pages(args.data, "dev", None)
    print(f"fitting on {len(pages)} dev pages")
    model = {"about": "Line-score weights for normalizer/boilerplate.py, fitted by "
                      "benchmarks/fit_line_model.py on the dev half of html-dev "
                      f"({len(pages)} pages) on {time.strftime('%Y-%m-%d')}. A weight is the "
                      "change in log-odds that a line is article text per unit of its feature."}
    for mode in ("text", "html"):
        data = []
        for p in pages:
            page = html_to_page(p["html"])
            blocks = page.blocks if mode == "html" else segment(page.text)
            if not blocks:
                continue
            data.append((bp.line_features(blocks, stop), labelled(blocks, p)))
        X1 = np.array([f[i] for f, lab in data for i, _ in lab])
        y = np.array([y for _, lab in data for _, y in lab], dtype=float)
        w1 = fit(X1, y)
        X2 = []
        for f, lab in data:
            first = [1.0 / (1.0 + np.exp(-(np.array(row) @ w1))) for row in f]
            ctx = bp.context_features([float(x) for x in first])
            X2 += [f[i] + ctx[i] for i, _ in lab]
        X2 = np.array(X2)
        w2 = fit(X2, y)
        X3 = []
        for f, lab in data:
            F = np.array(f)
            first = 1.0 / (1.0 + np.exp(-(F @ w1)))
            ctx1 = np.array(bp.context_features([float(x) for x in first]))
            second = 1.0 / (1.0 + np.exp(-(np.hstack([F, ctx1]) @ w2)))
            ctx2 = bp.context_features([float(x) for x in second])
            X3 += [f[i] + ctx2[i] for i, _ in lab]
        X3 = np.array(X3)
        w3 = fit(X3, y)
        acc3 = float(((X3 @ w3 > 0) == (y > 0.5)).mean())
        acc1 = float(((X1 @ w1 > 0) == (y > 0.5)).mean())
        acc2 = float(((X2 @ w2 > 0) == (y > 0.5)).mean())
        print(f"{mode}: {len(y)} labelled lines, line accuracy stage 1 {acc1:.3f}, stage 2 {acc2:.3f}, stage 3 {acc3:.3f}")
        model[mode] = {
            "features": list(bp.LINE_FEATURES), "context_features": list(bp.CONTEXT_FEATURES),
            "stage1": [round(float(x), 4) for x in w1], "stage2": [round(float(x), 4) for x in w2],
            "stage3": [round(float(x), 4) for x in w3],
            "labelled_lines": int(len(y)),
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, indent=1) + "\n", "utf-8")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
