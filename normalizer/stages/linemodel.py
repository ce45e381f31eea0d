"""The fitted line model: the columns its trees read (``LINE_FEATURES``, computed by
features.py, then ``CONTEXT_FEATURES``), ``normalizer/data/line_model.json`` loaded and checked
against them, and the tree ensembles evaluated with numpy (``_Forest``).
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path

# The columns of the trees' input, by name, in order: stage 1 reads LINE_FEATURES (one row per
# line, features.line_features), stage 2 those plus CONTEXT_FEATURES (features.context_features).
# A model file lists the names it was fitted with; load_line_model refuses one that differs.
LINE_FEATURES = (
    "bias",
    "length",
    "log_length",
    "stopword_density",
    "stopword_mass",
    "sentence_end",
    "letters",
    "digits",
    "title_case",
    "caps",
    "separators",
    "commas",
    "sentences",
    "bullet",
    "duplicate",
    "colon_end",
    "url",
    "few_words",
    "prose_before",
    "prose_after",
    "prose_distance",
    "near_prose",
    "position",
    "link_density",
    "dom_hint",
    "heading",
    "depth_offset",
    "main_depth",
    "tag_p",
    "tag_li",
    "short_run",
    "link_run",
    "in_main",
    "out_main",
    "in_article",
    "tag_div",
    "dense_region",
    "region_distance",
    "short_in_region",
    "prose_outside",
    "short_in_main",
    "date_line",
    "no_alnum",
    "site_words",
    "site_word",
    "lexicon_mean",
    "lexicon_min",
)
CONTEXT_FEATURES = (
    "first_score",
    "near_1",
    "near_3",
    "near_8",
    "main_run",
    "score_before",
    "score_after",
    "between_1",
    "between_3",
)


LINE_MODEL_FORMAT = "trees-v2"


class _Forest:
    """A tree ensemble as flat node arrays; scores every line against every tree at once.

    A node is a leaf when its feature is -1 (its value counts); otherwise a line goes
    ``left`` when the feature is ``<= thr`` (LightGBM's convention), else ``right``. Leaves
    point to themselves, so walking ``depth`` steps from the roots ends on every line's
    leaf in every tree without a leaf test. The log-odds is ``base`` plus the leaf values."""

    def __init__(self, stage: dict, n_features: int) -> None:
        import numpy as np

        feat, thr, left, right, value, roots = [], [], [], [], [], []
        for tree in stage["trees"]:
            m, off = len(tree["f"]), len(feat)
            if (
                not all(len(tree[k]) == m for k in ("t", "l", "r", "v"))
                or max(tree["f"]) >= n_features
            ):
                raise ValueError("line model: malformed tree")
            roots.append(off)
            for k in range(m):
                leaf = tree["f"][k] < 0
                feat.append(0 if leaf else tree["f"][k])
                thr.append(tree["t"][k])
                left.append(off + k if leaf else off + tree["l"][k])
                right.append(off + k if leaf else off + tree["r"][k])
                value.append(tree["v"][k] if leaf else 0.0)
        # Comparisons are made for split nodes only; ``test[k]`` is node k's column among
        # them (leaves point at column 0, whose answer they never use).
        split = [k for k in range(len(feat)) if left[k] != k]
        self.feat = np.array([feat[k] for k in split], dtype=np.intp)
        self.thr = np.array([thr[k] for k in split])
        test = [0] * len(feat)
        for col, k in enumerate(split):
            test[k] = col
        self.test = np.array(test, dtype=np.intp)
        self.left = np.array(left, dtype=np.intp)
        self.right = np.array(right, dtype=np.intp)
        self.value = np.array(value)
        self.roots = np.array(roots, dtype=np.intp)
        self.base = float(stage.get("base", 0.0))
        self.depth = int(stage["depth"])

    def __call__(self, X):
        import numpy as np

        if X.shape[0] > FOREST_ROWS_PER_BATCH:  # rows are independent: same scores, bounded memory
            return np.concatenate(
                [
                    self(X[i : i + FOREST_ROWS_PER_BATCH])
                    for i in range(0, X.shape[0], FOREST_ROWS_PER_BATCH)
                ]
            )
        n, width = X.shape[0], max(len(self.feat), 1)
        go_left = (X[:, self.feat] <= self.thr).ravel()  # every split, every line
        row = (np.arange(n, dtype=np.intp) * width)[:, None]
        node = np.repeat(self.roots[None, :], n, axis=0)
        for _ in range(self.depth):
            node = np.where(
                go_left.take(self.test.take(node) + row),
                self.left.take(node),
                self.right.take(node),
            )
        return self.base + self.value.take(node).sum(axis=1)


# Lines scored against the forest at once. Scoring takes (lines x split nodes) floats at a
# time, about 8 KB a line with the packaged model: 2,048 lines keep that near 16 MB, where a
# whole 30 MB text file (150,000 lines) took over 1 GB; numpy's per-call overhead is
# already negligible at this size.
FOREST_ROWS_PER_BATCH = 2048


@lru_cache(maxsize=2)
def load_line_model(path: str | None = None) -> dict[str, dict]:
    """The fitted trees: {"text"|"html": {"features", "context_features", "stages": [...]},
    "lexicon": {word: log-odds}}.

    Each mode's ``forests`` entry holds the stages ready to evaluate (``_Forest``)."""
    if path:
        data = json.loads(Path(path).read_text("utf-8"))
    else:
        data = json.loads(
            (resources.files("normalizer") / "data" / "line_model.json").read_text("utf-8")
        )
    return line_model_from_dict(data)


def line_model_from_dict(data: dict) -> dict[str, dict]:
    """``data`` (the JSON of a line model file) checked against this version's features and
    made ready to evaluate, as load_line_model returns it. Updates ``data`` in place."""
    if data.get("format") != LINE_MODEL_FORMAT:
        raise ValueError(
            f"line model: format {data.get('format')!r}, expected {LINE_MODEL_FORMAT!r}"
        )
    lexicon = data.get("lexicon")
    if not isinstance(lexicon, dict) or not all(
        isinstance(v, (int, float)) for v in lexicon.values()
    ):
        raise ValueError("line model: no word lexicon")
    for mode in ("text", "html"):
        m = data[mode]
        if (
            tuple(m["features"]) != LINE_FEATURES
            or tuple(m["context_features"]) != CONTEXT_FEATURES
            or len(m["stages"]) != 2
        ):
            raise ValueError(f"line model {mode!r} does not match this version's features")
        m["forests"] = [
            _Forest(m["stages"][0], len(LINE_FEATURES)),
            _Forest(m["stages"][1], len(LINE_FEATURES) + len(CONTEXT_FEATURES)),
        ]
    return data
