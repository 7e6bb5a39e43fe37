"""A shared link shows its page from the document (app/web/first_paint.py): the chart as the server's drawing and
the controls as copies, with no script of Dash or plotly fetched until the visitor does something or the page has
been idle a while; the live page that takes over puts every part of the page where the first paint had it,
without asking for the layout or the figure again, with the content security policy on."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import hold_first_paint, live

pytestmark = pytest.mark.browser

# the survey estimates (demo waves); the default would be the published figures
LINK = ("/en/compare?indicator=innovative&option=yes&countries=DK,NO,SE,FI,IS&waves=latest&level=all&sector=all"
        "&source=survey")
HELD = ("/_dash-component-suites/", "/assets/bundles/dash-renderer-libraries.js")  # Dash's and plotly's bundles
# every file a visit fetches besides its document and callbacks (app/web/bundles.py): the app's styles and
# scripts, the libraries (with the graph's and the dropdown's parts of Dash's core components), those core
# components, and Dash's list of callbacks
VISIT_FILES = ["/assets/bundles/app.css", "/assets/bundles/app.js", "/assets/bundles/dash-renderer-libraries.js",
               "/_dash-component-suites/dash/dcc/dash_core_components.js", "/_dash-dependencies"]
SIZES = [(1366, 768), (390, 844)]
# the parts of a page, in the first paint and in the live page
PARTS = ("header", "#main h1", ".page-top", ".view-subtitle", ".notice-line", ".graph", ".side-panel", ".field",
         "fieldset", ".dash-dropdown", ".dash-options-list label", ".share-box", ".toolbar", ".table-scroll",
         "footer")
PLACES = """([root, parts]) => parts.flatMap(part => [...document.querySelectorAll(`${root} ${part}`)].map(el => {
  const box = el.getBoundingClientRect();
  return [part, Math.round(box.left + scrollX), Math.round(box.top + scrollY), Math.round(box.width),
          Math.round(box.height)]; }))"""
VIEWS = {
    "compare": LINK,
    "compare-table": LINK + "&display=table",
    "profile": "/fi/profile?country=FI",
    "types-values": "/en/types-values",
    "overview": "/en/",
}


@pytest.mark.parametrize("size", SIZES)
def test_the_first_paint_shows_the_view_before_any_script_of_dash_or_plotly(browser, live_server: str,
                                                                           size: tuple[int, int]) -> None:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, base_url=live_server)
    try:
        page = context.new_page()
        sent: list[str] = []
        page.on("request", lambda r: sent.append(r.url))
        page.goto(LINK)
        page.wait_for_load_state("load")
        assert page.locator("#first-paint h1.view-title").inner_text().startswith("Share of public workplaces")
        drawing = page.locator("#first-paint .graph svg[role=img]")
        assert drawing.locator(":scope > title").text_content().startswith("Share of public workplaces")
        assert "Denmark 2021-23" in drawing.locator("desc").text_content()  # every value, for screen readers
        box, plot = page.locator("#first-paint .graph").bounding_box(), drawing.bounding_box()
        assert plot["width"] > 200 and box["y"] <= plot["y"] and plot["y"] + plot["height"] <= box["y"] + box["height"]
        # the controls as they will be, with the view's choices, not yet usable
        assert page.locator("#first-paint #cmp-countries input:checked").count() == 5
        assert page.locator("#first-paint #cmp-source input[value=survey]").is_checked()
        assert page.locator("#first-paint #cmp-indicator").is_disabled()
        # the address bar names the view's canonical address already
        assert page.evaluate("location.pathname + location.search") == "/en/compare?source=survey"
        page.wait_for_timeout(1500)  # idle, but not for long: nothing of Dash or plotly yet
        assert not [url for url in sent if any(h in url for h in HELD)]
        assert page.locator("#react-entry-point #main").count() == 0
        # the visitor's first gesture brings the live page
        page.mouse.move(20, 300)
        live(page)
        assert [url for url in sent if any(h in url for h in HELD)]
    finally:
        context.close()


def test_the_first_paint_is_usable_without_scripts_of_dash(browser, live_server: str) -> None:
    """Its links go where they say (whole pages, each drawn from its own document) and its menu opens."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server)
    try:
        page = context.new_page()
        hold_first_paint(page)
        page.goto(LINK)
        # (a first gesture asks for the live page, whose ids the first paint gives up: classes name its parts)
        menu = page.locator("#first-paint .site-menu")
        menu.locator("summary").click()
        assert menu.get_attribute("open") is not None
        menu.locator("a.lang-link[hreflang=nb]").click()
        page.wait_for_url("**/nb/compare?source=survey")
        assert page.locator("#first-paint h1.view-title").inner_text().startswith("Andel")
        page.locator("#first-paint .site-menu summary").click()
        page.locator("#first-paint .menu-link", has_text="Landprofil").click()
        page.wait_for_url("**/nb/profile")
        assert page.locator("#first-paint .eyebrow").inner_text().lower() == "landprofil"
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("view", VIEWS)
def test_the_live_page_takes_over_where_the_first_paint_is(browser, live_server: str, view: str,
                                                          size: tuple[int, int]) -> None:
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=live_server)
    try:
        early = context.new_page()
        hold_first_paint(early)
        early.goto(VIEWS[view])
        early.wait_for_selector("#first-paint #main")
        first = early.evaluate(PLACES, ["#first-paint", list(PARTS)])
        early.close()

        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        sent: list[str] = []
        page.on("request", lambda r: sent.append(r.url))
        fetched: list[str] = []
        page.on("request", lambda r: r.method == "GET" and fetched.append(r.url))
        answers: list = []
        page.on("response", lambda r: r.request.method == "POST" and answers.append(r))
        page.goto(VIEWS[view])
        live(page)
        page.wait_for_load_state("networkidle")
        assert page.evaluate(PLACES, ["#react-entry-point", list(PARTS)]) == first
        assert len(first) > 5
        assert not [url for url in sent if url.endswith("/_dash-layout")]  # the layout came with the document
        files = {re.sub(r"\.v[0-9_]+m[0-9]+(?=\.js)", "", urlsplit(url).path) for url in fetched}
        files.discard(urlsplit(VIEWS[view]).path)  # the document
        # one request each (the styles and the app's scripts may come from the first page's cache), and none of
        # Dash's lazily loaded parts
        assert set(VISIT_FILES[2:]) <= files <= set(VISIT_FILES), files
        # and the figure: the router found the page drawn (204, nothing)
        assert not [r for r in answers if r.status != 204 and b"figure" in r.body()]
        assert not errors, errors  # no script or style blocked by the content security policy
    finally:
        context.close()
