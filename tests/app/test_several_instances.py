"""Several app instances behind one nginx, sharing one Postgres and one Redis, as docker-compose runs them with
`--scale app=N` (docs/operations.md): two `barometer serve` on two ports, Debian's nginx with
deploy/nginx/barometer.conf balancing over both, redis-server, and the embedded Postgres of the tests.

Everything that must be shared is: the proxy spreads visitors over both instances; a presenter moving slides
through one instance reaches phones polling the other within 3 s (the follow contract, docs/presenting.md); the
deck limit per address is one count across instances; figures and callback answers one instance drew are in
the shared Redis for the other.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from core.config import Settings
from tests.dbtools import create_database, drop_database
from tests.services import LOOPBACK, barometer_serve, nginx_proxy, redis_server

FOLLOW_WITHIN_S = 3.0
PER_ADDRESS = 2

pytestmark = pytest.mark.slow  # starts two app servers, nginx and redis-server
VIEW = "/en/compare?countries=IS&indicator=innovative"


@dataclass
class Site:
    proxy: str
    instances: list[str]
    logs: list[Path]
    redis_url: str


@pytest.fixture(scope="module")
def site(pg_admin_url: str, migrated_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    from etl.pipeline import run_etl

    folder = tmp_path_factory.mktemp("instances")
    database = create_database(pg_admin_url, template=migrated_template)
    run_etl(database, countries=["IS"], settings=Settings(cache_dir=folder / "etl"))
    try:
        with redis_server(folder / "redis") as redis_url:
            # one worker each (a 2-core machine runs the whole suite); TRUSTED_PROXIES=1: the proxy's
            # X-Forwarded-For names the visitor, as docs/operations.md says to set it behind nginx
            common = {"REDIS_URL": redis_url, "WEB_CONCURRENCY": "1", "WEB_THREADS": "2", "TRUSTED_PROXIES": "1",
                      "DECKS_PER_ADDRESS_HOUR": str(PER_ADDRESS), "DECKS_PER_HOUR": "1000"}
            with barometer_serve(database, folder, "app-a", **common) as first, \
                    barometer_serve(database, folder, "app-b", **common) as second:
                with nginx_proxy(folder / "nginx", [first.removeprefix("http://"),
                                                    second.removeprefix("http://")]) as proxy:
                    yield Site(proxy, [first, second], [folder / "app-a.log", folder / "app-b.log"], redis_url)
    finally:
        drop_database(pg_admin_url, database)


def send(url: str, *, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None
         ) -> tuple[int, dict[str, str], bytes]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={**({"Content-Type": "application/json"} if data else {}),
                                                              **(headers or {})})
    try:
        with LOOPBACK.open(request, timeout=30) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers.items()), exc.read()


def new_deck(instance: str, address: str) -> tuple[int, dict[str, Any]]:
    status, _, body = send(instance + "/api/decks", body={"lang": "en", "title": "Across", "path": VIEW},
                           headers={"X-Forwarded-For": address})
    return status, json.loads(body)


def test_the_proxy_spreads_requests_over_both_instances(site: Site) -> None:
    marker = "/healthz?spread"  # health checks always reach an app (nothing caches them)
    for _ in range(12):
        assert send(site.proxy + marker)[0] == 200
    served = [log.read_text().count(f"GET {marker}") for log in site.logs]
    assert sum(served) == 12 and all(count > 0 for count in served), served


def test_a_presenter_on_one_instance_reaches_followers_on_the_other_within_3_s(site: Site) -> None:
    presenter, follower = site.instances
    status, deck = new_deck(presenter, "192.0.2.10")
    assert status == 201
    key = {"X-Deck-Key": deck["key"]}
    assert send(f"{presenter}/api/decks/{deck['deck']}/slides", body={"path": VIEW, "caption": "two"},
                headers=key)[0] == 200
    state_url = f"{follower}/api/decks/{deck['deck']}/state"
    status, headers, body = send(state_url)
    assert status == 200 and json.loads(body)["slide"] == 0
    etag = headers["ETag"]

    moved_at = time.monotonic()
    assert send(f"{presenter}/api/decks/{deck['deck']}/current", body={"slide": 1}, headers=key)[0] == 200
    seen = None
    while time.monotonic() - moved_at < FOLLOW_WITHIN_S:
        status, headers, body = send(state_url, headers={"If-None-Match": etag})  # as the follow page polls
        if status == 200:
            seen = json.loads(body)
            break
        assert status == 304
        time.sleep(0.2)
    assert seen is not None and seen["slide"] == 1 and seen["caption"] == "two", "no new slide within 3 s"
    assert time.monotonic() - moved_at < FOLLOW_WITHIN_S


def test_the_deck_limit_per_address_is_one_count_across_instances(site: Site) -> None:
    first, second = site.instances
    assert new_deck(first, "192.0.2.20")[0] == 201
    assert new_deck(second, "192.0.2.20")[0] == 201  # the address's second deck, on the other instance
    for instance in (first, second):
        status, answer = new_deck(instance, "192.0.2.20")
        assert status == 429 and answer["error"] == "too_many_decks"
    assert new_deck(second, "192.0.2.21")[0] == 201  # another visitor is counted on its own


def test_a_view_one_instance_drew_is_served_by_the_other_from_the_shared_redis(site: Site) -> None:
    import redis

    first, second = site.instances
    client = redis.Redis.from_url(site.redis_url)

    def first_paints() -> set[bytes]:
        return {key for key in client.keys("*") if b":first-paint:" in key}

    before = first_paints()
    same_site = {"Host": "talk.example"}  # what visitors reached (share links in the page name it)
    assert send(first + VIEW, headers=same_site)[0] == 200
    drawn = first_paints() - before
    assert len(drawn) == 1  # the view's first paint, drawn by the first instance, kept in Redis
    hits = client.info("stats")["keyspace_hits"]
    assert send(second + VIEW, headers=same_site)[0] == 200
    assert first_paints() - before == drawn  # the second drew nothing new: it read what the first drew
    assert client.info("stats")["keyspace_hits"] > hits
