"""Which runs of lines are a reader-comment thread?

A comment thread reads as prose: each comment is a paragraph of running text, so the line
scores keep it, and a plain-text dump has no ``class="comments"`` to give it away. What gives
it away is its furniture, repeated for every comment: a header ("Comments (87)", "3 Responses
to …"), per-comment actions ("Reply", "Report", "(Score:3)") and bylines ("Courtney says:").
Those markers are data, ``comment_markers`` in each ``rules/<lang>.toml`` (loaded by
``rules.load_comment_markers``): ``strong`` ones are furniture no article line looks like,
``weak`` ones are bylines an article may also have ("The minister said:"); a byline ends
with a colon (or a comma: "Kevin said,"), and only such lines are tried against them.

A thread is a cluster of at least COMMENT_MIN_MARKERS markers, each within COMMENT_MAX_GAP
lines of the previous one (COMMENT_THREAD_GAP once the cluster is a thread), holding at
least one strong marker (or COMMENT_WEAK_ONLY_MARKERS bylines); markers are looked for only
below the page's first prose line. It runs from its first strong marker (or a weak one at
most COMMENT_LEAD_LINES before it: the first comment's byline) to its last marker and the
last comment's body, at most COMMENT_TAIL_LINES lines more (to the comment form, when a
phrase rule found it within COMMENT_FORM_REACH lines below). Markers that follow their
comment (a time stamp under it) leave the first comment out: nothing tells it from the
article's last paragraph.

A comment section may also have no furniture per comment (a user name and the comment, one
after the other). What opens it does tell: a ``section`` marker ("Leave a Reply",
"12 Comments", "Your email address will not be published."). Such a line below the page's
best paragraph opens the comments (``comment_section``); above it, it is a link in the
article's header or share bar ("12 Comments" next to the byline). When a reader comment
outscores the article (long comments under a short post), the header stands above the best
paragraph but right under the article: a run of at least SECTION_ARTICLE_PARAGRAPHS kept
paragraphs ending at most SECTION_ARTICLE_GAP lines above it (or SECTION_KEPT_GAP lines the
other signals left, under such a run) opens the comments too (FORM_ARTICLE_PARAGRAPHS for
the reply form's own heading, a ``form`` marker). And when the form stands above every
paragraph the scores kept, those are the comments, and the article is the best paragraph
above it (``comment_form_above``; boilerplate.classify).
"""

from __future__ import annotations

from typing import Sequence

from .features import PROSE_MIN_CHARS, SENTENCE_STOPS, strip_closing
from .rules import CommentMarkers

