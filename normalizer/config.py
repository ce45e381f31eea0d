"""Settings shared by every stage of the pipeline."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Config:
    """Everything that changes what the pipeline does.

    Frozen and picklable so worker processes receive identical settings.
    """

    # Language identification: restrict candidates (ISO 639-1 codes); None = all known.
    languages: tuple[str, ...] | None = None
    # Translation.
    translate: bool = True
    target_lang: str = "en"
    models_dir: str | None = None          # else $NORMALIZER_MODELS_DIR, else user data dir
    cache_path: str | None = None          # SQLite translation cache; None = default location
    use_cache: bool = True
    beam_size: int = 2
    threads: int = 0                       # 0 = let CTranslate2 decide
    compute_type: str = "int8"
    device: str = "cpu"
    max_batch_sentences: int = 64
    # Streaming: documents held at once in normalize_many (bounds memory, sets translation batch size).
    chunk_size: int = 64
    # Boilerplate.
    rules_dir: str | None = None           # extra rule files (*.toml) added to the packaged ones
    repeated_min_docs: int = 3             # a line seen in this many docs of one site is boilerplate
    # Input limits: bigger inputs become error records instead of exhausting memory.
    max_input_bytes: int = 64 * 1024 * 1024
    extra: dict = field(default_factory=dict, compare=False, hash=False)
