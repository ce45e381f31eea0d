"""Write stage: records -> JSON Lines (stdout, ``.jsonl`` or ``.jsonl.gz``) or Parquet.

Output to a file is atomic and resumable. Records go, one JSON line each, to a *journal*
next to the target (``.NAME.partial``), flushed after every chunk. When the run finishes the
journal becomes the target in one rename (JSON Lines), or is converted into a temporary
file that is then renamed (``.gz``, Parquet). Readers never see half a file. A run that
stops half-way (Ctrl-C, crash, killed machine) leaves the journal behind; ``resume=True``
keeps its complete lines and appends after them, so the finished file is byte-identical to
an uninterrupted run (records are written in input order).
"""
from __future__ import annotations

import gzip
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import IO, Any, Iterator

from .record import Record

PARQUET_SUFFIXES = (".parquet", ".pq")
# Rows per Parquet row group (and per conversion batch): bounds memory while converting.
PARQUET_ROWS_PER_GROUP = 2000


def dumps(record: Record | dict[str, Any]) -> str:
    """One record as one JSON line; byte-identical for identical records."""
    obj = record.to_dict() if isinstance(record, Record) else record
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def output_format(path: str | os.PathLike[str] | None, fmt: str | None = None) -> str:
    """'jsonl', 'jsonl.gz' or 'parquet' from an explicit ``fmt`` or the file name."""
    if fmt and fmt != "auto":
        if fmt not in ("jsonl", "jsonl.gz", "parquet"):
            raise ValueError(f"unknown output format {fmt!r} (jsonl, jsonl.gz, parquet)")
        return fmt
    name = str(path or "").lower()
    if name.endswith(PARQUET_SUFFIXES):
        return "parquet"
    if name.endswith(".gz"):
        return "jsonl.gz"
    return "jsonl"


def journal_path(path: str | os.PathLike[str]) -> Path:
    p = Path(path)
    return p.parent / f".{p.name}.partial"


class ResumeError(Exception):
    """The partial output cannot be resumed (e.g. it does not match the input)."""


