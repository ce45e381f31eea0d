"""Read stage: turn files, folders, JSON Lines and stdin into input items, and bytes into text.

An item is a dict as accepted by ``normalize_many``: ``text`` or ``html`` (str) or ``data``
(bytes, decoded here), plus optional ``id``, ``url``, ``source``, ``content_type``. An item
that could not even be read carries ``error`` = ``{"type", "message"}`` and becomes an error
record; reading never stops at a bad file or line.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
import sys
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
WARC_SUFFIXES = {".warc"}

# Share of NUL/control bytes above which input is called binary rather than text in an
# unknown encoding: real text in any single-byte or UTF-8 encoding has none.
BINARY_CONTROL_SHARE = 0.01
# Non-ASCII characters decoded as UTF-8 per broken sequence above which bytes that are not
# strictly UTF-8 are still read as UTF-8: text in a single-byte encoding read as UTF-8 is
# almost all broken sequences, a UTF-8 file damaged in a few places almost none.
UTF8_MIN_CHARS_PER_ERROR = 10
# How far into a document to look for <meta charset>; browsers look at the first 1024 bytes,
# real pages sometimes put it a little later.
META_SNIFF_BYTES = 4096

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.-]+)""", re.I)
# (A comment body is "anything but -->", so each comment matches one way only: with ``.*?``
# a run of comments could be split 2^n ways and a page starting with 30 comments hung.)
_HTML_START = re.compile(
    r"^\s*(?:<!--(?:[^-]|-(?!->))*-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|p|article)\b",
    re.I | re.S,
)


class InputError(Exception):
    """Input that cannot become a document; ``type`` is a short machine-readable kind."""

    def __init__(self, type_: str, message: str):
        super().__init__(message)
        self.type = type_
        self.message = message


def decode(data: bytes, *, content_type: str = "auto", charset: str | None = None) -> str:
    """Decode bytes: BOM, then the transport's charset (HTTP header in a WARC record), then
    <meta charset> for HTML, then strict UTF-8, then detection (charset-normalizer)."""
    if not data.strip():
        raise InputError("empty_input", "input is empty")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as e:
                raise InputError(
                    "decode_error", f"invalid {enc} after byte-order mark: {e}"
                ) from None
    if charset:
        enc = _codec(charset)
        if enc:
            return data.decode(enc, errors="replace")
    if content_type != "text":
        m = _META_CHARSET.search(data[:META_SNIFF_BYTES])
        if m:
            enc = _codec(m.group(1).decode("ascii", "replace"))
            if enc:  # else an unknown label: fall through to detection
                return data.decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if controls / len(sample) > BINARY_CONTROL_SHARE:
        raise InputError("binary_input", "input looks binary (control bytes), not text or HTML")
    # Mostly valid UTF-8 with a few broken bytes (a character cut short, a stray byte): it is
    # UTF-8, the broken bytes become U+FFFD; detection would mis-decode (or reject) the rest.
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    valid_non_ascii = len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")
    if valid_non_ascii >= UTF8_MIN_CHARS_PER_ERROR * broken:
        return text
    from charset_normalizer import from_bytes

    best = from_bytes(data[:262144]).best()
    if best is None or best.encoding is None:
        raise InputError(
            "decode_error", "input is not valid UTF-8 and its encoding could not be detected"
        )
    return data.decode(_upgrade(best.encoding), errors="replace")


# KOI8-U is KOI8-R with the Ukrainian letters (і ї є ґ) where KOI8-R has box-drawing
# characters that never occur in running text; detectors often answer koi8_r for both.
# Likewise ISO-8859-1 labels mean windows-1252 in practice (WHATWG encoding standard).
_UPGRADES = {"koi8_r": "koi8_u", "latin_1": "cp1252", "iso8859_1": "cp1252", "ascii": "cp1252"}


def _upgrade(enc: str) -> str:
    return _UPGRADES.get(codecs.lookup(enc).name.replace("-", "_"), enc)


