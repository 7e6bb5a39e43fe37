"""Admission control (app/web/admission.py, app/web/queue_worker.py): a request that waited too long for a thread
gets a 503 with Retry-After without running, in the visitor's language for a page; the presenter, followers and
health checks are never refused; under gunicorn the worker measures the wait for real."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import urllib.error
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from app.i18n import t
from app.web import queue_worker
from app.web.admission import IN_VISIT_FACTOR, IN_VISIT_FLOOR_S, RELOAD_SPREAD_S, RETRY_AFTER_S, Admission
from tests.services import LOOPBACK, free_port, started

SECURITY = {"X-Content-Type-Options": "nosniff"}


def call(middleware: Admission, path: str, *, method: str = "GET", query: str = "", waited: float | None
         ) -> tuple[str, dict[str, str], bytes]:
    """``path`` through the middleware in a thread whose request waited ``waited`` seconds for it."""
    answered: list[Any] = []
    queue_worker._current.waited_s = waited
    try:
        body = b"".join(middleware({"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query},
                                   lambda status, headers, exc_info=None: answered.append((status, headers))))
    finally:
        queue_worker._current.waited_s = None
    status, headers = answered[0]
    return status, dict(headers), body


@pytest.fixture
def admission() -> Admission:
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"served"]

    return Admission(app, 0.1, SECURITY, "en")


def test_a_page_that_waited_too_long_is_a_busy_page_in_its_language_that_reloads_itself(
    admission: Admission,
) -> None:
    status, headers, body = call(admission, "/sv/compare", query="indicator=innovative", waited=0.5)
    assert status.startswith("503") and headers["Retry-After"] == str(RETRY_AFTER_S)
    assert headers["Cache-Control"] == "no-store" and headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Type"].startswith("text/html") and int(headers["Content-Length"]) == len(body)
    page = body.decode()
    assert '<html lang="sv">' in page and t("sv", "busy_title") in page and t("sv", "busy_message") in page
    assert "<script" not in page
    reload_s = int(re.search(r'http-equiv="refresh" content="(\d+)"', page).group(1))
    assert RETRY_AFTER_S <= reload_s <= RETRY_AFTER_S + RELOAD_SPREAD_S
    assert '<html lang="fi">' in call(admission, "/compare", query="lang=fi", waited=0.5)[2].decode()


def test_a_visit_under_way_may_wait_longer_before_its_requests_get_a_json_503(admission: Admission) -> None:
    patient = max(0.1 * IN_VISIT_FACTOR, IN_VISIT_FLOOR_S)  # the fixture's pages wait at most 0.1 s
    assert admission.in_visit_wait_s == patient == 0.5
    assert Admission(admission.app, 0.25, SECURITY, "en").in_visit_wait_s == 1.0  # the factor beyond the floor
    for method, path in (("POST", "/_dash-update-component"), ("GET", "/api/v1/waves"), ("GET", "/_dash-layout")):
        assert call(admission, path, method=method, waited=patient * 0.9)[2] == b"served"
        assert call(admission, "/en/compare", waited=patient * 0.9)[0].startswith("503")  # a new visit would not
        status, headers, body = call(admission, path, method=method, waited=patient * 1.1)
        assert status.startswith("503") and headers["Retry-After"] == str(RETRY_AFTER_S)
        assert json.loads(body)["error"] == "busy" and headers["Content-Type"] == "application/json"


def test_requests_that_did_not_wait_long_and_the_never_refused_ones_are_served(admission: Admission) -> None:
    assert call(admission, "/en/compare", waited=0.05)[2] == b"served"
    assert call(admission, "/en/compare", waited=None)[2] == b"served"  # not under the queue-timing worker
    for path, method in (("/healthz", "GET"), ("/api/decks/abc/state", "GET"), ("/api/decks/abc/current", "POST")):
        assert call(admission, path, method=method, waited=5.0)[2] == b"served", path
    never = Admission(admission.app, 0, SECURITY, "en")  # ADMISSION_WAIT_MS=0: admission control off
    assert call(never, "/en/compare", waited=60.0)[2] == b"served"


# -- under gunicorn, with the worker that times the queue ----------------------------------------------------

SLOW_APP = '''import time

from app.web.admission import Admission


def plain(environ, start_response):
    if environ["PATH_INFO"] == "/slow":
        time.sleep(1.5)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [environ["PATH_INFO"].encode()]


server = Admission(plain, 0.2, {}, "en")
'''


@pytest.fixture
def one_thread_server(tmp_path: Path) -> Iterator[str]:
    """gunicorn as app/serve.py runs it, one worker with one thread, serving SLOW_APP: its URL."""
    from app.serve import gunicorn_command

    (tmp_path / "slow_app.py").write_text(SLOW_APP)
    port = free_port()
    command = gunicorn_command("127.0.0.1", port, workers=1, threads=1)
    command[0] = sys.executable
    command[command.index("app.wsgi:server")] = "slow_app:server"
    command += ["--pythonpath", str(tmp_path), "--no-control-socket"]
    with started(command, port, tmp_path, "gunicorn"):
        yield f"http://127.0.0.1:{port}"


def status_of(url: str) -> int:
    try:
        with LOOPBACK.open(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.slow
def test_under_gunicorn_requests_queued_behind_a_busy_thread_are_refused_and_the_rest_served(
    one_thread_server: str,
) -> None:
    assert status_of(one_thread_server + "/fast") == 200  # the worker is up and nothing queues
    with ThreadPoolExecutor(max_workers=4) as pool:
        slow = pool.submit(status_of, one_thread_server + "/slow")
        time.sleep(0.3)  # the slow request holds the only thread
        queued = [pool.submit(status_of, one_thread_server + "/fast") for _ in range(3)]
        assert slow.result() == 200
        assert [f.result() for f in queued] == [503, 503, 503]
    assert status_of(one_thread_server + "/fast") == 200


def test_gunicorn_is_given_the_queue_timing_worker_and_the_backlog() -> None:
    from app.serve import gunicorn_command

    command = gunicorn_command("127.0.0.1", 8050, 2, threads=2, backlog=512)
    assert command[command.index("--worker-class") + 1] == "app.web.queue_worker.QueueTimedWorker"
    assert command[command.index("--backlog") + 1] == "512"
    subprocess.run([sys.executable, "-c", "import app.web.queue_worker"], check=True)  # no app, no database
