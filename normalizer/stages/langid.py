"""Detect-language stage: language of a text fragment, and of every fragment of a document.

Cheap, reliable evidence first; the statistical detector only when that is not decisive:

0. clean-up: URLs and e-mail addresses out, apostrophe variants unified, invisible characters
   and Cyrillic stress marks (combining acute) dropped, Latin look-alike letters inside a
   Cyrillic word read as Cyrillic ("Лiтак", "вaс"); Cyrillic vs Latin by word count, a tie
   going to Cyrillic (a Latin name inside Cyrillic text: "Пароль - «Muiriel».").
1. no letters (empty, digits, punctuation, emoji, URLs only)   -> "und"            method "empty"/"no_letters"
2. the writing system alone names the language (Hangul, Greek, kana, Thai, ...) -> method "script"
3. Cyrillic: the alphabet rules languages out. Only Ukrainian writes і ї є ґ and the apostrophe
   between letters (Belarusian shares і and the apostrophe), only Russian/Belarusian write
   ы э ё, ъ is Russian/Bulgarian, ў only Belarusian, ѓ ќ ѕ only Macedonian, ђ ћ only Serbian,
   ә ғ қ ң ө ұ ү һ Kazakh. One language left -> method "letters".
4. frequent words found in exactly one candidate language's word list, clearly dominating
   -> method "function_words" (Latin and Cyrillic scripts).
   Latin script: text dense in very common English words (EN_COMMON_WORDS) with no other
   language's distinctive word -> "en", method "function_words" (spares langdetect).
5. close Cyrillic languages (uk ru be bg mk): naive Bayes per word. A word in the packaged
   word frequency table (uk ru bg mk, from the wordfreq package's large corpora; ~150k words)
   counts with log P(word | language) (WORD_FREQ_WEIGHT) and a little of its character
   1-4-gram likelihood (NGRAM_WEIGHT_LISTED); P mixes in in-domain word counts (Tatoeba dev
   split, uk ru be bg; TATOEBA_WORD_WEIGHT), which also give Belarusian word evidence; any
   other word (names, rare forms) by its n-gram likelihood only (NGRAM_WEIGHT), from a small
   Tatoeba-built profile that also covers be.
   Plus: a penalty on Russian for each word that exists only in Ukrainian and vice versa
   (UK_ONLY_WORDS / RU_ONLY_WORDS), small-data priors against be/bg/mk (LANG_PRIOR_NATS) and a
   small prior for Ukrainian on one- and two-word inputs only (UK_PRIOR_NATS_BY_WORDS, mostly
   against Russian) -> method "ngram". Everything else:
   langdetect (seeded, its answers filtered to the candidates, else re-run with them as prior
   map; fed at most LANGDETECT_MAX_CHARS) -> method "langdetect".
6. too little evidence (one word of fewer than MIN_LETTERS letters, or fewer than
   MIN_LETTERS_SEVERAL_WORDS in all, and nothing decisive) -> "und", method "too_short";
   except a lone word that exists only in Ukrainian or only in Russian ("Це", "Нет"), which
   gets a weak (SHORT_MARKER_CONFIDENCE) answer, method "function_words", and a lone Ukrainian
   word whose letters leave only Ukrainian and Belarusian ("Ні"): weak "uk", method "letters".
   (Step 6 is checked before 4 and 5; letters decisive in step 3 still answer.)

Documents (``document_languages``, which the pipeline runs on every line of a page before the
boilerplate stage): the page's language per script comes from all of its text at once (Latin:
the distinctive function words of every line together, else one langdetect call on the joined
text; Cyrillic: the vote of the lines' own answers), and a line differs from it only on
evidence of its own: another script, decisive letters, distinctive function words (Latin: the
page's language counts CONTEXT_PRIOR_HITS already), a Cyrillic statistical answer on
OWN_MIN_WORDS words or more, or a trusted langdetect answer on a Latin line of
LANGDETECT_MIN_WORDS_IN_CONTEXT words without any function word. Every other line takes the
page's language, method "context". ``assign_languages`` is its per-line answer.
Nothing here raises: any unexpected failure answers "und" with method "error".

This module is the cascade: the order in which evidence is asked for and which answer wins. The
language tables and packaged data are loaded by langtables.py, the pieces of evidence (letters,
function words, the Cyrillic word model, langdetect) computed by langscorers.py.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple, Sequence

from .langscorers import (
    FUNCTION_WORD_MIN_HITS,
    _cyrillic_scores,
    _decisive_hits,
    _hits_confidence,
    _langdetect,
    _letter_candidates,
    _margin_confidence,
    _short_marker,
    _softmax_best,
    _word_hits,
)
from .langtables import (
    _CYRILLIC_LANGS,
    _LANGDETECT_LANGS,
    _LATIN_LANGS,
    _SCRIPT_LANGS,
    _SCRIPT_RANGES,
    KNOWN_LANGUAGES,
    UND,
    _latin_unique,
    _load,
)
from .segment import INVISIBLE_CHARS

__all__ = [
    "LanguageGuess",
    "DocumentLanguages",
    "detect_language",
    "document_languages",
    "assign_languages",
    "script_of",
]


@dataclass(frozen=True)
class LanguageGuess:
    lang: str  # ISO 639-1 code or "und"
    confidence: float  # 0..1
    method: str  # how it was decided: "empty", "no_letters", "script", "letters",
    # "function_words", "ngram", "langdetect", "too_short", "context", ...


# ----------------------------------------------------------------------------- thresholds

# Only the head of a huge string is analysed: a page's language shows in its first 10k chars,
# and it keeps a 1 MB string as cheap as a paragraph.
MAX_SCAN_CHARS = 10_000
# Fewer letters than this in a single word (e.g. "Том", "ok") is too little to guess from
# without decisive letters: abstain rather than guess.
MIN_LETTERS = 4
# Two or more words carry a little more evidence (word order, two spellings): "Я не" is
# still worth a guess, "a b" is not.
MIN_LETTERS_SEVERAL_WORDS = 3
# English is the Latin-script text met most, and langdetect's cost: decide it without langdetect
# when the text is dense in very common English words and no other language's distinctive words
# occur at all. The list mixes distinctive words with ones other languages also write (a, in, to,
# is, was, we), so it takes at least two of them making up at least 30% of the words ("… we have
# a small favor to ask.", but not German "Er war in Berlin" where "war"/"er" hit German).
EN_COMMON_WORDS = frozenset(
    "the a an of to in on at by for from with and or but not no is are was were be been being "
    "has have had do does did it its this that these those he she they them their we our you your "
    "his her him i me my us as if will would could should can may more most about after which who "
    "what when where there here than then into over under said says just only other some such "
    "very because while between through during before against without how why all any".split()
)
EN_DENSITY_MIN_HITS = 2
EN_DENSITY_MIN_SHARE = 0.3
EN_DENSITY_CONFIDENCE = 0.8
# A lone one-language word (langscorers._short_marker) gets this weak confidence: the
# context overrides it.
SHORT_MARKER_CONFIDENCE = 0.5
# A statistical answer (word and n-gram likelihoods) is never certain: its softmax reaches 1.0
# on a few words, which would read as decisive evidence.
STATISTICAL_MAX_CONFIDENCE = 0.99
# Confidence of an answer from letters that exclude every other candidate.
LETTERS_CONFIDENCE = 0.97
# ... and when even the answer's alphabet lacks some of the letters (mixed text, or the
# `languages` restriction left only languages that do not fit): a weak, inherited-over answer.
CONTRADICTED_CONFIDENCE = 0.3
# langdetect's probability on a few words is near 1.0 whether it is right or not ("Comments" fr
# 1.0): it is not asked about fewer than LANGDETECT_MIN_WORDS words at all (no function word
# decided them: "und"), and its answer's confidence is its probability x the share of
# LANGDETECT_TRUST_WORDS words it saw, at most LANGDETECT_MAX_CONFIDENCE (it is still a guess).
LANGDETECT_MIN_WORDS = 3
LANGDETECT_TRUST_WORDS = 10
LANGDETECT_MAX_CONFIDENCE = 0.95
# Documents. The page's Latin-script language comes from the distinctive function words of all
# its text (at most DOC_SAMPLE_WORDS words): at least DOC_MIN_HITS of the best language's, and
# DOC_DOMINANCE times the runner-up's (a German page quoting English names still has far more
# German words). A document language below DOC_MIN_CONFIDENCE is not used as context (a Ukrainian
# page's few Latin brand names do not make an English context) and reads "und".
DOC_SAMPLE_WORDS = 3000
# When function words do not decide a page's Latin-script language, langdetect reads this many
# characters of it (its cost grows with the text; a paragraph's worth is enough to converge).
DOC_LANGDETECT_CHARS = 600
# A script that several languages write (Han: zh ja; Arabic: ar fa ur; Devanagari: hi mr ne) is
# given to langdetect only when the page has at least this many of its letters: a language
# menu's "中文" or "हिन्दी" is too little to choose from, and costs a call each.
SHARED_SCRIPT_MIN_LETTERS = 20
DOC_MIN_HITS = 3
DOC_DOMINANCE = 2.0
DOC_MIN_CONFIDENCE = 0.5
# A fragment differs from its document only on evidence of its own: its letters (confidence
# LETTERS_CONFIDENCE), distinctive function words or a statistical answer of at least
# OWN_MIN_CONFIDENCE, the latter on at least OWN_MIN_WORDS words (one Russian-looking word on
# a Ukrainian page is a name or a shared word far more often than a Russian line).
OWN_MIN_WORDS = 3
OWN_MIN_CONFIDENCE = 0.75
# A Latin-script fragment without any function word of any language (a headline in capitals,
# a list of names) is given to langdetect only from this many words on: below it, langdetect
# is wrong about English more often than it finds a foreign line, and it costs the most.
LANGDETECT_MIN_WORDS_IN_CONTEXT = 10
# ... and only when it ends a sentence: tag lists, share-button rows and menus of ten names
# ("Send Facebook Twitter google+ Whatsapp Tumblr ...") do not, and cost a langdetect call each.
_SENTENCE_END_OR_QUOTE = tuple('.!?…"”»')
# In a Latin-script fragment, the page's language counts as this many distinctive words
# already found: another language needs FUNCTION_WORD_DOMINANCE times as many, so at least 3.
CONTEXT_PRIOR_HITS = 1
# In the vote for a page's Cyrillic language, a fragment counts when its own guess has at least
# this confidence.
CONTEXT_MIN_CONFIDENCE = 0.6
# Languages taken from the document are reported with at most this confidence: likely (the page
# is in that language), but not seen in the fragment itself. Above the default translation
# threshold (config.TRANSLATE_MIN_CONFIDENCE), so a short Ukrainian line on a Ukrainian page is
# still translated.
CONTEXT_MAX_CONFIDENCE = 0.8

# ----------------------------------------------------------------------------- text helpers

# What every match of _URL holds ("://", "www.", "@", or a listed domain ending): a line
# without one is not scanned with _URL.
_URL_HINT = re.compile(
    r"://|www\.|@|\.(?:com|org|net|ua|ru|de|pl|uk|io|html?|php)\b", re.IGNORECASE
)
_URL = re.compile(
    r"(?:https?://|ftp://|www\.)\S+|\b[\w.+-]{1,64}@[\w-]+\.[\w.-]+\b|\b[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.(?:com|org|net|ua|ru|de|pl|uk|io|html?|php)\b\S*",
    re.IGNORECASE,
)
# Apostrophe variants become "'"; invisible characters go (INVISIBLE_CHARS).
_APOSTROPHES = str.maketrans(
    {"\u2019": "'", "\u02bc": "'", "`": "'", "\u2018": "'", **dict.fromkeys(INVISIBLE_CHARS)}
)
_LETTER_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_LETTER = re.compile(r"[^\W\d_]")
_CYR_LETTER = re.compile(r"[\u0400-\u052f]")
_LAT_LETTER = re.compile(r"[a-zA-Z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
_INNER_APOSTROPHE = re.compile(r"(?<=[\u0400-\u04ff])'(?=[\u0400-\u04ff])")
_SCRIPT_RES = [(name, re.compile(f"[{ranges}]"), lang) for name, ranges, lang in _SCRIPT_RANGES]
# Latin letters that look like Cyrillic ones, as typed inside Cyrillic words when the keyboard
# layout is wrong or to dodge filters ("Лiтак", "вaс"): in a word that has Cyrillic letters and
# no other Latin letters they are read as the Cyrillic letter (Latin i as Ukrainian і).
_HOMOGLYPHS = str.maketrans("aceiopxyABCEHIKMOPTX", "асеіорхуАВСЕНІКМОРТХ")
# Stress marks (combining acute after a Cyrillic letter: "Здоро́во", "На́ вам") are not spelling
# and would split the word; the grave of Bulgarian/Macedonian ѝ ѐ is spelling and stays.
_STRESS_MARK = re.compile(r"(?<=[\u0400-\u04ff])\u0301")
_OTHER_LATIN = re.compile(r"[^\W\d_aceiopxyABCEHIKMOPTX\u0400-\u04ff]")
# A letter of any script but Latin (the Latin ranges of _LAT_LETTER, plus ª µ º).
_NON_LATIN_LETTER = re.compile(
    r"[^\W\d_a-zA-Z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]"
)
_ACRONYM = re.compile(r"[A-Z\u0400-\u042f]{2}")
_TO_LATIN = str.maketrans("асеіорхуАВСЕНІКМОРТХѕјԁ", "aceiopxyABCEHIKMOPTXsjd")
_OTHER_CYRILLIC = re.compile("[^\\W\\d_асеіорхуАВСЕНІКМОРТХѕјԁa-zA-Z]")


def _fix_homoglyphs(text: str) -> str:
    """``text`` with words that mix Latin and Cyrillic letters read in one script: the script of
    most of the text's one-script words. In Cyrillic text, Latin look-alikes become Cyrillic
    ("Лiтак", see _HOMOGLYPHS); in Latin text, Cyrillic look-alikes become Latin (spam and
    filter-dodging write "Аdvеrtіѕе wіth thе most visited news site")."""
    words = _LETTER_WORD.findall(text)
    n_cyr = sum(1 for w in words if _CYR_LETTER.search(w) and not _LAT_LETTER.search(w))
    n_lat = sum(1 for w in words if _LAT_LETTER.search(w) and not _CYR_LETTER.search(w))
    to_latin = n_lat > n_cyr

    def fix(m: re.Match) -> str:
        w = m.group(0)
        if _CYR_LETTER.search(w) and _LAT_LETTER.search(w):
            if to_latin and not _OTHER_CYRILLIC.search(w):
                return w.translate(_TO_LATIN)
            if not to_latin and not _OTHER_LATIN.search(w):
                return w.translate(_HOMOGLYPHS)
        return w

    return _LETTER_WORD.sub(fix, text)  # word by word: linear in the text, whatever its shape


def _norm_word(word: str) -> str:
    return word.lower().translate(_APOSTROPHES)


# ----------------------------------------------------------------------------- detection


def _allowed(languages: Sequence[str] | None) -> frozenset[str] | None:
    if languages is None:
        return None
    out = set()
    for lang in languages:
        if isinstance(lang, str):
            code = lang.strip().lower().split("-")[0].split("_")[0]
            if code in KNOWN_LANGUAGES:
                out.add(code)
    return frozenset(out)


def _too_short(words: list[str], n_letters: int) -> bool:
    if len(words) <= 1:
        return n_letters < MIN_LETTERS
    return n_letters < MIN_LETTERS_SEVERAL_WORDS


def _cyrillic(
    sample: str, words: list[str], n_letters: int, allowed: frozenset[str] | None
) -> LanguageGuess:
    st = _load()
    pool = _CYRILLIC_LANGS if allowed is None else _CYRILLIC_LANGS & allowed
    if not pool:
        return LanguageGuess(UND, 0.0, "restricted")
    candidates, contradicted = _letter_candidates(words, pool)
    if len(candidates) == 1:
        (lang,) = candidates
        if len(pool) == 1:
            conf = 0.9 if n_letters >= MIN_LETTERS else 0.5
            return LanguageGuess(lang, CONTRADICTED_CONFIDENCE if contradicted else conf, "script")
        conf = LETTERS_CONFIDENCE if n_letters >= MIN_LETTERS else 0.85
        return LanguageGuess(lang, CONTRADICTED_CONFIDENCE if contradicted else conf, "letters")
    if _too_short(words, n_letters):
        short = _short_marker(words, candidates)
        if short is not None:
            return LanguageGuess(short[0], SHORT_MARKER_CONFIDENCE, short[1])
        return LanguageGuess(UND, 0.1, "too_short")
    hits, _ = _word_hits(words, candidates, st["words"])
    decided = _decisive_hits(hits, len(words))
    if decided is not None:
        return LanguageGuess(decided, _hits_confidence(hits, decided), "function_words")
    ngram_langs = [lang for lang in st["ngram_langs"] if lang in candidates]
    others = candidates - set(ngram_langs)
    if ngram_langs:
        by_lang = _cyrillic_scores(words, ngram_langs, hits)
        best, conf = _softmax_best(by_lang) if len(by_lang) > 1 else (ngram_langs[0], 0.9)
        conf = min(conf, STATISTICAL_MAX_CONFIDENCE)  # 1.0 is for decisive evidence only
        # a candidate without n-gram profile (e.g. Serbian next to Macedonian) that the word
        # lists point to, or that may hide behind Bulgarian: let langdetect decide
        if not (others and (best == "bg" or hits.keys() & others)):
            return LanguageGuess(best, round(conf, 4), "ngram")
        ld_cands = frozenset({best} | (others & _LANGDETECT_LANGS))
    else:
        ld_cands = others & _LANGDETECT_LANGS
    if ld_cands:
        lang, prob = _langdetect(sample, ld_cands)
        if lang != UND:
            return LanguageGuess(lang, round(prob, 4), "langdetect")
    # only letter-defined languages left (e.g. sr or kk vs mk): most word hits, else unknown
    if hits:
        best = max(hits, key=lambda k: (hits[k], k))
        return LanguageGuess(best, 0.5, "function_words")
    return LanguageGuess(sorted(candidates)[0], 0.3, "letters")


def _latin(
    sample: str, words: list[str], n_letters: int, allowed: frozenset[str] | None
) -> LanguageGuess:
    """Latin-script text on its own (no document around it)."""
    st = _load()
    candidates = _LATIN_LANGS if allowed is None else _LATIN_LANGS & allowed
    if not candidates:
        return LanguageGuess(UND, 0.0, "restricted")
    if len(candidates) == 1 and n_letters >= MIN_LETTERS:
        (lang,) = candidates
        return LanguageGuess(lang, 0.9, "script")
    if _too_short(words, n_letters):
        return LanguageGuess(UND, 0.1, "too_short")
    hits, top_langs = _word_hits(words, candidates, st["words"], st["top_words"])
    decided = _decisive_hits(hits, len(words), top_langs)
    if decided is not None:
        return LanguageGuess(decided, _hits_confidence(hits, decided), "function_words")
    if "en" in candidates and not (hits.keys() - {"en"}):
        n_en = len(set(words) & EN_COMMON_WORDS)  # distinct: "Suche in X Suche in Y" is not English
        if n_en >= EN_DENSITY_MIN_HITS and n_en >= EN_DENSITY_MIN_SHARE * len(words):
            return LanguageGuess("en", EN_DENSITY_CONFIDENCE, "function_words")
    if len(words) < LANGDETECT_MIN_WORDS:
        # "Comments", "Privacy Policy", "459 Reviews": langdetect answers such inputs with a
        # confident foreign language; a word or two without a function word is no evidence.
        return LanguageGuess(UND, 0.1, "too_short")
    return _trusted_langdetect(sample, len(words), candidates)


def _trusted_langdetect(
    sample: str, n_words: int, candidates: frozenset[str], rerun: bool = True
) -> LanguageGuess:
    """langdetect's answer with a confidence that counts the words it saw: its probability on a
    few words is close to 1.0 whether right or wrong (LANGDETECT_TRUST_WORDS)."""
    lang, prob = _langdetect(sample, candidates, rerun)
    if lang == UND:
        return LanguageGuess(UND, 0.0, "langdetect")
    trust = min(1.0, n_words / LANGDETECT_TRUST_WORDS)
    return LanguageGuess(lang, round(prob * trust * LANGDETECT_MAX_CONFIDENCE, 4), "langdetect")


class _Text(NamedTuple):
    """What the cascade reads of one text: its cleaned sample, the words of its main script
    (lower-cased), the letter count of that script, and the script's name."""

    sample: str
    words: list[str]
    n_letters: int
    script: str  # "latin", "cyrillic", or a _SCRIPT_RANGES name
    script_lang: str | None  # the language a single-language script names
    n_script: int  # letters (or words, Latin vs Cyrillic) of that script


