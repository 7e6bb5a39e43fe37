"""What one slide shows: a view's chart model (app/components/chart_model.py) with its title, notes and sources.

A page with slides turns a :class:`SlideRequest` into a :class:`Slide` from its own view model (the page's
``slide`` in app/site/registry.py), so a slide and its page can never show different numbers. The renderers
(the SVG a phone following a talk shows, the offline deck) draw any page's slide without knowing the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.components.chart_model import ChartItem, Grid, ReferenceLine
from app.data.db import Database
from app.i18n import fmt_ci, fmt_pct, t
from app.site.params import Known
from app.site.registry import Page


@dataclass(frozen=True)
class SlideRequest:
    """A view a slide shows: its page, validated view, language, what the app knows and its canonical address."""

    db: Database
    page: Page
    view: Any
    lang: str
    known: Known
    path: str  # canonical address of the view (parameters at their default left out)


@dataclass(frozen=True)
class Slide:
    page: Page
    view: Any
    lang: str
    path: str  # canonical address of the view (parameters at their default left out)
    title: str
    subtitle: str
    warning: str | None  # one line: what is not fully comparable
    demo: str | None  # the demo label of the view's waves (None: real data only)
    sources: str  # source and licence lines, as exported images carry them
    kind: str = "bar"  # bar or dot
    axis: str = "fit"
    items: tuple[ChartItem, ...] = ()
    legend: tuple[tuple[str, str], ...] = ()  # (colour, name) when the labels do not name the colours
    reference: ReferenceLine | None = None  # the Nordic average line
    grid: Grid | None = None
    notice: str | None = None  # nothing to draw, and why

    @property
    def shows_intervals(self) -> bool:
        """Whether any bar or dot has a 95% CI whisker (figures as published have none: no key for them)."""
        return any(i.share is not None and i.ci_low is not None and i.ci_high is not None for i in self.items)


def demo_line(demo: str | None, lang: str) -> str | None:
    """The slide's demo label: short, since the slide carries a watermark too."""
    return t(lang, "demo_chart") if demo else None


def reference_words(line: ReferenceLine, lang: str) -> str:
    """A reference line (the Nordic average) in words: label, share and its interval."""
    return f"{line.label}: {fmt_pct(line.share, lang)} ({t(lang, 'ci95')} {fmt_ci(line.ci_low, line.ci_high, lang)})"


def grid_words(grid: Grid, lang: str, count: str = "({n})") -> list[str]:
    """Each cell of a cross-tab in words ('row, column: share (n)'); ``count`` frames a cell's n text."""
    words = []
    for r, row in enumerate(grid.rows):
        for c, column in enumerate(grid.columns):
            cell = grid.cells[r][c]
            value = fmt_pct(cell.share, lang) if cell.share is not None else cell.note
            words.append(f"{row}, {column}: {value}" + (" " + count.format(n=cell.n_text) if cell.n_text else ""))
    return words
