"""The one place where normalizer opens a network connection.

Used only by ``normalizer models available`` and ``normalizer models download`` (and the
library functions behind them, :func:`normalizer.models.available` and
:func:`normalizer.models.download`); ``run``, ``show``, ``report`` and ``normalize`` never
import this module. Plain standard library (``urllib``): http and https only.
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..version import __version__

__all__ = [
    "DownloadError",
    "fetch_index",
    "fetch_file",
    "is_http",
    "remove_partial",
    "TIMEOUT_S",
    "MAX_INDEX_BYTES",
    "MAX_PACKAGE_BYTES",
]

# Seconds without a byte from the server before giving up: long enough for a slow mirror,
# short enough that a dead network gives its one-line error quickly.
TIMEOUT_S = 30
# The public Argos index is about 100 KB; 16 MB is far above any real index and stops a
# wrong URL (a model file, a video) from filling memory.
MAX_INDEX_BYTES = 16 * 1024**2
# A package file larger than this is refused: real Argos packages are 50-300 MB, and
# models.install refuses more than 4 GiB unpacked anyway; it stops a bad link filling the disk.
MAX_PACKAGE_BYTES = 4 * 1024**3
CHUNK_BYTES = 256 * 1024
_USER_AGENT = f"normalizer/{__version__} (models download)"


class DownloadError(Exception):
    """The index or a package could not be fetched (message is user-facing, one line)."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code  # the HTTP status, when the server answered with an error


def is_http(url: str) -> bool:
    """True for http:// and https:// URLs, the only schemes we fetch."""
    return urllib.parse.urlsplit(url).scheme.lower() in ("http", "https")


def _host(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc or url


def _open(url: str, headers: dict[str, str] | None = None) -> Any:
    if not is_http(url):
        raise DownloadError(f"{url}: only http:// and https:// URLs are supported")
    req = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT, **(headers or {})})
    try:
        return urllib.request.urlopen(req, timeout=TIMEOUT_S)  # noqa: S310 (scheme checked above)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise DownloadError(f"{url}: HTTP {exc.code} {exc.reason}", exc.code) from None
    except urllib.error.URLError as exc:
        raise DownloadError(f"cannot reach {_host(url)} (no network?): {exc.reason}") from None
    except (OSError, ValueError) as exc:  # timeouts, resets, malformed URLs
        raise DownloadError(f"cannot reach {_host(url)} (no network?): {exc}") from None


def fetch_index(url: str) -> list[dict[str, Any]]:
    """Download and parse an Argos package index: a JSON list of package objects."""
    with _open(url) as resp:
        try:
            data = resp.read(MAX_INDEX_BYTES + 1)
        except (OSError, ValueError) as exc:
            raise DownloadError(
                f"{url}: the download of the index was interrupted: {exc}"
            ) from None
    if len(data) > MAX_INDEX_BYTES:
        raise DownloadError(f"{url}: larger than {MAX_INDEX_BYTES:,} bytes: not a package index")
    try:
        index = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DownloadError(f"{url}: not a package index (not JSON: {exc})") from None
    if not isinstance(index, list) or not all(isinstance(x, dict) for x in index):
        raise DownloadError(f"{url}: not a package index (expected a JSON list of package objects)")
    return index


@dataclass
class Fetched:
    path: Path
    size: int
    resumed_from: int
    seconds: float


def fetch_file(
    url: str,
    dest: Path,
    *,
    progress: bool = False,
    label: str = "",
    stream: IO[str] | None = None,
    max_bytes: int = MAX_PACKAGE_BYTES,
) -> Fetched:
    """Stream ``url`` into ``dest``, resuming a partial ``dest`` with an HTTP Range request.

    A server that ignores the range (200 instead of 206) restarts the file from byte 0. The
    partial file is kept when the transfer breaks, so the next call resumes. Validators
    (ETag/Last-Modified) from the first response are kept beside it in ``dest + '.meta'``
    and sent as ``If-Range``, so a file that changed on the server restarts instead of
    being spliced.
    """
    stream = stream or sys.stderr
    meta_path = dest.with_name(dest.name + ".meta")
    have = dest.stat().st_size if dest.is_file() else 0
    validator = None
    if have:
        try:
            saved = json.loads(meta_path.read_text("utf-8"))
            validator = saved.get("validator") if saved.get("url") == url else None
        except (OSError, ValueError):
            validator = None
        if validator is None:  # cannot prove it is the same file: start again
            have = 0
    start = time.monotonic()
    resp = None
    if have:
        try:
            resp = _open(url, {"Range": f"bytes={have}-", "If-Range": validator})
        except DownloadError as exc:
            if exc.code != 416:  # 416: the partial file is not a prefix of this one
                raise
        if (
            resp is not None
            and resp.status == 206
            and _range_start(resp.headers.get("Content-Range")) != have
        ):
            resp.close()  # a range we did not ask for: start again
            resp = None
    if resp is None:
        have = 0
        resp = _open(url)
    with resp:
        if have and resp.status == 206:
            mode, done = "ab", have
        else:
            mode, done = "wb", 0
        length = resp.headers.get("Content-Length")
        total = done + int(length) if length and length.isdigit() else None
        if total is not None and total > max_bytes:
            raise DownloadError(
                f"{url}: {total:,} bytes, more than a translation package can be "
                f"({max_bytes:,}); not downloaded"
            )
        new_validator = resp.headers.get("ETag") or resp.headers.get("Last-Modified")
        dest.parent.mkdir(parents=True, exist_ok=True)
        if mode == "wb":
            meta_path.write_text(json.dumps({"url": url, "validator": new_validator}), "utf-8")
        bar = _bar(total, done, label, stream) if progress else None
        resumed_from = done
        try:
            with open(dest, mode) as out:
                while True:
                    try:
                        chunk = resp.read(CHUNK_BYTES)
                    except (OSError, ValueError) as exc:  # reset, timeout, IncompleteRead
                        raise DownloadError(
                            f"{url}: the download was interrupted after {done:,} bytes "
                            f"({exc.__class__.__name__}); run the same command again "
                            "to resume"
                        ) from None
                    if not chunk:
                        break
                    done += len(chunk)
                    if done > max_bytes:
                        raise DownloadError(
                            f"{url}: more than {max_bytes:,} bytes, more than a translation "
                            "package can be; stopped"
                        )
                    out.write(chunk)
                    if bar is not None:
                        bar.update(len(chunk))
        finally:
            if bar is not None:
                bar.close()
    if total is not None and done < total:
        raise DownloadError(
            f"{url}: the download was interrupted after {done:,} of {total:,} bytes; "
            "run the same command again to resume"
        )
    return Fetched(
        path=dest, size=done, resumed_from=resumed_from, seconds=time.monotonic() - start
    )


def _range_start(content_range: str | None) -> int | None:
    """The first byte of ``Content-Range: bytes START-END/TOTAL``."""
    if not content_range or not content_range.startswith("bytes "):
        return None
    try:
        return int(content_range[6:].split("-", 1)[0])
    except ValueError:
        return None


def _bar(total: int | None, initial: int, label: str, stream: IO[str]) -> Any:
    from tqdm import tqdm

    return tqdm(
        total=total,
        initial=initial,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc=f"normalizer: {label}" if label else "normalizer: download",
        file=stream,
        dynamic_ncols=True,
        mininterval=0.5,
    )


def remove_partial(dest: Path) -> None:
    """Forget a partial download (after a checksum or validation failure)."""
    for p in (dest, dest.with_name(dest.name + ".meta")):
        try:
            os.unlink(p)
        except FileNotFoundError:
            pass
