"""Classify stage: decide for every block whether it is article text or boilerplate, and why.

Signals, in order of precedence (first one that speaks wins):
1. DOM hints (HTML input): the block sits in nav/footer/cookie banner/… (``Block.dom_reason``).
2. Phrase rules, kept as data per language in ``rules/*.toml`` (see rules/README.md).
3. The repeated-line signal: a line seen in several documents of the same site.
   Then menus (HTML): a run of lines that are links and nothing else (``html:link_menu``).
4. Line scores: every line is scored as article prose *where it stands* from its own
   features (length, stop-word density in the page's language, terminal punctuation,
   share of letters and digits, link density, DOM depth and tag) and its context (is it
   inside the densest run of prose, how did its neighbours score). Menus, teaser lists,
   captions, author boxes and comment threads around the article go with reason
   ``low_quality`` (``navigation`` when mostly links). See "Line scores" below.
Kept blocks then get a role: the title (first short title-like line before the prose),
headings (short unpunctuated lines inside the article) or body.
Every threshold is a named constant below with the reason for its value.
"""

from __future__ import annotations

import json
import math
import operator
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

import tomllib

if TYPE_CHECKING:
    import numpy as np

from ..record import REASONS, Fragment, Removal
from .langid import script_of
from .segment import DROP_INVISIBLE, INVISIBLE_CHARS, Block

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
# A rule with consume_preceding takes the lines before its matches only when it matches at
# least this many lines: one "Read the rest" under an article's last paragraph links to the
# full story elsewhere (the paragraph is the article); several close a list of teasers.
TEASER_MIN_ITEMS = 2


@dataclass(frozen=True)
class Rule:
    name: str
    reason: str
    kind: str  # "line" | "span" | "tail"
    pattern: re.Pattern[str]
    end: re.Pattern[str] | None = None
    max_lines: int = 1
    max_chars: int | None = None
    consume_following: int = 0
    # Lines before each match that go with it, when the rule matches TEASER_MIN_ITEMS or more
    # lines of the page (a list of teasers, each closed by "READ THE REST").
    consume_preceding: int = 0
    role: str = "body"
    # Literal strings (lower case) at least one of which every match contains, read off the
    # pattern (_triggers); None when the pattern has no such strings. A page whose text
    # contains none of them skips the rule for all its lines (see classify).
    triggers: tuple[str, ...] | None = None

    def matches(self, text: str) -> re.Match[str] | None:
        if len(text) > (self.max_chars if self.max_chars is not None else RULE_MAX_CHARS):
            return None
        return self.pattern.search(text)


# Characters that the regex engine's case-insensitive matching equates with a letter whose
# str.lower() differs (dotless i, long s, micro sign, Greek symbol variants, old Cyrillic
# letter variants, dotted capital I).
_ODD_FOLD = re.compile(
    "[\u0131\u017f\u00b5\u0345\u1fbe\u0390\u1fd3\u03b0\u1fe3\u03d0\u03f5\u03d1"
    "\u03f4\u03f0\u03d6\u03f1\u03c2\u03d5\u1e9b\ufb05\ufb06\u1c80-\u1c88\u0130\u212a\u212b]"
)


def _triggers(pattern: str) -> tuple[str, ...] | None:
    """Lower-case literal strings, one of which every match of ``pattern`` contains."""
    try:
        try:
            from re import _parser as sre  # Python 3.11+
        except ImportError:  # pragma: no cover - Python 3.10
            import sre_parse as sre  # type: ignore[no-redef]
        found = _required(sre.parse(pattern, re.IGNORECASE | re.UNICODE), sre)
    except Exception:  # noqa: BLE001 - an unexpected parse tree only costs the shortcut
        return None
    return tuple(sorted(found)) if found else None


def _required(seq, sre) -> set[str] | None:
    """Alternatives for a parsed (sub)pattern: the candidate with the longest shortest string."""
    best: set[str] | None = None
    run: list[str] = []

    def consider(cands: set[str] | None) -> None:
        nonlocal best
        if cands and all(cands) and (best is None or min(map(len, cands)) > min(map(len, best))):
            best = cands

    for op, av in seq:
        if op is sre.LITERAL:
            run.append(chr(av).lower())
            continue
        if run:
            consider({"".join(run)})
            run = []
        if op is sre.SUBPATTERN:
            consider(_required(av[-1], sre))
        elif op is sre.BRANCH:
            alts = [_required(b, sre) for b in av[1]]
            if all(alts):
                consider(set().union(*alts))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
            consider(_required(av[2], sre))
    if run:
        consider({"".join(run)})
    return best


def _compile(p: str) -> re.Pattern[str]:
    return re.compile(p, re.IGNORECASE | re.UNICODE)


class RulesError(ValueError):
    """A rule file that cannot be used; the message names the file and the rule."""


