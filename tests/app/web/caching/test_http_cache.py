"""HTTP caching (app/web/caching/http_cache.py): Cache-Control and ETags on the app's GETs, 304 on If-None-Match, and
a new
ETL run changing every data ETag and every answer, with the query cache on files and on a real redis-server."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from app.factory import create_app
from app.web.caching.http_cache import answer_variant, code_version, data_etag, matches
from core.config import Settings
from etl.pipeline import run_etl
from tests.app.conftest import app_settings
from tests.hardening.hardening_helpers import call

COMPARE_IS = "/api/v1/estimates?countries=IS&indicator=innovative"
DATA_PATHS = [COMPARE_IS, "/api/v1/waves", "/api/v1/reference?lang=fi", "/download/compare.csv?countries=IS",
              "/download/compare.xlsx?countries=IS", "/en/compare?countries=IS", "/embed/fi/profile?country=IS"]
WEAK_ETAG = re.compile(r'^W/"[a-z]-[0-9a-f]{20}"$')


def bundle_paths(client: FlaskClient) -> list[str]:
    html = client.get("/en/compare").get_data(as_text=True)
    return re.findall(r'(?:src|href)="(/(?:_dash-component-suites|assets)/[^"]+)"', html)


@pytest.mark.parametrize("path", DATA_PATHS)
def test_data_answers_carry_an_etag_and_are_304_when_it_matches(client: FlaskClient, path: str) -> None:
    first = client.get(path)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert WEAK_ETAG.match(etag) and etag.startswith('W/"d-')
    assert first.headers["Cache-Control"] == "public, max-age=10, must-revalidate"

    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    # a proxy or browser may send the tag as the compressed variant, or among others
    assert client.get(path, headers={"If-None-Match": f'"x", {etag[:-1]}:gzip"'}).status_code == 304
    assert client.get(path, headers={"If-None-Match": 'W/"d-0000"'}).status_code == 200


def test_data_etags_name_the_data_version_and_the_address(client: FlaskClient, dash_app) -> None:
    version = dash_app.server.extensions["barometer_db"].data_version()
    one, other = client.get(COMPARE_IS), client.get(COMPARE_IS + "&lang=sv")
    assert one.headers["ETag"] != other.headers["ETag"]
    with dash_app.server.test_request_context(COMPARE_IS):
        variant = answer_variant()
    assert one.headers["ETag"] == data_etag(version, code_version(), COMPARE_IS, variant)
    assert data_etag("another-version", code_version(), COMPARE_IS, variant) != one.headers["ETag"]
    assert data_etag(version, code_version(), COMPARE_IS, variant.replace("https:", "http:")) != one.headers["ETag"]


def test_versioned_bundles_are_immutable_and_304_when_revalidated(client: FlaskClient) -> None:
    paths = bundle_paths(client)
    assert any(p.startswith("/_dash-component-suites/") for p in paths)
    assert any(p.startswith("/assets/") and "?m=" in p for p in paths)
    for path in paths:
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", path
        etag = response.headers["ETag"]
        assert WEAK_ETAG.match(etag), path
        again = client.get(path, headers={"If-None-Match": etag, "Accept-Encoding": "gzip"})
        assert (again.status_code, again.data) == (304, b""), path


def test_the_favicon_and_unversioned_package_chunks_are_cacheable(client: FlaskClient) -> None:
    favicon = client.get("/_favicon.ico?v=4")
    assert favicon.status_code == 200 and favicon.headers["Cache-Control"].endswith("immutable")
    chunk = "/_dash-component-suites/dash/dcc/async-graph.js"
    first = client.get(chunk)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "public, max-age=10, must-revalidate"
    again = client.get(chunk, headers={"If-None-Match": first.headers["ETag"]})
    assert (again.status_code, again.data) == (304, b"")
    assert "Cache-Control" not in client.get("/_favicon.ico").headers  # no version in the address: not cached


def test_dash_shells_revalidate_and_callbacks_are_never_cached(client: FlaskClient, dash_app) -> None:
    for path in ("/_dash-layout", "/_dash-dependencies"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=10, must-revalidate"
        assert client.get(path, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    missing = client.get("/api/v1/no-such-endpoint")
    assert missing.status_code == 404 and missing.headers["Cache-Control"] == "no-store"
    assert "Cache-Control" not in client.get("/healthz").headers
    key = next(k for k in dash_app.callback_map if k.startswith("..cmp-results.children"))
    posted = call(client, dash_app, key, ["innovative", "yes", ["IS"], [], "all", "all", "bar", "chart", [1], "auto"],
                  ["en"])
    assert posted.status_code == 200
    assert "ETag" not in posted.headers and "public" not in posted.headers.get("Cache-Control", "")


def test_a_page_drawn_without_its_first_paint_is_never_kept(client: FlaskClient, monkeypatch) -> None:
    from app.web import router

    def fails(*_args, **_kwargs):
        raise RuntimeError("a drawing failed")

    monkeypatch.setattr(router, "render", fails)
    page = client.get("/en/profile?country=NO&level=state")  # an address no earlier test drew
    assert page.status_code == 200 and 'id="first-paint"' not in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store" and "ETag" not in page.headers


def test_matches_is_a_weak_comparison() -> None:
    assert matches('W/"d-1"', 'W/"d-1"') and matches('"d-1"', 'W/"d-1"') and matches("*", 'W/"d-1"')
    assert matches('W/"d-1:zstd"', 'W/"d-1"')
    assert not matches(None, 'W/"d-1"') and not matches('W/"d-2"', 'W/"d-1"') and not matches("", 'W/"d-1"')


# ---------------------------------------------------------------------------------------------------------
# A new ETL run invalidates every cached answer
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture(params=["file", "redis"])
def reloadable_app(request: pytest.FixtureRequest, empty_db: str, tmp_path: Path) -> Iterator[tuple]:
    """An app on a database of Iceland's waves, query cache on files or on a real redis-server; the data
    version is re-read on every request so a reload shows at once."""
    run_etl(empty_db, countries=["IS"], settings=Settings(cache_dir=tmp_path / "etl"))
    redis_url = request.getfixturevalue("redis_url") if request.param == "redis" else None
    settings = app_settings(tmp_path, redis_url=redis_url, app_data_version_ttl_s=0)
    app = create_app(empty_db, settings=settings)
    yield app, empty_db, tmp_path
    app.server.extensions["barometer_db"].close()


def compare_figure(client: FlaskClient, app) -> str:
    key = next(k for k in app.callback_map if k.startswith("..cmp-results.children"))
    response = call(client, app, key, ["innovative", "yes", ["IS"], [], "all", "all", "bar", "chart", [1], "auto"],
                    ["en"])
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_new_etl_run_changes_every_etag_and_no_old_answer_is_served(reloadable_app) -> None:
    app, url, tmp_path = reloadable_app
    client = app.server.test_client()
    before = {path: client.get(path) for path in DATA_PATHS}
    figure_before = compare_figure(client, app)
    assert compare_figure(client, app) == figure_before  # the second answer came from the query cache
    cache_backend = type(app.server.extensions["barometer_db"].cache.cache).__name__
    assert cache_backend == ("RedisCache" if app.server.extensions["barometer_db"].settings.redis_url
                             else "FileSystemCache")

    # the same waves loaded again with a stricter minimum cell size: same addresses, different answers
    run_etl(url, countries=["IS"], settings=Settings(cache_dir=tmp_path / "etl2", min_cell_n=100_000))

    for path, old in before.items():
        new = client.get(path, headers={"If-None-Match": old.headers["ETag"]})
        assert new.status_code == 200, f"{path}: the old ETag still matched after a new ETL run"
        assert new.headers["ETag"] != old.headers["ETag"], path
        assert client.get(path).headers["ETag"] == new.headers["ETag"], f"{path}: an old answer kept in memory"
        if path not in ("/api/v1/waves", "/api/v1/reference?lang=fi"):  # these do not show the minimum n
            assert new.data != old.data, path

    def shares(body: bytes) -> list:
        return [row["share_pct"] for row in json.loads(body)["data"] if row["row_type"] == "estimate"]

    assert shares(before[COMPARE_IS].data) and all(share is not None for share in shares(before[COMPARE_IS].data))
    assert all(share is None for share in shares(client.get(COMPARE_IS).data))  # every cell now suppressed
    assert compare_figure(client, app) != figure_before
