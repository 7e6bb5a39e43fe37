"""Serving: the gunicorn command and the WSGI module that workers import."""

from __future__ import annotations

import importlib
import sys

import pytest

from app.serve import gunicorn_command


def test_gunicorn_command_serves_the_wsgi_server() -> None:
    command = gunicorn_command("0.0.0.0", 8123, 3)
    assert command[:4] == [sys.executable, "-m", "gunicorn", "app.wsgi:server"]
    assert "0.0.0.0:8123" in command and command[command.index("--workers") + 1] == "3"
    assert command[command.index("--threads") + 1] == "2"  # the default: the best of 1, 2, 4 in the benchmark


def test_wsgi_module_reads_database_url(loaded_db: str, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("DATABASE_URL", loaded_db)
    monkeypatch.setenv("BAROMETER_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("READONLY_DATABASE_URL", raising=False)
    sys.modules.pop("app.wsgi", None)
    wsgi = importlib.import_module("app.wsgi")
    try:
        response = wsgi.server.test_client().get("/api/v1/waves")
        assert response.status_code == 200 and len(response.get_json()["waves"]) >= 1
    finally:
        wsgi.server.extensions["barometer_db"].close()
        sys.modules.pop("app.wsgi", None)
