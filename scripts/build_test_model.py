#!/usr/bin/env python3
"""Build the tiny, real uk→en Argos Translate package used by the test suite.

What it produces
----------------
* ``tests/data/tatoeba-eng-ukr-200/`` – the first 200 English–Ukrainian pairs of
  the Tatoeba test set (``pairs.eng``, ``pairs.ukr``, line-aligned) and a
  ``LICENSE`` note.  Copied from ``../shared/data/tatoeba/eng-ukr`` if missing.
* ``tests/data/models/translate-uk_en-tiny.argosmodel`` (~1 MB) – a zip with one
  top-level folder ``translate-uk_en-tiny/`` holding ``metadata.json``, a shared
  SentencePiece vocabulary (``sentencepiece.model``) trained on the pairs and a
  CTranslate2 int8 model (``model/``) converted with CTranslate2's Transformers
  converter from a tiny Marian transformer (2 encoder + 2 decoder layers,
  d_model 128) trained on CPU until it reproduces the 200 pairs.

The model only knows those 200 sentences: it exists so the tests can exercise
the real translation path (SentencePiece → CTranslate2 → detokenize) offline.

How to run
----------
Training needs torch and transformers, which are development-only tools and never
runtime dependencies of ``normalizer``.  Use a separate virtual environment::

    python3 -m venv .venv-train
    .venv-train/bin/pip install torch==2.13.0 transformers sentencepiece ctranslate2
    .venv-train/bin/python scripts/build_test_model.py          # a few minutes on 2 cores

Options: ``--out PATH`` (default above), ``--keep-workdir DIR`` to keep the
intermediate Hugging Face model.  Everything is seeded and single-threaded and
the zip has sorted entries with fixed timestamps, so re-running on the same
machine and library versions yields the same bytes (the SHA-256 is printed).

Known trap handled here: CTranslate2 starts the Marian decoder from an all-zero
embedding, whereas Transformers embeds ``decoder_start_token_id`` (= ``<pad>``).
The ``<pad>`` embedding row is therefore zeroed after every optimizer step so both
agree.  A second trap is specific to memorising models: their second-best beam
hypotheses are confident garbage that ends early, and CTranslate2's beam search
stops once ``beam_size`` hypotheses have finished, before the (longer) memorised
one does.  Training therefore replaces 20 % of the decoder input tokens at random
(the model learns to get back on track instead of stopping).  The script finally
checks with ``ctranslate2`` directly that the packaged int8 model translates every
memorised Ukrainian sentence into its English pair with greedy decoding and with
beam sizes 2 and 4 (length penalty 0.2 and 1.0), and writes nothing otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAIRS_DIR = ROOT / "tests" / "data" / "tatoeba-eng-ukr-200"
DEFAULT_OUT = ROOT / "tests" / "data" / "models" / "translate-uk_en-tiny.argosmodel"
SHARED_SOURCE = ROOT.parent / "shared" / "data" / "tatoeba" / "eng-ukr" / "tatoeba-test-v2021-08-07"
N_PAIRS = 200
PACKAGE_NAME = "translate-uk_en-tiny"
SEED = 1234
VOCAB_SIZE = 1000
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
NOISE = 0.2  # share of decoder input tokens replaced at random during training

LICENSE_TEXT = """\
First 200 sentence pairs of the Tatoeba test set v2021-08-07 (eng-ukr), as
published in Helsinki-NLP/OPUS-MT-testsets.

