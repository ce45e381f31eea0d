"""Audit report: one static HTML page to check a run's records by eye, at any corpus size.

``normalizer report RECORDS -o report.html`` reads records (JSON Lines, ``.gz`` or Parquet)
once. It counts, over the whole corpus, what the charts show (removal reasons, languages, kept
share of characters per document, translation status, error types), keeps one compact row per
document for the table (at most ``table_rows`` of them, the ones worth a look first) and picks
the documents to render in full: the flagged ones first, then a deterministic sample (at most
``sample`` in all). A document is rendered when it enters the running sample (its HTML is kept,
not the record): kept text in page order, removed fragments struck through beside their reason
(a run of removed lines folded into one expandable line), translated fragments beside their
English.

The page is self-contained: inline CSS, SVG and a few lines of plain JavaScript (sorting,
filtering and paging the table); nothing is fetched from the network. Memory is bounded by
``table_rows`` and ``sample`` (rows, and the HTML of at most ``sample`` documents per kind of
flag), not by the corpus. Written atomically.
"""

from __future__ import annotations

import hashlib
import heapq
import html
import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterable

from .write import read_records

__all__ = [
    "write_report",
    "render_report",
    "bar_chart",
    "DEFAULT_SAMPLE",
    "DEFAULT_TABLE_ROWS",
    "LOW_KEPT_SHARE",
    "FLAGS",
]

# The page must stay under 5 MB at 100,000 records (benchmarks/bench_report.py measures it).
# Documents rendered in full: ~9 KB each on real pages once removed runs are folded, so 100
# are ~0.9 MB.
DEFAULT_SAMPLE = 100
# Rows of the document table: ~49 bytes each as compact JSON, so 40,000 rows are ~2 MB (all
# 100,000 would be ~4.9 MB, over budget with the sample). Larger runs list the flagged
# documents first, then the rest in input order, up to this many.
DEFAULT_TABLE_ROWS = 40_000
# "Very low kept share": below this fraction of a document's characters kept. On 65 real pages
# (samples/ and 60 html-dev pages) the median kept share is 0.45 and 0.15 marks the lowest ~6%.
LOW_KEPT_SHARE = 0.15
# A kept fragment counts as foreign-language from this length on: language identification of
# shorter fragments (names, captions, menu leftovers) is too often a neighbouring language.
FOREIGN_MIN_CHARS = 80
# A run of at least this many adjacent removed fragments is folded into one expandable line
# (menus, link lists); a lone removed line stays visible in place.
MIN_FOLDED_RUN = 2
# Lines listed inside one folded run: enough to see what a menu or link list was; a 500-line
# menu would otherwise be most of the page's bytes (78% of them on 65 real pages).
MAX_RUN_LINES = 30
# Chart labels longer than this are cut (the full label is in the bar's tooltip), so a long
# error type or language tag cannot push the chart wider than its box.
MAX_LABEL_CHARS = 28
# Distinct (prefix, suffix) source patterns kept for the table's compact form (one per crawl
# folder in practice); past this, sources are written out in full.
MAX_SOURCE_PATTERNS = 10_000

# Reasons to look at a document, most urgent first (the table's default order).
FLAGS = ("error", "empty", "low_kept", "untranslated", "foreign")
FLAG_HELP = {
    "error": "the record is an error",
    "empty": "nothing kept",
    "low_kept": f"less than {LOW_KEPT_SHARE:.0%} of the characters kept",
    "untranslated": "fragments in another language left untranslated",
    "foreign": f"kept fragments ({FOREIGN_MIN_CHARS}+ characters) in a language other than the "
    "document's and the target",
}

