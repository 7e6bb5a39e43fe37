"""The Differences panel under the Compare chart, and its compact marker in the chart's legend."""

from __future__ import annotations

from typing import Any

from dash import html

from app.components.chart_model import TEXT_COLOUR
from app.components.charts import PlotlyFigure
from app.data.queries import Reference
from app.i18n import t
from app.models.differences import (
    BarDifference,
    SelectionStatistics,
    caveat_text,
    chart_marker,
    detail_text,
    difference_sentence,
    family_text,
)

MARKER_LINE_CHARS = 40  # the legend entry wraps like the Nordic average's (plotly does not wrap)


def _item(diff: BarDifference, ref: Reference, lang: str) -> html.Li:
    caveat = caveat_text(diff, lang)
    return html.Li([difference_sentence(diff, ref, lang), " ", html.Span(f"({detail_text(diff, lang)})",
                                                                          className="muted"),
                    html.Span([" ⚠ ", caveat], className="difference-caveat") if caveat else None],
                   **{"data-differs": "1" if diff.differs else "0"})


def differences_panel(stats: SelectionStatistics | None, ref: Reference, lang: str) -> html.Details | None:
    """Collapsible, under the chart: the pairs that differ in words, then those that do not, each with its
    comparability caveat where units or wording differ; nothing when the view offers no pair."""
    if stats is None or not stats.differences:
        return None
    clear = [d for d in stats.differences if d.differs]
    unclear = [d for d in stats.differences if not d.differs]
    body: list[Any] = [html.P(t(lang, "differences_intro", count=len(stats.differences)), className="muted")]
    if stats.family is not None:
        body.append(html.P(family_text(stats.family, lang), className="muted", id="compare-differences-family"))
    if clear:
        body += [html.H4(t(lang, "differences_clear")), html.Ul([_item(d, ref, lang) for d in clear])]
    if unclear:
        body += [html.H4(t(lang, "differences_unclear")), html.Ul([_item(d, ref, lang) for d in unclear])]
    summary = t(lang, "differences_summary", clear=len(clear), total=len(stats.differences))
    return html.Details([html.Summary([html.Strong(t(lang, "differences_title")), f": {summary}"]), *body],
                        className="differences-panel", id="compare-differences")


def _wrapped(text: str) -> str:
    lines: list[str] = []
    for part in text.split("; "):
        if lines and len(lines[-1]) + len(part) + 2 <= MARKER_LINE_CHARS:
            lines[-1] += "; " + part
        else:
            lines.append(part)
    return ";<br>".join(lines)


def add_differences_marker(fig: PlotlyFigure, stats: SelectionStatistics | None, lang: str) -> PlotlyFigure:
    """One legend entry naming the pairs that differ ('Clear differences: DK > IS'), or saying none does; the
    chart grows by its lines so the plot keeps its height. Nothing when the view offers no pair."""
    if stats is None or not stats.differences:
        return fig
    name = _wrapped(chart_marker(stats, lang))
    grow = 26 * (name.count("<br>") + 1)
    fig["data"].append({"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": name,
                        "showlegend": True, "hoverinfo": "skip",
                        "marker": {"symbol": "asterisk-open", "size": 10, "color": TEXT_COLOUR}})
    layout = fig["layout"]
    layout["height"] += grow
    layout["margin"] = {**layout["margin"], "b": layout["margin"]["b"] + grow}
    return fig
