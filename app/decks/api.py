"""HTTP interface of decks: create and edit (presenter key in the X-Deck-Key header), move the presenter's
slide, and the follow state that audiences poll.

GET /api/decks/<id>/state answers {"deck", "slide", "count", "path", "caption", "updated"} (slide is the
0-based index the presenter shows, path the canonical address of its view, updated the time of the deck's
last change) with an ETag and ``Cache-Control: no-cache``: a follower polls with If-None-Match and gets a
bodiless 304 until the presenter moves. Each worker keeps a deck's state, its JSON and ETag for DECK_STATE_TTL_S,
so a thousand polling phones cost a few queries a second, not a thousand; app/decks/polls.py answers those
polls before Flask from the same memo.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request

from app.data.db import Database
from app.decks import store as decks
from app.decks.limits import WINDOW_S
from app.decks.store import Connection, Deck, DeckError, DeckNotFound, DeckSlide, SiteFull, WrongKey, deck_writer
from app.decks.views import canonical_slide_path
from app.exports.deck_api_doc import KEY_HEADER
from app.site.request import app_extension, current_db, endpoints_at, link_store
from app.web.caching.http_cache import matches
from core.config import LANGUAGES, get_settings
from core.errors import DatabaseUnavailable

deck_api = Blueprint("barometer_deck_api", __name__)

LIMITS_EXTENSION = "barometer_deck_limits"  # the app's AddressLimit (app/decks/limits.py)
DECK_STATE_TTL_S = 0.5  # how stale a worker's idea of a deck may be (followers poll every 1.5 s)
_MEMO_LIMIT = 10_000
RETRY_AFTER_S = 5  # when the database is away: followers poll again after this
UNAVAILABLE_MESSAGE = "The database cannot be reached right now."
NO_CACHE = "no-cache"  # caches may keep it, but must revalidate (with If-None-Match) on every use


@dataclass(frozen=True)
class StateAnswer:
    """A deck's follow state as it is sent: the JSON body and its ETag."""

    body: bytes
    etag: str


@dataclass(frozen=True)
class RecentDeck:
    """A deck as a worker read it, with its follow state prepared."""

    deck: Deck
    answer: StateAnswer


class _StateMemo:
    """Decks this worker read recently (public id -> (read at, deck or None: no such deck))."""

    def __init__(self) -> None:
        self._states: dict[str, tuple[float, RecentDeck | None]] = {}
        self._lock = threading.Lock()

    def get(self, public_id: str, load: Callable[[], RecentDeck | None]) -> RecentDeck | None:
        now = time.monotonic()
        with self._lock:
            hit = self._states.get(public_id)
        if hit is not None and now - hit[0] < DECK_STATE_TTL_S:
            return hit[1]
        state = load()
        with self._lock:
            if len(self._states) >= _MEMO_LIMIT:
                self._states.clear()
            self._states[public_id] = (now, state)
        return state

    def forget(self, public_id: str) -> None:
        with self._lock:
            self._states.pop(public_id, None)


_memo = _StateMemo()


def deck_state(deck: Deck) -> dict[str, Any]:
    """What followers need: where the presenter is, and the address and caption of that slide."""
    slide = deck.current_slide
    return {"deck": deck.public_id, "slide": deck.current, "count": len(deck.slides),
            "path": slide.path if slide else None, "caption": slide.caption if slide else None,
            "updated": deck.updated_at.isoformat()}


def deck_json(deck: Deck) -> dict[str, Any]:
    """The whole deck (never its key)."""
    return {**deck_state(deck), "title": deck.title, "lang": deck.lang,
            "slides": [{"path": s.path, "caption": s.caption} for s in deck.slides]}


def state_etag(state: dict[str, Any]) -> str:
    body = json.dumps(state, sort_keys=True)
    return f'W/"deck-{hashlib.sha256(body.encode()).hexdigest()[:20]}"'


def read_deck(public_id: str) -> Deck | None:
    """The deck, read through the read-only pool of the app serving this request."""
    return decks.read_deck(current_db(), public_id)


def requested_deck(public_id: str) -> tuple[Deck, str]:
    """The deck a file route names and the language asked for (?lang=, else the deck's own); 404 without it."""
    deck = read_deck(public_id)
    if deck is None:
        abort(404)
    lang = request.args.get("lang", deck.lang)
    return deck, lang if lang in LANGUAGES else deck.lang