CSS = """
:root { --fg:#1d1d1f; --muted:#6e6e73; --line:#e3e3e8; --kept:#fff; --removed:#b3261e;
        --bar:#3867d6; --bar2:#20bf6b; --bg:#f6f6f8; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--fg);
       background:var(--bg); overflow-wrap:anywhere; }
header, main, #charts, #table { max-width:1280px; margin:0 auto; padding:0 16px; }
header h1 { margin:24px 0 4px; font-size:24px; }
h2.section { font-size:20px; margin:24px 0 8px; }
.totals { color:var(--muted); margin:0 0 16px; }
#charts { display:grid; grid-template-columns:repeat(auto-fit,minmax(320px,1fr)); gap:16px; }
figure { margin:0; background:#fff; border:1px solid var(--line); border-radius:8px; padding:12px; min-width:0; }
figcaption { font-weight:600; margin-bottom:8px; }
figure svg { width:100%; height:auto; display:block; }
svg text { font:12px system-ui,sans-serif; fill:var(--fg); }
svg .value { fill:var(--muted); }
.note { color:var(--muted); font-size:13px; }
#table .controls { display:flex; flex-wrap:wrap; gap:8px; align-items:center; margin:8px 0; }
#table input, #table select, #table button { font:inherit; font-size:13px; }
#doctable { width:100%; table-layout:fixed; border-collapse:collapse; background:#fff; font-size:13px;
            border:1px solid var(--line); }
#doctable th, #doctable td { padding:3px 6px; border-bottom:1px solid var(--line); text-align:left;
                             vertical-align:top; overflow-wrap:anywhere; }
#doctable th { cursor:pointer; user-select:none; background:#fafafc; }
#doctable th[aria-sort=ascending]::after { content:" ▲"; }
#doctable th[aria-sort=descending]::after { content:" ▼"; }
#doctable td.num, #doctable th.num { text-align:right; }
.flag { display:inline-block; font-size:11px; padding:0 5px; border-radius:9px; background:#fde8e6;
        color:var(--removed); margin:1px 2px 1px 0; }
article.doc { background:#fff; border:1px solid var(--line); border-radius:8px; margin:16px 0; padding:12px 16px; }
article.doc h3 { font-size:18px; margin:0 0 4px; }
.meta { color:var(--muted); font-size:13px; margin:0 0 8px; }
.badge { display:inline-block; font-size:11px; padding:0 6px; border-radius:9px; background:#eef;
         color:#334; margin-right:4px; vertical-align:middle; }
.frag { margin:6px 0; }
.frag.removed { color:var(--removed); }
.frag.removed del { text-decoration-thickness:1.5px; }
details.run { margin:6px 0; color:var(--removed); }
details.run summary { cursor:pointer; font-size:13px; }
details.run ol { margin:2px 0; padding-left:24px; font-size:14px; }
.reason { font-size:11px; background:#fde8e6; color:var(--removed); border-radius:9px; padding:0 6px;
          margin-left:6px; white-space:nowrap; }
.pair { display:grid; grid-template-columns:minmax(0,1fr) minmax(0,1fr); gap:12px;
        border-left:3px solid var(--bar2); padding-left:8px; }
.pair .en { color:#225; }
.frag.related { border-left:3px solid var(--line); padding-left:8px; color:var(--muted); }
.frag.title { font-weight:600; }
.frag.heading { font-weight:600; }
.error { background:#fde8e6; color:var(--removed); padding:6px 8px; border-radius:6px; }
"""

