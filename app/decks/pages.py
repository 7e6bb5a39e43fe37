"""The deck page ('/<lang>/decks/<id>': its slides, with reordering, captions and removal for the presenter),
the presenter's entry ('/<lang>/decks/<id>/present#key=...', which starts presentation mode over the slides) and
the deck's YAML download. Plain server HTML: the presenter key stays in the address fragment and the browser
(never in a request line or a log); the page's script sends it in the X-Deck-Key header. The pages' scripts and
styles are app/decks/static/deck-page.js, deck-page.css and present.js; assets/deck.js, which they load, keeps the
key in the browser's storage."""

from __future__ import annotations

import json
from html import escape

from flask import Blueprint, Response, abort, redirect

from app.components.qr import qr_svg_data_uri
from app.decks.api import KEY_HEADER, read_deck
from app.decks.files import deck_to_yaml
from app.decks.light_html import light_page
from app.decks.static_files import DECK_JS_URL, static_text
from app.decks.store import Deck
from app.decks.views import in_language, present_path, slide_title
from app.i18n import t
from app.site.request import public_base
from app.web.first_paint import json_data_block
from core.config import LANGUAGES

deck_pages = Blueprint("barometer_deck_pages", __name__)


def follow_path(deck: Deck, lang: str) -> str:
    """The follow address of a deck (its QR code): in the deck's language unless the link names another."""
    return f"/follow/{deck.public_id}" if lang == deck.lang else f"/{lang}/follow/{deck.public_id}"


def follow_url(deck: Deck, lang: str) -> str:
    """The public follow address (the deck's QR code)."""
    return public_base() + follow_path(deck, lang)


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
            f'{escape(t(lang, "deck_download_offline"))}</a>'
            f'<a class="button" id="deck-pptx" href="/decks/{public_id}/deck.pptx?lang={lang}" download>'
            f'{escape(t(lang, "deck_download_pptx"))}</a></div>'
            f'<section class="qr"><h2>{escape(t(lang, "deck_audience"))}</h2>'
            f'<img id="deck-qr" src="{qr_svg_data_uri(follow)}" alt="{escape(t(lang, "deck_qr_alt"))}" '
            f'data-url="{escape(follow)}">'
            f'<p><a id="follow-link" href="{escape(follow)}"><code>{escape(follow)}</code></a></p></section></main>')
    return light_page(lang, f"{heading} · {t(lang, 'app_title')}", body, script=static_text("deck-page.js"),
                      style=static_text("deck-page.css"), scripts=[DECK_JS_URL])


@deck_pages.get("/<lang>/decks/<public_id>/present")
def present_entry(lang: str, public_id: str) -> Response:
    """Starts presentation mode on the presenter's slide; assets/deck.js moves through the deck from there."""
    deck = _deck_in(lang, public_id)
    follow = follow_url(deck, lang)
    info = {"deck": public_id, "lang": lang, "index": deck.current, "header": KEY_HEADER,
            "slides": [present_path(in_language(s.path, lang)) for s in deck.slides],
            "deckUrl": f"/{lang}/decks/{public_id}", "follow": follow, "qr": qr_svg_data_uri(follow),
            "qrCaption": t(lang, "deck_qr_caption"), "wrongKey": t(lang, "deck_wrong_key")}
    empty = f'<p>{escape(t(lang, "deck_empty"))}</p>' if not deck.slides else ""
    body = (f'<main id="present-entry" data-deck="{public_id}"><h1>{escape(deck.title or t(lang, "deck_untitled"))}'
            f'</h1>{empty}<p id="no-key" hidden>{escape(t(lang, "deck_no_key"))} '
            f'<a href="{escape(follow)}">{escape(t(lang, "deck_follow_instead"))}</a></p></main>'
            + json_data_block("deck-data", json.dumps(info)))
    return light_page(lang, t(lang, "deck_present"), body, script=static_text("present.js"),
                      scripts=[DECK_JS_URL])


@deck_pages.get("/decks/<public_id>.yaml")
def deck_yaml(public_id: str) -> Response:
    deck = read_deck(public_id)
    if deck is None:
        abort(404)
    response = Response(deck_to_yaml(deck), mimetype="application/yaml")
    response.headers["Content-Disposition"] = f'attachment; filename="deck-{public_id}.yaml"'
    response.headers["Cache-Control"] = "no-cache"
    return response
