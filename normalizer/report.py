"""Audit report: one static HTML page to check a run's records by eye.

``normalizer report RECORDS -o report.html`` reads records (JSON Lines, ``.gz`` or Parquet)
twice, so memory stays flat: pass 1 counts removal reasons, languages and statuses over the
whole corpus for the charts at the top; pass 2 writes, per document (up to ``limit``), the
kept text in page order with every removed fragment struck through beside its reason, and
every translated fragment beside its English. The page is self-contained: inline CSS and
SVG, no script, nothing fetched from the network. Written atomically.
"""
from __future__ import annotations

import html
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import IO, Any, Iterable

from .write import read_records

CSS = """
:root { --fg:#1d1d1f; --muted:#6e6e73; --line:#e3e3e8; --kept:#fff; --removed:#b3261e;
        --bar:#3867d6; --bar2:#20bf6b; --bg:#f6f6f8; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif; color:var(--fg);
       background:var(--bg); }
header, main, #charts { max-width:1100px; margin:0 auto; padding:0 16px; }
header h1 { margin:24px 0 4px; font-size:24px; }
.totals { color:var(--muted); margin:0 0 16px; }
#charts { display:grid; grid-template-columns:repeat(auto-fit,minmax(320px,1fr)); gap:16px; }
figure { margin:0; background:#fff; border:1px solid var(--line); border-radius:8px; padding:12px; }
figcaption { font-weight:600; margin-bottom:8px; }
figure svg { width:100%; height:auto; display:block; }
svg text { font:12px system-ui,sans-serif; fill:var(--fg); }
svg .value { fill:var(--muted); }
.note { color:var(--muted); font-size:13px; }
article.doc { background:#fff; border:1px solid var(--line); border-radius:8px; margin:16px 0; padding:12px 16px; }
article.doc h2 { font-size:18px; margin:0 0 4px; }
.meta { color:var(--muted); font-size:13px; margin:0 0 8px; word-break:break-all; }
.badge { display:inline-block; font-size:11px; padding:0 6px; border-radius:9px; background:#eef;
         color:#334; margin-right:4px; vertical-align:middle; }
.frag { margin:6px 0; }
.frag.removed { color:var(--removed); }
.frag.removed del { text-decoration-thickness:1.5px; }
.reason { font-size:11px; background:#fde8e6; color:var(--removed); border-radius:9px; padding:0 6px;
          margin-left:6px; white-space:nowrap; }
.pair { display:grid; grid-template-columns:1fr 1fr; gap:12px; border-left:3px solid var(--bar2);
        padding-left:8px; }
.pair .en { color:#225; }
.frag.related { border-left:3px solid var(--line); padding-left:8px; color:var(--muted); }
.frag.title { font-weight:600; }
.frag.heading { font-weight:600; }
.error { background:#fde8e6; color:var(--removed); padding:6px 8px; border-radius:6px; }
"""


