"""Classify stage: decide for every block whether it is article text or boilerplate, and why.

Signals, in order of precedence (first one that speaks wins):
1. DOM hints (HTML input): the block sits in nav/footer/cookie banner/… (``Block.dom_reason``).
2. Phrase rules, kept as data per language in ``rules/*.toml`` (see rules/README.md).
3. The repeated-line signal: a line seen in several documents of the same site.
   Then menus (HTML): a run of lines that are links and nothing else (``html:link_menu``).
4. Comment threads: a run of reader comments, told by its repeated furniture ("Reply",
   "Comments (87)", "Name says:"; comments.py), reason ``comment_form``.
5. Line scores: every line is scored as article prose *where it stands* from its own
   features (length, stop-word density in the page's language, terminal punctuation,
   share of letters and digits, link density, DOM depth and tag) and its context (is it
   inside the densest run of prose, how did its neighbours score). Menus, teaser lists,
   captions, author boxes and the comments the markers missed go with reason
   ``low_quality`` (``navigation`` when mostly links). See "Line scores" below. The
   scores do not remove the title, headings between kept lines (roles.protected), or the
   prose paragraph at each edge of the article (_article_edges).
6. Comment sections: below the page's best paragraph or right under the article, a line
   that opens the comments ("Leave a Reply", "12 Comments"; comments.comment_section)
   removes what the scores kept after it, reason ``comment_form``.
Kept blocks then get a role (roles.py): the title (first short title-like line before the
prose), headings (short unpunctuated lines inside the article) or body.
Phrase rules are loaded and matched in rules.py, line features computed in features.py and
the trees evaluated in linemodel.py. Every threshold is a named constant with the reason
for its value, in the module that uses it.
"""

from __future__ import annotations

import math
import re
from typing import Callable, Iterable, Sequence

from ..record import Fragment, Removal
from .comments import comment_form_above, comment_section, comment_threads
from .features import (
    LINK_LIST_DENSITY,
    PROSE_MIN_CHARS,
    PROSE_MIN_STOPWORDS,
    SENTENCE_STOPS,
    _in_runs,
    _sample,
    _sample_words,
    context_features,
    line_features,
    page_language,
    strip_closing,
)
from .langid import script_of
from .linemodel import load_line_model
from .roles import assign_roles, protected
from .rules import (
    CommentMarkers,
    Rule,
    _rule_candidates,
    load_comment_markers,
    load_related_headers,
    load_rules,
    load_stopwords,
)
from .segment import Block

