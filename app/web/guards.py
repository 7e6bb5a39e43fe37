"""Requests refused before they reach Dash: malformed callback calls (400, instead of Dash's 500) and page loads
while the database cannot be reached (503, with a page that says so and reloads itself until it is back)."""

from __future__ import annotations

import html
from typing import Any

import flask
from dash import Dash

from app.i18n import safe_lang, t
from app.site.params import parse_lang, parse_search
from app.site.request import current_db
from app.site.urls import parse_path
from core.config import get_settings
from core.errors import DatabaseUnavailable

NOT_PAGES = ("/_dash", "/assets", "/_reload", "/_favicon", "/api/", "/download/", "/healthz")
RETRY_AFTER_S = 10


def _prop(item: Any) -> bool:
    """One input, state or output entry: {'id': ..., 'property': ...}, or a list of them (pattern matching)."""
    if isinstance(item, list):
        return all(_prop(i) for i in item)
    return isinstance(item, dict) and isinstance(item.get("id"), (str, dict)) and isinstance(item.get("property"), str)


def malformed_callback(app: Dash, body: Any) -> str | None:
    """Why ``body`` is not a call of one of the app's server-side callbacks (None when it is one)."""
    if not isinstance(body, dict) or not isinstance(body.get("output"), str):
        return "the request names no callback output"
    key = body["output"]
    spec = app.callback_map.get(key)
    if spec is None or spec.get("callback") is None:
        return "no server-side callback has this output"
    inputs, state, changed = body.get("inputs"), body.get("state", []), body.get("changedPropIds", [])
    if not (isinstance(inputs, list) and len(inputs) == len(spec["inputs"]) and all(_prop(i) for i in inputs)):
        return "the inputs do not match the callback"
    if not (isinstance(state, list) and len(state) == len(spec["state"]) and all(_prop(s) for s in state)):
        return "the state does not match the callback"
    outputs = body.get("outputs")
    expected = len(key.strip(".").split("...")) if key.startswith("..") else None
    if expected is None and not _prop(outputs):
        return "the outputs do not match the callback"
    if expected is not None and not (isinstance(outputs, list) and len(outputs) == expected and _prop(outputs)):
        return "the outputs do not match the callback"
    if not (isinstance(changed, list) and all(isinstance(c, str) for c in changed)):
        return "changedPropIds must be a list of property names"
    return None


def unavailable_page(lang: str, title: str) -> flask.Response:
    """A plain page (no script) saying the data cannot be read right now; it reloads itself."""
    body = (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="refresh" content="{RETRY_AFTER_S * 3}">'
        f"<title>{html.escape(title)}</title></head>\n"
        f'<body><main id="main" role="alert"><h1>{html.escape(t(lang, "error_title"))}</h1>'
        f"<p>{html.escape(t(lang, 'db_unavailable'))}</p></main></body></html>\n"
    )
    response = flask.Response(body, status=503, mimetype="text/html")
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    response.headers["Cache-Control"] = "no-store"
    return response


def install_guards(app: Dash, title: str) -> None:
    callback_path = app.config.routes_pathname_prefix + "_dash-update-component"

    @app.server.before_request
    def refuse_early() -> flask.Response | tuple[flask.Response, int] | None:
        request = flask.request
        if request.path == callback_path and request.method == "POST":
            problem = malformed_callback(app, request.get_json(silent=True))
            if problem is not None:
                return flask.jsonify({"error": "bad_callback_request", "message": problem}), 400
            return None
        route = parse_path(request.path)
        if request.method != "GET" or request.path.startswith(NOT_PAGES) or route.page is None:
            return None
        try:
            current_db().data_version()  # memoised for a few seconds, so this rarely costs a query
        except DatabaseUnavailable:
            args = parse_search(request.query_string.decode("utf-8", "replace"))
            lang = safe_lang(parse_lang(args, route.path_lang, get_settings().default_language)[0])
            return unavailable_page(lang, title)
        except Exception:  # e.g. a database without the schema yet: the page itself explains what it can
            return None
        return None
