"""Compare as a slide: the page's own chart items, Nordic line, warnings and sources."""

from __future__ import annotations

from dataclasses import replace

from app.components.slide import Slide, SlideRequest, demo_line
from app.models.common import export_footer
from app.models.published import PUBLISHED
from app.pages.compare.layout import chart_items, nordic_reference, short_warning
from app.pages.compare.model import CompareResult, build_compare
from app.pages.compare.published import chart_items as published_items
from app.pages.compare.published import footer, warning_line


def slide(request: SlideRequest) -> Slide:
    result = build_compare(request.db, request.view, request.lang, request.known)
    if result.source == PUBLISHED:
        return _published_slide(request, result)
    view, lang = request.view, request.lang
    items = tuple(replace(item, n_text=row.n_text) for item, row in zip(chart_items(result), result.rows, strict=True))
    return Slide(request.page, view, lang, request.path, result.title, result.subtitle, short_warning(result),
                 demo_line(result.demo, lang), export_footer(result.waves, lang), kind=view.chart, axis=view.axis,
                 items=items, reference=nordic_reference(result))


def _published_slide(request: SlideRequest, result: CompareResult) -> Slide:
    """The page's own bars of published figures: each named by its country, wave and programme, the value as
    printed (relation included); no interval, no n (the publications give none), never demo."""
    view, lang = request.view, request.lang
    return Slide(request.page, view, lang, request.path, result.title, result.subtitle, warning_line(result), None,
                 footer(result), kind=view.chart, axis=view.axis, items=tuple(published_items(result)))
