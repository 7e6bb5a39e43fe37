"""Everything the app factory installs for decks: their blueprints."""

from __future__ import annotations

from app.decks import follow
from app.decks import pages as deck_pages
from app.decks.api import deck_api
from app.decks.pptx.routes import pptx_files

DECK_BLUEPRINTS = (deck_api, deck_pages.deck_pages, follow.follow, pptx_files)
