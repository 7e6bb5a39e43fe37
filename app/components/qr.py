"""QR code of the current view (presentation mode), as an inline SVG image."""

from __future__ import annotations

import base64

import flask
import qrcode
import qrcode.image.svg
from dash import html

from app.app_database import EXTENSION
from core.config import get_settings


def public_base() -> str:
    """PUBLIC_URL when set (the address people reach the site at), else the address of this request."""
    base = None
    if flask.has_app_context() and EXTENSION in flask.current_app.extensions:
        base = flask.current_app.extensions[EXTENSION].settings.public_url
    else:
        base = get_settings().public_url
    if not base and flask.has_request_context():
        base = flask.request.host_url
    return (base or "http://127.0.0.1:8050/").rstrip("/")


def qr_svg_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def qr_figure(relative_url: str, caption: str) -> html.Figure:
    """The QR code and, under it, the address it encodes."""
    url = public_base() + relative_url
    return html.Figure([
        html.Img(src=qr_svg_data_uri(url), alt=caption, className="qr-image", id="qr-code"),
        html.Figcaption([caption, html.Br(), html.Code(url, className="qr-url")]),
    ], className="qr")
