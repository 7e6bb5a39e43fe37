"""The deck page ('/<lang>/decks/<id>': its slides, with reordering, captions and removal for the presenter),
the presenter's entry ('/<lang>/decks/<id>/present#key=...', which starts presentation mode over the slides) and
the deck's YAML download. Plain server HTML: the presenter key stays in the address fragment and the browser
(never in a request line or a log); the page's script sends it in the X-Deck-Key header."""

from __future__ import annotations

import json
import textwrap
from html import escape

from flask import Blueprint, Response, abort, redirect

from app.components.qr import qr_svg_data_uri
from app.decks.api import KEY_HEADER, read_deck
from app.decks.files import deck_to_yaml
from app.decks.light_html import light_page
from app.decks.store import Deck
from app.decks.views import in_language, present_path, slide_title
from app.i18n import t
from app.site.request import public_base
from core.config import LANGUAGES

deck_pages = Blueprint("barometer_deck_pages", __name__)

STYLE = """
#slides{padding-left:1.5rem}#slides li{margin:.6rem 0;padding:.6rem;border:1px solid var(--line);border-radius:.4rem}
#slides .row{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin-top:.4rem}#slides input{flex:1 1 14rem;
min-height:44px;font:inherit;padding:.3rem .5rem}.qr img{width:12rem;height:12rem}.panel{border:2px solid var(--accent);
padding:.6rem 1rem;border-radius:.4rem;margin:1rem 0}.panel input{width:100%;font:inherit;padding:.3rem}
.title-row{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center}.title-row input{flex:1 1 14rem;min-height:44px;
font:inherit;padding:.3rem .5rem}.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}code{word-break:break-all}
"""

# Shared by the deck page and the presenter entry: the key from the fragment (remembered in this browser)
# or from what this browser remembers.
KEY_SCRIPT = """
  function deckKey(deck) {
    var keys = JSON.parse(localStorage.getItem("barometer.deckKeys") || "{}");
    var match = /(?:^#|&)key=([^&]+)/.exec(location.hash);
    if (match) {
      keys[deck] = decodeURIComponent(match[1]);
      localStorage.setItem("barometer.deckKeys", JSON.stringify(keys));
      history.replaceState(history.state, "", location.pathname + location.search);
      return {key: keys[deck], fresh: true};
    }
    return {key: keys[deck] || null, fresh: false};
  }
"""

DECK_SCRIPT = textwrap.dedent("""
(function () {
  "use strict";
""" + KEY_SCRIPT + """
  var main = document.getElementById("deck"), deck = main.getAttribute("data-deck");
  var found = deckKey(deck), status = document.getElementById("status");
  if (found.fresh) {
    var panel = document.getElementById("created");
    document.getElementById("presenter-link").value =
      location.origin + main.getAttribute("data-present") + "#key=" + encodeURIComponent(found.key);
    panel.hidden = false;
  }
  if (!found.key) { document.getElementById("no-key").hidden = false; return; }
  localStorage.setItem("barometer.deck", JSON.stringify({deck: deck, lang: main.getAttribute("data-lang")}));
  Array.prototype.forEach.call(document.querySelectorAll(".edit"), function (el) { el.hidden = false; });
  Array.prototype.forEach.call(document.querySelectorAll(".view-only"), function (el) { el.hidden = true; });
  function send(url, body, focusId) {
    return fetch(url, {method: "POST", headers: {"Content-Type": "application/json", "X-Deck-Key": found.key},
                       body: JSON.stringify(body || {})}).then(function (r) {
      if (r.ok) { sessionStorage.setItem("barometer.deckFocus", focusId || ""); location.reload(); return; }
      status.textContent = main.getAttribute(r.status === 403 ? "data-wrong-key" : "data-failed");
    });
  }
  main.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-act]");
    if (!button) { return; }
    if (button.getAttribute("data-act") === "title") {
      send("/api/decks/" + deck + "/title", {title: document.getElementById("deck-title").value}, "deck-title");
      return;
    }
    var item = button.closest("li"), index = +item.getAttribute("data-index");
    var base = "/api/decks/" + deck + "/slides/" + index;
    var act = button.getAttribute("data-act");
    if (act === "up") { send(base + "/move", {to: index - 1}, "up-" + (index - 1)); }
    if (act === "down") { send(base + "/move", {to: index + 1}, "down-" + (index + 1)); }
    if (act === "remove") { send(base + "/remove", {}, "slides"); }
    if (act === "caption") {
      send(base + "/caption", {caption: item.querySelector("input").value}, "caption-" + index);
    }
  });
  var focusId = sessionStorage.getItem("barometer.deckFocus");
  sessionStorage.removeItem("barometer.deckFocus");
  var target = focusId && document.getElementById(focusId);
  if (target) { target.focus(); }
})();
""").strip()

