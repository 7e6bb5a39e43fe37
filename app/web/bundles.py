"""The files of a visit as few requests: the app's styles in assets/ as one file, its scripts as another, and
the libraries the live page runs (Dash's dependencies and renderer, its HTML components, plotly.js with its
dictionaries, and the parts of Dash's core components every page draws first) as a third.

A visit of a shared link fetched 29 files. Each request costs a worker about the same whatever its size (HTTP
parsing, the hand-over to a thread, the access log: docs/performance.md, "Beyond one hall"), so under a crowd at
gunicorn alone the count, not the bytes, set how many visitors a minute the app serves. The concatenations are
made once, when the app is created, and served under /assets/ with their content digest as version (``?m=``),
so the HTTP cache, compression, the in-memory answers and nginx treat them as every other versioned file.

- The app's files keep the order Dash linked them in (by name): the cascade of the styles and the order of the
  scripts stay as they were. They are functions run at once, each in its own scope, and none reads
  ``document.currentScript``.
- The libraries keep the order Dash linked them in, except Dash's core components (dcc), which stay their own
  file at Dash's address: dcc finds its lazily loaded parts from its script's address. The parts it loads for
  every page (the graph and the dropdown) and its shared part are webpack chunks that register themselves in a
  global list, which dcc reads when it starts, so they come in the bundle before it and are never fetched. A
  file that declares strict mode for itself (these chunks) is wrapped in a function so that it keeps it and
  does not impose it on the others.
- The site's icon (assets/icon.svg) is written into the page as a data address, instead of Dash's icon file.
- Dash's script tags for what the bundles carry are taken out of the page (``without_bundled``); the files are
  still served at their own addresses (deck documents link deck.js; the offline deck inlines plotly.js). Dash's
  DataTable loader goes too: no page has a table component.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import dash
import flask
from dash import _dash_renderer, dcc, html
from dash.fingerprint import check_fingerprint
from flask import Blueprint, Response

from app import vendor

BUNDLES = "bundles"  # the app's extension holding its Bundles
URL_PATH = "/assets/bundles/"  # under /assets/: cached, compressed and kept in memory like every static file
# Dash links none of the files of assets/ itself (its assets_ignore): the bundles carry them
ASSETS_IGNORE = r"\.(css|js)$"
APP_STYLES = "app.css"
APP_SCRIPTS = "app.js"
ICON = "icon.svg"
LIBRARIES = "dash-renderer-libraries.js"  # Dash checks that a page links a script named after its renderer
DASH_DIR = Path(dash.__file__).resolve().parent
DCC_MAIN = "dcc/dash_core_components.js"  # stays Dash's own file: its chunks are found from its address
DCC_FIRST_CHUNKS = ("dcc/async-graph.js", "dcc/async-dropdown.js")  # the components every page draws first
UNUSED = ("dash_table/bundle.js",)  # linked by Dash on every page, used by none of the app's
# Between scripts: a file ending without a semicolon must not run into the next one's opening parenthesis
SCRIPT_SEPARATOR = b"\n;\n"
STYLE_SEPARATOR = b"\n"
MIMETYPES = {".css": "text/css", ".js": "text/javascript"}
STRICT_PROLOGUE = re.compile(rb'^(?:\s|/\*.*?\*/|//[^\n]*\n)*["\']use strict["\']', re.S)
DASH_SCRIPT_TAG = re.compile(r'<script src="[^"]*/_dash-component-suites/dash/([^"]+)"></script>\n?')


@dataclass(frozen=True)
class Bundle:
    """One file made of several, in their order."""

    name: str
    body: bytes
    version: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "version", hashlib.sha256(self.body).hexdigest()[:16])

    @property
    def url(self) -> str:
        return f"{URL_PATH}{self.name}?m={self.version}"

    @property
    def mimetype(self) -> str:
        return MIMETYPES[Path(self.name).suffix]


def script_part(path: Path) -> bytes:
    """A script as it goes into a bundle: one that declares strict mode for itself keeps it, in a function."""
    text = path.read_bytes().rstrip()
    return b"(function () {\n" + text + b"\n})();" if STRICT_PROLOGUE.match(text) else text


def concatenated(name: str, paths: Iterable[Path]) -> Bundle:
    if name.endswith(".js"):
        return Bundle(name, SCRIPT_SEPARATOR.join(script_part(path) for path in paths) + b"\n")
    return Bundle(name, STYLE_SEPARATOR.join(path.read_bytes().rstrip() for path in paths) + b"\n")


def asset_files(folder: Path, suffix: str) -> list[Path]:
    """The files Dash would have linked, in its order (sorted by name; assets/ has no subfolders of code)."""
    return sorted((path for path in folder.iterdir() if path.is_file() and path.suffix == suffix),
                  key=lambda path: path.name)


def linked_files(distribution: list[dict]) -> list[str]:
    """The files of one of Dash's script lists that it links in a page (not its lazily loaded or map files)."""
    return [entry["relative_package_path"] for entry in distribution
            if isinstance(entry.get("relative_package_path"), str) and entry.get("namespace") == "dash"
            and not entry.get("dynamic") and not entry.get("async") and entry["relative_package_path"].endswith(".js")]