def _parse_rules(data: dict, origin: str) -> list[Rule]:
    rules = []
    for kind in ("span", "line", "tail"):
        for entry in data.get(kind, []):
            name = entry.get("rule") if isinstance(entry, dict) else None
            try:
                reason = entry["reason"]
                if reason not in REASONS:
                    raise RulesError(f"unknown reason {reason!r} (one of: {', '.join(REASONS)})")
                rules.append(
                    Rule(
                        name=entry["rule"],
                        reason=reason,
                        kind=kind,
                        pattern=_compile(entry["pattern"]),
                        triggers=_triggers(entry["pattern"]),
                        end=_compile(entry["end"]) if "end" in entry else None,
                        max_lines=int(entry.get("max_lines", 1)),
                        max_chars=entry.get("max_chars"),
                        consume_following=int(entry.get("consume_following", 0)),
                        consume_preceding=int(entry.get("consume_preceding", 0)),
                        role=entry.get("role", "body"),
                    )
                )
            except re.error as e:
                raise RulesError(
                    f"{origin}: [[{kind}]] rule {name!r}: invalid regular expression: {e}"
                ) from None
            except KeyError as e:
                raise RulesError(f"{origin}: [[{kind}]] rule {name!r}: missing key {e}") from None
            except (RulesError, TypeError, ValueError, AttributeError) as e:
                raise RulesError(f"{origin}: [[{kind}]] rule {name!r}: {e}") from None
    return rules


@lru_cache(maxsize=8)
def _rule_files(rules_dir: str | None = None) -> tuple[tuple[str, str, dict], ...]:
    """Every phrase-rule file, parsed once: (origin, language code, TOML data). The packaged
    files sorted by name (so order is stable), then ``rules_dir``'s; not html.toml (DOM hints)."""
    pkg = resources.files("normalizer") / "rules"
    files = [
        (e.name, e.read_text("utf-8"))
        for e in sorted(pkg.iterdir(), key=lambda p: p.name)
        if e.name.endswith(".toml") and e.name != "html.toml"
    ]
    if rules_dir:
        if not Path(rules_dir).is_dir():
            raise RulesError(f"--rules-dir {rules_dir}: no such folder")
        files += [(str(p), p.read_text("utf-8")) for p in sorted(Path(rules_dir).glob("*.toml"))]
    out = []
    for origin, text in files:
        try:
            out.append((origin, Path(origin).name.rsplit(".", 1)[0], tomllib.loads(text)))
        except tomllib.TOMLDecodeError as e:
            raise RulesError(f"{origin}: invalid TOML: {e}") from None
    return tuple(out)


@lru_cache(maxsize=8)
def load_rules(rules_dir: str | None = None) -> tuple[Rule, ...]:
    """Packaged rule files (sorted by name, so order is stable), then ``rules_dir``'s."""
    rules: list[Rule] = []
    for origin, _, data in _rule_files(rules_dir):
        rules += _parse_rules(data, origin)
    # Spans first: they claim whole runs of lines before single-line rules look at them.
    order = {"span": 0, "line": 1, "tail": 2}
    return tuple(sorted(rules, key=lambda r: order[r.kind]))


@lru_cache(maxsize=8)
def load_stopwords(rules_dir: str | None = None) -> dict[str, frozenset[str]]:
    """Stop words per language: the ``stopwords`` list of each ``rules/<lang>.toml``."""
    out: dict[str, set[str]] = {}
    for _, lang, data in _rule_files(rules_dir):
        words = data.get("stopwords")
        if words:
            out.setdefault(lang, set()).update(w.lower() for w in words)
    return {k: frozenset(v) for k, v in out.items()}


def _is_title_like(text: str, max_chars: int, max_words: int) -> bool:
    return (
        len(text) <= max_chars
        and len(text.split()) <= max_words
        and text[-1] not in SENTENCE_END
        and any(c.isalpha() for c in text)
    )


