"""Answers of the pure callbacks kept per worker, so an audience changing the same view pays for it once.

A results area, an option list or the router's page is a function of the callback's request body (its inputs,
state and language), the loaded data, the app's code, the site's public address (share links, QR codes and
citations name it) and the day (a citation's "retrieved" date). The same body on the same day, host and data
version gives the same bytes, so each worker keeps those bytes (least recently used dropped first, within a byte
budget; a 204, nothing to update, as empty bytes) and answers a repeat without running the callback: a warm
figure callback costs about a millisecond instead of a dozen (benchmarks/serve.py). A new ETL run changes the
data version, so no old answer is served after it (at most APP_DATA_VERSION_TTL seconds later, like every other
cache of the app). Compression of a kept answer is kept too (app/web/caching/compression.py reads
``answer_key``).

Only callbacks named in PURE_OUTPUTS are kept; anything that writes or depends on more (none today) stays out.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from datetime import date
from typing import Any

import flask
from dash import Dash
from flask import Response

from app.site.request import public_base
from app.web.caching.lru import BytesLru
from core.errors import DatabaseUnavailable

# Output keys (as the renderer posts them) whose callbacks are pure: what a page's results area, option lists
# and the router draw. Matched by substring so each page's id prefix needs no entry of its own.
PURE_OUTPUTS = ("-results.children", "-option.options", "-waves.options", "shell.children")
_ANSWER_KEY = "barometer_callback_answer"
_ANSWER_STATE = "barometer_callback_answer_state"  # "miss" (to keep), "hit" (served) or "not kept"
_FAILURES_BEFORE = "barometer_callback_failures"  # the database's failure count when the callback started
# Dash's answer when a callback prevents its update (the router, when the address is what the page already
# shows: every visit's first callback); kept as an empty answer
NOTHING_TO_UPDATE = 204

log = logging.getLogger(__name__)


def is_pure(output: object) -> bool:
    return isinstance(output, str) and any(part in output for part in PURE_OUTPUTS)


def answer_key(body: bytes, data_version: str, code: str) -> str | None:
    """The key of a callback request's answer, or None for a callback that is not kept."""
    try:
        output = json.loads(body).get("output")
    except (ValueError, AttributeError, RecursionError):
        return None
    if not is_pure(output):
        return None
    digest = hashlib.sha256(body)
    for part in (data_version, code, public_base(), date.today().isoformat()):
        digest.update(b"\0" + part.encode())
    return "cb:" + digest.hexdigest()


def current_answer_key() -> str:
    """The key of the callback answer this request serves from or stores into ('' for none)."""
    if not flask.has_request_context() or flask.g.get(_ANSWER_STATE) == "not kept":
        return ""
    return flask.g.get(_ANSWER_KEY, "")


def shared_get(shared: Any, key: str) -> bytes | None:
    """An answer another worker or instance kept in the shared cache (None: none, or the cache is away)."""
    try:
        value = shared.get(key)
    except Exception:  # a cache outage must not take the app down: the callback runs
        return None
    return value if isinstance(value, bytes) else None


def shared_set(shared: Any, key: str, value: bytes, timeout_s: int) -> None:
    try:
        shared.set(key, value, timeout=timeout_s)
    except Exception:
        log.warning("callback answers: the shared cache did not take an answer", exc_info=True)


def install_callback_cache(app: Dash, data_version: Callable[[], str], code: str, *, max_bytes: int,
                           failures: Callable[[], int] = lambda: 0, shared: Any = None,
                           shared_timeout_s: int = 3600) -> BytesLru:
    """Answer repeat pure callbacks from the store (register after the guards, which refuse malformed bodies).
    ``failures()`` counts the statements that found the database away: an answer drawn while it grew shows a
    passing error and is not kept. With ``shared`` (the cachelib store of Redis, when the app has one), answers
    are also kept there for ``shared_timeout_s``, so that each is drawn once for every worker of every instance,
    and the worker's store stays the first place looked in."""
    store = BytesLru(max_bytes=max_bytes)
    callback_path = app.config.routes_pathname_prefix + "_dash-update-component"
    server = app.server

    @server.before_request
    def answer_from_store() -> Response | None:
        request = flask.request
        if request.path != callback_path or request.method != "POST":
            return None
        try:
            key = answer_key(request.get_data(cache=True), data_version(), code)
        except DatabaseUnavailable:
            return None  # the callback itself says so in the page's language
        if key is None:
            return None
        setattr(flask.g, _ANSWER_KEY, key)
        answer = store.get(key)
        if answer is None and shared is not None:
            answer = shared_get(shared, key)
            if answer is not None:
                store.put(key, answer)
        setattr(flask.g, _ANSWER_STATE, "miss" if answer is None else "hit")
        setattr(flask.g, _FAILURES_BEFORE, failures())
        if answer is None:
            return None
        return Response(answer, mimetype="application/json") if answer else Response(status=204)

    @server.after_request
    def keep_answer(response: Response) -> Response:
        if flask.g.get(_ANSWER_STATE) != "miss":
            return response
        if failures() != flask.g.get(_FAILURES_BEFORE):  # drawn while the database was away: not kept
            setattr(flask.g, _ANSWER_STATE, "not kept")
            return response
        if response.status_code == NOTHING_TO_UPDATE:
            answer = b""
        elif (response.status_code == 200 and not response.is_streamed
              and "Content-Encoding" not in response.headers):
            answer = response.get_data()
        else:  # an error: neither it nor its compressed form is kept
            setattr(flask.g, _ANSWER_STATE, "not kept")
            return response
        store.put(current_answer_key(), answer)
        if shared is not None:
            shared_set(shared, current_answer_key(), answer, shared_timeout_s)
        return response

    return store