def _codec(label: str) -> str | None:
    """A Python codec for a charset label, or None when the label is unknown."""
    label = label.strip().strip("\"'").lower()
    if label in ("x-user-defined", "unicode", "utf-16", "utf-32"):  # never trustworthy in a header
        return None
    try:
        return _upgrade(codecs.lookup(label).name)
    except LookupError:
        return None


def sniff_content_type(text: str) -> str:
    """'html' when the document starts like an HTML page, else 'text'."""
    return "html" if _HTML_START.match(text[:2048]) else "text"


# What a folder walk reads by default (also with ".gz"); other names are skipped unless an
# --include pattern names them. Files given by name are always read.
FOLDER_SUFFIXES = tuple(sorted(TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | WARC_SUFFIXES))


def _matches(rel: str, patterns: Iterable[str]) -> bool:
    """fnmatch against the path relative to the folder and against the bare name."""
    from fnmatch import fnmatch

    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch(rel, p) or fnmatch(name, p) for p in patterns)


def iter_paths(
    paths: Iterable[str],
    *,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    skip: Iterable[str | os.PathLike[str]] = (),
    on_skip: Callable[[Path], None] | None = None,
) -> Iterator[Path | str | dict[str, Any]]:
    """Expand folders recursively in sorted order (deterministic); '-' stays as stdin.

    In folders: hidden names are left out; files whose name matches ``include`` (default: the
    document suffixes FOLDER_SUFFIXES, plain or ``.gz``) and not ``exclude`` are read, others
    go to ``on_skip``; a matching entry that is not a regular file (FIFO, socket, device)
    is yielded as an error item, never opened (opening a FIFO blocks). ``skip``: paths never
    read (the run's own output)."""
    include, exclude = tuple(include), tuple(exclude)
    skip_real = {os.path.realpath(p) for p in skip}
    for p in paths:
        if p == "-":
            yield "-"
            continue
        path = Path(p)
        if not path.is_dir():
            yield path
            continue
        for root, dirs, files in os.walk(path):
            dirs.sort()
            for name in sorted(files):
                if name.startswith("."):
                    continue
                f = Path(root) / name
                rel = f.relative_to(path).as_posix()
                lname = name.lower().removesuffix(".gz")
                wanted = _matches(rel, include) if include else lname.endswith(FOLDER_SUFFIXES)
                if not wanted or _matches(rel, exclude):
                    if on_skip is not None:
                        on_skip(f)
                    continue
                if skip_real and os.path.realpath(f) in skip_real:
                    continue
                try:
                    regular = stat.S_ISREG(f.stat().st_mode)
                except OSError:
                    regular = True  # a dangling link: open() reports it as a read error
                if not regular:
                    yield {
                        "id": _stem(f),
                        "source": str(f),
                        "error": {
                            "type": "not_a_file",
                            "message": f"{f}: not a regular file "
                            "(FIFO, socket or device): not read",
                        },
                    }
                    continue
                yield f


