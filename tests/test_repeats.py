"""The repeated-line pass: exact counts per site, bounded memory (spills to disk), order-free."""

from __future__ import annotations

import random

import numpy as np

from normalizer.config import Config
from normalizer.running.repeats import (
    LineCounter,
    RepeatedLines,
    count_repeated,
    doc_keys,
    line_key,
)


def _docs():
    docs = []
    for n in range(40):
        site = f"site{n % 4}"
        lines = [f"unique line {n}", f"boilerplate of {site}", "shared by every site"]
        if n % 4 == 0 and n < 8:
            lines.append("only twice on site0")
        docs.append((site, lines + [f"boilerplate of {site}"]))  # twice in one doc counts once
    return docs


def _counter(docs, **kw):
    c = LineCounter(3, **kw)
    for site, lines in docs:
        c.add(doc_keys(site, lines))
    return c.result()


def test_counts_per_site_and_threshold():
    rep = _counter(_docs())
    assert rep("site1", "boilerplate of site1")
    assert not rep("site2", "boilerplate of site1")  # another site's line
    assert rep("site3", "shared by every site")
    assert not rep("site0", "only twice on site0")  # 2 documents < 3
    assert not rep("site0", "unique line 0")
    assert not rep(None, "shared by every site")  # no site, no signal
    assert len(rep) == 8


def test_spilling_to_disk_and_order_give_the_same_answer(tmp_path):
    docs = _docs()
    in_memory = _counter(docs)
    shuffled = docs[:]
    random.Random(1).shuffle(shuffled)
    spilled = _counter(shuffled, buffer_keys=5, tmpdir=str(tmp_path))
    assert np.array_equal(in_memory.keys, spilled.keys)
    assert list(tmp_path.iterdir()) == []  # spill files removed


def test_keys_are_8_byte_blake2b():
    k = line_key("example.com", "Subscribe")
    assert 0 <= k < 2**64
    assert doc_keys("example.com", ["Subscribe", "Subscribe"]).tolist() == [k]


def test_count_repeated_uses_pipeline_blocks():
    items = [
        {
            "text": f"Body {n} is long enough to be a paragraph of prose here.\nFollow us on Example",
            "url": f"https://www.example.com/{n}",
        }
        for n in range(3)
    ]
    rep = count_repeated(items, Config(translate=False))
    assert rep("example.com", "Follow us on Example")  # host without www.
    assert isinstance(RepeatedLines([1, 2]).keys, np.ndarray)
