"""Bad-input matrix through the command line (issue 7: reliability).

Every fixture of ``tests/data/bad/`` (see its README.md; rewritten by
``scripts/make_bad_fixtures.py``), plus cases made at test time (broken symlink, symlink
loop, unreadable file, files over the size limit, a gzip bomb, and the big ones: 50 MB, one
5 MB line, HTML nested 100,000 deep), goes through one ``normalizer run`` over a folder:

* the batch never stops: exit code 0, no traceback, one record per document (one per
  non-blank line of a JSON Lines file): records in = records out, in input order;
* a bad document gives one error record whose message names the file (and, for JSON Lines,
  the line number); a document that can be decoded gives an ok record with the right text;
* every record validates against the record's JSON Schema.

The CLI runs inside a network namespace without network when ``unshare -n`` works here.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from normalizer.config import Config

ROOT = Path(__file__).resolve().parent.parent
BAD = Path(__file__).resolve().parent / "data" / "bad"

sys.path.insert(0, str(ROOT / "scripts"))
import make_bad_fixtures as gen  # noqa: E402

sys.path.remove(str(ROOT / "scripts"))

SCHEMA = json.loads(
    (resources.files("normalizer") / "schema" / "record.schema.json").read_text("utf-8")
)
LIMIT = Config().max_input_bytes
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


from netns import NONET  # noqa: E402 - tests/ is on sys.path via conftest


def cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [*NONET, sys.executable, "-m", "normalizer", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=timeout,
    )


def read_records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


# ------------------------------------------------------------------------- expectations
# file -> (status, error type, text the record's original_text must contain (ok records))

UK = gen.UK
EXPECT: dict[str, tuple[str, str | None, str | None]] = {
    "binary.bin": ("error", "binary_input", None),
    "image.png.html": ("error", "binary_input", None),
    "empty.txt": ("error", "empty_input", None),
    "whitespace.txt": ("error", "empty_input", None),
    "nul_bytes.txt": ("error", "binary_input", None),
    "cp1251.txt": ("ok", None, "\n\n".join(UK["cp1251"])),
    "koi8u.txt": ("ok", None, "\n\n".join(UK["koi8u"])),
    "utf16_bom.txt": ("ok", None, "\n\n".join(UK["utf16"])),
    "cp1251.html": ("ok", None, "\n\n".join(UK["cp1251_html"])),
    "koi8u.html": ("ok", None, "\n\n".join(UK["koi8u_html"])),
    # UTF-8 with two broken sequences: read as UTF-8, broken bytes as U+FFFD, the rest intact
    "invalid_utf8.txt": ("ok", None, UK["utf8_invalid"][0][30:]),
    "malformed.html": ("ok", None, "Officials confirmed the delivery of the systems on Monday"),
    "truncated.html": (
        "ok",
        None,
        "The article starts normally and the download stops in the middle of a tag",
    ),
    "truncated_comment.html": ("ok", None, "Text before a comment that never ends"),
    "truncated.txt.gz": ("error", "decode_error", None),
    # made at test time
    "broken_link.txt": ("error", "read_error", None),
    "loop.txt": ("error", "read_error", None),
    "unreadable.txt": ("error", "read_error", None),  # not as root: root reads mode 000 files
    "too_large.txt": ("error", "too_large", None),
    "bomb.txt.gz": ("error", "too_large", None),
}
# broken.jsonl: line number -> (status, error type, id)
JSONL = {
    1: ("ok", None, "j-ok"),
    2: ("error", "json_error", "broken:2"),
    3: ("error", "json_error", "broken:3"),
    4: ("error", "missing_field", "j-missing"),
    5: ("ok", None, "j-dup"),
    # line 6 is blank: no record
    7: ("ok", None, "j-dup"),  # duplicate ids are kept, each record its own line
    8: ("ok", None, "j-html"),
    9: ("ok", None, "17"),
    10: ("error", "missing_field", "j-num-text"),
    11: ("error", "missing_field", "j-null"),
    12: ("error", "json_error", "broken:12"),
    13: ("error", "empty_input", "j-empty"),
    14: ("error", "binary_input", "j-nul"),
    15: ("error", "json_error", "broken:15"),
}


def make_folder(d: Path) -> list[str]:
    """The bad folder: committed fixtures plus the cases that must be made here."""
    d.mkdir()
    for p in sorted(BAD.iterdir()):
        if p.name != "README.md":
            shutil.copy(p, d / p.name)
    (d / "broken_link.txt").symlink_to(d / "does-not-exist.txt")
    (d / "loop.txt").symlink_to(d / "loop.txt")  # ELOOP: unreadable even for root
    if not IS_ROOT:
        (d / "unreadable.txt").write_text("secret")
        (d / "unreadable.txt").chmod(0)
    with open(d / "too_large.txt", "wb") as f:  # sparse: no disk, no time
        f.truncate(LIMIT + 1)
    with gzip.GzipFile(d / "bomb.txt.gz", "wb", mtime=0, compresslevel=1) as f:
        block = b"a" * (1 << 20)
        for _ in range(LIMIT // len(block) + 2):  # ~66 MB of 'a' in ~100 KB
            f.write(block)
    return sorted(n for n in EXPECT if (d / n).exists() or (d / n).is_symlink())


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bad")
    names = make_folder(tmp / "in")
    out = tmp / "out.jsonl"
    # --include '*': every file is read, whatever its name (binary.bin is not a document suffix)
    p = cli(
        "run", str(tmp / "in"), "-o", str(out), "--no-cache", "--no-translate", "--include", "*"
    )
    return {
        "proc": p,
        "names": names,
        "dir": tmp / "in",
        "records": read_records(out) if out.exists() else None,
    }


def test_batch_survives_and_records_in_equal_records_out(bad_run):
    p = bad_run["proc"]
    assert p.returncode == 0, p.stderr[-3000:]
    assert "Traceback" not in p.stderr
    recs = bad_run["records"]
    n_in = len(bad_run["names"]) + len(JSONL)
    assert len(recs) == n_in, [r["source"] for r in recs]
    # input order: files sorted by name, JSON Lines records in line order
    sources = [r["source"].replace(str(bad_run["dir"]) + os.sep, "") for r in recs]
    expected = sorted(
        [*bad_run["names"], *(f"broken.jsonl:{n}" for n in JSONL)],
        key=lambda s: (s.split(":")[0], int(s.split(":")[1]) if ":" in s else 0),
    )
    assert sources == expected
    for r in recs:
        jsonschema.validate(r, SCHEMA)
    # the summary line counts what went in
    assert f"{n_in} documents" in p.stderr


def _by_source(bad_run) -> dict[str, dict]:
    return {r["source"].replace(str(bad_run["dir"]) + os.sep, ""): r for r in bad_run["records"]}


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_each_bad_file(bad_run, name):
    if name not in bad_run["names"]:
        pytest.skip(
            "unreadable-by-mode file cannot be made as root (root reads mode 000 files); "
            "loop.txt and broken_link.txt cover unreadable files there"
        )
    status, etype, text = EXPECT[name]
    rec = _by_source(bad_run)[name]
    assert rec["status"] == status, rec["error"]
    if status == "error":
        assert rec["error"]["type"] == etype, rec["error"]
        msg = rec["error"]["message"]
        assert str(bad_run["dir"] / name) in msg, msg  # names the file
        assert len(msg) < 300 and "Traceback" not in msg
        assert rec["fragments"] == [] and rec["text"] == ""
        assert rec["id"]  # still carries an id and source
        assert f"error: {msg}" in bad_run["proc"].stderr  # and says so on stderr
    else:
        assert rec["error"] is None
        assert text in rec["original_text"], rec["original_text"][:500]
        assert "\ufffd" not in rec["original_text"] or name == "invalid_utf8.txt"


@pytest.mark.parametrize("line", sorted(JSONL))
def test_each_jsonl_line(bad_run, line):
    status, etype, rid = JSONL[line]
    rec = _by_source(bad_run)[f"broken.jsonl:{line}"]
    assert (rec["status"], rec["id"]) == (status, rid), rec
    if status == "error":
        assert rec["error"]["type"] == etype
        assert rec["error"]["message"].startswith(f"{bad_run['dir'] / 'broken.jsonl'}:{line}:"), (
            rec["error"]
        )


def test_same_records_with_two_workers(bad_run, tmp_path):
    """Bad inputs handled in worker processes: the same bytes as one process."""
    out1 = bad_run["dir"].parent / "out.jsonl"
    out2 = tmp_path / "out2.jsonl"
    p = cli(
        "run",
        str(bad_run["dir"]),
        "-o",
        str(out2),
        "--no-cache",
        "--no-translate",
        "--include",
        "*",
        "--jobs",
        "2",
        "--chunk-size",
        "3",
    )
    assert p.returncode == 0, p.stderr[-3000:]
    assert out2.read_bytes() == out1.read_bytes()


@pytest.mark.parametrize(
    "name", ["binary.bin", "nul_bytes.txt", "empty.txt", "broken.jsonl", "cp1251.txt"]
)
def test_bad_stdin(name, tmp_path):
    """The same inputs piped to stdin: named <stdin> (with the line for JSON Lines)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(BAD / name, "rb") as f:
        p = subprocess.run(
            [
                *NONET,
                sys.executable,
                "-m",
                "normalizer",
                "run",
                "-",
                "--no-cache",
                "--no-translate",
            ],
            stdin=f,
            capture_output=True,
            cwd=ROOT,
            env=env,
            timeout=300,
        )
    assert p.returncode == 0 and b"Traceback" not in p.stderr, p.stderr.decode()[-2000:]
    recs = [json.loads(line) for line in p.stdout.decode("utf-8").splitlines()]
    if name == "broken.jsonl":
        assert [r["source"] for r in recs] == [f"<stdin>:{n}" for n in sorted(JSONL)]
        assert [r["status"] for r in recs] == [JSONL[n][0] for n in sorted(JSONL)]
        return
    status, etype, text = EXPECT[name]
    assert len(recs) == 1 and recs[0]["status"] == status and recs[0]["source"] == "<stdin>"
    if status == "error":
        assert recs[0]["error"]["type"] == etype and "<stdin>" in recs[0]["error"]["message"]
    else:
        assert text in recs[0]["original_text"]


