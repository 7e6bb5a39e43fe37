"""A shared link's first response carries its page (app/web/first_paint.py): the static page as React would render
it (Dash's controls as copies, the chart's box holding the server's drawing of the view), and the Dash layout with
the figure the router would draw, for the live page to start from."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from dash import dcc, html
from dash.development.base_component import Component

from app.web import router
from app.web.first_paint import (
    LAYOUT_ID,
    PAINT_ID,
    defer_dash_scripts,
    fitted,
    json_data_block,
    static_html,
)

# the survey estimates (demo), so that the first paint carries the demo label; the default would be published figures
LINK = ("/en/compare?indicator=innovative&option=yes&countries=DK,NO,SE,FI,IS&waves=latest&level=all&sector=all"
        "&source=survey")


def graphs(component: Any) -> Iterator[dcc.Graph]:
    """The graphs of a component tree, in document order."""
    if isinstance(component, (list, tuple)):
        for child in component:
            yield from graphs(child)
    elif isinstance(component, dcc.Graph):
        yield component
    elif isinstance(component, Component):
        yield from graphs(getattr(component, "children", None))


def test_components_are_written_as_react_renders_them() -> None:
    tree = html.Div([
        html.A("Skip & go", href="#main", className="skip-link", id="skip", **{"data-spa": "1", "aria-label": "x"}),
        html.Details([html.Summary("more <b>")], open=True, tabIndex=0, id={"type": "t", "n": 1}),
        html.Label("Name", htmlFor="field"),
        html.Br(),
        html.Span(["n = ", 40], style={"marginTop": 4, "opacity": 0.5, "fontWeight": "bold"}),
        dcc.Store(id="s", data={"secret": 1}),
        dcc.Loading(html.P("inside"), type="dot"),
        dcc.Graph(id="g", figure={"data": []}, className="graph", style={"height": "332px"}),
    ], className="page")
    assert static_html(tree, lambda graph: f"<svg>{graph.id}</svg>") == (
        '<div class="page">'
        '<a aria-label="x" class="skip-link" data-spa="1" href="#main" id="skip">Skip &amp; go</a>'
        '<details id="{&quot;n&quot;:1,&quot;type&quot;:&quot;t&quot;}" open tabindex="0">'
        '<summary>more &lt;b&gt;</summary></details>'
        '<label for="field">Name</label>'
        '<br>'
        '<span style="margin-top: 4px; opacity: 0.5; font-weight: bold;">n = 40</span>'
        '<div style="position: relative;"><div style=""><p>inside</p></div></div>'
        '<div class="dash-graph graph" id="g" style="height: 332px;"><div></div>'
        '<div class="first-paint-plot" style="height: 100%; width: 100%;"><svg>g</svg></div></div>'
        '</div>')
    assert [g.id for g in graphs(tree)] == ["g"]


def test_controls_are_copied_as_dash_draws_them_disabled() -> None:
    """Element for element and class for class as Dash 4 draws them (the style sheet gives both the same
    geometry), with the chosen values, and nothing a visitor could change before the live page takes over."""
    choose = dcc.Dropdown(id="w", options=[{"label": "A & B", "value": "a"}, {"label": "C", "value": "c"},
                                           {"label": "D", "value": "d"}], value=["a", "c"], multi=True,
                          clearable=True, className="dropdown", labels={"selected_count": "{num_selected} chosen"})
    assert static_html(choose) == (
        '<div class="dash-dropdown-wrapper"><button aria-describedby="w-value" aria-labelledby="w-label w" '
        'class="dash-dropdown dropdown" disabled id="w" type="button">'
        '<span class="dash-dropdown-grid-container dash-dropdown-trigger">'
        '<span id="w-value" class="dash-dropdown-value"><span class="dash-dropdown-value-item"><span>A &amp; B'
        '</span></span><span class="dash-dropdown-value-item"><span>C</span></span></span>'
        '<span id="w-value-count" class="dash-dropdown-value-count">2 chosen</span>'
        '<a class="dash-dropdown-clear" aria-hidden="true"><svg width="15" height="15" viewBox="0 0 15 15" '
        'aria-hidden="true"></svg></a>'
        '<svg width="15" height="15" viewBox="0 0 15 15" aria-hidden="true" class="dash-dropdown-trigger-icon"></svg>'
        '</span></button></div>')
    empty = static_html(dcc.Dropdown(id="e", options=["x"], placeholder="Pick one"))
    assert '<span id="e-value" class="dash-dropdown-value dash-dropdown-placeholder">Pick one</span>' in empty
    assert "value-count" not in empty and "dash-dropdown-clear" not in empty
    checks = static_html(dcc.Checklist(id="c", options={"DK": "Denmark", "NO": "Norway"}, value=["NO"], inline=True,
                                       className="checks", inputClassName="check-input", labelClassName="check-label"))
    assert checks == (
        '<div id="c" class="dash-options-list dash-checklist checks">'
        '<label class="dash-options-list-option dash-checklist-inline" data-option-index="0">'
        '<span class="dash-options-list-option-wrapper"><input type="checkbox" name="c" disabled '
        'class="dash-options-list-option-checkbox check-input" value="DK"></span>'
        '<span class="dash-options-list-option-text check-label"><span>Denmark</span></span></label>'
        '<label class="dash-options-list-option selected dash-checklist-inline" data-option-index="1">'
        '<span class="dash-options-list-option-wrapper"><input type="checkbox" name="c" disabled '
        'class="dash-options-list-option-checkbox check-input" value="NO" checked></span>'
        '<span class="dash-options-list-option-text check-label"><span>Norway</span></span></label></div>')
    radios = static_html(dcc.RadioItems(id="r", options=["bar", "dot"], value="dot"))
    assert radios.count('type="radio"') == 2 and radios.count(" checked") == 1 and 'value="dot" checked' in radios
    assert static_html(dcc.Input(id={"type": "share", "page": "p"}, type="text", readOnly=True, value="a\"b",
                                 className="share-input")) == (
        '<div class="dash-input-container dash-input share-input"><input class="dash-input-element" disabled '
        'id="{&quot;page&quot;:&quot;p&quot;,&quot;type&quot;:&quot;share&quot;}" readonly type="text" '
        'value="a&quot;b"></div>')
    assert static_html(dcc.Textarea(id="t", value="<iframe>", rows=3, className="embed-code")) == (
        '<textarea class="dash-textarea embed-code" disabled id="t" readonly rows="3">&lt;iframe&gt;</textarea>')
    assert static_html(dcc.Clipboard(id="k", target_id="t", title="Copy", className="copy-button")) == (
        '<div class="copy-button" id="k" title="Copy">'
        '<svg aria-hidden="true" viewBox="0 0 448 512" class="fa-copy"></svg></div>')


def test_a_drawing_fills_its_box_from_the_top() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 390 775" width="390" height="775" role="img"><g/></svg>'
    assert fitted(svg) == ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 390 775" width="100%" height="100%"'
                           ' preserveAspectRatio="xMinYMin meet" role="img"><g/></svg>')


def test_with_a_first_paint_dash_and_plotly_are_held_back() -> None:
    scripts = ('<script src="/_dash-component-suites/dash/deps/react.js"></script>\n'
               '<script src="/assets/bundles/dash-renderer-libraries.js?m=eb4e9"></script>\n'
               '<script src="/assets/app.js"></script>\n'
               '<script src="/_dash-component-suites/dash/dcc/dcc.js"></script>')
    assert defer_dash_scripts(scripts, painted=True) == (
        '<script src="/assets/app.js"></script>\n'
        '<script src="/_dash-component-suites/dash/deps/react.js" type="text/x-after-first-paint"></script>\n'
        '<script src="/assets/bundles/dash-renderer-libraries.js?m=eb4e9" type="text/x-after-first-paint"></script>\n'
        '<script src="/_dash-component-suites/dash/dcc/dcc.js" type="text/x-after-first-paint"></script>')
    assert defer_dash_scripts(scripts, painted=False) == (
        '<script src="/assets/bundles/dash-renderer-libraries.js?m=eb4e9"></script>\n'
        '<script src="/assets/app.js"></script>\n'
        '<script src="/_dash-component-suites/dash/deps/react.js" defer></script>\n'
        '<script src="/_dash-component-suites/dash/dcc/dcc.js" defer></script>')


def test_json_data_blocks_cannot_end_their_element() -> None:
    block = json_data_block("x", json.dumps({"text": "</script><script>alert(1)</script><!--"}))
    assert block.count("<") == 2 and "</script>" not in block[:-len("</script>")]
    inner = block[block.index(">") + 1:-len("</script>")]
    assert json.loads(inner) == {"text": "</script><script>alert(1)</script><!--"}


def data_block(document: str, element_id: str) -> dict:
    match = re.search(f'<script type="application/json" id="{element_id}">(.*?)</script>', document, re.S)
    assert match, f"no #{element_id}"
    return json.loads(match.group(1))


def walk(node) -> list[dict]:
    """Every component of a layout's JSON."""
    if isinstance(node, list):
        return [found for child in node for found in walk(child)]
    if not isinstance(node, dict) or "props" not in node:
        return []
    return [node, *walk(node["props"].get("children"))]