PRESENT_SCRIPT = textwrap.dedent("""
(function () {
  "use strict";
""" + KEY_SCRIPT + """
  var main = document.getElementById("present-entry"), deck = main.getAttribute("data-deck");
  var info = JSON.parse(document.getElementById("deck-data").textContent);
  var found = deckKey(deck);
  if (!found.key) { document.getElementById("no-key").hidden = false; return; }
  if (!info.slides.length) { return; }
  info.key = found.key;
  sessionStorage.setItem("barometer.presenting", JSON.stringify(info));
  location.replace(info.slides[info.index]);
})();
""").strip()



def follow_url(deck: Deck, lang: str) -> str:
    """The public follow address (the deck's QR code): in the deck's language unless the link names another."""
    path = f"/follow/{deck.public_id}" if lang == deck.lang else f"/{lang}/follow/{deck.public_id}"
    return public_base() + path


def _deck_in(lang: str, public_id: str) -> Deck:
    if lang not in LANGUAGES:
        abort(404)
    deck = read_deck(public_id)
    if deck is None:
        abort(404)
    return deck


def _slide_item(lang: str, index: int, count: int, path: str, caption: str) -> str:
    title, demo = slide_title(path, lang)
    badge = f' <span class="demo">{escape(demo)}</span>' if demo else ""
    field = f"caption-{index}"

    def button(act: str, text: str, disabled: bool = False, ident: str = "") -> str:
        return (f'<button class="button" type="button" data-act="{act}"{f" id={ident!r}" if ident else ""}'
                f'{" disabled" if disabled else ""} aria-label="{escape(text)}: {escape(title)}">'
                f"{escape(text)}</button>")

    return (f'<li data-index="{index}"><a href="{escape(path)}">{escape(title)}</a>{badge}'
            f'{f"<p class=view-only>{escape(caption)}</p>" if caption else ""}'
            f'<div class="row edit" hidden><label for="{field}">{escape(t(lang, "deck_caption"))}</label>'
            f'<input id="{field}" type="text" maxlength="500" value="{escape(caption)}">'
            f'{button("caption", t(lang, "deck_save_caption"))}'
            f'{button("up", "↑ " + t(lang, "deck_move_up"), index == 0, f"up-{index}")}'
            f'{button("down", "↓ " + t(lang, "deck_move_down"), index == count - 1, f"down-{index}")}'
            f'{button("remove", t(lang, "deck_remove"))}</div></li>')


@deck_pages.get("/decks/<public_id>")
def deck_default(public_id: str) -> Response:
    deck = read_deck(public_id)
    if deck is None:
        abort(404)
    return redirect(f"/{deck.lang}/decks/{public_id}", code=302)  # type: ignore[return-value]


