"""The CI chart's marks: whiskers over bars and dots, published figures beside them, one reference line, and a
value axis fitted to what is drawn."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from app.components.chart_model import ChartItem, ReferenceLine, value_range
from app.components.charts import ci_chart, graph_config

ITEMS = [
    ChartItem("Denmark 2018-19", "Denmark", "#D55E00", 0.811, 0.793, 0.827, "", "", published_pct=80),
    ChartItem("Norway 2018", "Norway", "#0072B2", 0.74, 0.718, 0.76, "", "", published_pct=74),
    ChartItem("Sweden 2018", "Sweden", "#E69F00", None, None, None, "", "Suppressed (n < 10)"),
]
LINE = ReferenceLine("Nordic average of DK 2018-19, NO 2018", 0.7755, 0.76, 0.79)


def test_value_axis_fits_the_intervals_on_a_ten_point_grid() -> None:
    # highest mark: 82.7 (Denmark's upper bound) -> 90; bars start at 0, dots at the grid line below 71.8
    assert value_range(ITEMS, LINE, kind="bar", axis="fit") == [0, 90]
    assert value_range(ITEMS, LINE, kind="dot", axis="fit") == [70, 90]
    assert value_range(ITEMS, None, kind="dot", axis="full") == [0, 100]
    high = [ChartItem("A", "A", "#000", 0.97, 0.95, 0.995, "", "")]
    assert value_range(high, None, kind="dot", axis="fit") == [90, 100]  # never past 100%
    assert value_range([ITEMS[2]], None, kind="bar", axis="fit") == [0, 100]  # nothing drawn: the whole scale


@pytest.mark.parametrize("kind", ["bar", "dot"])
def test_whiskers_are_drawn_after_every_mark_and_published_figures_beside_them(kind: str) -> None:
    fig = go.Figure(ci_chart(ITEMS, lang="en", title="t", subtitle="s", kind=kind, line=LINE))
    traces = list(fig.data)
    whiskers = next(i for i, tr in enumerate(traces) if tr.error_x and tr.error_x.array is not None)
    marks = [i for i, tr in enumerate(traces) if tr.name in ("Denmark", "Norway")]
    assert marks and all(i < whiskers for i in marks)  # later traces are drawn on top
    w = traces[whiskers]
    assert list(w.x) == pytest.approx([81.1, 74.0])
    assert list(w.error_x.array) == pytest.approx([82.7 - 81.1, 76.0 - 74.0])
    assert list(w.error_x.arrayminus) == pytest.approx([81.1 - 79.3, 74.0 - 71.8])
    published = next(tr for tr in traces if tr.name == "Published figure")
    # the category positions are 2 (Denmark, top) and 1 (Norway): the diamonds sit below, off the whisker
    assert list(w.y) == [2, 1] and list(published.y) == pytest.approx([2 - 0.36, 1 - 0.36])
    assert list(published.x) == [80, 74]
    assert list(fig.layout.yaxis.ticktext) == ["Sweden 2018", "Norway 2018", "Denmark 2018-19"]  # bottom up
    assert list(fig.layout.yaxis.tickvals) == [0, 1, 2]
    # one reference line, at the average, its legend naming what it averages
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert [s.x0 for s in lines] == pytest.approx([77.55])
    assert any((tr.name or "").startswith("Nordic average of DK 2018-19") for tr in traces)


def test_value_labels_are_dark_text_beyond_the_upper_whisker() -> None:
    fig = go.Figure(ci_chart(ITEMS, lang="sv", title="t", subtitle="s"))
    labels = {a.text: a for a in fig.layout.annotations if a.xref == "x" and not a.text.startswith("<i>")}
    assert set(labels) == {"81\u00a0%", "74\u00a0%"}
    assert labels["81\u00a0%"].x == pytest.approx(82.7) and labels["81\u00a0%"].font.color == "#1b1f24"


def test_graph_config_sets_plotly_locale() -> None:
    assert graph_config("f", "nb")["locale"] == "no" and graph_config("f", "is")["locale"] == "is"
    assert graph_config("f", "xx")["locale"] == "en"
