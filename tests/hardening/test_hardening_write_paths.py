"""The write paths and the proxy, attacked through real servers: Debian's nginx with deploy/nginx/barometer.conf
in front of the app under gunicorn (as tests/app/web/caching/test_proxy_cache.py runs them), on a database of
Iceland's waves that the tests may write decks to.

1. A poisoned Host never reaches another visitor: the proxy keys its cache on the Host the app sees, the app
   names a Host in links and citations only when it is trusted, and data ETags vary with the address named.
2. Bodies are bounded before they are read (413), JSON endpoints take only JSON objects (415/400, nothing
   written), and nesting is bounded (400, never a RecursionError's 500).
5. The site's cap on new decks holds when 40 clients create decks at once.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
from hardening_helpers import CALLBACK_URL, close_app_database, hardening_settings

from app.decks.store import CREATE_LOCK, DeckSlide, SiteFull, create_deck, load_deck
from app.factory import create_app
from core.config import Settings
from etl.pipeline import run_etl
from tests.dbtools import create_database, drop_database
from tests.services import Answer, fetch, gunicorn_app, nginx_proxy

ESTIMATES = "/api/v1/estimates?countries=IS&indicator=innovative"
SITE_CAP = 25
BODY_LIMIT, API_LIMIT = Settings().max_content_length, Settings().api_max_content_length
POISON = "127.0.0.1:6666"


@dataclass(frozen=True)
class Site:
    app: str  # gunicorn, directly
    proxy: str  # nginx in front of it
    database: str

    def decks(self) -> int:
        with psycopg.connect(self.database) as conn:
            return conn.execute("SELECT count(*) FROM deck").fetchone()[0]


@pytest.fixture(scope="module")
def site(pg_admin_url: str, migrated_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """nginx with the shipped config in front of gunicorn, no PUBLIC_URL and the default TRUSTED_HOSTS."""
    folder = tmp_path_factory.mktemp("write-paths")
    url = create_database(pg_admin_url, template=migrated_template)
    run_etl(url, countries=["IS"], settings=Settings(cache_dir=folder / "etl"))
    try:
        with gunicorn_app(url, folder, PUBLIC_URL="", TRUSTED_HOSTS="", TRUSTED_PROXIES="0",
                          DECKS_PER_HOUR=str(SITE_CAP), DECKS_PER_ADDRESS_HOUR="1000") as app_url:
            with nginx_proxy(folder / "nginx", app_url.removeprefix("http://")) as proxy_url:
                yield Site(app_url, proxy_url, url)
    finally:
        drop_database(pg_admin_url, url)


@pytest.fixture
def flask_app(site: Site, tmp_path: Path):
    """The app in this process on the same database, for attacks that need no network."""
    app = create_app(site.database, settings=hardening_settings(tmp_path))
    yield app
    close_app_database(app)


# --- 1. Host ---------------------------------------------------------------------------------------------


def citation_url(answer: Answer) -> str:
    """The address the answer's citation names (APA: '... Retrieved <date>, from <address>')."""
    return json.loads(answer.body)["citation"]["apa"].rsplit(" from ", 1)[1]


def test_a_poisoned_host_never_reaches_another_visitor(site: Site) -> None:
    visitor_host = urlsplit(site.proxy).netloc
    # TRUSTED_HOSTS="" is the default: loopback names at any port, so the attacker's own answer may name its
    # port; what matters is that nobody else is served that answer
    poisoned = fetch(site.proxy + ESTIMATES, host=POISON)
    assert poisoned.status == 200 and citation_url(poisoned).startswith(f"http://{POISON}/")
    visitor = fetch(site.proxy + ESTIMATES)
    assert visitor.headers["x-cache-status"] == "MISS", "the visitor was served the poisoned answer"
    assert POISON not in visitor.text and citation_url(visitor).startswith(f"http://{visitor_host}/")
    again = fetch(site.proxy + ESTIMATES)
    assert (again.headers["x-cache-status"], again.body) == ("HIT", visitor.body)
    # the ETag names the address the body names: the poisoned one does not revalidate the visitor's answer
    assert poisoned.headers["etag"] != visitor.headers["etag"]
    conditional = fetch(site.proxy + ESTIMATES, etag=poisoned.headers["etag"])
    assert conditional.status == 200 and conditional.body == visitor.body
    assert fetch(site.app + ESTIMATES, host=visitor_host, etag=poisoned.headers["etag"]).status == 200
    assert fetch(site.app + ESTIMATES, host=visitor_host, etag=visitor.headers["etag"]).status == 304


