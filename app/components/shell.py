"""The page frame: skip link, header with navigation and language switcher, main landmark, footer."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from app.i18n import LANGUAGE_NAMES, t
from app.search.box import search_box
from app.site.registry import Page, home_page, methods_page, pages
from app.site.urls import page_path
from core.config import LANGUAGES


def lang_href(lang: str, page: Page | None, target: str | None) -> str:
    """The current view's address in another language (same parameters)."""
    search = ""
    if target and "?" in target:
        search = "?" + target.split("?", 1)[1]
    return page_path(page or home_page(), lang) + search


def spa_link(children: Any, href: str, *, class_name: str | None = None, link_id: str | None = None,
             current: str | None = None) -> html.A:
    """A link that navigates inside the app without reloading (assets/app.js), with full ARIA support."""
    attrs: dict[str, Any] = {"data-spa": "1"}
    if current:
        attrs["aria-current"] = current
    if link_id:
        attrs["id"] = link_id
    return html.A(children, href=href, className=class_name, **attrs)


def header(lang: str, page: Page | None, target: str | None) -> html.Header:
    """One row: the site's name, the pages as tabs (on wide screens), the slot of the search box, and a menu
    (a disclosure that works without scripts) with the languages and, on narrow screens, the pages."""
    tabs = html.Nav(html.Ul([
        html.Li(spa_link(p.label(lang), page_path(p, lang), class_name="nav-link", link_id=f"nav-{p.name}",
                         current="page" if p == page else None))
        for p in pages()
    ], className="nav-list"), className="site-nav", **{"aria-label": t(lang, "nav_label")})
    menu_pages = html.Nav(html.Ul([
        html.Li(spa_link(p.label(lang), page_path(p, lang), class_name="menu-link", link_id=f"menu-{p.name}",
                         current="page" if p == page else None))
        for p in pages()
    ], className="menu-list"), className="menu-pages", **{"aria-label": t(lang, "nav_label")})
    # each language by its code and its own name, both visible, so the visible text is the accessible name
    languages = html.Nav(html.Ul([
        html.Li(html.A([html.Span(code.upper(), className="lang-code"), " ", LANGUAGE_NAMES[code]],
                       href=lang_href(code, page, target), id={"type": "lang-link", "lang": code},
                       className="lang-link", lang=code, hrefLang=code,
                       **{"data-spa": "1", **({"aria-current": "true"} if code == lang else {})}))
        for code in LANGUAGES
    ], className="menu-list"), className="menu-langs", **{"aria-label": t(lang, "lang_label")})
    menu = html.Details([
        html.Summary([html.Span("☰", className="menu-icon", **{"aria-hidden": "true"}),
                      html.Span(t(lang, "menu"), className="menu-word"),
                      html.Span(t(lang, "lang_label"), className="menu-word-wide"), " ",
                      html.Span(lang.upper(), className="menu-lang")], className="menu-button"),
        html.Div([menu_pages, languages], className="menu-panel"),
    ], className="site-menu", id="site-menu")
    return html.Header([
        spa_link([html.Span("◩", className="brand-mark", **{"aria-hidden": "true"}),
                  html.Span(t(lang, "app_title"), className="brand-name"),
                  html.Span(t(lang, "app_title_short"), className="brand-short")],
                 page_path(home_page(), lang), class_name="brand"),
        tabs,
        html.Div(search_box(lang), className="header-search", id="header-search"),
        menu,
    ], className="site-header")


def footer(lang: str) -> html.Footer:
    methods = methods_page()
    return html.Footer([
        html.P([t(lang, "footer_data"), " ", spa_link(methods.label(lang), page_path(methods, lang)), "."]),
        html.P([t(lang, "footer_api"), " ", html.A("/api/v1", href="/api/v1", className="mono"), "."]),
    ], className="site-footer")


def frame(lang: str, page: Page | None, content: Any, *, target: str | None, present: bool = False,
          embed: bool = False) -> list[Any]:
    """The whole visible page; presentation and embed modes drop the chrome."""
    main = html.Main(content, id="main", tabIndex="-1",
                     className="main main-present" if present else ("main main-embed" if embed else "main"))
    stores = [dcc.Store(id="page-lang", data=lang),
              dcc.Store(id="page-title", data=(page.label(lang) if page else t(lang, "not_found_title"))
                        + " · " + t(lang, "app_title"))]
    if present or embed:
        return [*stores, main]
    skip = html.A(t(lang, "skip_link"), href="#main", className="skip-link")
    return [*stores, skip, header(lang, page, target), main, footer(lang)]