def graph_props(node) -> list[dict]:
    if isinstance(node, list):
        return [props for child in node for props in graph_props(child)]
    if not isinstance(node, dict) or "props" not in node:
        return []
    if node.get("type") == "Graph":
        return [node["props"]]
    return graph_props(node["props"].get("children"))


def test_a_shared_link_carries_its_page_and_figure(client, dash_app) -> None:
    response = client.get(LINK)
    assert response.status_code == 200
    document = response.get_data(as_text=True)
    paint = document[document.index(f'<div id="{PAINT_ID}"'):document.index(f'<script type="application/json" '
                                                                           f'id="{LAYOUT_ID}">')]
    # the page as the live one shows it, title and notices included, its chart's box at the figure's height
    path, query = LINK.split("?", 1)
    with dash_app.server.test_request_context(LINK):
        page = router.render(path, f"?{query}")
    title = static_html(page).split('<h1 class="view-title">', 1)[1].split("</h1>", 1)[0]
    assert f'<h1 class="view-title">{title}</h1>' in paint and "Share of public workplaces" in title
    assert "DEMO DATA" in paint and 'class="first-paint-plot"' in paint
    assert paint.startswith(f'<div id="{PAINT_ID}" data-address="/en/compare?source=survey">')
    # the chart's box holds the server's drawing of the view, the one a phone following a talk gets from /svg
    drawing = paint.split('class="first-paint-plot" style="height: 100%; width: 100%;">', 1)[1].split("</svg>")[0]
    svg = client.get("/svg/en/compare?source=survey").get_data(as_text=True)
    assert fitted(svg).startswith(drawing) and 'role="img"' in drawing and "<desc" in drawing
    # and its controls as copies, with the view's choices
    assert ('<button aria-describedby="cmp-indicator-value" aria-labelledby="cmp-indicator-label cmp-indicator" '
            'class="dash-dropdown dropdown"') in paint
    assert 'value="survey" checked' in paint and paint.count('name="cmp-countries" disabled') == 5
    # the layout handed to the renderer: the page drawn, the router told it is, the figure the router draws
    layout = data_block(document, LAYOUT_ID)
    stores = {c["props"]["id"]: c["props"] for c in layout["props"]["children"] if c["type"] == "Store"}
    # drawn at the view's canonical address, which the first paint's script puts into the address bar
    canonical = next(c["props"]["data"]["url"] for c in walk(layout) if c.get("type") == "Store"
                     and isinstance(c["props"].get("id"), dict) and c["props"]["id"]["type"] == "page-query")
    assert stores["view-search"]["data"] == canonical == "/en/compare?source=survey"  # defaults left out
    [props] = graph_props(layout)
    [drawn] = list(graphs(page))
    assert props["id"] == "compare-graph" and props["figure"] == json.loads(json.dumps(drawn.figure))
    assert [t["x"] for t in props["figure"]["data"] if t.get("type") == "bar"]  # real values, not an empty chart
    assert f'style="height: {drawn.style["height"]};"' in paint
    # the policy is unchanged: the data block is not a script the browser runs
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"].split("script-src", 1)[1].split(";")[0]


def test_pages_without_a_chart_have_a_first_paint_too(client) -> None:
    for path, text in (("/en/data", "Data &amp; methods"), ("/en/no-such-page", "Page not found"),
                       ("/en/compare?display=table", '<table class="data-table"')):
        document = client.get(path).get_data(as_text=True)
        paint = document.split(f'<div id="{PAINT_ID}"', 1)[1].split(f'id="{LAYOUT_ID}"', 1)[0]
        assert text in paint and "first-paint-plot" not in paint
        assert '<div id="react-entry-point">' in document and 'type="text/x-after-first-paint"' in document
