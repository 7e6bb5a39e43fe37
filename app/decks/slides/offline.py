"""A deck as one self-contained HTML file, so a talk survives the venue's Wi-Fi.

The file holds the app's plotly.js bundle and its locale files (app/vendor), and every slide's interactive
chart built by the page's own figure builder (the figure presentation mode draws), each with its title,
caption, comparability warning, demo label, CI note, sources and a link back to the live view. Each slide is
one screen high, its chart scaled as a whole into the room its texts leave (assets/fit-chart.js, as presentation
mode does). Arrow keys, PageUp/PageDown, Space, Home and End move between slides. It makes no request at all:
nothing is loaded from a network, and the links back are followed only when clicked. Its own styles and script
are app/decks/static/offline.css and offline.js, inlined.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from plotly.utils import PlotlyJSONEncoder

from app import vendor
from app.components.charts import graph_config, on_screen
from app.components.view_page import ViewResults
from app.data.db import Database
from app.decks.slides.content import Slide, read_slide, slide_view
from app.decks.static_files import static_text
from app.i18n import safe_lang, t
from app.web.first_paint import json_data_block
from core.config import PROJECT_ROOT

FIT_CHART_JS = PROJECT_ROOT / "assets" / "fit-chart.js"  # the app's own, so a slide fits as in presentation mode


@cache
def _inline_script(path: Path) -> str:
    """A script file, safe inside an inline <script> (it cannot close the element early)."""
    return path.read_text(encoding="utf-8").replace("</script", "<\\/script")


def slide_figure(db: Database, path: str, lang: str) -> dict[str, Any] | None:
    """The interactive chart of the view at ``path`` as plotly JSON, built by its page exactly as
    presentation mode builds it (None when the page shows a notice instead of a chart)."""
    page, view, lang, facts = slide_view(db, path, lang=lang)
    shown = page.results(db, facts, view, lang)
    if not isinstance(shown, ViewResults):
        return None
    figure = shown.figure(shown.present_scale)
    figure = figure if isinstance(figure, dict) else figure.to_plotly_json()
    # the slide's HTML says what the chart's title and header notes say (on a screen it could not wrap them)
    return on_screen(json.loads(json.dumps(figure, cls=PlotlyJSONEncoder)))


def offline_deck_html(db: Database, slides: Sequence[tuple[str, str]], *, title: str, lang: str,
                      base_url: str) -> str:
    """The deck of ``slides`` ((view path, caption) pairs, in order) as one HTML document that works offline,
    every slide in ``lang``; links back to the live views start with ``base_url``."""
    lang = safe_lang(lang)
    read = [(read_slide(db, path, lang=lang), caption) for path, caption in slides]
    figures = [slide_figure(db, slide.path, lang) for slide, _ in read]
    sections = "".join(_section(slide, caption, index, len(read), base_url.rstrip("/"), figures[index] is not None)
                       for index, (slide, caption) in enumerate(read))
    config = graph_config("nordic-barometer-slide", lang)
    config.update(responsive=True)
    data = json.dumps({"figures": figures, "config": config}, cls=PlotlyJSONEncoder)
    scripts = "".join(f"<script>{_inline_script(path)}</script>"
                      for path in (*vendor.plotly_files(), FIT_CHART_JS))
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{static_text('offline.css')}</style>{scripts}</head><body>"
            f'<header class="deck-head"><h1>{escape(title)}</h1><p>{escape(t(lang, "deck_offline_keys"))}</p>'
            f'</header><main>{sections}</main>'
            f'<nav class="deck-nav"><button type="button" data-step="-1">{escape(t(lang, "deck_offline_previous"))}'
            f'</button><button type="button" data-step="1">{escape(t(lang, "deck_offline_next"))}</button></nav>'
            + json_data_block("deck-data", data) +
            f"<script>{static_text('offline.js')}</script>"
            "</body></html>")


def _section(slide: Slide, caption: str, index: int, count: int, base_url: str, has_chart: bool) -> str:
    lang = slide.lang
    number = index + 1
    parts = [f'<p class="counter">{escape(t(lang, "deck_offline_counter", index=number, count=count))}</p>',
             f'<h2 id="slide-{number}-title">{escape(slide.title)}</h2>',
             f'<p class="subtitle">{escape(slide.subtitle)}</p>']
    if caption:
        parts.append(f'<p class="caption">{escape(caption)}</p>')
    if slide.warning:
        parts.append(f'<p class="warning">⚠ {escape(slide.warning)}</p>')
    if slide.demo:
        parts.append(f'<p class="demo">◆ {escape(slide.demo)}</p>')
    if has_chart:
        parts.append(f'<div class="chart-box fit-box"><div class="chart" id="chart-{number}" role="img" '
                     f'aria-label="{escape(slide.title)}"></div></div>')
        if slide.shows_intervals:
            parts.append(f'<p class="note">{escape(t(lang, "slide_ci_note"))}</p>')
    else:
        parts.append(f'<p class="notice">{escape(slide.notice or "")}</p>')
    parts += [f'<p class="sources">{"<br>".join(escape(line) for line in slide.sources.splitlines())}</p>',
              f'<p class="live"><a href="{escape(base_url + slide.path)}">{escape(t(lang, "deck_offline_live"))}'
              f"</a></p>"]
    return (f'<section class="slide" id="slide-{number}" aria-labelledby="slide-{number}-title" tabindex="-1">'
            f'{"".join(parts)}</section>')
