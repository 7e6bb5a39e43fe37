"""Everything the app factory installs for decks: the blueprints, and the CSP hashes of their inline scripts."""

from __future__ import annotations

from app import deck_pages, follow
from app.deck_api import deck_api

DECK_BLUEPRINTS = (deck_api, deck_pages.deck_pages, follow.follow)
DECK_SCRIPT_HASHES = (*deck_pages.SCRIPT_HASHES, *follow.SCRIPT_HASHES)
