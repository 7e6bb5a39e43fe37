"""A slide's chart model (app/components/slide.py) as a native PowerPoint chart: editable in PowerPoint,
Keynote and LibreOffice Impress, its numbers in the chart's own workbook.

Horizontal bars, top to bottom as on the page (a dot view too: PowerPoint's dot charts have no room for long
category names), one value per category in percent, each in its category's colour, the value written as the
app writes it in the data label (the relation of a published figure, 'about 75%', included), the 95% interval
as error bars, and the Nordic average as a last, black category with its interval. A cross-tab becomes
clustered bars with their intervals: a series per row (innovation type), a category per column (value
achieved). A missing or suppressed cell has no value (never a zero bar) and its category says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_AXIS_CROSSES, XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.oxml.ns import qn
from pptx.shapes.shapetree import SlideShapes
from pptx.util import Emu, Pt

from app.components.chart_model import NORDIC_COLOUR, TEXT_COLOUR, WAVE_COLOURS, ChartItem, Grid, value_range
from app.components.slide import Slide
from app.i18n import fmt_pct, percent_suffix

LABEL_SIZE = Pt(12)
AXIS_SIZE = Pt(12)
SHORT_BAR = 0.18  # a bar shorter than this part of the axis gets its value after it, not inside


@dataclass(frozen=True)
class Bar:
    """One category of the chart as PowerPoint gets it: values in percent (None: no value)."""

    category: str
    colour: str
    value: float | None
    low: float | None
    high: float | None
    label: str


def bars(slide: Slide) -> list[Bar]:
    """The categories of a CI chart, in the order the page shows them, the Nordic average last."""
    found = [_bar(item, slide.lang) for item in slide.items]
    line = slide.reference
    if line is not None:
        found.append(Bar(line.label, NORDIC_COLOUR, line.share * 100, line.ci_low * 100, line.ci_high * 100,
                         fmt_pct(line.share, slide.lang)))
    return found


def _bar(item: ChartItem, lang: str) -> Bar:
    if item.share is None:  # no bar: the category says why (a published figure's label already does)
        note = item.full_label if item.note in item.full_label else f"{item.full_label}: {item.note}"
        return Bar(note + (f" ({item.n_text})" if item.n_text else ""), item.colour, None, None, None, "")
    category = f"{item.full_label} (n = {item.n_text})" if item.n_text else item.full_label
    return Bar(category, item.colour, item.share * 100, _pct(item.ci_low), _pct(item.ci_high),
               item.value_text or fmt_pct(item.share, lang))


def add_chart(shapes: SlideShapes, slide: Slide, left: int, top: int, width: int, height: int) -> None:
    """The slide's chart in the box given (EMU); nothing when the slide shows a notice instead."""
    box = (Emu(left), Emu(top), Emu(width), Emu(height))
    if slide.notice:
        return
    if slide.grid is not None:
        _grid_chart(shapes, slide.grid, slide.lang, box)
        return
    found = bars(slide)
    if not found:
        return
    # a dot view's axis, drawn as bars: bars start at zero (a bar's length is its value)
    low, high = value_range(slide.items, slide.reference, kind="bar", axis=slide.axis)
    data = CategoryChartData(number_format="0.0")
    data.categories = [bar.category for bar in found]
    data.add_series(slide.title[:250], [bar.value for bar in found])
    chart = shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, *box, data).chart
    _plain(chart)
    _value_axis(chart.value_axis, low, high, slide.lang)
    axis = chart.category_axis
    axis.reverse_order = True  # the first category on top, as on the page
    axis.crosses = XL_AXIS_CROSSES.MAXIMUM  # and the value axis stays at the bottom
    row = Emu(height).pt / (len(found) + 1)  # points per category: a name may take two lines of it
    axis.tick_labels.font.size = Pt(max(7, min(12, round(row * 0.4))))
    skip = etree.Element(qn("c:tickLblSkip"))
    skip.set("val", "1")  # every category named, in the schema's place (before noMultiLvlLbl)
    axis._element.find(qn("c:noMultiLvlLbl")).addprevious(skip)
    chart.plots[0].gap_width = 60
    series = chart.plots[0].series[0]
    for index, bar in enumerate(found):
        point = series.points[index]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(bar.colour)
        if bar.value is None:
            continue
        if (bar.value - low) / (high - low) < SHORT_BAR:  # no room inside: after the bar
            _label(point, bar.label, XL_LABEL_POSITION.OUTSIDE_END, TEXT_COLOUR)
        else:  # inside, at the base: the whisker at the bar's end never runs through it
            _label(point, bar.label, XL_LABEL_POSITION.INSIDE_BASE, ink_on(bar.colour))
    error_bars(series, [(bar.value, bar.low, bar.high) for bar in found])


