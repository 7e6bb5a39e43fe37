"""The request context: what the app serving this request holds (its database, what it knows, its link writer,
its extensions) and the site's public address. The one module that reads ``flask.current_app``; everything
below the web layer takes these as arguments or asks here.
"""

from __future__ import annotations

from typing import Any

import flask
from werkzeug.exceptions import HTTPException

from app.data.db import Database
from app.data.links import LinkStore
from app.site.params import Known, known
from core.config import get_settings

EXTENSION = "barometer_db"
LINKS_EXTENSION = "barometer_links"


def current_db() -> Database:
    """The Database of the app serving this request."""
    return flask.current_app.extensions[EXTENSION]


def current_known() -> Known:
    return known(current_db())


def serving() -> bool:
    """True inside a request (or app context) of the app, whose database is at hand."""
    return flask.has_app_context() and EXTENSION in flask.current_app.extensions


def app_extension(name: str) -> Any:
    """An object the app factory installed under ``name`` (None when there is none)."""
    return flask.current_app.extensions.get(name) if flask.has_app_context() else None


def link_store() -> LinkStore | None:
    """The app's writer of short links and decks (None outside the app)."""
    return app_extension(LINKS_EXTENSION)


def short_path(target: str) -> str:
    """The short path of ``target`` (written now when it is new), or ``target`` itself when none can be stored.
    Only the web layer calls this: drawing a page never writes."""
    store = link_store()
    return (store.save(target) if store is not None else None) or target


def endpoints_at(path: str, methods: tuple[str, ...]) -> dict[str, str]:
    """For each of ``methods`` that a route of the app serving this request takes at ``path``, its endpoint."""
    adapter = flask.current_app.url_map.bind_to_environ(flask.request.environ)
    found = {}
    for method in methods:
        try:
            found[method], _ = adapter.match(path, method=method)
        except HTTPException:
            continue
    return found


def public_base() -> str:
    """PUBLIC_URL when set (the address people reach the site at), else the address of this request (as the
    last trusted proxy saw it, when TRUSTED_PROXIES is set: app/factory.py reads X-Forwarded-*)."""
    base = current_db().settings.public_url if serving() else get_settings().public_url
    if not base and flask.has_request_context():
        base = flask.request.host_url
    return (base or "http://127.0.0.1:8050/").rstrip("/")
