"""Real figures first, in headless Chromium: a cold Compare link of demo waves opens on the published figures,
one click on the switch shows the demo estimates and puts `source` into the address; the published view's
CSV, JSON and chart carry the same numbers."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

GRAPH = "#compare-graph .main-svg"
COLD = "/en/compare?indicator=value&option=quality&countries=DK,NO,SE,FI,IS&waves=latest&level=all&sector=all"
# bar -> its x value, keyed by the category's label as the chart's axis spells it
BAR_VALUES = """() => {
  const gd = document.querySelector('#compare-graph .js-plotly-plot');
  const names = {};
  gd.layout.yaxis.tickvals.forEach((v, i) => { names[v] = gd.layout.yaxis.ticktext[i]; });
  const out = {};
  gd.data.filter(t => t.type === 'bar').forEach(t => t.y.forEach((y, i) => { out[names[y]] = t.x[i]; }));
  return {values: out, whiskers: gd.data.filter(t => t.error_x).length};
}"""


def test_cold_link_opens_on_published_bars_and_the_switch_shows_the_demo_estimates(page: Page,
                                                                                   screenshot_dir) -> None:
    page.goto(COLD)
    page.wait_for_selector(GRAPH)
    page.screenshot(path=str(screenshot_dir / "compare-published.png"), full_page=True)
    expect(page.locator("#compare-source")).to_have_attribute("data-source", "published")
    expect(page.locator("#compare-source")).to_contain_text("PUBLISHED FIGURES")
    expect(page.locator(".demo-label")).to_have_count(0)
    drawn = page.evaluate(BAR_VALUES)
    assert drawn["whiskers"] == 0  # published figures have no CI
    assert sorted(drawn["values"].values()) == [50, 70, 72]  # FI over 50, DK 70, SE (SCB) about 72
    # the relation printed beside its bar, its word above the number
    texts = page.evaluate("() => document.querySelector('#compare-graph .js-plotly-plot').layout.annotations"
                          ".map(a => a.text)")
    assert {"over<br>50%", "70%", "about<br>72%", "<i>among the top 2</i>"} <= set(texts)
    expect(page.locator("#published-sources li")).to_have_count(4)
    expect(page.locator("#published-sources a[href^='https://www.kuntaliitto.fi']")).to_have_count(1)

    page.click("#compare-source-switch")
    expect(page.locator("#compare-source")).to_have_attribute("data-source", "survey")
    expect(page).to_have_url(re.compile(r"[?&]source=survey(&|$)"))
    assert parse_qs(urlsplit(page.url).query)["indicator"] == ["value"]  # the rest of the view is kept
    expect(page.locator(".demo-label").first).to_contain_text("DEMO DATA")
    expect(page.locator("#compare-graph .ytick text")).to_have_count(5)
    assert page.evaluate(BAR_VALUES)["whiskers"] == 1  # the estimates' CIs
    page.screenshot(path=str(screenshot_dir / "compare-survey.png"), full_page=True)
    # and back: the published figures again, the address says so
    page.click("#compare-source-switch")
    expect(page.locator("#compare-source")).to_have_attribute("data-source", "published")
    expect(page).to_have_url(re.compile(r"[?&]source=published(&|$)"))
    assert not page.errors


def test_published_csv_equals_api_equals_the_chart(page: Page) -> None:
    query = "indicator=innovative&option=yes&level=municipal&waves=all"
    page.goto(f"/en/compare?{query}")
    page.wait_for_selector(GRAPH)
    plotted = page.evaluate(BAR_VALUES)["values"]
    api = page.request.get(f"/api/v1/estimates?{query}").json()["data"]
    text = page.request.get(f"/download/compare.csv?{query}").text().lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["row_type"] for r in api} == {r["row_type"] for r in rows} == {"published", "official"}
    assert len(api) == len(rows) == len(plotted) == 5
    labels = page.evaluate("() => document.querySelector('#compare-graph .js-plotly-plot').layout.yaxis.ticktext")
    for label, row, record in zip(reversed(labels), rows, api, strict=True):
        assert label.replace("<br>", " ") == f"{record['country']} {record['wave']} {record['programme']}"
        assert float(row["share_pct"]) == record["share_pct"]
        assert plotted[label] == pytest.approx(record["share_pct"], abs=1e-9)
        assert (row["unit"], row["relation"], row["source_url"]) == \
            (record["unit"], record["relation"], record["source_url"])
