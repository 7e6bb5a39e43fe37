"""Build the Dash app: Flask server, cache, compression, security headers, API, router and page callbacks."""

from __future__ import annotations

import logging
from html import escape as html_escape
from typing import Any

import flask
from dash import Dash, dcc, html
from werkzeug.middleware.proxy_fix import ProxyFix

from app.data.cache import make_cache
from app.data.db import Database
from app.data.links import LinkStore
from app.decks.api import LIMITS_EXTENSION as DECK_LIMITS
from app.decks.limits import AddressLimit
from app.decks.polls import StatePolls
from app.decks.routes import DECK_BLUEPRINTS
from app.decks.slides.content import SlidePathError
from app.decks.slides.routes import cached_slide_svg, slide_code_version, slide_images
from app.i18n import safe_lang, t
from app.site.params import parse_lang, parse_search
from app.site.registry import pages
from app.site.request import EXTENSION, LINKS_EXTENSION, current_db, public_base
from app.site.urls import EMBED_PREFIX, parse_path
from app.web import first_paint, router
from app.web.admission import Admission
from app.web.api import api
from app.web.bodies import install_body_limits
from app.web.bundles import ASSETS_IGNORE, BUNDLES, Bundles, build_bundles, bundles_blueprint
from app.web.caching.callbacks import install_callback_cache
from app.web.caching.compression import install_compression
from app.web.caching.http_cache import code_version, install_http_cache, keep_out_of_caches
from app.web.caching.immutable import ImmutableAnswers
from app.web.caching.pages import PageAnswers
from app.web.guards import install_guards
from app.web.security import install_security_headers
from app.web.short_links import short_links
from core.config import PROJECT_ROOT, Settings, get_settings

TITLE = "Nordic Innovation Barometer Explorer"

log = logging.getLogger(__name__)


def noscript(lang: str) -> str:
    """What a browser without JavaScript shows, in the page language."""
    return f"<noscript><p style='padding:1rem'>{t(lang, 'noscript')}</p></noscript>"


class BarometerDash(Dash):
    """Dash with the page language set on <html> from the URL, before any script runs, and plotly.js from the
    app's bundles."""

    def __init__(self, *args: Any, bundles: Bundles, **kwargs: Any) -> None:
        self.bundles = bundles  # before Dash's constructor, which calls _setup_plotlyjs
        super().__init__(*args, **kwargs)

    def interpolate_index(self, **kwargs) -> str:  # type: ignore[override]
        lang = "en"
        if flask.has_request_context():
            args = parse_search(flask.request.query_string.decode("utf-8", "replace"))
            lang = safe_lang(parse_lang(args, parse_path(flask.request.path).path_lang,
                                        get_settings().default_language)[0])
        painted = first_paint_entry()
        kwargs["app_entry"] = painted + kwargs["app_entry"]
        kwargs["favicon"] = self.bundles.icon_link or kwargs["favicon"]
        scripts = self.bundles.without_bundled(kwargs["scripts"])
        kwargs["scripts"] = first_paint.defer_dash_scripts(scripts, painted=bool(painted))
        page = super().interpolate_index(**kwargs)
        page = page.replace("<html>", f'<html lang="{lang}">', 1)
        page = page.replace(f"<title>{TITLE}</title>", f"<title>{html_escape(t(lang, 'app_title'))}</title>", 1)
        return page.replace("<body>", "<body>" + noscript(lang), 1)

    def _setup_plotlyjs(self) -> None:
        """plotly.js: the vendored cartesian bundle (app/vendor), a third of the size of the full bundle Dash
        registers (which dcc.Graph would fetch when no window.Plotly exists), in the libraries bundle
        (app/web/bundles.py), so Plotly is there before any graph renders."""
        # the full bundle, in case another Dash app of this process registered it (the list is module-global)
        dcc._js_dist[:] = [r for r in dcc._js_dist if r.get("namespace") != "plotly"]
        self._plotlyjs_url = self.bundles.libraries.url


def root_layout(shell: list[Any] | None = None, drawn: str | None = None) -> html.Div:
    """The app's layout: empty, for the router to draw the page a URL names; or with ``shell``, the page
    already drawn for the location ``drawn`` (the first paint of a document)."""
    return html.Div([
        dcc.Location(id="url", refresh=False),
        dcc.Store(id="view-search", **({"data": drawn} if drawn else {})),
        dcc.Store(id="export-done"),
        html.Div(shell or None, id="shell", className="shell"),
    ])


class DrawnWithoutDatabase(Exception):
    """A first paint drawn while the database failed (it shows an error notice): never kept, never sent."""


def first_paint_entry() -> str:
    """The requested page drawn into the document (app/web/first_paint.py), or nothing when it cannot be."""
    if not flask.has_request_context():
        return ""
    path = flask.request.path
    query = flask.request.query_string.decode("utf-8", "replace")
    search = f"?{query}" if query else ""
    def draw() -> str:
        failures = current_db().failures
        page = router.render(path, search)
        # assets/first-paint.js puts the view's canonical address into the address bar before Dash starts
        drawn = first_paint.canonical_address(page) or path + search
        parts = first_paint.document_parts(root_layout(page, drawn=drawn), page, drawn, drawing=view_drawing(drawn))
        if current_db().failures != failures:
            raise DrawnWithoutDatabase(path + search)
        return parts

    try:  # memoised per address, site address (share links, QR codes), code and data version
        return current_db().cached("first-paint", {"target": path + search, "base": public_base(),
                                                   "code": slide_code_version()}, draw)
    except DrawnWithoutDatabase:  # Dash draws the page, and says what is wrong, as before
        keep_out_of_caches()
        return ""
    except Exception:  # the page still works without it: Dash draws it as before
        log.exception("could not draw the first paint of %s", path + search)
        keep_out_of_caches()
        return ""


