"""Comment threads (stages/comments.py): runs of reader comments found by their furniture.

The dumps below are written like the pages they stand for: a WordPress post with its thread,
a Slashdot story, a Ukrainian news page, and news articles whose quotes look like bylines.
"""

from __future__ import annotations

import pytest

from normalizer import normalize
from normalizer.stages import boilerplate
from normalizer.stages.boilerplate import (
    FORM_POST_MAX_LINK_DENSITY,
    PARAGRAPH_MAX_LINK_DENSITY,
    classify,
    line_log_odds,
)
from normalizer.stages.comments import (
    COMMENT_MAX_GAP,
    COMMENT_MIN_MARKERS,
    COMMENT_TAIL_LINES,
    COMMENT_THREAD_GAP,
    COMMENT_WEAK_ONLY_MARKERS,
    SECTION_KEPT_GAP,
    comment_form_above,
    comment_section,
    comment_threads,
)
from normalizer.stages.html import html_to_page
from normalizer.stages.rules import RulesError, load_comment_markers, load_stopwords
from normalizer.stages.segment import segment

ARTICLE = [
    "Recovering from brain surgery takes longer than anyone tells you",
    "The last time I saw my surgeon before the operation, I looked at him, winked and asked "
    "whether he had slept well, and he laughed before he went to scrub in.",
    "So naturally, I am left wondering why it has taken me so long to get back on my feet. "
    "I figured I would be out of hospital in a week and writing again in two.",
    "The reality is that you come to in a bed somewhere, and you do not even realise that you "
    "were asleep, because the drugs blur one day into the next.",
]
COMMENTS = [
    "Comments (87)",
    "09. Jul, 2012 / Courtney says:",
    "That was the first post of yours I have seen without a funny picture. Glad you are back.",
    "[Reply]",
    "09. Jul, 2012 / Meg B says:",
    "Thank goodness it was benign. Too bad recovery is not like the movies, where you wake up "
    "and walk out of the hospital.",
    "[Reply]",
    "10. Jul, 2012 / Debra says:",
    "I am so glad that everything went well. I hope you are feeling better every day.",
    "[Reply]",
]
WORDPRESS = "\n".join(ARTICLE + ["Tweet"] + COMMENTS)


def _classify(text: str):
    kept, removed = classify(segment(text))
    for r in removed:
        assert text[r.start : r.end] == r.text
    return [f.text for f in kept], removed


def test_wordpress_thread_goes_with_its_reason_and_the_article_stays():
    kept, removed = _classify(WORDPRESS)
    for line in ARTICLE[1:]:
        assert line in kept
    thread = [r for r in removed if r.rule == "lines:comment_thread"]
    assert {r.reason for r in thread} == {"comment_form"}
    gone = {r.text for r in removed}
    for line in COMMENTS:
        assert line in gone, line
    # the comments themselves read as prose: without the markers the line scores keep them
    plain, _ = classify(segment(WORDPRESS), comment_markers=_no_markers())
    assert any(f.text.startswith("Thank goodness it was benign") for f in plain)


def _no_markers():
    from normalizer.stages.rules import CommentMarkers, _compile

    never = _compile(r"(?!)")
    return CommentMarkers(strong=never, weak=never)


def _no_form():
    """The packaged markers without the ``form`` list."""
    import dataclasses

    from normalizer.stages.rules import _compile

    return dataclasses.replace(load_comment_markers(), form=_compile(r"(?!)"))


def test_slashdot_scores_and_bylines_mark_a_thread():
    text = "\n".join(
        ARTICLE
        + [
            "Not me! (Score:2, Funny)",
            "by garaged (579941) writes:",
            "I can build a computer, and I am 38, so the premise of the story seems wrong to me.",
            "Re: (Score:3)",
            "by ballpoint (192660) writes:",
            "I make my own wafers, but they are mostly carbon, not silicon. Does that count?",
            "Re: (Score:3)",
            "by vlm (69642) writes:",
            "Real CPUs use relays. The expensive part is figuring out memory at a buck per relay.",
        ]
    )
    kept, removed = _classify(text)
    assert (
        "Real CPUs use relays. The expensive part is figuring out memory at a buck per relay."
        not in kept
    )
    assert [r.text for r in removed if r.rule == "lines:comment_thread"][
        0
    ] == "Not me! (Score:2, Funny)"
    assert ARTICLE[1] in kept


