"""News metadata of a document: publication date, authors, site name and URL.

Every value comes with where it came from (``Metadata.sources``), from this vocabulary:

- ``json-ld``: a schema.org ``NewsArticle``/``Article``/… node (or its ``WebPage``/``WebSite``)
  in a ``<script type="application/ld+json">``;
- ``meta``: a ``<meta>`` tag (``article:published_time``, ``og:site_name``, ``author``, …;
  ``og:url`` for the URL);
- ``microdata``: an element with ``itemprop="datePublished"`` / ``itemprop="author"``, or a
  ``rel="author"`` link;
- ``time``: a ``<time datetime>`` element near the headline;
- ``text``: a date line or byline line near the headline in the text itself (plain-text
  dumps, and HTML pages that say it nowhere else); a byline the boilerplate stage removed
  counts too;
- ``canonical``: ``<link rel="canonical">``; ``given``: the URL the caller passed.

HTML pages are parsed once: the renderer (``html.py``) feeds its parser events to an
``HtmlSignals`` collector (``htmlsignals.py``), and ``extract`` reads the collected signals
afterwards.
A teaser, a comment or the footer never gives a value: text lines count only near the
headline, and only when kept as article text or removed for a reason that a byline or date
line gets (not as a teaser, comment, menu or appeal).
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence
from urllib.parse import urljoin, urlsplit

from ..record import Fragment, Removal
from .html import HTML_PROSE_MIN_CHARS
from .htmlsignals import HtmlSignals
from .segment import Block

__all__ = [
    "Metadata",
    "extract",
    "find_date",
    "byline_names",
    "normalize_date",
    "jsonld_metadata",
]

# --- thresholds -----------------------------------------------------------------------

# Lines searched for a byline or date: up to this many above the headline (a dateline or
# kicker may precede it) and below it (byline, date, reading time, share bar, lead image
# caption come before the first paragraph on news pages). The window also ends at the
# WINDOW_MAX_PROSE-th prose line below the headline (the standfirst may precede the byline;
# the article body never holds it) and at the first teaser or comment line, so teasers,
# comments and the footer stay outside it.
WINDOW_BEFORE = 4
WINDOW_AFTER = 8
WINDOW_MAX_PROSE = 2
# A date line or byline is page furniture, not prose: longer lines are sentences that merely
# mention a date or start with "By".
DATE_LINE_MAX_CHARS = 80
BYLINE_MAX_CHARS = 120
# A name is 1..5 words (given names, particles, family names) and at most this long.
NAME_MAX_WORDS = 5
NAME_MAX_CHARS = 60
# Bound the list a page can produce (a JSON-LD author list of a whole newsroom).
MAX_AUTHORS = 20
# Years accepted in a date: older or later values are typos or placeholders ("0001-01-01").
MIN_YEAR, MAX_YEAR = 1900, 2099

# Removal reasons a byline or date line may carry and still be read: the classifier drops
# them as byline stubs, low-quality or repeated lines, or as the article header's furniture.
# Teasers (related, read_more), comments, menus and appeals never give metadata.
METADATA_REMOVAL_REASONS = frozenset(
    ("byline_stub", "low_quality", "repeated_line", "empty", "source_credit", "share_prompt")
)
# Kept fragment roles read for metadata (never teasers).
METADATA_ROLES = frozenset(("title", "body", "heading", "caption"))
# Lines that end the window: teaser blocks and comment sections.
WINDOW_STOP_REASONS = frozenset(("related", "read_more", "comment_form"))

# schema.org types whose node describes the article; page-level nodes are the fallback.
ARTICLE_TYPES = frozenset(
    (
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "backgroundnewsarticle",
        "reviewnewsarticle",
        "askpublicnewsarticle",
        "blogposting",
        "liveblogposting",
        "socialmediaposting",
        "report",
        "scholarlyarticle",
        "techarticle",
        "satiricalarticle",
        "posting",
    )
)
PAGE_TYPES = frozenset(("webpage", "itempage", "collectionpage", "aboutpage"))
SITE_TYPES = frozenset(("website",))

# <meta> names, in order of trust, for each field.
PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article.published",
    "article_date_original",
    "original-publish-date",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "publication_date",
    "parsely-pub-date",
    "sailthru.date",
    "cxenseparse:recs:publishtime",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "dc.date",
    "dcterms.date",
    "citation_publication_date",
    "date",
    "datepublished",
)
AUTHOR_META = (
    "author",
    "article:author",
    "og:article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "citation_author",
    "byl",
)
SITE_META = ("og:site_name", "application-name", "apple-mobile-web-app-title")

# Words that make a byline part a job title, not a name ("Jane Doe, Staff Writer").
_ROLE_WORDS = frozenset(
    """
