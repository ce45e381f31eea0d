"""Language scorers: the pieces of evidence the cascade (langid.py) weighs, each on its own:
which candidates a text's letters leave (decisive letters), distinctive function words per
language, the close Cyrillic languages' word model (word frequencies, in-domain counts and
character n-grams), a lone one-language word, and seeded langdetect restricted to candidates.
"""

from __future__ import annotations

import math

from .langtables import (
    _CYRILLIC_ALPHABETS,
    _REQUIRED_LETTERS,
    UND,
    _load,
    _lock,
    _tatoeba_words,
    _word_freq_floor,
    _word_freqs,
)

# langdetect costs ~linear time in its input; 2k chars are far more than it needs to converge.
LANGDETECT_MAX_CHARS = 2_000
# langdetect averages 7 random trials by default; short headings ("Read more") rarely converge,
# so each trial runs to its iteration limit. 4 trials cut its time on the sample pages by ~40%
# with the same en/de/pl accuracy on the dev split (pairs and single words, within +-0.3 points).
LANGDETECT_TRIALS = 4
# A long text may quote a name in another alphabet: letters outside a language's alphabet up to
# this share of the text's letters do not rule the language out.
FOREIGN_LETTER_TOLERANCE = 0.01
# "function_words" decides alone when the best language has at least this many distinctive
# words and no other candidate has any (or FUNCTION_WORD_DOMINANCE times as many) ...
FUNCTION_WORD_MIN_HITS = 2
FUNCTION_WORD_DOMINANCE = 2.5
# ... or (Latin script only), with no competitor at all, when a single hit is at least this
# share of the words (short headings: "Support The Moscow Times!"). Not for Cyrillic: the
# close Cyrillic languages share too many short words; there the n-gram model weighs the hit.
FUNCTION_WORD_MIN_SHARE = 0.2
# Each distinctive frequent word adds this many nats to its language's n-gram score: a word
# list hit is strong evidence, but a few words of a quote must not outvote a long paragraph.
WORD_HIT_NATS = 2.0
# Log-priors of the n-gram model's languages, in nats. Many short Cyrillic strings are valid
# in several languages at once; this project cares most about Ukrainian and meets Belarusian
# and Bulgarian rarely. Chosen on the dev split (never the held-out one; `bench_langid.py
# --tune`: profile from 3/4 of dev, scored on the other 1/4) so that Russian and Bulgarian
# stay at least as accurate as plain langdetect.
LANG_PRIOR_NATS = {"uk": 0.0, "ru": 0.0, "be": -3.0, "bg": -2.0, "mk": -2.0}
# Extra log-prior for Ukrainian by number of words (index = words - 1; the last entry holds for
# longer texts). One or two words valid in both Ukrainian and Russian are common and the project
# cares most about Ukrainian; with three or more words the evidence itself should decide, so a
# Russian sentence is not pulled into Ukrainian by the prior. With the word frequency table the
# evidence mostly decides; chosen by cross-validation inside the dev split (`--tune`): without
# any prior Ukrainian single words fall below 90%, larger values (4, 2) or (8, 6) answer more
# short Russian sentences ("Круто!", "Не вставай.") Ukrainian.
UK_PRIOR_NATS_BY_WORDS = (2.0, 1.0, 0.0)
# Share of that prior that lifts Ukrainian against every language; the rest only lowers Russian
# (the ambiguity it is meant for), so a Macedonian or Belarusian word is not pulled into Ukrainian.
UK_PRIOR_SHARE_VS_ALL = 0.5
# A listed word adds WORD_FREQ_WEIGHT x log P(word | language) (the word frequency table,
# langtables.WORD_FREQ_FILE). Chosen on the dev split (cross-validated, never the held-out one).
WORD_FREQ_WEIGHT = 1.5
# Weight of the in-domain counts in a word's probability (the mixture described at
# langtables.TATOEBA_WORDS_FILE), chosen with TATOEBA_WORD_MU by cross-validation inside the
# dev split (bench_langid.py --dev-cv; never the held-out split).
TATOEBA_WORD_WEIGHT = 0.1
# The n-gram log-likelihood adds up every 1-4-gram of a word, so it is far more confident than
# the evidence is (and its profile is built from little text); it is weighted down by this factor.
NGRAM_WEIGHT = 0.25
# ... and by this one for a word the frequency table has (whose frequencies say more).
NGRAM_WEIGHT_LISTED = 0.1
# wordfreq has no Belarusian list: a Belarusian word scores as the better of its Ukrainian and
# Russian frequencies (its closest relatives); other unlisted languages as the best of all.
WORD_FREQ_PROXY = {"be": ("uk", "ru")}
# Frequent words that exist in only one of Ukrainian and Russian (letters alone do not tell:
# no і ї є ґ ы э ъ ё). Each one found is evidence against the other language: that language's
# score loses MARKER_WORD_NATS. Hand-picked function words; words valid in both languages
# (в у до на по не та тому тебе себе ним них уже моя) are deliberately absent. Only the
# uk/ru pair is penalised, so Belarusian or Bulgarian sharing a word (як, але, и, с) is unaffected.
RU_ONLY_WORDS = frozenset(
    "и с к что как он она оно они его ему им но вон если или когда где почему который которая "
    "которое которую которого тоже еще сейчас нет да очень здесь много кто чем чего меня тебя себя "
    "мне будет может надо нужно ничего сегодня вчера хорошо спасибо пожалуйста конечно потому "
    "только всегда никогда теперь сказал сказала".split()
)
UK_ONLY_WORDS = frozenset(
    "що як він вона воно вони його йому але або якщо коли де чому який яка яке яку якого також "
    "теж вже ще зараз дуже хто чого мене буде може треба нема немає вчора добре дякую звичайно "
    "бо щоб аби й з зі із ти ми ви чи ось щось завжди ніколи тепер цей ця це цю цього цих собі "
    "був була було були би".split()
)
MARKER_WORD_NATS = 6.0
# A lone word too short to judge by n-grams ("Це 223-1374?", "Нет.") still gets a weak answer
# when it is such a one-language word of at least this many letters (not "и", "с", "й") and
# the n-gram profiles agree; weak so that assign_languages lets the context override it.
SHORT_MARKER_MIN_LETTERS = 2
# Naive Bayes log-likelihoods are over-confident; scaling them before the softmax gives
# confidences that track accuracy better on single words.
NGRAM_SOFTMAX_SCALE = 0.5
# The n-gram model looks at no more than this many words (plenty for a confident answer).
NGRAM_MAX_WORDS = 150
# ... and at no more than this many letters of a word (real words are shorter; junk is cut).
NGRAM_MAX_WORD_CHARS = 40