def dash_library_files() -> tuple[list[str], list[str]]:
    """Dash's files the libraries bundle carries (paths in the dash package), in the order Dash links them, as
    its dependencies (React: plotly.js follows them) and the rest, the core components' chunks last (dcc itself
    follows the bundle). A file a future Dash no longer has is left out: Dash's own tag for it stays then."""
    dependencies = [path for entry in _dash_renderer._js_dist_dependencies
                    for path in entry["relative_package_path"]["prod"]]
    chunks = [path for path in linked_files(dcc._js_dist) if path != DCC_MAIN] + list(DCC_FIRST_CHUNKS)
    rest = [*linked_files(_dash_renderer._js_dist), *linked_files(html._js_dist), *chunks]
    return ([path for path in dependencies if (DASH_DIR / path).is_file()],
            [path for path in rest if (DASH_DIR / path).is_file()])


@dataclass(frozen=True)
class Bundles:
    """The three files a page of the app links instead of the single ones."""

    styles: Bundle
    scripts: Bundle
    libraries: Bundle
    dash_files: tuple[str, ...]  # Dash's files the libraries carry
    icon_link: str  # the <link> of the site's icon, as a data address ("" without one: Dash's is linked)

    def by_name(self) -> dict[str, Bundle]:
        return {bundle.name: bundle for bundle in (self.styles, self.scripts, self.libraries)}

    def without_bundled(self, scripts: str) -> str:
        """Dash's script tags with those of the files the bundles carry (and of the unused ones) taken out."""
        replaced = {*self.dash_files, *UNUSED}

        def keep(tag: re.Match[str]) -> str:
            folder, _, name = tag[1].rpartition("/")
            return "" if f"{folder}/{check_fingerprint(name)[0]}" in replaced else tag[0]
        return DASH_SCRIPT_TAG.sub(keep, scripts)


def build_bundles(assets_folder: Path) -> Bundles:
    dependencies, rest = dash_library_files()
    return Bundles(
        styles=concatenated(APP_STYLES, asset_files(assets_folder, ".css")),
        scripts=concatenated(APP_SCRIPTS, asset_files(assets_folder, ".js")),
        # plotly.js and its dictionaries after React (as Dash linked it) and before the renderer
        libraries=concatenated(LIBRARIES, [*(DASH_DIR / path for path in dependencies), *vendor.plotly_files(),
                                           *(DASH_DIR / path for path in rest)]),
        dash_files=(*dependencies, *rest),
        icon_link=icon_link(assets_folder / ICON),
    )


def icon_link(path: Path) -> str:
    """The icon in the page itself: one request fewer per visit (the content security policy allows data:
    images)."""
    if not path.is_file():
        return ""
    svg = " ".join(path.read_text(encoding="utf-8").split())
    return f'<link rel="icon" type="image/svg+xml" href="data:image/svg+xml,{quote(svg, safe=" =:/")}">'


def bundles_blueprint(bundles: Bundles) -> Blueprint:
    """Serves each bundle at its address; any ``?m=`` gets the current body, as Dash does for /assets/ (an old
    page after a deployment then still works)."""
    blueprint = Blueprint("bundles", __name__)
    served = bundles.by_name()

    @blueprint.get(f"{URL_PATH}<name>")
    def bundle(name: str) -> Response:
        found = served.get(name)
        if found is None:
            flask.abort(404)
        return Response(found.body, mimetype=found.mimetype)

    return blueprint
