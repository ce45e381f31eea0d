"""Model directory management: install / list / remove and archive validation.

Every bad archive must be rejected with a clear ModelError and leave the models
directory exactly as it was (whether it existed or not).
"""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from normalizer.translation import models
from normalizer.translation.models import ModelError, ModelInfo

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "data" / "models" / "translate-uk_en-tiny.argosmodel"
TOP = "translate-uk_en-tiny"


# ------------------------------------------------------------------ helpers


def tiny_entries() -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(TINY) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist() if not i.is_dir()]


def write_zip(path: Path, entries, *, compress=zipfile.ZIP_DEFLATED) -> Path:
    """entries: (name or ZipInfo, bytes)."""
    with zipfile.ZipFile(path, "w", compression=compress) as zf:
        for name, data in entries:
            zf.writestr(name, data)
    return path


def replace_entry(entries, name, data=None):
    out = [(n, d) for n, d in entries if n != name]
    if data is not None:
        out.append((name, data))
    return out


def snapshot(d: Path):
    if not d.exists():
        return None
    return sorted(
        (str(p.relative_to(d)), p.stat().st_size if p.is_file() else -1) for p in d.rglob("*")
    )


@pytest.fixture
def models_dir(tmp_path) -> Path:
    return tmp_path / "models"


# ------------------------------------------------------------- directory


def test_resolve_models_dir_precedence(tmp_path, monkeypatch):
    monkeypatch.setenv("NORMALIZER_MODELS_DIR", str(tmp_path / "env"))
    assert models.resolve_models_dir(str(tmp_path / "arg")) == tmp_path / "arg"
    assert models.resolve_models_dir() == tmp_path / "env"
    monkeypatch.delenv("NORMALIZER_MODELS_DIR")
    default = models.resolve_models_dir()
    assert default.name == "models" and "normalizer" in default.parts
    # conftest points XDG_DATA_HOME into a temporary folder
    assert str(default).startswith(os.environ["XDG_DATA_HOME"])


# ------------------------------------------------------------ good package


def test_install_list_remove(models_dir):
    assert models.list_installed(models_dir) == []
    info = models.install(TINY, models_dir)
    assert isinstance(info, ModelInfo)
    assert (info.id, info.from_code, info.to_code, info.version) == (TOP, "uk", "en", "0.1")
    assert info.path == models_dir / TOP
    assert info.name and "Ukrainian" in info.name
    assert (info.path / "model" / "model.bin").is_file()
    assert (info.path / "sentencepiece.model").is_file()
    # no temporary folders left behind
    assert sorted(p.name for p in models_dir.iterdir()) == [TOP]
    assert models.list_installed(models_dir) == [info]

    with pytest.raises(ModelError, match="already installed"):
        models.install(TINY, models_dir)
    assert sorted(p.name for p in models_dir.iterdir()) == [TOP]

    removed = models.remove(TOP, models_dir)
    assert removed == info
    assert models.list_installed(models_dir) == []
    assert list(models_dir.iterdir()) == []
    with pytest.raises(ModelError, match="no installed model"):
        models.remove(TOP, models_dir)
    with pytest.raises(ModelError, match="invalid model id"):
        models.remove("../etc", models_dir)


def test_env_models_dir_is_used(tmp_path, monkeypatch):
    monkeypatch.setenv("NORMALIZER_MODELS_DIR", str(tmp_path / "envmodels"))
    info = models.install(TINY)
    assert info.path == tmp_path / "envmodels" / TOP
    assert [i.id for i in models.list_installed()] == [TOP]


def test_list_is_sorted_and_skips_junk(models_dir, tmp_path):
    models.install(TINY, models_dir)
    # a second pair, made from the tiny package with other codes and folder name
    entries = []
    for name, data in tiny_entries():
        name = name.replace(TOP, "translate-ru_en-tiny", 1)
        if name.endswith("metadata.json"):
            meta = json.loads(data)
            meta.update(from_code="ru", from_name="Russian")
            data = json.dumps(meta).encode()
        entries.append((name, data))
    models.install(write_zip(tmp_path / "ru.argosmodel", entries), models_dir)
    (models_dir / ".install-leftover").mkdir()
    (models_dir / "not-a-package").mkdir()
    (models_dir / "stray-file.txt").write_text("x")
    got = models.list_installed(models_dir)
    assert [(i.from_code, i.id) for i in got] == [("ru", "translate-ru_en-tiny"), ("uk", TOP)]
    assert got == models.list_installed(models_dir)


