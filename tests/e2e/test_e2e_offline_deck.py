"""An offline deck opened from disk with every network request blocked: every slide's chart draws, and the
keyboard moves between slides."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.data.db import Database
from app.decks.slides.offline import offline_deck_html
from core.config import Settings

pytestmark = pytest.mark.browser

SLIDES = [("/en/compare", "Most public workplaces innovate"), ("/en/profile?country=DK", ""),
          ("/en/types-values", "Types and values"), ("/en/compare?indicator=value&option=quality&chart=dot", "")]


def test_offline_deck_draws_every_chart_with_the_network_blocked(browser, loaded_db: str, tmp_path: Path) -> None:
    database = Database(loaded_db, settings=Settings(cache_dir=tmp_path / "cache", readonly_database_url=None))
    try:
        html = offline_deck_html(database, SLIDES, title="Offline", lang="sv", base_url="http://192.0.2.1:8050")
    finally:
        database.close()
    deck = tmp_path / "deck.html"
    deck.write_text(html, encoding="utf-8")

    context = browser.new_context(viewport={"width": 1366, "height": 768})
    blocked: list[str] = []

    def only_the_file(route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_file)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(deck.as_uri())
        sections = page.locator("section.slide")
        assert sections.count() == len(SLIDES)
        for index in range(len(SLIDES)):  # a plotly SVG with its traces (bars, dots, the heatmap) drawn
            sections.nth(index).locator(".chart svg.main-svg :is(g.trace, g.hm)").first.wait_for(state="attached")
        assert blocked == [] and errors == []

        def in_view() -> int:
            return page.evaluate("""() => [...document.querySelectorAll('section.slide')].findIndex(
                s => Math.abs(s.getBoundingClientRect().top) < 2)""")

        # the first slide is on screen under the deck's title: the first step goes to the second
        page.keyboard.press("PageDown")
        page.wait_for_function("() => Math.abs(document.getElementById('slide-2').getBoundingClientRect().top) < 2")
        assert in_view() == 1
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => Math.abs(document.getElementById('slide-3').getBoundingClientRect().top) < 2")
        page.keyboard.press("ArrowLeft")
        page.wait_for_function("() => Math.abs(document.getElementById('slide-2').getBoundingClientRect().top) < 2")
        page.keyboard.press("PageUp")
        page.wait_for_function("() => Math.abs(document.getElementById('slide-1').getBoundingClientRect().top) < 2")
        page.keyboard.press("End")
        page.wait_for_function(f"() => Math.abs(document.getElementById('slide-{len(SLIDES)}')"
                               ".getBoundingClientRect().top) < 2")
    finally:
        context.close()