def _analyse(text: str) -> LanguageGuess | _Text:
    """Clean-up and script of ``text`` (steps 0-2 of the module docstring): a final answer for
    text without letters, else what the later steps read."""
    if not isinstance(text, str) or not text or text.isspace():
        return LanguageGuess(UND, 0.0, "empty")
    sample = text[:MAX_SCAN_CHARS]
    if _URL_HINT.search(sample):  # the full URL pattern costs more than the rest of a line
        sample = _URL.sub(" ", sample)
    ascii_only = sample.isascii()
    if ascii_only:
        # of the apostrophe variants and invisible characters only "`" is ASCII
        if "`" in sample:
            sample = sample.replace("`", "'")
    else:
        sample = sample.translate(_APOSTROPHES)
        if "\u0301" in sample:
            sample = _STRESS_MARK.sub("", sample)
    if ascii_only or not _NON_LATIN_LETTER.search(sample):
        # Most lines of Latin-script pages: only Latin letters, no other script to weigh.
        if _ACRONYM.search(sample) and sample != sample.upper():
            words = _latin_words(_LETTER_WORD.findall(sample), sample)
        else:
            words = _LETTER_WORD.findall(sample.lower())
        n_letters = sum(map(len, words))
        if n_letters == 0:
            return LanguageGuess(UND, 0.0, "no_letters")
        return _Text(sample, words, n_letters, "latin", None, n_letters)
    n_letters = len(_LETTER.findall(sample))
    if n_letters == 0:
        return LanguageGuess(UND, 0.0, "no_letters")
    n_cyr = len(_CYR_LETTER.findall(sample))
    n_lat = len(_LAT_LETTER.findall(sample))
    if n_cyr and n_lat:
        fixed = _fix_homoglyphs(sample)
        if fixed != sample:
            sample = fixed
            n_cyr = len(_CYR_LETTER.findall(sample))
            n_lat = len(_LAT_LETTER.findall(sample))
    script_counts = {"cyrillic": n_cyr, "latin": n_lat}
    all_words = None
    if n_cyr and n_lat:
        # Cyrillic vs Latin by words, not letters: "У тебе є WhatsApp?" is Ukrainian. A tie goes
        # to Cyrillic (first key): Latin names and brands sit inside Cyrillic text far more often
        # than the other way round ("Пароль - «Muiriel».").
        all_words = _LETTER_WORD.findall(sample)
        n_cyr_words = sum(1 for w in all_words if _CYR_LETTER.match(w))
        n_lat_words = sum(1 for w in all_words if _LAT_LETTER.match(w))
        script_counts = {"cyrillic": n_cyr_words, "latin": n_lat_words}
    script_lang: dict[str, str | None] = {}
    if n_cyr + n_lat < n_letters:
        for name, rx, lang in _SCRIPT_RES:
            c = len(rx.findall(sample))
            if c:
                script_counts[name] = c
                script_lang[name] = lang
    script = max(script_counts, key=lambda k: script_counts[k])
    if script_counts[script] == 0:
        return LanguageGuess(UND, 0.1, "script")
    if script == "han" and script_counts.get("kana"):
        script = "kana"  # Japanese mixes kanji and kana
    words: list[str] = []
    if script == "cyrillic" or script == "latin":
        wrx = _CYR_LETTER if script == "cyrillic" else _LAT_LETTER
        found = all_words if all_words is not None else _LETTER_WORD.findall(sample)
        if script == "latin":
            words = _latin_words([m for m in found if wrx.match(m)], sample)
        else:
            words = [w for w in (_norm_word(m) for m in found) if wrx.match(w)]
        n_letters = n_cyr if script == "cyrillic" else n_lat
    return _Text(sample, words, n_letters, script, script_lang.get(script), script_counts[script])


