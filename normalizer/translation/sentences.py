"""Rule-based sentence splitting for Ukrainian, Russian and English text.

Translation models are trained on single sentences, so fragments are split
before they go through the model and the translations are joined back.
Argos Translate's own splitter (MiniSBD) downloads an ONNX model on first use;
this module needs nothing but the standard library.

A boundary is a run of ``.``, ``!``, ``?`` or ``…`` (optionally followed by
closing quotes or brackets) followed by whitespace and the start of a new
sentence: an upper-case letter, a digit, an opening quote or bracket, or a dash
that introduces an upper-case letter (dialogue).  A full stop is not a boundary
after a known abbreviation that is normally followed by a name or number
(``Mr.``, ``Dr.``, ``вул.``, ``м.``, ``ім.``, ``р.``…), after an initial
(``Т. Шевченко``, ``J. R. R. Tolkien``) or after a list number at the start of a
line (``1. Вступ``).  Decimal numbers, dates and URLs contain no whitespace
after the dot and are never split.
"""

from __future__ import annotations

import re

__all__ = ["split_sentences", "split_lines", "MAX_SENTENCE_CHARS"]

# Sentences longer than this are cut further (at ``;``, ``,``, or whitespace) so
# a run-on paragraph without punctuation cannot exceed the model's input length.
MAX_SENTENCE_CHARS = 400

# Abbreviations (lower case, without the final dot) that are normally followed by
# a name, a number or a noun that may be capitalised: a dot after them is never a
# sentence boundary.  Abbreviations that usually end a sentence ("etc.", "т.д.",
# "тощо") are deliberately absent: they split when an upper-case word follows.
_NON_FINAL_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof st jr sr mt ft rev hon gen col lt sgt capt cmdr adm maj gov
    sen rep pres supt det insp messrs mme mlle
    no nos vol vols fig figs art sec ch pp p op ed eds approx ca c vs v cf e.g i.e
    jan feb mar apr jun jul aug sep sept oct nov dec
    inc ltd corp co bros dept univ assn
    u.s u.k u.n e.u u.s.a
    вул просп пр пл бульв б-р пров наб ш обл р-н м с смт сел див напр
    р рр ст стор ч чч п пп ім акад проф доц канд д-р ген полк лейт
    тов гр гр-н пан пані о св т зв т.зв тис млн млрд грн дол коп євро
    бл близ прибл арк абз гл вип кн зб
    ул пер г гг им акад тыс руб
    """.split()
)

_TERMINATORS = ".!?…"
_OPENERS = "\"'«“„‘([{‹"
_DASHES = "-–—"

# Terminator run, optional closers, then whitespace.
_CANDIDATE = re.compile(r"([.!?…]+)([\"'»”’)\]}›]*)(\s+)")
_WORD_BEFORE = re.compile(r"(\S+)$")
# Characters around a candidate boundary that the rules look at (openers, the word before).
_CONTEXT_CHARS = 64


def _starts_sentence(rest: str) -> bool:
    """Does the text after a candidate boundary look like a new sentence?"""
    if not rest:
        return False
    ch = rest[0]
    if ch.isupper() or ch.isdigit():
        return True
    if ch in _OPENERS:
        inner = rest[1:].lstrip(_OPENERS)
        return bool(inner) and (inner[0].isupper() or inner[0].isdigit())
    if ch in _DASHES:
        inner = rest[1:].lstrip()
        return bool(inner) and inner[0].isupper()
    return False


def _is_abbreviation(before: str, terminator: str) -> bool:
    """Is the single full stop ending ``before`` part of an abbreviation?"""
    if terminator != ".":
        return False
    m = _WORD_BEFORE.search(before)
    if not m:
        return False
    word = m.group(1).lstrip(_OPENERS)
    if not word:
        return False
    low = word.lower()
    if low in _NON_FINAL_ABBREVIATIONS:
        return True
    # Initials: a single upper-case letter ("Т.", "J.") or dotted ones ("J.R.R.").
    letters = low.replace(".", "")
    if (
        word[0].isupper()
        and len(letters) <= 3
        and all(part and len(part) == 1 and part.isalpha() for part in word.split("."))
    ):
        return True
    # A list number at the start of the text: "1. Вступ", "2.1. Умови".
    if before.strip() == word and re.fullmatch(r"\d+(\.\d+)*", word):
        return True
    return False


def _cut_long(sentence: str, limit: int) -> list[str]:
    """Cut an over-long sentence at ``;``/``,``/whitespace near ``limit`` chars."""
    pieces: list[str] = []
    rest = sentence
    while len(rest) > limit:
        window = rest[:limit]
        cut = -1
        for sep in ("; ", ", ", " "):
            pos = window.rfind(sep)
            if pos > limit // 3:
                cut = pos + len(sep)
                break
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].strip())
        rest = rest[cut:].lstrip()
    if rest.strip():
        pieces.append(rest.strip())
    return [p for p in pieces if p]


def split_sentences(
    text: str, lang: str | None = None, max_chars: int = MAX_SENTENCE_CHARS
) -> list[str]:
    """Split one line (or a paragraph) of text into sentences.

    Newlines are treated as ordinary whitespace here; use :func:`split_lines` to
    keep the line structure.  ``lang`` is accepted for future language-specific
    rules; the current rules serve uk, ru and en alike.  Returns stripped,
    non-empty sentences whose concatenation with single spaces reproduces the
    text up to whitespace.
    """
    del lang  # the same rules serve all supported languages
    text = text.strip()
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    for m in _CANDIDATE.finditer(text):
        end_of_sentence = m.end(2)
        # Only the next few / previous few characters decide (a copy of the whole rest or
        # sentence per candidate made long fragments quadratic).
        rest = text[m.end() : m.end() + _CONTEXT_CHARS]
        if not _starts_sentence(rest):
            continue
        if _is_abbreviation(text[max(start, m.start(1) - _CONTEXT_CHARS) : m.start(1)], m.group(1)):
            continue
        sentence = text[start:end_of_sentence].strip()
        if sentence:
            sentences.append(sentence)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    if max_chars and any(len(s) > max_chars for s in sentences):
        sentences = [
            piece
            for s in sentences
            for piece in (_cut_long(s, max_chars) if len(s) > max_chars else [s])
        ]
    return sentences


def split_lines(text: str, lang: str | None = None) -> list[list[str]]:
    """Split text into lines, and each line into sentences.

    Empty lines give empty lists, so ``"\\n".join(" ".join(line) for line in
    result)`` rebuilds the text with its line structure.
    """
    return [split_sentences(line, lang) for line in text.split("\n")]