def test_fail_on_error_exit_code(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(BAD / "empty.txt", d)
    (d / "fine.txt").write_text(
        "A perfectly normal short article about the weather in Kyiv today.\n"
    )
    p = cli(
        "run",
        str(d),
        "-o",
        str(tmp_path / "o.jsonl"),
        "--no-cache",
        "--no-translate",
        "--fail-on-error",
    )
    assert p.returncode == 1, p.stderr
    assert [r["status"] for r in read_records(tmp_path / "o.jsonl")] == ["error", "ok"]


def test_fixture_folder_is_small_and_documented():
    files = [p for p in BAD.iterdir() if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 1_000_000
    readme = (BAD / "README.md").read_text("utf-8")
    for p in files:
        if p.name != "README.md":
            assert f"`{p.name}`" in readme, f"{p.name} is not described in tests/data/bad/README.md"


# ----------------------------------------------------------------------------- big inputs


@pytest.fixture(scope="module")
def big_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("big")
    d = tmp / "in"
    d.mkdir()
    gen.big_text(d / "big_50mb.txt")
    gen.one_line(d / "one_line_5mb.txt")
    gen.deep_html(d / "deep_100k.html")
    out = tmp / "out.jsonl"
    p = cli("run", str(d), "-o", str(out), "--no-cache", "--no-translate", timeout=900)
    recs = read_records(out) if out.exists() else []
    return {
        "proc": p,
        "dir": d,
        "records": {Path(r["source"]).name: r for r in recs},
        "n": len(recs),
    }


def test_big_inputs_survive(big_run):
    p = big_run["proc"]
    assert p.returncode == 0, p.stderr[-3000:]
    assert "Traceback" not in p.stderr
    assert big_run["n"] == 3
    for name, rec in big_run["records"].items():
        assert rec["status"] == "ok", (name, rec["error"])
        jsonschema.validate(
            {**rec, "fragments": rec["fragments"][:50], "removed": rec["removed"][:50]}, SCHEMA
        )


def test_big_50mb_text_is_kept_whole(big_run):
    rec = big_run["records"]["big_50mb.txt"]
    size = (big_run["dir"] / "big_50mb.txt").stat().st_size
    assert rec["stats"]["chars_in"] == size  # ASCII: bytes = characters
    kept = sum(f["end"] - f["start"] for f in rec["fragments"] + rec["related"])
    removed = sum(r["end"] - r["start"] for r in rec["removed"])
    with open(big_run["dir"] / "big_50mb.txt", "rb") as f:
        newlines = sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b""))
    assert kept + removed == size - newlines  # only the newlines are not covered


