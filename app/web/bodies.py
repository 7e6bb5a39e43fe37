"""Request bodies: how large a body any route reads, and what JSON it accepts.

Every route reads at most MAX_CONTENT_LENGTH bytes, the JSON API (decks) at most API_MAX_CONTENT_LENGTH: a
request that announces more is refused with 413 before a byte of its body is read, and one sent in chunks
is cut off at the limit. JSON is parsed only up to MAX_JSON_DEPTH levels of nesting (400 beyond, where
Python's parser would otherwise fail with a RecursionError, a 500), for Dash's callbacks and the API alike.
"""

from __future__ import annotations

from typing import Any

import flask
from flask import Response
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

API_PREFIX = "/api/"
MAX_JSON_DEPTH = 64  # a callback body is about 6 levels deep, a deck change 1


class NestedTooDeeply(BadRequest):
    description = f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep."


def json_depth(value: Any, limit: int) -> int:
    """How deeply ``value`` nests lists and objects (a scalar: 0), counted no further than ``limit`` + 1."""
    deepest, level = 0, [(value, 1)]
    while level:
        item, depth = level.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            level.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


class BoundedJsonRequest(flask.Request):
    """Flask's request whose JSON may nest at most MAX_JSON_DEPTH levels (NestedTooDeeply, a 400, beyond)."""

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        try:
            value = super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError:  # the parser's own limit (about 1,000 levels) came first
            raise NestedTooDeeply() from None
        if json_depth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
            raise NestedTooDeeply()
        return value


def body_limit(path: str, max_content_length: int, api_max_content_length: int) -> int:
    """The most bytes a request to ``path`` may send."""
    return api_max_content_length if path.startswith(API_PREFIX) else max_content_length


def _error(status: int, code: str, message: str) -> Response:
    response = flask.jsonify({"error": code, "message": message})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def install_body_limits(server: flask.Flask, *, max_content_length: int, api_max_content_length: int) -> None:
    """Bound every request body (413 before reading when the announced length is over) and JSON nesting (400)."""
    server.request_class = BoundedJsonRequest
    server.config["MAX_CONTENT_LENGTH"] = max_content_length

    @server.before_request
    def refuse_large_bodies() -> Response | None:
        request = flask.request
        limit = body_limit(request.path, max_content_length, api_max_content_length)
        request.max_content_length = limit  # a chunked body is cut off here as it is read
        if request.content_length is not None and request.content_length > limit:
            return too_large(limit)
        return None

    @server.errorhandler(RequestEntityTooLarge)
    def too_large_body(_exc: RequestEntityTooLarge) -> Response:
        return too_large(flask.request.max_content_length or max_content_length)

    @server.errorhandler(NestedTooDeeply)
    def nested_too_deeply(exc: NestedTooDeeply) -> Response:
        return _error(400, "bad_json", exc.description or "")


def too_large(limit: int) -> Response:
    return _error(413, "body_too_large", f"The request body is larger than this address takes ({limit:,} bytes); "
                  "nothing was read or changed.")
