"""`normalizer models available / download` against a package index served by the test itself
on 127.0.0.1 (standard-library http.server in a thread), with the tiny real uk→en model."""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from netns import NONET

from normalizer.translation import models
from normalizer.translation.models import ModelError

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "tests" / "data" / "models" / "translate-uk_en-tiny.argosmodel"
TOP = "translate-uk_en-tiny"
TINY_BYTES = TINY.read_bytes()
PAIRS = ROOT / "tests" / "data" / "tatoeba-eng-ukr-200"

# The socket functions as they were before conftest's autouse guard replaced them.
_REAL = {
    "connect": socket.socket.connect,
    "connect_ex": socket.socket.connect_ex,
    "create_connection": socket.create_connection,
    "getaddrinfo": socket.getaddrinfo,
}


@pytest.fixture(autouse=True)
def _loopback_only(_no_network, monkeypatch):
    """Connections to 127.0.0.1 (the test's own server) are allowed; everything else still fails."""

    def local(address) -> bool:
        return isinstance(address, tuple) and address[0] == "127.0.0.1"

    def connect(self, address):
        if self.family == getattr(socket, "AF_UNIX", None) or local(address):
            return _REAL["connect"](self, address)
        raise RuntimeError(f"test tried to reach the network: {address!r}")

    def create_connection(address, *a, **kw):
        if not local(address):
            raise RuntimeError(f"test tried to reach the network: {address!r}")
        return _REAL["create_connection"](address, *a, **kw)

    def getaddrinfo(host, *a, **kw):
        if host != "127.0.0.1":
            raise RuntimeError(f"test tried to resolve {host!r}")
        return _REAL["getaddrinfo"](host, *a, **kw)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


class Handler(BaseHTTPRequestHandler):
    """Serves ``server.files`` (path -> bytes) with Range support; ``server.cut`` (path -> n)
    sends only the first n bytes once (the full Content-Length announced) and drops the
    connection; ``server.no_range`` ignores Range headers."""

    def log_message(self, *args):  # keep the test output clean
        pass

    def do_GET(self):
        srv = self.server
        srv.requests.append((self.path, self.headers.get("Range")))
        body = srv.files.get(self.path)
        if body is None:
            self.send_error(404, "Not Found")
            return
        start, code = 0, 200
        etag = '"%s"' % hashlib.sha256(body).hexdigest()[:16]
        m = re.fullmatch(r"bytes=(\d+)-", self.headers.get("Range") or "")
        changed = self.headers.get("If-Range") not in (None, etag)  # RFC 9110: then send it all
        if m and self.path not in srv.no_range and not changed:
            start, code = int(m.group(1)), 206
            if start >= len(body):
                self.send_error(416, "Range Not Satisfiable")
                return
        self.send_response(code)
        self.send_header("Content-Length", str(len(body) - start))
        self.send_header("ETag", etag)
        if code == 206:
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        self.end_headers()
        cut = srv.cut.pop(self.path, None)
        if cut is not None:
            self.wfile.write(body[start:cut])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(body[start:])


@pytest.fixture
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.files, srv.cut, srv.no_range, srv.requests = {}, {}, set(), []
    srv.url = f"http://127.0.0.1:{srv.server_address[1]}"
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()
    thread.join(5)


def entry(url: str, version: str = "0.1", **kw) -> dict:
    """An index entry shaped like the public Argos index's (version 0.1: the tiny package's)."""
    base = {
        "code": "translate-uk_en",
        "type": "translate",
        "from_code": "uk",
        "from_name": "Ukrainian",
        "to_code": "en",
        "to_name": "English",
        "package_version": version,
        "argos_version": "1.0",
        "links": [url],
    }
    base.update(kw)
    return base


def serve_index(srv, entries) -> str:
    srv.files["/index.json"] = json.dumps(entries).encode()
    return srv.url + "/index.json"


def snapshot(d: Path):
    if not d.exists():
        return None
    return sorted(str(p.relative_to(d)) for p in d.rglob("*"))


def cli(*args: str, env_extra: dict | None = None, prefix: list[str] | None = None):
    env = dict(os.environ, PYTHONPATH=str(ROOT), **(env_extra or {}))
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "normalizer", "models", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=ROOT,
    )


def memorised_pair() -> tuple[str, str]:
    from normalizer.translation.sentences import split_sentences

    ukr = (PAIRS / "pairs.ukr").read_text("utf-8").splitlines()
    eng = (PAIRS / "pairs.eng").read_text("utf-8").splitlines()
    return next((u, e) for u, e in zip(ukr, eng) if len(u) > 40 and split_sentences(u) == [u])