def _latin_words(found: list[str], sample: str) -> list[str]:
    """Lower-cased Latin words, without acronyms in mixed-case text: "EST" in "06:56 AM EST" is a
    time zone, not the French "est" (an all-capitals line keeps its words: "FRANCE WINS")."""
    # the sample's apostrophes are unified already: lower() is all _norm_word would add
    if sample != sample.upper() and _ACRONYM.search(sample):
        return [w.lower() for w in found if not (len(w) >= 2 and w.isupper())]
    return [w.lower() for w in found]


def _decide(t: _Text, allowed: frozenset[str] | None) -> LanguageGuess:
    """Steps 2-6 for one text on its own."""
    if t.script == "cyrillic":
        return _cyrillic(t.sample, t.words, t.n_letters, allowed)
    if t.script == "latin":
        return _latin(t.sample, t.words, t.n_letters, allowed)
    lang = t.script_lang
    if lang is not None:
        if allowed is not None and lang not in allowed:
            return LanguageGuess(UND, 0.0, "restricted")
        conf = 0.95 if t.n_script >= 2 else 0.7
        return LanguageGuess(lang, conf, "script")
    cands = _SCRIPT_LANGS.get(t.script, frozenset())
    if allowed is not None:
        cands = cands & allowed
    if not cands:
        return LanguageGuess(UND, 0.0, "restricted" if allowed is not None else "script")
    if len(cands) == 1:
        (lang,) = cands
        return LanguageGuess(lang, 0.8, "script")
    lang, prob = _langdetect(t.sample, cands)
    # within one script langdetect weighs few candidates, but it is still a guess: never 1.0
    return LanguageGuess(lang, round(min(prob, LANGDETECT_MAX_CONFIDENCE), 4), "langdetect")