def classify(
    blocks: Sequence[Block],
    *,
    rules: Iterable[Rule] | None = None,
    repeated: Callable[[str], bool] | None = None,
    title_hint: str | None = None,
    stopwords: dict[str, frozenset[str]] | None = None,
    site_words: re.Pattern[str] | None = None,
    line_scores: bool = True,
    line_model: dict | None = None,
    line_langs: Sequence[str | None] | None = None,
) -> tuple[list[Fragment], list[Removal]]:
    """Split ``blocks`` into kept fragments (with roles) and removals (with reasons).

    ``stopwords`` and ``site_words`` default to the packaged lists (``load_stopwords()``,
    ``load_site_words()``), ``line_model`` to the packaged trees (``load_line_model()``);
    ``line_scores=False`` leaves out signal 4 (only hints and rules remove lines).
    ``line_langs`` gives each block's own language where it was seen in the block itself (None
    where the block only takes its page's language): such a line's stop-word features are
    computed in its own language, so a Ukrainian paragraph on an English page reads as prose.
    """
    rules = tuple(rules) if rules is not None else load_rules()
    n = len(blocks)
    verdict: list[tuple[str, str] | None] = [None] * n  # (reason, rule) for removed blocks
    tails: dict[int, tuple[int, Rule]] = {}  # block index -> (cut offset, rule)

    for i, b in enumerate(blocks):
        if b.dom_reason:
            verdict[i] = (b.dom_reason, b.dom_rule or "html")

    candidates = _rule_candidates(blocks, rules)
    for rule in rules:
        skip_to = 0
        hits: list[int] = []
        for i in candidates(rule):
            if i < skip_to or verdict[i] is not None or i in tails:
                continue
            m = rule.matches(blocks[i].text)
            if not m:
                continue
            if rule.kind == "tail":
                tails[i] = (blocks[i].start + m.start(), rule)
                continue
            verdict[i] = (rule.reason, rule.name)
            hits.append(i)
            skip_to = i + 1
            if rule.kind == "span":
                last = None
                for k in range(i, min(n, i + rule.max_lines)):
                    if rule.end is not None and rule.end.search(blocks[k].text):
                        last = k
                        break
                if last is not None:
                    for k in range(i + 1, last + 1):
                        verdict[k] = (rule.reason, rule.name)
                    skip_to = last + 1
            elif rule.consume_following:
                k = i + 1
                while (
                    k < n
                    and k <= i + rule.consume_following
                    and verdict[k] is None
                    and not any(r.matches(blocks[k].text) for r in rules if r is not rule)
                ):
                    verdict[k] = (rule.reason, rule.name)
                    k += 1
                skip_to = k
        if rule.consume_preceding and len(hits) >= TEASER_MIN_ITEMS:
            for i in hits:
                for k in range(i - 1, max(-1, i - 1 - rule.consume_preceding), -1):
                    if (
                        verdict[k] is not None
                        or k in tails
                        or any(r.matches(blocks[k].text) for r in rules if r is not rule)
                    ):
                        break
                    verdict[k] = (rule.reason, rule.name)

    del candidates  # its line index per trigger is the rule stage's; the line scores need memory

    if repeated is not None:
        for i, b in enumerate(blocks):
            if verdict[i] is None and i not in tails and repeated(b.text):
                verdict[i] = ("repeated_line", "batch:repeated_line")

    # Menus: a run of lines that are links and nothing else (HTML only; a dump has no links).
    menu = _in_runs([b.link_density >= MENU_LINK_DENSITY for b in blocks])
    for i in range(n):
        if menu[i] and verdict[i] is None and i not in tails:
            verdict[i] = ("navigation", "html:link_menu")

    if line_scores and n:
        stop = stopwords if stopwords is not None else load_stopwords()
        keep = score_lines(blocks, stop, line_model, site_words=site_words, line_langs=line_langs)
        if n < SCORED_PAGE_MIN_LINES:
            keep = [any(map(str.isalpha, _sample(b.text))) for b in blocks]
        elif not any(keep[i] for i in range(n) if verdict[i] is None):
            keep = [k or _reads_as_sentence(b.text, stop) for k, b in zip(keep, blocks)]
        if line_langs is not None:
            # Being in another language than the page is no evidence of boilerplate, and such
            # lines are what translation is for: a sentence in another script than the page's
            # (whose words the lexicon has never seen) is kept whatever its score and its DOM
            # hint (a class or id such as "comment" or "ad-item" says nothing about language);
            # phrase rules, menus and repeated lines still remove it. A line in another
            # language of the page's script is judged like any other: its stop words are
            # counted in its own language, and the lexicon knows Latin-script words (English
            # PHP warnings and cookie texts on German pages are boilerplate).
            home = page_language(blocks, stop)
            home_script = script_of(home) if home else None
            for i, b in enumerate(blocks):
                own = line_langs[i]
                if own in (None, "und", home) or script_of(own) == home_script:
                    continue
                by_hint = bool(b.dom_reason) and verdict[i] == (b.dom_reason, b.dom_rule or "html")
                if (not keep[i] or by_hint) and _foreign_sentence(b.text):
                    keep[i] = True
                    if by_hint:
                        verdict[i] = None
        protected = _protected(blocks, keep, title_hint)
        for i, b in enumerate(blocks):
            if verdict[i] is None and i not in tails and not keep[i] and i not in protected:
                verdict[i] = (
                    ("navigation", "lines:link_list")
                    if b.link_density >= LINK_LIST_DENSITY
                    else ("low_quality", "lines:not_article_prose")
                )

    kept: list[Fragment] = []
    removed: list[Removal] = []
    for i, b in enumerate(blocks):
        if verdict[i] is not None:
            removed.append(Removal(b.text, verdict[i][0], verdict[i][1], b.start, b.end))
            continue
        if i in tails:
            cut, rule = tails[i]
            keep_text = b.text[: cut - b.start].rstrip()
            tail_start = (
                b.start
                + len(keep_text)
                + (len(b.text[len(keep_text) :]) - len(b.text[len(keep_text) :].lstrip()))
            )
            kept.append(Fragment(keep_text, b.start, b.start + len(keep_text), role=rule.role))
            removed.append(
                Removal(b.text[tail_start - b.start :], rule.reason, rule.name, tail_start, b.end)
            )
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


# --- Line scores ----------------------------------------------------------------------
#
# Rules catch phrases; what is left is recognised by how it reads and where it stands.
# Each line gets the features below (LINE_FEATURES); stage 1, a small ensemble of
# decision trees (gradient boosting), turns them into the log-odds that the line is
# article text; stage 2, another ensemble, sees the same features plus how the line's
# neighbours scored in stage 1 and whether it lies inside the page's main run of prose
# (CONTEXT_FEATURES), and decides. Where a line stands is also a line feature: inside the
# densest window of prose or how far from it (both forms), and for HTML inside the main
# container / <article> (``html.HtmlBlock``). The trees are data,
# ``normalizer/data/line_model.json`` (one model for plain text, one for HTML), fitted on
# the dev half of the html-dev pages by ``benchmarks/fit_line_model.py``. Trees rather than
# a weighted sum because the signals interact: a short line is boilerplate in a run of
# short lines and article text between two paragraphs (a logistic model over the same
# features scored 0.01 F1 lower on held-out pages, see benchmarks/README.md).

