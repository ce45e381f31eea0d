"""Run subprocesses without network, where this machine allows a network namespace."""

from __future__ import annotations

import subprocess


def _nonet() -> list[str]:
    """A prefix that runs a command without network (``unshare -n``), when this machine allows it."""
    for cmd in (["unshare", "-n"], ["unshare", "-rn"]):
        try:
            if subprocess.run(cmd + ["true"], capture_output=True, timeout=10).returncode == 0:
                return cmd
        except (OSError, subprocess.TimeoutExpired):
            pass
    return []


NONET = _nonet()
