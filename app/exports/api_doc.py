"""The API's self-description (/api/v1, the Data & methods page, and the source of the OpenAPI document): every
page's JSON twin and downloads from the registry, and the endpoints that are no page's."""

from __future__ import annotations

from typing import Any

from app.exports.datasets import privacy_note
from app.site.registry import PARAMETER_DOC, Page, api_order, pages

SEARCH_DEFAULT_LIMIT = 10  # results of /api/v1/search without ?limit=
SEARCH_MAX_LIMIT = 50


def api_doc() -> dict[str, Any]:
    """Self-description of the API (also rendered on the Data & methods page)."""
    def entry(path: str, page: Page | None, description: str) -> dict[str, Any]:
        parameters = page.parameter_docs() if page else {"lang": PARAMETER_DOC["lang"]}
        return {"path": path, "page": page.name if page else None, "description": description,
                "parameters": parameters}

    endpoints = [
        *(entry(f"/api/v1/{page.api_endpoint}", page, page.api_description) for page in api_order()),
        entry("/api/v1/reference", None, "Harmonised codes with labels in six languages."),
        entry("/api/v1/waves", None, "Loaded survey waves and their URL keys."),
        entry("/api/v1/published", None, "Figures transcribed from national publications."),
        {"path": "/api/v1/official", "page": None,
         "description": "Official statistics tables (e.g. Statistics Denmark's OIN01DK) as published: shares as "
                        "fractions, CI only where the table publishes one, with citation, licence, source URL, "
                        "retrieval time, SHA-256 and how the table was obtained.",
         "parameters": {"lang": PARAMETER_DOC["lang"], "countries": PARAMETER_DOC["countries"],
                        "tables": "comma-separated official table ids, e.g. OIN01DK (default: every loaded table)"}},
        entry("/api/v1/coverage", None, "For every indicator x option x country x wave, whether a published "
              "figure, an official table value or only demo estimates exist, with the address of the view; and how "
              "many views have real figures."),
        {"path": "/api/v1/search", "page": None,
         "description": "Find a chart: the views whose indicator, option, country, national question wording or "
                        "published figure (measure, quote) match the words of q (accent- and case-insensitive, in "
                        "any of the six languages), each with a one-line answer and its address.",
         "parameters": {"lang": PARAMETER_DOC["lang"], "q": "the words to find, e.g. 'samarbeid med private'",
                        "limit": f"at most this many results (1-{SEARCH_MAX_LIMIT}, default {SEARCH_DEFAULT_LIMIT})"}},
        entry("/download/<page>.csv|xlsx", None, "The current view of a page as a file (every CSV row names the "
              "view's address in 'view_url'); <page> is one of "
              f"{', '.join(page.name for page in pages())}."),
        entry("/download/<page>.bib|ris|csl.json", None, "The reference of the current view as BibTeX, RIS or "
              "CSL-JSON (Zotero imports all three), under a key that is the same for the same view every time."),
        {"path": "/api/decks", "page": None,
         "description": "Decks: create one (POST), then add, move, caption and remove slides and move the presenter "
                        "with the presenter key in the X-Deck-Key header; GET /api/decks/<id> and its /state. "
                        "Described in the OpenAPI document.", "parameters": {}},
        entry("/api/v1/openapi.json", None, "This API described in OpenAPI 3.1, generated from the same page "
              "registry and parameter declarations the app uses."),
        entry("/download/all.zip", None, "Every published aggregate as a Frictionless Data Package "
              "(datapackage.json with a schema for every field; each table as CSV and Parquet)."),
    ]
    return {
        "name": "Nordic Innovation Barometer Explorer API",
        "version": "v1",
        "about": "Every page URL has a JSON twin with the same parameters: /en/compare?indicator=innovative&"
                 "countries=DK becomes /api/v1/estimates?indicator=innovative&countries=DK.",
        "endpoints": endpoints,
        "errors": "Unknown, empty or invalid parameters, and parameters that do not fit together (an option the "
                  "indicator does not have: see /api/v1/reference), give HTTP 400 with {'error': 'bad_parameters', "
                  "'problems': [...]}; an unreachable database gives HTTP 503.",
        "privacy": privacy_note(None),
        "example": "/api/v1/estimates?indicator=innovative&option=yes&countries=DK&waves=latest&level=all&sector=all",
    }
