"""Language tables: the languages and scripts known here (alphabets, the letters that name a
language, the scripts langdetect is asked about) and the packaged data under
``normalizer/data/langid`` (function-word lists, Cyrillic n-gram counts, word frequencies,
in-domain word counts), read once, lazily, and shared by every thread.
"""

from __future__ import annotations

import gzip
import math
import threading
from importlib import resources

UND = "und"

# ----------------------------------------------------------------------------- languages

_LANGDETECT_LANGS = frozenset(
    "af ar bg bn ca cs cy da de el en es et fa fi fr gu he hi hr hu id it ja kn ko lt lv mk ml "
    "mr ne nl no pa pl pt ro ru sk sl so sq sv sw ta te th tl tr uk ur vi zh".split()
)
_CYRILLIC_ALPHABETS = {
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "be": "абвгдеёжзійклмнопрстуўфхцчшыьэюя'",
    "bg": "абвгдежзийклмнопрстуфхцчшщъьюяѝ",
    "mk": "абвгдѓежзѕијклљмнњопрстќуфхцчџшѐѝ",
    "sr": "абвгдђежзијклљмнњопрстћуфхцчџш",
    "kk": "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя",
}
_CYRILLIC_ALPHABETS = {k: frozenset(v) for k, v in _CYRILLIC_ALPHABETS.items()}
# Languages whose alphabet contains another's: considered only when one of their own letters occurs.
_REQUIRED_LETTERS = {"kk": frozenset("әғқңөұүһ"), "sr": frozenset("ђћјљњџ")}
_CYRILLIC_LANGS = frozenset(_CYRILLIC_ALPHABETS)
_LATIN_LANGS = frozenset(
    "af ca cs cy da de en es et fi fr hr hu id it lt lv nl no pl pt ro sk sl so sq sv sw tl tr vi".split()
)
# scripts whose letters name one language (among those we know)
_SCRIPT_RANGES = [
    ("greek", "\u0370-\u03ff\u1f00-\u1fff", "el"),
    ("armenian", "\u0530-\u058f", "hy"),
    ("hebrew", "\u0590-\u05ff", "he"),
    ("arabic", "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff", None),
    ("devanagari", "\u0900-\u097f", None),
    ("bengali", "\u0980-\u09ff", "bn"),
    ("gurmukhi", "\u0a00-\u0a7f", "pa"),
    ("gujarati", "\u0a80-\u0aff", "gu"),
    ("tamil", "\u0b80-\u0bff", "ta"),
    ("telugu", "\u0c00-\u0c7f", "te"),
    ("kannada", "\u0c80-\u0cff", "kn"),
    ("malayalam", "\u0d00-\u0d7f", "ml"),
    ("thai", "\u0e00-\u0e7f", "th"),
    ("georgian", "\u10a0-\u10ff", "ka"),
    ("hangul", "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af", "ko"),
    ("kana", "\u3040-\u30ff", "ja"),
    ("han", "\u3400-\u4dbf\u4e00-\u9fff", None),
]
_SCRIPT_LANGS = {  # languages langdetect may answer for scripts without a single language
    "arabic": frozenset({"ar", "fa", "ur"}),
    "devanagari": frozenset({"hi", "mr", "ne"}),
    "han": frozenset({"zh", "ja"}),
}
KNOWN_LANGUAGES = frozenset(
    _LANGDETECT_LANGS | _CYRILLIC_LANGS | {lang for _, _, lang in _SCRIPT_RANGES if lang}
)

# A lone hit counts only for a real function word: among its list's first 30 entries and at
# least 3 characters long (the lists' tails hold content words such as "telefon").
SINGLE_HIT_MAX_RANK = 30
SINGLE_HIT_MIN_CHARS = 3
# On pages, one-letter words are not evidence of a language: they are units, initials and
# list markers ("m" in a results table of metres made a German page Lithuanian).
DISTINCTIVE_MIN_CHARS = 2
# Word frequency table of the close Cyrillic languages (uk ru bg mk; wordfreq, see
# data/langid/README.md): a word missing from one language's list counts there as that list's
# rarest word less WORD_FREQ_OOV_NATS (how much a listed word weighs: langscorers.py,
# WORD_FREQ_WEIGHT). Chosen on the dev split (cross-validated, never the held-out one).
WORD_FREQ_FILE = "cyrillic_words.tsv.gz"
WORD_FREQ_OOV_NATS = 2.0
# In-domain word counts (data/langid/cyrillic_tatoeba_words.tsv.gz: every word of the DEV split of
# the Tatoeba uk ru be bg sentences; bench_langid.py --build-data). wordfreq's web-scale lists are
# thin on short conversational sentences, their Ukrainian list holds Russian words (web text
# quotes Russian), and they have no Belarusian. For a language with counts, a word's probability
# is the mixture
#     (1 - TATOEBA_WORD_WEIGHT) x P_wordfreq(word) + TATOEBA_WORD_WEIGHT x P_counts(word)
# (the weight is langscorers.TATOEBA_WORD_WEIGHT),
# P_counts = (count + TATOEBA_WORD_MU x pooled share) / (tokens + TATOEBA_WORD_MU): Dirichlet
# smoothing towards the four languages' pooled counts, so a word seen once or twice in one
# language's small sample (a topic word, a name) is not taken as proof against the others.
# Words seen fewer than TATOEBA_WORD_MIN_COUNT times in all are left out. Chosen by 4-fold
# cross-validation inside the dev split (bench_langid.py --dev-cv; never the held-out split):
# weight 0.05-0.2 and mu 3000-10000 score within 0.05 points of each other on uk sentences.
TATOEBA_WORDS_FILE = "cyrillic_tatoeba_words.tsv.gz"
TATOEBA_WORD_MIN_COUNT = 1
TATOEBA_WORD_MU = 3000.0
# Strength of the pooled-distribution prior in the n-gram model (in pseudo-counts); chosen on
# the dev split.
NGRAM_DIRICHLET_MU = 2000.0

