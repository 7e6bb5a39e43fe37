"""Real servers for tests, started on loopback with throwaway config and ports, stopped afterwards:
Debian's redis-server and nginx, and the app under gunicorn.

A missing binary skips its tests on a developer machine (with the apt-get line to install it) but fails them
when CI=true, so CI never passes by skipping (.ci/run installs the packages).
"""

from __future__ import annotations

import gzip
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.config import PROJECT_ROOT

REDIS_SERVER = os.environ.get("REDIS_SERVER", "/usr/bin/redis-server")
NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
NGINX_CONFIG = PROJECT_ROOT / "deploy" / "nginx" / "barometer.conf"
COMPOSE_UPSTREAM = "app:8050"  # the upstream the shared nginx config names (the compose service)
COMPOSE_SERVER = f"server {COMPOSE_UPSTREAM};"  # its line in the upstream group
COMPOSE_LISTEN = "listen 80;"
COMPOSE_CACHE_PATH = "/var/cache/nginx/barometer"
NPM_TOOLS = Path(os.environ.get("NPM_TOOLS_DIR", PROJECT_ROOT / ".cache" / "npm"))  # tools from the npm registry
START_TIMEOUT_S = 60
LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Answer:
    """What a real server answered: status, headers (lower-case names) and body (decompressed)."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def cache(self) -> str:
        """What nginx says of its cache (X-Cache-Status: HIT, MISS, BYPASS ...), or ''."""
        return self.headers.get("x-cache-status", "")


def fetch(url: str, *, host: str | None = None, etag: str | None = None, data: bytes | None = None,
          headers: dict[str, str] | None = None) -> Answer:
    """One request straight to a loopback server, errors included; ``host`` replaces the URL's Host, ``data``
    is posted as JSON; a gzip body (ask with an Accept-Encoding header) is decompressed."""
    sent = dict(headers or {})
    if host:
        sent["Host"] = host  # urllib then sends this Host instead of the URL's
    if etag:
        sent["If-None-Match"] = etag
    if data is not None:
        sent.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=data, headers=sent)
    try:
        with LOOPBACK.open(request, timeout=30) as response:
            status, answered, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        status, answered, body = exc.code, exc.headers, exc.read()
    names = {k.lower(): v for k, v in answered.items()}
    return Answer(status, names, gzip.decompress(body) if names.get("content-encoding") == "gzip" else body)


def require_binary(path: str, package: str) -> str:
    """``path`` if it is an executable; else skip (fail when CI=true) naming the Debian package."""
    if os.access(path, os.X_OK) or shutil.which(path):
        return path
    message = f"{path} not found: apt-get install {package} (.ci/run and `make test` install it)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def npm_latest(package: str) -> Path:
    """The folder of ``package`` at its newest version on the npm registry, installed into NPM_TOOLS_DIR
    (.cache/npm) with ``npm install <package>@latest``, so a fresh machine gets what the registry has today.
    Without npm the test is skipped, or fails when CI=true (`make test` installs Debian's npm)."""
    npm = require_binary("npm", "npm")
    NPM_TOOLS.mkdir(parents=True, exist_ok=True)
    command = [npm, "install", "--no-audit", "--no-fund", "--prefix", str(NPM_TOOLS), f"{package}@latest"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    folder = NPM_TOOLS / "node_modules" / package
    if result.returncode != 0 or not folder.is_dir():
        raise RuntimeError(f"npm install {package}@latest failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return folder


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listened on port {port} within {START_TIMEOUT_S} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen, *, grace_s: float = 20) -> None:
    """SIGTERM to the process group it leads, then SIGKILL if it lingers past ``grace_s``."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@contextmanager
def started(command: list[str], port: int, folder: Path, name: str, env: dict[str, str] | None = None
            ) -> Iterator[subprocess.Popen]:
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"{name}.log"
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=folder, env=env,
                                   start_new_session=True)
    try:
        wait_for_port(port, process, log)
        yield process
    finally:
        stop(process)


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """A redis-server on loopback, cache settings as in docker-compose.yml, no persistence: its URL."""
    binary = require_binary(REDIS_SERVER, "redis-server")
    port = free_port()
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder), "--save", "",
               "--appendonly", "no", "--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"]
    with started(command, port, folder, "redis"):
        yield f"redis://127.0.0.1:{port}/0"


def nginx_config(folder: Path, listen_port: int, upstream: str | Sequence[str]) -> Path:
    """deploy/nginx/barometer.conf as the compose proxy uses it, with this test's port, upstream (host:port, or
    several: one server line each, as Docker's DNS gives nginx every replica of the compose service) and cache
    folder, inside a main config that keeps every file nginx writes in ``folder``."""
    shared = NGINX_CONFIG.read_text()
    for needle in (COMPOSE_SERVER, COMPOSE_LISTEN, COMPOSE_CACHE_PATH):
        assert needle in shared, f"{NGINX_CONFIG} no longer contains {needle!r}"
    servers = [upstream] if isinstance(upstream, str) else list(upstream)
    site = (shared.replace(COMPOSE_SERVER, "\n    ".join(COMPOSE_SERVER.replace(COMPOSE_UPSTREAM, server)
                                                          for server in servers))
            .replace(COMPOSE_LISTEN, f"listen 127.0.0.1:{listen_port};")
            .replace(COMPOSE_CACHE_PATH, str(folder / "cache")))
    (folder / "barometer.conf").write_text(site)
    main = folder / "nginx.conf"
    # run as root (containers, CI), nginx would hand its workers to "nobody", who cannot write in ``folder``
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
    main.write_text(f"""
{user}
worker_processes auto;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 8192; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/barometer.conf;
}}
""")
    return main


@contextmanager
def nginx_proxy(folder: Path, upstream: str | Sequence[str]) -> Iterator[str]:
    """Debian's nginx with the project's caching-proxy config in front of ``upstream`` (host:port, or several
    balanced as the config says): its URL."""
    binary = require_binary(NGINX, "nginx")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = nginx_config(folder, port, upstream)
    command = [binary, "-p", str(folder), "-c", str(config), "-e", str(folder / "error.log"), "-g", "daemon off;"]
    with started(command, port, folder, "nginx"):
        yield f"http://127.0.0.1:{port}"


@contextmanager
def gunicorn_app(database_url: str, folder: Path, **environment: str) -> Iterator[str]:
    """The app under gunicorn as `barometer serve --prod` runs it (app/serve.py), on a free port: its URL."""
    from app.serve import gunicorn_command

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "READONLY_DATABASE_URL")}
    env.update(DATABASE_URL=database_url, BAROMETER_CACHE_DIR=str(folder / "app-cache"), **environment)
    command = gunicorn_command("127.0.0.1", port, workers=2, threads=2)
    command[0] = sys.executable
    command.append("--no-control-socket")  # never take over the control socket of another gunicorn here
    with started(command, port, folder, "gunicorn", env=env):
        base = f"http://127.0.0.1:{port}"
        wait_for_health(base)
        yield base


def wait_for_health(base: str) -> None:
    """Until ``base``/healthz answers 200 (at most START_TIMEOUT_S)."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            with LOOPBACK.open(base + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)


@contextmanager
def barometer_serve(database_url: str, folder: Path, name: str, **environment: str) -> Iterator[str]:
    """`barometer serve` (gunicorn, as `make run` serves) on a free port, with ``environment`` added: its URL once
    it answers /healthz. Its output, the access log included, goes to ``folder``/``name``.log."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "READONLY_DATABASE_URL", "PUBLIC_URL")}
    env.update(DATABASE_URL=database_url, BAROMETER_CACHE_DIR=str(folder / f"{name}-cache"), **environment)
    command = [sys.executable, "-m", "barometer.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with started(command, port, folder, name, env=env):
        base = f"http://127.0.0.1:{port}"
        wait_for_health(base)
        yield base
