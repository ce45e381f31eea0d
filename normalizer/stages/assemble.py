"""Assemble stage: kept fragments, removals and translations -> the output Record."""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import Any

from ..config import Config
from ..record import Fragment, Record, Removal
from .metadata import Metadata
from .segment import DROP_INVISIBLE

PARAGRAPH_SEP = "\n\n"


def clean_text(s: str) -> str:
    """One paragraph as clean text: Unicode NFC, invisible characters dropped, whitespace
    runs (incl. NBSP) one space.

    NFC because pages spell the same letter both ways ("ü" or u + U+0308), and a user
    searching or deduplicating the text must not see two strings. Fragments keep the exact
    input slice (so offsets hold); only the joined ``text`` and ``original_text`` are cleaned.
    """
    if not unicodedata.is_normalized("NFC", s):
        s = unicodedata.normalize("NFC", s)
    return " ".join(s.translate(DROP_INVISIBLE).split())


ARTICLE_ROLES = ("body", "heading", "caption")


def dominant_language(fragments: list[Fragment]) -> str:
    """Language with the most characters among article fragments ('und' if none is known)."""
    chars: Counter[str] = Counter()
    for f in fragments:
        if f.role in ARTICLE_ROLES and f.lang != "und":
            chars[f.lang] += len(f.text)
    if not chars:
        return "und"
    # Ties broken by code so the answer never depends on dict order.
    return max(sorted(chars), key=lambda k: chars[k])


def needs_translation(f: Fragment, config: Config) -> bool:
    """A fragment is sent to a model only when its language is known, not the target, and
    trusted: confidence at least ``config.translate_min_confidence``."""
    return (
        f.lang not in (config.target_lang, "und")
        and f.lang_confidence >= config.translate_min_confidence
    )


def translation_summary(
    fragments: list[Fragment],
    *,
    config: Config,
    enabled: bool,
    models: set[str],
    errors: set[str] | None = None,
) -> dict[str, Any]:
    """Record-level translation status from the fragments that needed translation.

    ``errors``: why an installed model failed for some of them; that makes the status
    ``model_error`` (not ``partial``/``model_missing``) and ``error`` the reasons."""
    need = [f for f in fragments if needs_translation(f, config)]
    done = sum(1 for f in need if f.translation is not None)
    error = None
    if not need:
        status = "not_needed"
    elif not enabled:
        status = "disabled"
    elif done == len(need):
        status = "ok"
    elif errors:
        status, error = "model_error", "; ".join(sorted(errors))
    elif done:
        status = "partial"
    else:
        status = "model_missing"
    return {
        "status": status,
        "model": ",".join(sorted(models)) or None,
        "fragments": done,
        "needed": len(need),
        "error": error,
    }


def assemble(
    *,
    id: str,
    source: str | None,
    url: str | None,
    content_type: str,
    text_in: str,
    kept: list[Fragment],
    removed: list[Removal],
    title: str | None,
    translation: dict[str, Any],
    version: str,
    metadata: Metadata | None = None,
) -> Record:
    article = [f for f in kept if f.role != "related"]
    related = [f for f in kept if f.role == "related"]
    title_frag = next((f for f in article if f.role == "title"), None)
    body = [f for f in article if f.role in ARTICLE_ROLES]
    stats = {
        "chars_in": len(text_in),
        "chars_kept": sum(f.end - f.start for f in article),
        "chars_related": sum(f.end - f.start for f in related),
        "chars_removed": sum(r.end - r.start for r in removed),
        "fragments_kept": len(article),
        "fragments_related": len(related),
        "fragments_removed": len(removed),
        "fragments_translated": sum(1 for f in kept if f.translation is not None),
    }
    md = metadata or Metadata(url=url, sources={"url": "given"} if url else {})
    return Record(
        id=id,
        source=source,
        url=md.url,
        status="ok",
        title=clean_text(title_frag.text) if title_frag else (clean_text(title) if title else None),
        language=dominant_language(article),
        text=PARAGRAPH_SEP.join(
            clean_text(f.translation if f.translation is not None else f.text) for f in body
        ),
        original_text=PARAGRAPH_SEP.join(clean_text(f.text) for f in body),
        fragments=article,
        related=related,
        removed=removed,
        translation=translation,
        stats=stats,
        content_type=content_type,
        normalizer_version=version,
        published=md.published,
        authors=list(md.authors),
        site_name=md.site_name,
        metadata_sources=dict(md.sources),
    )
