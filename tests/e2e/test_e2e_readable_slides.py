"""Slides are readable wherever a chart is projected or followed, measured in headless Chromium: in presentation
mode at the common projector sizes, on the follow page and /svg at a phone's 390 px, and in the offline deck, no
two text boxes overlap and none leaves its drawing, and no slide is taller than the screen."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from app.data.db import Database
from app.decks.slides.offline import offline_deck_html
from core.config import Settings
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, VENUE_HOST

pytestmark = pytest.mark.browser

PROJECTORS = [(1280, 720), (1366, 768), (1920, 1080)]
PHONE = (390, 844)
# every kind of slide: published figures (default Compare, 9 bars with long names; in Norwegian too), survey bars
# and dots with the Nordic line, profiles (24 bars for Denmark), the types x values grid
VIEWS = ["/en/compare", "/nb/compare", "/en/compare?source=survey",
         "/fi/compare?source=survey&chart=dot&indicator=value&option=quality", "/en/profile?country=DK",
         "/sv/profile?country=NO", "/en/types-values"]

# Every visible text of the drawing (SVG <text>, plotly's tick labels, annotations and legend among them) as its
# box on screen; pairs that overlap by more than a pixel each way, and boxes that leave the drawing.
TEXT_BOXES = r"""(selector) => {
  const scope = document.querySelector(selector);
  const drawing = scope.getBoundingClientRect();
  const shown = (el) => {
    for (let node = el; node && node !== scope.parentElement; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.display === 'none' || style.visibility === 'hidden' || parseFloat(style.opacity) < 0.2) return false;
    }
    return true;
  };
  const boxes = [...scope.querySelectorAll('text')].filter(t => t.textContent.trim() && shown(t)).map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent.trim(), left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  }).filter(b => b.right > b.left && b.bottom > b.top);
  const overlaps = [], outside = [];
  boxes.forEach((a, i) => {
    if (a.left < drawing.left - 0.5 || a.top < drawing.top - 0.5 || a.right > drawing.right + 0.5
        || a.bottom > drawing.bottom + 0.5) outside.push(a.text);
    boxes.slice(i + 1).forEach(b => {
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 1 && h > 1) overlaps.push([a.text, b.text]);
    });
  });
  return {count: boxes.length, overlaps, outside,
          inView: drawing.top >= -0.5 && drawing.bottom <= innerHeight + 0.5 && drawing.right <= innerWidth + 0.5};
}"""


def assert_readable(page: Page, selector: str, where: str, *, in_view: bool = True) -> None:
    found = page.evaluate(TEXT_BOXES, selector)
    assert found["count"] >= 5, f"{where}: only {found['count']} texts drawn"
    assert not found["overlaps"], f"{where}: overlapping texts {found['overlaps'][:5]}"
    assert not found["outside"], f"{where}: texts past the drawing {found['outside'][:5]}"
    assert found["inView"] or not in_view, f"{where}: the drawing leaves the screen"


ALL_FITTED = "() => [...document.querySelectorAll('.fit-box')].every(box => box.firstElementChild.fitKey)"


def fitted(page: Page) -> None:
    """Wait until the slide's chart is drawn and scaled into its box (assets/fit-chart.js)."""
    page.wait_for_selector(".fit-box .main-svg g.trace, .fit-box .main-svg g.hm")
    page.wait_for_function("() => !document.getElementById('first-paint')")  # the live page has taken over
    page.wait_for_function(ALL_FITTED)
    page.wait_for_timeout(300)  # plotly's redraw at the new size


@pytest.mark.parametrize(("width", "height"), [*PROJECTORS, PHONE])
@pytest.mark.parametrize("view", VIEWS)
def test_presentation_mode_labels_neither_overlap_nor_leave_the_chart(browser, live_server: str, screenshot_dir,
                                                                       view: str, width: int, height: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=live_server)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(view + ("&" if "?" in view else "?") + "present=1")
        fitted(page)
        name = view.strip("/").replace("/", "-").replace("?", "-").replace("&", "-").replace("=", "_")
        page.screenshot(path=str(screenshot_dir / f"readable-present-{name}-{width}x{height}.png"))
        projector = (width, height) != PHONE  # on a phone the slide scrolls, the chart shown whole in its width
        assert_readable(page, ".fit-box", f"{view} at {width}x{height}", in_view=projector)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
        if projector:  # a slide is one screen
            assert page.evaluate("document.scrollingElement.scrollHeight") <= height
    finally:
        context.close()


