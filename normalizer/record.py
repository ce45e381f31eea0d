"""The record: what the pipeline emits for every input document (see CONTRACT.md)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = "1.0"

# Removal reasons. A fixed vocabulary so users can filter and count; extend, never rename.
REASONS = (
    "donation_appeal",
    "cookie_notice",
    "comment_form",
    "read_more",
    "source_credit",
    "photo_credit",
    "share_prompt",
    "subscription_prompt",
    "navigation",
    "byline_stub",
    "related",
    "repeated_line",
    "low_quality",
    "empty",
)

ROLES = ("title", "body", "heading", "caption", "related")

# "model_error": a model is installed for the language but could not be loaded or run
# (translation.error says why); "model_missing": none is installed.
TRANSLATION_STATUSES = ("ok", "partial", "not_needed", "model_missing", "model_error", "disabled")


@dataclass
class Fragment:
    """A kept piece of text; ``start``/``end`` index the decoded input text."""

    text: str
    start: int
    end: int
    role: str = "body"
    lang: str = "und"
    lang_confidence: float = 0.0
    translation: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "lang": self.lang,
            "lang_confidence": round(self.lang_confidence, 4),
            "role": self.role,
            "translation": self.translation,
            "start": self.start,
            "end": self.end,
        }


@dataclass
class Removal:
    """A removed piece of text, with why it went (``reason``) and which rule said so (``rule``)."""

    text: str
    reason: str
    rule: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "reason": self.reason,
            "rule": self.rule,
            "start": self.start,
            "end": self.end,
        }


@dataclass
class Record:
    """One output record per input document. ``to_dict()`` is the JSON object of the contract."""

    id: str
    source: str | None = None
    status: str = "ok"
    error: dict[str, str] | None = None
    title: str | None = None
    language: str = "und"
    text: str = ""
    original_text: str = ""
    fragments: list[Fragment] = field(default_factory=list)
    related: list[Fragment] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    translation: dict[str, Any] = field(default_factory=lambda: empty_translation())
    stats: dict[str, int] = field(default_factory=dict)
    url: str | None = None
    content_type: str | None = None
    schema_version: str = SCHEMA_VERSION
    normalizer_version: str = ""
    # News metadata (metadata.py); every value present has its origin in metadata_sources.
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    site_name: str | None = None
    metadata_sources: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "status": self.status,
            "error": self.error,
            "title": self.title,
            "published": self.published,
            "authors": list(self.authors),
            "site_name": self.site_name,
            "metadata_sources": dict(self.metadata_sources),
            "language": self.language,
            "text": self.text,
            "original_text": self.original_text,
            "fragments": [f.to_dict() for f in self.fragments],
            "related": [f.to_dict() for f in self.related],
            "removed": [r.to_dict() for r in self.removed],
            "translation": dict(self.translation),
            "stats": dict(self.stats),
            "content_type": self.content_type,
            "schema_version": self.schema_version,
            "normalizer_version": self.normalizer_version,
        }


def content_id(data: str | bytes) -> str:
    """Stable id from content: first 16 hex digits of SHA-256."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:16]


def error_record(
    id: str, source: str | None, type_: str, message: str, url: str | None = None
) -> Record:
    """A record for input that could not be processed; it still carries id and source."""
    from .version import __version__

    return Record(
        id=id,
        source=source,
        url=url,
        status="error",
        error={"type": type_, "message": message},
        metadata_sources={"url": "given"} if url else {},
        translation=empty_translation(),
        stats=empty_stats(),
        normalizer_version=__version__,
    )


def empty_stats() -> dict[str, int]:
    """The stats of a record with nothing in it: the same keys as ``assemble`` gives, all 0."""
    return {
        "chars_in": 0,
        "chars_kept": 0,
        "chars_related": 0,
        "chars_removed": 0,
        "fragments_kept": 0,
        "fragments_related": 0,
        "fragments_removed": 0,
        "fragments_translated": 0,
    }


def empty_translation() -> dict[str, Any]:
    """The translation object of a record with nothing to translate (same keys as an ok record)."""
    return {"status": "not_needed", "model": None, "fragments": 0, "needed": 0, "error": None}
