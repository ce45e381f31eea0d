"""Translation: sentence splitting, the SQLite cache, and the Translator on the tiny
real model (tests/data/models/translate-uk_en-tiny.argosmodel, built by
scripts/build_test_model.py from the first 200 Tatoeba eng-ukr pairs)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalizer.config import Config
from normalizer.translation import models
from normalizer.translation.cache import TranslationCache
from normalizer.translation.sentences import split_lines, split_sentences
from normalizer.translation.translate import Translator

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
TINY = DATA / "models" / "translate-uk_en-tiny.argosmodel"
PAIRS = DATA / "tatoeba-eng-ukr-200"

UKR = (PAIRS / "pairs.ukr").read_text("utf-8").splitlines()
ENG = (PAIRS / "pairs.eng").read_text("utf-8").splitlines()
# Pairs that are one sentence on the Ukrainian side: the model memorised them whole,
# so they survive sentence splitting unchanged.
SINGLE = [(u, e) for u, e in zip(UKR, ENG) if split_sentences(u) == [u]]


# ------------------------------------------------------------ sentences


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Президент В. Зеленський заявив: «Ми переможемо!» Це сталося 24.02.2022 у Києві. Далі буде...",
            [
                "Президент В. Зеленський заявив: «Ми переможемо!»",
                "Це сталося 24.02.2022 у Києві.",
                "Далі буде...",
            ],
        ),
        (
            '"Кіт?" — спитав старий. — Так, — відповів хлопчик. Ціна зросла на 3.5%. Наступного дня…',
            [
                '"Кіт?" — спитав старий.',
                "— Так, — відповів хлопчик.",
                "Ціна зросла на 3.5%.",
                "Наступного дня…",
            ],
        ),
        (
            'Mr. Smith went to Washington on Jan. 5. He met J. R. R. Tolkien! Was it real? "Yes." '
            "It was 5 p.m. Then he left.",
            [
                "Mr. Smith went to Washington on Jan. 5.",
                "He met J. R. R. Tolkien!",
                "Was it real?",
                '"Yes."',
                "It was 5 p.m.",
                "Then he left.",
            ],
        ),
        ("1. Вступ до теми. 2. Основна частина.", ["1. Вступ до теми.", "2. Основна частина."]),
        (
            "Акція на вул. Хрещатик у м. Київ зібрала бл. 200 осіб, серед них проф. Іваненко та ін. "
            "Вони пішли.",
            [
                "Акція на вул. Хрещатик у м. Київ зібрала бл. 200 осіб, серед них проф. Іваненко та ін.",
                "Вони пішли.",
            ],
        ),
        (
            "Він народився у 1814 р. в селі Моринці. Вірш «Заповіт» написав Т. Г. Шевченко.",
            ["Він народився у 1814 р. в селі Моринці.", "Вірш «Заповіт» написав Т. Г. Шевченко."],
        ),
        ("Wait… what? Really?! Yes. OK", ["Wait… what?", "Really?!", "Yes.", "OK"]),
        (
            "Усі собаки - тварини. Але це не значить, що усі тварини - собаки.",
            ["Усі собаки - тварини.", "Але це не значить, що усі тварини - собаки."],
        ),
        (
            "Ціна — 1.5 млн грн. (див. додаток). Курс 41,5 грн/дол. Сайт example.com працює.",
            [
                "Ціна — 1.5 млн грн. (див. додаток).",
                "Курс 41,5 грн/дол.",
                "Сайт example.com працює.",
            ],
        ),
        (
            "Він сказав: «Прийду завтра». Але не прийшов.",
            ["Він сказав: «Прийду завтра».", "Але не прийшов."],
        ),
        ("", []),
        ("   ", []),
    ],
)
def test_split_sentences(text, expected):
    assert split_sentences(text) == expected


def test_split_tatoeba_pairs():
    anna = next(u for u in UKR if u.startswith("Анна повернулася"))
    assert split_sentences(anna) == [
        "Анна повернулася обличчям до стіни й почала рахувати: \"Раз, два, три, чотири, п'ять, "
        "шість, сім, вісім, дев'ять десять.",
        'Я йду шукати!"',
        "І вона пішла шукати своїх друзів, які за цей час сховалися.",
    ]
    # Most Tatoeba lines are one sentence; none is lost or altered by splitting.
    assert len(SINGLE) > 180
    for u in UKR + ENG:
        assert " ".join(split_sentences(u)) == u.strip()


def test_split_lines_keeps_layout():
    text = "Перший рядок. Друге речення.\n\nТретій рядок"
    assert split_lines(text) == [["Перший рядок.", "Друге речення."], [], ["Третій рядок"]]


def test_long_sentence_is_cut():
    text = "слово, " * 200 + "кінець"
    parts = split_sentences(text)
    assert len(parts) > 1 and all(len(p) <= 400 for p in parts)
    assert re.sub(r"\s+", " ", " ".join(parts)) == re.sub(r"\s+", " ", text.strip())


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("абвгґдеєжзиіїйАБВІЇЄҐabcXYZ .,!?…«»\"'—-()0123456789\n")),
        max_size=300,
    )
)
def test_split_preserves_text(text):
    parts = split_sentences(text)
    assert all(p == p.strip() and p for p in parts)
    assert " ".join(parts).split() == text.split()


# ---------------------------------------------------------------- cache


def test_cache_persists(tmp_path):
    path = tmp_path / "c" / "cache.sqlite3"
    with TranslationCache(path) as cache:
        assert cache.get_many("m@1", ["Привіт."]) == {}
        cache.put_many("m@1", [("Привіт.", "Hello."), ("Так.", "Yes.")])
        cache.put_many("m@1", [("Привіт.", "IGNORED")])  # first one wins
    with TranslationCache(path) as cache:
        assert cache.get_many("m@1", ["Привіт.", "Так.", "Ні."]) == {
            "Привіт.": "Hello.",
            "Так.": "Yes.",
        }
        assert cache.get_many("m@2", ["Привіт."]) == {}  # keyed by model
        assert len(cache) == 2
        mode = cache._connect().execute("PRAGMA journal_mode").fetchone()[0]
        assert mode.lower() == "wal"


def test_cache_many_keys(tmp_path):
    with TranslationCache(tmp_path / "c.sqlite3") as cache:
        pairs = [(f"речення {i}", f"sentence {i}") for i in range(2000)]
        cache.put_many("m", pairs)
        got = cache.get_many("m", [s for s, _ in pairs] + ["інше"])
        assert got == dict(pairs)


def test_cache_concurrent_processes(tmp_path):
    """Several processes write and read the same cache file at once."""
    path = tmp_path / "shared.sqlite3"
    script = textwrap.dedent("""
        import sys
        from normalizer.translation.cache import TranslationCache
        path, worker = sys.argv[1], int(sys.argv[2])
        cache = TranslationCache(path)
        for rnd in range(20):
            pairs = [(f"s{i}", f"t{i}") for i in range(rnd * 20, rnd * 20 + 40)]
            pairs += [(f"w{worker}-{rnd}-{j}", "x") for j in range(5)]
            cache.put_many("model", pairs)
            got = cache.get_many("model", [s for s, _ in pairs])
            assert got == dict(pairs), (worker, rnd)
        cache.close()
        print("ok")
    """)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(path), str(w)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(4)
    ]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0 and out.strip() == "ok", err
    with TranslationCache(path) as cache:
        assert len(cache) == 420 + 4 * 20 * 5


def test_cache_pickles_without_connection(tmp_path):
    import pickle

    cache = TranslationCache(tmp_path / "p.sqlite3")
    cache.put_many("m", [("a", "b")])
    clone = pickle.loads(pickle.dumps(cache))
    assert clone.get_many("m", ["a"]) == {"a": "b"}
    cache.close()
    clone.close()


# ------------------------------------------------------- tiny real model


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("models")
    models.install(TINY, d)
    return d


def make_translator(models_dir, tmp_path, **kw) -> Translator:
    cfg = Config(models_dir=str(models_dir), cache_path=str(tmp_path / "cache.sqlite3"), **kw)
    return Translator(cfg)


def test_model_for(installed, tmp_path):
    tr = make_translator(installed, tmp_path)
    info = tr.model_for("uk")
    assert info is not None and (info.id, info.from_code, info.to_code) == (
        "translate-uk_en-tiny",
        "uk",
        "en",
    )
    assert tr.model_for("ru") is None
    assert tr.model_for("") is None
    assert make_translator(installed, tmp_path, target_lang="de").model_for("uk") is None


def test_translator_reproduces_memorised_sentences(installed, tmp_path):
    tr = make_translator(installed, tmp_path)
    out = tr.translate([("uk", u) for u, _ in SINGLE])
    assert out == [e for _, e in SINGLE]
    assert tr.stats["translated_sentences"] == len(SINGLE)
    tr.close()


@pytest.mark.parametrize("beam", [1, 4])
def test_translator_beam_sizes(installed, tmp_path, beam):
    tr = make_translator(installed, tmp_path, beam_size=beam, use_cache=False)
    sample = SINGLE[::10]
    assert tr.translate([("uk", u) for u, _ in sample]) == [e for _, e in sample]


def test_multi_sentence_fragments_and_lines(installed, tmp_path):
    (u1, e1), (u2, e2), (u3, e3) = SINGLE[3], SINGLE[7], SINGLE[11]
    tr = make_translator(installed, tmp_path)
    out = tr.translate(
        [("uk", f"{u1} {u2}"), ("uk", f"{u1}\n{u3}"), ("uk", ""), ("uk", f"  {u2}  ")]
    )
    assert out == [f"{e1} {e2}", f"{e1}\n{e3}", "", e2]
    # u1 appears twice, u2 twice: each unique sentence goes through the model once
    assert tr.stats["translated_sentences"] == 3


def test_cache_warm_run_uses_no_model(installed, tmp_path):
    items = [("uk", u) for u, _ in SINGLE[:50]]
    cold = make_translator(installed, tmp_path)
    first = cold.translate(items)
    cold.close()
    assert cold.stats["translated_sentences"] == 50 and cold.stats["cache_hits"] == 0
    warm = make_translator(installed, tmp_path)
    assert warm.translate(items) == first
    assert warm.stats["translated_sentences"] == 0 and warm.stats["cache_hits"] == 50
    warm.close()


def test_no_cache_writes_nothing(installed, tmp_path):
    tr = make_translator(installed, tmp_path, use_cache=False)
    assert tr.translate([("uk", SINGLE[0][0])]) == [SINGLE[0][1]]
    tr.close()
    assert not (tmp_path / "cache.sqlite3").exists()


def test_unusable_cache_does_not_fail(installed, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cfg = Config(models_dir=str(installed), cache_path=str(blocker / "sub" / "cache.sqlite3"))
    tr = Translator(cfg)
    assert tr.translate([("uk", SINGLE[0][0])]) == [SINGLE[0][1]]


def test_model_missing_gives_none(installed, tmp_path):
    u, e = SINGLE[0]
    tr = make_translator(installed, tmp_path)
    out = tr.translate([("ru", "Привет, как дела?"), ("uk", u), ("bg", "Здравей."), ("en", "Hi.")])
    assert out == [None, e, None, "Hi."]
    assert tr.stats["fragments_no_model"] == 2


def test_broken_model_does_not_raise(tmp_path):
    d = tmp_path / "models"
    info = models.install(TINY, d)
    model_bin = info.path / "model" / "model.bin"
    model_bin.write_bytes(model_bin.read_bytes()[:1000])  # damaged after install
    tr = make_translator(d, tmp_path)
    assert tr.model_for("uk") is not None
    assert tr.translate([("uk", SINGLE[0][0])]) == [None]


def test_no_downloading_code_is_loaded(installed, tmp_path):
    """Argos Translate's sentence splitter (MiniSBD, downloads an ONNX model) and
    its translate module are never imported on our path."""
    script = textwrap.dedent(f"""
        import sys
        from normalizer.config import Config
        from normalizer.translation.translate import Translator
        tr = Translator(Config(models_dir={str(installed)!r}, use_cache=False))
        print(tr.translate([("uk", {SINGLE[0][0]!r})])[0])
        bad = [m for m in ("minisbd", "argostranslate.sbd", "argostranslate.translate",
                           "stanza", "spacy", "urllib3", "requests") if m in sys.modules]
        assert "argostranslate.package" in sys.modules
        print("loaded:", bad)
    """)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [SINGLE[0][1], "loaded: []"]


def test_empty_models_dir(tmp_path):
    tr = make_translator(tmp_path / "nothing", tmp_path)
    assert tr.model_for("uk") is None
    assert tr.translate([("uk", "Привіт.")]) == [None]
    assert tr.translate([]) == []


def test_lazy_loading(installed, tmp_path):
    tr = make_translator(installed, tmp_path)
    assert tr._engines == {} and tr._cache is None
    tr.model_for("uk")
    assert tr._engines == {}
    tr.translate([("ru", "Привет")])
    assert tr._engines == {}


# ------------------------------------------------------------- end to end


def _pipeline_available() -> bool:
    try:
        from normalizer import Config as _C  # noqa: F401
    except Exception:
        return False
    return True


@pytest.mark.skipif(not _pipeline_available(), reason="pipeline not importable yet")
def test_normalize_end_to_end(installed, tmp_path):
    from normalizer import Config, normalize

    u, e = next((u, e) for u, e in SINGLE if len(u) > 40)
    cfg = Config(models_dir=str(installed), cache_path=str(tmp_path / "e2e.sqlite3"))
    record = normalize(u, config=cfg)
    assert record.text == e
    assert record.translation["status"] == "ok"
    assert record.translation["model"] == "translate-uk_en-tiny"
    assert record.translation["fragments"] == 1


@pytest.mark.skipif(not _pipeline_available(), reason="pipeline not importable yet")
def test_normalize_model_missing(tmp_path):
    from normalizer import Config, normalize

    cfg = Config(models_dir=str(tmp_path / "empty"), cache_path=str(tmp_path / "c.sqlite3"))
    text = SINGLE[5][0] + " " + SINGLE[6][0] + " " + SINGLE[8][0]
    record = normalize(text, config=cfg)
    assert record.translation["status"] == "model_missing"
    assert record.text == text