def test_ukrainian_thread():
    article = [
        "Уряд схвалив нову програму підтримки малого бізнесу, яка почне діяти з першого квітня "
        "і охопить підприємців у всіх областях країни.",
        "За словами міністра, на програму виділять понад два мільярди гривень, а заявки "
        "прийматимуть через державний портал.",
    ]
    thread = [
        "Коментарі (2)",
        "Олена пише:",
        "Нарешті хоч щось для малого бізнесу, але подивимось, як це працюватиме на практиці.",
        "Відповісти",
        "Петро пише:",
        "Знову обіцянки, які ніхто не виконає до кінця року, як і минулого разу.",
        "Відповісти",
    ]
    kept, removed = _classify("\n".join(article + thread))
    assert kept[: len(article)] == article
    assert [r.text for r in removed if r.rule == "lines:comment_thread"] == thread


def test_quotes_introduced_like_bylines_are_not_a_thread():
    # "X said:" is a weak marker: an article quoting three people has no thread furniture.
    text = "\n".join(
        ARTICLE[1:]
        + [
            "The minister said:",
            "We will build the bridge this year, whatever the cost, because the town needs it.",
            "Her deputy said:",
            "The money is there and the contracts will be signed by the end of the month.",
            "A spokesman for the opposition said:",
            "Nobody has seen the budget, and we will ask for it in parliament next week.",
        ]
    )
    _, removed = _classify(text)
    assert not [r for r in removed if r.rule == "lines:comment_thread"]


BYLINE_ONLY_COMMENTS = [
    (
        "Progress Trap said,",
        "There is one benefit of the name you chose: you rank first in a search for it.",
    ),
    (
        "Jacob said,",
        "@Progress Trap - This was how I thought in the beginning, and it worked for a while.",
    ),
    (
        "Nikos said,",
        "Going mainstream was a blessing and a curse, and the blog survived both of them.",
    ),
    (
        "Debbie M said,",
        "Sorry, I still like the name. A lot. It says what you do and nothing more.",
    ),
    (
        "slowth said,",
        "Thank you for being a guide to all of us. Whatever you call it, it works for me.",
    ),
    (
        "Chad said,",
        "The levels example strikes me as valid, although most people never get past the first.",
    ),
]


def test_bylines_alone_mark_a_thread_once_there_are_enough_of_them():
    # A blog whose comments show nothing but "Name said," above each comment: no strong
    # marker, but more bylines in a row than an article quotes speakers.
    thread = [line for pair in BYLINE_ONLY_COMMENTS for line in pair]
    text = "\n".join(ARTICLE + ["45 users responded in this post"] + thread)
    kept, removed = _classify(text)
    for line in ARTICLE[1:]:
        assert line in kept
    gone = {r.text for r in removed if r.rule == "lines:comment_thread"}
    assert set(thread) <= gone
    # one byline fewer than COMMENT_WEAK_ONLY_MARKERS is still read as quotes
    few = [line for pair in BYLINE_ONLY_COMMENTS[: COMMENT_WEAK_ONLY_MARKERS - 1] for line in pair]
    texts = ARTICLE + few
    assert comment_threads(texts, load_comment_markers(), [False] * len(texts)) == []


def test_new_york_times_comment_bylines_mark_a_thread():
    # The Times' comments of 2012: a count of the comments loaded, then each comment under
    # its author and readers' votes. A sentence that mentions recommendations is not one.
    thread = [
        "100 of 524 comments loaded twitter facebook",
        "- Marianne Carlson 242 Recommendations",
        "The mayor has had four years to fix the buses, and the routes are worse than before.",
        "- ROY MCKAY 208 Recommendations",
        "I ride the M15 every day and the new schedule added twenty minutes to my commute.",
    ]
    texts = ARTICLE + thread
    markers = load_comment_markers()
    ((lo, hi),) = comment_threads(texts, markers, [False] * len(texts))
    assert (texts[lo], hi) == (thread[0], len(texts) - 1)
    assert not markers.strong.match("The panel made 12 recommendations")


def test_a_byline_far_above_the_first_strong_marker_stays_with_the_article():
    quote = [
        "As you may recall, Colon writes:",
        "As journalists, we choose words carefully and conscientiously, and we select nouns with care.",
        "In this case, the team did not use a label other than the vague term religion.",
        "Once again, what we are talking about is a process called journalism, and it failed.",
        "Written by tmatt on August 9, 2012.",
        "Print this page",
    ]
    thread = [
        "3 Responses to “Those attackers and other religions?”",
        "C. Wingate says:",
        "Ouch. This is one case where knowing too much had me glide right over the problem words.",
        "JoeMerl says:",
        "A slight difference in phrasing would have made the point much clearer to readers.",
    ]
    texts = ARTICLE + quote + thread
    markers = load_comment_markers()
    ((lo, hi),) = comment_threads(texts, markers, [False] * len(texts))
    assert texts[lo] == thread[0]
    assert hi == len(texts) - 1


