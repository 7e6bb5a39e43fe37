"""axe-core on every page and state at a laptop and a phone size, in headless Chromium, with two versions of axe:
the one bundled with the axe-playwright-python test dependency, and the newest on the npm registry (installed by
the test, tests/services.py: npm_latest), whose rules run ahead of the bundled one's.

axe is injected by the test through the browser's debugging protocol (``page.evaluate``), so the app keeps its
Content-Security-Policy: no script of the app's own pages loads axe.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.e2e.conftest import hold_first_paint, live
from tests.services import npm_latest

pytestmark = pytest.mark.browser

SIZES = {"laptop": (1366, 768), "phone": (390, 844)}
COMPARE = "/en/compare?countries=DK,NO,SE,FI,IS&waves=DK-2018-19,NO-2018,SE-2018,FI-2018,IS-2018"
# every page and every state a visitor can reach: chart, table, presentation, embed, problems, not found
VIEWS = {
    "overview": "/en/",
    "compare": COMPARE,
    "compare-dot": COMPARE + "&chart=dot&axis=full",
    "compare-table": COMPARE + "&display=table",
    "compare-present": COMPARE + "&present=1",
    "compare-embed": "/embed" + COMPARE,
    "compare-problems": "/en/compare?indicator=no-such-thing",
    "compare-nordic-language": COMPARE.replace("/en/", "/is/"),
    "profile": "/sv/profile?country=FI",
    "profile-table": "/en/profile?country=DK&display=table",
    "profile-present": "/en/profile?country=DK&present=1",
    "profile-embed": "/embed/en/profile?country=NO",
    "types-values": "/fi/types-values",
    "types-values-table": "/en/types-values?display=table",
    "types-values-present": "/en/types-values?present=1",
    "types-values-embed": "/embed/da/types-values",
    "data": "/nb/data",
    "not-found": "/en/no-such-page",
}
# the first paint of a document (before Dash's scripts run) is a state of its own
FIRST_PAINTS = ("overview", "compare", "compare-present", "compare-embed", "profile", "types-values", "data")
BLOCKING = ("serious", "critical")


def settle(page: Page) -> None:
    """Wait until the live page has taken over from the first paint and drawn every chart."""
    live(page)
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')]"
                           ".every(g => g.querySelector('.main-svg'))")


@pytest.fixture(scope="module")
def axes() -> dict[str, Axe]:
    """The bundled axe, and the newest from the npm registry."""
    return {"bundled": Axe(), "newest": Axe.from_file(npm_latest("axe-core") / "axe.min.js")}


def blocking_violations(page: Page, axes: dict[str, Axe]) -> str:
    """The serious and critical violations each axe finds on the page as it is, one line each."""
    lines = []
    for name, axe in axes.items():
        results = axe.run(page)
        version = results.response["testEngine"]["version"]
        lines += [f"axe {version} ({name}): {v['id']} ({v['impact']}): {v['help']} at "
                  f"{[n['target'] for n in v['nodes']][:4]}"
                  for v in results.response["violations"] if v["impact"] in BLOCKING]
    return "\n".join(lines)


def test_the_newest_axe_is_newer_than_the_bundled_one(axes: dict[str, Axe]) -> None:
    def version(axe: Axe) -> tuple[int, ...]:
        return tuple(int(p) for p in re.search(r'axe.version="([\d.]+)"', axe.axe_script).group(1).split("."))

    assert version(axes["newest"]) >= version(axes["bundled"])


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("view", VIEWS)
def test_no_serious_or_critical_axe_violations(browser, live_server: str, axes: dict[str, Axe], screenshot_dir,
                                               view: str, size: str) -> None:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=live_server)
    page = context.new_page()
    try:
        page.goto(VIEWS[view])
        settle(page)
        page.screenshot(path=str(screenshot_dir / f"{view}-{size}.png"), full_page=True)
        report = blocking_violations(page, axes)
        assert not report, f"{VIEWS[view]} at {width}x{height}:\n{report}"
    finally:
        context.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("view", FIRST_PAINTS)
def test_the_first_paint_has_no_serious_or_critical_axe_violations(browser, live_server: str, axes: dict[str, Axe],
                                                                    view: str, size: str) -> None:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=live_server)
    page = context.new_page()
    try:
        hold_first_paint(page)
        page.goto(VIEWS[view])
        page.wait_for_selector("#first-paint #main")
        report = blocking_violations(page, axes)
        assert not report, f"first paint of {VIEWS[view]} at {width}x{height}:\n{report}"
    finally:
        context.close()


def test_the_highlighted_dropdown_option_is_marked_without_colour(page: Page) -> None:
    page.goto("/en/compare")
    settle(page)
    page.click("#cmp-indicator")
    page.keyboard.press("ArrowDown")
    page.wait_for_function("() => document.activeElement && document.activeElement.closest('.dash-dropdown-option')")
    highlighted = page.locator(".dash-dropdown-options [role=option]:focus-within").first
    style = highlighted.evaluate("e => { const s = getComputedStyle(e); "
                                 "return [s.outlineStyle, s.outlineWidth, s.borderLeftStyle, s.borderLeftWidth, "
                                 "s.textDecorationLine, s.fontWeight]; }")
    outline, outline_width, border, border_width, decoration, _ = style
    marked = (outline not in ("none", "") and outline_width != "0px") or (border != "none" and border_width != "0px") \
        or "underline" in decoration
    assert marked, f"highlighted option is distinguished by colour only: {style}"


def test_chart_text_contrast_is_at_least_4_5(page: Page) -> None:
    """Every text drawn in the chart's SVG (labels, ticks, legend, notes) against the white chart background."""
    page.goto(COMPARE)
    settle(page)
    colours = page.eval_on_selector_all(
        "#compare-graph .main-svg text, #compare-graph .main-svg .annotation-text",
        "els => els.filter(e => e.textContent.trim()).map(e => [e.textContent, getComputedStyle(e).fill, "
        "getComputedStyle(e).fillOpacity, getComputedStyle(e).opacity])")
    assert colours
    low = []
    for text, fill, fill_opacity, opacity in colours:
        if float(opacity) < 0.2:  # the faint demo watermark is decoration, repeated in words above the chart
            continue
        rgb = [int(c) for c in re.findall(r"\d+", fill)[:3]]
        alpha = float(fill_opacity)
        blended = [round(alpha * c + (1 - alpha) * 255) for c in rgb]
        ratio = contrast(blended, [255, 255, 255])
        if ratio < 4.5:
            low.append((text[:40], fill, round(ratio, 2)))
    assert not low


def contrast(a: list[int], b: list[int]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours."""
    def luminance(rgb: list[int]) -> float:
        def channel(c: int) -> float:
            s = c / 255
            return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4
        r, g, b_ = (channel(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_matches_the_wcag_examples() -> None:
    assert round(contrast([0, 0, 0], [255, 255, 255]), 1) == 21.0
    assert round(contrast([118, 118, 118], [255, 255, 255]), 2) == 4.54  # #767676, the usual AA limit grey
