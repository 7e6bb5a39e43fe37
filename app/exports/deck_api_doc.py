"""The deck API (app/decks/api.py) as OpenAPI 3.1 paths: create and edit decks with the presenter key in a
header, move the presenter's slide, read a deck and the follow state that audiences poll. Part of
/api/v1/openapi.json (app/exports/openapi.py); the API keeps to it (tests/app/exports/test_openapi.py)."""

from __future__ import annotations

from typing import Any

from core.config import LANGUAGES

KEY_HEADER = "X-Deck-Key"  # the presenter key of a deck, sent with every change
DECK_TAG = "decks"
TEXT = {"type": "string"}
SLIDE = {"type": "object", "required": ["path", "caption"], "properties": {"path": TEXT, "caption": TEXT}}
STATE_PROPERTIES = {
    "deck": TEXT, "slide": {"type": "integer", "minimum": 0, "description": "0-based index the presenter shows"},
    "count": {"type": "integer", "minimum": 0}, "path": {"type": ["string", "null"]},
    "caption": {"type": ["string", "null"]}, "updated": {"type": "string", "format": "date-time"},
}
STATE = {"type": "object", "required": list(STATE_PROPERTIES), "properties": STATE_PROPERTIES}
DECK = {"type": "object", "required": [*STATE_PROPERTIES, "title", "lang", "slides"], "properties": {
    **STATE_PROPERTIES, "title": TEXT, "lang": {"enum": list(LANGUAGES)}, "slides": {"type": "array", "items": SLIDE}}}
CREATED = {"type": "object", "required": [*DECK["required"], "key", "deck_url", "presenter_url", "follow_url"],
           "properties": {**DECK["properties"], "key": {"type": "string", "description": "The presenter key, sent "
                                                        "only now (only its hash is stored)"},
                          "deck_url": TEXT, "presenter_url": TEXT, "follow_url": TEXT}}
DECK_ERROR = {"type": "object", "required": ["error", "message"], "properties": {
    "error": {"enum": ["bad_deck", "bad_slide", "bad_change", "bad_body", "bad_json", "unsupported_media_type",
                       "body_too_large", "deck_not_found", "wrong_key", "too_many_decks", "database_unavailable",
                       "not_found", "method_not_allowed"]},
    "message": TEXT}}
SCHEMAS = {"Deck": DECK, "DeckState": STATE, "DeckCreated": CREATED, "DeckError": DECK_ERROR}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _answer(schema: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _body(properties: dict[str, Any], required: list[str], description: str) -> dict[str, Any]:
    """A JSON object body; always required, since an absent or non-JSON body is refused (415) before anything
    is written."""
    return {"required": True, "description": description, "content": {"application/json": {
        "schema": {"type": "object", "required": required, "properties": properties}}}}


ID = {"name": "public_id", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]+$"},
      "description": "Public id of the deck (as in /follow/<id>)"}
INDEX = {"name": "index", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0},
         "description": "0-based index of a slide"}
KEY = {"name": KEY_HEADER, "in": "header", "required": True, "schema": {"type": "string"},
       "description": "The deck's presenter key (from its creation); a wrong or missing key changes nothing (403)"}
UNAVAILABLE = _answer("DeckError", "The database cannot be reached")
BAD = _answer("DeckError", "A body that is no JSON object, a field of the wrong type, a path that names no view "
                           "of this site, or a change the deck cannot take (e.g. a slide it does not have); "
                           "nothing was changed")
NOT_JSON = _answer("DeckError", "The body is not sent as application/json; nothing was changed")
TOO_LARGE = _answer("DeckError", "The body is larger than the JSON API takes (API_MAX_CONTENT_LENGTH); refused "
                                 "before it was read")
BODY_ANSWERS = {"413": TOO_LARGE, "415": NOT_JSON}
EDIT_ANSWERS = {"200": _answer("Deck", "The deck as changed"), "400": BAD,
                "403": _answer("DeckError", "Wrong or missing presenter key; nothing was changed"),
                "404": _answer("DeckError", "No deck has this id, or no such address (an index that is no "
                                            "whole number)"), "503": UNAVAILABLE}