def view_drawing(address: str) -> first_paint.Drawing:
    """The first paint's drawing of the view at ``address``: its slide as the server draws it for phones
    (app/decks/slides/svg.py) in the box of the page's first graph (its results), the others' boxes left empty."""
    view = address.removeprefix(EMBED_PREFIX)
    drawn: list[str] = []

    def drawing(_graph: dcc.Graph) -> str:
        if drawn:
            return ""
        drawn.append(view)
        try:
            return first_paint.fitted(cached_slide_svg(current_db(), view))
        except SlidePathError:  # a view no slide shows: the box stays empty until the live chart is drawn
            return ""
        except Exception:
            log.exception("could not draw the first paint's chart of %s", view)
            return ""
    return drawing


def create_app(database_url: str, *, settings: Settings | None = None) -> Dash:
    """The dashboard reading ``database_url`` (READONLY_DATABASE_URL, when set, is used instead)."""
    settings = settings or get_settings()
    server = flask.Flask(__name__, static_folder=None)  # no Flask static route: assets/ is served by Dash
    server.json.sort_keys = False  # type: ignore[attr-defined]
    # first of the request hooks: nothing may read a body before its size is checked
    install_body_limits(server, max_content_length=settings.max_content_length,
                        api_max_content_length=settings.api_max_content_length)
    answer_bytes = settings.callback_cache_mb * 2**20  # for the answers and as much for their compressed forms
    install_compression(server, answer_bytes=answer_bytes)
    cache = make_cache(server, settings)
    db = Database(database_url, settings=settings, cache=cache)
    server.extensions[EXTENSION] = db
    server.extensions[LINKS_EXTENSION] = LinkStore(database_url, settings=settings)
    server.extensions[DECK_LIMITS] = AddressLimit(cache.cache, settings.decks_per_address_hour)
    server.register_blueprint(api)
    server.register_blueprint(short_links)
    server.register_blueprint(slide_images)
    for blueprint in DECK_BLUEPRINTS:
        server.register_blueprint(blueprint)
    trust_proxies(server, settings.trusted_proxies)

    # the app's styles, its scripts and the libraries, each as one file (a visit's requests are the cost of a crowd)
    bundles = build_bundles(PROJECT_ROOT / "assets")
    server.register_blueprint(bundles_blueprint(bundles))
    server.extensions[BUNDLES] = bundles
    app = BarometerDash(
        __name__,
        bundles=bundles,
        server=server,
        title=TITLE,
        update_title=None,
        assets_folder=str(PROJECT_ROOT / "assets"),
        assets_ignore=ASSETS_IGNORE,
        external_stylesheets=[bundles.styles.url],
        external_scripts=[bundles.scripts.url, bundles.libraries.url],
        suppress_callback_exceptions=True,
        serve_locally=True,
        compress=False,  # flask-compress is installed on the server above
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"},
                   {"name": "description", "content": "Public-sector innovation barometers of Denmark, Norway, "
                                                      "Sweden, Finland and Iceland, harmonised and compared."}],
    )
    app.layout = root_layout()
    app.renderer = first_paint.DEFERRED_RENDERER
    router.register(app)
    for page in pages():  # loads and checks every page package: a broken contract stops the start here
        if page.register_callbacks is not None:
            page.register_callbacks(app, page)
    install_guards(app, TITLE)
    server.extensions["callback_answers"] = install_callback_cache(
        app, db.data_version, code_version(), max_bytes=answer_bytes, failures=lambda: db.failures,
        shared=cache.cache if settings.redis_url else None, shared_timeout_s=settings.cache_timeout_s)
    install_http_cache(server, db.data_version, max_age_s=settings.http_max_age_s)
    headers = install_security_headers(server, app.csp_hashes())
    server.wsgi_app = PageAnswers(server.wsgi_app, db.data_version)  # type: ignore
    server.wsgi_app = StatePolls(server.wsgi_app, db, headers[False])  # type: ignore
    server.wsgi_app = Admission(server.wsgi_app, settings.admission_wait_ms / 1000, headers[False],  # type: ignore
                                settings.default_language)
    server.wsgi_app = ImmutableAnswers(server.wsgi_app)  # type: ignore
    server.after_request(_not_found_status)
    finish_setup(app)
    return app


def trust_proxies(server: flask.Flask, count: int) -> None:
    """Believe the X-Forwarded-For/-Proto/-Host/-Port headers of the ``count`` proxies nearest the app, so
    share links and QR codes name the address people reached (never more: anyone can send these headers)."""
    if count > 0:
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=count, x_proto=count, x_host=count,  # type: ignore
                                   x_port=count)


def finish_setup(app: Dash) -> None:
    """Run Dash's first-request setup now rather than lazily: it marks itself done before it has registered the
    component libraries, so under threaded workers requests arriving meanwhile failed with '"dash" is not a
    registered library'. (A test request context: no request is served and Flask's setup stays open.)"""
    with app.server.test_request_context("/"):
        app.server.preprocess_request()


def _not_found_status(response: flask.Response) -> flask.Response:
    """The page shell of an address that names no page says so in its status too (the page explains)."""
    path = flask.request.path
    if (response.status_code == 200 and response.mimetype == "text/html" and flask.request.blueprint is None
            and not path.startswith(("/_dash", "/assets", "/_reload", "/_favicon"))
            and parse_path(path).page is None):
        response.status_code = 404
    return response
