"""QR code of the current view (presentation mode), as an inline SVG image, and the public address it encodes."""

from __future__ import annotations

import base64
import ipaddress
from urllib.parse import urlsplit

import flask
import qrcode
import qrcode.image.svg
from dash import html

from app.app_database import EXTENSION
from app.links import short_path
from core.config import get_settings

MAX_QR_VERSION = 4  # 33x33 modules: still decodes when the code is shown about 128 px wide


def public_base() -> str:
    """PUBLIC_URL when set (the address people reach the site at), else the address of this request (as the
    last trusted proxy saw it, when TRUSTED_PROXIES is set: app/factory.py reads X-Forwarded-*)."""
    base = None
    if flask.has_app_context() and EXTENSION in flask.current_app.extensions:
        base = flask.current_app.extensions[EXTENSION].settings.public_url
    else:
        base = get_settings().public_url
    if not base and flask.has_request_context():
        base = flask.request.host_url
    return (base or "http://127.0.0.1:8050/").rstrip("/")


def is_loopback(url: str) -> bool:
    """True when ``url`` points at this machine only (no one else can open it)."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def qr_code(text: str) -> qrcode.QRCode:
    """The smallest QR code holding ``text`` (error correction M: a quarter of it may be unreadable)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=2,
                         image_factory=qrcode.image.svg.SvgPathImage)
    code.add_data(text)
    code.make(fit=True)
    return code


def qr_svg_data_uri(text: str) -> str:
    svg = qr_code(text).make_image().to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def qr_figure(relative_url: str, caption: str) -> html.Figure:
    """The QR code of the view's short link and, under it, the address it encodes (the full address when no
    short link can be stored)."""
    url = public_base() + short_path(relative_url)
    return html.Figure([
        html.Img(src=qr_svg_data_uri(url), alt=caption, className="qr-image", id="qr-code",
                 **{"data-url": url}),
        html.Figcaption([caption, html.Br(), html.Code(url, className="qr-url")]),
    ], className="qr")
