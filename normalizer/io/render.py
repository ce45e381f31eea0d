"""Human-readable rendering of a record (``normalizer show``)."""

from __future__ import annotations

import textwrap
from typing import Any

# ANSI: strike-through, dim, bold, reset. Used only when writing to a terminal.
_STRIKE, _DIM, _BOLD, _RESET = "\x1b[9m", "\x1b[2m", "\x1b[1m", "\x1b[0m"


def render(record: dict[str, Any], *, color: bool = False, width: int = 100) -> str:
    """The document as a person reads it: kept text, removals struck through with their reason,
    translated fragments followed by their English."""

    def style(s: str, code: str) -> str:
        return f"{code}{s}{_RESET}" if color else s

    head = [style(f"# {record['id']}", _BOLD)]
    if record.get("source"):
        head.append(f"source: {record['source']}")
    head.append(
        f"status: {record['status']}   language: {record['language']}   "
        f"translation: {record['translation']['status']}"
    )
    head.extend(_metadata_lines(record))
    if record["status"] != "ok":
        head.append(f"error: {record['error']['type']}: {record['error']['message']}")
        return "\n".join(head) + "\n"
    items: list[tuple[int, int, str]] = []
    for kind, seq in (
        ("kept", record["fragments"]),
        ("related", record["related"]),
        ("removed", record["removed"]),
    ):
        for x in seq:
            items.append((x["start"], 0 if kind != "removed" else 1, _one(x, kind, style, width)))
    body = [s for _, _, s in sorted(items, key=lambda t: (t[0], t[1]))]
    return "\n".join(head) + "\n\n" + "\n\n".join(body) + "\n"


def _metadata_lines(record: dict[str, Any]) -> list[str]:
    """One line per metadata value present, with where it came from: "published: … (json-ld)"."""
    sources = record.get("metadata_sources") or {}
    out = []
    for key, label in (
        ("published", "published"),
        ("authors", "authors"),
        ("site_name", "site"),
        ("url", "url"),
    ):
        value = record.get(key)
        if value:
            shown = ", ".join(value) if isinstance(value, list) else value
            out.append(f"{label}: {shown} ({sources.get(key, '?')})")
    return out


def _one(x: dict[str, Any], kind: str, style: Any, width: int) -> str:
    def wrap(s: str, indent: str = "") -> str:
        return textwrap.fill(s, width, initial_indent=indent, subsequent_indent=indent) or indent

    if kind == "removed":
        struck = style(x["text"], _STRIKE) if style("", _STRIKE) else f"~~{x['text']}~~"
        return f"{struck}  [removed: {x['reason']} · {x['rule']}]"
    label = x["role"] if x["role"] != "body" else ""
    tag = f"[{x['lang']}{' · ' + label if label else ''}]"
    out = f"{style(tag, _DIM)} {x['text']}"
    if x.get("translation") is not None:
        out += "\n" + wrap(x["translation"], "    → ")
    return out
