"""Run the dashboard: gunicorn (several workers), or Dash's development server with ``dev=True``."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from app.web.queue_worker import WORKER_CLASS
from core.config import PROJECT_ROOT, get_settings


def control_socket_path(host: str, port: int) -> Path:
    """This server's own gunicorn control socket (for ``gunicornc -s PATH``), named by the address it listens on.

    gunicorn (25.1 and later) otherwise gives every server of a user the same socket ($XDG_RUNTIME_DIR/gunicorn.ctl
    or ~/.gunicorn/gunicorn.ctl): a second server takes it over and stopping either deletes it for both. The
    folder is gunicorn's own choice (a private runtime folder, short enough for a Unix socket path); only the
    name differs, so two servers on one machine never share one."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    folder = Path(runtime) if runtime and os.path.isdir(runtime) else Path.home() / ".gunicorn"
    address = re.sub(r"[^A-Za-z0-9.-]", "_", f"{host}-{port}")
    return folder / f"barometer-{address}.ctl"


def has_control_socket() -> bool:
    """Whether the installed gunicorn has a control socket (25.1 and later; older ones refuse the option)."""
    from gunicorn import config

    return hasattr(config, "ControlSocket")


def gunicorn_command(host: str, port: int, workers: int, threads: int = 2, backlog: int = 2048) -> list[str]:
    """gunicorn serving the app: gthread workers that tell the app how long each request queued for a thread
    (app/web/queue_worker.py), so that beyond capacity it answers 503 at once (app/web/admission.py)."""
    command = [sys.executable, "-m", "gunicorn", "app.wsgi:server", "--bind", f"{host}:{port}",
               "--workers", str(max(1, workers)), "--worker-class", WORKER_CLASS, "--threads", str(max(1, threads)),
               "--backlog", str(max(1, backlog)), "--timeout", "60", "--graceful-timeout", "20",
               "--access-logfile", "-", "--chdir", str(PROJECT_ROOT)]
    if has_control_socket():
        command += ["--control-socket", str(control_socket_path(host, port))]
    return command


def serve_dashboard(database_url: str, *, dev: bool = False, port: int | None = None,
                    host: str | None = None) -> None:
    """Serve the dashboard on ``host:port`` (defaults from HOST and PORT) reading ``database_url``.

    gunicorn unless ``dev``: the Flask development server is for working on the app (it prints a warning
    that it is not fit for anything else)."""
    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    if not dev:
        # workers resolve nothing themselves: they read the URL resolved here from DATABASE_URL
        env = {**os.environ, "DATABASE_URL": database_url}
        command = gunicorn_command(host, port, settings.workers, settings.web_threads, settings.web_backlog)
        print(f"Dashboard on http://{host}:{port}/en/ (gunicorn, {settings.workers} workers; Ctrl-C to stop)",
              flush=True)
        os.execve(sys.executable, command, env)
    from app.factory import create_app

    app = create_app(database_url, settings=settings)
    print(f"Dashboard on http://{host}:{port}/en/ (development server; Ctrl-C to stop)", flush=True)
    app.run(host=host, port=port, debug=False)
