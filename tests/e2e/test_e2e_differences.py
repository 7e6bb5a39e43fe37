"""The Differences panel under the Compare chart, opened, at a laptop and a phone size: its sentences are
those of the API, nothing is wider than the window, and the chart's legend names the pairs that differ."""

from __future__ import annotations

import pytest

from tests.e2e.test_e2e_layout import OVERFLOWING, SIZES, open_cold

pytestmark = pytest.mark.browser

QUERY = "indicator=innovative&option=yes&countries=DK,NO,SE,FI,IS&waves=latest&level=all&sector=all&source=survey"


@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_the_differences_panel_opens_under_the_chart(browser, live_server: str, screenshot_dir, size: str) -> None:
    width, height = SIZES[size]
    page = open_cold(browser, live_server, f"/en/compare?{QUERY}", (width, height))
    try:
        panel = page.locator("#compare-differences")
        panel.locator("summary").click()
        items = panel.locator("li")
        assert items.count() == 10
        chart_bottom = page.locator("#compare-graph").bounding_box()
        assert panel.bounding_box()["y"] > chart_bottom["y"] + chart_bottom["height"] - 1  # under the chart
        api = page.request.get(f"/api/v1/estimates?{QUERY}").json()["differences"]
        shown = panel.inner_text()
        assert all(d["country"] in shown for d in api)
        assert "Clear differences:" in page.locator("#compare-graph .legend").text_content()
        panel.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir / f"differences-{width}x{height}.png"), full_page=True)
        assert page.evaluate(OVERFLOWING) == []
    finally:
        page.context.close()
