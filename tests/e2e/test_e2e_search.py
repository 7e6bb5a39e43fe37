"""Find a chart in headless Chromium: in each of the six languages, type into the header's search box, move to a
result with the keyboard (the combobox states follow) and press Enter to reach the view."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.app.search.cases import SEARCHES

pytestmark = pytest.mark.browser

BOX = "#site-search-input"
OPTIONS = "#site-search-list [role=option]"
@pytest.mark.parametrize(("lang", "query", "view"), SEARCHES, ids=[s[0] for s in SEARCHES])
def test_search_in_each_language_reaches_the_view(page: Page, lang: str, query: str, view: tuple) -> None:
    page.goto(f"/{lang}/")
    box = page.locator(BOX)
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.fill(query)
    expect(page.locator(OPTIONS).first).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#site-search-status")).not_to_be_empty()
    box.press("ArrowDown")
    first = page.locator(OPTIONS).first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    # "Samarbeidspartnere: Private virksomheter – Danmark": the option's label, which the view's title quotes
    option_label = first.locator(".search-title").inner_text().split(": ", 1)[1].split(" – ")[0]
    box.press("Enter")
    page.wait_for_url(f"**/{lang}/compare?*")
    page.wait_for_selector("#compare-graph .main-svg")
    params = {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}
    indicator, option, country = view
    assert (params.get("indicator", "innovative"), params.get("option")) == (indicator, option)
    assert params.get("countries") == country or (country is None and "countries" not in params)
    expect(page.locator("main")).to_contain_text(option_label)
    assert page.errors == []


def test_escape_closes_the_list_and_enter_opens_the_first_result(page: Page) -> None:
    page.goto("/en/data")
    box = page.locator(BOX)
    box.fill("citizens Iceland")
    expect(page.locator(OPTIONS).first).to_be_visible()
    box.press("Escape")
    expect(page.locator("#site-search-list")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("Enter")  # nothing chosen: the first result
    page.wait_for_url("**/en/compare?*countries=IS*")
    assert page.errors == []
