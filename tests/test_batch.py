"""Batch runs end to end through the CLI: jobs 1 vs 2, resume, formats, stdin, exit codes, Ray."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REPEATED_UK = "Редакція «Новини Сьогодні», Київ, вулиця Хрещатик 22"
REPEATED_EN = "Example Daily, 22 Main Street, Springfield"
BODY = (
    "The city council met on {d} to discuss plan number {n}. Members argued for two hours about "
    "the budget, the roads and the new school, and agreed to meet again next week."
)
BODY_UK = (
    "Міська рада зібралася {d}, щоб обговорити план номер {n}. Депутати дві години сперечалися "
    "про бюджет, дороги та нову школу."
)


ENV: dict[str, str] = {}


@pytest.fixture(scope="module", autouse=True)
def _module_env(tmp_path_factory):
    """Module fixtures run before conftest's per-test isolation: isolate them too."""
    home = tmp_path_factory.mktemp("home")
    ENV.clear()
    ENV.update(
        os.environ,
        NORMALIZER_MODELS_DIR=str(home / "models"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_CONFIG_HOME=str(home / "config"),
        ARGOS_PACKAGES_DIR=str(home / "argos"),
        RAY_USAGE_STATS_ENABLED="0",
    )
    ENV.pop("RAY_ADDRESS", None)  # the Ray test must start its own local instance


def cli(*args: str, stdin: bytes | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "normalizer", *args],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env=ENV,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    shutil.copytree(ROOT / "samples", root / "samples")
    site = root / "site_a"
    site.mkdir()
    for n in range(9):
        lines = [
            f"Council news {n}",
            BODY.format(d=f"May {n + 1}", n=n),
            BODY_UK.format(d=f"{n + 1} травня", n=n),
            REPEATED_UK,
            BODY.format(d=f"June {n + 1}", n=n * 7),
        ]
        (site / f"a{n}.txt").write_text("\n".join(lines) + "\n", "utf-8")
    html = root / "site_b"
    html.mkdir()
    for n, enc in enumerate(["cp1251", "koi8_u", "utf-8", "cp1251"]):
        meta = '<meta charset="windows-1251">' if n == 0 else ""
        page = (
            f"<html><head>{meta}<title>Page {n}</title></head><body><article><h1>Заголовок {n}</h1>"
            f"<p>{BODY_UK.format(d=f'{n + 1} червня', n=n)}</p><p>{BODY.format(d='today', n=n)}</p>"
            f"</article></body></html>"
        )
        (html / f"p{n}.html").write_bytes(page.encode(enc))
    (html / "broken.html").write_bytes(b"\x00\x01\x02" * 50)
    with open(root / "feed.jsonl", "w", encoding="utf-8") as f:
        for n in range(7):
            f.write(
                json.dumps(
                    {
                        "key": f"j{n}",
                        "url": f"https://www.example.com/news/{n}",
                        "body": f"Headline {n}\n{BODY.format(d='Monday', n=n + 100)}\n{REPEATED_EN}\n",
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    return root


def run_args(corpus: Path, *extra: str) -> list[str]:
    return [
        "run",
        str(corpus),
        "--no-cache",
        "--chunk-size",
        "4",
        "--id-field",
        "key",
        "--text-field",
        "body",
        *extra,
    ]


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("ref") / "ref.jsonl"
    p = cli(*run_args(corpus, "-o", str(out), "--jobs", "1"))
    assert p.returncode == 0, p.stderr.decode()
    return out.read_bytes()


def records(data: bytes) -> list[dict]:
    return [json.loads(x) for x in data.decode("utf-8").splitlines()]


def test_reference_run(reference, corpus):
    recs = records(reference)
    n_inputs = 5 + 9 + 5 + 7
    assert len(recs) == n_inputs
    by_id = {r["id"]: r for r in recs}
    # the site-repeated line is removed in every document of its site, across chunks
    for n in range(9):
        assert [x["reason"] for x in by_id[f"a{n}"]["removed"] if x["text"] == REPEATED_UK] == [
            "repeated_line"
        ]
    for n in range(7):
        assert any(
            x["text"] == REPEATED_EN and x["reason"] == "repeated_line"
            for x in by_id[f"j{n}"]["removed"]
        )
    # legacy encodings decoded
    for n in range(4):
        assert f"Заголовок {n}" in json.dumps(by_id[f"p{n}"], ensure_ascii=False)
        assert "Міська рада" in by_id[f"p{n}"]["original_text"]
    assert by_id["broken"]["status"] == "error"


def test_jobs_2_is_byte_identical(reference, corpus, tmp_path):
    out = tmp_path / "j2.jsonl"
    p = cli(*run_args(corpus, "-o", str(out), "--jobs", "2"))
    assert p.returncode == 0, p.stderr.decode()
    assert out.read_bytes() == reference


def test_no_repeated_lines_pass(corpus, tmp_path):
    out = tmp_path / "n.jsonl"
    assert cli(*run_args(corpus, "-o", str(out), "--no-repeated-lines", "-q")).returncode == 0
    assert "repeated_line" not in out.read_text("utf-8")


def test_resume_equals_uninterrupted(reference, corpus, tmp_path):
    out = tmp_path / "r.jsonl"
    lines = reference.split(b"\n")
    journal = tmp_path / ".r.jsonl.partial"
    # an interrupted run: 11 complete records and half of the 12th
    journal.write_bytes(b"\n".join(lines[:11]) + b"\n" + lines[11][:30])
    p = cli(*run_args(corpus, "-o", str(out), "--resume", "--jobs", "2"))
    assert p.returncode == 0, p.stderr.decode()
    assert out.read_bytes() == reference
    assert not journal.exists()
    assert "11 already written" in p.stderr.decode()


def test_real_interruption_then_resume(corpus, tmp_path):
    """Kill -9 a run while it waits on its last input (a FIFO), then --resume it."""
    import signal
    import time

    src = tmp_path / "in"
    shutil.copytree(corpus / "samples", src / "a")
    shutil.copytree(corpus / "site_a", src / "b")
    # A FIFO named on the command line is read (a FIFO inside a folder is not: see test_hardening_cli)
    last = tmp_path / "last.txt"
    os.mkfifo(last)
    args = ["run", str(src), str(last), "--no-cache", "--chunk-size", "1", "--no-repeated-lines"]
    out, journal = tmp_path / "k.jsonl", tmp_path / ".k.jsonl.partial"
    proc = subprocess.Popen(
        [sys.executable, "-m", "normalizer", *args, "-o", str(out)],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 240
        # every document before the FIFO is written and flushed; then the reader blocks on it
        while time.time() < deadline and (
            not journal.exists() or journal.read_bytes().count(b"\n") < 14
        ):
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert not out.exists() and journal.read_bytes().count(b"\n") == 14
    last.unlink()
    last.write_text("The last document arrives after the crash.\n", "utf-8")
    p = cli(*args, "-o", str(out), "--resume", "--jobs", "2")
    assert p.returncode == 0, p.stderr.decode()
    assert "14 already written" in p.stderr.decode()
    ref = tmp_path / "ref.jsonl"
    assert cli(*args, "-o", str(ref)).returncode == 0
    assert out.read_bytes() == ref.read_bytes()
    assert len(records(ref.read_bytes())) == 15


def test_resume_of_another_input_is_a_usage_error(reference, corpus, tmp_path):
    out = tmp_path / "m.jsonl"
    other = records(reference)[3]
    other["id"] = "not-this-one"
    (tmp_path / ".m.jsonl.partial").write_text(json.dumps(other) + "\n", "utf-8")
    p = cli(*run_args(corpus, "-o", str(out), "--resume"))
    assert p.returncode == 2
    assert "cannot resume" in p.stderr.decode()


def test_gzip_and_parquet_outputs(reference, corpus, tmp_path):
    pytest.importorskip("pyarrow")
    from normalizer.io.write import read_records

    gz, pq = tmp_path / "o.jsonl.gz", tmp_path / "o.parquet"
    assert cli(*run_args(corpus, "-o", str(gz), "-q")).returncode == 0
    assert gzip.decompress(gz.read_bytes()) == reference
    p = cli(*run_args(corpus, "-o", str(pq), "-q", "--jobs", "2"))
    assert p.returncode == 0, p.stderr.decode()
    ref = records(reference)
    back = list(read_records(pq))
    assert [r["id"] for r in back] == [r["id"] for r in ref]
    for exp, got in zip(ref, back):
        assert got["fragments"] == exp["fragments"]
        assert got["removed"] == exp["removed"]
        assert got["text"] == exp["text"] and got["status"] == exp["status"]


def test_stdin_jsonl_equals_file_input(corpus, tmp_path):
    feed = (corpus / "feed.jsonl").read_bytes()
    a = cli("run", "-", "--no-cache", "--id-field", "key", "--text-field", "body", stdin=feed)
    b = cli(
        "run", str(corpus / "feed.jsonl"), "--no-cache", "--id-field", "key", "--text-field", "body"
    )
    assert a.returncode == 0 and b.returncode == 0, a.stderr.decode()
    strip = [{k: v for k, v in r.items() if k != "source"} for r in records(a.stdout)]
    assert strip == [{k: v for k, v in r.items() if k != "source"} for r in records(b.stdout)]
    assert any(
        x["reason"] == "repeated_line" for r in strip for x in r["removed"]
    )  # 2 passes over stdin
    assert records(a.stdout)[0]["source"] == "<stdin>:1"


def test_stdin_single_document(corpus):
    p = cli("run", "-", "--no-cache", "-q", stdin=(corpus / "site_b" / "p1.html").read_bytes())
    assert p.returncode == 0
    [rec] = records(p.stdout)
    assert rec["source"] == "<stdin>" and "Міська рада" in rec["original_text"]


def test_summary_progress_and_quiet(corpus, tmp_path):
    p = cli(*run_args(corpus, "-o", str(tmp_path / "s.jsonl"), "--progress"))
    err = p.stderr.decode()
    assert p.returncode == 0
    last = err.strip().splitlines()
    summary = [x for x in last if x.startswith("normalizer: 26 documents")]
    assert summary, err
    assert (
        "25 ok, 1 error;" in summary[0]
        and "repeated_line" in summary[0]
        and "documents/s" in summary[0]
    )
    assert "languages:" in summary[0] and "translated fragments:" in summary[0]
    assert "doc/s" in err or "it/s" in err or "doc]" in err  # tqdm bar
    assert "26/26" in err  # pass 1 counted the documents: pass 2's bar has a total (and an ETA)
    q = cli(*run_args(corpus, "-o", str(tmp_path / "q.jsonl"), "--quiet"))
    assert q.returncode == 0 and q.stderr.decode() == ""


def test_exit_codes(corpus, tmp_path):
    assert (
        cli(*run_args(corpus, "-o", str(tmp_path / "e.jsonl"), "-q", "--fail-on-error")).returncode
        == 1
    )
    assert (
        cli(
            "run",
            str(corpus / "samples"),
            "-q",
            "--fail-on-error",
            "-o",
            str(tmp_path / "f.jsonl"),
            "--no-cache",
        ).returncode
        == 0
    )
    assert cli("run", str(tmp_path / "missing")).returncode == 2
    assert cli("run", str(corpus), "--format", "parquet").returncode == 2  # parquet to stdout
    assert cli("run", str(corpus), "--resume").returncode == 2  # resume to stdout
    assert cli("run", str(corpus), "--jobs", "0").returncode == 2
    assert cli("run", "--bogus").returncode == 2
    help_text = cli("run", "--help").stdout.decode()
    assert "exit codes:" in help_text and "--jobs" in help_text and "--executor" in help_text


def test_ray_executor_matches_local(reference, corpus, tmp_path):
    pytest.importorskip("ray")
    out = tmp_path / "ray.jsonl"
    # Ray runs in the CLI's process, on a private local instance bound to 127.0.0.1; this test
    # process opens no socket.
    p = cli(*run_args(corpus, "-o", str(out), "--executor", "ray", "--jobs", "2"), timeout=600)
    assert p.returncode == 0, p.stderr.decode()[-3000:]
    assert out.read_bytes() == reference


TINY_MODEL = ROOT / "tests" / "data" / "models" / "translate-uk_en-tiny.argosmodel"


@pytest.mark.skipif(
    not TINY_MODEL.exists(), reason="tiny test model not built (scripts/build_test_model.py)"
)
def test_jobs_2_identical_with_translation(corpus, tmp_path):
    """Ukrainian sentences are batched per chunk across documents; the chunks (and so the batches)
    do not depend on the number of workers."""
    models = tmp_path / "models"
    p = cli("models", "--models-dir", str(models), "install", str(TINY_MODEL))
    assert p.returncode == 0, p.stderr.decode()
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"t{jobs}.jsonl"
        p = cli(
            "run",
            str(corpus / "site_a"),
            str(corpus / "site_b"),
            "-o",
            str(out),
            "--no-cache",
            "--chunk-size",
            "3",
            "--models-dir",
            str(models),
            "--jobs",
            jobs,
        )
        assert p.returncode == 0, p.stderr.decode()
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    recs = records(outs[0])
    assert sum(r["translation"]["fragments"] for r in recs) > 0
