"""Language-identification benchmark (a script, not a test).

    .venv/bin/python benchmarks/bench_langid.py            # accuracy + speed, ours vs plain langdetect
    .venv/bin/python benchmarks/bench_langid.py --quick    # fewer items per set (faster)
    .venv/bin/python benchmarks/bench_langid.py --build-data   # regenerate normalizer/data/langid/*.txt
    .venv/bin/python benchmarks/bench_langid.py --export-tests # regenerate tests/data/langid/*.txt

Data: /work/shared/data (override with $NORMALIZER_SHARED_DATA).
  * tatoeba/{eng,rus,bel,bul}-ukr: uk, ru, be (Cyrillic lines only, per .bel.labels), bg, en
    sentences ("Tatoeba, tatoeba.org", CC BY 2.0 FR). Each language's distinct sentences are
    split deterministically: held-out iff crc32(utf-8 sentence) % 5 == 0, dev otherwise.
    The packaged n-gram profile is built from dev only; all figures below are held-out only.
  * html-dev pages (listed in evaldata.json) whose <html lang=".."> is de or pl: the text of
    their first 20 <p> elements (>= 40 chars), labelled by that attribute (noisy labels: a
    German page may quote English; both detectors see the same ones); held-out by the same
    crc32 rule. Only used for evaluation.
  * mk: no sentence data is available; the Macedonian single-word set is the odd-ranked words
    of jusText's Macedonian stoplist not present in any other Cyrillic stoplist (the
    even-ranked half trains the n-gram profile; the odd half is never used to build data).
Also printed: how many uk/ru held-out sentences are, letter for letter, also a sentence of the
other language (e.g. "Не знаю.") - a floor for the uk<->ru confusion of any detector.
Word pairs = every pair of consecutive words of a held-out sentence; single words = every
word of >= 4 letters of a held-out sentence, where a "word" is a maximal run of letters with
inner apostrophes kept (regex WORD below); punctuation, digits and spaces are dropped.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import zlib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARED = Path(os.environ.get("NORMALIZER_SHARED_DATA", "/work/shared/data"))
TATOEBA = SHARED / "tatoeba"
PREFIX = "tatoeba-test-v2021-08-07"
WORD = re.compile(r"[^\W\d_]+(?:['\u2019\u02bc][^\W\d_]+)*")
MIN_WORD_LETTERS = 4
LANG_ORDER = ["uk", "ru", "be", "bg", "mk", "en", "de", "pl"]


def is_heldout(sentence: str) -> bool:
    return zlib.crc32(sentence.encode("utf-8")) % 5 == 0


def load_tatoeba() -> dict[str, list[str]]:
    """Distinct sentences per language, in file order."""
    out: dict[str, dict[str, None]] = {}

    def add(lang: str, path: Path, labels: Path | None = None) -> None:
        lines = path.read_text(encoding="utf-8").splitlines()
        labs = labels.read_text(encoding="utf-8").splitlines() if labels else None
        for i, line in enumerate(lines):
            line = line.strip()
            if line and (labs is None or labs[i] == "bel"):
                out.setdefault(lang, {})[line] = None

    for pair, other, code in [("eng-ukr", "eng", "en"), ("rus-ukr", "rus", "ru"),
                              ("bel-ukr", "bel", "be"), ("bul-ukr", "bul", "bg")]:
        d = TATOEBA / pair
        add(code, d / f"{PREFIX}.{other}", d / f"{PREFIX}.bel.labels" if other == "bel" else None)
        add("uk", d / f"{PREFIX}.ukr")
    return {k: list(v) for k, v in out.items()}


HTML_PARAGRAPHS_PER_PAGE = 20


def load_html_snippets() -> dict[str, list[str]]:
    path = SHARED / "html-dev" / "evaldata.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, dict[str, None]] = {"de": {}, "pl": {}}
    html_lang = re.compile(r"<html[^>]*?\blang\s*=\s*[\"']?([a-zA-Z]{2})\b", re.IGNORECASE)
    for url, rec in data.items():
        page = None
        for sub in ("eval", "cache"):
            cand = SHARED / "html-dev" / sub / rec.get("file", "")
            if rec.get("file") and cand.is_file():
                page = cand
                break
        if page is None:
            continue
        raw = page.read_bytes()
        m = html_lang.search(raw[:20000].decode("utf-8", "replace"))
        lang = m.group(1).lower() if m else None
        if lang in out:
            import lxml.html
            try:
                tree = lxml.html.fromstring(raw)
            except Exception:  # noqa: BLE001 - unparsable page: skip it
                continue
            for el in list(tree.iter("p"))[:HTML_PARAGRAPHS_PER_PAGE]:
                s = " ".join(el.text_content().split())
                if len(s) >= 40:
                    out[lang][s] = None
    return {k: list(v) for k, v in out.items()}


def justext_words(name: str) -> list[str]:
    """jusText stoplist words (frequency order), lowercased letter-words, deduplicated."""
    import justext
    path = Path(justext.__file__).parent / "stoplists" / f"{name}.txt"
    seen: dict[str, None] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        for w in WORD.findall(line.lower()):
            seen[w.replace("\u2019", "'").replace("\u02bc", "'")] = None
    return list(seen)


def split(sentences: list[str]) -> tuple[list[str], list[str]]:
    dev = [s for s in sentences if not is_heldout(s)]
    held = [s for s in sentences if is_heldout(s)]
    return dev, held


def pairs_and_words(sentences: list[str]) -> tuple[list[str], list[str]]:
    pairs: list[str] = []
    words: list[str] = []
    for s in sentences:
        ws = WORD.findall(s)
        pairs += [f"{a} {b}" for a, b in zip(ws, ws[1:])]
        words += [w for w in ws if sum(c.isalpha() for c in w) >= MIN_WORD_LETTERS]
    return pairs, words


# ----------------------------------------------------------------------------- data building

JUSTEXT_NAMES = {
    "uk": "Ukrainian", "ru": "Russian", "be": "Belarusian", "bg": "Bulgarian", "mk": "Macedonian",
    "sr": "Serbian", "kk": "Kazakh",
    "en": "English", "de": "German", "pl": "Polish", "fr": "French", "es": "Spanish",
    "it": "Italian", "pt": "Portuguese", "nl": "Dutch", "cs": "Czech", "sk": "Slovak",
    "sl": "Slovenian", "hr": "Croatian", "sv": "Swedish", "da": "Danish", "no": "Norwegian_Bokmal",
    "fi": "Finnish", "et": "Estonian", "lv": "Latvian", "lt": "Lithuanian", "hu": "Hungarian",
    "ro": "Romanian", "tr": "Turkish", "sq": "Albanian", "ca": "Catalan", "cy": "Welsh",
    "af": "Afrikaans", "id": "Indonesian", "tl": "Tagalog", "sw": "Swahili", "vi": "Vietnamese",
}
CYRILLIC_WORDLIST_SIZE = 1500   # frequent words kept per Cyrillic language
LATIN_WORDLIST_SIZE = 300       # the top of a Wikipedia frequency list is mostly function words
DISTINCT_RANK_FACTOR = 20     # a word ranked 20x lower elsewhere still tells the language apart
NGRAM_LANGS = ["uk", "ru", "be", "bg", "mk"]
NGRAM_MAX_N = 4
NGRAM_MIN_COUNT = 3


def build_data() -> None:
    from normalizer import langid

    out_dir = ROOT / "normalizer" / "data" / "langid"
    out_dir.mkdir(parents=True, exist_ok=True)
    cyr = {"uk", "ru", "be", "bg", "mk", "sr", "kk"}
    rank = {lang: {w: i for i, w in enumerate(justext_words(name))} for lang, name in JUSTEXT_NAMES.items()}
    for lang, name in JUSTEXT_NAMES.items():
        # keep only distinctive words: a word of rank r stays if every other language of the
        # same script lacks it or ranks it below DISTINCT_RANK_FACTOR * (r + 1)
        same_script = [o for o in JUSTEXT_NAMES if o != lang and ((o in cyr) == (lang in cyr))]
        words = [w for r, w in enumerate(justext_words(name))
                 if all(rank[o].get(w, 10**9) > DISTINCT_RANK_FACTOR * (r + 1) for o in same_script)]
        size = CYRILLIC_WORDLIST_SIZE if lang in cyr else LATIN_WORDLIST_SIZE
        if lang == "mk":
            size = 0  # half of the mk list is our only Macedonian evaluation data: no mk word list
        if lang in cyr:
            words = [w for w in words if re.fullmatch(r"[\u0400-\u04ff']+", w)]
        else:
            words = [w for w in words if not re.search(r"[\u0400-\u04ff]", w)]
        words = words[:size]
        if not words:
            continue
        header = (f"# {lang}: the {len(words)} most frequent distinctive words of the jusText stoplist "
                  f"'{name}' (jusText 3.0.2, BSD-2-Clause, (c) Jan Pomikalek, Michal Belica;\n"
                  f"# lists derived from Wikipedia), lowercased, letters and inner apostrophes only, keeping only\n"
                  f"# words of rank r that every other list of the same script lacks or ranks below\n"
                  f"# {DISTINCT_RANK_FACTOR}*(r+1), r counted from 0 (distinctive words; mostly function words).\n"
                  f"# Generated by benchmarks/bench_langid.py --build-data. One word a line.\n")
        (out_dir / f"words_{lang}.txt").write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    # character n-gram counts for the close Cyrillic languages, from the dev split only
    sents = load_tatoeba()
    counts = {lang: Counter() for lang in NGRAM_LANGS}
    # no Macedonian sentences: its dev text is the even-ranked half of jusText's Macedonian
    # list (the odd-ranked half is the Macedonian evaluation set)
    sents["mk"] = [w for i, w in enumerate(justext_words("Macedonian")) if i % 2 == 0]
    for lang in NGRAM_LANGS:
        dev, _ = split(sents[lang]) if lang != "mk" else (sents[lang], [])
        for s in dev:
            for w in WORD.findall(s):
                counts[lang].update(langid._ngrams(langid._norm_word(w), NGRAM_MAX_N))
    grams = sorted(g for g in set().union(*counts.values())
                   if sum(counts[lang][g] for lang in NGRAM_LANGS) >= NGRAM_MIN_COUNT)
    lines = [
        "# Character 1-4-gram counts of words (with '_' marking word start/end), lowercased, for",
        "# telling the close Cyrillic languages apart. Counted on the DEV split (crc32(sentence)%5 != 0)",
        "# of the Tatoeba test sets v2021-08-07 (Helsinki-NLP/OPUS-MT-testsets):",
        "# \"Tatoeba, tatoeba.org\", licence CC BY 2.0 FR; mk: the even-ranked words of the jusText 3.0.2",
        "# Macedonian stoplist (BSD-2-Clause, (c) Jan Pomikalek, Michal Belica), once each.",
        "# Generated by benchmarks/bench_langid.py --build-data.",
        "# Grams seen fewer than %d times in total are dropped." % NGRAM_MIN_COUNT,
        "langs\t" + "\t".join(NGRAM_LANGS),
    ]
    lines += [g + "\t" + "\t".join(str(counts[lang][g]) for lang in NGRAM_LANGS) for g in grams]
    (out_dir / "cyrillic_ngrams.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out_dir} ({len(grams)} n-grams)")


TEST_SENTENCES_PER_LANG = 300


def export_tests() -> None:
    """Copy a small held-out subset into tests/data/langid/ (sentences only)."""
    out = ROOT / "tests" / "data" / "langid"
    out.mkdir(parents=True, exist_ok=True)
    sents = load_tatoeba()
    for lang in ["uk", "ru", "be", "bg", "en"]:
        _, held = split(sents[lang])
        # every k-th held-out sentence: spread over the file, deterministic
        k = max(1, len(held) // TEST_SENTENCES_PER_LANG)
        sub = held[::k][:TEST_SENTENCES_PER_LANG]
        (out / f"tatoeba_{lang}.txt").write_text("\n".join(sub) + "\n", encoding="utf-8")
    print(f"wrote {out}")


# ----------------------------------------------------------------------------- evaluation

def plain_langdetect():
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException
    DetectorFactory.seed = 0

    def run(text: str) -> str:
        try:
            return detect(text)
        except LangDetectException:
            return "und"
    return run


def ours():
    from normalizer.langid import detect_language
    return lambda text: detect_language(text).lang


def eval_sets(quick: bool) -> dict[str, dict[str, list[str]]]:
    sets: dict[str, dict[str, list[str]]] = {}
    cap = 300 if quick else 1000
    tat = load_tatoeba()
    html = load_html_snippets()
    for lang in LANG_ORDER:
        if lang in tat:
            _, held = split(tat[lang])
        elif lang in html:
            _, held = split(html[lang])
        else:
            held = []
        if held:
            pairs, words = pairs_and_words(held)
            # deterministic thinning so every set spans the whole held-out split
            thin = lambda xs: xs[:: max(1, len(xs) // cap)][:cap]
            sets[lang] = {"sentences": thin(held), "pairs": thin(pairs), "words": thin(words)}
    try:
        others = set()
        for lang in ["uk", "ru", "be", "bg", "sr"]:
            others |= set(justext_words(JUSTEXT_NAMES[lang]))
        mk = [w for i, w in enumerate(justext_words("Macedonian")) if i % 2 == 1
              and len(w) >= MIN_WORD_LETTERS and w not in others and re.fullmatch(r"[\u0400-\u04ff]+", w)]
        sets.setdefault("mk", {})["words"] = mk[: cap]
    except ImportError:
        pass
    return sets


def accuracy_report(quick: bool) -> None:
    detectors = {"ours": ours(), "langdetect": plain_langdetect()}
    sets = eval_sets(quick)
    print("Held-out accuracy (%), ours vs plain seeded langdetect; n = items")
    print(f"{'lang':4} {'set':10} {'n':>5} {'ours':>7} {'ld':>7}   ours->ru/uk  ld->ru/uk  ours und")
    confusion: dict[str, dict[str, Counter]] = {name: {} for name in detectors}
    for lang, by_kind in sets.items():
        for kind, items in by_kind.items():
            row = {}
            for name, det in detectors.items():
                c = Counter(det(x) for x in items)
                row[name] = c
                if kind == "sentences":
                    confusion[name][lang] = c
            n = len(items)
            cross = "ru" if lang == "uk" else "uk"
            pct = lambda c, l: 100.0 * c[l] / n
            print(f"{lang:4} {kind:10} {n:5d} {pct(row['ours'], lang):7.1f} {pct(row['langdetect'], lang):7.1f}"
                  f"   {cross}:{pct(row['ours'], cross):5.1f}     {cross}:{pct(row['langdetect'], cross):5.1f}"
                  f"    {pct(row['ours'], 'und'):5.1f}", flush=True)
    # Floor for uk<->ru confusion: held-out sentences whose text (lowercased, end punctuation
    # stripped) also occurs as a sentence of the other language. Any deterministic detector gets
    # each such string wrong in one of the two languages.
    tat = load_tatoeba()
    key = lambda t: t.lower().strip(" .!?…")
    for lang, other in [("ru", "uk"), ("uk", "ru")]:
        held = sets.get(lang, {}).get("sentences", [])
        also = {key(t) for t in tat[other]}
        if held:
            n_same = sum(key(t) in also for t in held)
            print(f"{lang} sentences identical to a {other} sentence: {n_same} of {len(held)} "
                  f"({100.0 * n_same / len(held):.1f}%)")
    for name, conf in confusion.items():
        print(f"\nConfusion matrix on held-out sentences, {name} (rows: truth, columns: answer, %)")
        cols = LANG_ORDER + ["und", "other"]
        print("      " + "".join(f"{c:>7}" for c in cols))
        for lang, c in conf.items():
            n = sum(c.values())
            other = sum(v for k, v in c.items() if k not in cols)
            vals = [100.0 * c[k] / n for k in cols[:-1]] + [100.0 * other / n]
            print(f"{lang:5} " + "".join(f"{v:7.1f}" for v in vals))


def speed_report(quick: bool) -> None:
    samples = []
    for p in sorted((ROOT / "samples").glob("*.txt")):
        samples += [line.strip() for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    tat = load_tatoeba()
    sentences = []
    for lang in ["uk", "ru", "en", "be", "bg"]:
        _, held = split(tat[lang])
        sentences += held[:: max(1, len(held) // (100 if quick else 300))]
    detectors = {"ours": ours(), "langdetect": plain_langdetect()}
    print("\nThroughput (fragments/s, single process, same run)")
    for label, items in [("samples/*.txt paragraphs", samples), ("tatoeba sentences", sentences)]:
        rates = {}
        for name, det in detectors.items():
            det(items[0])  # warm up: profile loading
            t0 = time.perf_counter()
            reps = 0
            while True:
                for x in items:
                    det(x)
                reps += 1
                if time.perf_counter() - t0 > (1.0 if quick else 3.0):
                    break
            rates[name] = reps * len(items) / (time.perf_counter() - t0)
        print(f"  {label:26} n={len(items):5d}  ours {rates['ours']:9.0f}/s   langdetect {rates['langdetect']:7.0f}/s"
              f"   x{rates['ours'] / rates['langdetect']:.1f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-data", action="store_true")
    ap.add_argument("--export-tests", action="store_true")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--no-accuracy", action="store_true")
    args = ap.parse_args()
    if not TATOEBA.exists():
        print(f"benchmark data not found at {TATOEBA} (set NORMALIZER_SHARED_DATA)", file=sys.stderr)
        return 2
    if args.build_data:
        build_data()
        return 0
    if args.export_tests:
        export_tests()
        return 0
    if not args.no_accuracy:
        accuracy_report(args.quick)
    if not args.no_speed:
        speed_report(args.quick)
    return 0


if __name__ == "__main__":
    sys.exit(main())
