"""'Add to deck' on a view's toolbar: the view on screen, with an optional caption, goes into this browser's
deck (a new one, whose presenter link is then shown once, when it has none). assets/deck.js does the sending."""

from __future__ import annotations

from dash import dcc, html

from app.i18n import t
from app.site.registry import Page


def add_to_deck(page: Page, lang: str) -> html.Details:
    caption_id = f"{page.name}-deck-caption"
    return html.Details([
        html.Summary(t(lang, "deck_add"), className="button button-quiet", id=f"{page.name}-deck-open"),
        html.Label(t(lang, "deck_add_caption"), htmlFor=caption_id, className="field-hint"),
        dcc.Input(id=caption_id, type="text", maxLength=500, className="deck-caption", debounce=True),
        html.Button(t(lang, "deck_add_confirm"), type="button", className="button deck-add-button",
                    id=f"{page.name}-deck-add",
                    **{"data-lang": lang, "data-added": t(lang, "deck_added"), "data-open": t(lang, "deck_open"),
                       "data-failed": t(lang, "deck_failed"), "data-limited": t(lang, "deck_limited")}),
        html.P(className="deck-status", role="status", id=f"{page.name}-deck-status"),
    ], className="deck-add")