# Sorting, filtering and paging of the document table; rows come from the JSON block #rows.
SCRIPT = """
(function () {
  var d = JSON.parse(document.getElementById("rows").textContent), page = 0;
  var rows = d.rows.map(function (r) {   // expand the compact row: see _Packer
    var s = typeof r[1] == "number" ? d.sources[r[1]][0] + r[0] + d.sources[r[1]][1] : r[1];
    return [r[0], s, d.langs[r[2]], r[3], r[4], r[5], r[6], d.statuses[r[7]], d.flags[r[8]], r[9]]; });
  var shown = rows;
  var PAGE = 100, body = document.querySelector("#doctable tbody"), info = document.getElementById("tableinfo");
  var q = document.getElementById("filter"), only = document.getElementById("flagfilter"), sortCol = -1, dir = 1;
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) {
    return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]; }); }
  function draw() {
    var out = [], end = Math.min(shown.length, (page + 1) * PAGE);
    for (var i = page * PAGE; i < end; i++) {
      var r = shown[i], id = r[9] >= 0 ? '<a href="#doc-' + r[9] + '">' + esc(r[0]) + "</a>" : esc(r[0]);
      out.push('<tr data-id="' + esc(r[0]) + '" data-flags="' + esc(r[8]) + '"><td>' + id + "</td><td>" +
        esc(r[1]) + "</td><td>" + esc(r[2]) + '</td><td class="num">' + r[3] + '</td><td class="num">' + r[4] +
        '</td><td class="num">' + (r[5] === null ? "" : r[5]) + '</td><td class="num">' + r[6] + "</td><td>" + esc(r[7]) + "</td><td>" +
        r[8].split(" ").filter(Boolean).map(function (f) { return '<span class="flag">' + f + "</span>"; }).join("") +
        "</td></tr>");
    }
    body.innerHTML = out.join("");
    info.textContent = shown.length ? (page * PAGE + 1) + "–" + end + " of " + shown.length.toLocaleString("en") : "no rows";
  }
  function apply() {
    var s = q.value.toLowerCase(), f = only.value;
    shown = rows.filter(function (r) {
      return (!f || (" " + r[8] + " ").indexOf(" " + f + " ") >= 0 || (f == "any" && r[8])) &&
        (!s || (r[0] + " " + r[1] + " " + r[2] + " " + r[7]).toLowerCase().indexOf(s) >= 0); });
    if (sortCol >= 0) shown.sort(function (a, b) {
      var x = a[sortCol], y = b[sortCol]; return (x < y ? -1 : x > y ? 1 : 0) * dir; });
    page = 0; draw();
  }
  document.querySelectorAll("#doctable th").forEach(function (th) {
    th.addEventListener("click", function () {
      var c = +th.dataset.col; dir = c == sortCol ? -dir : (th.classList.contains("num") ? -1 : 1); sortCol = c;
      document.querySelectorAll("#doctable th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending"); apply(); });
  });
  q.addEventListener("input", apply); only.addEventListener("change", apply);
  document.getElementById("prev").addEventListener("click", function () { if (page > 0) { page--; draw(); } });
  document.getElementById("next").addEventListener("click", function () {
    if ((page + 1) * PAGE < shown.length) { page++; draw(); } });
  apply();
})();
"""

# (column title, numeric) of the table; row arrays hold the same order, then flags, doc anchor.
COLUMNS = (
    ("id", False),
    ("source", False),
    ("lang", False),
    ("kept chars", True),
    ("removed chars", True),
    ("kept %", True),
    ("transl.", True),
    ("status", False),
    ("flags", False),
)


def _e(s: Any) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _label(s: str) -> str:
    return s if len(s) <= MAX_LABEL_CHARS else s[: MAX_LABEL_CHARS - 1] + "…"


