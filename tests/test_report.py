"""The audit report, rendered by a real browser (headless Chromium) at 1,400 px, checked on the
DOM after its script ran, with screenshots taken here (kept under the test's tmp folder)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from normalizer.io.report import write_report

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = next(
    (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
    None,
)

UK_FRAG = {
    "text": "Україна отримала нові системи оборони.",
    "lang": "uk",
    "lang_confidence": 0.99,
    "role": "body",
    "translation": "Ukraine received new defence systems.",
    "start": 10,
    "end": 48,
}
EN_FRAG = {
    "text": "Officials <b>confirmed</b> the delivery.",
    "lang": "en",
    "lang_confidence": 0.98,
    "role": "body",
    "translation": None,
    "start": 49,
    "end": 89,
}
TITLE = {
    "text": "Air defence arrives",
    "lang": "en",
    "lang_confidence": 0.9,
    "role": "title",
    "translation": None,
    "start": 0,
    "end": 9,
}
TRANSLATED = {
    "id": "tr1",
    "source": "x/tr1.txt",
    "url": "https://news.example.ua/1",
    "status": "ok",
    "error": None,
    "title": "Air defence arrives",
    "language": "uk",
    "text": "...",
    "original_text": "...",
    "fragments": [TITLE, UK_FRAG, EN_FRAG],
    "related": [],
    "removed": [
        {
            "text": "Читати більше",
            "reason": "read_more",
            "rule": "uk:read_more",
            "start": 90,
            "end": 103,
        }
    ],
    "translation": {"status": "ok", "model": "uk_en", "fragments": 1, "needed": 1},
    "stats": {},
    "content_type": "text",
    "schema_version": "1.0",
    "normalizer_version": "0.1.0",
}
LONG_TOKEN = "https://news.example.ua/" + "a" * 600 + "?utm_source=" + "b" * 400
LONG = {
    "id": "long-" + "x" * 300,
    "source": "x/" + "y" * 400 + ".txt",
    "url": None,
    "status": "ok",
    "error": None,
    "title": "T" * 500,
    "language": "en",
    "text": "...",
    "original_text": "...",
    "fragments": [
        {
            "text": "Officials spoke " + LONG_TOKEN,
            "lang": "en",
            "lang_confidence": 0.9,
            "role": "body",
            "translation": None,
            "start": 0,
            "end": 1040,
        },
        {
            "text": "Україна " + "щ" * 700,
            "lang": "uk",
            "lang_confidence": 0.9,
            "role": "body",
            "translation": "Ukraine " + "z" * 700,
            "start": 1041,
            "end": 1748,
        },
    ],
    "related": [],
    "removed": [
        {
            "text": "menu" + str(i) + "_" + "m" * 300,
            "reason": "navigation",
            "rule": "nav:" + "r" * 200,
            "start": 2000 + i * 400,
            "end": 2300 + i * 400,
        }
        for i in range(40)
    ],
    "translation": {"status": "ok", "model": "uk_en", "fragments": 1, "needed": 1},
    "stats": {"chars_kept": 1748, "chars_related": 0, "chars_removed": 12000},
    "content_type": "text",
    "schema_version": "1.0",
    "normalizer_version": "0.1.0",
}
EMPTY = {
    **TRANSLATED,
    "id": "empty",
    "source": "x/empty.txt",
    "title": None,
    "fragments": [],
    "removed": [{"text": "Menu", "reason": "navigation", "rule": "nav", "start": 0, "end": 4}],
    "translation": {"status": "not_needed", "model": None, "fragments": 0},
    "stats": {"chars_kept": 0, "chars_related": 0, "chars_removed": 4},
}
FOREIGN = {
    **TRANSLATED,
    "id": "ruin",
    "source": "x/ruin.txt",
    "language": "uk",
    "fragments": [
        TITLE,
        UK_FRAG,
        {
            "text": "Российские войска продолжают наступление на восточном направлении, "
            "сообщили в штабе во вторник утром.",
            "lang": "ru",
            "lang_confidence": 0.95,
            "role": "body",
            "translation": None,
            "start": 200,
            "end": 300,
        },
    ],
    "translation": {"status": "partial", "model": "uk_en", "fragments": 1},
    "removed": [],
    "stats": {"chars_kept": 300, "chars_related": 0, "chars_removed": 0},
}
ERROR = {
    "id": "bad",
    "source": "x/bad.bin",
    "url": None,
    "status": "error",
    "error": {"type": "binary_input", "message": "x/bad.bin: input looks binary"},
    "title": None,
    "language": "und",
    "text": "",
    "original_text": "",
    "fragments": [],
    "related": [],
    "removed": [],
    "translation": {"status": "not_needed", "model": None, "fragments": 0},
    "stats": {},
    "content_type": None,
    "schema_version": "1.0",
    "normalizer_version": "0.1.0",
}


@pytest.fixture(scope="module")
def records_file(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("rep")
    out = d / "samples.jsonl"
    # no translation models: the samples' Ukrainian teasers stay untranslated
    env = {**os.environ, "NORMALIZER_MODELS_DIR": str(d / "no-models")}
    p = subprocess.run(
        [sys.executable, "-m", "normalizer", "run", "samples", "-o", str(out), "--no-cache", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert p.returncode == 0, p.stderr
    with open(out, "a", encoding="utf-8") as f:
        for r in (TRANSLATED, ERROR, LONG, EMPTY, FOREIGN):
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return out


SAMPLE_IDS = sorted(p.stem for p in (ROOT / "samples").glob("*.txt"))
ALL_IDS = [*SAMPLE_IDS, "tr1", "bad", LONG["id"], "empty", "ruin"]

# Appended to a copy of the page: runs after the page's own script, drives the table like a
# user (sort, filter) and writes what it saw, plus the page's width, into <pre id="probe">.
PROBE = """<script>
(function () {
  function ids() { return Array.prototype.map.call(document.querySelectorAll("#doctable tbody tr"),
                                                   function (tr) { return tr.dataset.id; }); }
  var out = {initial: ids(), scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
             wide: []};
  document.querySelectorAll("body *").forEach(function (el) {
    var r = el.getBoundingClientRect(); if (r.right > window.innerWidth + 1) out.wide.push(el.tagName + "." + el.className); });
  var kept = document.querySelector('#doctable th[data-col="3"]');
  kept.click(); out.keptDesc = ids(); kept.click(); out.keptAsc = ids();
  var q = document.getElementById("filter"); q.value = "x/ruin"; q.dispatchEvent(new Event("input"));
  out.filtered = ids(); q.value = ""; q.dispatchEvent(new Event("input"));
  var sel = document.getElementById("flagfilter"); sel.value = "untranslated"; sel.dispatchEvent(new Event("change"));
  out.untranslated = ids(); sel.value = ""; sel.dispatchEvent(new Event("change"));   // all rows again
  var pre = document.createElement("pre"); pre.id = "probe"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


def chromium(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    if CHROMIUM is None:
        pytest.skip("chromium is not installed here (CI installs it: apt-get install chromium)")
    profile = cwd / "profile"
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-extensions",
            f"--user-data-dir={profile}",
            "--window-size=1400,1000",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
    )


@pytest.fixture(scope="module")
def page(records_file, tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("html")
    out = d / "report.html"
    assert write_report(records_file, out) == len(ALL_IDS)
    return out


@pytest.fixture(scope="module")
def dom(page):
    probed = page.with_name("probed.html")
    probed.write_text(page.read_text("utf-8").replace("</body>", PROBE + "</body>"), "utf-8")
    p = chromium("--dump-dom", probed.as_uri(), cwd=page.parent)
    assert p.returncode == 0, p.stderr[-2000:]
    assert "<main" in p.stdout and 'id="probe"' in p.stdout
    return BeautifulSoup(p.stdout, "html.parser")


@pytest.fixture(scope="module")
def probe(dom) -> dict:
    return json.loads(dom.select_one("#probe").get_text())


def bars(dom, chart_id):
    return {g["data-key"]: int(g["data-value"]) for g in dom.select(f"#{chart_id} svg g.bar")}


def test_charts_cover_the_corpus(dom):
    reasons = bars(dom, "chart-reasons")
    assert (
        reasons["donation_appeal"] == 10
        and reasons["read_more"] >= 11
        and reasons["cookie_notice"] == 1
    )
    assert reasons["navigation"] >= 41
    assert bars(dom, "chart-languages") == {"en": 6, "uk": 3}
    assert "error: binary_input" in bars(dom, "chart-status")
    assert bars(dom, "chart-errors") == {"binary_input": 1}
    tstatus = bars(dom, "chart-translation")
    assert tstatus["ok"] == 2 and tstatus["partial"] == 1 and sum(tstatus.values()) == 9
    kept_chars = bars(dom, "chart-kept-languages")
    assert kept_chars["uk"] >= len(UK_FRAG["text"]) + 708 and kept_chars["en"] > kept_chars["uk"]
    # the histogram: ten bins in order, one count per ok document; EMPTY (0 of 4 kept) is in 0-10%,
    # LONG (1,748 of 13,748) in 10-20%
    share = bars(dom, "chart-kept-share")
    assert list(share) == [f"{lo}–{lo + 10}%" for lo in range(0, 100, 10)]
    assert sum(share.values()) == 9 and share["0–10%"] >= 1 and share["10–20%"] >= 1
    totals = dom.select_one("#totals")
    assert totals["data-documents"] == "10" and totals["data-errors"] == "1"
    # bars are drawn: widths scale with the values
    rects = dom.select("#chart-reasons svg g.bar rect")
    assert float(rects[0]["width"]) > float(rects[-1]["width"]) > 0


def test_table_lists_the_documents_worth_a_look_first(dom, probe):
    rows = dom.select("#doctable tbody tr")  # after the probe: all rows, sorted by kept chars
    assert sorted(r["data-id"] for r in rows) == sorted(ALL_IDS)
    flags = {r["data-id"]: r["data-flags"].split() for r in rows}
    assert flags["bad"] == ["error"] and flags["empty"] == ["empty"]
    assert flags[LONG["id"]] == [
        "low_kept",
        "foreign",
    ]  # 13% kept; a long Ukrainian fragment in English
    assert flags["ruin"] == [
        "untranslated",
        "foreign",
    ]  # a Russian paragraph in a Ukrainian article
    assert flags["002_e56c7f6acdd085b3"] == ["untranslated"]  # its Ukrainian teasers (no model)
    assert flags["tr1"] == [] and flags["000_3883c2c760ea2280"] == []
    order = probe["initial"]  # as the page first shows it
    assert order[:3] == ["bad", "empty", LONG["id"]]
    assert set(order[3:5]) == {"002_e56c7f6acdd085b3", "ruin"}
    cells = [td.get_text() for td in next(r for r in rows if r["data-id"] == "bad").select("td")]
    assert cells[:2] == ["bad", "x/bad.bin"] and cells[7] == "error: binary_input"
    ruin = next(r for r in rows if r["data-id"] == "ruin")
    assert [td.get_text() for td in ruin.select("td")][2:8] == [
        "uk",
        "300",
        "0",
        "100",
        "1",
        "ok · partial",
    ]
    # ids of documents shown in full link to them
    link = next(r for r in rows if r["data-id"] == "bad").select_one("a")
    assert dom.select_one(link["href"])["data-id"] == "bad"


def test_table_sorts_and_filters_in_the_page(probe, dom):
    kept = {
        r["data-id"]: int(r.select("td")[3].get_text()) for r in dom.select("#doctable tbody tr")
    }
    assert [kept[i] for i in probe["keptDesc"]] == sorted(kept.values(), reverse=True)
    assert [kept[i] for i in probe["keptAsc"]] == sorted(kept.values())
    assert probe["filtered"] == ["ruin"]
    assert sorted(probe["untranslated"]) == ["002_e56c7f6acdd085b3", "ruin"]


def test_no_horizontal_overflow_at_1400px(probe, page, tmp_path):
    assert probe["innerWidth"] == 1400
    assert probe["scrollWidth"] <= 1400 and probe["wide"] == []
    # the same page as a person sees it: a screenshot at 1,400 px, not blank
    shot = page.with_name("report-1400.png")
    p = chromium(
        f"--screenshot={shot}",
        "--window-size=1400,3000",
        "--hide-scrollbars",
        page.as_uri(),
        cwd=page.parent,
    )
    assert p.returncode == 0, p.stderr[-2000:]
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000
    assert int.from_bytes(png[16:20], "big") == 1400 and int.from_bytes(png[20:24], "big") == 3000


def test_sample_flagged_kinds_first_then_fixed_sample(records_file, tmp_path):
    out = tmp_path / "r.html"
    write_report(records_file, out, sample=5)
    soup = BeautifulSoup(out.read_text("utf-8"), "html.parser")
    shown = [a["data-id"] for a in soup.select("main article.doc")]
    # one of each flagged kind in turn (error, empty, low_kept, untranslated), then the rest
    assert shown[:3] == ["bad", "empty", LONG["id"]] and shown[3] in (
        "002_e56c7f6acdd085b3",
        "ruin",
    )
    assert len(shown) == 5 and len(set(shown)) == 5
    assert soup.select_one("#totals")["data-shown"] == "5"
    # deterministic: the same page byte for byte
    again = tmp_path / "r2.html"
    write_report(records_file, again, sample=5)
    assert again.read_bytes() == out.read_bytes()
    # every document fits in a large enough sample, flagged ones first
    write_report(records_file, out, sample=100)
    shown = [
        a["data-id"]
        for a in BeautifulSoup(out.read_text("utf-8"), "html.parser").select("main article.doc")
    ]
    assert sorted(shown) == sorted(ALL_IDS) and shown[:3] == ["bad", "empty", LONG["id"]]


def test_removed_fragments_struck_through_with_reason(dom):
    doc = dom.select_one('article[data-id="002_e56c7f6acdd085b3"]')
    removed = [
        (x.select_one("del").get_text(), x.select_one(".reason").get_text())
        for x in doc.select("p.frag.removed, details.run li")
    ]
    assert ("Цей сайт використовує Cookies.", "cookie_notice") in removed
    assert all(p["data-reason"] for p in doc.select("p.frag.removed"))
    # kept and removed pieces are interleaved in page order; a lone removed line stays in place
    first = dom.select_one('article[data-id="000_3883c2c760ea2280"] .body').find_all(
        recursive=False
    )
    kinds = [
        "removed" if "removed" in x["class"] else "run" if x.name == "details" else "kept"
        for x in first
    ]
    assert kinds[:3] == ["kept", "removed", "kept"]  # title, "By" byline stub, body


def test_runs_of_removed_lines_fold_into_one_line(dom):
    run = dom.select_one(f'article[data-id="{LONG["id"]}"] details.run')
    assert run is not None and run.get("open") is None  # folded until clicked
    assert run["data-lines"] == "40" and "40 removed lines" in run.select_one("summary").get_text()
    assert "navigation ×40" in run.select_one("summary").get_text()
    assert len(run.select("li del")) == 30 and "10 more removed lines" in run.get_text()
    assert not dom.select(f'article[data-id="{LONG["id"]}"] p.frag.removed')
    # a sample page's menu: its runs fold as well
    assert dom.select('article[data-id="001_2f5c343d5e6dad24"] details.run')


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


def test_page_is_self_contained(page):
    html = page.read_text("utf-8")
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert (
        'src="' not in html
        and "<link" not in html
        and "fetch(" not in html
        and "XMLHttpRequest" not in html
    )
    assert "https://" not in html.replace('href="https://news.example.ua/1"', "").replace(
        ">https://news.example.ua/1<", "><"
    ).replace(LONG_TOKEN, "")


def test_cli_report(records_file, tmp_path):
    out = tmp_path / "cli.html"
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "normalizer",
            "report",
            str(records_file),
            "-o",
            str(out),
            "--sample",
            "2",
            "--table-rows",
            "3",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    assert out.exists() and "10 records" in p.stderr
    soup = BeautifulSoup(out.read_text("utf-8"), "html.parser")
    assert [a["data-id"] for a in soup.select("main article.doc")] == ["bad", "empty"]
    rows = json.loads(soup.select_one("#rows").get_text())["rows"]
    assert [r[0] for r in rows] == ["bad", "empty", LONG["id"]]
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "normalizer",
            "report",
            str(records_file),
            "-o",
            str(out),
            "--sample",
            "-1",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 2 and p.stderr.startswith("normalizer: ") and "Traceback" not in p.stderr


def test_markup_in_ids_cannot_break_the_page(tmp_path):
    import io

    from normalizer.io.report import render_report

    evil = {**ERROR, "id": "</script><script>alert(1)</script>", "source": "<b>x</b>"}
    buf = io.StringIO()
    assert render_report([evil, TRANSLATED], buf) == 2
    soup = BeautifulSoup(buf.getvalue(), "html.parser")
    assert len(soup.select("script")) == 2  # the JSON block and the page's script
    rows = json.loads(soup.select_one("#rows").get_text())
    assert (
        rows["rows"][0][0] == evil["id"]
        and soup.select_one("article.doc h3").get_text() == evil["id"]
    )
    # an empty run still makes a page
    buf = io.StringIO()
    assert render_report([], buf) == 0 and "0 documents" in buf.getvalue()
