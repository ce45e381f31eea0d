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
"""

from __future__ import annotations

import functools
import gzip
import math
import re
import threading
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple, Sequence

from .segment import INVISIBLE_CHARS

__all__ = [
    "LanguageGuess",
    "DocumentLanguages",
    "detect_language",
    "document_languages",
    "assign_languages",
    "KNOWN_LANGUAGES",
]


@dataclass(frozen=True)
class LanguageGuess:
    lang: str  # ISO 639-1 code or "und"
    confidence: float  # 0..1
    method: str  # how it was decided: "empty", "no_letters", "script", "letters",
    # "function_words", "ngram", "langdetect", "too_short", "context", ...


UND = "und"

# ----------------------------------------------------------------------------- thresholds

# Only the head of a huge string is analysed: a page's language shows in its first 10k chars,
# and it keeps a 1 MB string as cheap as a paragraph.
MAX_SCAN_CHARS = 10_000
# langdetect costs ~linear time in its input; 2k chars are far more than it needs to converge.
LANGDETECT_MAX_CHARS = 2_000
# langdetect averages 7 random trials by default; short headings ("Read more") rarely converge,
# so each trial runs to its iteration limit. 4 trials cut its time on the sample pages by ~40%
# with the same en/de/pl accuracy on the dev split (pairs and single words, within +-0.3 points).
LANGDETECT_TRIALS = 4
# Fewer letters than this in a single word (e.g. "Том", "ok") is too little to guess from
# without decisive letters: abstain rather than guess.
MIN_LETTERS = 4
# Two or more words carry a little more evidence (word order, two spellings): "Я не" is
# still worth a guess, "a b" is not.
MIN_LETTERS_SEVERAL_WORDS = 3
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
# A lone hit counts only for a real function word: among its list's first 30 entries and at
# least 3 characters long (the lists' tails hold content words such as "telefon").
SINGLE_HIT_MAX_RANK = 30
SINGLE_HIT_MIN_CHARS = 3
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
# Word frequency table of the close Cyrillic languages (uk ru bg mk; wordfreq, see
# data/langid/README.md): a listed word adds WORD_FREQ_WEIGHT x log P(word | language); a word
# missing from one language's list counts there as that list's rarest word less
# WORD_FREQ_OOV_NATS. Weights chosen on the dev split (cross-validated, never the held-out one).
WORD_FREQ_FILE = "cyrillic_words.tsv.gz"
WORD_FREQ_WEIGHT = 1.5
WORD_FREQ_OOV_NATS = 2.0
# In-domain word counts (data/langid/cyrillic_tatoeba_words.tsv.gz: every word of the DEV split of
# the Tatoeba uk ru be bg sentences; bench_langid.py --build-data). wordfreq's web-scale lists are
# thin on short conversational sentences, their Ukrainian list holds Russian words (web text
# quotes Russian), and they have no Belarusian. For a language with counts, a word's probability
# is the mixture
#     (1 - TATOEBA_WORD_WEIGHT) x P_wordfreq(word) + TATOEBA_WORD_WEIGHT x P_counts(word),
# P_counts = (count + TATOEBA_WORD_MU x pooled share) / (tokens + TATOEBA_WORD_MU): Dirichlet
# smoothing towards the four languages' pooled counts, so a word seen once or twice in one
# language's small sample (a topic word, a name) is not taken as proof against the others.
# Words seen fewer than TATOEBA_WORD_MIN_COUNT times in all are left out. Chosen by 4-fold
# cross-validation inside the dev split (bench_langid.py --dev-cv; never the held-out split):
# weight 0.05-0.2 and mu 3000-10000 score within 0.05 points of each other on uk sentences.
TATOEBA_WORDS_FILE = "cyrillic_tatoeba_words.tsv.gz"
TATOEBA_WORD_WEIGHT = 0.1
TATOEBA_WORD_MIN_COUNT = 1
TATOEBA_WORD_MU = 3000.0
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
SHORT_MARKER_CONFIDENCE = 0.5
# Strength of the pooled-distribution prior in the n-gram model (in pseudo-counts); chosen on
# the dev split.
NGRAM_DIRICHLET_MU = 2000.0
# Naive Bayes log-likelihoods are over-confident; scaling them before the softmax gives
# confidences that track accuracy better on single words.
NGRAM_SOFTMAX_SCALE = 0.5
# The n-gram model looks at no more than this many words (plenty for a confident answer).
NGRAM_MAX_WORDS = 150
# ... and at no more than this many letters of a word (real words are shorter; junk is cut).
NGRAM_MAX_WORD_CHARS = 40
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
_SENTENCE_END = tuple('.!?…"”»')
# In a Latin-script fragment, the page's language counts as this many distinctive words
# already found: another language needs FUNCTION_WORD_DOMINANCE times as many, so at least 3.
CONTEXT_PRIOR_HITS = 1
# On pages, one-letter words are not evidence of a language: they are units, initials and
# list markers ("m" in a results table of metres made a German page Lithuanian).
DISTINCTIVE_MIN_CHARS = 2
# In the vote for a page's Cyrillic language, a fragment counts when its own guess has at least
# this confidence.
CONTEXT_MIN_CONFIDENCE = 0.6
# Languages taken from the document are reported with at most this confidence: likely (the page
# is in that language), but not seen in the fragment itself. Above the default translation
# threshold (config.TRANSLATE_MIN_CONFIDENCE), so a short Ukrainian line on a Ukrainian page is
# still translated.
CONTEXT_MAX_CONFIDENCE = 0.8

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
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_LETTER = re.compile(r"[^\W\d_]")
_CYR_LETTER = re.compile(r"[\u0400-\u052f]")
_LAT_LETTER = re.compile(r"[a-zA-Z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
_INNER_APOSTROPHE = re.compile(r"(?<=[\u0400-\u04ff])'(?=[\u0400-\u04ff])")
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))
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
    words = _WORD.findall(text)
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

    return _WORD.sub(fix, text)  # word by word: linear in the text, whatever its shape


def _norm_word(word: str) -> str:
    return word.lower().translate(_APOSTROPHES)


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


def _too_short(words: list[str], n_letters: int) -> bool:
    if len(words) <= 1:
        return n_letters < MIN_LETTERS
    return n_letters < MIN_LETTERS_SEVERAL_WORDS


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


def _cyrillic(
    sample: str, words: list[str], n_letters: int, allowed: frozenset[str] | None
) -> LanguageGuess:
    st = _load()
    pool = _CYRILLIC_LANGS if allowed is None else _CYRILLIC_LANGS & allowed
    if not pool:
        return LanguageGuess(UND, 0.0, "restricted")
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
        scores = _word_scores(words, ngram_langs)
        by_lang = {lang: scores[lang] + WORD_HIT_NATS * hits.get(lang, 0) for lang in ngram_langs}
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
            words = _latin_words(_WORD.findall(sample), sample)
        else:
            words = _WORD.findall(sample.lower())
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
        all_words = _WORD.findall(sample)
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
        found = all_words if all_words is not None else _WORD.findall(sample)
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
        if isinstance(t, _Text) and t.sample.rstrip().endswith(_SENTENCE_END):
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
