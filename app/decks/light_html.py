"""Plain server-rendered pages without the Dash bundle (deck page, presenter entry, follow page): a document
skeleton with a Content-Security-Policy of its own, which allows its one inline script by hash (the styles and
scripts are files in app/decks/static/, inlined as they are: the hash is computed from the text inlined)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from html import escape

from flask import Response

from app.decks.static_files import static_text
from app.web.security import content_security_policy


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def light_page(lang: str, title: str, body: str, *, script: str = "", style: str = "",
               scripts: Sequence[str] = (), status: int = 200) -> Response:
    """A whole HTML document; ``body`` is markup already escaped by the caller. ``style`` follows the common
    rules (app/decks/static/base.css); ``scripts`` are same-origin script addresses, run before ``script``."""
    sources = "".join(f'<script src="{escape(src)}"></script>' for src in scripts)
    document = (f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                '<link rel="icon" href="data:,">'  # no favicon request from a thousand phones
                f"<title>{escape(title)}</title><style>{static_text('base.css')}{style}</style></head>"
                f"<body>{body}{sources}{f'<script>{script}</script>' if script else ''}</body></html>")
    response = Response(document, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    # this page's own policy: its one inline script by hash, and nothing of the Dash pages' scripts
    response.headers["Content-Security-Policy"] = content_security_policy(
        [script_hash(script)] if script else [], embed=False)
    return response
