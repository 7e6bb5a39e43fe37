"""Browser tests: the app served on a free loopback port (a thread, against ``loaded_db``) and headless
Debian Chromium driven by Playwright."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app.factory import create_app
from core.config import LOOPBACK_HOSTS, Settings
from tests.services import require_binary

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
VENUE_HOST = "barometer.hall.test"  # a name that is not loopback, mapped to the test server by Chromium
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


# Module scope: the server thread and the browser driver end with the browser tests, so no thread lingers
# into later tests (some of which fork).
@pytest.fixture(scope="module")
def live_server(loaded_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    # without PUBLIC_URL, links name a request's Host only when it is trusted: the loopback names and the venue
    # name some tests give the server (a phone on a hall's network reaches it by that name)
    settings = Settings(cache_dir=tmp_path_factory.mktemp("e2e-cache"), readonly_database_url=None, public_url=None,
                        trusted_hosts=(*LOOPBACK_HOSTS.split(","), f"{VENUE_HOST}:*"))
    app = create_app(loaded_db, settings=settings)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request in the test output
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    app.server.extensions["barometer_db"].close()


@pytest.fixture(scope="module")
def browser() -> Iterator:
    require_binary(CHROMIUM, "chromium")  # skipped off CI, a failure on CI
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server: str) -> Iterator:
    """A fresh browser page; console errors (e.g. CSP violations) are collected on ``page.errors``, and ``goto``
    returns once the live page has taken over from the document's first paint."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True,
                                  base_url=live_server)
    new_page = context.new_page()
    new_page.errors = []
    new_page.on("console", lambda m: m.type == "error" and new_page.errors.append(m.text))
    new_page.on("pageerror", lambda e: new_page.errors.append(str(e)))
    new_page.set_default_timeout(20_000)
    opened = new_page.goto

    def goto(url: str, **kwargs):  # a page's tests start from the live page (the first paint has tests of its own)
        response = opened(url, **kwargs)
        if new_page.locator("#first-paint").count():
            live(new_page)
        return response

    new_page.goto = goto
    yield new_page
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: E2E_SCREENSHOT_DIR if set (to look at them), else a temporary folder."""
    target = os.environ.get("E2E_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        return Path(target)
    return tmp_path_factory.mktemp("screenshots")


def live(page) -> None:
    """Wait until the live page has taken over from the document's first paint (assets/first-paint.js: on the
    first interaction, or after a few idle seconds) and drawn its page."""
    page.wait_for_selector("#react-entry-point #main", state="attached")
    page.wait_for_selector("#first-paint", state="detached")


def hold_first_paint(page) -> None:
    """Keep the first paint on screen: the page never idles (no requestIdleCallback) and Dash's and plotly's
    bundles are not served, so the document is seen as it is before any of them runs (do not interact)."""
    page.add_init_script("window.requestIdleCallback = function () { return 0; };")
    page.route("**/_dash-component-suites/**", lambda route: route.abort())
