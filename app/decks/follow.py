"""The follow page of a deck ('/follow/<id>', '/<lang>/follow/<id>'): what an audience opens from the deck's QR
code on its phones. Plain server HTML and one small inline script (no Dash bundle): it polls the deck's state
(app/decks/api.py) every FOLLOW_POLL_MS with If-None-Match and swaps in the slide the presenter shows. A viewer
may browse back and forward; "Live" returns to the presenter's slide. The script and its styles are
app/decks/static/follow.js and follow.css: constant text (allowed by its CSP hash), the deck, language and texts
in data-* attributes.
"""

from __future__ import annotations

import hashlib
import textwrap
from html import escape

from flask import Blueprint, Response, abort, request

from app.decks.api import recent_deck
from app.decks.light_html import light_page
from app.decks.slides.content import SlidePathError
from app.decks.slides.routes import cached_slide_svg, slide_code_version
from app.decks.static_files import static_text
from app.decks.store import Deck
from app.decks.views import in_language, slide_title
from app.i18n import t
from app.site.request import current_db
from app.web.caching.http_cache import matches
from core.config import LANGUAGES

follow = Blueprint("barometer_follow", __name__)

FOLLOW_POLL_MS = 1500


def placeholder_svg(path: str, lang: str, title: str) -> str:
    """A card naming the view, for a slide the server does not draw (the overview, a page without a chart)."""
    lines = textwrap.wrap(title, 30)[:5] or [path]
    text = "".join(f'<text x="40" y="{90 + 56 * i}" font-size="44" fill="#1b1f24">{escape(line)}</text>'
                   for i, line in enumerate(lines))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 450" role="img" aria-label="{escape(title)}">'
            '<rect width="800" height="450" fill="#f4f6f9"/><rect x="0" y="0" width="12" height="450" fill="#0b5cad"/>'
            f'{text}<text x="40" y="420" font-size="32" fill="#4a5360">{escape(t(lang, "follow_open_view"))} ↓</text>'
            '</svg>')


def slide_svg(path: str, lang: str, title: str) -> tuple[str, bool]:
    """The body of a slide as SVG markup, and whether it is the view drawn on the server (app/decks/slides/svg.py:
    title, sources, CI and demo labels) rather than a card naming it."""
    try:
        return cached_slide_svg(current_db(), path), True
    except SlidePathError:
        return placeholder_svg(path, lang, title), False


def slide_fragment(deck: Deck, index: int, lang: str) -> str:
    """The markup of one slide: title, body, caption and a link to the interactive view (a drawn slide carries
    its own title and demo label; a card gets them beside it)."""
    slide = deck.slides[index]
    path = in_language(slide.path, lang)
    title, demo = slide_title(path, lang)
    body, drawn = slide_svg(path, lang, title)
    caption = f"<figcaption>{escape(slide.caption)}</figcaption>" if slide.caption else ""
    badge = f'<p><span class="demo">{escape(demo)}</span></p>' if demo and not drawn else ""
    heading = ' class="visually-hidden"' if drawn else ""
    return (f'<article class="slide" data-index="{index}" data-path="{escape(slide.path)}">'
            f"<h2{heading}>{escape(title)}</h2>{badge}<figure>{body}{caption}</figure>"
            f'<p><a href="{escape(path)}">{escape(t(lang, "follow_open_view"))}</a></p></article>')


def _deck_or_404(public_id: str) -> Deck:
    """The deck as this worker's state polls read it (at most DECK_STATE_TTL_S old): a thousand phones open
    the page and fetch each new slide within a second of each other."""
    recent = recent_deck(current_db(), public_id)
    if recent is None:
        abort(404)
    return recent.deck


def follow_page(deck: Deck, lang: str) -> Response:
    heading = deck.title or t(lang, "deck_untitled")
    slide = (slide_fragment(deck, deck.current, lang) if deck.slides
             else f'<p class="muted">{escape(t(lang, "deck_empty"))}</p>')
    step = '<button class="button" type="button" id="{id}">{text}</button>'
    body = (f'<main id="follow" class="live" data-deck="{deck.public_id}" data-lang="{lang}" '
            f'data-slide="{deck.current}" data-count="{len(deck.slides)}" data-poll="{FOLLOW_POLL_MS}" '
            f'data-updated="{escape(deck.updated_at.isoformat())}">'
            f'<div class="top"><h1>{escape(heading)}</h1><span id="counter" aria-live="polite"></span></div>'
            f'<p class="muted">{escape(t(lang, "follow_hint"))}</p>'
            f'<div id="slide" aria-live="polite">{slide}</div>'
            f'<nav class="steps" aria-label="{escape(t(lang, "follow_nav_label"))}">'
            f'{step.format(id="prev", text="← " + escape(t(lang, "follow_previous")))}'
            f'<button class="button" type="button" id="live" aria-pressed="true">{escape(t(lang, "follow_live"))}'
            f'</button>{step.format(id="next", text=escape(t(lang, "follow_next")) + " →")}</nav></main>')
    return light_page(lang, f"{heading} · {t(lang, 'app_title')}", body, script=static_text("follow.js"),
                      style=static_text("follow.css"))


@follow.get("/follow/<public_id>")
def follow_default(public_id: str) -> Response:
    """The follow page in the deck's own language."""
    deck = _deck_or_404(public_id)
    return follow_page(deck, deck.lang)


@follow.get("/<lang>/follow/<public_id>")
def follow_in(lang: str, public_id: str) -> Response:
    if lang not in LANGUAGES:
        abort(404)
    return follow_page(_deck_or_404(public_id), lang)


@follow.get("/follow/<public_id>/slides/<int:index>")
def slide(public_id: str, index: int) -> Response:
    """One slide's markup, for the follow page's script (revalidated by ETag: the deck may have changed)."""
    deck = _deck_or_404(public_id)
    lang = request.args.get("lang", deck.lang)
    if lang not in LANGUAGES or not 0 <= index < len(deck.slides):
        abort(404)
    slide = deck.slides[index]
    # drawn once per view, caption, language, data version and code, then read from the app's cache: a
    # thousand phones ask for the same slide within a poll interval of the presenter's move
    body = current_db().cached("follow:slide", {"path": slide.path, "caption": slide.caption, "index": index,
                                                "lang": lang, "code": slide_code_version()},
                               lambda: slide_fragment(deck, index, lang))
    etag = f'W/"slide-{hashlib.sha256(body.encode()).hexdigest()[:20]}"'
    response = Response(status=304) if matches(request.headers.get("If-None-Match"), etag) else \
        Response(body, mimetype="text/html")
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = "no-cache"
    return response
