"""benchmarks/gold_labels.py: line labels from gold article text, and the shingle scoring."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "gold_labels.py"
_spec = importlib.util.spec_from_file_location("gold_labels", _PATH)
gl = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gl)

GOLD = (
    "Mayor opens the new bridge\n"
    "By Anna Keller\n"
    "The bridge over the river was opened on Tuesday after three years of work, the mayor said.\n"
    "It carries 20,000 cars a day and has a lane for bicycles on each side."
)


def test_lines_are_labelled_from_the_gold_text():
    lines = [
        "Home News Sport Weather",  # menu: no shingle in the gold
        "Mayor opens the new bridge",  # exact gold line
        "By Anna Keller",  # exact gold line (short)
        "The bridge over the river was opened on Tuesday after three years of work, the mayor said.",
        # the same paragraph with an edited word at the end: most shingles still match
        "It carries 20,000 cars a day and has a lane for bicycles on each side of it.",
        "Share",  # short, not in the gold: boilerplate
        "bridge",  # short, a word of the gold: unknown
        "Read more: the mayor said the bridge over the river was late",  # half in the gold
        "",
    ]
    assert gl.gold_line_labels(lines, GOLD) == [0, 1, 1, 1, 1, 0, None, None, None]


def test_a_line_shown_more_often_than_the_gold_has_it_stays_unlabelled():
    # the headline as a teaser link and as the h1: which copy the annotators meant is unknown
    lines = [
        "Mayor opens the new bridge",
        "Mayor opens the new bridge",
        "The bridge over the river was opened on Tuesday after three years of work, the mayor said.",
    ]
    assert gl.gold_line_labels(lines, GOLD) == [None, None, 1]


def test_shingle_scores():
    body = GOLD.split("\n", 2)[2]
    p, r = gl.shingle_scores(body, GOLD)
    assert p == 1.0 and 0.7 < r < 1.0
    p, r = gl.shingle_scores("Home News Sport Weather\n" + GOLD, GOLD)
    assert r == 1.0 and p < 1.0
    assert gl.shingle_scores("", GOLD) == (0.0, 0.0)
    assert gl.shingle_scores("", "") == (1.0, 1.0)


@pytest.mark.parametrize(
    "text,toks",
    [
        ("Don't STOP-me now!", ["don", "t", "stop", "me", "now"]),
        ("Über 20,5 km", ["über", "20", "5", "km"]),
    ],
)
def test_tokens(text, toks):
    assert gl.tokens(text) == toks
