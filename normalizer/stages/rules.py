"""Phrase rules as data: which phrase rules, stop words and site words the rule files
(``normalizer/rules/*.toml`` and a ``--rules-dir``) hold, checked when loaded, and which lines
of a page each rule can match (its trigger strings, found in one scan of the page).
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Sequence

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, packaged as tomli
    import tomli as tomllib

from ..record import REASONS
from .segment import Block

# A phrase rule without its own max_chars judges only lines up to this long. Boilerplate lines
# are short (the longest in the samples, a donation-appeal paragraph, has ~330 characters); a
# longer line merely containing a phrase is article text, e.g. a page dumped as one line,
# which would otherwise go whole into `removed` (or become a "related" teaser).
RULE_MAX_CHARS = 1000


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
    # Lines before each match that go with it, when the rule matches TEASER_MIN_ITEMS
    # (boilerplate.py) or more lines of the page (a list of teasers, each closed by
    # "READ THE REST").
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


# Words that talk about the site rather than the story (subscribe, cookies, share, login,
# newsletter, comments, advertising, ...): the `site_words` list of each rules/<lang>.toml,
# word prefixes matched at a word start (counted by the line features, features.py).
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


# Headers of a box of related-story links set inside an article ("Related", "Read next",
# "Mehr zum Thema"; boilerplate._related_box): the `related_headers` list of each
# rules/<lang>.toml, patterns matched case-insensitively from the start of one stripped line.
@lru_cache(maxsize=8)
def load_related_headers(rules_dir: str | None = None) -> re.Pattern[str] | None:
    """Every language's related-box headers as one pattern (None when no file lists any)."""
    found: list[str] = []
    for origin, _, data in _rule_files(rules_dir):
        found += _pattern_list(origin, "related_headers", data.get("related_headers", []))
    return _compile("|".join(f"(?:{p})" for p in found)) if found else None


def _pattern_list(origin: str, where: str, patterns: object) -> list[str]:
    """``patterns`` checked to be a list of valid regular expressions; a RulesError names the
    file (``origin``) and the key (``where``)."""
    if not isinstance(patterns, list):  # a bare string would make each letter a pattern
        raise RulesError(f"{origin}: {where}: a list of patterns")
    for p in patterns:
        try:
            _compile(p)
        except (re.error, TypeError) as e:
            raise RulesError(f"{origin}: {where}: invalid regular expression {p!r}: {e}") from None
    return list(patterns)


@dataclass(frozen=True)
class CommentMarkers:
    """Compiled comment-thread marker patterns: ``strong`` (thread furniture), ``weak``
    (bylines an article may also have), ``section`` (the header or form that opens a
    comment section) and ``form`` (the reply form's own heading or notice)."""

    strong: re.Pattern[str]
    weak: re.Pattern[str]
    section: re.Pattern[str] = re.compile(r"(?!)")
    form: re.Pattern[str] = re.compile(r"(?!)")


# Comment-thread markers (comments.py): the `comment_markers` table of each rules/<lang>.toml,
# `strong` (thread furniture: "Reply", "Comments (87)"), `weak` (bylines: "Name says:") and
# `section` (what opens the comment section: "Leave a Reply", "12 Comments") and `form` (the
# reply form's heading or notice: "Leave a Reply", "No comments yet") lists of patterns,
# matched case-insensitively from the start of one stripped line (re.match).
@lru_cache(maxsize=8)
def load_comment_markers(rules_dir: str | None = None) -> CommentMarkers | None:
    """Every language's comment markers as one pattern per kind (strong, weak, section,
    form)."""
    found: dict[str, list[str]] = {"strong": [], "weak": [], "section": [], "form": []}
    for origin, _, data in _rule_files(rules_dir):
        table = data.get("comment_markers", {})
        if not isinstance(table, dict) or set(table) - set(found):
            raise RulesError(
                f"{origin}: comment_markers: a table of 'strong', 'weak', 'section' and 'form' "
                "lists"
            )
        for kind, patterns in table.items():
            found[kind] += _pattern_list(origin, f"comment_markers.{kind}", patterns)
    if not found["strong"]:
        return None
    # One alternation per kind; a kind no file lists matches nothing.
    return CommentMarkers(
        **{
            kind: _compile("|".join(f"(?:{p})" for p in patterns) or r"(?!)")
            for kind, patterns in found.items()
        }
    )


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
