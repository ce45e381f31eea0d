"""Property-based invariants of ``normalize`` (issue 7: reliability).

Over random text, random (often malformed) HTML, random byte strings and random mixes of
the samples' lines, for every input:

* ``normalize`` never raises, and never turns a crash into an ``internal_error`` record;
* the record validates against the packaged JSON Schema and serializes to UTF-8 JSON;
* every fragment's and removal's ``start``/``end`` slice of the input text (the decoded
  text, or for HTML the page's text dump ``html_to_page(html).text``) equals its ``text``;
* kept fragments (``fragments`` + ``related``) and removals never overlap, and together
  with whitespace they cover the whole input text: nothing silently vanishes;
* ``normalize_many`` yields exactly one record per item, in input order.

Deterministic in CI: ``derandomize=True`` (examples derive from the test's name). Set
``NORMALIZER_FUZZ_EXAMPLES=N`` (and ``NORMALIZER_FUZZ_RANDOM=1`` for fresh randomness)
to fuzz longer by hand.
"""

from __future__ import annotations

import json
import os
import unicodedata
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normalizer import Config, Normalizer
from normalizer.io.read import decode
from normalizer.io.write import dumps
from normalizer.stages.html import html_to_page

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

EXAMPLES = int(os.environ.get("NORMALIZER_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("NORMALIZER_FUZZ_RANDOM"),
    database=None,
    print_blob=True,
    # the autouse conftest fixtures only set environment variables: safe to share
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)

# Error types an input may legitimately produce (anything else, internal_error above all,
# is a bug surfacing as a record).
INPUT_ERRORS = {
    "empty_input",
    "binary_input",
    "decode_error",
    "too_large",
    "missing_field",
    "json_error",
    "read_error",
}

SCHEMA = json.loads(
    (resources.files("normalizer") / "schema" / "record.schema.json").read_text("utf-8")
)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

SAMPLE_LINES = sorted(
    {ln for p in sorted(SAMPLES.glob("*.txt")) for ln in p.read_text("utf-8").splitlines()}
)
# Lines the boilerplate rules act on, so mixes exercise removals, spans and tails.
BOILERPLATE = [
    "Read more",
    "Читати більше",
    "Continue",
    "Support The Moscow Times!",
    "Leave a Reply",
    "Цей сайт використовує Cookies.",
    "Original source",
    "By",
    "Share this article",
    "Subscribe to our newsletter",
    "We use cookies to improve your experience.",
    "Teaser about a thing… Read more",
    "Тизер про щось… Читати більше",
    "Читать далее",
    "Your email address will not be published. Required fields are marked *",
    "… we have a small favor to ask.",
    "Thank you.",
    "Photo: Reuters",
    "Фото: УНІАН",
]
WHITESPACE = (
    " \t\r\n\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


@pytest.fixture(scope="module")
def norm(tmp_path_factory):
    models = tmp_path_factory.mktemp("no-models")
    with Normalizer(Config(models_dir=str(models), use_cache=False, translate=False)) as n:
        yield n


@pytest.fixture(scope="module")
def norm_translate(tmp_path_factory):
    """Translation on, no models installed: the model_missing path."""
    models = tmp_path_factory.mktemp("no-models-tr")
    with Normalizer(Config(models_dir=str(models), use_cache=False)) as n:
        yield n


# ----------------------------------------------------------------------------- checks


def input_text(rec, source: str | bytes, content_type: str = "auto") -> str:
    """The text that offsets index: decoded text, or the page text dump for HTML.
    ``content_type`` is the one given to ``normalize`` (it decides whether <meta charset> counts)."""
    text = decode(source, content_type=content_type) if isinstance(source, bytes) else source
    return html_to_page(text).text if rec.content_type == "html" else text


def check_record(rec, source: str | bytes, content_type: str = "auto") -> None:
    d = json.loads(dumps(rec))  # what lands on disk
    dumps(rec).encode("utf-8")  # no lone surrogates
    errors = sorted(VALIDATOR.iter_errors(d), key=str)
    assert not errors, f"schema: {errors[0].message} at {list(errors[0].absolute_path)}"
    if rec.status == "error":
        assert rec.error["type"] in INPUT_ERRORS, rec.error
        assert rec.error["message"]
        return
    text = input_text(rec, source, content_type)
    assert rec.stats["chars_in"] == len(text)
    owner = [None] * len(text)
    spans = [("kept", f) for f in rec.fragments + rec.related] + [
        ("removed", r) for r in rec.removed
    ]
    for kind, s in spans:
        assert 0 <= s.start < s.end <= len(text), (kind, s)
        assert text[s.start : s.end] == s.text, (kind, s, text[s.start : s.end])
        for i in range(s.start, s.end):
            assert owner[i] is None, f"{kind} {s.text!r} overlaps {owner[i]!r} at offset {i}"
            owner[i] = s.text
    lost = [i for i, c in enumerate(text) if owner[i] is None and not c.isspace()]
    assert not lost, (
        f"characters in no fragment or removal: {text[lost[0] : lost[0] + 40]!r} at {lost[0]}"
    )
    # fragments come in document order, removals too
    for group in (rec.fragments, rec.related, rec.removed):
        starts = [s.start for s in group]
        assert starts == sorted(starts), starts
    # original_text is the article fragments' text (whitespace runs and invisible
    # characters cleaned): the same visible characters, in order
    body = "".join(f.text for f in rec.fragments if f.role in ("body", "heading", "caption"))
    assert visible(rec.original_text) == visible(body)


INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def visible(s: str) -> str:
    # original_text is NFC per paragraph; compare base characters of the canonical
    # decomposition, which NFC never changes (composing across a fragment boundary may).
    s = unicodedata.normalize("NFD", s.translate(INVISIBLE))
    return "".join(c for c in s if not c.isspace() and not unicodedata.combining(c))


def expect_ok(rec, text: str) -> None:
    """Inputs with visible non-NUL text must come out ok; blank ones as empty_input."""
    if text.strip() and "\x00" not in text:
        assert rec.status == "ok", rec.error
    elif not text.strip():
        assert rec.status == "error" and rec.error["type"] == "empty_input", rec.error


# --------------------------------------------------------------------------- strategies

any_char = st.characters(blacklist_categories=("Cs",))  # lone surrogates cannot come from files
ws_char = st.sampled_from(WHITESPACE)
random_text = st.text(st.one_of(any_char, ws_char, st.sampled_from("<>&;/\"'=!-…·")), max_size=400)

sep = st.sampled_from(
    ["\n", "\r\n", "\n\n", " \n", "\n  ", "\n\t", "\r\n\r\n", "\n\xa0\n", "\u2028\n"]
)
sample_line = st.sampled_from(SAMPLE_LINES)
mixed_line = st.one_of(
    sample_line,
    sample_line,
    st.sampled_from(BOILERPLATE),
    st.builds(lambda a, b: a + " " + b, sample_line, st.sampled_from(BOILERPLATE)),
    st.builds(
        lambda w, a, w2: w + a + w2,
        st.text(ws_char, max_size=3),
        sample_line,
        st.text(ws_char, max_size=3),
    ),
    st.text(any_char, max_size=40),
)


@st.composite
def sample_mix(draw):
    lines = draw(st.lists(mixed_line, min_size=1, max_size=40))
    out = []
    for ln in lines:
        out.append(ln)
        out.append(draw(sep))
    return "".join(out[:-1] if draw(st.booleans()) else out)


TAGS = [
    "p",
    "div",
    "span",
    "a",
    "b",
    "i",
    "h1",
    "h2",
    "h3",
    "li",
    "ul",
    "ol",
    "nav",
    "footer",
    "header",
    "article",
    "main",
    "aside",
    "section",
    "figure",
    "figcaption",
    "pre",
    "table",
    "tr",
    "td",
    "form",
    "blockquote",
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "title",
    "head",
    "body",
    "html",
    "textarea",
    "select",
    "option",
    "br",
    "hr",
    "img",
]
ATTRS = [
    "",
    ' class="cookie-banner"',
    ' class="related-posts"',
    ' id="comments"',
    " hidden",
    ' style="display:none"',
    ' role="navigation"',
    ' class="share social"',
    ' class="article-body"',
    ' lang="uk"',
    ' class="donate"',
    ' class=""',
    " class='a b c'",
    ' data-x="<p>"',
    " id=x",
]
JUNK = [
    "<!--",
    "-->",
    "<!-- c -->",
    "</p>",
    "</div></div>",
    "<",
    ">",
    "&amp;",
    "&nbsp;",
    "&#0;",
    "&#x1F600;",
    "&bogus;",
    "<![CDATA[x]]>",
    "<!DOCTYPE html>",
    "<?xml version='1.0'?>",
    "<p<p>",
    "</>",
    "<a href='",
    '"',
    "<br/>",
    "<meta charset='koi8-u'>",
    "<title>T</title>",
]


def html_tree(text):
    leaf = st.one_of(text, st.sampled_from(JUNK))

    def extend(children):
        return st.builds(
            lambda tag, attr, kids, close: (
                f"<{tag}{attr}>" + "".join(kids) + (f"</{tag}>" if close else "")
            ),
            st.sampled_from(TAGS),
            st.sampled_from(ATTRS),
            st.lists(children, max_size=5),
            st.sampled_from([True, True, True, False]),
        )

    return st.recursive(leaf, extend, max_leaves=40)


random_html = st.builds(
    lambda head, body: head + body,
    st.sampled_from(
        [
            "",
            "<!DOCTYPE html>",
            "<html><head><title>A title</title></head>",
            "<html lang='uk'><meta property='og:title' content='Russia Could "
            "Supply Iran With S-300 Air Defense System'>",
        ]
    ),
    html_tree(st.one_of(sample_line, st.sampled_from(BOILERPLATE), random_text)),
)

ENCODINGS = [
    "utf-8",
    "utf-8-sig",
    "utf-16",
    "utf-16-le",
    "cp1251",
    "koi8_u",
    "koi8_r",
    "cp1252",
    "iso8859_5",
    "mac_cyrillic",
    "utf-32",
]


@st.composite
def encoded_text(draw):
    text = draw(st.one_of(sample_mix(), random_html))
    enc = draw(st.sampled_from(ENCODINGS))
    data = text.encode(enc, errors="replace")
    if draw(st.integers(0, 4)) == 0:  # damage it
        i = draw(st.integers(0, max(0, len(data) - 1)))
        data = data[:i] + draw(st.binary(max_size=8)) + data[i + draw(st.integers(0, 8)) :]
    return data


# ------------------------------------------------------------------------------ properties


@FUZZ
@given(text=random_text)
def test_random_text(norm, text):
    rec = norm.normalize(text, content_type="text", translate=False)
    check_record(rec, text)
    expect_ok(rec, text)


@FUZZ
@given(text=sample_mix())
def test_sample_line_mixes(norm, text):
    rec = norm.normalize(text, translate=False)
    check_record(rec, text)
    expect_ok(rec, text)


@FUZZ
@given(text=sample_mix())
def test_sample_line_mixes_with_missing_models(norm_translate, text):
    rec = norm_translate.normalize(text, content_type="text")
    check_record(rec, text)
    expect_ok(rec, text)
    needs = [f for f in rec.fragments + rec.related if f.lang not in ("en", "und")]
    assert rec.translation["status"] == ("model_missing" if needs else "not_needed")
    assert all(f.translation is None for f in rec.fragments + rec.related)


@FUZZ
@given(html=random_html)
def test_random_html(norm, html):
    rec = norm.normalize(html, content_type="html", translate=False)
    check_record(rec, html)
    expect_ok(rec, html)


@FUZZ
@given(text=st.one_of(random_text, random_html, sample_mix()))
def test_auto_content_type(norm, text):
    rec = norm.normalize(text, translate=False)
    check_record(rec, text)


@FUZZ
@given(data=st.one_of(st.binary(max_size=600), encoded_text()))
def test_random_bytes(norm, data):
    rec = norm.normalize(data, translate=False)
    check_record(rec, data)


item = st.one_of(
    random_text,
    st.fixed_dictionaries({"text": sample_mix()}, optional={"id": st.text(min_size=1, max_size=8)}),
    st.fixed_dictionaries(
        {"html": random_html}, optional={"url": st.sampled_from(["https://x.ua/a", "nota url"])}
    ),
    st.fixed_dictionaries({"data": st.binary(max_size=200)}),
    st.fixed_dictionaries({"id": st.just("missing")}),  # no text at all
    st.fixed_dictionaries({"text": st.just(None), "id": st.just("none")}),
    st.fixed_dictionaries(
        {
            "id": st.just("bad"),
            "source": st.just("x.jsonl:3"),
            "error": st.just({"type": "json_error", "message": "x.jsonl:3: invalid JSON"}),
        }
    ),
)


@settings(FUZZ, max_examples=max(20, EXAMPLES // 4))
@given(items=st.lists(item, max_size=12), chunk=st.integers(1, 5))
def test_normalize_many_one_record_per_item(items, chunk, tmp_path_factory):
    config = Config(
        models_dir=str(tmp_path_factory.mktemp("m")),
        use_cache=False,
        translate=False,
        chunk_size=chunk,
    )
    with Normalizer(config) as n:
        recs = list(n.normalize_many(items))
    assert len(recs) == len(items)
    for it, rec in zip(items, recs):
        if isinstance(it, dict) and it.get("id"):
            assert rec.id == it["id"]
        src = it if isinstance(it, str) else it.get("text") or it.get("html") or it.get("data")
        if isinstance(it, dict) and "html" in it:
            assert rec.status == "error" or rec.content_type == "html"
        if src is None or (isinstance(it, dict) and it.get("error")):
            assert rec.status == "error" and rec.error["type"] in INPUT_ERRORS
            json.loads(dumps(rec))
            continue
        check_record(rec, src)


# ------------------------------------------------------------------- regression examples
# Inputs hypothesis found (or that are easy to get wrong), pinned so they run every time.

REGRESSIONS = [
    "\n",
    "x",
    "\x85Read more",
    "Teaser\u2028Read more",
    "a\rb\rc",
    "\ufeffTitle\nBody text",
    "Read more\nRead more",
    "Support The Moscow Times!\n" + "\n".join(["line"] * 10),
    "<p>a</p" + "<div>" * 3000 + "deep" + "</div>" * 10,
    "<pre>a\n\nb\n</pre>",
    "<p>&#0;&#x0;x</p>",
    "<title>x</title><h1>x</h1><p>" + "y " * 50 + "</p>",
]


@pytest.mark.parametrize("text", REGRESSIONS, ids=range(len(REGRESSIONS)))
def test_regressions(norm, text):
    rec = norm.normalize(text, translate=False)
    check_record(rec, text)
    expect_ok(rec, text)


# ------------------------------------------------------------------- pathological inputs
# Inputs that made a stage super-linear (found while fuzzing for this file). Each runs in a
# subprocess with a time limit, since a regex stuck in backtracking cannot be interrupted;
# the sizes make the old code take minutes (or forever) and the fixed code a second or two.

PATHOLOGICAL = {
    # read.sniff_content_type: (?:<!--.*?-->\s*)* could split a run of comments 2^n ways
    "comments_before_first_tag": "from normalizer.io.read import sniff_content_type as f; "
    "assert f('<!---->' * 60 + '<span>x') == 'text'",
    # langid._URL: unbounded e-mail / domain parts scanned a whole dotted run per position
    "long_dotted_run": "from normalizer import Normalizer, Config; "
    "n = Normalizer(Config(translate=False, use_cache=False)); "
    "r = n.normalize('\\n'.join('a.' * 5000 + str(i) for i in range(20)), translate=False); "
    "assert r.status == 'ok', r.error",
    # sentences.split_sentences: copied the rest of the text for every candidate boundary
    "five_mb_of_sentences": "from normalizer.translation.sentences import split_sentences as f; "
    "assert len(f('Речення номер один. ' * 250_000, 'uk')) == 250_000",
    # ... and the whole sentence so far for every abbreviation
    "abbreviation_run": "from normalizer.translation.sentences import split_sentences as f; f('Mr. ' * 50_000, 'en')",
}


@pytest.mark.parametrize("case", sorted(PATHOLOGICAL))
def test_pathological_inputs_stay_fast(case):
    import subprocess
    import sys

    try:
        p = subprocess.run(
            [sys.executable, "-c", PATHOLOGICAL[case]],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{case}: still running after 60 s (super-linear time)")
    assert p.returncode == 0, p.stderr[-2000:]
