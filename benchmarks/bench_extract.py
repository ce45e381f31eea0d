#!/usr/bin/env python3
"""Main-text extraction benchmark: normalizer vs trafilatura vs jusText, HTML and text dumps.

Data: ``../shared/data/html-dev`` (trafilatura's evaluation set: 990 real pages, each with
snippets that must appear in the extracted text, ``with``, and snippets that must not,
``without``). Every system gets the same decoded page in two forms:

* ``html``: the page as served.
* ``dump``: the plain-text page dump a naive scraper saves (``html_to_page(html).text``:
  script/style/head dropped, every block element on its own line, whitespace collapsed).
  normalizer reads it as text (``content_type="text"``, no DOM hints); trafilatura and
  jusText cannot read plain text, so they get the lines wrapped one per ``<p>``.

Scoring follows trafilatura's own evaluation (tests/comparison_small.py): per page, each
``with`` snippet found in the output is a true positive, else a false negative; each
``without`` snippet found is a false positive, else a true negative; precision, recall,
F1 and accuracy are over all snippets of all pages. Only the extracted body text is scored,
the same for every system: trafilatura's ``extract()`` text, jusText's non-boilerplate
paragraphs, normalizer's ``original_text`` (the body in its original language: body,
heading and caption fragments; the separately reported title is not added). ``ours`` runs
the extraction stages the pipeline runs (HTML rendering or line segmentation, then the
boilerplate classifier); ``ours-full`` runs all of ``normalize()`` (adds per-fragment
language identification, which changes no text) and is much slower to benchmark. Before matching, output
and snippets are put in the same form (``norm``: Unicode NFC, invisible characters such as
soft hyphens dropped, whitespace runs one space), the same for every system.

Speed is pages per second of the extraction call alone (input already decoded in memory),
one process, one page at a time, as wall time and as CPU time of the process
(``pages/cpu-s``, the figure to compare: other load on the machine moves it less). The
systems take turns page by page, so a change in load during the run falls on all alike.

The split is deterministic: a page is ``test`` (held out) when the first hex digit of
SHA-1(URL) is 8-f, else ``dev``. Tune on dev; report test.

    .venv/bin/python benchmarks/bench_extract.py --split test
    .venv/bin/python benchmarks/bench_extract.py --split dev --systems ours --forms dump --errors ours:dump
"""

from __future__ import annotations

import argparse
import hashlib
import html as htmllib
import json
import os
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "html-dev"
SYSTEMS = ("ours", "trafilatura", "justext")
EXTRA_SYSTEMS = (
    "ours-full",
    "ours-bs4",
    "dom",
    "trafilatura-fast",
)  # diagnostics, run only when named
FORMS = ("html", "dump")

# jusText needs a stop-word list per language; pages get the one of their language
# (langdetect on the page text, inside the timed call), English when unknown.
JUSTEXT_LANGS = {
    "af": "Afrikaans",
    "bg": "Bulgarian",
    "ca": "Catalan",
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "et": "Estonian",
    "fi": "Finnish",
    "fr": "French",
    "hr": "Croatian",
    "hu": "Hungarian",
    "id": "Indonesian",
    "it": "Italian",
    "lt": "Lithuanian",
    "lv": "Latvian",
    "nl": "Dutch",
    "no": "Norwegian_Bokmal",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sv": "Swedish",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "vi": "Vietnamese",
    "be": "Belarusian",
    "sr": "Serbian",
    "mk": "Macedonian",
}


def add_switch_cost(ap: argparse.ArgumentParser) -> None:
    """``--switch-cost``, shared by bench_extract, cv_extract and cross_dataset."""
    ap.add_argument(
        "--switch-cost",
        type=float,
        default=None,
        help="the path's SWITCH_COST (stages/boilerplate.py); 0: the line scores alone, no path",
    )


def apply_switch_cost(args: argparse.Namespace) -> None:
    """Set the classifier's SWITCH_COST from ``--switch-cost`` when it was given."""
    if args.switch_cost is not None:
        from normalizer.stages import boilerplate

        boilerplate.SWITCH_COST = args.switch_cost


def split_of(url: str) -> str:
    return "test" if hashlib.sha1(url.encode("utf-8")).hexdigest()[0] in "89abcdef" else "dev"


