"""Classify stage: decide for every block whether it is article text or boilerplate, and why.

Signals, in order of precedence (first one that speaks wins):
1. DOM hints (HTML input): the block sits in nav/footer/cookie banner/… (``Block.dom_reason``).
2. Phrase rules, kept as data per language in ``rules/*.toml`` (see rules/README.md).
3. The repeated-line signal: a line seen in several documents of the same site.
Kept blocks then get a role: the title (first short title-like line before the prose),
headings (short unpunctuated lines inside the article) or body.
Every threshold is a named constant below with the reason for its value.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .record import REASONS, Fragment, Removal
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
# Prose: a paragraph with at least this many characters is treated as article text when
# deciding whether a short line is followed by the article (title/heading test).
PROSE_MIN_CHARS = 60
# A phrase rule without its own max_chars judges only lines up to this long. Boilerplate lines
# are short (the longest in the samples, a donation-appeal paragraph, has ~330 characters); a
# longer line merely containing a phrase is article text, e.g. a page dumped as one line,
# which would otherwise go whole into `removed` (or become a "related" teaser).
RULE_MAX_CHARS = 1000


@dataclass(frozen=True)
class Rule:
    name: str
    reason: str
    kind: str                      # "line" | "span" | "tail"
    pattern: re.Pattern[str]
    end: re.Pattern[str] | None = None
    max_lines: int = 1
    max_chars: int | None = None
    consume_following: int = 0
    role: str = "body"

    def matches(self, text: str) -> re.Match[str] | None:
        if len(text) > (self.max_chars if self.max_chars is not None else RULE_MAX_CHARS):
            return None
        return self.pattern.search(text)


def _compile(p: str) -> re.Pattern[str]:
    return re.compile(p, re.IGNORECASE | re.UNICODE)


def _parse_rules(data: dict, origin: str) -> list[Rule]:
    rules = []
    for kind in ("span", "line", "tail"):
        for entry in data.get(kind, []):
            reason = entry["reason"]
            if reason not in REASONS:
                raise ValueError(f"{origin}: rule {entry.get('rule')!r}: unknown reason {reason!r}")
            rules.append(Rule(
                name=entry["rule"], reason=reason, kind=kind,
                pattern=_compile(entry["pattern"]),
                end=_compile(entry["end"]) if "end" in entry else None,
                max_lines=int(entry.get("max_lines", 1)),
                max_chars=entry.get("max_chars"),
                consume_following=int(entry.get("consume_following", 0)),
                role=entry.get("role", "body"),
            ))
    return rules


@lru_cache(maxsize=8)
def load_rules(rules_dir: str | None = None) -> tuple[Rule, ...]:
    """Packaged rule files (sorted by name, so order is stable), then ``rules_dir``'s."""
    rules: list[Rule] = []
    pkg = resources.files("normalizer") / "rules"
    for entry in sorted(pkg.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".toml") and entry.name != "html.toml":
            rules += _parse_rules(tomllib.loads(entry.read_text("utf-8")), entry.name)
    if rules_dir:
        for path in sorted(Path(rules_dir).glob("*.toml")):
            rules += _parse_rules(tomllib.loads(path.read_text("utf-8")), str(path))
    # Spans first: they claim whole runs of lines before single-line rules look at them.
    order = {"span": 0, "line": 1, "tail": 2}
    return tuple(sorted(rules, key=lambda r: order[r.kind]))


def _is_title_like(text: str, max_chars: int, max_words: int) -> bool:
    return (len(text) <= max_chars and len(text.split()) <= max_words
            and text[-1] not in SENTENCE_END and any(c.isalpha() for c in text))


def classify(blocks: Sequence[Block], *, rules: Iterable[Rule] | None = None,
             repeated: Callable[[str], bool] | None = None,
             title_hint: str | None = None) -> tuple[list[Fragment], list[Removal]]:
    """Split ``blocks`` into kept fragments (with roles) and removals (with reasons)."""
    rules = tuple(rules) if rules is not None else load_rules()
    n = len(blocks)
    verdict: list[tuple[str, str] | None] = [None] * n   # (reason, rule) for removed blocks
    tails: dict[int, tuple[int, Rule]] = {}                  # block index -> (cut offset, rule)

    for i, b in enumerate(blocks):
        if b.dom_reason:
            verdict[i] = (b.dom_reason, b.dom_rule or "html")

    for rule in rules:
        i = 0
        while i < n:
            if verdict[i] is not None or i in tails:
                i += 1
                continue
            m = rule.matches(blocks[i].text)
            if not m:
                i += 1
                continue
            if rule.kind == "tail":
                tails[i] = (blocks[i].start + m.start(), rule)
                i += 1
                continue
            verdict[i] = (rule.reason, rule.name)
            j = i + 1
            if rule.kind == "span":
                last = None
                for k in range(i, min(n, i + rule.max_lines)):
                    if rule.end is not None and rule.end.search(blocks[k].text):
                        last = k
                        break
                if last is not None:
                    for k in range(i + 1, last + 1):
                        verdict[k] = (rule.reason, rule.name)
                    j = last + 1
            elif rule.consume_following:
                k = i + 1
                while k < n and k <= i + rule.consume_following and verdict[k] is None \
                        and not any(r.matches(blocks[k].text) for r in rules if r is not rule):
                    verdict[k] = (rule.reason, rule.name)
                    k += 1
                j = k
            i = j

    if repeated is not None:
        for i, b in enumerate(blocks):
            if verdict[i] is None and i not in tails and repeated(b.text):
                verdict[i] = ("repeated_line", "batch:repeated_line")

    kept: list[Fragment] = []
    removed: list[Removal] = []
    for i, b in enumerate(blocks):
        if verdict[i] is not None:
            removed.append(Removal(b.text, verdict[i][0], verdict[i][1], b.start, b.end))
            continue
        if i in tails:
            cut, rule = tails[i]
            keep_text = b.text[: cut - b.start].rstrip()
            tail_start = b.start + len(keep_text) + (len(b.text[len(keep_text):]) - len(b.text[len(keep_text):].lstrip()))
            kept.append(Fragment(keep_text, b.start, b.start + len(keep_text), role=rule.role))
            removed.append(Removal(b.text[tail_start - b.start:], rule.reason, rule.name, tail_start, b.end))
            continue
        kept.append(Fragment(b.text, b.start, b.end, role="heading" if b.heading else "body"))

    _assign_roles(kept, title_hint)
    return kept, removed


def _assign_roles(kept: list[Fragment], title_hint: str | None) -> None:
    article = [f for f in kept if f.role in ("body", "heading")]

    def followed_by_prose(idx: int) -> bool:
        return idx + 1 < len(article) and len(article[idx + 1].text) >= PROSE_MIN_CHARS

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
        if not title_done and hint is None and idx == 0 \
                and _is_title_like(f.text, TITLE_MAX_CHARS, TITLE_MAX_WORDS) and followed_by_prose(idx):
            f.role = "title"
            title_done = True
        elif f.role == "body" and idx > 0 and _is_title_like(f.text, HEADING_MAX_CHARS, HEADING_MAX_WORDS) \
                and followed_by_prose(idx):
            f.role = "heading"


def _norm(text: str) -> str:
    return " ".join(text.lower().split())