# A rule with consume_preceding takes the lines before its matches only when it matches at
# least this many lines: one "Read the rest" under an article's last paragraph links to the
# full story elsewhere (the paragraph is the article); several close a list of teasers.
TEASER_MIN_ITEMS = 2
# A run of RUN_MIN_LINES or more lines that are links and nothing else is a menu, whatever
# the line scores say: on the dev pages 212 of the 221 labelled lines in such runs are
# boilerplate, and the scores, fitted where few menus are labelled, are unsure of them.
MENU_LINK_DENSITY = 0.99
# The trees were fitted on whole web pages and judge a line by what stands around it; a
# page of one to three lines ("A big tree had fallen across the road.") has no "around",
# and a page can be odd enough that every line scores below 0. On pages shorter than
# SCORED_PAGE_MIN_LINES, and when the scores keep no line that rules and hints left, the
# sentences stay: lines ending a sentence, or of at least FALLBACK_MIN_WORDS words with a
# stop-word density of PROSE_MIN_STOPWORDS (a truncated paragraph). Menus, link lists and
# "Share" buttons are neither, and still go.
SCORED_PAGE_MIN_LINES = 4
# A line in another language and script than its page (its own evidence: langid) that ends
# a sentence (SENTENCE_STOPS) and has at least this many words is kept whatever its score: the
# trees and the lexicon were fitted on Latin-script pages and read such a line as non-prose (on
# English news dumps with inserted Ukrainian paragraphs they removed 12%; bench_pages_langid.py).
# Four words: Tatoeba's short sentences are three to six words, menu items and buttons rarely
# end with a full stop.
FOREIGN_SENTENCE_MIN_WORDS = 4
FALLBACK_MIN_WORDS = 8
# A line stays when the trees' log-odds that it is article text are above this: 0 is a
# probability of 0.5. Keeping lines down to -0.5 raised Dragnet HTML by 0.006 but lowered its
# dumps by 0.012 and the dev cross-validation (docs/benchmarks.md, "Comment threads").
KEEP_LOG_ODDS = 0.0
# The trees judge a line with its neighbours' stage-1 scores, not the page's arrangement as a
# whole, and their usual errors are a short line kept alone among removed ones (a teaser title,
# "WorldViews | Max Fisher", "Hottest Conversations") and a short gap removed inside the
# article. So the keep/remove decisions over the lines no other signal removed are re-read as
# one path through the page (_smooth: two states, Viterbi) that gains each kept line's
# log-odds and pays SWITCH_COST each time it enters or leaves the article: a lone line stays
# when its log-odds are above twice the cost, a gap is filled when its log-odds sum above minus
# twice the cost. The path removes only short lines that are not sentences, and teasers cut
# short with an ellipsis (_removable_by_path): removing paragraphs too took more article text
# than boilerplate on Readability's pages and lost CleanEval 0.010; removing short sentences
# too took the steps of a how-to ("Insert your plant into the hole.", each between a "Step 2"
# and a caption). Dumps (HTML): Dragnet 0.850 -> 0.860 (0.900 -> 0.902), CleanPortalEval
# 0.938 -> 0.948 (0.950 -> 0.952), Readability 0.869 -> 0.872 (0.930 -> 0.932), html-dev test
# 0.902 -> 0.905 (0.935 -> 0.938); dev CV 0.9141 -> 0.9138 (0.9492 -> 0.9478). A cost of 1
# lost html-dev's English pages (docs/benchmarks.md, "The page as one path").
SWITCH_COST = 0.5
# An article's first and last paragraphs stand next to its byline, date and author box, and
# the trees, which judge a line by its neighbours' scores too, drop them more often than the
# paragraphs inside (a lede under "Posted by …", a closing paragraph above "find more by …").
# So the nearest prose paragraph (PROSE_MIN_CHARS, a sentence by _reads_as_sentence, links
# under PARAGRAPH_MAX_LINK_DENSITY) within ARTICLE_EDGE_LINES above the first kept prose paragraph,
# and likewise below the last, is kept. Three lines: a byline, a date and a share prompt may
# stand between. On the dev pages (cv_extract.py) dumps 0.9125 -> 0.9137 and HTML 0.9462 ->
# 0.9481, and no held-out set lost (docs/benchmarks.md, "Article edges").
ARTICLE_EDGE_LINES = 3
# The line at an edge may be shorter than a paragraph (PROSE_MIN_CHARS) if it ends a sentence:
# a one-sentence lede under the headline ("The 62-year-old actress told The New York Daily News
# she's engaged to therapist Andrei Nikolajevic.", 99 characters). 70 characters is about 12
# words; dev CV (cv_extract.py) dumps 0.9151 -> 0.9174, HTML 0.9478 -> 0.9489; of the
# held-out figures only Dragnet's first 100 pages in HTML lost, 0.891 -> 0.890. 60 gained as
# much on dev but lost Dragnet's dumps (and html-dev's test half) 0.001, 80 gained a third as
# much (docs/benchmarks.md, "Short ledes").
EDGE_MIN_CHARS = 70
# When the scores keep no prose paragraph at all (a page whose article is one paragraph among
# share buttons and related links, or whose paragraphs all stand next to page furniture), the
# best-scored prose paragraph stays, and the edges grow from it: an article page has a
# paragraph. Dev CV dumps 0.9137 -> 0.9141, HTML unchanged; CleanEval +0.008 in both forms,
# CleanPortalEval dumps +0.010, Dragnet dumps +0.012 and HTML -0.003 (docs/benchmarks.md).
# A paragraph with links in more than a tenth of its text is a teaser more often than a lede:
# html's 0.3 for prose (PROSE_MAX_LINK_DENSITY) gave dev HTML 0.9471 instead of 0.9481.
PARAGRAPH_MAX_LINK_DENSITY = 0.1
# The paragraph just above the article's first kept one (its lede, _article_edges) may link
# up to half its text: a blog post's lede cites its sources ("Posted this morning #145 of the
# Startup Success Podcast …", with links in 45% of it), and above an article stand its
# headline, byline and date, not teasers. Below the article a linked paragraph is a promo or
# an author box ("Follow us on Telegram …", "Jake is the co-founder …"), so the last edge
# keeps PARAGRAPH_MAX_LINK_DENSITY. All 2,260 gold pages, HTML: 14 gain and 6 lose, means
# Dragnet +0.0004, CleanPortalEval +0.0042; html-dev (dev CV, test) unchanged. 0.3 gained 7
# pages, 0.7 gained 18 and lost 8 (CleanEval −0.0001); below the article too (0.5), the gold
# sets gained more (Dragnet +0.0025) but html-dev's dev CV leaked 3 more promos.
LEDE_MAX_LINK_DENSITY = 0.5
# The post above the reply form (comments.comment_form_above) may link more: the form right
# under it says it is the post, not a teaser ("A perfect song by Francisco The Man! A big thanks
# to @jimmy_morris …", a fifth of it links, on Dragnet's "the brain behind" pages). html's
# limit for prose (html.PROSE_MAX_LINK_DENSITY); 0.5 finds the same pages on the gold sets.
FORM_POST_MAX_LINK_DENSITY = 0.3
# When the scores and the rules keep no line but protected ones (the headline), the best
# paragraph may link up to html's limit for prose too (html.PROSE_MAX_LINK_DENSITY): an empty
# text is the worst answer for an article page, and such a paragraph is the page's only
# candidate. All gold pages, HTML: one Dragnet page +0.874 (its one paragraph links 23%), no
# other page changes; 0.5 changes the same page; html-dev unchanged.
LONE_PARAGRAPH_MAX_LINK_DENSITY = 0.3


