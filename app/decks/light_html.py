"""Plain server-rendered pages without the Dash bundle (deck page, presenter entry, follow page): a document
skeleton with a Content-Security-Policy of its own, which allows its one inline script by hash."""

from __future__ import annotations

import base64
import hashlib
from html import escape

from flask import Response

from app.web.security import content_security_policy

BASE_STYLE = """
:root{--ink:#1b1f24;--muted:#4a5360;--line:#c9ced6;--accent:#0b5cad;--warn:#8a4b00}
*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);
background:#fff;line-height:1.45}main{max-width:60rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem;margin:.5rem 0}
h2{font-size:1.2rem;margin:.5rem 0}a{color:var(--accent)}.button{display:inline-block;padding:.55rem .9rem;
border:1px solid var(--accent);border-radius:.4rem;background:#fff;color:var(--accent);font:inherit;
text-decoration:none;cursor:pointer;min-height:44px}
.button:focus-visible,a:focus-visible,input:focus-visible{outline:3px solid #f0a000;outline-offset:2px}
.button.primary{background:var(--accent);color:#fff}.button[disabled]{opacity:.45;cursor:default}
.demo{display:inline-block;background:#fff3cd;color:#5c3c00;border:1px solid #d9a400;padding:.1rem .4rem;
border-radius:.3rem;font-weight:600;font-size:.85rem}.muted{color:var(--muted)}
"""


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def light_page(lang: str, title: str, body: str, *, script: str = "", style: str = "",
               status: int = 200) -> Response:
    """A whole HTML document; ``body`` is markup already escaped by the caller."""
    document = (f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                '<link rel="icon" href="data:,">'  # no favicon request from a thousand phones
                f"<title>{escape(title)}</title><style>{BASE_STYLE}{style}</style></head>"
                f"<body>{body}{f'<script>{script}</script>' if script else ''}</body></html>")
    response = Response(document, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    # this page's own policy: its one inline script by hash, and nothing of the Dash pages' scripts
    response.headers["Content-Security-Policy"] = content_security_policy(
        [script_hash(script)] if script else [], embed=False)
    return response
