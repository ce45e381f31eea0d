"""HTML stage: a web page -> its plain-text dump, one block per line, with DOM hints.

``html_to_page`` renders the visible page the way a naive scraper would (script, style,
the <head>, comments, templates and ruby readings dropped; <noscript> kept, as a scraper
sees it; every block-level element on its own line;
whitespace collapsed; empty lines dropped) and keeps, for every line, what the DOM says
about it: the block's tag, link density, depth, whether it is a heading, and, when it sits
inside page furniture (nav, footer, cookie banner, share bar, comments, …), the removal
``dom_reason`` and ``dom_rule`` ("html:nav", "html:class=cookie-banner"). Nothing is
dropped here: the boilerplate classifier removes hinted blocks with that reason, so every
removal keeps its offsets into ``page.text``.

The class/id/tag patterns are data: ``rules/html.toml``. The same parser events feed
``htmlsignals.HtmlSignals`` (JSON-LD, meta tags, <time>, microdata; ``Page.signals``), so the
news metadata costs no second parse.

Parsing uses lxml's libxml2 HTML parser in event (SAX target) mode: no tree is built and
nothing recurses, so speed is that of the C parser and deep nesting costs nothing.
libxml2 gives up past 2048 levels of nesting; such documents (and anything lxml cannot
take) are re-parsed with the standard library's tokenizer feeding the same builder.
BeautifulSoup (bs4 + lxml, the design card's choice) is not used, on measurement. The
490 dev pages of html-dev, one core, best of two passes (2026-11-24): this renderer 135
pages/s; ``BeautifulSoup(html, "lxml")`` walked into the same builder 28 pages/s (4.8x
slower; identical lines); the whole extraction (render + ``boilerplate.classify``) 48.8
against 21.5 pages/s, 2.3x slower, for no change in output. bs4 adds nothing as a
fallback either: with the lxml parser it hits the same libxml2 depth limit, and with
"html.parser" it is the standard-library tokenizer used below, plus a tree.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser as _StdHTMLParser
from importlib import resources

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, packaged as tomli
    import tomli as tomllib
from lxml import etree

from .htmlsignals import HtmlSignals
from .segment import Block

__all__ = ["Page", "html_to_page", "Block", "HtmlBlock"]


@dataclass
class HtmlBlock(Block):
    """A rendered line with where it stands relative to the page's main content.

    ``in_main``: the line lies inside the main container (the element whose children
    hold the most prose); ``in_article``: inside <article>, <main> or [itemprop=articleBody].
    """

    in_main: bool = False
    in_article: bool = False


@dataclass
class Page:
    """A rendered page: ``text`` is the dump, ``blocks`` its lines with offsets into it."""

    text: str
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    canonical_url: str | None = None
    lang: str | None = None
    # What the page says about itself (JSON-LD, meta tags, <time>, …), for ``metadata.extract``.
    signals: HtmlSignals | None = None


# --- what the renderer treats how -----------------------------------------------------

# Each of these starts and ends a line (HTML's block-level and table/list elements, plus
# form controls whose text a browser shows on its own line).
BLOCK_TAGS = frozenset(
    """
