#!/usr/bin/env python3
"""Translation throughput: ``normalize_many`` vs. Argos Translate per fragment.

A benchmark script, not a timed test.  It installs an ``.argosmodel`` (default:
the tiny test model ``tests/data/models/translate-uk_en-tiny.argosmodel``) into a
temporary models directory and, in the same run and with the same installed
package, measures:

1. **argostranslate** – ``argostranslate.translate.translate(text, "uk", "en")``
   called once per Ukrainian fragment (how one would use the library directly).
   Its default sentence splitter, MiniSBD, downloads an ONNX model on first use,
   so it is replaced here by a class that calls ``normalizer.translation.sentences`` (the same
   sentences our pipeline feeds the model; no download).  Same beam size,
   compute type and thread count as ours.
2. **ours, batched** – ``normalize_many`` over the documents with the cache off
   (fragments/s counts the whole pipeline: segmentation, boilerplate, language
   identification, translation, assembly).
3. **ours, Translator only** – ``Translator.translate`` on the same fragments, no cache.
4. **cold vs warm cache** – ``normalize_many`` with a fresh SQLite cache, then again.

Usage::

    .venv/bin/python benchmarks/bench_translate.py                 # tiny test model
    .venv/bin/python benchmarks/bench_translate.py --model translate-uk_en-1_9.argosmodel \\
        --sentences my_ukrainian_sentences.txt --docs 200

With the tiny model the corpus is built from the 200 memorised Tatoeba sentences
(documents of 3–8 paragraphs, each paragraph 1–3 sentences, seeded); with
``--sentences FILE`` (one Ukrainian sentence a line) from that file.
Nothing is downloaded; everything lives in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "models" / "translate-uk_en-tiny.argosmodel"
PAIRS_UKR = ROOT / "tests" / "data" / "tatoeba-eng-ukr-200" / "pairs.ukr"


def build_corpus(sentences: list[str], n_docs: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    docs = []
    for _ in range(n_docs):
        paras = []
        for _ in range(rng.randint(3, 8)):
            paras.append(" ".join(rng.choice(sentences) for _ in range(rng.randint(1, 3))))
        docs.append("\n\n".join(paras))
    return docs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", type=Path, default=TINY, help="the .argosmodel to benchmark")
    ap.add_argument(
        "--sentences",
        type=Path,
        default=PAIRS_UKR,
        help="Ukrainian sentences, one a line (default: the tiny model's memorised ones)",
    )
    ap.add_argument("--docs", type=int, default=150)
    ap.add_argument("--beam-size", type=int, default=2)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--chunk-size", type=int, default=64)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep-tmp", action="store_true", help="keep the temporary folder")
    ap.add_argument(
        "--baseline-limit",
        type=int,
        default=0,
        help="time Argos Translate on at most this many fragments (0 = all)",
    )
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="bench-translate-"))
    models_dir = tmp / "models"
    # Argos Translate reads its settings once, at import: point everything into the
    # temporary folder and match our decoding settings before anything imports it.
    os.environ.update(
        {
            "NORMALIZER_MODELS_DIR": str(models_dir),
            "ARGOS_PACKAGES_DIR": str(models_dir),
            "XDG_DATA_HOME": str(tmp / "data"),
            "XDG_CACHE_HOME": str(tmp / "cache"),
            "XDG_CONFIG_HOME": str(tmp / "config"),
            "ARGOS_DEVICE_TYPE": "cpu",
            "ARGOS_BEAM_SIZE": str(args.beam_size),
            "ARGOS_COMPUTE_TYPE": "int8",
            "ARGOS_INTER_THREADS": "1",
        }
    )
    sys.path.insert(0, str(ROOT))
    from normalizer.translation.translate import resolve_threads

    # Same CPU threads for both contenders (threads 0 = what normalizer picks).
    threads = resolve_threads(args.threads)
    os.environ["ARGOS_INTRA_THREADS"] = str(threads)
    from normalizer import Config, Normalizer
    from normalizer.translation import models
    from normalizer.translation.sentences import split_sentences
    from normalizer.translation.translate import Translator

    info = models.install(args.model, models_dir)
    print(f"model: {info.id} ({info.from_code}→{info.to_code} {info.version}) from {args.model}")
    pool = [s for s in args.sentences.read_text("utf-8").splitlines() if s.strip()]
    docs = build_corpus(pool, args.docs, args.seed)

    base = dict(
        models_dir=str(models_dir),
        beam_size=args.beam_size,
        threads=threads,
        chunk_size=args.chunk_size,
        compute_type="int8",
    )

    # Fragments the pipeline wants translated (same input for every contender).
    probe = Normalizer(Config(**base, translate=False))
    records = list(probe.normalize_many(docs, translate=False))
    fragments = [f.text for r in records for f in r.fragments if f.lang == info.from_code]
    n_sent = sum(len(split_sentences(f)) for f in fragments)
    n_unique = len({s for f in fragments for s in split_sentences(f)})
    print(
        f"corpus: {len(docs)} documents, {len(fragments)} {info.from_code} fragments, "
        f"{n_sent} sentences ({n_unique} unique); beam {args.beam_size}, int8, "
        f"{threads} CPU threads"
    )

    # ---- 1. argostranslate, one call per fragment ---------------------------------
    import argostranslate.settings as asettings
    import argostranslate.translate as atranslate

    class RuleSentencizer:  # replaces MiniSBD, which would download an ONNX model
        def __init__(self, pkg):
            self.pkg = pkg

        def split_sentences(self, text):
            return split_sentences(text) or [text]

    atranslate.MiniSBDSentencizer = RuleSentencizer
    asettings.package_dirs[:] = [models_dir]
    atranslate.get_installed_languages.cache_clear()
    baseline_frags = fragments[: args.baseline_limit] if args.baseline_limit else fragments
    atranslate.translate(baseline_frags[0], info.from_code, info.to_code)  # load the model
    t0 = time.perf_counter()
    argos_out = [atranslate.translate(f, info.from_code, info.to_code) for f in baseline_frags]
    t_argos = time.perf_counter() - t0
    argos_fps = len(baseline_frags) / t_argos
    print(
        "\nargostranslate.translate() per fragment "
        "(sentence splitter monkeypatched: MiniSBD → normalizer.translation.sentences, no download):"
    )
    print(f"  {len(baseline_frags)} fragments in {t_argos:.2f}s = {argos_fps:.1f} fragments/s")

    # ---- 2. normalize_many, no cache -----------------------------------------------
    def run_pipeline(cfg) -> tuple[float, list, dict]:
        nz = Normalizer(cfg)
        t0 = time.perf_counter()
        recs = list(nz.normalize_many(docs))
        dt = time.perf_counter() - t0
        stats = dict(nz._translator.stats) if nz._translator is not None else {}
        nz.close()
        return dt, recs, stats

    # warm-up: load the model once outside the timing, as the baseline did
    Translator(Config(**base, use_cache=False)).translate([(info.from_code, fragments[0])])
    t_ours, recs, stats = run_pipeline(Config(**base, use_cache=False))
    ours_fps = len(fragments) / t_ours
    print("\nnormalize_many (whole pipeline, no cache):")
    print(
        f"  {len(fragments)} fragments in {t_ours:.2f}s = {ours_fps:.1f} fragments/s "
        f"({ours_fps / argos_fps:.1f}× argostranslate); "
        f"{stats.get('translated_sentences', 0)} sentences through the model"
    )

    # ---- 3. Translator only ----------------------------------------------------------
    tr = Translator(Config(**base, use_cache=False))
    tr.translate([(info.from_code, fragments[0])])
    t0 = time.perf_counter()
    ours_out = tr.translate([(info.from_code, f) for f in fragments])
    t_tr = time.perf_counter() - t0
    tr_fps = len(fragments) / t_tr
    print("Translator.translate only (no cache):")
    print(
        f"  {len(fragments)} fragments in {t_tr:.2f}s = {tr_fps:.1f} fragments/s "
        f"({tr_fps / argos_fps:.1f}× argostranslate)"
    )
    # Same unique-sentence workload without our within-batch deduplication:
    tr2 = Translator(Config(**base, use_cache=False))
    tr2.translate([(info.from_code, fragments[0])])
    engine = tr2._engine(info)
    all_sents = [s for f in fragments for s in split_sentences(f)]
    t0 = time.perf_counter()
    engine.translate(all_sents, args.beam_size, Config().max_batch_sentences)
    t_nodedup = time.perf_counter() - t0
    print(
        f"  batching alone (all {len(all_sents)} sentences, duplicates not removed): "
        f"{t_nodedup:.2f}s = {len(fragments) / t_nodedup:.1f} fragments/s "
        f"({len(fragments) / t_nodedup / argos_fps:.1f}× argostranslate)"
    )
    same = sum(a == b for a, b in zip(argos_out, ours_out))
    print(f"  identical output to argostranslate on {same}/{len(baseline_frags)} fragments")

    # ---- 4. cold vs warm cache ------------------------------------------------------
    cache_cfg = Config(**base, use_cache=True, cache_path=str(tmp / "cache.sqlite3"))
    t_cold, _, s_cold = run_pipeline(cache_cfg)
    t_warm, _, s_warm = run_pipeline(cache_cfg)
    print("\nnormalize_many with the SQLite cache:")
    print(
        f"  cold: {t_cold:.2f}s = {len(fragments) / t_cold:.1f} fragments/s "
        f"({s_cold.get('translated_sentences', 0)} sentences translated, "
        f"{s_cold.get('cache_hits', 0)} cache hits)"
    )
    print(
        f"  warm: {t_warm:.2f}s = {len(fragments) / t_warm:.1f} fragments/s "
        f"({s_warm.get('translated_sentences', 0)} sentences translated, "
        f"{s_warm.get('cache_hits', 0)} cache hits)"
    )
    print(f"\nnumbers are from one run on {os.cpu_count()} CPU cores")
    if args.keep_tmp:
        print(f"temporary files kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