# A related-story box inside the article (_related_box): its teaser titles stand within this
# many lines under the box's header ("Related", "Read next"), and article text within this
# many above it. News sites set one to three titles ("Related" over three Vancouver Sun
# headlines); four leaves room for a removed line between.
RELATED_BOX_MAX_LINES = 4
# A teaser title is at most this long, as for "Read more: <headline>" (rules/en.toml, en:read_also).
TEASER_MAX_CHARS = 160

# A list inside the article (_list_items): a kept line that ends with a colon ("The dates are
# as follows:"), then short lines the scores removed, then a kept line again. The trees score
# list items low (short, few stop words: "29 Cologne, Live Music Hall (DE)"), and in a dump
# nothing marks them as `<li>`. Words of such runs on the gold sets' dumps: Dragnet 541 gold
# against 81 boilerplate, Readability 187 against 0, CleanEval 1,475 against 317; where the
# article does not go on under the run, Dragnet's are half boilerplate (558 / 571), so the
# closing kept line is required. At most this many items: 8 found fewer lists (Readability
# dumps +0.0003 against +0.0013).
LIST_MAX_LINES = 15
# The lead-in is a sentence, not a label ("Tags:", "Rating:"); 20 and 30 change the same pages.
LIST_LEAD_MIN_CHARS = 20
# An item is a short line; a longer one the scores removed is a paragraph they judged.
LIST_ITEM_MAX_CHARS = 200

# A list of titles above the article, in a dump (_title_list): a sidebar's or a menu's links
# lose in a dump what marks them in HTML (link density, <li>, nav), and read as headings the
# scores keep ("Part 1: Do shoes cause injury?", "October 19: Washington DC"). At least this
# many such lines in a row, all above the first kept paragraph: the headline, a byline and a
# date make three; runs of 3 also took a CleanEval page's list (-0.225) and two Dragnet posts'
# (-0.04) for little more gain. The line right above the first paragraph is never counted:
# a headline stands there when nothing else does.
TITLE_LIST_MIN_LINES = 4
# Words of a title; 20 changes the same pages, 10 finds fewer lists.
TITLE_LIST_MAX_WORDS = 15
# A title does not end like a sentence or a lead-in; a question ("Do shoes cause injury?") it may.
_NOT_TITLE_ENDS = (".", "!", ":", ";", ",", '"', "\u201d", "\u2026")


