"""OpenAPI 3.1 description of the API (/api/v1/openapi.json), generated, never written by hand.

Paths, parameters and descriptions come from :func:`app.web.api.api_doc`, which reads the pages' declarations;
the allowed values of each parameter come from the loaded catalogue and waves, so the description always
matches what the parsers accept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from app.exports.api_doc import SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT
from app.exports.citation import software_version
from app.exports.deck_api_doc import DECK_TAG, KEY_HEADER, SCHEMAS, deck_paths
from app.exports.files import REFERENCE_FORMATS
from app.site.params import AXES, CHARTS, DISPLAYS, Known
from app.site.registry import pages
from core.config import LANGUAGES

NULLABLE_NUMBER = {"type": ["number", "null"]}
NULLABLE_INTEGER = {"type": ["integer", "null"]}
NULLABLE_STRING = {"type": ["string", "null"]}
# the statistic columns every view's records may carry, typed; other columns are described by the view
RECORD = {
    "type": "object",
    "properties": {
        "share_pct": NULLABLE_NUMBER, "ci_low_pct": NULLABLE_NUMBER, "ci_high_pct": NULLABLE_NUMBER,
        "n": NULLABLE_INTEGER, "n_effective": NULLABLE_NUMBER, "n_note": {"type": "string"},
        "suppression": {"enum": ["primary", "complementary", None]}, "status": {"type": "string"},
        "country_code": NULLABLE_STRING, "wave_key": NULLABLE_STRING, "source": NULLABLE_STRING,
        "source_url": NULLABLE_STRING, "data": {"type": "string"}, "is_demo": {"type": "boolean"},
    },
    "additionalProperties": True,
}
# Compare's differences between two shown bars (also rows with row_type "difference" in data and downloads)
DIFFERENCE = {
    "type": "object",
    "required": ["subject_wave_key", "reference_wave_key", "difference_pct", "difference_ci_low_pct",
                 "difference_ci_high_pct", "p_value", "p_adjusted", "family_size", "differs"],
    "properties": {
        "row_type": {"const": "difference"},
        "comparison": {"enum": ["countries", "waves"], "description": "Two countries, or one country's two waves"},
        "subject_wave_key": {"type": "string"}, "reference_wave_key": {"type": "string"},
        "difference_pct": {"type": "number", "description": "Subject minus reference, in percentage points"},
        "difference_ci_low_pct": {"type": "number", "description": "Newcombe hybrid score interval, simultaneous "
                                                                   "95% over the family (Bonferroni), low"},
        "difference_ci_high_pct": {"type": "number", "description": "The same interval, high"},
        "p_value": {"type": "number", "description": "Two-sided p-value dual to the pair's own Newcombe interval"},
        "p_adjusted": {"type": "number", "description": "Bonferroni: p_value times family_size, at most 1"},
        "family_size": {"type": "integer", "description": "Comparisons the interval is adjusted for (see family)"},
        "differs": {"type": "boolean", "description": "The interval excludes 0 (equivalently p_adjusted < 0.05)"},
        "family": {"type": "string", "description": "The family of comparisons, in words"},
        "country": {"type": "string", "description": "The pair in words, in the answer's language"},
        "comparability_caveat": {"type": "string", "description": "Units or wording that differ ('' if none)"},
    },
    "additionalProperties": True,
}
CITATION = {"type": "object", "required": ["key", "apa", "bibtex", "ris", "csl_json"],
            "properties": {"key": {"type": "string", "description": "Stable per view: the same every time"},
                           "apa": {"type": "string"}, "bibtex": {"type": "string"}, "ris": {"type": "string"},
                           "csl_json": {"type": "object", "description": "One CSL-JSON item"}}}
VIEW_PROPERTIES = {
    "page": {"type": "string"}, "title": {"type": "string"}, "url": {"type": "string"},
    "lang": {"enum": list(LANGUAGES)},
    "parameters": {"type": "object", "additionalProperties": {"type": "string"}},
    "comparability_warnings": {"type": "array", "items": {"type": "object"}},
    "demo": NULLABLE_STRING, "notes": {"type": "array", "items": {"type": "string"}},
    "method": {"type": "object"}, "privacy": {"type": "string"}, "citation": CITATION,
    "data": {"type": "array", "items": {"$ref": "#/components/schemas/Record"}},
    "differences": {"type": "array", "items": {"$ref": "#/components/schemas/Difference"},
                    "description": "Compare only: every pair of bars the view offers, adjusted for the family"},
    "family": {"type": ["object", "null"], "description": "Compare only: the fixed family every difference is "
               "adjusted for (method, alpha, size, z, wave_keys, description): all pairs of the loaded waves "
               "with an estimate for the view's measure, level and sector"},
}
OPTIONAL_VIEW_PROPERTIES = ("comparability_warnings", "demo", "notes", "differences", "family")
VIEW = {"type": "object", "properties": VIEW_PROPERTIES,
        "required": [name for name in VIEW_PROPERTIES if name not in OPTIONAL_VIEW_PROPERTIES]}
BAD_PARAMETERS = {
    "type": "object", "required": ["error", "problems"],
    "properties": {
        "error": {"const": "bad_parameters"}, "message": {"type": "string"}, "documentation": {"type": "string"},
        "problems": {"type": "array", "items": {
            "type": "object", "required": ["param", "value", "reason", "message"],
            "properties": {"param": {"type": "string"}, "value": {"type": "string"}, "reason": {"type": "string"},
                           "message": {"type": "string"}}}},
    },
}
UNAVAILABLE = {"type": "object", "required": ["error"],
               "properties": {"error": {"const": "database_unavailable"}, "message": {"type": "string"}}}
OBJECT = {"type": "object"}
# responses of the endpoints that are not a page's view
OTHER_RESPONSES: dict[str, dict[str, Any]] = {
    "/api/v1/reference": {"type": "object", "required": ["lang", "countries", "indicators"], "properties": {
        "lang": {"enum": list(LANGUAGES)}, "countries": {"type": "array"}, "government_levels": {"type": "array"},
        "sectors": {"type": "array"}, "units_of_observation": {"type": "array"}, "indicators": {"type": "array"}}},
    "/api/v1/waves": {"type": "object", "required": ["waves"], "properties": {"waves": {"type": "array", "items": {
        "type": "object", "required": ["key", "country", "is_demo"],
        "properties": {"key": {"type": "string"}, "country": {"type": "string"}, "is_demo": {"type": "boolean"},
                       "nordic_round": NULLABLE_INTEGER, "responded": NULLABLE_INTEGER}}}}},
    "/api/v1/published": {"type": "object", "required": ["published"], "properties": {
        "published": {"type": "array", "items": {"type": "object", "properties": {
            "value_pct": NULLABLE_NUMBER, "n": NULLABLE_INTEGER, "citation": {"type": "string"}}}}}},
    "/api/v1/official": {"type": "object", "required": ["kind", "official"], "properties": {
        "kind": {"const": "official statistics"}, "lang": {"enum": list(LANGUAGES)},
        "official": {"type": "array", "items": {"type": "object", "required": ["citation", "licence"], "properties": {
            "citation": {"type": "string"}, "licence": {"type": "string"}}}}}},
    "/api/v1/coverage": {"type": "object", "required": ["summary", "views", "cells"], "properties": {
        "lang": {"enum": list(LANGUAGES)}, "summary": {"type": "object"},
        "views": {"type": "array", "items": {"type": "object", "properties": {
            "indicator": {"type": "string"}, "option": {"type": "string"},
            "real_countries": {"type": "array", "items": {"type": "string"}}}}},
        "cells": {"type": "array", "items": {"type": "object", "required": ["indicator", "option", "country", "kind"],
                                             "properties": {"kind": {"enum": ["published", "official", "survey",
                                                                              "demo", "breakdown", "none"]},
                                                            "wave_label": NULLABLE_STRING, "url": NULLABLE_STRING}}}}},
    "/api/v1/search": {"type": "object", "required": ["q", "results"], "properties": {
        "q": {"type": "string"}, "lang": {"enum": list(LANGUAGES)},
        "results": {"type": "array", "items": {"type": "object", "required": ["title", "answer", "url"],
                                               "properties": {"title": {"type": "string"},
                                                              "answer": {"type": "string"},
                                                              "url": {"type": "string"}}}}}},
}
FILE_TYPES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              **REFERENCE_FORMATS}
FILE_SCHEMAS = {"csl.json": {"type": "array", "items": {"type": "object", "required": ["id", "type", "title"]}}}
# The tag of operations whose parameters depend on each other in ways a schema of independent parameters
# cannot say: a request each of whose values is valid may still be answered 400, with its problems named.
DEPENDENT_TAG = "dependent-parameters"
TAGS = [{"name": DEPENDENT_TAG, "description": "Parameters that depend on each other: 'option' must be one of "
         "the options of the chosen 'indicator' (listed per indicator in the 'option' parameter's "
         "x-options-by-indicator, and in /api/v1/reference), and a wave in 'waves' must belong to a country in "
         "'countries'. Each value may be valid and the request still answered 400 (BadParameters, the problem "
         "named), as it is for a parameter given without a value ('?wave=')."},
        {"name": DECK_TAG, "description": "Decks: talks made of views, followed on phones (the presenter key in "
         f"the {KEY_HEADER} header)."}]


def parameter_schemas(known: Known) -> dict[str, Callable[[], dict[str, Any]]]:
    """JSON Schema of each query parameter, with the values the parsers accept (a page's own parameters as its
    registry entry declares them; a parameter without a schema is text)."""
    ref = known.ref
    options = sorted({o for i in ref.indicators.values() for o in i.options})
    by_indicator = {code: list(i.options) for code, i in ref.indicators.items()}
    codes = ",".join(ref.countries[:2]) or "DK"
    wave_keys = [w.key for w in known.waves]
    return {
        "lang": lambda: {"type": "string", "enum": list(LANGUAGES), "default": "en"},
        "indicator": lambda: {"type": "string", "enum": list(ref.indicators)},
        "option": lambda: {"type": "string", "enum": options, "x-options-by-indicator": by_indicator,
                           "description": "Each indicator's options: " + "; ".join(
                               f"{code}: {', '.join(values)}" for code, values in by_indicator.items())},
        "countries": lambda: {"type": "string", "pattern": _list_pattern(ref.countries), "examples": [codes]},
        "country": lambda: {"type": "string", "enum": list(ref.countries)},
        "waves": lambda: {"type": "string", "pattern": _list_pattern(("latest", "all", *wave_keys)),
                          "examples": ["latest", "all", ",".join(wave_keys[:2])]},
        "wave": lambda: {"type": "string", "enum": wave_keys},
        "level": lambda: {"type": "string", "enum": list(ref.levels), "default": "all"},
        "sector": lambda: {"type": "string", "enum": list(ref.sectors), "default": "all"},
        "chart": lambda: {"type": "string", "enum": list(CHARTS), "default": CHARTS[0]},
        "display": lambda: {"type": "string", "enum": list(DISPLAYS), "default": DISPLAYS[0]},
        "axis": lambda: {"type": "string", "enum": list(AXES), "default": AXES[0]},
        "tables": lambda: {"type": "string", "pattern": r"^[A-Za-z0-9_]+(?:,[A-Za-z0-9_]+)*$", "examples": ["OIN01DK"]},
        "limit": lambda: {"type": "integer", "minimum": 1, "maximum": SEARCH_MAX_LIMIT,
                          "default": SEARCH_DEFAULT_LIMIT},
        **{name: (lambda schema=schema: dict(schema))
           for page in pages() for name, schema in page.parameter_schema.items()},
    }


def _text() -> dict[str, Any]:
    return {"type": "string"}


def _list_pattern(values: Sequence[str]) -> str:
    """A comma-separated list of ``values`` (the parsers also split on commas)."""
    one = "(?:" + "|".join(re.escape(v) for v in values) + ")"
    return f"^{one}(?:,{one})*$"


def _parameters(names: Mapping[str, str], schemas: Mapping[str, Callable[[], dict[str, Any]]]) -> list[dict]:
    return [{"name": name, "in": "query", "required": False, "description": text, "schema": schemas.get(name, _text)(),
             "style": "form", "explode": False} for name, text in names.items()]


def _json(schema: Mapping[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": dict(schema)}}}


def _errors(with_400: bool = True) -> dict[str, Any]:
    responses = {"503": _json({"$ref": "#/components/schemas/Unavailable"}, "The database cannot be reached")}
    if with_400:
        responses["400"] = _json({"$ref": "#/components/schemas/BadParameters"},
                                 "Unknown, empty or invalid parameters, or parameters that do not fit together "
                                 "(an option the indicator does not have, a wave of a country not chosen), each "
                                 "named with the reason")
    return responses


def openapi_spec(doc: Mapping[str, Any], known: Known) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``doc`` (the API's self-description, :func:`app.web.api.api_doc`)."""
    schemas = parameter_schemas(known)
    paths: dict[str, Any] = {
        "/api/v1": {"get": {"operationId": "index", "summary": "Self-description of the API",
                            "responses": {"200": _json(OBJECT, "Endpoints, parameters, errors and privacy")}}},
        "/api/v1/openapi.json": {"get": {"operationId": "openapi", "summary": "This document",
                                         "responses": {"200": _json(OBJECT, "OpenAPI 3.1")}}},
        "/healthz": {"get": {"operationId": "health", "summary": "Health check (also pings the database)",
                             "responses": {"200": _json({"type": "object", "properties": {"status": {
                                 "const": "ok"}}}, "Up"), **_errors(with_400=False)}}},
    }
    downloads: dict[str, dict[str, str]] = {}
    for endpoint in doc["endpoints"]:
        path, page = endpoint["path"], endpoint.get("page")
        parameters = _parameters(endpoint["parameters"], schemas)
        operation_id = path.removeprefix("/api/v1/").replace("-", "_").replace("/", "_")
        if page:
            downloads[page] = endpoint["parameters"]
            paths[path] = {"get": {
                "operationId": operation_id, "summary": endpoint["description"], "parameters": parameters,
                "tags": [DEPENDENT_TAG], "responses": {"200": _json({"$ref": "#/components/schemas/View"},
                                           f"The records and metadata of the {page} view"), **_errors()}}}
        elif path in OTHER_RESPONSES:
            paths[path] = {"get": {"operationId": operation_id, "summary": endpoint["description"],
                                   "parameters": parameters,
                                   "responses": {"200": _json(OTHER_RESPONSES[path], endpoint["description"]),
                                                 **_errors()}}}
        elif path == "/download/all.zip":
            paths[path] = {"get": {"operationId": "download_all", "summary": endpoint["description"],
                                   "parameters": parameters, "responses": {
                                       "200": {"description": "Zip of the data package", "content": {
                                           "application/zip": {"schema": {"type": "string",
                                                                          "contentMediaType": "application/zip"}}}},
                                       **_errors()}}}
    for page, names in downloads.items():
        for fmt, media_type in FILE_TYPES.items():
            paths[f"/download/{page}.{fmt}"] = {"get": {
                "operationId": f"download_{page.replace('-', '_')}_{fmt.replace('.', '_')}",
                "summary": f"The {page} view as {fmt.upper()} (same parameters as the page)" if fmt in ("csv", "xlsx")
                else f"The reference of the {page} view as {fmt.upper()} (same parameters as the page)",
                "parameters": _parameters(names, schemas), "tags": [DEPENDENT_TAG],
                "responses": {"200": {"description": f"{fmt.upper()} file", "content": {media_type: {
                    "schema": FILE_SCHEMAS.get(fmt) or {"type": "string", "contentMediaType": media_type}}}},
                    **_errors()}}}
    paths.update(deck_paths())
    return {
        "openapi": "3.1.0",
        "info": {"title": doc["name"], "version": software_version(),
                 "description": f"{doc['about']} {doc['errors']} {doc['privacy']}"},
        "tags": TAGS,
        "paths": paths,
        "components": {"schemas": {"View": VIEW, "Record": RECORD, "Difference": DIFFERENCE,
                                   "BadParameters": BAD_PARAMETERS, "Unavailable": UNAVAILABLE, **SCHEMAS}},
    }