def _detect(text: str, languages: Sequence[str] | None) -> LanguageGuess:
    allowed = _allowed(languages)
    if allowed is not None and not allowed:
        return LanguageGuess(UND, 0.0, "restricted")
    t = _analyse(text)
    return t if isinstance(t, LanguageGuess) else _decide(t, allowed)


def script_of(lang: str | None) -> str | None:
    """The script a language is written in here ("latin", "cyrillic", "greek", ...), or None."""
    if lang in _LATIN_LANGS:
        return "latin"
    if lang in _CYRILLIC_LANGS:
        return "cyrillic"
    return next((name for name, _, code in _SCRIPT_RANGES if code == lang), None)


def detect_language(text: str, languages: Sequence[str] | None = None) -> LanguageGuess:
    """Language of ``text`` (ISO 639-1) or "und"; ``languages`` restricts the candidates.

    A text on its own: one or two Latin-script words without a function word ("Comments",
    "Privacy Policy") answer "und", and a statistical answer's confidence grows with the words
    it saw. Never raises: bad input answers "und".
    """
    try:
        return _detect(text, languages)
    except Exception:  # noqa: BLE001 - a language guess must never break the pipeline
        return LanguageGuess(UND, 0.0, "error")


# ----------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class DocumentLanguages:
    """A document's languages: ``lang`` the dominant one, ``by_script`` the language of the
    text in each script ("latin", "cyrillic", ...; "und" where the document does not tell),
    ``fragments`` one guess per fragment, in order."""

    lang: str
    confidence: float
    by_script: dict[str, LanguageGuess]
    fragments: list[LanguageGuess]


