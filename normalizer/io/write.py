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
from dataclasses import replace
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from ..record import Fragment, Record, Removal

PARQUET_SUFFIXES = (".parquet", ".pq")
# Characters of one record line encoded and written at a time: writing a ~200 MB line whole
# makes a UTF-8 copy of all of it.
WRITE_SLICE_CHARS = 1 << 20
# Rows per Parquet row group (and per conversion batch): bounds memory while converting.
PARQUET_ROWS_PER_GROUP = 2000


# Items of a record's list (fragments, removed, related) serialized per json.dumps call in
# dumps_parts. A 30 MB text file is one record of ~150,000 fragments: serialized whole, its
# ~200 MB line existed twice at once (json's pieces, then their join).
DUMPS_ITEMS_PER_SLICE = 2000


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def dumps(record: Record | dict[str, Any]) -> str:
    """One record as one JSON line; byte-identical for identical records."""
    return "".join(dumps_parts(record))


def dumps_parts(record: Record | dict[str, Any]) -> list[str]:
    """The JSON line of ``dumps`` as pieces to write one after the other (one piece for a
    usual record; lists longer than DUMPS_ITEMS_PER_SLICE are serialized a slice at a time)."""
    return list(iter_dumps(record))


_LISTS = ("fragments", "related", "removed")


def is_big(record: Record | dict[str, Any]) -> bool:
    """Whether ``iter_dumps`` serializes this record in more than one piece."""
    if isinstance(record, Record):
        return any(len(getattr(record, k)) > DUMPS_ITEMS_PER_SLICE for k in _LISTS)
    return any(isinstance(v, list) and len(v) > DUMPS_ITEMS_PER_SLICE for v in record.values())


def _plain(x: Any) -> Any:
    """A list item as JSON data: Fragment and Removal objects through their to_dict()."""
    return x.to_dict() if isinstance(x, (Fragment, Removal)) else x


def iter_dumps(record: Record | dict[str, Any]) -> Iterator[str]:
    """The pieces of ``dumps_parts``, made as they are asked for: a writer in the same process
    holds one piece at a time instead of a second copy of a big record. A big Record's list
    items become dicts a slice at a time, not all at once (~400 bytes each)."""
    if not is_big(record):
        yield _dumps(record.to_dict() if isinstance(record, Record) else record)
        return
    if isinstance(record, Record):
        lists = {k: getattr(record, k) for k in _LISTS}
        obj = replace(record, **{k: [] for k in _LISTS}).to_dict()
        obj.update(lists)
    else:
        obj = record
    n = DUMPS_ITEMS_PER_SLICE
    for j, (k, v) in enumerate(obj.items()):
        key = ("{" if j == 0 else ",") + _dumps(k) + ":"
        if isinstance(v, list) and len(v) > n:
            yield key + "["
            for i in range(0, len(v), n):
                yield ("," if i else "") + _dumps([_plain(x) for x in v[i : i + n]])[1:-1]
            yield "]"
        elif isinstance(v, list) and k in _LISTS:
            yield key
            yield _dumps([_plain(x) for x in v])
        else:  # key and value apart: joining them would copy a long text once more
            yield key
            yield _dumps(v)
    yield "}"


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


class PartialOutputExists(Exception):
    """An interrupted run's partial output is there and neither resume nor overwrite was asked."""


class OutputError(Exception):
    """The output cannot be written (missing or unwritable folder, disk or stdout full)."""