Licence: CC BY 2.0 FR (https://creativecommons.org/licenses/by/2.0/fr/)
Attribution: Tatoeba, tatoeba.org

Files: pairs.eng and pairs.ukr are line-aligned (line N of one translates line N
of the other). Used to train the tiny test model built by
scripts/build_test_model.py, and as expected outputs in the tests.
"""

METADATA = {
    "package_version": "0.1",
    "argos_version": "1.9",
    "from_code": "uk",
    "from_name": "Ukrainian",
    "to_code": "en",
    "to_name": "English",
    "type": "translate",
    "links": [],
}

PACKAGE_README = """\
# translate-uk_en-tiny

A deliberately tiny Ukrainian→English model for tests only. It memorised the
first 200 pairs of the Tatoeba eng-ukr test set (CC BY 2.0 FR, Tatoeba,
tatoeba.org) and translates nothing else sensibly. Built by
scripts/build_test_model.py of the normalizer project.
"""


def log(*args: object) -> None:
    print(*args, flush=True)


# --------------------------------------------------------------------------- data


def ensure_pairs() -> tuple[list[str], list[str]]:
    PAIRS_DIR.mkdir(parents=True, exist_ok=True)
    eng_path, ukr_path = PAIRS_DIR / "pairs.eng", PAIRS_DIR / "pairs.ukr"
    if not (eng_path.exists() and ukr_path.exists()):
        src_eng = SHARED_SOURCE.with_suffix(".eng").read_text(encoding="utf-8").splitlines()
        src_ukr = SHARED_SOURCE.with_suffix(".ukr").read_text(encoding="utf-8").splitlines()
        eng_path.write_text("\n".join(src_eng[:N_PAIRS]) + "\n", encoding="utf-8")
        ukr_path.write_text("\n".join(src_ukr[:N_PAIRS]) + "\n", encoding="utf-8")
        (PAIRS_DIR / "LICENSE").write_text(LICENSE_TEXT, encoding="utf-8")
        log(f"copied {N_PAIRS} pairs into {PAIRS_DIR}")
    eng = eng_path.read_text(encoding="utf-8").splitlines()
    ukr = ukr_path.read_text(encoding="utf-8").splitlines()
    assert len(eng) == len(ukr) == N_PAIRS, (len(eng), len(ukr))
    return ukr, eng


# -------------------------------------------------------------------- tokenizer


def train_sentencepiece(texts: list[str]) -> bytes:
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(texts),
        model_writer=buf,
        vocab_size=VOCAB_SIZE,
        model_type="unigram",
        character_coverage=1.0,
        # Marian layout: </s>=0, <unk>=1, no <s>; <pad> is appended after the
        # pieces for Transformers and dropped again by the CTranslate2 converter.
        eos_id=0,
        unk_id=1,
        bos_id=-1,
        pad_id=-1,
        num_threads=1,
        shuffle_input_sentence=False,
        hard_vocab_limit=False,
        minloglevel=2,
    )
    return buf.getvalue()


# ------------------------------------------------------------------------ model


def train_model(sp, ukr: list[str], eng: list[str], workdir: Path, sp_bytes: bytes):
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    torch.manual_seed(SEED)
    random.seed(SEED)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    n_pieces = sp.get_piece_size()
    pad_id = n_pieces  # appended last, Marian style
    eos_id = 0
    config = MarianConfig(
        vocab_size=n_pieces + 1,
        decoder_vocab_size=n_pieces + 1,
        d_model=128,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=256,
        decoder_ffn_dim=256,
        max_position_embeddings=256,
        activation_function="swish",
        dropout=0.0,
        attention_dropout=0.0,
        activation_dropout=0.0,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
        pad_token_id=pad_id,
        eos_token_id=eos_id,
        decoder_start_token_id=pad_id,
        forced_eos_token_id=eos_id,
        bos_token_id=None,
    )
    model = MarianMTModel(config)

    def zero_pad_rows() -> None:
        with torch.no_grad():
            seen = set()
            for emb in (
                model.get_input_embeddings(),
                model.model.encoder.embed_tokens,
                model.model.decoder.embed_tokens,
                model.lm_head,
            ):
                if id(emb.weight) not in seen:
                    seen.add(id(emb.weight))
                    emb.weight[pad_id].zero_()

    zero_pad_rows()

    src = [sp.encode(s) + [eos_id] for s in ukr]
    tgt = [sp.encode(s) + [eos_id] for s in eng]
    log(
        f"vocab {n_pieces}+<pad>, params {sum(p.numel() for p in model.parameters()):,}, "
        f"max src len {max(map(len, src))}, max tgt len {max(map(len, tgt))}"
    )

    def batchify(idx: list[int]):
        ms = max(len(src[i]) for i in idx)
        mt = max(len(tgt[i]) for i in idx)
        input_ids = torch.full((len(idx), ms), pad_id, dtype=torch.long)
        attn = torch.zeros((len(idx), ms), dtype=torch.long)
        labels = torch.full((len(idx), mt), -100, dtype=torch.long)
        for row, i in enumerate(idx):
            input_ids[row, : len(src[i])] = torch.tensor(src[i])
            attn[row, : len(src[i])] = 1
            labels[row, : len(tgt[i])] = torch.tensor(tgt[i])
        return input_ids, attn, labels

    optim = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.0, betas=(0.9, 0.98))
    batch_size = 25
    max_epochs = 500
    warmup = 50
    step = 0
    perfect_epochs = 0
    rng = random.Random(SEED)
    gen = torch.Generator().manual_seed(SEED)
    order = list(range(len(src)))
    model.train()
    t0 = time.time()
    for epoch in range(1, max_epochs + 1):
        rng.shuffle(order)
        total_loss, wrong, tokens = 0.0, 0, 0
        for b in range(0, len(order), batch_size):
            input_ids, attn, labels = batchify(order[b : b + batch_size])
            # Decoder inputs = labels shifted right, with a few tokens replaced at
            # random: the model learns to get back on track after a wrong token
            # instead of ending early, which keeps beam search (whose finished
            # hypotheses can stop the search) on the memorised translation.
            dec_in = torch.full_like(labels, pad_id)
            dec_in[:, 1:] = labels[:, :-1].masked_fill(labels[:, :-1] == -100, pad_id)
            noise = (torch.rand(dec_in.shape, generator=gen) < NOISE) & (dec_in != pad_id)
            rand_tok = torch.randint(2, n_pieces, dec_in.shape, generator=gen)
            dec_in = torch.where(noise, rand_tok, dec_in)
            step += 1
            # Linear warm-up, then exponential decay per epoch: memorising needs a
            # small final learning rate.
            lr = max(5e-5, 3e-3 * min(1.0, step / warmup) * 0.985**epoch)
            for group in optim.param_groups:
                group["lr"] = lr
            out = model(
                input_ids=input_ids, attention_mask=attn, decoder_input_ids=dec_in, labels=labels
            )
            optim.zero_grad(set_to_none=True)
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optim.step()
            zero_pad_rows()
        # Clean teacher-forced pass over all pairs: loss and wrong argmax tokens.
        model.eval()
        with torch.no_grad():
            for b in range(0, len(src), 100):
                input_ids, attn, labels = batchify(list(range(b, min(b + 100, len(src)))))
                out = model(input_ids=input_ids, attention_mask=attn, labels=labels)
                mask = labels != -100
                pred = out.logits.argmax(-1)
                wrong += int(((pred != labels) & mask).sum())
                tokens += int(mask.sum())
                total_loss += out.loss.item() * int(mask.sum())
        model.train()
        mean_loss = total_loss / tokens
        if epoch % 10 == 0 or wrong == 0:
            log(
                f"epoch {epoch:3d} loss {mean_loss:.4f} wrong tokens {wrong}/{tokens} ({time.time() - t0:.0f}s)"
            )
        perfect_epochs = perfect_epochs + 1 if (wrong == 0 and mean_loss < 0.02) else 0
        # A margin of extra epochs after the last error keeps int8 quantisation from
        # flipping any argmax.
        if perfect_epochs >= 30:
            break
    else:
        raise SystemExit("training did not converge; raise max_epochs")

    model.eval()
    hf_dir = workdir / "hf"
    model.save_pretrained(hf_dir)
    spm_path = workdir / "sentencepiece.model"
    spm_path.write_bytes(sp_bytes)
    vocab = {sp.id_to_piece(i): i for i in range(n_pieces)}
    vocab["<pad>"] = pad_id
    vocab_path = workdir / "vocab.json"
    vocab_path.write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tok = MarianTokenizer(
        source_spm=str(spm_path),
        target_spm=str(spm_path),
        vocab=str(vocab_path),
        unk_token="<unk>",
        eos_token="</s>",
        pad_token="<pad>",
    )
    tok.save_pretrained(hf_dir)
    return hf_dir


def convert(hf_dir: Path, out_dir: Path) -> None:
    import ctranslate2

    converter = ctranslate2.converters.TransformersConverter(str(hf_dir))
    converter.convert(str(out_dir), quantization="int8", force=True)


# ----------------------------------------------------------------------- verify


def verify(package_dir: Path, ukr: list[str], eng: list[str]) -> int:
    import ctranslate2
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(package_dir / "sentencepiece.model"))
    translator = ctranslate2.Translator(
        str(package_dir / "model"), device="cpu", compute_type="int8", intra_threads=1
    )
    tokens = [sp.encode(s, out_type=str) for s in ukr]
    bad = 0
    for beam, length_penalty in ((1, 1.0), (2, 0.2), (2, 1.0), (4, 0.2), (4, 1.0)):
        results = translator.translate_batch(
            tokens, beam_size=beam, max_batch_size=64, length_penalty=length_penalty
        )
        outs = [sp.decode(r.hypotheses[0]) for r in results]
        mism = [(u, e, o) for u, e, o in zip(ukr, eng, outs) if o != e]
        log(
            f"ctranslate2 beam={beam} length_penalty={length_penalty}: "
            f"{len(ukr) - len(mism)}/{len(ukr)} memorised pairs reproduced"
        )
        for u, e, o in mism[:10]:
            log(f"  MISMATCH {u!r} -> {o!r} (expected {e!r})")
        bad += len(mism)
    return bad


# -------------------------------------------------------------------------- zip


def write_zip(package_dir: Path, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in package_dir.rglob("*") if p.is_file())
    tmp = out.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w") as zf:
        for path in files:
            arcname = f"{PACKAGE_NAME}/{path.relative_to(package_dir).as_posix()}"
            info = zipfile.ZipInfo(arcname, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            zf.writestr(info, path.read_bytes(), compresslevel=9)
    os.replace(tmp, out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--keep-workdir", type=Path, default=None)
    args = ap.parse_args(argv)

    import sentencepiece as spm

    ukr, eng = ensure_pairs()
    sp_bytes = train_sentencepiece(ukr + eng)
    sp = spm.SentencePieceProcessor(model_proto=sp_bytes)

    with tempfile.TemporaryDirectory(prefix="build-test-model-") as tmp:
        workdir = Path(tmp)
        hf_dir = train_model(sp, ukr, eng, workdir, sp_bytes)
        package_dir = workdir / PACKAGE_NAME
        package_dir.mkdir()
        convert(hf_dir, package_dir / "model")
        (package_dir / "sentencepiece.model").write_bytes(sp_bytes)
        (package_dir / "metadata.json").write_text(
            json.dumps(METADATA, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        (package_dir / "README.md").write_text(PACKAGE_README, encoding="utf-8")
        bad = verify(package_dir, ukr, eng)
        if args.keep_workdir:
            shutil.copytree(workdir, args.keep_workdir, dirs_exist_ok=True)
        if bad:
            log(f"{bad} mismatches: not writing {args.out}")
            return 1
        write_zip(package_dir, args.out)
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    log(f"wrote {args.out} ({args.out.stat().st_size:,} bytes) sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
