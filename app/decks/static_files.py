"""The decks' own CSS and JavaScript (app/decks/static/): read once, then inlined where a page needs them inline
(the plain deck pages allow their one inline script by its CSP hash; the offline deck makes no request)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"

# the deck page and the presenter entry load the dashboard's deck script for the browser storage it keeps
# (window.barometerDecks: every storage name is spelled in that file only)
DECK_JS_URL = "/assets/deck.js"


@cache  # the files do not change while a worker runs
def static_text(name: str) -> str:
    """The text of app/decks/static/``name``."""
    return (STATIC_DIR / name).read_text(encoding="utf-8")
