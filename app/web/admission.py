"""Admission control: beyond capacity, a fast 503 with Retry-After instead of a wait into timeouts.

A crowd larger than the workers can serve used to queue in front of their threads until requests timed out
(docs/performance.md: 3,000 visitors in 60 s at gunicorn gave a page-load p95 of 86 s and thousands of
timeouts). The worker now says how long each request waited for a thread (app/web/queue_worker.py). A page
(a new visit) that waited longer than ADMISSION_WAIT_MS is answered at once, without running, with a short
plain document in the visitor's language that reloads itself a few seconds later (the delay spread so that a
shed crowd does not come back all at once). The requests of a visit already under way (its callbacks, API
calls) may wait IN_VISIT_FACTOR times as long, and at least IN_VISIT_FLOOR_S, before they get a JSON error
instead: new visitors are turned away first, so those let in can finish (a visit cut half-way is worse than one
told to come back). Both say 503 and Retry-After, and no cache keeps them. Served work
stays fast because the queue stays short.

Never shed: a deck's presenter and followers (/api/decks: rare writes and memo-served polls) and /healthz (a
load balancer must see that the instance lives). Static bundles and follower polls are answered before this
layer (app/web/caching/immutable.py, app/decks/polls.py), as cheaply as a 503 would be.
"""

from __future__ import annotations

import html
import json
import random
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from app.i18n import safe_lang, t
from app.site.params import parse_lang, parse_search
from app.site.urls import parse_path
from app.web.queue_worker import queue_wait_s

RETRY_AFTER_S = 5
RELOAD_SPREAD_S = 10  # a shed page reloads after RETRY_AFTER_S plus up to this many seconds
IN_VISIT_FACTOR = 4  # how much longer than a new page a request of a visit under way may wait ...
IN_VISIT_FLOOR_S = 0.5  # ... and at least this long: still a page load well within its 3 s
NEVER_SHED = ("/api/decks", "/healthz")

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def busy_page(lang: str, reload_s: int) -> bytes:
    """A plain page (no script) saying the site is busy; it reloads itself after ``reload_s`` seconds."""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="refresh" content="{reload_s}">'
        f"<title>{html.escape(t(lang, 'app_title'))}</title></head>\n"
        f'<body><main id="main" role="status"><h1>{html.escape(t(lang, "busy_title"))}</h1>'
        f"<p>{html.escape(t(lang, 'busy_message'))}</p></main></body></html>\n"
    ).encode()


class Admission:
    """WSGI middleware: pages that waited more than ``max_wait_s`` for a thread, and other requests that waited
    more than ``in_visit_wait_s``, get a 503 without running (``max_wait_s`` 0: never). ``headers`` are the
    app's security headers, which these answers carry too."""

    def __init__(self, app: WsgiApp, max_wait_s: float, headers: Mapping[str, str], default_lang: str) -> None:
        self.app = app
        self.max_wait_s = max_wait_s
        self.in_visit_wait_s = max(max_wait_s * IN_VISIT_FACTOR, IN_VISIT_FLOOR_S)
        self.headers = [*headers.items(), ("Cache-Control", "no-store"), ("Retry-After", str(RETRY_AFTER_S))]
        self.default_lang = default_lang

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        waited = queue_wait_s()
        path = environ.get("PATH_INFO", "")
        if self.max_wait_s <= 0 or waited is None or waited <= self.max_wait_s or path.startswith(NEVER_SHED):
            return self.app(environ, start_response)
        route = parse_path(path)
        new_visit = environ.get("REQUEST_METHOD") == "GET" and route.page is not None
        if not new_visit and waited <= self.in_visit_wait_s:
            return self.app(environ, start_response)
        if new_visit:
            args = parse_search(environ.get("QUERY_STRING", ""))
            lang = safe_lang(parse_lang(args, route.path_lang, self.default_lang)[0])
            body = busy_page(lang, RETRY_AFTER_S + random.randint(0, RELOAD_SPREAD_S))
            kind = "text/html; charset=utf-8"
        else:
            body = json.dumps({"error": "busy", "message": "The site is busy; please try again in a few seconds.",
                               "retry_after_s": RETRY_AFTER_S}).encode()
            kind = "application/json"
        start_response("503 SERVICE UNAVAILABLE",
                       [*self.headers, ("Content-Type", kind), ("Content-Length", str(len(body)))])
        return [body]
