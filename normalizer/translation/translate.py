"""The translate stage: fragments in a source language → ``config.target_lang``.

Installed Argos Translate packages (see :mod:`normalizer.models`) provide a
CTranslate2 model and a SentencePiece (or BPE) tokenizer.  Argos Translate's
own ``translate()`` is not used at run time: its default sentence splitter
(MiniSBD) downloads an ONNX model on first use, it translates one paragraph at a
time, and its package index functions try the network.  Instead, for a whole
chunk of documents at once:

1. every fragment is split into lines and sentences (:mod:`normalizer.sentences`);
2. unique sentences are looked up in the persistent cache (:mod:`normalizer.cache`);
3. the remaining ones are tokenized, sorted by length and sent through
   ``ctranslate2.Translator.translate_batch`` in a few large batches;
4. translations are stored in the cache and joined back per fragment.

A language without an installed ``lang → target`` package yields ``None`` for
its fragments (the record then reports ``model_missing``); an installed package
that cannot be loaded or run (bad ``compute_type``, no GPU for ``device="cuda"``)
yields ``None`` too, and ``error_for(lang)`` says why (``model_error``); nothing raises.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import Counter
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from .models import ModelInfo, _argos_package_module, list_installed, resolve_models_dir
from .sentences import split_sentences

if TYPE_CHECKING:  # pragma: no cover
    from ..config import Config

__all__ = ["Translator", "model_key", "resolve_threads"]

log = logging.getLogger(__name__)

# langdetect codes that differ from Argos Translate package codes.
_LANG_ALIASES = {"zh-cn": "zh", "zh-tw": "zt", "pt-br": "pb"}


def _version_key(version: str):
    parts = []
    for p in str(version).replace("-", ".").replace("_", ".").split("."):
        parts.append((0, int(p), "") if p.isdigit() else (1, 0, p))
    return tuple(parts)


def model_key(info: ModelInfo) -> str:
    """Cache key of a model: id, version and a fingerprint of its files.

    The fingerprint (metadata, tokenizer, model config and file sizes) keeps a
    re-trained model that reuses an id and version from serving stale entries.
    """
    h = hashlib.sha256()
    for rel in ("metadata.json", "sentencepiece.model", "bpe.model", "model/config.json"):
        p = info.path / rel
        if p.is_file():
            h.update(rel.encode() + b"\0" + p.read_bytes() + b"\0")
    model_dir = info.path / "model"
    if model_dir.is_dir():
        for p in sorted(model_dir.iterdir()):
            if p.is_file():
                h.update(f"{p.name}:{p.stat().st_size}\0".encode())
    return f"{info.id}@{info.version}#{h.hexdigest()[:16]}"


def _one_line(exc: BaseException) -> str:
    """An exception as one short line (CTranslate2 messages can span lines)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


def resolve_threads(threads: int | None) -> int:
    """CPU threads for CTranslate2: ``threads`` if > 0, else the usable cores, at most 4.

    (CTranslate2's own default is 4 threads whatever the machine, which
    oversubscribes small machines and slows every call down.)
    """
    if threads and threads > 0:
        return int(threads)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


class _Engine:
    """One loaded package: tokenizer + CTranslate2 translator."""

    def __init__(self, info: ModelInfo, config: "Config", root: Path):
        import ctranslate2

        package = _argos_package_module(root)
        self.info = info
        self.pkg = package.Package(info.path)
        self.target_prefix = getattr(self.pkg, "target_prefix", "") or ""
        self.key = model_key(info)
        sp_path = info.path / "sentencepiece.model"
        if sp_path.is_file():
            import sentencepiece as spm

            self.sp = spm.SentencePieceProcessor(model_file=str(sp_path))
        else:
            self.sp = None  # BPE: Argos Translate's tokenizer (needs sacremoses)
        compute_type = config.compute_type or "default"
        self.translator = ctranslate2.Translator(
            str(info.path / "model"),
            device=config.device,
            compute_type=compute_type,
            inter_threads=1,
            intra_threads=resolve_threads(config.threads),
        )

    def encode(self, sentence: str) -> list[str]:
        if self.sp is not None:
            return self.sp.encode(sentence, out_type=str)
        return self.pkg.tokenizer.encode(sentence)

    def decode(self, tokens: list[str]) -> str:
        if self.target_prefix and tokens and tokens[0] == self.target_prefix:
            tokens = tokens[1:]
        if self.sp is not None:
            text = self.sp.decode_pieces(tokens)
        else:
            text = self.pkg.tokenizer.decode(tokens)
        if self.target_prefix and text.startswith(self.target_prefix):
            text = text[len(self.target_prefix) :]
        return text.strip()

    def translate(self, sentences: list[str], beam_size: int, max_batch: int) -> list[str]:
        """Translate unique sentences in length-sorted batches of ``max_batch``."""
        if not sentences:
            return []
        tokens = [self.encode(s) for s in sentences]
        order = sorted(range(len(sentences)), key=lambda i: len(tokens[i]))
        out: list[str] = [""] * len(sentences)
        # Hand CTranslate2 a generous slice at a time (it batches internally by
        # max_batch_size and can work on several batches in parallel).
        step = max(1, max_batch) * 16
        for start in range(0, len(order), step):
            idx = order[start : start + step]
            batch = [tokens[i] for i in idx]
            prefix = [[self.target_prefix] for _ in batch] if self.target_prefix else None
            results = self.translator.translate_batch(
                batch,
                target_prefix=prefix,
                beam_size=max(1, beam_size),
                max_batch_size=max(1, max_batch),
                batch_type="examples",
                replace_unknowns=True,
                length_penalty=0.2,
                max_decoding_length=256,
            )
            for i, res in zip(idx, results):
                out[i] = self.decode(res.hypotheses[0])
        return out


