"""What leaves the browser: the chart's values equal the CSV's and the API's, exported images carry their
source, the embed code, and Nordic pages without English left in them."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page

from app.i18n import catalogue

pytestmark = pytest.mark.browser

QUERY = ("indicator=innovative&option=yes&countries=DK,NO,SE,FI,IS&waves=DK-2018-19,NO-2018,SE-2018,FI-2018,IS-2018"
         "&level=all&sector=all&source=survey")
GRAPH = "#compare-graph .main-svg"


def chart_values(page: Page) -> dict[str, tuple[float, float, float]]:
    """Category -> (share, CI low, CI high) in percent, as plotted (bars and their whiskers)."""
    return page.evaluate("""() => {
        const gd = document.querySelector('#compare-graph .js-plotly-plot');
        const names = {};
        gd.layout.yaxis.tickvals.forEach((v, i) => { names[v] = gd.layout.yaxis.ticktext[i]; });
        const out = {};
        const whiskers = gd.data.find(t => t.error_x && t.error_x.array);
        whiskers.y.forEach((y, i) => {
            const x = whiskers.x[i];
            out[names[y]] = [x, x - whiskers.error_x.arrayminus[i], x + whiskers.error_x.array[i]];
        });
        gd.data.filter(t => t.type === 'bar').forEach(t => t.y.forEach((y, i) => { out[names[y]][0] = t.x[i]; }));
        return out;
    }""")


def test_csv_equals_api_equals_the_chart(page: Page) -> None:
    page.goto(f"/en/compare?{QUERY}")
    page.wait_for_selector(GRAPH)
    plotted = chart_values(page)
    api = page.request.get(f"/api/v1/estimates?{QUERY}").json()["data"]
    response = page.request.get(f"/download/compare.csv?{QUERY}")
    rows = list(csv.DictReader(io.StringIO(response.text().lstrip("\ufeff"))))
    from_api = {f"{r['country']} {r['wave']}": (r["share_pct"], r["ci_low_pct"], r["ci_high_pct"])
                for r in api if r["row_type"] == "estimate"}
    from_csv = {f"{r['country']} {r['wave']}": tuple(float(r[k]) for k in ("share_pct", "ci_low_pct", "ci_high_pct"))
                for r in rows if r["row_type"] == "estimate"}
    assert set(plotted) == set(from_api) == set(from_csv) and len(plotted) == 5
    for name, values in plotted.items():
        # the CSV writes Python's shortest round-trip repr: equal to the float, not merely close
        assert from_csv[name] == from_api[name], name
        assert values == pytest.approx(from_api[name], abs=1e-9), name  # whisker ends: share ± the arrays
        assert values[0] == from_api[name][0], name
    nordic_api = next(r for r in api if r["row_type"] == "nordic_average")
    nordic_csv = next(r for r in rows if r["row_type"] == "nordic_average")
    assert float(nordic_csv["share_pct"]) == nordic_api["share_pct"]
    # the one Nordic line: at the average's value, named by the waves it averages
    lines = page.evaluate("() => document.querySelector('#compare-graph .js-plotly-plot').layout.shapes"
                          ".filter(s => s.type === 'line').map(s => s.x0)")
    assert lines == [nordic_api["share_pct"]]
    legend = " ".join(page.locator("#compare-graph .legendtext").all_text_contents())
    # (plotly draws each line of a wrapped legend entry as its own text: compare without spaces)
    assert "NordicaverageofDK2018-19,NO2018,SE2018,FI2018,IS2018" in re.sub(r"\s", "", legend)
    assert re.search(r"filename=\"nordic-barometer-compare-.*DK-2018-19-NO-2018.*-demo\.csv\"",
                     response.headers["content-disposition"])


def test_svg_export_carries_title_source_address_and_demo_flag(page: Page) -> None:
    page.goto(f"/sv/compare?{QUERY}")
    page.wait_for_selector(GRAPH)
    with page.expect_download() as info:
        page.locator("nav.toolbar button", has_text="SVG").click()
    with open(info.value.path(), encoding="utf-8") as handle:
        svg = handle.read()
    # the title, which the page shows as its heading above the chart, is put back into the image
    assert "Andel offentliga arbetsplatser" in svg and "som införde minst en innovation" in svg
    assert "Källa: CO-PI, Innovationsbarometeret 2018-19" in svg  # sources, in the page language
    assert "Licens:" in svg and "DEMODATA" in svg.upper()
    # the canonical address of the view (parameters at their default are left out)
    assert "/sv/compare?waves=DK-2018-19,NO-2018,SE-2018,FI-2018,IS-2018&amp;source=survey</tspan>" in svg


def test_embed_button_shows_a_ready_iframe(page: Page, live_server: str) -> None:
    page.goto(f"/en/compare?{QUERY}")
    page.wait_for_selector(GRAPH)
    page.click("#compare-embed-button")
    snippet = page.input_value("#compare-embed-code")
    # the canonical address of the embedded view (parameters at their default are left out)
    assert snippet.startswith(f'<iframe src="{live_server}/embed/en/compare?waves=DK-2018-19,NO-2018,SE-2018,FI-2018,'
                              'IS-2018&amp;source=survey"')
    src = re.search(r'src="([^"]+)"', snippet).group(1).replace("&amp;", "&")
    other = page.context.new_page()
    other.goto(src)
    other.wait_for_selector(GRAPH)
    assert other.locator(".embed").count() == 1
    other.close()


NORDIC_PAGES = ("/{lang}/", "/{lang}/compare?" + QUERY, "/{lang}/profile?country=FI", "/{lang}/types-values",
                "/{lang}/data", "/{lang}/compare?{q}&present=1",
                "/{lang}/compare?indicator=innovative&option=yes")  # the last: published figures


def english_phrases(lang: str) -> set[str]:
    """Catalogue texts that must not appear on a page in ``lang``: the English ones its catalogue changes."""
    english, other = catalogue("en"), catalogue(lang)
    phrases = set()
    for key, text in english.items():
        plain = re.sub(r"<[^>]+>", "", text)
        for part in re.split(r"\{[^}]*\}", plain):
            part = part.strip(" .:;,()")
            if len(part) >= 14 and part not in other[key] and " " in part:
                phrases.add(part)
    # plotly's tool bar
    phrases |= {"Download plot as a PNG", "Download plot", "Share chart"}
    return phrases


def strings_in(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return []


@pytest.mark.parametrize("lang", ["nb", "da", "sv", "fi", "is"])
def test_no_english_left_on_a_nordic_page(page: Page, lang: str) -> None:
    """Every UI text is in the page language. Texts that come from the codebooks (citations, reference periods,
    comparability notes, question wording) are written once, in English or the national language, and are
    taken out before looking."""
    phrases = english_phrases(lang)
    sources = page.request.get(f"/api/v1/sources?lang={lang}").json()
    texts = strings_in(sources) + [part for s in strings_in(sources) for part in re.split(r"(?<=[.;])\s+", s)]
    data_texts = sorted({s for s in texts if len(s) > 20}, key=len, reverse=True)
    for template in NORDIC_PAGES:
        page.goto(template.format(lang=lang, q=QUERY))
        page.wait_for_selector("#main h1, #presentation")
        page.wait_for_load_state("networkidle")
        # parts deliberately in English are marked lang="en" (the API reference) and left out
        nodes = page.evaluate("""() => { const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            const texts = [];
            while (walker.nextNode()) {
                const parent = walker.currentNode.parentElement;
                if (!parent.closest('[lang="en"], script, style')) { texts.push(walker.currentNode.textContent); }
            }
            return [document.title, ...texts,
            ...[...document.querySelectorAll('[aria-label], [title], [data-title], [placeholder]')].flatMap(e =>
                ['aria-label', 'title', 'data-title', 'placeholder'].map(a => e.getAttribute(a) || ''))]; }""")
        # a text node that is (part of) a codebook text is data, not UI
        text = "\n".join(node for node in nodes if not any(node.strip() in d for d in data_texts))
        left = sorted(p for p in phrases if p in text)
        context = [text[max(0, text.find(p) - 80):text.find(p) + 80] for p in left[:3]]
        assert not left, f"{page.url}: {left[:8]} in {context}"
        assert "Nordic Innovation Barometer Explorer" not in page.title()