def _latin_context(
    hits: Counter[str], n_words: int, head: str, candidates: frozenset[str]
) -> LanguageGuess:
    """The language of a document's Latin-script text, read from all of it at once: ``hits``,
    the distinctive function words of its first DOC_SAMPLE_WORDS words (every occurrence: "the"
    forty times is forty pieces of evidence) of ``n_words``, else langdetect once on ``head``,
    the text's first DOC_LANGDETECT_CHARS characters."""
    if not candidates:
        return LanguageGuess(UND, 0.0, "restricted")
    if len(candidates) == 1:
        (lang,) = candidates
        return LanguageGuess(lang, 0.9, "script")
    if hits:
        ranked = sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))
        best, n = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0
        if n >= DOC_MIN_HITS:
            # Without DOC_DOMINANCE the page is bilingual (German article, English menus and
            # footer): the language with most function words is still the page's, at the lower
            # confidence of its share, and each line's own function words decide for it. (langdetect
            # on the page's first characters read such pages as their menus' language.)
            share = n / sum(hits.values())
            if n < DOC_DOMINANCE * second:
                return LanguageGuess(best, round(share, 4), "function_words")
            return LanguageGuess(
                best, round(min(0.99, share * (1.0 - 0.5**n)), 4), "function_words"
            )
    if n_words < LANGDETECT_MIN_WORDS:
        return LanguageGuess(UND, 0.0, "too_short")
    return _trusted_langdetect(head, n_words, candidates, rerun=False)


