"""Issue 16, library side: a bad item never stops normalize_many; error records have the
fields of ok records and validate; an installed model that fails to load is model_error."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from normalizer import Config, Normalizer, normalize, normalize_many
from normalizer.translation import models

DATA = Path(__file__).resolve().parent / "data"
TINY = DATA / "models" / "translate-uk_en-tiny.argosmodel"
SCHEMA = json.loads(
    (resources.files("normalizer") / "schema" / "record.schema.json").read_text("utf-8")
)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
UKR = (DATA / "tatoeba-eng-ukr-200" / "pairs.ukr").read_text("utf-8").splitlines()

EN = "The council approved the new budget for the city library on Tuesday evening."
HTML = "<html><body><article><p>Перший абзац статті про новий міст через річку у місті.</p></article></body></html>"


def _keys(d: dict, prefix: str = "") -> set[str]:
    out = set()
    for k, v in d.items():
        out.add(prefix + k)
        if isinstance(v, dict) and k in ("translation", "stats"):
            out |= _keys(v, prefix + k + ".")
    return out


@pytest.mark.parametrize(
    "bad, err_type, words",
    [
        (None, "bad_item", "NoneType"),
        (123, "bad_item", "int"),
        (b"plain bytes", "bad_item", "'data'"),
        ({"html": 5}, "bad_item", "'html' must be str or bytes"),
        ({"data": "abc"}, "bad_item", "'data' must be bytes"),
        ({"text": b"bytes as text"}, "bad_item", "'text' must be str"),
        ({"text": "x", "content_type": "bogus"}, "bad_item", "content_type 'bogus'"),
        ({"id": "only-an-id"}, "missing_field", "no 'text'"),
    ],
)
def test_bad_item_is_one_error_record_in_its_place(bad, err_type, words):
    cfg = Config(translate=False)
    recs = list(normalize_many([{"text": EN}, bad, {"text": EN + " Again."}], config=cfg))
    assert [r.status for r in recs] == ["ok", "error", "ok"]
    assert recs[1].error["type"] == err_type
    assert words in recs[1].error["message"]
    assert recs[2].text == EN + " Again."
    for r in recs:
        errors = list(VALIDATOR.iter_errors(r.to_dict()))
        assert not errors, errors[0].message


def test_html_bytes_are_decoded_like_data():
    rec = normalize_many(
        [{"html": HTML.replace("<html>", '<html><meta charset="windows-1251">').encode("cp1251")}],
        config=Config(translate=False),
    )
    rec = next(rec)
    assert rec.status == "ok" and rec.content_type == "html"
    assert "Перший абзац" in rec.original_text


def test_int_id_becomes_string_and_validates():
    rec = next(normalize_many([{"id": 7, "text": EN}], config=Config(translate=False)))
    assert rec.id == "7"
    assert not list(VALIDATOR.iter_errors(rec.to_dict()))


def test_normalize_rejects_non_text_with_type_error():
    with pytest.raises(TypeError, match="str or bytes, not int"):
        normalize(123)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="content_type"):
        normalize(EN, content_type="bogus")


def test_error_record_has_the_fields_of_an_ok_record():
    ok, err = normalize_many([{"text": EN}, {"text": ""}], config=Config(translate=False))
    assert err.status == "error"
    assert _keys(ok.to_dict()) == _keys(err.to_dict())
    assert err.stats["chars_related"] == 0 and err.translation["needed"] == 0


# -- translation: an installed model that fails is model_error, not model_missing -------------


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("models")
    models.install(TINY, d)
    return d


@pytest.mark.parametrize(
    "kw, words",
    [
        ({"compute_type": "bogus"}, "bogus"),
        ({"device": "nonsense"}, "nonsense"),
    ],
)
def test_model_that_fails_to_load_is_model_error(installed, tmp_path, kw, words):
    cfg = Config(models_dir=str(installed), use_cache=False, **kw)
    with Normalizer(cfg) as norm:
        rec = norm.normalize(UKR[0] + " " + UKR[1])
    assert rec.translation["status"] == "model_error"
    assert "translate-uk_en-tiny" in rec.translation["error"] and words in rec.translation["error"]
    assert not list(VALIDATOR.iter_errors(rec.to_dict()))


def test_missing_model_is_still_model_missing(tmp_path):
    cfg = Config(models_dir=str(tmp_path / "none"), use_cache=False)
    with Normalizer(cfg) as norm:
        rec = norm.normalize(UKR[0] + " " + UKR[1])
    assert rec.translation["status"] == "model_missing" and rec.translation["error"] is None


def test_user_rule_sees_the_raw_line_as_the_rules_readme_says(tmp_path):
    """rules/README.md: rules match the input line, not the NFC / no-break-space-folded text."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "mine.toml").write_text(
        '[[line]]\nrule = "mine:literal"\nreason = "share_prompt"\npattern = "^Share this story now$"\n'
        '[[line]]\nrule = "mine:any_space"\nreason = "share_prompt"\npattern = "^Tell\\\\s+your\\\\s+friends$"\n',
        "utf-8",
    )
    page = (
        f"{EN}\nShare\u00a0this\u00a0story\u00a0now\nTell\u00a0your\u00a0friends\n"
        "The library will open again on Monday morning with longer hours for readers.\n"
    )
    rec = next(normalize_many([page], config=Config(translate=False, rules_dir=str(rules))))
    by_rule = {r.rule for r in rec.removed}
    assert "mine:any_space" in by_rule  # \s matches U+00A0
    assert "mine:literal" not in by_rule  # a literal space does not


def test_big_record_is_written_in_pieces_with_the_same_bytes(tmp_path, monkeypatch):
    """Big inputs: a record with long lists is serialized a slice at a time (dumps_parts) and
    written in slices; the line is byte-identical to one json.dumps of the record."""
    from normalizer.io import write

    lines = [
        f"Line {i}: the council met again to talk about the budget «{i}» and the library."
        for i in range(300)
    ]
    rec = next(normalize_many(["\n".join(lines)], config=Config(translate=False)))
    assert len(rec.fragments) > 50
    whole = json.dumps(rec.to_dict(), ensure_ascii=False, separators=(",", ":"))
    monkeypatch.setattr(write, "DUMPS_ITEMS_PER_SLICE", 7)
    monkeypatch.setattr(write, "WRITE_SLICE_CHARS", 100)
    parts = write.dumps_parts(rec)
    assert len(parts) > 10 and "".join(parts) == whole
    out = tmp_path / "o.jsonl"
    with write.JsonlWriter(out) as w:
        w.write_line(parts)
        w.write(rec)
    assert out.read_text("utf-8") == whole + "\n" + whole + "\n"
