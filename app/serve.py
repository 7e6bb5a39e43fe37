"""Run the dashboard: Dash's development server, or gunicorn (several workers) with ``prod=True``."""

from __future__ import annotations

import os
import sys

from core.config import PROJECT_ROOT, get_settings


def gunicorn_command(host: str, port: int, workers: int, threads: int = 2) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "app.wsgi:server", "--bind", f"{host}:{port}",
            "--workers", str(max(1, workers)), "--worker-class", "gthread", "--threads", str(max(1, threads)),
            "--timeout", "60", "--graceful-timeout", "20", "--access-logfile", "-", "--chdir", str(PROJECT_ROOT)]


def serve_dashboard(database_url: str, *, prod: bool = False, port: int | None = None,
                    host: str | None = None) -> None:
    """Serve the dashboard on ``host:port`` (defaults from HOST and PORT) reading ``database_url``."""
    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    if prod:
        # workers resolve nothing themselves: they read the URL resolved here from DATABASE_URL
        env = {**os.environ, "DATABASE_URL": database_url}
        command = gunicorn_command(host, port, settings.workers, settings.web_threads)
        print(f"Serving with gunicorn ({settings.workers} workers) on http://{host}:{port}/en/", flush=True)
        os.execve(sys.executable, command, env)
    from app.factory import create_app

    app = create_app(database_url, settings=settings)
    print(f"Dashboard on http://{host}:{port}/en/ (Ctrl-C to stop)", flush=True)
    app.run(host=host, port=port, debug=False)
