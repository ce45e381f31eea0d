"""Issue 16, command-line side: one `normalizer:` line and exit 2 for usage/environment
errors (nothing written), model_error exits 1, partial output is not silently deleted,
folders are read safely (FIFOs, own output, name filters, empty folders), Parquet output
has one fixed schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from normalizer.cli import main
from normalizer.translation import models

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
TINY = DATA / "models" / "translate-uk_en-tiny.argosmodel"
UKR = (DATA / "tatoeba-eng-ukr-200" / "pairs.ukr").read_text("utf-8").splitlines()


def run_main(args: list[str], capsys) -> tuple[int, str, str]:
    try:
        rc = main(args)
    except SystemExit as e:
        rc = e.code if isinstance(e.code, int) else 2
    out, err = capsys.readouterr()
    return rc, out, err


def assert_one_line(err: str, *words: str) -> None:
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("normalizer: "), err
    assert "Traceback" not in err
    for w in words:
        assert w in lines[0], lines[0]


def cli(*args: str, timeout: int = 120, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-m", "normalizer", *args], cwd=ROOT, env=env, timeout=timeout, **kw
    )


@pytest.fixture()
def folder(tmp_path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    for p in SAMPLES[:2]:
        (d / p.name).write_bytes(p.read_bytes())
    return d


# -- usage and environment errors -----------------------------------------------------------


@pytest.mark.parametrize(
    "opts, words",
    [
        (["--chunk-size", "0"], "--chunk-size"),
        (["--chunk-size", "-5"], "--chunk-size"),
        (["--repeated-min-docs", "0"], "--repeated-min-docs"),
        (["--threads", "-1"], "--threads"),
        (["--beam-size", "0"], "--beam-size"),
        (["--rules-dir", "/nonexistent"], "/nonexistent"),
        (["--languages", "uk,xx"], "xx"),
        (["--jobs", "0"], "--jobs"),
    ],
)
def test_invalid_option_values_are_refused(folder, tmp_path, capsys, opts, words):
    out = tmp_path / "out.jsonl"
    rc, _, err = run_main(["run", str(folder), "-o", str(out), *opts], capsys)
    assert rc == 2
    assert_one_line(err, words)
    assert not out.exists() and not list(tmp_path.glob(".out*"))


@pytest.mark.parametrize(
    "target, words",
    [
        ("/proc/x.jsonl", "/proc/x.jsonl"),
        ("{tmp}/missing/out.jsonl", "does not exist"),
        ("{tmp}", "is a folder"),
    ],
)
def test_unwritable_output_is_one_line_and_nothing_written(folder, tmp_path, capsys, target, words):
    before = sorted(tmp_path.rglob("*"))
    rc, _, err = run_main(
        ["run", str(folder), "--no-translate", "-o", target.format(tmp=tmp_path)], capsys
    )
    assert rc == 2
    assert_one_line(err, words)
    assert sorted(tmp_path.rglob("*")) == before


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_stdout_full_is_one_line_exit_2(folder):
    with open("/dev/full", "wb") as full:
        proc = cli("run", str(folder), "--no-translate", "-q", stdout=full, stderr=subprocess.PIPE)
    assert proc.returncode == 2
    assert_one_line(proc.stderr.decode(), "No space left")


@pytest.mark.parametrize(
    "toml, words",
    [
        ('[[line]\nrule = "x"\n', ["bad.toml", "invalid TOML"]),
        (
            '[[line]]\nrule = "my_rule"\nreason = "navigation"\npattern = "(unclosed"\n',
            ["bad.toml", "my_rule", "regular expression"],
        ),
        (
            '[[line]]\nrule = "my_rule"\nreason = "no_such_reason"\npattern = "abc"\n',
            ["bad.toml", "my_rule", "no_such_reason"],
        ),
    ],
)
def test_invalid_rules_file_names_file_and_rule(folder, tmp_path, capsys, toml, words):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "bad.toml").write_text(toml, "utf-8")
    rc, out, err = run_main(
        ["run", str(folder), "--no-translate", "--rules-dir", str(rules)], capsys
    )
    assert rc == 2 and out == ""
    assert_one_line(err, *words)


def _records(tmp_path: Path) -> Path:
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"id": "a", "status": "ok", "text": "x"}) + "\n", "utf-8")
    return good


@pytest.mark.parametrize(
    "name, content, words",
    [
        (
            "torn.jsonl",
            '{"id": "a", "status": "ok"}\n{"id": "b", "sta',
            ["torn.jsonl:2", "not a JSON record"],
        ),
        ("page.txt", "Just a page of text.\n", ["page.txt:1"]),
        (
            "input.jsonl",
            '{"id": "x", "text": "hello"}\n',
            ["input.jsonl:1", "not a normalizer record"],
        ),
    ],
)
def test_report_on_a_file_that_is_not_records(tmp_path, capsys, name, content, words):
    src = tmp_path / name
    src.write_text(content, "utf-8")
    out = tmp_path / "report.html"
    rc, _, err = run_main(["report", str(src), "-o", str(out)], capsys)
    assert rc == 2
    assert_one_line(err, *words)
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_report_parquet_without_pyarrow_is_a_message(tmp_path, capsys, monkeypatch):
    src = tmp_path / "r.parquet"
    src.write_bytes(b"PAR1")
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now fails
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    rc, _, err = run_main(["report", str(src), "-o", str(tmp_path / "r.html")], capsys)
    assert rc == 2
    assert_one_line(err, "needs pyarrow")


# -- partial output, folders ------------------------------------------------------------------


def test_partial_output_needs_resume_or_overwrite(folder, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    journal = tmp_path / ".out.jsonl.partial"
    journal.write_text('{"id": "000_3883c2c760ea2280", "status": "ok"}\n', "utf-8")
    rc, _, err = run_main(["run", str(folder), "--no-translate", "-o", str(out)], capsys)
    assert rc == 2
    assert_one_line(err, "--resume", "--overwrite")
    assert journal.read_text("utf-8").count("\n") == 1 and not out.exists()
    rc, _, err = run_main(
        ["run", str(folder), "--no-translate", "-q", "--overwrite", "-o", str(out)], capsys
    )
    assert rc == 0 and not journal.exists()
    assert len(out.read_text("utf-8").splitlines()) == 2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_in_folder_is_an_error_record_not_a_hang(folder):
    os.mkfifo(folder / "zz_pipe.txt")
    proc = cli("run", str(folder), "--no-translate", timeout=60)
    recs = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert proc.returncode == 0
    assert [r["status"] for r in recs] == ["ok", "ok", "error"]
    assert recs[2]["error"]["type"] == "not_a_file"


def test_own_output_in_the_input_folder_is_not_read_back(folder, capsys):
    out = folder / "out.jsonl"
    for _ in range(2):
        rc, _, _ = run_main(["run", str(folder), "--no-translate", "-q", "-o", str(out)], capsys)
        assert rc == 0
        assert len(out.read_text("utf-8").splitlines()) == 2


def test_folder_reads_document_types_and_counts_the_rest_as_skipped(folder, capsys):
    (folder / "data.csv").write_text("a,b\n1,2\n", "utf-8")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    rc, out, err = run_main(["run", str(folder), "--no-translate"], capsys)
    assert rc == 0
    assert len(out.splitlines()) == 2  # no error records for the csv and jpg
    assert "2 files skipped" in err
    rc, out, err = run_main(["run", str(folder), "--no-translate", "--include", "*.csv"], capsys)
    assert [json.loads(x)["source"].rsplit("/", 1)[-1] for x in out.splitlines()] == ["data.csv"]
    rc, out, err = run_main(["run", str(folder), "--no-translate", "--exclude", "000_*"], capsys)
    assert [json.loads(x)["id"] for x in out.splitlines()] == [SAMPLES[1].stem]


def test_folder_without_documents_warns_and_exits_1(tmp_path, capsys):
    d = tmp_path / "empty"
    d.mkdir()
    (d / "readme.csv").write_text("x", "utf-8")
    rc, out, err = run_main(["run", str(d), "--no-translate"], capsys)
    assert rc == 1 and out == ""
    assert "normalizer: warning: no documents found" in err


def test_summary_says_1_document(tmp_path, capsys):
    rc, _, err = run_main(["run", str(SAMPLES[0]), "--no-translate"], capsys)
    assert rc == 0
    assert "normalizer: 1 document, 1 ok, 0 errors;" in err


def test_show_takes_several_files(capsys):
    rc, out, _ = run_main(
        ["show", "--no-translate", "--color", "never", str(SAMPLES[0]), str(SAMPLES[1])], capsys
    )
    assert rc == 0
    first = SAMPLES[0].read_text("utf-8").splitlines()[0][:20]
    second = SAMPLES[1].read_text("utf-8").splitlines()[0][:20]
    assert first in out and second in out


# -- translation: model_error exits 1; the missing-model hint is one line --------------------


def test_model_that_fails_to_load_exits_1_with_one_line(tmp_path, capsys):
    mdir = tmp_path / "models"
    models.install(TINY, mdir)
    src = tmp_path / "uk.txt"
    src.write_text(" ".join(UKR[:3]) + "\n", "utf-8")
    rc, out, err = run_main(
        ["run", str(src), "--models-dir", str(mdir), "--no-cache", "--compute-type", "bogus"],
        capsys,
    )
    assert rc == 1
    rec = json.loads(out)
    assert rec["translation"]["status"] == "model_error"
    lines = [x for x in err.splitlines() if "bogus" in x]
    assert len(lines) == 1 and lines[0].startswith(
        "normalizer: error: cannot load translation model"
    )


def test_missing_models_give_one_hint_line_with_the_status(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    (src / "uk.txt").write_text(" ".join(UKR[:4]) + "\n", "utf-8")
    (src / "de.txt").write_text(
        "Der Stadtrat hat am Dienstag den neuen Haushalt für die Bibliothek "
        "beschlossen. Die Bürger können ab Montag wieder Bücher ausleihen.\n",
        "utf-8",
    )
    mdir = tmp_path / "nomodels"
    rc, _, err = run_main(["run", str(src), "--models-dir", str(mdir), "--no-cache"], capsys)
    assert rc == 0
    hints = [x for x in err.splitlines() if "no translation model" in x]
    assert len(hints) == 1
    assert "de→en" in hints[0] and "uk→en" in hints[0]
    assert '"model_missing"' in hints[0] and f"--models-dir {mdir}" in hints[0]


# -- Parquet: one fixed schema ------------------------------------------------------------------


def test_parquet_schema_is_fixed_and_runs_concatenate(folder, tmp_path, capsys):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    runs = tmp_path / "runs"
    runs.mkdir()
    rc, _, _ = run_main(
        ["run", str(SAMPLES[0]), "--no-translate", "-q", "-o", str(runs / "a.parquet")], capsys
    )
    assert rc == 0
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("", "utf-8")
    (bad / "page.html").write_text(
        "<html><body><article><h1>Budget</h1><p>The council approved the new budget for the city library "
        "on Tuesday evening after a long debate.</p></article><aside class='related'><ul>"
        "<li><a href='/a'>Another story about the library budget and its readers</a></li>"
        "<li><a href='/b'>More news about the city council and the new budget</a></li></ul></aside>"
        "</body></html>",
        "utf-8",
    )
    rc, _, _ = run_main(
        ["run", str(bad), "--no-translate", "-q", "-o", str(runs / "b.parquet")], capsys
    )
    assert rc == 0
    a, b = pq.read_table(runs / "a.parquet"), pq.read_table(runs / "b.parquet")
    assert a.schema == b.schema
    assert pa.types.is_struct(a.schema.field("error").type)
    assert pa.types.is_struct(a.schema.field("related").type.value_type)
    both = pa.concat_tables([a, b])
    assert both.num_rows == 3
    assert sorted(
        ds.dataset(str(runs), format="parquet").to_table().column("status").to_pylist()
    ) == ["error", "ok", "ok"]


def test_models_install_force_replaces_and_the_hint_names_models_dir(tmp_path, capsys):
    mdir = tmp_path / "m"
    rc, out, _ = run_main(["models", "--models-dir", str(mdir), "install", str(TINY)], capsys)
    assert rc == 0 and out.startswith("normalizer: installed translate-uk_en-tiny")
    marker = mdir / "translate-uk_en-tiny" / "old-marker"
    marker.write_text("from the first install", "utf-8")
    rc, _, err = run_main(["models", "--models-dir", str(mdir), "install", str(TINY)], capsys)
    assert rc == 1
    assert_one_line(err, "already installed", f"--models-dir {mdir}", "--force")
    rc, out, _ = run_main(
        ["models", "--models-dir", str(mdir), "install", "--force", str(TINY)], capsys
    )
    assert rc == 0 and not marker.exists()
    assert [p.name for p in mdir.iterdir()] == ["translate-uk_en-tiny"]
    assert [i.id for i in models.list_installed(mdir)] == ["translate-uk_en-tiny"]
