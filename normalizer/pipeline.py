"""The pipeline: read -> segment -> detect language -> classify -> metadata -> translate -> assemble.

``Normalizer`` holds what is expensive to load (rules, translation models) and runs the
stages over a stream of items in bounded chunks, so memory stays flat however long the
stream, and translation sees the Ukrainian sentences of a whole chunk in one batch.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from .config import Config
from .io.read import InputError, decode, sniff_content_type
from .record import Fragment, Record, Removal, content_id, error_record
from .stages.assemble import assemble, needs_translation, translation_summary
from .stages.boilerplate import classify
from .stages.htmlsignals import HtmlSignals
from .stages.langid import document_languages
from .stages.metadata import Metadata
from .stages.metadata import extract as extract_metadata
from .stages.rules import (
    load_comment_markers,
    load_related_headers,
    load_rules,
    load_site_words,
    load_stopwords,
)
from .stages.segment import Block, segment
from .version import __version__


@dataclass
class _Doc:
    """A document between stages."""

    id: str
    source: str | None
    url: str | None
    content_type: str
    text: str
    kept: list[Fragment]
    removed: list[Removal]
    title: str | None
    models: set[str] = field(default_factory=set)
    model_errors: set[str] = field(default_factory=set)
    metadata: Metadata = field(default_factory=Metadata)


Item = str | dict[str, Any]

# The content types an item (or ``normalize``) may name; "auto" sniffs text or HTML.
CONTENT_TYPES = ("auto", "text", "html")
_BYTES = (bytes, bytearray, memoryview)


class Normalizer:
    """Loads rules and (lazily) translation models once; normalizes documents with them."""

    def __init__(self, config: Config | None = None):
        self.config = config or Config()
        self.rules = load_rules(self.config.rules_dir)
        # A rules_dir file may bring stop words (a new language) and site words too.
        self.stopwords = load_stopwords(self.config.rules_dir)
        self.site_words = load_site_words(self.config.rules_dir)
        self.comment_markers = load_comment_markers(self.config.rules_dir)
        self.related_headers = load_related_headers(self.config.rules_dir)
        self._translator = None

    # -- public API ---------------------------------------------------------------------
    def normalize(
        self,
        source: str | bytes,
        *,
        content_type: str = "auto",
        id: str | None = None,
        url: str | None = None,
        translate: bool = True,
    ) -> Record:
        """Normalize one document given as text, HTML or raw bytes.

        A ``source`` that is not str or bytes raises TypeError, an unknown ``content_type``
        ValueError: those are programming errors; bad data gives an error record."""
        if not isinstance(source, (str, bytes, bytearray)):
            raise TypeError(
                f"normalize() takes the document as str or bytes, not {type(source).__name__}"
            )
        if content_type not in CONTENT_TYPES:
            raise ValueError(
                f"content_type must be one of {', '.join(CONTENT_TYPES)}, not {content_type!r}"
            )
        key = "data" if isinstance(source, (bytes, bytearray)) else "text"
        item = {key: source, "id": id, "url": url, "content_type": content_type}
        return next(self.normalize_many([item], translate=translate))

    def normalize_many(
        self,
        items: Iterable[Item],
        *,
        translate: bool = True,
        repeated: Callable[[str | None, str], bool] | None = None,
    ) -> Iterator[Record]:
        """Normalize a stream of items; yields exactly one record per item, in input order.

        ``repeated(site, line)`` is the optional site-repeated-line signal (see ``repeats``).
        """
        it = iter(items)
        while True:
            chunk = list(itertools.islice(it, max(1, self.config.chunk_size)))
            if not chunk:
                return
            docs: list[_Doc | Record | None] = [self._prepare(item, repeated) for item in chunk]
            del chunk  # the items' raw input is not needed past _prepare (a big file's bytes)
            do_translate = translate and self.config.translate
            if do_translate:
                self._translate([d for d in docs if isinstance(d, _Doc)])
            for i, d in enumerate(docs):
                # Each document is dropped as it becomes a record: while the consumer serializes
                # the record, the decoded input (d.text, twice a big file's size) is not held.
                docs[i] = None
                rec = d if isinstance(d, Record) else self._assemble(d, do_translate)  # type: ignore[arg-type]
                d = None
                yield rec

    def close(self) -> None:
        if self._translator is not None:
            self._translator.close()
            self._translator = None

    def __enter__(self) -> "Normalizer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- stages -------------------------------------------------------------------------
    def _prepare(
        self, item: Any, repeated: Callable[[str | None, str], bool] | None
    ) -> _Doc | Record:
        try:
            item = _as_item(item)
        except InputError as e:
            return error_record(_raw_id(item), None, e.type, e.message)
        source = _opt_str(item.get("source"))
        url = _opt_str(item.get("url"))
        given_id = _opt_str(item.get("id")) or None
        if item.get("error"):
            err = item["error"]
            if not isinstance(err, dict):
                err = {"type": "input_error", "message": str(err)}
            return error_record(
                given_id or content_id(str(source)),
                source,
                str(err.get("type", "input_error")),
                str(err.get("message", "")),
                url,
            )
        try:
            text, ctype = self._read(item)
        except InputError as e:
            raw = next((item[k] for k in ("data", "text", "html") if item.get(k) is not None), b"")
            return error_record(
                given_id or _raw_id(raw), source, e.type, _where(source, e.message), url
            )
        except Exception as e:  # noqa: BLE001 - e.g. a 'charset' that is not a string
            return error_record(
                given_id or _raw_id(item),
                source,
                "bad_item",
                _where(source, f"{type(e).__name__}: {e}"),
                url,
            )
        doc_id = given_id or content_id(text)
        try:
            return self._prepare_text(doc_id, source, url, ctype, text, repeated)
        except Exception as e:  # noqa: BLE001 - one bad document must never stop the batch
            return error_record(
                doc_id, source, "internal_error", _where(source, f"{type(e).__name__}: {e}"), url
            )

    def _read(self, item: dict[str, Any]) -> tuple[str, str]:
        """(text, 'text' | 'html') of one item; InputError says what is wrong with it."""
        ctype = item.get("content_type") or "auto"
        if ctype not in CONTENT_TYPES:
            raise InputError(
                "bad_item", f"content_type {ctype!r} is not one of {', '.join(CONTENT_TYPES)}"
            )
        html, data = item.get("html"), item.get("data")
        if html is not None:
            if isinstance(html, _BYTES):  # crawlers hand over the raw body: decode it like 'data'
                text = self._decode(html, "html", item.get("charset"))
            elif isinstance(html, str):
                text = html
            else:
                raise InputError(
                    "bad_item", f"'html' must be str or bytes, not {type(html).__name__}"
                )
            ctype = "html"
        elif data is not None:
            if not isinstance(data, _BYTES):
                raise InputError(
                    "bad_item",
                    f"'data' must be bytes, not {type(data).__name__} "
                    "(give a str as 'text' or 'html')",
                )
            text = self._decode(data, ctype, item.get("charset"))
        else:
            text = item.get("text")
            if text is None:
                raise InputError("missing_field", "item has no 'text', 'html' or 'data'")
            if not isinstance(text, str):
                raise InputError(
                    "bad_item",
                    f"'text' must be str, not {type(text).__name__} (give bytes as 'data')",
                )
        if len(text) > self.config.max_input_bytes:
            raise InputError(
                "too_large",
                f"input is {len(text)} characters, over the limit of "
                f"{self.config.max_input_bytes} (Config.max_input_bytes)",
            )
        if not text.strip():
            raise InputError("empty_input", "input is empty")
        if "\x00" in text:
            raise InputError("binary_input", "input contains NUL characters: binary, not text")
        if ctype not in ("text", "html"):
            ctype = sniff_content_type(text)
        return text, ctype

    def _decode(self, data: bytes | bytearray | memoryview, ctype: str, charset: Any) -> str:
        if len(data) > self.config.max_input_bytes:
            raise InputError(
                "too_large",
                f"input is {len(data)} bytes, over the limit of "
                f"{self.config.max_input_bytes} (Config.max_input_bytes)",
            )
        return decode(
            bytes(data), content_type=ctype, charset=charset if isinstance(charset, str) else None
        )

    def site_blocks(self, item: Item) -> tuple[str | None, list[Block]] | None:
        """(site, blocks) of one item exactly as ``normalize_many`` segments it; None for an item
        that will become an error record. The repeated-line counting pass uses this."""
        try:
            item = _as_item(item)
            if item.get("error"):
                return None
            text, ctype = self._read(item)
            _, blocks, _, _, site, _ = self._segment(
                text, ctype, item.get("url"), item.get("source")
            )
        except Exception:  # noqa: BLE001 - normalize_many turns this into the error record
            return None
        return site, blocks

    @staticmethod
    def _segment(
        text: str, ctype: str, url: str | None, source: str | None
    ) -> tuple[str, list[Block], str | None, str | None, str | None, HtmlSignals | None]:
        """(page text, blocks, title hint, url, site, HTML metadata signals): HTML is rendered
        to its text dump first."""
        title_hint = signals = None
        if ctype == "html":
            from .stages.html import html_to_page

            page = html_to_page(text)
            text, blocks, title_hint = page.text, page.blocks, page.title
            url = url or page.canonical_url
            signals = page.signals
        else:
            blocks = segment(text)
        return text, blocks, title_hint, url, _site(url, source), signals

    def _prepare_text(
        self,
        doc_id: str,
        source: str | None,
        url: str | None,
        ctype: str,
        text: str,
        repeated: Callable[[str | None, str], bool] | None,
    ) -> _Doc:
        given_url = url
        text, blocks, title_hint, url, site, signals = self._segment(text, ctype, url, source)
        line_repeated = (lambda line: repeated(site, line)) if repeated else None
        # Language first, for the whole page and each of its lines: the boilerplate stage reads
        # a line in its own language, and each kept fragment takes its line's language.
        langs = document_languages([b.text for b in blocks], self.config.languages).fragments
        own = [None if g.method == "context" else g.lang for g in langs]
        kept, removed = classify(
            blocks,
            rules=self.rules,
            repeated=line_repeated,
            title_hint=title_hint,
            stopwords=self.stopwords,
            site_words=self.site_words,
            line_langs=own,
            comment_markers=self.comment_markers,
            related_headers=self.related_headers,
        )
        meta = extract_metadata(blocks, kept, removed, signals=signals, url=given_url)
        by_start = {b.start: g for b, g in zip(blocks, langs)}
        for f in kept:
            g = by_start[f.start]  # a kept fragment is its block, or the block's head (a tail rule)
            f.lang, f.lang_confidence = g.lang, g.confidence
        return _Doc(doc_id, source, url, ctype, text, kept, removed, title_hint, metadata=meta)

    def _translate(self, docs: list[_Doc]) -> None:
        todo = [(d, f) for d in docs for f in d.kept if needs_translation(f, self.config)]
        if not todo:
            return
        if self._translator is None:
            from .translation.translate import Translator

            self._translator = Translator(self.config)
        results = self._translator.translate([(f.lang, f.text) for _, f in todo])
        for (d, f), out in zip(todo, results):
            if out is None:
                reason = self._translator.error_for(f.lang)
                if reason:
                    d.model_errors.add(reason)
            else:
                f.translation = out
                info = self._translator.model_for(f.lang)
                if info is not None:
                    d.models.add(info.id)

    def _assemble(self, d: _Doc, translated: bool) -> Record:
        summary = translation_summary(
            d.kept, config=self.config, enabled=translated, models=d.models, errors=d.model_errors
        )
        return assemble(
            id=d.id,
            source=d.source,
            url=d.url,
            content_type=d.content_type,
            text_in=d.text,
            kept=d.kept,
            removed=d.removed,
            title=d.title,
            translation=summary,
            version=__version__,
            metadata=d.metadata,
        )


def _as_item(item: Any) -> dict[str, Any]:
    """An item as a dict: a str is one document (type sniffed); anything else but a dict is
    an InputError (bytes too: they need a key saying what they are, 'data' or 'html')."""
    if isinstance(item, str):
        return {"text": item, "content_type": "auto"}
    if isinstance(item, dict):
        return item
    hint = " (give bytes as {'data': ...})" if isinstance(item, _BYTES) else ""
    raise InputError("bad_item", f"item is {type(item).__name__}, not str or dict{hint}")


def _opt_str(v: Any) -> str | None:
    return None if v is None else v if isinstance(v, str) else str(v)


def _raw_id(raw: Any) -> str:
    """content_id of whatever an unusable item holds (its repr when it is not text or bytes)."""
    if isinstance(raw, _BYTES):
        return content_id(bytes(raw))
    return content_id(raw if isinstance(raw, str) else repr(raw))


def _where(source: str | None, message: str) -> str:
    return f"{source}: {message}" if source and not message.startswith(str(source)) else message


def _site(url: str | None, source: str | None) -> str | None:
    """The unit for the repeated-line signal: URL host, else the source's folder."""
    if url:
        from urllib.parse import urlsplit

        host = urlsplit(url).hostname
        if host:
            return host.removeprefix("www.")
    if source and not source.startswith("<"):
        import os

        return os.path.dirname(source.split(":")[0]) or "."
    return None