def iter_items(
    paths: Iterable[str],
    *,
    id_field: str = "id",
    text_field: str = "text",
    html_field: str = "html",
    url_field: str = "url",
    stdin_format: str = "auto",
    stdin_path: str | os.PathLike[str] | None = None,
    max_bytes: int | None = None,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    skip: Iterable[str | os.PathLike[str]] = (),
    on_skip: Callable[[Path], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield one item per document found under ``paths``, streaming: one document (or one
    JSON line, one WARC record) in memory at a time.

    Formats by file name: ``.txt``, ``.html``/``.htm`` (one document each, ``.gz`` allowed),
    ``.jsonl``/``.ndjson`` (optionally ``.gz``; fields named by ``*_field``), ``.warc``/
    ``.warc.gz`` (HTML response records); other names are sniffed as text or HTML. Folders
    are walked recursively in sorted order. ``-`` is stdin, read as ``stdin_format``
    (``auto`` sniffs: gzip, WARC, JSON Lines, else one document); ``stdin_path`` replaces it
    by a file holding a copy of stdin (see ``spool_stdin``). Files bigger than ``max_bytes``
    become error items without being read. ``include``, ``exclude``, ``skip``, ``on_skip``:
    which files of a folder are read (see ``iter_paths``).
    """
    fields = (id_field, text_field, html_field, url_field)
    for path in iter_paths(paths, include=include, exclude=exclude, skip=skip, on_skip=on_skip):
        if isinstance(path, dict):  # a folder entry that cannot be read (not a regular file)
            yield path
            continue
        if path == "-":
            if stdin_path is not None:
                f: IO[bytes] = open(stdin_path, "rb")
            else:
                f = sys.stdin.buffer
            try:
                yield from _iter_stream(f, "<stdin>", "stdin", stdin_format, fields, max_bytes)
            finally:
                if stdin_path is not None:
                    f.close()
            continue
        assert isinstance(path, Path)
        fmt = file_format(path)
        source = str(path)
        try:
            if fmt == "doc" and max_bytes is not None and path.stat().st_size > max_bytes:
                yield {
                    "id": _stem(path),
                    "source": source,
                    "error": {
                        "type": "too_large",
                        "message": f"{path}: file is {path.stat().st_size} "
                        f"bytes, over the limit of {max_bytes} (Config.max_input_bytes)",
                    },
                }
                continue
            f = open(path, "rb")
        except OSError as e:
            yield {
                "id": _stem(path),
                "source": source,
                "error": {
                    "type": "read_error",
                    "message": f"{path}: cannot read: {e.strerror or e}",
                },
            }
            continue
        with f:
            yield from _iter_stream(
                f, source, _stem(path), fmt, fields, max_bytes, suffix_ctype=_suffix_ctype(path)
            )


GZIP_MAGIC = b"\x1f\x8b"


def file_format(path: Path) -> str:
    """'jsonl', 'warc' or 'doc' (one document) from a file name; '.gz' is looked through."""
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    suffix = os.path.splitext(name)[1]
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in WARC_SUFFIXES:
        return "warc"
    return "doc"


def _stem(path: Path) -> str:
    name = path.name
    for ext in (".gz",):
        if name.lower().endswith(ext):
            name = name[: -len(ext)]
    return os.path.splitext(name)[0] or name


def _suffix_ctype(path: Path) -> str:
    name = path.name.lower().removesuffix(".gz")
    suffix = os.path.splitext(name)[1]
    return "html" if suffix in HTML_SUFFIXES else "text" if suffix in TEXT_SUFFIXES else "auto"


def _iter_stream(
    f: IO[bytes],
    source: str,
    stem: str,
    fmt: str,
    fields: tuple[str, str, str, str],
    max_bytes: int | None,
    suffix_ctype: str = "auto",
) -> Iterator[dict[str, Any]]:
    """Items from one open binary stream of format ``fmt`` ('auto' sniffs it)."""
    import gzip
    import io

    buf = io.BufferedReader(f) if not hasattr(f, "peek") else f  # type: ignore[arg-type]
    try:
        head = buf.peek(8)[:8]
    except (OSError, ValueError):
        head = b""
    if head.startswith(GZIP_MAGIC) and fmt != "warc":  # warcio reads gzip members itself
        buf = io.BufferedReader(gzip.GzipFile(fileobj=buf, mode="rb"))  # type: ignore[arg-type]
        try:
            head = buf.peek(8)[:8]
        except (OSError, EOFError, gzip.BadGzipFile) as e:
            yield {
                "id": stem,
                "source": source,
                "error": {"type": "decode_error", "message": f"{source}: bad gzip data: {e}"},
            }
            return
    if fmt == "auto":
        start = head.lstrip()
        fmt = (
            "warc"
            if head.startswith(b"WARC/") or head.startswith(GZIP_MAGIC)
            else "jsonl"
            if start.startswith(b"{")
            else "doc"
        )
    try:
        if fmt == "jsonl":
            yield from _iter_jsonl(buf, source, stem, *fields)
        elif fmt == "warc":
            yield from _iter_warc(buf, source, max_bytes)
        else:
            limit = max_bytes + 1 if max_bytes is not None else -1
            data = buf.read(limit)
            if max_bytes is not None and len(data) > max_bytes:
                yield {
                    "id": stem,
                    "source": source,
                    "error": {
                        "type": "too_large",
                        "message": f"{source}: input is over the limit of "
                        f"{max_bytes} bytes (Config.max_input_bytes)",
                    },
                }
                return
            yield {
                "data": data,
                "id": None if source == "<stdin>" else stem,
                "source": source,
                "content_type": suffix_ctype,
            }
    except (OSError, EOFError) as e:  # truncated gzip, I/O error half-way
        yield {
            "id": f"{stem}:error",
            "source": source,
            "error": {"type": "read_error", "message": f"{source}: cannot read: {e}"},
        }


def _iter_jsonl(
    f: IO[bytes],
    source: str,
    stem: str,
    id_field: str,
    text_field: str,
    html_field: str,
    url_field: str,
) -> Iterator[dict[str, Any]]:
    for lineno, raw in enumerate(f, 1):
        if not raw.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            obj = json.loads(raw)
            if not isinstance(obj, dict):
                raise ValueError("line is not a JSON object")
        except (ValueError, UnicodeDecodeError) as e:
            yield {
                "id": f"{stem}:{lineno}",
                "source": where,
                "error": {"type": "json_error", "message": f"{where}: invalid JSON: {e}"},
            }
            continue
        item: dict[str, Any] = {"source": where, "id": obj.get(id_field), "url": obj.get(url_field)}
        if item["id"] is not None:
            item["id"] = str(item["id"])
        if isinstance(obj.get(html_field), str):
            item["html"] = obj[html_field]
        elif isinstance(obj.get(text_field), str):
            item["text"] = obj[text_field]
        else:
            item["id"] = item["id"] or f"{stem}:{lineno}"
            item["error"] = {
                "type": "missing_field",
                "message": f"{where}: no string field {text_field!r} or {html_field!r}",
            }
        yield item


_HTML_MIME = ("text/html", "application/xhtml+xml")


def _iter_warc(f: IO[bytes], source: str, max_bytes: int | None) -> Iterator[dict[str, Any]]:
    """HTML ``response`` records of a WARC file; other records are skipped."""
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:
        yield {
            "id": os.path.basename(source),
            "source": source,
            "error": {
                "type": "missing_dependency",
                "message": f"{source}: reading WARC needs warcio: pip install 'normalizer[warc]'",
            },
        }
        return
    it = ArchiveIterator(f)
    for rec in it:
        if rec.rec_type != "response" or rec.http_headers is None:
            continue
        mime = (rec.http_headers.get_header("Content-Type") or "").lower()
        if not any(m in mime for m in _HTML_MIME):
            continue
        rid = (rec.rec_headers.get_header("WARC-Record-ID") or "").strip("<>")
        rid = rid.removeprefix("urn:uuid:") or None
        url = rec.rec_headers.get_header("WARC-Target-URI")
        stream = rec.content_stream()
        data = stream.read(max_bytes + 1) if max_bytes is not None else stream.read()
        where = f"{source}@{it.offset}" if isinstance(getattr(it, "offset", None), int) else source
        if max_bytes is not None and len(data) > max_bytes:
            yield {
                "id": rid,
                "source": where,
                "url": url,
                "error": {
                    "type": "too_large",
                    "message": f"{where}: record is over the limit of "
                    f"{max_bytes} bytes (Config.max_input_bytes)",
                },
            }
            continue
        m = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", mime)
        yield {
            "data": data,
            "id": rid,
            "source": where,
            "url": url,
            "content_type": "html",
            "charset": m.group(1) if m else None,
        }


def spool_stdin(dir: str | None = None) -> str:
    """Copy stdin to a temporary file (in 1 MiB pieces) so it can be read twice; returns its
    path. The caller removes it."""
    import shutil
    import tempfile

    fd, path = tempfile.mkstemp(prefix="normalizer-stdin-", dir=dir)
    with os.fdopen(fd, "wb") as out:
        shutil.copyfileobj(sys.stdin.buffer, out, 1 << 20)
    return path
