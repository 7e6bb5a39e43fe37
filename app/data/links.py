"""Short links ('/s/<code>'): the app's one write path, for exactly one table (short_link).

The dashboard reads through a read-only pool (app/data/db.py); a short link must be written when presentation
mode first shows a view. The code is a digest of the view's address, so every worker, and the app after a
restart, gives the same view the same code; writing it again changes nothing. Only addresses the app drew
itself are stored (never data: the table holds paths of views, nothing about a workplace).
The writer connects with LINKS_DATABASE_URL when set (a role that may SELECT and INSERT on short_link only,
see core/roles.py), else with the URL the app was started with.
"""

from __future__ import annotations

import hashlib
import logging
import string
import threading

import psycopg

from core.config import Settings

log = logging.getLogger(__name__)

ALPHABET = string.digits + string.ascii_letters
CODE_LENGTH = 7  # 62**7 = 3.5e12 codes: a collision among the views of one site is not to be expected
MAX_TARGET_LENGTH = 2000  # as the table's CHECK
SHORT_PREFIX = "/s/"
_REMEMBERED = 10_000  # codes this process knows are stored (a bounded memo, so repeat views skip the write)


def short_code(target: str) -> str:
    """The code of an address: the first CODE_LENGTH base-62 digits of its SHA-256."""
    number = int.from_bytes(hashlib.sha256(target.encode("utf-8")).digest(), "big")
    digits = []
    for _ in range(CODE_LENGTH):
        number, rest = divmod(number, len(ALPHABET))
        digits.append(ALPHABET[rest])
    return "".join(digits)


def is_code(text: str) -> bool:
    return 4 <= len(text) <= 16 and all(c in ALPHABET for c in text)


class LinkStore:
    """Writes short links with its own short-lived connections (statement timeout, nothing else granted)."""

    def __init__(self, url: str, *, settings: Settings) -> None:
        self.url = settings.links_database_url or url
        self.timeout_s = settings.app_connect_timeout_s
        self.statement_timeout_ms = settings.app_statement_timeout_ms
        self._stored: set[str] = set()
        self._lock = threading.Lock()

    def __repr__(self) -> str:  # never shows the URL (it may hold a password)
        return "LinkStore()"

    def connect(self) -> psycopg.Connection:
        """A short-lived autocommit connection of the writer (short links, decks), with a statement timeout."""
        return psycopg.connect(self.url, autocommit=True, connect_timeout=self.timeout_s,
                               options=f"-c statement_timeout={self.statement_timeout_ms}",
                               application_name="barometer-links")

    def save(self, target: str) -> str | None:
        """The short path ('/s/<code>') of ``target`` (a site-relative address), stored if new; None when it
        cannot be stored (database unreachable or read-only, or an address that is not a site path)."""
        if not target.startswith("/") or target.startswith("//") or len(target) > MAX_TARGET_LENGTH:
            return None
        code = short_code(target)
        with self._lock:
            if code in self._stored:
                return SHORT_PREFIX + code
        try:
            with self.connect() as conn:
                conn.execute("INSERT INTO short_link (code, target) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                             (code, target))
                row = conn.execute("SELECT target FROM short_link WHERE code = %s", (code,)).fetchone()
        except psycopg.Error as exc:
            log.warning("short link not stored (the full address is shown instead): %s", exc)
            return None
        if row is None or row[0] != target:  # another address holds this code: keep the full address
            return None
        with self._lock:
            if len(self._stored) >= _REMEMBERED:
                self._stored.clear()
            self._stored.add(code)
        return SHORT_PREFIX + code
