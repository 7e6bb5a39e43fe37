"""The offline deck (app/decks/slides/offline.py): one HTML file with plotly.js and every slide's figure inline, each
slide labelled like the app's views, and nothing fetched from a network."""

from __future__ import annotations

import json
import re
from html import escape

import pytest

from app import vendor
from app.data.db import Database
from app.decks.slides.content import SlidePathError, read_slide
from app.decks.slides.offline import offline_deck_html
from app.i18n import t

BASE = "https://barometer.example"
# Compare slides of the survey estimates (with only demo waves loaded, Compare otherwise opens on published figures)
SLIDES = [("/en/compare?source=survey", "Most public workplaces innovate"),
          ("/en/profile?country=NO&level=municipal", ""),
          ("/en/types-values?wave=SE-2018", "Which values come with which types <of innovation>?"),
          ("/en/compare?countries=DK,NO,SE,FI,IS&waves=DK-2018-19,NO-2018,SE-2018,FI-2018,IS-2018&source=survey",
           "Round 2018")]


@pytest.fixture(scope="module")
def deck(db: Database) -> str:
    return offline_deck_html(db, SLIDES, title="Nordic Edge 2026", lang="nb", base_url=BASE + "/")


def deck_data(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="deck-data">(.*?)</script>', html, re.S)[1])


def test_every_slide_has_its_labels_and_a_link_back(db: Database, deck: str) -> None:
    sections = re.findall(r'<section class="slide".*?</section>', deck, re.S)
    assert len(sections) == len(SLIDES)
    for index, (section, (path, caption)) in enumerate(zip(sections, SLIDES, strict=True)):
        slide = read_slide(db, path, lang="nb")  # the deck's language, whatever the path says
        assert f"<h2 id=\"slide-{index + 1}-title\">{escape(slide.title)}</h2>" in section
        assert t("nb", "deck_offline_counter", index=index + 1, count=len(SLIDES)) in section
        if caption:
            assert f'<p class="caption">{escape(caption)}</p>' in section
        assert f'<p class="demo">◆ {escape(t("nb", "demo_chart"))}</p>' in section  # bundled waves are demo
        assert escape(slide.sources.splitlines()[0]) in section and "Kilde:" in section
        # the key to whiskers where the slide draws them (not on the types x values grid, which has none)
        assert (t("nb", "slide_ci_note") in section) is slide.shows_intervals is (slide.grid is None)
        assert f'<a href="{escape(BASE + slide.path)}">{t("nb", "deck_offline_live")}</a>' in section
        assert slide.path.startswith("/nb/")
    assert "⚠" in sections[0]  # the compared waves differ in unit: the warning is on the slide


def test_figures_are_the_pages_with_the_apis_numbers(client, deck: str) -> None:
    figures = deck_data(deck)["figures"]
    assert len(figures) == len(SLIDES) and all(figures)
    records = client.get("/api/v1/estimates?lang=nb&source=survey").get_json()["data"]
    shares = sorted(r["share_pct"] for r in records if r["row_type"] == "estimate")
    bars = [x for trace in figures[0]["data"] if trace["type"] == "bar" for x in trace["x"]]
    assert sorted(bars) == shares
    heatmap = next(trace for trace in figures[2]["data"] if trace["type"] == "heatmap")
    records = client.get("/api/v1/types-values?wave=SE-2018").get_json()["data"]
    assert sorted(v for row in heatmap["z"] for v in row) == sorted(r["share_pct"] for r in records)
    assert deck_data(deck)["config"]["locale"] == "no"


def test_nothing_is_fetched_from_anywhere(deck: str) -> None:
    assert (vendor.VENDOR_DIR / vendor.PLOTLY_JS).read_text(encoding="utf-8") in deck  # the bundle, inline
    markup = re.sub(r"<script.*?</script>", "", deck, flags=re.S)  # the document without its scripts
    assert " src=" not in markup and "<link" not in markup and "url(" not in markup and "@import" not in markup
    assert "<script src" not in deck
    links = re.findall(r'href="([^"]*)"', markup)
    assert len(links) == len(SLIDES) and all(link.startswith(BASE + "/nb/") for link in links)


def test_a_path_no_slide_can_show_is_refused(db: Database) -> None:
    with pytest.raises(SlidePathError):
        offline_deck_html(db, [("/en/data", "")], title="x", lang="en", base_url=BASE)