def test_no_thread_before_the_article_or_from_too_few_or_scattered_markers():
    markers = load_comment_markers()
    texts = ["Reply", "Anna says:", "Great forum post here.", "Reply"] + ARTICLE
    assert comment_threads(texts, markers, [False] * len(texts)) == []
    few = ARTICLE + ["Comments (2)", "Anna says:", "Nice."][: COMMENT_MIN_MARKERS - 1]
    assert comment_threads(few, markers, [False] * len(few)) == []
    gap = ["filler line"] * (COMMENT_MAX_GAP + 1)
    scattered = ARTICLE + ["Reply"] + gap + ["Reply"] + gap + ["Reply"]
    assert comment_threads(scattered, markers, [False] * len(scattered)) == []
    assert comment_threads(scattered, None, [False] * len(scattered)) == []


def test_a_long_comment_inside_a_thread_does_not_split_it():
    markers = load_comment_markers()
    thread = ["Comments (3)", "Anna says:", "Nice post.", "Reply", "Ben says:"]
    letter = [f"Line {k} of a long letter a reader pasted into the thread." for k in range(20)]
    texts = ARTICLE + thread + letter + ["Reply", "Cleo says:", "Agreed.", "Reply"]
    first = len(ARTICLE)
    assert comment_threads(texts, markers, [False] * len(texts)) == [(first, len(texts) - 1)]
    # before a thread is established the markers must stand closer (the gap test above)
    assert COMMENT_THREAD_GAP > len(letter) > COMMENT_MAX_GAP


def test_the_thread_tail_stops_at_lines_other_signals_removed():
    markers = load_comment_markers()
    texts = ARTICLE + COMMENTS + ["About us", "Contact", "Imprint", "Privacy"]
    removed = [False] * len(texts)
    ((_, hi),) = comment_threads(texts, markers, removed)
    assert hi == len(ARTICLE) + len(COMMENTS) - 1 + 3  # the last comment's body: 3 lines at most
    removed[len(ARTICLE) + len(COMMENTS)] = True
    ((_, hi),) = comment_threads(texts, markers, removed)
    assert hi == len(ARTICLE) + len(COMMENTS) - 1


def test_rules_dir_adds_markers_and_a_bad_pattern_names_its_file(tmp_path):
    (tmp_path / "cs.toml").write_text(
        "[comment_markers]\nstrong = ['^odpovědět$']\nweak = ['^.{1,80} napsal:$']\n", "utf-8"
    )
    markers = load_comment_markers(str(tmp_path))
    assert markers.strong.match("Odpovědět") and markers.strong.match("Reply")
    assert markers.weak.match("Jan Novák napsal:")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "xx.toml").write_text("[comment_markers]\nstrong = ['(unclosed']\n", "utf-8")
    with pytest.raises(RulesError, match=r"xx\.toml: comment_markers\.strong"):
        load_comment_markers(str(bad))
    (bad / "xx.toml").write_text("[comment_markers]\nstrong = '^reply$'\n", "utf-8")
    with pytest.raises(RulesError, match=r"comment_markers\.strong: a list of patterns"):
        load_comment_markers(str(bad) + "/")  # another cache key: the file changed
    (bad / "xx.toml").write_text(
        "[comment_markers]\nstrong = ['^reply$']\nsection = ['^(comments']\n", "utf-8"
    )
    with pytest.raises(RulesError, match=r"xx\.toml: comment_markers\.section"):
        load_comment_markers(str(bad) + "//")
    (bad / "xx.toml").write_text(
        "[comment_markers]\nstrong = ['^reply$']\nsection = ['^comments$']\n", "utf-8"
    )
    markers = load_comment_markers(str(bad) + "///")
    assert markers.section.match("Comments") and not markers.section.match("Reply")


def test_the_pipeline_removes_the_thread():
    rec = normalize(WORDPRESS, content_type="text", translate=False)
    assert rec.status == "ok"
    assert "Courtney says" not in rec.text and "Thank goodness" not in rec.text
    assert "The last time I saw my surgeon" in rec.text
    assert any(r.rule == "lines:comment_thread" and r.reason == "comment_form" for r in rec.removed)


