"""Line features: what each line of a page looks like to the line model's trees, as numbers
(``line_features``: its own length, stop-word density in the page's language, punctuation,
letters and digits, links, DOM depth and tag, where it stands relative to the page's prose,
its site words and lexicon words; ``context_features``: how its neighbours scored in stage 1).
"""

from __future__ import annotations

import operator
import re
from collections import Counter
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:
    import numpy as np

from .linemodel import CONTEXT_FEATURES, LINE_FEATURES, load_line_model
from .rules import load_site_words
from .segment import DROP_INVISIBLE, INVISIBLE_CHARS, Block

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
# A line with at least this link density is a link line: runs of them are a feature (link_run),
# and a removed one is called a link list (reason navigation; boilerplate.classify).
LINK_LIST_DENSITY = 0.5
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

_LINE_WORD = re.compile(r"\w+")
_HAS_INVISIBLE = re.compile(f"[{INVISIBLE_CHARS}]")
# What ends a sentence, and what may close one after its full stop ('… said "no."').
SENTENCE_STOPS = tuple(".!?…")
CLOSING_QUOTES = "\"'”»“’)]"
_TERMINAL = tuple(".!?…:;\"”»“)'’。！？")
_SEPARATORS = "|»›/•·>"
_SEPARATOR_RE = re.compile("[" + re.escape(_SEPARATORS) + "]")
_first = operator.itemgetter(0)  # of a str.split() token, never empty
_BULLET = re.compile(r"^(?:\d{1,3}[.)]|[-•*–])\s")
_URLISH = re.compile(r"https?:|www\.|@\w")
# Site words (rules.load_site_words) are counted on lines up to this long only: a long
# paragraph that mentions "newsletter" is still a paragraph.
SITE_WORD_MAX_CHARS = 300


def strip_closing(text: str) -> str:
    """``text`` without trailing whitespace and CLOSING_QUOTES: what the sentence tests read
    for SENTENCE_STOPS ('… said "no."' ends a sentence)."""
    return text.rstrip().rstrip(CLOSING_QUOTES)


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
    return _LINE_WORD.findall(sample.lower())


# The lexicon features: the mean and the lowest learned log-odds (article vs boilerplate) of
# a line's distinct words that the lexicon knows (0 when it knows none). Words are
# lower-cased \w+ runs of the line's first LINE_SAMPLE_CHARS characters.
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
