"""Security headers on every kind of response, and a CSP that still lets Dash run.

- Every response: Content-Security-Policy, X-Content-Type-Options: nosniff, Referrer-Policy.
- Framing forbidden (frame-ancestors 'none' and X-Frame-Options: DENY) everywhere except under /embed.
- The CSP allows exactly what the Dash page loads: same-origin scripts and styles, and each inline script by
  its hash (no 'unsafe-inline' or 'unsafe-eval' for scripts); with nosniff, every script must be served with a
  JavaScript MIME type or browsers refuse it.
"""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser

import pytest
from hardening_helpers import CALLBACK_URL, route

JS_TYPES = {"", "text/javascript", "application/javascript", "module"}


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


class PageResources(HTMLParser):
    """External scripts and stylesheets, and the text of every inline script the browser would run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.inline: list[str] = []
        self._in_script = False
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            if attributes.get("src"):
                self.scripts.append(attributes["src"] or "")
            elif (attributes.get("type") or "").lower() in JS_TYPES:
                self._in_script, self._text = True, ""
        elif tag == "link" and attributes.get("rel") == "stylesheet":
            self.styles.append(attributes.get("href") or "")

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script:
            self.inline.append(self._text)
            self._in_script = False


def assert_secure(response, *, framable: bool = False) -> None:
    headers = response.headers
    assert headers.get("X-Content-Type-Options") == "nosniff", response.request.path
    assert headers.get("Referrer-Policy") in ("strict-origin-when-cross-origin", "no-referrer", "same-origin")
    csp = csp_directives(headers.get("Content-Security-Policy", ""))
    assert csp.get("default-src") == ["'self'"] and csp.get("object-src") == ["'none'"], response.request.path
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert csp.get("base-uri") == ["'self'"]
    if framable:
        assert "X-Frame-Options" not in headers and csp["frame-ancestors"] != ["'none'"], response.request.path
    else:
        assert headers.get("X-Frame-Options") == "DENY", response.request.path
        assert csp["frame-ancestors"] == ["'none'"], response.request.path


def _first_asset(client, kind: str) -> str:
    page = PageResources()
    page.feed(client.get("/en/").get_data(as_text=True))
    return (page.scripts if kind == "script" else page.styles)[0]


REQUESTS = [
    ("GET", "/en/", 200), ("GET", "/nb/compare?countries=DK", 200), ("GET", "/en/no-such-page", 404),
    ("GET", "/", 200), ("GET", "/api/v1", 200), ("GET", "/api/v1/estimates?countries=DK", 200),
    ("GET", "/api/v1/estimates?level=galactic", 400), ("GET", "/api/v1/nothing", 404),
    ("GET", "/download/compare.csv", 200), ("GET", "/download/profile.xlsx?country=IS", 200),
    ("GET", "/download/compare.pdf", 404), ("GET", "/healthz", 200), ("GET", "/_dash-layout", 200),
    ("GET", "/_dash-dependencies", 200), ("GET", "/assets/no-such-file.css", 404), ("POST", "/api/v1", 405),
    ("POST", CALLBACK_URL, 400), ("GET", "/embedded/en/compare", 404), ("GET", "/en/embed", 404),
]


@pytest.mark.parametrize(("method", "path", "status"), REQUESTS)
def test_every_kind_of_response_carries_the_headers(hclient, method: str, path: str, status: int) -> None:
    response = hclient.open(path, method=method, json={} if method == "POST" else None)
    assert response.status_code == status
    assert_secure(response)


def test_assets_and_callbacks_carry_the_headers(hard_app, hclient) -> None:
    for url in (_first_asset(hclient, "script"), _first_asset(hclient, "style")):
        response = hclient.get(url)
        assert response.status_code == 200
        assert_secure(response)
    drawn = route(hclient, hard_app, "/en/compare", "")
    assert drawn.status_code == 200
    assert_secure(drawn)


@pytest.mark.parametrize("path", ["/embed/en/compare?countries=DK", "/embed/nb/profile?country=NO",
                                  "/embed/en/types-values", "/embed"])
def test_only_embed_pages_may_be_framed(hclient, path: str) -> None:
    response = hclient.get(path)
    assert_secure(response, framable=True)
    assert csp_directives(response.headers["Content-Security-Policy"])["frame-ancestors"] == ["*"]


@pytest.mark.parametrize("path", ["/en/compare", "/embed/en/compare"])
def test_the_csp_allows_exactly_what_the_dash_page_loads(hclient, path: str) -> None:
    response = hclient.get(path)
    csp = csp_directives(response.headers["Content-Security-Policy"])
    page = PageResources()
    page.feed(response.get_data(as_text=True))
    assert len(page.scripts) >= 3 and page.inline, "the page no longer looks like a Dash page"
    for src in page.scripts + page.styles:
        assert src.startswith("/") and not src.startswith("//"), f"{src} is not same-origin: the CSP blocks it"
    allowed_hashes = {h for h in csp["script-src"] if h.startswith("'sha256-")}
    for script in page.inline:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in allowed_hashes, f"inline script not allowed by the CSP: {script[:80]!r}"
    assert len(allowed_hashes) == len(set(page.inline)), "the CSP allows inline scripts the page does not have"


def test_scripts_and_styles_have_mime_types_browsers_accept_under_nosniff(hclient) -> None:
    page = PageResources()
    page.feed(hclient.get("/en/").get_data(as_text=True))
    for src in page.scripts:
        response = hclient.get(src)
        assert response.status_code == 200, src
        assert response.mimetype in ("application/javascript", "text/javascript"), (src, response.mimetype)
    for href in page.styles:
        response = hclient.get(href)
        assert response.status_code == 200 and response.mimetype == "text/css", href
