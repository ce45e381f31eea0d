"""Segment stage: decoded text -> blocks (one per non-empty line) with character offsets."""

from __future__ import annotations

from dataclasses import dataclass

# Characters scraped pages are full of that show nothing: soft hyphen, zero-width space, word
# joiner, BOM. Clean text drops them, and so do the line features and language identification
# (a soft hyphen inside "Le\xadbens\xadlauf" would cut it into three words). Not the
# zero-width (non-)joiners: in Persian, Kurdish and Indic scripts and in emoji sequences they
# change what is shown.
INVISIBLE_CHARS = "\u00ad\u200b\u2060\ufeff"
DROP_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE_CHARS))  # str.translate table


@dataclass
class Block:
    """A candidate fragment: one line of a page dump (or one HTML block rendered as a line).

    ``start``/``end`` are offsets into the decoded input text; ``text == source[start:end]``.
    The DOM fields are only set for HTML input.
    """

    text: str
    start: int
    end: int
    tag: str | None = None  # html tag of the block element
    link_density: float = 0.0  # share of the block's characters inside <a>
    depth: int = 0  # DOM depth of the block element
    dom_reason: str | None = None  # removal reason suggested by the DOM (nav, cookie banner ...)
    dom_rule: str | None = None  # which DOM rule suggested it, e.g. "html:nav"
    heading: bool = False  # h1-h6 in HTML


# Characters str.strip() removes but we never treat as line breaks are kept inside blocks;
# only "\n" (with an optional "\r") separates blocks so offsets stay simple.
def segment(text: str) -> list[Block]:
    """Split ``text`` into non-empty, stripped lines with exact offsets."""
    blocks: list[Block] = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        if nl < 0:
            nl = n
        line = text[pos:nl]
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            start = pos + lead
            blocks.append(Block(stripped, start, start + len(stripped)))
        pos = nl + 1
    return blocks
