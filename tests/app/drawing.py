"""Pages as the router draws them, and ways to find things in the drawn components (shared by the app tests)."""

from __future__ import annotations

import json
from typing import Any

import plotly.graph_objects as go
import plotly.utils

from app.web import router


def draw(dash_app, path: str, search: str = "") -> list[Any]:
    with dash_app.server.test_request_context(path + search):
        return router.render(path, search)


def as_text(components: Any) -> str:
    """Everything a page would show (and carry in its figures), as one JSON string."""
    return json.dumps(components, cls=plotly.utils.PlotlyJSONEncoder, ensure_ascii=False)


def find(component: Any, predicate) -> list[Any]:
    found = []
    if isinstance(component, (list, tuple)):
        for child in component:
            found += find(child, predicate)
        return found
    if hasattr(component, "to_plotly_json"):
        if predicate(component):
            found.append(component)
        found += find(getattr(component, "children", None), predicate)
    return found


def by_id(components: Any, ident: str) -> Any:
    matches = find(components, lambda c: getattr(c, "id", None) == ident)
    assert matches, f"no #{ident}"
    return matches[0]


def figure_of(components: Any, ident: str) -> go.Figure:
    """The figure of graph #ident (pages hand dcc.Graph the figure's JSON, memoised per view)."""
    figure = by_id(components, ident).figure
    return go.Figure(figure) if isinstance(figure, dict) else figure
