"""Each `barometer serve` has its own gunicorn control socket: gunicorn's default (one path per user) was shared
by every server on the machine, so a second server took it over and stopping either deleted it for both."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from gunicorn.config import Config

from app import serve
from core.config import PROJECT_ROOT

pytestmark = pytest.mark.skipif(not serve.has_control_socket(), reason="gunicorn < 25.1 has no control socket")


@pytest.fixture
def runtime_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private XDG_RUNTIME_DIR, short enough for Unix socket paths (pytest's tmp_path may not be)."""
    folder = Path(tempfile.mkdtemp(prefix="ctl", dir="/tmp"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


class Execed(Exception):
    """Raised where os.execve would have replaced the process (it never returns)."""

    def __init__(self, command: list[str]) -> None:
        super().__init__(command)
        self.command = command


def served_command(monkeypatch: pytest.MonkeyPatch, port: int, host: str = "127.0.0.1") -> list[str]:
    """The command `barometer serve --port PORT` would run (os.execve caught: no server is started)."""

    def execve(path: str, command: list[str], env: dict[str, str]) -> None:
        raise Execed(command)

    monkeypatch.setattr(serve.os, "execve", execve)
    with pytest.raises(Execed) as execed:
        serve.serve_dashboard("postgresql://nobody@127.0.0.1:9/none", port=port, host=host)
    return execed.value.command


def gunicorn_settings(command: list[str]) -> Config:
    """The settings gunicorn itself makes of the command line (an option it does not know fails here)."""
    assert command[1:3] == ["-m", "gunicorn"]
    config = Config()
    parsed = config.parser().parse_args(command[3:])
    for name, value in vars(parsed).items():
        if value is not None and name in config.settings:
            config.set(name, value)
    return config


def test_two_servers_on_two_ports_have_their_own_control_sockets(monkeypatch: pytest.MonkeyPatch,
                                                                   runtime_dir: Path) -> None:
    first = gunicorn_settings(served_command(monkeypatch, 8101))
    second = gunicorn_settings(served_command(monkeypatch, 8102))
    default = os.path.join(runtime_dir, "gunicorn.ctl")  # what both got before
    assert not first.control_socket_disable and not second.control_socket_disable
    assert first.control_socket != second.control_socket
    assert default not in (first.control_socket, second.control_socket)
    assert Path(first.control_socket).parent == runtime_dir  # gunicorn's private folder, only the name differs
    assert "8101" in Path(first.control_socket).name and "8102" in Path(second.control_socket).name
    assert len(first.control_socket.encode()) < 104  # a Unix socket path (sun_path) limit


def test_the_same_port_on_two_interfaces_has_two_sockets(monkeypatch: pytest.MonkeyPatch, runtime_dir: Path) -> None:
    local = gunicorn_settings(served_command(monkeypatch, 8050, "127.0.0.1"))
    lan = gunicorn_settings(served_command(monkeypatch, 8050, "192.168.1.5"))
    everywhere = gunicorn_settings(served_command(monkeypatch, 8050, "::"))
    assert len({local.control_socket, lan.control_socket, everywhere.control_socket}) == 3
    assert all("/" not in Path(c.control_socket).name for c in (local, lan, everywhere))


def test_without_a_runtime_folder_the_socket_goes_to_gunicorns_home_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    assert serve.control_socket_path("127.0.0.1", 8050) == Path.home() / ".gunicorn" / "barometer-127.0.0.1-8050.ctl"


def test_an_older_gunicorn_is_not_given_the_option(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serve, "has_control_socket", lambda: False)
    assert "--control-socket" not in serve.gunicorn_command("127.0.0.1", 8050, 1)


def test_the_benchmark_server_has_no_control_socket(monkeypatch: pytest.MonkeyPatch, runtime_dir: Path) -> None:
    """benchmarks/serve.py runs `barometer serve` with GUNICORN_CMD_ARGS="--config benchmarks/gunicorn_bench.py"."""
    config = Config()
    namespace: dict[str, object] = {}
    exec(compile((PROJECT_ROOT / "benchmarks" / "gunicorn_bench.py").read_text(encoding="utf-8"),
                 "gunicorn_bench.py", "exec"), namespace)
    config.set("control_socket_disable", namespace["control_socket_disable"])
    assert config.control_socket_disable


# -- two real servers (a tiny WSGI app, so no database is needed) ----------------------------------------------

HELLO = '''def server(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
'''


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(port: int, app_dir: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    command = serve.gunicorn_command("127.0.0.1", port, workers=1, threads=1)
    command[command.index("app.wsgi:server")] = "hello_ctl:server"
    command += ["--pythonpath", str(app_dir)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def wait_for(path: Path, server: subprocess.Popen[str], limit_s: float = 15) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and server.poll() is None:
        if path.is_socket():
            return
        time.sleep(0.1)
    raise AssertionError(f"no control socket at {path}")


def stop(server: subprocess.Popen[str]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
    try:
        server.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.communicate()


@pytest.mark.slow
def test_stopping_one_server_leaves_the_other_its_control_socket(runtime_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "hello_ctl.py").write_text(HELLO, encoding="utf-8")
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime_dir), "PYTHONPATH": str(tmp_path)}
    ports = [free_port(), free_port()]
    sockets = [serve.control_socket_path("127.0.0.1", port) for port in ports]
    servers = [start(port, tmp_path, env) for port in ports]
    try:
        for path, server in zip(sockets, servers, strict=True):
            wait_for(path, server)
        stop(servers[0])
        assert not sockets[0].exists()  # gunicorn removes its own socket when it stops...
        assert sockets[1].is_socket()  # ...and no longer the other server's
        answer = subprocess.run([sys.executable, "-m", "gunicorn.ctl.cli", "-s", str(sockets[1]), "-c", "show workers"],
                                capture_output=True, text=True, timeout=15, env=env)
        assert answer.returncode == 0, answer.stdout + answer.stderr
    finally:
        for server in servers:
            stop(server)