def classify(
    blocks: Sequence[Block],
    *,
    rules: Iterable[Rule] | None = None,
    repeated: Callable[[str], bool] | None = None,
    title_hint: str | None = None,
    stopwords: dict[str, frozenset[str]] | None = None,
    site_words: re.Pattern[str] | None = None,
    line_scores: bool = True,
    line_model: dict | None = None,
    line_langs: Sequence[str | None] | None = None,
    comment_markers: CommentMarkers | None = None,
    related_headers: re.Pattern[str] | None = None,
) -> tuple[list[Fragment], list[Removal]]:
    """Split ``blocks`` into kept fragments (with roles) and removals (with reasons).

    ``stopwords`` and ``site_words`` default to the packaged lists (``load_stopwords()``,
    ``load_site_words()``), ``line_model`` to the packaged trees (``load_line_model()``);
    ``comment_markers`` and ``related_headers`` to the packaged ones
    (``load_comment_markers()``, ``load_related_headers()``);
    ``line_scores=False`` leaves out signal 5 (only hints, rules and threads remove lines).
    ``line_langs`` gives each block's own language where it was seen in the block itself (None
    where the block only takes its page's language): such a line's stop-word features are
    computed in its own language, so a Ukrainian paragraph on an English page reads as prose.
    """
    rules = tuple(rules) if rules is not None else load_rules()
    n = len(blocks)
    verdict: list[tuple[str, str] | None] = [None] * n  # (reason, rule) for removed blocks
    tails: dict[int, tuple[int, Rule]] = {}  # block index -> (cut offset, rule)

    for i, b in enumerate(blocks):
        if b.dom_reason:
            verdict[i] = (b.dom_reason, b.dom_rule or "html")

    candidates = _rule_candidates(blocks, rules)
    for rule in rules:
        skip_to = 0
        hits: list[int] = []
        for i in candidates(rule):
            if i < skip_to or verdict[i] is not None or i in tails:
                continue
            m = rule.matches(blocks[i].text)
            if not m:
                continue
            if rule.kind == "tail":
                tails[i] = (blocks[i].start + m.start(), rule)
                continue
            verdict[i] = (rule.reason, rule.name)
            hits.append(i)
            skip_to = i + 1
            if rule.kind == "span":
                last = None
                for k in range(i, min(n, i + rule.max_lines)):
                    if rule.end is not None and rule.end.search(blocks[k].text):
                        last = k
                        break
                if last is not None:
                    for k in range(i + 1, last + 1):
                        verdict[k] = (rule.reason, rule.name)
                    skip_to = last + 1
            elif rule.consume_following:
                k = i + 1
                while (
                    k < n
                    and k <= i + rule.consume_following
                    and verdict[k] is None
                    and not any(r.matches(blocks[k].text) for r in rules if r is not rule)
                ):
                    verdict[k] = (rule.reason, rule.name)
                    k += 1
                skip_to = k
        if rule.consume_preceding and len(hits) >= TEASER_MIN_ITEMS:
            for i in hits:
                for k in range(i - 1, max(-1, i - 1 - rule.consume_preceding), -1):
                    if (
                        verdict[k] is not None
                        or k in tails
                        or any(r.matches(blocks[k].text) for r in rules if r is not rule)
                    ):
                        break
                    verdict[k] = (rule.reason, rule.name)

    del candidates  # its line index per trigger is the rule stage's; the line scores need memory

    if repeated is not None:
        for i, b in enumerate(blocks):
            if verdict[i] is None and i not in tails and repeated(b.text):
                verdict[i] = ("repeated_line", "batch:repeated_line")

    # Menus: a run of lines that are links and nothing else (HTML only; a dump has no links).
    menu = _in_runs([b.link_density >= MENU_LINK_DENSITY for b in blocks])
    for i in range(n):
        if menu[i] and verdict[i] is None and i not in tails:
            verdict[i] = ("navigation", "html:link_menu")

    # Comment threads: runs of reader comments, found by their repeated furniture (comments.py).
    markers = comment_markers if comment_markers is not None else load_comment_markers()
    gone = [verdict[i] is not None or i in tails for i in range(n)]
    texts = [b.text for b in blocks]
    form = [
        v is not None and v[0] == "comment_form" and not b.dom_reason
        for v, b in zip(verdict, blocks)
    ]
    for lo, hi in comment_threads(texts, markers, gone, form):
        for k in range(lo, hi + 1):
            if not gone[k]:
                verdict[k] = ("comment_form", "lines:comment_thread")

    if line_scores and n:
        stop = stopwords if stopwords is not None else load_stopwords()
        odds = line_log_odds(blocks, stop, line_model, site_words, line_langs)
        keep = [z > KEEP_LOG_ODDS for z in odds]
        lone: set[int] = set()  # lines the scores keep and the path removes: named apart
        if n < SCORED_PAGE_MIN_LINES:
            keep = [any(map(str.isalpha, _sample(b.text))) for b in blocks]
        elif not any(keep[i] for i in range(n) if verdict[i] is None):
            keep = [k or _reads_as_sentence(b.text, stop) for k, b in zip(keep, blocks)]
        else:
            scored = [i for i in range(n) if verdict[i] is None and i not in tails]
            path = _smooth(keep, odds, scored, lambda i: _removable_by_path(blocks[i].text))
            lone = {i for i in scored if keep[i] and not path[i]}
            keep = path
        if line_langs is not None:
            # Being in another language than the page is no evidence of boilerplate, and such
            # lines are what translation is for: a sentence in another script than the page's
            # (whose words the lexicon has never seen) is kept whatever its score and its DOM
            # hint (a class or id such as "comment" or "ad-item" says nothing about language);
            # phrase rules, menus and repeated lines still remove it. A line in another
            # language of the page's script is judged like any other: its stop words are
            # counted in its own language, and the lexicon knows Latin-script words (English
            # PHP warnings and cookie texts on German pages are boilerplate).
            home = page_language(blocks, stop)
            home_script = script_of(home) if home else None
            for i, b in enumerate(blocks):
                own = line_langs[i]
                if own in (None, "und", home) or script_of(own) == home_script:
                    continue
                by_hint = bool(b.dom_reason) and verdict[i] == (b.dom_reason, b.dom_rule or "html")
                if (not keep[i] or by_hint) and _foreign_sentence(b.text):
                    keep[i] = True
                    if by_hint:
                        verdict[i] = None
        kept_anyway = protected(blocks, keep, title_hint)
        paragraph = _ProseParagraph(blocks, verdict, tails, stop)
        kept_prose = [i for i in range(n) if keep[i] and paragraph.paragraph_sized(i)]
        if not kept_prose:
            # An article has a paragraph: the best-scored one stays (see _ProseParagraph).
            best = max((i for i in range(n) if paragraph(i)), key=odds.__getitem__, default=None)
            if best is None and not any(keep[i] and i not in kept_anyway for i in range(n)):
                # Nothing but the headline kept: the article's paragraph may link more.
                best = max(
                    (i for i in range(n) if paragraph(i, LONE_PARAGRAPH_MAX_LINK_DENSITY)),
                    key=odds.__getitem__,
                    default=None,
                )
            if best is not None:
                keep[best] = True
                kept_prose = [best]
        # The reply form above every kept paragraph (comments.comment_form_above): what the
        # scores kept below it is the comments or a sidebar, and the article is the best
        # paragraph above it (a short post that its comments outscore).
        skip = [bool(b.dom_reason) for b in blocks]
        form_at = comment_form_above(texts, markers, kept_prose[0], skip) if kept_prose else None
        article = (
            None
            if form_at is None
            else max(
                (i for i in range(form_at) if paragraph(i, FORM_POST_MAX_LINK_DENSITY)),
                key=odds.__getitem__,
                default=None,
            )
        )
        if article is None:
            form_at = None
        else:
            for k in range(form_at, n):
                if keep[k] and verdict[k] is None and k not in tails:
                    verdict[k] = ("comment_form", "lines:comment_section")
                keep[k] = False
            keep[article] = True
            kept_prose = [article]
            kept_anyway = protected(blocks, keep, title_hint)  # the title stands above it
        for i in _article_edges(keep, kept_prose, paragraph):
            if form_at is None or i < form_at:
                keep[i] = True
        # the lines only the scores decided: no rule, hint, thread or tail, not protected
        by_scores = [
            verdict[i] is None and i not in tails and i not in kept_anyway for i in range(n)
        ]
        for i in _list_items(blocks, keep, by_scores):
            keep[i] = True
        if not _html_form(blocks):  # a dump; in HTML links and markup tell these lists
            first = next((i for i in range(n) if keep[i] and paragraph.paragraph_sized(i)), 0)
            for i in _title_list(blocks, keep, by_scores, first):
                keep[i] = False
                verdict[i] = ("navigation", "lines:title_list")
        for i, b in enumerate(blocks):
            if verdict[i] is None and i not in tails and not keep[i] and i not in kept_anyway:
                if b.link_density >= LINK_LIST_DENSITY:
                    verdict[i] = ("navigation", "lines:link_list")
                elif i in lone:
                    verdict[i] = ("low_quality", "lines:lone_line")
                else:
                    verdict[i] = ("low_quality", "lines:not_article_prose")
        # A related-story box inside the article ("Related" over teaser titles, then the
        # article goes on): the scores keep its titles, which stand between paragraphs.
        headers = related_headers if related_headers is not None else load_related_headers()
        for k in _related_box(blocks, verdict, tails, paragraph, headers):
            verdict[k] = ("related", "lines:related_box")
        # A comment section without furniture per comment (comments.py, comment_section):
        # what the scores keep below its header is the comments.
        if kept_prose:
            best = max(kept_prose, key=odds.__getitem__)
            start = comment_section(
                texts,
                markers,
                best,
                skip,
                kept_prose,
                # still kept: no verdict yet (the scores' lines, protected ones and tails), as
                # _related_box counts them
                [v is None for v in verdict],
            )
            if start is not None:
                for k in range(start, n):
                    if verdict[k] is None and k not in tails:
                        verdict[k] = ("comment_form", "lines:comment_section")

    kept: list[Fragment] = []
    removed: list[Removal] = []
    for i, b in enumerate(blocks):
        if verdict[i] is not None:
            removed.append(Removal(b.text, verdict[i][0], verdict[i][1], b.start, b.end))
            continue
        if i in tails:
            cut, rule = tails[i]
            keep_text = b.text[: cut - b.start].rstrip()
            tail_start = (
                b.start
                + len(keep_text)
                + (len(b.text[len(keep_text) :]) - len(b.text[len(keep_text) :].lstrip()))
            )
            kept.append(Fragment(keep_text, b.start, b.start + len(keep_text), role=rule.role))
            removed.append(
                Removal(b.text[tail_start - b.start :], rule.reason, rule.name, tail_start, b.end)
            )
            continue
        kept.append(Fragment(b.text, b.start, b.end, role="heading" if b.heading else "body"))

    assign_roles(kept, title_hint)
    return kept, removed