@pytest.mark.parametrize("view", VIEWS)
def test_the_server_drawn_slide_fits_a_phone(browser, live_server: str, view: str) -> None:
    context = browser.new_context(viewport={"width": PHONE[0], "height": PHONE[1]}, base_url=live_server)
    page = context.new_page()
    try:
        page.goto("/svg" + view)
        assert_readable(page, "svg", f"/svg{view}", in_view=False)
    finally:
        context.close()


def test_the_follow_page_shows_a_readable_slide_on_a_phone(browser, live_server: str, screenshot_dir) -> None:
    context = browser.new_context(viewport={"width": PHONE[0], "height": PHONE[1]}, base_url=live_server)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        created = context.request.post(f"{live_server}/api/decks", data={
            "lang": "nb", "title": "Kommunedagen", "path": "/nb/compare", "caption": ""}).json()
        page.goto(created["follow_url"])
        page.wait_for_selector("#slide svg")
        page.screenshot(path=str(screenshot_dir / "readable-follow-nb-390.png"), full_page=True)
        assert_readable(page, "#slide svg", "follow page", in_view=False)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE[0]
        # the published figures as printed ('omtrent 75 %'), and no key for intervals they do not have
        text = page.locator("#slide svg").text_content()
        assert "omtrent" in text and "95" not in text.split("Kilde")[0].replace("95 %", "")
    finally:
        context.close()


@pytest.fixture(scope="module")
def offline_deck(loaded_db: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("offline-readable")
    database = Database(loaded_db, settings=Settings(cache_dir=folder / "cache", readonly_database_url=None))
    try:
        html = offline_deck_html(database, [(view, "") for view in VIEWS], title="Offline", lang="en",
                                 base_url="http://192.0.2.1:8050")
    finally:
        database.close()
    deck = folder / "deck.html"
    deck.write_text(html, encoding="utf-8")
    return deck


@pytest.mark.parametrize(("width", "height"), PROJECTORS)
def test_offline_deck_slides_are_one_screen_with_readable_charts(browser, offline_deck: Path, screenshot_dir,
                                                                  width: int, height: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(offline_deck.as_uri())
        page.wait_for_function(f"() => document.querySelectorAll('.chart-box .main-svg').length >= {len(VIEWS)}")
        page.wait_for_function(ALL_FITTED)
        # the first step from the top of the file goes to the second slide (the first is on screen already)
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => Math.abs(document.getElementById('slide-2').getBoundingClientRect().top) < 2")
        for number in range(1, len(VIEWS) + 1):
            page.evaluate(f"document.getElementById('slide-{number}').scrollIntoView()")
            page.wait_for_timeout(100)
            page.screenshot(path=str(screenshot_dir / f"readable-offline-{number}-{width}x{height}.png"))
            assert page.locator(f"#slide-{number}").bounding_box()["height"] <= height
            assert_readable(page, f"#slide-{number} .chart-box", f"offline slide {number} at {width}x{height}")
    finally:
        context.close()




@pytest.fixture(scope="module")
def hall_browser(browser):
    hall = browser.browser_type.launch(executable_path=CHROMIUM,
                                       args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {VENUE_HOST} 127.0.0.1"])
    yield hall
    hall.close()


def test_copy_works_on_a_plain_http_hall_address_without_console_errors(hall_browser, live_server: str) -> None:
    hall = f"http://{VENUE_HOST}:{urlsplit(live_server).port}"
    context = hall_browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    try:
        page.goto(hall + "/en/compare")
        page.wait_for_selector("#compare-graph .main-svg")
        assert page.evaluate("window.isSecureContext") is False and page.evaluate("!navigator.clipboard")
        page.evaluate("""() => document.addEventListener('copy', () => {
            const area = document.activeElement;
            window.copiedText = area.value.substring(area.selectionStart, area.selectionEnd); })""")
        share = page.locator("#share-copy-compare")
        page.wait_for_function("() => document.querySelector('.share-box input').value.includes('/en/compare')")
        share.click()
        status = page.locator(".share-box .copy-status")
        assert status.text_content() == "Copied"
        assert page.evaluate("window.copiedText") == page.locator(".share-box input").input_value()
        assert page.evaluate("document.activeElement.id") == "share-copy-compare"  # focus back on the button
        # every copy button of the page is there and works: the citation and code boxes too
        page.locator("#compare-cite summary").click()
        page.locator("#compare-cite .copy-button").first.click()
        assert page.locator("#compare-cite .copy-status").first.text_content() == "Copied"
        assert page.evaluate("window.copiedText").startswith(page.locator("#compare-cite-apa").inner_text()[:20])
        assert not [e for e in errors if "Cross-Origin-Opener-Policy" in e], errors
    finally:
        context.close()
