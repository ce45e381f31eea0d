"""Hostile model archives through the command line (issue 7: security).

tests/test_models.py covers archive validation through the Python API (``models.install``).
This file adds what it does not: every attack through the real command line
(``normalizer models install ARCHIVE --models-dir DIR``), asserting the exit code, a clear
one-line message (no traceback), the models directory unchanged and nothing written
outside it; plus the cases the API tests do not build: a zip bomb whose headers lie about
its size, too many entries, duplicate entries, an encrypted entry, a symlink-then-write
pair, an installed folder that is a symlink, a models "directory" that is a file.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "data" / "models" / "translate-uk_en-tiny.argosmodel"
TOP = "translate-uk_en-tiny"

pytestmark = pytest.mark.skipif(not TINY.exists(), reason="tests/data/models/ tiny package missing")


from netns import NONET  # noqa: E402 - tests/ is on sys.path via conftest


def cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [*NONET, sys.executable, "-m", "normalizer", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )


def tiny_entries() -> list[tuple[str | zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(TINY) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist() if not i.is_dir()]


def write_zip(path: Path, entries) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return path


def tree(d: Path):
    """Everything under ``d`` (names, kinds, sizes); None when it does not exist."""
    if not d.exists() and not d.is_symlink():
        return None
    return sorted(
        (
            str(p.relative_to(d)),
            p.is_symlink(),
            p.is_dir(),
            p.lstat().st_size if p.is_file() and not p.is_symlink() else 0,
        )
        for p in d.rglob("*")
    )


def symlink(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


def meta(**changes) -> bytes:
    m = json.loads(dict(tiny_entries())[f"{TOP}/metadata.json"])
    m.update(changes)
    return json.dumps({k: v for k, v in m.items() if v is not None}).encode()


def with_meta(data: bytes | None):
    return [(n, d) for n, d in tiny_entries() if n != f"{TOP}/metadata.json"] + (
        [(f"{TOP}/metadata.json", data)] if data is not None else []
    )


def patch_headers(
    path: Path, name: str, local_off: int, central_off: int, value: bytes, mode: str = "set"
) -> Path:
    """Overwrite (or OR in) ``value`` at the given offsets of entry ``name``'s local header
    and central directory record: headers that lie."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name)
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        n_len = int.from_bytes(data[pos + 28 : pos + 30], "little")
        if data[pos + 46 : pos + 46 + n_len] == name.encode():
            break
        pos = data.find(b"PK\x01\x02", pos + 4)
    assert pos >= 0
    for off in (info.header_offset + local_off, pos + central_off):
        old = data[off : off + len(value)]
        data[off : off + len(value)] = (
            value if mode == "set" else bytes(x | y for x, y in zip(old, value))
        )
    path.write_bytes(bytes(data))
    return path


def lying_bomb(path: Path) -> Path:
    """A 64 MB entry whose local and central headers both claim 1 KB: the declared sizes
    pass every check, only counting the bytes (or the CRC) can stop it."""
    name = f"{TOP}/model/padding.bin"
    write_zip(path, tiny_entries() + [(name, b"\0" * (64 << 20))])
    return patch_headers(path, name, 22, 24, (1024).to_bytes(4, "little"))