# TypePad / Movable Type and older WordPress themes mark each comment only by its time stamp:
# "Posted by: Nick | October 29, 2012 at 01:40 AM", or "Kevin said," over "August 9th, 2012
# at 8:41 am". No "Reply" button, no "Comments (n)" header.
STAMPED = [
    "Isn't this a restatement of the well-rehearsed idea that corporations are amoral, or even "
    "psychopathic, when left to their own devices?",
    "Posted by: John King | November 7, 2012 at 07:00 AM",
    "Regulation costs. In the case of banks, big time, because a small bank pays as much for "
    "compliance as a big one.",
    "Posted by: BrianSJ | November 7, 2012 at 07:21 AM",
    "Humans are generally greedy and do not really care how their actions affect others.",
    "Posted by: Carlo | November 7, 2012 at 09:17 AM",
]
SAID = [
    "August 9th, 2012 at 8:38 am",
    "infamousdx said,",
    "What hotels have you stayed at in Bali besides the one you wrote about? Heading there soon!",
    "August 9th, 2012 at 8:41 am",
    "Kevin said,",
    "Agree with all of your choices, but a couple of my other favorites are Buenos Aires and Rome.",
    "August 9th, 2012 at 8:42 am",
    "lucky said,",
    "In Bali I have stayed at three hotels, and I liked them in that order too.",
]


# 37signals: the author and a date with a two-digit year; WSJ blogs: the time before the date.
DATED = [
    "Jermaine 07 Nov 12",
    "Love it. The little details that matter and make a difference to everyone who uses it.",
    "Radex 07 Nov 12",
    "That is great, but it would be a bit more clear if it had the day of the week in it.",
    "Jason Fried 07 Nov 12",
    "Day of the week would be nice, yes. The mere catching of this condition is the point.",
]
TIME_FIRST = [
    "10:39 pm September 16, 2010",
    "ex-EU Citizen wrote :",
    "The camps should be dismantled. I have seen them, and I would get a ticket for camping there.",
    "10:21 pm September 16, 2010",
    "The Roma should just declare war on France, and then see who surrenders first.",
    "9:58 pm September 16, 2010",
    "I am sure the French would not surrender without a real fight this time around.",
]

# The stamp then the comment's number and its author, or a time zone ("dy/dan", CNET).
NUMBERED = [
    "on 25 Oct 2012 at 7:20 pm2 Timon Piccini",
    "I am pretty sure twenty dollars can no longer buy a new car, even up in Canada.",
    "on 25 Oct 2012 at 7:25 pm3 Audrey",
    "I confess: I had to look up the golden rectangle before I could say anything about it.",
    "October 29, 2012 9:56 AM PDT Follow @lancewhit",
    "Your readership may just have outwitted you. I guessed that this was about the ratio.",
]

# Blogger: each comment ends with its "Reply Delete" / "Delete" links; a numbered thread
# ("Trekmovie"): the number, the author and a date without a time above each comment.
BLOGGER = [
    "Brandt - I have the exact same struggle, but I would add a third one to your list.",
    "Reply Delete",
    "Karl Fisch 10/28/12",
    "The teacher part of me says I should decide, and the parent part of me disagrees.",
    "Delete",
    "I think the student should decide, at least some of the time, what is worth learning.",
    "Reply Delete",
]
NUMBERED_DATE = [
    "5. rm10019 - August 8, 2012",
    "I wanted to go so much to this, just living on the other coast does not help at all.",
    "6. Red Dead Ryan - August 8, 2012",
    "Congrats to him for throwing a legit strike. Many celebrities miss the plate completely.",
    "7. spock - August 8, 2012",
    "Does anyone remember the last year that he tucked in his shirt? I am thinking 1987.",
]


@pytest.mark.parametrize(
    "thread",
    [STAMPED, SAID, DATED, TIME_FIRST, NUMBERED, BLOGGER, NUMBERED_DATE],
    ids=[
        "posted-by-stamp",
        "said-comma",
        "author-date",
        "time-first",
        "stamp-then-author",
        "blogger-delete",
        "numbered-author-date",
    ],
)
def test_time_stamped_comments_are_a_thread(thread):
    text = "\n".join(ARTICLE + thread)
    kept, removed = _classify(text)
    for line in ARTICLE[1:]:
        assert line in kept
    gone = {r.text for r in removed if r.rule == "lines:comment_thread"}
    # a thread starts at its first marker: a footer-style thread's first comment stays
    assert set(thread[1:]) <= gone


