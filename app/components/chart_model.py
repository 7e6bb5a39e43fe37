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
    detail: str = ""  # more of the category's name (a published figure's programme), on lines of its own

    @property
    def full_label(self) -> str:
        """The category's whole name: the label and its detail (what a shortened label leaves to the hover)."""
        return f"{self.label} · {self.detail}" if self.detail else self.label


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


# Label fitting, shared by every renderer: text is measured by an estimate of its width, so that labels wrap or
# shorten the same way in the plotly figures, the SVG slides and the offline deck, and the chart's height follows
# the lines its labels take. The widths are DejaVu Sans' (Debian's default sans-serif, wider than most UI fonts),
# in em: an estimate on the generous side fits in the narrower fonts of other systems too.
_NARROW = {**dict.fromkeys("ijlI J'", 0.30), **dict.fromkeys("f/.,:;·", 0.36), **dict.fromkeys("tr!()-", 0.42)}
_WIDE = {**dict.fromkeys("mwMW%æÆ&", 1.0), **dict.fromkeys("–—", 0.5)}
_UPPER = 0.76
_OTHER = 0.64
_BOLD = 1.1
LINE_SPACING = 1.3  # line height in font sizes, as plotly spaces the lines of a label
ELLIPSIS = "…"


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width in pixels of ``text`` at font ``size`` px (an estimate on the generous side)."""
    em = sum(_NARROW.get(c) or _WIDE.get(c) or (_UPPER if c.isupper() else _OTHER) for c in text)
    return em * size * (_BOLD if bold else 1.0)


def wrap_text(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """``text`` in lines no wider than ``width`` px, broken between words; a word wider than a line is cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold=bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while text_width(word, size, bold=bold) > width and len(word) > 1:  # cut, as a last resort
            cut = _longest_prefix(word, width, size, bold=bold)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines or [""]


def _longest_prefix(text: str, width: float, size: float, *, bold: bool, suffix: str = "") -> int:
    """How many leading characters of ``text`` (followed by ``suffix``) fit ``width`` (at least one)."""
    count = len(text)
    while count > 1 and text_width(text[:count] + suffix, size, bold=bold) > width:
        count -= 1
    return count


def fit_lines(text: str, width: float, size: float, max_lines: int, *, bold: bool = False) -> tuple[list[str], bool]:
    """``text`` wrapped to ``width`` px in at most ``max_lines`` lines, the last shortened with an ellipsis when
    the text needs more; returns the lines and whether the text was shortened."""
    lines = wrap_text(text, width, size, bold=bold)
    if len(lines) <= max_lines:
        return lines, False
    last = " ".join(lines[max_lines - 1:])
    keep = _longest_prefix(last, width, size, bold=bold, suffix=ELLIPSIS)
    return [*lines[:max_lines - 1], last[:keep].rstrip() + ELLIPSIS], True


@dataclass(frozen=True)
class FittedLabel:
    """A category's name in the lines a renderer draws; ``full`` is what the hover and the description say."""

    lines: tuple[str, ...]
    full: str
    shortened: bool


def category_label(item: ChartItem, width: float, size: float, max_lines: int) -> FittedLabel:
    """The label of ``item`` in lines of ``width`` px: the label first, then its detail on lines of its own,
    at most ``max_lines`` in all (shortened with an ellipsis beyond)."""
    if max_lines == 1 and item.detail:  # one line: the label shortened before its detail (a wave, a programme)
        detail = f" · {item.detail}"
        if text_width(item.full_label, size) <= width:
            return FittedLabel((item.full_label,), item.full_label, False)
        if text_width(detail, size) <= width / 2:
            keep = _longest_prefix(item.label, width - text_width(detail, size), size, bold=False, suffix=ELLIPSIS)
            return FittedLabel((item.label[:keep].rstrip() + ELLIPSIS + detail,), item.full_label, True)
    lines, shortened = fit_lines(item.label, width, size, max_lines)
    room = max_lines - len(lines)
    if item.detail:
        if room > 0:
            detail, cut = fit_lines(item.detail, width, size, room)
            lines, shortened = [*lines, *detail], shortened or cut
        else:
            shortened = True
            if not lines[-1].endswith(ELLIPSIS):
                lines[-1] = lines[-1][:_longest_prefix(lines[-1], width, size, bold=False, suffix=ELLIPSIS)] + ELLIPSIS
    return FittedLabel(tuple(lines), item.full_label, shortened)


def value_lines(text: str, max_lines: int) -> list[str]:
    """A value as printed ('about 75%') on one line, or where there is room for two and it has a word before
    the number, that word on a line above it (so it needs less width beside its bar)."""
    head, _, number = text.rpartition(" ")  # babel joins number and percent sign with a no-break space
    if max_lines < 2 or not head:
        return [text]
    return [head, number]
