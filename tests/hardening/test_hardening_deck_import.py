"""Deck files as an attacker writes them, given to `barometer deck import`, and the pages that show a deck.

Paths are stored as the app stores them (canonical) and refused where the app refuses them; a file too large
or with too many slides is refused before it is parsed; aliases and repeated keys are refused with the file and
line; and no stored path, even one written before these checks, can break the presenter page's inline JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import yaml
from hardening_helpers import close_app_database, hardening_settings
from typer.testing import CliRunner

from app.decks.files import MAX_FILE_BYTES
from app.decks.store import MAX_SLIDES, DeckSlide, create_deck, load_deck
from app.factory import create_app
from barometer.cli import app as cli
from core.config import Settings
from etl.pipeline import run_etl
from tests.dbtools import create_database, drop_database

HOSTILE_PATH = "/en/compare?countries=IS&caption=<!--<script>&x=</script><script>alert(1)</script>"


@pytest.fixture(scope="module")
def iceland_db(pg_admin_url: str, migrated_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = create_database(pg_admin_url, template=migrated_template)
    run_etl(url, countries=["IS"], settings=Settings(cache_dir=tmp_path_factory.mktemp("import-etl")))
    yield url
    drop_database(pg_admin_url, url)


def deck_ids(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        return {row[0] for row in conn.execute("SELECT public_id FROM deck")}


def deck_file(tmp_path: Path, name: str, slides: list[dict[str, str]], **extra: str) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump({"format": "barometer-deck/1", "title": "Talk", "lang": "en", **extra,
                                    "slides": slides}, allow_unicode=True), encoding="utf-8")
    return path


def import_file(url: str, path: Path):
    return CliRunner().invoke(cli, ["deck", "import", str(path)], env={"DATABASE_URL": url})


def refused(url: str, path: Path, *fragments: str) -> None:
    before = deck_ids(url)
    result = import_file(url, path)
    message = " ".join(result.output.split())
    assert result.exit_code == 1, result.output
    for fragment in (str(path), *fragments):
        assert fragment in message, (fragment, result.output)
    assert deck_ids(url) == before, "a refused file wrote a deck"


def test_imported_paths_are_canonical_and_what_the_app_refuses_is_refused(iceland_db: str, tmp_path: Path,
                                                                          ) -> None:
    app = create_app(iceland_db, settings=hardening_settings(tmp_path / "app"))
    try:
        client = app.server.test_client()
        for bad in ("/\\evil.example", "//evil.example/en/", "/\\/evil.example/en/compare", "https://evil.example/",
                    "/en/embed/compare", "/en/nowhere", "/api/v1/estimates"):
            path = deck_file(tmp_path, "bad.yaml", [{"path": "/en/", "caption": ""}, {"path": bad, "caption": ""}])
            refused(iceland_db, path, "slides.1.path")
            # the API refuses the same address
            assert client.post("/api/decks", json={"path": bad}).status_code == 400, bad
        written = ["/en/compare?countries=IS", "/sv/profile?country=is&present=1", "/en/compare?indicator=nonsense",
                   HOSTILE_PATH]
        before = deck_ids(iceland_db)
        result = import_file(iceland_db, deck_file(tmp_path, "good.yaml", [{"path": p} for p in written]))
        assert result.exit_code == 0, result.output
        [new_id] = deck_ids(iceland_db) - before
        with psycopg.connect(iceland_db) as conn:
            imported = load_deck(conn, new_id)
        # exactly what the app stores when the same address is added to a deck
        for address, slide in zip(written, imported.slides, strict=True):
            via_api = client.post("/api/decks", json={"path": address})
            assert via_api.status_code == 201, address
            assert slide.path == via_api.get_json()["path"], address
            assert "<" not in slide.path and "evil" not in slide.path
    finally:
        close_app_database(app)


def test_a_huge_file_is_refused_before_it_is_parsed(iceland_db: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parsing(*_args, **_kwargs):
        raise AssertionError("the file was parsed")

    huge = tmp_path / "huge.yaml"
    with huge.open("w", encoding="utf-8") as out:  # 50 MB
        out.write("format: barometer-deck/1\nlang: en\ntitle: big\nslides:\n")
        line = "- {path: /en/, caption: " + "x" * 200 + "}\n"
        for _ in range(50 * 2**20 // len(line)):
            out.write(line)
    monkeypatch.setattr(yaml, "parse", no_parsing)
    monkeypatch.setattr(yaml, "load", no_parsing)
    refused(iceland_db, huge, f"more than a deck file takes ({MAX_FILE_BYTES:,} bytes)")


def test_too_many_slides_and_aliases_are_refused_before_the_deck_is_built(iceland_db: str, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    many = deck_file(tmp_path, "many.yaml", [{"path": "/en/"} for _ in range(MAX_SLIDES + 1)])
    laughs = tmp_path / "laughs.yaml"  # nine levels of nine aliases: 387 million slides once expanded
    lines = ["format: barometer-deck/1", "lang: en", "a0: &a0 {path: /en/}"]
    lines += [f"a{i}: &a{i} [{', '.join(f'*a{i - 1}' for _ in range(9))}]" for i in range(1, 10)]
    lines.append("slides: *a9")
    laughs.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def no_building(*_args, **_kwargs):
        raise AssertionError("the deck was built")

    monkeypatch.setattr(yaml, "load", no_building)
    refused(iceland_db, many, f"a deck holds at most {MAX_SLIDES} slides")
    refused(iceland_db, laughs, "line 3", "anchor or alias")


def test_repeated_keys_are_refused_naming_file_and_line(iceland_db: str, tmp_path: Path) -> None:
    twice = tmp_path / "twice.yaml"
    text = "format: barometer-deck/1\nlang: en\ntitle: First\nslides:\n- path: /en/\n  caption: one\n"
    twice.write_text(text + "  caption: two\n", encoding="utf-8")
    refused(iceland_db, twice, "line 7", "the key 'caption' is given twice (first on line 6)")
    twice.write_text(text + "title: Second\n", encoding="utf-8")
    refused(iceland_db, twice, "line 7", "the key 'title' is given twice (first on line 3)")


def inline_json(page: str) -> str:
    return re.search(r'<script type="application/json" id="deck-data">(.*?)</script>', page, re.S).group(1)


def test_no_stored_path_breaks_the_presenters_inline_json(iceland_db: str, tmp_path: Path) -> None:
    """A deck written before imports were checked (or straight into the table) still presents."""
    hostile = [DeckSlide(HOSTILE_PATH, "<!-- caption </script>"), DeckSlide("/en/compare?x=<!--", "")]
    with psycopg.connect(iceland_db, autocommit=True) as conn:
        deck, _ = create_deck(conn, "</script><!--", "en", hostile)
    app = create_app(iceland_db, settings=hardening_settings(tmp_path / "app"))
    try:
        client = app.server.test_client()
        page = client.get(f"/en/decks/{deck.public_id}/present").get_data(as_text=True)
        data = inline_json(page)
        assert "<" not in data, "a '<' in the data block can end or escape the script element"
        assert [s.split("present=")[0] for s in json.loads(data)["slides"]] == [
            HOSTILE_PATH + "&", "/en/compare?x=<!--&"]
        assert page.count("<script") == page.count("</script>")
        offline = client.get(f"/decks/{deck.public_id}/offline.html?lang=en")
        if offline.status_code == 200:
            block = inline_json(offline.get_data(as_text=True))
            assert "<" not in block and json.loads(block)["figures"] is not None
    finally:
        close_app_database(app)
