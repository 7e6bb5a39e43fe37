"""The request context: what the app serving this request holds (its database, what it knows, its link writer,
its extensions) and the site's public address. The one module that reads ``flask.current_app``; everything
below the web layer takes these as arguments or asks here.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

import flask
from werkzeug.exceptions import HTTPException

from app.data.db import Database
from app.data.links import LinkStore
from app.site.params import Known, known
from core.config import get_settings

log = logging.getLogger(__name__)

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


_HOST = re.compile(r"(?P<name>\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(?P<port>[0-9]{1,5}))?")
DEFAULT_PORTS = {"http": "80", "https": "443"}
_warned: set[str] = set()  # untrusted hosts this worker has logged (once each)


def host_is_trusted(host: str, scheme: str, trusted: Iterable[str]) -> bool:
    """True when the Host ``host`` (host[:port]) of a ``scheme`` request is one of the ``trusted`` entries:
    'name' (the scheme's default port only), 'name:port', 'name:*' (any port) or '*' (any host)."""
    found = _HOST.fullmatch(host.lower())
    if found is None:
        return False
    name, port = found["name"], found["port"] or DEFAULT_PORTS.get(scheme, "")
    for entry in trusted:
        if entry == "*":
            return True
        wanted = _HOST.fullmatch(entry.removesuffix(":*"))
        if wanted is None or wanted["name"] != name:
            continue
        if entry.endswith(":*") or (wanted["port"] or DEFAULT_PORTS.get(scheme, "")) == port:
            return True
    return False


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
    last trusted proxy saw it, when TRUSTED_PROXIES is set: app/factory.py reads X-Forwarded-*) when its host
    is one of TRUSTED_HOSTS; else the app's own loopback address (a Host header is whatever the client sent)."""
    settings = current_db().settings if serving() else get_settings()
    fallback = f"http://127.0.0.1:{settings.port}"
    if settings.public_url:
        return settings.public_url.rstrip("/")
    if not flask.has_request_context():
        return fallback
    request = flask.request
    if host_is_trusted(request.host, request.scheme, settings.trusted_hosts):
        return request.host_url.rstrip("/")
    if request.host not in _warned and len(_warned) < 100:
        _warned.add(request.host)
        log.warning("links name %s, not the Host %r, which is not in TRUSTED_HOSTS (set PUBLIC_URL or "
                    "TRUSTED_HOSTS to the address people reach the site at)", fallback, request.host[:100])
    return fallback
