#!/usr/bin/env python3
"""News metadata benchmark: published date, authors, site name and URL against JSON-LD.

Reference: the pages of ``../shared/data/html-dev`` (990) and ``../shared/data/extract-more``
(2,290) that carry schema.org JSON-LD; for each field, the pages whose JSON-LD gives it
(``metadata.jsonld_metadata`` over the page's ``<script type="application/ld+json">``
elements, found with lxml here, independently of the renderer). Scored run: every such
page with those script elements removed, through ``Normalizer.normalize`` (HTML, the page
URL given, no translation), so what is measured is what the page says elsewhere: meta
tags, microdata, <time>, bylines and date lines.

Per field, over the pages with a reference value:

* coverage: share of pages where the record has a value;
* precision: share of those values that match the reference. ``published``: the same
  calendar date (the first 10 characters; a page may give UTC in one place and local time
  in another); ``authors``: the same set of names (case-folded); ``site_name``: the same
  name (case-folded; JSON-LD's publisher is often the company, og:site_name the brand, so
  a looser figure, one name containing the other, is printed too); ``url``: the same URL up
  to scheme, "www.", a #fragment and a trailing slash. The given URL does not count.

``--render-cost`` times ``html_to_page`` on the pages with the collector working and with its
methods made no-ops (page by page, both modes in turn, the order swapped in the second
pass; CPU time): what collecting costs.

``--form dump`` scores the plain-text dump of each hidden page instead (``html_to_page(html)
.text``, read as text: only date lines and bylines can speak; ``site_name`` and ``url`` are
never found in a dump and are not scored).

Precision is also broken down by ``metadata_sources`` (json-ld cannot occur). Speed: CPU
milliseconds per page of ``metadata.extract`` (the collector inside the renderer is part of
rendering and is not separated out). ``--htmldate`` also scores ``htmldate.find_date`` (the
trafilatura dependency, fast mode) on the same hidden pages, with its time per page.

    .venv/bin/python benchmarks/bench_metadata.py
    .venv/bin/python benchmarks/bench_metadata.py --htmldate --errors published
    .venv/bin/python benchmarks/bench_metadata.py --form dump
    .venv/bin/python benchmarks/bench_metadata.py --render-cost
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT.parent / "shared" / "data"
FIELDS = ("published", "authors", "site_name", "url")
# The <script> elements hidden from the scored run (the same elements lxml finds below).
_JSONLD_SCRIPT = re.compile(r"<script\b[^>]*ld\+json[^>]*>.*?</script\s*>", re.I | re.S)


def load_pages(limit: int | None) -> list[dict[str, Any]]:
    from normalizer.io.read import InputError, decode

    pages: list[dict[str, Any]] = []
    dev = DATA / "html-dev"
    evaldata = json.loads((dev / "evaldata.json").read_text("utf-8"))
    for url in sorted(evaldata):
        for sub in ("eval", "cache"):
            path = dev / sub / evaldata[url]["file"]
            if path.exists():
                try:
                    html = decode(path.read_bytes(), content_type="html")
                except InputError:
                    break
                pages.append({"set": "html-dev", "url": url, "html": html})
                break
    for path in sorted((DATA / "extract-more").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                pages.append(
                    {"set": d.get("dataset", path.stem), "url": d.get("url"), "html": d["html"]}
                )
    pages = [p for p in pages if "ld+json" in p["html"].lower()]
    return pages[:limit] if limit else pages


def reference(html: str) -> dict[str, Any]:
    from lxml import html as lhtml

    from normalizer.stages.metadata import jsonld_metadata

    try:
        tree = lhtml.fromstring(html.encode("utf-8", "replace"))
    except Exception:  # noqa: BLE001 - a page lxml cannot read has no reference
        return {}
    scripts = [
        s.text or "" for s in tree.iter("script") if "ld+json" in (s.get("type") or "").lower()
    ]
    return jsonld_metadata(scripts) if scripts else {}


def _url_key(u: str) -> str:
    u = re.sub(r"^https?://(www\.)?", "", u.strip().lower())
    return u.split("#", 1)[0].rstrip("/")


def correct(field: str, got: Any, ref: Any) -> bool:
    if field == "published":
        return got[:10] == ref[:10]
    if field == "authors":
        return {n.casefold() for n in got} == {n.casefold() for n in ref}
    if field == "site_name":
        return got.casefold() == ref.casefold()
    if field == "site_name~":
        a, b = (re.sub(r"\W+", "", x.casefold()) for x in (got, ref))
        return bool(a and b) and (a in b or b in a)
    return _url_key(got) == _url_key(ref)


def render_cost(pages: list[dict[str, Any]]) -> int:
    import normalizer.stages.html as html_mod
    from normalizer.stages.htmlsignals import HtmlSignals

    class Idle(HtmlSignals):
        def start(self, *a: Any) -> None:  # opens no capture, so data/end are never called
            pass

    spent = {"with": 0.0, "without": 0.0}
    modes = [("with", HtmlSignals), ("without", Idle)]
    for rep in range(2):
        for p in pages:
            # Each pass runs the other mode first (the second parse of a page is cheaper).
            for mode, cls in modes if rep == 0 else modes[::-1]:
                html_mod.HtmlSignals = cls
                t = time.process_time()
                html_mod.html_to_page(p["html"])
                spent[mode] += time.process_time() - t
    html_mod.HtmlSignals = HtmlSignals
    n = 2 * len(pages)
    w, wo = 1000 * spent["with"] / n, 1000 * spent["without"] / n
    print(
        f"html_to_page over {len(pages)} pages: {w:.2f} CPU ms/page with the metadata collector, "
        f"{wo:.2f} with it idle (+{100 * (w / wo - 1):.1f}%)"
    )
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, help="only the first N pages that have JSON-LD")
    ap.add_argument(
        "--htmldate", action="store_true", help="also score htmldate.find_date on published"
    )
    ap.add_argument("--errors", choices=FIELDS, help="print the wrong values of this field")
    ap.add_argument(
        "--render-cost",
        action="store_true",
        help="only time html_to_page with and without the metadata collector",
    )
    ap.add_argument(
        "--form",
        choices=("html", "dump"),
        default="html",
        help="score the HTML (default) or its plain-text dump",
    )
    args = ap.parse_args()

    import normalizer.pipeline as pipeline
    from normalizer import Config, Normalizer
    from normalizer.stages.html import html_to_page

    spent = [0.0]
    real_extract = pipeline.extract_metadata

    def timed_extract(*a: Any, **k: Any) -> Any:
        t = time.process_time()
        try:
            return real_extract(*a, **k)
        finally:
            spent[0] += time.process_time() - t

    if args.render_cost:
        return render_cost(load_pages(args.limit))
    pipeline.extract_metadata = timed_extract
    norm = Normalizer(Config(translate=False))
    pages = load_pages(args.limit)
    fields = FIELDS if args.form == "html" else ("published", "authors")
    have: Counter[str] = Counter()
    got: Counter[str] = Counter()
    right: Counter[str] = Counter()
    by_source: dict[str, Counter[str]] = defaultdict(Counter)
    hd = Counter()
    hd_time = 0.0
    scored = 0
    errors: list[str] = []
    for p in pages:
        ref = reference(p["html"])
        if not any(ref.get(f) for f in FIELDS):
            continue
        scored += 1
        hidden = _JSONLD_SCRIPT.sub("", p["html"])
        if args.form == "dump":
            rec = norm.normalize(
                html_to_page(hidden).text or " ", content_type="text", translate=False
            ).to_dict()
        else:
            rec = norm.normalize(
                hidden, content_type="html", url=p["url"], translate=False
            ).to_dict()
        for f in fields:
            if not ref.get(f):
                continue
            have[f] += 1
            value = rec.get(f)
            if f == "url" and rec["metadata_sources"].get("url") == "given":
                value = None  # the given URL proves nothing about the page
            if not value:
                continue
            got[f] += 1
            src = rec["metadata_sources"].get(f, "?")
            ok = correct(f, value, ref[f])
            right[f] += ok
            if f == "site_name":
                right["site_name~"] += correct("site_name~", value, ref[f])
            by_source[f][src + ":n"] += 1
            by_source[f][src + ":ok"] += ok
            if not ok and args.errors == f:
                errors.append(f"{p['url']}\n    got {value!r} ({src})\n    ref {ref[f]!r}")
        if args.htmldate and ref.get("published"):
            from htmldate import find_date

            t = time.process_time()
            try:
                d = find_date(
                    hidden, extensive_search=False, original_date=True, outputformat="%Y-%m-%d"
                )
            except Exception:  # noqa: BLE001 - a crash counts as no date
                d = None
            hd_time += time.process_time() - t
            if d:
                hd["got"] += 1
                hd["ok"] += d == ref["published"][:10]

    print(f"pages with JSON-LD: {len(pages)}; with a reference value: {scored}")
    print(f"{'field':<10} {'reference':>9} {'coverage':>9} {'precision':>9}   precision by source")
    for f in fields:
        cov = got[f] / have[f] if have[f] else 0.0
        prec = right[f] / got[f] if got[f] else 0.0
        srcs = sorted({k.split(":")[0] for k in by_source[f]})
        per = ", ".join(f"{s} {by_source[f][s + ':ok']}/{by_source[f][s + ':n']}" for s in srcs)
        print(f"{f:<10} {have[f]:>9} {cov:>9.3f} {prec:>9.3f}   {per}")
    if "site_name" in fields:
        print(
            f'site_name, one name containing the other ("EL PAÍS" / "Ediciones EL PAÍS S.L."): '
            f"precision {right['site_name~'] / max(1, got['site_name']):.3f}"
        )
    print(f"metadata.extract: {1000 * spent[0] / max(1, scored):.3f} CPU ms/page")
    if args.htmldate:
        n = have["published"]
        print(
            f"htmldate.find_date (fast mode) published: coverage {hd['got'] / max(1, n):.3f}, "
            f"precision {hd['ok'] / max(1, hd['got']):.3f}, {1000 * hd_time / max(1, n):.2f} CPU ms/page"
        )
    for e in errors:
        print(e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
