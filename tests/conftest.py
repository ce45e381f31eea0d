"""Shared test setup. No test may reach the network: outbound connections fail loudly."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

# Shared helpers (tests/netns.py) import as top-level modules; no tests/__init__.py, because
# argostranslate's wheel installs a top-level package named "tests".
sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DATA = Path(__file__).resolve().parent / "data"


class NetworkBlocked(RuntimeError):
    pass


def _blocked(*args, **kwargs):
    raise NetworkBlocked(f"test tried to open a network connection: {args!r}")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Fail any attempt to connect anywhere except local (AF_UNIX) sockets."""
    real_connect = socket.socket.connect

    def guarded(self, address):
        if self.family == getattr(socket, "AF_UNIX", None):
            return real_connect(self, address)
        _blocked(address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded)
    monkeypatch.setattr(socket, "create_connection", _blocked)
    monkeypatch.setattr(socket, "getaddrinfo", _blocked)


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    """Models and caches never come from, or go to, the user's real folders."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("NORMALIZER_MODELS_DIR", str(home / "models"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(home / "argos"))


@pytest.fixture(scope="session")
def samples() -> dict[str, str]:
    return {p.name.split("_")[0]: p.read_text("utf-8") for p in sorted(SAMPLES.glob("*.txt"))}
