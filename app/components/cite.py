"""The "Cite" and "Use it from code" boxes of a view: APA and BibTeX text, and pandas and R snippets that load
the view's data from its CSV download and its JSON API address."""

from __future__ import annotations

from typing import Any

from dash import html

from app.components.ui import copy_button
from app.exports.datasets import Dataset
from app.exports.snippets import pandas_snippet, r_snippet
from app.i18n import t
from app.site.params import View
from app.site.registry import Page
from app.site.request import public_base
from app.site.urls import api_url, download_url


def _copyable(text: str, ident: str, lang: str, label_key: str) -> list[Any]:
    return [html.H3(t(lang, label_key), className="cite-heading"),
            # citations and code are written once, in English (APA convention, code): marked as such
            html.Div([html.Pre(html.Code(text), id=ident, className="cite-text", lang="en"),
                      copy_button(lang, "cite_copy")],
                     className="cite-block")]


REFERENCE_FILES = (("bib", "cite_file_bib"), ("ris", "cite_file_ris"), ("csl.json", "cite_file_csl"))


def cite_box(page: Page, lang: str, dataset: Dataset) -> html.Details:
    """APA and BibTeX for the view: the same text as its JSON ('citation') and its XLSX 'about' sheet; and the
    same reference as files a reference manager imports (BibTeX, RIS, CSL-JSON)."""
    citation = dataset.citation(public_base())
    name = page.name
    files = [html.Li(html.A(t(lang, key), href=download_url(page, fmt, dataset.view, dataset.lang), download="",
                            id=f"{name}-cite-{fmt.replace('.', '-')}")) for fmt, key in REFERENCE_FILES]
    return html.Details([
        html.Summary(t(lang, "cite_title")),
        html.P(t(lang, "cite_intro")),
        *_copyable(citation.apa, f"{name}-cite-apa", lang, "cite_apa"),
        *_copyable(citation.bibtex, f"{name}-cite-bibtex", lang, "cite_bibtex"),
        html.H3(t(lang, "cite_files"), className="cite-heading"),
        html.Ul(files, className="cite-files"),
    ], className="cite-details", id=f"{name}-cite")


def code_box(page: Page, lang: str, view: View, *, open_: bool = False) -> html.Details:
    """pandas and R code that load the view from its CSV and API addresses."""
    base = public_base()
    csv, api = base + download_url(page, "csv", view, lang), base + api_url(page, view, lang)
    return html.Details([
        html.Summary(t(lang, "code_title")),
        html.P(t(lang, "code_intro")),
        *_copyable(pandas_snippet(csv, api), f"{page.name}-code-pandas", lang, "code_pandas"),
        *_copyable(r_snippet(csv, api), f"{page.name}-code-r", lang, "code_r"),
    ], className="cite-details", id=f"{page.name}-code", open=open_)


def cite_and_code(page: Page, lang: str, dataset: Dataset) -> html.Div:
    """Both boxes, under a view's toolbar."""
    return html.Div([cite_box(page, lang, dataset), code_box(page, lang, dataset.view)], className="cite-panel")