# ------------------------------------------------------------------- tests


def test_default_index_is_argostranslates(monkeypatch):
    monkeypatch.delenv("ARGOS_PACKAGE_INDEX", raising=False)
    from argostranslate import settings

    assert models.DEFAULT_INDEX == settings.remote_package_index
    monkeypatch.delenv("NORMALIZER_MODELS_INDEX", raising=False)
    assert models.resolve_index_url() == models.DEFAULT_INDEX
    monkeypatch.setenv("NORMALIZER_MODELS_INDEX", "http://127.0.0.1:9/i.json")
    assert models.resolve_index_url() == "http://127.0.0.1:9/i.json"
    assert models.resolve_index_url("http://x/y.json") == "http://x/y.json"


def test_available_lists_x_to_en_first(server, tmp_path):
    idx = serve_index(
        server,
        [
            entry(server.url + "/en_de", from_code="en", to_code="de", code="translate-en_de"),
            entry(
                server.url + "/de_en",
                from_code="de",
                from_name="German",
                to_code="en",
                code="translate-de_en",
                version="1.1",
            ),
            entry(server.url + "/m", version="1.9"),
            {"code": "sbd", "type": "sbd", "from_code": "uk", "to_code": "uk", "links": []},
        ],
    )
    models.install(TINY, tmp_path / "m")
    got = models.available(idx, tmp_path / "m")
    assert [(e.from_code, e.to_code, e.version) for e in got] == [
        ("de", "en", "1.1"),
        ("uk", "en", "1.9"),
        ("en", "de", "0.1"),
    ]
    uk = got[1]
    assert uk.installed_version == "0.1" and not uk.installed  # 0.1 installed, index has 1.9
    assert got[0].installed_version is None and got[0].name == "German → English"


def test_download_then_translate(server, tmp_path):
    from normalizer import Config, normalize

    server.files["/translate-uk_en-tiny.argosmodel"] = TINY_BYTES
    idx = serve_index(server, [entry(server.url + "/translate-uk_en-tiny.argosmodel")])
    d = tmp_path / "models"
    r = cli(
        "download",
        "uk",
        "--index",
        idx,
        "--models-dir",
        str(d),
        "--sha256",
        hashlib.sha256(TINY_BYTES).hexdigest(),
    )
    assert r.returncode == 0, r.stderr
    assert f"installed {TOP}" in r.stdout
    assert re.search(
        r"^normalizer: downloaded 1,064,191 bytes in [\d.]+ s \([\d.]+ MB/s\)$", r.stderr, re.M
    )
    assert [i.id for i in models.list_installed(d)] == [TOP]
    u, e = memorised_pair()
    record = normalize(u, config=Config(models_dir=str(d), use_cache=False))
    assert record.translation["status"] == "ok" and record.text == e
    # the download left nothing behind in the cache folder
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "normalizer" / "downloads"
    assert not cache.exists() or not any(cache.iterdir())

    r = cli("available", "--index", idx, "--models-dir", str(d))
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\t")[:4] == ["translate-uk_en", "uk→en", "0.1", "installed"]

    # the second download of the installed version does nothing
    n = len(server.requests)
    r = cli("download", "uk", "en", "--index", idx, "--models-dir", str(d))
    assert (
        r.returncode == 0
        and "already installed" in r.stderr
        and r.stderr.startswith("normalizer: ")
    )
    assert [p for p, _ in server.requests[n:]] == ["/index.json"]
    # --force downloads and reinstalls it
    r = cli("download", "uk", "--index", idx, "--models-dir", str(d), "--force")
    assert r.returncode == 0, r.stderr
    assert [p for p, _ in server.requests[n + 1 :]] == [
        "/index.json",
        "/translate-uk_en-tiny.argosmodel",
    ]
    assert [i.id for i in models.list_installed(d)] == [TOP] and snapshot(d) == sorted(
        str(p.relative_to(d)) for p in d.rglob("*")
    )


def test_progress_bar_shows_size_and_rate(server, tmp_path):
    server.files["/m"] = TINY_BYTES
    idx = serve_index(server, [entry(server.url + "/m")])
    r = cli("download", "uk", "--index", idx, "--models-dir", str(tmp_path / "m"), "--progress")
    assert r.returncode == 0, r.stderr
    bar = [line for line in re.split(r"[\r\n]", r.stderr) if "translate-uk_en 0.1" in line][-1]
    assert "100%" in bar and "1.01M/1.01M" in bar and "B/s" in bar


