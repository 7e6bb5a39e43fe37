"""Figure benchmark: CPU time of building one cold figure (nothing cached), as the figure cache builds it on a
miss: the chart builder, then its JSON as the cache stores it.

Usage: python benchmarks/figures.py [--repeat N]
Prints per-figure milliseconds (median and p95 of N builds, process CPU time) for the shapes of figure the
pages draw: Compare's five countries with the Nordic line, warning and demo label (bars and dots, page and
presentation scale), a country profile's waves, and the types x values heatmap. No database is needed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import plotly.utils

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.components.chart_model import ChartItem, ReferenceLine
from app.components.charts import ci_chart, heatmap  # noqa: E402

COUNTRIES = [("Denmark 2021-23", "Denmark", "#D55E00", 0.80), ("Norway 2020", "Norway", "#0072B2", 0.77),
             ("Sweden 2018", "Sweden", "#E69F00", 0.81), ("Finland 2022", "Finland", "#009E73", 0.95),
             ("Iceland 2021", "Iceland", "#CC79A7", 0.78)]
ITEMS = [ChartItem(label, group, colour, share, share - 0.02, share + 0.02, f"{label}: {share:.0%}", "",
                   published_pct=share * 100 - 1) for label, group, colour, share in COUNTRIES]
LINE = ReferenceLine("Nordic average of DK 2021-23, NO 2020, SE 2018, FI 2022, IS 2021", 0.822, 0.81, 0.83)
WARNING = "The units differ between countries (workplaces, municipal units, organisations): compare with care."
WAVES = [ChartItem(f"Denmark {y}", "Denmark", "#D55E00", s, s - 0.02, s + 0.02, f"{y}", "")
         for y, s in ((2015, 0.7), (2018, 0.81), (2021, 0.78))]
TYPES = ["Service", "Process", "Organisational", "Communication", "Policy", "Technology", "Other"]
VALUES = ["Efficiency", "Quality", "Citizens", "Staff", "Democracy", "Trust", "Equality", "Other"]


def _heatmap(scale: float) -> Any:
    shares = [[None if (r + c) % 7 == 0 else (r * 8 + c) / 60 for c in range(len(VALUES))] for r in range(len(TYPES))]
    texts = [[f"{v:.0%}<br>n=40" if v is not None else "Suppressed" for v in row] for row in shares]
    return heatmap(rows=TYPES, columns=VALUES, shares=shares, texts=texts, hovers=texts, lang="en",
                   title="Types x values", subtitle="All levels", demo="DEMO DATA", warning=WARNING, scale=scale)


FIGURES: dict[str, Callable[[], Any]] = {
    "compare, bars": lambda: ci_chart(ITEMS, lang="en", title="Share of workplaces with an innovation",
                                      subtitle="All levels", line=LINE, warning=WARNING, demo="DEMO DATA"),
    "compare, dots": lambda: ci_chart(ITEMS, lang="en", title="Share of workplaces with an innovation",
                                      subtitle="All levels", kind="dot", line=LINE, warning=WARNING,
                                      demo="DEMO DATA"),
    "compare, presentation": lambda: ci_chart(ITEMS, lang="en", title="Share", subtitle="All levels", line=LINE,
                                              warning=WARNING, demo="DEMO DATA", scale=1.6, min_height=640),
    "profile, waves": lambda: ci_chart(WAVES, lang="en", title="Denmark", subtitle="All levels", demo="DEMO"),
    "types x values": lambda: _heatmap(1.0),
}


def as_cached(figure: Any) -> str:
    """What the figure cache does on a miss: the figure's JSON, serialised."""
    if hasattr(figure, "to_plotly_json"):
        figure = figure.to_plotly_json()
    return json.dumps(figure, cls=plotly.utils.PlotlyJSONEncoder)


def cpu_ms(build: Callable[[], Any], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        as_cached(build())
        times.append((time.process_time() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    first = cpu_ms(FIGURES["compare, bars"], 1)[0]  # a worker's first figure also fills plotly's lazy caches
    print(f"{'figure':<24}{'CPU ms median':>15}{'p95':>8}")
    print(f"{'first of the process':<24}{first:>15.1f}")
    for name, build in FIGURES.items():
        times = sorted(cpu_ms(build, args.repeat))
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        print(f"{name:<24}{statistics.median(times):>15.1f}{p95:>8.1f}")


if __name__ == "__main__":
    main()
