"""What a visitor feels on a cold link, in headless Chromium at a phone and a laptop size: nothing moves while
the page loads and the live page takes over from the first paint (cumulative layout shift as the Core Web Vitals
measure it: layout-shift entries without recent input, below 0.05 on every page and state), and on a phone the
chart fills at least 60% of the first screen below the header, in the first paint and in the live page."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import hold_first_paint, live
from tests.e2e.test_e2e_accessibility import SIZES, VIEWS

pytestmark = pytest.mark.browser

MAX_SHIFT = 0.05
MIN_CHART_SHARE = 0.6
# every layout shift from the first byte on, as PerformanceObserver reports it (the Core Web Vitals measure)
SHIFTS = """
window.layoutShifts = [];
new PerformanceObserver(list => list.getEntries().forEach(entry => {
  if (!entry.hadRecentInput) {
    window.layoutShifts.push({value: entry.value, at: Math.round(entry.startTime), moved: entry.sources.map(s =>
      s.node ? `${s.node.nodeName}.${s.node.className || ''}#${s.node.id || ''}` : '?')});
  }
})).observe({type: 'layout-shift', buffered: true});
"""
# the chart's share of the first screen below the header: the part of the plot between the header's bottom and
# the bottom of the window
CHART_SHARE = """(root) => {
  const header = document.querySelector(`${root} .site-header`).getBoundingClientRect().bottom;
  const plot = document.querySelector(`${root} .graph`).getBoundingClientRect();
  const seen = Math.max(0, Math.min(plot.bottom, innerHeight) - Math.max(plot.top, header));
  return seen / (innerHeight - header);
}"""
PHONE = (390, 844)
CHARTED = {
    "compare": "/en/compare",
    "compare-survey": "/en/compare?source=survey",
    "compare-round": VIEWS["compare"],
    "compare-nordic-language": "/nb/compare?source=survey",
    "profile": "/en/profile?country=DK",
    "profile-finnish": "/fi/profile?country=FI",
    "types-values": "/en/types-values",
    "types-values-icelandic": "/is/types-values",
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("view", VIEWS)
def test_nothing_moves_while_the_page_loads_and_goes_live(browser, live_server: str, view: str, size: str) -> None:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=live_server)
    try:
        page = context.new_page()
        page.add_init_script(SHIFTS)
        page.goto(VIEWS[view])
        live(page)  # without any interaction: after the idle wait
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1000)  # anything still settling after the charts are drawn
        shifts = page.evaluate("window.layoutShifts")
        total = sum(s["value"] for s in shifts)
        assert total < MAX_SHIFT, f"{VIEWS[view]} at {width}x{height}: layout shift {total:.3f}: {shifts[:5]}"
    finally:
        context.close()


@pytest.mark.parametrize("view", CHARTED)
def test_on_a_phone_the_chart_fills_most_of_the_first_screen(browser, live_server: str, screenshot_dir,
                                                            view: str) -> None:
    context = browser.new_context(viewport={"width": PHONE[0], "height": PHONE[1]}, base_url=live_server)
    try:
        early = context.new_page()
        hold_first_paint(early)
        early.goto(CHARTED[view])
        early.wait_for_selector("#first-paint #main")
        first = early.evaluate(CHART_SHARE, "#first-paint")
        early.close()
        page = context.new_page()
        page.goto(CHARTED[view])
        page.mouse.move(10, 10)  # the first gesture brings the live page
        live(page)
        page.wait_for_function("() => document.querySelector('.js-plotly-plot .main-svg')")
        page.screenshot(path=str(screenshot_dir / f"first-screen-{view}-phone.png"))
        shown = page.evaluate(CHART_SHARE, "#react-entry-point")
        assert first >= MIN_CHART_SHARE and shown >= MIN_CHART_SHARE, (first, shown)
    finally:
        context.close()
