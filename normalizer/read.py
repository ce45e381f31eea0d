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
import sys
from pathlib import Path
from typing import Any, Iterable, Iterator

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}

# Share of NUL/control bytes above which input is called binary rather than text in an
# unknown encoding: real text in any single-byte or UTF-8 encoding has none.
BINARY_CONTROL_SHARE = 0.01
# How far into a document to look for <meta charset>; browsers look at the first 1024 bytes,
# real pages sometimes put it a little later.
META_SNIFF_BYTES = 4096

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.-]+)""", re.I)
_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|p|article)\b",
                         re.I | re.S)


class InputError(Exception):
    """Input that cannot become a document; ``type`` is a short machine-readable kind."""

    def __init__(self, type_: str, message: str):
        super().__init__(message)
        self.type = type_
        self.message = message


def decode(data: bytes, *, content_type: str = "auto") -> str:
    """Decode bytes: BOM, then <meta charset> for HTML, then strict UTF-8, then detection."""
    if not data.strip():
        raise InputError("empty_input", "input is empty")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as e:
                raise InputError("decode_error", f"invalid {enc} after byte-order mark: {e}") from None
    if content_type != "text":
        m = _META_CHARSET.search(data[:META_SNIFF_BYTES])
        if m:
            enc = m.group(1).decode("ascii", "replace").lower()
            try:
                codecs.lookup(enc)
                return data.decode(enc, errors="replace")
            except LookupError:
                pass  # unknown label: fall through to detection
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if controls / len(sample) > BINARY_CONTROL_SHARE:
        raise InputError("binary_input", "input looks binary (control bytes), not text or HTML")
    from charset_normalizer import from_bytes

    best = from_bytes(data[:262144]).best()
    if best is None or best.encoding is None:
        raise InputError("decode_error", "input is not valid UTF-8 and its encoding could not be detected")
    return data.decode(best.encoding, errors="replace")


def sniff_content_type(text: str) -> str:
    """'html' when the document starts like an HTML page, else 'text'."""
    return "html" if _HTML_START.match(text[:2048]) else "text"


def iter_paths(paths: Iterable[str]) -> Iterator[Path | str]:
    """Expand folders recursively in sorted order (deterministic); '-' stays as stdin."""
    for p in paths:
        if p == "-":
            yield "-"
            continue
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name
        else:
            yield path


def iter_items(paths: Iterable[str], *, id_field: str = "id", text_field: str = "text",
               html_field: str = "html", url_field: str = "url") -> Iterator[dict[str, Any]]:
    """Yield one item per document found under ``paths``."""
    for path in iter_paths(paths):
        if path == "-":
            data = sys.stdin.buffer.read()
            yield {"data": data, "source": "<stdin>", "id": None}
            continue
        assert isinstance(path, Path)
        suffix = path.suffix.lower()
        if suffix in JSONL_SUFFIXES:
            yield from _iter_jsonl(path, id_field, text_field, html_field, url_field)
            continue
        try:
            data = path.read_bytes()
        except OSError as e:
            yield {"id": path.stem, "source": str(path),
                   "error": {"type": "read_error", "message": f"{path}: cannot read: {e.strerror or e}"}}
            continue
        ctype = "html" if suffix in HTML_SUFFIXES else "text" if suffix in TEXT_SUFFIXES else "auto"
        yield {"data": data, "id": path.stem, "source": str(path), "content_type": ctype}


def _iter_jsonl(path: Path, id_field: str, text_field: str, html_field: str,
                url_field: str) -> Iterator[dict[str, Any]]:
    try:
        f = open(path, "rb")
    except OSError as e:
        yield {"id": path.stem, "source": str(path),
               "error": {"type": "read_error", "message": f"{path}: cannot read: {e.strerror or e}"}}
        return
    with f:
        for lineno, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                obj = json.loads(raw)
                if not isinstance(obj, dict):
                    raise ValueError("line is not a JSON object")
            except (ValueError, UnicodeDecodeError) as e:
                yield {"id": f"{path.stem}:{lineno}", "source": where,
                       "error": {"type": "json_error", "message": f"{where}: invalid JSON: {e}"}}
                continue
            item: dict[str, Any] = {"source": where, "id": obj.get(id_field), "url": obj.get(url_field)}
            if item["id"] is not None:
                item["id"] = str(item["id"])
            if isinstance(obj.get(html_field), str):
                item["html"] = obj[html_field]
            elif isinstance(obj.get(text_field), str):
                item["text"] = obj[text_field]
            else:
                item["id"] = item["id"] or f"{path.stem}:{lineno}"
                item["error"] = {"type": "missing_field",
                                 "message": f"{where}: no string field {text_field!r} or {html_field!r}"}
            yield item