# --- Line scores ----------------------------------------------------------------------
#
# Rules catch phrases; what is left is recognised by how it reads and where it stands.
# Each line gets the features of features.py (LINE_FEATURES); stage 1, a small ensemble of
# decision trees (gradient boosting), turns them into the log-odds that the line is
# article text; stage 2, another ensemble, sees the same features plus how the line's
# neighbours scored in stage 1 and whether it lies inside the page's main run of prose
# (CONTEXT_FEATURES), and decides. Where a line stands is also a line feature: inside the
# densest window of prose or how far from it (both forms), and for HTML inside the main
# container / <article> (``html.HtmlBlock``). The trees are data,
# ``normalizer/data/line_model.json`` (one model for plain text, one for HTML), fitted on
# the dev half of the html-dev pages by ``benchmarks/fit_line_model.py``. Trees rather than
# a weighted sum because the signals interact: a short line is boilerplate in a run of
# short lines and article text between two paragraphs (a logistic model over the same
# features scored 0.01 F1 lower on held-out pages, see benchmarks/README.md).


def _html_form(blocks: Sequence[Block]) -> bool:
    """Are these the blocks of an HTML page (they carry tags) rather than a text dump's lines?"""
    return any(b.tag for b in blocks)


def _smooth(
    keep: list[bool], odds: Sequence[float], lines: Sequence[int], removable: Callable[[int], bool]
) -> list[bool]:
    """``keep`` re-read as one path over ``lines`` (the lines no other signal removed): the
    two-state path (article, not) that gains each kept line's log-odds (above KEEP_LOG_ODDS)
    and pays SWITCH_COST per switch. It may keep any line the scores removed, and remove only
    lines ``removable(i)`` allows."""
    if not lines:
        return keep
    cost = SWITCH_COST
    out_score, in_score = 0.0, -cost  # a page starts outside the article
    back: list[tuple[bool, bool]] = []  # per line: was the path before it in the article?
    step = back.append
    for i in lines:
        left, entered = in_score - cost, out_score - cost
        step((left > out_score, in_score >= entered))
        out_score = left if left > out_score else out_score
        in_score = (in_score if in_score >= entered else entered) + odds[i] - KEEP_LOG_ODDS
    keep = list(keep)
    inside = in_score > out_score
    for pos in range(len(lines) - 1, -1, -1):
        i = lines[pos]
        if inside:
            keep[i] = True
        elif keep[i] and removable(i):
            keep[i] = False
        inside = back[pos][inside]
    return keep


