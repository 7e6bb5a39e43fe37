"""Constant answers from memory (app/web/caching/immutable.py): a versioned bundle (or a package chunk or shell,
which the app marks constant) is served by the app once per encoding, then from memory byte for byte with the
app's headers; nothing the app did not mark, and no conditional request, is ever answered from memory."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import flask

from app.web.caching.immutable import ImmutableAnswers

GZIP = "gzip, deflate, br, zstd"


class Counting:
    """A WSGI app answering /bundle.js as immutable and anything else as revalidated, counting its calls."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, environ: dict[str, Any], start_response) -> list[bytes]:
        self.calls.append(environ["PATH_INFO"])
        immutable = environ["PATH_INFO"] == "/bundle.js"
        cache = "public, max-age=31536000, immutable" if immutable else "public, max-age=10, must-revalidate"
        encoding = environ.get("HTTP_ACCEPT_ENCODING", "")
        start_response("200 OK", [("Cache-Control", cache), ("Content-Encoding", encoding or "identity"),
                                  ("ETag", 'W/"b-1"')])
        return [b"body for ", encoding.encode(), b" #", str(len(self.calls)).encode()]


def get(app: ImmutableAnswers, path: str, **headers: str) -> tuple[str, list[tuple[str, str]], bytes]:
    answered: list[Any] = []
    environ = {"REQUEST_METHOD": headers.pop("method", "GET"), "PATH_INFO": path, "QUERY_STRING": "v=1",
               **{f"HTTP_{k.upper()}": v for k, v in headers.items()}}
    body = b"".join(app(environ, lambda status, h, exc_info=None: answered.append((status, h))))
    return answered[0][0], answered[0][1], body


def test_an_immutable_answer_is_served_from_memory_per_encoding_with_the_apps_headers() -> None:
    inner = Counting()
    app = ImmutableAnswers(inner)
    first = get(app, "/bundle.js", accept_encoding=GZIP)
    assert first == get(app, "/bundle.js", accept_encoding=GZIP) and inner.calls == ["/bundle.js"]
    plain = get(app, "/bundle.js")
    assert plain[2] == b"body for  #2" and inner.calls == ["/bundle.js"] * 2  # another encoding: asked once
    assert get(app, "/bundle.js") == plain and len(inner.calls) == 2


def test_revalidated_conditional_and_non_get_requests_always_reach_the_app() -> None:
    inner = Counting()
    app = ImmutableAnswers(inner)
    for _ in range(2):
        get(app, "/api/v1/waves")
        get(app, "/bundle.js", if_none_match='W/"b-1"')
        get(app, "/bundle.js", range="bytes=0-10")
        get(app, "/bundle.js", method="HEAD")
    assert inner.calls == ["/api/v1/waves", "/bundle.js", "/bundle.js", "/bundle.js"] * 2


def test_memory_is_bounded() -> None:
    inner = Counting()
    app = ImmutableAnswers(inner, max_entries=2)
    for encoding in ("a", "b", "c", "a"):
        get(app, "/bundle.js", accept_encoding=encoding)
    assert len(inner.calls) == 4  # "a" was dropped when "c" came
    for round_ in range(10):
        get(app, "/bundle.js", accept_encoding=f"made-up-{round_}")
    assert len(app._heads) <= 4 and len(app._bodies) <= 2


def test_the_apps_bundles_are_answered_from_memory_without_entering_flask(loaded_db: str, tmp_path: Path) -> None:
    from app.factory import create_app
    from tests.app.conftest import app_settings

    app = create_app(loaded_db, settings=app_settings(tmp_path))
    entered: list[str] = []

    def entering(_sender: object, **_extra: object) -> None:
        entered.append(flask.request.path)

    flask.request_started.connect(entering, app.server)
    try:
        client = app.server.test_client()
        page = client.get("/en/compare").get_data(as_text=True)
        bundle = next(s for s in re.findall(r'<script src="([^"]+)"', page) if "renderer" in s)
        answers = [client.get(bundle, headers={"Accept-Encoding": GZIP}) for _ in range(3)]
        assert entered.count(bundle.split("?")[0]) == 1
        assert len({(a.status_code, a.data, tuple(sorted(a.headers.items()))) for a in answers}) == 1
        assert answers[0].headers["Content-Encoding"] in ("zstd", "br", "gzip")
        assert "immutable" in answers[0].headers["Cache-Control"] and answers[0].headers["X-Frame-Options"] == "DENY"
        etag = answers[0].headers["ETag"]
        assert client.get(bundle, headers={"If-None-Match": etag}).status_code == 304  # the app answers these
        assert entered.count(bundle.split("?")[0]) == 2
        entered.clear()
        # revalidated by browsers, yet the same while the worker runs: Dash's unversioned chunks and shells
        constant = ["/_dash-component-suites/dash/dcc/async-graph.js", "/_dash-dependencies", "/_dash-layout"]
        for path in constant * 3:
            answer = client.get(path, headers={"Accept-Encoding": GZIP})
            assert answer.status_code == 200 and "must-revalidate" in answer.headers["Cache-Control"], path
        assert entered == constant
        entered.clear()
        for path in ("/en/compare", "/api/v1/waves") * 2:
            client.get(path)
        # data answers are never kept; the page asked above is, behind admission control (test_page_answers.py)
        assert entered == ["/api/v1/waves"] * 2
    finally:
        app.server.extensions["barometer_db"].close()
