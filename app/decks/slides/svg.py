"""A slide as a small SVG drawn on the server: what a phone following a talk shows instead of the dashboard.

Plain text building, no browser and no plotly: a few kilobytes a slide, readable about 390 px wide. It shows
the view's title and subtitle, the comparability warning and demo label, every bar or dot with its 95% CI
whisker, its value (written by babel as the app writes it) and n, suppressed or missing cells as a note
without a value, the Nordic average line, and the sources. The numbers come from the page's own view model
(app/decks/slides/content.py). ``role="img"`` with a <title> and a <desc> that lists every value, for screen readers.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from plotly.colors import sample_colorscale

from app.components.chart_model import (
    MUTED,
    NORDIC_COLOUR,
    TEXT_COLOUR,
    ChartItem,
    Grid,
    GridCell,
    category_label,
    text_width,
    value_range,
    wrap_text,
)
from app.components.slide import grid_words, reference_words
from app.data.db import Database
from app.decks.slides.content import Slide, read_slide
from app.i18n import fmt_ci, fmt_pct, t

WIDTH = 390
PAD = 12
FONT = "system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif"
WARNING_COLOUR = "#8a4600"
DEMO_COLOUR = "#6f42c1"
GRID_COLOUR = "#e4e7eb"
VALUE_SPACE = 46  # right of the plot: room for the value written after the upper whisker (more for longer ones)
ROW_LABEL = 17  # per line of a category's label
LABEL_LINES = 2  # a longer label is shortened; the cell's <title> and the <desc> give it whole
BAR = 16
ROW_GAP = 12
GRID_SCALE = "Cividis"  # the heatmap's colour scale on the page (safe with colour-vision deficiencies)


def slide_svg(db: Database, path: str, *, lang: str | None = None) -> str:
    """The view at ``path`` (canonical path and query, e.g. '/en/compare?indicator=value') as an SVG document.

    Raises app.decks.slides.content.SlidePathError when ``path`` names no view a slide shows."""
    return render_svg(read_slide(db, path, lang=lang))


def render_svg(slide: Slide) -> str:
    """The SVG document of a slide (see the module docstring for what it shows)."""
    canvas = _Canvas(slide.lang)
    canvas.text_block(slide.title, size=18, weight="bold", colour=TEXT_COLOUR)
    canvas.text_block(slide.subtitle, size=13, colour=MUTED)
    if slide.warning:
        canvas.text_block("⚠ " + slide.warning, size=12, colour=WARNING_COLOUR, cls="warning")
    if slide.demo:
        canvas.text_block("◆ " + slide.demo, size=12, colour=DEMO_COLOUR, weight="bold", cls="demo")
    canvas.y += 6
    plot_top = canvas.y
    if slide.notice:
        canvas.text_block(slide.notice, size=14, colour=MUTED, cls="notice")
    elif slide.grid is not None:
        _draw_grid(canvas, slide.grid, slide.lang)
    else:
        _draw_ci_chart(canvas, slide)
    if slide.demo:  # a faint watermark over the plot, as on the app's demo charts
        middle = (plot_top + canvas.y) / 2
        canvas.add(f'<text x="{WIDTH / 2:.0f}" y="{middle:.0f}" font-size="72" fill="{DEMO_COLOUR}" '
                   f'opacity="0.07" text-anchor="middle" transform="rotate(-18 {WIDTH / 2:.0f} {middle:.0f})" '
                   f'aria-hidden="true">{escape(t(slide.lang, "demo_watermark"))}</text>')
    canvas.y += 8
    for line in slide.sources.splitlines():
        canvas.text_block(line, size=11, colour=MUTED, cls="source-lines")
    return canvas.document(slide.title, _description(slide))


class _Canvas:
    """Elements stacked top to bottom; ``y`` is where the next one goes."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.y = PAD
        self.parts: list[str] = []

    def add(self, element: str) -> None:
        self.parts.append(element)

    def text_block(self, text: str, *, size: int, colour: str, weight: str = "normal", cls: str = "",
                   width: float = WIDTH - 2 * PAD, x: float = PAD) -> None:
        """Wrapped text (SVG does not wrap): about 0.55 em per character, more for bold."""
        if not text:
            return
        lines = wrap(text, width, size, bold=weight == "bold")
        line_height = round(size * 1.3)
        attrs = f' class="{cls}"' if cls else ""
        weight_attr = f' font-weight="{weight}"' if weight != "normal" else ""
        spans = "".join(f'<tspan x="{x:.0f}" dy="{0 if i == 0 else line_height}">{escape(line)}</tspan>'
                        for i, line in enumerate(lines))
        self.add(f'<text{attrs} y="{self.y + size:.0f}" font-size="{size}" fill="{colour}"{weight_attr}>'
                 f'{spans}</text>')
        self.y += line_height * len(lines) + 4

    def document(self, title: str, description: str) -> str:
        height = round(self.y + PAD)
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
                f'height="{height}" role="img" aria-labelledby="slide-title slide-desc" lang="{self.lang}" '
                f'font-family="{FONT}">'
                f'<title id="slide-title">{escape(title)}</title><desc id="slide-desc">{escape(description)}</desc>'
                f'<rect width="100%" height="100%" fill="#ffffff"/>{"".join(self.parts)}</svg>')