class JsonlWriter:
    """Writes records one per line to stdout or, through the journal, to a file.

    ``format``: 'jsonl', 'jsonl.gz' or 'parquet' (default: from the file name).
    ``resume``: keep the complete lines of an existing journal and append after them;
    ``resumed`` is then how many records it already holds. ``overwrite=False`` refuses
    (PartialOutputExists) to start afresh over an existing journal. OSError while opening,
    writing or finishing becomes OutputError.
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        format: str | None = None,
        resume: bool = False,
        overwrite: bool = True,
    ):
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
        if self.path.is_dir():
            raise OutputError(f"{self.path} is a folder: give an output file name")
        self.journal = journal_path(self.path)
        if not resume and not overwrite and self.journal.exists():
            raise PartialOutputExists(
                f"{self.journal} holds the records of an interrupted run into {self.path}: "
                "use --resume to continue it or --overwrite to start again"
            )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if resume and self.journal.exists():
                self.resumed = _truncate_to_complete_lines(self.journal)
                self._f = open(self.journal, "a", encoding="utf-8", newline="\n")
            else:
                self._f = open(self.journal, "w", encoding="utf-8", newline="\n")
        except OSError as e:
            raise OutputError(f"cannot write {self.path}: {e.strerror or e}") from None

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
        self.write_line(dumps(record))

    def write_line(self, line: str | Iterable[str]) -> None:
        """Write one record already serialized by ``dumps`` (no newline), or the pieces of
        ``dumps_parts`` / ``iter_dumps``."""
        try:
            for piece in [line] if isinstance(line, str) else line:
                if len(piece) <= WRITE_SLICE_CHARS:
                    self._f.write(piece)
                else:  # encoded a slice at a time, not as one more full-size copy
                    for i in range(0, len(piece), WRITE_SLICE_CHARS):
                        self._f.write(piece[i : i + WRITE_SLICE_CHARS])
            self._f.write("\n")
        except OSError as e:
            raise OutputError(f"cannot write {self._target()}: {e.strerror or e}") from None

    def flush(self) -> None:
        try:
            self._f.flush()
        except OSError as e:
            raise OutputError(f"cannot write {self._target()}: {e.strerror or e}") from None

    def _target(self) -> str:
        return str(self.path) if self.path is not None else "standard output"

    def close(self, *, commit: bool = True) -> None:
        """Finish the output. ``commit=False`` (a failed run) keeps the journal for a resume."""
        if self._closed:
            return
        self._closed = True
        if self.path is None:
            self.flush()
            return
        try:
            self._f.close()
        except OSError as e:
            raise OutputError(f"cannot write {self._target()}: {e.strerror or e}") from None
        assert self.journal is not None
        if not commit:
            return
        if self.format == "jsonl":
            os.replace(self.journal, self.path)
            return
        fd, tmp = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
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
    with (
        open(src, "rb") as fin,
        open(dst, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as fout,
    ):
        shutil.copyfileobj(fin, fout, 1 << 20)


# -- Parquet ------------------------------------------------------------------------------------
# One fixed Arrow schema, derived from the package's JSON Schema (schema/record.schema.json),
# whatever the records hold: files of different runs concatenate and read as one dataset.
# Fields added to the JSON Schema flow through; a top-level key that the JSON Schema does not
# list (a caller's own extra field) gets a column of JSON text after the schema's columns.


def _arrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as e:  # pragma: no cover - depends on the install
        raise RuntimeError("Parquet needs pyarrow: pip install 'normalizer[parquet]'") from e
    return pa, pq


def _json_schema() -> dict[str, Any]:
    from importlib import resources

    return json.loads(
        (resources.files("normalizer") / "schema" / "record.schema.json").read_text("utf-8")
    )


def _arrow_type(node: dict[str, Any], defs: dict[str, Any], pa: Any, where: str) -> Any:
    """The Arrow type of one JSON Schema node (nullable, as every Arrow field is)."""
    if "$ref" in node:
        node = defs[node["$ref"].rsplit("/", 1)[-1]]
    for key in ("oneOf", "anyOf"):
        if key in node:
            alts = [a for a in node[key] if a.get("type") != "null"]
            if len(alts) != 1:
                raise ValueError(
                    f"record schema: {where}: cannot map {key} with {len(alts)} non-null types to Arrow"
                )
            return _arrow_type(alts[0], defs, pa, where)
    if "enum" in node:
        if all(isinstance(v, str) for v in node["enum"]):
            return pa.string()
        raise ValueError(f"record schema: {where}: only string enums map to Arrow")
    types = node.get("type")
    types = [t for t in (types if isinstance(types, list) else [types]) if t != "null"]
    if len(types) != 1:
        raise ValueError(f"record schema: {where}: cannot map type {node.get('type')!r} to Arrow")
    t = types[0]
    if t == "object":
        props = node.get("properties")
        if not props:
            raise ValueError(
                f"record schema: {where}: an object needs 'properties' to map to Arrow"
            )
        return pa.struct(
            [pa.field(k, _arrow_type(v, defs, pa, f"{where}.{k}")) for k, v in props.items()]
        )
    if t == "array":
        return pa.list_(_arrow_type(node.get("items", {}), defs, pa, f"{where}[]"))
    scalars = {
        "string": pa.string(),
        "integer": pa.int64(),
        "number": pa.float64(),
        "boolean": pa.bool_(),
    }
    if t not in scalars:
        raise ValueError(f"record schema: {where}: cannot map type {t!r} to Arrow")
    return scalars[t]


def record_arrow_schema(extra: Iterable[str] = ()) -> Any:
    """The fixed Arrow schema of records, from the JSON Schema; ``extra`` top-level keys that it
    does not list become columns of JSON text (field metadata ``encoding: json``)."""
    pa, _ = _arrow()
    js = _json_schema()
    defs = js.get("$defs", {})
    fields = [pa.field(k, _arrow_type(v, defs, pa, k)) for k, v in js["properties"].items()]
    known = set(js["properties"])
    fields += [
        pa.field(k, pa.string(), metadata={b"encoding": b"json"}) for k in extra if k not in known
    ]
    return pa.schema(fields)


def parquet_schema(records: Iterable[dict[str, Any]]) -> Any:
    """The Arrow schema for these records: the fixed record schema, plus a JSON-text column per
    top-level key the JSON Schema does not list (one pass, memory bounded by the key count)."""
    extra: dict[str, None] = {}
    for r in records:
        for k in r:
            extra.setdefault(k, None)
    return record_arrow_schema(extra)


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


def jsonl_to_parquet(
    src: str | os.PathLike[str],
    dst: str | os.PathLike[str],
    rows_per_group: int = PARQUET_ROWS_PER_GROUP,
) -> None:
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


class RecordsError(Exception):
    """A file that is not records written by this module; the message says where (file:line)."""


def read_records(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Records back from any output this module writes (.jsonl, .jsonl.gz, .parquet).

    Raises RecordsError naming the file and line for anything else: torn JSON, a text file,
    an input .jsonl (objects without ``status``), Parquet without pyarrow."""
    fmt = output_format(path)
    if fmt == "parquet":
        try:
            _, pq = _arrow()
        except RuntimeError as e:
            raise RecordsError(f"{path}: reading {e.args[0][0].lower()}{e.args[0][1:]}") from None
        try:
            pf = pq.ParquetFile(str(path))
        except Exception as e:  # noqa: BLE001 - pyarrow raises ArrowInvalid, OSError, ...
            raise RecordsError(f"{path}: not a Parquet file of records: {e}") from None
        if "status" not in pf.schema_arrow.names:
            raise RecordsError(f"{path}: not normalizer records (no 'status' column)")
        json_cols = {
            f.name for f in pf.schema_arrow if f.metadata and f.metadata.get(b"encoding") == b"json"
        }
        for batch in pf.iter_batches():
            for r in batch.to_pylist():
                for c in json_cols:
                    if r.get(c) is not None:
                        r[c] = json.loads(r[c])
                yield r
        return
    opener = gzip.open if fmt == "jsonl.gz" else open
    lineno = 0
    try:
        with opener(path, "rt", encoding="utf-8") as f:  # type: ignore[operator]
            for lineno, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    r = json.loads(line)
                except ValueError as e:
                    raise RecordsError(
                        f"{path}:{lineno}: not a JSON record ({e.args[0] if e.args else e})"
                    ) from None
                if not isinstance(r, dict) or "status" not in r or "id" not in r:
                    raise RecordsError(
                        f"{path}:{lineno}: not a normalizer record (no 'id' and 'status'): "
                        "give the output of `normalizer run`, not its input"
                    ) from None
                yield r
    except UnicodeDecodeError:
        raise RecordsError(
            f"{path}:{lineno + 1}: not UTF-8 text, so not JSON Lines records"
        ) from None
    except (OSError, EOFError) as e:  # bad or truncated gzip, unreadable file
        raise RecordsError(f"{path}: cannot read: {e}") from None