def test_one_dateline_with_a_time_is_not_a_thread():
    # an article's own dateline and an update note carry a time stamp too; two are not three
    text = "\n".join(
        ARTICLE[:2]
        + ["October 30, 2012 3:30 PM"]
        + ARTICLE[2:]
        + ["Updated October 30, 2012 5:44 PM"]
    )
    kept, removed = _classify(text)
    assert not [r for r in removed if r.rule == "lines:comment_thread"]
    for line in ARTICLE[1:]:
        assert line in kept


def test_a_table_of_time_stamped_rows_is_not_a_thread():
    # a data table in an article (Readability's toc-missing page): each row starts with a time
    # stamp, but what follows it is cells, not an author
    rows = [
        f"2020-08-01 18:0{m}:00+00 \u2502 {code} \u2502 {n}"
        for m, code, n in [(0, 200, 4084), (0, 404, 0), (0, 500, 0), (1, 200, 3927)]
    ]
    kept, removed = _classify("\n".join(ARTICLE + rows + ARTICLE[1:2]))
    assert not [r for r in removed if r.rule == "lines:comment_thread"]


# A news site's comment section with no furniture per comment: the header, a log-in line,
# then each reader's name and comment (RedState's layout).
NEWS_ARTICLE = [
    "Ohio Still Awaits the Governor's Decision on Health Exchanges",
    "By: Jason Hart | November 12th, 2012 at 04:00 PM",
    "Ohio's governor still has not announced official decisions on the health insurance "
    "exchange or on expanding Medicaid, and the deadline is only days away.",
    "In a column last week, a health policy expert urged Republican governors to refuse to "
    "set up state exchanges, arguing that the law gives them leverage if they do.",
    "A spokesman for the state insurance department said the administration was still "
    "leaning toward letting the federal government run the exchange in Ohio.",
]
NEWS_COMMENTS = [
    "COMMENTS",
    "LOGIN TO COMMENT | REGISTER TODAY",
    "rightappeal",
    "Starve the beast. If the governors won't make their states pay the new costs, the program "
    "cannot work the way its authors intended, and everyone in Washington knows it.",
    "DerKrieger",
    "I sent a letter to every governor last Friday, because I believe the states have to "
    "reassert their constitutional powers before it is too late for all of us.",
]


def test_a_comment_section_header_below_the_article_removes_the_comments_after_it():
    kept, removed = _classify("\n".join(NEWS_ARTICLE + NEWS_COMMENTS))
    for line in NEWS_ARTICLE[2:]:
        assert line in kept
    section = {r.text: r for r in removed if r.rule == "lines:comment_section"}
    assert {r.reason for r in section.values()} == {"comment_form"}
    for line in (NEWS_COMMENTS[3], NEWS_COMMENTS[5]):
        assert line in section, line
    # the comments read as prose: without the section marker the line scores keep them
    plain, _ = classify(
        segment("\n".join(NEWS_ARTICLE + NEWS_COMMENTS)), comment_markers=_no_markers()
    )
    assert NEWS_COMMENTS[3] in [f.text for f in plain]


# A reader's letter that outscores the short article above it (RedState's page on Dragnet).
LONG_COMMENT = (
    "I am writing as a veteran, a husband and a father, and as someone who has read the "
    "Constitution many times over the last several years. I believe that it is well past time "
    "for the states to reassert the powers that the Founders gave them, and I hope that every "
    "governor who reads this will think about what that means for the people of his state."
)


def test_a_comment_section_right_under_the_article_opens_above_a_better_scored_comment():
    lines = NEWS_ARTICLE + NEWS_COMMENTS[:3] + [LONG_COMMENT] + NEWS_COMMENTS[3:]
    blocks = segment("\n".join(lines))
    odds = line_log_odds(blocks, load_stopwords())
    # the comment is the page's best paragraph: "below the best paragraph" cannot see the header
    assert max(range(len(lines)), key=odds.__getitem__) == lines.index(LONG_COMMENT)
    kept, removed = _classify("\n".join(lines))
    for line in NEWS_ARTICLE[2:]:
        assert line in kept
    section = [r.text for r in removed if r.rule == "lines:comment_section"]
    for line in (LONG_COMMENT, NEWS_COMMENTS[3], NEWS_COMMENTS[5]):
        assert line in section, line


