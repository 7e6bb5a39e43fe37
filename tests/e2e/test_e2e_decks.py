"""Decks in Chromium: a deck built from the views' "Add to deck", its page used with the keyboard, and a
presenter (with the key) moving through it while a follower's phone, in a second browser context, follows."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.e2e.test_e2e_present import decode_qr

pytestmark = pytest.mark.browser

GRAPH = ".main-svg"
SIZES = {"1366": {"width": 1366, "height": 768}, "390": {"width": 390, "height": 844}}


def add_current_view(page, caption: str) -> None:
    page.locator("details.deck-add summary").first.click()
    page.locator("details.deck-add input").first.fill(caption)
    page.locator(".deck-add-button").first.click()


def transferred_bytes(page) -> int:
    return page.evaluate("""() => performance.getEntriesByType('navigation').concat(
        performance.getEntriesByType('resource')).reduce((sum, e) => sum + (e.transferSize || 0), 0)""")


def test_presenter_moves_and_a_follower_follows_within_3_s(browser, live_server: str, screenshot_dir) -> None:
    author = browser.new_context(viewport=SIZES["1366"], base_url=live_server)
    page = author.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
    # the first "Add to deck" creates the deck and shows its presenter link once
    page.goto("/en/compare?countries=DK,NO,SE")
    page.wait_for_selector(GRAPH)
    add_current_view(page, "Three countries")
    page.wait_for_url("**/en/decks/*")
    expect(page.locator("#created")).to_be_visible()
    presenter_link = page.locator("#presenter-link").input_value()
    assert "/present#key=" in presenter_link and "#key=" not in page.url  # the key left the address bar
    deck_id = page.url.rsplit("/", 1)[1]
    # the next one goes into the same deck
    page.goto("/en/profile?country=NO")
    page.wait_for_selector(GRAPH)
    add_current_view(page, "Norway")
    expect(page.locator(".deck-status a")).to_have_attribute("href", f"/en/decks/{deck_id}")
    page.screenshot(path=str(screenshot_dir / "deck-add-1366.png"))
    page.goto("/en/")
    page.wait_for_selector(".tile, h1")
    add_current_view(page, "")
    expect(page.locator(".deck-status a")).to_be_visible()

    # the deck page, with the keyboard: move the last slide up, then its caption
    page.goto(f"/en/decks/{deck_id}")
    expect(page.locator("#slides li")).to_have_count(3)
    page.locator("#up-2").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#slides li").nth(1).locator("input")).to_have_value("")
    expect(page.locator("#up-1")).to_be_focused()
    page.locator("#caption-1").fill("Headline")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#caption-1")).to_be_focused()  # the page came back from saving, focus where it was
    expect(page.locator("#caption-1")).to_have_value("Headline")
    expect(page.locator("#created")).to_be_hidden()  # the presenter link is shown once only
    page.locator("#deck-title").fill("Nordic Edge 2026")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Nordic Edge 2026")
    expect(page.locator("#deck-title")).to_be_focused()
    for name, size in SIZES.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(screenshot_dir / f"deck-page-{name}.png"), full_page=True)

    # the presenter: another browser with the presenter link
    presenter_context = browser.new_context(viewport=SIZES["1366"])
    presenter = presenter_context.new_page()
    presenter.set_default_timeout(20_000)
    presenter.goto(presenter_link)
    presenter.wait_for_selector("#presentation " + GRAPH)
    expect(presenter.locator("#deck-counter .deck-position")).to_have_text("1 / 3")
    assert presenter.locator("#qr-code").get_attribute("data-url").endswith(f"/follow/{deck_id}")

    # a follower: a phone in its own context
    phone_context = browser.new_context(viewport=SIZES["390"], base_url=live_server, is_mobile=True)
    phone = phone_context.new_page()
    phone.set_default_timeout(20_000)
    phone.goto(f"/follow/{deck_id}")
    expect(phone.locator("#counter")).to_have_text("1 / 3")
    expect(phone.locator("h1")).to_have_text("Nordic Edge 2026")
    expect(phone.locator("#slide figcaption")).to_have_text("Three countries")
    assert transferred_bytes(phone) < 150_000

    presenter.keyboard.press("ArrowRight")
    pressed = time.monotonic()
    expect(phone.locator("#slide article")).to_have_attribute("data-index", "1", timeout=3000)
    assert time.monotonic() - pressed < 3
    expect(phone.locator("#slide figcaption")).to_have_text("Headline")
    expect(presenter.locator("#deck-counter .deck-position")).to_have_text("2 / 3")
    assert presenter.url.endswith("/en/?present=1")
    # one QR code for the whole talk: on every slide it is the deck's follow link
    follow_url = f"{live_server}/follow/{deck_id}"
    expect(presenter.locator("#qr-code")).to_have_attribute("data-url", follow_url)
    assert decode_qr(presenter.locator("#qr-code").screenshot()) == follow_url
    for name, size in SIZES.items():
        phone.set_viewport_size(size)
        phone.screenshot(path=str(screenshot_dir / f"follow-page-{name}.png"), full_page=True)
    phone.set_viewport_size(SIZES["390"])
    presenter.screenshot(path=str(screenshot_dir / "deck-presenting-1366.png"))

    # the follower browses back, then returns to the live slide
    phone.locator("#prev").click()
    expect(phone.locator("#slide article")).to_have_attribute("data-index", "0")
    expect(phone.locator("#live")).to_have_attribute("aria-pressed", "false")
    presenter.keyboard.press("PageDown")  # a clicker's "next"
    expect(presenter.locator("#deck-counter .deck-position")).to_have_text("3 / 3")
    phone.wait_for_timeout(2000)
    expect(phone.locator("#slide article")).to_have_attribute("data-index", "0")  # browsing: stays put
    phone.locator("#live").click()
    expect(phone.locator("#slide article")).to_have_attribute("data-index", "2")
    expect(phone.locator("#counter")).to_have_text("3 / 3")
    expect(phone.locator("#slide svg desc")).to_have_count(1)  # a Country profile, drawn on the server
    phone.screenshot(path=str(screenshot_dir / "follow-page-drawn-390.png"), full_page=True)

    presenter.keyboard.press("PageUp")
    expect(phone.locator("#slide article")).to_have_attribute("data-index", "1", timeout=3000)
    presenter.keyboard.press("Escape")  # leaves to the deck page
    presenter.wait_for_url(f"**/en/decks/{deck_id}")
    assert not errors, errors
    for context in (author, presenter_context, phone_context):
        context.close()


@pytest.mark.parametrize("size", SIZES)
def test_deck_and_follow_pages_have_no_axe_violations(browser, live_server: str, size: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport=SIZES[size], base_url=live_server)
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        created = context.request.post(f"{live_server}/api/decks", data={
            "lang": "fi", "title": "Kuntapäivät", "path": "/fi/compare?countries=FI,SE", "caption": "Suomi"}).json()
        context.request.post(f"{live_server}/api/decks/{created['deck']}/slides", data={"path": "/fi/"},
                             headers={"X-Deck-Key": created["key"]})
        for address, ready in ((created["deck_url"] + "#key=" + created["key"], "#slides .edit:not([hidden])"),
                               (created["deck_url"], "#slides"), (created["follow_url"], "#slide article")):
            page.goto(address)
            page.wait_for_selector(ready)
            violations = Axe().run(page).response["violations"]
            assert not violations, f"{address} at {size}: " + "; ".join(
                f"{v['id']} ({v['impact']}) at {[n['target'] for n in v['nodes']][:3]}" for v in violations)
    finally:
        context.close()