def _vote(guesses: list[tuple[LanguageGuess, int]]) -> LanguageGuess | None:
    """The language most letters were confidently written in; None when no guess is confident."""
    weight: dict[str, float] = {}
    for g, n in guesses:
        if g.lang != UND and g.confidence >= CONTEXT_MIN_CONFIDENCE:
            weight[g.lang] = weight.get(g.lang, 0.0) + n * g.confidence
    total = sum(weight.values())
    if not total:
        return None
    best = max(sorted(weight), key=lambda k: weight[k])
    share = weight[best] / total
    top = max(g.confidence for g, _ in guesses if g.lang == best)
    return LanguageGuess(best, round(min(top, share), 4), "vote")


def _in_context(ctx: LanguageGuess) -> LanguageGuess:
    """A fragment without evidence of its own takes its document's language (method "context")."""
    return LanguageGuess(ctx.lang, round(min(CONTEXT_MAX_CONFIDENCE, ctx.confidence), 4), "context")


def _own_evidence(g: LanguageGuess, n_words: int) -> bool:
    """Does a Cyrillic fragment's own answer rest on positive evidence: its letters, distinctive
    function words, or enough words for the statistical models to be trusted?"""
    if g.method in ("letters", "script"):
        return g.confidence >= LETTERS_CONFIDENCE - 1e-9
    if g.method == "function_words":
        return g.confidence >= OWN_MIN_CONFIDENCE
    return n_words >= OWN_MIN_WORDS and g.confidence >= OWN_MIN_CONFIDENCE


class _LatinLine(NamedTuple):
    """What the page-level pass keeps of a Latin-script line: its distinct distinctive words
    per language, its word count, whether it holds a very common English word. Not its word
    list: a 30 MB page has millions of words."""

    hits: dict[str, int]
    n_words: int
    en_common: bool


_NO_HITS: dict[str, int] = {}


