"""The first view in the page's first response: a shared link shows its page, chart included, as soon as the
document and its style sheet have arrived, with no script of Dash or plotly run.

The document carries
- the page as static HTML (``#first-paint``: the router's components written as HTML, with their ids, in
  front of Dash's hidden entry point): Dash's controls as copies of what Dash draws for them (disabled until the
  live page takes over), each graph as a box of the size the live graph will have, holding the server's SVG
  drawing of the view (the slide a phone following a talk shows) where there is one;
- the Dash layout of that page (a JSON data block, never executed): assets/first-paint.js hands it to the
  renderer as the answer to its ``_dash-layout`` request, so the live page starts with the view drawn and the
  router's first call finds it drawn.

Dash's and plotly's bundles are held back (a script type no browser runs or fetches): assets/first-paint.js
loads them on the visitor's first interaction, or once the page has been idle for a while, and swaps the live
page in, laid out behind the first paint at the same place, in one frame. Without a first paint (it could not be drawn),
Dash's bundles are deferred and the renderer starts once they have run.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Callable
from typing import Any

from dash import dcc
from dash.development.base_component import Component
from plotly.io.json import to_json_plotly

from app.web.bundles import LIBRARIES, URL_PATH

log = logging.getLogger(__name__)

PAINT_ID = "first-paint"
LAYOUT_ID = "first-paint-layout"
PLOT_CLASS = "first-paint-plot"  # the element of the static page a graph is drawn into
HTML_NAMESPACE = "dash_html_components"
# React props that are not HTML attributes, or that the static copy must not carry
SKIPPED_PROPS = {"children", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "loading_state", "key"}
ATTRIBUTE_NAMES = {"className": "class", "htmlFor": "for"}
TAG_NAMES = {"MapEl": "map", "ObjectEl": "object"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Dash's scripts (its dependencies, renderer and component libraries), and the bundle of the libraries with
# plotly.js (app/web/bundles.py), not the app's assets
DASH_SCRIPT = re.compile(r'<script src="([^"]*/_dash-component-suites/dash/[^"]*)"></script>')
HELD_SCRIPT = re.compile(rf'<script src="([^"]*(?:/_dash-component-suites/dash/|{re.escape(URL_PATH + LIBRARIES)}\?)'
                         r'[^"]*)"></script>')
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


Drawing = Callable[[dcc.Graph], str]  # what the first paint shows in a graph's box (SVG markup, or nothing)


def _no_drawing(_graph: dcc.Graph) -> str:
    return ""


def static_html(component: Any, drawing: Drawing = _no_drawing) -> str:
    """``component`` as the HTML React would render for it: html components as they are, Dash's controls as
    copies of what Dash draws for them (disabled: the live page's own take over), each graph as its box holding
    ``drawing(graph)``; stores and other components without a rendering are left to the live page."""
    if component is None or isinstance(component, bool):
        return ""
    if isinstance(component, (str, int, float)):
        return html.escape(str(component), quote=False)
    if isinstance(component, (list, tuple)):
        return "".join(static_html(child, drawing) for child in component)
    children = getattr(component, "children", None)
    if isinstance(component, dcc.Loading):  # what dcc.Loading renders around content it is not loading
        return f'<div style="position: relative;"><div style="">{static_html(children, drawing)}</div></div>'
    if isinstance(component, dcc.Graph):
        classes = " ".join(filter(None, ["dash-graph", component.className]))
        attributes = _attributes({"id": getattr(component, "id", None), "style": getattr(component, "style", None)})
        return (f'<div class="{html.escape(classes)}"{attributes}><div></div>'
                f'<div class="{PLOT_CLASS}" style="height: 100%; width: 100%;">{drawing(component)}</div></div>')
    copy = CONTROL_COPIES.get(type(component))
    if copy is not None:
        return copy(component)
    if getattr(component, "_namespace", None) != HTML_NAMESPACE:
        return ""
    tag = TAG_NAMES.get(component._type, component._type.lower())
    # the props set on the component (what to_plotly_json() reads, at a fraction of its cost)
    names = component._prop_names
    attributes = _attributes({k: v for k, v in vars(component).items() if k in names or k.startswith(WILDCARDS)})
    if tag in VOID_TAGS:
        return f"<{tag}{attributes}>"
    return f"<{tag}{attributes}>{static_html(children, drawing)}</{tag}>"


# Copies of Dash's controls, element for element and class for class as Dash 4 draws them (assets/style.css
# gives them the geometry Dash's own styles, injected by its scripts, give the live ones), disabled.
CHEVRON = ('<svg width="15" height="15" viewBox="0 0 15 15" aria-hidden="true" class="dash-dropdown-trigger-icon">'
           '</svg>')
CROSS = ('<a class="dash-dropdown-clear" aria-hidden="true"><svg width="15" height="15" viewBox="0 0 15 15" '
         'aria-hidden="true"></svg></a>')


def _options(component: Any) -> list[tuple[str, Any]]:
    """A control's options as (label, value): Dash takes a list of values, of dicts or a dict value -> label."""
    options = getattr(component, "options", None) or []
    if isinstance(options, dict):
        return [(str(label), value) for value, label in options.items()]
    return [(str(o.get("label", o.get("value"))), o.get("value")) if isinstance(o, dict) else (str(o), o)
            for o in options]


def _chosen(component: Any) -> list[Any]:
    value = getattr(component, "value", None)
    return list(value) if isinstance(value, (list, tuple)) else ([] if value is None else [value])


def _dropdown(component: dcc.Dropdown) -> str:
    chosen = _chosen(component)
    labels = [label for label, value in _options(component) if value in chosen]
    if labels:
        items = "".join(f'<span class="dash-dropdown-value-item"><span>{html.escape(label)}</span></span>'
                        for label in labels)
        value = f'<span class="dash-dropdown-value">{items}</span>'
    else:
        placeholder = html.escape(str(getattr(component, "placeholder", None) or ""))
        value = f'<span class="dash-dropdown-value dash-dropdown-placeholder">{placeholder}</span>'
    ident = getattr(component, "id", None)
    ident = ident if isinstance(ident, str) else None
    words = getattr(component, "labels", None) or {}
    count = ""
    if len(labels) > 1:
        text = words.get("selected_count", "{num_selected}").replace("{num_selected}", str(len(labels)))
        count = f'<span{_attributes({"id": ident and f"{ident}-value-count"})} class="dash-dropdown-value-count">' \
                f'{html.escape(text)}</span>'
    clear = CROSS if labels and getattr(component, "clearable", False) else ""
    classes = " ".join(filter(None, ["dash-dropdown", getattr(component, "className", None)]))
    # named as assets/app.js names the live one: by its label and by itself (all it shows)
    named = {"id": ident, "aria-labelledby": f"{ident}-label {ident}", "aria-describedby": f"{ident}-value"} \
        if ident else {}
    button = _attributes({**named, "className": classes, "type": "button", "disabled": True})
    if ident:
        value = value.replace('<span class="dash-dropdown-value', f'<span id="{html.escape(ident)}-value" '
                                                                  'class="dash-dropdown-value', 1)
    return (f'<div class="dash-dropdown-wrapper"><button{button}>'
            f'<span class="dash-dropdown-grid-container dash-dropdown-trigger">{value}{count}{clear}{CHEVRON}'
            f'</span></button></div>')


def _choices(component: Any, kind: str, input_type: str) -> str:
    chosen = _chosen(component)
    name = html.escape(str(getattr(component, "id", "")))
    inline = f" dash-{kind}-inline" if getattr(component, "inline", False) else ""
    input_class = " ".join(filter(None, ["dash-options-list-option-checkbox",
                                         getattr(component, "inputClassName", None)]))
    label_class = " ".join(filter(None, ["dash-options-list-option-text", getattr(component, "labelClassName", None)]))
    options = []
    for index, (label, value) in enumerate(_options(component)):
        on = value in chosen
        options.append(
            f'<label class="dash-options-list-option{" selected" if on else ""}{inline}" data-option-index="{index}">'
            f'<span class="dash-options-list-option-wrapper"><input type="{input_type}" name="{name}" disabled '
            f'class="{html.escape(input_class)}" value="{html.escape(str(value))}"{" checked" if on else ""}></span>'
            f'<span class="{html.escape(label_class)}"><span>{html.escape(label)}</span></span></label>')
    classes = " ".join(filter(None, ["dash-options-list", f"dash-{kind}", getattr(component, "className", None)]))
    return f'<div{_attributes({"id": getattr(component, "id", None)})} class="{html.escape(classes)}">' \
           f'{"".join(options)}</div>'


def _input(component: dcc.Input) -> str:
    classes = " ".join(filter(None, ["dash-input-container dash-input", getattr(component, "className", None)]))
    value = str(getattr(component, "value", None) or "")
    field = _attributes({"id": getattr(component, "id", None), "className": "dash-input-element",
                         "type": getattr(component, "type", None) or "text", "readOnly": True, "disabled": True,
                         "value": value})
    return f'<div class="{html.escape(classes)}"><input{field}></div>'


def _textarea(component: dcc.Textarea) -> str:
    classes = " ".join(filter(None, ["dash-textarea", getattr(component, "className", None)]))
    attributes = _attributes({"id": getattr(component, "id", None), "className": classes, "readOnly": True,
                              "disabled": True, "rows": getattr(component, "rows", None)})
    return (f'<textarea{attributes}>'
            f'{html.escape(str(getattr(component, "value", None) or ""), quote=False)}</textarea>')


def _clipboard(component: dcc.Clipboard) -> str:
    attributes = _attributes({"id": getattr(component, "id", None), "className": getattr(component, "className", None),
                              "title": getattr(component, "title", None)})
    return f'<div{attributes}><svg aria-hidden="true" viewBox="0 0 448 512" class="fa-copy"></svg></div>'


CONTROL_COPIES: dict[type, Callable[[Any], str]] = {
    dcc.Dropdown: _dropdown,
    dcc.Checklist: lambda c: _choices(c, "checklist", "checkbox"),
    dcc.RadioItems: lambda c: _choices(c, "radioitems", "radio"),
    dcc.Input: _input,
    dcc.Textarea: _textarea,
    dcc.Clipboard: _clipboard,
}


def _attributes(props: dict[str, Any]) -> str:
    parts = []
    for name, value in sorted(props.items()):  # in a fixed order (Dash keeps aria-* and data-* props in a set)
        if name in SKIPPED_PROPS or value is None or value is False:
            continue
        if name == "id" and isinstance(value, dict):  # a pattern-matching id, written as Dash writes it
            value = json.dumps(value, sort_keys=True, separators=(",", ":"))
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
    """With a first paint, Dash's and plotly's script tags get a type no browser runs or fetches
    (AFTER_PAINT): assets/first-paint.js loads them, in their order, when the live page is wanted. Without one,
    Dash's are moved after plotly.js and the app's assets and deferred: they run in order once the document is
    parsed."""
    pattern = HELD_SCRIPT if painted else DASH_SCRIPT
    sources = pattern.findall(scripts)
    rest = pattern.sub("", scripts).strip()
    attribute = f'type="{AFTER_PAINT}"' if painted else "defer"
    return "\n".join([rest, *(f'<script src="{src}" {attribute}></script>' for src in sources)])


def json_data_block(element_id: str, text: str) -> str:
    """JSON in a <script> data block (not executed, so the content security policy has no say): every '<'
    escaped, so nothing in the data can end the element."""
    escaped = text.replace("<", "\\u003c")
    return f'<script type="application/json" id="{element_id}">{escaped}</script>'


def fitted(svg: str) -> str:
    """An SVG drawing scaled to fit a graph's box (the box keeps the live graph's size), from its top left corner."""
    return re.sub(r'^<svg([^>]*?) width="[^"]*" height="[^"]*"',
                  r'<svg\1 width="100%" height="100%" preserveAspectRatio="xMinYMin meet"', svg, count=1)


def document_parts(layout: Component, page: list[Any], address: str, drawing: Drawing = _no_drawing) -> str:
    """What the document carries in front of Dash's entry point for a page (the router's components) drawn at
    ``address`` (its canonical one)."""
    return (f'<div id="{PAINT_ID}" data-address="{html.escape(address)}">{static_html(page, drawing)}</div>'
            + json_data_block(LAYOUT_ID, to_json_plotly(layout)))
