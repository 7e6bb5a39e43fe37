"""Slides in decks: the follow page shows each slide's chart drawn on the server, and a deck downloads as an
offline HTML file (route and `barometer deck offline`)."""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
from typer.testing import CliRunner

from app.data.db import Database
from app.decks.slides.svg import slide_svg
from app.decks.store import DeckSlide, create_deck
from barometer.cli import app as cli

SLIDES = [DeckSlide("/en/compare?indicator=value&option=quality", "Quality first"),
          DeckSlide("/en/", "The overview (no chart a slide draws)"),
          DeckSlide("/en/profile?country=IS", "")]


def new_deck(url: str, lang: str = "en") -> str:
    with psycopg.connect(url, autocommit=True) as conn:
        deck, _ = create_deck(conn, "Nordic Edge", lang, SLIDES)
    return deck.public_id


def test_follow_slides_carry_the_server_drawn_chart(client, db: Database, loaded_db: str) -> None:
    deck = new_deck(loaded_db)
    first = client.get(f"/follow/{deck}/slides/0?lang=sv")
    assert first.status_code == 200
    body = first.get_data(as_text=True)
    assert slide_svg(db, "/sv/compare?indicator=value&option=quality") in body  # the deck shows in its link's language
    assert 'class="cell" data-share-pct=' in body and "Quality first" in body
    again = client.get(f"/follow/{deck}/slides/0?lang=sv", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    overview = client.get(f"/follow/{deck}/slides/1?lang=en").get_data(as_text=True)
    assert "<svg" in overview and "data-share-pct" not in overview  # a card naming the view instead
    follow_page = client.get(f"/follow/{deck}").get_data(as_text=True)
    assert 'class="cell" data-share-pct=' in follow_page  # the first slide is in the page itself


def test_offline_deck_download(client, loaded_db: str) -> None:
    deck = new_deck(loaded_db)
    response = client.get(f"/decks/{deck}/offline.html?lang=fi")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Content-Disposition"] == f'attachment; filename="deck-{deck}-fi.html"'
    html = response.get_data(as_text=True)
    assert html.startswith('<!doctype html><html lang="fi">') and "<title>Nordic Edge</title>" in html
    links = re.findall(r'<p class="live"><a href="([^"]+)"', html)
    # the two views a slide draws, in the deck's order, in Finnish, linking back to the site they came from
    assert [link.split("/", 3)[3].split("?")[0] for link in links] == ["fi/compare", "fi/profile"]
    assert all(link.startswith("https://barometer.example/fi/") for link in links)
    assert '<p class="caption">Quality first</p>' in html
    assert client.get("/decks/NoSuchDeck1/offline.html").status_code == 404
    page = client.get(f"/en/decks/{deck}").get_data(as_text=True)
    assert f'href="/decks/{deck}/offline.html?lang=en"' in page


def test_cli_writes_the_offline_deck(loaded_db: str, tmp_path: Path) -> None:
    deck = new_deck(loaded_db, lang="da")
    output = tmp_path / "talk.html"
    env = {"DATABASE_URL": loaded_db, "PUBLIC_URL": "http://hall.example:8050"}
    result = CliRunner().invoke(cli, ["deck", "offline", deck, "-o", str(output)], env=env)
    assert result.exit_code == 0, result.output
    assert "2 of 3 slides" in " ".join(result.output.split())  # (the console wraps long lines)
    html = output.read_text(encoding="utf-8")
    assert '<html lang="da">' in html and 'href="http://hall.example:8050/da/compare?' in html
    missing = CliRunner().invoke(cli, ["deck", "offline", "NoSuchDeck1", "-o", str(output)], env=env)
    assert missing.exit_code == 1 and "no deck has the id" in " ".join(missing.output.split())