def test_a_section_marker_under_a_one_paragraph_teaser_is_not_under_the_article():
    markers = load_comment_markers()
    texts = [NEWS_ARTICLE[2], "Comments", *NEWS_ARTICLE[3:], LONG_COMMENT]
    best, skip = len(texts) - 1, [False] * len(texts)
    # one paragraph above the header: a "Comments" tab under a teaser, not the comment section
    assert comment_section(texts, markers, best, skip, [0, 2, 3, 4]) is None
    # three paragraphs right above it: the article's end
    texts = [*NEWS_ARTICLE[2:], "Tags: Ohio, Medicaid", "Comments", LONG_COMMENT]
    assert comment_section(texts, markers, 5, [False] * 6, [0, 1, 2, 5]) == 4
    # ... but not when it stands further below the article than SECTION_ARTICLE_GAP lines
    gap = ["Share", "Tweet", "Email", "Print", "Tags: Ohio"]
    texts = [*NEWS_ARTICLE[2:], *gap, "Comments", LONG_COMMENT]
    assert comment_section(texts, markers, 10, [False] * 11, [0, 1, 2, 10]) is None
    # ... unless other signals removed what stands between (share buttons, related links):
    # then only the lines still kept count (SECTION_KEPT_GAP)
    kept = [True] * 3 + [False] * 5 + [False, True]
    assert comment_section(texts, markers, 10, [False] * 11, [0, 1, 2, 10], kept) == 8
    kept[3 : 3 + SECTION_KEPT_GAP + 1] = [True] * (SECTION_KEPT_GAP + 1)
    assert comment_section(texts, markers, 10, [False] * 11, [0, 1, 2, 10], kept) is None
    # short lines of the article between its paragraphs (all still kept) do not split the run
    short = ["Watch out for dragons!", "Upgrade now.", "It is free.", "Tell a friend."]
    texts = [*NEWS_ARTICLE[2:4], *short, NEWS_ARTICLE[4], "{ 131 comments }", LONG_COMMENT]
    paragraphs, skip = [0, 1, 6, 8], [False] * 9
    assert comment_section(texts, markers, 8, skip, paragraphs, [True] * 7 + [False, True]) == 7
    kept = [True, True] + [False] * 4 + [True, False, True]
    assert comment_section(texts, markers, 8, skip, paragraphs, kept) is None
    # the kept lines count only under a whole article, not under a two-paragraph lede
    texts = [*NEWS_ARTICLE[3:], *gap, "Comments", LONG_COMMENT]
    kept = [True] * 2 + [False] * 6 + [True]
    assert comment_section(texts, markers, 9, [False] * 10, [0, 1, 9], kept) is None


def test_related_links_between_the_article_and_the_comment_header_do_not_set_it_apart():
    # "40 Responses to …" below six related-post links that the line scores remove, and a
    # reader's comment that outscores the article (Dragnet's Firearm Blog page)
    related = [
        "http://www.ohio.gov/health-exchange/faq.aspx",
        "Related Posts",
        "Medicaid Expansion 2013 / 2014",
        "Exchange Navigator",
        "Governors with Deadlines and Waivers",
        "Governor signs the state budget in a parking lot while driving",
    ]
    header = "40 Responses to “Ohio Still Awaits the Governor's Decision”"
    lines = NEWS_ARTICLE + related + [header, "Jim Smith", LONG_COMMENT, NEWS_COMMENTS[3]]
    kept, removed = _classify("\n".join(lines))
    for line in NEWS_ARTICLE[2:]:
        assert line in kept
    section = [r.text for r in removed if r.rule == "lines:comment_section"]
    assert LONG_COMMENT in section


# A short blog post, the reply form under it, then the author's sidebar, whose paragraphs
# outscore the post (Dragnet's "the brain behind" pages).
SHORT_POST = [
    "Sam Falconer",
    "illustrations — thebrainbehind @ 15:25",
    "Sam Falconer as you can see from above makes lovely illustrations! The portraits above are "
    "of famous actors, scientists and mathematicians. Go get inspired here",
    "Comments (0)",
    "No comments yet.",
    "Leave a comment",
    "Name (required)",
    "Mail (will not be published) (required)",
    "Website",
]
SIDEBAR = [
    "Hello stranger, let's connect :-)",
    "I am a designer and writer who lives in Berlin, and this blog is where I collect the things "
    "that I find beautiful, strange or simply interesting. If you like what you see here, you "
    "can follow the blog by email, and I will be happy to hear from you.",
    "Every week I also write a longer piece about one of the artists that I have found, with an "
    "interview when they have the time for it, and I am always looking for new people to "
    "feature.",
]