def _latin_line(
    t: _Text, unique: dict[str, str], unique_words: frozenset[str], shared: dict[tuple, _LatinLine]
) -> _LatinLine:
    """``shared``: one _LatinLine per distinct value per page (most lines share one of a few
    thousand), so a page of 150,000 lines keeps no object per line: the objects a line leaves
    behind between the short-lived ones of the next would hold the allocator's memory."""
    words = set(t.words)
    found = words & unique_words  # the loop below runs over hits only
    key: tuple = ()
    hits: dict[str, int] = _NO_HITS
    if found:
        hits = {}
        for w in found:
            lang = unique[w]
            hits[lang] = hits.get(lang, 0) + 1
        key = tuple(sorted(hits.items()))
    line_key = (key, len(t.words), not words.isdisjoint(EN_COMMON_WORDS))
    line = shared.get(line_key)
    if line is None:
        line = shared[line_key] = _LatinLine(hits, line_key[1], line_key[2])
    return line


def _latin_in_context(
    line: _LatinLine,
    text: str,
    ctx: LanguageGuess,
    candidates: frozenset[str],
    in_context: LanguageGuess,
) -> LanguageGuess:
    """A Latin-script fragment on a page whose Latin text is in ``ctx.lang``: another language
    only on distinctive function words of its own, or, for a long sentence with no function
    word at all, a trusted langdetect answer; else ``in_context`` (_in_context(ctx))."""
    hits = line.hits
    n_ctx = hits.get(ctx.lang, 0)
    if len(hits) > (1 if n_ctx else 0) and max(hits.values()) >= FUNCTION_WORD_MIN_HITS:
        # no lone-word shortcut ("Die Hard" is not German), and the page's language starts with
        # CONTEXT_PRIOR_HITS: a bilingual line ("Bitte verwende ... Please use the print icon")
        # stays in the page's language
        biased = dict(hits)
        biased[ctx.lang] = n_ctx + CONTEXT_PRIOR_HITS
        decided = _decisive_hits(biased, line.n_words)
        if decided is not None and decided != ctx.lang:
            return LanguageGuess(decided, _hits_confidence(biased, decided), "function_words")
    if n_ctx or (ctx.lang == "en" and line.en_common):
        return _confirmed(ctx, n_ctx, sum(hits.values()) - n_ctx)
    if not hits and line.n_words >= LANGDETECT_MIN_WORDS_IN_CONTEXT:
        t = _analyse(text)  # rare: a long line without any function word
        if isinstance(t, _Text) and t.sample.rstrip().endswith(_SENTENCE_END_OR_QUOTE):
            g = _trusted_langdetect(
                t.sample[:DOC_LANGDETECT_CHARS], len(t.words), candidates, rerun=False
            )
            if g.lang != UND and g.lang != ctx.lang and g.confidence >= OWN_MIN_CONFIDENCE:
                return g
    return in_context


@functools.lru_cache(maxsize=4096)
def _confirmed(ctx: LanguageGuess, n_ctx: int, n_other: int) -> LanguageGuess:
    """The page's language, confirmed by a function word of the fragment's own (n_ctx of its
    distinctive words, n_other of other languages'; none: a common English word): the two
    pieces of evidence combine (1 - both wrong)."""
    own = _margin_confidence(n_ctx, n_other) if n_ctx else EN_DENSITY_CONFIDENCE / 2
    conf = 1.0 - (1.0 - min(CONTEXT_MAX_CONFIDENCE, ctx.confidence)) * (1.0 - max(0.0, own))
    return LanguageGuess(ctx.lang, round(min(0.99, conf), 4), "function_words")


def document_languages(
    texts: Sequence[str], languages: Sequence[str] | None = None
) -> DocumentLanguages:
    """Languages of one document: first of the whole (per script, from all of its text), then
    of each fragment, which differs from its document's only on evidence of its own: another
    script, distinctive letters, distinctive function words, or enough words for a statistical
    answer to be trusted. A fragment without such evidence (a name, an all-caps headline, a
    byline, a date, a one-word button) takes the document's language, method "context".

    Never raises.
    """
    try:
        return _document_languages(list(texts), languages)
    except Exception:  # noqa: BLE001 - a language guess must never break the pipeline
        n = len(texts) if isinstance(texts, Sequence) else 0
        return DocumentLanguages(UND, 0.0, {}, [LanguageGuess(UND, 0.0, "error")] * n)


class _Line(NamedTuple):
    """What the page-level pass keeps of a line with letters in a script other than Latin."""

    script: str
    n_letters: int
    n_words: int