# Prose: a line of at least this many characters whose stop-word density is at least
# PROSE_MIN_STOPWORDS (running text; menus and teaser titles have few stop words).
PROSE_MIN_CHARS = 100
PROSE_MIN_STOPWORDS = 0.2
# Pages in a language without a stop-word list: a sentence-ending line counts as having
# this density, anything else as none.
NO_LIST_STOPWORD_DENSITY = 0.25
# The page's language is the one whose stop words occur most in its first words.
LANG_SAMPLE_WORDS = 3000
# Lengths are capped: beyond this a paragraph is simply long.
LENGTH_CAP = 400
# Feature computations look at most at this many characters of a line (huge lines).
LINE_SAMPLE_CHARS = 2000
# Neighbourhood radii (lines) for the "near" context features.
NEAR_RADII = (1, 3, 8)
# Radii (lines) of the "between" context features: the best score on each side.
BETWEEN_RADII = (1, 3)
# Runs of short lines: at least this many consecutive lines shorter than RUN_SHORT_CHARS
# that do not end a sentence (or consecutive link lines) are a menu or a list of teasers.
RUN_MIN_LINES = 4
RUN_SHORT_CHARS = 40
# A removed line is called a link list (reason navigation) from this link density up.
LINK_LIST_DENSITY = 0.5
# A run of RUN_MIN_LINES or more lines that are links and nothing else is a menu, whatever
# the line scores say: on the dev pages 212 of the 221 labelled lines in such runs are
# boilerplate, and the scores, fitted where few menus are labelled, are unsure of them.
MENU_LINK_DENSITY = 0.99
# Headings inside the article stay: a run of at most this many short lines between two
# kept lines is kept when each is heading-like (HEADING_MAX_CHARS / _WORDS) or a sentence.
SANDWICH_MAX_LINES = 2
# The trees were fitted on whole web pages and judge a line by what stands around it; a
# page of one to three lines ("A big tree had fallen across the road.") has no "around",
# and a page can be odd enough that every line scores below 0. On pages shorter than
# SCORED_PAGE_MIN_LINES, and when the scores keep no line that rules and hints left, the
# sentences stay: lines ending a sentence, or of at least FALLBACK_MIN_WORDS words with a
# stop-word density of PROSE_MIN_STOPWORDS (a truncated paragraph). Menus, link lists and
# "Share" buttons are neither, and still go.
SCORED_PAGE_MIN_LINES = 4
# A line in another language and script than its page (its own evidence: langid) that ends
# a sentence (_SENTENCE_END) and has at least this many words is kept whatever its score: the
# trees and the lexicon were fitted on Latin-script pages and read such a line as non-prose (on
# English news dumps with inserted Ukrainian paragraphs they removed 12%; bench_pages_langid.py).
# Four words: Tatoeba's short sentences are three to six words, menu items and buttons rarely
# end with a full stop.
FOREIGN_SENTENCE_MIN_WORDS = 4
_SENTENCE_END = tuple(".!?…")
FALLBACK_MIN_WORDS = 8
# Plain text has no <title>: the headline is looked for this many lines above the first
# kept line, and has at least this many words ("Home" or "News" are not headlines).
# Between them stand bylines, dates and share prompts, so the wordiest candidate wins,
# and a line more than TITLE_MAX_DIGITS digits ("12 March 2024") is a date, not a title.
TITLE_LOOKBACK = 5
TITLE_MIN_WORDS = 3
TITLE_MAX_DIGITS = 0.2

# The densest run of prose: prose mass (length x stop-word density) summed over a window of
# DENSE_WINDOW lines on each side; the article region is the stretch around the densest
# window where the windowed mass stays at least DENSE_MIN_SHARE of the peak. Lines outside
# it are scored by their distance to it, capped at DENSE_DISTANCE_CAP lines.
DENSE_WINDOW = 4
DENSE_MIN_SHARE = 0.25
DENSE_DISTANCE_CAP = 30
# Block tags that are generic containers rather than paragraphs or list items.
DIV_TAGS = frozenset(("div", "td", "th", "section", "span", "body"))

# A byline date or reading time ("11 Jan 2019", "2023-01-16 14:05", "March 3, 2022",
# "4 min"): a line this short that holds one is page metadata, not a sentence.
DATE_MAX_CHARS = 40
_DATE = re.compile(
    r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b|\b\d{1,2}\.? [^\W\d]{3,12}\.? \d{4}\b"
    r"|\b[^\W\d]{3,12}\.? \d{1,2},? \d{4}\b|\b\d{1,2}:\d{2}\b|^\d{1,3} ?min\b"
)

_WORD = re.compile(r"\w+")
_HAS_INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")
_TERMINAL = tuple(".!?…:;\"”»“)'’。！？")
_SEPARATORS = "|»›/•·>"
_SEPARATOR_RE = re.compile("[" + re.escape(_SEPARATORS) + "]")
_first = operator.itemgetter(0)  # of a str.split() token, never empty
_BULLET = re.compile(r"^(?:\d{1,3}[.)]|[-•*–])\s")
_URLISH = re.compile(r"https?:|www\.|@\w")

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
# The lexicon features: the mean and the lowest learned log-odds (article vs boilerplate) of
# a line's distinct words that the lexicon knows (0 when it knows none). Words are
# lower-cased \w+ runs of the line's first LINE_SAMPLE_CHARS characters.


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


def page_language(blocks: Sequence[Block], stopwords: dict[str, frozenset[str]]) -> str | None:
    """The language whose stop words occur most in the page (None: no list matches)."""
    return _page_language(map(line_words, (b.text for b in blocks)), stopwords)


def _page_language(
    line_word_lists: Iterable[list[str]], stopwords: dict[str, frozenset[str]]
) -> str | None:
    words: list[str] = []
    for w in line_word_lists:
        words += w
        if len(words) >= LANG_SAMPLE_WORDS:
            break
    counts = {lang: sum(map(stop.__contains__, words)) for lang, stop in stopwords.items()}
    if not counts or max(counts.values()) == 0:
        return None
    return max(sorted(counts), key=lambda k: counts[k])