def load_pages(data_dir: Path, split: str, limit: int | None) -> list[dict]:
    from normalizer.io.read import InputError, decode

    evaldata = json.loads((data_dir / "evaldata.json").read_text("utf-8"))
    pages = []
    for url in sorted(evaldata):
        item = evaldata[url]
        if split != "all" and split_of(url) != split:
            continue
        for sub in ("eval", "cache"):
            path = data_dir / sub / item["file"]
            if path.exists():
                break
        else:
            continue
        try:
            html = decode(path.read_bytes(), content_type="html")
        except InputError:
            html = ""
        pages.append(
            {
                "url": url,
                "file": item["file"],
                "html": html,
                "with": [s for s in item.get("with", []) if s],
                "without": [s for s in item.get("without", []) if s],
            }
        )
        if limit and len(pages) >= limit:
            break
    return pages


def snippet_language(page: dict) -> str:
    """The language of a page's ``with`` snippets by seeded langdetect ("und" if none)."""
    from langdetect import DetectorFactory, LangDetectException, detect

    DetectorFactory.seed = 0
    try:
        return detect(" ".join(page["with"])[:2000])
    except LangDetectException:
        return "und"


def dump_of(html: str) -> str:
    from normalizer.stages.html import html_to_page

    return html_to_page(html).text


def wrap_lines(dump: str) -> str:
    body = "".join(f"<p>{htmllib.escape(line)}</p>\n" for line in dump.split("\n"))
    return f"<html><body>\n{body}</body></html>"


# --- systems: each returns (callable(input) -> text, input transform for the form) ----


def make_ours(form: str, line_model: dict | None = None, with_title: bool = False):
    """normalizer's extraction stages, exactly as the pipeline runs them (html_to_page or
    segment, then classify with the packaged rules), and the body text assemble() builds.
    Language identification and translation run after extraction and change no text; the
    full pipeline is ``ours-full``. ``line_model``: other line-score trees than the packaged
    ones (linemodel.line_model_from_dict form), for cv_extract.py. ``with_title``: the kept
    headline line too, as the record's ``title`` + ``text`` (trafilatura's text starts with
    the headline when it stands inside the article's element; some gold texts hold it)."""
    from normalizer.stages.assemble import ARTICLE_ROLES, PARAGRAPH_SEP, clean_text
    from normalizer.stages.boilerplate import classify
    from normalizer.stages.html import html_to_page
    from normalizer.stages.rules import load_rules
    from normalizer.stages.segment import segment

    rules = load_rules()
    roles = ARTICLE_ROLES + (("title",) if with_title else ())

    def run(doc: str) -> str:
        if form == "html":
            page = html_to_page(doc)
            kept, _ = classify(
                page.blocks, rules=rules, title_hint=page.title, line_model=line_model
            )
        else:
            kept, _ = classify(segment(doc), rules=rules, line_model=line_model)
        return PARAGRAPH_SEP.join(clean_text(f.text) for f in kept if f.role in roles)

    return run


def make_ours_full(form: str):
    """The whole pipeline: ``normalizer.normalize(..., translate=False)``, body text."""
    import normalizer

    ctype = "html" if form == "html" else "text"

    def run(doc: str) -> str:
        rec = normalizer.normalize(doc, content_type=ctype, translate=False)
        return rec.original_text or ""

    return run


def make_ours_bs4(form: str):
    """Diagnostic: ``ours`` with the page parsed by BeautifulSoup(html, "lxml") instead of
    lxml's event parser: the bs4 tree is walked into the same renderer (html._Builder), so
    the output is the same and only the cost of going through bs4 shows. Timed to decide
    whether html.py should use bs4 (see its docstring)."""
    import warnings

    from bs4 import BeautifulSoup, NavigableString, Tag

    from normalizer.stages import html as H
    from normalizer.stages.assemble import ARTICLE_ROLES, PARAGRAPH_SEP, clean_text
    from normalizer.stages.boilerplate import classify
    from normalizer.stages.rules import load_rules

    if form != "html":
        return make_ours(form)
    rules, hints = load_rules(), H.load_hints(None)
    warnings.filterwarnings("ignore", module="bs4")

    def page_of(doc: str):
        soup = BeautifulSoup(doc, "lxml")
        b = H._Builder(hints)
        stack = [(soup, False)]
        while stack:
            node, closing = stack.pop()
            if closing:
                b.end(node.name)
            elif isinstance(node, Tag):
                if node is not soup:
                    b.start(
                        node.name,
                        {
                            k: " ".join(v) if isinstance(v, list) else v
                            for k, v in node.attrs.items()
                        },
                    )
                    stack.append((node, True))
                stack.extend((c, False) for c in reversed(node.contents))
            elif type(node) is NavigableString:  # not comments, doctype, CDATA
                b.data(str(node))
        return H._assemble(b.close())

    def run(doc: str) -> str:
        page = page_of(doc)
        kept, _ = classify(page.blocks, rules=rules, title_hint=page.title)
        return PARAGRAPH_SEP.join(clean_text(f.text) for f in kept if f.role in ARTICLE_ROLES)

    return run


