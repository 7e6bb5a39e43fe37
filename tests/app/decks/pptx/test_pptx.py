"""Decks and views as PowerPoint files: a 4-slide deck in two languages, opened and saved again by Debian's
LibreOffice Impress (headless), keeps every chart's numbers and intervals as the API gives them, with the
slide's title, warnings, demo label, sources and address, and a closing slide whose QR code opens the follow page."""

from __future__ import annotations

import io
import math
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
import zxingcpp
from PIL import Image
from pptx import Presentation
from pptx.oxml.ns import qn
from typer.testing import CliRunner

from app.decks.store import DeckSlide, create_deck
from app.site.urls import parse_path
from barometer.cli import app as cli
from tests.services import require_binary

SOFFICE = "/usr/bin/soffice"
SLIDES = [DeckSlide("/en/compare?indicator=innovative&option=yes&source=survey", "Every country's latest wave"),
          DeckSlide("/en/compare?indicator=innovative&option=yes&source=published&chart=dot", ""),
          DeckSlide("/en/profile?country=NO", "Norway by sector"),
          DeckSlide("/en/types-values", "")]
BASE = "https://barometer.example"


@pytest.fixture(scope="module")
def deck_id(loaded_db: str) -> str:
    with psycopg.connect(loaded_db, autocommit=True) as conn:
        deck, _ = create_deck(conn, "Nordic Edge", "en", SLIDES)
    return deck.public_id