_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
_ASCII_DIGITS = b"0123456789"
_ASCII_UPPER = bytes(range(65, 91))


def _char_classes(text: str) -> tuple[int, int, int]:
    """How many letters, digits and upper-case letters ``text`` holds (str.isalpha/isdigit/
    isupper per character). ASCII text, most lines, is counted by bytes.translate in C."""
    if text.isascii():
        b = text.encode("ascii")
        n = len(b)
        return (
            n - len(b.translate(None, _ASCII_LETTERS)),
            n - len(b.translate(None, _ASCII_DIGITS)),
            n - len(b.translate(None, _ASCII_UPPER)),
        )
    return sum(map(str.isalpha, text)), sum(map(str.isdigit, text)), sum(map(str.isupper, text))


def _sample(text: str) -> str:
    """What the features read of a line: its first LINE_SAMPLE_CHARS characters, without the
    invisible ones (a soft hyphen inside "Le\\xadbens\\xadlauf" would cut it into three words)."""
    text = text[:LINE_SAMPLE_CHARS]
    return text.translate(DROP_INVISIBLE) if _HAS_INVISIBLE.search(text) else text


def line_words(text: str) -> list[str]:
    """The words the line features count: lower-cased \\w+ runs of the line's sample."""
    return _sample_words(_sample(text))


def _sample_words(sample: str) -> list[str]:
    # one definition for the features, the lexicon fit (line_words) and the fallback
    return _WORD.findall(sample.lower())


def lexicon_columns(
    words_per_line: Sequence[Sequence[str]], lexicon: dict[str, float]
) -> np.ndarray:
    """The lexicon features (mean, min of the known words' log-odds) of each line."""
    import numpy as np

    out = np.zeros((len(words_per_line), 2))
    if not lexicon:
        return out
    get = lexicon.get
    for i, words in enumerate(words_per_line):
        vals = [v for v in map(get, set(words)) if v is not None]
        if vals:
            out[i, 0] = sum(sorted(vals)) / len(
                vals
            )  # sorted: the sum does not depend on set order
            out[i, 1] = min(vals)
    return out