VIEW_PATH = {"type": "string", "description": "Address of a view of this site, e.g. /en/compare?countries=DK,NO; "
                                             "kept as its canonical address"}


def _edit(operation_id: str, summary: str, parameters: list[dict[str, Any]],
          body: dict[str, Any] | None = None) -> dict[str, Any]:
    operation = {"operationId": operation_id, "summary": summary, "tags": [DECK_TAG], "parameters": [ID, *parameters,
                                                                                                      KEY],
                 "responses": EDIT_ANSWERS}
    if body is not None:
        operation["requestBody"] = body
        operation["responses"] = {**EDIT_ANSWERS, **BODY_ANSWERS}
    return {"post": operation}


def deck_paths() -> dict[str, Any]:
    """The deck API's paths, for the OpenAPI document."""
    return {
        "/api/decks": {"post": {
            "operationId": "deck_create", "tags": [DECK_TAG],
            "summary": "A new deck, with the view in 'path' as its first slide when given; the answer holds the "
                       "presenter key (the only time it is sent)",
            "requestBody": _body({"title": TEXT, "lang": {"type": "string", "enum": list(LANGUAGES)},
                                  "path": VIEW_PATH}, [], "The deck's title, language and first view, all optional"),
            "responses": {"201": _answer("DeckCreated", "The new deck and its presenter key"), "400": BAD,
                          **BODY_ANSWERS,
                          "429": {**_answer("DeckError", "Too many new decks from this address or on this site "
                                                         "within the hour; nothing was created (see Retry-After)"),
                                  "headers": {"Retry-After": {"schema": {"type": "string"}}}},
                          "503": UNAVAILABLE}}},
        "/api/decks/{public_id}": {"get": {
            "operationId": "deck_read", "tags": [DECK_TAG], "summary": "A deck (never its key)", "parameters": [ID],
            "responses": {"200": _answer("Deck", "The deck"), "404": _answer("DeckError", "No deck has this id"),
                          "503": UNAVAILABLE}}},
        "/api/decks/{public_id}/state": {"get": {
            "operationId": "deck_state", "tags": [DECK_TAG],
            "summary": "Where the presenter is: what followers poll, with If-None-Match (304 until it moves)",
            "parameters": [ID, {"name": "If-None-Match", "in": "header", "required": False,
                                "schema": {"type": "string"}}],
            "responses": {"200": {**_answer("DeckState", "The follow state"),
                                  "headers": {"ETag": {"schema": {"type": "string"}}}},
                          "304": {"description": "Not changed since the ETag sent"},
                          "404": _answer("DeckError", "No deck has this id"), "503": UNAVAILABLE}}},
        "/api/decks/{public_id}/slides": _edit(
            "deck_add_slide", "Add a view as the deck's last slide", [],
            _body({"path": VIEW_PATH, "caption": TEXT}, ["path"], "The view and an optional caption")),
        "/api/decks/{public_id}/slides/{index}/move": _edit(
            "deck_move_slide", "Move a slide to another place", [INDEX],
            _body({"to": {"type": "integer"}}, ["to"], "The slide's new 0-based index")),
        "/api/decks/{public_id}/slides/{index}/remove": _edit("deck_remove_slide", "Remove a slide", [INDEX]),
        "/api/decks/{public_id}/slides/{index}/caption": _edit(
            "deck_caption", "Set a slide's caption", [INDEX],
            _body({"caption": TEXT}, ["caption"], "The caption ('' removes it)")),
        "/api/decks/{public_id}/title": _edit(
            "deck_title", "Set the deck's title", [], _body({"title": TEXT}, ["title"], "The title")),
        "/api/decks/{public_id}/current": _edit(
            "deck_current", "Show another slide: followers see it on their next poll", [],
            _body({"slide": {"type": "integer"}}, ["slide"], "The 0-based index of the slide to show")),
    }