_CUT_SHORT = ("...", "…")  # a teaser's text cut off: "Why now is the perfect time for..."


def _removable_by_path(text: str) -> bool:
    """May the path remove this line: a teaser cut short with an ellipsis, whatever its length,
    or a line shorter than PROSE_MIN_CHARS that is not a sentence (a title, a name, a label)?"""
    t = strip_closing(text)
    return t.endswith(_CUT_SHORT) or (len(t) < PROSE_MIN_CHARS and not t.endswith(SENTENCE_STOPS))


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def line_log_odds(
    blocks: Sequence[Block],
    stopwords: dict[str, frozenset[str]],
    model: dict | None = None,
    site_words: re.Pattern[str] | None = None,
    line_langs: Sequence[str | None] | None = None,
) -> list[float]:
    """Stage-2 log-odds that each block is article text."""
    if not blocks:
        return []
    import numpy as np

    model = model or load_line_model()
    first, second = model["html" if _html_form(blocks) else "text"]["forests"]
    feats = line_features(blocks, stopwords, site_words, model.get("lexicon", {}), line_langs)
    p1 = [_sigmoid(float(z)) for z in first(feats)]
    ctx = context_features(p1)
    return [float(z) for z in second(np.hstack([feats, ctx]))]


def score_lines(
    blocks: Sequence[Block],
    stopwords: dict[str, frozenset[str]],
    model: dict | None = None,
    site_words: re.Pattern[str] | None = None,
    line_langs: Sequence[str | None] | None = None,
) -> list[bool]:
    """Whether each block reads as article text where it stands (log-odds above KEEP_LOG_ODDS)."""
    odds = line_log_odds(blocks, stopwords, model, site_words, line_langs)
    return [z > KEEP_LOG_ODDS for z in odds]