writer reporter correspondent editor staff contributor columnist journalist photographer
reporters editors agency newsroom desk team
кореспондент кореспондентка редактор редакторка журналіст журналістка корреспондент журналист
""".split()
)
# Words that make an author string a company, not a person ("Condé Nast GmbH").
_ORG_WORDS = frozenset(
    "gmbh ag kg ltd llc inc plc corp s.a. s.l. sa sl srl spa bv nv online".split()
)
# Lower-case words allowed inside a name ("Ludwig van Beethoven", "Ahmed bin Salman").
_NAME_PARTICLES = frozenset(
    "de da di du del della der den des van von ter la le bin ibn al el y e".split()
)

# --- dates ---------------------------------------------------------------------------------


def _numbered(names: str) -> dict[str, int]:
    """Month names in calendar order -> 1..12."""
    return {m: i + 1 for i, m in enumerate(names.split())}


_MONTHS = {
    # English
    **_numbered(
        "january february march april may june july august september october november december"
    ),
    **_numbered("jan feb mar apr may jun jul aug sep oct nov dec"),
    "sept": 9,
    # Ukrainian: genitive (dates) and nominative
    **_numbered(
        "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня"
    ),
    **_numbered(
        "січень лютий березень квітень травень червень липень серпень "
        "вересень жовтень листопад грудень"
    ),
    # Russian: genitive and nominative
    **_numbered(
        "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
    ),
    **_numbered("январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь"),
    # Common Russian/Ukrainian abbreviations ("24 нояб. 2024", "24 лист. 2024")
    **_numbered("янв фев мар апр мая июн июл авг сен окт ноя дек"),
    "сент": 9,
    "нояб": 11,
    "февр": 2,
    **_numbered("січ лют бер квіт трав черв лип серп вер жовт лист груд"),
    # German, French, Spanish, Italian, Polish (genitive): the other languages of the
    # benchmark pages; the month words of these languages do not collide.
    **_numbered(
        "januar februar märz april mai juni juli august september oktober november dezember"
    ),
    "jänner": 1,
    "okt": 10,
    "dez": 12,
    "mär": 3,
    **_numbered(
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    ),
    **_numbered(
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
    ),
    **_numbered(
        "gennaio febbraio marzo aprile maggio giugno luglio agosto "
        "settembre ottobre novembre dicembre"
    ),
    **_numbered(
        "stycznia lutego marca kwietnia maja czerwca lipca sierpnia "
        "września października listopada grudnia"
    ),
}
_MONTH_RE = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
_ISO_RE = re.compile(
    r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?(?!\d)"
)
# 24.11.2024 (day first: the form used in Ukrainian, Russian and most of Europe)
_DOTTED_RE = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.]\d)")
# 24 November 2024, 24 листопада 2024 р., 24 ноября 2024 г., 24. November 2024, 1er mars 2024,
# 24 de noviembre de 2024
_DMY_RE = re.compile(
    rf"(?<!\w)(\d{{1,2}})(?:\.|er)?\s+(?:de\s+)?({_MONTH_RE})\.?,?\s+(?:de\s+)?(\d{{4}})(?!\d)",
    re.I,
)
# November 24, 2024 / Nov. 24 2024
_MDY_RE = re.compile(
    rf"(?<!\w)({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.I
)
# Lines that give a modification date rather than the publication date.
_UPDATED_RE = re.compile(
    r"\b(?:updated|modified|edited|оновлено|оновлена|обновлено|изменено|"
    r"змінено|last update)\b",
    re.I,
)
_COPYRIGHT_RE = re.compile(
    r"©|\(c\)|copyright|all rights reserved|усі права захищено|"
    r"всі права захищені|все права защищены",
    re.I,
)


def _valid_date(y: int, m: int, d: int) -> _dt.date | None:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None


def normalize_date(value: str) -> str | None:
    """An ISO 8601 date, or date-time with its offset, from a machine-readable date string.

    "2024-11-24T10:05:00+02:00" keeps its time and offset ("Z" becomes "+00:00"); a time
    without an offset is dropped (its zone is unknown), leaving the date. Anything else is
    read as written text (``find_date``).
    """
    value = value.strip()
    m = _ISO_RE.match(value)
    if not m:
        return find_date(value)
    date = _valid_date(int(m[1]), int(m[2]), int(m[3]))
    if date is None:
        return None
    if m[4] is None or m[7] is None:
        return date.isoformat()
    hh, mm, ss = int(m[4]), int(m[5]), int(m[6] or 0)
    if hh > 23 or mm > 59 or ss > 59:
        return date.isoformat()
    off = m[7]
    if off == "Z":
        off = "+00:00"
    else:
        digits = off[1:].replace(":", "")
        off = f"{off[0]}{digits[:2]}:{digits[2:4] or '00'}"
    return f"{date.isoformat()}T{hh:02d}:{mm:02d}:{ss:02d}{off}"


def _date_span(text: str) -> tuple[str, int, int] | None:
    """(ISO date, start, end) of the first full date written in ``text``."""
    best: tuple[str, int, int] | None = None
    for rx, order in ((_ISO_RE, "ymd"), (_DOTTED_RE, "dmy"), (_DMY_RE, "dMy"), (_MDY_RE, "Mdy")):
        for m in rx.finditer(text):
            if best is not None and m.start() >= best[1]:
                break
            if order == "ymd":
                y, mo, d = int(m[1]), int(m[2]), int(m[3])
            elif order == "dmy":
                d, mo, y = int(m[1]), int(m[2]), int(m[3])
            elif order == "dMy":
                d, mo, y = int(m[1]), _MONTHS[m[2].lower()], int(m[3])
            else:
                mo, d, y = _MONTHS[m[1].lower()], int(m[2]), int(m[3])
            date = _valid_date(y, mo, d)
            if date is not None:
                best = (date.isoformat(), m.start(), m.end())
                break
    return best


def find_date(text: str) -> str | None:
    """The first full calendar date written in ``text`` as ISO 8601 ("2024-11-24"), else None.

    Forms: "2024-11-24", "24.11.2024", "24 November 2024", "November 24, 2024", and the
    Ukrainian and Russian "24 листопада 2024 р.", "24 ноября 2024 г." (month names in
    genitive or nominative, common abbreviations). A date without a year is not a date here.
    """
    span = _date_span(text)
    return span[0] if span else None


# --- names ----------------------------------------------------------------------------------

# "By Jane Doe", "Written by …", "Author: …", "Автор: …", "Авторка — …", "Текст: …"; and the
# same prefix in German, French, Spanish, Dutch ("Von …", "Par …", "Por …", "Door …"), the
# languages of most benchmark pages: names must follow, so "Von Montag bis Freitag" is none.
_BYLINE_RE = re.compile(
    r"^\s*(?:(?:By|BY|Written by|Words by|Reported by|Story by|Posted by|[Vv]on|Par|Por|Door)\s*:?\s+(?=\S)|"
    r"(?:Authors?|Autor|Autorin|Автор|Авторка|Автори|Авторы|Текст)\s*[:—–-]\s*)(?P<rest>.*)$"
)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\ben\b|\bі\b|\bта\b|\bи\b)\s*")
# Where the names of a byline end: a separator, "for The Guardian", "in Kyiv", a date
# ("on …", "vom …", "am …", or any word with a digit: names have none).
_BYLINE_END = re.compile(
    r"\s+(?:[|•·/—–]|-\s|for\s|in\s|on\s|at\s|from\s|updated\b|published\b|"
    r"vom\s|am\s|для\s|у\s|в\s|з\s|опубліковано\b|опубликовано\b|\S*\d)"
    r"|\s*\(|\s*\|",
    re.I,
)
_URL_RE = re.compile(r"https?:|www\.|\.\w{2,4}/|@")


def _is_name(s: str) -> bool:
    words = s.split()
    if not 1 <= len(words) <= NAME_MAX_WORDS or len(s) > NAME_MAX_CHARS:
        return False
    if any(ch.isdigit() or ch in ":|/" for ch in s) or _URL_RE.search(s):
        return False
    if not words[0][:1].isupper():
        return False
    for w in words:
        if w.casefold() in _ROLE_WORDS or w.casefold() in _ORG_WORDS:
            return False
        if not w[:1].isupper() and w.lower() not in _NAME_PARTICLES:
            return False
        if not any(ch.isalpha() for ch in w):
            return False
    return True


def split_names(value: str) -> list[str]:
    """Names in an author string: "Jane Doe and John Smith" -> two names; junk parts dropped."""
    value = " ".join(html.unescape(value).split())
    value = re.sub(r"^(?:by|von|par|por)\s+", "", value, flags=re.I)
    parts = [p.strip(" .,:;-–—'\"“”«»") for p in _NAME_SPLIT.split(value)]
    parts = [p for p in parts if p and _is_name(p)]
    if parts and len(parts[0].split()) > 1:
        # "Jane Doe, Reuters", "SPIEGEL ONLINE, Hamburg": after a full name, one word is the
        # agency or the place, not a second author.
        parts = [parts[0]] + [p for p in parts[1:] if len(p.split()) > 1]
    return parts


def byline_names(line: str) -> list[str] | None:
    """Author names from a byline line ("By Jane Doe | Nov. 24, 2024" -> ["Jane Doe"]).

    None when the line is not a byline; an empty list for a byline without names (the
    "By" stub a scraper leaves when it loses the author).
    """
    if len(line) > BYLINE_MAX_CHARS:
        return None
    m = _BYLINE_RE.match(line)
    if not m:
        return [] if line.strip() in ("By", "BY", "Автор", "Автор:", "Автори:", "Авторы:") else None
    rest = m["rest"]
    span = _date_span(rest)
    if span is not None:
        rest = rest[: span[1]]
    cut = _BYLINE_END.search(rest)
    if cut is not None:
        rest = rest[: cut.start()]
    return split_names(rest)


def _add_names(out: list[str], names: Iterable[str]) -> None:
    seen = {n.casefold() for n in out}
    for n in names:
        n = " ".join(n.split())
        if n and n.casefold() not in seen and len(out) < MAX_AUTHORS:
            seen.add(n.casefold())
            out.append(n)


# --- JSON-LD ----------------------------------------------------------------------------------


def _types(node: dict[str, Any]) -> set[str]:
    t = node.get("@type")
    if isinstance(t, str):
        return {t.rsplit("/", 1)[-1].lower()}
    if isinstance(t, list):
        return {x.rsplit("/", 1)[-1].lower() for x in t if isinstance(x, str)}
    return set()


def _nodes(data: Any, out: list[dict[str, Any]], depth: int = 0) -> None:
    """Every dict node of a JSON-LD document, top-level and @graph members first."""
    if depth > 6:
        return
    if isinstance(data, list):
        for x in data:
            _nodes(x, out, depth + 1)
    elif isinstance(data, dict):
        out.append(data)
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in data:
                _nodes(data[key], out, depth + 1)


def _load_jsonld(text: str) -> Any:
    text = text.strip()
    for junk in ("<!--", "-->", "<![CDATA[", "]]>", "//<![CDATA[", "//]]>"):
        text = text.replace(junk, "")
    text = text.strip().rstrip(";")
    try:
        return json.loads(text, strict=False)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than json can read
        return None


def _person_names(value: Any, ids: dict[str, dict[str, Any]], depth: int = 0) -> list[str]:
    if depth > 3 or value is None:
        return []
    if isinstance(value, str):
        return [] if _URL_RE.search(value) else split_names(value)
    if isinstance(value, list):
        return [n for x in value for n in _person_names(x, ids, depth + 1)]
    if isinstance(value, dict):
        name = value.get("name")
        if name is None and isinstance(value.get("@id"), str) and value["@id"] in ids:
            name = ids[value["@id"]].get("name")
        if isinstance(name, list):
            name = next((x for x in name if isinstance(x, str)), None)
        if isinstance(name, dict):
            name = name.get("@value")
        return split_names(name) if isinstance(name, str) else []
    return []


def _org_name(value: Any, ids: dict[str, dict[str, Any]]) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        name = value.get("name")
        if name is None and isinstance(value.get("@id"), str) and value["@id"] in ids:
            name = ids[value["@id"]].get("name")
        value = name
    if isinstance(value, str) and not _URL_RE.match(value):
        return " ".join(html.unescape(value).split()) or None
    return None


def jsonld_metadata(scripts: Sequence[str]) -> dict[str, Any]:
    """``published``, ``authors``, ``site_name`` and ``url`` from JSON-LD script texts.

    The article node (``NewsArticle``, ``Article``, ``BlogPosting``, …) is read first; a
    ``WebPage`` node fills what it lacks, a ``WebSite`` node the site name. Author and
    publisher references (``{"@id": …}``) are resolved within the page.
    """
    nodes: list[dict[str, Any]] = []
    for s in scripts:
        data = _load_jsonld(s)
        if data is not None:
            _nodes(data, nodes)
    ids = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    articles = [n for n in nodes if _types(n) & ARTICLE_TYPES]
    pages = [n for n in nodes if _types(n) & PAGE_TYPES]
    out: dict[str, Any] = {"published": None, "authors": [], "site_name": None, "url": None}
    for n in articles + pages:
        if out["published"] is None and isinstance(n.get("datePublished"), str):
            out["published"] = normalize_date(n["datePublished"])
        if not out["authors"]:
            names: list[str] = []
            _add_names(names, _person_names(n.get("author") or n.get("creator"), ids))
            out["authors"] = names
        if out["site_name"] is None:
            out["site_name"] = _org_name(n.get("publisher"), ids)
        if out["url"] is None:
            main = n.get("mainEntityOfPage")
            u = n.get("url") or (main.get("@id") if isinstance(main, dict) else main)
            if isinstance(u, str) and u.startswith(("http://", "https://")):
                out["url"] = u.strip().split("#", 1)[0]  # "…/article/#webpage" names a node
    if out["site_name"] is None:
        for n in nodes:
            if _types(n) & SITE_TYPES:
                out["site_name"] = _org_name(n.get("name"), ids)
                if out["site_name"]:
                    break
    return out


# --- extraction ---------------------------------------------------------------------------------


@dataclass
class Metadata:
    """The metadata fields of a record and the source of each value present."""

    published: str | None = None
    authors: list[str] = field(default_factory=list)
    site_name: str | None = None
    url: str | None = None
    sources: dict[str, str] = field(default_factory=dict)


def _line_status(
    blocks: Sequence[Block], kept: Sequence[Fragment], removed: Sequence[Removal]
) -> tuple[list[bool], list[bool], range]:
    """Per block: may it give metadata? Was it removed as navigation (a byline whose names
    are links is link-dense)? And the window of lines around the headline (or, without one,
    the first body line) where bylines and date lines are looked for."""
    n = len(blocks)
    index = {b.start: i for i, b in enumerate(blocks)}
    usable = [False] * n
    nav = [False] * n
    stop = [False] * n
    prose = [False] * n
    anchor = first_body = None
    for f in kept:
        i = index.get(f.start)
        if i is None:
            continue
        if f.role in METADATA_ROLES:
            usable[i] = True
        else:
            stop[i] = True
        if f.role == "body" and len(f.text) >= HTML_PROSE_MIN_CHARS:  # a prose line (html.py's)
            prose[i] = True
        if f.role == "title" and anchor is None:
            anchor = i
        elif f.role == "body" and first_body is None:
            first_body = i
    for r in removed:
        i = index.get(r.start)
        if i is None:
            continue
        if r.reason in METADATA_REMOVAL_REASONS:
            usable[i] = True
        elif r.reason in WINDOW_STOP_REASONS:
            stop[i] = True
        elif r.reason == "navigation":
            nav[i] = True
    if anchor is None:
        anchor = first_body
    if anchor is None:
        return usable, nav, range(0)
    lo = anchor
    while lo > 0 and anchor - lo < WINDOW_BEFORE and not stop[lo - 1] and not prose[lo - 1]:
        lo -= 1
    hi, seen = anchor + 1, int(prose[anchor])
    while hi < n and hi - anchor <= WINDOW_AFTER and not stop[hi] and seen < WINDOW_MAX_PROSE:
        seen += prose[hi]
        hi += 1
    return usable, nav, range(lo, hi)


def _text_date(blocks: Sequence[Block], usable: list[bool], window: range) -> str | None:
    updated = None
    for i in window:
        text = blocks[i].text
        if not usable[i] or len(text) > DATE_LINE_MAX_CHARS or _COPYRIGHT_RE.search(text):
            continue
        date = find_date(text)
        if date is None:
            continue
        if _UPDATED_RE.search(text):
            updated = updated or date
            continue
        return date
    return updated


def _text_authors(
    blocks: Sequence[Block], usable: list[bool], links: list[bool], window: range
) -> list[str]:
    for i in window:
        if not usable[i] and not links[i]:
            continue
        names = byline_names(blocks[i].text)
        if names:
            return names
    return []


def _key(s: str) -> str:
    return re.sub(r"\W+", "", s.casefold())


def _is_site(name: str, site_name: str | None, url: str | None) -> bool:
    """Whether an author name is the site itself ("Trome" on trome.pe, "The Daily" when
    og:site_name says so): pages put their own name into <meta name="author">."""
    key = _key(name)
    if not key:
        return True
    others = [_key(site_name)] if site_name else []
    host = urlsplit(url).hostname if url else None
    if host:
        labels = host.removeprefix("www.").split(".")
        others.append(_key(labels[0] if len(labels) > 1 else host))
    return any(o and (o in key or key in o) for o in others)


def _http_url(u: str | None, base: str | None) -> str | None:
    if not u:
        return None
    u = u.strip()
    if base:
        u = urljoin(base, u)
    parts = urlsplit(u)
    return u if parts.scheme in ("http", "https") and parts.netloc else None


def extract(
    blocks: Sequence[Block],
    kept: Sequence[Fragment],
    removed: Sequence[Removal],
    *,
    signals: HtmlSignals | None = None,
    url: str | None = None,
) -> Metadata:
    """The document's metadata from its HTML signals (if any) and its lines.

    ``blocks`` are the segmented lines, ``kept``/``removed`` what the boilerplate stage made
    of them, ``url`` the URL the caller gave. Order of trust per field: JSON-LD, meta tags,
    microdata, <time> near the headline, the text's own date line or byline.
    """
    md = Metadata()
    src = md.sources
    usable, nav, window = _line_status(blocks, kept, removed)
    ld: dict[str, Any] = {"published": None, "authors": [], "site_name": None, "url": None}
    if signals is not None and signals.jsonld:
        ld = jsonld_metadata(signals.jsonld)

    # published
    if ld["published"]:
        md.published, src["published"] = ld["published"], "json-ld"
    elif signals is not None:
        for key in PUBLISHED_META:
            value = signals.meta.get(key)
            date = normalize_date(value) if value else None
            if date:
                md.published, src["published"] = date, "meta"
                break
        if md.published is None and "datepublished" in signals.microdata:
            date = normalize_date(signals.microdata["datepublished"])
            if date:
                md.published, src["published"] = date, "microdata"
        if md.published is None:
            near = [
                t
                for t in signals.times
                if t.line in window and t.line < len(usable) and usable[t.line]
            ]
            for t in sorted(near, key=lambda t: not t.published):
                date = normalize_date(t.value)
                if date:
                    md.published, src["published"] = date, "time"
                    break
    if md.published is None:
        date = _text_date(blocks, usable, window)
        if date:
            md.published, src["published"] = date, "text"

    # site_name
    if signals is not None:
        for key in SITE_META:
            value = signals.meta.get(key)
            if value and value.strip():
                md.site_name, src["site_name"] = " ".join(value.split()), "meta"
                break
        if md.site_name is None and ld["site_name"]:
            md.site_name, src["site_name"] = ld["site_name"], "json-ld"

    # url
    canonical = _http_url(signals.canonical, url) if signals is not None else None
    og_url = _http_url(signals.og_url, url) if signals is not None else None
    if canonical:
        md.url, src["url"] = canonical, "canonical"
    elif og_url:
        md.url, src["url"] = og_url, "meta"
    elif url:
        md.url, src["url"] = url, "given"

    # authors (a name that is the site's own does not count, except from JSON-LD)
    def people(names: list[str]) -> list[str]:
        return [n for n in names if not _is_site(n, md.site_name, md.url)]

    if ld["authors"]:
        md.authors, src["authors"] = ld["authors"], "json-ld"
    elif signals is not None:
        names: list[str] = []
        for text, line in signals.author_texts:
            if line in window:
                _add_names(names, people(byline_names(text) or split_names(text)))
        if names:
            md.authors, src["authors"] = names, "microdata"
        else:
            for key in AUTHOR_META:
                value = signals.meta.get(key)
                if value and not _URL_RE.search(value):
                    _add_names(names, people(split_names(value)))
                if names:
                    md.authors, src["authors"] = names, "meta"
                    break
    if not md.authors:
        names = people(_text_authors(blocks, usable, nav, window))
        if names:
            md.authors, src["authors"] = names, "text"

    return md
