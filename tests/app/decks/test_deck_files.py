"""Decks as YAML: `barometer deck export` and `deck import` round-trip a deck, and a bad file is refused with a
message naming the file and the key, writing nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from app.data.db import Database
from app.decks.files import DeckFileError, canonical_slides, deck_from_yaml, deck_to_yaml
from app.decks.store import Deck, DeckSlide, create_deck, key_opens, load_deck
from app.site.params import known
from barometer.cli import app as cli
from core.config import Settings
from etl.pipeline import run_etl

SLIDES = [DeckSlide("/nb/compare?indicator=value", "Verdier: «kvalitet» og 'tid'"),
          DeckSlide("/nb/profile?country=IS", ""), DeckSlide("/nb/", "Nýsköpun # not a comment")]


def test_yaml_round_trip_of_a_deck() -> None:
    deck = Deck("Abcdef1234", "Kommunene: innovasjon 2026", "nb", 1, tuple(SLIDES), datetime.now(UTC))
    text = deck_to_yaml(deck)
    assert "Abcdef1234" not in text and text.startswith("format: barometer-deck/1")
    assert deck_from_yaml(text, "talk.yaml") == ("Kommunene: innovasjon 2026", "nb", SLIDES)


@pytest.mark.parametrize(("text", "expected"), [
    ("format: barometer-deck/1\nlang: en\nslides:\n- {path: 'https://x.example/', caption: ''}\n",
     "talk.yaml: slides.0.path: String should match pattern"),
    ("format: barometer-deck/1\nlang: en\nslides:\n- {path: /en/, captoin: hi}\n",
     "talk.yaml: slides.0.captoin: Extra inputs are not permitted"),
    ("format: barometer-deck/1\nslides: []\n", "talk.yaml: lang: Field required"),
    ("format: barometer-deck/1\nlang: de\nslides: []\n", "talk.yaml: lang: Input should be 'en'"),
    ("format: barometer-deck/2\nlang: en\nslides: []\n", "talk.yaml: format: Input should be 'barometer-deck/1'"),
    ("- just\n- a list\n", "talk.yaml: (top level): Input should be a valid dictionary"),
    ("format: barometer-deck/1\nlang: [en\n", "talk.yaml: line 3 not valid YAML"),
])
def test_bad_deck_files_name_file_and_key(text: str, expected: str) -> None:
    with pytest.raises(DeckFileError) as caught:
        deck_from_yaml(text, "talk.yaml")
    assert str(caught.value).startswith(expected), str(caught.value)


def deck_count(url: str) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT count(*) FROM deck").fetchone()[0]


def test_cli_export_and_import_round_trip(empty_db: str, tmp_path: Path) -> None:
    run_etl(empty_db, countries=["IS"], settings=Settings(cache_dir=tmp_path / "etl"))
    database = Database(empty_db, settings=Settings(cache_dir=tmp_path / "app", readonly_database_url=None))
    try:  # the slides as the app stores them, so an import (which canonicalises) gives them back unchanged
        slides = canonical_slides(SLIDES, known(database), "test")
    finally:
        database.close()
    with psycopg.connect(empty_db, autocommit=True) as conn:
        original, _ = create_deck(conn, "Kommunene", "nb", slides)
    env = {"DATABASE_URL": empty_db}
    file = tmp_path / "talk.yaml"
    exported = CliRunner().invoke(cli, ["deck", "export", original.public_id, "-o", str(file)], env=env)
    assert exported.exit_code == 0, exported.output
    imported = CliRunner().invoke(cli, ["deck", "import", str(file)], env=env)
    assert imported.exit_code == 0, imported.output
    lines = dict(line.split(":", 1) for line in imported.stdout.splitlines())
    new_id = lines["deck"].split()[0]
    key = lines["presenter"].strip().split("#key=")[1]
    assert new_id != original.public_id and lines["follow"].strip() == f"/follow/{new_id}"
    with psycopg.connect(empty_db) as conn:
        copy = load_deck(conn, new_id)
        assert key_opens(conn, new_id, key)
    assert (copy.title, copy.lang, copy.slides) == (original.title, original.lang, original.slides)
    # without PUBLIC_URL or --base-url the links are paths, and the command says so
    assert "Neither PUBLIC_URL nor --base-url is set" in " ".join(imported.stderr.split())
    absolute = CliRunner().invoke(cli, ["deck", "import", str(file), "--base-url", "https://hall.example/"], env=env)
    links = dict(line.split(":", 1) for line in absolute.stdout.splitlines())
    assert links["follow"].strip().startswith("https://hall.example/follow/")
    assert links["presenter"].strip().startswith("https://hall.example/nb/decks/") and not absolute.stderr
    from_env = CliRunner().invoke(cli, ["deck", "import", str(file)], env={**env, "PUBLIC_URL": "https://b.example"})
    assert "https://b.example/follow/" in from_env.stdout and not from_env.stderr

    bad = tmp_path / "bad.yaml"
    bad.write_text("format: barometer-deck/1\nlang: en\nslides:\n- {path: //evil.example}\n", encoding="utf-8")
    before = deck_count(empty_db)
    refused = CliRunner().invoke(cli, ["deck", "import", str(bad)], env=env)
    assert refused.exit_code == 1 and "bad.yaml: slides.0.path" in refused.output
    assert deck_count(empty_db) == before
    missing = CliRunner().invoke(cli, ["deck", "export", "NoSuchDeck1"], env=env)
    assert missing.exit_code == 1 and "no deck has the id" in missing.output


def test_deck_commands_have_help() -> None:
    for command in (["deck", "--help"], ["deck", "export", "--help"], ["deck", "import", "--help"]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 0 and "deck" in result.output.lower()
