"""Page documents kept in each worker's memory, behind admission control.

A page's document (Dash's index with the first paint drawn in) is the same bytes for the same address, site
address, day, code and data: that is what its ETag says (app/web/caching/http_cache.py), and what nginx keeps it
for. Without nginx (`barometer up --public`, gunicorn alone) each visit had it drawn again through Flask and
Dash: some 30 ms of a worker's time under a crowd, most of a visit's cost once its other files came from
memory (docs/performance.md). This middleware keeps the answer the app gave (status, headers, compressed body)
and gives it again to the next GET of the same page, site address and encoding while the data version and the
day are the same.

It sits behind admission control (app/web/admission.py): a page answered from memory still counts as a new
visit that may be turned away, so a crowd is refused as before rather than let in at no cost to the page and
then refused half-way through its visits. Only what the HTTP-cache layer marked as a cacheable page is kept
(``mark_page``); a page drawn without its data, an error, a 404 or a conditional request goes to the app.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from app.site.urls import parse_path
from app.web.caching.immutable import Headers, ImmutableAnswers, WsgiApp, answer_key

MAX_BYTES = 32 * 2**20  # per worker: every page in six languages and a few encodings, many times over
MAX_ENTRIES = 512  # a bound against made-up query strings
# what the site address in a page (share links, QR codes, citations) is made of, as the request brings it
SITE_ADDRESS = ("wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME",
                "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT",
                "HTTP_X_FORWARDED_PREFIX")
PAGE = "barometer.cacheable_page"  # in a request's WSGI environ: its answer is a page any visitor may get


def mark_page(environ: dict[str, Any]) -> None:
    """Say that this answer is a page document that may be given to every visitor asking the same (its ETag
    names the data version, code, address, site address and day)."""
    environ[PAGE] = True


class PageAnswers(ImmutableAnswers):
    """WSGI middleware: repeat GETs of a page, from this worker's memory, for the same data version and day."""

    def __init__(self, app: WsgiApp, data_version: Callable[[], str], *, max_bytes: int = MAX_BYTES,
                 max_entries: int = MAX_ENTRIES) -> None:
        super().__init__(app, max_bytes=max_bytes, max_entries=max_entries)
        self.data_version = data_version

    def key(self, environ: dict[str, Any]) -> str | None:
        plain = answer_key(environ)
        if plain is None or parse_path(environ.get("PATH_INFO", "")).page is None:
            return None
        try:
            version = self.data_version()
        except Exception:  # the database away: the app draws the page and says so, as before
            return None
        return "\0".join((plain, version, date.today().isoformat(),
                          *(str(environ.get(name, "")) for name in SITE_ADDRESS)))

    def keeps(self, status: str, headers: Headers, environ: dict[str, Any]) -> bool:
        return (status.startswith("200") and environ.get(PAGE) is True
                and not any(name.lower() == "set-cookie" for name, _ in headers))
