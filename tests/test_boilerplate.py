"""General behaviour of the boilerplate classifier on real text (not the golden samples).

Page dumps below are written like real scraped pages: menus, bylines, share prompts,
related lists, comments and footers around an article. Real pages: tests/data/html.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from normalizer.record import REASONS
from normalizer.stages.boilerplate import classify, score_lines
from normalizer.stages.features import line_features, page_language
from normalizer.stages.html import html_to_page
from normalizer.stages.linemodel import CONTEXT_FEATURES, LINE_FEATURES, _Forest, load_line_model
from normalizer.stages.rules import load_site_words, load_stopwords
from normalizer.stages.segment import Block, segment

HTML_DIR = Path(__file__).resolve().parent / "data" / "html"
EVAL = json.loads((HTML_DIR / "evaldata.json").read_text("utf-8"))

EN_DUMP = """\
Home
World
Politics
Business
Technology
Sport
Subscribe
Sign in
Search
Wind farms off the Baltic coast get the go-ahead
By Anna Keller
12 March 2024
Share
The government approved three offshore wind farms in the Baltic Sea on Tuesday, a decision that will more than double the country's renewable capacity by the end of the decade.
The projects, which had been delayed for two years by a dispute over shipping lanes, will be built by a consortium of two utilities and a pension fund.
What happens next
Construction is expected to start next spring, and the first turbines should deliver power to the grid in 2027, the energy ministry said in a statement.
Environmental groups welcomed the decision but said they would watch closely how the cables are laid through protected areas of the seabed.
Share this article
Facebook
Twitter
Email
Related
Solar subsidies cut for small households
Grid operator warns of winter shortages
Why offshore wind is getting cheaper
Comments
Leave a comment
About us
Contact
Privacy policy
Cookie settings
© 2024 Daily Example Ltd. All rights reserved.
"""

UK_DUMP = """\
Головна
Новини
Політика
Економіка
Спорт
Культура
Уряд схвалив програму відновлення мостів
Уряд у вівторок схвалив програму відновлення мостів, які були пошкоджені під час обстрілів, і виділив на неї кошти з резервного фонду.
За словами міністра, перші роботи почнуться вже навесні, а завершити відновлення планують до кінця наступного року.
Поділитися
Facebook
Telegram
Читайте також
Ціни на пальне знову зросли
Контакти
Реклама
Політика конфіденційності
"""

RU_DUMP = """\
Главная
Новости
Политика
Экономика
В городе открылась новая библиотека
В субботу в центре города открылась новая библиотека, в которой собрано более двадцати тысяч книг на разных языках.
По словам директора, библиотека будет работать каждый день, а вход для всех посетителей останется бесплатным.
Поделиться
ВКонтакте
Одноклассники
Контакты
Реклама
"""


# A Ukrainian news page the way the product sees them: the article in the middle of the
# site's furniture (written for this test).
UK_NEWS_DUMP = """\
Головна
Новини
Політика
Економіка
Суспільство
Спорт
Увійти
Київрада ухвалила програму ремонту укриттів у школах
24 листопада 2026, 14:35
Автор: Олена Коваленко
Київська міська рада у вівторок ухвалила програму, за якою до кінця наступного року мають відремонтувати укриття у всіх столичних школах. За рішення проголосували 87 депутатів.
Фото: Київрада
Програма передбачає, що на ремонт спрямують понад два мільярди гривень із міського бюджету, а роботи контролюватиме окрема комісія, до якої увійдуть представники батьківських організацій.
Читайте також: У Львові відкрили перший муніципальний центр підтримки ветеранів
За словами заступника міського голови, першими відремонтують укриття у школах Деснянського та Дарницького районів, де торік перевірка виявила найбільше порушень.
Реклама
Батьки учнів, з якими поспілкувалися журналісти, кажуть, що чекали на це рішення понад рік, і сподіваються, що ремонт не затягнеться через бюрократію.
Думка автора може не збігатися з позицією редакції.
Підписуйтесь на наш Telegram-канал, щоб першими дізнаватися новини
Якщо ви помітили помилку, виділіть необхідний текст і натисніть Ctrl+Enter, щоб повідомити про це редакцію.
Мітки: Київ, освіта, укриття
Останні новини
У Харкові відновили рух тролейбусів після нічної атаки
Уряд продовжив програму "єОселя" ще на рік
Збірна України з футболу зіграє товариський матч у Варшаві
Новини партнерів
Використання матеріалів дозволяється лише за умови посилання на джерело.
Усі права захищені.
"""


def body(text: str):
    kept, removed = classify(segment(text))
    return [f.text for f in kept if f.role in ("body", "heading")], kept, removed


def check_offsets(text: str, kept, removed) -> None:
    for r in removed:
        assert text[r.start : r.end] == r.text
        assert r.reason in REASONS and r.rule
    for f in kept:
        assert text[f.start : f.end] == f.text


def test_english_dump_keeps_the_article_and_drops_the_page_around_it():
    paras, kept, removed = body(EN_DUMP)
    check_offsets(EN_DUMP, kept, removed)
    assert paras[0].startswith("The government approved three offshore wind farms")
    assert paras[-1].startswith("Environmental groups welcomed the decision")
    assert "What happens next" in paras  # a heading inside the article stays
    title = [f.text for f in kept if f.role == "title"]
    assert title == ["Wind farms off the Baltic coast get the go-ahead"]
    gone = {r.text for r in removed}
    for line in (
        "Home",
        "Politics",
        "Subscribe",
        "Share this article",
        "Facebook",
        "Related",
        "Solar subsidies cut for small households",
        "Leave a comment",
        "Privacy policy",
        "© 2024 Daily Example Ltd. All rights reserved.",
    ):
        assert line in gone, line


def test_every_line_is_either_kept_or_removed_with_a_reason():
    _, kept, removed = body(EN_DUMP)
    lines = [ln for ln in EN_DUMP.splitlines() if ln.strip()]
    assert sorted(f.start for f in kept) + [] and len(kept) + len(removed) == len(lines)
    rules = {r.rule for r in removed}
    assert "lines:not_article_prose" in rules  # the line scores speak
    assert any(rule.startswith("en:") for rule in rules)  # and the phrase rules


@pytest.mark.parametrize(
    "dump,first,last",
    [
        (UK_DUMP, "Уряд у вівторок схвалив", "За словами міністра"),
        (RU_DUMP, "В субботу в центре города", "По словам директора"),
    ],
)
def test_ukrainian_and_russian_dumps(dump, first, last):
    paras, kept, removed = body(dump)
    check_offsets(dump, kept, removed)
    assert len(paras) == 2
    assert paras[0].startswith(first) and paras[1].startswith(last)
    gone = {r.text for r in removed}
    assert {"Новини", "Політика", "Реклама", "Поділитися", "Facebook"} & gone or {
        "Новости",
        "Политика",
        "Реклама",
        "Поделиться",
    } <= gone


def test_page_language_from_stop_words():
    stop = load_stopwords()
    assert {"en", "uk", "ru", "de", "fr", "es", "pl"} <= set(stop)
    for text, lang in (
        (EN_DUMP, "en"),
        (UK_DUMP, "uk"),
        (RU_DUMP, "ru"),
        (
            "Die Regierung hat am Dienstag beschlossen, dass die Brücke bis zum Jahr "
            "2027 neu gebaut wird, und die Stadt ist damit zufrieden.",
            "de",
        ),
    ):
        assert page_language(segment(text), stop) == lang
    assert page_language(segment("12345\n!!!"), stop) is None


def test_line_model_matches_features():
    model = load_line_model()
    for mode in ("text", "html"):
        assert model[mode]["features"] == list(LINE_FEATURES)
        assert model[mode]["context_features"] == list(CONTEXT_FEATURES)
    feats = line_features(segment(EN_DUMP), load_stopwords())
    assert all(len(f) == len(LINE_FEATURES) for f in feats)


def test_forest_walks_trees_like_lightgbm():
    import numpy as np

    # Tree 1: x0 <= 0.5 -> -1.0, else (x1 <= 2.0 -> 0.25, else 3.0). Tree 2: a single leaf.
    stage = {
        "base": 0.5,
        "depth": 2,
        "trees": [
            {
                "f": [0, -1, 1, -1, -1],
                "t": [0.5, 0, 2.0, 0, 0],
                "l": [1, 0, 3, 0, 0],
                "r": [2, 0, 4, 0, 0],
                "v": [0, -1.0, 0, 0.25, 3.0],
            },
            {"f": [-1], "t": [0], "l": [0], "r": [0], "v": [0.125]},
        ],
    }
    forest = _Forest(stage, n_features=2)
    X = np.array([[0.5, 9.0], [0.7, 2.0], [0.7, 2.5]])
    assert forest(X).tolist() == [0.5 - 1.0 + 0.125, 0.5 + 0.25 + 0.125, 0.5 + 3.0 + 0.125]
    bad = {
        "base": 0,
        "depth": 1,
        "trees": [
            {"f": [5, -1, -1], "t": [0, 0, 0], "l": [1, 0, 0], "r": [2, 0, 0], "v": [0, 1, 2]}
        ],
    }
    with pytest.raises(ValueError):
        _Forest(bad, n_features=2)


def test_line_model_file_is_checked(tmp_path):
    path = tmp_path / "model.json"
    path.write_text('{"format": "weights-v0", "text": {}, "html": {}}', "utf-8")
    with pytest.raises(ValueError, match="format"):
        load_line_model(str(path))


def test_site_words_mark_lines_about_the_site():
    words = load_site_words()
    idx = LINE_FEATURES.index("site_word")
    lines = [
        "Subscribe to our newsletter",
        "Teilen Sie diesen Artikel",
        "Поділитися",
        "The council met on Monday and approved the budget.",
        "Shareholders approved the merger.",
    ]
    feats = line_features(segment("\n".join(lines)), load_stopwords())
    assert [f[idx] for f in feats] == [1.0, 1.0, 1.0, 0.0, 0.0]
    assert words.search("newsletters") and not words.search("shareholders")


def test_line_scores_can_be_switched_off():
    kept_all, removed = classify(segment(EN_DUMP), line_scores=False)
    assert not any(r.rule.startswith("lines:") for r in removed)
    assert "Home" in {f.text for f in kept_all}


def test_link_lists_go_as_navigation_in_html():
    # A menu without any class or nav element: only its links and its place give it away.
    items = "".join(f'<div><a href="/c{i}">Category number {i}</a></div>' for i in range(12))
    para = (
        "<p>"
        + "The council met on Monday and agreed that the new school will open in the autumn. " * 3
        + "</p>"
    )
    page = html_to_page(
        f"<html><body><div>{items}</div><article><h1>Council agrees new school</h1>"
        f"{para}{para}</article><div><a href='/t'>Back to top</a> <a href='/i'>Imprint</a>"
        f"</div></body></html>"
    )
    kept, removed = classify(page.blocks, title_hint=page.title)
    assert [f.role for f in kept] == ["title", "body", "body"]
    assert {r.reason for r in removed} == {"navigation"}
    # the 12-link run is a menu by rule; the two links after the article by the line scores
    assert [r.rule for r in removed] == ["html:link_menu"] * 12 + ["lines:link_list"]


def test_empty_and_degenerate_input():
    assert classify([]) == ([], [])
    assert score_lines([], load_stopwords()) == []
    one = [Block("Just one short line", 0, 19)]
    kept, removed = classify(one)
    assert len(kept) + len(removed) == 1
    huge = "word " * 200_000
    kept, removed = classify(segment(huge))
    assert len(kept) + len(removed) == 1


def test_deterministic():
    a = classify(segment(EN_DUMP))
    b = classify(segment(EN_DUMP))
    assert a == b


# --- real pages (trafilatura evaluation pages, see tests/data/html/README.md) -----------


def _body_of(name: str, form: str) -> str:
    page = html_to_page((HTML_DIR / name).read_bytes())
    blocks = page.blocks if form == "html" else segment(page.text)
    kept, removed = classify(blocks, title_hint=page.title if form == "html" else None)
    check_offsets(page.text, kept, removed)
    return " ".join(f.text for f in kept if f.role in ("body", "heading", "caption"))


@pytest.mark.parametrize(
    "name,form",
    [
        ("dbjr.de.bundespraesident.html", "html"),
        ("dbjr.de.bundespraesident.html", "text"),
        ("mdavis.xyz.supermarket.html", "html"),
        ("dw.com-elephants.html", "text"),
    ],
)
def test_real_pages_exact(name, form):
    text = _body_of(name, form)
    for s in EVAL[name]["with"]:
        assert s in text, s
    for s in EVAL[name]["without"]:
        assert s not in text, s


# What the shipped trees get wrong on these pages, each looked at: a petition URL alone on its
# line (reads as a link, not prose); a French teaser list that dw.com shows inside the article
# body; in the dump, a line of a JSON listing quoted in the article. Anything else missed or
# leaked fails.
KNOWN_MISSED = {
    "html": {("die-partei.net.luebeck.html", "http://www.openpetition.de")},
    "text": {
        ("die-partei.net.luebeck.html", "http://www.openpetition.de"),
        ("mdavis.xyz.supermarket.html", "afternoon snack on way home from work"),
    },
}
KNOWN_LEAKED = {
    "html": {
        ("dw.com-elephants.html", "et vidéos sur le sujet"),
        ("dw.com-elephants.html", "terres fertiles et les éléphants en Guinée-Conakry"),
    },
    "text": set(),
}


@pytest.mark.parametrize("form", ["html", "text"])
def test_real_pages_overall(form):
    missed, leaked = set(), set()
    for name, e in EVAL.items():
        text = _body_of(name, form)
        missed |= {(name, s) for s in e["with"] if s not in text}
        leaked |= {(name, s) for s in e["without"] if s in text}
    assert missed <= KNOWN_MISSED[form]
    assert leaked <= KNOWN_LEAKED[form]


@pytest.mark.parametrize(
    "line,removed",
    [
        ("11 Jan 2019", True),
        ("23.06.2016", True),
        ("March 3, 2022, 10:15 am", True),
        ("7. oktober 2020", True),
        ("Jun 18th 2018", True),
        ("3rd November 2006", True),
        ("August 9th, 2012, 2:01 PM", True),
        ("In 2019 we went to the sea.", False),
        ("The 18th of June 2018 was the hottest day.", False),
        ("Published by Anna", False),
    ],
)
def test_date_only_lines(line, removed):
    from normalizer.stages.rules import load_rules

    rule = next(r for r in load_rules() if r.name == "common:date_only")
    assert bool(rule.matches(line)) is removed


def test_dense_region_is_the_run_of_prose():
    from normalizer.stages.features import _dense_region

    mass = [0.0] * 10 + [3.0] * 5 + [0.0] * 20
    lo, hi = _dense_region(mass)
    assert lo <= 10 and hi >= 14 and hi < 30
    assert _dense_region([]) == (0, -1)
    assert _dense_region([0.0, 0.0]) == (0, -1)


def test_rule_triggers_only_skip_rules_that_cannot_match():
    # The page-level shortcut (Rule.triggers) must never change a decision: classify with
    # and without it on real pages, the samples and lines made to hit every rule family.
    import dataclasses

    from normalizer.stages.rules import _triggers, load_rules

    rules = load_rules()
    plain = tuple(dataclasses.replace(r, triggers=None) for r in rules)
    assert sum(r.triggers is not None for r in rules) >= len(rules) - 5
    assert _triggers(r"^(?:read more|continue reading)\s*$") == ("continue reading", "read more")
    assert _triggers(r"^[^\w]{1,40}$") is None
    samples = Path(__file__).resolve().parent.parent / "samples"
    docs = [segment(p.read_text("utf-8")) for p in sorted(samples.glob("*.txt"))]
    docs += [html_to_page((HTML_DIR / n).read_text("utf-8")).blocks for n in sorted(EVAL)]
    docs.append(
        segment(
            "Leave a Reply\nSubscribe to our newsletter\nЧитати більше\n"
            "FOTO: REUTERS\nThis site uses cookies.\nΣΊΓΜΑ ſubscribe İstanbul"
        )
    )
    for blocks in docs:
        assert classify(blocks, rules=rules) == classify(blocks, rules=plain)


def test_tiny_pages_keep_their_sentences():
    kept, _ = classify(
        segment("A big tree had fallen across the road and was in my way as I drove.")
    )
    assert [f.text for f in kept] == [
        "A big tree had fallen across the road and was in my way as I drove."
    ]
    # Fewer than SCORED_PAGE_MIN_LINES lines: every line with letters stays (there is no page
    # around them to judge by); only rules remove lines, and lines without letters go.
    text = (
        "Українські енергетики відновили живлення в Харкові після нічної атаки, повідомив мер.\n"
        "Їхня робота тривала понад дванадцять годин.\nГоловна"
    )
    kept, removed = classify(segment(text))
    assert [f.text for f in kept] == text.split("\n")
    kept, removed = classify(segment("Ганні подобається шоколад\n* * *\nЧитати більше"))
    assert [f.text for f in kept] == ["Ганні подобається шоколад"]
    assert [(r.text, r.reason) for r in removed] == [
        ("* * *", "empty"),
        ("Читати більше", "read_more"),
    ]


def test_site_word_trie_counts_like_a_plain_alternation():
    import re

    import tomllib

    words = set()
    for path in sorted(
        (Path(__file__).resolve().parent.parent / "normalizer" / "rules").glob("*.toml")
    ):
        words.update(
            w.lower() for w in tomllib.loads(path.read_text("utf-8")).get("site_words", [])
        )
    flat = re.compile(
        r"(?<!\w)(?:"
        + "|".join(
            re.escape(w[:-1]) if w.endswith("*") else re.escape(w) + r"(?!\w)"
            for w in sorted(words, key=lambda w: (-len(w), w))
        )
        + ")",
        re.IGNORECASE,
    )
    trie = load_site_words()
    lines = [
        b.text for n in sorted(EVAL) for b in html_to_page((HTML_DIR / n).read_text("utf-8")).blocks
    ]
    lines += [
        "Subscribe to our newsletter, share it on Facebook and read more",
        "Shareholders subscribed; Комментарии и реклама; Jetzt abonnieren und teilen",
    ]
    assert sum(len(flat.findall(t)) for t in lines) > 20
    assert [len(trie.findall(t)) for t in lines] == [len(flat.findall(t)) for t in lines]


CZECH_PAGE = (
    "Vláda ve středu schválila návrh zákona, podle kterého se mají od příštího roku "
    "zvýšit důchody, a to o něco více, než se původně čekalo.\n"
    "Odebírat newsletter zdarma\n"
    "Ministr práce to zdůvodnil tím, že ceny potravin a energií rostou rychleji, než "
    "jak se na začátku roku předpokládalo, a že by to jinak nejvíc pocítili senioři."
)


def test_rules_dir_brings_rules_stopwords_and_site_words(tmp_path):
    # A user adding a language adds one file: its rule, stop words and site words all count.
    (tmp_path / "cs.toml").write_text(
        """
