"""The one model of a chart that every renderer draws: the plotly figures of the pages
(app/components/charts.py), the SVG slides of phones following a talk (app/decks/slides/svg.py) and the offline
deck. A page turns its view model into these items once; no renderer converts another's output back.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

NEUTRAL_COLOUR = "#555555"  # a country without a catalogue colour
NORDIC_COLOUR = "#000000"
TEXT_COLOUR = "#1b1f24"
MUTED = "#57606a"


@dataclass(frozen=True)
class ChartItem:
    """One category of a CI chart (a wave, or a sector in a wave)."""

    label: str
    group: str  # legend entry (country or wave)
    colour: str
    share: float | None  # None: no value (see note)
    ci_low: float | None
    ci_high: float | None
    hover: str
    note: str  # shown instead of a bar: 'Suppressed (n < 10)', 'Not asked', ...
    published_pct: float | None = None
    value_text: str | None = None  # the value as printed ('about 75%'), where it is not just the share
    n_text: str = ""  # 'n' as shown: the count, or for a suppressed cell only 'n < 10' (never the count)


@dataclass(frozen=True)
class ReferenceLine:
    label: str
    share: float
    ci_low: float
    ci_high: float


# Paul Tol's muted scheme (safe with colour-vision deficiencies), for waves: none of its colours is one of the
# countries' Okabe-Ito colours (catalogue), so a country profile's waves never read as other countries.
WAVE_COLOURS = ("#332288", "#117733", "#882255", "#44AA99", "#999933", "#AA4499", "#88CCEE", "#CC6677")


def wave_colour(index: int) -> str:
    return WAVE_COLOURS[index % len(WAVE_COLOURS)]


@dataclass(frozen=True)
class GridCell:
    """One cell of a cross-tab."""

    share: float | None  # None: suppressed or no cell
    n_text: str
    note: str  # shown instead of a value
    ci_low: float | None = None  # the 95% interval, where a renderer has room for it (PowerPoint's error bars)
    ci_high: float | None = None


@dataclass(frozen=True)
class Grid:
    """A cross-tab (types x values): ``cells[r][c]`` for row r of ``rows`` and column c of ``columns``."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[GridCell, ...], ...]


def value_range(items: Sequence[ChartItem], line: ReferenceLine | None, *, kind: str, axis: str) -> list[float]:
    """The value axis in percent: 0-100 for ``axis='full'``; else fitted to every interval, published figure and
    the Nordic band, on a 10-point grid. Bars always start at zero (a bar's length is its value); dots may not."""
    if axis == "full":
        return [0, 100]
    values = [v * 100 for i in items if i.share is not None for v in (i.ci_low, i.ci_high) if v is not None]
    values += [i.published_pct for i in items if i.published_pct is not None]
    if line is not None:
        values += [line.ci_low * 100, line.ci_high * 100]
    if not values:
        return [0, 100]
    high = min(100.0, math.ceil(max(values) / 10 + 0.05) * 10)
    low = 0.0 if kind == "bar" else max(0.0, math.floor(min(values) / 10 - 0.05) * 10)
    return [low, high]
