"""The views on a deck's slides: the canonical address of a view to add, an address in another language, the
presentation-mode address, and a slide's title and demo label."""

from __future__ import annotations

from urllib.parse import urlsplit

from app.exports.datasets import build_dataset
from app.site.params import Known, parse_lang, parse_search
from app.site.request import current_db, current_known
from app.site.urls import parse_path, view_url
from core.config import LANGUAGES, get_settings


def canonical_slide_path(address: str, facts: Known | None = None) -> str | None:
    """The canonical path and query (app/site/urls.py) of the view ``address`` names, without presentation mode;
    None when it names no page of the site (or its embedded form). ``facts``: what parameters are checked
    against (default: those of the app serving this request)."""
    parts = urlsplit(address)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    route = parse_path(parts.path)
    if route.page is None or route.embed:
        return None
    args = {k: v for k, v in parse_search(parts.query).items() if k != "present"}
    lang, _ = parse_lang(args, route.path_lang, get_settings().default_language)
    # a parameter it cannot read falls back to its default
    facts = facts if facts is not None else current_known()
    view, _ = route.page.parse(args, facts)
    return view_url(route.page, lang, view, known=facts)


def in_language(path: str, lang: str) -> str:
    """``path`` with its language segment (or ?lang=) set to ``lang``: a deck shows in the language of its link."""
    address, _, query = path.partition("?")
    segments = [s for s in address.split("/") if s]
    if segments and segments[0] in LANGUAGES:
        segments[0] = lang
    elif not segments or segments[0] != "embed":
        segments.insert(0, lang)
    rest = "&".join(p for p in query.split("&") if p and not p.startswith("lang="))
    tail = "/" if len(segments) == 1 else ""
    return "/" + "/".join(segments) + tail + ("?" + rest if rest else "")


def present_path(path: str) -> str:
    """The presentation-mode address of a slide's view."""
    return path + ("&" if "?" in path else "?") + "present=1"


def slide_title(path: str, lang: str) -> tuple[str, str | None]:
    """The title of the view at ``path`` in ``lang`` and its demo label (None when it shows no demo data)."""
    parts = urlsplit(path)
    route = parse_path(parts.path)
    if route.page is None:
        return path, None
    db = current_db()
    dataset, _ = build_dataset(db, route.page, parse_search(parts.query), lang, current_known())
    if dataset is None:
        return path, None
    return dataset.title, dataset.demo