def test_the_reply_form_under_a_short_post_opens_the_comment_section():
    text = "\n".join(SHORT_POST + SIDEBAR)
    kept, removed = _classify(text)
    assert SHORT_POST[2] in kept
    section = [r.text for r in removed if r.rule == "lines:comment_section"]
    assert section == SIDEBAR
    # one paragraph above "No comments yet." is enough for the form, not for a bare header
    plain, _ = classify(segment(text), comment_markers=_no_form())
    assert SIDEBAR[2] in [f.text for f in plain]


def test_the_post_above_the_reply_form_may_link_more_than_a_lede(monkeypatch):
    # A short post that credits its sources with links (over a quarter of its text), the reply
    # form under it, the author's sidebar below, and scores that drop the post and keep the
    # sidebar (Dragnet's "the brain behind" pages): the form says the post is the article,
    # though it links more than PARAGRAPH_MAX_LINK_DENSITY allows a fallback paragraph.
    post = (
        "A perfect song by <a href='/f'>Francisco The Man</a>! A big thanks to "
        "<a href='/j'>@jimmy_morris</a> for bringing this to my attention, on repeat here."
    )
    form = "<h3>0 Comments</h3><p>No comments yet.</p><h3>Leave a comment</h3>"
    side = "".join(f"<p>{t}</p>" for t in SIDEBAR)
    html = f"<html><body><h2>Broken Arrows</h2><p>{post}</p>{form}<div>{side}</div></body></html>"
    page = html_to_page(html)
    assert PARAGRAPH_MAX_LINK_DENSITY < page.blocks[1].link_density < FORM_POST_MAX_LINK_DENSITY
    # fixed line scores: the step after them is tested, not what the trees make of this page
    odds = [-3.5, -0.5, -2.9, -3.0, -2.7, 3.7, 1.6, 4.2]
    monkeypatch.setattr(boilerplate, "line_log_odds", lambda blocks, *a, **k: list(odds))
    kept, removed = classify(page.blocks)
    assert [f.text for f in kept if f.role == "body"] == [page.blocks[1].text]
    assert {r.text for r in removed if r.rule == "lines:comment_section"} == set(SIDEBAR)


@pytest.mark.parametrize(
    "line, is_form",
    [
        ("Leave a comment", True),
        ("4 Comments Leave a comment", True),
        ("Leave a Reply Cancel reply", True),
        ("No Comments Yet", True),
        ("{ 2425 comments… read them below or add one }", True),
        ("Your email address will not be published. Required fields are marked *", True),
        ("Hinterlasse einen Kommentar", True),
        ("Залишити відповідь", True),
        # a link beside the byline, above the article
        ("Add a Comment", False),
        ("2012 Leave a Comment Written by James Hollis", False),
        ("Comments", False),
    ],
)
def test_form_markers(line, is_form):
    markers = load_comment_markers()
    texts = [line, NEWS_ARTICLE[2]]
    assert (comment_form_above(texts, markers, 1, [False, False]) == 0) is is_form
    # only above the first kept paragraph, and never a line a DOM hint placed in a menu
    assert comment_form_above(texts, markers, 0, [False, False]) is None
    assert comment_form_above(texts, markers, 1, [True, False]) is None


def test_a_comment_count_above_the_article_is_a_link_not_the_comment_section():
    # "4 Comments" beside the byline, above the article's best paragraph.
    text = "\n".join(NEWS_ARTICLE[:2] + ["4 Comments"] + NEWS_ARTICLE[2:])
    kept, removed = _classify(text)
    for line in NEWS_ARTICLE[2:]:
        assert line in kept
    assert not [r for r in removed if r.rule == "lines:comment_section"]


@pytest.mark.parametrize(
    "line, opens",
    [
        ("Leave a Reply", True),
        ("Reader Interactions", True),  # the Genesis theme's comment heading
        ("Comments (10580)", True),
        ("Kommentare(0)", True),
        ("3 Responses", True),
        ("12 Comments", True),
        ("1 Comment", True),
        ("Your email address will not be published. Required fields are marked *", True),
        ("11 responses to “The Loneliest Woman in the World”", True),
        ("Kommentar verfassen Antwort abbrechen", True),
        ("{ 167 comments }", True),  # the Thesis theme's heading
        ("Коментарі", True),
        # a bare singular is a column head or an opinion piece ("Kommentar", "Komentarz")
        ("Comment", False),
        ("Kommentar", False),
        ("Komentarz", False),
        ("Réagir", False),
        ("Posted in News | Leave a comment", False),
        ("» 62 comments", False),  # a teaser's comment count on a list of posts
    ],
)
def test_section_markers(line, opens):
    markers = load_comment_markers()
    texts = [NEWS_ARTICLE[2], line]
    assert (comment_section(texts, markers, 0, [False, False]) == 1) is opens