class _ProseParagraph:
    """Is line i a paragraph of prose that no other signal removed: at least PROSE_MIN_CHARS,
    a sentence (_reads_as_sentence), links under PARAGRAPH_MAX_LINK_DENSITY? The paragraph
    steps after the scores (the best paragraph, the article's edges) keep only such lines."""

    def __init__(
        self,
        blocks: Sequence[Block],
        verdict: Sequence[tuple[str, str] | None],
        tails: dict[int, tuple[int, Rule]],
        stopwords: dict[str, frozenset[str]],
    ):
        self.blocks, self.verdict, self.tails, self.stopwords = blocks, verdict, tails, stopwords

    def paragraph_sized(self, i: int, min_chars: int = PROSE_MIN_CHARS) -> bool:
        """Is line i long enough to be a paragraph (``min_chars``), and did no other signal
        remove it?"""
        return (
            self.verdict[i] is None
            and i not in self.tails
            and len(self.blocks[i].text) >= min_chars
        )

    def __call__(self, i: int, max_links: float = PARAGRAPH_MAX_LINK_DENSITY) -> bool:
        """Is line i such a paragraph, its links under ``max_links``?"""
        b = self.blocks[i]
        return (
            self.paragraph_sized(i)
            and b.link_density < max_links
            and _reads_as_sentence(b.text, self.stopwords)
        )

    def edge(self, i: int, max_links: float = PARAGRAPH_MAX_LINK_DENSITY) -> bool:
        """A paragraph, or a sentence of at least EDGE_MIN_CHARS that no other signal removed,
        its links under ``max_links``: what may stand at the article's edge (_article_edges)."""
        b = self.blocks[i]
        return self(i, max_links) or (
            self.paragraph_sized(i, EDGE_MIN_CHARS)
            and b.link_density < max_links
            and strip_closing(b.text).endswith(SENTENCE_STOPS)
        )


def _article_edges(
    keep: Sequence[bool], kept_prose: Sequence[int], paragraph: _ProseParagraph
) -> list[int]:
    """The prose paragraph (or short sentence, _ProseParagraph.edge) just before the article's
    first kept paragraph and just after its last (``kept_prose``, in order), within
    ARTICLE_EDGE_LINES (see there): the trees read an article's edges by their neighbours, the
    byline above the lede, the author box below. The lede may link more
    (LEDE_MAX_LINK_DENSITY)."""
    if not kept_prose:
        return []
    n = len(keep)
    out = []
    for rng, max_links in (
        (
            range(kept_prose[0] - 1, max(-1, kept_prose[0] - 1 - ARTICLE_EDGE_LINES), -1),
            LEDE_MAX_LINK_DENSITY,
        ),
        (
            range(kept_prose[-1] + 1, min(n, kept_prose[-1] + 1 + ARTICLE_EDGE_LINES)),
            PARAGRAPH_MAX_LINK_DENSITY,
        ),
    ):
        edge = next((i for i in rng if not keep[i] and paragraph.edge(i, max_links)), None)
        if edge is not None:
            out.append(edge)
    return out


def _list_items(
    blocks: Sequence[Block], keep: Sequence[bool], by_scores: Sequence[bool]
) -> list[int]:
    """The items of lists set inside the article: after a kept line of at least
    LIST_LEAD_MIN_CHARS that ends with a colon, the run of at most LIST_MAX_LINES lines that
    only the scores removed (``by_scores``, and not a link list), each shorter than
    LIST_ITEM_MAX_CHARS, when a kept line follows the run."""
    n = len(blocks)
    out: list[int] = []
    for i, b in enumerate(blocks):
        if not keep[i]:
            continue
        lead = b.text.strip()
        if len(lead) < LIST_LEAD_MIN_CHARS or not lead.endswith(":"):
            continue
        j = i + 1
        while (
            j < n
            and j - i <= LIST_MAX_LINES
            and not keep[j]
            and by_scores[j]
            and len(blocks[j].text) < LIST_ITEM_MAX_CHARS
            and blocks[j].link_density < LINK_LIST_DENSITY
        ):
            j += 1
        if j < n and keep[j]:
            out.extend(range(i + 1, j))
    return out