# A marker is furniture: a short line. A longer one is a comment or an article paragraph that
# happens to contain "reply" or "says:".
COMMENT_MARKER_MAX_CHARS = 200
# Three markers: a header and one comment's byline and "Reply", or two comments. Two "said:"
# lines and a "Reply" button are rare in an article; a single marker is not a thread.
COMMENT_MIN_MARKERS = 3
# A cluster of bylines alone ("Jacob said,", "Debbie M said,") with no strong marker is a
# thread when it holds at least this many: a comment system that shows nothing but the
# commenter's name above each comment. An article quotes a speaker ("The minister said:") once
# or twice between paragraphs; 5 found the two Dragnet pages of such a blog (5,900 leaked
# words) and one CleanEval thread ("shadow says:"), and nothing on html-dev; 4 also took a
# table of speakers on a Readability page.
COMMENT_WEAK_ONLY_MARKERS = 5
# Markers further apart than this are separate clusters. A comment between two markers is one
# to a few paragraphs; 12 lines also lets a long comment through (Slashdot's run to 10).
COMMENT_MAX_GAP = 12
# Within a thread (once COMMENT_MIN_MARKERS markers with a strong one are found), markers may
# stand this far apart: a long comment (a reader's letter, a pasted e-mail) runs to 20-30
# lines, and what lies between two parts of one thread is more of the thread.
COMMENT_THREAD_GAP = 40
# The first comment's byline stands just before the first strong marker ("Name says:", body,
# "Reply"); a weak marker further back ("As Colon writes:" above a quoted paragraph) is the
# article's.
COMMENT_LEAD_LINES = 3
# After the last marker comes at most the last comment's body.
COMMENT_TAIL_LINES = 3
# ... unless the comment form follows within this many lines of the tail ("Leave a Reply",
# "Your email address will not be published."): what stands between is the last comment and
# the form's own buttons. 8: a five-paragraph last comment and "Cancel reply" on Readability's
# WordPress page; a reply box stands right under the thread.
COMMENT_FORM_REACH = 8
# A section header right under the article opens the comments even above the best paragraph.
# The article is a run of at least 3 kept paragraphs: a "Comments" tab under a one-paragraph
# teaser is above the article (WSJ and Washington Post pages on the gold sets); 3 and 5 find
# the same pages there and on html-dev.
SECTION_ARTICLE_PARAGRAPHS = 3
# Paragraphs of one run stand at most this many lines apart (a caption or a subheading
# between them), or further when every line between is still kept (the article's own short
# lines: "WATCH OUT FOR DRAGONS!", a one-line tip; Dragnet's Thesis pages, where "{ 131
# comments }" then opens the section: one page +0.67, no other gold page changes).
SECTION_RUN_GAP = 3
# At most this many lines between the article's last paragraph and the header: a source
# line and a tag line ("Cross-posted from …", "Tags: …") on Dragnet's RedState page.
SECTION_ARTICLE_GAP = 4
# Under a whole article (SECTION_ARTICLE_PARAGRAPHS or more), only lines still kept count
# towards that distance: related posts, share buttons and tags that other signals removed may
# stand between ("40 Responses to …" 8 lines under the article, below six related-post
# links, on Dragnet's Firearm Blog page). At most this many kept lines; 1 to 4 find the same
# pages on the gold sets. Not under fewer paragraphs: a reply-form notice may stand in the
# byline ("NOCH KEINE Kommentare" 8 lines under a two-paragraph lede, on html-dev).
SECTION_KEPT_GAP = 2
# The reply form's own heading or notice (a `form` marker: "Leave a Reply", "No comments
# yet", "4 Comments Leave a comment") is never a tab or a count beside the byline: one kept
# paragraph right above it is enough.
FORM_ARTICLE_PARAGRAPHS = 1


def _marker_text(text: str) -> str | None:
    """The stripped line if it may be a marker (not empty, at most COMMENT_MARKER_MAX_CHARS),
    else None."""
    t = text.strip()
    return t if t and len(t) <= COMMENT_MARKER_MAX_CHARS else None


def _is_prose(text: str) -> bool:
    """A paragraph of the article: long, and ends a sentence."""
    t = strip_closing(text.lstrip())
    return len(t) >= PROSE_MIN_CHARS and t.endswith(SENTENCE_STOPS)


def comment_threads(
    texts: Sequence[str],
    markers: CommentMarkers | None,
    removed: Sequence[bool],
    form: Sequence[bool] | None = None,
) -> list[tuple[int, int]]:
    """``(first, last)`` line index of every comment thread in ``texts``, in order.
    ``removed``: lines another signal already removed; a thread's tail stops at them.
    ``form``: lines a phrase rule removed as the comment form; a thread runs to the first one
    within COMMENT_FORM_REACH lines after its tail."""
    if markers is None:
        return []
    first_prose = next((i for i, t in enumerate(texts) if _is_prose(t)), None)
    if first_prose is None:
        return []
    marks: list[tuple[int, bool]] = []
    # Markers above the article's first paragraph are its own byline and share bar, or a
    # forum's first post: a thread is under an article.
    for i in range(first_prose + 1, len(texts)):
        t = _marker_text(texts[i])
        if t is None:
            continue
        if markers.strong.match(t):
            marks.append((i, True))
        elif t.endswith((":", ",")) and markers.weak.match(t):
            marks.append((i, False))
    threads: list[tuple[int, int]] = []
    j = 0
    while j < len(marks):
        k, has_strong = j, marks[j][1]
        while k + 1 < len(marks):
            # Once the cluster is a thread, a long comment may stand between two markers.
            is_thread = has_strong and k - j + 1 >= COMMENT_MIN_MARKERS
            if marks[k + 1][0] - marks[k][0] > (
                COMMENT_THREAD_GAP if is_thread else COMMENT_MAX_GAP
            ):
                break
            k += 1
            has_strong = has_strong or marks[k][1]
        cluster, j = marks[j : k + 1], k + 1
        # the first strong marker opens the thread, or the first byline of enough of them
        opener = next((i for i, is_strong in cluster if is_strong), None)
        if opener is None and len(cluster) >= COMMENT_WEAK_ONLY_MARKERS:
            opener = cluster[0][0]
        if len(cluster) < COMMENT_MIN_MARKERS or opener is None:
            continue
        lead = [i for i, _ in cluster if opener - COMMENT_LEAD_LINES <= i < opener]
        lo, last = (lead[0] if lead else opener), cluster[-1][0]
        hi = last
        while hi + 1 < len(texts) and hi + 1 <= last + COMMENT_TAIL_LINES and not removed[hi + 1]:
            hi += 1
        if form is not None:
            reach = range(hi + 1, min(len(texts), hi + 1 + COMMENT_FORM_REACH))
            hi = next((k - 1 for k in reach if form[k]), hi)
        threads.append((lo, hi))
    return threads


