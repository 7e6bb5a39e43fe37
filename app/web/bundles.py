"""The small files of a visit as few requests: the app's styles in assets/ as one file, its scripts as another,
and plotly.js with its dictionaries as a third.

A visit of a shared link fetched 29 files. Each request costs a worker about the same whatever its size (HTTP
parsing, the hand-over to a thread, the access log: docs/performance.md, "Beyond one hall"), so under a crowd at
gunicorn alone the count, not the bytes, set how many visitors a minute the app serves. The concatenations are
made once, when the app is created, in the order Dash loaded the single files (alphabetical: the cascade of the
styles and the order of the scripts stay as they were), and served under /assets/ with their content digest as
version (``?m=``), so the HTTP cache, compression, the in-memory answers and nginx treat them as every other
versioned static file. The single files are still served at their own addresses (deck documents link deck.js;
the offline deck inlines fit-chart.js and plotly.js).

The app's scripts are functions run at once, each in its own scope: none reads ``document.currentScript``, so
sharing a file changes nothing for them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import flask
from flask import Blueprint, Response

from app import vendor

URL_PATH = "/assets/bundles/"  # under /assets/: cached, compressed and kept in memory like every static file
# Dash links none of the files of assets/ itself (its assets_ignore): the bundles carry them
ASSETS_IGNORE = r"\.(css|js)$"
APP_STYLES = "app.css"
APP_SCRIPTS = "app.js"
PLOTLY = "plotly.js"
# Between scripts: a file ending without a semicolon must not run into the next one's opening parenthesis
SCRIPT_SEPARATOR = b"\n;\n"
STYLE_SEPARATOR = b"\n"
MIMETYPES = {".css": "text/css", ".js": "text/javascript"}


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


def concatenated(name: str, paths: Iterable[Path]) -> Bundle:
    separator = SCRIPT_SEPARATOR if name.endswith(".js") else STYLE_SEPARATOR
    return Bundle(name, separator.join(path.read_bytes().rstrip() for path in paths) + b"\n")


@dataclass(frozen=True)
class Bundles:
    """The three files a page of the app links instead of the single ones."""

    styles: Bundle
    scripts: Bundle
    plotly: Bundle

    def by_name(self) -> dict[str, Bundle]:
        return {bundle.name: bundle for bundle in (self.styles, self.scripts, self.plotly)}


def asset_files(folder: Path, suffix: str) -> list[Path]:
    """The files Dash would have linked, in its order (sorted by name; assets/ has no subfolders of code)."""
    return sorted((path for path in folder.iterdir() if path.is_file() and path.suffix == suffix),
                  key=lambda path: path.name)


def build_bundles(assets_folder: Path) -> Bundles:
    vendor_dir = Path(vendor.__file__).resolve().parent
    return Bundles(
        styles=concatenated(APP_STYLES, asset_files(assets_folder, ".css")),
        scripts=concatenated(APP_SCRIPTS, asset_files(assets_folder, ".js")),
        # the locale dictionaries register themselves with window.Plotly: after the bundle that defines it
        plotly=concatenated(PLOTLY, [vendor_dir / name for name in (vendor.PLOTLY_JS, *vendor.PLOTLY_LOCALE_FILES)]),
    )


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