def test_one_5mb_line(big_run):
    rec = big_run["records"]["one_line_5mb.txt"]
    text = (big_run["dir"] / "one_line_5mb.txt").read_text("utf-8")
    spans = rec["fragments"] + rec["related"] + rec["removed"]
    assert len(spans) == 1 and spans[0]["text"] == text
    assert rec["original_text"] == text  # article prose: kept


def test_html_100k_deep(big_run):
    rec = big_run["records"]["deep_100k.html"]
    assert "Deepest paragraph of the page" in rec["original_text"]
    assert "Text after the deep part." in rec["original_text"]


def test_page_dumped_on_one_line_keeps_its_article(tmp_path):
    """Scrapers that join a page's text with spaces leave boilerplate phrases inside one long
    line; the line is the article, it must not go whole into `removed` (or `related`)."""
    from normalizer import Config, Normalizer

    with Normalizer(Config(models_dir=str(tmp_path / "m"), use_cache=False, translate=False)) as n:
        for p in sorted((ROOT / "samples").glob("*.txt")):
            text = " ".join(ln.strip() for ln in p.read_text("utf-8").splitlines() if ln.strip())
            rec = n.normalize(text, translate=False)
            assert [f.text for f in rec.fragments] == [text], (
                p.name,
                [(r.reason, r.rule) for r in rec.removed],
            )


