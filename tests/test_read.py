"""Readers: formats, field names, stdin, and decoding (BOM, HTTP/meta charset, cp1251, koi8-u)."""

from __future__ import annotations

import gzip
import io
import json
import sys

import pytest

from normalizer.io.read import InputError, decode, file_format, iter_items

UK = (
    "Україна отримала нові системи протиповітряної оборони. Їхні можливості значно ширші, "
    "ніж у попередніх, заявив міністр оборони. Ґанок, їжак і єнот."
)
RU = (
    "Россия заявила, что не получала запросов от Ирана на поставку систем противовоздушной "
    "обороны. Москва опровергла сообщения об отказе Тегерану."
)


@pytest.mark.parametrize("enc", ["cp1251", "koi8_u"])
def test_detects_ukrainian_legacy_encodings(enc):
    assert decode(UK.encode(enc), content_type="text") == UK


@pytest.mark.parametrize("enc", ["cp1251", "koi8_r"])
def test_detects_russian_legacy_encodings(enc):
    assert decode(RU.encode(enc), content_type="text") == RU


def test_koi8_r_label_on_ukrainian_page_keeps_ukrainian_letters():
    page = f'<html><head><meta charset="koi8-r"></head><body><p>{UK}</p></body></html>'
    assert UK in decode(page.encode("koi8_u"), content_type="html")


def test_meta_charset_and_http_charset():
    page = (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"></head>'
        f"<body><p>{UK}</p></body></html>"
    )
    data = page.encode("cp1251")
    assert UK in decode(data, content_type="html")
    # the transport's charset (HTTP header in WARC) wins over <meta>
    wrong_meta = page.replace("windows-1251", "iso-8859-5").encode("cp1251")
    assert UK in decode(wrong_meta, content_type="html", charset="windows-1251")


@pytest.mark.parametrize("bom_enc", ["utf-8-sig", "utf-16", "utf-32"])
def test_bom_is_honoured(bom_enc):
    assert decode(UK.encode(bom_enc)) == UK


def test_binary_and_empty_are_errors():
    with pytest.raises(InputError) as e:
        decode(b"\x00\x01\x02\x03" * 100 + b"\xff")
    assert e.value.type == "binary_input"
    with pytest.raises(InputError):
        decode(b"  \n ")


def test_file_format_by_name(tmp_path):
    cases = {
        "a.jsonl": "jsonl",
        "a.ndjson.gz": "jsonl",
        "a.JSONL.GZ": "jsonl",
        "b.warc": "warc",
        "b.warc.gz": "warc",
        "c.txt": "doc",
        "c.html": "doc",
        "c.htm.gz": "doc",
        "d": "doc",
    }
    for name, fmt in cases.items():
        assert file_format(tmp_path / name) == fmt, name


def test_folders_recursive_sorted_with_types(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text("plain text", "utf-8")
    (tmp_path / "b" / "p.html").write_bytes(
        f"<html><body><p>{UK}</p></body></html>".encode("cp1251")
    )
    (tmp_path / "b" / "q.htm.gz").write_bytes(gzip.compress(b"<html><body><p>x</p></body></html>"))
    (tmp_path / ".hidden").write_text("skip me")
    items = list(iter_items([str(tmp_path)]))
    assert [(i["id"], i["content_type"]) for i in items] == [
        ("a", "text"),
        ("p", "html"),
        ("q", "html"),
    ]
    assert items[2]["data"].startswith(b"<html>")  # gzip looked through


def test_jsonl_field_names_gz_and_bad_lines(tmp_path):
    lines = [
        {"doc_id": 7, "body": "text one", "link": "https://ex.com/1"},
        {"doc_id": "b", "page": "<p>html two</p>", "link": "https://ex.com/2"},
        {"doc_id": "c", "other": 1},
    ]
    raw = "\n".join(json.dumps(x) for x in lines) + "\n{not json\n\n"
    (tmp_path / "in.jsonl.gz").write_bytes(gzip.compress(raw.encode()))
    items = list(
        iter_items(
            [str(tmp_path / "in.jsonl.gz")],
            id_field="doc_id",
            text_field="body",
            html_field="page",
            url_field="link",
        )
    )
    assert [i["id"] for i in items] == ["7", "b", "c", "in:4"]
    assert items[0]["text"] == "text one" and items[0]["url"] == "https://ex.com/1"
    assert items[1]["html"] == "<p>html two</p>"
    assert items[2]["error"]["type"] == "missing_field"
    assert items[3]["error"]["type"] == "json_error"
    assert items[0]["source"].endswith("in.jsonl.gz:1")


def make_warc(path, pages, gz=True):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=gz)
        w.write_record(w.create_warcinfo_record(path.name, {"software": "test"}))
        for url, body, ctype in pages:
            req = w.create_warc_record(
                url,
                "request",
                payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders("GET / HTTP/1.1", [], is_http_request=True),
            )
            w.write_record(req)
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            w.write_record(
                w.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=headers
                )
            )