def recent_deck(db: Database, public_id: str) -> RecentDeck | None:
    """A deck and its follow state as sent, at most DECK_STATE_TTL_S old (None: no such deck): what a thousand
    followers ask for within a second of each other is read once per worker, not once per phone."""
    def load() -> RecentDeck | None:
        deck = decks.read_deck(db, public_id)
        if deck is None:
            return None
        state = deck_state(deck)
        return RecentDeck(deck, StateAnswer(json.dumps(state, separators=(",", ":")).encode(), state_etag(state)))
    return _memo.get(public_id, load)


def state_answer(db: Database, public_id: str) -> StateAnswer | None:
    """The follow state of a deck as sent, at most DECK_STATE_TTL_S old (None: no such deck)."""
    recent = recent_deck(db, public_id)
    return recent.answer if recent is not None else None


def writer() -> AbstractContextManager[Connection]:
    """A connection that may change decks (the app's one writer, see app/data/links.py); DatabaseUnavailable at
    once while this worker knows the database is away."""
    current_db().refuse_while_down()
    return deck_writer(link_store())


def _too_many(message: str, retry_after_s: int) -> Response:
    response = _error(429, "too_many_decks", message)
    response.headers["Retry-After"] = str(retry_after_s)
    return response


def _error(status: int, code: str, message: str) -> Response:
    response = jsonify({"error": code, "message": message})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


def _body() -> dict[str, Any]:
    """The request's JSON object; anything else is refused here (415 or 400), before anything is written."""
    if not request.is_json:
        abort(_error(415, "unsupported_media_type", "Send the body as a JSON object (Content-Type: "
                                                    "application/json); nothing was changed."))
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(_error(400, "bad_json", "The body is not a JSON object; nothing was changed."))
    return body


def _text(body: dict[str, Any], name: str, default: str | None = "") -> str:
    """The text ``name`` of the body, stripped (``default`` when absent; None: it must be there)."""
    value = body.get(name, default)
    if not isinstance(value, str):
        raise DeckError(f"'{name}' must be text")
    return value.strip()


def _int(body: dict[str, Any], name: str) -> int:
    value = body.get(name)
    if not isinstance(value, int) or isinstance(value, bool):
        raise DeckError(f"'{name}' must be a whole number")
    return value


def _slide(body: dict[str, Any]) -> DeckSlide:
    path = canonical_slide_path(_text(body, "path"))
    if path is None:
        raise DeckError("'path' must be the address of a view of this site")
    return DeckSlide(path, _text(body, "caption"))


def _edit(public_id: str, change: Callable[[Connection, str | None], Deck]) -> Response:
    """Run a change with the request's presenter key; 403 (nothing changed) without the right key."""
    key = request.headers.get(KEY_HEADER)
    try:
        with writer() as conn:
            deck = change(conn, key)
    except DeckNotFound:
        return _error(404, "deck_not_found", "No deck has this id.")
    except WrongKey:
        return _error(403, "wrong_key", "This presenter key does not open this deck; nothing was changed.")
    except DeckError as exc:
        return _error(400, "bad_change", str(exc))
    _memo.forget(public_id)
    response = jsonify(deck_json(deck))
    response.headers["Cache-Control"] = "no-store"
    return response


@deck_api.post("/api/decks")
def create() -> Response:
    """A new deck, with the view in 'path' as its first slide when given; the answer holds the presenter key
    (the only time it is sent: only its hash is stored)."""
    body = _body()
    try:
        lang = _text(body, "lang", get_settings().default_language)
        if lang not in LANGUAGES:
            raise DeckError(f"'lang' must be one of {', '.join(LANGUAGES)}")
        slides = [_slide(body)] if _text(body, "path") else []  # a path that is no text is refused
        title = _text(body, "title")
        # counted only once the request is valid; a refusal writes nothing
        wait_s = app_extension(LIMITS_EXTENSION).retry_after(request.remote_addr or "")
        if wait_s is not None:
            return _too_many("Too many new decks from this address in the last hour; nothing was created.", wait_s)
        with writer() as conn:
            deck, key = decks.create_deck(conn, title, lang, slides,
                                          site_limit=(current_db().settings.decks_per_hour, WINDOW_S))
    except SiteFull:
        return _too_many("The site takes no more new decks this hour; nothing was created.", 600)
    except DeckError as exc:
        return _error(400, "bad_deck", str(exc))
    response = jsonify({**deck_json(deck), "key": key, "deck_url": f"/{lang}/decks/{deck.public_id}",
                        "presenter_url": f"/{lang}/decks/{deck.public_id}/present#key={key}",
                        "follow_url": f"/follow/{deck.public_id}"})
    response.status_code = 201
    response.headers["Cache-Control"] = "no-store"
    return response


