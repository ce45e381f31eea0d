"""Translation model management: install, list and remove Argos Translate packages.

Models live in one directory (``--models-dir``, else ``$NORMALIZER_MODELS_DIR``,
else ``<user data dir>/normalizer/models``); each installed package is one
sub-folder named after the archive's top-level folder, which is the model id.

An ``.argosmodel`` file is a zip archive with one top-level folder holding
``metadata.json`` (``from_code``, ``to_code``, ``package_version``…), a
CTranslate2 model in ``model/`` and a ``sentencepiece.model`` (or ``bpe.model``).
:func:`install` validates the whole archive before anything touches the models
directory (paths, links, sizes, metadata, required files), extracts it into a
temporary folder inside the models directory, checks the CRCs and the tokenizer
there, and renames it into place, so a failed install leaves no trace.

Only :func:`available` and :func:`download` use the network, through
:mod:`normalizer.download`, and only when called; the rest works on local files.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

__all__ = [
    "ModelError",
    "ModelInfo",
    "resolve_models_dir",
    "install",
    "list_installed",
    "remove",
    "MAX_UNCOMPRESSED_BYTES",
    "IndexEntry",
    "DownloadResult",
    "available",
    "download",
    "resolve_index_url",
    "DEFAULT_INDEX",
]

ENV_MODELS_DIR = "NORMALIZER_MODELS_DIR"
# Real Argos packages are 50–300 MB unpacked; 4 GiB leaves room and stops zip bombs.
MAX_UNCOMPRESSED_BYTES = 4 * 1024**3
MAX_ENTRIES = 10_000
# Model weights compress poorly (ratio ~1.1); anything beyond this is a bomb.
MAX_COMPRESSION_RATIO = 200
_RATIO_MIN_BYTES = 1024 * 1024

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$")
_LANG_RE = re.compile(r"^[a-z]{2,3}([_-][A-Za-z0-9]{2,8})?$")
_TOKENIZER_FILES = ("sentencepiece.model", "bpe.model")


class ModelError(Exception):
    """A model could not be installed, found or removed (message is user-facing)."""


@dataclass(frozen=True)
class ModelInfo:
    id: str
    from_code: str
    to_code: str
    version: str
    path: Path
    name: str | None = None


# ---------------------------------------------------------------- directory


def resolve_models_dir(models_dir: str | Path | None = None) -> Path:
    """The models directory: the argument, else ``$NORMALIZER_MODELS_DIR``, else
    ``<platformdirs user data dir>/normalizer/models``.  Not created here."""
    if models_dir:
        return Path(models_dir).expanduser()
    env = os.environ.get(ENV_MODELS_DIR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("normalizer", appauthor=False)) / "models"


def _argos_package_module(models_dir: Path):
    """Import ``argostranslate.package`` with its settings pointed at ``models_dir``.

    Argos Translate reads its settings once, at import; its packages directory is
    set first so that nothing it does at import touches another directory.  Our
    code always passes explicit paths anyway.
    """
    import sys

    if "argostranslate.settings" not in sys.modules:
        os.environ.setdefault("ARGOS_PACKAGES_DIR", str(models_dir))
        os.environ.setdefault("ARGOS_DEVICE_TYPE", "cpu")
    from argostranslate import package  # noqa: PLC0415  (lazy on purpose)

    return package


def _describe(path: Path, root: Path) -> ModelInfo:
    """Describe one installed package directory with Argos Translate's ``Package``."""
    package = _argos_package_module(root)
    try:
        pkg = package.Package(path)
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path.name}: unreadable package ({exc})") from exc
    if not isinstance(pkg.from_code, str) or not isinstance(pkg.to_code, str):
        raise ModelError(f"{path.name}: metadata.json lacks from_code/to_code")
    from_name, to_name = getattr(pkg, "from_name", None), getattr(pkg, "to_name", None)
    name = f"{from_name} → {to_name}" if from_name and to_name else None
    return ModelInfo(
        id=path.name,
        from_code=pkg.from_code,
        to_code=pkg.to_code,
        version=str(pkg.package_version or ""),
        path=path,
        name=name,
    )


def list_installed(models_dir: str | Path | None = None) -> list[ModelInfo]:
    """Installed translation packages, sorted by (from_code, to_code, id).

    Hidden folders (temporary install/remove folders) and folders that are not
    valid packages are skipped.
    """
    root = resolve_models_dir(models_dir)
    if not root.is_dir():
        return []
    found = []
    for child in sorted(root.iterdir()):
        if child.name.startswith(".") or not child.is_dir() or child.is_symlink():
            continue
        if not (child / "metadata.json").is_file():
            continue
        try:
            info = _describe(child, root)
        except ModelError:
            continue
        found.append(info)
    return sorted(found, key=lambda i: (i.from_code, i.to_code, i.id))