def many_entries(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, data in tiny_entries():
            zf.writestr(name, data)
        for i in range(10_001):
            zf.writestr(f"{TOP}/junk/{i}", b"")
    return path


def duplicate(path: Path) -> Path:
    import warnings

    entries = tiny_entries() + [(f"{TOP}/metadata.json", meta(from_code="ru"))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        return write_zip(path, entries)


def encrypted(path: Path) -> Path:
    name = f"{TOP}/model/secret.bin"
    write_zip(path, tiny_entries() + [(name, b"x" * 100)])
    return patch_headers(path, name, 6, 8, b"\x01", mode="or")  # general purpose bit 0


# case -> (archive builder, words the message must contain)
CASES = {
    "zip_slip_dotdot": (
        lambda p: write_zip(p, tiny_entries() + [("../../evil.txt", b"pwned")]),
        "'..'",
    ),
    "zip_slip_inside": (
        lambda p: write_zip(p, tiny_entries() + [(f"{TOP}/model/../../../evil.txt", b"pwned")]),
        "'..'",
    ),
    "zip_slip_absolute": (
        lambda p: write_zip(p, tiny_entries() + [(str(p.parent / "evil.txt"), b"pwned")]),
        "absolute path",
    ),
    "symlink_entry": (
        lambda p: write_zip(p, tiny_entries() + [symlink(f"{TOP}/model/link", "/etc/passwd")]),
        "symbolic link",
    ),
    "symlink_then_write": (
        lambda p: write_zip(
            p,
            tiny_entries()
            + [symlink(f"{TOP}/out", str(p.parent)), (f"{TOP}/out/evil.txt", b"pwned")],
        ),
        "symbolic link",
    ),
    "zip_bomb_ratio": (
        lambda p: write_zip(p, tiny_entries() + [(f"{TOP}/model/pad.bin", b"\0" * (16 << 20))]),
        "compression ratio",
    ),
    "zip_bomb_lying_sizes": (lying_bomb, "corrupt or truncated"),
    "too_many_entries": (many_entries, "entries"),
    "duplicate_entry": (duplicate, "appears twice"),
    "encrypted_entry": (encrypted, "encrypted"),
    "metadata_missing": (lambda p: write_zip(p, with_meta(None)), "metadata.json is missing"),
    "metadata_not_json": (lambda p: write_zip(p, with_meta(b"\xff\xfe{")), "not valid JSON"),
    "metadata_wrong_codes": (
        lambda p: write_zip(p, with_meta(meta(from_code="Ukrainian"))),
        "from_code",
    ),
    "metadata_same_codes": (lambda p: write_zip(p, with_meta(meta(to_code="uk"))), "the same"),
    "truncated_zip": (
        lambda p: p.write_bytes(TINY.read_bytes()[: TINY.stat().st_size // 2]) and p,
        "not a valid .argosmodel",
    ),
    "not_a_zip": (lambda p: p.write_bytes(b"PK\x03\x04 garbage") and p, "not a valid .argosmodel"),
}


@pytest.fixture(scope="module")
def installed_template(tmp_path_factory):
    """A models folder holding one installed package (under another id than the archives')."""
    from normalizer.translation import models as m

    d = tmp_path_factory.mktemp("template") / "models"
    m.install(TINY, d)
    (d / TOP).rename(d / "translate-uk_en-old")
    return d


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_archive_rejected_by_cli(case, installed_template, tmp_path):
    import shutil

    build, words = CASES[case]
    work = tmp_path / "work"
    work.mkdir()
    models = tmp_path / "models"
    shutil.copytree(installed_template, models, symlinks=True)
    archive = build(work / f"{case}.argosmodel")
    before, outside = tree(models), tree(tmp_path.parent)
    r = cli("models", "install", str(archive), "--models-dir", str(models))
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    msg = r.stderr.strip()
    assert msg.startswith("normalizer: ") and words in msg, msg
    assert archive.name in msg or str(archive) in msg, msg  # names the file
    assert len(msg.splitlines()) == 1
    assert tree(models) == before  # models dir unchanged
    assert tree(tmp_path.parent) == outside  # nothing written anywhere
    assert not list(tmp_path.parent.rglob("evil.txt"))
    assert not Path("/tmp/evil.txt").exists() and not (ROOT / "evil.txt").exists()


def test_installed_folder_that_is_a_symlink_is_not_followed(tmp_path):
    """A pre-existing ``models/<id>`` symlink (planted elsewhere) must not be written through."""
    models, elsewhere = tmp_path / "models", tmp_path / "elsewhere"
    models.mkdir()
    elsewhere.mkdir()
    (models / TOP).symlink_to(elsewhere, target_is_directory=True)
    r = cli("models", "install", str(TINY), "--models-dir", str(models))
    assert r.returncode == 1 and "already installed" in r.stderr, r.stderr
    assert list(elsewhere.iterdir()) == []
    assert sorted(p.name for p in models.iterdir()) == [TOP]


def test_models_dir_that_is_a_file(tmp_path):
    models = tmp_path / "models"
    models.write_text("not a folder")
    r = cli("models", "install", str(TINY), "--models-dir", str(models))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "models directory" in r.stderr or "Not a directory" in r.stderr, r.stderr
    assert models.read_text() == "not a folder"


def test_missing_archive(tmp_path):
    r = cli(
        "models", "install", str(tmp_path / "nope.argosmodel"), "--models-dir", str(tmp_path / "m")
    )
    assert r.returncode == 1 and "no such file" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "m").exists()


def test_good_archive_still_installs_after_bad_ones(tmp_path):
    """Rejections leave nothing behind that blocks the real package."""
    models = tmp_path / "models"
    for case in ("zip_slip_dotdot", "zip_bomb_lying_sizes", "symlink_entry"):
        cli(
            "models",
            "install",
            str(CASES[case][0](tmp_path / f"{case}.argosmodel")),
            "--models-dir",
            str(models),
        )
    r = cli("models", "install", str(TINY), "--models-dir", str(models))
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in models.iterdir()) == [TOP]