def test_cli_models_commands(models_dir):
    """The real command line: normalizer models install / list / remove."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "normalizer", "models", "--models-dir", str(models_dir)]
    r = subprocess.run(cmd + ["install", str(TINY)], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert TOP in r.stdout
    r = subprocess.run(cmd + ["list"], capture_output=True, text=True, env=env)
    assert r.returncode == 0 and TOP in r.stdout and "uk" in r.stdout
    bad = models_dir.parent / "bad.argosmodel"
    bad.write_bytes(b"not a zip")
    before = snapshot(models_dir)
    r = subprocess.run(cmd + ["install", str(bad)], capture_output=True, text=True, env=env)
    assert r.returncode != 0 and "not a valid .argosmodel" in r.stderr
    assert "Traceback" not in r.stderr
    assert snapshot(models_dir) == before
    r = subprocess.run(cmd + ["remove", TOP], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert models.list_installed(models_dir) == []


# ------------------------------------------------------------ bad archives


def _symlink_entry(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


def _bomb_entries():
    info = zipfile.ZipInfo(f"{TOP}/model/padding.bin")
    info.compress_type = zipfile.ZIP_DEFLATED
    return tiny_entries() + [(info, b"\0" * (8 * 1024 * 1024))]


def _meta(**changes):
    base = json.loads(dict(tiny_entries())[f"{TOP}/metadata.json"])
    base.update(changes)
    for k, v in list(base.items()):
        if v is None:
            del base[k]
    return json.dumps(base).encode()


BAD_ARCHIVES = {
    "dotdot": (lambda: tiny_entries() + [("../evil.txt", b"x")], r"'\.\.'"),
    "dotdot_inside": (lambda: tiny_entries() + [(f"{TOP}/../../evil.txt", b"x")], r"'\.\.'"),
    "absolute": (lambda: tiny_entries() + [("/tmp/evil.txt", b"x")], "absolute path"),
    "windows_drive": (lambda: tiny_entries() + [("C:/evil.txt", b"x")], "absolute path"),
    "backslash": (lambda: tiny_entries() + [(f"{TOP}\\..\\evil.txt", b"x")], "backslash"),
    "symlink": (
        lambda: tiny_entries() + [_symlink_entry(f"{TOP}/model/link", "/etc/passwd")],
        "symbolic link",
    ),
    "zip_bomb": (_bomb_entries, "compression ratio"),
    "two_top_folders": (
        lambda: tiny_entries() + [("other/readme.txt", b"x")],
        "one top-level folder",
    ),
    "file_at_top": (lambda: tiny_entries() + [("readme.txt", b"x")], "one top-level folder"),
    "no_metadata": (
        lambda: replace_entry(tiny_entries(), f"{TOP}/metadata.json"),
        "metadata.json is missing",
    ),
    "metadata_not_json": (
        lambda: replace_entry(tiny_entries(), f"{TOP}/metadata.json", b"{nope"),
        "not valid JSON",
    ),
    "metadata_not_object": (
        lambda: replace_entry(tiny_entries(), f"{TOP}/metadata.json", b"[1, 2]"),
        "JSON object",
    ),
    "metadata_no_from_code": (
        lambda: replace_entry(tiny_entries(), f"{TOP}/metadata.json", _meta(from_code=None)),
        "from_code",
    ),
    "metadata_bad_to_code": (
        lambda: replace_entry(tiny_entries(), f"{TOP}/metadata.json", _meta(to_code="../en")),
        "to_code",
    ),
    "metadata_wrong_type": (
        lambda: replace_entry(tiny_entries(), f"{TOP}/metadata.json", _meta(type="sbd")),
        "not a translation package",
    ),
    "no_model_dir": (
        lambda: [(n, d) for n, d in tiny_entries() if "/model/" not in n],
        "model.bin is missing",
    ),
    "no_tokenizer": (
        lambda: replace_entry(tiny_entries(), f"{TOP}/sentencepiece.model"),
        "tokenizer missing",
    ),
    "bad_tokenizer": (
        lambda: replace_entry(tiny_entries(), f"{TOP}/sentencepiece.model", b"garbage"),
        "sentencepiece.model cannot be loaded",
    ),
    "bad_folder_name": (
        lambda: [(n.replace(TOP, "-bad name", 1), d) for n, d in tiny_entries()],
        "invalid package folder name",
    ),
    "empty": (lambda: [], "empty"),
}


@pytest.mark.parametrize("preinstalled", [False, True], ids=["fresh", "with-model"])
@pytest.mark.parametrize("case", sorted(BAD_ARCHIVES))
def test_bad_archive_rejected_and_dir_unchanged(case, preinstalled, models_dir, tmp_path):
    make, message = BAD_ARCHIVES[case]
    if preinstalled:
        # another model already there (under another id, so the bad archive's
        # folder name does not clash with it)
        models.install(TINY, models_dir)
        (models_dir / TOP).rename(models_dir / "translate-uk_en-old")
    before = snapshot(models_dir)
    archive = write_zip(tmp_path / f"{case}.argosmodel", make())
    with pytest.raises(ModelError, match=message):
        models.install(archive, models_dir)
    assert snapshot(models_dir) == before


def test_oversize_archive_rejected(models_dir):
    with pytest.raises(ModelError, match="unpacks to more than"):
        models.install(TINY, models_dir, max_bytes=100_000)
    assert snapshot(models_dir) is None


def test_not_a_zip_and_missing_file(models_dir, tmp_path):
    junk = tmp_path / "junk.argosmodel"
    junk.write_text("this is not a zip archive")
    with pytest.raises(ModelError, match="not a valid .argosmodel"):
        models.install(junk, models_dir)
    with pytest.raises(ModelError, match="no such file"):
        models.install(tmp_path / "missing.argosmodel", models_dir)
    assert snapshot(models_dir) is None


@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.95])
def test_truncated_zip_rejected(models_dir, tmp_path, fraction):
    data = TINY.read_bytes()
    cut = tmp_path / "cut.argosmodel"
    cut.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(ModelError, match="not a valid .argosmodel"):
        models.install(cut, models_dir)
    assert snapshot(models_dir) is None


def test_corrupt_member_data_rejected(models_dir, tmp_path):
    """Central directory intact, file data damaged: caught while extracting,
    and the temporary folder is cleaned up."""
    data = bytearray(TINY.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo(f"{TOP}/model/model.bin")
    # local header: 30 bytes + name + extra, then the compressed data
    name_len = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_len = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    for off in range(start + 1000, start + 1100):
        data[off] ^= 0xFF
    bad = tmp_path / "corrupt.argosmodel"
    bad.write_bytes(bytes(data))
    models_dir.mkdir()
    before = snapshot(models_dir)
    with pytest.raises(ModelError, match="corrupt or truncated"):
        models.install(bad, models_dir)
    assert snapshot(models_dir) == before
