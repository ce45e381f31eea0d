"""HTML stage: page text (the plain-text dump), block offsets, DOM hints, title/URL/lang.

Real pages: tests/data/html (trafilatura evaluation pages, see the README there).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from normalizer.record import REASONS
from normalizer.stages.html import Page, html_to_page

HTML_DIR = Path(__file__).resolve().parent / "data" / "html"
EVAL = json.loads((HTML_DIR / "evaldata.json").read_text("utf-8"))


def load(name: str) -> Page:
    return html_to_page((HTML_DIR / name).read_bytes())


def check_offsets(page: Page) -> None:
    pos = 0
    for b in page.blocks:
        assert page.text[b.start : b.end] == b.text
        assert b.text == b.text.strip() and b.text
        assert "\n" not in b.text
        assert b.start >= pos
        pos = b.end
    assert page.text == "\n".join(b.text for b in page.blocks)
    for b in page.blocks:
        assert (b.dom_reason is None) == (b.dom_rule is None)
        if b.dom_reason is not None:
            assert b.dom_reason in REASONS
            assert b.dom_rule.startswith("html:")
        assert 0.0 <= b.link_density <= 1.0


def block_with(page: Page, snippet: str):
    hits = [b for b in page.blocks if snippet in b.text]
    assert hits, f"{snippet!r} not in any block"
    return hits[0]


# --- real pages ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EVAL))
def test_real_page_offsets_and_article_unhinted(name):
    page = load(name)
    check_offsets(page)
    for snippet in EVAL[name]["with"]:
        assert snippet in page.text
        # The article body is never hinted away by the DOM stage.
        assert block_with(page, snippet).dom_reason is None, snippet


def test_cookie_banner_and_language_menu_are_hinted():
    page = load("dw.com-elephants.html")
    cookie = block_with(page, "Nous utilisons des cookies")
    assert cookie.dom_reason == "cookie_notice"
    assert cookie.dom_rule == "html:class=cookie__text"
    assert block_with(page, "Deutsche Welle").dom_reason == "navigation"
    assert (
        page.title
        == "La perte des terres fertiles et les éléphants en Guinée-Conakry | DW | 23.05.2011"
    )
    assert page.lang == "fr"


def test_wordpress_menu_items_and_title_from_headline_in_title_tag():
    page = load("die-partei.net.luebeck.html")
    item = block_with(page, "Mitgliedsantrag")
    assert (item.dom_reason, item.dom_rule) == ("navigation", "html:id=menu-item-222")
    assert item.tag == "li" and item.link_density == 1.0
    # <h1> is the section name; the headline is the <h2> that <title> repeats.
    assert page.title == "Das Ministerium für Club-Kultur informiert…"
    assert (
        page.canonical_url
        == "https://die-partei.net/luebeck/2012/05/31/das-ministerium-fur-club-kultur-informiert/"
    )
    assert page.lang == "de"
    headline = block_with(page, "Das Ministerium für Club-Kultur informiert")
    assert headline.heading and headline.tag == "h2"


def test_blog_post_title_pre_and_footer():
    page = load("mdavis.xyz.supermarket.html")
    assert page.title == "Web analytics are leaking into meatspace"
    assert page.lang == "en"
    assert page.blocks[0].heading and page.blocks[0].text == page.title
    # <pre> keeps its lines as lines.
    assert block_with(page, '"Name": "Matthew Davis",').tag == "pre"
    assert block_with(page, "find more by Matthew Davis").dom_reason == "navigation"


def test_canonical_and_og_title():
    page = load("dbjr.de.bundespraesident.html")
    assert page.title == "Bundespräsident würdigte das ehrenamtliche Engagement"
    assert page.canonical_url.startswith("https://www.dbjr.de/artikel/bundespraesident")
    assert block_with(page, "Geschäftsordnung").dom_reason == "navigation"


# --- the dump itself -------------------------------------------------------------------


def test_dump_rendering_rules():
    html = """<!doctype html><html lang="en-GB"><head><title>T</title>
    <style>p{color:red}</style><script>var x = "<p>no</p>";</script></head>
    <body><!-- a comment --><div>One <b>bold</b>  word<br>after break</div>
    <p>Para&nbsp;with   spaces
    and newline</p><script>alert(1)</script>tail text
    <ul><li>item <a href="/x">link</a></li></ul><noscript>enable js</noscript>
    <table><tr><td>cell a</td><td>cell b</td></tr></table><template><p>tpl</p></template>
    <pre>line 1
