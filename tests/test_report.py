"""The audit report, rendered by a real browser (headless Chromium), checked on the DOM."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from normalizer.report import write_report

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)

UK_FRAG = {"text": "Україна отримала нові системи оборони.", "lang": "uk", "lang_confidence": 0.99,
           "role": "body", "translation": "Ukraine received new defence systems.", "start": 10, "end": 48}
EN_FRAG = {"text": "Officials <b>confirmed</b> the delivery.", "lang": "en", "lang_confidence": 0.98,
           "role": "body", "translation": None, "start": 49, "end": 89}
TITLE = {"text": "Air defence arrives", "lang": "en", "lang_confidence": 0.9, "role": "title",
         "translation": None, "start": 0, "end": 9}
TRANSLATED = {
    "id": "tr1", "source": "x/tr1.txt", "url": "https://news.example.ua/1", "status": "ok", "error": None,
    "title": "Air defence arrives", "language": "uk", "text": "...", "original_text": "...",
    "fragments": [TITLE, UK_FRAG, EN_FRAG], "related": [],
    "removed": [{"text": "Читати більше", "reason": "read_more", "rule": "uk:read_more", "start": 90, "end": 103}],
    "translation": {"status": "ok", "model": "uk_en", "fragments": 1, "needed": 1},
    "stats": {}, "content_type": "text", "schema_version": "1.0", "normalizer_version": "0.1.0"}
ERROR = {"id": "bad", "source": "x/bad.bin", "url": None, "status": "error",
         "error": {"type": "binary_input", "message": "x/bad.bin: input looks binary"},
         "title": None, "language": "und", "text": "", "original_text": "", "fragments": [], "related": [],
         "removed": [], "translation": {"status": "not_needed", "model": None, "fragments": 0},
         "stats": {}, "content_type": None, "schema_version": "1.0", "normalizer_version": "0.1.0"}


@pytest.fixture(scope="module")
def records_file(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("rep")
    out = d / "samples.jsonl"
    # no translation models: the samples' Ukrainian teasers stay untranslated
    env = {**os.environ, "NORMALIZER_MODELS_DIR": str(d / "no-models")}
    p = subprocess.run([sys.executable, "-m", "normalizer", "run", "samples", "-o", str(out), "--no-cache", "-q"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert p.returncode == 0, p.stderr
    with open(out, "a", encoding="utf-8") as f:
        for r in (TRANSLATED, ERROR):
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return out


def chromium(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed here (CI installs it: apt-get install chromium)")
    profile = cwd / "profile"
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--no-first-run", "--disable-extensions",
                           f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, cwd=cwd)


@pytest.fixture(scope="module")
def dom(records_file, tmp_path_factory):
    d = tmp_path_factory.mktemp("html")
    page = d / "report.html"
    n = write_report(records_file, page)
    assert n == 7
    p = chromium("--dump-dom", page.as_uri(), cwd=d)
    assert p.returncode == 0, p.stderr[-2000:]
    assert "<main" in p.stdout
    return BeautifulSoup(p.stdout, "html.parser")


def bars(dom, chart_id):
    return {g["data-key"]: int(g["data-value"]) for g in dom.select(f"#{chart_id} svg g.bar")}


def test_charts_cover_the_corpus(dom):
    reasons = bars(dom, "chart-reasons")
    assert reasons["donation_appeal"] == 10 and reasons["read_more"] >= 11 and reasons["cookie_notice"] == 1
    assert bars(dom, "chart-languages") == {"en": 5, "uk": 1}
    assert "error: binary_input" in bars(dom, "chart-status")
    totals = dom.select_one("#totals")
    assert totals["data-documents"] == "7" and totals["data-errors"] == "1"
    # bars are drawn: widths scale with the values
    rects = dom.select("#chart-reasons svg g.bar rect")
    assert float(rects[0]["width"]) > float(rects[-1]["width"]) > 0


def test_every_document_is_shown_in_input_order(dom):
    ids = [a["data-id"] for a in dom.select("main article.doc")]
    assert ids[:5] == sorted(p.stem for p in (ROOT / "samples").glob("*.txt"))
    assert ids[5:] == ["tr1", "bad"]


def test_removed_fragments_struck_through_with_reason(dom):
    doc = dom.select_one('article[data-id="002_e56c7f6acdd085b3"]')
    removed = doc.select("p.frag.removed")
    assert ("Цей сайт використовує Cookies.", "cookie_notice") in [
        (p.select_one("del").get_text(), p.select_one(".reason").get_text()) for p in removed]
    assert all(p["data-reason"] for p in removed)
    # kept and removed pieces are interleaved in page order
    first = dom.select_one('article[data-id="000_3883c2c760ea2280"] .body').find_all(recursive=False)
    kinds = ["removed" if "removed" in x["class"] else "kept" for x in first]
    assert kinds[:3] == ["kept", "removed", "kept"]          # title, "By" byline stub, body


def test_ukrainian_beside_english(dom):
    doc = dom.select_one('article[data-id="tr1"]')
    pair = doc.select_one(".pair")
    assert pair["data-lang"] == "uk"
    assert "Україна отримала" in pair.select_one('.orig[lang="uk"]').get_text()
    assert "Ukraine received" in pair.select_one('.en[lang="en"]').get_text()
    # text is escaped, never interpreted as markup
    assert "<b>confirmed</b>" in doc.get_text() and doc.select_one(".body b") is None
    # untranslated Ukrainian (no model installed) is marked as such
    rel = dom.select('article[data-id="002_e56c7f6acdd085b3"] .frag.related[data-lang="uk"]')
    assert len(rel) == 6 and all("not translated" in r.get_text() for r in rel)


def test_error_record_shown(dom):
    err = dom.select_one('article[data-id="bad"] .error')
    assert err["data-type"] == "binary_input" and "looks binary" in err.get_text()


def test_page_is_self_contained_and_renders(records_file, tmp_path):
    page = tmp_path / "r.html"
    write_report(records_file, page, limit=2)
    html = page.read_text("utf-8")
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert 'src="' not in html and "<link" not in html
    assert html.count('<article class="doc"') == 2 and "showing the first 2" in html
    p = chromium("--screenshot=" + str(tmp_path / "shot.png"), "--window-size=1200,1600", "--hide-scrollbars",
                 page.as_uri(), cwd=tmp_path)
    assert p.returncode == 0, p.stderr[-2000:]
    png = (tmp_path / "shot.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20000   # a real, non-blank page


def test_cli_report(records_file, tmp_path):
    out = tmp_path / "cli.html"
    p = subprocess.run([sys.executable, "-m", "normalizer", "report", str(records_file), "-o", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert out.exists() and "7 records" in p.stderr
