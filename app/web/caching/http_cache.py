"""HTTP caching: Cache-Control and ETags, so browsers and a caching proxy answer repeat GETs without the app.

Three kinds of GET answers are cacheable (callbacks are POSTs and never are):

- data: the JSON API, downloads and slide images. The ETag is derived from the loaded data version, the app's
  code, the full address, the site's public address and the day (citations and links in the body name those
  two), so it is known before any query runs: a request whose If-None-Match matches is
  answered 304 straight away, and a new ETL run changes every data ETag. Shared caches may keep an answer HTTP_MAX_AGE
  seconds, then revalidate.
- bundles: versioned static files (Dash's fingerprinted component suites, /assets/ with their ?m= stamp, the
  favicon with its ?v=) are immutable for a year; their ETag names the address, which carries the version.
  Package files Dash requests without a version (its lazily loaded chunks) get the same kind of ETag, which
  also names the app's code and Dash's version, and are revalidated after HTTP_MAX_AGE seconds.
- shells: Dash's layout and dependency lists hold no data; their ETag is a digest of the body, reused for
  HTTP_MAX_AGE seconds, then revalidated.
- pages: a page's document (its first paint drawn from the data) is a data answer too: the same address, site
  address, day, code and data always give the same page, so a caching proxy answers a crowd following one link
  without the app (docs/performance.md, "A newspaper link"). Dash writes a signed per-load token (``end_id``) into
  it, which only scopes background callbacks' job handles; the app has none, so visitors may share it. A page
  drawn without its first paint (the database away, a drawing failed) is never kept (``keep_out_of_caches``).

Every ETag is weak (W/"..."): the compressed and plain bodies of one answer are equivalent, and weak
comparison is what If-None-Match uses.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

import dash
import flask
from dash.fingerprint import check_fingerprint
from flask import Flask, Response, request

from app.site.request import public_base
from app.site.urls import parse_path
from app.web.caching.immutable import mark_constant
from app.web.caching.pages import mark_page
from core.errors import DatabaseUnavailable

DATA_PREFIXES = ("/api/", "/download/", "/svg/")  # /svg/: slide images (app/decks/slides/routes.py)
LIVE_PREFIXES = ("/api/decks",)  # a deck's state changes without a new ETL run: app/decks/api.py sets its own ETags
PACKAGE_PREFIX = "/_dash-component-suites/"
FAVICON = "/_favicon.ico"
SHELL_PATHS = ("/_dash-layout", "/_dash-dependencies")
YEAR_S = 31_536_000
_TAG = "barometer_etag"  # flask.g: the ETag decided before the view ran
_UNCACHEABLE = "barometer_uncacheable"  # flask.g: this answer must not be kept (keep_out_of_caches)


@functools.cache  # the code does not change while a worker runs
def code_version(app_dir: Path | None = None) -> str:
    """Digest of the app's code and texts and of Dash's version: a deployment never matches an old ETag."""
    app_dir = app_dir or Path(__file__).resolve().parents[2]  # the app package (this file is in app/web/caching)
    digest = hashlib.sha256(dash.__version__.encode())
    for path in sorted(p for p in app_dir.rglob("*") if p.suffix in (".py", ".json") and p.is_file()):
        digest.update(str(path.relative_to(app_dir)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def answer_variant() -> str:
    """What a data answer's body depends on besides the data, the code and the address asked: the site's public
    address (citations and links name it) and the day (a citation's access date)."""
    return f"{public_base()}\0{date.today().isoformat()}"


def data_etag(data_version: str, code: str, full_path: str, variant: str) -> str:
    """The weak ETag of a data answer: what is loaded, the code that answers, the address asked, and the
    ``variant`` of the body (answer_variant)."""
    digest = hashlib.sha256(f"{data_version}\0{code}\0{full_path}\0{variant}".encode()).hexdigest()[:20]
    return f'W/"d-{digest}"'


def bundle_etag(code: str, full_path: str) -> str:
    """The weak ETag of a versioned static file: its address (which carries the version) and the app's code."""
    digest = hashlib.sha256(f"{code}\0{full_path}".encode()).hexdigest()[:20]
    return f'W/"b-{digest}"'


def is_versioned_bundle(path: str, args: Mapping[str, str]) -> bool:
    """A static file whose address carries its version (Dash's fingerprint, the ?m= stamp of /assets/, the
    ?v= of the favicon)."""
    if path.startswith("/_dash-component-suites/"):
        return check_fingerprint(path.rsplit("/", 1)[-1])[1]
    if path == FAVICON:
        return "v" in args
    return path.startswith("/assets/") and "m" in args


def keep_out_of_caches() -> None:
    """Mark the answer being drawn as one no cache may keep (a page drawn without its data)."""
    flask.g.setdefault(_UNCACHEABLE, True)


def kind_of(req: flask.Request) -> str | None:
    """'answer' (API and downloads), 'bundle', 'package', 'shell', 'page' or None (not cacheable) for a
    request."""
    if req.method not in ("GET", "HEAD"):
        return None
    path = req.path
    if path.startswith(DATA_PREFIXES) and not path.startswith(LIVE_PREFIXES):
        return "answer"
    if is_versioned_bundle(path, req.args):
        return "bundle"
    if path.startswith(PACKAGE_PREFIX):
        return "package"
    if path in SHELL_PATHS:
        return "shell"
    if parse_path(path).page is not None:
        return "page"
    return None


def matches(if_none_match: str | None, etag: str) -> bool:
    """Weak comparison of If-None-Match against ``etag`` (also '*'; a proxy may append ':gzip' and the like)."""
    if not if_none_match:
        return False
    wanted = etag.removeprefix("W/").strip('"')
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*":
            return True
        candidate = candidate.removeprefix("W/").strip('"')
        if candidate == wanted or candidate.split(":", 1)[0] == wanted:
            return True
    return False


def not_modified(etag: str, cache_control: str) -> Response:
    response = Response(status=304)
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = cache_control
    return response


def install_http_cache(server: Flask, data_version: Callable[[], str], *, max_age_s: int) -> None:
    """Cache-Control, ETag and 304 answers for the app's GETs (see the module docstring).

    Install it before any after-request hook that changes a status (Flask runs them last-registered first, so
    this one then sees the final status) and after compression (which must see the final body)."""
    code = code_version()
    revalidate = f"public, max-age={max_age_s}, must-revalidate"
    immutable = f"public, max-age={YEAR_S}, immutable"

    @server.before_request
    def answer_from_etag() -> Response | None:
        kind = kind_of(request)
        if kind in ("answer", "page"):
            try:
                etag = data_etag(data_version(), code, request.full_path, answer_variant())
            except DatabaseUnavailable:
                if kind == "answer":
                    raise
                keep_out_of_caches()  # the page still opens and says what is wrong, but is not kept
                return None
        elif kind in ("bundle", "package"):
            etag = bundle_etag(code, request.full_path)
        else:
            return None
        flask.g.setdefault(_TAG, etag)
        if matches(request.headers.get("If-None-Match"), etag):
            return not_modified(etag, immutable if kind == "bundle" else revalidate)
        return None

    @server.after_request
    def add_cache_headers(response: Response) -> Response:
        kind = kind_of(request)
        if kind is None or response.status_code != 200:
            if kind is not None and response.status_code != 304:
                response.headers["Cache-Control"] = "no-store"  # errors and 404s are not kept
            return response
        etag = flask.g.get(_TAG)
        if flask.g.get(_UNCACHEABLE):
            response.headers["Cache-Control"] = "no-store"
            return response
        if kind == "shell":
            etag = f'W/"s-{hashlib.sha256(response.get_data()).hexdigest()[:20]}"'
        if etag is None:
            return response
        response.headers["ETag"] = etag
        response.headers["Cache-Control"] = immutable if kind == "bundle" else revalidate
        if kind in ("bundle", "package", "shell"):  # no data in them: the same until the next deployment
            mark_constant(request.environ)
        elif kind == "page":  # the same for every visitor asking the same while its ETag holds
            mark_page(request.environ)
        if kind == "shell" and matches(request.headers.get("If-None-Match"), etag):
            return not_modified(etag, revalidate)
        return response
