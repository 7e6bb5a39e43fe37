"""A user's walk through the dashboard in headless Chromium, asserting on what is on screen."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

GRAPH = "#compare-graph .main-svg"


def choose(page: Page, dropdown_id: str, option: str) -> None:
    """Pick ``option`` in a Dash dropdown the way a user does: open it, click the option."""
    page.click(f"#{dropdown_id}")
    page.locator(".dash-dropdown-options [role=option]", has_text=option).first.click()


def switch_language(page: Page, code: str) -> None:
    """Open the header's menu and choose a language by its code."""
    page.click("#site-menu summary")
    page.locator(".lang-link", has_text=code).click()
    expect(page.locator("#site-menu")).not_to_have_attribute("open", "")  # the menu closes behind the choice


def categories(page: Page) -> list[str]:
    """The chart's category labels, top to bottom."""
    return list(reversed(page.locator("#compare-graph .ytick text").all_text_contents()))


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def table_text(page: Page) -> str:
    return page.locator("#compare-table-alt tbody").inner_text()


def test_overview_shows_headlines_tiles_and_published_figures(page: Page, screenshot_dir) -> None:
    page.goto("/en/")
    expect(page.locator("h1")).to_have_text("Innovation in the Nordic public sectors")
    expect(page.locator(".card")).to_have_count(5)
    expect(page.locator("#card-DK .card-value")).to_have_text(re.compile(r"^\d{2}%$"))
    expect(page.locator("#card-FI")).to_contain_text("Whole organisation")
    expect(page.locator(".tile")).to_have_count(5)
    expect(page.locator("#published-table")).to_contain_text("co-pi.dk")
    expect(page.locator(".demo-label").first).to_contain_text("demo data")
    page.screenshot(path=str(screenshot_dir / "overview.png"), full_page=True)
    assert not page.errors


def test_compare_filters_change_the_chart_and_the_url_reproduces_it(page: Page, browser, screenshot_dir) -> None:
    page.goto("/en/compare?source=survey")
    page.wait_for_selector(GRAPH)
    assert categories(page) == ["Denmark 2021-23", "Norway 2020", "Sweden 2018", "Finland 2022", "Iceland 2021"]
    expect(page.locator("#main h1")).to_contain_text("that introduced at least one innovation")

    choose(page, "cmp-indicator", "Collaboration partners")
    expect(page.locator("#main h1")).to_contain_text("Collaboration partners")
    # the address bar is updated by its own callback, just after the chart: wait for it
    expect(page).to_have_url(re.compile(r"[?&]indicator=partner(&|$)"))
    assert query(page)["indicator"] == ["partner"]

    for country in ("Norway", "Sweden", "Finland"):
        page.locator("#cmp-countries label", has_text=country).click()
    expect(page.locator("#compare-graph .ytick text")).to_have_count(2)
    assert categories(page) == ["Denmark 2021-23", "Iceland 2021"]
    expect(page).to_have_url(re.compile(r"[?&]countries=DK(,|%2C)IS(&|$)"))
    assert query(page)["countries"] == ["DK,IS"]

    choose(page, "cmp-sector", "Health and care")
    expect(page.locator("#cmp-results .view-subtitle")).to_contain_text("Health and care")
    expect(page).to_have_url(re.compile(r"[?&]sector=health_care(&|$)"))
    assert query(page)["sector"] == ["health_care"]
    page.screenshot(path=str(screenshot_dir / "compare.png"), full_page=True)

    page.locator("#cmp-results .table-details > summary").first.click()
    original = table_text(page)
    url = page.url
    assert page.locator(".share-field input").input_value() == url  # the share box holds the same address

    other = page.context.new_page()
    other.goto(url)
    other.wait_for_selector(GRAPH)
    assert other.url == url
    expect(other.locator("#cmp-indicator")).to_contain_text("Collaboration partners")
    expect(other.locator("#cmp-sector")).to_contain_text("Health and care")
    assert categories(other) == ["Denmark 2021-23", "Iceland 2021"]
    other.locator("#cmp-results .table-details > summary").first.click()
    assert table_text(other) == original
    other.close()
    assert not page.errors


def test_back_button_restores_the_previous_view(page: Page) -> None:
    page.goto("/en/compare?countries=SE")
    page.wait_for_selector(GRAPH)
    first = page.url
    choose(page, "cmp-indicator", "Barriers to innovation")
    expect(page.locator("#main h1")).to_contain_text("Barriers")
    # the history entry is pushed by its own callback just after the chart: go back only once it exists
    expect(page).to_have_url(re.compile(r"[?&]indicator=barrier(&|$)"))
    page.go_back()
    expect(page.locator("#main h1")).to_contain_text("that introduced at least one innovation")
    expect(page).to_have_url(first)


