"""Decks in Postgres: a round trip of every change, a wrong key that changes nothing, and the migration."""

from __future__ import annotations

import psycopg
import pytest

from app.decks.store import (
    DeckError,
    DeckNotFound,
    DeckSlide,
    WrongKey,
    add_slide,
    create_deck,
    key_hash,
    key_opens,
    load_deck,
    move_slide,
    remove_slide,
    set_caption,
    set_current,
    set_title,
)
from core.migrate import downgrade, upgrade
from core.roles import grant_link_writer_role, grant_readonly_role
from tests.core.test_readonly_role import as_role

SLIDES = (DeckSlide("/en/compare?indicator=value", "Values"), DeckSlide("/en/profile?country=NO", ""),
          DeckSlide("/en/", "Headline"))


def table_rows(url: str) -> list[tuple]:
    with psycopg.connect(url) as conn:
        return [*conn.execute("SELECT * FROM deck ORDER BY public_id").fetchall(),
                *conn.execute("SELECT * FROM deck_slide ORDER BY deck_id, position").fetchall()]


def test_deck_round_trip(empty_db: str) -> None:
    with psycopg.connect(empty_db, autocommit=True) as conn:
        deck, key = create_deck(conn, "Nordic Edge", "nb", SLIDES[:2])
        assert len(deck.public_id) == 10 and deck.public_id.isalnum()
        assert (deck.title, deck.lang, deck.current, deck.slides) == ("Nordic Edge", "nb", 0, SLIDES[:2])
        stored = conn.execute("SELECT key_hash FROM deck").fetchone()[0]
        assert stored == key_hash(key) and key not in stored  # only the hash is kept
        assert key_opens(conn, deck.public_id, key) and not key_opens(conn, deck.public_id, key + "x")

        deck = add_slide(conn, deck.public_id, key, SLIDES[2])
        assert deck.slides == SLIDES
        deck = move_slide(conn, deck.public_id, key, 2, 0)
        assert deck.slides == (SLIDES[2], SLIDES[0], SLIDES[1])
        deck = set_caption(conn, deck.public_id, key, 2, "Norway")
        assert deck.slides[2] == DeckSlide("/en/profile?country=NO", "Norway")
        before = deck.updated_at
        deck = set_current(conn, deck.public_id, key, 2)
        assert deck.current == 2 and deck.updated_at > before
        deck = remove_slide(conn, deck.public_id, key, 0)  # a slide before the shown one: stay on the same view
        assert deck.current == 1 and deck.current_slide == DeckSlide("/en/profile?country=NO", "Norway")
        deck = set_title(conn, deck.public_id, key, "Oslo")
        assert load_deck(conn, deck.public_id) == deck
        assert load_deck(conn, "NoSuchDeck1") is None and load_deck(conn, "bad id!") is None


def test_wrong_key_is_refused_and_changes_nothing(empty_db: str) -> None:
    with psycopg.connect(empty_db, autocommit=True) as conn:
        deck, key = create_deck(conn, "Talk", "en", SLIDES)
        other, _ = create_deck(conn, "Other", "en", SLIDES)
    before = table_rows(empty_db)
    with psycopg.connect(empty_db, autocommit=True) as conn:
        for wrong in ("", None, key[:-1], key + "a"):
            with pytest.raises(WrongKey):
                set_current(conn, deck.public_id, wrong, 1)
        with pytest.raises(WrongKey):  # one deck's key opens no other deck
            set_current(conn, other.public_id, key, 1)
        for change in (lambda: add_slide(conn, deck.public_id, "x", SLIDES[0]),
                       lambda: move_slide(conn, deck.public_id, "x", 0, 1),
                       lambda: remove_slide(conn, deck.public_id, "x", 0),
                       lambda: set_caption(conn, deck.public_id, "x", 0, "!")):
            with pytest.raises(WrongKey):
                change()
        with pytest.raises(DeckNotFound):
            set_current(conn, "Nonexistent", key, 0)
        for index in (-1, 3, 99):  # the right key, an index outside the deck
            with pytest.raises(DeckError, match="not in the deck"):
                set_current(conn, deck.public_id, key, index)
        with pytest.raises(DeckError, match="starting with '/'"):
            add_slide(conn, deck.public_id, key, DeckSlide("https://elsewhere.example/", ""))
    assert table_rows(empty_db) == before


def test_deck_tables_down_and_up(empty_db: str) -> None:
    with psycopg.connect(empty_db, autocommit=True) as conn:
        for public_id, lang in (("short", "en"), ("Valid12345", "de")):
            with pytest.raises(psycopg.errors.CheckViolation):
                conn.execute("INSERT INTO deck (public_id, key_hash, lang) VALUES (%s, %s, %s)",
                             (public_id, "0" * 64, lang))
    downgrade(empty_db, "0006")
    with psycopg.connect(empty_db) as conn:
        assert conn.execute("SELECT to_regclass('deck'), to_regclass('deck_slide')").fetchone() == (None, None)
    upgrade(empty_db)
    with psycopg.connect(empty_db) as conn:
        assert conn.execute("SELECT to_regclass('deck') IS NOT NULL").fetchone()[0]


def test_roles_of_decks(empty_db: str) -> None:
    """The link writer keeps decks and reads no data; the read-only role reads decks (to answer followers) and
    cannot change them."""
    with psycopg.connect(empty_db) as conn, conn.transaction():
        grant_readonly_role(conn, "barometer_deck_test_reader", "r-secret")
        grant_link_writer_role(conn, "barometer_deck_test_writer", "w-secret")
    with psycopg.connect(as_role(empty_db, "barometer_deck_test_writer", "w-secret"), autocommit=True) as conn:
        deck, key = create_deck(conn, "Roles", "en", SLIDES)
        set_current(conn, deck.public_id, key, 2)
        remove_slide(conn, deck.public_id, key, 0)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT 1 FROM estimate LIMIT 1")
    with psycopg.connect(as_role(empty_db, "barometer_deck_test_reader", "r-secret")) as conn:
        assert load_deck(conn, deck.public_id).current == 1
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("UPDATE deck SET current_slide = 0")
