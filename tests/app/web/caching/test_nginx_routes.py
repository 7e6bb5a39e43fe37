"""The caching proxy's list of addresses it never looks up (deploy/nginx/barometer.conf, map
$barometer_never_cached) names exactly the app's GETs that no cache may keep: a cacheable address left out of the
cache would reach the app on every request, and an uncacheable one left in it would queue a crowd behind
proxy_cache_lock (one request every 500 ms)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from werkzeug.routing import Rule

from app.site.registry import pages
from app.site.urls import EMBED_PREFIX
from app.web.caching.http_cache import kind_of
from core.config import LANGUAGES
from tests.services import NGINX_CONFIG

MAP = re.compile(r"map \$uri \$barometer_never_cached \{\n(?P<body>.*?)\n\}", re.S)
# a value for each placeholder of the app's routes, as the app itself links them
SAMPLES = {"lang": "nb", "public_id": "k3Xq9aZb", "index": "2", "code": "a1B2c3", "name": "compare.csv",
           "endpoint": "estimates", "view": "en/compare", "package_name": "dash",
           "fingerprinted_path": "dash-renderer/build/dash_renderer.v4_4_1m1796659371.min.js", "filename": "style.css",
           "path": "en/compare", "rest": "k3Xq9aZb/slides"}
QUERIES = {"/assets/": "m=1796659266", "/_favicon.ico": "v=4.4.1"}  # the versions the app's pages link with


def never_cached_rules() -> list[tuple[str, str]]:
    """(kind, pattern) of each line of the map: 'exact' or 'regex'."""
    body = MAP.search(NGINX_CONFIG.read_text())
    assert body, f"{NGINX_CONFIG} has no map $barometer_never_cached"
    rules = []
    for line in body["body"].strip().splitlines():
        key, value = line.split()
        key, value = key.strip('"'), value.rstrip(";")  # a pattern with braces is quoted for nginx
        if key == "default":
            assert value == "0"
            continue
        assert value == "1", line
        rules.append(("regex", key[1:]) if key.startswith("~") else ("exact", key))
    return rules


def never_cached(uri: str) -> bool:
    """What nginx's map gives for ``uri`` (its regular expressions are plain enough to mean the same in re)."""
    return any(uri == pattern if kind == "exact" else re.search(pattern, uri)
               for kind, pattern in never_cached_rules())


def sample_address(rule: Rule) -> str:
    path = re.sub(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>", lambda m: SAMPLES[m[1]], rule.rule)
    query = next((q for prefix, q in QUERIES.items() if path.startswith(prefix)), "")
    return path + (f"?{query}" if query else "")


def app_addresses(server: Flask) -> list[str]:
    """An address of every GET route of the app, and every page in every language, embedded or not."""
    addresses = [sample_address(rule) for rule in server.url_map.iter_rules() if "GET" in rule.methods]
    for page in pages():
        for lang in LANGUAGES:
            addresses += [f"/{lang}/{page.segment}", f"{EMBED_PREFIX}/{lang}/{page.segment}"]
    return addresses


def test_the_proxy_never_looks_up_exactly_what_the_app_never_lets_a_cache_keep(dash_app) -> None:
    server = dash_app.server
    addresses = app_addresses(server)
    assert "/api/decks/k3Xq9aZb/state" in addresses and "/nb/follow/k3Xq9aZb" in addresses
    wrong = []
    for address in addresses:
        with server.test_request_context(address):
            from flask import request
            cacheable = kind_of(request) is not None
        if cacheable == never_cached(address.split("?")[0]):
            wrong.append(f"{address}: the app {'marks' if cacheable else 'never marks'} it cacheable")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("uri", "expected"), [
    ("/api/decks", True), ("/api/decks/abc/state", True), ("/api/decksx", False), ("/en/decks/abc/present", True),
    ("/decks/abc.yaml", True), ("/follow/abc/slides/1", True), ("/s/abc", True), ("/healthz", True),
    ("/en/compare", False), ("/api/v1/estimates", False), ("/svg/en/compare", False), ("/", False)])
def test_the_map_reads_as_nginx_reads_it(uri: str, expected: bool) -> None:
    assert never_cached(uri) is expected
