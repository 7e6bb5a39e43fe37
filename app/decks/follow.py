"""The follow page of a deck ('/follow/<id>', '/<lang>/follow/<id>'): what an audience opens from the deck's QR
code on its phones. Plain server HTML and one small inline script (no Dash bundle): it polls the deck's state
(app/decks/api.py) every FOLLOW_POLL_MS with If-None-Match and swaps in the slide the presenter shows. A viewer
may browse back and forward; "Live" returns to the presenter's slide.
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
from app.decks.store import Deck
from app.decks.views import in_language, slide_title
from app.i18n import t
from app.site.request import current_db
from app.web.caching.http_cache import matches
from core.config import LANGUAGES

follow = Blueprint("barometer_follow", __name__)

FOLLOW_POLL_MS = 1500

STYLE = """
#follow{max-width:48rem}.top{display:flex;justify-content:space-between;align-items:baseline;gap:.5rem;flex-wrap:wrap}
#counter{font-variant-numeric:tabular-nums;font-weight:600}.slide h2{font-size:1.25rem}.slide figure{margin:0}
.slide svg{width:100%;height:auto;border:1px solid var(--line);border-radius:.4rem}.slide figcaption{margin:.4rem 0;
font-size:1.05rem}nav.steps{display:flex;gap:.5rem;margin:1rem 0}nav.steps .button{flex:1}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
#live[aria-pressed=true]{background:var(--accent);color:#fff}.browsing #live{border-style:dashed}
"""

# The whole client: constant text (its CSP hash is computed once), deck, language and texts in data-* attributes.
SCRIPT = textwrap.dedent("""
(function () {
  "use strict";
  var main = document.getElementById("follow"), box = document.getElementById("slide");
  var counter = document.getElementById("counter"), liveButton = document.getElementById("live");
  var prev = document.getElementById("prev"), next = document.getElementById("next");
  var deck = main.getAttribute("data-deck"), lang = main.getAttribute("data-lang");
  var every = +main.getAttribute("data-poll");
  var state = {slide: +main.getAttribute("data-slide"), count: +main.getAttribute("data-count"),
               updated: main.getAttribute("data-updated")};
  var shown = state.slide, live = true, etag = null, asked = 0;
  function paint() {
    counter.textContent = state.count ? (shown + 1) + " / " + state.count : "";
    liveButton.setAttribute("aria-pressed", live ? "true" : "false");
    prev.disabled = shown <= 0;
    next.disabled = shown >= state.count - 1;
    main.className = live ? "live" : "browsing";
  }
  function show(index) {
    var ask = ++asked;
    fetch("/follow/" + deck + "/slides/" + index + "?lang=" + lang).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (html === null || ask !== asked) { return; }
      box.innerHTML = html;
      shown = index;
      paint();
    }).catch(function () {});
  }
  function poll() {
    var headers = etag ? {"If-None-Match": etag} : {};
    fetch("/api/decks/" + deck + "/state", {headers: headers, cache: "no-store"}).then(function (r) {
      if (r.status !== 200) { return null; }
      etag = r.headers.get("ETag");
      return r.json();
    }).then(function (s) {
      if (!s) { return; }
      var edited = s.updated !== state.updated;
      state = s;
      if (live && (s.slide !== shown || edited)) { show(s.slide); } else { paint(); }
    }).catch(function () {}).then(function () {
      setTimeout(poll, document.hidden ? every * 4 : every);
    });
  }
  prev.addEventListener("click", function () { live = false; show(Math.max(0, shown - 1)); });
  next.addEventListener("click", function () { live = false; show(Math.min(state.count - 1, shown + 1)); });
  liveButton.addEventListener("click", function () { live = true; show(state.slide); });
  paint();
  setTimeout(poll, every);
})();
""").strip()



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
    return light_page(lang, f"{heading} · {t(lang, 'app_title')}", body, script=SCRIPT, style=STYLE)


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
