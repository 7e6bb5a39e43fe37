"""A deck as one self-contained HTML file, so a talk survives the venue's Wi-Fi.

The file holds the app's plotly.js bundle and its locale files (app/vendor), and every slide's interactive
chart built by the page's own figure builder (the figure presentation mode draws), each with its title,
caption, comparability warning, demo label, CI note, sources and a link back to the live view. Arrow keys,
PageUp/PageDown, Space, Home and End move between slides. It makes no request at all: nothing is loaded from
a network, and the links back are followed only when clicked.
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
from app.i18n import safe_lang, t

VENDOR_DIR = Path(vendor.__file__).resolve().parent


@cache
def _vendor_script(name: str) -> str:
    """A vendored script, safe inside an inline <script> (it cannot close the element early)."""
    return (VENDOR_DIR / name).read_text(encoding="utf-8").replace("</script", "<\\/script")


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
    data = json.dumps({"figures": figures, "config": config}, cls=PlotlyJSONEncoder).replace("</", "<\\/")
    scripts = "".join(f"<script>{_vendor_script(name)}</script>"
                      for name in (vendor.PLOTLY_JS, *vendor.PLOTLY_LOCALE_FILES))
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{STYLE}</style>{scripts}</head><body>"
            f'<header class="deck-head"><h1>{escape(title)}</h1><p>{escape(t(lang, "deck_offline_keys"))}</p>'
            f'</header><main>{sections}</main>'
            f'<nav class="deck-nav"><button type="button" data-step="-1">{escape(t(lang, "deck_offline_previous"))}'
            f'</button><button type="button" data-step="1">{escape(t(lang, "deck_offline_next"))}</button></nav>'
            f'<script type="application/json" id="deck-data">{data}</script><script>{SCRIPT}</script>'
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
        parts.append(f'<div class="chart" id="chart-{number}" role="img" aria-label="{escape(slide.title)}"></div>'
                     f'<p class="note">{escape(t(lang, "slide_ci_note"))}</p>')
    else:
        parts.append(f'<p class="notice">{escape(slide.notice or "")}</p>')
    parts += [f'<p class="sources">{"<br>".join(escape(line) for line in slide.sources.splitlines())}</p>',
              f'<p class="live"><a href="{escape(base_url + slide.path)}">{escape(t(lang, "deck_offline_live"))}'
              f"</a></p>"]
    return (f'<section class="slide" id="slide-{number}" aria-labelledby="slide-{number}-title" tabindex="-1">'
            f'{"".join(parts)}</section>')


STYLE = """
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1b1f24;background:#fff}
html{scroll-snap-type:y mandatory}
.deck-head{padding:1rem 2rem;border-bottom:1px solid #d0d7de;scroll-snap-align:start}
.deck-head h1{margin:0 0 .25rem;font-size:1.6rem}.deck-head p{margin:0;color:#57606a}
.slide{min-height:100vh;padding:1.2rem 2rem 4rem;scroll-snap-align:start;border-bottom:1px solid #d0d7de}
.slide:focus{outline:none}
.slide h2{margin:.2rem 0;font-size:1.7rem;line-height:1.2}
.counter,.subtitle,.note,.sources{color:#57606a}.counter{margin:0;font-size:.9rem}
.subtitle{margin:.2rem 0 .6rem}.caption{font-size:1.25rem;margin:.4rem 0;font-weight:600}
.warning{color:#8a4600;margin:.2rem 0}.demo{color:#6f42c1;font-weight:700;margin:.2rem 0}
.chart{width:100%}.note{margin:.3rem 0}.sources{font-size:.85rem;max-width:80rem}
.notice{font-size:1.2rem;color:#57606a}
.live a{color:#0550ae}
.deck-nav{position:fixed;right:1rem;bottom:1rem;display:flex;gap:.5rem}
.deck-nav button{font:inherit;padding:.4rem .8rem;border:1px solid #8c959f;border-radius:4px;background:#fff}
@media print{html{scroll-snap-type:none}.deck-nav{display:none}.slide{break-after:page}}
"""

# Draws every chart at once (no slide is hidden, so each gets its real width), then moves between slides.
SCRIPT = """
(function () {
  var deck = JSON.parse(document.getElementById('deck-data').textContent);
  deck.figures.forEach(function (figure, i) {
    if (figure) { Plotly.newPlot('chart-' + (i + 1), figure.data, figure.layout, deck.config); }
  });
  var slides = Array.prototype.slice.call(document.querySelectorAll('section.slide'));
  function current() {  // the last slide whose top has reached the top of the window (-1: the title above them)
    var index = -1;
    slides.forEach(function (slide, i) { if (slide.getBoundingClientRect().top <= 2) { index = i; } });
    return index;
  }
  function go(index) {
    var target = slides[Math.max(0, Math.min(slides.length - 1, index))];
    target.scrollIntoView({block: 'start'});
    target.focus({preventScroll: true});
  }
  var steps = {ArrowRight: 1, ArrowDown: 1, PageDown: 1, ' ': 1, ArrowLeft: -1, ArrowUp: -1, PageUp: -1};
  document.addEventListener('keydown', function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (event.key in steps) { go(current() + steps[event.key]); }
    else if (event.key === 'Home') { go(0); }
    else if (event.key === 'End') { go(slides.length - 1); }
    else { return; }
    event.preventDefault();
  });
  document.querySelectorAll('.deck-nav button').forEach(function (button) {
    button.addEventListener('click', function () { go(current() + Number(button.dataset.step)); });
  });
})();
"""