class Translator:
    """Translates fragments of many documents at once; loads models lazily."""

    def __init__(self, config: "Config"):
        self.config = config
        self.models_dir = resolve_models_dir(config.models_dir)
        self._installed: dict[tuple[str, str], ModelInfo] | None = None
        self._engines: dict[str, _Engine | None] = {}
        # Why a model could not be loaded or run, by model id (see error_for).
        self._errors: dict[str, str] = {}
        self._cache = None
        self._cache_failed = False
        # Counters for reports and benchmarks: sentences seen / served from cache
        # / run through a model; fragments without a model.
        self.stats: Counter = Counter()

    # --------------------------------------------------------------- models
    def _scan(self) -> dict[tuple[str, str], ModelInfo]:
        if self._installed is None:
            best: dict[tuple[str, str], ModelInfo] = {}
            for info in list_installed(self.models_dir):
                pair = (info.from_code, info.to_code)
                cur = best.get(pair)
                if cur is None or (_version_key(info.version), info.id) > (
                    _version_key(cur.version),
                    cur.id,
                ):
                    best[pair] = info
            self._installed = best
        return self._installed

    def model_for(self, lang: str) -> ModelInfo | None:
        """The installed ``lang → config.target_lang`` package, or None."""
        if not lang:
            return None
        installed = self._scan()
        target = self.config.target_lang
        low = lang.lower()
        for code in dict.fromkeys((lang, low, _LANG_ALIASES.get(low, low), low.split("-")[0])):
            info = installed.get((code, target))
            if info is not None:
                return info
        return None

    def _engine(self, info: ModelInfo) -> _Engine | None:
        if info.id not in self._engines:
            try:
                self._engines[info.id] = _Engine(info, self.config, self.models_dir)
            except Exception as exc:  # a broken package must not stop the pipeline
                # Reported once per run by the caller (record translation.error, CLI summary).
                self._errors[info.id] = (
                    f"cannot load translation model {info.id} (device={self.config.device}, "
                    f"compute_type={self.config.compute_type}): {_one_line(exc)}"
                )
                self._engines[info.id] = None
        return self._engines[info.id]

    def error_for(self, lang: str) -> str | None:
        """Why ``lang``'s installed model gave no translation (load or run failure), else None."""
        info = self.model_for(lang)
        return self._errors.get(info.id) if info is not None else None

    # ---------------------------------------------------------------- cache
    def _get_cache(self):
        if not self.config.use_cache or self._cache_failed:
            return None
        if self._cache is None:
            from .cache import TranslationCache

            self._cache = TranslationCache(self.config.cache_path)
        return self._cache

    def _cache_call(self, fn, default):
        from .cache import CacheError

        try:
            return fn()
        except CacheError as exc:
            log.warning("normalizer: translation cache disabled: %s", exc)
            self._cache_failed = True
            return default

    # ------------------------------------------------------------ translate
    def translate(self, items: Sequence[tuple[str, str]]) -> list[str | None]:
        """Translate ``(source_lang, text)`` items; ``None`` where no model serves."""
        target = self.config.target_lang
        results: list[str | None] = [None] * len(items)
        # Per model: the items it serves, as lines of sentences.
        plans: dict[str, tuple[ModelInfo, list[tuple[int, list[list[str]]]]]] = {}
        for pos, (lang, text) in enumerate(items):
            if lang == target:
                results[pos] = text
                continue
            info = self.model_for(lang)
            if info is None:
                self.stats["fragments_no_model"] += 1
                continue
            lines = [split_sentences(line, lang) for line in (text or "").split("\n")]
            plans.setdefault(info.id, (info, []))[1].append((pos, lines))

        for info, todo in plans.values():
            engine = self._engine(info)
            if engine is None:
                self.stats["fragments_no_model"] += len(todo)
                continue
            unique = list(dict.fromkeys(s for _, lines in todo for line in lines for s in line))
            self.stats["sentences"] += sum(len(line) for _, lines in todo for line in lines)
            self.stats["unique_sentences"] += len(unique)
            done: dict[str, str] = {}
            cache = self._get_cache()
            if cache is not None and unique:
                done = self._cache_call(partial(cache.get_many, engine.key, unique), {})
            self.stats["cache_hits"] += len(done)
            missing = [s for s in unique if s not in done]
            if missing:
                try:
                    translated = engine.translate(
                        missing, self.config.beam_size, self.config.max_batch_sentences
                    )
                except Exception as exc:  # CTranslate2 runtime failure (e.g. out of GPU memory)
                    self._errors[info.id] = (
                        f"translation with {info.id} failed (device={self.config.device}, "
                        f"compute_type={self.config.compute_type}): {_one_line(exc)}"
                    )
                    self.stats["fragments_failed"] += len(todo)
                    continue
                self.stats["translated_sentences"] += len(missing)
                new = dict(zip(missing, translated))
                done.update(new)
                cache = self._get_cache()
                if cache is not None:
                    self._cache_call(partial(cache.put_many, engine.key, new.items()), 0)
            for pos, lines in todo:
                results[pos] = "\n".join(" ".join(done[s] for s in line) for line in lines)
                self.stats["fragments_translated"] += 1
        return results

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()
            self._cache = None
        self._engines.clear()

    def __enter__(self) -> "Translator":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
