"""News metadata (published, authors, site_name, url, metadata_sources) in every record.

Dump-form expectations come from reading the samples (sample 000 has an empty "By" stub and
no author; no sample prints a publication date) and from short Ukrainian, Russian and
English page dumps written here. HTML expectations come from the markup in each test.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from normalizer import Config, Normalizer
from normalizer.stages.metadata import byline_names, find_date, normalize_date

SCHEMA = json.loads(
    (resources.files("normalizer") / "schema" / "record.schema.json").read_text("utf-8")
)


@pytest.fixture(scope="module")
def norm() -> Normalizer:
    return Normalizer(Config(translate=False))


def run(norm: Normalizer, source: str, **kw) -> dict:
    rec = norm.normalize(source, translate=False, **kw).to_dict()
    jsonschema.validate(rec, SCHEMA)
    return rec


# --- plain-text dumps ------------------------------------------------------------------------

UK_PAGE = """Головна
Новини
Політика
Уряд ухвалив нову програму підтримки малого бізнесу на 2025 рік
24 листопада 2024 р., 14:05
Автор: Олена Петренко
Кабінет міністрів у неділю ухвалив програму, яка передбачає пільгові кредити для підприємців у прифронтових областях та компенсацію частини витрат на енергообладнання.
За словами прем'єр-міністра, на програму виділять понад два мільярди гривень, а перші виплати мають надійти вже в грудні.
Експерти зазначають, що попередня програма охопила лише частину підприємців, бо вимоги до позичальників були надто суворими.
Читайте також
Протягом минулої доби, 23 листопада 2024 року, на фронті відбулося 150 боєзіткнень… Читати більше
Коментарі
Іван 25.11.2024 10:12 Дуже добра новина для підприємців нашого міста.
© 2024 Новини України. Усі права захищено.
"""

RU_PAGE = """Правительство одобрило новую программу поддержки малого бизнеса
Опубликовано 24 ноября 2024 г.
Авторы: Ирина Смирнова и Павел Орлов
Кабинет министров в воскресенье одобрил программу, которая предусматривает льготные кредиты для предпринимателей и компенсацию части расходов на энергооборудование.
По словам премьер-министра, на программу выделят более двух миллиардов рублей, а первые выплаты должны поступить уже в декабре.
Эксперты отмечают, что предыдущая программа охватила лишь часть предпринимателей, поскольку требования к заемщикам были слишком строгими.
Комментарии
Сергей 25.11.2024 Отличная новость для нашего города и его жителей.
© 2024 Новости. Все права защищены.
"""

EN_PAGE = """Home
World
Government approves new support programme for small businesses
November 24, 2024
By Jane Doe and John Smith, Reuters
The cabinet on Sunday approved a programme that provides cheap loans for entrepreneurs in frontline regions and compensates part of their spending on power equipment.
According to the prime minister, more than two billion will be allocated, and the first payments are due in December already.
Experts note that the previous programme reached only some entrepreneurs because the requirements for borrowers were too strict.
Related
Frontline report for November 23, 2023: 150 clashes in one day. Read more
Copyright © 2024 Example News. All rights reserved.
"""


def test_samples_have_no_date_and_no_author(norm, samples):
    for key, text in samples.items():
        rec = run(norm, text, content_type="text", id=key)
        assert rec["published"] is None, key
        assert rec["authors"] == [], key
        assert rec["site_name"] is None and rec["url"] is None, key
        assert rec["metadata_sources"] == {}, key


def test_sample_000_empty_by_stub_yields_no_author(norm, samples):
    rec = run(norm, samples["000"], content_type="text")
    assert ("By", "byline_stub") in [(r["text"], r["reason"]) for r in rec["removed"]]
    assert rec["authors"] == []
    assert byline_names("By") == []


def test_sample_002_teaser_day_is_not_a_date(norm, samples):
    # "Протягом минулої доби, 23 листопада, …" is a teaser and has no year either.
    assert "23 листопада" in samples["002"]
    assert run(norm, samples["002"], content_type="text")["published"] is None


def test_ukrainian_dump_date_line_and_byline(norm):
    rec = run(norm, UK_PAGE, content_type="text")
    assert rec["published"] == "2024-11-24"
    assert rec["authors"] == ["Олена Петренко"]
    assert rec["metadata_sources"] == {"published": "text", "authors": "text"}


def test_russian_dump_date_line_and_two_authors(norm):
    rec = run(norm, RU_PAGE, content_type="text")
    assert rec["published"] == "2024-11-24"
    assert rec["authors"] == ["Ирина Смирнова", "Павел Орлов"]


def test_english_dump_byline_drops_agency_after_names(norm):
    rec = run(norm, EN_PAGE, content_type="text")
    assert rec["published"] == "2024-11-24"
    assert rec["authors"] == ["Jane Doe", "John Smith"]


@pytest.mark.parametrize(
    "page, line",
    [
        (UK_PAGE, "24 листопада 2024 р., 14:05"),
        (RU_PAGE, "Опубликовано 24 ноября 2024 г."),
        (EN_PAGE, "November 24, 2024"),
    ],
)
def test_teaser_comment_and_copyright_dates_are_never_taken(norm, page, line):
    # Without its date line the page still has full dates in a teaser, a comment and the
    # footer; none of them is the publication date.
    rec = run(norm, page.replace(line + "\n", ""), content_type="text")
    assert rec["published"] is None


def test_byline_removed_as_boilerplate_still_gives_names(norm):
    html = (
        "<html><head><title>Dam repairs finished ahead of schedule</title></head><body>"
        "<article><h1>Dam repairs finished ahead of schedule</h1>"
        '<div class="byline">By Maria Lopez</div>'
        "<p>Engineers finished the repairs of the old river dam two weeks ahead of schedule, "
        "the regional water authority said on Monday after a final inspection.</p>"
        "<p>The work cost less than planned because the damage to the spillway turned out to be "
        "smaller than the first survey had suggested.</p></article></body></html>"
    )
    rec = run(norm, html, content_type="html")
    assert ("By Maria Lopez", "byline_stub") in [(r["text"], r["reason"]) for r in rec["removed"]]
    assert rec["authors"] == ["Maria Lopez"]
    assert rec["metadata_sources"]["authors"] == "text"


# --- the date and name readers -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, date",
    [
        ("November 24, 2024", "2024-11-24"),
        ("Nov. 24, 2024, 10:15 am", "2024-11-24"),
        ("Sunday, 24 November 2024", "2024-11-24"),
        ("24 листопада 2024", "2024-11-24"),
        ("24 листопада 2024 р.", "2024-11-24"),
        ("24 ноября 2024 г.", "2024-11-24"),
        ("3 травня 2023 року", "2023-05-03"),
        ("24.11.2024", "2024-11-24"),
        ("24.11.2024, 14:05", "2024-11-24"),
        ("2024-11-24 14:05", "2024-11-24"),
        ("3. Februar 2022", "2022-02-03"),
        ("24 de noviembre de 2024", "2024-11-24"),
        ("12 października 2020", "2020-10-12"),
        ("24 листопада", None),  # no year
        ("31.02.2024", None),  # no such day
        ("version 1.2.3 of 2024", None),
        ("© 2024", None),
    ],
)
def test_find_date(text, date):
    assert find_date(text) == date


@pytest.mark.parametrize(
    "value, iso",
    [
        ("2024-11-24T10:05:00+02:00", "2024-11-24T10:05:00+02:00"),
        ("2024-11-24T10:05:00.000Z", "2024-11-24T10:05:00+00:00"),
        ("2024-11-24T10:05:00+0200", "2024-11-24T10:05:00+02:00"),
        ("2024-11-24T10:05:00", "2024-11-24"),  # no offset: the zone is unknown
        ("2024-11-24", "2024-11-24"),
        ("24 листопада 2024", "2024-11-24"),
        ("0000-00-00", None),
    ],
)
def test_normalize_date(value, iso):
    assert normalize_date(value) == iso


@pytest.mark.parametrize(
    "line, names",
    [
        ("By Jane Doe | November 24, 2024", ["Jane Doe"]),
        ("By Jane Doe, Staff Writer", ["Jane Doe"]),
        ("Автор: Олена Петренко, 24 листопада 2024", ["Олена Петренко"]),
        ("Авторка — Ірина Коваль", ["Ірина Коваль"]),
        ("Авторы: Ирина Смирнова и Павел Орлов", ["Ирина Смирнова", "Павел Орлов"]),
        ("Von Jule Radeck Vom 3. Februar 2022", ["Jule Radeck"]),
        ("Von Montag bis Freitag bleibt die Brücke gesperrt.", []),
        ("By the way, nobody asked.", []),
        ("The minister said so.", None),
    ],
)
def test_byline_names(line, names):
    assert byline_names(line) == names


# --- HTML ---------------------------------------------------------------------------------------

ARTICLE = (
    "<h1>Dam repairs finished ahead of schedule</h1>{after_title}"
    "<p>Engineers finished the repairs of the old river dam two weeks ahead of schedule, "
    "the regional water authority said on Monday after a final inspection.</p>"
    "<p>The work cost less than planned because the damage to the spillway turned out to be "
    "smaller than the first survey had suggested.</p>"
)


def page(head: str = "", after_title: str = "", tail: str = "") -> str:
    return (
        f"<html><head><title>Dam repairs finished ahead of schedule</title>{head}</head><body>"
        f"<article>{ARTICLE.format(after_title=after_title)}</article>{tail}</body></html>"
    )


JSONLD = """<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "WebSite", "@id": "https://news.example.ua/#site", "name": "Example Site"},
 {"@type": ["NewsArticle"], "datePublished": "2024-11-24T10:05:00+02:00",
  "author": [{"@id": "https://news.example.ua/#p1"}, {"@type": "Person", "name": "John Smith"}],
  "publisher": {"@type": "Organization", "name": "Example News"}},
 {"@type": "Person", "@id": "https://news.example.ua/#p1", "name": "Jane Doe"}]}</script>"""


def test_jsonld_article_with_graph_and_id_references(norm):
    rec = run(norm, page(head=JSONLD), content_type="html", url="https://news.example.ua/a/1")
    assert rec["published"] == "2024-11-24T10:05:00+02:00"
    assert rec["authors"] == ["Jane Doe", "John Smith"]
    assert rec["site_name"] == "Example News"
    assert rec["url"] == "https://news.example.ua/a/1"
    assert rec["metadata_sources"] == {
        "published": "json-ld",
        "authors": "json-ld",
        "site_name": "json-ld",
        "url": "given",
    }


def test_meta_tags_and_relative_canonical(norm):
    head = (
        '<meta property="article:published_time" content="2024-11-24T08:05:00Z">'
        '<meta property="og:site_name" content="Example News">'
        '<meta name="author" content="Jane Doe">'
        '<link rel="canonical" href="/news/dam-repairs">'
    )
    rec = run(norm, page(head=head), content_type="html", url="https://news.example.ua/a/1?utm=x")
    assert rec["published"] == "2024-11-24T08:05:00+00:00"
    assert rec["authors"] == ["Jane Doe"]
    assert rec["site_name"] == "Example News"
    assert rec["url"] == "https://news.example.ua/news/dam-repairs"
    assert rec["metadata_sources"] == {
        "published": "meta",
        "authors": "meta",
        "site_name": "meta",
        "url": "canonical",
    }


def test_broken_jsonld_falls_back_to_meta(norm):
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": </script>'
        '<meta name="pubdate" content="2024-11-24">'
    )
    rec = run(norm, page(head=head), content_type="html")
    assert rec["published"] == "2024-11-24"
    assert rec["metadata_sources"]["published"] == "meta"


def test_hostile_jsonld_never_fails_the_record(norm):
    head = (
        '<script type="application/ld+json">' + "[" * 100_000 + "</script>"
        '<script type="application/ld+json">{"@type": "NewsArticle", "author": {"name": 5}, '
        '"datePublished": "0000-00-00", "publisher": ["x"]}</script>'
    )
    rec = run(norm, page(head=head), content_type="html")
    assert rec["status"] == "ok"
    assert rec["published"] is None and rec["authors"] == []


def test_meta_author_that_is_the_site_is_not_an_author(norm):
    head = '<meta property="og:site_name" content="Example News"><meta name="author" content="Example News">'
    assert run(norm, page(head=head), content_type="html")["authors"] == []


def test_time_near_headline_not_in_comments_or_footer(norm):
    comments = (
        '<section class="comments"><h3>Comments</h3><p>Ivan <time datetime="2024-11-25">'
        "Nov 25</time> Great news for the people of our town, thanks for the report.</p></section>"
    )
    footer = '<footer><p>Updated <time datetime="2024-12-01">1 Dec</time> · © 2024 Example News</p></footer>'
    rec = run(
        norm,
        page(
            after_title='<p class="meta"><time datetime="2024-11-24T10:05:00+02:00">'
            "24 November</time></p>",
            tail=comments + footer,
        ),
        content_type="html",
    )
    assert rec["published"] == "2024-11-24T10:05:00+02:00"
    assert rec["metadata_sources"]["published"] == "time"
    rec = run(norm, page(tail=comments + footer), content_type="html")
    assert rec["published"] is None


def test_microdata_author_and_date(norm):
    after = (
        '<p>By <span itemprop="author" itemscope><span itemprop="name">Jane Doe</span></span>, '
        '<span itemprop="datePublished" content="2024-11-24">24 November 2024</span></p>'
    )
    rec = run(norm, page(after_title=after), content_type="html")
    assert rec["authors"] == ["Jane Doe"]
    assert rec["published"] == "2024-11-24"
    assert rec["metadata_sources"]["authors"] == rec["metadata_sources"]["published"] == "microdata"


def test_html_is_parsed_once(norm, monkeypatch):
    import normalizer.stages.html as html_mod

    calls = []
    real = html_mod.etree.HTMLParser

    def counting(*a, **k):
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(html_mod.etree, "HTMLParser", counting)
    rec = run(norm, page(head=JSONLD), content_type="html")
    assert rec["published"] == "2024-11-24T10:05:00+02:00"
    assert len(calls) == 1


# --- every record, every output ------------------------------------------------------------------


def test_error_record_has_the_fields_with_empty_values(norm):
    rec = run(norm, "   ", content_type="text", url="https://news.example.ua/x")
    assert rec["status"] == "error"
    assert rec["published"] is None and rec["authors"] == [] and rec["site_name"] is None
    assert rec["url"] == "https://news.example.ua/x"
    assert rec["metadata_sources"] == {"url": "given"}


def test_show_prints_metadata_with_sources(tmp_path):
    import subprocess
    import sys

    f = tmp_path / "ru.txt"
    f.write_text(RU_PAGE, "utf-8")
    root = Path(__file__).resolve().parent.parent
    p = subprocess.run(
        [sys.executable, "-m", "normalizer", "show", "--no-translate", "--color", "never", str(f)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0, p.stderr
    assert "published: 2024-11-24 (text)" in p.stdout
    assert "authors: Ирина Смирнова, Павел Орлов (text)" in p.stdout


def test_parquet_and_report_carry_the_fields(norm, tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    from normalizer.io.report import write_report
    from normalizer.io.write import JsonlWriter

    recs = [
        run(norm, page(head=JSONLD), content_type="html", id="a"),
        run(norm, "", content_type="text", id="b"),
    ]
    out = tmp_path / "out.parquet"
    with JsonlWriter(out) as w:
        for r in recs:
            w.write(r)
    table = pq.read_table(out)
    assert table.column("published").to_pylist() == ["2024-11-24T10:05:00+02:00", None]
    assert table.column("authors").to_pylist() == [["Jane Doe", "John Smith"], []]
    assert pa.types.is_struct(table.schema.field("metadata_sources").type)

    jl = tmp_path / "out.jsonl"
    jl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), "utf-8")
    html = tmp_path / "report.html"
    write_report(jl, html)
    text = html.read_text("utf-8")
    assert '<span class="authors">Jane Doe, John Smith</span>' in text
    assert '<span class="published">2024-11-24T10:05:00+02:00</span>' in text