def _e(s: Any) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def bar_chart(chart_id: str, title: str, counts: Counter[str], *, unit: str, color: str = "var(--bar)",
              max_bars: int = 20) -> str:
    """A horizontal bar chart as inline SVG; one ``<g class="bar" data-key data-value>`` per bar."""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    rest = items[max_bars:]
    items = items[:max_bars]
    if rest:
        items.append((f"other ({len(rest)})", sum(v for _, v in rest)))
    row, label_w, bar_w, value_w = 22, 190, 200, 60
    width = label_w + bar_w + value_w
    height = max(row, row * len(items))
    top = max((v for _, v in items), default=0)
    parts = [f'<figure id="{_e(chart_id)}" class="chart"><figcaption>{_e(title)}</figcaption>']
    if not items:
        parts.append('<p class="note">none</p></figure>')
        return "".join(parts)
    parts.append(f'<svg role="img" aria-label="{_e(title)}" '
                 f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">')
    for i, (k, v) in enumerate(items):
        y = i * row
        w = 0 if top == 0 else max(1, round(bar_w * v / top))
        parts.append(
            f'<g class="bar" data-key="{_e(k)}" data-value="{v}">'
            f'<title>{_e(k)}: {v} {unit}</title>'
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end">{_e(k)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{w}" height="{row - 8}" rx="3" fill="{color}"/>'
            f'<text class="value" x="{label_w + w + 6}" y="{y + 15}">{v}</text></g>')
    parts.append("</svg></figure>")
    return "".join(parts)


class _Totals:
    def __init__(self) -> None:
        self.docs = self.errors = self.translated = 0
        self.reasons: Counter[str] = Counter()
        self.langs: Counter[str] = Counter()
        self.frag_langs: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()

    def add(self, r: dict[str, Any]) -> None:
        self.docs += 1
        if r.get("status") != "ok":
            self.errors += 1
            self.statuses[f"error: {(r.get('error') or {}).get('type', '?')}"] += 1
            return
        self.reasons.update(x["reason"] for x in r.get("removed") or [])
        self.langs[r.get("language") or "und"] += 1
        for f in (r.get("fragments") or []) + (r.get("related") or []):
            self.frag_langs[f.get("lang") or "und"] += 1
        t = r.get("translation") or {}
        self.translated += t.get("fragments") or 0
        self.statuses[f"translation: {t.get('status', '?')}"] += 1


def _doc_html(n: int, r: dict[str, Any], target: str) -> str:
    rid, status = r.get("id"), r.get("status")
    out = [f'<article class="doc" id="doc-{n}" data-id="{_e(rid)}" data-status="{_e(status)}">']
    out.append(f'<h2>{_e(r.get("title") or rid)}</h2>')
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
        meta.append(f'<span class="badge lang">{_e(r.get("language"))}</span>'
                    f'<span class="badge tstatus">translation {_e(t.get("status"))}</span>')
    out.append(f'<p class="meta">{" · ".join(meta)}</p>')
    if status != "ok":
        err = r.get("error") or {}
        out.append(f'<p class="error" data-type="{_e(err.get("type"))}">{_e(err.get("type"))}: '
                   f'{_e(err.get("message"))}</p></article>')
        return "".join(out)
    pieces: list[tuple[Any, ...]] = []
    for kind, seq in (("kept", r.get("fragments") or []), ("related", r.get("related") or []),
                      ("removed", r.get("removed") or [])):
        for i, f in enumerate(seq):
            pieces.append((int(f.get("start") or 0), {"kept": 0, "related": 0, "removed": 1}[kind], i,
                           kind, f))
    pieces.sort(key=lambda p: (p[0], p[1], p[2]))
    out.append('<div class="body">')
    for _, _, _, kind, f in pieces:
        if kind == "removed":
            out.append(f'<p class="frag removed" data-reason="{_e(f["reason"])}" data-rule="{_e(f.get("rule"))}">'
                       f'<del>{_e(f["text"])}</del><span class="reason">{_e(f["reason"])}</span></p>')
            continue
        role, lang = f.get("role") or "body", f.get("lang") or "und"
        cls = f"frag kept {'related' if kind == 'related' else ''} {_e(role)}".replace("  ", " ")
        badge = f'<span class="badge">{_e(lang)}{" · " + _e(role) if role != "body" else ""}</span>'
        if f.get("translation") is not None:
            out.append(f'<div class="{cls} pair" data-lang="{_e(lang)}" data-role="{_e(role)}">'
                       f'<div class="orig" lang="{_e(lang)}">{badge}{_e(f["text"])}</div>'
                       f'<div class="en" lang="{_e(target)}"><span class="badge">{_e(target)}</span>'
                       f'{_e(f["translation"])}</div></div>')
        else:
            untranslated = lang not in (target, "und")
            note = '<span class="note"> (not translated)</span>' if untranslated else ""
            out.append(f'<p class="{cls}" data-lang="{_e(lang)}" data-role="{_e(role)}" lang="{_e(lang)}">'
                       f'{badge}{_e(f["text"])}{note}</p>')
    out.append("</div></article>")
    return "".join(out)


def render_report(records: Iterable[dict[str, Any]], docs: Iterable[dict[str, Any]], out: IO[str], *,
                  limit: int | None = 1000, title: str | None = None, target: str = "en") -> int:
    """Write the page to ``out``: ``records`` feeds the charts, ``docs`` (the same records,
    read again) the per-document part. Returns the number of records."""
    totals = _Totals()
    for r in records:
        totals.add(r)
    title = title or "normalizer run report"
    out.write('<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
              '<meta name="viewport" content="width=device-width, initial-scale=1">'
              f"<title>{_e(title)}</title><style>{CSS}</style></head><body>\n")
    shown = totals.docs if limit is None else min(limit, totals.docs)
    out.write(f'<header><h1>{_e(title)}</h1><p class="totals" id="totals" data-documents="{totals.docs}" '
              f'data-ok="{totals.docs - totals.errors}" data-errors="{totals.errors}" '
              f'data-translated="{totals.translated}">{totals.docs} documents · '
              f'{totals.docs - totals.errors} ok · {totals.errors} errors · '
              f'{sum(totals.reasons.values())} removed fragments · {totals.translated} translated fragments'
              f'{f" · showing the first {shown}" if shown < totals.docs else ""}</p></header>\n')
    out.write('<section id="charts">')
    out.write(bar_chart("chart-reasons", "Removed fragments by reason", totals.reasons, unit="fragments",
                        color="var(--removed)"))
    out.write(bar_chart("chart-languages", "Documents by language", totals.langs, unit="documents"))
    out.write(bar_chart("chart-fragment-languages", "Kept fragments by language", totals.frag_langs,
                        unit="fragments", color="var(--bar2)"))
    out.write(bar_chart("chart-status", "Record status", totals.statuses, unit="documents",
                        color="var(--muted)"))
    out.write("</section>\n<main id=\"docs\">\n")
    for n, r in enumerate(docs):
        if limit is not None and n >= limit:
            break
        out.write(_doc_html(n, r, target))
        out.write("\n")
    out.write("</main></body></html>\n")
    return totals.docs


def _umask_perms(path: str) -> None:
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


def write_report(records_path: str | os.PathLike[str], output: str | os.PathLike[str], *,
                 limit: int | None = 1000, title: str | None = None, target: str = "en") -> int:
    """Read ``records_path`` (twice) and write the report to ``output`` atomically."""
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    _umask_perms(tmp)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            n = render_report(read_records(records_path), read_records(records_path), f,
                              limit=limit, title=title or f"normalizer report: {Path(records_path).name}",
                              target=target)
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return n