def comment_section(
    texts: Sequence[str],
    markers: CommentMarkers | None,
    below: int,
    skip: Sequence[bool],
    paragraphs: Sequence[int] = (),
    kept: Sequence[bool] | None = None,
) -> int | None:
    """Index of the first line that opens a comment section (a ``section`` or ``form``
    marker), or None: one after line ``below`` (the page's best paragraph), or one right
    under a run of article paragraphs (``paragraphs``: the kept paragraph-sized lines, in
    order; see the module docstring). ``skip``: lines that cannot open it (a DOM hint placed
    them in a menu or sidebar, where "Comments" is a link). ``kept``: the lines still kept
    (SECTION_KEPT_GAP counts only those)."""
    if markers is None:
        return None
    # a header under the article has the article's first paragraph above it
    first = min(below, paragraphs[0]) if paragraphs else below
    for i in range(first + 1, len(texts)):
        t = _marker_text(texts[i])
        if t is None or skip[i]:
            continue
        is_form = markers.form.match(t) is not None
        run = FORM_ARTICLE_PARAGRAPHS if is_form else SECTION_ARTICLE_PARAGRAPHS
        if (is_form or markers.section.match(t)) and (
            i > below or _under_article(i, paragraphs, run, kept)
        ):
            return i
    return None


def comment_form_above(
    texts: Sequence[str], markers: CommentMarkers | None, first: int, skip: Sequence[bool]
) -> int | None:
    """Index of the first line above line ``first`` (the first paragraph the scores kept)
    that is the reply form's heading or notice (a ``form`` marker: "Leave a Reply", "No
    comments yet"), or None. ``skip`` as in comment_section."""
    if markers is None:
        return None
    for i in range(first):
        t = _marker_text(texts[i])
        if t is not None and not skip[i] and markers.form.match(t):
            return i
    return None


def _under_article(
    i: int, paragraphs: Sequence[int], min_run: int, kept: Sequence[bool] | None = None
) -> bool:
    """Does line ``i`` stand right under a run of at least ``min_run`` paragraphs (each within
    SECTION_RUN_GAP lines of the next or with only ``kept`` lines between; the last within
    SECTION_ARTICLE_GAP lines, or SECTION_KEPT_GAP lines still ``kept`` under a whole
    article)?"""
    above = [p for p in paragraphs if p < i]
    if not above:
        return False
    run = 1
    for a, b in zip(reversed(above[:-1]), reversed(above[1:])):
        if b - a > SECTION_RUN_GAP and not (kept is not None and all(kept[a + 1 : b])):
            break
        run += 1
    if run < min_run:
        return False
    if i - above[-1] <= SECTION_ARTICLE_GAP:
        return True
    # under a whole article, lines other signals removed do not set it apart (SECTION_KEPT_GAP)
    return (
        kept is not None
        and run >= SECTION_ARTICLE_PARAGRAPHS
        and sum(kept[k] for k in range(above[-1] + 1, i)) <= SECTION_KEPT_GAP
    )
