"""Decks over HTTP: creating and editing with the presenter key, the follow state with ETag/304, the deck and
follow pages, a wrong key refused without a change, and a deck that survives a restart of the app."""

from __future__ import annotations

import re

import pytest

from app.decks.api import KEY_HEADER, state_etag
from app.decks.files import deck_from_yaml
from app.decks.light_html import script_hash
from app.factory import create_app
from app.i18n import t
from tests.app.conftest import app_settings

COMPARE_FULL = ("/en/compare?indicator=innovative&option=yes&countries=DK,NO,SE,FI,IS&level=all&sector=all"
                "&chart=bar&display=chart&nordic=1&present=1&source=survey")  # the demo estimates: a demo label


@pytest.fixture
def created(client) -> dict:
    response = client.post("/api/decks", json={"title": "Nordic Edge", "lang": "en", "path": COMPARE_FULL,
                                               "caption": "Most workplaces innovate"})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def add(client, deck: dict, path: str, key: str | None = None):
    return client.post(f"/api/decks/{deck['deck']}/slides", json={"path": path, "caption": ""},
                       headers={KEY_HEADER: key or deck["key"]})


def test_create_keeps_the_canonical_view_and_gives_the_key_once(client, created: dict) -> None:
    slide = created["slides"][0]
    assert not slide["path"].startswith(("http", "//")) and "present" not in slide["path"]
    assert slide["path"].startswith("/en/compare") and "nordic=1" not in slide["path"]  # defaults left out
    assert created["presenter_url"] == f"/en/decks/{created['deck']}/present#key={created['key']}"
    assert created["follow_url"] == f"/follow/{created['deck']}"
    again = client.get(f"/api/decks/{created['deck']}").get_json()
    assert "key" not in again and again["slides"] == created["slides"]
    assert client.post("/api/decks", json={"lang": "de"}).status_code == 400
    bad = add(client, created, "https://elsewhere.example/en/compare")
    assert bad.status_code == 400 and "address of a view" in bad.get_json()["message"]