def _ngrams(word: str, max_n: int):
    """Character 1..max_n-grams of ``word`` with '_' marking its start and end."""
    w = f"_{word}_"
    n_chars = len(w)
    for n in range(1, max_n + 1):
        for i in range(n_chars - n + 1):
            g = w[i : i + n]
            if g != "_":
                yield g
    if n_chars > max_n:
        yield w  # the whole word: frequent words that differ only as a whole (ладно / гаразд)


def _softmax_best(scores: dict[str, float]) -> tuple[str, float]:
    best = max(scores, key=lambda k: (scores[k], k))
    top = scores[best]
    z = sum(math.exp(NGRAM_SOFTMAX_SCALE * (s - top)) for s in scores.values())
    return best, 1.0 / z


def _word_hits(
    words: list[str], candidates: frozenset[str], index: dict, top: frozenset | None = None
) -> tuple[dict[str, int], set[str]]:
    """Distinctive-word counts per candidate, and the languages hit by one of their top words.
    Distinct words: a repeated line or menu ("Suche in X Suche in Y") is one piece of evidence."""
    hits: dict[str, int] = {}
    top_langs: set[str] = set()
    for w in dict.fromkeys(words):
        langs = index.get(w)
        if langs:
            inside = langs & candidates
            if len(inside) == 1:
                (lang,) = inside
                hits[lang] = hits.get(lang, 0) + 1
                if top is not None and (w, lang) in top:
                    top_langs.add(lang)
    return hits, top_langs


