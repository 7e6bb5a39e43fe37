"""Chart-first pages at a laptop, a desktop and a phone size, in headless Chromium: a cold shared link shows the
top of its chart's plot area on the first screen, nothing is wider than the window (tables scroll inside their
own labelled region), and the header's navigation (its tabs, or on narrow windows its menu) is on screen in one
row without a sideways scroller."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import live

pytestmark = pytest.mark.browser

SIZES = {"laptop": (1366, 768), "desktop": (1920, 1080), "phone": (390, 844)}
# the cold shared link of the explorer issue, and the other pages a link can open on
PAGES = {
    "compare": "/en/compare?indicator=innovative&option=yes&countries=DK,NO,SE,FI,IS&waves=latest&level=all"
               "&sector=all",
    "compare-warnings": "/en/compare?countries=DK,FI&waves=DK-2018-19,FI-2018&source=survey",
    "compare-published-units": "/en/compare?indicator=innovation_type&option=process&countries=NO,FI&waves=all",
    "profile": "/en/profile?country=DK",
    "profile-finnish": "/fi/profile?country=FI",
    "types-values": "/en/types-values",
    "overview": "/en/",
    "data": "/en/data",
}
CHARTED = {"compare", "compare-warnings", "compare-published-units", "profile", "profile-finnish", "types-values"}

# elements reaching past the right edge of the window, unless a scrolling (or clipping) ancestor that fits the
# window holds them
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= width + 1) continue;
    let holder = el.parentElement, held = false;
    while (holder && !held) {
      held = getComputedStyle(holder).overflowX !== 'visible' && holder.getBoundingClientRect().right <= width + 1;
      holder = holder.parentElement;
    }
    if (!held) found.push(`${el.tagName.toLowerCase()}.${el.getAttribute('class') || ''}#${el.id}`);
  }
  return found.slice(0, 8);
}"""
PLOT_TOP = """() => {
  const area = document.querySelector('#main .js-plotly-plot .draglayer .nsewdrag');
  return area ? area.getBoundingClientRect().top + window.scrollY : null;
}"""
# the header's tabs where it shows them (wide windows), else its menu button: drawn, and all inside the window
NAV_HIDDEN = """() => {
  const shown = [...document.querySelectorAll('.nav-link, .menu-button')].filter(e => e.getClientRects().length);
  if (!shown.length) return ['no navigation shown'];
  return shown.filter(e => { const box = e.getBoundingClientRect();
    return box.left < 0 || box.right > document.documentElement.clientWidth + 1 || box.bottom > 80; })
    .map(e => e.textContent);
}"""


def open_cold(browser, base_url: str, path: str, size: tuple[int, int]) -> Page:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, base_url=base_url)
    page = context.new_page()
    page.goto(path)
    live(page)
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')]"
                           ".every(g => g.querySelector('.main-svg'))")
    return page


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", PAGES)
def test_chart_on_the_first_screen_and_nothing_wider_than_the_window(browser, live_server: str, screenshot_dir,
                                                                     name: str, size: str) -> None:
    width, height = SIZES[size]
    page = open_cold(browser, live_server, PAGES[name], (width, height))
    try:
        page.screenshot(path=str(screenshot_dir / f"layout-{name}-{width}x{height}.png"))
        if name in CHARTED:
            top = page.evaluate(PLOT_TOP)
            assert top is not None, "no chart drawn"
            assert top < height - 40, f"plot area starts at y={top:.0f}, below the first screen ({height})"
        assert page.evaluate(OVERFLOWING) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate(NAV_HIDDEN) == []
    finally:
        page.context.close()


def test_the_heading_says_what_is_shown_and_the_controls_are_one_link_away(browser, live_server: str) -> None:
    page = open_cold(browser, live_server, PAGES["compare"], SIZES["phone"])
    try:
        # the latest Finnish wave counts organisations, the others workplaces: the heading says both
        assert page.locator("#main h1").inner_text() == ("Share of public workplaces or organisations that "
                                                         "introduced at least one innovation")
        page.get_by_role("link", name="Change what is shown").click()
        assert page.locator("#compare-controls").is_visible()
        assert page.locator("#compare-controls").bounding_box()["y"] < 844
    finally:
        page.context.close()