def test_state_etag_and_304_and_a_wrong_key_changes_nothing(client, created: dict) -> None:
    assert add(client, created, "/nb/profile?country=NO").status_code == 200
    state_url = f"/api/decks/{created['deck']}/state"
    first = client.get(state_url)
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-cache"
    body = first.get_json()
    assert set(body) == {"deck", "slide", "count", "path", "caption", "updated"}
    assert (body["slide"], body["count"], body["caption"]) == (0, 2, "Most workplaces innovate")
    assert first.headers["ETag"] == state_etag(body)
    etag = first.headers["ETag"]
    again = client.get(state_url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b"" and again.headers["ETag"] == etag

    move = f"/api/decks/{created['deck']}/current"
    for headers in ({}, {KEY_HEADER: "not-the-key"}, {KEY_HEADER: created["key"] + "x"}):
        refused = client.post(move, json={"slide": 1}, headers=headers)
        assert refused.status_code == 403
    assert client.get(state_url, headers={"If-None-Match": etag}).status_code == 304  # nothing changed
    assert client.get(f"/api/decks/{created['deck']}").get_json()["slide"] == 0

    moved = client.post(move, json={"slide": 1}, headers={KEY_HEADER: created["key"]})
    assert moved.status_code == 200
    after = client.get(state_url, headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["ETag"] != etag
    assert after.get_json()["slide"] == 1 and after.get_json()["path"].startswith("/nb/profile")
    assert client.post(move, json={"slide": 2}, headers={KEY_HEADER: created["key"]}).status_code == 400
    assert client.get("/api/decks/NoSuchDeck99/state").status_code == 404


def test_reorder_caption_remove(client, created: dict) -> None:
    add(client, created, "/en/profile?country=DK")
    key = {KEY_HEADER: created["key"]}
    base = f"/api/decks/{created['deck']}/slides"
    deck = client.post(f"{base}/1/move", json={"to": 0}, headers=key).get_json()
    assert deck["slides"][0]["path"].startswith("/en/profile")
    deck = client.post(f"{base}/0/caption", json={"caption": "Denmark"}, headers=key).get_json()
    assert deck["slides"][0]["caption"] == "Denmark"
    deck = client.post(f"{base}/0/remove", headers=key).get_json()
    assert [s["caption"] for s in deck["slides"]] == ["Most workplaces innovate"]


def test_follow_page_is_light_and_its_script_is_allowed(client, created: dict) -> None:
    for path, lang in ((f"/follow/{created['deck']}", "en"), (f"/sv/follow/{created['deck']}", "sv")):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert f'<html lang="{lang}">' in html and "_dash" not in html
        assert len(response.get_data()) < 20_000  # whole page, uncompressed (the budget: 150 kB transferred)
        script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
        policy = response.headers["Content-Security-Policy"]
        assert script_hash(script) in policy and policy.count("'sha256-") == 1  # its own script, no other
        assert "Most workplaces innovate" in html
        # the Compare slide drawn on the server (app/decks/slides/svg.py), with its values and demo label
        assert html.count('<desc id="slide-desc">') == 1 and t(lang, "demo_chart") in html
        assert f'href="/{lang}/compare' in html  # the interactive view, in the language of the link
    fragment = client.get(f"/follow/{created['deck']}/slides/0?lang=fi")
    assert fragment.status_code == 200 and 'href="/fi/compare' in fragment.get_data(as_text=True)
    assert client.get(f"/follow/{created['deck']}/slides/0", headers={"If-None-Match": fragment.headers["ETag"]}
                      ).status_code in (200, 304)
    assert client.get(f"/follow/{created['deck']}/slides/5").status_code == 404
    assert client.get("/follow/NoSuchDeck99").status_code == 404


def test_deck_page_and_presenter_entry(client, created: dict) -> None:
    page = client.get(f"/da/decks/{created['deck']}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and '<html lang="da">' in html
    assert created["key"] not in html  # the key never comes from the server again
    assert f"https://barometer.example/da/follow/{created['deck']}" in html  # the deck's QR and follow link
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    assert script_hash(script) in page.headers["Content-Security-Policy"]
    entry = client.get(f"/en/decks/{created['deck']}/present").get_data(as_text=True)
    assert '"slides": ["/en/compare' in entry and "present=1" in entry
    # both run after assets/deck.js, which keeps the key in the browser's storage (same origin: the CSP's 'self')
    for document in (html, entry):
        assert '<script src="/assets/deck.js"></script><script>' in document
    deck_js = client.get("/assets/deck.js")
    assert deck_js.status_code == 200 and deck_js.mimetype in ("application/javascript", "text/javascript")
    assert b"window.barometerDecks" in deck_js.get_data()
    assert client.get(f"/decks/{created['deck']}").headers["Location"].endswith(f"/en/decks/{created['deck']}")
    assert client.get("/xx/decks/" + created["deck"]).status_code == 404
    download = client.get(f"/decks/{created['deck']}.yaml")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    title, lang, slides = deck_from_yaml(download.get_data(as_text=True), "download")
    assert (title, lang, [s.path for s in slides]) == ("Nordic Edge", "en", [created["slides"][0]["path"]])


def test_a_deck_survives_a_restart(loaded_db: str, created: dict, tmp_path) -> None:
    key = {KEY_HEADER: created["key"]}
    restarted = create_app(loaded_db, settings=app_settings(tmp_path))
    try:
        deck = restarted.server.test_client().get(f"/api/decks/{created['deck']}").get_json()
        assert deck["slides"] == created["slides"] and deck["title"] == "Nordic Edge"
        moved = restarted.server.test_client().post(f"/api/decks/{created['deck']}/current", json={"slide": 0},
                                                     headers=key)
        assert moved.status_code == 200  # the key still opens it
    finally:
        restarted.server.extensions["barometer_db"].close()


def test_state_polls_are_answered_before_flask_with_the_routes_own_answer(dash_app, client, created: dict,
                                                                        monkeypatch) -> None:
    """app/decks/polls.py answers the follow polls without entering Flask, and exactly as the route does."""
    import flask

    from app.decks.polls import StatePolls

    state_url = f"/api/decks/{created['deck']}/state"
    middleware = dash_app.server.wsgi_app
    while not isinstance(middleware, StatePolls):  # under ProxyFix when TRUSTED_PROXIES is set
        middleware = middleware.app
    entered: list[str] = []
    with dash_app.server.test_request_context():  # the route itself, as the app would run it
        route = dash_app.server.view_functions["barometer_deck_api.state"]
        via_flask = flask.make_response(route(created["deck"]))
    inner = middleware.app

    def counted(environ, start_response):
        entered.append(environ["PATH_INFO"])
        return inner(environ, start_response)

    monkeypatch.setattr(middleware, "app", counted)
    fast = client.get(state_url)
    assert entered == [] and fast.status_code == 200
    assert fast.get_data() == via_flask.get_data() and fast.headers["ETag"] == via_flask.headers["ETag"]
    assert fast.headers["Cache-Control"] == "no-cache" and fast.headers["X-Content-Type-Options"] == "nosniff"
    assert fast.headers["Content-Type"] == "application/json" and "Content-Security-Policy" in fast.headers
    not_modified = client.get(state_url, headers={"If-None-Match": fast.headers["ETag"]})
    assert (not_modified.status_code, not_modified.get_data(), entered) == (304, b"", [])
    assert client.head(state_url).get_data() == b"" and entered == []
    # what it does not know goes to the app: an unknown deck's 404 and everything else
    assert client.get("/api/decks/NoSuchDeck99/state").status_code == 404
    assert client.get(f"/api/decks/{created['deck']}").status_code == 200
    assert entered == ["/api/decks/NoSuchDeck99/state", f"/api/decks/{created['deck']}"]


def test_new_decks_are_limited_per_address_and_per_site_and_a_refusal_creates_nothing(
    loaded_db: str, tmp_path
) -> None:
    """app/decks/limits.py: the third deck of an address within the clock hour is refused (429, Retry-After), another
    address still gets one, and once the site has its hour's decks every address is refused; nothing is
    written by a refusal, and the Add-to-deck button carries the message it shows for a 429."""
    import psycopg

    from app.components.deck_button import add_to_deck
    from app.site.registry import page_at

    def decks_in_database() -> int:
        with psycopg.connect(loaded_db) as conn:
            return conn.execute("SELECT count(*) FROM deck").fetchone()[0]

    def create(client, address: str):
        return client.post("/api/decks", json={"lang": "sv", "title": "Limit"},
                           environ_base={"REMOTE_ADDR": address})

    already = decks_in_database()
    with psycopg.connect(loaded_db) as conn:  # decks of the last hour made by other tests
        recent = conn.execute("SELECT count(*) FROM deck WHERE created_at > now() - interval '1 hour'").fetchone()[0]
    app = create_app(loaded_db, settings=app_settings(tmp_path, decks_per_address_hour=2,
                                                      decks_per_hour=recent + 3))
    try:
        client = app.server.test_client()
        assert [create(client, "10.0.0.1").status_code for _ in range(2)] == [201, 201]
        refused = create(client, "10.0.0.1")
        assert refused.status_code == 429 and refused.get_json()["error"] == "too_many_decks"
        assert 0 < int(refused.headers["Retry-After"]) <= 3600 and refused.headers["Cache-Control"] == "no-store"
        assert decks_in_database() == already + 2
        assert create(client, "10.0.0.2").status_code == 201  # another address: the site's third of the hour
        site_full = create(client, "10.0.0.3")
        assert site_full.status_code == 429 and "site" in site_full.get_json()["message"]
        assert decks_in_database() == already + 3
        bad = client.post("/api/decks", json={"lang": "de"}, environ_base={"REMOTE_ADDR": "10.0.0.4"})
        assert bad.status_code == 400  # a bad request is refused as before, and not counted
    finally:
        app.server.extensions["barometer_db"].close()
    button = str(add_to_deck(page_at("compare"), "sv"))
    assert "data-limited" in button and t("sv", "deck_limited") in button


def test_an_address_may_create_again_in_the_next_hour_and_the_count_is_shared() -> None:
    from cachelib import SimpleCache

    from app.decks.limits import WINDOW_S, AddressLimit

    cache = SimpleCache()  # one cache, two app instances (workers or machines) counting in it
    first, second = AddressLimit(cache, per_address=2), AddressLimit(cache, per_address=2)
    hour = 500 * WINDOW_S
    assert first.retry_after("192.0.2.7", now=hour) is None and second.retry_after("192.0.2.7", now=hour + 100) is None
    assert first.retry_after("192.0.2.7", now=hour + 200) == int(WINDOW_S - 200)  # until the hour is over
    assert second.retry_after("192.0.2.7", now=hour + 200.5) == int(WINDOW_S - 200)
    assert second.retry_after("192.0.2.8", now=hour + 200) is None  # another address counts on its own
    assert first.retry_after("192.0.2.7", now=hour + WINDOW_S) is None  # a new hour
    assert cache._cache and not any("192.0.2" in key for key in cache._cache)  # the address itself is never stored
    closed = AddressLimit(cache, per_address=0)  # no new decks at all
    assert closed.retry_after("192.0.2.7", now=hour + 5.0) == int(WINDOW_S) - 5


def test_an_unreachable_cache_does_not_stop_presenters() -> None:
    from app.decks.limits import AddressLimit

    class Down:
        def add(self, *args, **kwargs):
            raise ConnectionError("redis is away")

    assert AddressLimit(Down(), per_address=2).retry_after("a") is None
