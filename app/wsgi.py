"""WSGI entry point for gunicorn: ``gunicorn app.wsgi:server`` (DATABASE_URL names the database)."""

from __future__ import annotations

from app.factory import create_app
from core.database import resolve_database_url

app = create_app(resolve_database_url(start_embedded=False))
server = app.server