def test_a_section_marker_the_dom_placed_in_a_menu_opens_nothing():
    markers = load_comment_markers()
    texts = [NEWS_ARTICLE[2], "Comments", NEWS_COMMENTS[3]]
    assert comment_section(texts, markers, 0, [False, True, False]) is None
    assert comment_section(texts, markers, 0, [False, False, False]) == 1


def test_disqus_bylines_with_the_commenters_web_site_mark_a_thread():
    # Disqus in a dump: each comment under "<web site> <name>", no "Reply" and no time stamp.
    thread = [
        "http://tdhurst.com/ tdhurst",
        "I know exactly how you feel, and I have been there more than once in the last years.",
        "http://twitter.com/danamac Dana McMahan",
        "I wish you well, and thanks for calling it like you see it. It takes courage to say so.",
        "http://mccooltravel.wordpress.com McCool Travel",
        "You are already on the road to wellness. You have done it before and will do it again.",
    ]
    kept, removed = _classify("\n".join(ARTICLE + thread))
    assert [r.text for r in removed if r.rule == "lines:comment_thread"] == thread
    for line in ARTICLE[1:]:
        assert line in kept


def test_html_comment_section_without_comment_classes():
    # A theme whose comment list has no "comment" class or id for a DOM hint to see.
    paras = "".join(f"<p>{t}</p>" for t in NEWS_ARTICLE[2:])
    replies = "".join(
        f"<div><b>{NEWS_COMMENTS[k]}</b><p>{NEWS_COMMENTS[k + 1]}</p></div>" for k in (2, 4)
    )
    html = (
        f"<html><head><title>{NEWS_ARTICLE[0]}</title></head><body><div id='main'>"
        f"<h1>{NEWS_ARTICLE[0]}</h1>{paras}<h3>Leave a Reply</h3>{replies}</div></body></html>"
    )
    rec = normalize(html, content_type="html", translate=False)
    assert rec.status == "ok"
    for line in NEWS_ARTICLE[2:]:
        assert line in rec.text
    assert "Starve the beast" not in rec.text and "I sent a letter" not in rec.text
    assert any(r.rule == "lines:comment_section" for r in rec.removed)


def test_a_thread_runs_to_the_comment_form_under_it():
    # The last comment runs to four paragraphs, more than COMMENT_TAIL_LINES; the form under
    # it ("Cancel reply", "Your email address will not be published.") closes the thread.
    last = [
        "An idea like certification would need much broader support throughout the community "
        "than a choice of what to focus development on.",
        "And you have to decide how often people need to re-certify, because recommendations "
        "and best practices change rapidly in the web world.",
        "Even if you get that far, it will only make a difference if enough people accept the "
        "validity of the test and care whether someone has passed it.",
        "And, finally, a test like that could tell whether the person had enough skill to "
        "install the software, set up a theme and choose some plugins.",
    ]
    form = [
        "Cancel reply",
        "Your email address will not be published. Required fields are marked *",
    ]
    text = "\n".join(ARTICLE + COMMENTS + ["10. Jul, 2012 / Sallie says:"] + last + form)
    kept, removed = _classify(text)
    thread = {r.text for r in removed if r.rule == "lines:comment_thread"}
    for line in last + ["Cancel reply"]:
        assert line in thread, line
    assert ARTICLE[1] in kept
    # without the form the thread's tail stops COMMENT_TAIL_LINES after its last marker
    lines = ARTICLE + COMMENTS + ["10. Jul, 2012 / Sallie says:"] + last + form
    markers, removed = load_comment_markers(), [False] * len(lines)
    is_form = [t == form[1] for t in lines]
    ((lo, hi_form),) = comment_threads(lines, markers, removed, is_form)
    ((_, hi_tail),) = comment_threads(lines, markers, removed)
    assert lines[hi_form] == "Cancel reply"
    assert hi_tail == len(ARTICLE + COMMENTS) + COMMENT_TAIL_LINES