def line_features(
    blocks: Sequence[Block],
    stopwords: dict[str, frozenset[str]],
    site_words: re.Pattern[str] | None = None,
    lexicon: dict[str, float] | None = None,
    line_langs: Sequence[str | None] | None = None,
) -> np.ndarray:
    """Stage-1 features of every block: an array (blocks x LINE_FEATURES), in that order.
    ``site_words`` defaults to the packaged pattern (``load_site_words()``), ``lexicon`` to
    the packaged line model's word log-odds. ``line_langs`` (see ``classify``): a line in
    another language than the page's has its stop-word density counted with its own
    language's list (or, without one, by NO_LIST_STOPWORD_DENSITY's rule); being in another
    language is no evidence of boilerplate."""
    import numpy as np

    if not blocks:
        return np.zeros((0, len(LINE_FEATURES)))
    samples = [_sample(b.text) for b in blocks]
    # One str object per distinct word: a long file repeats a few thousand words over and
    # over, and 150,000 lines' separate word objects took ~300 MB (2 KB a line).
    shared: dict[str, str] = {}
    line_word_lists = [list(map(shared.setdefault, ws, ws)) for ws in map(_sample_words, samples)]
    lang = _page_language(line_word_lists, stopwords)
    stop = stopwords.get(lang, frozenset()) if lang else frozenset()
    n = len(blocks)
    per_line = []
    for i, (b, text, words) in enumerate(zip(blocks, samples, line_word_lists)):
        length = len(b.text)
        nw = len(words)
        own = line_langs[i] if line_langs is not None else None
        line_stop = (
            stop if own is None or own == "und" or own == lang else stopwords.get(own, frozenset())
        )
        if line_stop:
            density = sum(map(line_stop.__contains__, words)) / nw if nw else 0.0
        else:
            density = NO_LIST_STOPWORD_DENSITY if text.rstrip().endswith(_TERMINAL) else 0.0
        per_line.append((length, nw, density))
    # The word lists are done with once the lexicon has read them: a big page's lists are
    # freed before the per-line values below are built (the peak of a 30 MB page).
    if lexicon is None:
        lexicon = load_line_model()["lexicon"]
    lex = lexicon_columns(line_word_lists, lexicon)
    del line_word_lists, shared
    counts = Counter(b.text for b in blocks)
    prose = [
        length if length >= PROSE_MIN_CHARS and d >= PROSE_MIN_STOPWORDS else 0
        for length, _, d in per_line
    ]
    total_prose = sum(prose) or 1
    prose_idx = [i for i, p in enumerate(prose) if p]
    main_depths = sorted(blocks[i].depth for i in prose_idx)
    main_depth = main_depths[len(main_depths) // 2] if main_depths else 0
    mass = [min(length, 300) / 100 * d for length, _, d in per_line]

    # Runs: a line inside RUN_MIN_LINES or more consecutive short non-sentences (a menu, a
    # list of teaser titles), or consecutive link lines (HTML).
    short_line = [
        length < RUN_SHORT_CHARS and not b.text.rstrip().endswith(_TERMINAL)
        for (length, _, _), b in zip(per_line, blocks)
    ]
    link_line = [b.link_density >= LINK_LIST_DENSITY for b in blocks]
    short_run, link_run = _in_runs(short_line), _in_runs(link_line)
    region_lo, region_hi = _dense_region(mass)
    has_main = any(getattr(b, "in_main", False) for b in blocks)
    if site_words is None:
        site_words = load_site_words()

    # Per line, what needs Python (string methods, regexes); then the features as columns.
    raw = []
    for b, text in zip(blocks, samples):
        site_hits = (
            len(site_words.findall(text))
            if site_words is not None and len(b.text) <= SITE_WORD_MAX_CHARS
            else 0
        )
        tokens = text.split()
        stripped = text.rstrip()
        raw.append(
            (
                len(text) or 1,
                *_char_classes(text),
                sum(map(str.isupper, map(_first, tokens))) / len(tokens) if tokens else 0.0,
                min(len(_SEPARATOR_RE.findall(text)), 5) / 5,
                min(text.count(", "), 5) / 5,
                min(text.count(". "), 5) / 5,
                float(bool(_BULLET.match(text))),
                float(counts[b.text] > 1),
                float(text.endswith(":")),
                float(bool(_URLISH.search(text))),
                float(stripped.endswith(_TERMINAL)),
                float(len(b.text) <= DATE_MAX_CHARS and bool(_DATE.search(text))),
                float(not any(c.isalnum() for c in text)),
                site_hits,
                b.link_density,
                float(b.dom_reason is not None),
                float(b.heading),
                min(abs(b.depth - main_depth), 6) / 6 if b.tag else 0.0,
                float(b.depth == main_depth) if b.tag else 0.0,
                float(b.tag == "p"),
                float(b.tag == "li"),
                float(getattr(b, "in_main", False)),
                float(getattr(b, "in_article", False)),
                float(b.tag in DIV_TAGS),
            )
        )
    (
        ltext,
        letters,
        digits,
        upper,
        title_case,
        separators,
        commas,
        sentences,
        bullet,
        duplicate,
        colon_end,
        url,
        sentence_end,
        date_line,
        no_alnum,
        site_hits,
        link_density,
        dom_hint,
        heading,
        depth_offset,
        main_depth_f,
        tag_p,
        tag_li,
        in_main,
        in_article,
        tag_div,
    ) = (np.array(col, dtype=float) for col in zip(*raw))
    del raw
    length = np.array([x[0] for x in per_line], dtype=float)
    nw = np.array([x[1] for x in per_line], dtype=float)
    d = np.array([x[2] for x in per_line], dtype=float)
    capped = np.minimum(length, LENGTH_CAP)
    idx = np.arange(n)
    prose_a = np.array(prose, dtype=float)
    cum = np.cumsum(prose_a)
    before = (cum - prose_a) / total_prose
    after = 1.0 - cum / total_prose
    if prose_idx:
        pidx = np.array(prose_idx)
        k = np.searchsorted(pidx, idx)  # next prose line at or after i
        nxt = np.where(k < len(pidx), pidx[np.minimum(k, len(pidx) - 1)] - idx, 50)
        prv = np.where(k > 0, idx - pidx[np.maximum(k - 1, 0)], 50)
        dist = np.minimum(nxt, prv)
    else:
        dist = np.full(n, 50)
    # Mean prose mass of the two lines on each side, summed in line order (as the model was
    # fitted: a prefix-sum difference moves the value in the last bits, and a re-fit with it).
    mass_a = np.array(mass, dtype=float)
    around_sum, around_n = np.zeros(n), np.zeros(n)
    for off in (-2, -1, 1, 2):
        valid = (idx + off >= 0) & (idx + off < n)
        around_sum = around_sum + np.where(valid, mass_a[np.clip(idx + off, 0, n - 1)], 0.0)
        around_n += valid
    around = np.divide(around_sum, around_n, out=np.zeros(n), where=around_n > 0)
    in_region = ((idx >= region_lo) & (idx <= region_hi)).astype(float)
    short = (length < RUN_SHORT_CHARS).astype(float)
    columns = [
        np.ones(n),
        capped / 100,
        np.log1p(length) / 5,
        d,
        d * capped / 100,
        sentence_end,
        letters / ltext,
        digits / ltext,
        title_case,
        np.divide(upper, letters, out=np.zeros(n), where=letters > 0),
        separators,
        commas,
        sentences,
        bullet,
        duplicate,
        colon_end,
        url,
        (nw <= 3).astype(float),
        before,
        after,
        np.minimum(dist, 20) / 20,
        around,
        idx / n,
        link_density,
        dom_hint,
        heading,
        depth_offset,
        main_depth_f,
        tag_p,
        tag_li,
        np.array(short_run),
        np.array(link_run),
        in_main,
        (in_main == 0).astype(float) * float(has_main),
        in_article,
        tag_div,
        in_region,
        np.minimum(np.maximum(np.maximum(region_lo - idx, idx - region_hi), 0), DENSE_DISTANCE_CAP)
        / DENSE_DISTANCE_CAP,
        in_region * short,
        (1.0 - in_region) * d * capped / 100,
        in_main * short,
        date_line,
        no_alnum,
        np.minimum(site_hits, 3) / 3,
        (site_hits > 0).astype(float),
    ]
    columns += [lex[:, 0], lex[:, 1]]
    return np.stack(columns, axis=1)


def _dense_region(mass: list[float]) -> tuple[int, int]:
    """First and last line of the densest run of prose (see DENSE_WINDOW); (0, -1) if none."""
    n = len(mass)
    prefix = [0.0]
    for m in mass:
        prefix.append(prefix[-1] + m)
    window = [
        prefix[min(n, i + DENSE_WINDOW + 1)] - prefix[max(0, i - DENSE_WINDOW)] for i in range(n)
    ]
    if not window:
        return 0, -1
    peak = max(range(n), key=lambda i: window[i])
    if window[peak] <= 0:
        return 0, -1
    floor = DENSE_MIN_SHARE * window[peak]
    lo = hi = peak
    while lo > 0 and window[lo - 1] >= floor:
        lo -= 1
    while hi < n - 1 and window[hi + 1] >= floor:
        hi += 1
    return lo, hi


def _in_runs(flags: list[bool]) -> list[float]:
    out = [0.0] * len(flags)
    i = 0
    while i < len(flags):
        j = i
        while j < len(flags) and flags[j]:
            j += 1
        if j - i >= RUN_MIN_LINES:
            out[i:j] = [1.0] * (j - i)
        i = max(j, i + 1)
    return out


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def context_features(first: Sequence[float]) -> np.ndarray:
    """Stage-2 additions from the stage-1 probabilities ``first``, in CONTEXT_FEATURES order
    (an array of shape (lines, len(CONTEXT_FEATURES)))."""
    import numpy as np

    p = np.asarray(first, dtype=float)
    n = len(p)
    prefix = np.concatenate(([0.0], np.cumsum(p)))
    total = prefix[-1] or 1e-9
    # The main run: the stretch of lines with the largest summed log-odds.
    clipped = np.clip(p, 1e-4, 1 - 1e-4)
    best, cur, start, run = 0.0, 0.0, 0, (0, -1)
    for i, z in enumerate(np.log(clipped / (1 - clipped)).tolist()):
        if cur <= 0:
            cur, start = 0.0, i
        cur += z
        if cur > best:
            best, run = cur, (start, i)
    idx = np.arange(n)
    cols = [p]
    for r in NEAR_RADII:
        lo, hi = np.maximum(0, idx - r), np.minimum(n, idx + r + 1)
        m = hi - lo - 1
        cols.append(np.where(m > 0, (prefix[hi] - prefix[lo] - p) / np.maximum(m, 1), 0.0))
    cols.append(((idx >= run[0]) & (idx <= run[1])).astype(float))
    cols.append(prefix[:-1] / total)
    cols.append(1.0 - prefix[1:] / total)
    # Between good lines: the weaker side's best score within r lines (a short line inside
    # the article has article text on both sides; one at its edge on one).
    padded = np.concatenate((np.zeros(max(BETWEEN_RADII)), p, np.zeros(max(BETWEEN_RADII))))
    off = max(BETWEEN_RADII)
    for r in BETWEEN_RADII:
        before = np.max([padded[off - k : off - k + n] for k in range(1, r + 1)], axis=0)
        after = np.max([padded[off + k : off + k + n] for k in range(1, r + 1)], axis=0)
        cols.append(np.minimum(before, after))
    return np.stack(cols, axis=1) if n else np.zeros((0, len(CONTEXT_FEATURES)))


def line_log_odds(
    blocks: Sequence[Block],
    stopwords: dict[str, frozenset[str]],
    model: dict | None = None,
    site_words: re.Pattern[str] | None = None,
    line_langs: Sequence[str | None] | None = None,
) -> list[float]:
    """Stage-2 log-odds that each block is article text."""
    if not blocks:
        return []
    import numpy as np

    model = model or load_line_model()
    first, second = model["html" if any(b.tag for b in blocks) else "text"]["forests"]
    feats = line_features(blocks, stopwords, site_words, model.get("lexicon", {}), line_langs)
    p1 = [_sigmoid(float(z)) for z in first(feats)]
    ctx = context_features(p1)
    return [float(z) for z in second(np.hstack([feats, ctx]))]


def score_lines(
    blocks: Sequence[Block],
    stopwords: dict[str, frozenset[str]],
    model: dict | None = None,
    site_words: re.Pattern[str] | None = None,
    line_langs: Sequence[str | None] | None = None,
) -> list[bool]:
    """Whether each block reads as article text where it stands (log-odds above 0)."""
    return [z > 0.0 for z in line_log_odds(blocks, stopwords, model, site_words, line_langs)]


# _rule_candidates joins and scans at most this many lines at a time (pages have hundreds).
RULE_SCAN_LINES = 4096


def _rule_candidates(
    blocks: Sequence[Block], rules: Sequence[Rule]
) -> Callable[[Rule], Iterable[int]]:
    """For each rule, the lines (indices, ascending) it can match: those holding one of its
    trigger strings (Rule.triggers); every line for a rule without triggers.

    Most rules find nothing on most pages, and one scan of the page's joined lines for all
    trigger strings at once (_trigger_scanner) costs far less than a regex call per rule and
    line. str.lower() folds case as the regex engine does except for a few characters
    (_ODD_FOLD); on a page holding one of those every rule tries every line."""
    n = len(blocks)
    everything = range(n)
    limit = max([r.max_chars or RULE_MAX_CHARS for r in rules], default=0)
    idx = [i for i, b in enumerate(blocks) if len(b.text) <= limit]
    # The joined lines are scanned RULE_SCAN_LINES at a time: one piece for any ordinary page,
    # bounded memory for a 30 MB one (its joined text and lower-cased copy took ~230 MB each).
    pieces = [idx[k : k + RULE_SCAN_LINES] for k in range(0, len(idx), RULE_SCAN_LINES)]
    lowered = []
    for piece in pieces:
        page = "\n".join(blocks[i].text for i in piece)
        lower = page.lower()
        if _ODD_FOLD.search(page) or len(lower) != len(page):
            return lambda rule: everything
        lowered.append(lower if len(pieces) == 1 else None)

    scanner, prefixes = _trigger_scanner(tuple(r.triggers for r in rules))
    lines_of: dict[str, set[int]] = {}
    for piece, lower in zip(pieces, lowered):
        if lower is None:
            lower = "\n".join(blocks[i].text for i in piece).lower()
        starts, pos = [], 0
        for i in piece:
            starts.append(pos)
            pos += len(blocks[i].text) + 1
        for m in scanner.finditer(lower):
            line = piece[bisect_right(starts, m.start()) - 1]
            for t in prefixes[m.group(1)]:
                lines_of.setdefault(t, set()).add(line)

    def candidates(rule: Rule) -> Iterable[int]:
        if rule.triggers is None:
            return everything
        found: set[int] = set()
        for t in rule.triggers:
            found |= lines_of.get(t, set())
        return sorted(found)

    return candidates


@lru_cache(maxsize=8)
def _trigger_scanner(
    triggers: tuple[tuple[str, ...] | None, ...],
) -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]]:
    """One regex finding, at every position of a text, the longest trigger string that starts
    there, and for each trigger the triggers that are its prefixes (they start there too).
    Every occurrence of every trigger is thus seen: at its position the longest match is it or
    a longer trigger it begins. The alternatives are merged into a trie, as for site words;
    every trigger ends as a "prefix" there, so the match goes on where it can: the longest."""
    words = sorted({t for ts in triggers if ts for t in ts})
    if not words:
        return re.compile(r"(?!)()"), {}
    trie = _trie((w, "prefix") for w in words)
    prefixes = {w: tuple(u for u in words if w.startswith(u)) for w in words}
    return re.compile("(?=(" + _trie_pattern(trie) + "))"), prefixes


