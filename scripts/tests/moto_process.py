"""Start and stop moto servers for the test suites: the ops-script tests (scripts/tests/conftest.py,
plain moto_server over HTTP) and the moto_ext tests (scripts/e2e/moto_ext/tests/conftest.py,
moto_ext and stock moto over TLS). One copy of the port, start, readiness and stop code for both.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HOST = "127.0.0.1"
BIN = Path(sys.executable).parent


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def moto_server_bin() -> str:
    """The moto_server of the running venv (scripts/tests/run.sh installs moto[server] there)."""
    found = shutil.which("moto_server", path=str(BIN)) or shutil.which("moto_server")
    if not found:
        raise RuntimeError("moto_server not found: run scripts/tests/run.sh (it installs moto[server])")
    return found


def start(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start a server in its own process group, stdout and stderr into `log`."""
    with open(log, "wb") as out:
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)


def wait_ready(proc: subprocess.Popen, url: str, log: Path, ca: str | None = None, timeout: float = 60) -> None:
    """Wait until `url`/moto-api/ answers (over TLS trusting `ca` when given); raise with the log's
    tail when the server exits or does not answer in time."""
    context = ssl.create_default_context(cafile=ca) if ca else None
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited {proc.returncode}: {_tail(log)}")
        try:
            urllib.request.urlopen(f"{url}/moto-api/", context=context, timeout=2).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not start in {timeout:.0f} s: {_tail(log)}")
            time.sleep(0.2)


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the server's process group, SIGKILL after 10 s."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def reset(url: str, ca: str | None = None) -> None:
    """POST /moto-api/reset: an empty fake account."""
    context = ssl.create_default_context(cafile=ca) if ca else None
    req = urllib.request.Request(f"{url}/moto-api/reset", method="POST")
    urllib.request.urlopen(req, context=context, timeout=10).read()


def _tail(log: Path, n: int = 800) -> str:
    try:
        return log.read_text(errors="replace")[-n:]
    except OSError:
        return "(no log)"
