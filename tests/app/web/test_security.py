"""Security headers: the opener policy goes only where browsers apply it (secure contexts), so a plain-http
hall address gets no console error about an ignored header on every page."""

from __future__ import annotations

import pytest

from app.web.security import trustworthy_origin

COOP = "Cross-Origin-Opener-Policy"


@pytest.mark.parametrize(("scheme", "host", "trusted"), [
    ("https", "barometer.example.org", True),
    ("http", "localhost:8050", True),
    ("http", "app.localhost", True),
    ("http", "127.0.0.1:8050", True),
    ("http", "127.0.0.2", True),  # all of 127.0.0.0/8 is loopback, and Chromium trusts it
    ("http", "[::1]:8050", True),
    ("http", "192.168.1.20:8050", False),  # a hall address
    ("http", "barometer.hall.test", False),
    ("http", "localhost.example.org", False),
])
def test_which_origins_browsers_trust(scheme: str, host: str, trusted: bool) -> None:
    assert trustworthy_origin(scheme, host) is trusted


def test_the_opener_policy_is_sent_on_secure_contexts_only(client) -> None:
    assert client.get("/en/compare").headers[COOP] == "same-origin"  # the test client's localhost
    assert client.get("/en/compare", base_url="https://barometer.example.org").headers[COOP] == "same-origin"
    hall = client.get("/en/compare", base_url="http://192.168.1.20:8050")
    assert hall.status_code == 200 and COOP not in hall.headers
    assert hall.headers["X-Frame-Options"] == "DENY"  # the other headers stay
