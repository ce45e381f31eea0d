"""Roles of the kept lines: which one is the title, which are headings inside the article
and which are body text, and which lines the line scores may not remove because they are the
title or such a heading.
"""

from __future__ import annotations

from typing import Sequence

from ..record import Fragment
from .features import LINK_LIST_DENSITY, SENTENCE_STOPS
from .segment import Block

# A title is short: news headlines run 40-120 characters; 200 leaves room for long ones.
TITLE_MAX_CHARS = 200
TITLE_MAX_WORDS = 25
# Without a title from the HTML, only the first kept line can be the title. With one (og:title,
# <title>), it is looked for among the first few kept lines, after site headers.
TITLE_SEARCH_BLOCKS = 5
# Headings inside an article are short noun phrases ("Russia-Iran relations").
HEADING_MAX_CHARS = 120
HEADING_MAX_WORDS = 14
# A line ending in one of these is a sentence, not a title or heading.
SENTENCE_END = ".,;:…"
# A short title-like line is the title or a heading only when the next article line has at
# least this many characters (a paragraph follows it, not another short line): the length
# of a prose line for the line features (features.PROSE_MIN_CHARS). The golden samples'
# roles are checked with this value.
TITLE_NEXT_PROSE_MIN_CHARS = 100
# Plain text has no <title>: the headline is looked for this many lines above the first
# kept line, and has at least this many words ("Home" or "News" are not headlines).
# Between them stand bylines, dates and share prompts, so the wordiest candidate wins,
# and a line more than TITLE_MAX_DIGITS digits ("12 March 2024") is a date, not a title.
TITLE_LOOKBACK = 5
TITLE_MIN_WORDS = 3
TITLE_MAX_DIGITS = 0.2
# Headings inside the article stay: a run of at most this many short lines between two
# kept lines is kept when each is heading-like (HEADING_MAX_CHARS / _WORDS) or a sentence,
# and is not a link line (features.LINK_LIST_DENSITY) unless it is a heading: a linked line
# between two paragraphs is a related story ("Four out of five jobs affected by virus
# globally" on BBC, "Learn more about our Affiliate Network"), and protecting it leaked ten
# such lines on html-dev's test half (HTML 0.938 -> 0.940, its English pages 0.924 -> 0.928;
# dev CV unchanged, docs/benchmarks.md "Link lines between paragraphs").
SANDWICH_MAX_LINES = 2


def _is_title_like(text: str, max_chars: int, max_words: int) -> bool:
    return (
        len(text) <= max_chars
        and len(text.split()) <= max_words
        and text[-1] not in SENTENCE_END
        and any(c.isalpha() for c in text)
    )


def assign_roles(kept: list[Fragment], title_hint: str | None) -> None:
    """Set each kept fragment's role in place: the title (``title_hint``'s line among the first
    TITLE_SEARCH_BLOCKS, else a title-like first line followed by prose), headings (title-like
    lines followed by prose) and body."""
    article = [f for f in kept if f.role in ("body", "heading")]

    def followed_by_prose(idx: int) -> bool:
        return idx + 1 < len(article) and len(article[idx + 1].text) >= TITLE_NEXT_PROSE_MIN_CHARS

    title_done = False
    hint = _norm(title_hint) if title_hint else None
    if hint:
        for f in article[:TITLE_SEARCH_BLOCKS]:
            if _norm(f.text) == hint:
                f.role = "title"
                title_done = True
                break
    for idx, f in enumerate(article):
        if f.role == "title":
            continue
        if (
            not title_done
            and hint is None
            and idx == 0
            and _is_title_like(f.text, TITLE_MAX_CHARS, TITLE_MAX_WORDS)
            and followed_by_prose(idx)
        ):
            f.role = "title"
            title_done = True
        elif (
            f.role == "body"
            and idx > 0
            and _is_title_like(f.text, HEADING_MAX_CHARS, HEADING_MAX_WORDS)
            and followed_by_prose(idx)
        ):
            f.role = "heading"


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def protected(blocks: Sequence[Block], keep: list[bool], title_hint: str | None) -> set[int]:
    """Lines the scores may not remove: the title, and headings between kept lines."""
    out: set[int] = set()
    hint = _norm(title_hint) if title_hint else None
    if hint:
        out.update(i for i, b in enumerate(blocks) if _norm(b.text) == hint)
    else:
        # Plain text: the headline is a title-like line just above the first kept line
        # (a byline or date may stand between them).
        first = next((i for i, k in enumerate(keep) if k), None)
        if first is not None:
            cands = [
                i
                for i in range(max(0, first - TITLE_LOOKBACK), first)
                if len(blocks[i].text.split()) >= TITLE_MIN_WORDS
                and _is_title_like(blocks[i].text, TITLE_MAX_CHARS, TITLE_MAX_WORDS)
                and sum(c.isdigit() for c in blocks[i].text)
                <= TITLE_MAX_DIGITS * len(blocks[i].text)
            ]
            if cands:  # the wordiest: a headline is longer than "By Anna Keller"
                out.add(max(cands, key=lambda i: (len(blocks[i].text.split()), i)))
    i, n = 0, len(blocks)
    while i < n:
        if keep[i]:
            i += 1
            continue
        j = i
        while j < n and not keep[j]:
            j += 1
        if (
            0 < i
            and j < n
            and j - i <= SANDWICH_MAX_LINES
            and all(
                (
                    _is_title_like(blocks[k].text, HEADING_MAX_CHARS, HEADING_MAX_WORDS)
                    or blocks[k].text.rstrip().endswith(SENTENCE_STOPS)
                )
                and (blocks[k].link_density < LINK_LIST_DENSITY or blocks[k].heading)
                for k in range(i, j)
            )
        ):
            out.update(range(i, j))
        i = j
    return out