@pytest.mark.parametrize("gz", [True, False])
def test_warc_html_responses(tmp_path, gz):
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    make_warc(
        path,
        [
            (
                "https://news.example.ua/a",
                f"<html><body><p>{UK}</p></body></html>".encode("cp1251"),
                "text/html; charset=windows-1251",
            ),
            ("https://news.example.ua/logo.png", b"\x89PNG....", "image/png"),
            ("https://news.example.ua/b", b"<html><body><p>Hello</p></body></html>", "text/html"),
        ],
        gz=gz,
    )
    items = list(iter_items([str(path)]))
    assert [i["url"] for i in items] == ["https://news.example.ua/a", "https://news.example.ua/b"]
    assert items[0]["charset"] == "windows-1251" and items[1]["charset"] is None
    assert all(i["content_type"] == "html" and i["id"] for i in items)
    assert UK in decode(items[0]["data"], content_type="html", charset=items[0]["charset"])


def _stdin(monkeypatch, data: bytes):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_stdin_single_document(monkeypatch):
    _stdin(monkeypatch, UK.encode("cp1251"))
    [item] = list(iter_items(["-"]))
    assert item["source"] == "<stdin>" and item["id"] is None
    assert decode(item["data"]) == UK


def test_stdin_jsonl_and_gzip_sniffed(monkeypatch):
    raw = b'{"id": "x", "text": "one"}\n{"id": "y", "text": "two"}\n'
    _stdin(monkeypatch, gzip.compress(raw))
    assert [i["id"] for i in iter_items(["-"])] == ["x", "y"]
    _stdin(monkeypatch, b'{"id": "x", "text": "one"}\n')
    assert [i["text"] for i in iter_items(["-"], stdin_format="jsonl")] == ["one"]
    _stdin(monkeypatch, b'{"id": "x"} is a document here')
    assert len(list(iter_items(["-"], stdin_format="doc"))) == 1


def test_stdin_warc(monkeypatch, tmp_path):
    path = tmp_path / "c.warc.gz"
    make_warc(path, [("https://ex.com/1", b"<html><body><p>Hi</p></body></html>", "text/html")])
    _stdin(monkeypatch, path.read_bytes())
    [item] = list(iter_items(["-"]))
    assert item["url"] == "https://ex.com/1"


def test_stdin_from_spooled_copy(tmp_path):
    copy = tmp_path / "stdin.copy"
    copy.write_bytes(b'{"id": "x", "text": "one"}\n')
    assert [i["id"] for i in iter_items(["-"], stdin_path=copy)] == ["x"]
    assert [i["id"] for i in iter_items(["-"], stdin_path=copy)] == ["x"]  # readable twice


def test_too_large_file_is_not_read(tmp_path):
    (tmp_path / "big.txt").write_text("x" * 1000)
    [item] = list(iter_items([str(tmp_path / "big.txt")], max_bytes=100))
    assert item["error"]["type"] == "too_large"


def test_items_are_streamed(tmp_path):
    # a generator: the first document comes out before later files are even opened
    (tmp_path / "a.txt").write_text("first")
    (tmp_path / "b.txt").write_text("second")
    it = iter_items([str(tmp_path)])
    first = next(it)
    (tmp_path / "b.txt").write_text("changed after the first item")
    assert first["data"] == b"first"
    assert next(it)["data"] == b"changed after the first item"
