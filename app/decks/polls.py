"""Follower polls answered before Flask: the cheapest request an audience makes, made the cheapest to serve.

A thousand phones following a deck each ask GET /api/decks/<id>/state every 1.5 s (app/decks/follow.py), about 670
requests a second, almost all answered with a bodiless 304. Through Flask each paid for routing, the guards,
ETag and compression hooks and header assembly; this WSGI middleware answers them from the deck-state memo
(app/decks/api.py: body and ETag, refreshed at most every DECK_STATE_TTL_S) with the same status, body and
headers, and leaves everything else and an unknown deck (404) to the app. A database that does not answer is
answered here too (503 with Retry-After, within a second: app/data/db.py), so a hall of phones polling while
it is away never queues behind it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from app.data.db import Database
from app.decks.api import NO_CACHE, RETRY_AFTER_S, UNAVAILABLE_MESSAGE, state_answer
from app.web.caching.http_cache import matches
from core.errors import DatabaseUnavailable

STATE_PATH = re.compile(r"/api/decks/([A-Za-z0-9_-]{1,64})/state")

UNAVAILABLE_BODY = json.dumps({"error": "database_unavailable", "message": UNAVAILABLE_MESSAGE}).encode()

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class StatePolls:
    """WSGI middleware: GET and HEAD of a known deck's state, answered without entering ``app``."""

    def __init__(self, app: WsgiApp, db: Database, headers: Mapping[str, str]) -> None:
        self.app = app
        self.db = db
        self.headers = [*headers.items(), ("Cache-Control", NO_CACHE)]
        self.unavailable_headers = [*headers.items(), ("Cache-Control", "no-store"),
                                    ("Retry-After", str(RETRY_AFTER_S)), ("Content-Type", "application/json")]

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        found = STATE_PATH.fullmatch(environ.get("PATH_INFO", "")) if method in ("GET", "HEAD") else None
        if found is None:
            return self.app(environ, start_response)
        try:
            answer = state_answer(self.db, found.group(1))
        except DatabaseUnavailable:
            body = UNAVAILABLE_BODY if method == "GET" else b""
            start_response("503 SERVICE UNAVAILABLE", [
                *self.unavailable_headers, ("Content-Length", str(len(UNAVAILABLE_BODY)))])
            return [body]
        if answer is None:
            return self.app(environ, start_response)
        headers = [*self.headers, ("ETag", answer.etag)]
        if matches(environ.get("HTTP_IF_NONE_MATCH"), answer.etag):
            start_response("304 NOT MODIFIED", headers)
            return []
        start_response("200 OK", [*headers, ("Content-Type", "application/json"),
                                  ("Content-Length", str(len(answer.body)))])
        return [] if method == "HEAD" else [answer.body]