def test_an_untrusted_host_is_never_written_into_an_answer(site: Site) -> None:
    for host, forwarded in [("evil.example", None), ("evil.example:80", None), (None, "evil.example"),
                            ("barometer.example@evil.example", None)]:
        answer = fetch(site.proxy + ESTIMATES + "&lang=sv", host=host,
                       headers={"X-Forwarded-Host": forwarded} if forwarded else None)
        assert answer.status in (200, 400), (host, answer.status)
        assert "evil" not in answer.text, (host, forwarded)
        if answer.status == 200 and forwarded is None:
            # an unknown Host gets the app's own address (a warning in the log names TRUSTED_HOSTS)
            assert citation_url(answer).startswith("http://127.0.0.1:8050/")


# --- 2. bodies ---------------------------------------------------------------------------------------------


def raw_post(base: str, path: str, head: dict[str, str], sent: bytes) -> tuple[int, bytes]:
    """POST with these headers, sending only ``sent`` of the body, and read the answer: (status, body)."""
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=15) as sock:
        lines = [f"POST {path} HTTP/1.1", f"Host: {parts.netloc}", *(f"{k}: {v}" for k, v in head.items())]
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + sent)
        answer = b""
        while not answer_is_complete(answer):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    return int(answer.split(b" ", 2)[1]), answer.split(b"\r\n\r\n", 1)[-1]


def answer_is_complete(answer: bytes) -> bool:
    """Headers and as much body as they announce have arrived (a server may send the two in separate packets)."""
    if b"\r\n\r\n" not in answer:
        return False
    head, body = answer.split(b"\r\n\r\n", 1)
    length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    return length is None or len(body) >= int(length.group(1))


def test_a_huge_body_is_refused_before_it_is_read(site: Site) -> None:
    before = site.decks()
    # 200 MB announced, 15 bytes sent: the answer comes without waiting for (or holding) the rest
    for path in ("/api/decks", "/api/decks/AAAAAAAAAA/title", CALLBACK_URL):
        status, body = raw_post(site.app, path, {"Content-Type": "application/json", "Content-Length": "200000000"},
                                b'{"title": "AAAA')
        assert status == 413, (path, status)
        assert b"body_too_large" in body
    # the JSON API takes far less than the rest of the site (a deck change is a few kilobytes)
    title = json.dumps({"title": "x" * 40_000}).encode()
    assert fetch(site.app + "/api/decks", data=title, headers={"Content-Type": "application/json"}).status == 413
    # a body sent in chunks, which announces no length, is cut off at the limit as it is read (or, where the
    # server does not say where such a body ends, not read at all)
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in [b"[" * 60_000] * 30) + b"0\r\n\r\n"
    status, _ = raw_post(site.app, CALLBACK_URL, {"Content-Type": "application/json",
                                                  "Transfer-Encoding": "chunked"}, chunked)
    assert status in (400, 413)
    # the proxy refuses it on its own (client_max_body_size)
    assert fetch(site.proxy + "/api/decks", data=b"{" + b" " * 2_000_000 + b"}",
                 headers={"Content-Type": "application/json"}).status == 413
    assert site.decks() == before


NOT_JSON_OBJECTS = [
    ("application/json", b'{"title": "broken'),  # malformed
    ("text/plain", b'{"title": "plain"}'),
    ("application/x-www-form-urlencoded", b"title=form"),
    ("multipart/form-data; boundary=x", b'--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nf\r\n--x--\r\n'),
    ("application/json", b'["title", "array"]'),
    ("application/json", b'"just text"'),
    ("application/json", b""),
    (None, b""),
]