# ----------------------------------------------------------------------------- packaged data

_lock = threading.Lock()
_state: dict = {}


def _data_files():
    return resources.files("normalizer") / "data" / "langid"


def _read_lines(name: str) -> list[str]:
    try:
        text = (_data_files() / name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return []
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _ngram_table(
    counts: dict[str, list[int]], n_langs: int, mu: float | None = None
) -> dict[str, tuple[float, ...]]:
    """log P(gram | language), smoothed towards the pooled distribution (Dirichlet prior).

    Pooled smoothing keeps a language with little training text (bg, be) from winning on
    grams nobody has seen, which add-alpha smoothing would favour.
    """
    mu = NGRAM_DIRICHLET_MU if mu is None else mu
    if not counts:
        return {}
    vocab = len(counts)
    totals = [sum(c[i] for c in counts.values()) for i in range(n_langs)]
    pooled_total = sum(totals)
    table = {}
    for g, c in counts.items():
        p0 = (sum(c) + 0.5) / (pooled_total + 0.5 * vocab)
        table[g] = tuple(math.log((c[i] + mu * p0) / (totals[i] + mu)) for i in range(n_langs))
    return table


def _read_table(name: str) -> tuple[tuple[str, ...], list[list[str]]]:
    """A packaged gzipped TSV of the langid data: its languages (the "langs" line) and its
    other rows, each a key and one field per language. Missing or unreadable: no rows."""
    try:
        text = gzip.decompress((_data_files() / name).read_bytes()).decode("utf-8")
    except (FileNotFoundError, OSError, EOFError, UnicodeDecodeError):
        return (), []
    langs: tuple[str, ...] = ()
    rows = []
    for line in text.splitlines():
        if not line or line[0] == "#":
            continue
        parts = line.split("\t")
        if parts[0] == "langs":
            langs = tuple(parts[1:])
        elif len(parts) == len(langs) + 1:
            rows.append(parts)
    return langs, rows


def _read_word_freqs() -> tuple[tuple[str, ...], dict[str, tuple[float | None, ...]]]:
    """The packaged word frequency table: languages, and word -> Zipf value per language (None: absent)."""
    langs, table = _read_table(WORD_FREQ_FILE)
    rows: dict[str, tuple[float | None, ...]] = {}
    values: dict[str, float | None] = {"": None}  # "3.25" -> 3.25, shared (about 700 distinct)
    for parts in table:
        try:
            rows[parts[0]] = tuple(
                [values[x] if x in values else values.setdefault(x, float(x)) for x in parts[1:]]
            )
        except ValueError:
            continue
    return langs, rows


def _word_freq_table(
    rows: dict[str, tuple[float | None, ...]], n_langs: int, oov_nats: float | None = None
) -> dict[str, tuple[float, ...]]:
    """word -> log P(word | language) per language, in nats. A word a language's list lacks gets
    that list's smallest log-frequency less ``oov_nats`` (it is rarer there than anything listed)."""
    oov_nats = WORD_FREQ_OOV_NATS if oov_nats is None else oov_nats
    if not rows or not n_langs:
        return {}
    distinct = [{r[i] for r in rows.values()} - {None} for i in range(n_langs)]
    ln10 = math.log(10.0)
    # per language: Zipf value -> log-probability (None -> below the list's rarest word)
    logp = [{z: (z - 9.0) * ln10 for z in d} for d in distinct]
    for i, d in enumerate(distinct):
        logp[i][None] = ((min(d) if d else 9.0) - 9.0) * ln10 - oov_nats
    return {w: tuple([logp[i][z] for i, z in enumerate(r)]) for w, r in rows.items()}


def _read_tatoeba_words(
    min_count: int | None = None,
) -> tuple[tuple[str, ...], dict[str, tuple[float, ...]]]:
    """The packaged in-domain word counts: languages, and word -> smoothed P_counts(word) per
    language (see _tatoeba_word_table)."""
    min_count = TATOEBA_WORD_MIN_COUNT if min_count is None else min_count
    langs, table = _read_table(TATOEBA_WORDS_FILE)
    counts: dict[str, list[int]] = {}
    totals: list[int] = []
    for parts in table:
        try:
            nums = [int(x or 0) for x in parts[1:]]
        except ValueError:
            continue
        if parts[0] == "tokens":
            totals = nums
        else:
            counts[parts[0]] = nums
    if len(totals) != len(langs):
        return (), {}
    return langs, _tatoeba_word_table(counts, totals, min_count)


def _tatoeba_word_table(
    counts: dict[str, list[int]], totals: list[int], min_count: int | None = None
) -> dict[str, tuple[float, ...]]:
    """word -> (count + TATOEBA_WORD_MU x pooled share) / (tokens + TATOEBA_WORD_MU) per language,
    for the words seen at least ``min_count`` times in all languages together."""
    min_count = TATOEBA_WORD_MIN_COUNT if min_count is None else min_count
    out = {}
    mu = TATOEBA_WORD_MU
    pooled = sum(totals)
    n = len(totals)
    for w, c in counts.items():
        tot_w = sum(c)
        if tot_w < min_count or not pooled:
            continue
        p0 = tot_w / pooled
        out[w] = tuple(
            [(c[i] + mu * p0) / (totals[i] + mu) if totals[i] + mu > 0 else 0.0 for i in range(n)]
        )
    return out


def _load() -> dict:
    if _state:
        return _state
    with _lock:
        if _state:
            return _state
        words: dict[str, set[str]] = {}
        top_words: set[tuple[str, str]] = set()
        for lang in sorted(KNOWN_LANGUAGES):
            for rank, w in enumerate(_read_lines(f"words_{lang}.txt")):
                words.setdefault(w, set()).add(lang)
                if rank < SINGLE_HIT_MAX_RANK and len(w) >= SINGLE_HIT_MIN_CHARS:
                    top_words.add((w, lang))
        ngram_langs: list[str] = []
        counts: dict[str, list[int]] = {}
        for line in _read_lines("cyrillic_ngrams.txt"):
            parts = line.split("\t")
            if parts[0] == "langs":
                ngram_langs = parts[1:]
                continue
            counts[parts[0]] = [int(x) for x in parts[1:]]
        ngrams = _ngram_table(counts, len(ngram_langs)) if ngram_langs else {}
        state = {
            "words": {w: frozenset(v) for w, v in words.items()},
            "top_words": frozenset(top_words),
            "ngram_langs": tuple(ngram_langs),
            "ngrams": ngrams,
            "wf_langs": None,  # loaded on first use (_word_freqs): Latin-only work never needs it
            "wf": None,
            "wf_floor": None,
            "tw_langs": None,  # in-domain word counts, loaded with the frequency table
            "tw": None,
            "langdetect": None,
        }
        _state.update(state)
    return _state


def _lazy_table(key: str, read) -> tuple[tuple[str, ...], dict[str, tuple[float, ...]]]:
    """``_state[key]`` (and its languages, ``key + "_langs"``), read by ``read()`` on first use."""
    st = _load()
    if st[key] is None:
        with _lock:
            if st[key] is None:
                st[key + "_langs"], st[key] = read()
    return st[key + "_langs"], st[key]


def _word_freqs() -> tuple[tuple[str, ...], dict[str, tuple[float, ...]]]:
    """The word frequency table's languages and word -> log P(word | language), loaded once."""

    def read():
        langs, rows = _read_word_freqs()
        return langs, _word_freq_table(rows, len(langs))

    return _lazy_table("wf", read)


def _tatoeba_words() -> tuple[tuple[str, ...], dict[str, tuple[float, ...]]]:
    """The in-domain word table's languages and word -> relative frequency, loaded once."""
    return _lazy_table("tw", _read_tatoeba_words)


def _word_freq_floor(table: dict[str, tuple[float, ...]], n_langs: int) -> tuple[float, ...]:
    """Per language, the log-probability of a word its wordfreq list lacks (the table's minimum)."""
    st = _load()
    cached = st.get("wf_floor")
    if cached is not None and cached[0] is table:
        return cached[1]
    floor_t = tuple(min([0.0, *(row[i] for row in table.values())]) for i in range(n_langs))
    st["wf_floor"] = (table, floor_t)
    return floor_t


def _latin_unique(
    candidates: frozenset[str] = _LATIN_LANGS,
) -> tuple[dict[str, str], frozenset[str]]:
    """word -> language, for the listed words of at least DISTINCTIVE_MIN_CHARS letters that
    exactly one of ``candidates`` lists, and those words as a set (a set & set costs far less
    than a set & dict-keys view); built once per candidate set."""
    st = _load()
    cache = st.setdefault("latin_unique", {})
    entry = cache.get(candidates)
    if entry is None:
        table = {}
        for w, langs in st["words"].items():
            inside = langs & candidates
            if len(inside) == 1 and len(w) >= DISTINCTIVE_MIN_CHARS:
                table[w] = next(iter(inside))
        entry = cache[candidates] = (table, frozenset(table))
    return entry