def remove(model_id: str, models_dir: str | Path | None = None) -> ModelInfo:
    """Remove the installed package ``model_id``; returns what was removed."""
    root = resolve_models_dir(models_dir)
    if not _ID_RE.match(model_id or ""):
        raise ModelError(f"invalid model id {model_id!r}")
    installed = {i.id: i for i in list_installed(root)}
    info = installed.get(model_id)
    if info is None:
        known = ", ".join(sorted(installed)) or "none"
        raise ModelError(f"no installed model {model_id!r} in {root} (installed: {known})")
    # Rename first so a half-deleted folder is never mistaken for a package.
    trash = Path(tempfile.mkdtemp(prefix=".remove-", dir=root))
    os.replace(info.path, trash / model_id)
    shutil.rmtree(trash, ignore_errors=True)
    return info


# ------------------------------------------------------------------ install


def _check_member_name(name: str) -> PurePosixPath:
    if not name or "\x00" in name:
        raise ModelError(f"archive entry with an empty or invalid name: {name!r}")
    if "\\" in name:
        raise ModelError(f"archive entry {name!r} uses backslashes (unsafe path)")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise ModelError(f"archive entry {name!r} has an absolute path (unsafe)")
    parts = PurePosixPath(name).parts
    if any(p in ("..", ".") for p in name.rstrip("/").split("/")):
        raise ModelError(f"archive entry {name!r} contains '..' or '.' (path traversal)")
    if not parts:
        raise ModelError(f"archive entry with an empty name: {name!r}")
    return PurePosixPath(*parts)


def _entry_kind(info: zipfile.ZipInfo) -> str:
    mode = info.external_attr >> 16
    if info.create_system == 3 and mode:  # Unix attributes present
        fmt = stat.S_IFMT(mode)
        if fmt == stat.S_IFLNK:
            return "link"
        if fmt == stat.S_IFDIR:
            return "dir"
        if fmt not in (stat.S_IFREG, 0):
            return "special"
    return "dir" if info.filename.endswith("/") else "file"


def _validate_archive(
    zf: zipfile.ZipFile, max_bytes: int
) -> tuple[str, dict, list[zipfile.ZipInfo]]:
    """Check every entry and the package layout; return (top, metadata, files)."""
    infos = zf.infolist()
    if not infos:
        raise ModelError("the archive is empty")
    if len(infos) > MAX_ENTRIES:
        raise ModelError(f"the archive has {len(infos)} entries (more than {MAX_ENTRIES})")
    tops: set[str] = set()
    files: list[zipfile.ZipInfo] = []
    seen: set[str] = set()
    total = 0
    for info in infos:
        path = _check_member_name(info.filename)
        kind = _entry_kind(info)
        if kind == "link":
            raise ModelError(f"archive entry {info.filename!r} is a symbolic link (not allowed)")
        if kind == "special":
            raise ModelError(f"archive entry {info.filename!r} is not a regular file or folder")
        if info.flag_bits & 0x1:
            raise ModelError(f"archive entry {info.filename!r} is encrypted")
        key = path.as_posix().lower()
        if key in seen:
            raise ModelError(f"archive entry {info.filename!r} appears twice")
        seen.add(key)
        tops.add(path.parts[0])
        if kind == "dir":
            continue
        if len(path.parts) < 2:
            raise ModelError(
                f"archive entry {info.filename!r} is outside the package folder: "
                "a package has exactly one top-level folder"
            )
        if info.file_size < 0 or info.compress_size < 0:
            raise ModelError(f"archive entry {info.filename!r} has an invalid size")
        if info.file_size > _RATIO_MIN_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            raise ModelError(
                f"archive entry {info.filename!r} expands {info.file_size:,} bytes from "
                f"{info.compress_size:,} (suspicious compression ratio, zip bomb?)"
            )
        total += info.file_size
        if total > max_bytes:
            raise ModelError(
                f"the archive unpacks to more than {max_bytes:,} bytes (limit); "
                "not a translation package or a zip bomb"
            )
        files.append(info)
    if len(tops) != 1:
        raise ModelError(
            "a package must contain exactly one top-level folder, found: " + ", ".join(sorted(tops))
        )
    top = tops.pop()
    if not _ID_RE.match(top):
        raise ModelError(
            f"invalid package folder name {top!r} (letters, digits, '.', '_', '-', '+')"
        )

    names = {PurePosixPath(i.filename).as_posix() for i in files}
    meta_name = f"{top}/metadata.json"
    if meta_name not in names:
        raise ModelError(f"{top}/metadata.json is missing: not an Argos Translate package")
    meta_info = next(i for i in files if PurePosixPath(i.filename).as_posix() == meta_name)
    if meta_info.file_size > 1024 * 1024:
        raise ModelError("metadata.json is larger than 1 MB")
    try:
        metadata = json.loads(zf.read(meta_info).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"metadata.json is not valid JSON: {exc}") from exc
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ModelError(f"cannot read metadata.json from the archive: {exc}") from exc
    if not isinstance(metadata, dict):
        raise ModelError("metadata.json must hold a JSON object")
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if not isinstance(value, str) or not _LANG_RE.match(value):
            raise ModelError(
                f"metadata.json: {key!r} must be a language code like 'uk' or 'en', got {value!r}"
            )
    if metadata["from_code"] == metadata["to_code"]:
        raise ModelError("metadata.json: from_code and to_code are the same")
    if metadata.get("type", "translate") != "translate":
        raise ModelError(
            f"metadata.json: type {metadata.get('type')!r} is not a translation package"
        )
    version = metadata.get("package_version", "")
    if not isinstance(version, (str, int, float)):
        raise ModelError("metadata.json: package_version must be a string")
    if f"{top}/model/model.bin" not in names:
        raise ModelError(
            f"{top}/model/model.bin is missing: the package needs a CTranslate2 model in model/"
        )
    if not any(n.startswith(f"{top}/model/") and "vocabulary" in n for n in names):
        raise ModelError(f"{top}/model/ has no vocabulary file: not a CTranslate2 model")
    if not any(f"{top}/{t}" in names for t in _TOKENIZER_FILES):
        raise ModelError(
            f"{top}/ has neither sentencepiece.model nor bpe.model (tokenizer missing)"
        )
    return top, metadata, files


