"""What /api/v1/search answers (routed and its parameters checked by app.web.api): the views that match a query,
each with a one-line answer and its address - what the header's search box lists."""

from __future__ import annotations

from typing import Any

from app.data.db import Database
from app.exports.api_doc import SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT
from app.search.answers import result
from app.search.index import build_index
from app.site.params import Known

MAX_QUERY = 200  # characters of a query looked at
DEFAULT_LIMIT, MAX_LIMIT = SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT


def search_answer(db: Database, facts: Known, query: str, lang: str, limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    """The answer to ``query`` in ``lang``: at most ``limit`` results, best first."""
    query = query[:MAX_QUERY]
    entries = build_index(db, facts).search(query, min(max(limit, 1), MAX_LIMIT)) if query.strip() else []
    return {"q": query, "lang": lang, "results": [result(e, facts, lang) for e in entries]}
