"""Decks: ordered lists of views that a presenter shows and an audience follows (tables deck, deck_slide).

A deck has a public id (the follow link names it) and a presenter key, which is shown once to whoever
created the deck and stored only as its SHA-256: every change needs the key, and a wrong key changes nothing.
A slide is the canonical address (path and query, as app/site/urls.py writes it) of a view, with a caption.

Every function takes an open psycopg connection: reads work on the app's read-only pool (read_deck), changes
need a connection that may write these tables (deck_writer: the app's one writer, app/data/links.py). With db.py,
queries.py and links.py, this is the only module of the app that talks to the database.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime

import psycopg
from psycopg.rows import tuple_row

from app.data.db import Database
from app.data.links import ALPHABET, LinkStore
from core.config import LANGUAGES
from core.errors import DatabaseUnavailable

Connection = psycopg.Connection

PUBLIC_ID_LENGTH = 10  # 62**10 = 8e17: a follow link cannot be guessed from another one
KEY_BYTES = 24
MAX_PATH_LENGTH = 2000  # as the table's CHECKs
MAX_CAPTION_LENGTH = 500
MAX_TITLE_LENGTH = 200
MAX_SLIDES = 200
CREATE_LOCK = 7_263_100_201  # advisory lock key held while a deck is counted against the site's limit and added


class DeckError(ValueError):
    """A change a deck cannot take (bad index, address, caption or title); the deck is left as it was."""


class DeckNotFound(LookupError):
    """No deck has this public id."""


class SiteFull(RuntimeError):
    """The site has taken as many new decks as it takes per hour; nothing was created."""


class WrongKey(PermissionError):
    """The presenter key does not open this deck; nothing was changed."""


@dataclass(frozen=True)
class DeckSlide:
    path: str  # path and query of the canonical view, e.g. '/en/compare?indicator=value'
    caption: str = ""


@dataclass(frozen=True)
class Deck:
    public_id: str
    title: str
    lang: str
    current: int  # index of the slide the presenter shows (0-based)
    slides: tuple[DeckSlide, ...]
    updated_at: datetime

    @property
    def current_slide(self) -> DeckSlide | None:
        return self.slides[self.current] if self.slides else None


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_public_id() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(PUBLIC_ID_LENGTH))


def is_public_id(text: str) -> bool:
    return 8 <= len(text) <= 32 and all(c in ALPHABET for c in text)


def validate_slide(slide: DeckSlide) -> DeckSlide:
    """``slide`` when its address is a path of this site and its caption fits, else DeckError."""
    if not isinstance(slide.path, str) or not slide.path.startswith("/") or slide.path.startswith("//"):
        raise DeckError(f"a slide's path must be an address on this site starting with '/': {slide.path!r:.80}")
    if len(slide.path) > MAX_PATH_LENGTH:
        raise DeckError(f"a slide's path is longer than {MAX_PATH_LENGTH} characters")
    if not isinstance(slide.caption, str) or len(slide.caption) > MAX_CAPTION_LENGTH:
        raise DeckError(f"a caption must be text of at most {MAX_CAPTION_LENGTH} characters")
    return slide


def _validate_deck(title: str, lang: str, slides: Sequence[DeckSlide]) -> None:
    if not isinstance(title, str) or len(title) > MAX_TITLE_LENGTH:
        raise DeckError(f"a deck's title must be text of at most {MAX_TITLE_LENGTH} characters")
    if lang not in LANGUAGES:
        raise DeckError(f"unknown language {lang!r}: one of {', '.join(LANGUAGES)}")
    if len(slides) > MAX_SLIDES:
        raise DeckError(f"a deck holds at most {MAX_SLIDES} slides")
    for slide in slides:
        validate_slide(slide)


def _write_slides(conn: psycopg.Connection, public_id: str, slides: Sequence[DeckSlide]) -> None:
    cur = conn.cursor(row_factory=tuple_row)
    cur.execute("DELETE FROM deck_slide WHERE deck_id = %s", (public_id,))
    cur.executemany("INSERT INTO deck_slide (deck_id, position, path, caption) VALUES (%s, %s, %s, %s)",
                    [(public_id, i, s.path, s.caption) for i, s in enumerate(slides)])


def create_deck(conn: psycopg.Connection, title: str, lang: str, slides: Sequence[DeckSlide] = (), *,
                site_limit: tuple[int, float] | None = None) -> tuple[Deck, str]:
    """A new deck and its presenter key (the only time the key is known: only its hash is stored).

    With ``site_limit`` (decks, seconds), SiteFull when that many decks were created within those seconds:
    the count and the insert run under one transaction-level advisory lock, so requests arriving together
    are counted one after the other and the site never takes more than its limit."""
    _validate_deck(title, lang, slides)
    key = secrets.token_urlsafe(KEY_BYTES)
    with conn.transaction():
        cur = conn.cursor(row_factory=tuple_row)
        if site_limit is not None:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (CREATE_LOCK,))
            if decks_created_within(conn, site_limit[1]) >= site_limit[0]:
                raise SiteFull()
        public_id = new_public_id()
        cur.execute("INSERT INTO deck (public_id, key_hash, title, lang) VALUES (%s, %s, %s, %s)",
                    (public_id, key_hash(key), title, lang))
        _write_slides(conn, public_id, slides)
    deck = load_deck(conn, public_id)
    assert deck is not None
    return deck, key


def decks_created_within(conn: psycopg.Connection, seconds: float) -> int:
    """How many decks were created in the last ``seconds`` (the site's hourly limit, app/decks/limits.py)."""
    row = conn.cursor(row_factory=tuple_row).execute(
        "SELECT count(*) FROM deck WHERE created_at > clock_timestamp() - make_interval(secs => %s)",
        (seconds,)).fetchone()
    return row[0] if row is not None else 0


def load_deck(conn: psycopg.Connection, public_id: str) -> Deck | None:
    """The deck with ``public_id`` and its slides in order (None when there is none)."""
    if not is_public_id(public_id):
        return None
    cur = conn.cursor(row_factory=tuple_row)
    row = cur.execute("SELECT title, lang, current_slide, updated_at FROM deck WHERE public_id = %s",
                      (public_id,)).fetchone()
    if row is None:
        return None
    slides = tuple(DeckSlide(path, caption) for path, caption in cur.execute(
        "SELECT path, caption FROM deck_slide WHERE deck_id = %s ORDER BY position", (public_id,)).fetchall())
    title, lang, current, updated_at = row
    return Deck(public_id, title, lang, min(current, max(len(slides) - 1, 0)), slides, updated_at)


def read_deck(db: Database, public_id: str) -> Deck | None:
    """The deck, read through the app's read-only pool (DatabaseUnavailable when it cannot be reached)."""
    if not is_public_id(public_id):
        return None
    try:
        with db.connection() as conn:
            return load_deck(conn, public_id)
    except psycopg.OperationalError as exc:
        raise DatabaseUnavailable("The database cannot be reached right now.") from exc


@contextmanager
def deck_writer(store: LinkStore) -> Iterator[psycopg.Connection]:
    """A connection of the app's one writer (app/data/links.py), which may change decks."""
    try:
        with store.connect() as conn:
            yield conn
    except psycopg.OperationalError as exc:
        raise DatabaseUnavailable("The database cannot be reached right now.") from exc


def key_opens(conn: psycopg.Connection, public_id: str, key: str | None) -> bool:
    """True when ``key`` is the presenter key of the deck ``public_id``."""
    if not key or not is_public_id(public_id):
        return False
    row = conn.cursor(row_factory=tuple_row).execute(
        "SELECT key_hash FROM deck WHERE public_id = %s", (public_id,)).fetchone()
    return row is not None and hmac.compare_digest(row[0], key_hash(key))


def _change(conn: psycopg.Connection, public_id: str, key: str | None, change: Callable[[Deck], Deck]) -> Deck:
    """Apply ``change`` to the deck in one transaction, holding its row, after checking the key."""
    with conn.transaction():
        cur = conn.cursor(row_factory=tuple_row)
        row = cur.execute("SELECT key_hash FROM deck WHERE public_id = %s FOR UPDATE",
                          (public_id,)).fetchone() if is_public_id(public_id) else None
        if row is None:
            raise DeckNotFound(public_id)
        if not key or not hmac.compare_digest(row[0], key_hash(key)):
            raise WrongKey(public_id)
        before = load_deck(conn, public_id)
        assert before is not None
        after = change(before)
        _validate_deck(after.title, after.lang, after.slides)
        if after.slides != before.slides:
            _write_slides(conn, public_id, after.slides)
        current = min(after.current, max(len(after.slides) - 1, 0))
        cur.execute("UPDATE deck SET title = %s, lang = %s, current_slide = %s, updated_at = clock_timestamp() "
                    "WHERE public_id = %s", (after.title, after.lang, current, public_id))
    deck = load_deck(conn, public_id)
    assert deck is not None
    return deck


def _index(deck: Deck, index: int) -> int:
    if not isinstance(index, int) or not 0 <= index < len(deck.slides):
        raise DeckError(f"slide {index} is not in the deck (it has {len(deck.slides)})")
    return index


def add_slide(conn: psycopg.Connection, public_id: str, key: str | None, slide: DeckSlide) -> Deck:
    """Append ``slide`` to the deck."""
    validate_slide(slide)
    return _change(conn, public_id, key, lambda d: replace(d, slides=(*d.slides, slide)))


def move_slide(conn: psycopg.Connection, public_id: str, key: str | None, index: int, to: int) -> Deck:
    """Move the slide at ``index`` to position ``to`` (the others keep their order)."""
    def move(deck: Deck) -> Deck:
        slides = list(deck.slides)
        slide = slides.pop(_index(deck, index))
        slides.insert(_index(deck, to), slide)
        return replace(deck, slides=tuple(slides))
    return _change(conn, public_id, key, move)


def remove_slide(conn: psycopg.Connection, public_id: str, key: str | None, index: int) -> Deck:
    """Remove the slide at ``index``; the presenter stays on the slide shown, or the one before it."""
    def remove(deck: Deck) -> Deck:
        at = _index(deck, index)
        current = deck.current - 1 if at < deck.current else deck.current
        return replace(deck, slides=deck.slides[:at] + deck.slides[at + 1:], current=max(current, 0))
    return _change(conn, public_id, key, remove)


def set_caption(conn: psycopg.Connection, public_id: str, key: str | None, index: int, caption: str) -> Deck:
    """Change the caption of the slide at ``index``."""
    def caption_of(deck: Deck) -> Deck:
        at = _index(deck, index)
        slides = list(deck.slides)
        slides[at] = validate_slide(DeckSlide(slides[at].path, caption))
        return replace(deck, slides=tuple(slides))
    return _change(conn, public_id, key, caption_of)


def set_title(conn: psycopg.Connection, public_id: str, key: str | None, title: str) -> Deck:
    return _change(conn, public_id, key, lambda d: replace(d, title=title))


def set_current(conn: psycopg.Connection, public_id: str, key: str | None, index: int) -> Deck:
    """Show the slide at ``index`` to everyone following (WrongKey, and no change, without the right key)."""
    return _change(conn, public_id, key, lambda d: replace(d, current=_index(d, index)))
