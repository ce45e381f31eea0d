"""Settings shared by every stage of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field

# Default for Config.translate_min_confidence: a fragment is translated when its language is
# known at least this well. Below it stand langdetect's guesses on a few words and weak
# document languages; at or above it, languages seen in the fragment (letters, function words,
# enough words) and languages inherited from a confidently identified page (langid's
# CONTEXT_MAX_CONFIDENCE is above it, so a short Ukrainian line on a Ukrainian page is translated).
TRANSLATE_MIN_CONFIDENCE = 0.5


def _language_codes(value: object) -> tuple[str, ...] | None:
    """``Config.languages`` as a tuple of known ISO 639-1 codes; ValueError for anything else.
    A string is one code or a comma-separated list ("uk", "uk,en")."""
    if value is None:
        return None
    from .stages.langtables import KNOWN_LANGUAGES

    if isinstance(value, str):
        value = value.split(",")
    try:
        codes = [c.strip().lower() for c in value]  # type: ignore[union-attr]
    except (TypeError, AttributeError):
        raise ValueError(
            f"languages must be ISO 639-1 codes (a string or a list of strings), not {value!r}"
        ) from None
    codes = [c for c in codes if c]
    if not codes:
        raise ValueError("languages is empty: give at least one ISO 639-1 code, or None for all")
    unknown = sorted({c for c in codes if c not in KNOWN_LANGUAGES})
    if unknown:
        raise ValueError(
            f"unknown language code(s) {', '.join(unknown)}; known: "
            f"{' '.join(sorted(KNOWN_LANGUAGES))}"
        )
    return tuple(dict.fromkeys(codes))


@dataclass(frozen=True)
class Config:
    """Everything that changes what the pipeline does.

    Frozen and picklable so worker processes receive identical settings.
    """

    # Language identification: restrict candidates (ISO 639-1 codes, or one string "uk" /
    # "uk,en"); None = all known. Unknown codes raise ValueError.
    languages: tuple[str, ...] | None = None
    # Translation.
    translate: bool = True
    # Only fragments whose language confidence is at least this are translated (and counted in
    # translation.needed); see TRANSLATE_MIN_CONFIDENCE.
    translate_min_confidence: float = TRANSLATE_MIN_CONFIDENCE
    target_lang: str = "en"
    models_dir: str | None = None  # else $NORMALIZER_MODELS_DIR, else user data dir
    cache_path: str | None = None  # SQLite translation cache; None = default location
    use_cache: bool = True
    beam_size: int = 2
    threads: int = 0  # 0 = let CTranslate2 decide
    compute_type: str = "int8"
    device: str = "cpu"
    max_batch_sentences: int = 64
    # Streaming: documents held at once in normalize_many (bounds memory, sets translation batch size).
    chunk_size: int = 64
    # Boilerplate.
    rules_dir: str | None = None  # extra rule files (*.toml) added to the packaged ones
    repeated_min_docs: int = 3  # a line seen in this many docs of one site is boilerplate
    # Input limits: bigger inputs become error records instead of exhausting memory.
    max_input_bytes: int = 64 * 1024 * 1024
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "languages", _language_codes(self.languages))
        c = self.translate_min_confidence
        if isinstance(c, bool) or not isinstance(c, (int, float)) or not 0.0 <= c <= 1.0:
            raise ValueError(f"translate_min_confidence must be a number from 0 to 1, not {c!r}")