@deck_api.post("/api/decks/<public_id>/slides")
def add(public_id: str) -> Response:
    body = _body()
    try:
        slide = _slide(body)
    except DeckError as exc:
        return _error(400, "bad_slide", str(exc))
    return _edit(public_id, lambda conn, key: decks.add_slide(conn, public_id, key, slide))


@deck_api.post("/api/decks/<public_id>/slides/<int:index>/move")
def move(public_id: str, index: int) -> Response:
    body = _body()
    return _edit(public_id, lambda conn, key: decks.move_slide(conn, public_id, key, index, _int(body, "to")))


@deck_api.post("/api/decks/<public_id>/slides/<int:index>/remove")
def remove(public_id: str, index: int) -> Response:
    return _edit(public_id, lambda conn, key: decks.remove_slide(conn, public_id, key, index))


@deck_api.post("/api/decks/<public_id>/slides/<int:index>/caption")
def caption(public_id: str, index: int) -> Response:
    body = _body()
    return _edit(public_id, lambda conn, key: decks.set_caption(conn, public_id, key, index,
                                                                _text(body, "caption", None)))


@deck_api.post("/api/decks/<public_id>/title")
def title(public_id: str) -> Response:
    body = _body()
    return _edit(public_id, lambda conn, key: decks.set_title(conn, public_id, key, _text(body, "title", None)))


@deck_api.post("/api/decks/<public_id>/current")
def move_presenter(public_id: str) -> Response:
    """The presenter shows slide {"slide": n}: followers see it on their next poll."""
    body = _body()
    return _edit(public_id, lambda conn, key: decks.set_current(conn, public_id, key, _int(body, "slide")))


@deck_api.get("/api/decks/<public_id>")
def deck(public_id: str) -> Response:
    found = read_deck(public_id)
    if found is None:
        return _error(404, "deck_not_found", "No deck has this id.")
    response = jsonify(deck_json(found))
    response.headers["Cache-Control"] = NO_CACHE
    return response


@deck_api.get("/api/decks/<public_id>/state")
def state(public_id: str) -> Response:
    """The follow state (see the module docstring): 304 while the If-None-Match ETag is still current."""
    found = state_answer(current_db(), public_id)
    if found is None:
        return _error(404, "deck_not_found", "No deck has this id.")
    if matches(request.headers.get("If-None-Match"), found.etag):
        response = Response(status=304)
    else:
        response = Response(found.body, mimetype="application/json")
    response.headers["ETag"] = found.etag
    response.headers["Cache-Control"] = NO_CACHE
    return response


OTHER_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def _methods_here(path: str) -> list[str]:
    """The methods the deck API answers at ``path`` (none: no route of it), besides OPTIONS."""
    return [method for method, endpoint in endpoints_at(path, ("GET", "POST")).items()
            if endpoint.startswith(deck_api.name + ".") and endpoint != f"{deck_api.name}.{elsewhere.__name__}"]


@deck_api.route("/api/decks", methods=OTHER_METHODS)
@deck_api.route("/api/decks/<path:rest>", methods=OTHER_METHODS)
def elsewhere(rest: str = "") -> Response:
    """Under /api/decks, a method the address does not take is 405 (naming those it does), an address the API
    does not have is a JSON 404: the site's pages, which answer GET at any other path, are not reached."""
    methods = _methods_here(request.path)
    if methods:
        response = _error(405, "method_not_allowed", f"This address takes {', '.join(methods)}.")
        response.headers["Allow"] = ", ".join([*methods, "OPTIONS"])
        return response
    return _error(404, "not_found", "The deck API has no such address.")


@deck_api.after_request
def own_methods(response: Response) -> Response:
    """An OPTIONS answer names the methods of the deck API's route only."""
    if request.method == "OPTIONS" and request.path.startswith("/api/decks"):
        response.headers["Allow"] = ", ".join([*_methods_here(request.path), "OPTIONS"])
    return response


@deck_api.errorhandler(DeckError)
def bad_body(exc: DeckError) -> Response:
    """A body that is no JSON object, or a field of the wrong type, outside an edit: nothing was changed."""
    return _error(400, "bad_body", str(exc))


@deck_api.errorhandler(DatabaseUnavailable)
def database_unavailable(_exc: DatabaseUnavailable) -> Response:
    response = _error(503, "database_unavailable", UNAVAILABLE_MESSAGE)
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response