def make_dom(form: str):
    """Diagnostic: html_to_page's DOM hints alone (keep unhinted lines that are not links)."""
    from normalizer.stages.html import html_to_page

    def run(doc: str) -> str:
        page = html_to_page(doc)
        return "\n".join(
            b.text for b in page.blocks if b.dom_reason is None and b.link_density < 0.5
        )

    return run


def make_trafilatura(form: str, fast: bool = False):
    import trafilatura

    def run(doc: str) -> str:
        return (
            trafilatura.extract(doc, include_comments=False, include_tables=True, fast=fast) or ""
        )

    return run


def make_justext(form: str):
    import justext
    from langdetect import DetectorFactory, LangDetectException, detect
    from lxml import html as lxml_html

    DetectorFactory.seed = 0
    stoplists: dict[str, frozenset] = {}

    def stoplist_for(doc: str) -> frozenset:
        try:
            tree = lxml_html.fromstring(doc.encode("utf-8"))
            text = " ".join(
                tree.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]")
            )[:5000]
            lang = detect(text)
        except (LangDetectException, ValueError, Exception):  # noqa: BLE001 - any failure: English
            lang = "en"
        name = JUSTEXT_LANGS.get(lang, "English")
        if name not in stoplists:
            stoplists[name] = justext.get_stoplist(name)
        return stoplists[name]

    def run(doc: str) -> str:
        try:
            paragraphs = justext.justext(doc.encode("utf-8"), stoplist_for(doc), encoding="utf-8")
        except Exception:  # noqa: BLE001 - jusText raises on some pages; score as empty
            return ""
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return run


FACTORIES = {
    "ours": make_ours,
    "ours-full": make_ours_full,
    "ours-bs4": make_ours_bs4,
    "dom": make_dom,
    "trafilatura": make_trafilatura,
    "trafilatura-fast": lambda form: make_trafilatura(form, fast=True),
    "justext": make_justext,
}


# --- scoring -------------------------------------------------------------------------

# Invisible characters (soft hyphen, zero-width space/joiners, word joiner, BOM): pages
# and snippets each have them where the other does not ("Klima\xadwandel").
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def norm(s: str) -> str:
    """What every system's output and every snippet is compared as: NFC (a page may spell
    "ü" as u + combining diaeresis), invisible characters dropped, whitespace runs one space.
    The same for all systems, so no system gains from its own text clean-up."""
    return " ".join(unicodedata.normalize("NFC", s).translate(_INVISIBLE).split())


def score_page(output: str, page: dict) -> tuple[int, int, int, int, list[str], list[str]]:
    out = norm(output)
    tp = fn = fp = tn = 0
    missed, leaked = [], []
    for s in page["with"]:
        if norm(s) in out:
            tp += 1
        else:
            fn += 1
            missed.append(s)
    for s in page["without"]:
        if norm(s) in out:
            fp += 1
            leaked.append(s)
        else:
            tn += 1
    return tp, fn, fp, tn, missed, leaked