@deck_pages.get("/<lang>/decks/<public_id>")
def deck_page(lang: str, public_id: str) -> Response:
    """The slides of a deck; the presenter (key in this browser) may reorder, caption and remove them."""
    deck = _deck_in(lang, public_id)
    heading = deck.title or t(lang, "deck_untitled")
    count = len(deck.slides)
    items = "".join(_slide_item(lang, i, count, in_language(s.path, lang), s.caption)
                    for i, s in enumerate(deck.slides))
    slides = (f'<ol id="slides" tabindex="-1">{items}</ol>' if items
              else f'<p id="slides" tabindex="-1" class="muted">{escape(t(lang, "deck_empty"))}</p>')
    follow = follow_url(deck, lang)
    present = f"/{lang}/decks/{public_id}/present"
    body = (f'<main id="deck" data-deck="{public_id}" data-lang="{lang}" data-present="{present}" '
            f'data-wrong-key="{escape(t(lang, "deck_wrong_key"))}" data-failed="{escape(t(lang, "deck_failed"))}">'
            f'<p><a href="/{lang}/">{escape(t(lang, "app_title"))}</a></p>'
            f'<h1>{escape(t(lang, "deck_heading"))}: {escape(heading)}</h1>'
            f'<section id="created" class="panel" hidden><h2>{escape(t(lang, "deck_presenter_link"))}</h2>'
            f'<p>{escape(t(lang, "deck_presenter_link_once"))}</p>'
            f'<input id="presenter-link" type="text" readonly aria-label="{escape(t(lang, "deck_presenter_link"))}">'
            f'</section>'
            f'<p id="no-key" class="muted" hidden>{escape(t(lang, "deck_no_key"))}</p>'
            f'<div class="row edit title-row" hidden><label for="deck-title">{escape(t(lang, "deck_title"))}</label>'
            f'<input id="deck-title" type="text" maxlength="200" value="{escape(deck.title)}">'
            f'<button class="button" type="button" data-act="title">{escape(t(lang, "deck_save_title"))}</button>'
            f'</div>'
            f'<p class="muted">{escape(t(lang, "deck_add_hint"))}</p>{slides}'
            f'<p id="status" role="status"></p>'
            f'<div class="actions"><a class="button primary edit" id="present-deck" href="{present}" hidden>'
            f'{escape(t(lang, "deck_present"))}</a>'
            f'<a class="button" id="deck-yaml" href="/decks/{public_id}.yaml" download>'
            f'{escape(t(lang, "deck_download_yaml"))}</a>'
            f'<a class="button" id="deck-offline" href="/decks/{public_id}/offline.html?lang={lang}" download>'
            f'{escape(t(lang, "deck_download_offline"))}</a></div>'
            f'<section class="qr"><h2>{escape(t(lang, "deck_audience"))}</h2>'
            f'<img id="deck-qr" src="{qr_svg_data_uri(follow)}" alt="{escape(t(lang, "deck_qr_alt"))}" '
            f'data-url="{escape(follow)}">'
            f'<p><a id="follow-link" href="{escape(follow)}"><code>{escape(follow)}</code></a></p></section></main>')
    return light_page(lang, f"{heading} · {t(lang, 'app_title')}", body, script=DECK_SCRIPT, style=STYLE)


@deck_pages.get("/<lang>/decks/<public_id>/present")
def present_entry(lang: str, public_id: str) -> Response:
    """Starts presentation mode on the presenter's slide; assets/deck.js moves through the deck from there."""
    deck = _deck_in(lang, public_id)
    follow = follow_url(deck, lang)
    info = {"deck": public_id, "lang": lang, "index": deck.current, "header": KEY_HEADER,
            "slides": [present_path(in_language(s.path, lang)) for s in deck.slides],
            "deckUrl": f"/{lang}/decks/{public_id}", "follow": follow, "qr": qr_svg_data_uri(follow),
            "qrCaption": t(lang, "deck_qr_caption"), "wrongKey": t(lang, "deck_wrong_key")}
    data = json.dumps(info).replace("</", "<\\/")
    empty = f'<p>{escape(t(lang, "deck_empty"))}</p>' if not deck.slides else ""
    body = (f'<main id="present-entry" data-deck="{public_id}"><h1>{escape(deck.title or t(lang, "deck_untitled"))}'
            f'</h1>{empty}<p id="no-key" hidden>{escape(t(lang, "deck_no_key"))} '
            f'<a href="{escape(follow)}">{escape(t(lang, "deck_follow_instead"))}</a></p></main>'
            f'<script type="application/json" id="deck-data">{data}</script>')
    return light_page(lang, t(lang, "deck_present"), body, script=PRESENT_SCRIPT)


@deck_pages.get("/decks/<public_id>.yaml")
def deck_yaml(public_id: str) -> Response:
    deck = read_deck(public_id)
    if deck is None:
        abort(404)
    response = Response(deck_to_yaml(deck), mimetype="application/yaml")
    response.headers["Content-Disposition"] = f'attachment; filename="deck-{public_id}.yaml"'
    response.headers["Cache-Control"] = "no-cache"
    return response
