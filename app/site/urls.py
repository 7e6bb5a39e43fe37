"""Addresses: which page a path names, and the URL of a view, its JSON twin and its downloads.

'/nb/compare?indicator=value' is the Compare page in Norwegian; '/embed/en/compare' its frameable form;
'/api/v1/estimates?...' and '/download/compare.csv?...' carry the same parameters.
"""

from __future__ import annotations

import hashlib
import re
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from app.site.params import Known, View
from app.site.registry import Page, page_at, page_named
from app.site.request import current_known, serving
from core.config import LANGUAGES
from core.errors import DatabaseUnavailable


@dataclass(frozen=True)
class Route:
    page: Page | None  # None: no such page
    path_lang: str | None
    embed: bool = False


def parse_path(pathname: str | None) -> Route:
    """'/nb/compare' -> the Compare page in 'nb'; '/embed/en/compare' -> embedded; unknown -> page None."""
    parts = [p for p in (pathname or "/").split("/") if p]
    embed = bool(parts) and parts[0] == "embed"
    if embed:
        parts = parts[1:]
    lang = None
    if parts and parts[0] in LANGUAGES:
        lang, parts = parts[0], parts[1:]
    if len(parts) > 1:
        return Route(None, lang, embed)
    return Route(page_at(parts[0] if parts else ""), lang, embed)


def to_search(query: Mapping[str, str]) -> str:
    """A query dict as '?a=1&b=2' ('' when empty); commas stay readable."""
    items = [(k, v) for k, v in query.items() if v != ""]
    return "?" + urlencode(items, safe=",") if items else ""


EMBED_PREFIX = "/embed"  # in front of a page's path: its frameable form


def page_path(page: Page, lang: str, *, embed: bool = False) -> str:
    prefix = EMBED_PREFIX if embed else ""
    return f"{prefix}/{lang}/{page.segment}" if page.segment else f"{prefix}/{lang}/"


# (page, view, id of the Known it was made against) -> (a weak reference to that Known, canonical query); a page
# names its view's address several times (address bar, share, embed, presentation, downloads), each a dozen
# parses without this
_CANONICAL: dict[tuple[str, View, int], tuple[weakref.ref[Known], dict[str, str]]] = {}
_CANONICAL_LIMIT = 4096


def canonical_query(page: Page, view: View, known: Known) -> dict[str, str]:
    """The view's parameters without those at their default: a parameter is left out when the page parses
    the rest back to the very same view (so the short address and the full one name one view)."""
    key = (page.name, view, id(known))
    hit = _CANONICAL.get(key)
    if hit is not None and hit[0]() is known:  # the very same facts (app/data/db.py keeps one per data version)
        return dict(hit[1])
    query = _canonical_query(page, view, known)
    if len(_CANONICAL) >= _CANONICAL_LIMIT:
        _CANONICAL.clear()
    _CANONICAL[key] = (weakref.ref(known), query)
    return dict(query)


def _canonical_query(page: Page, view: View, known: Known) -> dict[str, str]:
    query = {k: v for k, v in view.query().items() if v != ""}
    for name in list(query):
        rest = {k: v for k, v in query.items() if k != name}
        again, problems = page.parse({k: [v] for k, v in rest.items()}, known)
        if again == view and not problems:
            query = rest
    return query


def _known_here() -> Known | None:
    """What the app serving this request knows (None outside a request, or when the database is away: then
    every parameter is spelled out, which names the same view)."""
    if not serving():
        return None
    try:
        return current_known()
    except DatabaseUnavailable:
        return None


def link_to(name: str, lang: str, args: Mapping[str, str]) -> str | None:
    """The address of the view of the page called ``name`` that ``args`` (URL parameters) name; None when no
    such page is served. Pages link to each other by name and public parameters, never by each other's code."""
    page = page_named(name)
    if page is None:
        return None
    known = _known_here()
    if known is None:
        return page_path(page, lang) + to_search(args)
    view, _ = page.parse({k: [v] for k, v in args.items()}, known)
    return view_url(page, lang, view)


def view_url(page: Page, lang: str, view: View, *, present: bool = False, embed: bool = False,
             known: Known | None = None) -> str:
    """Path and query string of a view (relative to the site root), parameters at their default left out
    (defaults as ``known`` says, else as the app serving this request knows them)."""
    known = known if known is not None else _known_here()
    query = canonical_query(page, view, known) if known is not None else dict(view.query())
    if present:
        query["present"] = "1"
    return page_path(page, lang, embed=embed) + to_search(query)


FILE_PREFIX = "nordic-barometer"
_STEM_LIMIT = 90  # characters of a file name before its parameters give way to a short hash of them


def file_stem(name: str, view: View) -> str:
    """The name of a file exported from a view of the page called ``name`` (without its extension): the page
    and the values of the view's parameters that are not at their default, e.g.
    'nordic-barometer-compare-value-quality-DK-NO', so files of different views never overwrite each other;
    a long one keeps its start and ends in a short hash of the whole address."""
    page = page_named(name)
    known = _known_here()
    query = canonical_query(page, view, known) if page is not None and known is not None else view.query()
    values = [v for v in query.values() if v != ""]
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", "-".join([FILE_PREFIX, name, *values])).strip("-")
    if len(stem) > _STEM_LIMIT:
        digest = hashlib.sha256(to_search(query).encode()).hexdigest()[:8]
        stem = f"{stem[:_STEM_LIMIT - 9].rstrip('-')}-{digest}"
    return stem


PPTX_PREFIX = "/pptx"  # '/pptx/<lang>/<page>?<query>': a view as a PowerPoint file (app/decks/pptx/routes.py)


def pptx_url(page: Page, view: View, lang: str) -> str:
    """The view as a PowerPoint file: its own address with PPTX_PREFIX in front."""
    return PPTX_PREFIX + view_url(page, lang, view)


def _data_query(view: View, lang: str) -> str:
    return to_search({**view.query(), "lang": lang})


def download_url(page: Page, fmt: str, view: View, lang: str) -> str:
    """The view as a file: fmt is csv or xlsx, or its reference as bib, ris or csl.json."""
    return f"/download/{page.name}.{fmt}{_data_query(view, lang)}"


def api_url(page: Page, view: View, lang: str) -> str:
    """The view as JSON."""
    return f"/api/v1/{page.api_endpoint}{_data_query(view, lang)}"