def bar_chart(
    chart_id: str,
    title: str,
    counts: Counter[str],
    *,
    unit: str,
    color: str = "var(--bar)",
    max_bars: int = 20,
    ordered: bool = False,
) -> str:
    """A horizontal bar chart as inline SVG; one ``<g class="bar" data-key data-value>`` per bar.

    Bars go by count (largest first), or in the counter's own order with ``ordered`` (histograms)."""
    items = (
        list(counts.items()) if ordered else sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    rest = [] if ordered else items[max_bars:]
    items = items if ordered else items[:max_bars]
    if rest:
        items.append((f"other ({len(rest)})", sum(v for _, v in rest)))
    row, label_w, bar_w, value_w = 22, 190, 200, 90  # value_w: room for "10,707,357"
    width = label_w + bar_w + value_w
    height = max(row, row * len(items))
    top = max((v for _, v in items), default=0)
    parts = [f'<figure id="{_e(chart_id)}" class="chart"><figcaption>{_e(title)}</figcaption>']
    if not items or top == 0:
        parts.append('<p class="note">none</p></figure>')
        return "".join(parts)
    parts.append(
        f'<svg role="img" aria-label="{_e(title)}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
    )
    for i, (k, v) in enumerate(items):
        y = i * row
        w = 0 if v == 0 else max(1, round(bar_w * v / top))
        parts.append(
            f'<g class="bar" data-key="{_e(k)}" data-value="{v}">'
            f"<title>{_e(k)}: {v:,} {unit}</title>"
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{_e(_label(k))}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{w}" height="{row - 8}" rx="3" fill="{color}"/>'
            f'<text class="value" x="{label_w + w + 6}" y="{y + 15}">{v:,}</text></g>'
        )
    parts.append("</svg></figure>")
    return "".join(parts)


def _share_bin(share: float) -> str:
    lo = min(int(share * 10), 9) * 10
    return f"{lo}–{lo + 10}%"


@dataclass
class _Doc:
    """What pass 1 keeps of one record: a table row and the sort keys."""

    n: int
    id: str
    source: str
    language: str
    kept: int
    removed: int
    share: float | None
    translated: int
    status: str
    flags: tuple[str, ...]

    def severity(self) -> int:
        return min((FLAGS.index(f) for f in self.flags), default=len(FLAGS))


@dataclass
class _Totals:
    target: str = "en"
    docs: int = 0
    errors: int = 0
    translated: int = 0
    flagged: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    langs: Counter[str] = field(default_factory=Counter)
    frag_langs: Counter[str] = field(default_factory=Counter)
    kept_chars: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    tstatus: Counter[str] = field(default_factory=Counter)
    error_types: Counter[str] = field(default_factory=Counter)
    flag_counts: Counter[str] = field(default_factory=Counter)
    share_bins: Counter[str] = field(
        default_factory=lambda: Counter({f"{lo}–{lo + 10}%": 0 for lo in range(0, 100, 10)})
    )

    def add(self, n: int, r: dict[str, Any]) -> _Doc:
        self.docs += 1
        rid, source = str(r.get("id") or ""), str(r.get("source") or "")
        if r.get("status") != "ok":
            etype = str((r.get("error") or {}).get("type") or "?")
            self.errors += 1
            self.statuses[f"error: {etype}"] += 1
            self.error_types[etype] += 1
            doc = _Doc(n, rid, source, "", 0, 0, None, 0, f"error: {etype}", ("error",))
            self._count_flags(doc)
            return doc
        frags, related, removed = (
            r.get("fragments") or [],
            r.get("related") or [],
            r.get("removed") or [],
        )
        self.reasons.update(x.get("reason") or "?" for x in removed)
        lang = r.get("language") or "und"
        self.langs[lang] += 1
        for f in frags + related:
            self.frag_langs[f.get("lang") or "und"] += 1
        for f in frags:
            self.kept_chars[f.get("lang") or "und"] += len(f.get("text") or "")
        t = r.get("translation") or {}
        tstatus = str(t.get("status") or "?")
        self.translated += t.get("fragments") or 0
        self.statuses[f"translation: {tstatus}"] += 1
        self.tstatus[tstatus] += 1
        stats = r.get("stats") or {}
        kept = stats.get("chars_kept", sum(len(f.get("text") or "") for f in frags))
        rel = stats.get("chars_related", sum(len(f.get("text") or "") for f in related))
        gone = stats.get("chars_removed", sum(len(x.get("text") or "") for x in removed))
        total = kept + rel + gone
        share = kept / total if total else None
        if share is not None:
            self.share_bins[_share_bin(share)] += 1
        flags = []
        if not frags:
            flags.append("empty")
        elif share is not None and share < LOW_KEPT_SHARE:
            flags.append("low_kept")
        if (
            any(
                f.get("translation") is None
                and (f.get("lang") or "und") not in (self.target, "und")
                for f in frags + related
            )
            and tstatus != "disabled"
        ):
            flags.append("untranslated")
        if any(
            (f.get("lang") or "und") not in (lang, self.target, "und")
            and len(f.get("text") or "") >= FOREIGN_MIN_CHARS
            for f in frags
        ):
            flags.append("foreign")
        doc = _Doc(
            n,
            rid,
            source,
            lang,
            kept,
            gone,
            share,
            int(stats.get("fragments_translated", t.get("fragments") or 0)),
            f"ok · {tstatus}",
            tuple(flags),
        )
        self._count_flags(doc)
        return doc

    def _count_flags(self, doc: _Doc) -> None:
        self.flagged += bool(doc.flags)
        self.flag_counts.update(doc.flags)


class _Picker:
    """Bounded choice of table rows and of documents to render, deterministic for a corpus.

    The documents shown in full are drawn from each kind of flagged document in turn (by its
    most urgent flag: errors, nothing kept, ...), so that one common kind cannot fill the
    sample, then from the unflagged ones; within a kind, those with the smallest hash of
    position and id, which spreads them over the corpus and is the same on every run."""

    def __init__(self, table_rows: int, sample: int, target: str = "en") -> None:
        self.table_rows, self.sample, self.target = table_rows, sample, target
        self.flagged: list[tuple[int, int, _Doc]] = []  # (severity, n, doc), trimmed to table_rows
        self.plain: list[_Doc] = []  # unflagged, in input order, up to table_rows
        # per kind (severity; len(FLAGS) = unflagged): max-heap of (-hash, n, html), size <= sample
        self.kinds: dict[int, list[tuple[int, int, str]]] = {}

    def add(self, doc: _Doc, record: dict[str, Any]) -> None:
        sev = doc.severity()
        if doc.flags:
            self.flagged.append((sev, doc.n, doc))
            if len(self.flagged) > 2 * max(self.table_rows, 1):
                self.flagged = heapq.nsmallest(self.table_rows, self.flagged)
        elif len(self.plain) < self.table_rows:
            self.plain.append(doc)
        key = int.from_bytes(hashlib.sha1(f"{doc.n}\0{doc.id}".encode()).digest()[:8], "big")
        heap = self.kinds.setdefault(sev, [])
        if len(heap) < self.sample:
            heapq.heappush(heap, (-key, doc.n, _doc_html(doc.n, record, self.target, doc.flags)))
        elif self.sample and -heap[0][0] > key:
            heapq.heapreplace(heap, (-key, doc.n, _doc_html(doc.n, record, self.target, doc.flags)))

    def result(self) -> tuple[list[_Doc], list[tuple[int, str]]]:
        """(table rows, (document number, its HTML) to show in full, in that order)."""
        rows = ([d for _, _, d in sorted(self.flagged)] + self.plain)[: self.table_rows]
        queues = {
            sev: [(n, h) for _, n, h in sorted(heap, key=lambda t: -t[0])]
            for sev, heap in sorted(self.kinds.items())
            if sev < len(FLAGS)
        }
        picked: list[tuple[int, str]] = []
        while len(picked) < self.sample and any(queues.values()):
            for q in queues.values():
                if q and len(picked) < self.sample:
                    picked.append(q.pop(0))
        plain = sorted(self.kinds.get(len(FLAGS), []), key=lambda t: -t[0])
        picked += [(n, h) for _, n, h in plain][: self.sample - len(picked)]
        return rows, picked


class _Packer:
    """The table rows as compact JSON: repeated strings (language, status, flags) become indexes
    into lists, and a source that is ``prefix + id + suffix`` (a crawler's file name) becomes
    the index of its (prefix, suffix) pair; the page's script expands them again."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[Any, int]] = {
            "langs": {},
            "statuses": {},
            "flags": {},
            "sources": {},
        }

    def _index(self, table: str, value: Any) -> int:
        t = self.tables[table]
        return t.setdefault(value, len(t))

    def row(self, doc: _Doc, anchor: int) -> list[Any]:
        share = None if doc.share is None else round(100 * doc.share)
        src: Any = doc.source
        at = doc.source.rfind(doc.id) if doc.id else -1
        if at >= 0 and len(self.tables["sources"]) < MAX_SOURCE_PATTERNS:
            src = self._index("sources", (doc.source[:at], doc.source[at + len(doc.id) :]))
        return [
            doc.id,
            src,
            self._index("langs", doc.language),
            doc.kept,
            doc.removed,
            share,
            doc.translated,
            self._index("statuses", doc.status),
            self._index("flags", " ".join(doc.flags)),
            anchor,
        ]

    def payload(self, rows: list[list[Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {k: list(v) for k, v in self.tables.items()}
        out["rows"] = rows
        return out


def _removed_html(f: dict[str, Any]) -> str:
    return (
        f'<p class="frag removed" data-reason="{_e(f.get("reason"))}" data-rule="{_e(f.get("rule"))}">'
        f'<del>{_e(f.get("text"))}</del><span class="reason">{_e(f.get("reason"))}</span></p>'
    )


def _run_html(run: list[dict[str, Any]]) -> str:
    """A lone removed line in place; a longer run folded into one line that opens on a click,
    listing at most MAX_RUN_LINES of its lines (lighter markup: the rule is in the tooltip)."""
    if len(run) < MIN_FOLDED_RUN:
        return "".join(_removed_html(f) for f in run)
    reasons = Counter(f.get("reason") or "?" for f in run)
    why = ", ".join(
        f"{k} ×{v}" if v > 1 else k
        for k, v in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    lines = "".join(
        f'<li title="{_e(f.get("rule"))}"><del>{_e(f.get("text"))}</del>'
        f'<span class="reason">{_e(f.get("reason"))}</span></li>'
        for f in run[:MAX_RUN_LINES]
    )
    more = (
        f'<p class="note">… and {len(run) - MAX_RUN_LINES:,} more removed lines</p>'
        if len(run) > MAX_RUN_LINES
        else ""
    )
    return (
        f'<details class="run" data-lines="{len(run)}"><summary>{len(run)} removed lines '
        f'<span class="reason">{_e(why)}</span></summary><ol>{lines}</ol>{more}</details>'
    )


def _doc_html(n: int, r: dict[str, Any], target: str, flags: tuple[str, ...] = ()) -> str:
    rid, status = r.get("id"), r.get("status")
    out = [
        f'<article class="doc" id="doc-{n}" data-id="{_e(rid)}" data-status="{_e(status)}" '
        f'data-flags="{_e(" ".join(flags))}">'
    ]
    out.append(f"<h3>{_e(r.get('title') or rid)}</h3>")
    meta = [f"id {_e(rid)}"]
    if r.get("source"):
        meta.append(_e(r["source"]))
    if r.get("url"):
        meta.append(f'<a href="{_e(r["url"])}" rel="noreferrer noopener">{_e(r["url"])}</a>')
    for key in ("site_name", "published"):
        if r.get(key):
            meta.append(f'<span class="{key}">{_e(r[key])}</span>')
    if r.get("authors"):
        meta.append(f'<span class="authors">{_e(", ".join(r["authors"]))}</span>')
    if status == "ok":
        t = r.get("translation") or {}
        meta.append(
            f'<span class="badge lang">{_e(r.get("language"))}</span>'
            f'<span class="badge tstatus">translation {_e(t.get("status"))}</span>'
        )
    meta.extend(f'<span class="flag" title="{_e(FLAG_HELP[f])}">{_e(f)}</span>' for f in flags)
    out.append(f'<p class="meta">{" · ".join(meta)}</p>')
    if status != "ok":
        err = r.get("error") or {}
        out.append(
            f'<p class="error" data-type="{_e(err.get("type"))}">{_e(err.get("type"))}: '
            f"{_e(err.get('message'))}</p></article>"
        )
        return "".join(out)
    pieces: list[tuple[Any, ...]] = []
    for kind, seq in (
        ("kept", r.get("fragments") or []),
        ("related", r.get("related") or []),
        ("removed", r.get("removed") or []),
    ):
        for i, f in enumerate(seq):
            pieces.append(
                (
                    int(f.get("start") or 0),
                    {"kept": 0, "related": 0, "removed": 1}[kind],
                    i,
                    kind,
                    f,
                )
            )
    pieces.sort(key=lambda p: (p[0], p[1], p[2]))
    out.append('<div class="body">')
    run: list[dict[str, Any]] = []
    for _, _, _, kind, f in pieces:
        if kind == "removed":
            run.append(f)
            continue
        if run:
            out.append(_run_html(run))
            run = []
        role, lang = f.get("role") or "body", f.get("lang") or "und"
        cls = f"frag kept {'related' if kind == 'related' else ''} {_e(role)}".replace("  ", " ")
        badge = f'<span class="badge">{_e(lang)}{" · " + _e(role) if role != "body" else ""}</span>'
        if f.get("translation") is not None:
            out.append(
                f'<div class="{cls} pair" data-lang="{_e(lang)}" data-role="{_e(role)}">'
                f'<div class="orig" lang="{_e(lang)}">{badge}{_e(f["text"])}</div>'
                f'<div class="en" lang="{_e(target)}"><span class="badge">{_e(target)}</span>'
                f"{_e(f['translation'])}</div></div>"
            )
        else:
            untranslated = lang not in (target, "und")
            note = '<span class="note"> (not translated)</span>' if untranslated else ""
            out.append(
                f'<p class="{cls}" data-lang="{_e(lang)}" data-role="{_e(role)}" lang="{_e(lang)}">'
                f"{badge}{_e(f['text'])}{note}</p>"
            )
    if run:
        out.append(_run_html(run))
    out.append("</div></article>")
    return "".join(out)


def _table_html(payload: dict[str, Any], totals: _Totals) -> str:
    rows = payload["rows"]
    heads = "".join(
        f'<th data-col="{i}"{" class=num" if num else ""} scope="col">{_e(t)}</th>'
        for i, (t, num) in enumerate(COLUMNS)
    )
    options = "".join(
        f'<option value="{f}">{f} ({totals.flag_counts[f]:,})</option>' for f in FLAGS
    )
    listed = (
        f"all {totals.docs:,} documents"
        if len(rows) == totals.docs
        else f"{len(rows):,} of {totals.docs:,} documents (the flagged ones first, then in input order)"
    )
    legend = "; ".join(f"<b>{f}</b>: {_e(FLAG_HELP[f])}" for f in FLAGS)
    # "</" cannot end the JSON block early: json.dumps escapes nothing of HTML, so escape "<".
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return (
        f'<section id="table"><h2 class="section">Documents</h2>'
        f'<p class="note">The table lists {listed}, those worth a look first. '
        f"Click a column to sort; ids link to the documents shown in full below. {legend}.</p>"
        f'<div class="controls"><input id="filter" type="search" placeholder="filter id, source, '
        f'language, status" size="32"><select id="flagfilter"><option value="">all documents</option>'
        f'<option value="any">flagged ({totals.flagged:,})</option>{options}</select>'
        f'<button id="prev" type="button">◀</button><span id="tableinfo" class="note"></span>'
        f'<button id="next" type="button">▶</button></div>'
        f'<table id="doctable"><colgroup><col style="width:15%"><col style="width:21%"><col style="width:7%">'
        f'<col style="width:8%"><col style="width:8%"><col style="width:6%"><col style="width:7%">'
        f'<col style="width:13%"><col style="width:15%"></colgroup>'
        f"<thead><tr>{heads}</tr></thead><tbody></tbody></table>"
        f'<noscript><p class="note">The table needs JavaScript.</p></noscript>'
        f'<script type="application/json" id="rows">{data}</script></section>\n'
    )


def render_report(
    records: Iterable[dict[str, Any]],
    out: IO[str],
    *,
    sample: int = DEFAULT_SAMPLE,
    table_rows: int = DEFAULT_TABLE_ROWS,
    title: str | None = None,
    target: str = "en",
    limit: int | None = None,
) -> int:
    """Write the page for ``records`` (read once) to ``out``. ``limit`` is the older name of
    ``sample``. Returns the number of records."""
    if limit is not None:
        sample = limit
    sample, table_rows = max(0, sample), max(0, table_rows)
    totals = _Totals(target=target)
    picker = _Picker(table_rows, sample, target)
    for n, r in enumerate(records):
        picker.add(totals.add(n, r), r)
    table, chosen = picker.result()
    order = {n for n, _ in chosen}
    title = title or "normalizer run report"
    out.write(
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>\n"
    )
    out.write(
        f'<header><h1>{_e(title)}</h1><p class="totals" id="totals" data-documents="{totals.docs}" '
        f'data-ok="{totals.docs - totals.errors}" data-errors="{totals.errors}" '
        f'data-flagged="{totals.flagged}" data-shown="{len(chosen)}" '
        f'data-translated="{totals.translated}">{totals.docs:,} documents · '
        f"{totals.docs - totals.errors:,} ok · {totals.errors:,} errors · "
        f"{totals.flagged:,} flagged · {sum(totals.reasons.values()):,} removed fragments · "
        f"{totals.translated:,} translated fragments · {len(chosen):,} shown in full</p></header>\n"
    )
    out.write('<section id="charts">')
    out.write(
        bar_chart(
            "chart-reasons",
            "Removed fragments by reason",
            totals.reasons,
            unit="fragments",
            color="var(--removed)",
        )
    )
    out.write(
        bar_chart(
            "chart-kept-share",
            "Kept share of characters per document",
            totals.share_bins,
            unit="documents",
            ordered=True,
        )
    )
    out.write(bar_chart("chart-languages", "Documents by language", totals.langs, unit="documents"))
    out.write(
        bar_chart(
            "chart-kept-languages",
            "Kept characters by language",
            totals.kept_chars,
            unit="characters",
            color="var(--bar2)",
        )
    )
    out.write(
        bar_chart(
            "chart-fragment-languages",
            "Kept fragments by language",
            totals.frag_langs,
            unit="fragments",
            color="var(--bar2)",
        )
    )
    out.write(
        bar_chart("chart-translation", "Translation status", totals.tstatus, unit="documents")
    )
    out.write(
        bar_chart(
            "chart-errors",
            "Error types",
            totals.error_types,
            unit="documents",
            color="var(--removed)",
        )
    )
    out.write(
        bar_chart(
            "chart-flags",
            "Flagged documents by reason",
            Counter({f: totals.flag_counts[f] for f in FLAGS}),
            unit="documents",
            color="var(--removed)",
            ordered=True,
        )
    )
    out.write(
        bar_chart(
            "chart-status", "Record status", totals.statuses, unit="documents", color="var(--muted)"
        )
    )
    out.write("</section>\n")
    packer = _Packer()
    rows = [packer.row(d, d.n if d.n in order else -1) for d in table]
    out.write(_table_html(packer.payload(rows), totals))
    out.write(
        f'<main id="docs"><h2 class="section">Documents in full</h2><p class="note">{len(chosen):,} '
        f"of {totals.docs:,}: flagged ones first, each kind in turn, then a fixed sample of the rest. Runs of "
        f"{MIN_FOLDED_RUN} or more removed lines are folded; click to open.</p>\n"
    )
    for _, doc_html in chosen:
        out.write(doc_html)
        out.write("\n")
    out.write(f"</main><script>{SCRIPT}</script></body></html>\n")
    return totals.docs


def _umask_perms(path: str) -> None:
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


def write_report(
    records_path: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    sample: int = DEFAULT_SAMPLE,
    table_rows: int = DEFAULT_TABLE_ROWS,
    title: str | None = None,
    target: str = "en",
    limit: int | None = None,
) -> int:
    """Read ``records_path`` (once) and write the report to ``output`` atomically."""
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    _umask_perms(tmp)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            n = render_report(
                read_records(records_path),
                f,
                sample=sample,
                table_rows=table_rows,
                limit=limit,
                title=title or f"normalizer report: {Path(records_path).name}",
                target=target,
            )
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return n
