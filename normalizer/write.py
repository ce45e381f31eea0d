"""Write stage: records -> JSON Lines (stdout or a file, written atomically)."""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Any

from .record import Record


def dumps(record: Record | dict[str, Any]) -> str:
    """One record as one JSON line; byte-identical for identical records."""
    obj = record.to_dict() if isinstance(record, Record) else record
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


class JsonlWriter:
    """Writes records one per line. A file target is written to a temporary file in the same
    folder and renamed into place on success, so readers never see half a file."""

    def __init__(self, path: str | os.PathLike[str] | None = None):
        self.path = Path(path) if path not in (None, "-") else None
        self._tmp: str | None = None
        self._f: IO[str]
        if self.path is None:
            self._f = sys.stdout
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                             dir=self.path.parent)
            self._f = os.fdopen(fd, "w", encoding="utf-8", newline="\n")

    def write(self, record: Record | dict[str, Any]) -> None:
        self._f.write(dumps(record))
        self._f.write("\n")

    def close(self, *, commit: bool = True) -> None:
        if self.path is None:
            self._f.flush()
            return
        self._f.close()
        assert self._tmp is not None
        if commit:
            os.replace(self._tmp, self.path)
        else:
            os.unlink(self._tmp)

    def __enter__(self) -> "JsonlWriter":
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        self.close(commit=exc_type is None)
