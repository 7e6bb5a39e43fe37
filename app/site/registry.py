"""Every page of the app, as a typed contract: a page is one package under app/pages and one line here.

A page package's ``__init__`` defines ``PAGE``, a :class:`Page` naming everything the app does with the page:
its address and JSON endpoint, the dataclass of its URL parameters and their parser, its layout, its records
(API and downloads), and, when it has them, its presentation mode, embed, slide and Dash callbacks. The router,
the URL helpers, the API and downloads, the navigation, the toolbar, decks and the app factory read the pages
from here; none of them names a page. The registry checks the contract when the pages are first loaded, so a
page that promises something it does not provide stops the app at start-up, not in front of a visitor.

A page's ``name`` is public: the download file (/download/<name>.csv), the "page" field of its JSON and the
element ids of its toolbar carry it.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.i18n import t
from core.config import LANGUAGES

if TYPE_CHECKING:
    from dash import Dash

    from app.data.db import Database
    from app.site.page_context import PageContext
    from app.site.params import Args, Known, Problem

# The page packages, in navigation order.
PAGE_PACKAGES: tuple[str, ...] = (
    "app.pages.overview",
    "app.pages.compare",
    "app.pages.profile",
    "app.pages.types_values",
    "app.pages.data_methods",
)

# What each shared query parameter means (the API documentation lists a page's parameters from here and from
# the page's own ``parameter_doc``).
PARAMETER_DOC: dict[str, str] = {
    "lang": f"UI language of labels: one of {', '.join(LANGUAGES)} (default en)",
    "indicator": "harmonised indicator code (see /api/v1/reference), e.g. innovative, innovation_type, value",
    "option": "option code of the indicator, e.g. yes, service, quality",
    "countries": "comma-separated country codes: DK,NO,SE,FI,IS (default: every country with data)",
    "country": "one country code",
    "waves": "comma-separated wave keys (see /api/v1/waves), or 'latest' (default) or 'all'",
    "wave": "one wave key",
    "level": "government level: all, municipal, regional, state (default all)",
    "sector": "harmonised sector code (default all)",
    "chart": "bar or dot (presentation only)",
    "display": "chart or table (presentation only)",
    "axis": "fit or full: value axis fitted to the data (default) or the whole 0-100% scale (chart only)",
}

_SEGMENT = re.compile(r"^[a-z0-9-]*$")


class PageContractError(TypeError):
    """A page package that does not keep the contract (named in the message, with what is wrong)."""


@dataclass(frozen=True, eq=False)  # compared by identity: one object per page
class Page:
    """One page and everything the app does with it.

    - ``view_class``: a dataclass of the page's URL parameters with ``query() -> dict[str, str]``;
      ``parse(args, known) -> (view, problems)`` reads it from a query and never raises.
    - ``layout(ctx)``: the page; ``dataset(db, view, lang, known, url)``: its records (JSON, CSV, XLSX, Cite).
    - ``present(ctx)`` / ``embed(ctx)``: presentation mode and the frameable rendering, when the page has them.
    - ``results(db, known, view, lang)``: the chart and table of a view (offline decks draw its figure);
      ``slide(request)``: what a slide of a view shows (app/components/slide.py). A page with a slide can be
      added to decks, followed on phones and carried offline.
    - ``register_callbacks(app, page)``: the page's Dash callbacks.
    """

    name: str
    view_class: type
    parse: Callable[[Args, Known], tuple[Any, list[Problem]]]
    layout: Callable[[PageContext], Any]
    dataset: Callable[[Database, Any, str, Known, str], Any]
    api_description: str
    segment: str | None = None  # path segment after the language ("" for the language root); default: name
    api_endpoint: str | None = None  # /api/v1/<api_endpoint> returns the page's view as JSON; default: name
    present: Callable[[PageContext], Any] | None = None
    embed: Callable[[PageContext], Any] | None = None
    results: Callable[..., Any] | None = None
    slide: Callable[..., Any] | None = None
    register_callbacks: Callable[[Dash, Page], None] | None = None
    parameter_doc: Mapping[str, str] = field(default_factory=dict)  # the page's own parameters, beyond PARAMETER_DOC
    parameter_schema: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # their JSON Schemas (OpenAPI)
    labels: Mapping[str, str] = field(default_factory=dict)  # name per language; default: i18n key nav_<name>
    home: bool = False  # the language root and the brand link's page
    methods: bool = False  # the page the footer names for sources and methods
    api_rank: int = 50  # place in the API documentation (lowest first)

    def __post_init__(self) -> None:
        if self.segment is None:
            object.__setattr__(self, "segment", self.name)
        if self.api_endpoint is None:
            object.__setattr__(self, "api_endpoint", self.name)

    @property
    def label_key(self) -> str:
        """i18n key of the page's name in the navigation and the window title."""
        return f"nav_{self.name}"

    def label(self, lang: str) -> str:
        """The page's name in ``lang`` (navigation, window title)."""
        return self.labels.get(lang) or self.labels.get("en") or t(lang, self.label_key)

    @property
    def presentable(self) -> bool:
        return self.present is not None

    @property
    def embeddable(self) -> bool:
        return self.embed is not None

    @property
    def slideable(self) -> bool:
        return self.slide is not None

    @property
    def params(self) -> tuple[str, ...]:
        """The query parameters of the page (beyond lang and present): the fields of its view."""
        return tuple(f.name for f in dataclasses.fields(self.view_class))

    def parameter_docs(self) -> dict[str, str]:
        """What each of the page's parameters means, ``lang`` first."""
        docs = {**PARAMETER_DOC, **self.parameter_doc}
        return {name: docs.get(name, name) for name in ("lang", *self.params)}


