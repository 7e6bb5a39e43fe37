"""`barometer serve` (what `make run` ends with) serves with gunicorn and prints the address to open, not
Flask's development-server warning; `--dev` still gives the development server."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.processes import barometer_env, start_barometer

DEV_WARNING = "This is a development server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve_and_stop(loaded_db: str, data_dir: Path, *args: str) -> tuple[int, str, str]:
    """Start `barometer serve ARGS`, wait for /healthz to answer 200, stop it; its status and output."""
    port = free_port()
    server = start_barometer(["serve", "--port", str(port), *args],
                             barometer_env(loaded_db, data_dir, WEB_CONCURRENCY="1"))
    try:
        deadline = time.monotonic() + 120
        status = 0
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    status = response.status
                    break
            except OSError:
                time.sleep(0.5)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            stdout, stderr = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            stdout, stderr = server.communicate()
    return status, stdout, stderr


@pytest.mark.slow
def test_serve_uses_gunicorn_without_a_warning(loaded_db: str, data_dir: Path) -> None:
    status, stdout, stderr = serve_and_stop(loaded_db, data_dir)
    assert status == 200, stdout + stderr
    assert "Dashboard on http://127.0.0.1:" in stdout and "gunicorn" in stdout
    assert "Booting worker" in stderr  # gunicorn's own log
    assert DEV_WARNING not in stdout + stderr
    assert "WARNING" not in stdout + stderr


@pytest.mark.slow
def test_dev_flag_gives_the_development_server(loaded_db: str, data_dir: Path) -> None:
    status, stdout, stderr = serve_and_stop(loaded_db, data_dir, "--dev")
    assert status == 200, stdout + stderr
    assert "development server" in stdout
    assert "Booting worker" not in stderr