line 2</pre></body></html>"""
    page = html_to_page(html)
    check_offsets(page)
    # noscript is shown text in a dump (only script and style are not); templates are inert
    assert page.text.split("\n") == [
        "One bold word",
        "after break",
        "Para with spaces and newline",
        "tail text",
        "item link",
        "enable js",
        "cell a",
        "cell b",
        "line 1",
        "line 2",
    ]
    assert page.lang == "en"
    assert page.title == "T"
    item = block_with(page, "item link")
    assert item.tag == "li"
    assert item.link_density == pytest.approx(4 / 8, abs=0.01)


def test_inline_elements_do_not_split_words():
    page = html_to_page("<p>Hel<span>lo</span> <em>wor</em>ld</p>")
    assert page.text == "Hello world"


# --- DOM hints -------------------------------------------------------------------------


def test_ruby_annotations_do_not_split_words():
    # NHK's easy-Japanese pages gloss every kanji with <rt> readings; a browser prints
    # them above the line, so they are not part of the sentence.
    html = (
        "<p><ruby>法律<rt>ほうりつ</rt></ruby>では<ruby><span>虐待</span><rp>(</rp><rt>ぎゃくたい</rt>"
        "<rp>)</rp></ruby>をした<ruby>親<rt>おや</rt></ruby>に</p>"
    )
    page = html_to_page(html)
    check_offsets(page)
    assert page.text == "法律では虐待をした親に"


def test_noscript_message_is_hinted_but_a_noscript_article_is_kept():
    h = hints(
        f"<body><noscript>Please enable JavaScript to view this site.</noscript>{ARTICLE}</body>"
    )
    assert h["Please enable JavaScript to view this site."] == ("low_quality", "html:noscript")
    # Blogger pages carry the whole post inside <noscript>: a wrapper, not furniture
    h = hints(f"<body><noscript>{ARTICLE}</noscript></body>")
    assert list(h.values()) == [(None, None)]


def hints(html: str) -> dict[str, tuple[str | None, str | None]]:
    page = html_to_page(html)
    check_offsets(page)
    return {b.text: (b.dom_reason, b.dom_rule) for b in page.blocks}


ARTICLE = (
    "<p>" + "This is a long paragraph of the article with plenty of ordinary words. " * 4 + "</p>"
)


def test_structural_and_class_hints():
    h = hints(f"""<html><body>
      <header><a href="/">Site</a><nav><ul><li><a href="/a">Home</a></li></ul></nav></header>
      <div id="cookie-banner"><p>We use cookies to improve your experience.</p></div>
      <main><article><header><h1>Headline here</h1></header>{ARTICLE}
        <div class="share-buttons"><a href="#">Facebook</a></div>
        <div class="newsletter-signup"><p>Get our newsletter</p></div>
        <div class="donate-box"><p>Support our journalism</p></div>
        <section class="related-posts"><h3>Related</h3></section>
        <div id="comments"><p>Leave a reply</p></div>
      </article></main>
      <aside><p>Sidebar text</p></aside>
      <footer><p>Copyright 2024</p><div class="social"><a>Twitter</a></div></footer>
      <form action="/search"><input name="q"><button>Search</button></form>
      <div class="widget"><select name="archive-dropdown"><option value="">Select Month</option>
        <option value="/2012/10">October 2012</option></select></div>
    </body></html>""")
    assert h["Site"] == ("navigation", "html:header")
    assert h["Home"] == ("navigation", "html:nav")
    assert h["We use cookies to improve your experience."] == (
        "cookie_notice",
        "html:id=cookie-banner",
    )
    assert h["Headline here"] == (None, None)  # an article's own header stays
    assert h[ARTICLE[3:-4].strip()] == (None, None)
    assert h["Facebook"] == ("share_prompt", "html:class=share-buttons")
    assert h["Get our newsletter"] == ("subscription_prompt", "html:class=newsletter-signup")
    assert h["Support our journalism"] == ("donation_appeal", "html:class=donate-box")
    assert h["Related"] == ("related", "html:class=related-posts")
    assert h["Leave a reply"] == ("comment_form", "html:id=comments")
    assert h["Sidebar text"] == ("related", "html:aside")
    assert h["Copyright 2024"] == ("navigation", "html:footer")
    assert h["Twitter"] == ("share_prompt", "html:class=social")  # innermost wins
    assert h["Search"] == ("navigation", "html:form")
    # a drop-down outside any form: an archive widget's months
    assert h["October 2012"] == ("navigation", "html:select")


def test_wrappers_are_not_furniture():
    # ASP.NET wraps the whole page in a <form>; a theme puts the article in a "nav" div.
    h = hints(f"""<html><body><form id="aspnetForm"><div class="navigation-container">
      <nav><a href="/">Home</a></nav><h1>Title</h1>{ARTICLE}{ARTICLE.replace("This", "That")}
      </div></form></body></html>""")
    assert h["Home"] == ("navigation", "html:nav")
    assert h["Title"] == (None, None)
    assert all(v == (None, None) for k, v in h.items() if k.startswith(("This", "That")))


def test_the_element_around_the_main_container_is_a_wrapper():
    # Yahoo News shows the article in <div id="render-target-modal"> ("modal" reads as a
    # pop-up) below a page of teasers that hold more prose than the article itself; the
    # main container (the article's paragraphs) is inside, so the element wraps it.
    teaser = "<div class='stream-item'><p>{}</p></div>".format(
        "A teaser paragraph from another story that runs on for several lines of text. " * 2
    )
    paragraphs = "".join(
        f"<p>{w} paragraph of the space story, with enough ordinary words to be prose, "
        "and a second sentence that tells what the cargo ship was carrying to the station.</p>"
        for w in ("First", "Second", "Third", "Fourth")
    )
    h = hints(
        f"""<html><body><div id="render-target-default">{teaser * 6}</div>
      <div id="render-target-modal"><div class="canvas-body">{paragraphs}</div></div>
      <div class="newsletter-modal"><p>Get our newsletter</p></div></body></html>"""
    )
    assert all(v == (None, None) for k, v in h.items() if "paragraph of the space story" in k), h
    assert h["Get our newsletter"] == ("subscription_prompt", "html:class=newsletter-modal")


def test_article_header_outside_article_stays_but_banner_goes():
    h = hints(f"""<body><header class="x"><h1>The headline of the story</h1>
      <p>A standfirst that sums the story up.</p></header>{ARTICLE}
      <header><a href="/">Logo</a> <a href="/n">News</a></header></body>""")
    assert h["The headline of the story"] == (None, None)
    assert h["Logo News"] == ("navigation", "html:header")


def test_negated_and_keep_classes():
    h = hints(f"""<body><div class="post has-sharing no-sidebar"><p>Kept one.</p></div>
      <div class="entry-content social-links"><p>Kept two.</p></div>
      <div class="tagstyle_xyz"><p>Kept three.</p></div>
      <div class="tags"><p>Tag list</p></div>{ARTICLE}</body>""")
    assert h["Kept one."] == (None, None)
    assert h["Kept two."] == (None, None)
    assert h["Kept three."] == (None, None)
    assert h["Tag list"] == ("related", "html:class=tags")


def test_taxonomy_classes_and_opinion_columns_are_not_comment_sections():
    # WordPress's post_class() names the post's category on its wrapper; taz.de marks
    # opinion pieces "commentary". Neither is a comment section; a real one still is.
    h = hints(f"""<body><div class="post category-kommentar"><p>Ein Kommentar zur Lage.</p></div>
      <div class="article commentary"><p>An opinion piece.</p></div>
      <div class="category-menu main-nav"><p>Sections</p></div>
      <div class="comment-content"><p>Great post, thanks!</p></div>{ARTICLE}</body>""")
    assert h["Ein Kommentar zur Lage."] == (None, None)
    assert h["An opinion piece."] == (None, None)
    assert h["Sections"] == ("navigation", "html:class=main-nav")
    assert h["Great post, thanks!"] == ("comment_form", "html:class=comment-content")


def test_post_tag_classes_are_not_furniture():
    # post_class() also adds "tag-<slug>" for each of the post's tags: a post tagged
    # "promotions" is not a promotion box (the whole article of a Dragnet page went as one).
    h = hints(f"""<body><div class="post tag-promotions tag-blackberry">
      <p>It is nice to see that RIM is still promoting its phones.</p></div>
      <div class="promo-box"><p>Buy now</p></div>{ARTICLE}</body>""")
    assert h["It is nice to see that RIM is still promoting its phones."] == (None, None)
    assert h["Buy now"][0] is not None


def test_entry_category_classes_name_the_post_not_the_element():
    # Some themes write the taxonomy as "entry-category-<slug>": a post filed under "social
    # media" is not a share bar (a Dragnet page lost its whole article to "social").
    h = hints(f"""<body><div class="entry-category-brand entry-category-social_media entry">
      <p>Like any professional industry, social media discussions can become heated.</p></div>
      <div class="social-share"><p>Share this</p></div>{ARTICLE}</body>""")
    assert h["Like any professional industry, social media discussions can become heated."] == (
        None,
        None,
    )
    assert h["Share this"][0] == "share_prompt"


def test_hidden_elements_are_hinted_not_dropped():
    h = hints(
        f'<body><div style="display: none"><p>Invisible</p></div><p hidden>Also</p>{ARTICLE}</body>'
    )
    assert h["Invisible"] == ("low_quality", "html:hidden")
    assert h["Also"] == ("low_quality", "html:hidden")


# --- title, URL, language --------------------------------------------------------------


@pytest.mark.parametrize(
    "head,body,title",
    [
        ('<meta property="og:title" content=" OG  title ">', "<h1>H1</h1>", "OG title"),
        (
            "<title>Big news today | Site</title>",
            "<h1>Site</h1><h2>Big news today</h2>",
            "Big news today",
        ),
        ("<title>Something else</title>", "<h2>Sub</h2><h1>First h1</h1>", "First h1"),
        ("<title>Only &amp; title</title>", "<p>x</p>", "Only & title"),
        ("", "<p>x</p>", None),
    ],
)
def test_title_choice(head, body, title):
    assert html_to_page(f"<html><head>{head}</head><body>{body}</body></html>").title == title


def test_canonical_url_and_language_sources():
    p = html_to_page(
        '<html><head><meta property="og:url" content="https://e.x/og">'
        '<link rel="canonical" href="https://e.x/c"></head><body>x</body></html>'
    )
    assert p.canonical_url == "https://e.x/c"
    p = html_to_page(
        '<html><head><meta property="og:url" content="https://e.x/og">'
        '<meta property="og:locale" content="uk_UA"></head><body>x</body></html>'
    )
    assert p.canonical_url == "https://e.x/og"
    assert p.lang == "uk"
    assert html_to_page('<html lang="RU"><body>x</body></html>').lang == "ru"
    assert html_to_page('<html lang="not a code"><body>x</body></html>').lang is None


def test_bytes_are_decoded_with_meta_charset():
    html = (
        '<html><head><meta charset="windows-1251"></head><body><p>Привіт, світе</p></body></html>'
    )
    page = html_to_page(html.encode("windows-1251"))
    assert page.text == "Привіт, світе"


# --- bad input: a page, never an exception ---------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n\t ",
        "<html></html>",
        "<!-- only a comment -->",
        "<script>x()</script>",
        "<html><body>",
        "</div></p></body>",
        "<<<>>>",
        "\x00\x00abc",
        "<p>unclosed <b>bold <i>it",
        "<div><p>truncated in the mid",
        "<table><tr><td>cell<td>cell2",
        '<a href="x>broken attr</a>',
        "<?xml version='1.0' encoding='utf-8'?><html><body><p>xhtml</p></body></html>",
        "\ud800 lone surrogate <p>x</p>",
        "plain text, not html at all",
        b"\xff\xfe\x00\x01 binary".decode("latin-1"),
    ],
)
def test_bad_html_never_raises(html):
    page = html_to_page(html)
    check_offsets(page)


def test_malformed_markup_keeps_text():
    page = html_to_page("<div><p>first<p>second</div></span><li>third<li>fourth</ul>")
    check_offsets(page)
    assert page.text.split("\n") == ["first", "second", "third", "fourth"]
    page = html_to_page(
        "<?xml version='1.0' encoding='utf-8'?><html><body><p>xhtml</p></body></html>"
    )
    assert page.text == "xhtml"


def test_empty_and_textless_documents():
    for html in ("", "<html><head><title>t</title></head><body></body></html>", b""):
        page = html_to_page(html)
        assert page.text == "" and page.blocks == []


def test_deep_nesting_100k_levels():
    depth = 100_000
    html = "<p>before</p>" + "<div>" * depth + "deep text" + "</div>" * depth + "<p>after</p>"
    t0 = time.perf_counter()
    page = html_to_page(html)
    assert time.perf_counter() - t0 < 30
    check_offsets(page)
    assert page.text.split("\n") == ["before", "deep text", "after"]
    assert page.blocks[1].depth > 2048


def test_deep_unclosed_nesting_and_deep_hints():
    depth = 50_000
    html = '<nav class="menu">' + "<span><div>" * depth + "x" + "<p>tail</p>"
    page = html_to_page(html)
    check_offsets(page)
    assert page.text.split("\n") == ["x", "tail"]
    assert all(b.dom_reason == "navigation" for b in page.blocks)


def test_huge_single_line():
    word = "word " * 1_000_000  # 5 MB in one paragraph
    page = html_to_page(f"<html><body><p>{word}</p><p>end</p></body></html>")
    check_offsets(page)
    assert len(page.blocks) == 2
    assert len(page.blocks[0].text) == len(word) - 1


def test_non_string_input_is_a_type_error():
    with pytest.raises(TypeError):
        html_to_page(12345)  # type: ignore[arg-type]


def test_main_container_and_article_marks():
    para = "This is a sentence of the article that runs long enough to count as prose here. " * 2
    html = (
        "<html><body><nav><ul><li><a href='/'>Home</a></li><li><a href='/n'>News</a></li></ul></nav>"
        "<div class='sidebar-x'><p>Short teaser text</p></div>"
        f"<article><h1>Headline of the story</h1><div class='body'><p>{para}</p><p>{para}</p>"
        f"<p>{para}</p></div></article><div><p>Unrelated small print</p></div></body></html>"
    )
    page = html_to_page(html)
    check_offsets(page)
    by_text = {b.text: b for b in page.blocks}
    assert all(b.in_main for b in page.blocks if b.text.startswith("This is a sentence"))
    assert not by_text["Short teaser text"].in_main and not by_text["Unrelated small print"].in_main
    assert (
        by_text["Headline of the story"].in_article and not by_text["Headline of the story"].in_main
    )
    assert not by_text["Home"].in_article


def test_main_container_of_a_page_without_prose():
    page = html_to_page("<html><body><ul><li>a</li><li>b</li></ul></body></html>")
    assert not any(b.in_main for b in page.blocks)


# --- known leaks (issue 15): each reproduced by a small page in the shape of the real one


def test_self_closed_script_tag_does_not_show_its_code():
    # bettycrocker.com: '<script type="text/javascript"/>' then the code, then "</script>".
    # HTML has no self-closing script: a browser runs the code, it is not page text.
    html = (
        '<html><body><p>Heat oven to 350°F.</p><script type="text/javascript"/>\n'
        "(function() { document.addEventListener('DOMContentLoaded', function() {"
        " var x = JSON.parse('{}'); }); })();\n</script><p>Bake 45 minutes.</p>"
        "<style/>p { color: red }</style><p>Cool on a rack.</p></body></html>"
    )
    page = html_to_page(html)
    check_offsets(page)
    assert page.text.split("\n") == ["Heat oven to 350°F.", "Bake 45 minutes.", "Cool on a rack."]


def test_self_closed_script_without_end_tag_hides_nothing():
    # An XHTML-style empty <script/> with no "</script>" after it: the text after it is
    # the page's (a browser parsing it as XML shows it), so it stays.
    page = html_to_page(
        '<html><body><script src="a.js"/><p>First paragraph.</p>'
        '<script src="b.js"></script><p>Second one.</p></body></html>'
    )
    assert page.text.split("\n") == ["First paragraph.", "Second one."]


@pytest.mark.parametrize(
    "head,title",
    [
        # scilogs.spektrum.de: the site's name and its tagline after "»"
        (
            '<meta property="og:title" content="Die Ablehnung der Gendersprache &raquo; SciLogs - '
            'Wissenschaftsblogs"><link rel="canonical" href="https://scilogs.spektrum.de/x/y/">',
            "Die Ablehnung der Gendersprache",
        ),
        # og:site_name in front
        (
            '<meta property="og:site_name" content="The Daily Planet"><title>The Daily Planet | '
            "Mayor opens the new bridge</title>",
            "Mayor opens the new bridge",
        ),
        # a dash inside the headline is not a site separator when nothing names the site
        (
            '<meta property="og:title" content="Trump - the early years"><link rel="canonical" '
            'href="https://www.example.com/a">',
            "Trump - the early years",
        ),
        # nothing left but a short stub: keep the whole title
        (
            '<title>News | Example</title><link rel="canonical" href="https://example.com/">',
            "News | Example",
        ),
    ],
)
def test_title_loses_the_site_name(head, title):
    assert html_to_page(f"<html><head>{head}</head><body><p>x</p></body></html>").title == title


def test_byline_word_and_name_in_adjacent_elements_are_two_words():
    # abc13.com: '<span>By</span><span><a href="/about/newsteam/...">Alex Bozarjian</a></span>'
    page = html_to_page(
        '<div class="byline"><span class="l">By</span><span><a href="/team/ab">'
        "Alex Bozarjian</a></span></div><p>Hel<b>lo</b> <b>W</b>orld, "
        "i<span>Phone</span></p>"
    )
    assert page.text.split("\n") == ["By Alex Bozarjian", "Hello World, i Phone"]


def test_a_line_of_tag_links_is_a_tag_label():
    # abc13.com: the story's tag "lewdness" (a link to /tag/lewdness/) just above the headline.
    html = (
        '<html><body><div><ul><li><a href="https://abc13.com/tag/lewdness/"><span> lewdness'
        "</span></a></li></ul></div><h1>Salon chain bans men after lewd act</h1>"
        "<p>A Houston-area beauty business is taking drastic measures, the owner said. "
        'See <a href="/topic/crime/">crime</a> for more.</p>'
        '<p><a href="/2023/11/other-story/">Another story</a></p></body></html>'
    )
    page = html_to_page(html)
    check_offsets(page)
    tag = block_with(page, "lewdness")
    assert (tag.dom_reason, tag.dom_rule) == ("navigation", "html:tag_link")
    # a paragraph with a tag link in it, and a line linking elsewhere, are not tag labels
    assert block_with(page, "drastic measures").dom_reason is None
    assert block_with(page, "Another story").dom_reason is None
