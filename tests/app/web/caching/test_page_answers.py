"""Page documents kept per worker (app/web/caching/pages.py): the same GET of a page, from the same site address,
in the same encoding, for the same data version and day, is answered from memory; anything else goes to the app;
a page kept in memory is still refused by admission control when the worker is beyond capacity."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import flask
import pytest

from app.web import queue_worker
from app.web.caching.pages import PageAnswers, mark_page

PAGE_REQUEST = {"REQUEST_METHOD": "GET", "PATH_INFO": "/en/compare", "QUERY_STRING": "countries=DK",
                "HTTP_HOST": "barometer.example", "wsgi.url_scheme": "https", "HTTP_ACCEPT_ENCODING": "br"}


class CountingApp:
    """A WSGI app answering ``status``, marking its answers as pages when ``marked``; counts its calls."""

    def __init__(self, status: str = "200 OK", marked: bool = True) -> None:
        self.calls = 0
        self.status = status
        self.marked = marked

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        self.calls += 1
        if self.marked:
            mark_page(environ)
        start_response(self.status, [("Content-Type", "text/html"), ("ETag", f'W/"d-{self.calls}"')])
        return [f"page {self.calls}".encode()]


def get(middleware: PageAnswers, **changes: str) -> tuple[str, dict[str, str], bytes]:
    answered: list[Any] = []
    body = b"".join(middleware({**PAGE_REQUEST, **changes},
                               lambda status, headers, exc_info=None: answered.append((status, headers))))
    return answered[0][0], dict(answered[0][1]), body


def test_the_same_page_is_answered_from_memory_until_the_data_changes() -> None:
    app, version = CountingApp(), ["v1"]
    pages = PageAnswers(app, lambda: version[0])
    first, again = get(pages), get(pages)
    assert app.calls == 1 and first == again == ("200 OK", {"Content-Type": "text/html", "ETag": 'W/"d-1"'},
                                                 b"page 1")
    version[0] = "v2"  # a new ETL run
    assert get(pages)[2] == b"page 2" and get(pages)[2] == b"page 2" and app.calls == 2


@pytest.mark.parametrize("change", [{"QUERY_STRING": "countries=FI"}, {"PATH_INFO": "/nb/compare"},
                                    {"HTTP_HOST": "other.example"}, {"wsgi.url_scheme": "http"},
                                    {"HTTP_X_FORWARDED_HOST": "proxy.example"}, {"SCRIPT_NAME": "/barometer"},
                                    {"HTTP_ACCEPT_ENCODING": "gzip"}])
def test_another_address_site_address_or_encoding_is_drawn_by_the_app(change: dict[str, str]) -> None:
    app = CountingApp()
    pages = PageAnswers(app, lambda: "v1")
    get(pages)
    assert get(pages, **change)[2] == b"page 2" and get(pages, **change)[2] == b"page 2"
    assert get(pages)[2] == b"page 1" and app.calls == 2


@pytest.mark.parametrize("change", [{"REQUEST_METHOD": "HEAD"}, {"HTTP_IF_NONE_MATCH": 'W/"d-1"'},
                                    {"PATH_INFO": "/api/v1/waves"}, {"PATH_INFO": "/_dash-layout"}])
def test_what_is_not_a_plain_get_of_a_page_always_reaches_the_app(change: dict[str, str]) -> None:
    app = CountingApp()
    pages = PageAnswers(app, lambda: "v1")
    for _ in range(2):
        get(pages, **change)
    assert app.calls == 2


@pytest.mark.parametrize("app", [CountingApp(marked=False), CountingApp(status="404 NOT FOUND"),
                                 CountingApp(status="503 SERVICE UNAVAILABLE")])
def test_an_answer_not_marked_as_a_page_or_not_200_is_never_kept(app: CountingApp) -> None:
    pages = PageAnswers(app, lambda: "v1")
    assert get(pages)[2] == b"page 1" and get(pages)[2] == b"page 2"


def test_without_the_data_version_the_page_goes_to_the_app() -> None:
    def away() -> str:
        raise ConnectionError("database away")

    app = CountingApp()
    pages = PageAnswers(app, away)
    get(pages)
    get(pages)
    assert app.calls == 2


def test_the_apps_pages_are_kept_behind_admission_control(loaded_db: str, tmp_path: Path) -> None:
    from app.factory import create_app
    from tests.app.conftest import app_settings

    app = create_app(loaded_db, settings=app_settings(tmp_path))
    entered: list[str] = []

    def entering(_sender: object, **_extra: object) -> None:  # a named function: signals hold weak references
        entered.append(flask.request.path)

    flask.request_started.connect(entering, app.server)
    try:
        client = app.server.test_client()
        first, second = (client.get("/en/compare?countries=DK,FI") for _ in range(2))
        assert entered == ["/en/compare"] and first.status_code == second.status_code == 200
        assert first.data == second.data and first.headers == second.headers
        assert re.search(r'id="first-paint"', second.get_data(as_text=True))  # the whole page, drawn
        client.get("/api/v1/waves")
        client.get("/api/v1/waves")
        assert entered == ["/en/compare", "/api/v1/waves", "/api/v1/waves"]  # data answers are not pages
        # a conditional request is answered by the app (304)
        etag = first.headers["ETag"]
        assert client.get("/en/compare?countries=DK,FI", headers={"If-None-Match": etag}).status_code == 304
        queue_worker._current.waited_s = 5.0  # the worker is beyond capacity: a new visit is refused
        try:
            assert client.get("/en/compare?countries=DK,FI").status_code == 503
        finally:
            queue_worker._current.waited_s = None
        assert client.get("/en/compare?countries=DK,FI").data == first.data
    finally:
        app.server.extensions["barometer_db"].close()
