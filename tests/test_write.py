"""Writers: atomic JSON Lines / .gz / Parquet, journal and resume."""

from __future__ import annotations

import gzip
import json

import pytest

from normalizer.io.write import JsonlWriter, ResumeError, journal_path, output_format, read_records

OK = {
    "id": "a",
    "source": "s/a.txt",
    "url": None,
    "status": "ok",
    "error": None,
    "title": "T",
    "language": "uk",
    "text": "Hello",
    "original_text": "Привіт",
    "fragments": [
        {
            "text": "Привіт",
            "lang": "uk",
            "lang_confidence": 0.99,
            "role": "body",
            "translation": "Hello",
            "start": 0,
            "end": 6,
        }
    ],
    "related": [],
    "removed": [
        {
            "text": "Читати більше",
            "reason": "read_more",
            "rule": "uk:read_more",
            "start": 7,
            "end": 20,
        }
    ],
    "translation": {"status": "ok", "model": "m", "fragments": 1, "needed": 1},
    "stats": {"chars_in": 20, "chars_kept": 6},
    "content_type": "text",
    "schema_version": "1.0",
    "normalizer_version": "0.1.0",
}
ERR = {
    "id": "b",
    "source": "s/b.bin",
    "url": None,
    "status": "error",
    "error": {"type": "binary_input", "message": "binary"},
    "title": None,
    "language": "und",
    "text": "",
    "original_text": "",
    "fragments": [],
    "related": [],
    "removed": [],
    "translation": {"status": "not_needed", "model": None, "fragments": 0},
    "stats": {"chars_in": 0},
    "content_type": None,
    "schema_version": "1.0",
    "normalizer_version": "0.1.0",
}


def test_output_format_from_name():
    assert output_format("x.jsonl") == "jsonl"
    assert output_format(None) == "jsonl"
    assert output_format("x.jsonl.gz") == "jsonl.gz"
    assert output_format("x.PARQUET") == "parquet"
    assert output_format("x.out", "parquet") == "parquet"


def test_atomic_jsonl(tmp_path):
    out = tmp_path / "sub" / "out.jsonl"
    with JsonlWriter(out) as w:
        w.write(OK)
        w.flush()
        assert not out.exists() and journal_path(out).exists()
    assert not journal_path(out).exists()
    assert [json.loads(x) for x in out.read_text("utf-8").splitlines()] == [OK]


def test_failed_run_keeps_journal_not_target(tmp_path):
    out = tmp_path / "out.jsonl"
    with pytest.raises(KeyboardInterrupt):
        with JsonlWriter(out) as w:
            w.write(OK)
            raise KeyboardInterrupt
    assert not out.exists()
    assert journal_path(out).read_text("utf-8").count("\n") == 1


def test_resume_cuts_half_line_and_appends(tmp_path):
    out = tmp_path / "out.jsonl"
    line = json.dumps(OK, ensure_ascii=False, separators=(",", ":"))
    journal_path(out).write_text(line + "\n" + line + "\n" + line[:40], "utf-8")
    with JsonlWriter(out, resume=True) as w:
        assert w.resumed == 2
        assert list(w.resumed_ids()) == ["a", "a"]
        w.write(ERR)
    lines = out.read_text("utf-8").splitlines()
    assert [json.loads(x)["id"] for x in lines] == ["a", "a", "b"]


def test_resume_without_journal_starts_fresh(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")
    with JsonlWriter(out, resume=True) as w:
        assert w.resumed == 0
        w.write(OK)
    assert out.read_text("utf-8").count("\n") == 1


def test_resume_needs_a_file():
    with pytest.raises(ResumeError):
        JsonlWriter(None, resume=True)


def test_gzip_output_is_deterministic(tmp_path):
    outs = []
    for name in ("a.jsonl.gz", "b.jsonl.gz"):
        with JsonlWriter(tmp_path / name) as w:
            w.write(OK)
            w.write(ERR)
        outs.append((tmp_path / name).read_bytes())
    assert outs[0] == outs[1]
    assert [json.loads(x) for x in gzip.decompress(outs[0]).decode().splitlines()] == [OK, ERR]
    assert list(read_records(tmp_path / "a.jsonl.gz")) == [OK, ERR]


def _fill(expected, got):
    """Parquet rows have every struct key of the schema; JSON records only their own."""
    if isinstance(expected, dict):
        assert set(expected) <= set(got)
        extra = {k: v for k, v in got.items() if k not in expected}
        assert all(v is None for v in extra.values()), extra
        return {k: _fill(v, got[k]) for k, v in expected.items()}
    if isinstance(expected, list):
        return [_fill(e, g) for e, g in zip(expected, got)]
    return expected


def test_parquet_round_trip_keeps_nested_lists(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    out = tmp_path / "out.parquet"
    records = [OK, ERR] * 3
    with JsonlWriter(out) as w:
        for r in records:
            w.write(r)
    table = pq.read_table(out)
    assert table.num_rows == 6
    assert pa.types.is_list(table.schema.field("fragments").type)
    assert pa.types.is_struct(table.schema.field("fragments").type.value_type)
    assert pa.types.is_struct(table.schema.field("translation").type)
    back = list(read_records(out))
    assert [r["id"] for r in back] == ["a", "b"] * 3
    for exp, got in zip(records, back):
        assert _fill(exp, got) == exp
    assert back[0]["fragments"][0]["translation"] == "Hello"
    assert back[0]["removed"][0]["reason"] == "read_more"


def test_parquet_unknown_mixed_field_is_json(tmp_path):
    pytest.importorskip("pyarrow")
    out = tmp_path / "out.parquet"
    with JsonlWriter(out) as w:
        w.write({**OK, "extra": {"x": 1}})
        w.write({**ERR, "extra": [1, "two"]})
    back = list(read_records(out))
    assert back[0]["extra"] == {"x": 1} and back[1]["extra"] == [1, "two"]


def test_parquet_to_stdout_is_refused():
    with pytest.raises(ValueError):
        JsonlWriter(None, format="parquet")


def test_resume_into_gzip_and_parquet(tmp_path):
    line = json.dumps(OK, ensure_ascii=False, separators=(",", ":"))
    for name in ("out.jsonl.gz", "out.parquet"):
        if name.endswith(".parquet"):
            pytest.importorskip("pyarrow")
        out = tmp_path / name
        journal_path(out).write_text(
            line + "\n" + line[:25], "utf-8"
        )  # the journal is plain JSON Lines
        with JsonlWriter(out, resume=True) as w:
            assert w.resumed == 1
            w.write(ERR)
        assert [r["id"] for r in read_records(out)] == ["a", "b"]
        assert not journal_path(out).exists()
