"""Language as a property of the document: short lines take their page's language, fragments
in another language keep theirs on evidence of their own, the boilerplate stage reads each line
in its own language, and translation follows only trusted labels. Real text: the user's sample
pages (samples/), the Readability/trafilatura test pages in tests/data/html and held-out Tatoeba
sentences in tests/data/langid."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from normalizer import Config, Normalizer, normalize
from normalizer.stages import langid
from normalizer.stages.langid import detect_language, document_languages

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
DATA = Path(__file__).parent / "data"


def tatoeba(lang: str) -> list[str]:
    return [
        s
        for s in (DATA / "langid" / f"tatoeba_{lang}.txt").read_text("utf-8").splitlines()
        if s.strip()
    ]


def paragraphs(lang: str, n: int, per: int = 3) -> list[str]:
    """n paragraphs of `per` consecutive held-out Tatoeba sentences each."""
    s = tatoeba(lang)
    return [" ".join(s[i * per : (i + 1) * per]) for i in range(n)]


def with_inserted(text: str, paras: list[str], every: int = 3) -> str:
    """``paras`` inserted after every ``every``-th article paragraph: a line of 100+ characters
    that the pipeline keeps as body (not inside a donation appeal that a rule removes whole)."""
    body = {f.text for f in normalize(text, translate=False).fragments if f.role == "body"}
    out, k, seen = [], 0, 0
    for line in text.split("\n"):
        out.append(line)
        if len(line) >= 100 and line in body:
            seen += 1
            if seen % every == 0 and k < len(paras):
                out.append(paras[k])
                k += 1
    assert k == len(paras), "page too short for the insertions"
    return "\n".join(out)


# ----------------------------------------------------------------------------- short lines

SHORT_ENGLISH = [
    "Close",
    "Advert",
    "NISSAN SENTRA",
    "FRANCE WINS",
    "ARGENTINA CRUISES",
    "NASA Worldview",
    "By Tess Bonn - 11/19/19 06:56 AM EST",
    "Comments",
    "Continue",
    "Privacy Policy",
    "Photo: Reuters",
    "Potassium",
    "459 Reviews",
    "Alibaba to raise up to $12.9bn in landmark Hong Kong listing",
]


def test_short_lines_on_an_english_page_take_english():
    page = SAMPLES[3].read_text("utf-8").split("\n")
    lines = page[:4] + SHORT_ENGLISH + page[4:]
    doc = document_languages(lines)
    assert doc.lang == "en" and doc.confidence >= 0.8
    got = {t: g for t, g in zip(lines, doc.fragments) if t in SHORT_ENGLISH}
    assert {t: g.lang for t, g in got.items()} == dict.fromkeys(SHORT_ENGLISH, "en")
    # inherited, not seen: below the confidence of decisive evidence
    assert all(
        g.confidence <= langid.CONTEXT_MAX_CONFIDENCE
        for t, g in got.items()
        if g.method == "context"
    )
    assert sum(g.method == "context" for g in got.values()) >= 10


@pytest.mark.parametrize(
    "text", ["Comments", "Continue", "Privacy Policy", "Photo: Reuters", "Potassium", "459 Reviews"]
)
def test_one_or_two_latin_words_alone_are_not_a_language(text):
    g = detect_language(text)
    assert g.lang == "und" and g.confidence <= 0.2


def test_langdetect_confidence_grows_with_the_words_it_saw():
    short = detect_language("Wonderful sunny weekend")
    assert short.method == "langdetect" and short.confidence <= 0.3
    assert detect_language("Article text line.").confidence < 0.5


def test_a_one_line_document_without_evidence_is_not_foreign():
    rec = normalize("Article text line.", translate=False)
    assert rec.language == "und"
    assert rec.translation["needed"] == 0
    assert [f.text for f in rec.fragments] == ["Article text line."]


def test_cyrillic_look_alikes_in_english_words_read_as_latin():
    assert detect_language("Аdvеrtіѕе wіth thе most visited news site").lang == "en"
    # and the other way round still holds
    assert detect_language("Я вчора бачив Лiтак у небі").lang == "uk"


def test_a_bilingual_line_keeps_its_pages_language():
    de = [
        "Die Regierung hat am Montag neue Regeln für die Schulen beschlossen, die ab Herbst gelten.",
        "Bitte verwende das Drucker-Symbol rechts über dem Artikel, um Seiten auszudrucken. "
        "Please use the print icon above the article to print any page.",
        "Die Eltern sind mit der Entscheidung nicht zufrieden und wollen dagegen klagen.",
    ]
    assert [g.lang for g in document_languages(de).fragments] == ["de", "de", "de"]


# ----------------------------------------------------------------------------- mixed pages


@pytest.mark.parametrize("lang", ["uk", "ru"])
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem[:3])
def test_paragraphs_in_another_language_are_kept_and_tagged(sample, lang):
    paras = paragraphs(lang, 2, per=2)
    text = with_inserted(sample.read_text("utf-8"), paras, every=1)
    rec = normalize(text, translate=False)
    kept = {f.text: f for f in rec.fragments}
    for p in paras:
        assert p in kept, f"{p!r} removed: {[r for r in rec.removed if r.text == p]}"
        assert kept[p].lang == lang and kept[p].lang_confidence >= 0.9
    # precision: nothing else is tagged with the inserted language
    assert [f.text for f in rec.fragments if f.lang == lang] == [
        f.text for f in rec.fragments if f.text in paras
    ]
    # and the page is still English
    assert rec.language == "en"


def test_a_ukrainian_one_liner_is_kept():
    rec = normalize("Ганні подобається шоколад", translate=False)
    assert rec.original_text == "Ганні подобається шоколад"
    assert [(f.lang, f.role) for f in rec.fragments] == [("uk", "body")]


def test_line_features_read_a_line_in_its_own_language():
    from normalizer.stages.features import line_features
    from normalizer.stages.linemodel import LINE_FEATURES
    from normalizer.stages.rules import load_site_words, load_stopwords
    from normalizer.stages.segment import segment

    uk = paragraphs("uk", 1)[0]
    blocks = segment(with_inserted(SAMPLES[0].read_text("utf-8"), [uk], every=2))
    i = next(k for k, b in enumerate(blocks) if b.text == uk)
    stop = load_stopwords()
    col = LINE_FEATURES.index("stopword_density")
    plain = line_features(blocks, stop, load_site_words())
    langs = [None] * len(blocks)
    langs[i] = "uk"
    own = line_features(blocks, stop, load_site_words(), line_langs=langs)
    assert plain[i, col] == 0.0 < own[i, col]
    # every other line is read as before (its neighbourhood features see a new prose line)
    others = [k for k in range(len(blocks)) if k != i]
    assert (plain[others, col] == own[others, col]).all()


# ----------------------------------------------------------------------------- langdetect's share


def test_langdetect_is_rarely_called_on_english_pages(monkeypatch):
    calls = []
    orig = langid._langdetect
    monkeypatch.setattr(langid, "_langdetect", lambda *a, **k: calls.append(a[0]) or orig(*a, **k))
    lines = 0
    with Normalizer(Config(translate=False)) as n:
        for p in SAMPLES:
            rec = n.normalize(p.read_text("utf-8"), translate=False)
            lines += len(rec.fragments) + len(rec.related) + len(rec.removed)
        for name in ("dw.com-elephants.html", "mdavis.xyz.supermarket.html"):
            rec = n.normalize(
                (DATA / "html" / name).read_text("utf-8"), content_type="html", translate=False
            )
            lines += len(rec.fragments) + len(rec.related) + len(rec.removed)
    assert lines > 150
    assert len(calls) <= 0.03 * lines, calls


# ----------------------------------------------------------------------------- translation threshold


def test_translation_follows_only_trusted_labels():
    text = "\n".join(paragraphs("uk", 4))
    default = normalize(text, translate=False)
    assert default.translation["needed"] == 4 and default.translation["status"] == "disabled"
    strict = Normalizer(Config(translate=False, translate_min_confidence=1.0)).normalize(
        text, translate=False
    )
    assert strict.translation["needed"] == 0 and strict.translation["status"] == "not_needed"
    assert [f.lang for f in strict.fragments] == [f.lang for f in default.fragments]


@pytest.mark.parametrize("bad", [-0.1, 1.5, "high", True])
def test_translation_threshold_is_checked(bad):
    with pytest.raises(ValueError, match="translate_min_confidence"):
        Config(translate_min_confidence=bad)


# ----------------------------------------------------------------------------- Config.languages


def test_languages_as_a_string_is_one_code_or_a_list():
    assert Config(languages="uk").languages == ("uk",)
    assert Config(languages="uk, EN").languages == ("uk", "en")
    assert Config(languages=["ru"]).languages == ("ru",)
    rec = Normalizer(Config(languages="uk", translate=False)).normalize(
        paragraphs("uk", 1)[0], translate=False
    )
    assert rec.language == "uk"


@pytest.mark.parametrize("bad", ["xx", ["uk", "zz"], "", 5])
def test_unknown_language_codes_are_refused(bad):
    with pytest.raises(ValueError):
        Config(languages=bad)


def test_cli_refuses_unknown_languages(tmp_path):
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "normalizer",
            "run",
            str(SAMPLES[0]),
            "--languages",
            "uk,xx",
            "--no-translate",
            "-o",
            str(tmp_path / "o.jsonl"),
        ],
        capture_output=True,
        text=True,
    )
    assert p.returncode == 2
    assert p.stderr.startswith("normalizer: ") and "unknown language code(s) xx" in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1
    assert "Traceback" not in p.stderr and not (tmp_path / "o.jsonl").exists()


# ----------------------------------------------------------------------------- other scripts


def test_scripts_several_languages_write_are_decided_per_page():
    # a language menu on an English page: too few Arabic letters to tell ar from fa or ur, and
    # Han without kana reads as Chinese; neither costs a langdetect call
    lines = SAMPLES[1].read_text("utf-8").split("\n") + ["中文", "العربية"]
    out = document_languages(lines).fragments
    assert [(g.lang, g.method) for g in out[-2:]] == [("zh", "script"), ("und", "too_short")]
    # kanji-only lines on a page with kana are Japanese, without kana Chinese
    ja = ["みんなに知っておいて欲しいんだけど、目の前で見つけることがある。", "犯人", "現場"]
    assert [g.lang for g in document_languages(ja).fragments] == ["ja", "ja", "ja"]
    assert [
        g.lang for g in document_languages(["犯人", "现场视频", "警察确认了消息"]).fragments
    ] == ["zh"] * 3


def test_confidence_1_is_never_reached_by_a_guess():
    # letters and scripts decide at most LETTERS_CONFIDENCE / 0.95; statistics stop at 0.99
    texts = (
        tatoeba("uk")[:100]
        + tatoeba("ru")[:100]
        + tatoeba("en")[:100]
        + ["Ὁ βίος βραχύς", "مرحبا بكم في موقعنا الجديد اليوم"]
    )
    assert max(detect_language(t).confidence for t in texts) < 1.0
    assert max(g.confidence for g in document_languages(texts).fragments) < 1.0


def test_a_sentence_in_another_script_survives_dom_hints():
    # A class such as "comment" around a paragraph says nothing about its language; the
    # product exists to translate such paragraphs. Phrase rules still apply to them.
    uk = paragraphs("uk", 1)[0]
    html = (DATA / "html" / "dw.com-elephants.html").read_text("utf-8")
    kept_before = {f.text for f in normalize(html, content_type="html", translate=False).fragments}
    anchor = next(
        t for t in sorted(kept_before, key=len, reverse=True) if t in html and "<" not in t
    )
    i = html.index(anchor) + len(anchor)
    i = html.index("</p>", i) + len("</p>")
    page = html[:i] + f'<div class="comment-box"><p>{uk}</p><p>Читати більше</p></div>' + html[i:]
    rec = normalize(page, content_type="html", translate=False)
    kept = {f.text: f for f in rec.fragments}
    assert uk in kept and kept[uk].lang == "uk"
    # a two-word button is no sentence: the hint removes it
    assert [r.reason for r in rec.removed if r.text == "Читати більше"] == ["comment_form"]
    # the same paragraph in the page's own script stays removed by the hint
    en = "The elephants were seen again near the river on Sunday, the rangers said."
    page = html[:i] + f'<div class="comment-box"><p>{en}</p></div>' + html[i:]
    assert en in {r.text for r in normalize(page, content_type="html", translate=False).removed}


def test_cli_translation_threshold_option(tmp_path):
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "normalizer",
            "run",
            str(SAMPLES[0]),
            "--min-lang-confidence",
            "1.5",
            "-o",
            str(tmp_path / "o.jsonl"),
        ],
        capture_output=True,
        text=True,
    )
    assert (
        bad.returncode == 2
        and bad.stderr.startswith("normalizer: ")
        and "Traceback" not in bad.stderr
    )
    out = tmp_path / "ok.jsonl"
    ok = subprocess.run(
        [
            sys.executable,
            "-m",
            "normalizer",
            "run",
            str(SAMPLES[2]),
            "--min-lang-confidence",
            "1.0",
            "--no-translate",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    import json

    rec = json.loads(out.read_text("utf-8"))
    # sample 002 quotes Ukrainian; nothing reaches confidence 1.0, so nothing needs a model
    assert rec["translation"]["needed"] == 0 and rec["translation"]["status"] == "not_needed"


def test_document_languages_is_public():
    import normalizer

    doc = normalizer.document_languages(["Ганні подобається шоколад. Я не знаю, що робити.", "OK"])
    assert isinstance(doc, normalizer.DocumentLanguages) and doc.lang == "uk"
