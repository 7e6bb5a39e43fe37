"""Everything the app factory installs for decks: their blueprints."""

from __future__ import annotations

from app import deck_pages, follow
from app.deck_api import deck_api

DECK_BLUEPRINTS = (deck_api, deck_pages.deck_pages, follow.follow)
