"""Golden tests on the user's five scraped samples.

Expectations were written by reading the samples, not by copying program output: the
title, every removed fragment with its reason, and the first and last body paragraph.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from normalizer import Config, Normalizer

ROOT = Path(__file__).resolve().parent.parent

MT_APPEAL = [
    "… we have a small favor to ask.",
    "As you may have heard, The Moscow Times, an independent news source for over 30 years, has been "
    'unjustly branded as a "foreign agent" by the Russian government. This blatant attempt to silence our '
    "voice is a direct assault on the integrity of journalism and the values we hold dear.",
    "We, the journalists of The Moscow Times, refuse to be silenced. Our commitment to providing accurate "
    "and unbiased reporting on Russia remains unshaken. But we need your help to continue our critical mission.",
    "Your support, no matter how small, makes a world of difference. If you can, please support us monthly "
    "starting from just 2. It's quick to set up, and you can be confident that you're making a significant "
    "impact every month by supporting open, independent journalism. Thank you.",
]

EXPECTED = {
    "000": {
        "title": "Moscow Denies Its Selling S-400 Missiles To Iran",
        "removed": [
            ("By", "byline_stub"),
            ("Original source", "source_credit"),
            ("Al Bawaba News", "source_credit"),
            (
                "Al Bawaba provides top stories and breaking news about the Middle East and the world. "
                "The Al Bawaba network consists of several web portals and media platforms.",
                "source_credit",
            ),
            ("Leave a Reply", "comment_form"),
            (
                "Your email address will not be published. Required fields are marked *",
                "comment_form",
            ),
        ],
        "first": "Russia says it has received no request from Iran for its S-400 missile defense systems, "
        "rejecting a recent report that Moscow had turned down Tehran’s demand amid rising tensions "
        "in the region.",
        "last": "The two countries have also helped Syrian President Bashar al-Assad recapture most of the Arab "
        "country from the control of terrorists and militant groups which are backed by the US and its allies.",
    },
    "001": {
        "title": "Russia Could Supply Iran With S-300 Air Defense System",
        "removed": [("Support The Moscow Times!", "donation_appeal")]
        + [(p, "donation_appeal") for p in MT_APPEAL]
        + [("Continue", "read_more"), ("Read more", "read_more")],
        "first": "Russia might deliver a long-overdue S-300 air defense missile system to Iran, honoring a "
        "contract that was canceled in 2010 following strong pressure from the West, Iranian and "
        "Russian media said on Tuesday.",
        "last": "Material from The Moscow Times was included in this report.",
    },
    "002": {
        "title": None,
        "removed": [("Читати більше", "read_more")] * 6
        + [("Цей сайт використовує Cookies.", "cookie_notice")],
        "first": "Citing US government sources, the outlet says they are concerned that Russian negotiations "
        "to acquire short-range ballistic missiles from Iran are moving forward.",
        "last": 'At the end of November, Iran announced the "finalization" of an agreement with Russia on the '
        "supply of Su-35 fighter jets, as well as Mi-28 attack helicopters and Yak-130 trainer aircraft "
        "made in Russia.",
    },
    "003": {
        "title": "Kremlin Says Pressing on With Turkey Missile Sale Despite U.S. Deal",
        "removed": [
            ("Support The Moscow Times!", "donation_appeal"),
            ("militaryrussia.ru", "photo_credit"),
        ]
        + [(p, "donation_appeal") for p in MT_APPEAL]
        + [("Continue", "read_more"), ("Read more", "read_more")],
        "first": "The Kremlin said on Wednesday it was pressing ahead with the sale of advanced Russian S-400 "
        "missile defense systems to Turkey despite the U.S. State Department approving the sale of a "
        "rival U.S. missile defense system to Ankara.",
        "last": "He said that Russia trusted Turkey not to disclose secrets about the S-400 system to its NATO partners.",
    },
    "004": {
        "title": None,
        "removed": [],
        "first": "Washington believes that Moscow can supply Tehran with modern Russian fighters and drones. "
        "This was stated on February 18 by US Secretary of State Anthony Blinken in an interview CBS.",
        "last": "The Washington Post also reported on October 16 that Iran would allegedly supply Russia with a "
        "shipment of weapons, which would include surface-to-ground ballistic missiles and a shipment of "
        "drones. According to the American media, the party should include dozens of Mohajer-6 and "
        "Shahed-136 devices, which are called kamikaze drones. Such UAVs are capable of hitting targets "
        "at a distance of over 2,000 km.",
    },
}

# The six Ukrainian related-article teasers of sample 002, as they start.
TEASER_STARTS = [
    "У День пам’яті",
    "У ніч на 24 листопада",
    "У Кривому Розі",
    "У неділю, 24 листопада",
    "Протягом минулої доби",
    "Учасники Кліматичного саміту",
]


@pytest.fixture(scope="module")
def records(samples, tmp_path_factory):
    models = tmp_path_factory.mktemp("no-models")
    config = Config(models_dir=str(models), use_cache=False)
    with Normalizer(config) as n:
        recs = list(
            n.normalize_many(
                [{"text": t, "id": k, "source": f"samples/{k}"} for k, t in samples.items()]
            )
        )
    return {r.id: r for r in recs}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_golden(records, samples, key):
    rec, exp, text = records[key], EXPECTED[key], samples[key]
    assert rec.status == "ok"
    assert rec.title == exp["title"]
    assert [(r.text, r.reason) for r in rec.removed] == exp["removed"]
    # fragments are exact slices of the input (the samples contain no-break spaces); compare words
    body = [" ".join(f.text.split()) for f in rec.fragments if f.role == "body"]
    assert body[0] == exp["first"]
    assert body[-1] == exp["last"]
    for r in rec.removed:
        assert text[r.start : r.end] == r.text
        assert r.text not in rec.text
    for f in rec.fragments + rec.related:
        assert text[f.start : f.end] == f.text


def test_sample_004_keeps_everything(records, samples):
    lines = [" ".join(ln.split()) for ln in samples["004"].splitlines() if ln.strip()]
    assert records["004"].original_text == "\n\n".join(lines)
    assert records["004"].text == records["004"].original_text


def test_sample_002_teasers_are_related_ukrainian(records):
    rec = records["002"]
    assert [f.text[: len(s)] for f, s in zip(rec.related, TEASER_STARTS)] == TEASER_STARTS
    assert len(rec.related) == 6
    for f in rec.related:
        assert f.lang == "uk" and f.role == "related"
        assert "Читати" not in f.text and f.text.endswith("…")
        assert f.text not in rec.text
    assert [f.text for f in rec.fragments if f.role == "heading"] == [
        "Shoigu's visit to Iran",
        "Russia-Iran relations",
    ]
    assert rec.language == "en"


def test_model_missing_is_reported_not_raised(records):
    rec = records["002"]
    assert rec.translation["status"] == "model_missing"
    assert all(f.translation is None for f in rec.related)
    assert records["000"].translation["status"] == "not_needed"


def test_records_validate_against_schema(records):
    schema = json.loads(
        (resources.files("normalizer") / "schema" / "record.schema.json").read_text("utf-8")
    )
    for rec in records.values():
        jsonschema.validate(json.loads(json.dumps(rec.to_dict())), schema)


def _cli(*args, env_dir: Path) -> subprocess.CompletedProcess:
    import os

    env = {**os.environ, "NORMALIZER_MODELS_DIR": str(env_dir)}
    return subprocess.run(
        [sys.executable, "-m", "normalizer", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )


def test_cli_run_on_samples_is_deterministic(tmp_path):
    out1, out2 = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for out in (out1, out2):
        p = _cli("run", "samples", "-o", str(out), "--no-cache", env_dir=tmp_path / "models")
        assert p.returncode == 0, p.stderr
    assert out1.read_bytes() == out2.read_bytes()
    recs = [json.loads(line) for line in out1.read_text("utf-8").splitlines()]
    assert [r["status"] for r in recs] == ["ok"] * 5
    assert [r["id"] for r in recs] == sorted(p.stem for p in (ROOT / "samples").glob("*.txt"))
    # the missing-model hint is one clear line, printed once
    assert p.stderr.count("normalizer models install") == 1


def test_cli_show_marks_removals_and_translations(tmp_path):
    p = _cli(
        "show",
        "samples/002_e56c7f6acdd085b3.txt",
        "--no-cache",
        "--color",
        "never",
        env_dir=tmp_path / "models",
    )
    assert p.returncode == 0, p.stderr
    assert "~~Цей сайт використовує Cookies.~~  [removed: cookie_notice" in p.stdout
    assert "[uk · related] У Кривому Розі" in p.stdout