def _decisive_hits(
    hits: dict[str, int], n_words: int, top_langs: set[str] | None = None
) -> str | None:
    if not hits:
        return None
    ranked = sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))
    best, n = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    single_ok = (
        top_langs is not None and best in top_langs and n >= FUNCTION_WORD_MIN_SHARE * n_words
    )
    if second == 0 and (n >= FUNCTION_WORD_MIN_HITS or single_ok):
        return best
    if n >= FUNCTION_WORD_MIN_HITS and n >= FUNCTION_WORD_DOMINANCE * second:
        return best
    return None


def _hits_confidence(hits: dict[str, int], best: str) -> float:
    n = hits[best]
    return round(_margin_confidence(n, sum(hits.values()) - n), 4)


def _margin_confidence(n: int, others: int) -> float:
    """Confidence of a language with ``n`` distinctive words against ``others`` of other languages."""
    return min(0.99, 1.0 - 0.5 ** (n - others + 1))


def _letter_candidates(words: list[str], pool: frozenset[str]) -> tuple[frozenset[str], bool]:
    """The languages of ``pool`` whose alphabet holds the letters of ``words`` (Cyrillic), up to
    FOREIGN_LETTER_TOLERANCE; and whether none does (then the least contradicted ones)."""
    # letters of the Cyrillic words, apostrophes between letters included
    letters: dict[str, int] = {}
    for w in words:
        for ch in w:
            letters[ch] = letters.get(ch, 0) + 1
    n_cyr = sum(v for k, v in letters.items() if k != "'")
    tolerance = int(FOREIGN_LETTER_TOLERANCE * n_cyr)
    foreign = {
        lang: sum(v for ch, v in letters.items() if ch not in _CYRILLIC_ALPHABETS[lang])
        for lang in pool
    }
    for lang, required in _REQUIRED_LETTERS.items():
        if lang in foreign and not any(ch in letters for ch in required):
            foreign[lang] = n_cyr + 1  # never a candidate, not even the least contradicted
    candidates = frozenset(lang for lang, f in foreign.items() if f <= tolerance)
    contradicted = not candidates
    if contradicted:  # mixed evidence beyond tolerance: keep the least contradicted
        least = min(foreign.values())
        candidates = frozenset(lang for lang, f in foreign.items() if f == least)
    return candidates, contradicted


def _ngram_scores(words: list[str], langs: list[str]) -> dict[str, float]:
    """Naive Bayes log-likelihood of ``words`` under each n-gram profile in ``langs``."""
    st = _load()
    idx = [st["ngram_langs"].index(lang) for lang in langs]
    scores = [0.0] * len(idx)
    for w in words[:NGRAM_MAX_WORDS]:
        _add_ngram_loglik(scores, w, idx, st["ngrams"])
    return {lang: scores[j] for j, lang in enumerate(langs)}


def _add_ngram_loglik(scores: list[float], word: str, idx: list[int], table: dict) -> None:
    """Add ``word``'s n-gram log-likelihood under profile ``idx[j]`` to ``scores[j]``."""
    for g in _ngrams(word[:NGRAM_MAX_WORD_CHARS], 4):
        row = table.get(g)
        if row is not None:
            for j, i in enumerate(idx):
                scores[j] += row[i]