# ------------------------------------------------------------------------------ decoding


@pytest.mark.parametrize("enc", ["cp1251", "koi8_u", "utf-16", "utf-8-sig", "utf-32"])
def test_decode_encodings_api(enc):
    from normalizer.io.read import decode

    text = "\n".join(UK["cp1251"] + UK["koi8u"]) + "\n"
    assert decode(text.encode(enc)) == text


def test_decode_mostly_utf8():
    """A UTF-8 file with a few broken bytes stays UTF-8 (not mojibake, not an error)."""
    from normalizer.io.read import decode

    text = "\n".join(UK["utf16"] + UK["koi8u"])
    data = text.encode("utf-8")
    damaged = (
        data[:51] + b"\xff" + data[51:] + "Кінець".encode()[:-1]
    )  # a stray byte, a cut character
    out = decode(damaged)
    assert "\ufffd" in out
    assert UK["koi8u"][0] in out and UK["koi8u"][1] in out
    assert set(out) - set(text + "Кінец") <= {"\ufffd"}  # no mojibake anywhere


# ----------------------------------------------------------------------------- no network


def test_network_is_blocked_in_tests():
    """The conftest guard: any outbound connection attempt fails loudly."""
    with pytest.raises(Exception, match="network"):
        socket.create_connection(("example.org", 80), timeout=1)
    with pytest.raises(Exception, match="network"):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).connect(("127.0.0.1", 9))
    with pytest.raises(Exception, match="network"):
        socket.getaddrinfo("example.org", 443)


@pytest.mark.skipif(not NONET, reason="no network namespace available (unshare -n)")
def test_cli_runs_without_network(tmp_path):
    """The main job on the samples, inside a network namespace without network."""
    probe = subprocess.run(
        [
            *NONET,
            sys.executable,
            "-c",
            "import socket; s = socket.socket(); s.settimeout(2); "
            "print(s.connect_ex(('192.0.2.1', 80)))",
        ],
        capture_output=True,
        text=True,
    )
    assert probe.stdout.strip() not in ("0", ""), probe  # really no route out
    out = tmp_path / "samples.jsonl"
    p = cli("run", "samples", "-o", str(out))
    assert p.returncode == 0, p.stderr
    assert len(read_records(out)) == len(list((ROOT / "samples").glob("*.txt")))
