"""normalizer: scraped news articles in, clean records out.

Public API (see CONTRACT.md): ``normalize``, ``normalize_many``, ``detect_language``,
``document_languages``, ``Normalizer``, ``Config``, ``Record``, ``LanguageGuess``.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from .config import Config
from .pipeline import Normalizer
from .record import Fragment, Record, Removal
from .stages.langid import DocumentLanguages, LanguageGuess, detect_language, document_languages
from .version import __version__

__all__ = [
    "Config",
    "DocumentLanguages",
    "Fragment",
    "LanguageGuess",
    "Normalizer",
    "Record",
    "Removal",
    "detect_language",
    "document_languages",
    "normalize",
    "normalize_many",
    "__version__",
]

_default: dict[Config, Normalizer] = {}


def _normalizer(config: Config | None) -> Normalizer:
    # One Normalizer per distinct config, so repeated calls reuse loaded models.
    config = config or Config()
    if config not in _default:
        _default.clear()
        _default[config] = Normalizer(config)
    return _default[config]


def normalize(
    source: str | bytes,
    *,
    content_type: str = "auto",
    id: str | None = None,
    url: str | None = None,
    translate: bool = True,
    config: Config | None = None,
) -> Record:
    """Normalize one document (plain text, HTML, or raw bytes) into a Record."""
    return _normalizer(config).normalize(
        source, content_type=content_type, id=id, url=url, translate=translate
    )


def normalize_many(
    items: Iterable[str | dict[str, Any]],
    *,
    config: Config | None = None,
    translate: bool = True,
    **kwargs: Any,
) -> Iterator[Record]:
    """Normalize a stream of documents; one record per item, in input order, batched translation."""
    return _normalizer(config).normalize_many(items, translate=translate, **kwargs)