def test_interrupted_download_resumes(server, tmp_path):
    server.files["/m"] = TINY_BYTES
    server.cut["/m"] = 400_000
    idx = serve_index(server, [entry(server.url + "/m")])
    d = tmp_path / "models"
    r = cli("download", "uk", "--index", idx, "--models-dir", str(d))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1 and "interrupted after 400,000 of 1,064,191 bytes" in r.stderr
    assert "run the same command again to resume" in r.stderr
    assert snapshot(d) is None  # the models folder was never touched
    r = cli("download", "uk", "--index", idx, "--models-dir", str(d))
    assert r.returncode == 0, r.stderr
    assert ("/m", "bytes=400000-") in server.requests and "resumed at 400,000 bytes" in r.stderr
    assert [i.id for i in models.list_installed(d)] == [TOP]
    assert (
        hashlib.sha256((d / TOP / "model" / "model.bin").read_bytes()).digest()
        == hashlib.sha256(
            __import__("zipfile").ZipFile(TINY).read(f"{TOP}/model/model.bin")
        ).digest()
    )


def test_interrupted_download_restarts_when_server_ignores_range(server, tmp_path):
    server.files["/m"] = TINY_BYTES
    server.cut["/m"] = 300_000
    server.no_range.add("/m")
    idx = serve_index(server, [entry(server.url + "/m")])
    d = tmp_path / "models"
    assert models_download_fails(idx, d, "interrupted after 300,000")
    res = models.download("uk", index=idx, models_dir=d)
    assert res.resumed_from == 0 and res.bytes == len(TINY_BYTES)  # restarted cleanly, not spliced
    assert [i.id for i in models.list_installed(d)] == [TOP]


def test_file_changed_on_the_server_restarts_instead_of_splicing(server, tmp_path):
    server.files["/m"] = b"\0" * 500_000 + TINY_BYTES  # an older file under the same URL
    server.cut["/m"] = 450_000
    idx = serve_index(server, [entry(server.url + "/m")])
    d = tmp_path / "models"
    assert models_download_fails(idx, d, "interrupted after 450,000")
    server.files["/m"] = TINY_BYTES
    res = models.download("uk", index=idx, models_dir=d)
    assert ("/m", "bytes=450000-") in server.requests  # it asked to resume...
    assert res.resumed_from == 0 and res.bytes == len(TINY_BYTES)  # ...got the new file whole
    assert [i.id for i in models.list_installed(d)] == [TOP]


def models_download_fails(idx, d, message, **kw) -> bool:
    before = snapshot(d)
    with pytest.raises(ModelError, match=re.escape(message)):
        models.download("uk", index=idx, models_dir=d, **kw)
    return snapshot(d) == before


def test_bad_archive_is_not_installed(server, tmp_path):
    server.files["/m"] = b"PK\x03\x04 this is not really a zip archive" * 100
    idx = serve_index(server, [entry(server.url + "/m")])
    d = tmp_path / "models"
    assert models_download_fails(idx, d, "not a valid .argosmodel file")
    # the bad file is not kept for a later "resume"
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "normalizer" / "downloads"
    assert not cache.exists() or not any(cache.iterdir())
    # into an existing models folder with a model: it stays exactly as it was
    models.install(TINY, d)
    server.files["/index.json"] = json.dumps([entry(server.url + "/m", version="2.0")]).encode()
    assert models_download_fails(idx, d, "not a valid .argosmodel file", force=True)
    assert [(i.id, i.version) for i in models.list_installed(d)] == [(TOP, "0.1")]


def test_installed_older_version_needs_force(server, tmp_path):
    server.files["/m"] = TINY_BYTES
    idx = serve_index(server, [entry(server.url + "/m", version="2.0")])
    d = tmp_path / "models"
    models.install(TINY, d)
    assert models_download_fails(
        idx, d, "version 0.1 is installed and the index has 2.0: add --force"
    )
    assert [p for p, _ in server.requests] == ["/index.json"]  # nothing downloaded
    res = models.download("uk", index=idx, models_dir=d, force=True)
    assert res.installed is not None and res.installed.id == TOP
    assert [i.id for i in models.list_installed(d)] == [TOP] and not [
        p for p in d.iterdir() if p.name.startswith(".")
    ]


def test_http_404(server, tmp_path):
    idx = serve_index(server, [entry(server.url + "/gone.argosmodel")])
    assert models_download_fails(idx, tmp_path / "m", "/gone.argosmodel: HTTP 404 Not Found")
    r = cli("available", "--index", server.url + "/no-index.json")
    assert (
        r.returncode == 1
        and r.stderr == f"normalizer: {server.url}/no-index.json: HTTP 404 Not Found\n"
    )