def _word_scores(words: list[str], langs: list[str]) -> dict[str, float]:
    """Per-language evidence of ``words``: for a word in the frequency table or the in-domain
    table, WORD_FREQ_WEIGHT x log P(word | language) plus NGRAM_WEIGHT_LISTED x its n-gram
    log-likelihood; for any other word (names, rare forms) NGRAM_WEIGHT x its n-gram
    log-likelihood only. P(word | language) mixes the wordfreq frequency with the in-domain one
    (TATOEBA_WORD_WEIGHT) for languages that have in-domain counts. A language without a
    wordfreq list (be) takes, per word, the best wordfreq probability of its WORD_FREQ_PROXY
    languages (uk, ru): neutral between them, so its own counts and n-gram profile decide, but
    a word known only in Macedonian or Bulgarian does not count for it."""
    st = _load()
    ngram_langs = st["ngram_langs"]
    nidx = [ngram_langs.index(lang) for lang in langs]
    wf_langs, table = _word_freqs()
    tw_langs, tw = _tatoeba_words()
    widx = [wf_langs.index(lang) if lang in wf_langs else -1 for lang in langs]
    listed = any(i >= 0 for i in widx)
    floor = _word_freq_floor(table, len(wf_langs)) if listed else ()
    # unlisted language -> the listed languages whose best frequency term stands in for it
    proxy = {
        j: [wf_langs.index(p) for p in WORD_FREQ_PROXY.get(lang, wf_langs) if p in wf_langs]
        or [i for i in widx if i >= 0]
        for j, lang in enumerate(langs)
        if widx[j] < 0
    }
    lam = TATOEBA_WORD_WEIGHT if tw else 0.0
    tidx = [tw_langs.index(lang) if lam > 0.0 and lang in tw_langs else -1 for lang in langs]
    # a word without in-domain counts: the mixture's wordfreq share only
    shift = [math.log(1.0 - lam) if t >= 0 else 0.0 for t in tidx]
    scores = [0.0] * len(langs)
    grams = st["ngrams"]
    for w in words[:NGRAM_MAX_WORDS]:
        ng = [0.0] * len(langs)
        _add_ngram_loglik(ng, w, nidx, grams)
        row = table.get(w) if listed else None
        trow = tw.get(w) if lam > 0.0 else None
        if row is None and (trow is None or not listed):
            for j in range(len(langs)):
                scores[j] += NGRAM_WEIGHT * ng[j]
            continue
        if row is None:
            row = floor
        for j, i in enumerate(widx):
            v = row[i] if i >= 0 else max(row[k] for k in proxy[j])
            t = tidx[j]
            if t >= 0:
                if trow is not None and trow[t] > 0.0:
                    v = math.log((1.0 - lam) * math.exp(v) + lam * trow[t])
                else:
                    v += shift[j]
            scores[j] += WORD_FREQ_WEIGHT * v + NGRAM_WEIGHT_LISTED * ng[j]
    return dict(zip(langs, scores))


def _cyrillic_scores(words: list[str], langs: list[str], hits: dict[str, int]) -> dict[str, float]:
    """Per-language log-score of ``words`` under the close Cyrillic languages' word model: word
    and n-gram evidence (_word_scores), WORD_HIT_NATS per distinctive word in ``hits``, the
    one-language marker words, LANG_PRIOR_NATS and the Ukrainian prior for short inputs."""
    scores = _word_scores(words, langs)
    by_lang = {lang: scores[lang] + WORD_HIT_NATS * hits.get(lang, 0) for lang in langs}
    if "uk" in by_lang and "ru" in by_lang:
        for w in words[:NGRAM_MAX_WORDS]:
            if w in RU_ONLY_WORDS:
                by_lang["uk"] -= MARKER_WORD_NATS
            elif w in UK_ONLY_WORDS:
                by_lang["ru"] -= MARKER_WORD_NATS
    uk_prior = UK_PRIOR_NATS_BY_WORDS[min(len(words), len(UK_PRIOR_NATS_BY_WORDS)) - 1]
    for lang in by_lang:
        by_lang[lang] += LANG_PRIOR_NATS.get(lang, 0.0)
    if "ru" in by_lang:
        by_lang["ru"] -= uk_prior * (1.0 - UK_PRIOR_SHARE_VS_ALL)
    if "uk" in by_lang:
        by_lang["uk"] += uk_prior * UK_PRIOR_SHARE_VS_ALL
    return by_lang