def wrap(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """``text`` in lines that fit ``width`` pixels at font ``size`` (SVG text has no layout: the chart model's
    estimate of text widths, the one every renderer wraps by)."""
    return wrap_text(text, width, size, bold=bold)


def fitting_size(texts: list[str], width: float, size: float, smallest: float) -> float:
    """The largest font size from ``size`` down to ``smallest`` at which the longest word of ``texts`` fits."""
    words = [word for text in texts for word in text.split()] or [""]
    while size > smallest and max(text_width(word, size, bold=True) for word in words) > width:
        size -= 0.5
    return size


def _value_text(item: ChartItem, lang: str) -> str:
    """A value as the slide writes it: as printed where the figure says more than a share ('about 75%')."""
    return item.value_text or (fmt_pct(item.share, lang) if item.share is not None else "")


def _draw_ci_chart(canvas: _Canvas, slide: Slide) -> None:
    """One row per category: its label and n, then the bar (or dot) with its whisker and value; the Nordic
    average as a dashed line over the rows with its band; a value axis; then a legend."""
    lang, items, line = slide.lang, slide.items, slide.reference
    low, high = value_range(items, line, kind=slide.kind, axis=slide.axis)
    value_space = max(VALUE_SPACE, max((text_width(_value_text(i, lang), 13, bold=True) + 8 for i in items),
                                       default=0))
    left, right = PAD, WIDTH - PAD - value_space

    def x(percent: float) -> float:
        return left + (min(max(percent, low), high) - low) / (high - low) * (right - left)

    step = 10 if high - low <= 50 else 20
    ticks = [v for v in range(int(low), int(high) + 1, step)]
    top = canvas.y
    rows: list[str] = []
    for item in items:
        row, label_lines = _ci_row(item, canvas.y, x, lang, slide.kind)
        rows.append(row)
        canvas.y += ROW_LABEL * label_lines + BAR + ROW_GAP + (10 if item.published_pct is not None else 0)
    bottom = canvas.y - ROW_GAP + 4
    # grid lines and the Nordic band and line go under the bars
    for tick in ticks:
        canvas.add(f'<line x1="{x(tick):.1f}" y1="{top:.0f}" x2="{x(tick):.1f}" y2="{bottom:.0f}" '
                   f'stroke="{GRID_COLOUR}" stroke-width="1"/>')
    if line is not None:
        canvas.add(f'<rect class="nordic-band" x="{x(line.ci_low * 100):.1f}" y="{top:.0f}" '
                   f'width="{x(line.ci_high * 100) - x(line.ci_low * 100):.1f}" height="{bottom - top:.0f}" '
                   f'fill="#000000" opacity="0.07"/>')
    if line is not None:  # under the rows: a value written across it stays readable
        canvas.add(f'<line class="nordic" data-share-pct="{line.share * 100!r}" x1="{x(line.share * 100):.1f}" '
                   f'y1="{top:.0f}" x2="{x(line.share * 100):.1f}" y2="{bottom:.0f}" stroke="{NORDIC_COLOUR}" '
                   f'stroke-width="2" stroke-dasharray="5 4"/>')
    canvas.parts.extend(rows)
    canvas.add(f'<line x1="{left}" y1="{bottom:.0f}" x2="{right}" y2="{bottom:.0f}" stroke="#8c959f"/>')
    for tick in ticks:
        anchor = "start" if x(tick) - left < 16 else "middle"  # the first label would stick out on the left
        canvas.add(f'<text x="{x(tick):.1f}" y="{bottom + 14:.0f}" font-size="11" fill="{TEXT_COLOUR}" '
                   f'text-anchor="{anchor}">{escape(fmt_pct(tick / 100, lang))}</text>')
    canvas.y = bottom + 24
    _legend(canvas, slide)


def _ci_row(item: ChartItem, y: float, x: Callable[[float], float], lang: str, kind: str) -> tuple[str, int]:
    """A category's row (its label on as many lines as it takes, n beside the first) and its label's lines."""
    n_text = f"n = {item.n_text}" if item.n_text and item.share is not None else item.n_text
    label = category_label(item, WIDTH - 2 * PAD - (text_width(n_text, 11) + 8 if n_text else 0), 13, LABEL_LINES)
    spans = "".join(f'<tspan x="{PAD}" dy="{0 if i == 0 else ROW_LABEL}">{escape(line)}</tspan>'
                    for i, line in enumerate(label.lines))
    parts = [f'<title>{escape(label.full)}</title>',  # the whole name, as a tooltip where a label is shortened
             f'<text class="label" y="{y + 13:.0f}" font-size="13" fill="{TEXT_COLOUR}">{spans}</text>',
             f'<text x="{WIDTH - PAD}" y="{y + 13:.0f}" font-size="11" fill="{MUTED}" text-anchor="end">'
             f'{escape(n_text)}</text>']
    centre = y + ROW_LABEL * len(label.lines) + BAR / 2
    if item.share is None:  # say why, never a zero bar; no value, no interval
        parts.append(f'<text class="no-value" x="{PAD + 2}" y="{centre + 4:.0f}" font-size="12" fill="{MUTED}" '
                     f'font-style="italic">{escape(item.note)}</text>')
        return f'<g class="cell suppressed-or-missing">{"".join(parts)}</g>', len(label.lines)
    share = item.share * 100
    if kind == "dot":
        parts.append(f'<circle cx="{x(share):.1f}" cy="{centre:.1f}" r="6.5" fill="{item.colour}" '
                     f'stroke="#ffffff"/>')
    else:
        parts.append(f'<rect x="{x(0):.1f}" y="{centre - BAR / 2 * 0.75:.1f}" width="{x(share) - x(0):.1f}" '
                     f'height="{BAR * 0.75:.0f}" fill="{item.colour}"/>')
    end = share
    if item.ci_low is not None and item.ci_high is not None:
        lo, hi = x(item.ci_low * 100), x(item.ci_high * 100)
        parts.append(f'<path d="M{lo:.1f} {centre:.1f}H{hi:.1f}M{lo:.1f} {centre - 5:.1f}v10M{hi:.1f} '
                     f'{centre - 5:.1f}v10" stroke="{TEXT_COLOUR}" stroke-width="2" fill="none"/>')
        end = item.ci_high * 100
    # a white halo keeps the value readable where the Nordic line or a grid line runs through it
    parts.append(f'<text class="value" x="{x(end) + 5:.1f}" y="{centre + 4.5:.1f}" font-size="13" '
                 f'font-weight="bold" fill="{TEXT_COLOUR}" stroke="#ffffff" stroke-width="3" paint-order="stroke">'
                 f'{escape(_value_text(item, lang))}</text>')
    if item.published_pct is not None:  # an open diamond just below the whisker, never on it
        px, py = x(item.published_pct), centre + 12
        parts.append(f'<path class="published" d="M{px:.1f} {py - 5:.1f}l5 5-5 5-5-5z" fill="#ffffff" '
                     f'stroke="{TEXT_COLOUR}" stroke-width="1.5"/>')
    data = (f' data-share-pct="{share!r}" data-ci-low-pct="{_pct_attr(item.ci_low)}" '
            f'data-ci-high-pct="{_pct_attr(item.ci_high)}"')
    return f'<g class="cell"{data}>{"".join(parts)}</g>', len(label.lines)


def _pct_attr(share: float | None) -> str:
    return repr(share * 100) if share is not None else ""


def _legend(canvas: _Canvas, slide: Slide) -> None:
    lang = slide.lang
    for colour, name in slide.legend:
        canvas.add(f'<rect x="{PAD}" y="{canvas.y + 2:.0f}" width="12" height="12" fill="{colour}"/>')
        canvas.text_block(name, size=12, colour=TEXT_COLOUR, x=PAD + 18, width=WIDTH - 2 * PAD - 18)
    if slide.reference is not None:
        line = slide.reference
        canvas.add(f'<path d="M{PAD} {canvas.y + 8:.0f}h14" stroke="{NORDIC_COLOUR}" stroke-width="2" '
                   f'stroke-dasharray="4 3"/>')
        canvas.text_block(f"{line.label}: {fmt_pct(line.share, lang)} ({t(lang, 'ci95')} "
                          f"{fmt_ci(line.ci_low, line.ci_high, lang)})", size=12, colour=TEXT_COLOUR, x=PAD + 20,
                          width=WIDTH - 2 * PAD - 20)
    if any(i.published_pct is not None for i in slide.items):
        canvas.add(f'<path d="M{PAD + 7} {canvas.y + 3:.0f}l5 5-5 5-5-5z" fill="#ffffff" stroke="{TEXT_COLOUR}" '
                   f'stroke-width="1.5"/>')
        canvas.text_block(t(lang, "published_marker"), size=12, colour=TEXT_COLOUR, x=PAD + 20,
                          width=WIDTH - 2 * PAD - 20)
    if not slide.shows_intervals:
        return  # figures without intervals (as published): no key for whiskers the slide does not draw
    canvas.add(f'<path d="M{PAD} {canvas.y + 8:.0f}h14M{PAD} {canvas.y + 4:.0f}v8M{PAD + 14} {canvas.y + 4:.0f}v8" '
               f'stroke="{TEXT_COLOUR}" stroke-width="2" fill="none"/>')
    canvas.text_block(t(lang, "slide_ci_note"), size=12, colour=TEXT_COLOUR, x=PAD + 20, width=WIDTH - 2 * PAD - 20)


def _draw_grid(canvas: _Canvas, grid: Grid, lang: str) -> None:
    """The cross-tab turned for a phone: a block per column of the table (a value achieved, its name on a line
    of its own), a tile per row (innovation type) under headers naming the rows once at the top."""
    count = max(1, len(grid.rows))
    tile = (WIDTH - 2 * PAD - 4 * (count - 1)) / count
    size = fitting_size(list(grid.rows), tile - 2, 10, 7.5)
    header_lines = [wrap(name, tile - 2, size, bold=True) for name in grid.rows]
    depth = max(len(lines) for lines in header_lines)
    line_height = round(size * 1.2)
    for index, lines in enumerate(header_lines):
        left = PAD + index * (tile + 4)
        spans = "".join(f'<tspan x="{left + tile / 2:.1f}" dy="{0 if i == 0 else line_height}">{escape(text)}'
                        f'</tspan>' for i, text in enumerate(lines))
        canvas.add(f'<text y="{canvas.y + size:.0f}" font-size="{size:g}" font-weight="bold" fill="{TEXT_COLOUR}" '
                   f'text-anchor="middle">{spans}</text>')
    canvas.y += depth * line_height + 6
    for column_index, column in enumerate(grid.columns):
        canvas.text_block(column, size=12, colour=TEXT_COLOUR)
        canvas.y -= 2
        for row_index in range(len(grid.rows)):
            cell = grid.cells[row_index][column_index]
            canvas.add(_grid_tile(cell, PAD + row_index * (tile + 4), canvas.y, tile, lang))
        canvas.y += 40
    canvas.y += 4
    canvas.text_block(t(lang, "slide_grid_note"), size=11, colour=MUTED)


def _grid_tile(cell: GridCell, left: float, top: float, width: float, lang: str) -> str:
    if cell.share is None:  # grey, dotted, with its note: never a value, never a colour that reads as zero
        return (f'<g class="cell suppressed-or-missing"><rect x="{left:.1f}" y="{top:.0f}" width="{width:.1f}" '
                f'height="36" fill="#eef0f2" stroke="#c9ced4" stroke-dasharray="2 2"/>'
                f'<text x="{left + width / 2:.1f}" y="{top + 15:.0f}" font-size="10" fill="{MUTED}" '
                f'text-anchor="middle" font-style="italic">{escape(cell.note)}</text>'
                f'<text x="{left + width / 2:.1f}" y="{top + 29:.0f}" font-size="9" fill="{MUTED}" '
                f'text-anchor="middle">{escape(cell.n_text)}</text></g>')
    fill = sample_colorscale(GRID_SCALE, [cell.share])[0]
    ink = "#ffffff" if cell.share < 0.55 else TEXT_COLOUR  # Cividis is dark at the low end
    return (f'<g class="cell" data-share-pct="{cell.share * 100!r}"><rect x="{left:.1f}" y="{top:.0f}" '
            f'width="{width:.1f}" height="36" fill="{fill}"/>'
            f'<text class="value" x="{left + width / 2:.1f}" y="{top + 16:.0f}" font-size="13" font-weight="bold" '
            f'fill="{ink}" text-anchor="middle">{escape(fmt_pct(cell.share, lang))}</text>'
            f'<text x="{left + width / 2:.1f}" y="{top + 30:.0f}" font-size="9" fill="{ink}" '
            f'text-anchor="middle">n = {escape(cell.n_text)}</text></g>')


def _description(slide: Slide) -> str:
    """Every value of the slide in words, for screen readers (the <desc> of the SVG)."""
    lang = slide.lang
    parts = [slide.subtitle]
    if slide.warning:
        parts.append(slide.warning)
    if slide.demo:
        parts.append(slide.demo)
    if slide.notice:
        parts.append(slide.notice)
    for item in slide.items:
        parts.append(_item_words(item, lang))
    if slide.reference is not None:
        parts.append(reference_words(slide.reference, lang))
    if slide.grid is not None:
        parts += grid_words(slide.grid, lang)
    return ". ".join(p.rstrip(".") for p in parts if p) + "."


def _item_words(item: ChartItem, lang: str) -> str:
    if item.share is None:
        return f"{item.full_label}: {item.note}"
    interval = (f" ({t(lang, 'ci95')} {fmt_ci(item.ci_low, item.ci_high, lang)})"
                if item.ci_low is not None and item.ci_high is not None else "")
    n = f", n = {item.n_text}" if item.n_text else ""
    return f"{item.full_label}: {_value_text(item, lang)}{interval}{n}"