def install(
    archive: str | Path,
    models_dir: str | Path | None = None,
    *,
    max_bytes: int = MAX_UNCOMPRESSED_BYTES,
    force: bool = False,
) -> ModelInfo:
    """Validate and install an ``.argosmodel`` archive; returns the installed model.
    ``force`` replaces an installed package with the same id (only once the new one is
    unpacked and checked).

    Raises :class:`ModelError` with a user-facing message for any problem; the
    models directory is then left exactly as it was.
    """
    archive = Path(archive).expanduser()
    if not archive.is_file():
        raise ModelError(f"{archive}: no such file")
    root = resolve_models_dir(models_dir)
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile as exc:
        raise ModelError(
            f"{archive}: not a valid .argosmodel file (not a zip archive, or "
            f"truncated/corrupt: {exc})"
        ) from exc
    except OSError as exc:
        raise ModelError(f"{archive}: cannot read: {exc}") from exc
    with zf:
        try:
            top, _metadata, files = _validate_archive(zf, max_bytes)
        except ModelError as exc:
            raise ModelError(f"{archive.name}: {exc}") from None
        dest = root / top
        if (dest.exists() or dest.is_symlink()) and not force:
            md = f" --models-dir {models_dir}" if models_dir else ""
            raise ModelError(
                f"{top} is already installed in {root}: replace it with "
                f"`normalizer models install{md} --force {archive}`"
            )

        # Everything checked that can be checked without unpacking: now extract
        # into a hidden temporary folder next to the destination.
        # Folders created here are removed again if the install fails.
        created = [p for p in (root, *root.parents) if not p.exists()]
        ok = False
        try:
            root.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=".install-", dir=root))
        except OSError as exc:
            _remove_empty(created)
            raise ModelError(f"cannot write to the models directory {root}: {exc}") from exc
        try:
            _extract(zf, files, tmp, max_bytes)
            staged = tmp / top
            _check_staged(staged, root)
            if force and (dest.exists() or dest.is_symlink()):
                os.rename(dest, tmp / ".replaced")  # removed with tmp below
            try:
                os.rename(staged, dest)
            except OSError as exc:
                if dest.exists():
                    raise ModelError(f"{top} is already installed in {root}") from exc
                raise ModelError(f"cannot move the package into {root}: {exc}") from exc
            ok = True
        except ModelError as exc:
            msg = str(exc)
            raise ModelError(
                msg if msg.startswith(archive.name) else f"{archive.name}: {msg}"
            ) from None
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            if not ok:
                _remove_empty(created)
    return _describe(dest, root)


