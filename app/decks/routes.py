"""Everything the app factory installs for decks: their blueprints."""

from __future__ import annotations

from app.decks import follow
from app.decks import pages as deck_pages
from app.decks.api import deck_api

DECK_BLUEPRINTS = (deck_api, deck_pages.deck_pages, follow.follow)