def _reads_as_sentence(text: str, stopwords: dict[str, frozenset[str]]) -> bool:
    """Fallback when the scores keep nothing on a page (see FALLBACK_MIN_WORDS)."""
    text = _sample(text).rstrip()
    if text.endswith(tuple(".!?…")) and any(c.isalpha() for c in text):
        return True
    words = _sample_words(text)
    if len(words) < FALLBACK_MIN_WORDS or not stopwords:
        return False
    hits = max(sum(map(stop.__contains__, words)) for stop in stopwords.values())
    return hits >= PROSE_MIN_STOPWORDS * len(words)


def _foreign_sentence(text: str) -> bool:
    """Does a line in another language than its page read as a sentence: it ends one and has at
    least FOREIGN_SENTENCE_MIN_WORDS words (a one-word button in another script does not)?"""
    text = _sample(text).rstrip().rstrip("\"'”»“)]")
    return text.endswith(_SENTENCE_END) and len(_sample_words(text)) >= FOREIGN_SENTENCE_MIN_WORDS


def _protected(blocks: Sequence[Block], keep: list[bool], title_hint: str | None) -> set[int]:
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
                _is_title_like(blocks[k].text, HEADING_MAX_CHARS, HEADING_MAX_WORDS)
                or blocks[k].text.rstrip().endswith(tuple(".!?…"))
                for k in range(i, j)
            )
        ):
            out.update(range(i, j))
        i = j
    return out


