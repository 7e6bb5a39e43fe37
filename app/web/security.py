"""Security headers on every response: CSP (what Dash and plotly need, nothing more), nosniff, referrer
policy, no framing except under /embed, and the opener policy where a browser applies it."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from urllib.parse import urlsplit

from flask import Flask, Response, request

EMBED_PREFIX = "/embed"


def content_security_policy(script_hashes: Sequence[str], *, embed: bool) -> str:
    directives = {
        "default-src": ["'self'"],
        # Dash's inline renderer bootstrap and clientside callbacks are allowed by hash, not 'unsafe-inline'
        "script-src": ["'self'", *script_hashes],
        # plotly writes <style> elements and style attributes
        "style-src": ["'self'", "'unsafe-inline'"],
        # QR codes are data: URIs; plotly's image export uses data: and blob:
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["*"] if embed else ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def security_headers(script_hashes: Sequence[str], *, embed: bool) -> dict[str, str]:
    """The headers every response carries (a plain page may replace the CSP with its own, narrower one)."""
    headers = {
        "Content-Security-Policy": content_security_policy(script_hashes, embed=embed),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }
    if not embed:
        headers["X-Frame-Options"] = "DENY"
    return headers


OPENER_POLICY = ("Cross-Origin-Opener-Policy", "same-origin")


def trustworthy_origin(scheme: str, host: str) -> bool:
    """Whether browsers treat ``scheme://host`` as a secure context: https, or a loopback name or address.
    Only there do they apply Cross-Origin-Opener-Policy; on a plain-http hall address Chromium ignores it and
    logs an error on every page, so it is not sent there."""
    if scheme in ("https", "wss"):
        return True
    name = (urlsplit(f"//{host}").hostname or "").rstrip(".")  # lower case, without port or brackets
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def install_security_headers(server: Flask, script_hashes: Sequence[str]) -> dict[bool, dict[str, str]]:
    """Add the headers to every response; returns them by ``embed`` (for answers given before Flask)."""
    headers = {embed: security_headers(script_hashes, embed=embed) for embed in (False, True)}

    @server.after_request
    def add_headers(response: Response) -> Response:
        embed = request.path == EMBED_PREFIX or request.path.startswith(EMBED_PREFIX + "/")
        for name, value in headers[embed].items():
            if name != "Content-Security-Policy" or name not in response.headers:
                response.headers[name] = value
        if trustworthy_origin(request.scheme, request.host):
            response.headers[OPENER_POLICY[0]] = OPENER_POLICY[1]
        return response

    return headers
