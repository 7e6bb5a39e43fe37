"""The header's search box: an ARIA combobox (a text field that owns a list box of results). assets/search.js
gives the field its combobox role and states (Dash's text field takes no ARIA attributes), asks /api/v1/search as
the visitor types, lists the views it answers (title and one-line answer), moves through them with the arrow keys
and opens the chosen one (or the first) on Enter."""

from __future__ import annotations

from dash import dcc, html

from app.i18n import t

INPUT_ID = "site-search-input"
LIST_ID = "site-search-list"
STATUS_ID = "site-search-status"


def search_box(lang: str) -> html.Div:
    """The search field, its (empty) list box and a polite live region saying how many views were found."""
    return html.Div([
        html.Label(t(lang, "search_label"), htmlFor=INPUT_ID, className="visually-hidden"),
        dcc.Input(id=INPUT_ID, type="text", autoComplete="off", spellCheck="false",
                  placeholder=t(lang, "search_placeholder"), className="search-input"),
        html.Span(t(lang, "search_help"), id=f"{INPUT_ID}-help", className="visually-hidden"),
        html.Ul(id=LIST_ID, role="listbox", className="search-list", hidden=True,
                **{"aria-label": t(lang, "search_results_label")}),
        html.Div(id=STATUS_ID, role="status", className="visually-hidden", **{"aria-live": "polite"}),
    ], className="site-search", role="search",
        **{"aria-label": t(lang, "search_label"), "data-lang": lang, "data-found": t(lang, "search_found"),
           "data-none": t(lang, "search_none")})
