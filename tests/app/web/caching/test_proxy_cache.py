"""The caching reverse proxy (deploy/nginx/barometer.conf, the compose `proxy` service) run for real: Debian's
nginx with that config in front of the app under gunicorn. It answers repeat GETs from its cache, revalidates
with the app's ETags, never caches callbacks, and after a new ETL run serves no old answer once HTTP_MAX_AGE
(plus the app's data-version memo) has passed."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from core.config import Settings
from etl.pipeline import run_etl
from tests import services
from tests.hardening.hardening_helpers import callback_body
from tests.services import Answer, gunicorn_app, nginx_proxy

MAX_AGE_S = 2
VERSION_TTL_S = 1
CLOCK_TICK_S = 1  # nginx keeps expiry times in whole seconds: an answer may stay fresh up to 1 s past max-age
ESTIMATES = "/api/v1/estimates?countries=IS&indicator=innovative"
DOWNLOAD = "/download/compare.csv?countries=IS"
FIGURE_INPUTS = ["innovative", "yes", ["IS"], [], "all", "all", "bar", "chart", [1], "auto"]


def fetch(url: str, *, etag: str | None = None, data: bytes | None = None) -> Answer:
    return services.fetch(url, etag=etag, data=data, headers={"Accept-Encoding": "gzip"})


@pytest.fixture
def proxied(empty_db: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(proxy URL, database URL): nginx in front of gunicorn serving a database of Iceland's waves."""
    run_etl(empty_db, countries=["IS"], settings=Settings(cache_dir=tmp_path / "etl"))
    with gunicorn_app(empty_db, tmp_path, HTTP_MAX_AGE=str(MAX_AGE_S),
                      APP_DATA_VERSION_TTL=str(VERSION_TTL_S)) as app_url:
        with nginx_proxy(tmp_path / "nginx", app_url.removeprefix("http://")) as proxy_url:
            yield proxy_url, empty_db


def figure_call(database_url: str) -> bytes:
    """The Compare figure callback's body as the browser posts it."""
    from app.factory import create_app
    from tests.app.conftest import app_settings

    app = create_app(database_url, settings=app_settings(Path("/nonexistent")))
    try:
        key = next(k for k in app.callback_map if k.startswith("..cmp-results.children"))
        return json.dumps(callback_body(app, key, FIGURE_INPUTS, ["en"])).encode()
    finally:
        app.server.extensions["barometer_db"].close()


def shares(body: bytes) -> list:
    return [r["share_pct"] for r in json.loads(body)["data"] if r["row_type"] == "estimate"]


def test_the_proxy_caches_revalidates_and_drops_every_answer_after_a_new_etl_run(
    proxied: tuple[str, str], tmp_path: Path
) -> None:
    proxy, database_url = proxied
    page = fetch(proxy + "/en/compare")
    assert (page.status, page.cache) == (200, "MISS")
    # the page itself is drawn from the data: the next visitor of the link gets it from the proxy
    assert (fetch(proxy + "/en/compare").cache, fetch(proxy + "/en/compare").body) == ("HIT", page.body)
    bundle = proxy + next(part.split('"')[0] for part in page.body.decode("utf-8", "replace").split('src="')[1:]
                          if part.startswith("/_dash-component-suites/"))

    stored_at = time.monotonic()
    first = {path: fetch(proxy + path) for path in (ESTIMATES, DOWNLOAD)}
    first_bundle = fetch(bundle)
    for answer in [*first.values(), first_bundle]:
        assert (answer.status, answer.cache) == (200, "MISS")
    for path, answer in first.items():
        again = fetch(proxy + path)
        assert (again.status, again.cache, again.body) == (200, "HIT", answer.body), path
        assert again.headers["etag"] == answer.headers["etag"]
        conditional = fetch(proxy + path, etag=answer.headers["etag"])
        assert (conditional.status, conditional.cache, conditional.body) == (304, "HIT", b""), path
    assert fetch(bundle).cache == "HIT"
    # callbacks and health checks always reach the app
    call = figure_call(database_url)
    figure = fetch(proxy + "/_dash-update-component", data=call)
    assert figure.status == 200 and figure.cache in ("", "BYPASS")
    assert fetch(proxy + "/_dash-update-component", data=call).cache in ("", "BYPASS")
    # never even looked up (so never queued behind another request's cache lock), never stored
    assert [fetch(proxy + "/healthz").cache for _ in range(2)] == ["BYPASS", "BYPASS"]

    # after max-age the proxy asks the app again with the ETag; nothing changed, so the app answers 304
    time.sleep(max(0.0, stored_at + MAX_AGE_S + CLOCK_TICK_S + 0.5 - time.monotonic()))
    revalidated = fetch(proxy + ESTIMATES)
    assert (revalidated.status, revalidated.cache, revalidated.body) == (200, "REVALIDATED", first[ESTIMATES].body)

    run_etl(database_url, countries=["IS"], settings=Settings(cache_dir=tmp_path / "etl2", min_cell_n=100_000))
    # the longest an old answer may still be served
    time.sleep(MAX_AGE_S + CLOCK_TICK_S + VERSION_TTL_S + 0.5)
    for path, old in first.items():
        new = fetch(proxy + path, etag=old.headers["etag"])
        assert new.status == 200, f"{path}: the old ETag still matched after a new ETL run"
        assert new.cache in ("EXPIRED", "MISS"), (path, new.cache)
        assert new.headers["etag"] != old.headers["etag"] and new.body != old.body, path
        again = fetch(proxy + path)
        if again.cache == "EXPIRED":  # a loaded machine took longer than max-age (whole seconds) to ask again
            again = fetch(proxy + path)
        assert (again.cache, again.body) == ("HIT", new.body), path  # the new answer is cached in turn
    assert shares(first[ESTIMATES].body) and None not in shares(first[ESTIMATES].body)
    assert set(shares(fetch(proxy + ESTIMATES).body)) == {None}  # every cell suppressed now: no old figure
    new_figure = fetch(proxy + "/_dash-update-component", data=call)
    assert new_figure.status == 200 and new_figure.body != figure.body
    assert fetch(bundle).cache == "HIT"  # an immutable bundle is unaffected by data


def test_a_crowd_on_one_address_gets_one_drawing_of_a_page_and_never_queues_for_a_deck(
    proxied: tuple[str, str]
) -> None:
    """Thirty visitors of a new link at once: the app draws the page once and the proxy answers the rest. Thirty
    phones polling one deck at once: none is looked up in the cache, so none waits for another's cache lock
    (which lets one request through every 500 ms: a hall of phones waited seconds)."""
    import psycopg

    from app.decks.store import create_deck

    proxy, database_url = proxied
    with psycopg.connect(database_url, autocommit=True) as conn:
        deck, _key = create_deck(conn, "Hall", "en")
    crowd = 30
    with ThreadPoolExecutor(crowd) as pool:
        pages = list(pool.map(lambda _: fetch(proxy + "/en/profile?country=IS"), range(crowd)))
        polls = list(pool.map(lambda _: fetch(proxy + f"/api/decks/{deck.public_id}/state"), range(crowd)))
    assert {page.status for page in pages} == {200}
    assert sorted(page.cache for page in pages) == ["HIT"] * (crowd - 1) + ["MISS"]
    assert len({page.body for page in pages}) == 1
    assert [(poll.status, poll.cache) for poll in polls] == [(200, "BYPASS")] * crowd
