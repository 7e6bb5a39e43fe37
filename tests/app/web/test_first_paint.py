"""A shared link's first response carries its page and chart (app/web/first_paint.py): the static page as React
would render it, and the Dash layout with the figure the router would draw, for the live page to start from."""

from __future__ import annotations

import json
import re

from dash import dcc, html

from app.web import router
from app.web.first_paint import LAYOUT_ID, PAINT_ID, graphs, json_data_block, static_html

# the survey estimates (demo), so that the first paint carries the demo label; the default would be published figures
LINK = ("/en/compare?indicator=innovative&option=yes&countries=DK,NO,SE,FI,IS&waves=latest&level=all&sector=all"
        "&source=survey")


def test_components_are_written_as_react_renders_them_without_ids() -> None:
    tree = html.Div([
        html.A("Skip & go", href="#main", className="skip-link", id="skip", **{"data-spa": "1", "aria-label": "x"}),
        html.Details([html.Summary("more <b>")], open=True, tabIndex=0, id={"type": "t", "n": 1}),
        html.Label("Name", htmlFor="field"),
        html.Br(),
        html.Span(["n = ", 40], style={"marginTop": 4, "opacity": 0.5, "fontWeight": "bold"}),
        dcc.Store(id="s", data={"secret": 1}),
        dcc.Dropdown(id="d", options=["a"]),
        dcc.Loading(html.P("inside"), type="dot"),
        dcc.Graph(id="g", figure={"data": []}, className="graph", style={"height": "332px"}),
    ], className="page")
    assert static_html(tree) == (
        '<div class="page">'
        '<a aria-label="x" class="skip-link" data-spa="1" href="#main">Skip &amp; go</a>'
        '<details open tabindex="0"><summary>more &lt;b&gt;</summary></details>'
        '<label for="field">Name</label>'
        '<br>'
        '<span style="margin-top: 4px; opacity: 0.5; font-weight: bold;">n = 40</span>'
        '<div style="position: relative;"><div style=""><p>inside</p></div></div>'
        '<div class="dash-graph graph" style="height: 332px;"><div></div>'
        '<div class="first-paint-plot" style="height: 100%; width: 100%;"></div></div>'
        '</div>')
    assert [g.id for g in graphs(tree)] == ["g"]


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
    paint = document[document.index(f'<div id="{PAINT_ID}">'):document.index(f'<script type="application/json" '
                                                                             f'id="{LAYOUT_ID}">')]
    # the page as the live one shows it, title and notices included, its chart's box at the figure's height
    path, query = LINK.split("?", 1)
    with dash_app.server.test_request_context(LINK):
        page = router.render(path, f"?{query}")
    title = static_html(page).split('<h1 class="view-title">', 1)[1].split("</h1>", 1)[0]
    assert f'<h1 class="view-title">{title}</h1>' in paint and "Share of public workplaces" in title
    assert "DEMO DATA" in paint and 'class="first-paint-plot"' in paint
    assert ' id="' not in paint.removeprefix(f'<div id="{PAINT_ID}">')  # ids only in the live page
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


def test_pages_without_a_chart_are_left_to_dash(client) -> None:
    for path in ("/en/data", "/en/no-such-page"):
        document = client.get(path).get_data(as_text=True)
        assert PAINT_ID not in document.split("<footer>")[0] and LAYOUT_ID not in document
        assert '<div id="react-entry-point">' in document