@pytest.mark.parametrize(("content_type", "body"), NOT_JSON_OBJECTS)
def test_json_endpoints_take_only_json_objects(site: Site, flask_app, content_type: str | None,
                                               body: bytes) -> None:
    client = flask_app.server.test_client()
    with psycopg.connect(site.database, autocommit=True) as conn:
        deck, key = create_deck(conn, "Kept title", "en", [DeckSlide("/en/", "Kept caption")])
    before = site.decks()
    headers = {"Content-Type": content_type} if content_type else {}
    created = client.post("/api/decks", data=body, headers=headers)
    assert created.status_code in (400, 415), created.status_code
    assert created.status_code == (415 if content_type != "application/json" else 400)
    assert created.get_json()["error"] in ("unsupported_media_type", "bad_json")
    assert site.decks() == before
    # with the key: a body that is not a JSON object changes nothing
    keyed = {**headers, "X-Deck-Key": key}
    for path in (f"/api/decks/{deck.public_id}/title", f"/api/decks/{deck.public_id}/slides/0/caption",
                 f"/api/decks/{deck.public_id}/current", f"/api/decks/{deck.public_id}/slides"):
        assert client.post(path, data=body, headers=keyed).status_code in (400, 415), path
    # and a JSON object without the field changes nothing either (it erased the caption or title)
    for path in (f"/api/decks/{deck.public_id}/title", f"/api/decks/{deck.public_id}/slides/0/caption"):
        assert client.post(path, json={}, headers={"X-Deck-Key": key}).status_code == 400, path
    with psycopg.connect(site.database) as conn:
        after = load_deck(conn, deck.public_id)
    assert (after.title, after.slides) == ("Kept title", (DeckSlide("/en/", "Kept caption"),))


def test_deep_nesting_is_a_bad_request_not_a_server_error(site: Site, flask_app) -> None:
    before = site.decks()
    client = flask_app.server.test_client()
    for depth in (100_000, 1_000, 65):
        body = b"[" * depth + b"]" * depth
        wrapped = b'{"title": ' + body + b"}"
        for path, sent in (("/api/decks", body), ("/api/decks", wrapped), (CALLBACK_URL, body),
                           (CALLBACK_URL, b'{"output": ' + body + b"}")):
            answer = client.post(path, data=sent, headers={"Content-Type": "application/json"})
            too_large = len(sent) > (API_LIMIT if path.startswith("/api/") else BODY_LIMIT)
            assert answer.status_code == (413 if too_large else 400), (path, depth, answer.status_code)
            assert answer.get_json()["error"] in ("bad_json", "bad_callback_request", "body_too_large"), path
    # through gunicorn too: a worker answers 400 and goes on serving
    for path, depth in (("/api/decks", 10_000), (CALLBACK_URL, 100_000)):
        deep = b"[" * depth + b"]" * depth
        assert fetch(site.app + path, data=deep, headers={"Content-Type": "application/json"}).status == 400
    assert fetch(site.app + "/healthz").status == 200
    assert site.decks() == before


# --- 5. the site's cap on new decks --------------------------------------------------------------------------


def test_the_site_cap_holds_when_forty_clients_create_decks_at_once(site: Site) -> None:
    with psycopg.connect(site.database, autocommit=True) as conn:
        conn.execute("DELETE FROM deck")
        for _ in range(SITE_CAP - 8):  # the cap is near: 8 decks left for 40 clients
            create_deck(conn, "Earlier", "en")
    start = threading.Barrier(40)

    def create(_: int) -> int:
        start.wait()
        return fetch(site.app + "/api/decks", data=b'{"title": "Race"}',
                     headers={"Content-Type": "application/json"}).status

    with ThreadPoolExecutor(40) as pool:
        statuses = Counter(pool.map(create, range(40)))
    assert statuses == Counter({201: 8, 429: 32}), statuses
    assert site.decks() == SITE_CAP


def test_the_cap_is_counted_under_one_lock_however_many_writers(site: Site) -> None:
    """Forty connections counting and inserting at the same instant, as forty workers would."""
    with psycopg.connect(site.database, autocommit=True) as conn:
        conn.execute("DELETE FROM deck")
    start = threading.Barrier(40)

    def create(_: int) -> bool:
        with psycopg.connect(site.database, autocommit=True) as conn:
            start.wait()
            try:
                create_deck(conn, "Race", "en", site_limit=(10, 3600.0))
            except SiteFull:
                return False
            return True

    with ThreadPoolExecutor(40) as pool:
        created = Counter(pool.map(create, range(40)))
    assert created == Counter({True: 10, False: 30}), created
    assert site.decks() == 10
    with psycopg.connect(site.database) as conn:  # the lock is held by a transaction only, never left behind
        held = conn.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = %s",
                            (CREATE_LOCK & 0xFFFFFFFF,)).fetchone()[0]
    assert held == 0
