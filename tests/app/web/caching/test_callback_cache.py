"""The callback cache (app/web/caching/callbacks.py): a repeat of a pure callback is answered from the worker's store,
byte for byte what the callback drew, compressed or not; a passing error, an unknown callback or another
address, day or data version is not answered from it."""

from __future__ import annotations

import gzip
from datetime import date

import pytest
from psycopg_pool import PoolTimeout

import app.pages.compare.layout as compare_page
from app.web.caching import callbacks
from app.web.caching.callbacks import answer_key, is_pure
from app.web.caching.lru import BytesLru
from tests.hardening.hardening_helpers import CALLBACK_URL, ROUTER, callback_body

# a view no other test of the module opens, so the first request is a miss
INPUTS = ["innovative", "yes", ["DK", "SE", "IS"], [], "all", "all", "dot", "table", [1], "survey"]


def results_key(app) -> str:
    return next(k for k in app.callback_map if k.startswith("..cmp-results.children"))


def post(client, body, **headers):
    return client.post(CALLBACK_URL, json=body, headers=headers)


def test_a_repeat_is_answered_from_the_store_without_running_the_callback(dash_app, client, monkeypatch) -> None:
    store: BytesLru = dash_app.server.extensions["callback_answers"]
    body = callback_body(dash_app, results_key(dash_app), INPUTS, ["sv"])
    kept_before = len(store)
    first = post(client, body)
    assert first.status_code == 200 and len(store) == kept_before + 1
    assert "Sverige" in first.get_data(as_text=True)  # the Swedish page, as asked

    drawn: list[str] = []
    monkeypatch.setattr(compare_page, "updated_results", lambda *args: drawn.append("drawn") or pytest.fail())
    again = post(client, body)
    zipped = post(client, body, **{"Accept-Encoding": "gzip"})
    assert drawn == [] and again.get_data() == first.get_data()
    assert zipped.headers["Content-Encoding"] == "gzip" and gzip.decompress(zipped.get_data()) == first.get_data()
    # links and citations name PUBLIC_URL, not the Host a client sends: another Host is the same answer
    assert post(client, body, Host="hall.example:8050").get_data() == first.get_data()
    assert drawn == []


def test_a_passing_database_error_is_not_kept(dash_app, client, monkeypatch) -> None:
    body = callback_body(dash_app, results_key(dash_app), [*INPUTS[:6], "bar", "table", [], "survey"], ["fi"])

    db = dash_app.server.extensions["barometer_db"]

    def pool_away():
        raise PoolTimeout("the database is restarting")

    # the view's statement finds the database away (as when it restarts), whatever the query cache holds
    monkeypatch.setattr(db, "pool", pool_away)
    monkeypatch.setattr(compare_page, "results", lambda *_args: db.fetch("SELECT 1"))
    failed = gzip.decompress(post(client, body, **{"Accept-Encoding": "gzip"}).get_data()).decode()
    assert "notice-error" in failed
    monkeypatch.undo()
    recovered = post(client, body, **{"Accept-Encoding": "gzip"})
    text = gzip.decompress(recovered.get_data()).decode()
    assert "notice-error" not in text and "Osuus julkisen sektorin" in text


def test_nothing_to_update_is_kept_and_answered_204_without_running_the_router(dash_app, client,
                                                                             monkeypatch) -> None:
    # every visit's first callback: the router asked to draw the address the page was drawn for
    drawn = "/en/profile?country=SE&level=state"
    body = {"output": ROUTER, "outputs": {"id": "shell", "property": "children"},
            "inputs": [{"id": "url", "property": "pathname", "value": "/en/profile"},
                       {"id": "url", "property": "search", "value": "?country=SE&level=state"}],
            "changedPropIds": ["url.pathname", "url.search"],
            "state": [{"id": "view-search", "property": "data", "value": drawn}]}
    first = post(client, body)
    assert first.status_code == 204 and first.get_data() == b""

    def fails(*_args, **_kwargs):
        pytest.fail("the router ran for an answer the store holds")

    monkeypatch.setitem(dash_app.callback_map[ROUTER], "callback", fails)
    again = [post(client, body), post(client, body, **{"Accept-Encoding": "gzip"})]
    assert [(a.status_code, a.get_data()) for a in again] == [(204, b""), (204, b"")]


def test_the_key_names_body_data_code_address_and_day(dash_app, monkeypatch) -> None:
    body = b'{"output": "..cmp-results.children...x.data..", "inputs": []}'
    with dash_app.server.test_request_context(base_url="https://barometer.example"):
        key = answer_key(body, "data1", "code1")
        assert key is not None and key.startswith("cb:")
        assert answer_key(body, "data1", "code1") == key
        assert len({key, answer_key(body, "data2", "code1"), answer_key(body, "data1", "code2"),
                    answer_key(body.replace(b"[]", b"[1]"), "data1", "code1")}) == 4
        assert answer_key(b'{"output": "deck-created.children"}', "data1", "code1") is None
        assert answer_key(b"not json", "data1", "code1") is None
    # the site's public address (PUBLIC_URL, or a trusted Host) is part of the key
    with dash_app.server.test_request_context(base_url="https://barometer.example"):
        monkeypatch.setattr(callbacks, "public_base", lambda: "http://10.0.0.5:8050")
        assert answer_key(body, "data1", "code1") != key
    assert date.today().isoformat()  # the day is part of the key: a citation says when it was retrieved
    assert is_pure("shell.children") and is_pure("..pro-option.options...pro-option.value..")
    assert not is_pure("anything-else.children") and not is_pure(None)


def test_the_store_keeps_within_its_byte_budget_least_recently_used_first() -> None:
    store = BytesLru(max_bytes=10)
    store.put("a", b"1234")
    store.put("b", b"5678")
    assert store.get("a") == b"1234"  # a is now the most recently used
    store.put("c", b"90ab")
    assert (store.get("a"), store.get("b"), store.get("c")) == (b"1234", None, b"90ab")
    store.put("huge", b"x" * 11)
    assert store.get("huge") is None and len(store) == 2


def test_with_redis_an_answer_drawn_by_one_instance_is_served_by_another(loaded_db, redis_url, tmp_path,
                                                                        monkeypatch) -> None:
    """Two apps (instances, or workers) sharing one Redis: what one drew, the other answers without drawing."""
    from app.factory import create_app
    from tests.app.conftest import app_settings

    apps = [create_app(loaded_db, settings=app_settings(tmp_path / name, redis_url=redis_url)) for name in "ab"]
    try:
        body = callback_body(apps[0], results_key(apps[0]), [*INPUTS[:6], "bar", "chart", [1], "auto"], ["is"])
        first = post(apps[0].server.test_client(), body)
        assert first.status_code == 200
        monkeypatch.setattr(compare_page, "updated_results", lambda *args: pytest.fail("drawn again"))
        second = post(apps[1].server.test_client(), body)
        assert second.status_code == 200 and second.get_data() == first.get_data()
        assert len(apps[1].server.extensions["callback_answers"]) == 1  # and kept in its own store from then on
    finally:
        for app in apps:
            app.server.extensions["barometer_db"].close()