# Words that talk about the site rather than the story (subscribe, cookies, share, login,
# newsletter, comments, advertising, ...): the `site_words` list of each rules/<lang>.toml,
# word prefixes matched at a word start. Counted on lines up to this long only: a long
# paragraph that mentions "newsletter" is still a paragraph.
SITE_WORD_MAX_CHARS = 300


@lru_cache(maxsize=8)
def load_site_words(rules_dir: str | None = None) -> re.Pattern[str] | None:
    """One pattern matching any language's site-word prefix at a word start."""
    words = {w.lower() for _, _, data in _rule_files(rules_dir) for w in data.get("site_words", [])}
    if not words:
        return None
    # "subscri*" is a prefix (subscribe, subscription); "share" only the whole word (not
    # "shareholders"). The alternatives are merged into a trie ("s(?:hare|ign (?:in|up)|…)"):
    # a flat list of hundreds of alternatives tried at every position was 5x slower.
    trie = _trie((w.rstrip("*"), "prefix" if w.endswith("*") else "word") for w in sorted(words))
    return re.compile(r"(?<!\w)" + _trie_pattern(trie), re.IGNORECASE)


def _trie(entries: Iterable[tuple[str, str]]) -> dict:
    """Strings as a character trie for _trie_pattern; node[""] says a string ends there, as a
    "prefix" (it may go on) or a whole "word". A prefix wins over a word ending at the same node."""
    trie: dict = {}
    for text, end in entries:
        node = trie
        for ch in text:
            node = node.setdefault(ch, {})
        node[""] = "prefix" if end == "prefix" or node.get("") == "prefix" else "word"
    return trie


def _trie_pattern(node: dict) -> str:
    alts = [re.escape(ch) + _trie_pattern(node[ch]) for ch in sorted(k for k in node if k)]
    if node.get("") == "prefix":  # a word may stop here, or go on
        return "(?:" + "|".join(alts) + ")?" if alts else ""
    if node.get("") == "word":
        alts.append(r"(?!\w)")
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