stopwords = ["a", "se", "ve", "na", "to", "že", "by", "než", "jak", "od", "o", "je", "ze"]
site_words = ["odebírat*"]

[[line]]
rule = "cs:newsletter"
reason = "subscription_prompt"
pattern = '^odebírat newsletter'
""",
        "utf-8",
    )
    from normalizer import Config, Normalizer
    from normalizer.stages.rules import load_site_words

    blocks = segment(CZECH_PAGE)
    packaged = load_stopwords()
    assert "cs" not in packaged and page_language(blocks, packaged) != "cs"
    n = Normalizer(Config(rules_dir=str(tmp_path)))
    assert page_language(blocks, n.stopwords) == "cs"
    col = LINE_FEATURES.index("stopword_density")
    # without the file the page reads as Polish, whose function words it shares only in part
    assert (
        line_features(blocks, n.stopwords)[:, col] > line_features(blocks, packaged)[:, col] + 0.1
    ).sum() == 2
    site = LINE_FEATURES.index("site_words")
    before = line_features(blocks, n.stopwords, load_site_words())[:, site]
    after = line_features(blocks, n.stopwords, n.site_words)[:, site]
    assert after[1] > before[1] and after[0] == before[0] == 0  # "Odebírat" now counts
    rec = n.normalize(CZECH_PAGE, content_type="text", translate=False)
    assert [(r.reason, r.rule) for r in rec.removed] == [("subscription_prompt", "cs:newsletter")]
    assert "Ministr práce" in rec.original_text


def test_word_lexicon_features():
    from normalizer.stages.features import lexicon_columns, line_words

    lex = load_line_model()["lexicon"]
    # learned from the labelled dev lines: site furniture words below 0, prose words above
    for w in ("newsletter", "impressum", "cookies", "kommentare"):
        assert lex[w] < -1.5, w
    for w in ("said", "dass", "which"):
        assert lex[w] > 1.0, w
    assert all(w.isalpha() for w in lex)  # numbers are not evidence either way
    cols = lexicon_columns(
        [
            line_words("Newsletter abonnieren: jetzt!"),
            line_words("12 34"),
            line_words("He said that the newsletter is new"),
        ],
        lex,
    )
    assert cols[0, 0] < -1.5 and cols[0, 1] < -1.5
    assert cols[1].tolist() == [0.0, 0.0]  # no known word: no evidence
    assert cols[2, 0] > 0 > cols[2, 1]  # mean of the known words, and the lowest
    feats = line_features(
        segment("Newsletter abonnieren\n" + "He said that it was over. " * 4), load_stopwords()
    )
    i = LINE_FEATURES.index("lexicon_mean")
    assert feats[0, i] < 0 < feats[1, i]


def test_a_run_of_bare_links_is_a_menu_whatever_the_scores():
    items = "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(6))
    para = (
        "<p>"
        + "The council met on Monday and agreed that the new school will open in the autumn. " * 3
        + "</p>"
    )
    page = html_to_page(
        f"<html><body><ul>{items}</ul>{para}"
        f"<p>Read the <a href='/r'>full report</a> of the council, published on Friday.</p>"
        f"<ul><li><a href='/a'>Only</a></li><li><a href='/b'>three</a></li><li><a href='/c'>links</a></li></ul>"
        f"</body></html>"
    )
    kept, removed = classify(page.blocks, title_hint=page.title, line_scores=False)
    menu = [r.text for r in removed if r.rule == "html:link_menu"]
    assert menu == [f"Section {i}" for i in range(6)]
    assert all(r.reason == "navigation" for r in removed if r.rule == "html:link_menu")
    # a sentence with a link in it, and a run shorter than RUN_MIN_LINES, are not menus
    assert "Read the full report of the council, published on Friday." in {f.text for f in kept}
    assert {"Only", "three", "links"} <= {f.text for f in kept}


def test_ukrainian_news_furniture_goes_with_its_reason():
    paras, kept, removed = body(UK_NEWS_DUMP)
    check_offsets(UK_NEWS_DUMP, kept, removed)
    assert [f.text for f in kept if f.role == "title"] == [
        "Київрада ухвалила програму ремонту укриттів у школах"
    ]
    starts = (
        "Київська міська рада у вівторок",
        "Програма передбачає",
        "За словами заступника",
        "Батьки учнів",
    )
    assert len(paras) == len(starts) and all(p.startswith(s) for p, s in zip(paras, starts))
    by_rule = {r.text: r.rule for r in removed}
    assert (
        by_rule["Підписуйтесь на наш Telegram-канал, щоб першими дізнаватися новини"]
        == "uk:subscribe"
    )
    assert (
        by_rule["Думка автора може не збігатися з позицією редакції."] == "uk:editorial_disclaimer"
    )
    assert by_rule["Мітки: Київ, освіта, укриття"] == "uk:section_header"
    assert by_rule["Новини партнерів"] == "uk:section_header"
    assert by_rule["Усі права захищені."] == "uk:copyright_notice"
    assert by_rule["Реклама"] == "ru:advertisement"  # the same word in both languages
    assert by_rule[next(t for t in by_rule if "Ctrl+Enter" in t)] == "common:error_report"
    # the teaser list under "Останні новини" goes too, by the line scores
    assert by_rule['Уряд продовжив програму "єОселя" ще на рік'] == "lines:not_article_prose"


def test_news_page_leaks_go_with_reason_rule_and_offsets():
    # The shape of abc13.com and bettycrocker.com pages (issue 15): a tag label above the
    # headline, "By" and the author's name in adjacent elements, script code after a
    # self-closed <script/>. The tag goes as a removal with its reason, rule and offsets; the
    # byline reads as words; no code reaches the body.
    para = (
        "<p>" + "A Houston-area beauty business is taking drastic measures after the owner "
        "said a man entered one of their salons on Tuesday. " * 2 + "</p>"
    )
    html = (
        '<html><head><meta property="og:title" content="Salon chain bans men after lewd act | ABC13">'
        '<link rel="canonical" href="https://abc13.com/salon/14030671/"></head><body>'
        '<div><a href="/tag/lewdness/">lewdness</a></div><h1>Salon chain bans men after lewd act</h1>'
        '<div><span>By</span><span><a href="/about/newsteam/alex-bozarjian">Alex Bozarjian</a></span></div>'
        f'{para}<script type="text/javascript"/>(function() {{ var componentMetadata = '
        f"JSON.parse('{{\"a\": 1}}'); }})();</script>{para}</body></html>"
    )
    page = html_to_page(html)
    assert page.title == "Salon chain bans men after lewd act"
    kept, removed = classify(page.blocks, title_hint=page.title)
    tag = next(r for r in removed if r.text == "lewdness")
    assert (tag.reason, tag.rule) == ("navigation", "html:tag_link")
    assert page.text[tag.start : tag.end] == "lewdness"
    assert kept[0].role == "title" and kept[0].text == page.title
    assert "By Alex Bozarjian" in [f.text for f in kept] + [r.text for r in removed]
    assert not any("componentMetadata" in f.text for f in kept)
    assert sum(f.text.startswith("A Houston-area") for f in kept) == 2


def test_rule_scan_in_pieces_finds_the_same_lines(monkeypatch):
    # A big page's lines are scanned for rule triggers RULE_SCAN_LINES at a time (bounded
    # memory); the rule candidates, and so the result, are those of one scan of the whole page.
    from normalizer.stages import rules

    samples = Path(__file__).resolve().parent.parent / "samples"
    for p in sorted(samples.glob("*.txt")):
        blocks = segment(p.read_text("utf-8"))
        whole = classify(blocks)
        monkeypatch.setattr(rules, "RULE_SCAN_LINES", 3)
        assert classify(blocks) == whole
        monkeypatch.setattr(rules, "RULE_SCAN_LINES", 4096)


def _edges(lines, keep, verdict=None):
    from normalizer.stages.boilerplate import _article_edges, _ProseParagraph
    from normalizer.stages.rules import load_stopwords

    blocks = segment("\n".join(lines))
    verdict = verdict or [None] * len(blocks)
    paragraph = _ProseParagraph(blocks, verdict, {}, load_stopwords())
    kept_prose = [i for i in range(len(blocks)) if keep[i] and paragraph.paragraph_sized(i)]
    return _article_edges(keep, kept_prose, paragraph)


EDGE_PAGE = [
    "Menu",
    "Posted by Rudy Galfi, Product Manager",
    "Last year we updated the news search to make it easier for you to scan for stories "
    "that interest you and to dig deeper into the ones you care about.",
    "Over the next few days we will be rolling out the following features for everyone.",
    "Click-to-expand results: each cluster is collapsed to one result, and a click on it "
    "shows the other articles about the same story, with their sources and dates.",
    "You can try this out by doing a search on the news page or by clicking on the news "
    "filter on the web search results page, in every language we support.",
    "find more by Rudy Galfi",
]


def test_the_article_edges_stay_with_the_article():
    # A lede under a byline, and a closing paragraph above an author line: the trees drop
    # both for their neighbours; the nearest prose paragraph at each edge stays.
    from normalizer.stages.boilerplate import ARTICLE_EDGE_LINES

    keep = [False, False, False, True, True, False, False]
    assert _edges(EDGE_PAGE, keep) == [2, 5]
    # not past ARTICLE_EDGE_LINES lines of byline, date and share prompts
    far = EDGE_PAGE[:3] + ["Share"] * ARTICLE_EDGE_LINES + EDGE_PAGE[3:]
    keep_far = [False] * (3 + ARTICLE_EDGE_LINES) + keep[3:]
    assert _edges(far, keep_far) == [len(far) - 2]
    # a line a rule removed is not an edge
    verdict = [None] * len(EDGE_PAGE)
    verdict[2] = ("byline_stub", "en:test")
    assert _edges(EDGE_PAGE, keep, verdict) == [5]


def test_a_short_lede_sentence_is_an_article_edge():
    # A one-sentence lede under the headline, shorter than a paragraph (PROSE_MIN_CHARS), is
    # the article's upper edge when it ends a sentence and has EDGE_MIN_CHARS.
    from normalizer.stages.boilerplate import EDGE_MIN_CHARS
    from normalizer.stages.features import PROSE_MIN_CHARS

    lede = "The 58-year-old told a local radio station that she is engaged to a teacher."
    assert EDGE_MIN_CHARS <= len(lede) < PROSE_MIN_CHARS
    body = [
        '"He was a sailor. Now he teaches music," she said about her fiance, adding that the '
        "couple met at a concert in the spring and plan a small ceremony.",
        "She has been married twice before, first to a drummer in 1979 and then to a producer "
        "in 1987; both marriages ended in divorce after a few years.",
    ]
    keep = [False, False, False, True, True, False]
    page = ["Menu", "Singer announces surprise engagement", lede, *body, "30 Photos"]
    assert _edges(page, keep) == [2]
    # not a shorter sentence, nor a line of that length that ends no sentence
    for line in ("She is engaged to a teacher.", lede.rstrip(".") + " and more"):
        assert (
            _edges(["Menu", "Singer announces surprise engagement", line, *body, "30 Photos"], keep)
            == []
        )


def test_a_lede_may_link_more_than_the_article_s_last_paragraph():
    # Above the article its lede may cite its sources with links (LEDE_MAX_LINK_DENSITY);
    # below it, a paragraph that links as much is a promo or an author box.
    from normalizer.stages.boilerplate import (
        LEDE_MAX_LINK_DENSITY,
        PARAGRAPH_MAX_LINK_DENSITY,
        _article_edges,
        _ProseParagraph,
    )
    from normalizer.stages.html import html_to_page
    from normalizer.stages.rules import load_stopwords

    linked = (
        "Posted this morning: <a href='/145'>episode 145 of the Startup Success Podcast</a>, "
        "our interview with <a href='/mitra'>Sramana Mitra</a> about her book on positioning."
    )
    html = (
        "<html><body><p><a href='/'>Menu</a></p><p>Posted by Bob Walsh</p>"
        f"<p>{linked}</p><p>{EDGE_PAGE[2]}</p><p>{EDGE_PAGE[4]}</p>"
        f"<p>{linked.replace('Posted this morning', 'Listen to more')}</p></body></html>"
    )
    blocks = html_to_page(html).blocks
    lede, last = 2, 5
    for i in (lede, last):
        assert PARAGRAPH_MAX_LINK_DENSITY < blocks[i].link_density < LEDE_MAX_LINK_DENSITY
    keep = [False, False, False, True, True, False]
    paragraph = _ProseParagraph(blocks, [None] * len(blocks), {}, load_stopwords())
    assert _article_edges(keep, [3, 4], paragraph) == [lede]


def test_a_page_keeps_its_best_paragraph(monkeypatch):
    # The scores keep a short quote and drop the page's one paragraph, which stands among
    # share buttons and related links (caymancompass.com): the best-scored prose paragraph
    # stays; the buttons and a worse-scored paragraph in the related list still go.
    from normalizer.stages import boilerplate

    lines = [
        "Home",
        "'Cayman's prison is not fit for high-risk offenders'",
        "Share",
        "Facebook",
        "A senior prison official has said in a sworn affidavit that anyone with sufficient "
        "determination to escape from the island's only prison could do so, and that more "
        "than half of the inmates are held in a facility built for lower-risk offenders.",
        "Related Videos",
        "Topics",
        "Governor Martyn Roper",
        "The governor met the prison's director last week to discuss the plans for a new "
        "wing, which the government says will be finished before the end of next year.",
    ]
    odds = [-3.0, 1.0, -3.0, -3.0, -0.5, -3.0, -3.0, -3.0, -1.5]
    monkeypatch.setattr(boilerplate, "line_log_odds", lambda blocks, *a, **k: list(odds))
    kept, removed = classify(segment("\n".join(lines)))
    body = [f.text for f in kept if f.role == "body"]
    assert lines[4] in body and lines[8] not in body  # 4 lines below: not an edge
    assert {"Home", "Share", "Facebook", "Related Videos"} <= {r.text for r in removed}
    # with a prose paragraph among the kept lines, nothing is added
    odds[8] = 0.5
    kept, _ = classify(segment("\n".join(lines)))
    assert lines[4] not in [f.text for f in kept]


def test_a_page_with_nothing_else_kept_keeps_its_linked_paragraph(monkeypatch):
    # A short post whose one paragraph links a fifth of its text (a guitar tab post on
    # about.com): more than a paragraph may link, but with nothing but the headline kept the
    # record's text would be empty.
    from normalizer.stages import boilerplate
    from normalizer.stages.html import html_to_page

    post = (
        "In the few days before the storm reached the coast, one song stuck in my mind as I "
        "got the house ready, and this week's lesson is <a href='/tab'>the full tablature of "
        "that song</a>, with notes on the solo."
    )
    html = (
        "<html><head><title>Like a Hurricane: the tablature</title></head><body>"
        "<p><a href='/'>Guitar</a></p><h1>Like a Hurricane: the tablature</h1>"
        f"<p>{post}</p><p><a href='/more'>More lessons</a></p></body></html>"
    )
    page = html_to_page(html)
    i = next(k for k, b in enumerate(page.blocks) if b.text.startswith("In the few days"))
    link_density = page.blocks[i].link_density
    assert boilerplate.PARAGRAPH_MAX_LINK_DENSITY < link_density
    assert link_density < boilerplate.LONE_PARAGRAPH_MAX_LINK_DENSITY
    odds = [-2.0, 0.5, -0.9, -2.0]
    monkeypatch.setattr(boilerplate, "line_log_odds", lambda blocks, *a, **k: list(odds))
    kept, _ = classify(page.blocks, title_hint=page.title)
    assert [(f.text, f.role) for f in kept] == [
        ("Like a Hurricane: the tablature", "title"),
        (page.blocks[i].text, "body"),
    ]
    # With another line kept, the paragraph is left to the scores.
    odds[3] = 2.0
    kept, _ = classify(page.blocks, title_hint=page.title)
    assert page.blocks[i].text not in {f.text for f in kept}


PATH_ARTICLE = [
    "Fed holds rates steady and signals two cuts later this year",
    "The Federal Reserve left its benchmark rate unchanged on Wednesday, saying inflation had "
    "eased but remained above the level its officials want to see before they act.",
    "Officials now expect two quarter-point cuts before the end of the year, down from three "
    "in their March projections, according to the summary released after the meeting.",
]


def test_a_lone_short_line_among_removed_ones_goes(monkeypatch):
    # A teaser list under the article: one of its short lines scores a little above 0 on its
    # own (a columnist's name reads like a headline); alone among removed lines, it goes.
    # (Lines that hints and rules removed are not on the path: an "Advertisement" line inside
    # an article does not split it.)
    # A paragraph or a short sentence scored the same stays: the path removes only short lines
    # that are not sentences.
    from normalizer.stages import boilerplate

    teasers = [
        "Opinions",
        "WorldViews | Max Fisher",
        "Republicans know they have a problem",
        "The Fact Checker | Glenn Kessler",
    ]
    lines = PATH_ARTICLE + teasers
    odds = [2.0, 3.0, 3.0, -2.0, 0.6, -1.0, -3.0]
    monkeypatch.setattr(boilerplate, "line_log_odds", lambda blocks, *a, **k: list(odds))
    kept, removed = classify(segment("\n".join(lines)))
    assert [f.text for f in kept] == PATH_ARTICLE
    gone = {r.text: r.rule for r in removed}
    assert gone["WorldViews | Max Fisher"] == "lines:lone_line"  # the path, not the scores
    # well above twice SWITCH_COST it is kept where it stands
    odds[4] = 1.5
    kept, _ = classify(segment("\n".join(lines)))
    assert "WorldViews | Max Fisher" in [f.text for f in kept]
    # a short sentence scored the same stays (a how-to's step between "Step 2" and a caption)
    odds[4] = 0.6
    lines[4] = "Insert your plant into the hole."
    kept, _ = classify(segment("\n".join(lines)))
    assert lines[4] in [f.text for f in kept]
    # but a teaser cut short with an ellipsis goes
    lines[4] = "Why now is the perfect time for..."
    kept, _ = classify(segment("\n".join(lines)))
    assert lines[4] not in [f.text for f in kept]
    # whatever its length (further down than the article's edge, ARTICLE_EDGE_LINES)
    long_teaser = (
        "We've mentioned before how the Hyundai Veloster offers a lot of technology for not a "
        "lot of money, and now it gets..."
    )
    more = lines[:4] + ["WorldViews | Max Fisher", "Autos", "Most read", long_teaser, "Deals"]
    monkeypatch.setattr(
        boilerplate, "line_log_odds", lambda blocks, *a, **k: odds[:4] + [-2, -2, -2, 0.6, -3]
    )
    kept, _ = classify(segment("\n".join(more)))
    assert long_teaser not in [f.text for f in kept]
    monkeypatch.setattr(boilerplate, "line_log_odds", lambda blocks, *a, **k: list(odds))
    # and a paragraph stays
    lines[4] = (
        "Max Fisher writes WorldViews, a column on foreign affairs that explains the news "
        "behind the headlines for readers who follow the world from afar."
    )
    kept, _ = classify(segment("\n".join(lines)))
    assert lines[4] in [f.text for f in kept]


def test_a_short_gap_inside_the_article_is_kept(monkeypatch):
    # Three short lines inside the article (a small table as text), each scored a little
    # below 0: too many for the heading sandwich, and together worth less than two switches.
    from normalizer.stages import boilerplate

    rates = ["Rates after the meeting:", "Savings 2.5%", "Mortgages 4%"]
    lines = PATH_ARTICLE[:2] + rates + PATH_ARTICLE[2:]
    odds = [2.0, 3.0, -0.2, -0.3, -0.3, 3.0]
    monkeypatch.setattr(boilerplate, "line_log_odds", lambda blocks, *a, **k: list(odds))
    kept, _ = classify(segment("\n".join(lines)))
    assert [f.text for f in kept] == lines
    # a gap worth more than two switches is a gap
    odds[2:5] = [-0.5, -0.5, -0.5]
    kept, _ = classify(segment("\n".join(lines)))
    assert not set(rates) & {f.text for f in kept}


def test_a_link_line_between_paragraphs_is_not_a_protected_heading(monkeypatch):
    # A short line between two kept paragraphs stays as a heading when it reads like one, but
    # a line that is all link there is a related story (BBC's "Four out of five jobs affected
    # by virus globally"), unless it is marked up as a heading.
    from normalizer.stages import boilerplate

    page = html_to_page(
        "<html><body><article>"
        f"<h1>{PATH_ARTICLE[0]}</h1><p>{PATH_ARTICLE[1]}</p>"
        '<p><a href="/news/business-52241221">Four out of five jobs affected by virus globally'
        "</a></p>"
        f"<p>{PATH_ARTICLE[2]}</p>"
        '<h2><a href="#outlook">What the markets expect</a></h2>'
        f"<p>{PATH_ARTICLE[1]} The statement was approved unanimously.</p>"
        "</article></body></html>"
    )
    texts = [b.text for b in page.blocks]
    related, heading = (
        texts.index("Four out of five jobs affected by virus globally"),
        texts.index("What the markets expect"),
    )
    assert page.blocks[related].link_density == page.blocks[heading].link_density == 1.0
    odds = [3.0] * len(texts)
    odds[related] = odds[heading] = -2.0  # below what the path fills (twice SWITCH_COST)
    monkeypatch.setattr(boilerplate, "line_log_odds", lambda blocks, *a, **k: list(odds))
    kept, removed = classify(page.blocks, title_hint=PATH_ARTICLE[0])
    assert texts[heading] in [f.text for f in kept]
    assert [(r.text, r.reason) for r in removed] == [(texts[related], "navigation")]


RELATED_BOX_PAGE = [
    "Microsoft pledges to remove more carbon than it has ever emitted",
    "Microsoft said on Thursday it would remove more carbon from the atmosphere than it has "
    "emitted since the company was founded in 1975, the most ambitious goal set by any large "
    "technology firm so far.",
    "Related",
    "How one Calgary company turns CO2 into soap with its carbon capture technology",
    "Canada leads the way in carbon capture as more governments put a price on emissions",
    "The announcement by the world's largest software company is the latest in a flurry of "
    "climate pledges from corporations facing pressure from investors and their own staff.",
    "Share this article",
]


def test_a_related_box_inside_the_article_goes(monkeypatch):
    # "Related" over two teaser titles between two paragraphs (Vancouver Sun, The Intercept):
    # the scores keep the titles, which read like headlines and stand between paragraphs; the
    # box's header and the article going on under it say they are links to other stories.
    from normalizer.stages import boilerplate

    odds = [0.5, 3.0, -2.5, 0.1, 0.2, 3.0, -3.0]
    monkeypatch.setattr(boilerplate, "line_log_odds", lambda blocks, *a, **k: list(odds))
    page = "\n".join(RELATED_BOX_PAGE)
    kept, removed = classify(segment(page))
    body = [f.text for f in kept if f.role == "body"]
    assert body == [RELATED_BOX_PAGE[1], RELATED_BOX_PAGE[5]]
    gone = {r.text: (r.reason, r.rule) for r in removed}
    for line in RELATED_BOX_PAGE[2:5]:
        assert gone[line] == ("related", "lines:related_box")
        r = next(r for r in removed if r.text == line)
        assert page[r.start : r.end] == line
    # Under the article (no paragraph below the titles) the box is left to the scores: a
    # header there cannot tell a box from the article's second half.
    end = RELATED_BOX_PAGE[:5] + ["Share this article"]
    kept, removed = classify(segment("\n".join(end)))
    assert not any(r.rule == "lines:related_box" for r in removed)
    # A sentence under the header is not a teaser title: nothing is removed as a box.
    lines = list(RELATED_BOX_PAGE)
    lines[3] = "The company did not say how much the programme would cost."
    kept, removed = classify(segment("\n".join(lines)))
    assert not any(r.rule == "lines:related_box" for r in removed)
    assert lines[3] in [f.text for f in kept]


LIST_PAGE = [
    "Refused announce European headline tour",
    "The Swedish hardcore band have unveiled plans for a full European tour this autumn, "
    "their first in more than a decade.",
    "The band are getting ready to play a handful of UK shows this week, and have now added a "
    "run of dates on the mainland. The dates are as follows:",
    "29 Cologne, Live Music Hall (DE)",
    "30 Prague, Lucerna Music Hall (CZ)",
    "01 Vienna, Arena (AT)",
    "02 Munich, Kesselhaus (DE)",
    "Tickets for all of the shows go on sale on Friday morning, and the band say that more "
    "dates will be announced in the new year.",
    "Share this article",
]


def test_a_list_inside_the_article_stays(monkeypatch):
    # The trees score list items low (short, no stop words; Dragnet's tour-date and book-list
    # posts); a lead-in ending with a colon above them and the article going on below say they
    # are the article's.
    from normalizer.stages import boilerplate

    odds = [0.5, 3.0, 3.0, -1.5, -1.2, -1.8, -1.4, 3.0, -3.0]
    monkeypatch.setattr(boilerplate, "line_log_odds", lambda blocks, *a, **k: list(odds))
    kept, _ = classify(segment("\n".join(LIST_PAGE)))
    assert [f.text for f in kept] == LIST_PAGE[:8]
    # Without the article going on under it, the run is left to the scores (half of such
    # runs on Dragnet's dumps are boilerplate).
    odds[7] = -3.0
    kept, removed = classify(segment("\n".join(LIST_PAGE)))
    assert [f.text for f in kept] == LIST_PAGE[:3]
    assert {r.rule for r in removed if r.text in LIST_PAGE[3:7]} == {"lines:not_article_prose"}
    # A label is not a lead-in.
    odds[7] = 3.0
    lines = LIST_PAGE[:2] + ["Tour dates:"] + LIST_PAGE[3:]
    odds[2] = 0.2
    kept, _ = classify(segment("\n".join(lines)))
    assert not set(LIST_PAGE[3:7]) & {f.text for f in kept}


def test_related_headers_are_data_and_a_bad_one_names_its_file(tmp_path):
    from normalizer.stages.rules import RulesError, load_related_headers

    headers = load_related_headers()
    for line in ("Related", "Related Coverage:", "Read next", "Mehr zum Thema", "Читайте також:"):
        assert headers.match(line), line
    # "Read more" ends a teaser in a listing; "Related topics" are tags
    assert not headers.match("Read more") and not headers.match("Related topics")
    (tmp_path / "cs.toml").write_text("related_headers = ['^související články\\W*$']\n", "utf-8")
    assert load_related_headers(str(tmp_path)).match("Související články:")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "xx.toml").write_text("related_headers = ['(unclosed']\n", "utf-8")
    with pytest.raises(RulesError, match=r"xx\.toml: related_headers: invalid"):
        load_related_headers(str(bad))
    (bad / "xx.toml").write_text("related_headers = '^related$'\n", "utf-8")
    with pytest.raises(RulesError, match=r"xx\.toml: related_headers: a list of patterns"):
        load_related_headers(str(bad) + "/")


UK_RELATED_BOX_PAGE = """\
Головна
Новини
Уряд схвалив програму відновлення енергетики на 2025 рік
12 березня 2025, 14:05
Кабінет міністрів у вівторок схвалив програму відновлення енергетичної інфраструктури, яка передбачає ремонт теплоелектростанцій і будівництво нових підстанцій у прифронтових областях.
За словами прем'єр-міністра, на реалізацію програми планують залучити кошти міжнародних партнерів і державного бюджету, а перші роботи розпочнуться вже навесні.
Читайте також:
Енергетики відновили живлення для 200 тисяч споживачів на Харківщині
Міненерго попередило про можливі відключення світла у квітні
Програма також передбачає встановлення сонячних електростанцій на дахах лікарень і шкіл, щоб ті могли працювати під час тривалих відключень електроенергії.
Міністр енергетики зазначив, що уряд розраховує завершити основні роботи до початку наступного опалювального сезону.
Поділитися
"""


def test_the_pipeline_removes_a_ukrainian_related_box():
    # "Читайте також:" over two headlines inside a Ukrainian news story, through the whole
    # pipeline (per-line language, the packaged trees): the headlines go as a related box, and
    # the paragraphs on both sides of it stay.
    from normalizer import normalize

    rec = normalize(UK_RELATED_BOX_PAGE, content_type="text", translate=False)
    gone = {r.text: (r.reason, r.rule) for r in rec.removed}
    for title in (
        "Енергетики відновили живлення для 200 тисяч споживачів на Харківщині",
        "Міненерго попередило про можливі відключення світла у квітні",
    ):
        assert gone[title] == ("related", "lines:related_box")
    assert rec.text.count("\n\n") == 3  # the four paragraphs, and only they
    assert rec.text.startswith("Кабінет міністрів") and rec.text.endswith("опалювального сезону.")


TITLE_LIST_PAGE = [
    "Featured series",
    "Part 1: Do running shoes cause injury?",
    "Part 2: Shoes, injuries and training",
    "Part 3: Running barefoot on grass",
    "Part 4: How should your foot land?",
    "Sponsors walk away from the doping scandal",
    "It began with a statement yesterday, as the first sponsor said it would end its contract "
    "with the team in the face of the evidence published last week.",
    "Here is where the lines get blurred, because the sponsors had known about the allegations "
    "for years and had said nothing about them.",
    "Share this article",
]


def test_a_list_of_titles_above_the_article_goes_in_a_dump(monkeypatch):
    # A sidebar's links in a dump: nothing marks them as links or list items, and the trees
    # keep them as headings.
    from normalizer.stages import boilerplate

    odds = [-2.0, 0.5, 0.5, 0.4, 0.6, 0.8, 4.0, 4.0, -3.0]
    monkeypatch.setattr(boilerplate, "line_log_odds", lambda blocks, *a, **k: list(odds))
    page = "\n".join(TITLE_LIST_PAGE)
    kept, removed = classify(segment(page))
    # The line right above the first paragraph stays: it is the headline.
    assert [f.text for f in kept] == TITLE_LIST_PAGE[5:8]
    gone = {r.text: r for r in removed}
    for line in TITLE_LIST_PAGE[1:5]:
        assert (gone[line].reason, gone[line].rule) == ("navigation", "lines:title_list")
        assert page[gone[line].start : gone[line].end] == line
    # Three titles may be a headline, a byline and a date: left to the scores.
    short = TITLE_LIST_PAGE[:1] + TITLE_LIST_PAGE[2:]
    odds[:] = [-2.0, 0.5, 0.4, 0.6, 0.8, 4.0, 4.0, -3.0]
    kept, _ = classify(segment("\n".join(short)))
    assert [f.text for f in kept] == short[1:7]
    # The same list below the first paragraph is left to the scores too.
    below = TITLE_LIST_PAGE[5:7] + TITLE_LIST_PAGE[1:5] + TITLE_LIST_PAGE[7:]
    odds[:] = [0.8, 4.0, 0.5, 0.5, 0.4, 0.6, 4.0, -3.0]
    kept, _ = classify(segment("\n".join(below)))
    assert [f.text for f in kept] == below[:7]
    # Lines that do not start with a capital (ingredients, scripts without capitals) stay.
    odds[:] = [-2.0, 0.5, 0.5, 0.4, 0.6, 0.8, 4.0, 4.0, -3.0]  # as the first page
    recipe = TITLE_LIST_PAGE[:1] + ["200 g sugar", "2 eggs", "1 lemon", "100 g butter"]
    recipe += TITLE_LIST_PAGE[5:]
    kept, _ = classify(segment("\n".join(recipe)))
    assert [f.text for f in kept] == recipe[1:8]


def test_a_list_of_titles_in_html_is_left_to_links_and_markup():
    from normalizer.stages.html import html_to_page

    body = "".join(f"<p>{line}</p>" for line in TITLE_LIST_PAGE)
    page = html_to_page(f"<html><body>{body}</body></html>")
    _, removed = classify(page.blocks, title_hint=page.title)
    assert "lines:title_list" not in {r.rule for r in removed}