def test_switching_language_keeps_the_view(page: Page) -> None:
    page.goto("/en/compare?indicator=value&option=quality&countries=DK&waves=DK-2018-19&display=table")
    expect(page.locator("#compare-table")).to_be_visible()
    english_query = urlsplit(page.url).query
    switch_language(page, "NB")
    expect(page.locator(".eyebrow")).to_have_text("Sammenlign land og bølger")
    expect(page.locator("h1")).to_contain_text("Andel")
    assert urlsplit(page.url).path == "/nb/compare" and urlsplit(page.url).query == english_query
    assert page.evaluate("document.documentElement.lang") == "nb"
    expect(page.locator("#compare-table")).to_contain_text("Danmark 2018-19")
    expect(page.locator("#compare-table tbody tr").first.locator("td").first).to_have_text(
        re.compile(r"^\d{2}\u00a0%$"))  # whole points (the display precision) and a space before %
    switch_language(page, "FI")
    expect(page.locator("#nav-compare")).to_have_text("Vertaile")


def test_download_csv_of_the_current_view(page: Page) -> None:
    page.goto("/en/compare?countries=DK,NO&waves=DK-2018-19,NO-2018&source=survey")
    page.wait_for_selector(GRAPH)
    with page.expect_download() as info:
        page.click("#compare-download-csv")
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    text = open(download.path(), encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(text)))
    estimates = [r for r in rows if r["row_type"] == "estimate"]
    assert [r["wave_key"] for r in estimates] == ["DK-2018-19", "NO-2018"]
    assert all(r["n"] and r["ci_low_pct"] and r["data"].startswith("DEMO") and r["source"] for r in estimates)
    shown = page.locator("#compare-graph .annotation-text", has_text=re.compile(r"^\d+%$")).first.text_content()
    assert shown.rstrip("%") == str(round(float(estimates[0]["share_pct"])))


def test_presentation_mode(page: Page, screenshot_dir) -> None:
    page.goto("/en/compare?countries=DK,FI&source=survey")
    page.wait_for_selector(GRAPH)
    page.click("#compare-present-link")
    expect(page.locator("#presentation")).to_be_visible()
    expect(page.locator(".site-header")).to_have_count(0)
    expect(page.locator("#qr-code")).to_be_visible()
    assert "present=1" in page.url
    size = page.locator("#compare-graph .gtitle").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size > 24  # large text
    expect(page.locator("#compare-graph .annotation-text", has_text="Not fully comparable")).to_have_count(1)
    expect(page.locator("#compare-graph .annotation-text", has_text="DEMO DATA")).to_have_count(1)
    page.screenshot(path=str(screenshot_dir / "presentation.png"))
    page.keyboard.press("Escape")
    expect(page.locator(".site-header")).to_have_count(1)
    assert "present" not in page.url


def test_bad_parameters_give_a_friendly_message(page: Page) -> None:
    page.goto("/en/compare?indicator=no-such-thing&sector=%3Cb%3E")
    expect(page.locator("#param-problems")).to_contain_text("'no-such-thing' is not a known value")
    page.wait_for_selector(GRAPH)
    page.goto("/sv/no-such-page")
    expect(page.locator("#not-found h1")).to_have_text("Sidan hittades inte")


def test_keyboard_skip_link_and_visible_focus(page: Page) -> None:
    page.goto("/en/compare")
    page.wait_for_selector(GRAPH)
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["y"] >= 0
    outline = skip.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # the dropdowns are named by their visible labels for screen readers
    labelled = page.locator("#cmp-indicator").get_attribute("aria-labelledby")
    assert labelled.startswith("cmp-indicator-label")


def test_phone_layout_has_no_sideways_scrolling(browser, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server)
    phone = context.new_page()
    for path in ("/en/", "/en/compare", "/en/types-values"):
        phone.goto(path)
        phone.wait_for_selector("#main h1")
        phone.wait_for_timeout(300)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
    context.close()


def test_no_content_security_policy_violations(page: Page) -> None:
    for path in ("/en/", "/en/compare?countries=DK,FI", "/en/profile?country=NO", "/en/types-values",
                 "/en/data", "/en/compare?present=1"):
        page.goto(path)
        page.wait_for_selector("#main h1, #presentation")
        page.wait_for_timeout(300)
    assert not [e for e in page.errors if "Content Security Policy" in e or "Refused" in e], page.errors


@pytest.mark.parametrize(("fmt", "magic"), [("png", b"\x89PNG"), ("svg", b"<svg")])
def test_chart_image_downloads(page: Page, fmt: str, magic: bytes) -> None:
    page.goto("/en/compare?countries=DK,SE&source=survey")
    page.wait_for_selector(GRAPH)
    with page.expect_download() as info:
        page.locator("nav.toolbar button", has_text=fmt.upper()).click()
    download = info.value
    assert download.suggested_filename == f"nordic-barometer-compare-DK-SE-survey.{fmt}"  # the view's parameters
    with open(download.path(), "rb") as handle:
        assert handle.read(64).lstrip().startswith(magic)
