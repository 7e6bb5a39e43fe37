"""Short links and public addresses: '/s/<code>' names a view on every worker and after a restart, QR codes
stay small, share links follow the address people reached (also behind trusted proxies), and presentation
mode warns when its code names this machine only."""

from __future__ import annotations

import dataclasses
import hashlib

import flask
import psycopg
import pytest

from app.components.qr import MAX_QR_VERSION, is_loopback, qr_code
from app.data.links import ALPHABET, CODE_LENGTH, short_code
from app.factory import create_app, trust_proxies
from app.site.request import public_base
from app.web import router
from core.roles import grant_link_writer_role, grant_readonly_role
from tests.app.conftest import app_settings
from tests.app.drawing import as_text, by_id, draw, find
from tests.core.test_readonly_role import as_role


def qr_url(page) -> str:
    return by_id(page, "qr-code").to_plotly_json()["props"]["data-url"]


def stored_target(url: str, code: str) -> str | None:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT target FROM short_link WHERE code = %s", (code,)).fetchone()
    return row[0] if row else None


def test_short_code_is_a_fixed_digest_of_the_address() -> None:
    code = short_code("/en/compare?countries=DK")
    assert code == short_code("/en/compare?countries=DK") and len(code) == CODE_LENGTH
    assert set(code) <= set(ALPHABET)
    assert short_code("/en/compare?countries=NO") != code
    # the first base-62 digit is the SHA-256 modulo 62, computed here independently
    assert ALPHABET.index(code[0]) == int(hashlib.sha256(b"/en/compare?countries=DK").hexdigest(), 16) % 62


def test_presentation_qr_is_a_short_link_that_opens_the_same_view(dash_app, client, loaded_db: str) -> None:
    page = draw(dash_app, "/en/compare", "?countries=DK&present=1")
    url = qr_url(page)
    assert url.startswith("https://barometer.example/s/")
    code = url.rsplit("/", 1)[1]
    interactive = by_id(page, "exit-present").href  # the view without presentation mode
    assert stored_target(loaded_db, code) == interactive
    assert qr_code(url).version <= MAX_QR_VERSION  # 33x33 modules or fewer
    response = client.get(f"/s/{code}")
    assert response.status_code == 302 and response.headers["Location"] == interactive
    # drawing the view again (another worker, another time) gives the same code, stored once
    assert qr_url(draw(dash_app, "/en/compare", "?countries=DK&present=1")) == url
    with psycopg.connect(loaded_db) as conn:
        assert conn.execute("SELECT count(*) FROM short_link WHERE target = %s", (interactive,)).fetchone()[0] == 1


def test_short_links_survive_a_restart(dash_app, loaded_db: str, tmp_path) -> None:
    url = qr_url(draw(dash_app, "/en/profile", "?present=1"))
    code = url.rsplit("/", 1)[1]
    restarted = create_app(loaded_db, settings=app_settings(tmp_path))
    try:
        response = restarted.server.test_client().get(f"/s/{code}")
        # the default view of the page: its canonical address has no parameters
        assert response.status_code == 302 and response.headers["Location"] == "/en/profile"
    finally:
        restarted.server.extensions["barometer_db"].close()


@pytest.mark.parametrize(("code", "accept", "text"), [
    ("zzzzzzz", "nb,en;q=0.5", "Denne korte lenken finnes ikke"),
    ("not-a-code!", "fi", "Tätä lyhytlinkkiä ei ole"),
    ("abc1234", "", "This short link does not exist"),
])
def test_unknown_short_link_is_a_friendly_404(client, code: str, accept: str, text: str) -> None:
    response = client.get(f"/s/{code}", headers={"Accept-Language": accept} if accept else {})
    assert response.status_code == 404 and text in response.get_data(as_text=True)


def test_qr_of_a_long_lan_address_stays_at_version_4() -> None:
    assert qr_code("http://192.168.100.200:8050/s/" + "Z" * CODE_LENGTH).version <= MAX_QR_VERSION
    # what it replaces: the full address of a view is far denser
    assert qr_code("http://192.168.100.200:8050/en/compare?indicator=innovative&option=yes&countries=DK,NO,SE,"
                   "FI,IS&waves=DK-2021,NO-2020&level=all&sector=all&chart=bar&display=chart&nordic=1").version > 6


@pytest.mark.parametrize(("url", "loopback"), [
    ("http://127.0.0.1:8050", True), ("http://localhost:8050", True), ("http://[::1]:8050", True),
    ("http://127.1.2.3", True), ("http://192.168.1.20:8050", False), ("https://barometer.example", False),
])
def test_is_loopback(url: str, loopback: bool) -> None:
    assert is_loopback(url) is loopback


