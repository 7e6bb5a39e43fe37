"""The first view in the page's first response, so a shared link draws its chart as soon as plotly.js has
loaded, without waiting for Dash's renderer, its layout request and the router's callback round trip.

For a page with a chart, the document carries
- the page as static HTML (``#first-paint``: the router's components written as HTML, without ids, the
  controls left to the live page), in front of Dash's hidden entry point (assets/style.css);
- the Dash layout of that page (a JSON data block, never executed): assets/first-paint.js draws each graph of
  it into the static page with plotly (the figure dcc.Graph will draw, with dcc.Graph's responsive settings),
  and hands the same layout to the renderer as the answer to its ``_dash-layout`` request, so the live page
  starts with the view drawn: no second request of the figure, and the router's first call finds it drawn.
When the live page has drawn its charts, the script removes the static page in one frame: the same page, live.

Dash's own bundles (React, the renderer, the component libraries) are deferred, and the renderer starts once
they have run (DOMContentLoaded), so the browser draws the first paint before it spends its time on them.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterator
from typing import Any

from dash import dcc
from dash.development.base_component import Component
from plotly.io.json import to_json_plotly

log = logging.getLogger(__name__)

PAINT_ID = "first-paint"
LAYOUT_ID = "first-paint-layout"
PLOT_CLASS = "first-paint-plot"  # the element of the static page a graph is drawn into
HTML_NAMESPACE = "dash_html_components"
# React props that are not HTML attributes, or that the static copy must not carry
SKIPPED_PROPS = {"id", "children", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "loading_state", "key"}
ATTRIBUTE_NAMES = {"className": "class", "htmlFor": "for"}
TAG_NAMES = {"MapEl": "map", "ObjectEl": "object"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Dash's scripts: its dependencies, renderer and component libraries (not plotly.js, the app's assets)
DASH_SCRIPT = re.compile(r'<script src="([^"]*/_dash-component-suites/dash/[^"]*)"></script>')
AFTER_PAINT = "text/x-after-first-paint"  # the type of Dash's scripts in a document with a first paint
# Dash's renderer starts once its bundles have run and the browser has painted a frame: after the deferred
# bundles (DOMContentLoaded), or when assets/first-paint.js has loaded them after the first paint. A hash of
# this text is in the content security policy (create_app sets it before the hashes are taken).
DEFERRED_RENDERER = (
    "window.barometerStartDash = function () { window.renderer = new DashRenderer(); };"
    f" if (!document.querySelector('script[type=\"{AFTER_PAINT}\"]')) {{"
    ' document.addEventListener("DOMContentLoaded", function () {'
    " requestAnimationFrame(function () { setTimeout(window.barometerStartDash, 0); }); }); }")
WILDCARDS = ("data-", "aria-")  # the props html components take beyond their own
UNITLESS_STYLES = {"opacity", "zIndex", "fontWeight", "lineHeight", "flex", "flexGrow", "flexShrink", "order"}


def graphs(component: Any) -> Iterator[dcc.Graph]:
    """The graphs of a component tree, in document order."""
    if isinstance(component, (list, tuple)):
        for child in component:
            yield from graphs(child)
    elif isinstance(component, dcc.Graph):
        yield component
    elif isinstance(component, Component):
        yield from graphs(getattr(component, "children", None))


def canonical_address(component: Any) -> str | None:
    """The canonical URL of the view a page shows (its 'page-query' store, see app/web/router.py), if any."""
    if isinstance(component, (list, tuple)):
        return next(filter(None, (canonical_address(child) for child in component)), None)
    if isinstance(component, dcc.Store):
        ident = getattr(component, "id", None)
        if not (isinstance(ident, dict) and ident.get("type") == "page-query"):
            return None
        try:
            stored = component.data
        except AttributeError:  # a store without a value
            return None
        return stored.get("url") if isinstance(stored, dict) else None
    if isinstance(component, Component):
        return canonical_address(getattr(component, "children", None))
    return None


def static_html(component: Any) -> str:
    """``component`` as the HTML React would render for it, without ids (the live page keeps those); dcc
    components other than Loading and Graph (controls, stores) are left to the live page."""
    if component is None or isinstance(component, bool):
        return ""
    if isinstance(component, (str, int, float)):
        return html.escape(str(component), quote=False)
    if isinstance(component, (list, tuple)):
        return "".join(static_html(child) for child in component)
    children = getattr(component, "children", None)
    if isinstance(component, dcc.Loading):  # what dcc.Loading renders around content it is not loading
        return f'<div style="position: relative;"><div style="">{static_html(children)}</div></div>'
    if isinstance(component, dcc.Graph):
        classes = " ".join(filter(None, ["dash-graph", component.className]))
        style = _attributes({"style": getattr(component, "style", None)})
        return (f'<div class="{html.escape(classes)}"{style}><div></div>'
                f'<div class="{PLOT_CLASS}" style="height: 100%; width: 100%;"></div></div>')
    if getattr(component, "_namespace", None) != HTML_NAMESPACE:
        return ""
    tag = TAG_NAMES.get(component._type, component._type.lower())
    # the props set on the component (what to_plotly_json() reads, at a fraction of its cost)
    names = component._prop_names
    attributes = _attributes({k: v for k, v in vars(component).items() if k in names or k.startswith(WILDCARDS)})
    if tag in VOID_TAGS:
        return f"<{tag}{attributes}>"
    return f"<{tag}{attributes}>{static_html(children)}</{tag}>"


def _attributes(props: dict[str, Any]) -> str:
    parts = []
    for name, value in sorted(props.items()):  # in a fixed order (Dash keeps aria-* and data-* props in a set)
        if name in SKIPPED_PROPS or value is None or value is False:
            continue
        if name == "style":
            value = "; ".join(f"{_kebab(k)}: {_css_value(k, v)}" for k, v in value.items()) + ";" if value else ""
            if not value:
                continue
        attribute = ATTRIBUTE_NAMES.get(name) or (name if "-" in name else name.lower())
        parts.append(f" {attribute}" if value is True else f' {attribute}="{html.escape(str(value))}"')
    return "".join(parts)


def _kebab(name: str) -> str:
    return re.sub(r"[A-Z]", lambda m: "-" + m.group(0).lower(), name)


def _css_value(name: str, value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and name not in UNITLESS_STYLES:
        return f"{value}px"
    return str(value)


def defer_dash_scripts(scripts: str, *, painted: bool) -> str:
    """Dash's script tags moved after plotly.js and the app's assets, which run as the document is parsed, so
    the first paint is drawn before Dash's bundles run. With a first paint, their type is one no browser runs
    or fetches (AFTER_PAINT): assets/first-paint.js loads them once the chart is on screen, so until then the
    browser spends nothing on them. Else they are deferred: they run in order once the document is parsed."""
    sources = DASH_SCRIPT.findall(scripts)
    rest = DASH_SCRIPT.sub("", scripts).strip()
    attribute = f'type="{AFTER_PAINT}"' if painted else "defer"
    return "\n".join([rest, *(f'<script src="{src}" {attribute}></script>' for src in sources)])


def json_data_block(element_id: str, text: str) -> str:
    """JSON in a <script> data block (not executed, so the content security policy has no say): every '<'
    escaped, so nothing in the data can end the element."""
    escaped = text.replace("<", "\\u003c")
    return f'<script type="application/json" id="{element_id}">{escaped}</script>'


def document_parts(layout: Component, page: list[Any]) -> str | None:
    """What the document carries in front of Dash's entry point for a page (the router's components), or None
    for a page without a chart, which Dash draws as before."""
    if next(graphs(page), None) is None:
        return None
    return (f'<div id="{PAINT_ID}">{static_html(page)}</div>'
            + json_data_block(LAYOUT_ID, to_json_plotly(layout)))
