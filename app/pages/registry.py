"""Every page of the app, declared once: its name, address, parameters, parser, JSON endpoint and module.

The router, the URL helpers, the API and downloads, the toolbar, the page frame and the app factory all read
this registry, so adding a page means one module under app/pages and one entry here. A page's ``name`` is
public: the download file (/download/<name>.csv), the "page" field of its JSON and the element ids of its
toolbar carry it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, fields
from types import ModuleType

from app.params import (
    Args,
    CompareView,
    EmptyView,
    Known,
    Problem,
    ProfileView,
    TypesValuesView,
    View,
    parse_compare,
    parse_empty,
    parse_profile,
    parse_types_values,
)

Parser = Callable[[Args, Known], tuple[View, list[Problem]]]


@dataclass(frozen=True)
class Page:
    """One page. Its module has ``layout(ctx)`` and ``dataset(db, view, lang, known, url)``; ``present(ctx)``
    when presentable, ``embed(ctx)`` when embeddable, and ``register_callbacks(app)`` when it has controls."""

    name: str
    segment: str  # path segment after the language ("" for the language root)
    view_class: type[View]
    parser: Parser
    api_endpoint: str  # /api/v1/<api_endpoint> returns the page's view as JSON
    api_description: str
    module_name: str
    presentable: bool = False  # has a presentation mode (large, with a QR code)
    embeddable: bool = False  # has a frameable rendering (/embed/<lang>/<segment>)

    @property
    def label_key(self) -> str:
        """i18n key of the page's name in the navigation and the window title."""
        return f"nav_{self.name}"

    @property
    def params(self) -> tuple[str, ...]:
        """The query parameters of the page (beyond lang and present): the fields of its view."""
        return tuple(f.name for f in fields(self.view_class))

    def parse(self, args: Args, known: Known) -> tuple[View, list[Problem]]:
        """The validated view of this page from its query parameters."""
        return self.parser(args, known)

    def module(self) -> ModuleType:
        """The module drawing the page (imported on first use: page modules import this registry)."""
        return importlib.import_module(self.module_name)


OVERVIEW = Page(
    name="overview", segment="", view_class=EmptyView, parser=parse_empty, api_endpoint="overview",
    api_description="Headline share of innovative units per country (latest wave) and the published headline "
                    "figures.",
    module_name="app.pages.overview", presentable=True,
)
COMPARE = Page(
    name="compare", segment="compare", view_class=CompareView, parser=parse_compare, api_endpoint="estimates",
    api_description="One indicator option across countries and waves for a level and sector, with 95% CI, n, "
                    "flags, sources and the Nordic average.",
    module_name="app.pages.compare", presentable=True, embeddable=True,
)
PROFILE = Page(
    name="profile", segment="profile", view_class=ProfileView, parser=parse_profile, api_endpoint="profile",
    api_description="One country across its waves and sectors.",
    module_name="app.pages.profile", presentable=True, embeddable=True,
)
TYPES_VALUES = Page(
    name="types-values", segment="types-values", view_class=TypesValuesView, parser=parse_types_values,
    api_endpoint="types-values",
    api_description="Cross-tab of innovation type x value achieved for one wave (share of units with the type "
                    "whose latest innovation achieved the value).",
    module_name="app.pages.types_values", presentable=True, embeddable=True,
)
DATA = Page(
    name="data", segment="data", view_class=EmptyView, parser=parse_empty, api_endpoint="sources",
    api_description="Provenance of every wave: citation, licence, file, codebook, checksums, minimum cell size, "
                    "comparability notes.",
    module_name="app.pages.data_methods",
)

# Navigation order.
PAGES: tuple[Page, ...] = (OVERVIEW, COMPARE, PROFILE, TYPES_VALUES, DATA)
HOME = OVERVIEW  # the language root, and the page of the brand link
METHODS = DATA  # the page the footer points to for sources and methods
# The order of the API documentation: the main endpoint first.
API_ORDER: tuple[Page, ...] = (COMPARE, PROFILE, TYPES_VALUES, OVERVIEW, DATA)


def page_named(name: str) -> Page | None:
    """The page called ``name`` (as in /download/<name>.csv), if any."""
    return next((p for p in PAGES if p.name == name), None)


def page_at(segment: str) -> Page | None:
    """The page whose address has ``segment`` after the language, if any."""
    return next((p for p in PAGES if p.segment == segment), None)


def page_of_endpoint(endpoint: str) -> Page | None:
    """The page whose view /api/v1/<endpoint> returns, if any."""
    return next((p for p in PAGES if p.api_endpoint == endpoint), None)