def _document_languages(texts: list[str], languages: Sequence[str] | None) -> DocumentLanguages:
    allowed = _allowed(languages)
    if allowed is not None and not allowed:
        guesses = [LanguageGuess(UND, 0.0, "restricted")] * len(texts)
        return DocumentLanguages(UND, 0.0, {}, guesses)
    latin_cands = _LATIN_LANGS if allowed is None else _LATIN_LANGS & allowed
    unique, unique_words = _latin_unique(latin_cands)
    # Pass 1: each line read once. Kept per line: a final answer (no letters), a _LatinLine, or
    # a _Line with the line's own answer: Cyrillic and single-language scripts are judged on
    # their own first (cheap: letters, word tables), and the page's Cyrillic language is their
    # vote; Latin lines are not (langdetect on every short line is what this avoids), the page's
    # Latin language comes from its words. Scripts that several languages write (Han, Arabic,
    # Devanagari) are decided once for the page on their joined text.
    infos: list[LanguageGuess | _LatinLine | _Line] = []
    own: list[LanguageGuess | None] = []
    letters: dict[str, int] = {}
    doc_hits: Counter[str] = Counter()
    n_latin_words = 0
    heads: dict[str, list[str]] = {}  # per script, the first DOC_LANGDETECT_CHARS of its lines
    head_chars: dict[str, int] = {}
    cyr_words: list[str] = []
    shared_hits: dict[tuple, _LatinLine] = {}
    for text in texts:
        t = _analyse(text)
        if isinstance(t, LanguageGuess):
            infos.append(t)
            own.append(None)
            continue
        script = t.script
        letters[script] = letters.get(script, 0) + t.n_letters
        if head_chars.get(script, 0) < MAX_SCAN_CHARS:
            heads.setdefault(script, []).append(t.sample)
            head_chars[script] = head_chars.get(script, 0) + len(t.sample) + 1
        if script == "latin":
            if n_latin_words < DOC_SAMPLE_WORDS:
                doc_hits.update(filter(None, map(unique.get, t.words)))
                n_latin_words += len(t.words)
            infos.append(_latin_line(t, unique, unique_words, shared_hits))
            own.append(None)
            continue
        if script == "cyrillic" and len(cyr_words) < DOC_SAMPLE_WORDS:
            cyr_words += t.words
        infos.append(
            _Line(script, t.n_letters if script == "cyrillic" else t.n_script, len(t.words))
        )
        own.append(_decide(t, allowed) if script not in _SCRIPT_LANGS else None)
    by_script: dict[str, LanguageGuess] = {}
    for script in letters:
        head = "\n".join(heads.get(script, ()))
        if script == "latin":
            by_script[script] = _latin_context(
                doc_hits, n_latin_words, head[:DOC_LANGDETECT_CHARS], latin_cands
            )
            continue
        if script == "han" and (allowed is None or {"zh", "ja"} <= allowed):
            # Japanese writes kana around its kanji: Han lines on a page with kana are Japanese,
            # else Chinese (langdetect, restricted to the two, took 0.26 s on one kanji menu)
            ja = "kana" in letters
            by_script[script] = LanguageGuess("ja" if ja else "zh", 0.9 if ja else 0.8, "script")
            continue
        if script in _SCRIPT_LANGS:
            n = sum(x.n_letters for x in infos if isinstance(x, _Line) and x.script == script)
            if n < SHARED_SCRIPT_MIN_LETTERS:
                # a language menu's "हिन्दी" or "العربية": too little to tell hi from mr, ar from fa
                by_script[script] = LanguageGuess(UND, 0.1, "too_short")
                continue
            by_script[script] = _decide(
                _Text(head[:DOC_LANGDETECT_CHARS], [], n, script, None, n), allowed
            )
            continue
        votes = [
            (g, x.n_letters)
            for g, x in zip(own, infos)
            if g is not None and isinstance(x, _Line) and x.script == script
        ]
        ctx = _vote(votes)
        if ctx is None and script == "cyrillic":
            ctx = _cyrillic(
                head[:MAX_SCAN_CHARS], cyr_words[:DOC_SAMPLE_WORDS], letters[script], allowed
            )
        by_script[script] = ctx or LanguageGuess(UND, 0.0, "vote")
    # Pass 2: each line's answer.
    in_context = {script: _in_context(ctx) for script, ctx in by_script.items()}
    trusted = {
        script: ctx.lang != UND and ctx.confidence >= DOC_MIN_CONFIDENCE
        for script, ctx in by_script.items()
    }
    out: list[LanguageGuess] = []
    for text, x, g in zip(texts, infos, own):
        if isinstance(x, LanguageGuess):
            out.append(x)
            continue
        if isinstance(x, _LatinLine):
            ctx = by_script["latin"]
            if trusted["latin"]:
                out.append(_latin_in_context(x, text, ctx, latin_cands, in_context["latin"]))
                continue
            t = _analyse(text)  # a page whose Latin text does not tell: the line alone
            g = _decide(t, allowed) if isinstance(t, _Text) else t
            if g.method == "langdetect" and g.confidence < DOC_MIN_CONFIDENCE:
                # a few words without a function word, on a page that does not tell either
                g = LanguageGuess(UND, g.confidence, "too_short")
            out.append(g)
            continue
        ctx = by_script[x.script]
        if g is None:  # a script several languages write: the page's answer
            out.append(ctx)
        elif not trusted[x.script] or g.lang == ctx.lang and g.confidence >= CONTEXT_MAX_CONFIDENCE:
            out.append(g)
        elif g.lang != UND and g.lang != ctx.lang and _own_evidence(g, x.n_words):
            out.append(g)
        else:
            out.append(in_context[x.script])
    # The document's language: the script with most letters, and that script's language.
    doc = LanguageGuess(UND, 0.0, "vote")
    if letters:
        main = max(sorted(letters), key=lambda k: letters[k])
        doc = by_script[main]
    if doc.confidence < DOC_MIN_CONFIDENCE:
        doc = LanguageGuess(UND, doc.confidence, doc.method)
    return DocumentLanguages(doc.lang, doc.confidence, by_script, out)


def assign_languages(
    texts: Sequence[str], languages: Sequence[str] | None = None
) -> list[LanguageGuess]:
    """Languages of one document's fragments, in order (``document_languages(...).fragments``)."""
    return document_languages(texts, languages).fragments
