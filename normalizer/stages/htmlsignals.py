"""What the HTML renderer collects for the metadata stage while it parses a page: meta tags,
JSON-LD scripts, <time> elements, microdata and author links (``HtmlSignals``), so the news
metadata (metadata.py) costs no second parse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Bounds on what the collector keeps from one page (hostile input cannot grow them).
MAX_META_KEYS = 300
MAX_JSONLD_CHARS = 1_000_000
MAX_CAPTURE_CHARS = 300
MAX_TIMES = 50


@dataclass
class TimeTag:
    """A <time> element: its datetime attribute (or text), the rendered line it stands on, and
    whether its markup says it is the publication date (itemprop, pubdate, class)."""

    value: str
    line: int
    published: bool


@dataclass
class HtmlSignals:
    """Metadata signals collected while the HTML renderer parses a page (one parse).

    ``start``/``data``/``end`` are called by the renderer's parser target; ``depth`` is the
    renderer's open-element count, which tells which element an end event closes.
    """

    meta: dict[str, str] = field(default_factory=dict)
    microdata: dict[str, str] = field(default_factory=dict)
    jsonld: list[str] = field(default_factory=list)
    times: list[TimeTag] = field(default_factory=list)
    author_texts: list[tuple[str, int]] = field(default_factory=list)  # (text, line)
    canonical: str | None = None
    og_url: str | None = None
    # Open captures, [kind, depth, parts, extra]; non-empty means data/end events are wanted
    # (a plain list, not a property: the renderer tests it on every event).
    capturing: list[list[Any]] = field(default_factory=list, repr=False)
    _jsonld_chars: int = 0

    def start(self, tag: str, attrib: Any, depth: int, line: int) -> None:
        get = attrib.get
        if tag == "meta":
            content = get("content")
            if content and content.strip() and len(self.meta) < MAX_META_KEYS:
                for key in (get("property"), get("name")):
                    if key:
                        self.meta.setdefault(key.strip().lower(), content.strip())
        elif tag == "script":
            if "ld+json" in (get("type") or "").lower() and self._jsonld_chars < MAX_JSONLD_CHARS:
                self.capturing.append(["jsonld", depth, [], None])
                return
        elif tag == "time" and len(self.times) < MAX_TIMES:
            cls = (get("class") or "").lower()
            published = (
                (get("itemprop") or "").lower() == "datepublished"
                or get("pubdate") is not None
                or "publish" in cls
            )
            value = get("datetime") or get("content")
            self.capturing.append(["time", depth, [], (value, line, published)])
        prop = (get("itemprop") or "").strip().lower()
        if prop in ("datepublished", "author", "creator") and len(self.microdata) < MAX_META_KEYS:
            value = get("content") or get("datetime")
            if value and value.strip():
                if prop == "datepublished":
                    self.microdata.setdefault(prop, value.strip())
                else:
                    self.author_texts.append((value.strip(), line))
            elif tag not in ("meta", "link", "time"):
                self.capturing.append([prop, depth, [], line])
        elif tag == "a" and "author" in (get("rel") or "").lower().split():
            self.capturing.append(["author", depth, [], line])

    def data(self, text: str) -> None:
        for cap in self.capturing:
            if cap[0] == "jsonld" or sum(map(len, cap[2])) < MAX_CAPTURE_CHARS:
                cap[2].append(text)

    def end(self, depth: int) -> None:
        while self.capturing and self.capturing[-1][1] >= depth:
            kind, _, parts, extra = self.capturing.pop()
            text = "".join(parts)
            if kind == "jsonld":
                self._jsonld_chars += len(text)
                self.jsonld.append(text)
            elif kind == "time":
                value, line, published = extra
                value = (value or " ".join(text.split())).strip()
                if value:
                    self.times.append(TimeTag(value, line, published))
            elif kind == "datepublished":
                text = " ".join(text.split())
                if text:
                    self.microdata.setdefault(kind, text)
            else:
                text = " ".join(text.split())
                if text:
                    self.author_texts.append((text[:MAX_CAPTURE_CHARS], extra))
