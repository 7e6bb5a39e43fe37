"""Presentation mode in a hall, in headless Chromium: the QR code on the screen decodes to the short link of
the address the presenter's machine was reached at, and a slide fits common projector sizes."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, VENUE_HOST

pytestmark = pytest.mark.browser

PRESENT = "/en/compare?countries=DK,NO,SE,FI,IS&source=survey&present=1"
GRAPH = "#compare-graph .main-svg"


def decode_qr(png: bytes) -> str:
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
    assert found, "no QR code could be read"
    return found[0].text


@pytest.fixture(scope="module")
def hall_browser(browser, live_server: str):
    """Chromium that resolves a venue host name to the test server, as a phone on the venue network would."""
    hall = browser.browser_type.launch(executable_path=CHROMIUM,
                                       args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {VENUE_HOST} 127.0.0.1"])
    yield hall
    hall.close()


def test_qr_on_a_venue_host_decodes_to_its_short_link_even_at_128px(hall_browser, live_server: str,
                                                                    screenshot_dir) -> None:
    port = urlsplit(live_server).port
    hall = f"http://{VENUE_HOST}:{port}"
    context = hall_browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(hall + PRESENT)
        page.wait_for_selector(GRAPH)
        expect(page.locator("#present-loopback-warning")).to_have_count(0)  # a venue address: no warning
        qr = page.locator("#qr-code")
        page.screenshot(path=str(screenshot_dir / "present-hall-1366.png"))
        text = decode_qr(qr.screenshot())
        assert text.startswith(f"{hall}/s/") and text == qr.get_attribute("data-url")
        # shown small (a corner of a slide, a phone filming the screen): 128 px wide still decodes
        qr.evaluate("img => { img.style.width = '128px'; img.style.maxWidth = '128px'; }")
        assert qr.bounding_box()["width"] == pytest.approx(128, abs=1)
        assert decode_qr(qr.screenshot()) == text
        # the short link opens the interactive view of the slide (a phone scanning it)
        page.goto(text)
        page.wait_for_selector(GRAPH)
        assert page.url == f"{hall}/en/compare?source=survey"  # every other parameter at its default
        assert page.locator("#compare-graph .ytick text").count() == 5
    finally:
        context.close()


def test_presentation_on_loopback_warns_and_names_the_command(page: Page) -> None:
    page.goto(PRESENT)
    page.wait_for_selector(GRAPH)
    expect(page.locator("#present-loopback-warning")).to_contain_text("barometer up --public")


def inside(box: dict, width: int, height: int) -> bool:
    return (box is not None and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width + 0.5
            and box["y"] + box["height"] <= height + 0.5)


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1280, 720), (1920, 1080)])
def test_a_slide_fits_the_screen(browser, live_server: str, screenshot_dir, width: int, height: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=live_server)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(PRESENT)
        page.wait_for_selector(GRAPH)
        page.wait_for_timeout(300)  # the graph resizes to its box once after drawing
        page.screenshot(path=str(screenshot_dir / f"present-{width}x{height}.png"))
        assert page.evaluate("document.scrollingElement.scrollHeight") <= height
        assert page.evaluate("document.scrollingElement.scrollWidth") <= width
        # the plot itself keeps a fifth of the screen or more besides title, notes, axis and legend
        assert page.locator("#compare-graph .nsewdrag").first.bounding_box()["height"] >= height / 5
        for selector in ("#compare-graph .gtitle", GRAPH, "#compare-graph .legend", "#compare-graph .xaxislayer-above",
                         "#qr-code"):
            box = page.locator(selector).first.bounding_box()
            assert inside(box, width, height), f"{selector} at {box} is not within {width}x{height}"
        tick_px = page.evaluate("parseFloat(getComputedStyle(document.querySelector("
                                "'#compare-graph .xtick text')).fontSize)")
        assert tick_px >= (20 if width >= 1920 else 16)  # readable from the back of a hall
    finally:
        context.close()


def test_presentation_on_a_phone_has_no_sideways_scroll(browser, live_server: str, screenshot_dir) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(PRESENT)
        page.wait_for_selector(GRAPH)
        page.wait_for_timeout(300)
        page.screenshot(path=str(screenshot_dir / "present-390x844.png"), full_page=True)
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
        # the page scrolls on a phone: the chart keeps its own height and is not squeezed by the legend
        assert page.locator("#compare-graph .nsewdrag").first.bounding_box()["height"] >= 140
        expect(page.locator("#qr-code")).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize(("path", "graph"), [("/en/profile?present=1", "#profile-graph"),
                                             ("/en/types-values?present=1", "#tv-graph")])
def test_slides_of_the_other_chart_pages_fit_1366x768(browser, live_server: str, screenshot_dir, path: str,
                                                       graph: str) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, base_url=live_server)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(path)
        page.wait_for_selector(f"{graph} .main-svg")
        page.wait_for_timeout(300)
        page.screenshot(path=str(screenshot_dir / f"present-{graph[1:]}-1366x768.png"))
        assert page.evaluate("document.scrollingElement.scrollHeight") <= 768
        for selector in (f"{graph} .gtitle", f"{graph} .main-svg", "#qr-code"):
            assert inside(page.locator(selector).first.bounding_box(), 1366, 768), selector
    finally:
        context.close()
