"""Plotly figures: shares with 95% CI whiskers (bars or dots), and the type x value heatmap.

Every figure carries its own title, comparability warning and demo label as annotations, so an exported
PNG or SVG keeps them. Suppressed and missing cells are drawn as text, never as a zero bar.

Figures are plotly's JSON written as plain dicts ({"data": [...], "layout": {...}}): building them through
``plotly.graph_objects`` validated every property on every call and cost most of a cold view's CPU.
tests/app/components/test_chart_json.py checks that plotly accepts each figure unchanged and that it is the JSON
``graph_objects`` made of it before.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import plotly
import plotly.colors
import plotly.io as pio
from dash import dcc

from app.components.chart_model import (
    LINE_SPACING,
    MUTED,
    NORDIC_COLOUR,
    TEXT_COLOUR,
    ChartItem,
    ReferenceLine,
    category_label,
    fit_lines,
    text_width,
    value_lines,
    value_range,
)
from app.data.db import Database
from app.i18n import DEFAULT_LANGUAGE, fmt_pct, percent_suffix, plotly_separators, safe_lang, t
from app.vendor import PLOTLY_LOCALES

HEADER = "header"  # name of the annotations above the plot (warning, demo label): see on_screen
ON_SCREEN_TOP = 14  # top margin of a chart whose header the page shows as HTML
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
# A figure is laid out for a width of at least MIN_WIDTH px times its text scale (layout.meta.min_width): titles
# and notes wrap to it and a category label takes at most LABEL_WIDTH of it. A box narrower than that (a phone,
# a projector's slide) shows the figure scaled down as a whole (assets/fit-chart.js), never squeezed.
MIN_WIDTH = 560
LABEL_WIDTH = 220
MAX_LABEL_LINES = 3
TEXT_SIZE = 13

PlotlyFigure = dict[str, Any]  # a figure as plotly's JSON: {"data": [traces], "layout": {...}}
# the template graph_objects put into every figure (plotly's default), so the charts look as they did; shared
# by all figures, never changed
_TEMPLATE = pio.templates[pio.templates.default].to_plotly_json()
_CIVIDIS = plotly.colors.get_colorscale("Cividis")  # named scales as graph_objects wrote them: explicit stops


def _new_figure(traces: list[dict[str, Any]]) -> PlotlyFigure:
    """A figure of ``traces`` (the list itself: traces appended to it later are the figure's)."""
    return {"data": traces, "layout": {"template": _TEMPLATE}}


def _annotation(fig: PlotlyFigure, **annotation: Any) -> None:
    fig["layout"].setdefault("annotations", []).append(annotation)


def _shape(fig: PlotlyFigure, **shape: Any) -> None:
    fig["layout"].setdefault("shapes", []).append(shape)


def _base_layout(fig: PlotlyFigure, *, lang: str, title: str, subtitle: str, height: int, scale: float,
                 source: str = "") -> int:
    """Title, fonts, separators and legend; returns the extra top margin a title of several lines needs."""
    title_text = _wrap(title, round(18 * scale), scale, bold=True)
    subtitle_text = _wrap(subtitle, round(13 * scale), scale)
    # plotly anchors a multi-line title by its first line, so push it down by the height of the others
    extra = title_text.count("<br>") * round(24 * scale)
    extra_subtitle = subtitle_text.count("<br>") * round(17 * scale)
    fig["layout"].update(
        title={"text": f"<b>{title_text}</b>",
               "subtitle": {"text": subtitle_text, "font": {"size": round(13 * scale), "color": MUTED}},
               "x": 0.01, "xanchor": "left", "xref": "container", "y": 1, "yanchor": "top", "yref": "container",
               "pad": {"t": 12 + extra}, "font": {"size": round(18 * scale)}},
        font={"family": FONT, "size": round(13 * scale), "color": TEXT_COLOUR},
        separators=plotly_separators(lang),
        # the language sets plotly's own texts (graph()); the source lines are the footer of exported images
        meta={"lang": lang, "source": source, "min_width": round(MIN_WIDTH * scale)},
        height=height,
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        hoverlabel={"font": {"size": round(13 * scale)}, "bgcolor": "#ffffff"},
        # entries side by side while they fit (plotly's 'grouped' order would give each group a row)
        legend={"orientation": "h", "yanchor": "bottom", "y": 0, "yref": "container", "x": 0.01,
                "xanchor": "left", "xref": "container", "title": {"text": ""}, "traceorder": "normal"},
    )
    return extra + extra_subtitle


def _footer(fig: PlotlyFigure, lines: Sequence[tuple[str, str]], scale: float) -> int:
    """Stack the warning and demo label between the title and the plot; returns the top margin needed."""
    line_height = round(16 * scale)
    shift = 6
    for text, colour in reversed(lines):  # bottom-up, so the first note ends up on top
        _annotation(fig, text=text, xref="paper", yref="paper", x=0, xanchor="left", y=1, yanchor="bottom",
                    yshift=shift, showarrow=False, align="left", name=HEADER,
                    font={"size": round(12 * scale), "color": colour})
        shift += line_height * (text.count("<br>") + 1) + 4
    return round(84 * scale) + shift


def _notes(warning: str | None, demo: str | None, scale: float, width: float) -> list[tuple[str, str]]:
    """The on-chart comparability warning and demo label, wrapped to ``width`` px: they start where the plot
    does, right of the category labels."""
    size = round(12 * scale)
    notes = []
    if warning:
        notes.append(("⚠ " + _wrap(warning, size, 1.0, width=width), "#8a4600"))
    if demo:
        notes.append(("◆ " + _wrap(demo, size, 1.0, width=width), "#6f42c1"))
    return notes


def _wrap(text: str, size: float, scale: float, *, width: float = MIN_WIDTH - 40, bold: bool = False) -> str:
    """A long title or note in lines (plotly does not wrap) that fit the figure's narrowest width, at most
    three (shortened beyond)."""
    lines, _ = fit_lines(text, width * scale, size, 3, bold=bold)
    return "<br>".join(lines)


def _legend_height(names: Sequence[str], scale: float) -> float:
    """The height a horizontal legend of ``names`` takes in the figure's narrowest width: entries side by side
    while they fit, as plotly lays them out."""
    size, width = TEXT_SIZE * scale, (MIN_WIDTH - 20) * scale
    rows: list[list[str]] = [[]]
    used = 0.0
    for name in names:
        lines = name.split("<br>")
        entry = 50 * scale + max(text_width(line, size) for line in lines)
        if rows[-1] and used + entry > width:
            rows.append([])
            used = 0.0
        rows[-1].append(name)
        used += entry
    return sum(max(n.count("<br>") + 1 for n in row) * size * LINE_SPACING + 10 * scale for row in rows if row)


def ci_chart(
    items: Sequence[ChartItem],
    *,
    lang: str,
    title: str,
    subtitle: str,
    kind: str = "bar",
    line: ReferenceLine | None = None,
    axis: str = "fit",
    warning: str | None = None,
    demo: str | None = None,
    scale: float = 1.0,
    min_height: int = 0,
    source: str = "",
) -> PlotlyFigure:
    """Horizontal bars (or dots) with 95% CI whiskers drawn over them, categories top to bottom in the given
    order; a published figure sits just below its category's whisker, never on it; one reference line (the
    Nordic average of what is shown) with its band."""
    data: list[dict[str, Any]] = []
    fig = _new_figure(data)
    # numeric category positions (top item highest), so a published marker can sit beside its whisker
    position = {id(item): len(items) - 1 - i for i, item in enumerate(items)}
    x_range = value_range(items, line, kind=kind, axis=axis)
    groups: dict[str, list[ChartItem]] = {}
    for item in items:
        groups.setdefault(item.group, []).append(item)
    # a legend entry per group only when the category labels do not already name the groups
    group_legend = not all(i.label.startswith(i.group) for i in items)
    size = TEXT_SIZE * scale
    labels = {id(i): category_label(i, LABEL_WIDTH * scale, size, label_lines_for(len(items))) for i in items}
    label_lines = max((len(label.lines) for label in labels.values()), default=1)
    # a row is as tall as its longest label needs, so the chart's height follows its bars and their labels;
    # a few bars get airy rows, many get rows as close as their labels allow
    row = max(46 * scale if len(items) <= 12 else 0, (label_lines * LINE_SPACING + 0.5) * size)

    for group, members in groups.items():
        with_value = [m for m in members if m.share is not None]
        if not with_value:
            continue
        common = {"type": "scatter" if kind == "dot" else "bar",
                  "x": [m.share * 100 for m in with_value], "y": [position[id(m)] for m in with_value],
                  "name": group, "customdata": [_hover(m, labels[id(m)].shortened) for m in with_value],
                  "hovertemplate": "%{customdata}<extra></extra>", "legendgroup": group,
                  "showlegend": group_legend}
        if kind == "dot":
            data.append({"mode": "markers", "marker": {"color": with_value[0].colour, "size": 13 * scale,
                                                       "line": {"color": "#ffffff", "width": 1}}, **common})
        else:
            data.append({"orientation": "h", "width": 0.56, "marker": {"color": with_value[0].colour,
                                                                       "line": {"width": 0}}, **common})

    # whiskers after every bar and dot, so they are drawn on top of them; figures without an interval (an
    # official table that publishes none) get no whisker at all
    with_ci = [i for i in items if i.share is not None and i.ci_low is not None and i.ci_high is not None]
    if with_ci:
        data.append({
            "type": "scatter", "x": [i.share * 100 for i in with_ci], "y": [position[id(i)] for i in with_ci],
            "mode": "markers", "marker": {"opacity": 0, "size": 1}, "showlegend": False, "hoverinfo": "skip",
            "name": t(lang, "ci95"),
            "error_x": {"type": "data", "symmetric": False,
                        "array": [(i.ci_high - i.share) * 100 for i in with_ci],
                        "arrayminus": [(i.share - i.ci_low) * 100 for i in with_ci], "color": TEXT_COLOUR,
                        "thickness": 2 * scale, "width": 6 * scale}})
    # the value, in dark text on white beyond the upper whisker or the bar (text inside coloured bars is
    # unreadable); a relation word ('about') goes on a line above the number where the row has room for two
    value_width = 0.0
    for i in items:
        if i.share is not None:
            end = i.ci_high if i.ci_high is not None else i.share
            lines = value_lines(i.value_text or fmt_pct(i.share, lang), label_lines)
            value_width = max(value_width, *(text_width(line, round(size)) for line in lines))
            _annotation(fig, x=end * 100, y=position[id(i)], xref="x", yref="y",
                        text="<br>".join(lines), showarrow=False, xanchor="left",
                        xshift=round(6 * scale), font={"size": round(size), "color": TEXT_COLOUR})

    published = [i for i in items if i.published_pct is not None]
    if published:
        data.append({
            "type": "scatter", "x": [i.published_pct for i in published],
            "y": [position[id(i)] - 0.36 for i in published], "mode": "markers",
            "name": t(lang, "published_marker"),
            "customdata": [fmt_pct(i.published_pct / 100, lang) for i in published],
            "marker": {"symbol": "diamond", "size": 11 * scale, "color": "#ffffff",
                       "line": {"width": 2 * scale, "color": TEXT_COLOUR}},
            "hovertemplate": t(lang, "published_hover") + ": %{customdata}<extra></extra>",
        })

    # categories without a value: say why, at the category, instead of drawing anything
    for item in items:
        if item.share is None:
            hover = _hover(item, labels[id(item)].shortened) or item.note
            _annotation(fig, x=x_range[0], y=position[id(item)], xref="x", yref="y", text=f"<i>{item.note}</i>",
                        showarrow=False, xanchor="left", xshift=4,
                        font={"color": MUTED, "size": round(12 * scale)}, hovertext=hover)
            # an invisible point so keyboard and hover users get the same explanation
            data.append({"type": "scatter", "x": [x_range[0]], "y": [position[id(item)]], "mode": "markers",
                         "marker": {"opacity": 0}, "showlegend": False,
                         "hovertemplate": f"{hover}<extra></extra>"})

    line_name = (_wrap(f"{line.label}: {fmt_pct(line.share, lang)}", size, scale, width=MIN_WIDTH / 2)
                 if line else "")
    if line is not None:
        # spanning the plot's height: x in data, y in the axis' domain (what add_vrect/add_vline draw)
        _shape(fig, type="rect", x0=line.ci_low * 100, x1=line.ci_high * 100, xref="x", y0=0, y1=1,
               yref="y domain", fillcolor="#000000", opacity=0.07, line={"width": 0}, layer="below")
        _shape(fig, type="line", x0=line.share * 100, x1=line.share * 100, xref="x", y0=0, y1=1, yref="y domain",
               line={"color": NORDIC_COLOUR, "dash": "dash", "width": 2 * scale})
        data.append({"type": "scatter", "x": [None], "y": [None], "mode": "lines", "name": line_name,
                     "line": {"color": NORDIC_COLOUR, "dash": "dash", "width": 2 * scale}})

    # the notes start right of the labels: the figure is at least as wide as labels and notes together
    label_px = max((text_width(line, size) for label in labels.values() for line in label.lines), default=0) + 20
    notes_px = max((MIN_WIDTH - 30) * scale - label_px, 400 * scale)
    footer = _notes(warning, demo, scale, notes_px)
    legend = [*(groups if group_legend else ()), *([t(lang, "published_marker")] if published else ()),
              *([line_name] if line is not None else ())]
    extra = _base_layout(fig, lang=lang, title=title, subtitle=subtitle, height=0, scale=scale, source=source)
    top = _footer(fig, footer, scale) + extra
    axis = 44 * scale  # the value axis' labels, then the legend
    bottom = round(axis + _legend_height(legend, scale) + 14 * scale)  # plotly sets the legend a little lower
    layout = fig["layout"]
    plot = (max(len(items), 1) + 0.2) * row
    layout["height"] = max(min_height, round(top + bottom + plot))
    # the legend hangs from the value axis (anchored at the figure's bottom, plotly lets its text run past it)
    layout["legend"].update(y=(bottom - axis) / layout["height"], yanchor="top")
    layout.update(margin={"l": 10, "r": round(max(58 * scale, value_width + 14 * scale)), "t": top, "b": bottom},
                  barmode="overlay", showlegend=True)
    layout["meta"]["min_width"] = round(max(MIN_WIDTH * scale, label_px + notes_px + 30 * scale))
    layout["xaxis"] = {"range": x_range, "ticksuffix": percent_suffix(lang), "gridcolor": "#e4e7eb",
                       "zeroline": True, "zerolinecolor": "#8c959f", "fixedrange": True,
                       "tickfont": {"color": TEXT_COLOUR}}
    bottom_up = list(reversed(items))  # ticks in axis order, as plotly lists category ticks
    layout["yaxis"] = {"tickmode": "array", "tickvals": [position[id(i)] for i in bottom_up],
                       "ticktext": ["<br>".join(labels[id(i)].lines) for i in bottom_up],
                       "range": [-0.6, len(items) - 0.4],
                       "automargin": True, "fixedrange": True, "showgrid": False, "zeroline": False,
                       "tickfont": {"size": round(13 * scale), "color": TEXT_COLOUR}}
    if demo:
        _watermark(fig, lang, scale)
    return fig


def label_lines_for(count: int) -> int:
    """How many lines a category label may take in a chart of ``count`` categories: fewer as they are more,
    so that two dozen bars still fit a projector's screen at a readable size."""
    return MAX_LABEL_LINES if count <= 6 else 2 if count <= 12 else 1


def _hover(item: ChartItem, shortened: bool) -> str:
    """What hovering a category says: its hover text, led by its whole name where the axis shortened it."""
    if shortened and item.full_label not in item.hover:
        return f"<b>{item.full_label}</b><br>{item.hover}" if item.hover else item.full_label
    return item.hover


def _watermark(fig: PlotlyFigure, lang: str, scale: float) -> None:
    _annotation(fig, text=t(lang, "demo_watermark"), xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                textangle=-18, opacity=0.07, font={"size": round(90 * scale), "color": "#6f42c1"})


def heatmap(
    *,
    rows: Sequence[str],
    columns: Sequence[str],
    shares: Sequence[Sequence[float | None]],
    texts: Sequence[Sequence[str]],
    hovers: Sequence[Sequence[str]],
    lang: str,
    title: str,
    subtitle: str,
    demo: str | None = None,
    warning: str | None = None,
    scale: float = 1.0,
    source: str = "",
) -> PlotlyFigure:
    """Rows x columns of shares (0-1; None suppressed) with text in every cell (value and n). Row and column
    names wrap (columns side by side, never slanted), shortened with the whole name in the hover; the figure's
    narrowest width gives every column room for its longest word."""
    size = TEXT_SIZE * scale
    column_width = max(90 * scale, max((text_width(word, size) for name in columns for word in name.split()),
                                       default=0) + 14 * scale)
    row_lines = [fit_lines(row, LABEL_WIDTH * scale, size, MAX_LABEL_LINES)[0] for row in rows]
    column_lines = [fit_lines(column, column_width - 8 * scale, size, MAX_LABEL_LINES)[0] for column in columns]
    z = [[None if v is None else v * 100 for v in row] for row in shares]
    # a cell without a value says why once, by its annotation below, not also by the heatmap's own text
    cell_texts = [[text if value is not None else "" for value, text in zip(row, row_texts, strict=True)]
                  for row, row_texts in zip(shares, texts, strict=True)]
    fig = _new_figure([{
        "type": "heatmap", "z": z, "x": list(range(len(columns))), "y": list(range(len(rows))), "text": cell_texts,
        "texttemplate": "%{text}", "customdata": [list(row) for row in hovers],
        "hovertemplate": "%{customdata}<extra></extra>", "colorscale": _CIVIDIS, "zmin": 0, "zmax": 100,
        "xgap": 3, "ygap": 3, "textfont": {"size": round(12 * scale)},
        # the scale's name above it, its labels under their ticks: the top one clear of the name
        "colorbar": {"title": {"text": t(lang, "axis_share"), "side": "top"}, "ticksuffix": percent_suffix(lang),
                     "thickness": round(12 * scale), "len": 0.9, "y": 0.05, "yanchor": "bottom",
                     "ticklabelposition": "outside bottom"},
    }])
    # suppressed cells: grey tiles with their note, so they never read as zero
    for r, row in enumerate(shares):
        for c, value in enumerate(row):
            if value is None:
                _shape(fig, type="rect", x0=c - 0.485, x1=c + 0.485, y0=r - 0.47, y1=r + 0.47, xref="x", yref="y",
                       fillcolor="#eef0f2", line={"color": "#c9ced4", "dash": "dot"}, layer="below")
                _annotation(fig, x=c, y=r, text=texts[r][c], showarrow=False,
                            font={"color": MUTED, "size": round(11 * scale)})
    widest_row = max((text_width(line, size) for lines in row_lines for line in lines), default=0)
    min_width = max(MIN_WIDTH * scale, widest_row + len(columns) * column_width + 110 * scale)
    footer = _notes(warning, demo, scale, min_width - widest_row - 40 * scale)
    extra = _base_layout(fig, lang=lang, title=title, subtitle=subtitle, height=0, scale=scale, source=source)
    top = _footer(fig, footer, scale) + extra
    row_height = max(62 * scale, max((len(lines) for lines in row_lines), default=1) * size * LINE_SPACING + 12)
    bottom = round(max((len(lines) for lines in column_lines), default=1) * size * LINE_SPACING + 40 * scale)
    layout = fig["layout"]
    layout["height"] = round(top + bottom + max(len(rows), 1) * row_height)
    layout["meta"]["min_width"] = round(min_width)
    layout["margin"] = {"l": 10, "r": 10, "t": top, "b": bottom}
    layout["xaxis"] = {"side": "bottom", "tickangle": 0, "automargin": True, "fixedrange": True, "tickmode": "array",
                       "tickvals": list(range(len(columns))), "ticktext": ["<br>".join(c) for c in column_lines]}
    layout["yaxis"] = {"autorange": "reversed", "automargin": True, "fixedrange": True, "tickmode": "array",
                       "tickvals": list(range(len(rows))), "ticktext": ["<br>".join(r) for r in row_lines]}
    if demo:
        _watermark(fig, lang, scale)
    return fig


def _figure_code_version() -> str:
    """Digest of the code and texts a figure is drawn from, so a deployment never reads figures of the last."""
    app_dir = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(plotly.__version__.encode())
    drawn_from = [path for folder in ("components", "models", "pages", "i18n") for path in (app_dir / folder).rglob("*")
                  if path.suffix in (".py", ".json") and path.is_file()]
    for path in sorted(drawn_from):
        digest.update(str(path.relative_to(app_dir)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


FIGURE_CODE_VERSION = _figure_code_version()

Figure = PlotlyFigure | Any  # plotly JSON, or anything with plotly's to_plotly_json() (a graph_objects Figure)


def as_plotly_json(fig: Figure) -> PlotlyFigure:
    """A figure as plotly's JSON."""
    return fig.to_plotly_json() if hasattr(fig, "to_plotly_json") else fig


def cached_figure(db: Database, name: str, params: Mapping[str, Any], build: Callable[[], Figure]) -> dict:
    """``build()`` as plotly JSON, memoised per view: building a figure costs far more than the queries behind
    it. ``params`` must name everything the figure depends on besides the data (view, language, scale); the key
    also carries the data version (Database.cached), so a new ETL run is never served an old figure."""
    return db.cached(f"figure:{name}", {**params, "code": FIGURE_CODE_VERSION}, lambda: as_plotly_json(build()))


def on_screen(fig: dict) -> dict:
    """The figure as a page shows it: the page's heading, subtitle and notice lines say what the title,
    subtitle and header notes say, so the chart drops them and starts with its plot (on a phone a chart title
    cannot wrap and would be cut). They stay in ``layout.meta.header``, and image exports put them back, so
    every exported chart still carries its title, warning and demo label."""
    layout = dict(fig.get("layout", {}))
    annotations = list(layout.get("annotations", ()))
    margin = dict(layout.get("margin", {}))
    top = margin.get("t", ON_SCREEN_TOP)
    header = {"title": layout.get("title"), "annotations": [a for a in annotations if a.get("name") == HEADER],
              "top": top}
    layout["meta"] = {**(layout.get("meta") or {}), "header": header}
    layout["title"] = {"text": ""}
    layout["annotations"] = [a for a in annotations if a.get("name") != HEADER]
    layout["margin"] = {**margin, "t": ON_SCREEN_TOP}
    if layout.get("height"):
        layout["height"] = layout["height"] - max(0, top - ON_SCREEN_TOP)
    return {**fig, "layout": layout}


def figure_height(fig: Figure) -> int | None:
    """The height a figure asks for, whether a plotly Figure or its JSON."""
    return as_plotly_json(fig).get("layout", {}).get("height")


def graph(graph_id: str, fig: Figure, filename: str, *, class_name: str = "graph") -> dcc.Graph:
    """A responsive graph (follows its container's width) whose height is the figure's own."""
    height = figure_height(fig) or 450
    return dcc.Graph(id=graph_id, figure=fig, config=graph_config(filename, figure_lang(fig)), responsive=True,
                     style={"height": f"{height}px"}, className=class_name)


def figure_lang(fig: Figure) -> str:
    """The UI language a figure was drawn in (its layout's meta)."""
    layout = as_plotly_json(fig).get("layout", {})
    meta = layout.get("meta") or {}
    return safe_lang(meta.get("lang") if isinstance(meta, dict) else None)


def graph_config(filename: str, lang: str = DEFAULT_LANGUAGE) -> dict:
    """dcc.Graph config: plotly's own texts in ``lang``, client-side PNG/SVG export under a meaningful file
    name, no Plotly logo."""
    return {
        "locale": PLOTLY_LOCALES[safe_lang(lang)],
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        # the image button would save the chart as the page shows it, without its title and notes: the
        # toolbar's PNG and SVG buttons export it whole
        "modeBarButtonsToRemove": ["toImage", "zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d", "zoomOut2d",
                                   "autoScale2d", "resetScale2d",
                                   "sendChartToCloud"],  # uploads to an outside service: not for these data
    }
