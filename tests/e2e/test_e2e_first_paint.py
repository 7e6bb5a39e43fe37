"""A shared link draws its chart from the document (app/web/first_paint.py): before Dash's renderer has run, with
the content security policy on, and the live page that takes over shows the very same chart without asking
for the layout or the figure again."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# the survey estimates (demo waves), whose chart the first paint draws; the default would be the published figures
LINK = ("/en/compare?indicator=innovative&option=yes&countries=DK,NO,SE,FI,IS&waves=latest&level=all&sector=all"
        "&source=survey")
FIRST_CHART = "#first-paint .graph svg.main-svg g.trace"
LIVE_CHART = "#compare-graph svg.main-svg g.trace"
# an element's place in the page (not the window, which screenshots scroll)
PLACE = """(selector) => { const box = document.querySelector(selector).getBoundingClientRect();
  return [box.left + window.scrollX, box.top + window.scrollY, box.width, box.height]; }"""


@pytest.mark.parametrize("size", [(1366, 768), (390, 844)])
def test_the_first_chart_is_drawn_before_dash_and_the_live_page_shows_the_same(browser, live_server: str,
                                                                               size: tuple[int, int]) -> None:
    width, height = size
    # without Dash's renderer: only the document, plotly.js and the app's assets
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=live_server)
    try:
        early = context.new_page()
        early.route("**/dash_renderer*", lambda route: route.abort())
        early.goto(LINK)
        early.wait_for_selector(FIRST_CHART, state="attached")
        early.wait_for_timeout(300)
        assert early.locator("#first-paint h1.view-title").inner_text().startswith("Share of public workplaces")
        ticks = early.evaluate("() => document.querySelector('#first-paint .js-plotly-plot').layout.yaxis.ticktext")
        assert ticks == ["Iceland 2021", "Finland 2022", "Sweden 2018", "Norway 2020", "Denmark 2021-23"]
        first_box = early.evaluate(PLACE, "#first-paint .graph")
        first = early.locator("#first-paint .graph").screenshot()
    finally:
        context.close()

    context = browser.new_context(viewport={"width": width, "height": height}, base_url=live_server)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        sent: list[tuple[str, str]] = []
        page.on("request", lambda r: sent.append((r.method, r.url)))
        answers: list = []
        page.on("response", lambda r: r.request.method == "POST" and answers.append(r))
        page.goto(LINK)
        page.wait_for_selector(LIVE_CHART, state="attached")
        page.wait_for_selector("#first-paint", state="detached")  # handed over to the live page
        page.wait_for_load_state("networkidle")
        live = page.locator("#compare-graph")
        assert page.evaluate(PLACE, "#compare-graph") == first_box  # in the same place, at the same size
        # and the same pixels: no second, different drawing (a few tries: a busy machine may still be settling
        # the live graph's resize handling when the first screenshot is taken)
        shots = []
        for _ in range(4):
            shots.append(live.screenshot())
            if shots[-1] == first:
                break
            page.wait_for_timeout(500)
        assert shots[-1] == first
        assert not [url for _, url in sent if url.endswith("/_dash-layout")]  # the layout came with the document
        # and the figure: the router found the page drawn (204, nothing)
        assert answers and not [r for r in answers if r.status != 204 and b"figure" in r.body()]
        assert not errors, errors  # no script or style blocked by the content security policy
    finally:
        context.close()