def metrics(tp: int, fn: int, fp: int, tn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    a = (tp + tn) / (tp + fn + fp + tn) if tp + fn + fp + tn else 0.0
    return {"precision": p, "recall": r, "f1": f, "accuracy": a}


def bootstrap_diffs(
    counts: dict[tuple[str, str], list[tuple[int, int, int]]], n: int, seed: int = 0
) -> list[dict]:
    """Paired page bootstrap of F1(ours) - F1(other) per form: pages are drawn with
    replacement (the same draw for both systems), snippets are counted over the drawn pages.
    A difference whose interval holds 0 is within what another sample of pages could give."""
    import numpy as np

    out = []
    rng = np.random.default_rng(seed)
    for (system, form), mine in counts.items():
        if system != "ours" or n <= 0:
            continue
        a = np.array(mine, dtype=float)
        draws = rng.integers(0, len(a), size=(n, len(a)))

        def f1(c):
            tp, fn, fp = c[..., 0], c[..., 1], c[..., 2]
            return np.where(tp > 0, 2 * tp / np.maximum(2 * tp + fn + fp, 1), 0.0)

        for (other, oform), theirs in counts.items():
            if oform != form or other == "ours":
                continue
            b = np.array(theirs, dtype=float)
            d = f1(a[draws].sum(axis=1)) - f1(b[draws].sum(axis=1))
            out.append(
                {
                    "form": form,
                    "other": other,
                    "diff": float(f1(a.sum(axis=0)) - f1(b.sum(axis=0))),
                    "low": float(np.percentile(d, 2.5)),
                    "high": float(np.percentile(d, 97.5)),
                    "share_ahead": float((d > 0).mean()),
                }
            )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="html-dev folder")
    ap.add_argument("--split", choices=("dev", "test", "all"), default="test")
    ap.add_argument("--limit", type=int, default=None, help="first N pages of the split")
    ap.add_argument(
        "--systems",
        default=",".join(SYSTEMS),
        help=f"comma list of {', '.join(SYSTEMS + EXTRA_SYSTEMS)}",
    )
    ap.add_argument("--forms", default=",".join(FORMS), help="comma list of html, dump")
    ap.add_argument(
        "--errors",
        default=None,
        metavar="SYSTEM:FORM",
        help="print missed/leaked snippets per page for one system and form",
    )
    ap.add_argument(
        "--bootstrap",
        type=int,
        nargs="?",
        const=1000,
        default=1000,
        metavar="N",
        help="page resamples for the confidence interval of each F1 difference "
        "between 'ours' and the other systems (0: none; default 1000)",
    )
    ap.add_argument(
        "--lang",
        default=None,
        help="only pages whose 'with' snippets langdetect (seeded) reads as this language, "
        "e.g. en: the English pages",
    )
    ap.add_argument(
        "--out",
        type=Path,
        default=ROOT / "benchmarks" / "results",
        help="folder for the JSON results (default benchmarks/results/)",
    )
    add_switch_cost(ap)
    args = ap.parse_args(argv)
    apply_switch_cost(args)

    systems = [s for s in args.systems.split(",") if s]
    forms = [f for f in args.forms.split(",") if f]
    for s in systems:
        if s not in FACTORIES:
            ap.error(f"unknown system {s!r}")
    for f in forms:
        if f not in FORMS:
            ap.error(f"unknown form {f!r}")

    if not (args.data / "evaldata.json").exists():
        print(f"no evaluation data at {args.data}", file=sys.stderr)
        return 2
    pages = load_pages(args.data, args.split, args.limit)
    if args.lang:
        pages = [p for p in pages if snippet_language(p) == args.lang]
    n_dev = sum(1 for p in pages if split_of(p["url"]) == "dev")
    print(
        f"pages: {len(pages)} (split={args.split}: dev {n_dev}, test {len(pages) - n_dev}; "
        f"snippets with={sum(len(p['with']) for p in pages)} "
        f"without={sum(len(p['without']) for p in pages)})"
    )
    if "dump" in forms:
        for p in pages:
            p["dump"] = dump_of(p["html"])
            p["dump_html"] = wrap_lines(p["dump"])

    results = []
    counts: dict[tuple[str, str], list[tuple[int, int, int]]] = {}
    for form in forms:
        runs = []
        for system in systems:
            if system == "dom" and form == "dump":
                continue  # no DOM in a dump
            if system in ("ours", "ours-full", "ours-bs4", "dom"):
                key = "html" if form == "html" else "dump"
            else:
                key = "html" if form == "html" else "dump_html"
            runs.append(
                {
                    "system": system,
                    "run": FACTORIES[system](form),
                    "key": key,
                    "tp": 0,
                    "fn": 0,
                    "fp": 0,
                    "tn": 0,
                    "failures": 0,
                    "wall": 0.0,
                    "cpu": 0.0,
                    "per_page": [],
                    "detail": [],
                }
            )
        # Systems take turns page by page (in rotating order), so a change in the machine's
        # load during the run falls on all of them alike.
        for n_page, p in enumerate(pages):
            for k in range(len(runs)):
                r = runs[(k + n_page) % len(runs)]
                t0, c0 = time.perf_counter(), time.process_time()
                try:
                    out = r["run"](p[r["key"]])
                except Exception as e:  # noqa: BLE001 - a crash scores as empty output
                    out = ""
                    r["failures"] += 1
                    print(
                        f"  {r['system']}/{form}: {p['file']}: {type(e).__name__}: {e}",
                        file=sys.stderr,
                    )
                r["cpu"] += time.process_time() - c0
                r["wall"] += time.perf_counter() - t0
                a, b, c, d, missed, leaked = score_page(out, p)
                r["tp"], r["fn"], r["fp"], r["tn"] = (
                    r["tp"] + a,
                    r["fn"] + b,
                    r["fp"] + c,
                    r["tn"] + d,
                )
                r["per_page"].append((a, b, c))
                if args.errors == f"{r['system']}:{form}" and (missed or leaked):
                    r["detail"].append((p["file"], missed, leaked))
        for r in runs:
            system = r["system"]
            m = metrics(r["tp"], r["fn"], r["fp"], r["tn"])
            row = {
                "system": system,
                "form": form,
                "pages": len(pages),
                "tp": r["tp"],
                "fn": r["fn"],
                "fp": r["fp"],
                "tn": r["tn"],
                **m,
                "seconds": r["wall"],
                "cpu_seconds": r["cpu"],
                "pages_per_s": len(pages) / r["wall"] if r["wall"] else 0.0,
                "pages_per_cpu_s": len(pages) / r["cpu"] if r["cpu"] else 0.0,
                "crashes": r["failures"],
            }
            results.append(row)
            counts[(system, form)] = r["per_page"]
            print(
                f"  {system:16s} {form:5s} P={m['precision']:.3f} R={m['recall']:.3f} "
                f"F1={m['f1']:.3f} acc={m['accuracy']:.3f} {row['pages_per_cpu_s']:7.1f} pages/cpu-s",
                flush=True,
            )
            for file, missed, leaked in r["detail"]:
                print(f"--- {file}")
                for s in missed:
                    print(f"   MISSED  {s!r}")
                for s in leaked:
                    print(f"   LEAKED  {s!r}")

    print()
    print(f"split={args.split}  pages={len(pages)}")
    print(
        f"{'system':16s} {'form':5s} {'precision':>9s} {'recall':>7s} {'F1':>6s} "
        f"{'accuracy':>8s} {'pages/s':>8s} {'pages/cpu-s':>11s}"
    )
    for r in results:
        print(
            f"{r['system']:16s} {r['form']:5s} {r['precision']:9.3f} {r['recall']:7.3f} "
            f"{r['f1']:6.3f} {r['accuracy']:8.3f} {r['pages_per_s']:8.1f} {r['pages_per_cpu_s']:11.1f}"
        )
    diffs = bootstrap_diffs(counts, args.bootstrap)
    if diffs:
        print(
            f"\nF1 difference ours - other, same pages, 95% interval from {args.bootstrap} "
            "page resamples (paired):"
        )
        for d in diffs:
            print(
                f"  {d['form']:5s} ours - {d['other']:16s} {d['diff']:+.3f}  "
                f"[{d['low']:+.3f}, {d['high']:+.3f}]  ours ahead in {d['share_ahead']:.0%} of resamples"
            )
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%dT%H%M%S")
        path = args.out / f"extract-{args.split}-{stamp}.json"
        path.write_text(
            json.dumps(
                {
                    "split": args.split,
                    "pages": len(pages),
                    "results": results,
                    "f1_differences": diffs,
                },
                indent=2,
            ),
            "utf-8",
        )
        print(f"\nwritten {os.path.relpath(path, Path.cwd())}")
    except OSError as e:
        print(f"could not write results: {e}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
