"""The chart builders write plotly's JSON by hand (building it through ``graph_objects`` cost most of a cold
view's CPU): each figure must be exactly what plotly itself makes of it, and what the builders drew with
``graph_objects`` before (tests/fixtures/chart_figures.json, written by that code).

Regenerate the reference after an intended change of the charts with
``.venv/bin/python tests/app/components/test_chart_json.py --update`` and review its diff.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.utils
import pytest

from app.components.chart_model import ChartItem, ReferenceLine
from app.components.charts import ci_chart, heatmap

REFERENCE = Path(__file__).resolve().parents[2] / "fixtures" / "chart_figures.json"

DK = ChartItem("Denmark 2018-19", "Denmark", "#D55E00", 0.811, 0.793, 0.827, "Denmark: 81%", "", published_pct=80)
NO = ChartItem("Norway 2018", "Norway", "#0072B2", 0.74, 0.718, 0.76, "Norway: 74%", "", published_pct=74)
SE = ChartItem("Sweden 2018", "Sweden", "#E69F00", None, None, None, "", "Suppressed (n < 10)")
FI = ChartItem("Finland 2022", "Finland", "#009E73", 0.95, None, None, "Finland: 95% (published)", "")
IS = ChartItem("Iceland 2021", "Iceland", "#CC79A7", 0.3333, 0.2, 0.5, "Iceland", "")
WAVES = [ChartItem(f"Denmark {y}", "Denmark", "#D55E00", s, s - 0.02, s + 0.03, f"h{y}", "")
         for y, s in ((2015, 0.7), (2018, 0.81), (2021, 0.78))]
SECTORS = [ChartItem("State 2021", "2021", "#332288", 0.6, 0.55, 0.65, "state", ""),
           ChartItem("Municipal 2021", "2021", "#332288", 0.7, 0.66, 0.74, "municipal", ""),
           ChartItem("State 2018", "2018", "#117733", 0.5, 0.45, 0.55, "state", ""),
           ChartItem("Municipal 2018", "2018", "#117733", None, None, None, "", "Not asked")]
LINE = ReferenceLine("Nordic average of DK 2018-19, NO 2018, FI 2022, IS 2021 (four countries, latest waves)",
                     0.7755, 0.76, 0.79)
WARNING = ("Denmark counts workplaces, Finland whole organisations, Sweden municipal units: the shares are not "
           "comparable one to one, and the waves were fielded in different years")
HEAT = {"rows": ["Service innovation", "Process innovation with a very long name for its type", "Policy"],
        "columns": ["More efficient", "Better quality", "Happier staff"],
        "shares": [[0.5, 0.25, None], [0.125, None, 0.9], [0.0, 1.0, 0.333]],
        "texts": [["50%<br>n=40", "25%<br>n=40", "Suppressed"], ["13%<br>n=8", "Suppressed (n < 10)", "90%<br>n=30"],
                  ["0%<br>n=12", "100%<br>n=12", "33%<br>n=12"]],
        "hovers": [["a", "b", "c"], ["d", "e", "f"], ["g", "h", "i"]]}

# name -> (builder, arguments): bars and dots, with and without the Nordic line, published figures,
# suppressed and CI-less categories, warnings, demo labels, languages and presentation scales
CASES: dict[str, tuple[Any, dict[str, Any]]] = {
    "bars": (ci_chart, {"items": [DK, NO, SE], "lang": "en", "title": "t", "subtitle": "s"}),
    "bars-line-demo-warning": (ci_chart, {"items": [DK, NO, SE, FI, IS], "lang": "en",
                                          "title": "Share of public workplaces that introduced at least one "
                                                   "innovation in the last two years, by country and wave",
                                          "subtitle": "All levels, all sectors; base: all workplaces that answered",
                                          "line": LINE, "warning": WARNING, "demo": "DEMO DATA: not real estimates",
                                          "source": "Sources: COI 2021-23; KS 2020"}),
    "dots-line": (ci_chart, {"items": [DK, NO, SE, FI, IS], "lang": "sv", "title": "t", "subtitle": "s",
                             "kind": "dot", "line": LINE, "axis": "full"}),
    "dots-present": (ci_chart, {"items": [DK, NO, IS], "lang": "fi", "title": "Otsikko", "subtitle": "alaotsikko",
                                "kind": "dot", "line": LINE, "warning": WARNING, "demo": "DEMO",
                                "scale": 1.6, "min_height": 640}),
    "waves-one-country": (ci_chart, {"items": WAVES, "lang": "nb", "title": "t", "subtitle": "s",
                                     "demo": "DEMO"}),
    "sectors-by-wave": (ci_chart, {"items": SECTORS, "lang": "da", "title": "t", "subtitle": "s", "kind": "dot"}),
    "nothing-drawn": (ci_chart, {"items": [SE], "lang": "is", "title": "t", "subtitle": ""}),
    "empty": (ci_chart, {"items": [], "lang": "en", "title": "t", "subtitle": ""}),
    "heatmap": (heatmap, {**HEAT, "lang": "en", "title": "Types x values", "subtitle": "s"}),
    "heatmap-demo-present": (heatmap, {**HEAT, "lang": "is", "title": "t", "subtitle": "s", "demo": "DEMO",
                                       "warning": WARNING, "scale": 1.6, "source": "Source"}),
}


def as_json(figure: Any) -> Any:
    """A figure as the browser receives it: plotly's JSON encoding, read back (tuples are lists, and so on)."""
    if hasattr(figure, "to_plotly_json"):
        figure = figure.to_plotly_json()
    return json.loads(json.dumps(figure, cls=plotly.utils.PlotlyJSONEncoder))


def normalised(value: Any) -> Any:
    """Floats to 12 significant digits, so arithmetic done in another order compares equal."""
    if isinstance(value, dict):
        return {k: normalised(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalised(v) for v in value]
    if isinstance(value, float) and math.isfinite(value):
        return float(f"{value:.12g}")
    return value


def built(name: str) -> Any:
    builder, arguments = CASES[name]
    return builder(**arguments)


def without_template(figure: Any) -> Any:
    """The figure's JSON without its layout template (plotly's default one, the same in every figure)."""
    figure = as_json(figure)
    assert figure["layout"].pop("template") == as_json(go.Figure())["layout"]["template"]
    return figure


@pytest.mark.parametrize("name", sorted(CASES))
def test_figure_equals_the_graph_objects_reference(name: str) -> None:
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))
    assert normalised(without_template(built(name))) == normalised(reference[name])


@pytest.mark.parametrize("name", sorted(CASES))
def test_plotly_accepts_the_figure_unchanged(name: str) -> None:
    figure = built(name)
    # graph_objects raises on any property plotly does not know, and would add or coerce what is missing
    assert normalised(as_json(go.Figure(figure))) == normalised(as_json(figure))


if __name__ == "__main__" and sys.argv[1:] == ["--update"]:
    REFERENCE.write_text(json.dumps({name: without_template(built(name)) for name in sorted(CASES)}, indent=1,
                                    ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