def _short_marker(words: list[str], candidates: frozenset[str]) -> tuple[str, str] | None:
    """uk or ru for a lone short word that exists in only one of them ("Це", "Где", "Нет") and
    that the n-gram profiles (without the Ukrainian prior) also put there; uk for a lone word
    whose letters leave only Ukrainian and Belarusian ("Ні", "Ці") and that the Ukrainian word
    list has (Belarusian is the less likely of the two everywhere, LANG_PRIOR_NATS); else None.
    Returns (language, method)."""
    if len(words) != 1:
        return None
    if (
        "uk" in candidates
        and candidates <= {"uk", "be"}
        and len(words[0]) >= SHORT_MARKER_MIN_LETTERS
    ):
        wf_langs, table = _word_freqs()
        row = table.get(words[0])
        if (
            "uk" in wf_langs
            and row is not None
            and row[wf_langs.index("uk")]
            > _word_freq_floor(table, len(wf_langs))[wf_langs.index("uk")]
        ):
            return "uk", "letters"
        return None
    if not {"uk", "ru"} <= candidates:
        return None
    w = words[0]
    marker = "ru" if w in RU_ONLY_WORDS else "uk" if w in UK_ONLY_WORDS else None
    if marker is None or len(w) < SHORT_MARKER_MIN_LETTERS:
        return None
    langs = [lang for lang in _load()["ngram_langs"] if lang in candidates]
    scores = {
        lang: v + LANG_PRIOR_NATS.get(lang, 0.0) for lang, v in _ngram_scores(words, langs).items()
    }
    if scores and max(scores, key=lambda k: (scores[k], k)) == marker:
        return marker, "function_words"
    return None


def _langdetect_factory():
    st = _load()
    if st["langdetect"] is None:
        with _lock:
            if st["langdetect"] is None:
                from langdetect import DetectorFactory
                from langdetect.detector_factory import PROFILES_DIRECTORY

                factory = DetectorFactory()
                factory.load_profile(PROFILES_DIRECTORY)
                factory.set_seed(0)  # deterministic answers
                DetectorFactory.seed = 0  # and for anyone using langdetect's module-level API
                st["langdetect"] = factory
    return st["langdetect"]


def _langdetect(text: str, candidates: frozenset[str], rerun: bool = True) -> tuple[str, float]:
    """Seeded langdetect restricted to ``candidates``; ("und", 0) when it cannot answer.
    ``rerun=False``: no second run with the candidates as prior when the first answers none of
    them (that run converges slowly: up to 0.2 s on a line of JavaScript)."""
    from langdetect.lang_detect_exception import LangDetectException

    factory = _langdetect_factory()
    ld_names = {"zh": ("zh-cn", "zh-tw")}
    prior = {}
    for lang in candidates:
        for name in ld_names.get(lang, (lang,)):
            if name in factory.langlist:
                prior[name] = 1.0
    if not prior:
        return UND, 0.0
    # Unrestricted first (a restricted prior makes langdetect converge slowly); only when none
    # of its answers is a candidate, run it again with the candidates as its prior.
    for restrict in (False, True) if rerun else (False,):
        try:
            det = factory.create()
            if hasattr(det, "n_trial"):
                det.n_trial = LANGDETECT_TRIALS
            det.set_max_text_length(LANGDETECT_MAX_CHARS)
            det.append(text[:LANGDETECT_MAX_CHARS])
            if restrict:
                det.set_prior_map(prior)
            probs = det.get_probabilities()
        except LangDetectException:
            return UND, 0.0
        probs = [p for p in probs if p.lang in prior]
        if probs:
            best = probs[0]
            return best.lang.split("-")[0], float(min(1.0, max(0.0, best.prob)))
        if len(prior) == len(factory.langlist):
            break
    return UND, 0.0