@pytest.mark.parametrize(("trusted", "expected"), [
    (1, "https://hall.example/"),  # one proxy trusted: its X-Forwarded-* name the address people reached
    (0, "http://127.0.0.1:8050/"),  # none trusted: anyone could send the headers, so they are ignored
])
def test_public_base_behind_a_trusted_proxy(trusted: int, expected: str, monkeypatch) -> None:
    monkeypatch.setenv("TRUSTED_HOSTS", "hall.example,127.0.0.1:8050")
    monkeypatch.setenv("PUBLIC_URL", "")
    server = flask.Flask("proxy-test")
    server.get("/base")(lambda: public_base())
    trust_proxies(server, trusted)
    response = server.test_client().get("/base", base_url="http://127.0.0.1:8050", headers={
        "X-Forwarded-Host": "hall.example", "X-Forwarded-Proto": "https", "X-Forwarded-For": "10.0.0.7"})
    assert response.get_data(as_text=True) + "/" == expected


@pytest.fixture(scope="module")
def app_without_public_url(loaded_db: str, tmp_path_factory):
    settings = dataclasses.replace(app_settings(tmp_path_factory.mktemp("no-public-url")), public_url=None,
                                   trusted_hosts=("127.0.0.1:*", "192.168.1.20:8050"))
    app = create_app(loaded_db, settings=settings)
    yield app
    app.server.extensions["barometer_db"].close()


def draw_at(app, base_url: str, lang: str = "en"):
    with app.server.test_request_context(f"/{lang}/compare?countries=DK&present=1", base_url=base_url):
        return router.render(f"/{lang}/compare", "?countries=DK&present=1")


def test_presentation_warns_when_its_code_names_this_machine_only(app_without_public_url) -> None:
    page = draw_at(app_without_public_url, "http://127.0.0.1:8050", "sv")
    warning = as_text(by_id(page, "present-loopback-warning"))
    assert "Bara den här datorn" in warning and "barometer up --public" in warning
    assert qr_url(page).startswith("http://127.0.0.1:8050/s/")


def test_presentation_on_a_venue_address_has_no_warning(app_without_public_url) -> None:
    page = draw_at(app_without_public_url, "http://192.168.1.20:8050")
    assert not find(page, lambda c: getattr(c, "id", None) == "present-loopback-warning")
    assert qr_url(page).startswith("http://192.168.1.20:8050/s/")


def test_roles_of_short_links(loaded_db: str) -> None:
    """The read-only role resolves short links but cannot add one; the link writer adds them and reads
    nothing else (no aggregates, no microdata)."""
    with psycopg.connect(loaded_db) as conn, conn.transaction():
        grant_readonly_role(conn, "barometer_link_test_reader", "r-secret")
        grant_link_writer_role(conn, "barometer_link_test_writer", "w-secret")
    reader = as_role(loaded_db, "barometer_link_test_reader", "r-secret")
    writer = as_role(loaded_db, "barometer_link_test_writer", "w-secret")
    with psycopg.connect(writer, autocommit=True) as conn:
        conn.execute("INSERT INTO short_link (code, target) VALUES ('Roles01', '/da/data?roles-test') "
                     "ON CONFLICT DO NOTHING")
        for table in ("estimate", "respondent", "answer"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"SELECT 1 FROM {table} LIMIT 1")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM short_link")
    with psycopg.connect(reader) as conn:
        row = conn.execute("SELECT target FROM short_link WHERE code = 'Roles01'").fetchone()
        assert row[0] == "/da/data?roles-test"
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("INSERT INTO short_link (code, target) VALUES ('Roles02', '/nb/')")


def test_a_short_link_that_cannot_be_stored_falls_back_to_the_full_address(loaded_db: str, tmp_path) -> None:
    """A read-only database for links too: the QR code carries the whole address, and nothing breaks."""
    with psycopg.connect(loaded_db) as conn, conn.transaction():
        grant_readonly_role(conn, "barometer_link_test_reader", "r-secret")
    reader = as_role(loaded_db, "barometer_link_test_reader", "r-secret")
    settings = dataclasses.replace(app_settings(tmp_path), links_database_url=reader)
    app = create_app(loaded_db, settings=settings)
    try:
        with app.server.test_request_context("/en/compare?countries=DK&present=1"):
            page = router.render("/en/compare", "?countries=DK&present=1")
        assert qr_url(page).startswith("https://barometer.example/en/compare?")
    finally:
        app.server.extensions["barometer_db"].close()
