"""Every page of the app, declared once: its name, address, JSON endpoint and module (which names its view,
parameters and parser), and what each query parameter means.

The router, the URL helpers, the API and downloads, the toolbar, the page frame and the app factory all read
this registry, so adding a page means one module under app/pages and one entry here. A page's ``name`` is
public: the download file (/download/<name>.csv), the "page" field of its JSON and the element ids of its
toolbar carry it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, fields
from types import ModuleType
from typing import TYPE_CHECKING

from core.config import LANGUAGES

if TYPE_CHECKING:
    from app.params import Args, Known, Problem, View

# What each query parameter means (the API documentation lists a page's parameters from here).
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
    "nordic": "1 or 0: include the Nordic average (default 1)",
    "axis": "fit or full: value axis fitted to the data (default) or the whole 0-100% scale (chart only)",
    "source": "auto (default), published or survey: published figures and official statistics tables as bars "
              "(real numbers as printed, no CI), or the loaded waves' estimates; auto shows the published ones when "
              "every selected wave is demo data and they cover at least two selected countries",
}


@dataclass(frozen=True)
class Page:
    """One page. Its module has ``VIEW_CLASS`` (the dataclass of its parameters), ``parse(args, known)``,
    ``layout(ctx)`` and ``dataset(db, view, lang, known, url)``; ``present(ctx)`` when presentable,
    ``embed(ctx)`` when embeddable, and ``register_callbacks(app)`` when it has controls."""

    name: str
    api_description: str
    segment: str | None = None  # path segment after the language ("" for the language root); default: name
    api_endpoint: str | None = None  # /api/v1/<api_endpoint> returns the page's view as JSON; default: name
    module_name: str | None = None  # default: app.pages.<name with underscores>
    presentable: bool = False  # has a presentation mode (large, with a QR code)
    embeddable: bool = False  # has a frameable rendering (/embed/<lang>/<segment>)

    def __post_init__(self) -> None:
        defaults = {"segment": self.name, "api_endpoint": self.name,
                    "module_name": "app.pages." + self.name.replace("-", "_")}
        for attribute, default in defaults.items():
            if getattr(self, attribute) is None:
                object.__setattr__(self, attribute, default)

    @property
    def label_key(self) -> str:
        """i18n key of the page's name in the navigation and the window title."""
        return f"nav_{self.name}"

    @property
    def params(self) -> tuple[str, ...]:
        """The query parameters of the page (beyond lang and present): the fields of its view."""
        return tuple(f.name for f in fields(self.module().VIEW_CLASS))

    def parse(self, args: Args, known: Known) -> tuple[View, list[Problem]]:
        """The validated view of this page from its query parameters."""
        return self.module().parse(args, known)

    def module(self) -> ModuleType:
        """The module drawing the page (imported on first use: page modules import this registry)."""
        return importlib.import_module(self.module_name)


OVERVIEW = Page(
    name="overview", segment="", presentable=True,
    api_description="Headline share of innovative units per country (latest wave) and the published headline "
                    "figures.",
)
COMPARE = Page(
    name="compare", api_endpoint="estimates", presentable=True, embeddable=True,
    api_description="One indicator option across countries and waves for a level and sector, with 95% CI, n, "
                    "flags, sources and the Nordic average.",
)
PROFILE = Page(name="profile", presentable=True, embeddable=True,
               api_description="One country across its waves and sectors.")
TYPES_VALUES = Page(
    name="types-values", presentable=True, embeddable=True,
    api_description="Cross-tab of innovation type x value achieved for one wave (share of units with the type "
                    "whose latest innovation achieved the value).",
)
DATA = Page(
    name="data", api_endpoint="sources", module_name="app.pages.data_methods",
    api_description="Provenance of every wave: citation, licence, file, codebook, checksums, minimum cell size, "
                    "comparability notes.",
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
