"""Country profile as a slide: the page's own chart items (a bar per sector and wave), waves named in a legend."""

from __future__ import annotations

from app.components.slide import Slide, SlideRequest, demo_line
from app.i18n import t
from app.models.common import export_footer
from app.pages.profile.layout import chart_items, wave_colours
from app.pages.profile.model import build_profile


def slide(request: SlideRequest) -> Slide:
    view, lang = request.view, request.lang
    result = build_profile(request.db, view, lang, request.known)
    colours = wave_colours(result)
    legend = tuple((colours[w.id], f"{w.wave_label} · {w.programme}") for w in result.waves)
    notice = None if result.waves else t(lang, "profile_no_waves", country=result.country_label)
    return Slide(request.page, view, lang, request.path, result.title, result.subtitle, None,
                 demo_line(result.demo, lang), export_footer(result.waves, lang), kind=view.chart, axis=view.axis,
                 items=tuple(chart_items(result)), legend=legend, notice=notice)
