"""Tests for normalizer.stages.langid on real text (Tatoeba held-out sentences in tests/data/langid/)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from normalizer.stages import langid
from normalizer.stages.langid import LanguageGuess, assign_languages, detect_language

DATA = Path(__file__).parent / "data" / "langid"
# same word definition as benchmarks/bench_langid.py: letters with inner apostrophes
WORD = re.compile(r"[^\W\d_]+(?:['\u2019\u02bc][^\W\d_]+)*")


def sentences(lang: str) -> list[str]:
    return [
        s
        for s in (DATA / f"tatoeba_{lang}.txt").read_text(encoding="utf-8").splitlines()
        if s.strip()
    ]


def accuracy(items: list[str], lang: str, languages=None) -> float:
    return sum(detect_language(x, languages).lang == lang for x in items) / len(items)


def share(items: list[str], lang: str) -> float:
    return sum(detect_language(x).lang == lang for x in items) / len(items)


def pairs(sents: list[str]) -> list[str]:
    out = []
    for s in sents:
        ws = WORD.findall(s)
        out += [f"{a} {b}" for a, b in zip(ws, ws[1:])]
    return out


def words(sents: list[str], min_letters: int = 4) -> list[str]:
    return [w for s in sents for w in WORD.findall(s) if sum(c.isalpha() for c in w) >= min_letters]


def plain_langdetect(text: str) -> str:
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    try:
        return detect(text)
    except LangDetectException:
        return "und"


# ----------------------------------------------------------------------------- accuracy


@pytest.mark.parametrize(
    "lang,minimum", [("uk", 0.99), ("ru", 0.94), ("be", 0.95), ("bg", 0.85), ("en", 0.85)]
)
def test_sentence_accuracy_on_heldout(lang, minimum):
    assert accuracy(sentences(lang), lang) >= minimum


def test_ukrainian_pairs_and_words_on_heldout():
    uk = sentences("uk")
    assert accuracy(pairs(uk), "uk") >= 0.97
    assert accuracy(words(uk), "uk") >= 0.90


def test_uk_ru_confusion_on_sentences_is_small():
    assert share(sentences("uk"), "ru") <= 0.005
    # the issue asks <= 0.5%; not reached (see benchmarks/bench_langid.py): Tatoeba holds many
    # one- and two-word Russian sentences that are also valid Ukrainian ("Круто!", "Не вставай.");
    # 4 of these 300 (1.3%) with the word frequency table and the in-domain counts, 2.5% allowed before them
    assert share(sentences("ru"), "uk") <= 0.02


def macedonian_words() -> list[str]:
    return [w for w in (DATA / "justext_mk_words.txt").read_text(encoding="utf-8").split() if w]


def test_macedonian_words_not_worse_than_plain_langdetect():
    ws = macedonian_words()
    assert len(ws) >= 200
    ours = accuracy(ws, "mk")
    theirs = sum(plain_langdetect(w) == "mk" for w in ws) / len(ws)
    assert ours >= theirs and ours >= 0.93  # 95.8% measured; plain langdetect 88.7%


def test_word_frequency_table_is_packaged_and_sane():
    from normalizer.stages import langtables

    langs, table = langtables._word_freqs()
    assert langs == ("uk", "ru", "bg", "mk")
    assert len(table) > 100_000
    uk, ru, bg, mk = range(4)
    assert table["що"][uk] > table["що"][ru] + 5  # log-probabilities, nats
    assert table["что"][ru] > table["что"][uk] + 3
    assert table["який"][uk] > max(table["який"][ru], table["який"][bg], table["який"][mk])
    assert table["многу"][mk] > max(table["многу"][uk], table["многу"][ru])
    assert all(v < 0 for v in table["на"])


def test_word_frequencies_carry_the_close_cyrillic_languages(monkeypatch):
    """Without the table (n-grams, word lists and priors only) Macedonian words, Bulgarian word
    pairs and Russian sentences lose: the table is what decides them."""
    from normalizer.stages import langtables

    mk, bg, ru = macedonian_words(), pairs(sentences("bg")), sentences("ru")
    with_table = (accuracy(mk, "mk"), accuracy(bg, "bg"), accuracy(ru, "ru"))
    langtables._word_freqs()
    langtables._tatoeba_words()
    monkeypatch.setitem(langtables._state, "wf", {})
    monkeypatch.setitem(langtables._state, "wf_langs", ())
    monkeypatch.setitem(langtables._state, "tw", {})
    without = (accuracy(mk, "mk"), accuracy(bg, "bg"), accuracy(ru, "ru"))
    assert with_table[0] >= without[0] + 0.2  # 95.8% vs 63.2%
    assert with_table[1] >= without[1] + 0.05  # 90.2% vs 79.0%
    assert with_table[2] > without[2]  # 98.7% vs 97.7%


def test_in_domain_word_table_is_packaged_and_sane():
    from normalizer.stages import langtables

    langs, table = langtables._tatoeba_words()
    assert langs == ("uk", "ru", "be", "bg")
    assert len(table) > 10_000
    uk, ru, be = range(3)
    assert table["що"][uk] > 10 * table["що"][ru]
    assert table["что"][ru] > 10 * table["что"][uk]
    assert table["што"][be] > 10 * max(table["што"][uk], table["што"][ru])  # wordfreq has no be
    assert all(0.0 < p < 0.1 for row in list(table.values())[:1000] for p in row)


def test_in_domain_counts_match_their_totals():
    """The packaged counts are what --build-data wrote: per language, the counts add up to the
    'tokens' line (every counted word kept), so the table is complete and reproducible."""
    import gzip

    from normalizer.stages import langtables

    text = gzip.decompress(
        (langtables._data_files() / langtables.TATOEBA_WORDS_FILE).read_bytes()
    ).decode("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    assert rows[0][0] == "langs" and rows[1][0] == "tokens"
    totals = [int(x) for x in rows[1][1:]]
    sums = [sum(int(r[i] or 0) for r in rows[2:]) for i in range(1, len(rows[0]))]
    assert sums == totals and min(totals) > 1000


def test_in_domain_counts_help_belarusian_and_ukrainian_pairs(monkeypatch):
    """The in-domain counts give Belarusian (absent from wordfreq) word evidence of its own and
    lift Ukrainian word pairs; without them (wordfreq + n-grams only) both lose."""
    from normalizer.stages import langtables

    be, uk = pairs(sentences("be")), pairs(sentences("uk"))
    with_counts = (accuracy(be, "be"), accuracy(uk, "uk"), accuracy(words(sentences("be")), "be"))
    langtables._tatoeba_words()
    monkeypatch.setitem(langtables._state, "tw", {})
    without = (accuracy(be, "be"), accuracy(uk, "uk"), accuracy(words(sentences("be")), "be"))
    assert with_counts[0] >= without[0] + 0.01  # 90.0% vs 87.6% measured
    assert with_counts[1] >= without[1] + 0.005  # 98.4% vs 97.2%
    assert with_counts[2] > without[2]  # 79.8% vs 77.0%


def test_in_domain_counts_neutralise_a_frequent_name():
    """ "Том" (Tom, in countless Tatoeba sentences of both languages) is far more frequent in
    Russian web text (tom = volume): wordfreq alone pulls every "Том ..." sentence to Russian.
    The in-domain counts, where Tom is a name in both, leave it close to neutral."""
    from normalizer.stages import langscorers, langtables

    langs, wf = langtables._word_freqs()
    wf_gap = wf["том"][langs.index("ru")] - wf["том"][langs.index("uk")]
    scores = langscorers._word_scores(["том"], ["uk", "ru"])
    gap = (
        scores["ru"] - scores["uk"]
    ) / langscorers.WORD_FREQ_WEIGHT  # includes a little n-gram evidence
    assert wf_gap > 2.5
    assert abs(gap) < 1.0
    assert detect_language("Том — наш новий вчитель.").lang == "uk"  # not in the Tatoeba data
    assert detect_language("Том не хочет идти.").lang == "ru"  # nor this


@pytest.mark.parametrize(
    "text,lang",
    [
        ("Она права.", "ru"),
        ("Он француз.", "ru"),
        ("Директор орал на своего работника.", "ru"),
        ("Сакам да јадам.", "mk"),
        ("Многу благодарам.", "mk"),
        ("сакам", "mk"),
    ],
)
def test_frequent_words_decide_short_sentences(text, lang):
    # each of these went to Macedonian (the Russian ones) or Belarusian ("сакам") on n-grams alone
    assert detect_language(text).lang == lang


@pytest.mark.parametrize(
    "setting,key,russian",
    [
        # without the in-domain counts a Russian sentence is still Russian; without the wordfreq
        # table, "Она права." is left to the n-grams and may go to any close language
        ("TATOEBA_WORDS_FILE", "tw", ("Директор орал на своего работника.", {"ru"})),
        ("WORD_FREQ_FILE", "wf", ("Она права.", {"ru", "mk", "uk", "bg", "be"})),
    ],
)
def test_missing_word_table_still_answers(monkeypatch, setting, key, russian):
    from normalizer.stages import langtables

    langtables._load()
    monkeypatch.setattr(langtables, setting, "no_such_file.tsv.gz")
    monkeypatch.setitem(langtables._state, key, None)
    monkeypatch.setitem(langtables._state, key + "_langs", None)
    assert detect_language("Я вчора зловив три рибини, і це було чудово.").lang == "uk"
    assert detect_language(russian[0]).lang in russian[1]
    assert langtables._state[key] == {}


def test_runtime_does_not_need_wordfreq():
    """wordfreq builds the packaged table (bench_langid.py --build-data); detection never imports it."""
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['wordfreq'] = None\n"  # any import of it would fail
        "from normalizer.stages.langid import detect_language\n"
        "assert detect_language('Она права.').lang == 'ru'\n"
        "assert detect_language('Ти знаєш, що це правда?').lang == 'uk'\n"
    )
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


def test_ukrainian_prior_only_for_one_or_two_words():
    from normalizer.stages import langscorers

    prior = langscorers.UK_PRIOR_NATS_BY_WORDS
    assert prior[0] >= prior[1] > 0.0 and prior[-1] == 0.0 and len(prior) == 3
    # an ambiguous single word leans Ukrainian ...
    assert detect_language("ласкаво").lang == "uk"
    # ... a Russian sentence of three or more words is judged on its evidence alone
    for text in ["Но я хочу машину.", "Моя машина припаркована вон там.", "Где ты был вчера?"]:
        assert detect_language(text).lang == "ru", text


def test_prior_removed_changes_answers_only_for_short_inputs(monkeypatch):
    from normalizer.stages import langscorers

    ru = sentences("ru")
    long_ru = [s for s in ru if len(WORD.findall(s)) >= 3][:150]
    before = [detect_language(s) for s in long_ru]
    monkeypatch.setattr(langscorers, "UK_PRIOR_NATS_BY_WORDS", (0.0, 0.0, 0.0))
    assert [detect_language(s) for s in long_ru] == before
    # while single words do move: the prior is what lifts Ukrainian single words
    # (98.1% -> 86.8% on these without it)
    ws = words(sentences("uk"))[::4]
    assert accuracy(ws, "uk") < 0.92


@pytest.mark.parametrize(
    "text,lang",
    [
        ("Це 223-1374?", "uk"),
        ("Вже 7.", "uk"),
        ("Нет.", "ru"),
        ("Где?", "ru"),
        ("Ні?", "uk"),
        ("Ні.", "uk"),
    ],
)
def test_lone_one_language_word_gets_weak_answer(text, lang):
    g = detect_language(text)
    assert g.lang == lang
    assert g.confidence < 0.6  # below CONTEXT_MIN_CONFIDENCE: the context may override it


@pytest.mark.parametrize("text", ["Гол!", "Ой!", "и", "Том", "Ало!"])
def test_short_words_in_both_languages_stay_und(text):
    assert detect_language(text).lang == "und"


def test_lone_marker_word_yields_to_context():
    out = assign_languages(
        [
            "Где?",
            "Я хочу справедливості, а він мені не вірить.",
            "Я вчора зловив три рибини, і це було чудово.",
        ]
    )
    assert out[0].lang == "uk" and out[0].method == "context"


@pytest.mark.parametrize("lang", ["ru", "bg", "en"])
def test_not_worse_than_plain_langdetect_on_sentences(lang):
    sents = sentences(lang)
    ours = accuracy(sents, lang)
    theirs = sum(plain_langdetect(s) == lang for s in sents) / len(sents)
    assert ours >= theirs


def test_beats_plain_langdetect_on_ukrainian_words():
    ws = words(sentences("uk"))[::3]
    ours = accuracy(ws, "uk")
    theirs = sum(plain_langdetect(w) == "uk" for w in ws) / len(ws)
    assert ours >= theirs + 0.2


# ----------------------------------------------------------------------------- letters and scripts


@pytest.mark.parametrize(
    "text", ["Їжак п'є воду.", "Ґанок був новий.", "Моя сім’я велика.", "Є хліб."]
)
def test_ukrainian_only_letters_decide(text):
    g = detect_language(text)
    assert (g.lang, g.method) == ("uk", "letters")
    assert g.confidence >= 0.9


@pytest.mark.parametrize(
    "text", ["Мы пьём чай и кофе.", "Это было вчера и сегодня.", "Съешь ещё этих булок."]
)
def test_russian_only_letters_decide(text):
    g = detect_language(text)
    assert (g.lang, g.method) == ("ru", "letters")


@pytest.mark.parametrize(
    "text", ["Ќе дојдам утре.", "Ѕвезда", "Ѓорѓи е тука.", "Јас сум тука.", "Њујорк е голем град."]
)
def test_macedonian_letters_decide(text):
    assert detect_language(text).lang == "mk"


def test_macedonian_without_its_letters_is_not_pulled_into_ukrainian():
    assert detect_language("Ова е многу добра").lang == "mk"
    assert detect_language("помали").lang == "mk"  # went to Ukrainian with a flat Ukrainian prior
    from normalizer.stages import langscorers

    # the Ukrainian prior works mostly against Russian, only partly against every language
    assert 0.0 < langscorers.UK_PRIOR_SHARE_VS_ALL < 1.0


def test_other_cyrillic_letters():
    assert detect_language("Ён ўзяў кнігу.").lang == "be"
    assert detect_language("Ова е добра книга и многу ќе ни помогне.").lang == "mk"
    assert detect_language("Това е хубава къща.").lang == "bg"


@pytest.mark.parametrize(
    "text,lang",
    [
        ("Γεια σου κόσμε, τι κάνεις;", "el"),
        ("こんにちは、世界。", "ja"),
        ("안녕하세요 세계", "ko"),
        ("שלום עולם", "he"),
    ],
)
def test_script_decides(text, lang):
    g = detect_language(text)
    assert (g.lang, g.method) == (lang, "script")


def test_english_function_words_skip_langdetect():
    g = detect_language("The report came as tensions between the US and Iran escalated.")
    assert (g.lang, g.method) == ("en", "function_words")


def test_dense_common_english_words_skip_langdetect(monkeypatch):
    from normalizer.stages import langid

    def boom(*a, **k):
        raise AssertionError("langdetect called")

    monkeypatch.setattr(langid, "_langdetect", boom)
    g = detect_language("… we have a small favor to ask.")
    assert (g.lang, g.method) == ("en", "function_words")


def test_langdetect_runs_fewer_trials(monkeypatch):
    from normalizer.stages import langscorers

    factory = langscorers._langdetect_factory()
    made = []
    orig = factory.create

    def create(*a, **k):
        det = orig(*a, **k)
        made.append(det)
        return det

    monkeypatch.setattr(factory, "create", create)
    assert detect_language("Wonderful sunny weekend").method == "langdetect"
    assert made and all(d.n_trial == langscorers.LANGDETECT_TRIALS < 7 for d in made)


@pytest.mark.parametrize(
    "text,lang",
    [
        ("Er war in Berlin und hat es gesehen.", "de"),
        ("We hebben het gisteren gezien.", "nl"),
        ("Jest to bardzo dobre.", "pl"),
    ],
)
def test_english_density_does_not_take_other_languages(text, lang):
    assert detect_language(text).lang == lang


# ----------------------------------------------------------------------------- abstaining / bad input


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t",
        "!!! ?? ...",
        "12 345,67 — 2024",
        "😀🎉👍",
        "https://example.com/a/b?c=1",
        "www.example.org",
        "user@example.com",
        "Том",
        "ok",
        "#",
        "\u200b\u200b",
    ],
)
def test_abstains_without_evidence(text):
    g = detect_language(text)
    assert g.lang == "und"
    assert g.confidence <= 0.2


@pytest.mark.parametrize("bad", [None, b"bytes", 42, "\ud800 lone surrogate", "\x00\x01\x02"])
def test_never_raises_on_bad_input(bad):
    g = detect_language(bad)  # type: ignore[arg-type]
    assert isinstance(g, LanguageGuess)
    assert 0.0 <= g.confidence <= 1.0


def test_one_megabyte_strings_answer():
    uk = ("Я вчора зловив три рибини, а мій брат — жодної. " * 30000)[: 1 << 20]
    assert detect_language(uk).lang == "uk"
    junk = ("1234567890 !?😀 " * 100000)[: 1 << 20]
    assert detect_language(junk).lang == "und"
    mixed = ("Hello world, this is English. Привіт, як справи? 12345 " * 20000)[: 1 << 20]
    assert detect_language(mixed).lang in {"en", "uk"}
    latin = "x" * (1 << 20)
    assert isinstance(detect_language(latin), LanguageGuess)
    # one long "word" of Cyrillic letters ending in a Latin one, inside the scanned 10,000
    # characters: the look-alike repair must stay linear (a first version matched mixed words
    # with one regex that backtracked cubically: 44 s for 2,000 letters, hours for this)
    one_word = "а" * 9000 + "q" + " " + "а" * 500 + "b" * 499
    assert isinstance(detect_language(one_word), LanguageGuess)


def test_confidence_in_range_and_codes_are_short():
    for lang in ["uk", "ru", "be", "bg", "en"]:
        for s in sentences(lang)[:60]:
            g = detect_language(s)
            assert 0.0 <= g.confidence <= 1.0
            assert g.lang == "und" or re.fullmatch(r"[a-z]{2}", g.lang)


# ----------------------------------------------------------------------------- restriction


def test_languages_restricts_candidates():
    allowed = ["uk", "en"]
    for lang in ["ru", "bg", "be", "uk", "en"]:
        for s in sentences(lang)[:40]:
            assert detect_language(s, allowed).lang in {"uk", "en", "und"}
    # an ambiguous Cyrillic word goes to the allowed language
    assert detect_language("мама", ["ru", "en"]).lang == "ru"
    assert detect_language("мама", ["uk", "en"]).lang == "uk"
    # Russian letters when only Ukrainian is allowed among Cyrillic languages: a weak answer
    g = detect_language("Это был хороший день, мы съели всё.", ["uk", "en"])
    assert g.lang == "uk" and g.confidence <= 0.3
    # Cyrillic text when only Latin-script languages are wanted: no answer rather than a wrong one
    assert detect_language("Я хочу справедливості.", ["en", "de"]).lang == "und"


def test_restriction_does_not_hurt_inside_the_set():
    uk, ru = sentences("uk"), sentences("ru")
    assert accuracy(uk, "uk", ["uk", "ru", "en"]) >= 0.99
    assert accuracy(ru, "ru", ["uk", "ru", "en"]) >= 0.94


# ----------------------------------------------------------------------------- context


def test_weak_fragments_take_their_neighbours_language():
    frags = [
        "Я хочу справедливості, а він мені не вірить.",
        "Том",
        "Ок",
        "2024",
        "Я вчора зловив три рибини, і це було чудово.",
    ]
    out = assign_languages(frags)
    assert [g.lang for g in out] == ["uk", "uk", "uk", "und", "uk"]
    assert out[1].method == out[2].method == "context"
    assert (
        out[1].confidence < out[0].confidence and out[1].confidence <= langid.CONTEXT_MAX_CONFIDENCE
    )
    assert out[3].method == "no_letters"
    # confident fragments keep their own answer
    assert out[0] == detect_language(frags[0])


def test_context_uses_document_language_when_neighbours_disagree():
    frags = [
        "The report came as tensions between the US and Iran escalated.",
        "The missiles were presented to the delegation by the Guard.",
        "Цей сайт використовує Cookies, щоб усе працювало.",
        "OK",
        "It was the first time that they had seen it.",
    ]
    out = assign_languages(frags)
    assert [g.lang for g in out] == ["en", "en", "uk", "en", "en"]
    assert out[3].method == "context"


def test_context_does_not_cross_scripts():
    frags = [
        "Я хочу справедливості, а він мені не вірить.",
        "OK",
        "Я вчора зловив три рибини, і це було чудово.",
    ]
    out = assign_languages(frags)
    assert out[1].lang != "uk" and out[1].method != "context"


def test_assign_languages_edge_cases():
    assert assign_languages([]) == []
    out = assign_languages(["Том", "ok"])
    assert len(out) == 2 and all(isinstance(g, LanguageGuess) for g in out)
    assert [g.lang for g in assign_languages(["", "!!!"])] == ["und", "und"]


# ----------------------------------------------------------------------------- determinism


def test_deterministic():
    items = sentences("en")[:80] + words(sentences("bg"))[:80] + pairs(sentences("ru"))[:80]
    first = [detect_language(x) for x in items]
    second = [detect_language(x) for x in reversed(items)][::-1]
    assert first == second


def test_soft_hyphens_do_not_cut_words():
    # Typeset pages put soft hyphens inside words ("Mag\xadda\xadle\xadner"); a detector that
    # saw "Mag", "da", "le", "ner" decided 98 of these 600 sentences differently.
    def hyphenated(s: str) -> str:
        return re.sub(r"(\w\w\w)(?=\w)", "\\1\xad", s)

    for lang in ("uk", "ru", "be", "bg"):
        for s in sentences(lang)[:150]:
            plain, soft = detect_language(s), detect_language(hyphenated(s))
            assert (soft.lang, soft.method) == (plain.lang, plain.method), s


def _stressed(s: str) -> str:
    # a stress mark (combining acute) after the first vowel of every word, as learner texts write
    return re.sub(r"\b(\w*?[аеиоуюяыэєії])", "\\1\u0301", s)


def test_stress_marks_do_not_cut_words():
    changed = 0
    for lang in ("uk", "ru"):
        for s in sentences(lang)[:150]:
            marked = _stressed(s)
            changed += marked != s
            assert detect_language(marked).lang == detect_language(s).lang, marked
    assert changed > 250


def test_grave_of_bulgarian_i_is_kept():
    # ѝ written as и + combining grave is spelling (Bulgarian "her"), not a stress mark
    assert (
        detect_language("Дадох ѝ книгата.").lang
        == detect_language("Дадох \u0438\u0300 книгата.").lang
    )


# Latin letters typed for their Cyrillic look-alikes (wrong keyboard layout, filter dodging)
_LOOKALIKE = str.maketrans("аеіорсхуАВЕІКМНОРСТХ", "aeiopcxyABEIKMHOPCTX")


def test_latin_lookalikes_inside_cyrillic_words_read_as_cyrillic():
    n = 0
    for lang in ("uk", "ru"):
        for s in sentences(lang)[:150]:
            words_ = s.split()
            if len(words_) < 2:
                continue
            # one Latin look-alike in every other word: "Лiтак приземлиться", "Я люблю вaс"
            mixed = " ".join(
                w
                if i % 2
                else re.sub(
                    r"(?<=\w)([аеіорсху])", lambda m: m.group(1).translate(_LOOKALIKE), w, count=1
                )
                for i, w in enumerate(words_)
            )
            n += mixed != s
            assert detect_language(mixed).lang == detect_language(s).lang, mixed
    assert n > 150
    assert detect_language("Лiтак приземлиться о 19:00.").lang == "uk"  # Latin i for і


def test_latin_words_are_not_rewritten():
    # a Latin word with letters that have no Cyrillic look-alike is a real Latin word
    assert detect_language("Windows").lang != "uk"
    assert detect_language("I use Windows and Linux every day at work.").lang == "en"


@pytest.mark.parametrize("text", ['Пароль - "Muiriel".', "Київ Kyiv", "Telegram канал"])
def test_equal_cyrillic_and_latin_words_count_as_cyrillic(text):
    # Latin names and brands sit inside Cyrillic text; a tie in words is not a Latin language
    assert detect_language(text).lang in {"uk", "ru", "und"}
