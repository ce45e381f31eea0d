#!/usr/bin/env python3
"""Write the bad-input fixtures of tests/data/bad/ (small, committed) and, with --big DIR,
the big ones that are never committed (tests/test_bad_inputs.py makes those in a temporary
folder with the same functions).

Deterministic: the same bytes on every run. Usage:

    python scripts/make_bad_fixtures.py            # rewrite tests/data/bad/
    python scripts/make_bad_fixtures.py --big DIR  # also write the big cases into DIR

Every fixture and what it must produce is listed in tests/data/bad/README.md.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import struct
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "data" / "bad"

# Distinct Ukrainian paragraphs (one per fixture, so the repeated-line signal, which looks
# for lines shared by several documents of one folder, never fires across fixtures). Each
# uses the letters only Ukrainian has (і ї є ґ) so a wrong decoding shows.
UK = {
    "cp1251": (
        "Міністр оборони України заявив, що ґрунтові аеродроми прикордоння "
        "відновлять до кінця року, а їхню охорону посилять.",
        "Європейські партнери пообіцяли передати ще дві батареї протиповітряної оборони.",
    ),
    "koi8u": (
        "Уряд затвердив програму відбудови шкіл на Київщині: ґанки, їдальні та укриття "
        "з'являться в сорока громадах.",
        "Її фінансування передбачено в державному бюджеті наступного року.",
    ),
    "utf16": (
        "Українські енергетики відновили живлення в Харкові після нічної атаки; "
        "ґенератори працювали до ранку, повідомив мер.",
        "Їхня робота тривала понад дванадцять годин без перерви.",
    ),
    "cp1251_html": (
        "Рада ухвалила закон про підтримку ветеранів: ґрантові програми отримають "
        "їхні родини, а громади — кошти на реабілітацію.",
        "Документ набуде чинності з першого січня.",
    ),
    "koi8u_html": (
        "У Львові відкрили виставку сучасного мистецтва; її кураторка розповіла, "
        "що ґалерея вперше показує роботи з окупованих територій.",
        "Єдиний вхідний квиток коштує сто гривень.",
    ),
    "utf8_invalid": (
        "Прикордонники затримали контрабанду на заході країни; її вартість "
        "оцінюють у мільйон гривень, повідомила служба.",
    ),
}


def write(name: str, data: bytes) -> None:
    (BAD / name).write_bytes(data)


def html_page(title: str, paras: tuple[str, ...], charset: str | None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (
        f"<!DOCTYPE html><html><head>{meta}<title>{title}</title></head><body>"
        f"<nav><a href='/'>Головна</a> <a href='/news'>Новини</a></nav>"
        f"<article><h1>{title}</h1>{body}</article></body></html>\n"
    )


def png_bytes() -> bytes:
    """A real, tiny PNG (8x8 grey): binary data with NULs, the commonest mislabeled download."""
    raw = b"".join(b"\x00" + bytes([i * 16] * 8) for i in range(8))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def gz(data: bytes) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as f:
        f.write(data)
    return buf.getvalue()


def small() -> None:
    BAD.mkdir(parents=True, exist_ok=True)
    write("binary.bin", bytes((i * 7 + 3) % 256 for i in range(4096)))
    write("image.png.html", png_bytes())
    write("empty.txt", b"")
    write("whitespace.txt", b" \n\t\r\n   \n")
    write(
        "nul_bytes.txt",
        b"An article about air defence systems.\x00\x00\x00Second part after NULs.\n",
    )
    write("cp1251.txt", "\n".join(UK["cp1251"]).encode("cp1251") + b"\n")
    write("koi8u.txt", "\n".join(UK["koi8u"]).encode("koi8_u") + b"\n")
    write("utf16_bom.txt", ("\n".join(UK["utf16"]) + "\n").encode("utf-16"))  # BOM + UTF-16-LE
    write(
        "cp1251.html",
        html_page("Закон про ветеранів", UK["cp1251_html"], "windows-1251").encode("cp1251"),
    )
    write("koi8u.html", html_page("Виставка у Львові", UK["koi8u_html"], None).encode("koi8_u"))
    # Valid UTF-8 with two broken sequences: a stray 0xFF and a 3-byte character cut short.
    good = UK["utf8_invalid"][0].encode("utf-8")
    write(
        "invalid_utf8.txt",
        b"Border guards seized contraband worth a million hryvnias.\n"
        + good[:40]
        + b"\xff"
        + good[40:]
        + b"\n"
        + "Кінець".encode()[:-1]
        + b"\xe2\x82\n",
    )
    write(
        "malformed.html",
        (
            "<html><head><title>Malformed page</title><body>\n"
            "<div class=article><p>Officials confirmed the delivery of the systems on Monday, "
            "the ministry said in a statement.<p>The second paragraph has no closing tag "
            "<b>and <i>misnested</b> inline</i> tags & a bare ampersand &bogus; entity.\n"
            "</span></span></div></div></div>\n"
            "<table><tr><td>Cell without closing<td>Another cell</table>\n"
            "<p>A third paragraph after junk: <<>> </ p> <!-- unclosed? --> done.</p>\n"
            "<script>document.write('<p>never shown</p>')</script>\n"
            "<p>Last words.</p></body></html>\n"
        ).encode(),
    )
    write(
        "truncated.html",
        (
            "<!DOCTYPE html><html><head><title>Truncated page</title></head><body><article>"
            "<h1>Truncated page</h1><p>The article starts normally and the download stops in "
            'the middle of a tag <a href="https://example.org/a?b=c&d'
        ).encode(),
    )
    write(
        "truncated_comment.html",
        (
            "<html><body><p>Text before a comment that never ends, as a cut-off download "
            "leaves it.</p><!-- the rest of the page is a comment <p>hidden</p>"
        ).encode(),
    )
    lines = [
        json.dumps({"id": "j-ok", "text": "A first document about regional news, complete."}),
        '{"id": "j-broken", "text": "unterminated',
        "[1, 2, 3]",
        json.dumps({"id": "j-missing"}),
        json.dumps({"id": "j-dup", "text": "The first of two documents sharing one id."}),
        "",
        json.dumps({"id": "j-dup", "text": "The second of two documents sharing one id."}),
        json.dumps({"id": "j-html", "html": "<p>An HTML document inside JSON Lines.</p>"}),
        json.dumps({"id": 17, "text": "A numeric id becomes a string."}),
        json.dumps({"id": "j-num-text", "text": 42}),
        json.dumps({"id": "j-null", "text": None}),
        '{"id": "j-badutf8", "text": "bytes \xff here"}',  # written latin-1: invalid UTF-8
        json.dumps({"id": "j-empty", "text": ""}),
        json.dumps({"id": "j-nul", "text": "text with a NUL \u0000 inside"}),
        '{"id": "j-last", "text": "the last line is cut off',
    ]
    write(
        "broken.jsonl",
        b"\n".join(
            ln.encode("latin-1") if "j-badutf8" in ln else ln.encode("utf-8") for ln in lines
        ),
    )
    whole = gz("A gzip-compressed page dump whose download was cut short.\n".encode() * 50)
    write("truncated.txt.gz", whole[: len(whole) // 2])


# ------------------------------------------------------------------------ big cases

BIG_SIZE = 50 * 1000 * 1000
LINE_SIZE = 5 * 1000 * 1000
DEPTH = 100_000

_WORDS = (
    "the ministry said on monday that deliveries of the air defence systems would "
    "continue through the winter despite pressure from partners and the reports of "
    "officials who asked not to be named because they were not authorised to speak"
).split()


def _prose(i: int, size: int) -> str:
    """A deterministic line of ~``size`` characters of English words, numbered ``i``."""
    out, n, k = [f"{i}."], 0, i
    while n < size:
        w = _WORDS[k % len(_WORDS)]
        out.append(w)
        n += len(w) + 1
        k = (k * 31 + 7) % 1_000_003
    return " ".join(out)


def big_text(path: Path, size: int = BIG_SIZE, line: int = 50_000) -> None:
    """~50 MB of text in 50 KB lines (a crawl's runaway page dump)."""
    with open(path, "w", encoding="utf-8") as f:
        i = n = 0
        while n < size:
            s = _prose(i, line) + "\n"
            f.write(s)
            n += len(s)
            i += 1


def one_line(path: Path, size: int = LINE_SIZE) -> None:
    """One 5 MB line, no newline at all (a dump that joined everything with spaces), with
    boilerplate phrases inside and a "Read more" at its end, as such dumps have."""
    path.write_text(
        _prose(0, size // 2)
        + " … we have a small favor to ask. We use cookies. "
        + _prose(1, size // 2)
        + " Read more",
        "utf-8",
    )


def deep_html(path: Path, depth: int = DEPTH) -> None:
    """HTML nested ``depth`` levels deep, closed again, text at the bottom."""
    path.write_text(
        "<!DOCTYPE html><html><body>" + "<div>" * depth + "<p>Deepest paragraph of the "
        "page, nested one hundred thousand levels down.</p>"
        + "</div>" * depth
        + "<p>Text after the deep part.</p></body></html>\n",
        "utf-8",
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--big", metavar="DIR", help="also write the big cases (50 MB, 5 MB line, deep HTML)"
    )
    args = ap.parse_args()
    small()
    print(f"wrote {BAD}")
    if args.big:
        d = Path(args.big)
        d.mkdir(parents=True, exist_ok=True)
        big_text(d / "big_50mb.txt")
        one_line(d / "one_line_5mb.txt")
        deep_html(d / "deep_100k.html")
        print(f"wrote {d}")


if __name__ == "__main__":
    main()
