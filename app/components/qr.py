"""QR codes (presentation mode, decks) as inline SVG images (PNG for PowerPoint), and whether an address
reaches beyond this machine."""

from __future__ import annotations

import base64
import io
import ipaddress
from urllib.parse import urlsplit

import qrcode
import qrcode.image.pil
import qrcode.image.svg
from dash import html

MAX_QR_VERSION = 4  # 33x33 modules: still decodes when the code is shown about 128 px wide


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


def qr_png(text: str) -> bytes:
    """The QR code of ``text`` as a PNG image (for files that take no SVG, such as PowerPoint's)."""
    buffer = io.BytesIO()
    qr_code(text).make_image(image_factory=qrcode.image.pil.PilImage).save(buffer)
    return buffer.getvalue()


def qr_figure(url: str, caption: str) -> html.Figure:
    """The QR code of ``url`` (the view's public short link, written by the web layer before the page is drawn)
    and, under it, the address it encodes."""
    return html.Figure([
        html.Img(src=qr_svg_data_uri(url), alt=caption, className="qr-image", id="qr-code",
                 **{"data-url": url}),
        html.Figcaption([caption, html.Br(), html.Code(url, className="qr-url")]),
    ], className="qr")