def through_impress(data: bytes, folder: Path) -> Presentation:
    """The file as LibreOffice Impress opens and saves it again (as PPTX)."""
    soffice = require_binary(SOFFICE, "libreoffice-impress")
    source = folder / "talk.pptx"
    source.write_bytes(data)
    out = folder / "impress"
    subprocess.run([soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to",
                    "pptx:Impress MS PowerPoint 2007 XML", "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    return Presentation(str(out / "talk.pptx"))


def chart_numbers(chart) -> list[tuple[float, float | None, float | None]]:
    """(value, low, high) of every point with a value, in percent, from the chart's own data and error bars."""
    found = []
    for series in chart.plots[0].series:
        values = list(series.values)
        bars = series._element.find(qn("c:errBars"))
        plus, minus = (_error_values(bars, side) for side in ("plus", "minus")) if bars is not None else ({}, {})
        for index, value in enumerate(values):
            if value is None:
                continue
            low = value - minus[index] if index in minus else None
            high = value + plus[index] if index in plus else None
            found.append((value, low, high))
    return found


def _error_values(bars, side: str) -> dict[int, float]:
    points = bars.find(qn(f"c:{side}")).iter(qn("c:pt"))
    return {int(p.get("idx")): float(p.find(qn("c:v")).text) for p in points}


def api_numbers(client, path: str, lang: str) -> tuple[dict, list[tuple[float, float | None, float | None]]]:
    """The view's JSON answer and the (value, low, high) of the rows its chart draws."""
    answer, rows = api_rows(client, path, lang)
    return answer, [(r["share_pct"], r.get("ci_low_pct"), r.get("ci_high_pct")) for r in rows]


def api_rows(client, path: str, lang: str) -> tuple[dict, list[dict]]:
    parts = urlsplit(path)
    page = parse_path(parts.path).page
    answer = client.get(f"/api/v1/{page.api_endpoint}?{parts.query}&lang={lang}").get_json()
    rows = [r for r in answer["data"] if r.get("share_pct") is not None and r.get("row_type") != "difference"]
    if any(r.get("row_type") == "estimate" for r in rows):  # a profile lists published figures beside its chart
        rows = [r for r in rows if r.get("row_type") != "published"]
    return answer, rows


def same(found: list, expected: list) -> bool:
    def close(a, b) -> bool:
        return (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9))
    return len(found) == len(expected) and all(
        all(close(x, y) for x, y in zip(f, e, strict=True)) for f, e in zip(sorted(found), sorted(expected),
                                                                             strict=True))


def slide_text(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_a_deck_opens_in_impress_with_the_numbers_of_the_api(client, deck_id: str, lang: str,
                                                             tmp_path: Path) -> None:
    response = client.get(f"/decks/{deck_id}/deck.pptx?lang={lang}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="deck-{deck_id}-{lang}.pptx"'
    assert len(response.data) < 1_000_000
    deck = through_impress(response.data, tmp_path)
    slides = list(deck.slides)
    assert len(slides) == len(SLIDES) + 1  # a slide per view, then the closing slide
    with_intervals = 0
    for slide, source in zip(slides, SLIDES, strict=False):
        path = source.path.replace("/en/", f"/{lang}/", 1)
        answer, expected = api_numbers(client, path, lang)
        charts = [shape.chart for shape in slide.shapes if shape.has_chart]
        assert len(charts) == 1, path
        found = chart_numbers(charts[0])
        assert found and same(found, expected), (path, sorted(found), sorted(expected))
        with_intervals += any(low is not None for _, low, _ in found)
        text = slide_text(slide)
        assert answer["title"].split(" (")[0] in text  # the API's title adds the subtitle in brackets
        assert (answer["demo"] is not None) == ("◆" in text)  # the demo label, on the slide itself
        notes = slide.notes_slide.notes_text_frame.text
        view = BASE + answer["url"]
        assert view in text and view in notes  # the view's address in the footer and the speaker notes
        sources = {r["source"] for r in api_rows(client, path, lang)[1] if r.get("source")}
        missing = [s for s in sources if s.split(" | ")[0][:40] not in notes]
        assert not missing, (missing, notes)
        if source.caption:
            assert source.caption in text and source.caption in notes
        warnings = answer.get("comparability_warnings") or []
        assert bool(warnings) <= ("⚠" in text)
    assert with_intervals >= 2  # the estimates' 95% intervals as error bars, kept by Impress
    closing = slides[-1]
    pictures = [shape for shape in closing.shapes if shape.shape_type == 13]
    image = Image.open(io.BytesIO(pictures[0].image.blob))
    follow = BASE + (f"/follow/{deck_id}" if lang == "en" else f"/{lang}/follow/{deck_id}")
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [follow]
    assert follow in slide_text(closing)


def test_a_single_view_as_pptx_and_the_buttons(client, deck_id: str, tmp_path: Path) -> None:
    response = client.get("/pptx/da/profile?country=NO")
    assert response.status_code == 200 and response.mimetype.endswith("presentationml.presentation")
    assert "profile" in response.headers["Content-Disposition"] and "NO" in response.headers["Content-Disposition"]
    file = Presentation(io.BytesIO(response.data))
    assert len(file.slides) == 2
    found = chart_numbers(next(s.chart for s in file.slides[0].shapes if s.has_chart))
    assert same(found, api_numbers(client, "/da/profile?country=NO", "da")[1])
    assert client.get("/pptx/en/").status_code == 404  # the overview has no slide
    assert client.get("/pptx/en/compare?indicator=nope").status_code == 404
    page = client.get(f"/en/decks/{deck_id}").get_data(as_text=True)
    assert f'href="/decks/{deck_id}/deck.pptx?lang=en"' in page
    view = client.get("/nb/profile?country=NO").get_data(as_text=True)
    assert 'href="/pptx/nb/profile?country=NO"' in view


def test_cli_writes_the_deck_as_pptx(loaded_db: str, deck_id: str, tmp_path: Path) -> None:
    output = tmp_path / "talk.pptx"
    env = {"DATABASE_URL": loaded_db, "PUBLIC_URL": "http://hall.example:8050"}
    result = CliRunner().invoke(cli, ["deck", "pptx", deck_id, "-o", str(output), "--lang", "fi"], env=env)
    assert result.exit_code == 0, result.output
    assert "4 of 4 slides" in " ".join(result.output.split())
    file = Presentation(str(output))
    assert "http://hall.example:8050/fi/compare?" in file.slides[0].notes_slide.notes_text_frame.text
    bad = CliRunner().invoke(cli, ["deck", "pptx", deck_id, "-o", str(output), "--lang", "xx"], env=env)
    assert bad.exit_code == 1 and "unknown language" in bad.output
