"""Run the dashboard: gunicorn (several workers), or Dash's development server with ``dev=True``."""

from __future__ import annotations

import os
import sys

from core.config import PROJECT_ROOT, get_settings


def gunicorn_command(host: str, port: int, workers: int, threads: int = 2) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "app.wsgi:server", "--bind", f"{host}:{port}",
            "--workers", str(max(1, workers)), "--worker-class", "gthread", "--threads", str(max(1, threads)),
            "--timeout", "60", "--graceful-timeout", "20", "--access-logfile", "-", "--chdir", str(PROJECT_ROOT)]


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
        command = gunicorn_command(host, port, settings.workers, settings.web_threads)
        print(f"Dashboard on http://{host}:{port}/en/ (gunicorn, {settings.workers} workers; Ctrl-C to stop)",
              flush=True)
        os.execve(sys.executable, command, env)
    from app.factory import create_app

    app = create_app(database_url, settings=settings)
    print(f"Dashboard on http://{host}:{port}/en/ (development server; Ctrl-C to stop)", flush=True)
    app.run(host=host, port=port, debug=False)