def _remove_empty(dirs: list[Path]) -> None:
    for d in dirs:  # deepest first
        try:
            d.rmdir()
        except OSError:
            break


def _extract(zf: zipfile.ZipFile, files: list[zipfile.ZipInfo], tmp: Path, max_bytes: int) -> None:
    written = 0
    base = tmp.resolve()
    for info in files:
        rel = PurePosixPath(info.filename)
        target = tmp.joinpath(*rel.parts)
        # Defence in depth: the name checks above already exclude escapes.
        if not str(target.resolve()).startswith(str(base) + os.sep):
            raise ModelError(f"archive entry {info.filename!r} escapes the package folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with zf.open(info) as src, open(target, "xb") as dst:
                while True:
                    chunk = src.read(1024 * 1024)
                    if not chunk:
                        break
                    written += len(chunk)
                    if written > max_bytes:
                        raise ModelError(f"the archive unpacks to more than {max_bytes:,} bytes")
                    dst.write(chunk)
        except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
            raise ModelError(
                f"archive entry {info.filename!r} is corrupt or truncated: {exc}"
            ) from exc
        except NotImplementedError as exc:
            raise ModelError(f"archive entry {info.filename!r}: {exc}") from exc
        except OSError as exc:
            raise ModelError(f"cannot extract {info.filename!r}: {exc}") from exc


def _check_staged(staged: Path, root: Path) -> None:
    """Checks that need the files on disk: the tokenizer loads, metadata parses."""
    sp_path = staged / "sentencepiece.model"
    if sp_path.is_file():
        import sentencepiece as spm

        try:
            spm.SentencePieceProcessor(model_file=str(sp_path))
        except Exception as exc:  # sentencepiece raises RuntimeError/OSError
            raise ModelError(f"sentencepiece.model cannot be loaded: {exc}") from exc
    config = staged / "model" / "config.json"
    if config.is_file():
        try:
            json.loads(config.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelError(f"model/config.json is not valid JSON: {exc}") from exc
    _describe(staged, root)


# ----------------------------------------------------------------- download

ENV_MODELS_INDEX = "NORMALIZER_MODELS_INDEX"
# The public Argos package index: argostranslate's own default
# (``argostranslate.settings.remote_package_index``), copied here because importing
# argostranslate.settings creates folders; a test checks that the two agree.
DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"


@dataclass(frozen=True)
class IndexEntry:
    """One package of a package index, and whether (which version of) it is installed here."""

    code: str
    from_code: str
    to_code: str
    version: str
    links: tuple[str, ...]
    name: str | None = None
    installed_version: str | None = None  # the installed version of this from→to pair, if any

    @property
    def installed(self) -> bool:
        return self.installed_version is not None and self.installed_version == self.version


@dataclass(frozen=True)
class DownloadResult:
    """What :func:`download` did: ``installed`` is None when the version was already there."""

    entry: IndexEntry
    installed: ModelInfo | None
    bytes: int = 0
    seconds: float = 0.0
    resumed_from: int = 0


def resolve_index_url(index: str | None = None) -> str:
    """The package index URL: the argument, else ``$NORMALIZER_MODELS_INDEX``, else the
    public Argos index."""
    return index or os.environ.get(ENV_MODELS_INDEX) or DEFAULT_INDEX


def _version_key(version: str) -> tuple:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[._-]", version))


def available(
    index: str | None = None, models_dir: str | Path | None = None, *, target: str = "en"
) -> list[IndexEntry]:
    """The translation packages of the index (fetched over the network), ``target``-bound
    ones first, then by (from, to, version); each marked with the installed version."""
    from .download import DownloadError, fetch_index

    url = resolve_index_url(index)
    try:
        raw = fetch_index(url)
    except DownloadError as exc:
        raise ModelError(str(exc)) from None
    installed = {(i.from_code, i.to_code): i.version for i in list_installed(models_dir)}
    entries = []
    for meta in raw:
        if meta.get("type", "translate") != "translate":
            continue
        f, t = meta.get("from_code"), meta.get("to_code")
        if not (
            isinstance(f, str) and isinstance(t, str) and _LANG_RE.match(f) and _LANG_RE.match(t)
        ):
            continue
        links = meta.get("links") or []
        names = (meta.get("from_name"), meta.get("to_name"))
        entries.append(
            IndexEntry(
                code=str(meta.get("code") or f"translate-{f}_{t}"),
                from_code=f,
                to_code=t,
                version=str(meta.get("package_version") or ""),
                links=tuple(x for x in links if isinstance(x, str))
                if isinstance(links, list)
                else (),
                name=f"{names[0]} → {names[1]}" if all(names) else None,
                installed_version=installed.get((f, t)),
            )
        )
    return sorted(
        entries,
        key=lambda e: (e.to_code != target, e.from_code, e.to_code, _version_key(e.version)),
    )


def _downloads_dir() -> Path:
    """Where partial downloads wait to be resumed: the user cache, never the models folder."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("normalizer", appauthor=False)) / "downloads"


def download(
    from_code: str,
    to_code: str = "en",
    *,
    index: str | None = None,
    models_dir: str | Path | None = None,
    sha256: str | None = None,
    force: bool = False,
    progress: bool = False,
    downloads_dir: str | Path | None = None,
) -> DownloadResult:
    """Fetch the newest ``from_code``→``to_code`` package of the index and install it.

    The file is streamed into the user cache folder (a broken transfer resumes on the next
    call), its SHA-256 checked when ``sha256`` is given, and it is then installed by
    :func:`install` with all its checks, so the models folder is touched only after
    validation. An installed package of the same version is left alone unless ``force``;
    with ``force`` it, or an installed older version, is replaced only once the new one has
    passed validation.
    """
    import hashlib

    from .download import DownloadError, fetch_file, is_http, remove_partial

    candidates = [
        e for e in available(index, models_dir) if e.from_code == from_code and e.to_code == to_code
    ]
    if not candidates:
        raise ModelError(
            f"no {from_code}→{to_code} translation package in the index "
            f"{resolve_index_url(index)} (see `normalizer models available`)"
        )
    entry = max(candidates, key=lambda e: _version_key(e.version))
    if entry.installed and not force:
        return DownloadResult(entry=entry, installed=None)
    if entry.installed_version is not None and not force:
        raise ModelError(
            f"{from_code}→{to_code} version {entry.installed_version} is installed and the "
            f"index has {entry.version}: add --force to replace it"
        )
    links = [u for u in entry.links if is_http(u)]
    if not links:
        raise ModelError(
            f"{entry.code} {entry.version}: no http(s) link in the index "
            f"(links: {', '.join(entry.links) or 'none'})"
        )
    folder = Path(downloads_dir) if downloads_dir else _downloads_dir()
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", f"{entry.code}-{entry.version}")
    part = folder / f"{safe}.argosmodel"
    fetched, errors = None, []
    for url in links:
        try:
            fetched = fetch_file(
                url, part, progress=progress, label=f"{entry.code} {entry.version}"
            )
            break
        except DownloadError as exc:
            errors.append(str(exc))
        except OSError as exc:
            raise ModelError(f"cannot write the download to {folder}: {exc}") from None
    if fetched is None:
        raise ModelError("; ".join(errors))
    try:
        if sha256:
            digest = hashlib.sha256()
            with open(part, "rb") as fh:
                for block in iter(lambda: fh.read(1024 * 1024), b""):
                    digest.update(block)
            if digest.hexdigest().lower() != sha256.strip().lower():
                raise ModelError(
                    f"{entry.code} {entry.version}: SHA-256 mismatch: expected {sha256.strip()}, "
                    f"got {digest.hexdigest()} (the download was removed)"
                )
        if force and entry.installed_version is not None:
            info = _replace(part, models_dir, from_code, to_code)
        else:
            info = install(part, models_dir)
    except ModelError:
        remove_partial(part)  # a bad file must not be resumed into
        raise
    remove_partial(part)
    return DownloadResult(
        entry=entry,
        installed=info,
        bytes=fetched.size,
        seconds=fetched.seconds,
        resumed_from=fetched.resumed_from,
    )


def _replace(
    archive: Path, models_dir: str | Path | None, from_code: str, to_code: str
) -> ModelInfo:
    """Install ``archive`` over the installed package(s) of the same pair: the new package is
    fully installed into a hidden staging folder first; only then are the old ones swapped out."""
    root = resolve_models_dir(models_dir)
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".replace-", dir=root))
    try:
        new = install(archive, staging)
        old = [
            i
            for i in list_installed(root)
            if (i.from_code, i.to_code) == (from_code, to_code) or i.id == new.id
        ]
        trash = staging / ".old"
        trash.mkdir()
        for i in old:
            os.replace(i.path, trash / i.id)
        os.replace(new.path, root / new.id)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return _describe(root / new.id, root)