class JsonlWriter:
    """Writes records one per line to stdout or, through the journal, to a file.

    ``format``: 'jsonl', 'jsonl.gz' or 'parquet' (default: from the file name).
    ``resume``: keep the complete lines of an existing journal and append after them;
    ``resumed`` is then how many records it already holds.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, format: str | None = None,
                 resume: bool = False):
        self.path = Path(path) if path not in (None, "-") else None
        self.format = output_format(self.path, format)
        self.resumed = 0
        self._closed = False
        self._f: IO[str]
        if self.path is None:
            if self.format != "jsonl":
                raise ValueError(f"{self.format} output needs a file name, not stdout")
            if resume:
                raise ResumeError("--resume needs an output file (-o), not stdout")
            self.journal = None
            self._f = sys.stdout
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.journal = journal_path(self.path)
        if resume and self.journal.exists():
            self.resumed = _truncate_to_complete_lines(self.journal)
            self._f = open(self.journal, "a", encoding="utf-8", newline="\n")
        else:
            self._f = open(self.journal, "w", encoding="utf-8", newline="\n")

    def resumed_ids(self) -> Iterator[str | None]:
        """The ids of the records already in the journal, in order (for checking a resume)."""
        if self.journal is None or not self.resumed:
            return
        with open(self.journal, encoding="utf-8") as f:
            for n, line in enumerate(f):
                if n >= self.resumed:
                    return
                yield json.loads(line).get("id")

    def write(self, record: Record | dict[str, Any]) -> None:
        self._f.write(dumps(record))
        self._f.write("\n")

    def write_line(self, line: str) -> None:
        """Write one record already serialized by ``dumps`` (no newline)."""
        self._f.write(line)
        self._f.write("\n")

    def flush(self) -> None:
        self._f.flush()

    def close(self, *, commit: bool = True) -> None:
        """Finish the output. ``commit=False`` (a failed run) keeps the journal for a resume."""
        if self._closed:
            return
        self._closed = True
        if self.path is None:
            self._f.flush()
            return
        self._f.close()
        assert self.journal is not None
        if not commit:
            return
        if self.format == "jsonl":
            os.replace(self.journal, self.path)
            return
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        os.close(fd)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp makes 0600; the output is an ordinary file
        try:
            if self.format == "jsonl.gz":
                _gzip_file(self.journal, tmp)
            else:
                jsonl_to_parquet(self.journal, tmp)
            os.replace(tmp, self.path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        os.unlink(self.journal)

    def __enter__(self) -> "JsonlWriter":
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        self.close(commit=exc_type is None)


RecordWriter = JsonlWriter


def _truncate_to_complete_lines(path: Path) -> int:
    """Cut a half-written last line off ``path``; return the number of complete lines."""
    n = 0
    good = 0
    with open(path, "rb") as f:
        for line in f:
            if not line.endswith(b"\n"):
                break
            try:
                json.loads(line)
            except ValueError:
                break
            n += 1
            good += len(line)
    if good != path.stat().st_size:
        with open(path, "r+b") as f:
            f.truncate(good)
    return n


def _gzip_file(src: Path, dst: str) -> None:
    # mtime=0 and no file name in the header: same input lines, same bytes.
    with open(src, "rb") as fin, open(dst, "wb") as raw, \
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as fout:
        shutil.copyfileobj(fin, fout, 1 << 20)


# -- Parquet ------------------------------------------------------------------------------------
# The record's fields with their Arrow types; nested lists (fragments, related, removed) stay
# lists of structs. Keys other code adds later (extend, never break) are found by a first
# pass over the records and typed from their values.

def _arrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as e:  # pragma: no cover - depends on the install
        raise RuntimeError("Parquet output needs pyarrow: pip install 'normalizer[parquet]'") from e
    return pa, pq


class _T:
    """A merged shape of JSON values: the union of everything seen at one place."""

    __slots__ = ("kinds", "fields", "item")

    def __init__(self) -> None:
        self.kinds: set[str] = set()
        self.fields: dict[str, _T] = {}
        self.item: _T | None = None

    def add(self, v: Any) -> None:
        if v is None:
            return
        if isinstance(v, bool):
            self.kinds.add("bool")
        elif isinstance(v, int):
            self.kinds.add("int")
        elif isinstance(v, float):
            self.kinds.add("float")
        elif isinstance(v, str):
            self.kinds.add("str")
        elif isinstance(v, dict):
            self.kinds.add("dict")
            for k, x in v.items():
                self.fields.setdefault(k, _T()).add(x)
        elif isinstance(v, list):
            self.kinds.add("list")
            self.item = self.item or _T()
            for x in v:
                self.item.add(x)
        else:
            self.kinds.add("str")

    def arrow(self, pa: Any) -> Any:
        k = self.kinds
        if not k or k == {"str"}:
            return pa.string()
        if k == {"bool"}:
            return pa.bool_()
        if k == {"int"}:
            return pa.int64()
        if k <= {"int", "float"}:
            return pa.float64()
        if k == {"dict"} and self.fields:
            return pa.struct([pa.field(n, t.arrow(pa)) for n, t in self.fields.items()])
        if k == {"list"}:
            return pa.list_((self.item or _T()).arrow(pa))
        return None  # mixed kinds: stored as JSON text


def parquet_schema(records: Iterator[dict[str, Any]]) -> Any:
    """The Arrow schema for these records (one pass, memory bounded by the shape's size)."""
    pa, _ = _arrow()
    root = _T()
    for r in records:
        root.add(r)
    if not root.fields:  # no records: the contract's id column, so the file still opens
        return pa.schema([pa.field("id", pa.string())])
    fields = []
    for name, t in root.fields.items():
        typ = t.arrow(pa)
        fields.append(pa.field(name, typ if typ is not None else pa.string(),
                               metadata=None if typ is not None else {b"encoding": b"json"}))
    return pa.schema(fields)


def _iter_jsonl_file(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def _json_columns(schema: Any) -> list[str]:
    return [f.name for f in schema if f.metadata and f.metadata.get(b"encoding") == b"json"]


def _conform(r: dict[str, Any], json_cols: list[str]) -> dict[str, Any]:
    if not json_cols:
        return r
    r = dict(r)
    for c in json_cols:
        if r.get(c) is not None:
            r[c] = json.dumps(r[c], ensure_ascii=False, separators=(",", ":"))
    return r


def jsonl_to_parquet(src: str | os.PathLike[str], dst: str | os.PathLike[str],
                     rows_per_group: int = PARQUET_ROWS_PER_GROUP) -> None:
    """Convert a JSON Lines file of records into Parquet, streaming in row groups."""
    pa, pq = _arrow()
    schema = parquet_schema(_iter_jsonl_file(src))
    json_cols = _json_columns(schema)
    with pq.ParquetWriter(str(dst), schema, compression="zstd") as w:
        batch: list[dict[str, Any]] = []
        for r in _iter_jsonl_file(src):
            batch.append(_conform(r, json_cols))
            if len(batch) >= rows_per_group:
                w.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        if batch or not len(schema):
            w.write_table(pa.Table.from_pylist(batch, schema=schema))


def read_records(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Records back from any output this module writes (.jsonl, .jsonl.gz, .parquet)."""
    fmt = output_format(path)
    if fmt == "parquet":
        _, pq = _arrow()
        pf = pq.ParquetFile(str(path))
        json_cols = {f.name for f in pf.schema_arrow
                     if f.metadata and f.metadata.get(b"encoding") == b"json"}
        for batch in pf.iter_batches():
            for r in batch.to_pylist():
                for c in json_cols:
                    if r.get(c) is not None:
                        r[c] = json.loads(r[c])
                yield r
        return
    opener = gzip.open if fmt == "jsonl.gz" else open
    with opener(path, "rt", encoding="utf-8") as f:  # type: ignore[operator]
        for line in f:
            if line.strip():
                yield json.loads(line)