def _grid_chart(shapes: SlideShapes, grid: Grid, lang: str, box: tuple) -> None:
    data = CategoryChartData(number_format="0.0")
    data.categories = list(grid.columns)
    for r, row in enumerate(grid.rows):
        data.add_series(row, [_pct(cell.share) for cell in grid.cells[r]])
    chart = shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, *box, data).chart
    _plain(chart)
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.category_axis.reverse_order = True
    chart.category_axis.crosses = XL_AXIS_CROSSES.MAXIMUM
    _value_axis(chart.value_axis, 0, 100, lang)
    for r, series in enumerate(chart.plots[0].series):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(WAVE_COLOURS[r % len(WAVE_COLOURS)])
        error_bars(series, [(_pct(cell.share), _pct(cell.ci_low), _pct(cell.ci_high)) for cell in grid.cells[r]])
        for c, cell in enumerate(grid.cells[r]):
            if cell.share is not None:
                _label(series.points[c], fmt_pct(cell.share, lang), XL_LABEL_POSITION.OUTSIDE_END, TEXT_COLOUR,
                       size=Pt(9))


def _pct(share: float | None) -> float | None:
    return share * 100 if share is not None else None


def _plain(chart) -> None:
    """No chart title (the slide has one) and no legend unless asked for; the app's text colour."""
    chart.has_title = False
    chart.has_legend = False
    chart.font.size = AXIS_SIZE
    chart.font.color.rgb = _rgb(TEXT_COLOUR)


def _value_axis(axis, low: float, high: float, lang: str) -> None:
    axis.minimum_scale, axis.maximum_scale = low, high
    axis.major_unit = 10 if high - low <= 50 else 20
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = RGBColor(0xE4, 0xE7, 0xEB)
    axis.tick_labels.number_format = f'0"{percent_suffix(lang)}"'
    axis.tick_labels.number_format_is_linked = False


def _label(point, text: str, position, colour: str, size: Pt = LABEL_SIZE) -> None:
    label = point.data_label
    label.has_text_frame = True
    label.text_frame.text = text
    label.position = position
    run = label.text_frame.paragraphs[0].runs[0]
    run.font.size = size
    run.font.bold = True
    run.font.color.rgb = _rgb(colour)


def ink_on(colour: str) -> str:
    """White or near-black text, whichever reads better on ``colour`` (WCAG relative luminance)."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#FFFFFF" if luminance < 0.22 else TEXT_COLOUR


def error_bars(series, values: Sequence[tuple[float | None, float | None, float | None]]) -> None:
    """The 95% intervals as custom error bars (plus: high - value, minus: value - low); python-pptx has no API
    for them, so the series gets the DrawingML element itself, before its categories as the schema orders it."""
    if not any(low is not None and high is not None for _, low, high in values):
        return
    element = etree.SubElement(series._element, qn("c:errBars"))
    series._element.remove(element)
    series._element.find(qn("c:cat")).addprevious(element)
    etree.SubElement(element, qn("c:errBarType")).set("val", "both")
    etree.SubElement(element, qn("c:errValType")).set("val", "cust")
    etree.SubElement(element, qn("c:noEndCap")).set("val", "0")
    for side in ("plus", "minus"):
        literal = etree.SubElement(etree.SubElement(element, qn(f"c:{side}")), qn("c:numLit"))
        etree.SubElement(literal, qn("c:formatCode")).text = "0.0"
        etree.SubElement(literal, qn("c:ptCount")).set("val", str(len(values)))
        for index, (value, low, high) in enumerate(values):
            if value is None or low is None or high is None:
                continue
            point = etree.SubElement(literal, qn("c:pt"))
            point.set("idx", str(index))
            etree.SubElement(point, qn("c:v")).text = repr(high - value if side == "plus" else value - low)
    line = etree.SubElement(etree.SubElement(element, qn("c:spPr")), qn("a:ln"))
    line.set("w", str(Pt(1.75)))
    fill = etree.SubElement(line, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr")).set("val", TEXT_COLOUR.lstrip("#").upper())


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())