def check_contract(page: Any, package: str) -> Page:
    """``page`` when it keeps the contract, else PageContractError naming the package and what is wrong."""
    def wrong(problem: str) -> PageContractError:
        return PageContractError(f"page package {package}: {problem}")

    if not isinstance(page, Page):
        raise wrong("PAGE is not an app.site.registry.Page")
    if not dataclasses.is_dataclass(page.view_class) or not callable(getattr(page.view_class, "query", None)):
        raise wrong("view_class must be a dataclass with a query() method")
    for name in ("parse", "layout", "dataset"):
        if not callable(getattr(page, name)):
            raise wrong(f"{name} is not callable")
    for name in ("present", "embed", "results", "slide", "register_callbacks"):
        value = getattr(page, name)
        if value is not None and not callable(value):
            raise wrong(f"{name} is neither a function nor None")
    if page.slide is not None and page.results is None:
        raise wrong("a page with a slide also gives its results (offline decks draw its figure)")
    if not _SEGMENT.match(page.segment or "") or not re.match(r"^[a-z][a-z0-9-]*$", page.name):
        raise wrong(f"name {page.name!r} and segment {page.segment!r} must be lower-case words joined by '-'")
    return page


def _unique(pages: Iterable[Page]) -> None:
    pages = list(pages)
    for attribute in ("name", "segment", "api_endpoint"):
        values = [getattr(p, attribute) for p in pages]
        twice = sorted({v for v in values if values.count(v) > 1})
        if twice:
            raise PageContractError(f"two pages share the {attribute} {twice[0]!r}")
    for role in ("home", "methods"):
        holders = [p.name for p in pages if getattr(p, role)]
        if len(holders) != 1:
            raise PageContractError(f"exactly one page must be the {role} page, not {holders or 'none'}")


class _Registry:
    """The loaded pages (imported on first use: page packages import this module)."""

    def __init__(self, packages: tuple[str, ...]) -> None:
        self.packages = packages
        self._pages: tuple[Page, ...] | None = None

    def pages(self) -> tuple[Page, ...]:
        if self._pages is None:
            loaded = tuple(check_contract(getattr(importlib.import_module(name), "PAGE", None), name)
                           for name in self.packages)
            _unique(loaded)
            self._pages = loaded
        return self._pages


_registry = _Registry(PAGE_PACKAGES)


def use_pages(packages: tuple[str, ...]) -> tuple[str, ...]:
    """Serve the pages of ``packages`` from now on (in this order); returns the packages served before."""
    global _registry
    before = _registry.packages
    _registry = _Registry(tuple(packages))
    return before


def pages() -> tuple[Page, ...]:
    """Every page, in navigation order (checked against the contract on first use)."""
    return _registry.pages()


def home_page() -> Page:
    return next(p for p in pages() if p.home)


def methods_page() -> Page:
    return next(p for p in pages() if p.methods)


def api_order() -> tuple[Page, ...]:
    """The pages in the order of the API documentation (the main endpoint first)."""
    return tuple(sorted(pages(), key=lambda p: p.api_rank))


def slide_pages() -> tuple[Page, ...]:
    """The pages whose views a slide can show."""
    return tuple(p for p in pages() if p.slideable)


def page_named(name: str) -> Page | None:
    """The page called ``name`` (as in /download/<name>.csv), if any."""
    return next((p for p in pages() if p.name == name), None)


def page_at(segment: str) -> Page | None:
    """The page whose address has ``segment`` after the language, if any."""
    return next((p for p in pages() if p.segment == segment), None)


def page_of_endpoint(endpoint: str) -> Page | None:
    """The page whose view /api/v1/<endpoint> returns, if any."""
    return next((p for p in pages() if p.api_endpoint == endpoint), None)
