"""The "Cite" and "Use it from code" boxes of a view: APA and BibTeX text, and pandas and R snippets that load
the view's data from its CSV download and its JSON API address."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from dash import dcc, html

from app.citation import cite_view
from app.components.qr import public_base
from app.components.toolbar import api_url, download_url
from app.i18n import t
from app.params import View, view_url
from app.snippets import pandas_snippet, r_snippet


def _copyable(text: str, ident: str, lang: str, label_key: str) -> list[Any]:
    return [html.H3(t(lang, label_key), className="cite-heading"),
            html.Div([html.Pre(html.Code(text), id=ident, className="cite-text"),
                      dcc.Clipboard(target_id=ident, title=t(lang, "cite_copy"), className="copy-button")],
                     className="cite-block")]


def cite_box(page: str, lang: str, view: View, title: str, records: Iterable[Mapping[str, Any]]) -> html.Details:
    """APA and BibTeX for the view: the same text as its JSON ('citation') and its XLSX 'about' sheet."""
    citation = cite_view(title, records, public_base() + view_url(page, lang, view))
    return html.Details([
        html.Summary(t(lang, "cite_title")),
        html.P(t(lang, "cite_intro")),
        *_copyable(citation.apa, f"{page}-cite-apa", lang, "cite_apa"),
        *_copyable(citation.bibtex, f"{page}-cite-bibtex", lang, "cite_bibtex"),
    ], className="cite-details", id=f"{page}-cite")


def code_box(page: str, lang: str, view: View, *, open_: bool = False) -> html.Details:
    """pandas and R code that load the view from its CSV and API addresses."""
    base = public_base()
    csv, api = base + download_url(page, "csv", view, lang), base + api_url(page, view, lang)
    return html.Details([
        html.Summary(t(lang, "code_title")),
        html.P(t(lang, "code_intro")),
        *_copyable(pandas_snippet(csv, api), f"{page}-code-pandas", lang, "code_pandas"),
        *_copyable(r_snippet(csv, api), f"{page}-code-r", lang, "code_r"),
    ], className="cite-details", id=f"{page}-code", open=open_)


def cite_and_code(page: str, lang: str, view: View, title: str, records: Iterable[Mapping[str, Any]]) -> html.Div:
    """Both boxes, under a view's toolbar."""
    return html.Div([cite_box(page, lang, view, title, records), code_box(page, lang, view)], className="cite-panel")