def test_wrong_checksum(server, tmp_path):
    server.files["/m"] = TINY_BYTES
    idx = serve_index(server, [entry(server.url + "/m")])
    d = tmp_path / "models"
    r = cli("download", "uk", "--index", idx, "--models-dir", str(d), "--sha256", "0" * 64)
    assert r.returncode == 1 and "SHA-256 mismatch" in r.stderr and r.stderr.count("\n") == 1
    assert hashlib.sha256(TINY_BYTES).hexdigest() in r.stderr and snapshot(d) is None


def test_index_not_json(server, tmp_path):
    server.files["/index.json"] = b"<!doctype html><title>Moved</title>"
    r = cli(
        "download", "uk", "--index", server.url + "/index.json", "--models-dir", str(tmp_path / "m")
    )
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.startswith(
        f"normalizer: {server.url}/index.json: not a package index (not JSON"
    )
    server.files["/index.json"] = b'{"packages": []}'
    with pytest.raises(ModelError, match="expected a JSON list"):
        models.available(server.url + "/index.json")


def test_non_http_links_are_skipped(server, tmp_path):
    server.files["/m"] = TINY_BYTES
    idx = serve_index(
        server,
        [entry("ipfs://QmTiny", links=["ipfs://QmTiny", "file:///etc/passwd", server.url + "/m"])],
    )
    d = tmp_path / "models"
    assert models.download("uk", index=idx, models_dir=d).installed.id == TOP
    idx = serve_index(server, [entry("x", links=["file:///etc/passwd", "ftp://h/m.argosmodel"])])
    assert models_download_fails(
        idx,
        tmp_path / "m2",
        "no http(s) link in the index (links: file:///etc/passwd, ftp://h/m.argosmodel)",
    )


def test_no_such_pair(server, tmp_path):
    idx = serve_index(server, [entry(server.url + "/m")])
    r = cli("download", "ru", "--index", idx, "--models-dir", str(tmp_path / "m"))
    assert r.returncode == 1 and r.stderr.startswith(
        "normalizer: no ru→en translation package in the index"
    )


def test_no_network_one_line_exit_1(tmp_path):
    # a port nobody listens on: the connection is refused
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    d = tmp_path / "m"
    r = cli(
        "download", "uk", "--index", f"http://127.0.0.1:{port}/index.json", "--models-dir", str(d)
    )
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert r.stderr.startswith(f"normalizer: cannot reach 127.0.0.1:{port} (no network?)")
    assert snapshot(d) is None
    if not NONET:
        pytest.skip("no network namespace on this machine for the default-index case")
    env = {k: v for k, v in os.environ.items() if k != "NORMALIZER_MODELS_INDEX"}
    r = subprocess.run(
        [
            *NONET,
            sys.executable,
            "-m",
            "normalizer",
            "models",
            "download",
            "uk",
            "--models-dir",
            str(d),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=dict(env, PYTHONPATH=str(ROOT)),
    )
    assert r.returncode == 1 and r.stderr.count("\n") == 1, r.stderr
    assert r.stderr.startswith("normalizer: cannot reach raw.githubusercontent.com (no network?)")
    assert snapshot(d) is None


def test_only_download_module_opens_connections(tmp_path):
    """The network code lives in normalizer/translation/download.py alone; nothing else imports it at load time."""
    pkg = ROOT / "normalizer"
    net = re.compile(
        r"^\s*(import|from)\s+(urllib\.request|http\.client|socket|requests|urllib3|httpx)\b|"
        r"urlopen\(|create_connection\(",
        re.M,
    )
    users = sorted(p.name for p in pkg.rglob("*.py") if net.search(p.read_text("utf-8")))
    assert users == ["download.py"]
    importers = sorted(
        p.name
        for p in pkg.rglob("*.py")
        if re.search(
            r"from \.download import|"
            r"normalizer\.download",
            p.read_text("utf-8"),
        )
    )
    assert importers == ["models.py"]
    # `run` over the samples never imports it
    code = (
        "import sys; from normalizer.cli import main;"
        "rc = main(['run', 'samples', '-o', sys.argv[1], '-q', '--no-cache']);"
        "assert rc == 0 and 'normalizer.translation.download' not in sys.modules, rc"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "o.jsonl")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        timeout=300,
    )
    assert r.returncode == 0, r.stderr[-2000:]


def test_oversized_package_is_refused(server, tmp_path):
    from normalizer.translation.download import DownloadError, fetch_file

    server.files["/m"] = TINY_BYTES
    with pytest.raises(
        DownloadError, match="1,064,191 bytes, more than a translation package can be"
    ):
        fetch_file(server.url + "/m", tmp_path / "m.part", max_bytes=1_000_000)
    assert not (tmp_path / "m.part").exists()  # refused before a byte was written