def _title_list(
    blocks: Sequence[Block], keep: Sequence[bool], by_scores: Sequence[bool], first_paragraph: int
) -> list[int]:
    """The runs of at least TITLE_LIST_MIN_LINES kept lines above ``first_paragraph`` (the
    first kept paragraph) that read as titles: kept by the scores alone (``by_scores``: not
    protected, no tail), at most TITLE_LIST_MAX_WORDS
    words, a capital first letter (ingredients such as "200 g Zucker" start with a number,
    and scripts without capitals are left alone), no sentence or lead-in ending."""
    out: list[int] = []
    run: list[int] = []
    for i in range(first_paragraph):  # the last line, right above the paragraph, ends a run
        t = blocks[i].text.strip()
        if (
            i < first_paragraph - 1
            and keep[i]
            and by_scores[i]
            and t[:1].isupper()
            and len(t.split()) <= TITLE_LIST_MAX_WORDS
            and not t.endswith(_NOT_TITLE_ENDS)
        ):
            run.append(i)
            continue
        if len(run) >= TITLE_LIST_MIN_LINES:
            out.extend(run)
        run = []
    return out


def _related_box(
    blocks: Sequence[Block],
    verdict: Sequence[tuple[str, str] | None],
    tails: dict[int, tuple[int, Rule]],
    paragraph: _ProseParagraph,
    headers: re.Pattern[str] | None,
) -> list[int]:
    """The still-kept lines of related-story boxes set inside the article. A box is a header
    line (``headers``; not one a DOM hint removed, which removes its box too) with a kept line
    within RELATED_BOX_MAX_LINES above it. Its teaser titles are the kept lines within
    RELATED_BOX_MAX_LINES below it of at most TEASER_MAX_CHARS that do not end with a full stop
    or colon (or are cut short with an ellipsis); removed lines may stand between them. The
    article must go on under them: the next kept line in reach is a prose paragraph.
    Below the article, a box is left to the scores: there a header cannot tell a box from the
    article's second half (docs/benchmarks.md, "Related-story sections")."""
    if headers is None:
        return []
    n = len(blocks)
    out: list[int] = []
    for i, b in enumerate(blocks):
        if b.dom_reason or len(b.text) > TEASER_MAX_CHARS or not headers.match(b.text.strip()):
            continue  # a header is short: a huge line is not copied and matched for nothing
        if not any(verdict[k] is None for k in range(max(0, i - RELATED_BOX_MAX_LINES), i)):
            continue
        teasers: list[int] = []
        j = i + 1
        while j < n and j <= i + RELATED_BOX_MAX_LINES and not blocks[j].dom_reason:
            if verdict[j] is None:
                t = strip_closing(blocks[j].text)
                if len(t) > TEASER_MAX_CHARS or (
                    t.endswith((".", ":")) and not t.endswith(_CUT_SHORT)
                ):
                    break
                teasers.append(j)
            j += 1
        if teasers and j < n and paragraph(j):
            out += [i] * (verdict[i] is None and i not in tails) + teasers
    return out


def _reads_as_sentence(text: str, stopwords: dict[str, frozenset[str]]) -> bool:
    """Fallback when the scores keep nothing on a page (see FALLBACK_MIN_WORDS)."""
    text = _sample(text).rstrip()
    if text.endswith(SENTENCE_STOPS) and any(c.isalpha() for c in text):
        return True
    words = _sample_words(text)
    if len(words) < FALLBACK_MIN_WORDS or not stopwords:
        return False
    hits = max(sum(map(stop.__contains__, words)) for stop in stopwords.values())
    return hits >= PROSE_MIN_STOPWORDS * len(words)


def _foreign_sentence(text: str) -> bool:
    """Does a line in another language than its page read as a sentence: it ends one and has at
    least FOREIGN_SENTENCE_MIN_WORDS words (a one-word button in another script does not)?"""
    text = strip_closing(_sample(text))
    return text.endswith(SENTENCE_STOPS) and len(_sample_words(text)) >= FOREIGN_SENTENCE_MIN_WORDS