address article aside blockquote body caption center dd details dialog dir div dl dt
fieldset figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 header hgroup hr html
legend li main menu nav ol optgroup option p pre section summary table tbody td tfoot th
thead tr ul noframes noscript select textarea
""".split()
)
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
# Their whole subtree is dropped from the text: never shown, or (rt, rp) ruby annotations,
# the reading aids printed above Japanese/Chinese text, which would split its words.
SKIP_TAGS = frozenset(
    "script style template head svg math iframe object embed rt rp "
    "canvas video audio map button-template".split()
)
# Tags after which a wrapper element is an article's own (its <header> is not the banner).
ARTICLE_TAGS = frozenset(("article", "main"))
# Class/id hints are not taken from these: WordPress and friends put page-wide words on
# them ("single-post comments-open", "has-sidebar") that say nothing about the content.
NO_CLASS_HINT_TAGS = frozenset(("html", "body", "main", "article"))

# A hinted element is taken to be a wrapper, not furniture, when it holds at least this
# share of the page's prose: whole-page <form>s (ASP.NET), an article inside
# <div id="navigation-container">. A real menu, footer or share bar holds little prose.
WRAPPER_MIN_PROSE_SHARE = 0.5
# Prose: lines at least this long whose link density is below PROSE_MAX_LINK_DENSITY
# (a paragraph, not a menu entry or a teaser link). The metadata stage's prose lines too.
# (The line features' prose, features.PROSE_MIN_CHARS, is another test: 100 characters and
# stop words.)
HTML_PROSE_MIN_CHARS = 80
PROSE_MAX_LINK_DENSITY = 0.3
# Comment sections are the exception: on a short post the comments may outweigh the
# article, and they are still not the article.
WRAPPER_EXEMPT_REASONS = frozenset(("comment_form",))
# A <header> outside <article> is the site banner only when it is link-heavy (logo, menu,
# login); one that holds the headline, standfirst and byline (pages whose <article>
# starts below the header) has few links.
HEADER_MIN_LINK_DENSITY = 0.3

# Main container: a prose line credits its container fully and the container's parent
# with this share (Readability's scheme), so a <div> of paragraphs beats its wrapper
# unless the wrapper gathers prose from several such <div>s.
MAIN_GRANDPARENT_SHARE = 0.5

# Title candidates: the first TITLE_MAX_HEADINGS h1-h3 headings. The headline is the
# first of them that <title> contains ("Headline | Site" / "Headline - Site"); pages
# whose <h1> is the site or section name ("Neuigkeiten") are common. Without such a
# heading: the first <h1>, then <title> as it is.
TITLE_HEADING_TAGS = frozenset(("h1", "h2", "h3"))
TITLE_MAX_HEADINGS = 30
# A heading this short matching inside <title> proves nothing ("News").
TITLE_MIN_MATCH_CHARS = 12
# Site names in titles: a segment after (or before) a separator that names the site
# (og:site_name, or a word of the host name) is cut, "Headline » SciLogs - Wissenschaftsblogs"
# -> "Headline". Site names are short; a longer segment is more likely part of the headline.
SITE_NAME_MAX_WORDS = 5
# Host-name words shorter than this match too much by accident ("de", "tv", "co").
SITE_HOST_MIN_CHARS = 3
_HOST_NOISE = frozenset(
    ("www", "com", "net", "org", "co", "blog", "blogs", "news", "amp", "m", "mobile")
)
# Separators between headline and site name: "|", "»", "·", "::", " - ", " – ", " — ", "/", "~".
_TITLE_SEP = re.compile(r"\s+(?:[|»«·•~/]|::|-{1,2}|[–—])\s+")

# What _Builder.start reads for an element without attributes (never written to).
_NO_ATTRIBUTES: dict[str, str] = {}
# Inline style that hides an element.
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# A BCP 47-ish language tag ("en", "en-GB", "uk_UA"); the primary subtag is kept.
_LANG_TAG = re.compile(r"([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*")
# Parts of a class/id token.
_PARTS = re.compile(r"[-_]+")
# Distinct class/id tokens remembered with their verdict (bounded so input cannot grow it).
TOKEN_CACHE_SIZE = 100_000
# Elements whose start the metadata collector sees (besides any with itemprop or rel).
SIGNAL_TAGS = frozenset(("meta", "script", "time"))
# "<script .../>": HTML has no self-closing script or style; a browser reads on as script
# up to the next "</script>", but libxml2 closes the element at once and shows the code as
# text (bettycrocker.com pages). Such a tag is rewritten as an opening tag when its end tag
# follows before the next opening one (an XHTML page whose <script/> really is empty has
# no end tag after it).
_SELF_CLOSED_RAW = re.compile(r"<(script|style)\b([^<>]*?)\s*/>", re.IGNORECASE)
_RAW_TAG = {name: re.compile(rf"<(/?){name}\b", re.IGNORECASE) for name in ("script", "style")}
# libxml2's nesting limit message: the parse stopped early and must be redone.
_DEPTH_ERROR = "Excessive depth"


# --- hint rules (rules/html.toml) -----------------------------------------------------


@dataclass
class _Hints:
    tags: dict[str, str]
    roles: dict[str, str]
    classes: tuple[tuple[str, re.Pattern[str]], ...]
    keep: re.Pattern[str] | None
    negators: frozenset[str] = frozenset()
    # Negators that count only as a token's first parts ("^category": WordPress taxonomy
    # classes such as "category-kommentar" name the post's category, not the element;
    # "^entry-category": "entry-category-social_media" likewise). Each is a tuple of parts.
    negator_heads: frozenset[tuple[str, ...]] = frozenset()
    # href of a link to a tag/topic/category page ([tag_links]), and the reason a line of
    # nothing but such links is removed with.
    tag_href: re.Pattern[str] | None = None
    tag_reason: str = "navigation"
    # token -> reason (or "" for keep, None for no match); class tokens repeat a lot.
    cache: dict[str, str | None] = field(default_factory=dict, compare=False, hash=False)

    def token_reason(self, token: str) -> str | None:
        """ "" when ``token`` marks article content, a reason when it marks furniture."""
        try:
            return self.cache[token]
        except KeyError:
            pass
        result: str | None = None
        parts = _PARTS.split(token)
        if (self.negators and not self.negators.isdisjoint(parts)) or any(
            tuple(parts[: len(head)]) == head for head in self.negator_heads
        ):
            pass
        elif self.keep is not None and self.keep.search(token):
            result = ""
        else:
            for reason, pat in self.classes:
                if pat.search(token):
                    result = reason
                    break
        if len(self.cache) < TOKEN_CACHE_SIZE:
            self.cache[token] = result
        return result


def _word_pattern(words: list[str]) -> re.Pattern[str] | None:
    groups: dict[tuple[str, str], list[str]] = {}
    for w in words:
        if w.startswith("="):
            key = ("^", "$")
        else:
            key = (
                "^" if w.startswith("^") else "(?:^|[-_])",
                "(?:$|[-_])" if w.endswith("$") else "",
            )
        groups.setdefault(key, []).append(re.escape(w.strip("=^$").lower()))
    alts = [
        head + "(?:" + "|".join(sorted(ws, key=len, reverse=True)) + ")" + tail
        for (head, tail), ws in groups.items()
    ]
    return re.compile("|".join(alts)) if alts else None


@lru_cache(maxsize=4)
def load_hints(path: str | None = None) -> _Hints:
    """Read the DOM hint rules; ``path`` overrides the packaged ``rules/html.toml``."""
    if path:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    else:
        data = tomllib.loads(
            (resources.files("normalizer") / "rules" / "html.toml").read_text("utf-8")
        )
    classes = []
    for entry in data.get("class", []):
        pat = _word_pattern(entry.get("words", []))
        if pat is not None:
            classes.append((entry["reason"], pat))
    negators = data.get("negators", {}).get("words", [])
    return _Hints(
        tags={k.lower(): v for k, v in data.get("tags", {}).items()},
        roles={k.lower(): v for k, v in data.get("roles", {}).items()},
        classes=tuple(classes),
        keep=_word_pattern(data.get("keep", {}).get("words", [])),
        negators=frozenset(w.lower() for w in negators if not w.startswith("^")),
        negator_heads=frozenset(
            tuple(_PARTS.split(w[1:].lower())) for w in negators if w.startswith("^")
        ),
        tag_href=_segment_pattern(data.get("tag_links", {}).get("segments", [])),
        tag_reason=data.get("tag_links", {}).get("reason", "navigation"),
    )


def _segment_pattern(words: list[str]) -> re.Pattern[str] | None:
    """Matches an href with one of ``words`` as a whole path segment ("/tag/lewdness/"); a
    host name ("//tag.example.com") is not a segment: the word must be followed by "/", "?",
    "#" or the end."""
    if not words:
        return None
    alts = "|".join(re.escape(w.lower()) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"(?<!/)/(?:{alts})(?=[/?#]|$)", re.IGNORECASE)


# --- the renderer ---------------------------------------------------------------------


class _Builder:
    """Parser target: receives start/end/data events, emits lines and hint regions.

    A line collects text until the next block boundary. Each open element is a stack
    entry; hinted block elements open a *region* (the lines emitted while it is open),
    resolved into ``dom_reason`` after the whole page is seen.
    """

    def __init__(self, hints: _Hints):
        self.hints = hints
        self.lines: list[tuple[str, str | None, float, int, bool, int, int, int, bool]] = []
        self.stack: list[tuple[str, int]] = []  # (tag, region index or -1)
        self.block_stack: list[str] = []  # open block-level tags (for the line's tag)
        self.block_ids: list[int] = []  # their element numbers (index into spans)
        self.spans: list[list[int]] = []  # per block element: [first line, end line]
        self.semantic: list[int] = []  # block elements that are article/main/articleBody
        self.line_parent = -1  # container element of the pending line
        self.line_grandparent = -1
        self.pieces: list[str] = []
        self.link_chars = 0
        self.total_chars = 0
        self.line_tag: str | None = None
        self.line_depth = 0
        self.line_heading = False
        self.skip = 0  # >0 inside a skipped subtree (script, head, ...)
        self.links = 0  # open <a> elements
        self.tag_links = 0  # open <a> elements that link to a tag/topic page
        self.a_is_tag: list[bool] = []  # per open <a>: links to a tag/topic page
        self.tag_chars = 0  # characters of the pending line inside such links
        self.inline_edge = False  # an inline element opened or closed since the last text
        self.headings = 0  # open h1-h6
        self.articles = 0  # open article/main
        self.regions: list[tuple[int, str, str]] = []  # (parent region, reason, rule)
        self.region_stack: list[int] = []
        self.title_parts: list[str] | None = None
        self.title: str | None = None
        self.og_title: str | None = None
        self.heading_parts: list[str] | None = None
        self.headings_seen: list[tuple[str, str]] = []  # (tag, text) of h1-h3, in order
        self.canonical: str | None = None
        self.og_url: str | None = None
        self.site_name: str | None = None
        self.lang: str | None = None
        self.meta_lang: str | None = None
        self.signals = HtmlSignals()

    # lxml target interface ------------------------------------------------------------

    def start(self, tag, attrib, nsmap=None):  # noqa: ARG002 - lxml passes nsmap sometimes
        if not attrib:
            # lxml passes an element without attributes an empty Mapping whose .get and
            # "in" run in Python (a KeyError each); a dict answers in C.
            attrib = _NO_ATTRIBUTES
        tag = tag.lower() if isinstance(tag, str) else ""
        if "}" in tag:
            tag = tag.rsplit("}", 1)[1]
        if tag in ("meta", "link", "title", "html"):
            self._head_element(tag, attrib)
        if tag in SIGNAL_TAGS or "itemprop" in attrib or "rel" in attrib:
            self.signals.start(tag, attrib, len(self.stack), len(self.lines))
        if self.skip:
            self.skip += 1
            self.stack.append((tag, -1))
            return
        if tag in SKIP_TAGS:
            self.skip = 1
            self.stack.append((tag, -1))
            return
        region = -1
        if tag in BLOCK_TAGS:
            self._flush()
            hint = self._hint(tag, attrib)
            if hint is not None:
                region = len(self.regions)
                parent = self.region_stack[-1] if self.region_stack else -1
                self.regions.append((parent, hint[0], hint[1]))
                self.region_stack.append(region)
            self.block_stack.append(tag)
            eid = len(self.spans)
            self.spans.append([len(self.lines), len(self.lines)])
            self.block_ids.append(eid)
            if (
                tag in ARTICLE_TAGS
                or (attrib.get("itemprop") or "").strip().lower() == "articlebody"
            ):
                self.semantic.append(eid)
        elif tag == "br" or tag == "hr":
            self._flush()
        else:
            self.inline_edge = True
            if tag == "a":
                self.links += 1
                tag_href = self.hints.tag_href
                is_tag = (
                    tag_href is not None and tag_href.search(attrib.get("href") or "") is not None
                )
                self.a_is_tag.append(is_tag)
                self.tag_links += is_tag
        if tag in HEADING_TAGS:
            self.headings += 1
            if (
                tag in TITLE_HEADING_TAGS
                and self.heading_parts is None
                and len(self.headings_seen) < TITLE_MAX_HEADINGS
            ):
                self.heading_parts = []
        elif tag in ARTICLE_TAGS:
            self.articles += 1
        self.stack.append((tag, region))

    def end(self, tag):
        if not self.stack:
            return
        tag, region = self.stack.pop()
        if self.signals.capturing:
            self.signals.end(len(self.stack))
        if tag == "title" and self.title_parts is not None:
            self.title = _collapse("".join(self.title_parts)) or None
            self.title_parts = None
        if self.skip:
            self.skip -= 1
            return
        if tag in BLOCK_TAGS:
            self._flush()
            if self.block_stack:
                self.block_stack.pop()
            if self.block_ids:
                self.spans[self.block_ids.pop()][1] = len(self.lines)
            if region >= 0 and self.region_stack:
                self.region_stack.pop()
        else:
            self.inline_edge = True
            if tag == "a":
                self.links -= 1
                if self.a_is_tag and self.a_is_tag.pop():
                    self.tag_links -= 1
        if tag in HEADING_TAGS:
            self.headings -= 1
            if tag in TITLE_HEADING_TAGS and self.heading_parts is not None:
                text = _collapse("".join(self.heading_parts))
                if text:
                    self.headings_seen.append((tag, text))
                self.heading_parts = None
        elif tag in ARTICLE_TAGS:
            self.articles -= 1

    def data(self, text):
        if self.signals.capturing:
            self.signals.data(text)
        if self.title_parts is not None:
            self.title_parts.append(text)
        if self.skip:
            return
        if self.heading_parts is not None:
            self.heading_parts.append(text)
        if "\n" in text and self.block_stack and self.block_stack[-1] == "pre":
            # Lines of preformatted text stay lines.
            first, *rest = text.split("\n")
            self._add(first)
            for part in rest:
                self._flush()
                self._add(part)
        else:
            self._add(text)

    def comment(self, text):  # comments are not shown
        pass

    def close(self):
        self._flush()
        for eid in self.block_ids:  # elements the parser left open end with the page
            self.spans[eid][1] = len(self.lines)
        self.block_ids = []
        return self

    # helpers --------------------------------------------------------------------------

    def _add(self, text: str) -> None:
        n = len(text) - text.count(" ") - text.count("\n") - text.count("\t")
        if n <= 0 and not self.pieces:
            return
        if not self.pieces and not text.strip():
            return
        if not self.pieces:
            self.line_tag = self.block_stack[-1] if self.block_stack else None
            self.line_depth = len(self.stack)
            self.line_heading = self.headings > 0
            ids = self.block_ids
            self.line_parent = ids[-2] if len(ids) >= 2 else (ids[-1] if ids else -1)
            self.line_grandparent = ids[-3] if len(ids) >= 3 else -1
        elif self.inline_edge and text[:1].isupper() and self.pieces[-1][-1:].islower():
            # "<span>By</span><a>Alex Bozarjian</a>": a lower-case letter, an element edge,
            # then a capital is two words the page spaces by CSS ("ByAlex"), not one word.
            text = " " + text
        self.inline_edge = False
        self.pieces.append(text)
        self.total_chars += n
        if self.links:
            self.link_chars += n
            if self.tag_links:
                self.tag_chars += n

    def _flush(self) -> None:
        if not self.pieces:
            return
        text = _collapse("".join(self.pieces))
        if text:
            density = self.link_chars / self.total_chars if self.total_chars > 0 else 0.0
            self.lines.append(
                (
                    text,
                    self.line_tag,
                    min(1.0, density),
                    self.line_depth,
                    self.line_heading,
                    self.region_stack[-1] if self.region_stack else -1,
                    self.line_parent,
                    self.line_grandparent,
                    0 < self.total_chars <= self.tag_chars,
                )
            )
        self.pieces = []
        self.link_chars = self.total_chars = self.tag_chars = 0

    def _hint(self, tag: str, attrib) -> tuple[str, str] | None:
        h = self.hints
        get = attrib.get
        if get("hidden") is not None or _HIDDEN_STYLE.search(get("style") or ""):
            return ("low_quality", "html:hidden")
        if tag in h.tags and not (tag == "header" and self.articles):
            return (h.tags[tag], f"html:{tag}")
        role = (get("role") or "").strip().lower()
        if role in h.roles:
            return (h.roles[role], f"html:role={role}")
        if tag in NO_CLASS_HINT_TAGS:
            return None
        found: tuple[str, str] | None = None
        for name in ("id", "class"):
            value = get(name)
            if not value:
                continue
            for t in value.lower().split():
                reason = h.token_reason(t)
                if reason == "":
                    return None
                if reason is not None and found is None:
                    found = (reason, f"html:{name}={t[:60]}")
        return found

    def _head_element(self, tag: str, attrib) -> None:
        get = attrib.get
        if tag == "title":
            if self.title is None and self.title_parts is None:
                self.title_parts = []
        elif tag == "html":
            lang = (
                get("lang") or get("xml:lang") or get("{http://www.w3.org/XML/1998/namespace}lang")
            )
            if lang and self.lang is None:
                self.lang = lang
        elif tag == "meta":
            prop = (get("property") or get("name") or "").strip().lower()
            content = get("content")
            if not content:
                return
            if prop == "og:title" and self.og_title is None:
                self.og_title = _collapse(content) or None
            elif prop in ("og:site_name", "application-name") and self.site_name is None:
                self.site_name = _collapse(content) or None
            elif prop == "og:url" and self.og_url is None:
                self.og_url = content.strip() or None
            elif prop == "og:locale" and self.meta_lang is None:
                self.meta_lang = content
            elif (
                get("http-equiv") or ""
            ).strip().lower() == "content-language" and self.meta_lang is None:
                self.meta_lang = content
        elif tag == "link":
            rel = (get("rel") or "").lower().split()
            if "canonical" in rel and self.canonical is None:
                href = (get("href") or "").strip()
                self.canonical = href or None


def _collapse(s: str) -> str:
    return " ".join(s.split())


def _pick_title(headings: list[tuple[str, str]], title: str | None) -> str | None:
    if title:
        t = title.casefold()
        for _tag, text in headings:
            if (
                len(text) >= TITLE_MIN_MATCH_CHARS or text.casefold() == t
            ) and text.casefold() in t:
                return text
    for tag, text in headings:
        if tag == "h1":
            return text
    return title


def _compact(s: str) -> str:
    return "".join(c for c in s.casefold() if c.isalnum())


def _names_site(part: str, site: str, hosts: tuple[str, ...]) -> bool:
    """True when a title segment is the site's name: short, and it is (or holds) the
    og:site_name or a word of the page's host name ("SciLogs - Wissenschaftsblogs" on
    scilogs.spektrum.de)."""
    if len(part.split()) > SITE_NAME_MAX_WORDS:
        return False
    c = _compact(part)
    if not c:
        return False
    if site and (site in c or c in site):
        return True
    return any(h in c for h in hosts)


def _strip_site_name(title: str, site_name: str | None, url: str | None) -> str:
    """``title`` without a leading or trailing site name ("Headline » Site - Blogs")."""
    seps = list(_TITLE_SEP.finditer(title))
    if not seps:
        return title
    site = _compact(site_name) if site_name else ""
    host = (url or "").split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    hosts = tuple(
        h for h in host.split(".")[:-1] if len(h) >= SITE_HOST_MIN_CHARS and h not in _HOST_NOISE
    )
    if not site and not hosts:
        return title
    for m in seps:  # the longest suffix first: "» SciLogs - Wissenschaftsblogs"
        head = title[: m.start()].strip()
        if len(head) >= TITLE_MIN_MATCH_CHARS and _names_site(title[m.end() :], site, hosts):
            return head
    for m in reversed(seps):  # then the longest prefix: "Site | Headline"
        tail = title[m.end() :].strip()
        if len(tail) >= TITLE_MIN_MATCH_CHARS and _names_site(title[: m.start()], site, hosts):
            return tail
    return title


def _lang_code(value: str | None) -> str | None:
    if not value:
        return None
    m = _LANG_TAG.fullmatch(value.strip().lower())
    return m.group(1) if m else None


class _StdParser(_StdHTMLParser):
    """Fallback event source: the standard library tokenizer, any depth, never raises.

    It does not build a tree either; end tags close the matching open element (and any
    left open inside it), stray end tags are ignored, void elements close at once.
    """

    VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
    # How far down the open-element stack a stray end tag is looked for; deeper mismatches
    # are ignored (bounds the work on pathological input).
    MAX_END_SEARCH = 256

    def __init__(self, target: _Builder):
        super().__init__(convert_charrefs=True)
        self.target = target
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrib = {k: (v if v is not None else "") for k, v in attrs}
        self.target.start(tag, attrib)
        if tag in self.VOID:
            self.target.end(tag)
        else:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.target.start(tag, {k: (v if v is not None else "") for k, v in attrs})
        self.target.end(tag)

    def handle_endtag(self, tag):
        for k in range(len(self.open) - 1, max(-1, len(self.open) - 1 - self.MAX_END_SEARCH), -1):
            if self.open[k] == tag:
                while len(self.open) > k:
                    self.target.end(self.open.pop())
                return

    def handle_data(self, data):
        self.target.data(data)

    def finish(self) -> _Builder:
        self.close()
        while self.open:
            self.target.end(self.open.pop())
        return self.target.close()


def _parse_lxml(html: str, hints: _Hints) -> _Builder | None:
    builder = _Builder(hints)
    parser = etree.HTMLParser(
        target=builder,
        encoding="utf-8",
        huge_tree=True,
        remove_comments=True,
        remove_pis=True,
        no_network=True,
    )
    try:
        parser.feed(html.encode("utf-8", "replace"))
        parser.close()
    except (etree.LxmlError, ValueError, TypeError):
        return None
    if any(_DEPTH_ERROR in e.message for e in parser.error_log):
        return None
    return builder


def _parse_std(html: str, hints: _Hints) -> _Builder:
    p = _StdParser(_Builder(hints))
    try:
        p.feed(html)
    except Exception:  # noqa: BLE001 - the stdlib tokenizer is lenient; keep what was read
        pass
    return p.finish()


def html_to_page(html: str | bytes, *, hints_path: str | None = None) -> Page:
    """Render ``html`` to its plain-text dump with per-line DOM hints. Never raises on bad HTML.

    Bytes are decoded first (BOM, <meta charset>, UTF-8, detection; see ``read.decode``).
    """
    if isinstance(html, (bytes, bytearray)):
        from ..io.read import InputError, decode

        try:
            html = decode(bytes(html), content_type="html")
        except InputError:
            return Page("")
    if not isinstance(html, str):
        raise TypeError(f"html_to_page() wants str or bytes, not {type(html).__name__}")
    html = html.replace("\x00", "")
    if not html.strip():
        return Page("")
    html = _reopen_self_closed(html)
    hints = load_hints(hints_path)
    b = _parse_lxml(html, hints)
    if b is None:
        b = _parse_std(html, hints)
    return _assemble(b)


def _reopen_self_closed(html: str) -> str:
    """Rewrite "<script/>" followed by code and "</script>" as "<script>" (see _SELF_CLOSED_RAW)."""
    if "/>" not in html:
        return html
    out: list[str] = []
    pos = 0
    for m in _SELF_CLOSED_RAW.finditer(html):
        nxt = _RAW_TAG[m.group(1).lower()].search(html, m.end())
        if nxt is not None and nxt.group(1):
            out.append(html[pos : m.start()])
            out.append(f"<{m.group(1)}{m.group(2)}>")
            pos = m.end()
    if not out:
        return html
    out.append(html[pos:])
    return "".join(out)


def _mark_main(b: _Builder, blocks: list[HtmlBlock]) -> tuple[int, int] | None:
    """Set ``in_main`` / ``in_article`` on every line (see HtmlBlock); return the main
    container's line span ``(lo, hi)``, or None when the page has no prose line.

    Every prose line credits its length to its container (the parent of its block element)
    and half of it to the container's parent, as Readability does; the element with the
    most credit is the main container.
    """
    credit: dict[int, float] = {}
    for blk, line in zip(blocks, b.lines):
        n = len(blk.text)
        if n < HTML_PROSE_MIN_CHARS or blk.link_density >= PROSE_MAX_LINK_DENSITY:
            continue
        if line[6] >= 0:
            credit[line[6]] = credit.get(line[6], 0.0) + n
        if line[7] >= 0:
            credit[line[7]] = credit.get(line[7], 0.0) + n * MAIN_GRANDPARENT_SHARE
    main = None
    if credit:
        best = max(credit, key=lambda e: (credit[e], -e))
        main = b.spans[best]
        for blk in blocks[main[0] : main[1]]:
            blk.in_main = True
    for eid in b.semantic:
        lo, hi = b.spans[eid]
        for blk in blocks[lo:hi]:
            blk.in_article = True
    return main


def _assemble(b: _Builder) -> Page:
    lines = b.lines
    blocks: list[Block] = []
    pos = 0
    for text, tag, density, depth, heading, *_ in lines:
        blocks.append(
            HtmlBlock(
                text,
                pos,
                pos + len(text),
                tag=tag,
                link_density=round(density, 3),
                depth=depth,
                heading=heading,
            )
        )
        pos += len(text) + 1
    text = "\n".join(line[0] for line in lines)
    main = _mark_main(b, blocks)

    regions = b.regions
    if blocks and regions:
        # Characters, link characters and prose characters under each region (children
        # add to their parents; a child is always created after its parent).
        chars = [0.0] * len(regions)
        links = [0.0] * len(regions)
        prose = [0.0] * len(regions)
        total_prose = 0.0
        for blk, line in zip(blocks, lines):
            n = len(blk.text)
            p = n if n >= HTML_PROSE_MIN_CHARS and blk.link_density < PROSE_MAX_LINK_DENSITY else 0
            total_prose += p
            r = line[5]
            if r >= 0:
                chars[r] += n
                links[r] += n * blk.link_density
                prose[r] += p
        for r in range(len(regions) - 1, -1, -1):
            parent = regions[r][0]
            if parent >= 0:
                chars[parent] += chars[r]
                links[parent] += links[r]
                prose[parent] += prose[r]
        # The regions around the main container (_mark_main) wrap the article: Yahoo shows
        # its article in <div id="render-target-modal">, under a page of teasers that hold
        # more prose than the article does.
        around_main: set[int] = set()
        if main is not None and main[0] < main[1]:
            chains = []
            for r in (lines[main[0]][5], lines[main[1] - 1][5]):
                chain = set()
                while r >= 0:
                    chain.add(r)
                    r = regions[r][0]
                chains.append(chain)
            around_main = chains[0] & chains[1]
        # The region that speaks for a line: its innermost region, unless that one is
        # overruled (a wrapper, one around the main container, an article header), then the
        # nearest enclosing one.
        speaker = [-1] * len(regions)
        for r, (parent, reason, rule) in enumerate(regions):
            overruled = (
                reason not in WRAPPER_EXEMPT_REASONS
                and total_prose > 0
                and (prose[r] >= WRAPPER_MIN_PROSE_SHARE * total_prose or r in around_main)
            ) or (rule == "html:header" and links[r] < HEADER_MIN_LINK_DENSITY * chars[r])
            speaker[r] = (speaker[parent] if parent >= 0 else -1) if overruled else r
        for blk, line in zip(blocks, lines):
            r = line[5]
            if r >= 0 and speaker[r] >= 0:
                _, blk.dom_reason, blk.dom_rule = regions[speaker[r]]
    for blk, line in zip(blocks, lines):
        if line[8] and blk.dom_reason is None:
            blk.dom_reason, blk.dom_rule = b.hints.tag_reason, "html:tag_link"

    title = b.og_title or _pick_title(b.headings_seen, b.title)
    b.signals.canonical, b.signals.og_url = b.canonical, b.og_url
    if title:
        title = _strip_site_name(title, b.site_name, b.canonical or b.og_url)
    return Page(
        text=text,
        blocks=blocks,
        title=title,
        canonical_url=b.canonical or b.og_url,
        lang=_lang_code(b.lang) or _lang_code(b.meta_lang),
        signals=b.signals,
    )
