"""Language identification on whole pages (a script, not a test): the figures of README's
"Language identification on pages" table.

    .venv/bin/python benchmarks/bench_pages_langid.py                  # all sets, both forms
    .venv/bin/python benchmarks/bench_pages_langid.py --limit 100      # fewer pages per set
    .venv/bin/python benchmarks/bench_pages_langid.py --only speed     # one part: foreign, mixed, speed

Three measurements, each on HTML pages and on their plain-text dumps (``html_to_page(html).text``,
what a naive scraper saves), through the whole pipeline (``Normalizer.normalize``, no
translation):

1. foreign: English and German pages. Share of kept fragments (body and related) labelled
   neither the page's language nor "und". Pages: html-dev pages whose ``<html lang>`` is en or
   de, and Dragnet's English news pages (extract-more; ``dragnet/176`` is Portuguese and left
   out). The label is the page's declared language, so a real English quote on a German page
   counts as an error here: the figure is an upper bound.
2. mixed: Ukrainian (then Russian) paragraphs of 2-3 held-out Tatoeba sentences inserted after
   random gold article paragraphs of Dragnet pages (1 to 3 per page, seeded; a paragraph the
   page holds twice is not a spot). Reported: inserted
   paragraphs kept and tagged with their language (recall), inserted paragraphs removed, and
   precision (fragments tagged uk/ru that are not inserted ones). Held-out sentences are those
   of bench_langid's split (crc32 % 5 == 0), never used to build the packaged tables; a Russian
   sentence that occurs letter for letter in the Ukrainian data is ambiguous and not used.
3. speed: the pipeline and ``trafilatura.extract`` take turns page by page on the same HTML
   pages; CPU seconds (time.process_time) per system, the pipeline's stages (segment,
   language, classify, assemble), and how each line's language was decided (method counts,
   langdetect calls per line).

Data: /work/shared/data (override with $NORMALIZER_SHARED_DATA). Deterministic: pages are
taken in sorted order, insertions from random.Random(seed).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_langid import SHARED, is_heldout, load_tatoeba, plain_langdetect  # noqa: E402 (benchmarks/)

TATOEBA_PREFIX = "tatoeba-test-v2021-08-07"
# The annotated snippets of a page must make at least this many characters for langdetect to
# confirm the page's declared language.
SNIPPET_MIN_CHARS = 30
LANG_ATTR = re.compile(rb"<html[^>]*\blang\s*=\s*[\"']?([a-zA-Z]{2})", re.IGNORECASE)


def html_dev_pages(langs: set[str]) -> list[dict]:
    from normalizer.io.read import InputError, decode

    detect_plain = plain_langdetect()
    root = SHARED / "html-dev"
    evaldata = json.loads((root / "evaldata.json").read_text("utf-8"))
    pages = []
    for url in sorted(evaldata):
        for sub in ("eval", "cache"):
            path = root / sub / evaldata[url]["file"]
            if path.exists():
                break
        else:
            continue
        raw = path.read_bytes()
        m = LANG_ATTR.search(raw[:5000])
        if not m or m.group(1).decode().lower() not in langs:
            continue
        try:
            html = decode(raw, content_type="html")
        except InputError:
            continue
        lang = m.group(1).decode().lower()
        # The declared language is the label only where the annotated main-text snippets agree
        # (langdetect on all of them): many pages declare "en" whatever they are written in.
        snippets = " ".join(s for s in evaldata[url].get("with", []) if s)
        if len(snippets) < SNIPPET_MIN_CHARS or detect_plain(snippets) != lang:
            continue
        pages.append(
            {"id": "html-dev/" + evaldata[url]["file"], "lang": lang, "html": html, "gold": None}
        )
    return pages


def dragnet_pages() -> list[dict]:
    pages = []
    with gzip.open(SHARED / "extract-more" / "dragnet.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["id"] == "dragnet/176":  # the one Portuguese page
                continue
            pages.append({"id": r["id"], "lang": "en", "html": r["html"], "gold": r["gold"]})
    pages.sort(key=lambda p: p["id"])
    return pages


def tatoeba(lang: str) -> list[str]:
    """Held-out sentences of one language, in file order, distinct."""
    if lang == "uk":
        files = [
            SHARED / "tatoeba" / "eng-ukr" / f"{TATOEBA_PREFIX}.eng-ukr.ukr",
            SHARED / "tatoeba" / "rus-ukr" / f"{TATOEBA_PREFIX}.rus-ukr.ukr",
        ]
    else:
        files = [SHARED / "tatoeba" / "rus-ukr" / f"{TATOEBA_PREFIX}.rus-ukr.rus"]
    out: dict[str, None] = {}
    for p in files:
        if not p.exists():
            p = next(p.parent.glob("*." + p.name.rsplit(".", 1)[1]))
        for s in p.read_text("utf-8").splitlines():
            s = s.strip()
            if s and is_heldout(s):
                out[s] = None
    sents = list(out)
    if lang == "ru":
        uk_all = set(load_tatoeba()["uk"])
        sents = [s for s in sents if s not in uk_all]  # ambiguous: also a Ukrainian sentence
    return sents


def dump_of(html: str) -> str:
    from normalizer.stages.html import html_to_page

    return html_to_page(html).text


# ----------------------------------------------------------------------------- 1. foreign labels


def bench_foreign(pages: list[dict], forms: list[str]) -> None:
    from normalizer import Config, Normalizer
    from normalizer.stages.langid import _analyse

    norm = Normalizer(Config(translate=False))
    print("\n## Kept fragments labelled neither the page's language nor und")
    print(
        "| pages | form | pages | kept fragments | foreign | share | of which in another script | examples |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for name, sel in (
        ("English (html-dev)", lambda p: p["lang"] == "en" and p["gold"] is None),
        ("German (html-dev)", lambda p: p["lang"] == "de"),
        ("English (Dragnet)", lambda p: p["gold"] is not None),
    ):
        subset = [p for p in pages if sel(p)]
        for form in forms:
            n_frag = n_bad = n_script = 0
            examples: Counter[str] = Counter()
            for p in subset:
                src = p["html"] if form == "html" else dump_of(p["html"])
                rec = norm.normalize(
                    src, content_type=form if form == "html" else "text", translate=False
                )
                for f in rec.fragments + rec.related:
                    n_frag += 1
                    if f.lang not in (p["lang"], "und"):
                        n_bad += 1
                        t = _analyse(f.text)
                        n_script += getattr(t, "script", "latin") != "latin"
                        examples[f"{f.text[:40]!r} {f.lang} {f.lang_confidence}"] += 1
            ex = "; ".join(e for e, _ in examples.most_common(3)).replace("|", "/")
            print(
                f"| {name} | {form} | {len(subset)} | {n_frag} | {n_bad} | "
                f"{100 * n_bad / max(1, n_frag):.2f}% | {n_script} | {ex} |"
            )


# ----------------------------------------------------------------------------- 2. mixed pages


def _norm_text(s: str) -> str:
    return " ".join(s.split()).lower()


def _insert_dump(
    text: str, gold: set[str], paras: list[str], rng: random.Random, before: dict[str, str]
) -> str | None:
    lines = text.split("\n")
    seen = Counter(_norm_text(line) for line in lines)
    spots = [
        i
        for i, line in enumerate(lines)
        if _norm_text(line) in gold and len(line) >= 60 and seen[_norm_text(line)] == 1
    ]
    if not spots:
        return None
    chosen = sorted(rng.sample(spots, min(len(paras), len(spots))), reverse=True)
    for i, para in zip(chosen, paras):
        before[para] = " ".join(lines[i].split())
        lines.insert(i + 1, para)
    return "\n".join(lines)


def _insert_html(
    html: str, gold: set[str], paras: list[str], rng: random.Random, before: dict[str, str]
) -> str | None:
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html.encode("utf-8"))
    except Exception:  # noqa: BLE001 - unparsable page: skipped
        return None
    # a gold paragraph that the page holds twice (a hidden mobile copy, a teaser) is not a spot:
    # which copy is the article's is unknown
    seen = Counter(_norm_text(el.text_content()) for el in root.iter("p"))
    spots = [
        el
        for el in root.iter("p")
        if _norm_text(el.text_content()) in gold
        and len(el.text_content()) >= 60
        and seen[_norm_text(el.text_content())] == 1
    ]
    if not spots:
        return None
    for el, para in zip(rng.sample(spots, min(len(paras), len(spots))), paras):
        before[para] = " ".join(el.text_content().split())
        new = lxml.html.Element("p")
        new.text = para
        new.tail = el.tail
        el.tail = None
        el.addnext(new)
    return lxml.html.tostring(root, encoding="unicode")


def bench_mixed(pages: list[dict], forms: list[str], seed: int) -> None:
    from normalizer import Config, Normalizer

    norm = Normalizer(Config(translate=False))
    print(
        "\n## Mixed pages: paragraphs of 2-3 held-out Tatoeba sentences inserted into English pages"
    )
    print(
        "| inserted | form | pages | paragraphs | kept and tagged | removed | other label | "
        "precision (tagged fragments that are inserted ones) |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for lang in ("uk", "ru"):
        sents = tatoeba(lang)
        for form in forms:
            rng = random.Random(f"{seed}-{lang}-{form}")
            pool = list(sents)
            rng.shuffle(pool)
            n_pages = n_ins = n_ok = n_removed = n_other = n_tagged = n_tagged_ins = (
                n_removed_with_prev
            ) = 0
            wrong: Counter[str] = Counter()
            for p in pages:
                gold = {_norm_text(g) for g in p["gold"].split("\n") if g.strip()}
                k = rng.randint(1, 3)
                paras = []
                for _ in range(k):
                    m = rng.randint(2, 3)
                    if len(pool) < m:
                        pool = list(sents)
                        rng.shuffle(pool)
                    paras.append(" ".join(pool.pop() for _ in range(m)))
                before: dict[str, str] = {}
                page = (
                    _insert_html(p["html"], gold, paras, rng, before)
                    if form == "html"
                    else _insert_dump(dump_of(p["html"]), gold, paras, rng, before)
                )
                if page is None:
                    continue
                rec = norm.normalize(
                    page, content_type=form if form == "html" else "text", translate=False
                )
                present = [x for x in paras if x in page]
                n_pages += 1
                n_ins += len(present)
                kept = {f.text: f for f in rec.fragments + rec.related}
                kept_norm = {" ".join(t.split()) for t in kept}
                removed = {r.text: f"{r.reason}/{r.rule}" for r in rec.removed}
                for para in present:
                    f = kept.get(para)
                    if f is not None and f.lang == lang:
                        n_ok += 1
                    elif f is not None:
                        n_other += 1
                        wrong[f"{para[:40]!r} -> {f.lang}"] += 1
                    elif para in removed:
                        n_removed += 1
                        with_prev = (
                            "" if before.get(para) in kept_norm else ", as the paragraph before it"
                        )
                        n_removed_with_prev += bool(with_prev)
                        wrong[f"{para[:40]!r} removed: {removed[para]}{with_prev}"] += 1
                    else:
                        n_removed += 1  # neither kept whole nor removed whole: cut
                        wrong[f"{para[:40]!r} not kept whole"] += 1
                for f in rec.fragments + rec.related:
                    if f.lang == lang:
                        n_tagged += 1
                        n_tagged_ins += f.text in present
            print(
                f"| {lang} | {form} | {n_pages} | {n_ins} | {100 * n_ok / max(1, n_ins):.2f}% | "
                f"{n_removed} ({n_removed_with_prev} with the gold paragraph before it) | {n_other} | "
                f"{100 * n_tagged_ins / max(1, n_tagged):.2f}% |"
            )
            for w, c in wrong.most_common(5):
                print(f"    {c} x {w}")


# ----------------------------------------------------------------------------- 3. speed


def bench_speed(pages: list[dict]) -> None:
    import trafilatura

    from normalizer import Config, Normalizer, pipeline
    from normalizer.stages import langid, langscorers

    stages: Counter[str] = Counter()

    def timed(name, fn):
        def wrapper(*a, **k):
            t0 = time.process_time()
            try:
                return fn(*a, **k)
            finally:
                stages[name] += time.process_time() - t0

        return wrapper

    methods: Counter[str] = Counter()
    timed_doc = timed("language", pipeline.document_languages)

    def doc_langs(*a, **k):
        out = timed_doc(*a, **k)
        methods.update(g.method for g in out.fragments)  # counted outside the timing
        return out

    calls = Counter()
    orig_ld = langid._langdetect

    def ld(*a, **k):
        calls["langdetect"] += 1
        return orig_ld(*a, **k)

    langid._langdetect = timed("  of which langdetect", ld)
    pipeline.document_languages = doc_langs
    pipeline.classify = timed("classify", pipeline.classify)
    pipeline.assemble = timed("assemble", pipeline.assemble)
    pipeline.Normalizer._segment = staticmethod(
        timed("segment (parse HTML / split lines)", pipeline.Normalizer._segment)
    )
    norm = Normalizer(Config(translate=False))
    # warm-up: one-time loads out of the timing (the Cyrillic word tables load on the first
    # ambiguous Cyrillic text, ~1 s; langdetect's profiles on its first call), and
    # trafilatura's first-call costs
    norm.normalize(pages[0]["html"], content_type="html", translate=False)
    langid.detect_language("мама")
    langscorers._langdetect_factory()  # langdetect's profiles: ~0.3 s, once per process
    trafilatura.extract(pages[0]["html"])
    stages.clear()
    methods.clear()
    calls.clear()
    ours = theirs = 0.0
    for p in pages:
        t0 = time.process_time()
        norm.normalize(p["html"], content_type="html", translate=False)
        t1 = time.process_time()
        trafilatura.extract(p["html"])
        t2 = time.process_time()
        ours += t1 - t0
        theirs += t2 - t1
    n = len(pages)
    print(f"\n## Speed on {n} HTML pages (pages per CPU-second, systems taking turns page by page)")
    print("| system | pages per CPU-second |\n|---|---|")
    print(f"| normalizer (whole pipeline, no translation) | {n / ours:.1f} |")
    print(f"| trafilatura.extract | {n / theirs:.1f} |")
    print(f"\nratio normalizer / trafilatura: {theirs / ours:.2f}x")
    print("\n| stage | CPU s | share of the pipeline |\n|---|---|---|")
    for name, t in stages.most_common():
        print(f"| {name} | {t:.2f} | {100 * t / ours:.1f}% |")
    print(
        f"| other (reading, roles, record) | {ours - sum(v for k, v in stages.items() if not k.startswith(' ')):.2f} | |"
    )
    total = sum(methods.values())
    print(
        f"\nlanguage decisions on {total} lines: "
        + ", ".join(f"{m} {c} ({100 * c / total:.1f}%)" for m, c in methods.most_common())
    )
    print(
        f"langdetect calls: {calls['langdetect']} ({100 * calls['langdetect'] / max(1, total):.2f}% of lines)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--limit", type=int, default=None, help="at most this many pages per source")
    ap.add_argument("--only", choices=["foreign", "mixed", "speed"], action="append")
    ap.add_argument("--forms", default="html,dump")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    parts = set(args.only or ["foreign", "mixed", "speed"])
    forms = ["html" if f == "html" else "dump" for f in args.forms.split(",")]
    lim = args.limit
    dev = html_dev_pages({"en", "de"})
    dragnet = dragnet_pages()
    if lim:
        dev = [p for p in dev if p["lang"] == "en"][:lim] + [p for p in dev if p["lang"] == "de"][
            :lim
        ]
        dragnet = dragnet[:lim]
    forms = [("html" if f == "html" else "text") for f in forms]
    if "foreign" in parts:
        bench_foreign(dev + dragnet, forms)
    if "mixed" in parts:
        bench_mixed(dragnet, forms, args.seed)
    if "speed" in parts:
        bench_speed(dev + dragnet[: len(dev)])


if __name__ == "__main__":
    main()
