"""Third-party browser code served by the app itself (see README.md here: where it came from, how to update).

plotly.js: the *cartesian* partial bundle (bar, scatter, heatmap, error bars, shapes, image export) instead of
Dash's full bundle, a third of its size. It must be the plotly.js version the installed plotly package writes
figures for (``plotly.offline.get_plotlyjs_version()``); a test checks this.
"""

from __future__ import annotations

from pathlib import Path

# Dash fingerprints served files with their package's __version__: this is the vendored plotly.js version
__version__ = "4.1.1"

PLOTLY_JS = "plotly-cartesian.min.js"
# plotly.js's own texts (tool bar, messages) and date names per UI language: served after the bundle
# (app/web/bundles.py), so they load under the Content-Security-Policy. Danish and Icelandic are ours (plotly.js
# has no dictionary).
PLOTLY_LOCALE_FILES = ("plotly-locale-fi.js", "plotly-locale-no.js", "plotly-locale-sv.js", "plotly-locale-da-is.js")
# plotly.js locale name of each UI language (plotly's Norwegian is 'no')
PLOTLY_LOCALES = {"en": "en", "nb": "no", "da": "da", "sv": "sv", "fi": "fi", "is": "is"}

VENDOR_DIR = Path(__file__).resolve().parent


def plotly_files() -> list[Path]:
    """plotly.js, then its dictionaries (they register themselves with window.Plotly): in the order they run."""
    return [VENDOR_DIR / name for name in (PLOTLY_JS, *PLOTLY_LOCALE_FILES)]
